package benchmark

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
)

// Report holds every figure of a run.
type Report struct {
	Machine          Machine `json:"machine"`
	Size             int64   `json:"size"`
	Rounds           int     `json:"rounds"`
	Suite            string  `json:"suite"`
	Group            string  `json:"group"`
	ChunkSize        int     `json:"chunk_size"`
	ChunksPerRequest int     `json:"chunks_per_request"`

	// AddMBps is the media add throughput (read, hash, seal, write).
	AddMBps float64 `json:"add_mb_per_s"`
	// AtRestMBps is reading and opening every stored chunk, alone: the
	// work of a play that the baseline does not do.
	AtRestMBps float64        `json:"at_rest_open_mb_per_s"`
	Stream     StreamFigures  `json:"stream"`
	ChunkCost  *ChunkFigures  `json:"chunk_cost,omitempty"`
	Handshake  HandshakeRates `json:"handshake"`
}

// StreamFigures compare one play with HTTPS serving the same file.
type StreamFigures struct {
	SecuremediaMBps []float64 `json:"securemedia_mb_per_s"`
	BaselineMBps    []float64 `json:"baseline_mb_per_s"`
	// Medians over the rounds, and Ratio = securemedia / baseline.
	SecuremediaMedian float64 `json:"securemedia_median_mb_per_s"`
	BaselineMedian    float64 `json:"baseline_median_mb_per_s"`
	Ratio             float64 `json:"ratio"`
	Chunks            int     `json:"chunks"`
	Rekeys            int     `json:"rekeys"`
	Verified          bool    `json:"verified"`
	BaselineCipher    string  `json:"baseline_cipher"`
	// LikeForLike is the baseline doing the work securemedia does and
	// the baseline does not: opening every chunk from the at-rest
	// encryption on the server, checking it against the signed manifest
	// on the client. Its ratio isolates the cost of the session protocol.
	LikeForLikeMBps      []float64 `json:"like_for_like_mb_per_s"`
	LikeForLikeCPU       []float64 `json:"like_for_like_cpu_s_per_gb"`
	LikeForLikeMedian    float64   `json:"like_for_like_median_mb_per_s"`
	LikeForLikeCPUMedian float64   `json:"like_for_like_median_cpu_s_per_gb"`
	LikeForLikeRatio     float64   `json:"like_for_like_ratio"`
	// UnverifiedMBps is the diagnostic play without content verification
	// (Options.Unverified).
	UnverifiedMBps   []float64 `json:"unverified_mb_per_s,omitempty"`
	UnverifiedMedian float64   `json:"unverified_median_mb_per_s,omitempty"`
	// CPU seconds per GB moved (server and client together, the process's
	// user plus system time): the work, apart from how the two cores
	// overlap it.
	SecuremediaCPU       []float64 `json:"securemedia_cpu_s_per_gb"`
	BaselineCPU          []float64 `json:"baseline_cpu_s_per_gb"`
	UnverifiedCPU        []float64 `json:"unverified_cpu_s_per_gb,omitempty"`
	SecuremediaCPUMedian float64   `json:"securemedia_median_cpu_s_per_gb"`
	BaselineCPUMedian    float64   `json:"baseline_median_cpu_s_per_gb"`
	UnverifiedCPUMedian  float64   `json:"unverified_median_cpu_s_per_gb,omitempty"`
}

// ChunkTiming is the cost of fetching one chunk of one item.
type ChunkTiming struct {
	Size         int64   `json:"size"`
	Chunks       int     `json:"chunks"`
	Fetches      int     `json:"fetches"`
	MedianMicros float64 `json:"median_us"`
	P90Micros    float64 `json:"p90_us"`
	// Middle and end chunk medians, apart.
	MiddleMicros float64 `json:"middle_median_us"`
	EndMicros    float64 `json:"end_median_us"`
}

// ChunkFigures compare the cost of one chunk of a small and a large item.
type ChunkFigures struct {
	Small ChunkTiming `json:"small"`
	Large ChunkTiming `json:"large"`
	// Ratio = large median / small median (target about 1).
	Ratio float64 `json:"ratio"`
}

// HandshakeRates compare full mutually authenticated handshakes, each
// followed by the close, one after the other on fresh connections.
type HandshakeRates struct {
	PerRound int `json:"per_round"`
	// KeyType is the server's and the client device's key; UserKeyType
	// the identity card's ("" when the server requires no user).
	KeyType     string `json:"key_type"`
	UserKeyType string `json:"user_key_type,omitempty"`
	// DevicePerSec: securemedia authenticating the server and the client
	// device only, the same work and key types as mutual TLS.
	DevicePerSec []float64 `json:"securemedia_device_per_s"`
	// UserPerSec: as configured, the identity card also signing the
	// transcript (a third signature and chain, and the user registry).
	UserPerSec   []float64 `json:"securemedia_with_user_per_s,omitempty"`
	TLSPerSec    []float64 `json:"tls_per_s"`
	DeviceMedian float64   `json:"securemedia_device_median_per_s"`
	UserMedian   float64   `json:"securemedia_with_user_median_per_s,omitempty"`
	TLSMedian    float64   `json:"tls_median_per_s"`
	// Ratio = device-only securemedia / TLS (target >= 1); UserRatio the
	// same with the identity card.
	Ratio     float64 `json:"ratio"`
	UserRatio float64 `json:"ratio_with_user,omitempty"`
}

