package media

import (
	"os"
	"syscall"
)

// startWriteback asks the kernel to start writing the range to disk
// without waiting for it (sync_file_range(2), SYNC_FILE_RANGE_WRITE). It is
// a hint: a failure is left to the fsync that follows.
func startWriteback(f *os.File, off, n int64) {
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	rc.Control(func(fd uintptr) {
		syscall.SyncFileRange(int(fd), off, n, 0x2 /* SYNC_FILE_RANGE_WRITE */)
	})
}
