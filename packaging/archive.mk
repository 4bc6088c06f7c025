# Newswatch for Linux: install it with make.
#
#   make user-install        for you, into ~/.local (no root needed)
#   sudo make install        for everyone, into /usr/local
#   make user-uninstall      remove it again (sudo make uninstall for /usr/local)
#
# PREFIX chooses another place (make install PREFIX=/opt/newswatch); DESTDIR
# installs into a staging directory for packaging. The menu entry starts the
# installed program by its full path, so it works also where PREFIX/bin is not
# on the PATH. Newswatch keeps its data in ~/.local/share/newswatch; neither
# installing nor uninstalling touches it.
#
# This file is the Makefile in the release archive (made by `make package`,
# in the layout `fyne package` uses), where the files are under usr/local;
# the repository's `make install` uses it too, with the *_SRC paths set to the
# files in the repository.

PREFIX  ?= /usr/local
DESTDIR ?=

APPID := org.codeberg.newswatch
SIZES := 16 22 24 32 48 64 128 256 512

BIN_SRC     ?= usr/local/bin/newswatch
DESKTOP_SRC ?= usr/local/share/applications/$(APPID).desktop
ICONS_SRC   ?= usr/local/share/icons/hicolor
ENTRY_SH    ?= ./desktop-entry.sh

BINDIR  = $(PREFIX)/bin
APPSDIR = $(PREFIX)/share/applications
ICONDIR = $(PREFIX)/share/icons/hicolor

.PHONY: default help install uninstall user-install user-uninstall

default help:
	@sed -n '3,6s/^# //p' $(firstword $(MAKEFILE_LIST))

install:
	@case "$(PREFIX)" in /*) ;; *) echo "PREFIX must be an absolute path, not $(PREFIX)" >&2; exit 1;; esac
	install -D -m 0755 "$(BIN_SRC)" "$(DESTDIR)$(BINDIR)/newswatch"
	mkdir -p "$(DESTDIR)$(APPSDIR)"
	sh "$(ENTRY_SH)" "$(BINDIR)/newswatch" < "$(DESKTOP_SRC)" > "$(DESTDIR)$(APPSDIR)/.$(APPID).desktop.tmp"
	chmod 0644 "$(DESTDIR)$(APPSDIR)/.$(APPID).desktop.tmp"
	mv -f "$(DESTDIR)$(APPSDIR)/.$(APPID).desktop.tmp" "$(DESTDIR)$(APPSDIR)/$(APPID).desktop"
	@for n in $(SIZES); do \
		echo "install -D -m 0644 \"$(ICONS_SRC)/$${n}x$${n}/apps/$(APPID).png\" \"$(DESTDIR)$(ICONDIR)/$${n}x$${n}/apps/$(APPID).png\""; \
		install -D -m 0644 "$(ICONS_SRC)/$${n}x$${n}/apps/$(APPID).png" "$(DESTDIR)$(ICONDIR)/$${n}x$${n}/apps/$(APPID).png" || exit 1; \
	done
	@$(MAKE) -s --no-print-directory -f $(firstword $(MAKEFILE_LIST)) refresh-caches
	@echo "Installed Newswatch into $(DESTDIR)$(PREFIX): start it from your applications menu or as $(BINDIR)/newswatch."
	@case ":$$PATH:" in *":$(BINDIR):"*) ;; *) [ -n "$(DESTDIR)" ] || echo "($(BINDIR) is not on your PATH; the menu entry works all the same.)";; esac

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/newswatch" "$(DESTDIR)$(APPSDIR)/$(APPID).desktop"
	@for n in $(SIZES); do \
		echo "rm -f \"$(DESTDIR)$(ICONDIR)/$${n}x$${n}/apps/$(APPID).png\""; \
		rm -f "$(DESTDIR)$(ICONDIR)/$${n}x$${n}/apps/$(APPID).png" || exit 1; \
	done
	@$(MAKE) -s --no-print-directory -f $(firstword $(MAKEFILE_LIST)) refresh-caches

user-install:
	@$(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) install PREFIX="$(HOME)/.local"

user-uninstall:
	@$(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) uninstall PREFIX="$(HOME)/.local"

# Tell the desktop the icons changed (the icon theme specification: touch
# the theme's directory) and refresh a GTK icon cache if there is one; a
# staging install (DESTDIR) leaves this to the package manager.
.PHONY: refresh-caches
refresh-caches:
	@if [ -z "$(DESTDIR)" ] && [ -d "$(ICONDIR)" ]; then \
		touch -c "$(ICONDIR)"; \
		if [ -f "$(ICONDIR)/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null 2>&1; then \
			gtk-update-icon-cache -q -t -f "$(ICONDIR)" || true; \
		fi; \
	fi
