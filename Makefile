# Newswatch. The two commands that matter: `make run` and `make test`.
GO      ?= go
BIN     := bin/newswatch
# Debian/Ubuntu packages Fyne's desktop driver (GLFW, cgo) builds against.
DEBS    := libgl1-mesa-dev xorg-dev pkg-config
# Debian/Ubuntu packages the end-to-end test runs with: a virtual X server
# (Xvfb) and a private D-Bus session bus (dbus-run-session).
E2E_DEBS := xvfb dbus

.PHONY: run test build deps lint clean e2e e2e-deps killtest corpus

run: build
	./$(BIN)

build: deps
	CGO_ENABLED=1 $(GO) build -o $(BIN) ./cmd/newswatch

# vet and race-test every package (the UI with Fyne's headless test driver,
# -tags ci), run the hostile-server test once more at full size (a feed of
# 50,000 items is too slow for the race detector), build the desktop
# binary, then run the end-to-end tests on it.
test: deps e2e-deps
	$(GO) vet ./...
	$(GO) vet -tags ci ./...
	CGO_ENABLED=1 $(GO) test -race -tags ci ./...
	$(GO) test -count=1 -run TestHostileServers ./monitor/
	CGO_ENABLED=1 $(GO) build -o $(BIN) ./cmd/newswatch
	$(E2E)

# The end-to-end test (e2e/): the real desktop binary under Xvfb, on a
# private D-Bus session bus with a fake notification daemon.
E2E = NEWSWATCH_BIN=$(CURDIR)/$(BIN) dbus-run-session -- $(GO) test -tags e2e -count=1 -v ./e2e/

e2e: build e2e-deps
	$(E2E)

# The long crash test: SIGKILLs `newswatch check` KILLS times at random
# moments (e2e/crash_test.go); headless, no X server or D-Bus needed.
KILLS ?= 500
killtest: build
	NEWSWATCH_KILLS=$(KILLS) NEWSWATCH_BIN=$(CURDIR)/$(BIN) $(GO) test -tags e2e -count=1 -timeout 30m -v -run TestKillDuringChecks ./e2e/

# Every feed of a corpus through the real pipeline (loopback fetch, charset,
# parse, normalize, match); fails on a panic, a hang or a heap over 512 MB.
CORPUS ?= ../shared/corpus
corpus:
	$(GO) run ./cmd/corpus $(CORPUS)

lint:
	@test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt: the files above need formatting"; exit 1; }
	$(GO) vet ./...

# Install the system packages the desktop build and the end-to-end test
# need: with apt-get as root, otherwise print the command to run.
deps:
	@sh scripts/debs.sh "to build the desktop app" $(DEBS)

e2e-deps: deps
	@sh scripts/debs.sh "for the end-to-end test" $(E2E_DEBS)

clean:
	rm -rf bin
