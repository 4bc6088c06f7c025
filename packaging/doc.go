// Package packaging holds the files that install Newswatch on Linux, not
// Go code: the desktop entry (org.codeberg.newswatch.desktop), the script
// that points its Exec line at the installed program (desktop-entry.sh),
// and the Makefile of the release archive (archive.mk), which the
// repository's `make install` and `make package` use too. Its tests check
// them against FyneApp.toml and internal/autostart, and install and
// uninstall with archive.mk, without building the app.
package packaging
