// Package localefix keeps Fyne from logging "Error parsing user locale C"
// on systems whose locale is C.UTF-8 (the default of Debian, Ubuntu and
// most containers). Fyne's locale lookup reads C.UTF-8 as the language
// tag "C" and logs an error while its package initializes, i.e. before
// main runs, on every start, even of a headless subcommand.
//
// Go initializes packages in import-path order when their dependencies
// allow (the spec's rule since Go 1.21), and this package's path sorts
// before fyne.io and depends only on os, so its init runs first. It sets
// LANGUAGE=en when the locale is C or POSIX with an encoding and LANGUAGE
// is unset: the locale lookup then answers "en" without an error, and
// programs started from Newswatch ignore LANGUAGE under a C locale anyway.
// cmd/newswatch's tests check that the binary stays quiet.
package localefix

import (
	"os"
	"strings"
)

func init() {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	for _, env := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(env)
		if v == "" {
			continue
		}
		if strings.HasPrefix(v, "C.") || strings.HasPrefix(v, "POSIX.") {
			os.Setenv("LANGUAGE", "en")
		}
		return
	}
}
