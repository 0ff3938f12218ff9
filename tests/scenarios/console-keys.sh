#!/bin/sh
# The typist of console.scn: QEMU's monitor is a pair of pipes, OUT/console-mon.in and
# .out (`qemu-args -monitor pipe:OUT/console-mon`). For each serial line "KEYS K..." the
# guest prints, this sends QEMU "sendkey K" for each word, in order. QEMU queues the key
# events, so the presses and releases keep that order. The guest waits for what it asked
# (with a timeout), so the keys' timing does not matter. Started in the background by
# the scenario's setup line; it stops at the guest's "TESTS DONE", or after 300 s.
#   console-keys.sh OUT LOG     LOG: the boot's serial log (the runner's OUT/NAME.log.boot1)
set -eu
out=$1 log=$2 mon=$1/console-mon lines=$1/console-keys.lines
rm -f "$log" "$mon.in" "$mon.out" "$lines"
mkfifo "$mon.in" "$mon.out" "$lines"
cr=$(printf '\r')
(
	# QEMU opens both pipes read-write at start; what the monitor prints goes nowhere.
	timeout 300 cat "$mon.out" >/dev/null &
	timeout 300 tail -F -n +1 "$log" >"$lines" 2>/dev/null &
	tailer=$!
	while IFS= read -r line; do
		line=${line%"$cr"}
		case $line in
		"KEYS "*)
			for key in ${line#KEYS }; do
				echo "sendkey $key" >"$mon.in"
			done ;;
		"TESTS DONE"*)
			break ;;
		esac
	done <"$lines"
	kill "$tailer" 2>/dev/null || true
	rm -f "$lines"
) </dev/null >/dev/null 2>&1 &
