# tty-lib.sh: what the interactive scenario drivers (jobs.sh, vi.sh) share; sourced, not
# run, by bash with LC_ALL=C. They talk to busybox's shell on a terminal through a FIFO
# pair: PATH.in is typed into, PATH.out is what the terminal printed (QEMU's `-chardev
# pipe` on the guest's com1, or tests/linux/serial/native.sh's pseudo-terminal on the
# build machine). A `cat` copies everything printed to the log as it comes, and the
# driver looks for text there: bash's own `read -t` may lose a byte that comes as its
# timeout runs out.

# tty_open NAME PATH LOG: NAME prefixes every message.
tty_open() {
	tty_name=$1 tty_log=$3
	: > "$tty_log"
	exec 3>"$2.in"
	cat "$2.out" >> "$tty_log" &
	tty_reader=$!
	trap 'kill $tty_reader 2>/dev/null' EXIT
	tty_pos=0		# bytes of the log already matched
	seen=""
}

fail() {
	echo "$tty_name: $*" >&2
	exit 1
}

# Microseconds in a time of seconds like 30 or 0.3.
tty_us() {
	local i=${1%.*} f=000000
	[[ $1 == *.* ]] && f=${1#*.}000000
	echo $((${i:-0} * 1000000 + 10#${f:0:6}))
}

# read_until TEXT SECONDS: waits until what the terminal printed since the last match
# ($seen) holds TEXT; then $got is all of that, up to and including TEXT, and $seen
# starts afresh after it. Status 1 after SECONDS (which may be fractional) without it.
read_until() {
	local deadline=$((${EPOCHREALTIME/./} + $(tty_us "$2"))) pre
	while :; do
		seen=$(tail -c +$((tty_pos + 1)) "$tty_log"; echo .)
		seen=${seen%.}
		case $seen in
		*"$1"*)
			pre=${seen%%"$1"*}
			got=$pre$1
			tty_pos=$((tty_pos + ${#got}))
			seen=${seen:${#got}}
			return 0 ;;
		esac
		[ "${EPOCHREALTIME/./}" -lt $deadline ] || return 1
		sleep 0.05
	done
}

# wait_for TEXT SECONDS WHY: read_until, failing with WHY and what came instead.
wait_for() {
	read_until "$1" "$2" ||
		fail "$3: no $(printf '%q' "$1") within $2 s; the terminal showed: $(printf '%q' "$seen")"
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
	fail "$3: no $(printf '%q' "$2") after typing $1 five times; the terminal showed:" \
		"$(printf '%q' "$seen")"
}
