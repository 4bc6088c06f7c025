#!/bin/sh
# debs.sh PURPOSE PACKAGE... — make sure Debian/Ubuntu packages are
# installed: with apt-get when run as root, otherwise print the command to
# run and fail. On systems without dpkg it only names what is needed.
purpose=$1
shift
if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "Newswatch needs, $purpose, what these Debian packages provide: $*" >&2
	exit 0
fi
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "Installing$missing ($purpose) ..."
	DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends$missing >/dev/null
	exit $?
fi
echo "Newswatch needs these packages $purpose:$missing" >&2
echo "Install them with:" >&2
echo "    sudo apt-get install -y$missing" >&2
exit 1
