// Local oracle: BuildKit's Dockerfile lint (DockerfileLint) printed as buildx's --check does.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerui"
	digest "github.com/opencontainers/go-digest"
)

type fakeResolver struct{}

func (fakeResolver) ResolveImageConfig(ctx context.Context, ref string, opt sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	env := []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
	if v := os.Getenv("DFLINT_IMAGE_ENV"); v != "" {
		var m map[string][]string
		if err := json.Unmarshal([]byte(v), &m); err == nil {
			for k, e := range m {
				if strings.Contains(ref, k) {
					env = e
				}
			}
		}
	}
	arch, osName := "amd64", "linux"
	if opt.ImageOpt != nil && opt.ImageOpt.Platform != nil {
		arch, osName = opt.ImageOpt.Platform.Architecture, opt.ImageOpt.Platform.OS
	}
	cfg := map[string]any{
		"architecture": arch,
		"os":           osName,
		"config":       map[string]any{"Env": env, "Cmd": []string{"/bin/sh"}},
		"rootfs":       map[string]any{"type": "layers", "diff_ids": []string{"sha256:0000000000000000000000000000000000000000000000000000000000000000"}},
	}
	dt, _ := json.Marshal(cfg)
	return ref, "", dt, nil
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	var buildArgs multi
	file := flag.String("f", "Dockerfile", "")
	name := flag.String("name", "Dockerfile", "")
	target := flag.String("target", "", "")
	format := flag.String("format", "text", "")
	flag.Var(&buildArgs, "build-arg", "")
	flag.Parse()
	dt, err := os.ReadFile(*file)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	args := map[string]string{}
	for _, a := range buildArgs {
		k, v, _ := strings.Cut(a, "=")
		args[k] = v
	}
	sm := llb.NewSourceMap(nil, *name, "Dockerfile", dt)
	sm.Definition = &llb.Definition{}
	opt := dockerfile2llb.ConvertOpt{
		Config:       dockerui.Config{BuildArgs: args, Target: *target},
		SourceMap:    sm,
		MetaResolver: fakeResolver{},
	}
	res, err := dockerfile2llb.DockerfileLint(context.Background(), dt, opt)
	if err != nil {
		fmt.Fprintln(os.Stderr, "lint:", err)
		os.Exit(2)
	}
	if *format == "json" {
		b, _ := json.MarshalIndent(res, "", "  ")
		fmt.Println(string(b))
		return
	}
	w := os.Stdout
	n := len(res.Warnings)
	if n == 1 {
		fmt.Fprintf(w, "Check complete, 1 warning has been found!\n")
	} else if n > 1 {
		fmt.Fprintf(w, "Check complete, %d warnings have been found!\n", n)
	}
	if err := res.PrintTo(w, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if res.Error != nil {
		if n > 0 {
			fmt.Fprintln(w)
		}
		b := bytes.NewBuffer(nil)
		res.PrintErrorTo(b, nil)
		fmt.Fprintf(os.Stderr, "ERROR: %s", b.String())
		os.Exit(1)
	} else if n == 0 {
		fmt.Fprintln(w, "Check complete, no warnings found.")
	}
	if n > 0 {
		os.Exit(1)
	}
}
