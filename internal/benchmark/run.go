package benchmark

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"securemedia/client"
	"securemedia/content"
	"securemedia/media"
	"securemedia/pki"
)

// Run measures the deployment: it writes the source files into o.Dir, adds
// them to the store, starts the servers (the securemedia server and the
// HTTPS baseline) on loopback in a process of their own
// (Options.ServerProgram, which runs ServeServers), and runs the
// throughput, whole-play, chunk-cost and handshake comparisons with the
// clients in this process, so that each side's CPU time is measured on
// its own. The server process is stopped, and the items Run added and the
// source files removed, before it returns, whatever the outcome.
func Run(ctx context.Context, d Deployment, o Options) (*Report, error) {
	o = o.withDefaults()
	if d.Server == nil || d.Client == nil || d.Store == nil {
		return nil, errors.New("benchmark: the deployment needs a server and client configuration and a store")
	}
	if o.Dir == "" {
		return nil, errors.New("benchmark: no scratch directory")
	}
	if len(o.ServerProgram) == 0 {
		return nil, errors.New("benchmark: no server program (Options.ServerProgram)")
	}
	r := &Report{Machine: ThisMachine(), Size: o.Size, Rounds: o.Rounds, Suite: o.Suite.String(), Group: o.Group.String(),
		ChunksPerRequest: o.ChunksPerRequest}
	if r.ChunksPerRequest <= 0 {
		r.ChunksPerRequest = client.DefaultChunksPerRequest
	}
	base, err := newTLSBaseline(d, o.Group)
	if err != nil {
		return nil, err
	}
	r.Handshake.KeyType = base.keyType

	// The source files and their items.
	src := filepath.Join(o.Dir, "bench-source.bin")
	small := filepath.Join(o.Dir, "bench-whole-play.bin")
	fmt.Fprintf(o.Progress, "writing %s of deterministic content to %s\n", FormatSize(o.Size), src)
	defer os.Remove(src)
	defer os.Remove(small)
	if err := writeSource(src, o.Size, streamPlay); err != nil {
		return nil, fmt.Errorf("source file: %w", err)
	}
	if err := writeSource(small, o.WholePlaySize, streamWholePlay); err != nil {
		return nil, fmt.Errorf("source file: %w", err)
	}
	var added []content.ID
	defer func() {
		for _, id := range added {
			if err := d.Store.Remove(id); err != nil {
				fmt.Fprintf(o.Progress, "could not remove the bench item %s: %v\n", id, err)
			}
		}
	}()
	info, elapsed, err := addFile(d.Store, src, "bench "+FormatSize(o.Size))
	if err != nil {
		return nil, err
	}
	added = append(added, info.ID)
	r.AddMBps = mbps(info.Size, elapsed)
	r.ChunkSize = info.ChunkSize
	fmt.Fprintf(o.Progress, "media add: %.1f MB/s\n", r.AddMBps)
	smallInfo, _, err := addFile(d.Store, small, "bench whole play "+FormatSize(o.WholePlaySize))
	if err != nil {
		return nil, err
	}
	added = append(added, smallInfo.ID)
	atRest, n, err := atRestOnce(d.Store, info.ID)
	if err != nil {
		return nil, fmt.Errorf("at-rest read: %w", err)
	}
	r.AtRestMBps = mbps(n, atRest)

	// The servers, in their own process; stopped before the items are
	// removed (deferred after them).
	fmt.Fprintf(o.Progress, "starting the servers in a process of their own\n")
	sp, err := startServerProcess(ctx, o.ServerProgram, serverArgs{serverConfig: d.Server.File(), clientConfig: d.Client.File(),
		group: o.Group, file: src, small: small})
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := sp.close(); err != nil && ctx.Err() == nil {
			fmt.Fprintf(o.Progress, "%v\n", err)
		}
	}()
	m := meter{servers: sp}
	v, err := newViewer(ctx, d, sp.addrs.Securemedia, o.Suite, o.Group, d.User)
	if err != nil {
		return nil, err
	}
	dev, err := newViewer(ctx, d, sp.addrs.DeviceOnly, o.Suite, o.Group, nil)
	if err != nil {
		return nil, err
	}

	if o.CPUProfile != nil {
		if err := pprof.StartCPUProfile(o.CPUProfile); err != nil {
			return nil, fmt.Errorf("cpu profile: %w", err)
		}
	}
	err = r.measureStream(ctx, m, v, base, sp.addrs.HTTPS, d.Store, info, o)
	if o.CPUProfile != nil {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return nil, err
	}
	if err := r.measureWholePlay(ctx, m, v, dev, base, sp.addrs.HTTPS+"/small", smallInfo, d.User != nil, o); err != nil {
		return nil, err
	}
	if !o.SkipChunkCost {
		cc, ids, err := measureChunkCost(ctx, d, dev, sp.addrs.DeviceOnly, o)
		added = append(added, ids...)
		if err != nil {
			return nil, err
		}
		r.ChunkCost = cc
	}
	withUser := v
	if d.User == nil {
		withUser = nil
	} else if len(d.User.Chain()) > 0 {
		if leaf, err := x509.ParseCertificate(d.User.Chain()[0]); err == nil {
			r.Handshake.UserKeyType = pki.DescribeKey(leaf.PublicKey)
		}
	}
	if err := r.measureHandshakes(ctx, m, dev, withUser, base, sp.addrs.Handshake, o); err != nil {
		return nil, err
	}
	r.checkTargets()
	return r, nil
}

