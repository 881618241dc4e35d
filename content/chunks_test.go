package content

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestChunkLenFollowsTheItemsGeometry(t *testing.T) {
	tests := []struct {
		name            string
		size            int64
		chunkSize       int
		idx             uint32
		want, wantCount int64
	}{
		{"an empty item has one empty chunk", 0, 16, 0, 0, 1},
		{"a full chunk before the last", 40, 16, 1, 16, 3},
		{"the last chunk holds the remainder", 40, 16, 2, 8, 3},
		{"an exact multiple ends with a full chunk", 32, 16, 1, 16, 2},
		{"an index past the end has no bytes", 32, 16, 2, 0, 2},
		{"no geometry at all has no bytes", 0, 0, 0, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ChunkLen(tt.size, tt.chunkSize, tt.idx); int64(got) != tt.want {
				t.Fatalf("ChunkLen = %d, want %d", got, tt.want)
			}
			if got := ChunkCount(tt.size, max(tt.chunkSize, 1)); tt.chunkSize > 0 && got != tt.wantCount {
				t.Fatalf("ChunkCount = %d, want %d", got, tt.wantCount)
			}
		})
	}
}

func TestCheckGeometry(t *testing.T) {
	for _, tc := range []struct {
		name      string
		size      int64
		chunkSize int
		ok        bool
	}{
		{"the smallest chunk size", 0, MinChunkSize, true},
		{"the largest item at the largest chunk size", MaxChunks * MaxChunkSize, MaxChunkSize, true},
		{"a chunk size below the minimum", 0, MinChunkSize - 1, false},
		{"a chunk size above the maximum", 0, MaxChunkSize + 1, false},
		{"one byte more than MaxChunks chunks", MaxChunks*MinChunkSize + 1, MinChunkSize, false},
		{"a negative size", -1, MinChunkSize, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := CheckGeometry(tc.size, tc.chunkSize); (err == nil) != tc.ok {
				t.Fatalf("CheckGeometry = %v", err)
			}
		})
	}
}

func TestIDText(t *testing.T) {
	const hex = "00112233445566778899aabbccddeeff"
	id, err := ParseID(hex)
	if err != nil || id.String() != hex || id[15] != 0xff {
		t.Fatalf("ParseID = %v, %v", id, err)
	}
	if up, err := ParseID(strings.ToUpper(hex)); err != nil || up != id {
		t.Fatalf("upper-case hex: %v, %v", up, err)
	}
	for _, bad := range []string{"", "../x", hex[:31], hex + "0", "zz" + hex[2:]} {
		if _, err := ParseID(bad); err == nil {
			t.Errorf("ParseID(%q) accepted", bad)
		}
	}
	b, err := json.Marshal(struct{ ID ID }{id})
	if err != nil || string(b) != `{"ID":"`+hex+`"}` {
		t.Fatalf("json = %s, %v", b, err)
	}
	var back struct{ ID ID }
	if err := json.Unmarshal(b, &back); err != nil || back.ID != id {
		t.Fatalf("json back = %v, %v", back.ID, err)
	}
	if err := json.Unmarshal([]byte(`{"ID":"nope"}`), &back); err == nil {
		t.Fatal("a malformed id decoded")
	}
}
