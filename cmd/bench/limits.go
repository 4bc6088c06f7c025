package main

import _ "embed"

// limitsMD explains, from the profiles, what limits the figures and why
// a target is missed where one is; BENCHMARKS.md carries it. It is
// written by hand (profiles are read by people) and kept next to the
// program that measures, so a change to either shows up in review.
//
//go:embed limits.md
var limitsMD string
