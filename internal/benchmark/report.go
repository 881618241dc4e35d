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
	// WholePlay compares the whole play of a small file with an HTTPS GET.
	WholePlay WholePlayFigures `json:"whole_play"`
	// Targets are issue 13's goals, each checked against its figure.
	Targets []Target `json:"targets"`
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
	// Each side on its own, CPU seconds per GB: the server process's (the
	// securemedia server, or the HTTPS file server) and the bench
	// process's, where only the client runs. The figures above are, per
	// round, their sums.
	SecuremediaServerCPU       []float64 `json:"securemedia_server_cpu_s_per_gb"`
	SecuremediaClientCPU       []float64 `json:"securemedia_client_cpu_s_per_gb"`
	BaselineServerCPU          []float64 `json:"baseline_server_cpu_s_per_gb"`
	BaselineClientCPU          []float64 `json:"baseline_client_cpu_s_per_gb"`
	LikeForLikeServerCPU       []float64 `json:"like_for_like_server_cpu_s_per_gb"`
	LikeForLikeClientCPU       []float64 `json:"like_for_like_client_cpu_s_per_gb"`
	SecuremediaServerCPUMedian float64   `json:"securemedia_server_median_cpu_s_per_gb"`
	SecuremediaClientCPUMedian float64   `json:"securemedia_client_median_cpu_s_per_gb"`
	BaselineServerCPUMedian    float64   `json:"baseline_server_median_cpu_s_per_gb"`
	BaselineClientCPUMedian    float64   `json:"baseline_client_median_cpu_s_per_gb"`
	LikeForLikeServerCPUMedian float64   `json:"like_for_like_server_median_cpu_s_per_gb"`
	LikeForLikeClientCPUMedian float64   `json:"like_for_like_client_median_cpu_s_per_gb"`
	// CPURatio = securemedia / baseline CPU s/GB, both sides (target <=
	// 1.4); ServerCPURatio the same for the servers alone (target <= 1).
	CPURatio       float64 `json:"cpu_ratio"`
	ServerCPURatio float64 `json:"server_cpu_ratio"`
}

// WholePlayFigures compare the whole play of a small file, from a fresh
// connection to the close, with an HTTPS GET of the same file on a fresh
// mutual TLS connection.
type WholePlayFigures struct {
	Size          int64 `json:"size"`
	Chunks        int   `json:"chunks"`
	PlaysPerRound int   `json:"plays_per_round"`
	// WithUser says the server as configured requires the identity card.
	WithUser bool `json:"with_user"`
	// Per round, the median time of one whole play in milliseconds:
	// securemedia as configured (handshake with the device and, WithUser,
	// the identity card; license play; info and manifest; every chunk
	// verified; close), securemedia with the device alone and no license,
	// and the GET.
	SecuremediaMs     []float64 `json:"securemedia_ms"`
	DeviceMs          []float64 `json:"securemedia_device_ms"`
	HTTPSGetMs        []float64 `json:"https_get_ms"`
	SecuremediaMedian float64   `json:"securemedia_median_ms"`
	DeviceMedian      float64   `json:"securemedia_device_median_ms"`
	HTTPSGetMedian    float64   `json:"https_get_median_ms"`
	// Ratio = securemedia as configured / GET (target <= 2); DeviceRatio
	// the same with the device alone.
	Ratio       float64 `json:"ratio"`
	DeviceRatio float64 `json:"device_ratio"`
	// FinishApartMs is the play as configured with the handshake's finish
	// sent on its own rather than with the first request (one round trip
	// more, as before client.Config.FinishWithFirstRequest), in the same
	// rounds; FinishApartRatio its median against the GET.
	FinishApartMs     []float64 `json:"securemedia_finish_apart_ms"`
	FinishApartMedian float64   `json:"securemedia_finish_apart_median_ms"`
	FinishApartRatio  float64   `json:"finish_apart_ratio"`
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
	// Ratio = device-only securemedia / TLS (target >= 1.3); UserRatio the
	// same with the identity card.
	Ratio     float64 `json:"ratio"`
	UserRatio float64 `json:"ratio_with_user,omitempty"`
	// DevicePerSec's handshakes send the finish with the close, as the
	// product sends it with the first request; DeviceFinishApartPerSec is
	// the device-only rate with the finish sent on its own, one round trip
	// more (as before client.Config.FinishWithFirstRequest), in the same
	// rounds; FinishApartRatio is its median against TLS.
	DeviceFinishApartPerSec []float64 `json:"securemedia_device_finish_apart_per_s"`
	DeviceFinishApartMedian float64   `json:"securemedia_device_finish_apart_median_per_s"`
	FinishApartRatio        float64   `json:"ratio_finish_apart"`
	// DeviceWithoutClosePerSec is the device-only rate of those rounds
	// with the finish on its own, timing the handshakes alone and not the
	// closes after them (a diagnostic: the close is one more round trip,
	// which TLS's close_notify is not); WithoutCloseRatio is its median
	// against TLS.
	DeviceWithoutClosePerSec []float64 `json:"securemedia_device_without_close_per_s"`
	DeviceWithoutCloseMedian float64   `json:"securemedia_device_without_close_median_per_s"`
	WithoutCloseRatio        float64   `json:"ratio_without_close"`
	// CPU milliseconds per handshake on each side (medians over the
	// rounds): the server process's and the bench process's.
	DeviceServerCPUMs []float64 `json:"securemedia_device_server_cpu_ms"`
	DeviceClientCPUMs []float64 `json:"securemedia_device_client_cpu_ms"`
	TLSServerCPUMs    []float64 `json:"tls_server_cpu_ms"`
	TLSClientCPUMs    []float64 `json:"tls_client_cpu_ms"`
	DeviceServerCPU   float64   `json:"securemedia_device_server_median_cpu_ms"`
	DeviceClientCPU   float64   `json:"securemedia_device_client_median_cpu_ms"`
	TLSServerCPU      float64   `json:"tls_server_median_cpu_ms"`
	TLSClientCPU      float64   `json:"tls_client_median_cpu_ms"`
}

