# Newswatch. The two commands that matter: `make run` and `make test`.
GO      ?= go
BIN     := bin/newswatch
# Debian/Ubuntu packages Fyne's desktop driver (GLFW, cgo) builds against.
DEBS    := libgl1-mesa-dev xorg-dev pkg-config
# Debian/Ubuntu packages the end-to-end test runs with: a virtual X server
# (Xvfb) and a private D-Bus session bus (dbus-run-session); and
# desktop-file-validate, which checks the menu entry make install writes.
E2E_DEBS := xvfb dbus desktop-file-utils
# The Debian package of the PostgreSQL server: the tests of the team
# database (monitor/pgstore, cli's migrate, e2e's pollers) start a
# throw-away cluster with its initdb (internal/pgtest). Where it is
# installed they must run (NEWSWATCH_REQUIRE_POSTGRES=1: a server that
# cannot be started fails them); where it is not, they are skipped.
PG_DEBS := postgresql
PG_REQUIRE = $$(ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && echo 1)

.PHONY: run test build deps lint clean e2e e2e-deps pg-deps killtest corpus install uninstall package bench \
	windows windows-deps wine-deps package-windows windows-smoke

run: build
	./$(BIN)

build: deps
	CGO_ENABLED=1 $(GO) build -o $(BIN) ./cmd/newswatch

# vet and race-test every package (the UI with Fyne's headless test driver,
# -tags ci; the team database's tests on PostgreSQL where it can be
# installed), run the hostile-server test once more at full size (a feed of
# 50,000 items is too slow for the race detector), build the desktop
# binary, then run the end-to-end tests on it, and the Windows smoke test
# (below) where Wine and MinGW-w64 can be installed.
test: deps e2e-deps pg-deps
	$(GO) vet ./...
	$(GO) vet -tags ci ./...
	NEWSWATCH_REQUIRE_POSTGRES=$(PG_REQUIRE) CGO_ENABLED=1 $(GO) test -race -tags ci ./...
	$(GO) test -count=1 -run TestHostileServers ./monitor/
	CGO_ENABLED=1 $(GO) build -o $(BIN) ./cmd/newswatch
	$(E2E)
	@if sh scripts/debs.sh "for the Windows smoke test" $(WINDOWS_DEBS) $(WINE_DEBS) && \
		command -v x86_64-w64-mingw32-gcc >/dev/null && command -v wine >/dev/null; then \
		$(MAKE) --no-print-directory windows-smoke; \
	else \
		echo "make test: Wine or MinGW-w64 cannot be installed here; the Windows smoke test is skipped" >&2; \
	fi

# The end-to-end test (e2e/): the real desktop binary under Xvfb, on a
# private D-Bus session bus with a fake notification daemon.
E2E = NEWSWATCH_REQUIRE_POSTGRES=$(PG_REQUIRE) NEWSWATCH_BIN=$(CURDIR)/$(BIN) dbus-run-session -- $(GO) test -tags e2e -count=1 -v ./e2e/

e2e: build e2e-deps
	$(E2E)

# The long crash test: KILLS rounds of SIGKILLing `newswatch check` at random
# moments (e2e/crash_test.go); headless, no X server or D-Bus needed.
KILLS ?= 500
killtest: build
	NEWSWATCH_KILLS=$(KILLS) NEWSWATCH_BIN=$(CURDIR)/$(BIN) $(GO) test -tags e2e -count=1 -timeout 30m -v -run TestKillDuringChecks ./e2e/

# Every feed of a corpus through the real pipeline (loopback fetch, charset,
# parse, normalize, match); fails on a panic, a hang or a heap over 512 MB.
CORPUS ?= ../shared/corpus
corpus:
	$(GO) run ./cmd/corpus $(CORPUS)

# The benchmarks (cmd/bench): check cycles of 1,000 feeds against a
# loopback server, newsboat on the same feeds (installed when it can be),
# topic matching, backtests over 100,000 and 1,000,000 stories, the
# desktop app under Xvfb (built by the bench with -tags bench as
# bin/newswatch-bench, an hour of it in the soak); prints the table and
# writes BENCHMARKS.md. The generated stores are kept in
# $$TMPDIR/newswatch-bench between runs.
bench: deps e2e-deps
	@sh scripts/debs.sh "for the newsboat comparison" newsboat || echo "make bench: newsboat is missing; its rows are skipped" >&2
	@sh scripts/debs.sh "for the team database rows" $(PG_DEBS) || echo "make bench: PostgreSQL is missing; the team database rows fail" >&2
	$(GO) run ./cmd/bench -md BENCHMARKS.md

