package demo

import (
	"encoding/binary"
	"math"
)

// silenceWAV is a WAV of the demo's format holding ms milliseconds of
// silence: what the player is fed to see whether it can play at all.
func silenceWAV(ms int) []byte { return wavPCM(44100 * ms / 1000) }

// wavPCM returns a PCM WAV (16-bit stereo, 44.1 kHz) of n silent frames,
// header filled in.
func wavPCM(n int) []byte {
	const rate, channels, bits = 44100, 2, 16
	data := make([]byte, 44+n*channels*bits/8)
	copy(data[0:], "RIFF")
	binary.LittleEndian.PutUint32(data[4:], uint32(len(data)-8))
	copy(data[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(data[16:], 16)
	binary.LittleEndian.PutUint16(data[20:], 1) // PCM
	binary.LittleEndian.PutUint16(data[22:], channels)
	binary.LittleEndian.PutUint32(data[24:], rate)
	binary.LittleEndian.PutUint32(data[28:], rate*channels*bits/8)
	binary.LittleEndian.PutUint16(data[32:], channels*bits/8)
	binary.LittleEndian.PutUint16(data[34:], bits)
	copy(data[36:], "data")
	binary.LittleEndian.PutUint32(data[40:], uint32(n*channels*bits/8))
	return data
}

// synthWAV returns a PCM WAV (16-bit stereo, 44.1 kHz) of a soft A-major
// chord with a slow fade, seconds long: a demo file made on the spot, so
// the demo needs no media of its own and writes none to disk.
func synthWAV(seconds int) []byte {
	const rate = 44100
	n := rate * seconds
	data := wavPCM(n)
	freqs := []float64{440, 554.37, 659.25}
	for i := 0; i < n; i++ {
		t := float64(i) / rate
		env := math.Min(1, t*4) * math.Min(1, float64(n-i)/rate*2)
		var v float64
		for _, f := range freqs {
			v += math.Sin(2 * math.Pi * f * t)
		}
		s := int16(v / float64(len(freqs)) * 0.3 * env * math.MaxInt16)
		off := 44 + i*4
		binary.LittleEndian.PutUint16(data[off:], uint16(s))
		binary.LittleEndian.PutUint16(data[off+2:], uint16(s))
	}
	return data
}
