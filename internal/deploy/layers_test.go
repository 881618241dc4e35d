package deploy_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// The layering this package holds together (README, "Layout"): only
// the assembly layer knows the configuration files and the at-rest store;
// the libraries take their own Config. These tests read the real import
// graph and the real exported API, so that a shortcut that breaks the
// layering fails here.

// goTool is the go command of the toolchain that runs the tests.
func goTool(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath(filepath.Join(runtime.GOROOT(), "bin", "go")); err == nil {
		return p
	}
	p, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH: the import graph cannot be listed")
	}
	return p
}

func TestTheServerAndTheClientImportNeitherTheConfigurationFilesNorTheAtRestStore(t *testing.T) {
	for _, pkg := range []string{"securemedia/server", "securemedia/client"} {
		out, err := exec.Command(goTool(t), "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		deps := strings.Fields(string(out))
		if len(deps) < 10 {
			t.Fatalf("go list -deps %s listed only %v", pkg, deps)
		}
		for _, d := range deps {
			switch d {
			case "securemedia/internal/config", "securemedia/internal/deploy", "securemedia/media":
				t.Errorf("%s imports %s", pkg, d)
			}
		}
	}
}

// The channel carries application messages without knowing them: no
// exported name of package protocol speaks of the catalog, licenses,
// plays or fetches (package message does).
func TestTheChannelExportsNoApplicationMessage(t *testing.T) {
	dir := filepath.Join("..", "..", "protocol")
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no protocol sources in %s: %v", dir, err)
	}
	application := regexp.MustCompile(`Catalog|License|Play|Fetch|Offer|Renew|MediaInfo|Manifest`)
	exported := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			for _, name := range exportedNames(decl) {
				exported++
				if application.MatchString(name) {
					t.Errorf("protocol exports %s (%s): application messages belong in package message", name, filepath.Base(f))
				}
			}
		}
	}
	if exported < 20 {
		t.Fatalf("found only %d exported names in protocol", exported)
	}
}

// exportedNames are the exported top-level names a declaration declares
// (functions, types, constants, variables; not methods).
func exportedNames(decl ast.Decl) []string {
	var names []string
	switch d := decl.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil && d.Name.IsExported() {
			names = append(names, d.Name.Name)
		}
	case *ast.GenDecl:
		for _, spec := range d.Specs {
			switch s := spec.(type) {
			case *ast.TypeSpec:
				if s.Name.IsExported() {
					names = append(names, s.Name.Name)
				}
			case *ast.ValueSpec:
				for _, n := range s.Names {
					if n.IsExported() {
						names = append(names, n.Name)
					}
				}
			}
		}
	}
	return names
}
