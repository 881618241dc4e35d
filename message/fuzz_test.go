package message

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"securemedia/content"
)

// Fuzz targets for every decoder of the operations. `go test` runs their
// seed corpus (f.Add plus testdata/fuzz); `go test -fuzz FuzzX` explores.

func FuzzParseRequest(f *testing.F) {
	f.Add((&Request{Op: OpFetch, Body: []byte("body")}).Marshal())
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseRequest(data)
		if err != nil {
			return
		}
		if !bytes.Equal(r.Marshal(), data) {
			t.Fatal("request does not round-trip")
		}
	})
}

func FuzzParseResponse(f *testing.F) {
	f.Add((&Response{InReplyTo: 7, Status: StatusPaymentRequired, Flags: FlagRekeyDue, Body: []byte("x")}).Marshal())
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseResponse(data)
		if err != nil {
			return
		}
		if !bytes.Equal(r.Marshal(), data) {
			t.Fatal("response does not round-trip")
		}
	})
}

func FuzzParseCatalog(f *testing.F) {
	items := []MediaInfo{{ID: content.ID{1}, Title: "Sunny Afternoon", ContentType: "audio/wav", Size: 1 << 20,
		ChunkSize: 256 << 10, Chunks: 4, Duration: 3 * time.Second,
		License: LicenseState{Known: true, ViewsLeft: 4, Expires: time.UnixMilli(1_800_000_000_000).UTC()}}}
	f.Add(MarshalCatalog(items))
	f.Add(MarshalCatalog(nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ParseCatalog(data)
		if err != nil {
			return
		}
		again, err := ParseCatalog(MarshalCatalog(got))
		if err != nil || !reflect.DeepEqual(got, again) {
			t.Fatalf("catalog does not round-trip: %v", err)
		}
	})
}

func FuzzParseInfoAndFetch(f *testing.F) {
	f.Add((&InfoResponse{Info: MediaInfo{Title: "t"}, Manifest: []byte("m")}).Marshal())
	f.Add((&FetchRequest{Media: content.ID{2}, First: 3, Count: 4, Grant: []byte("g")}).Marshal())
	f.Add((&FetchResponse{Count: 16}).Marshal())
	f.Add((&ErrorBody{Message: "payment required", Offer: []byte("offer")}).Marshal())
	f.Add((&FetchEnd{Next: 3, Message: "integrity"}).Marshal())
	f.Fuzz(func(t *testing.T, data []byte) {
		if r, err := ParseInfoResponse(data); err == nil {
			if again, err := ParseInfoResponse(r.Marshal()); err != nil || !reflect.DeepEqual(r, again) {
				t.Fatal("info does not round-trip")
			}
		}
		if r, err := ParseFetchRequest(data); err == nil && !bytes.Equal(r.Marshal(), data) {
			t.Fatal("fetch request does not round-trip")
		}
		if r, err := ParseFetchResponse(data); err == nil && !bytes.Equal(r.Marshal(), data) {
			t.Fatal("fetch response does not round-trip")
		}
		if e, err := ParseErrorBody(data); err == nil && !bytes.Equal(e.Marshal(), data) {
			t.Fatal("error body does not round-trip")
		}
		if e, err := ParseFetchEnd(data); err == nil && !bytes.Equal(e.Marshal(), data) {
			t.Fatal("fetch end does not round-trip")
		}
		_, _ = ParseInfoRequest(data)
	})
}
