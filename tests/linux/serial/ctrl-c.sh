#!/bin/bash
# ctrl-c.sh PATH LOG: the driver of tests/linux/scenarios/ctrl-c.scn. Talks to busybox's
# interactive shell on the guest's second serial port (QEMU's FIFO pair PATH.in,
# PATH.out): starts `sleep 100; echo after-sleep`, types ^C (byte 0x03) while it runs,
# and checks that the terminal's SIGINT ended the job (status 130, the rest of the list
# skipped) and that the shell still answers; then exits it. Everything read goes to LOG.
set -u
in=$1.in out=$1.out log=$2
: > "$log"
exec 3>"$in" 4<"$out"
seen="" got=""

# Waits up to $2 seconds for text $1 in what the terminal printed since the last call.
wait_for() {
	local deadline=$((SECONDS + $2)) c
	while [ $SECONDS -lt $deadline ]; do
		if IFS= read -r -N 1 -t 1 -u 4 c; then
			seen+=$c
			printf '%s' "$c" >> "$log"
			case $seen in *"$1"*) got=$seen; seen=""; return 0 ;; esac
		fi
	done
	echo "ctrl-c: no '$1' within $2 s; the terminal showed: $seen" >&2
	return 1
}

type_line() { printf '%s\r' "$1" >&3; }

wait_for '# ' 300 || exit 1
sleep 1
type_line 'sleep 100; echo after-sleep'
wait_for 'sleep 100; echo after-sleep' 60 || exit 1	# the echo of the line
sleep 3
printf '\003' >&3
wait_for '# ' 60 || exit 1
case $got in *after-sleep*) echo "ctrl-c: the list went on after ^C" >&2; exit 1 ;; esac
type_line 'echo status=$?'
wait_for 'status=130' 60 || exit 1
wait_for '# ' 60 || exit 1
type_line 'exit'
echo "ctrl-c: ^C ended the foreground job (status 130) and the shell went on"
