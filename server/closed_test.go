package server_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"securemedia/client"
	"securemedia/content"
	"securemedia/internal/testbed"
	"securemedia/server"
)

// pausingCatalog holds the first Open of an item until released, so that
// a test can act while a fetch is in flight on the server.
type pausingCatalog struct {
	server.Catalog
	once             sync.Once
	opening, release chan struct{}
}

func (c *pausingCatalog) Open(id content.ID) (content.ChunkReader, error) {
	c.once.Do(func() {
		close(c.opening)
		<-c.release
	})
	return c.Catalog.Open(id)
}

func TestASessionTheUserCapClosesWhileItsFetchIsInFlightIsLostNotTamperedWith(t *testing.T) {
	pc := &pausingCatalog{opening: make(chan struct{}), release: make(chan struct{})}
	bed := testbed.New(t, testbed.Options{ChunkSize: testChunk, Users: &testbed.UsersOptions{},
		Limits: server.Limits{MaxSessionsPerUser: 1},
		Server: func(c *server.Config) { pc.Catalog = c.Catalog; c.Catalog = pc }})
	data := randomMedia(t, 5*testChunk+3)
	id := bed.AddMedia(t, "Closed under it", data)
	go func() {
		// The play's first fetch waits inside the server; the same user
		// logs in again, and the cap of one closes the play's session.
		<-pc.opening
		c, err := client.Dial(context.Background(), bed.ClientConfig(t))
		if err != nil {
			t.Error(err)
		} else {
			defer c.Close(context.Background())
		}
		close(pc.release)
	}()
	got, st, err := playWith(t, bed.ClientConfig(t), id, client.PlayOptions{ChunksPerRequest: 2})
	resumedOnce(t, bed, id, data, got, st, err, "a play whose session the server closed under a request (want a lost session, resumed)")
}

// resumedOnce wants a play of id that delivered exactly data, after one
// resume, for one view.
func resumedOnce(t *testing.T, bed *testbed.Bed, id string, data, got []byte, st *client.PlayStats, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if !bytes.Equal(got, data) || st.Resumes != 1 {
		t.Fatalf("%s: %d of %d bytes, %d resumes; want the whole item after one resume", what, len(got), len(data), st.Resumes)
	}
	if n := viewsUsed(t, bed, id); n != 1 {
		t.Fatalf("%s: %d views used, want 1", what, n)
	}
}
