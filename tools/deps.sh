#!/bin/sh
# Checks that the Debian packages a target needs are installed. As root, installs the
# missing ones (apt-get update first); otherwise prints the exact command and fails.
# Usage: tools/deps.sh <package>...
set -u
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null && exit 0
	echo "deps: apt-get failed for:$missing" >&2
	exit 1
fi
echo "deps: missing Debian packages:$missing" >&2
echo "deps: install them with:  sudo apt-get update && sudo apt-get install -y$missing" >&2
exit 1
