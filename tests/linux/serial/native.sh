#!/bin/bash
# native.sh BUSYBOX DRIVER LOG: runs an interactive scenario's driver (jobs.sh, vi.sh)
# against busybox's shell on a pseudo-terminal of the build machine, to show that what
# the driver expects is what busybox does on Linux. util-linux's `script` makes the
# pseudo-terminal and relays a FIFO pair, as QEMU does the guest's com1, with the shell
# in an empty scratch folder and the variables of tests/linux/run-native.sh, PATH a
# folder holding only busybox (as /bin in the root image), PS1 the guest's `/ # ` and
# the guest terminal's size.
# The driver gets the scratch folder as its third argument (where it may write files).
# Exit status: the driver's. Run by make test-unit.
set -u
[ $# -eq 3 ] || { echo "usage: $0 BUSYBOX DRIVER LOG" >&2; exit 2; }
busybox=$(realpath "$1") driver=$2 log=$3
name=$(basename "$driver" .sh)
command -v script >/dev/null || { echo "$name-native: needs util-linux's script" >&2; exit 1; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/tty-native.XXXXXX")
shell=
cleanup() {
	[ -n "$shell" ] && kill "$shell" 2>/dev/null
	rm -rf "$scratch"
}
trap cleanup EXIT
mkdir "$scratch/bin" "$scratch/work"
ln -s "$busybox" "$scratch/bin/busybox"
mkfifo "$scratch/tty.in" "$scratch/tty.out"

# The guest's terminal says it has 24 rows of 80 columns (TIOCGWINSZ): so does this one.
(cd "$scratch/work" && exec script -qfec "stty rows 24 cols 80; exec env -i PATH=$scratch/bin \
	HOME=/root LC_ALL=C TERM=dumb PS1='/ # ' $busybox sh -i" /dev/null <"$scratch/tty.in" \
	>"$scratch/tty.out" 2>"$scratch/script.err") &
shell=$!
# Bounded: a driver that hangs on a bad expectation still ends.
timeout 120 "$driver" "$scratch/tty" "$log" "$scratch/work"
status=$?
[ $status -eq 124 ] && echo "$name-native: the driver took more than 120 s" >&2
# (script's own words, "Session terminated...", matter only when something failed.)
[ $status -ne 0 ] && sed "s/^/$name-native: script: /" "$scratch/script.err" >&2
exit $status
