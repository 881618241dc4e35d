package main

import "runtime/debug"

// version is what --version prints: the module version the binary was
// built at, and the VCS revision when the build recorded one.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (no build information)"
	}
	return versionOf(info)
}

// versionOf formats the version of a build, e.g.
// "v1.2.0 (revision 9f3c2e1..., modified)".
func versionOf(info *debug.BuildInfo) string {
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var revision string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	switch {
	case revision != "" && modified:
		v += " (revision " + revision + ", modified)"
	case revision != "":
		v += " (revision " + revision + ")"
	}
	return v
}
