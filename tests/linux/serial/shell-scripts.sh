#!/bin/sh
# Types every tests/linux/scripts/NAME.sh into the guest's busybox shell through QEMU's
# FIFO pair FIFO.in/FIFO.out (ttydrive --fifo), comparing each one's output with
# build/linux/expected/NAME.out; what the guest printed goes to OUT/NAME.got. With
# --native BUSYBOX instead of a FIFO, the same on a pseudo-terminal of the build machine
# (make test-unit checks so that every script behaves the same typed as run).
# With SHELL_SCRIPTS_CASES=yes, tests/linux/guests/cases.sh (expected/cases.out) is
# typed last, as the personality's guests.scn does (make test-linux-native-shell).
# usage: tests/linux/serial/shell-scripts.sh (FIFO | --native BUSYBOX) OUT [TTYDRIVE]
set -eu
if [ "$1" = --native ]; then
	mode="--native $2"
	shift 2
else
	mode="--fifo $1"
	shift
fi
out=$1 ttydrive=${2:-build/tests/ttydrive}
mkdir -p "$out"
set --
for script in tests/linux/scripts/*.sh; do
	name=$(basename "$script" .sh)
	set -- "$@" "$script" "build/linux/expected/$name.out" "$out/$name.got"
done
if [ "${SHELL_SCRIPTS_CASES:-no}" = yes ]; then
	set -- "$@" tests/linux/guests/cases.sh tests/linux/guests/expected/cases.out "$out/cases.got"
fi
# The guest's scratch folders go under /tmp/tty; natively under a fresh folder.
case $mode in
--native*) base=$(mktemp -d "${TMPDIR:-/tmp}/shell-scripts.XXXXXX")
	trap 'rm -rf "$base"' EXIT ;;
*) base=/tmp/tty ;;
esac
# shellcheck disable=SC2086
exec_status=0
$ttydrive $mode --dir "$base" --raw "$out/raw" "$@" || exec_status=$?
exit $exec_status
