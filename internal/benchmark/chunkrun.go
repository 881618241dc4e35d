package benchmark

import (
	"context"
	"fmt"
	"time"

	"securemedia/content"
	"securemedia/media"
)

// measureChunkCost adds a small and a large item (the large one streamed
// from the generator into the store: it takes LargeSize of disk until Run
// removes it), then over one established session fetches one chunk in the
// middle and the last chunk of each, interleaved, Fetches times per item.
// It returns the ids it added so that Run removes them.
func measureChunkCost(ctx context.Context, d Deployment, v *viewer, url string, o Options) (*ChunkFigures, []content.ID, error) {
	var ids []content.ID
	items := []struct {
		size   int64
		stream byte
	}{{o.SmallSize, 1}, {o.LargeSize, 2}}
	infos := make([]content.Item, len(items))
	for i, it := range items {
		fmt.Fprintf(o.Progress, "chunk cost: adding a %s item\n", FormatSize(it.size))
		info, err := d.Store.Add(newSource(it.size, it.stream), media.AddOptions{Title: "bench chunk cost " + FormatSize(it.size), ContentType: "application/octet-stream"})
		if err != nil {
			return nil, ids, fmt.Errorf("chunk cost: media add: %w", err)
		}
		ids = append(ids, info.ID)
		infos[i] = info
	}

	hc := newPlainHTTPClient()
	defer hc.CloseIdleConnections()
	conn, err := v.dial(ctx, hc)
	if err != nil {
		return nil, ids, fmt.Errorf("chunk cost: %w", err)
	}
	defer closeConn(conn)
	f := newChunkFetcher(conn, hc, url)

	// Targets: small middle, small end, large middle, large end.
	var targets []target
	for _, info := range infos {
		t, err := loadTarget(ctx, conn, info.ID, v.setup.VerifyContent)
		if err != nil {
			return nil, ids, fmt.Errorf("chunk cost: %w", err)
		}
		middle, end := t, t
		middle.index, end.index = t.info.Chunks/2, t.info.Chunks-1
		targets = append(targets, middle, end)
	}
	for _, t := range targets {
		for range warmupFetches {
			if _, err := f.timedFetch(ctx, t); err != nil {
				return nil, ids, fmt.Errorf("chunk cost: %w", err)
			}
		}
	}
	times := make([][]time.Duration, len(targets))
	for range o.Fetches {
		for i, t := range targets {
			d, err := f.timedFetch(ctx, t)
			if err != nil {
				return nil, ids, fmt.Errorf("chunk cost: %w", err)
			}
			times[i] = append(times[i], d)
		}
	}
	timing := func(info content.Item, middle, end []time.Duration) ChunkTiming {
		all := append(append([]time.Duration(nil), middle...), end...)
		return ChunkTiming{Size: info.Size, Chunks: int(info.Chunks), Fetches: len(all),
			MedianMicros: micros(percentile(all, 50)), P90Micros: micros(percentile(all, 90)),
			MiddleMicros: micros(percentile(middle, 50)), EndMicros: micros(percentile(end, 50))}
	}
	cf := &ChunkFigures{Small: timing(infos[0], times[0], times[1]), Large: timing(infos[1], times[2], times[3])}
	cf.Ratio = ratio(cf.Large.MedianMicros, cf.Small.MedianMicros)
	fmt.Fprintf(o.Progress, "chunk cost: small %.0f µs, large %.0f µs per chunk\n", cf.Small.MedianMicros, cf.Large.MedianMicros)
	return cf, ids, nil
}
