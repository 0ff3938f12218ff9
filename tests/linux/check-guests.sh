#!/bin/sh
# Runs the static test guests (tests/linux/guests) natively on the build machine, as plain
# Linux programs, and checks what they print: exactly tests/linux/guests/expected/CASE.out
# where the output is deterministic, its shape (and bounds) for forkbomb and memhog.
# Commands run under the pinned busybox's sh, as on the personality's shell, so a killed
# guest shows as the shell shows it ("Segmentation fault", status 139).
# With TTYDRIVE (tests/linux/serial/ttydrive), also tests/linux/guests/cases.sh, as the
# personality's guests.scn types it, on a pseudo-terminal: /tests/bin/ replaced by
# BINDIR and the limits set as below; its output must equal expected/cases.out.
# Prints TEST PASS/FAIL lines like the other tiers; exits 1 if anything failed.
# usage: tests/linux/check-guests.sh BINDIR BUSYBOX [TTYDRIVE]
set -u

[ $# -eq 2 ] || [ $# -eq 3 ] || { echo "usage: $0 BINDIR BUSYBOX [TTYDRIVE]" >&2; exit 2; }
bin=$(realpath "$1") busybox=$(realpath "$2") ttydrive=${3:-}
expected=$(realpath tests/linux/guests/expected)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-guests.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failed=0
# Host tools by absolute path: busybox's sh would run its own applet of that name.
setpriv=$(command -v setpriv) prlimit=$(command -v prlimit)
[ -n "$setpriv" ] && [ -n "$prlimit" ] ||
	{ echo "check-guests: setpriv and prlimit (util-linux) are needed" >&2; exit 2; }

pass() { echo "TEST PASS guest-native: $1"; }
fail() { echo "TEST FAIL guest-native: $1"; failed=1; }

# run CASE COMMAND: COMMAND (sh syntax, in BINDIR) with stdout and stderr to $tmp/CASE.
run() {
	(cd "$bin" && timeout 60 "$busybox" sh -c "$2" >"$tmp/$1" 2>&1 </dev/null)
}

# exact CASE COMMAND: the output must equal expected/CASE.out.
exact() {
	run "$1" "$2"
	if cmp -s "$expected/$1.out" "$tmp/$1"; then
		pass "$1"
	else
		fail "$1: output differs from tests/linux/guests/expected/$1.out:"
		diff "$expected/$1.out" "$tmp/$1" | sed 's/^/    /'
	fi
}

exact enosys './enosys; echo "status $?"'
exact efault './efault; echo "status $?"'
exact crash './crash; echo "status $?"'
exact crash-handler './crash handler; echo "status $?"'
exact crash-return './crash return; echo "status $?"'
exact signals './signals; echo "status $?"'
exact vfork './vfork; echo "status $?"'
exact times './times; echo "status $?"'

# shape CASE LINE...: each output line must match the extended regular expression given
# for it (anchored), and there must be exactly as many lines.
shape() {
	name=$1
	shift
	if [ "$(wc -l <"$tmp/$name")" -ne $# ]; then
		fail "$name: $(wc -l <"$tmp/$name") lines, expected $#:"
		sed 's/^/    /' "$tmp/$name"
		return 1
	fi
	i=1
	for re in "$@"; do
		line=$(sed -n "${i}p" "$tmp/$name")
		if ! printf '%s\n' "$line" | grep -Eqx -- "$re"; then
			fail "$name: line $i is '$line', expected /$re/"
			return 1
		fi
		i=$((i + 1))
	done
	return 0
}

# memhog: under an address-space limit mmap runs out at once; with a cap it stops there.
run memhog-enomem "$prlimit --as=134217728 ./memhog; echo \"status \$?\""
if shape memhog-enomem 'ENOMEM after (64|80|96|112) MiB' 'brk \+16 MiB: refused' \
	'after munmap: 16 MiB mapped again' 'status 0'; then
	pass "memhog-enomem"
fi
run memhog-cap './memhog 64; echo "status $?"'
shape memhog-cap 'cap after 64 MiB' 'after munmap: 16 MiB mapped again' 'status 0' &&
	pass "memhog-cap"

# forkbomb: a process limit only binds a user other than root, and counts all of that
# user's processes: as root, a user id nobody uses (so exactly 19 children fit under 20);
# otherwise the user's own processes plus 20.
if [ "$(id -u)" = 0 ]; then
	limit=20
	run forkbomb "$setpriv --reuid=54321 --regid=54321 --clear-groups \
		$prlimit --nproc=$limit:$limit ./forkbomb 1000; echo \"status \$?\""
	want='EAGAIN after 19'
else
	limit=$(($(ps -u "$(id -u)" -o pid= | wc -l) + 20))
	run forkbomb "$prlimit --nproc=$limit:$limit ./forkbomb 1000; echo \"status \$?\""
	want='EAGAIN after (1[0-9]|20)'
fi
shape forkbomb "$want" 'killed and reaped [0-9]+, 0 not by SIGKILL' 'wait4 after: -10' \
	'status 0' && pass "forkbomb"

# cases.sh typed into an interactive shell, with the native paths and limits.
if [ -n "$ttydrive" ]; then
	if [ "$(id -u)" = 0 ]; then
		asuser="$setpriv --reuid=54321 --regid=54321 --clear-groups "
		limit=20
	else
		asuser=""
		limit=$(($(ps -u "$(id -u)" -o pid= | wc -l) + 20))
	fi
	sed -e "s|^/tests/bin/forkbomb |$asuser$prlimit --nproc=$limit:$limit $bin/forkbomb 1000 |" \
		-e "s|^/tests/bin/memhog |$prlimit --as=134217728 $bin/memhog |" \
		-e "s|^/tests/bin/|$bin/|" tests/linux/guests/cases.sh >"$tmp/cases.sh"
	if "$ttydrive" --native "$busybox" --dir "$tmp" --timeout 60 --start-timeout 30 \
		"$tmp/cases.sh" "$expected/cases.out" "$tmp/cases.got" >"$tmp/cases.log" 2>&1; then
		pass "cases typed"
	else
		fail "cases typed:"
		sed 's/^/    /' "$tmp/cases.log"
	fi
fi
exit $failed