// Target is one of issue 13's goals and whether the run met it.
type Target struct {
	Name string `json:"name"`
	// Figure is the run's ratio (or MB/s for media add); Want says the
	// goal ("<= 2.00").
	Figure float64 `json:"figure"`
	Want   string  `json:"target"`
	Met    bool    `json:"met"`
}

// Bounds of issue 13's targets.
const (
	targetStreamRatio    = 1.0  // MB/s at least that of TLS
	targetCPURatio       = 1.4  // CPU s/GB both sides at most 1.4x TLS
	targetServerCPURatio = 1.0  // the server's CPU s/GB at most TLS's
	targetWholePlayRatio = 2.0  // a whole play at most 2x a GET
	targetHandshakeRatio = 1.3  // handshakes/s at least 1.3x mutual TLS
	targetChunkCostSlack = 0.10 // 1 MiB vs 1 GiB within 10 %
	targetAddMBps        = 1000 // media add at least 1 GB/s
)

// checkTargets fills r.Targets from the figures.
func (r *Report) checkTargets() {
	s, w, h := r.Stream, r.WholePlay, r.Handshake
	r.Targets = []Target{
		{"streaming MB/s, securemedia/tls", s.Ratio, fmt.Sprintf(">= %.2f", targetStreamRatio), s.Ratio >= targetStreamRatio},
		{"CPU s/GB both sides, securemedia/tls", s.CPURatio, fmt.Sprintf("<= %.2f", targetCPURatio), s.CPURatio > 0 && s.CPURatio <= targetCPURatio},
		{"server CPU s/GB, securemedia/tls file server", s.ServerCPURatio, fmt.Sprintf("<= %.2f", targetServerCPURatio), s.ServerCPURatio > 0 && s.ServerCPURatio <= targetServerCPURatio},
		{"whole play of " + FormatSize(w.Size) + ", securemedia/https get", w.Ratio, fmt.Sprintf("<= %.2f", targetWholePlayRatio), w.Ratio > 0 && w.Ratio <= targetWholePlayRatio},
		{"handshakes/s (device key), securemedia/tls", h.Ratio, fmt.Sprintf(">= %.2f", targetHandshakeRatio), h.Ratio >= targetHandshakeRatio},
	}
	if c := r.ChunkCost; c != nil {
		r.Targets = append(r.Targets, Target{"chunk cost, " + FormatSize(c.Large.Size) + "/" + FormatSize(c.Small.Size) + " item",
			c.Ratio, fmt.Sprintf("%.2f..%.2f", 1-targetChunkCostSlack, 1+targetChunkCostSlack),
			c.Ratio >= 1-targetChunkCostSlack && c.Ratio <= 1+targetChunkCostSlack})
	}
	r.Targets = append(r.Targets, Target{"media add MB/s", r.AddMBps, fmt.Sprintf(">= %d", targetAddMBps), r.AddMBps >= targetAddMBps})
}