// addFile adds path to the store the way `media add` does and times it.
func addFile(s *media.Store, path, title string) (content.Item, time.Duration, error) {
	f, err := os.Open(path)
	if err != nil {
		return content.Item{}, 0, err
	}
	defer f.Close()
	start := time.Now()
	info, err := s.Add(f, media.AddOptions{Title: title, ContentType: "application/octet-stream"})
	if err != nil {
		return content.Item{}, 0, fmt.Errorf("media add: %w", err)
	}
	return info, time.Since(start), nil
}

// measureStream runs the interleaved throughput rounds: securemedia, the
// baseline, the like-for-like baseline (and the unverified diagnostic),
// then again; each timed with both sides' CPU time.
func (r *Report) measureStream(ctx context.Context, m meter, v *viewer, b *tlsBaseline, https string, store *media.Store, info content.Item, o Options) error {
	id := info.ID
	s := &r.Stream
	for round := 1; round <= o.Rounds; round++ {
		var st *client.PlayStats
		elapsed, cpu, err := m.measure(func() (err error) {
			st, err = v.playOnce(ctx, id, info.Size, o.ChunksPerRequest, true)
			return err
		})
		if err != nil {
			return err
		}
		s.SecuremediaMBps = append(s.SecuremediaMBps, mbps(info.Size, elapsed))
		appendCPU(cpu, info.Size, &s.SecuremediaCPU, &s.SecuremediaServerCPU, &s.SecuremediaClientCPU)
		s.Chunks, s.Rekeys, s.Verified = st.Chunks, st.Rekeys, st.Verified
		elapsed, cpu, err = m.measure(func() (err error) {
			s.BaselineCipher, err = b.httpsOnce(ctx, https+"/media", info.Size)
			return err
		})
		if err != nil {
			return err
		}
		s.BaselineMBps = append(s.BaselineMBps, mbps(info.Size, elapsed))
		appendCPU(cpu, info.Size, &s.BaselineCPU, &s.BaselineServerCPU, &s.BaselineClientCPU)
		elapsed, cpu, err = m.measure(func() error {
			return b.httpsItemOnce(ctx, https, store, info, v.setup.VerifyContent)
		})
		if err != nil {
			return err
		}
		s.LikeForLikeMBps = append(s.LikeForLikeMBps, mbps(info.Size, elapsed))
		appendCPU(cpu, info.Size, &s.LikeForLikeCPU, &s.LikeForLikeServerCPU, &s.LikeForLikeClientCPU)
		if o.Unverified {
			elapsed, cpu, err := m.measure(func() error {
				_, err := v.playOnce(ctx, id, info.Size, o.ChunksPerRequest, false)
				return err
			})
			if err != nil {
				return err
			}
			s.UnverifiedMBps = append(s.UnverifiedMBps, mbps(info.Size, elapsed))
			s.UnverifiedCPU = append(s.UnverifiedCPU, cpuPerGB(cpu.both(), info.Size))
		}
		fmt.Fprintf(o.Progress, "stream round %d/%d: securemedia %.1f MB/s (%d rekeys), https %.1f MB/s, https like-for-like %.1f MB/s\n",
			round, o.Rounds, s.SecuremediaMBps[round-1], st.Rekeys, s.BaselineMBps[round-1], s.LikeForLikeMBps[round-1])
	}
	s.SecuremediaMedian, s.BaselineMedian = median(s.SecuremediaMBps), median(s.BaselineMBps)
	s.Ratio = ratio(s.SecuremediaMedian, s.BaselineMedian)
	s.UnverifiedMedian = median(s.UnverifiedMBps)
	s.LikeForLikeMedian, s.LikeForLikeCPUMedian = median(s.LikeForLikeMBps), median(s.LikeForLikeCPU)
	s.LikeForLikeRatio = ratio(s.SecuremediaMedian, s.LikeForLikeMedian)
	s.SecuremediaCPUMedian, s.BaselineCPUMedian, s.UnverifiedCPUMedian = median(s.SecuremediaCPU), median(s.BaselineCPU), median(s.UnverifiedCPU)
	s.SecuremediaServerCPUMedian, s.SecuremediaClientCPUMedian = median(s.SecuremediaServerCPU), median(s.SecuremediaClientCPU)
	s.BaselineServerCPUMedian, s.BaselineClientCPUMedian = median(s.BaselineServerCPU), median(s.BaselineClientCPU)
	s.LikeForLikeServerCPUMedian, s.LikeForLikeClientCPUMedian = median(s.LikeForLikeServerCPU), median(s.LikeForLikeClientCPU)
	s.CPURatio = ratio(s.SecuremediaCPUMedian, s.BaselineCPUMedian)
	s.ServerCPURatio = ratio(s.SecuremediaServerCPUMedian, s.BaselineServerCPUMedian)
	return nil
}

