package benchmark

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// serverProcess is the bench's servers in a child process (ServeServers),
// driven over its standard input and output: one JSON line of addresses
// at start, then one answer line per CPU request.
type serverProcess struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr *headBuffer
	addrs  serverAddrs
	// answerTimeout bounds each answer to a CPU request (cpuAnswerTimeout;
	// tests shorten it).
	answerTimeout time.Duration
}

// Bounds of the server process's life.
const (
	// serverStartTimeout bounds the start: opening the store and the
	// license database, four listeners.
	serverStartTimeout = time.Minute
	// serverStopTimeout is how long the process has to stop its servers
	// once its input is closed, before it is killed.
	serverStopTimeout = 15 * time.Second
	// cpuAnswerTimeout bounds the answer to one CPU request: a process
	// that stops answering is killed, and the run fails, rather than
	// hang the bench.
	cpuAnswerTimeout = 10 * time.Second
	// stderrHead is how much of the process's stderr is kept for an error.
	stderrHead = 4 << 10
)

// startServerProcess runs program (the securemedia binary and
// ServerCommand, or a test binary that dispatches to ServeServers) with
// a's arguments and reads where its servers listen. The process is killed
// when ctx is done; close stops it on every other path, and it stops by
// itself when its input ends, so that it cannot outlive the bench.
func startServerProcess(ctx context.Context, program []string, a serverArgs) (_ *serverProcess, err error) {
	if len(program) == 0 {
		return nil, errors.New("benchmark: no server program (Options.ServerProgram)")
	}
	cmd := exec.CommandContext(ctx, program[0], append(append([]string(nil), program[1:]...), a.args()...)...)
	cmd.WaitDelay = serverStopTimeout
	p := &serverProcess{cmd: cmd, stderr: &headBuffer{max: stderrHead}, answerTimeout: cpuAnswerTimeout}
	cmd.Stderr = p.stderr
	if p.in, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p.out = bufio.NewReaderSize(stdout, maxControlLine)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("server process: %w", err)
	}
	defer func() {
		if err != nil {
			// Stopped (waited for) before its stderr is quoted: the end of
			// its stdout can come before exec has copied all of its
			// stderr, and the error would lose the process's own words.
			p.close()
			err = p.failed("start", err)
		}
	}()
	// The first line, or the end of the output if the process fails;
	// a process that hangs at start is killed at the timeout (the read
	// then ends with the pipe).
	timer := time.AfterFunc(serverStartTimeout, func() { cmd.Process.Kill() })
	defer timer.Stop()
	line, err := p.readLine()
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(line, &p.addrs); err != nil || p.addrs.Securemedia == "" || p.addrs.HTTPS == "" {
		return nil, fmt.Errorf("unexpected first line %q", line)
	}
	return p, nil
}

// readLine reads one bounded line of the process's output.
func (p *serverProcess) readLine() ([]byte, error) {
	line, err := p.out.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return nil, errors.New("control line too long")
	}
	if err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(line, []byte("\n")), nil
}

// cpu asks the process for its CPU time so far.
func (p *serverProcess) cpu() (time.Duration, error) {
	if _, err := io.WriteString(p.in, cpuRequest+"\n"); err != nil {
		return 0, p.failed("cpu", err)
	}
	// A process that does not answer in time is killed: its output ends
	// and the read with it.
	timer := time.AfterFunc(p.answerTimeout, func() { p.cmd.Process.Kill() })
	line, err := p.readLine()
	if !timer.Stop() {
		return 0, p.failed("cpu", fmt.Errorf("no answer within %s", p.answerTimeout))
	}
	if err != nil {
		return 0, p.failed("cpu", err)
	}
	var a cpuAnswer
	if err := json.Unmarshal(line, &a); err != nil {
		return 0, p.failed("cpu", fmt.Errorf("unexpected answer %q", line))
	}
	return time.Duration(a.CPUNanos), nil
}

// failed is err with what the process wrote to stderr.
func (p *serverProcess) failed(what string, err error) error {
	if head := strings.TrimSpace(p.stderr.String()); head != "" {
		return fmt.Errorf("server process: %s: %w (its stderr: %s)", what, err, head)
	}
	return fmt.Errorf("server process: %s: %w", what, err)
}

// close ends the process's input, which stops its servers, and waits for
// it; Wait kills it if it has not exited within serverStopTimeout
// (WaitDelay). Calling it again is a no-op.
func (p *serverProcess) close() error {
	if p.cmd.Process == nil || p.cmd.ProcessState != nil {
		return nil
	}
	p.in.Close()
	// Wait kills the process at ctx's end only; bound the stop here too.
	timer := time.AfterFunc(serverStopTimeout, func() { p.cmd.Process.Kill() })
	defer timer.Stop()
	if err := p.cmd.Wait(); err != nil {
		return p.failed("stop", err)
	}
	return nil
}

// pid is the process id (tests).
func (p *serverProcess) pid() int { return p.cmd.Process.Pid }

// headBuffer keeps the first max bytes written to it (the error a failing
// process prints first), safe for the goroutine exec copies stderr with.
type headBuffer struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (b *headBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.max - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (b *headBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