// WriteJSON writes r as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteTable writes r as a table for people, issue 13's targets beside
// the figures and checked at the end.
func (r *Report) WriteTable(w io.Writer) error {
	m := r.Machine
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "machine\t%s, %d CPUs, %s/%s, %s, AES instructions: %v\n", m.CPUModel, m.CPUs, m.GOOS, m.GOARCH, m.GoVersion, m.AESHardware)
	fmt.Fprintf(tw, "file\t%s (%d chunks of %s), %d rounds, interleaved\n", FormatSize(r.Size), r.Stream.Chunks, FormatSize(int64(r.ChunkSize)), r.Rounds)
	fmt.Fprintf(tw, "play\t%d chunks, %d per request, %d rekeys, content verified %v\n", r.Stream.Chunks, r.ChunksPerRequest, r.Stream.Rekeys, r.Stream.Verified)
	fmt.Fprintf(tw, "media add\t%.1f MB/s (read, hash, seal, write to the store; target >= %d)\n", r.AddMBps, targetAddMBps)
	fmt.Fprintf(tw, "at-rest open only\t%.1f MB/s (read and open every stored chunk; the baseline does not do this)\n", r.AtRestMBps)
	fmt.Fprintln(tw)
	s := r.Stream
	fmt.Fprintf(tw, "STREAM\tMEDIAN\tCPU s/GB\tSERVER\tCLIENT\tROUNDS MB/s\n")
	fmt.Fprintf(tw, "securemedia %s/%s\t%.1f MB/s\t%.2f\t%.2f\t%.2f\t%s\n", r.Suite, r.Group, s.SecuremediaMedian,
		s.SecuremediaCPUMedian, s.SecuremediaServerCPUMedian, s.SecuremediaClientCPUMedian, joinFloats(s.SecuremediaMBps, "%.1f"))
	fmt.Fprintf(tw, "net/http + crypto/tls 1.3 (%s)\t%.1f MB/s\t%.2f\t%.2f\t%.2f\t%s\n", s.BaselineCipher, s.BaselineMedian,
		s.BaselineCPUMedian, s.BaselineServerCPUMedian, s.BaselineClientCPUMedian, joinFloats(s.BaselineMBps, "%.1f"))
	fmt.Fprintf(tw, "ratio securemedia/baseline\t%.2f\t%.2f\t%.2f\t\t(targets: MB/s >= %.2f, CPU both sides <= %.2f, server CPU <= %.2f)\n",
		s.Ratio, s.CPURatio, s.ServerCPURatio, targetStreamRatio, targetCPURatio, targetServerCPURatio)
	fmt.Fprintf(tw, "like for like: https + at-rest open + manifest check\t%.1f MB/s\t%.2f\t%.2f\t%.2f\t%s\n", s.LikeForLikeMedian,
		s.LikeForLikeCPUMedian, s.LikeForLikeServerCPUMedian, s.LikeForLikeClientCPUMedian, joinFloats(s.LikeForLikeMBps, "%.1f"))
	fmt.Fprintf(tw, "ratio securemedia/like for like\t%.2f\t\t\t\t(the session protocol's own cost)\n", s.LikeForLikeRatio)
	if len(s.UnverifiedMBps) > 0 {
		fmt.Fprintf(tw, "diagnostic: securemedia, content not verified\t%.1f MB/s\t%.2f\t\t\t%s (ratio %.2f)\n",
			s.UnverifiedMedian, s.UnverifiedCPUMedian, joinFloats(s.UnverifiedMBps, "%.1f"), ratio(s.UnverifiedMedian, s.BaselineMedian))
	}
	fmt.Fprintln(tw)
	wp := r.WholePlay
	fmt.Fprintf(tw, "WHOLE PLAY (%s, %d chunks, fresh connection, %d per round)\tMEDIAN\tROUNDS ms\n", FormatSize(wp.Size), wp.Chunks, wp.PlaysPerRound)
	who := "device"
	if wp.WithUser {
		who = "device + identity card"
	}
	fmt.Fprintf(tw, "securemedia, %s, license, manifest, every chunk verified\t%.1f ms\t%s\n", who, wp.SecuremediaMedian, joinFloats(wp.SecuremediaMs, "%.1f"))
	fmt.Fprintf(tw, "diagnostic: the same, the finish sent on its own\t%.1f ms\t%s (ratio %.2f)\n", wp.FinishApartMedian, joinFloats(wp.FinishApartMs, "%.1f"), wp.FinishApartRatio)
	fmt.Fprintf(tw, "securemedia, device only, no license\t%.1f ms\t%s\n", wp.DeviceMedian, joinFloats(wp.DeviceMs, "%.1f"))
	fmt.Fprintf(tw, "https get, mutual tls 1.3\t%.1f ms\t%s\n", wp.HTTPSGetMedian, joinFloats(wp.HTTPSGetMs, "%.1f"))
	fmt.Fprintf(tw, "ratio securemedia/https get\t%.2f\t(target <= %.2f; device only %.2f)\n", wp.Ratio, targetWholePlayRatio, wp.DeviceRatio)
	fmt.Fprintln(tw)
	if c := r.ChunkCost; c != nil {
		fmt.Fprintf(tw, "ONE CHUNK (server without licenses)\tMEDIAN\tP90\tMIDDLE\tEND\n")
		for _, t := range []struct {
			name string
			ct   ChunkTiming
		}{{"small", c.Small}, {"large", c.Large}} {
			fmt.Fprintf(tw, "%s item %s (%d chunks), %d fetches\t%.0f µs\t%.0f µs\t%.0f µs\t%.0f µs\n",
				t.name, FormatSize(t.ct.Size), t.ct.Chunks, t.ct.Fetches, t.ct.MedianMicros, t.ct.P90Micros, t.ct.MiddleMicros, t.ct.EndMicros)
		}
		fmt.Fprintf(tw, "ratio large/small\t%.2f\t(target %.2f..%.2f)\n", c.Ratio, 1-targetChunkCostSlack, 1+targetChunkCostSlack)
		fmt.Fprintln(tw)
	}
	h := r.Handshake
	fmt.Fprintf(tw, "HANDSHAKES (%s server and device, %d per round)\tMEDIAN\tCPU ms SERVER\tCLIENT\tROUNDS\n", h.KeyType, h.PerRound)
	fmt.Fprintf(tw, "securemedia %s/%s, server + device\t%.0f /s\t%.2f\t%.2f\t%s\n", r.Suite, r.Group, h.DeviceMedian, h.DeviceServerCPU, h.DeviceClientCPU, joinFloats(h.DevicePerSec, "%.0f"))
	if len(h.UserPerSec) > 0 {
		fmt.Fprintf(tw, "securemedia, server + device + identity card (%s)\t%.0f /s\t\t\t%s\n", h.UserKeyType, h.UserMedian, joinFloats(h.UserPerSec, "%.0f"))
	}
	fmt.Fprintf(tw, "crypto/tls 1.3 mutual, no resumption\t%.0f /s\t%.2f\t%.2f\t%s\n", h.TLSMedian, h.TLSServerCPU, h.TLSClientCPU, joinFloats(h.TLSPerSec, "%.0f"))
	fmt.Fprintf(tw, "ratio securemedia/tls, same key types\t%.2f\t\t\t(target >= %.2f)\n", h.Ratio, targetHandshakeRatio)
	fmt.Fprintf(tw, "diagnostic: securemedia, the finish sent on its own\t%.0f /s\t\t\t%s (ratio %.2f)\n",
		h.DeviceFinishApartMedian, joinFloats(h.DeviceFinishApartPerSec, "%.0f"), h.FinishApartRatio)
	fmt.Fprintf(tw, "diagnostic: securemedia, the handshakes alone, not the closes\t%.0f /s\t\t\t%s (ratio %.2f)\n",
		h.DeviceWithoutCloseMedian, joinFloats(h.DeviceWithoutClosePerSec, "%.0f"), h.WithoutCloseRatio)
	if len(h.UserPerSec) > 0 {
		fmt.Fprintf(tw, "ratio with the identity card\t%.2f\n", h.UserRatio)
	}
	fmt.Fprintln(tw)
	fmt.Fprintf(tw, "TARGETS (issue 13)\tFIGURE\tTARGET\tMET\n")
	for _, t := range r.Targets {
		met := "no"
		if t.Met {
			met = "yes"
		}
		fmt.Fprintf(tw, "%s\t%.2f\t%s\t%s\n", t.Name, t.Figure, t.Want, met)
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