// WriteJSON writes r as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteTable writes r as a table for people.
func (r *Report) WriteTable(w io.Writer) error {
	m := r.Machine
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "machine\t%s, %d CPUs, %s/%s, %s, AES instructions: %v\n", m.CPUModel, m.CPUs, m.GOOS, m.GOARCH, m.GoVersion, m.AESHardware)
	fmt.Fprintf(tw, "file\t%s (%d chunks of %s), %d rounds, interleaved\n", FormatSize(r.Size), r.Stream.Chunks, FormatSize(int64(r.ChunkSize)), r.Rounds)
	fmt.Fprintf(tw, "play\t%d chunks, %d per request, %d rekeys, content verified %v\n", r.Stream.Chunks, r.ChunksPerRequest, r.Stream.Rekeys, r.Stream.Verified)
	fmt.Fprintf(tw, "media add\t%.1f MB/s (read, hash, seal, write to the store)\n", r.AddMBps)
	fmt.Fprintf(tw, "at-rest open only\t%.1f MB/s (read and open every stored chunk; the baseline does not do this)\n", r.AtRestMBps)
	fmt.Fprintln(tw)
	s := r.Stream
	fmt.Fprintf(tw, "STREAM\tMEDIAN\tCPU s/GB\tROUNDS MB/s\n")
	fmt.Fprintf(tw, "securemedia %s/%s\t%.1f MB/s\t%.2f\t%s\n", r.Suite, r.Group, s.SecuremediaMedian, s.SecuremediaCPUMedian, joinFloats(s.SecuremediaMBps, "%.1f"))
	fmt.Fprintf(tw, "net/http + crypto/tls 1.3 (%s)\t%.1f MB/s\t%.2f\t%s\n", s.BaselineCipher, s.BaselineMedian, s.BaselineCPUMedian, joinFloats(s.BaselineMBps, "%.1f"))
	fmt.Fprintf(tw, "ratio securemedia/baseline\t%.2f\t\t(target >= 0.90)\n", s.Ratio)
	fmt.Fprintf(tw, "like for like: https + at-rest open + manifest check\t%.1f MB/s\t%.2f\t%s\n", s.LikeForLikeMedian, s.LikeForLikeCPUMedian, joinFloats(s.LikeForLikeMBps, "%.1f"))
	fmt.Fprintf(tw, "ratio securemedia/like for like\t%.2f\t\t(the session protocol's own cost)\n", s.LikeForLikeRatio)
	if len(s.UnverifiedMBps) > 0 {
		fmt.Fprintf(tw, "diagnostic: securemedia, content not verified\t%.1f MB/s\t%.2f\t%s (ratio %.2f)\n",
			s.UnverifiedMedian, s.UnverifiedCPUMedian, joinFloats(s.UnverifiedMBps, "%.1f"), ratio(s.UnverifiedMedian, s.BaselineMedian))
	}
	fmt.Fprintln(tw)
	if c := r.ChunkCost; c != nil {
		fmt.Fprintf(tw, "ONE CHUNK\tMEDIAN\tP90\tMIDDLE\tEND\n")
		for _, t := range []struct {
			name string
			ct   ChunkTiming
		}{{"small", c.Small}, {"large", c.Large}} {
			fmt.Fprintf(tw, "%s item %s (%d chunks), %d fetches\t%.0f µs\t%.0f µs\t%.0f µs\t%.0f µs\n",
				t.name, FormatSize(t.ct.Size), t.ct.Chunks, t.ct.Fetches, t.ct.MedianMicros, t.ct.P90Micros, t.ct.MiddleMicros, t.ct.EndMicros)
		}
		fmt.Fprintf(tw, "ratio large/small\t%.2f\t(target about 1.00)\n", c.Ratio)
		fmt.Fprintln(tw)
	}
	h := r.Handshake
	fmt.Fprintf(tw, "HANDSHAKES (%s server and device, %d per round)\tMEDIAN\tROUNDS\n", h.KeyType, h.PerRound)
	fmt.Fprintf(tw, "securemedia %s/%s, server + device\t%.0f /s\t%s\n", r.Suite, r.Group, h.DeviceMedian, joinFloats(h.DevicePerSec, "%.0f"))
	if len(h.UserPerSec) > 0 {
		fmt.Fprintf(tw, "securemedia, server + device + identity card (%s)\t%.0f /s\t%s\n", h.UserKeyType, h.UserMedian, joinFloats(h.UserPerSec, "%.0f"))
	}
	fmt.Fprintf(tw, "crypto/tls 1.3 mutual, no resumption\t%.0f /s\t%s\n", h.TLSMedian, joinFloats(h.TLSPerSec, "%.0f"))
	fmt.Fprintf(tw, "ratio securemedia/tls, same key types\t%.2f\t(target >= 1.00)\n", h.Ratio)
	if len(h.UserPerSec) > 0 {
		fmt.Fprintf(tw, "ratio with the identity card\t%.2f\n", h.UserRatio)
	}
	return tw.Flush()
}

func joinFloats(xs []float64, format string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += " "
		}
		out += fmt.Sprintf(format, x)
	}
	return out
}
