//go:build linux

package main

import (
	_ "embed"
	"fmt"
	"os"
	"strings"
)

// limitsMD explains, from the profiles, what limits the figures and why
// a target is missed where one is; BENCHMARKS.md carries it. It is
// written by hand (profiles are read by people) and kept next to the
// program that measures, so a change to either shows up in review.
//
//go:embed limits.md
var limitsMD string

const (
	limitsHeading = "\n## What limits the figures\n\n"
	methodHeading = "\n## How it is measured\n\n"
)

// rewriteLimits replaces the section "What limits the figures" of a
// results file written by -md with limits.md as it is now, leaving the
// figures alone: the explanation can be corrected without measuring again.
func rewriteLimits(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(b)
	i := strings.Index(s, limitsHeading)
	j := strings.Index(s, methodHeading)
	if i < 0 || j < i {
		return fmt.Errorf("%s has no section %q followed by %q: write it with -md first", path,
			strings.TrimSpace(limitsHeading), strings.TrimSpace(methodHeading))
	}
	s = s[:i] + limitsHeading + strings.TrimSpace(limitsMD) + "\n" + s[j:]
	return os.WriteFile(path, []byte(s), 0o644)
}
