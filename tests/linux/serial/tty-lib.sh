# tty-lib.sh: what the interactive scenario drivers (jobs.sh, vi.sh) share; sourced, not
# run. They talk to busybox's shell on a terminal through a FIFO pair: PATH.in is typed
# into, PATH.out is what the terminal printed (QEMU's `-chardev pipe` on the guest's com1,
# or tests/linux/serial/native.sh's pseudo-terminal on the build machine). Everything
# read is appended to the log.

# tty_open NAME PATH LOG: NAME prefixes every message.
tty_open() {
	tty_name=$1 tty_log=$3
	: > "$tty_log"
	exec 3>"$2.in" 4<"$2.out"
	seen=""
}

fail() {
	echo "$tty_name: $*" >&2
	exit 1
}

# read_until TEXT SECONDS: reads the terminal until what it printed since the last match
# ($seen) holds TEXT; then $got is all of that, up to and including TEXT, and $seen
# starts afresh. Status 1 after SECONDS without it.
read_until() {
	local deadline=$((SECONDS + $2)) c
	while [ $SECONDS -lt $deadline ]; do
		if IFS= read -r -N 1 -t 1 -u 4 c; then
			seen+=$c
			printf '%s' "$c" >> "$tty_log"
			case $seen in *"$1"*) got=$seen seen=""; return 0 ;; esac
		fi
	done
	return 1
}

# wait_for TEXT SECONDS WHY: read_until, failing with WHY and what came instead.
wait_for() {
	read_until "$1" "$2" ||
		fail "$3: no $(printf '%q' "$1") within $2 s; the terminal showed: $(printf '%q' "$seen")"
}

# peek_for TEXT: as read_until, but reads only while the terminal prints (each byte
# within 0.2 s of the last).
peek_for() {
	local c
	while IFS= read -r -N 1 -t 0.2 -u 4 c; do
		seen+=$c
		printf '%s' "$c" >> "$tty_log"
		case $seen in *"$1"*) got=$seen seen=""; return 0 ;; esac
	done
	return 1
}

type_line() { printf '%s\r' "$1" >&3; }
type_keys() { printf "$1" >&3; }

# key_until KEYS TEXT WHY: types KEYS (printf format) until TEXT comes, at most 5
# times, 3 s apart. For a signal key (^Z, ^C) typed while a job starts: the shell may
# not have made it the foreground group yet, and then the key goes to the shell, which
# ignores it.
key_until() {
	local try
	for try in 1 2 3 4 5; do
		type_keys "$1"
		read_until "$2" 3 && return 0
	done
	fail "$3: no $(printf '%q' "$2") after typing $1 five times; the terminal showed: $(printf '%q' "$seen")"
}
