package benchmark

import (
	"bufio"
	"os"
	"runtime"
	"strings"
)

// Machine describes where the figures were taken.
type Machine struct {
	CPUs      int    `json:"cpus"`
	GOOS      string `json:"goos"`
	GOARCH    string `json:"goarch"`
	CPUModel  string `json:"cpu_model"`
	GoVersion string `json:"go_version"`
	// AESHardware tells whether the CPU advertises AES instructions, which
	// is what makes crypto/tls pick AES-128-GCM.
	AESHardware bool `json:"aes_hardware"`
}

// ThisMachine describes the running machine.
func ThisMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, GoVersion: runtime.Version(), CPUModel: "unknown"}
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return m
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		switch key {
		case "model name", "Model", "cpu model":
			if m.CPUModel == "unknown" && val != "" {
				m.CPUModel = val
			}
		case "flags", "Features":
			for _, fl := range strings.Fields(val) {
				if fl == "aes" {
					m.AESHardware = true
				}
			}
		}
	}
	return m
}
