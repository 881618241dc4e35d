package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"securemedia/content"
	"securemedia/message"
)

func TestTheActivityReaderPassesBytesThrough(t *testing.T) {
	wd := newWatchdog(1<<40, func() {}) // never fires within the test
	defer wd.stop()
	r := &activityReader{r: bytes.NewReader([]byte("record bytes")), wd: wd}
	got, err := io.ReadAll(r)
	if err != nil || string(got) != "record bytes" || wd.fired.Load() {
		t.Fatalf("got %q, %v, fired %v", got, err, wd.fired.Load())
	}
}

// TestBytesReadWhileTheSinkHoldsTheWatchdogDoNotRearmIt: the opener reads
// ahead while the sink writes; its reads must not start the stall timer
// that the sink paused, or a slow player would count as a stalled server.
func TestBytesReadWhileTheSinkHoldsTheWatchdogDoNotRearmIt(t *testing.T) {
	wd := newWatchdog(1<<40, func() {}) // never fires within the test
	defer wd.stop()
	r := &activityReader{r: bytes.NewReader([]byte("record bytes")), wd: wd}
	wd.pause()
	if _, err := io.ReadAll(r); err != nil {
		t.Fatal(err)
	}
	if wd.timer.Stop() {
		t.Fatal("a read during the sink's pause rearmed the watchdog")
	}
	wd.resume()
	if !wd.timer.Stop() {
		t.Fatal("the end of the sink's pause did not rearm the watchdog")
	}
	wd.resume()
	r.r = bytes.NewReader([]byte("more"))
	wd.timer.Stop()
	if _, err := io.ReadAll(r); err != nil || !wd.timer.Stop() {
		t.Fatalf("a read outside the pause did not rearm the watchdog (%v)", err)
	}
}

func TestAManifestThatDescribesAnotherItemIsRefused(t *testing.T) {
	info := &message.InfoResponse{Info: message.MediaInfo{ID: content.ID{1}}}
	if _, err := verifiedManifest(info, nil); !errors.Is(err, ErrContent) {
		t.Fatalf("an empty manifest: %v", err)
	}
	info.Manifest = []byte("not a manifest")
	if _, err := verifiedManifest(info, nil); !errors.Is(err, ErrContent) {
		t.Fatalf("garbage as a manifest: %v", err)
	}
}

// TestAPlayWithoutAContentVerifierIsRefusedBeforeAnyRequest: the
// connection has no session at all, so any request would panic; the play
// must fail first, with ErrContent, and put nothing in the sink.
func TestAPlayWithoutAContentVerifierIsRefusedBeforeAnyRequest(t *testing.T) {
	var sink bytes.Buffer
	st, err := (&Conn{}).Play(context.Background(), content.ID{1}, &sink, PlayOptions{})
	if !errors.Is(err, ErrContent) || st != nil || sink.Len() != 0 {
		t.Fatalf("Play = %v, %v, %d bytes", st, err, sink.Len())
	}
}
