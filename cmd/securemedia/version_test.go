package main

import (
	"runtime/debug"
	"testing"
)

func TestTheVersionNamesTheModuleVersionAndTheRevision(t *testing.T) {
	setting := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	cases := []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"a released module is its version", debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "v1.2.0"},
		{"a build from a checkout has its revision",
			debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: setting("vcs.revision", "9f3c2e1", "vcs.modified", "false")},
			"(devel) (revision 9f3c2e1)"},
		{"uncommitted changes are said",
			debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201000000-9f3c2e1+dirty"}, Settings: setting("vcs.revision", "9f3c2e1", "vcs.modified", "true")},
			"v0.0.0-20261201000000-9f3c2e1+dirty (revision 9f3c2e1, modified)"},
		{"no version at all is a development build", debug.BuildInfo{}, "(devel)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := versionOf(&c.info); got != c.want {
				t.Fatalf("versionOf = %q, want %q", got, c.want)
			}
		})
	}
}
