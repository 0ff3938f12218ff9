#!/bin/sh
# Runs a busybox shell script natively with the pinned busybox binary, and writes what it
# prints (stdout and stderr, merged) to OUT: the expected output that the Linux
# personality's scenario tests compare the guest's output with. Never write OUT by hand.
#
# usage: tests/linux/run-native.sh BUSYBOX SCRIPT OUT
#
# The script runs as `busybox sh SCRIPT` in an empty scratch folder (its working
# directory), stdin /dev/null, umask 022, with only these variables: PATH (a folder
# holding only busybox, as /bin in the root image), HOME=/root, LC_ALL=C, TERM=dumb.
# The guest side must run it the same way (tests/linux/README.md). A script that exits
# with a status other than 0 is an error: its output is shown and OUT is not written.
set -eu

[ $# -eq 3 ] || { echo "usage: $0 BUSYBOX SCRIPT OUT" >&2; exit 2; }
busybox=$(realpath "$1")
script=$(realpath "$2")
mkdir -p "$(dirname "$3")"
out=$(realpath "$(dirname "$3")")/$(basename "$3")

scratch=$(mktemp -d "${TMPDIR:-/tmp}/linux-native.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/bin" "$scratch/work"
ln -s "$busybox" "$scratch/bin/busybox"

status=0
(cd "$scratch/work" && umask 022 &&
	env -i PATH="$scratch/bin" HOME=/root LC_ALL=C TERM=dumb \
		"$busybox" sh "$script" </dev/null >"$out.tmp" 2>&1) || status=$?
if [ $status -ne 0 ]; then
	echo "run-native: $2 exited with status $status; its output:" >&2
	sed 's/^/    /' "$out.tmp" >&2
	rm -f "$out.tmp"
	exit 1
fi
mv "$out.tmp" "$out"