# gofmt, and go vet for Linux, Windows and macOS, with and without Fyne's
# headless test driver (-tags ci). Windows is vetted without cgo (the
# desktop app's files then drop out: a build without cgo is the command
# line alone) and with cgo through MinGW-w64 (Fyne's GLFW driver needs it). Fyne needs cgo on macOS even for
# its widgets, and there is no macOS C compiler here: the macOS vet covers
# the packages that do not import Fyne; on a Mac, `go vet ./...` covers all.
MAC_PKGS = $$(GOOS=darwin $(GO) list -e $(1) -f '{{if or .GoFiles .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{range .Deps}} {{.}}{{end}}{{end}}' ./... | grep -v ' fyne.io/fyne/' | cut -d' ' -f1)
lint: windows-deps
	@test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt: the files above need formatting"; exit 1; }
	$(GO) vet ./...
	$(GO) vet -tags ci ./...
	GOOS=windows $(GO) vet ./...
	$(WINDOWS_ENV) $(GO) vet ./...
	$(WINDOWS_ENV) $(GO) vet -tags ci ./...
	GOOS=darwin $(GO) vet $(call MAC_PKGS)
	GOOS=darwin $(GO) vet -tags ci $(call MAC_PKGS,-tags ci)

# Install the system packages the desktop build and the end-to-end test
# need: with apt-get as root, otherwise print the command to run.
deps:
	@sh scripts/debs.sh "to build the desktop app" $(DEBS)

e2e-deps: deps
	@sh scripts/debs.sh "for the end-to-end test" $(E2E_DEBS)

# PostgreSQL for the tests of the team database: installed with apt-get
# as root; otherwise debs.sh prints the apt-get command, and the tests run
# without it, skipped, as this says.
pg-deps:
	@if sh scripts/debs.sh "for the tests of the team database" $(PG_DEBS) && test -n "$(PG_REQUIRE)"; then \
		echo "make test: PostgreSQL is installed; the tests of the team database run on a throw-away cluster"; \
	else \
		echo "make test: PostgreSQL is not installed, so the tests of the team database (monitor/pgstore, cli's migrate, e2e's pollers) are SKIPPED" >&2; \
	fi

clean:
	rm -rf bin dist $(SYSO)

# Installing. `make install` puts the desktop app, its menu entry and its
# icons into PREFIX (default ~/.local: no root needed); `make uninstall`
# removes exactly those files; DESTDIR stages an install for packaging.
# The work is packaging/archive.mk's, the Makefile of the release archive.
PREFIX   ?= $(HOME)/.local
DESTDIR  ?=
APPID    := org.codeberg.newswatch
INSTALLER = $(MAKE) --no-print-directory -f packaging/archive.mk PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" \
	BIN_SRC=$(BIN) DESKTOP_SRC=packaging/$(APPID).desktop ICONS_SRC=assets/icons/hicolor \
	ENTRY_SH=packaging/desktop-entry.sh

install: build
	@$(INSTALLER) install

uninstall:
	@$(INSTALLER) uninstall