// appendCPU appends a round's CPU seconds per GB: both sides, the server,
// the client.
func appendCPU(c cpuSample, n int64, both, server, client *[]float64) {
	*both = append(*both, cpuPerGB(c.both(), n))
	*server = append(*server, cpuPerGB(c.server, n))
	*client = append(*client, cpuPerGB(c.client, n))
}

// measureWholePlay runs the interleaved whole-play rounds, each of
// o.WholePlays plays of the small item: securemedia as configured,
// securemedia with the device alone and no license, and an HTTPS GET of
// the same file, each from a fresh connection.
func (r *Report) measureWholePlay(ctx context.Context, m meter, v, dev *viewer, b *tlsBaseline, url string, info content.Item, withUser bool, o Options) error {
	w := &r.WholePlay
	w.Size, w.Chunks, w.PlaysPerRound, w.WithUser = info.Size, int(info.Chunks), o.WholePlays, withUser
	for round := 1; round <= o.Rounds; round++ {
		var sm, apart, devOnly, get []time.Duration
		va := v.finishApart()
		for range o.WholePlays {
			for _, run := range []struct {
				into *[]time.Duration
				fn   func() error
			}{
				{&sm, func() error { _, err := v.playOnce(ctx, info.ID, info.Size, o.ChunksPerRequest, true); return err }},
				{&apart, func() error { _, err := va.playOnce(ctx, info.ID, info.Size, o.ChunksPerRequest, true); return err }},
				{&devOnly, func() error { _, err := dev.playOnce(ctx, info.ID, info.Size, o.ChunksPerRequest, true); return err }},
				{&get, func() error { _, err := b.httpsOnce(ctx, url, info.Size); return err }},
			} {
				start := time.Now()
				if err := run.fn(); err != nil {
					return fmt.Errorf("whole play: %w", err)
				}
				*run.into = append(*run.into, time.Since(start))
			}
		}
		w.SecuremediaMs = append(w.SecuremediaMs, millis(percentile(sm, 50)))
		w.FinishApartMs = append(w.FinishApartMs, millis(percentile(apart, 50)))
		w.DeviceMs = append(w.DeviceMs, millis(percentile(devOnly, 50)))
		w.HTTPSGetMs = append(w.HTTPSGetMs, millis(percentile(get, 50)))
		fmt.Fprintf(o.Progress, "whole play round %d/%d: securemedia %.1f ms (finish apart %.1f ms, device only %.1f ms), https get %.1f ms\n",
			round, o.Rounds, w.SecuremediaMs[round-1], w.FinishApartMs[round-1], w.DeviceMs[round-1], w.HTTPSGetMs[round-1])
	}
	w.SecuremediaMedian, w.DeviceMedian, w.HTTPSGetMedian = median(w.SecuremediaMs), median(w.DeviceMs), median(w.HTTPSGetMs)
	w.FinishApartMedian = median(w.FinishApartMs)
	w.FinishApartRatio = ratio(w.FinishApartMedian, w.HTTPSGetMedian)
	w.Ratio, w.DeviceRatio = ratio(w.SecuremediaMedian, w.HTTPSGetMedian), ratio(w.DeviceMedian, w.HTTPSGetMedian)
	return nil
}

