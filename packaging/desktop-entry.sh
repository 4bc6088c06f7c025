#!/bin/sh
# desktop-entry.sh PROGRAM < ENTRY.desktop > OUT.desktop
#
# Copies a desktop entry, setting its Exec line to run PROGRAM (the
# installed binary's absolute path, so the menu entry works also when
# ~/.local/bin is not on the desktop session's PATH). PROGRAM is quoted as
# the Desktop Entry Specification says when it holds anything but
# A-Z a-z 0-9 _ . / + , : @ = -: in double quotes, with " ` $ and \ escaped
# by a backslash, every backslash then escaped once more, and % doubled —
# exactly as internal/autostart.ExecLine does (packaging_test.go checks).
set -eu
export LC_ALL=C
if [ $# -ne 1 ] || [ -z "$1" ]; then
	echo "usage: $0 PROGRAM < ENTRY.desktop > OUT.desktop" >&2
	exit 2
fi
program=$1
case $program in
*[[:cntrl:]]*)
	echo "$0: the path $program has a control character; a desktop entry cannot run it" >&2
	exit 1
	;;
*[!A-Za-z0-9_./+,:@=-]*)
	program=\"$(printf '%s\n' "$program" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g' -e 's/%/%%/g')\"
	;;
esac
EXEC_LINE=$program awk 'index($0, "Exec=") == 1 { print "Exec=" ENVIRON["EXEC_LINE"]; next } { print }'
