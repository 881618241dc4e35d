package deploy

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"securemedia/media"
)

func TestAMediaSourceFillsInWhatTheOperatorLeftOut(t *testing.T) {
	wav := append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), make([]byte, 600)...)
	path := filepath.Join(t.TempDir(), "chord")
	if err := os.WriteFile(path, wav, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", t.TempDir()) // no ffprobe: the duration stays unknown

	src, err := OpenMediaSource(context.Background(), path, nil, media.AddOptions{ChunkSize: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(src)
	src.Close()
	if err != nil || !bytes.Equal(got, wav) {
		t.Fatalf("read %d bytes, %v; want the file's %d", len(got), err, len(wav))
	}
	if o := src.Options; src.Size != int64(len(wav)) || o.Title != "chord" || o.ContentType != "audio/wave" || o.Duration != 0 || o.ChunkSize != 1<<16 {
		t.Fatalf("size %d, options %+v", src.Size, o)
	}

	src, err = OpenMediaSource(context.Background(), "-", bytes.NewReader(wav), media.AddOptions{Title: "From a pipe", ContentType: "video/mp4"})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if got, _ := io.ReadAll(src); !bytes.Equal(got, wav) || src.Size != -1 || src.Options.Title != "From a pipe" || src.Options.ContentType != "video/mp4" {
		t.Fatalf("stdin: %d bytes, size %d, options %+v", len(got), src.Size, src.Options)
	}

	if _, err := OpenMediaSource(context.Background(), filepath.Join(t.TempDir(), "missing"), nil, media.AddOptions{}); !os.IsNotExist(err) {
		t.Fatalf("a missing file: %v", err)
	}
}