// measureHandshakes runs the interleaved handshake rounds: device-only
// securemedia, securemedia with the identity card (when withUser is set),
// TLS; the device-only and TLS rounds with each side's CPU time.
func (r *Report) measureHandshakes(ctx context.Context, m meter, dev, withUser *viewer, b *tlsBaseline, tlsAddr string, o Options) error {
	h := &r.Handshake
	h.PerRound = o.Handshakes
	perHandshake := func(c time.Duration) float64 { return millis(c) / float64(o.Handshakes) }
	for round := 1; round <= o.Rounds; round++ {
		d, cpu, err := m.measure(func() (err error) { _, err = dev.smHandshakes(ctx, o.Handshakes); return err })
		if err != nil {
			return err
		}
		h.DevicePerSec = append(h.DevicePerSec, float64(o.Handshakes)/d.Seconds())
		h.DeviceServerCPUMs = append(h.DeviceServerCPUMs, perHandshake(cpu.server))
		h.DeviceClientCPUMs = append(h.DeviceClientCPUMs, perHandshake(cpu.client))
		start := time.Now()
		dialing, err := dev.finishApart().smHandshakes(ctx, o.Handshakes)
		if err != nil {
			return err
		}
		h.DeviceFinishApartPerSec = append(h.DeviceFinishApartPerSec, float64(o.Handshakes)/time.Since(start).Seconds())
		h.DeviceWithoutClosePerSec = append(h.DeviceWithoutClosePerSec, float64(o.Handshakes)/dialing.Seconds())
		if withUser != nil {
			start := time.Now()
			if _, err := withUser.smHandshakes(ctx, o.Handshakes); err != nil {
				return err
			}
			h.UserPerSec = append(h.UserPerSec, float64(o.Handshakes)/time.Since(start).Seconds())
		}
		d, cpu, err = m.measure(func() error { return b.tlsHandshakes(ctx, tlsAddr, o.Handshakes) })
		if err != nil {
			return err
		}
		h.TLSPerSec = append(h.TLSPerSec, float64(o.Handshakes)/d.Seconds())
		h.TLSServerCPUMs = append(h.TLSServerCPUMs, perHandshake(cpu.server))
		h.TLSClientCPUMs = append(h.TLSClientCPUMs, perHandshake(cpu.client))
		fmt.Fprintf(o.Progress, "handshake round %d/%d: securemedia %.0f/s (device; finish apart %.0f/s), tls %.0f/s\n",
			round, o.Rounds, h.DevicePerSec[round-1], h.DeviceFinishApartPerSec[round-1], h.TLSPerSec[round-1])
	}
	h.DeviceMedian, h.UserMedian, h.TLSMedian = median(h.DevicePerSec), median(h.UserPerSec), median(h.TLSPerSec)
	h.Ratio, h.UserRatio = ratio(h.DeviceMedian, h.TLSMedian), ratio(h.UserMedian, h.TLSMedian)
	h.DeviceWithoutCloseMedian = median(h.DeviceWithoutClosePerSec)
	h.WithoutCloseRatio = ratio(h.DeviceWithoutCloseMedian, h.TLSMedian)
	h.DeviceFinishApartMedian = median(h.DeviceFinishApartPerSec)
	h.FinishApartRatio = ratio(h.DeviceFinishApartMedian, h.TLSMedian)
	h.DeviceServerCPU, h.DeviceClientCPU = median(h.DeviceServerCPUMs), median(h.DeviceClientCPUMs)
	h.TLSServerCPU, h.TLSClientCPU = median(h.TLSServerCPUMs), median(h.TLSClientCPUMs)
	return nil
}