# `make package`: the release archive dist/newswatch-VERSION-linux-ARCH.tar.xz
# in the layout of `fyne package` (usr/local/{bin,share/...} and a Makefile
# with install, user-install, uninstall, user-uninstall), with README.md and
# LICENSE. The version is FyneApp.toml's.
VERSION   = $(shell sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' FyneApp.toml | head -n 1)
ARCH      = $(shell $(GO) env GOARCH)
PKGNAME   = newswatch-$(VERSION)-linux-$(ARCH)
PKGDIR    = dist/$(PKGNAME)

package: deps
	@test -f LICENSE || { echo "make package: there is no LICENSE file; a release archive must carry the licence. Add it as LICENSE and run make package again." >&2; exit 1; }
	@test -n "$(VERSION)" || { echo "make package: FyneApp.toml gives no Version" >&2; exit 1; }
	@test "$$($(GO) env GOOS)" = linux || { echo "make package: makes the Linux archive; GOOS is $$($(GO) env GOOS)" >&2; exit 1; }
	rm -rf $(PKGDIR) $(PKGDIR).tar.xz dist/.newswatch
	CGO_ENABLED=1 $(GO) build -trimpath -ldflags='-s -w' -o dist/.newswatch ./cmd/newswatch
	@$(MAKE) --no-print-directory -f packaging/archive.mk install PREFIX=/usr/local DESTDIR="$(CURDIR)/$(PKGDIR)" \
		BIN_SRC=dist/.newswatch DESKTOP_SRC=packaging/$(APPID).desktop ICONS_SRC=assets/icons/hicolor \
		ENTRY_SH=packaging/desktop-entry.sh >/dev/null
	install -m 0644 packaging/archive.mk $(PKGDIR)/Makefile
	install -m 0755 packaging/desktop-entry.sh $(PKGDIR)/desktop-entry.sh
	install -m 0644 README.md LICENSE $(PKGDIR)/
	tar -C dist --owner=0 --group=0 --numeric-owner --sort=name -cJf $(PKGDIR).tar.xz $(PKGNAME)
	rm -rf $(PKGDIR) dist/.newswatch
	@echo "Made $(PKGDIR).tar.xz"

# Windows. `make windows` cross-builds bin/newswatch.exe on Linux: cgo
# through Debian's MinGW-w64 (Fyne's GLFW driver needs it), linked as a GUI
# program (-H=windowsgui: no console window; the subcommands write to the
# console they are started from, see cmd/newswatch/console_windows.go),
# with the icon, the version and a manifest (per-monitor DPI awareness)
# from FyneApp.toml in a resource file go-winres makes at build time
# (cmd/newswatch/rsrc_windows_amd64.syso, not committed). The first build
# compiles Fyne's driver with MinGW and takes several minutes.
WINDOWS_DEBS := gcc-mingw-w64-x86-64
WINDOWS_EXE  := bin/newswatch.exe
WINDOWS_ENV  := CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc
WINRES       := github.com/tc-hib/go-winres@v0.3.3
SYSO         := cmd/newswatch/rsrc_windows_amd64.syso
APPNAME       = $(shell sed -n 's/^[[:space:]]*Name[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' FyneApp.toml | head -n 1)
APPICON       = $(shell sed -n 's/^[[:space:]]*Icon[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' FyneApp.toml | head -n 1)
BUILDNO       = $(shell sed -n 's/^[[:space:]]*Build[[:space:]]*=[[:space:]]*\([0-9][0-9]*\).*/\1/p' FyneApp.toml | head -n 1)

windows-deps:
	@sh scripts/debs.sh "to cross-build for Windows" $(WINDOWS_DEBS)

windows: windows-deps
	@test -n "$(VERSION)" -a -n "$(APPNAME)" -a -n "$(APPICON)" || { echo "make windows: FyneApp.toml gives no Version, Name or Icon" >&2; exit 1; }
	$(GO) run $(WINRES) simply --arch amd64 --out cmd/newswatch/rsrc --manifest gui \
		--icon "$(APPICON)" --product-name "$(APPNAME)" --file-description "$(APPNAME)" \
		--original-filename newswatch.exe --copyright "$$(sed -n '/^Copyright/{p;q;}' LICENSE)" \
		--product-version "$(VERSION).$(or $(BUILDNO),0)" --file-version "$(VERSION).$(or $(BUILDNO),0)"
	$(WINDOWS_ENV) $(GO) build -trimpath -ldflags='-H=windowsgui -s -w' -o $(WINDOWS_EXE) ./cmd/newswatch
	@echo "Made $(WINDOWS_EXE)"

# `make package-windows`: dist/newswatch-VERSION-windows-amd64.zip with
# newswatch.exe, README.md and LICENSE (unzip anywhere and run the exe).
WINPKG = dist/newswatch-$(VERSION)-windows-amd64.zip

package-windows: windows
	@test -f LICENSE || { echo "make package-windows: there is no LICENSE file; a release archive must carry the licence." >&2; exit 1; }
	@sh scripts/debs.sh "to make the Windows zip" zip
	rm -rf $(WINPKG) dist/.windows
	mkdir -p dist/.windows
	cp $(WINDOWS_EXE) README.md LICENSE dist/.windows/
	cd dist/.windows && TZ=UTC zip -q -X -9 ../$(notdir $(WINPKG)) newswatch.exe README.md LICENSE
	rm -rf dist/.windows
	@echo "Made $(WINPKG)"

# The Windows smoke test (e2e/windows_smoke_test.go): bin/newswatch.exe
# under Wine, in a temporary Wine prefix on a virtual X server (xvfb-run):
# version, feeds add, topics add, check and export --format csv with
# German umlauts, the desktop app's window (screenshot in
# desktop-out/windows-smoke.png), a second start and a clean quit; then
# the Windows unit tests (the TestWindows* tests of every package with a
# _windows_test.go file), compiled for Windows and run under Wine.
WINE_DEBS := wine wine64 xvfb xauth x11-utils xdotool imagemagick

wine-deps: windows-deps
	@sh scripts/debs.sh "for the Windows smoke test" $(WINE_DEBS)

windows-smoke: windows wine-deps
	NEWSWATCH_EXE=$(CURDIR)/$(WINDOWS_EXE) NEWSWATCH_SCREENSHOT=$(CURDIR)/desktop-out/windows-smoke.png \
		xvfb-run -a -s '-screen 0 1280x800x24' $(GO) test -tags winsmoke -count=1 -timeout 30m -v -run TestWindows ./e2e/
