package client

import (
	"bytes"
	"io"
	"securemedia/content"
	"securemedia/message"
	"testing"
)

func TestChunkLenFollowsTheItemsGeometry(t *testing.T) {
	tests := []struct {
		name string
		mi   message.MediaInfo
		idx  uint32
		want uint64
	}{
		{"an empty item has one empty chunk", message.MediaInfo{Size: 0, ChunkSize: 16, Chunks: 1}, 0, 0},
		{"a full chunk before the last", message.MediaInfo{Size: 40, ChunkSize: 16, Chunks: 3}, 1, 16},
		{"the last chunk holds the remainder", message.MediaInfo{Size: 40, ChunkSize: 16, Chunks: 3}, 2, 8},
		{"an exact multiple ends with a full chunk", message.MediaInfo{Size: 32, ChunkSize: 16, Chunks: 2}, 1, 16},
		{"no chunks at all", message.MediaInfo{}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := chunkLen(tt.mi, tt.idx); got != tt.want {
				t.Fatalf("chunkLen = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestTheActivityReaderPassesBytesThrough(t *testing.T) {
	wd := newWatchdog(1<<40, func() {}) // never fires within the test
	defer wd.stop()
	r := &activityReader{r: bytes.NewReader([]byte("record bytes")), wd: wd}
	got, err := io.ReadAll(r)
	if err != nil || string(got) != "record bytes" || wd.fired.Load() {
		t.Fatalf("got %q, %v, fired %v", got, err, wd.fired.Load())
	}
}

func TestAManifestThatDescribesAnotherItemIsRefused(t *testing.T) {
	info := &message.InfoResponse{Info: message.MediaInfo{ID: content.ID{1}}}
	if _, err := verifiedManifest(info, nil); err == nil {
		t.Fatal("an empty manifest was accepted")
	}
	info.Manifest = []byte("not a manifest")
	if _, err := verifiedManifest(info, nil); err == nil {
		t.Fatal("garbage was accepted as a manifest")
	}
}
