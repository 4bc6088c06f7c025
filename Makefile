# Newswatch. The two commands that matter: `make run` and `make test`.
GO      ?= go
BIN     := bin/newswatch
# Debian/Ubuntu packages Fyne's desktop driver (GLFW, cgo) builds against.
DEBS    := libgl1-mesa-dev xorg-dev pkg-config
# Debian/Ubuntu packages the end-to-end test runs with: a virtual X server
# (Xvfb) and a private D-Bus session bus (dbus-run-session).
E2E_DEBS := xvfb dbus

.PHONY: run test build deps lint clean e2e e2e-deps

run: build
	./$(BIN)

build: deps
	CGO_ENABLED=1 $(GO) build -o $(BIN) ./cmd/newswatch

# vet and race-test every package (the UI with Fyne's headless test driver,
# -tags ci), build the desktop binary, then run the end-to-end test on it.
test: deps e2e-deps
	$(GO) vet ./...
	$(GO) vet -tags ci ./...
	CGO_ENABLED=1 $(GO) test -race -tags ci ./...
	CGO_ENABLED=1 $(GO) build -o $(BIN) ./cmd/newswatch
	$(E2E)

# The end-to-end test (e2e/): the real desktop binary under Xvfb, on a
# private D-Bus session bus with a fake notification daemon.
E2E = NEWSWATCH_BIN=$(CURDIR)/$(BIN) dbus-run-session -- $(GO) test -tags e2e -count=1 -v ./e2e/

e2e: build e2e-deps
	$(E2E)

lint:
	@test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt: the files above need formatting"; exit 1; }
	$(GO) vet ./...

# Install the system packages the desktop build needs: with apt-get as
# root, otherwise print the command to run.
deps:
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
		for p in $(DEBS); do \
			dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
		done; \
	elif [ ! -e /usr/include/GL/gl.h ] || [ ! -e /usr/include/X11/Xlib.h ]; then \
		echo "Newswatch's desktop build needs the OpenGL and X11 development headers"; \
		echo "(on Debian/Ubuntu: $(DEBS); on Fedora: mesa-libGL-devel libXcursor-devel libXrandr-devel libXinerama-devel libXi-devel libXxf86vm-devel)."; \
		exit 1; \
	fi; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing$$missing (needed to build the desktop app) ..."; \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends$$missing >/dev/null || exit 1; \
		else \
			echo "Newswatch's desktop build needs these packages:$$missing"; \
			echo "Install them with:"; \
			echo "    sudo apt-get install -y$$missing"; \
			exit 1; \
		fi; \
	fi

# Install the system packages the end-to-end test needs (after those of the
# desktop build), the same way.
e2e-deps: deps
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
		for p in $(E2E_DEBS); do \
			dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
		done; \
	elif ! command -v Xvfb >/dev/null 2>&1 || ! command -v dbus-run-session >/dev/null 2>&1; then \
		echo "Newswatch's end-to-end test needs Xvfb and dbus-run-session"; \
		echo "(on Debian/Ubuntu: $(E2E_DEBS); on Fedora: xorg-x11-server-Xvfb dbus-daemon)."; \
		exit 1; \
	fi; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing$$missing (needed for the end-to-end test) ..."; \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends$$missing >/dev/null || exit 1; \
		else \
			echo "Newswatch's end-to-end test needs these packages:$$missing"; \
			echo "Install them with:"; \
			echo "    sudo apt-get install -y$$missing"; \
			exit 1; \
		fi; \
	fi

clean:
	rm -rf bin
