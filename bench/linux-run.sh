#!/bin/sh
# Boots the Linux personality's benchmark ISO (bench/linux.system) under icount and
# prints its BENCH lines. The run ends when the log says "BENCH done" (QEMU is then
# stopped: the personality need not end the run itself), when QEMU exits, or after
# 900 s. Fails when "BENCH done" is missing or a BENCH-ERROR was printed.
# usage: bench/linux-run.sh "QEMU COMMAND" ISO LOG
set -u
[ $# -eq 3 ] || { echo "usage: $0 \"QEMU COMMAND\" ISO LOG" >&2; exit 2; }
qemu=$1 iso=$2 log=$3
rm -f "$log"
: >"$log"
sh -c "exec $qemu -serial file:$log -cdrom $iso" >"$log.qemu" 2>&1 </dev/null &
pid=$!
waited=0
while kill -0 $pid 2>/dev/null; do
	if grep -q '^BENCH done' "$log" || [ $waited -ge 900 ]; then
		kill $pid 2>/dev/null
		break
	fi
	sleep 1
	waited=$((waited + 1))
done
wait $pid 2>/dev/null
tr -d '\r' <"$log" | grep '^BENCH' || { echo "bench: no results; see $log" >&2; exit 1; }
if grep -q '^BENCH-ERROR' "$log" || ! grep -q '^BENCH done' "$log"; then
	echo "bench: the Linux benchmark did not complete; see $log" >&2
	exit 1
fi
