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

// Run measures the deployment: it writes the source file into o.Dir, adds
// it to the store, starts the server and the HTTPS baseline on loopback,
// and runs the throughput, chunk-cost and handshake comparisons. Items it
// added and the source file are removed before it returns.
func Run(ctx context.Context, d Deployment, o Options) (*Report, error) {
	o = o.withDefaults()
	if d.Server == nil || d.Client == nil || d.Store == nil {
		return nil, errors.New("benchmark: the deployment needs a server and client configuration and a store")
	}
	if o.Dir == "" {
		return nil, errors.New("benchmark: no scratch directory")
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

	// The source file and the item.
	src := filepath.Join(o.Dir, "bench-source.bin")
	fmt.Fprintf(o.Progress, "writing %s of deterministic content to %s\n", FormatSize(o.Size), src)
	if err := writeSource(src, o.Size); err != nil {
		return nil, fmt.Errorf("source file: %w", err)
	}
	defer os.Remove(src)
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
	atRest, n, err := atRestOnce(d.Store, info.ID)
	if err != nil {
		return nil, fmt.Errorf("at-rest read: %w", err)
	}
	r.AtRestMBps = mbps(n, atRest)

	// The servers.
	srv, err := startServer(ctx, d, asConfigured)
	if err != nil {
		return nil, err
	}
	defer srv.close()
	v, err := newViewer(ctx, d, srv.url, o.Suite, o.Group, d.User)
	if err != nil {
		return nil, err
	}
	fs, err := startFileServer(base, src, d.Store)
	if err != nil {
		return nil, err
	}
	defer fs.close()

	if o.CPUProfile != nil {
		if err := pprof.StartCPUProfile(o.CPUProfile); err != nil {
			return nil, fmt.Errorf("cpu profile: %w", err)
		}
	}
	err = r.measureStream(ctx, v, base, fs, d.Store, info, o)
	if o.CPUProfile != nil {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return nil, err
	}
	if !o.SkipChunkCost {
		cc, ids, err := measureChunkCost(ctx, d, v, srv.url, o)
		added = append(added, ids...)
		if err != nil {
			return nil, err
		}
		r.ChunkCost = cc
	}
	devSrv, err := startServer(ctx, d, deviceOnly)
	if err != nil {
		return nil, err
	}
	defer devSrv.close()
	dev, err := newViewer(ctx, d, devSrv.url, o.Suite, o.Group, nil)
	if err != nil {
		return nil, err
	}
	withUser := v
	if d.User == nil {
		withUser = nil
	} else if len(d.User.Chain()) > 0 {
		if leaf, err := x509.ParseCertificate(d.User.Chain()[0]); err == nil {
			r.Handshake.UserKeyType = pki.DescribeKey(leaf.PublicKey)
		}
	}
	if err := r.measureHandshakes(ctx, dev, withUser, base, o); err != nil {
		return nil, err
	}
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
// then again.
func (r *Report) measureStream(ctx context.Context, v *viewer, b *tlsBaseline, fs *fileServer, store *media.Store, info content.Item, o Options) error {
	id := info.ID
	s := &r.Stream
	for round := 1; round <= o.Rounds; round++ {
		pr, err := v.playOnce(ctx, id, info.Size, o.ChunksPerRequest, true)
		if err != nil {
			return err
		}
		s.SecuremediaMBps = append(s.SecuremediaMBps, mbps(info.Size, pr.elapsed))
		s.SecuremediaCPU = append(s.SecuremediaCPU, cpuPerGB(pr.cpu, info.Size))
		s.Chunks, s.Rekeys, s.Verified = pr.stats.Chunks, pr.stats.Rekeys, pr.stats.Verified
		elapsed, cpu, cipher, err := b.httpsOnce(ctx, fs.url, info.Size)
		if err != nil {
			return err
		}
		s.BaselineMBps = append(s.BaselineMBps, mbps(info.Size, elapsed))
		s.BaselineCPU = append(s.BaselineCPU, cpuPerGB(cpu, info.Size))
		s.BaselineCipher = cipher
		elapsed, cpu, err = b.httpsItemOnce(ctx, fs.base, store, info, v.setup.VerifyContent)
		if err != nil {
			return err
		}
		s.LikeForLikeMBps = append(s.LikeForLikeMBps, mbps(info.Size, elapsed))
		s.LikeForLikeCPU = append(s.LikeForLikeCPU, cpuPerGB(cpu, info.Size))
		if o.Unverified {
			pr, err := v.playOnce(ctx, id, info.Size, o.ChunksPerRequest, false)
			if err != nil {
				return err
			}
			s.UnverifiedMBps = append(s.UnverifiedMBps, mbps(info.Size, pr.elapsed))
			s.UnverifiedCPU = append(s.UnverifiedCPU, cpuPerGB(pr.cpu, info.Size))
		}
		fmt.Fprintf(o.Progress, "stream round %d/%d: securemedia %.1f MB/s (%d rekeys), https %.1f MB/s, https like-for-like %.1f MB/s\n",
			round, o.Rounds, s.SecuremediaMBps[round-1], pr.stats.Rekeys, s.BaselineMBps[round-1], s.LikeForLikeMBps[round-1])
	}
	s.SecuremediaMedian, s.BaselineMedian = median(s.SecuremediaMBps), median(s.BaselineMBps)
	s.Ratio = ratio(s.SecuremediaMedian, s.BaselineMedian)
	s.UnverifiedMedian = median(s.UnverifiedMBps)
	s.LikeForLikeMedian, s.LikeForLikeCPUMedian = median(s.LikeForLikeMBps), median(s.LikeForLikeCPU)
	s.LikeForLikeRatio = ratio(s.SecuremediaMedian, s.LikeForLikeMedian)
	s.SecuremediaCPUMedian, s.BaselineCPUMedian, s.UnverifiedCPUMedian = median(s.SecuremediaCPU), median(s.BaselineCPU), median(s.UnverifiedCPU)
	return nil
}

// measureHandshakes runs the interleaved handshake rounds: device-only
// securemedia, securemedia with the identity card (when withUser is set),
// TLS.
func (r *Report) measureHandshakes(ctx context.Context, dev, withUser *viewer, b *tlsBaseline, o Options) error {
	hs, err := startHandshakeServer(b)
	if err != nil {
		return err
	}
	defer hs.close()
	h := &r.Handshake
	h.PerRound = o.Handshakes
	for round := 1; round <= o.Rounds; round++ {
		d, err := dev.smHandshakes(ctx, o.Handshakes)
		if err != nil {
			return err
		}
		h.DevicePerSec = append(h.DevicePerSec, float64(o.Handshakes)/d.Seconds())
		if withUser != nil {
			d, err := withUser.smHandshakes(ctx, o.Handshakes)
			if err != nil {
				return err
			}
			h.UserPerSec = append(h.UserPerSec, float64(o.Handshakes)/d.Seconds())
		}
		d, err = b.tlsHandshakes(ctx, hs.addr, o.Handshakes)
		if err != nil {
			return err
		}
		h.TLSPerSec = append(h.TLSPerSec, float64(o.Handshakes)/d.Seconds())
		fmt.Fprintf(o.Progress, "handshake round %d/%d: securemedia %.0f/s (device), tls %.0f/s\n",
			round, o.Rounds, h.DevicePerSec[round-1], h.TLSPerSec[round-1])
	}
	h.DeviceMedian, h.UserMedian, h.TLSMedian = median(h.DevicePerSec), median(h.UserPerSec), median(h.TLSPerSec)
	h.Ratio, h.UserRatio = ratio(h.DeviceMedian, h.TLSMedian), ratio(h.UserMedian, h.TLSMedian)
	return nil
}
