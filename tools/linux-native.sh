#!/bin/sh
# Native Linux for the benchmarks: Debian's own kernel, booted in the same QEMU
# configuration as our system, runs the same benchmark programs (bench/README.md).
#
#   tools/linux-native.sh fetch PINFILE CACHE OUT
#	Fetches the pinned kernel package (`apt-get download PACKAGE=VERSION`), keeps only
#	the pinned files of it in CACHE/PACKAGE_VERSION/ (the package unpacks to 400 MB,
#	nearly all modules), checks each one's sha256 and copies it to OUT/PATH. As
#	tools/guests.sh: a version apt does not know or a hash mismatch stops with a
#	message naming package, version and both hashes.
#   tools/linux-native.sh pin
#	Prints the pin lines for the kernel that Debian 12's metapackage linux-image-amd64
#	(bookworm main) depends on now: what bench/native.pin should say to move to it.
#   tools/linux-native.sh run "QEMU COMMAND" VMLINUZ INITRD LOG [APPEND]
#	Boots the kernel with the initramfs, serial console into LOG, and prints the BENCH
#	lines. APPEND is the kernel command line (default below). Fails when the run did
#	not end with "BENCH done" or reported a BENCH-ERROR.
#   tools/linux-native.sh shell "QEMU COMMAND" VMLINUZ INITRD OUT
#	Boots the kernel with an initramfs whose /init runs busybox's shell on the second
#	serial port (tests/linux/native/shell-init.sh) and types every
#	tests/linux/scripts/*.sh into it over QEMU's FIFOs (tests/linux/serial/
#	shell-scripts.sh, which needs build/tests/ttydrive), then the static guests'
#	tests/linux/guests/cases.sh: the personality's shell and guests scenarios, against
#	Debian's kernel. Outputs in OUT/NAME.got, the log in OUT/log.
set -eu
me=linux-native
fail() { echo "$me: $*" >&2; exit 1; }

# console=ttyS0: results on the serial line; quiet: no boot messages among them;
# nokaslr, norandmaps: the same addresses every boot, so the same instruction counts;
# mitigations=off: no page-table isolation or return stuffing, which our kernel does not
# do either (qemu64 claims no immunity, so Linux would turn them all on); panic=-1 and
# QEMU's -no-reboot: a panic ends the run at once.
DEFAULT_APPEND="console=ttyS0 quiet nokaslr norandmaps mitigations=off panic=-1"

aptopts=""
[ "$(id -u)" = 0 ] && aptopts="-o APT::Sandbox::User=root"

pinlines() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$1"; }
pkgdir() { printf '%s/%s_%s\n' "$2" "$1" "$(printf '%s' "$3" | sed 's/:/%3a/g')"; }
known() { apt-cache madison "$1" 2>/dev/null | awk -F'|' -v v="$2" '{ gsub(/ /, "", $2) } $2 == v { f = 1 } END { exit !f }'; }

fetch() {
	[ $# -eq 3 ] || fail "usage: $0 fetch PINFILE CACHE OUT"
	pins=$1 cache=$2 out=$3
	[ -r "$pins" ] || fail "cannot read pin file $pins"
	pinlines "$pins" | awk '{ print $1, $2 }' | sort -u | while read -r pkg ver; do
		dir=$(pkgdir "$pkg" "$cache" "$ver")
		[ -d "$dir/root" ] && continue
		if ! known "$pkg" "$ver"; then
			if [ "$(id -u)" = 0 ] && [ "${GUESTS_APT_UPDATE:-yes}" != no ]; then
				echo "$me: $pkg=$ver not in apt's package lists; running apt-get update"
				apt-get update -qq || fail "apt-get update failed"
			fi
			known "$pkg" "$ver" || fail "$pkg: pinned version $ver is not available" \
				"(apt has: $(apt-cache madison "$pkg" 2>/dev/null | awk -F'|' '{ gsub(/ /, "", $2); printf "%s ", $2 }'));" \
				"refresh the lists (apt-get update) or move the pin ($0 pin)"
		fi
		mkdir -p "$cache"
		tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
		chmod 755 "$tmp"
		echo "$me: apt-get download $pkg=$ver"
		(cd "$tmp" && apt-get download -q=2 $aptopts "$pkg=$ver") ||
			{ rm -rf "$tmp"; fail "apt-get download $pkg=$ver failed"; }
		mkdir "$tmp/root"
		# Only the pinned paths of this package.
		paths=$(pinlines "$pins" | awk -v p="$pkg" -v v="$ver" '$1 == p && $2 == v { print "./" $3 }')
		# shellcheck disable=SC2086
		dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$tmp/root" $paths ||
			{ rm -rf "$tmp"; fail "unpacking $pkg=$ver failed (are the pinned paths in it?)"; }
		rm -f "$tmp"/*.deb
		rm -rf "$dir"
		mv "$tmp" "$dir"
	done
	pinlines "$pins" | while read -r pkg ver path sum extra; do
		[ -n "$sum" ] && [ -z "$extra" ] || fail "$pins: bad line: $pkg $ver $path $sum $extra"
		file=$(pkgdir "$pkg" "$cache" "$ver")/root/$path
		[ -f "$file" ] || fail "$pkg $ver has no file $path (pinned in $pins)"
		got=$(sha256sum "$file" | cut -d' ' -f1)
		if [ "$got" != "$sum" ]; then
			echo "$me: sha256 mismatch for $path from $pkg version $ver" >&2
			echo "$me:   pinned   $sum ($pins)" >&2
			echo "$me:   obtained $got ($file)" >&2
			fail "if the cache is damaged, remove $(pkgdir "$pkg" "$cache" "$ver") and run again"
		fi
		mkdir -p "$(dirname "$out/$path")"
		cp "$file" "$out/$path"
	done
}

# The metapackage's dependency in bookworm main, downloaded once to hash its files.
pin() {
	meta=$(apt-cache madison linux-image-amd64 |
		awk -F'|' '$3 ~ /bookworm\/main/ && $3 !~ /security|updates/ { gsub(/ /, "", $2); print $2; exit }')
	[ -n "$meta" ] || fail "apt knows no linux-image-amd64 in bookworm main (apt-get update?)"
	dep=$(apt-cache show "linux-image-amd64=$meta" | sed -n 's/^Depends: //p' | head -n 1)
	pkg=$(printf '%s\n' "$dep" | sed 's/ .*//')
	ver=$(printf '%s\n' "$dep" | sed -n 's/.*(= \(.*\)).*/\1/p')
	[ -n "$pkg" ] && [ -n "$ver" ] || fail "cannot read the dependency of linux-image-amd64=$meta: $dep"
	kver=${pkg#linux-image-}
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	chmod 755 "$tmp"
	(cd "$tmp" && apt-get download -q=2 $aptopts "$pkg=$ver") || fail "apt-get download $pkg=$ver failed"
	dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$tmp" "./boot/vmlinuz-$kver" "./boot/config-$kver"
	echo "# linux-image-amd64 $meta depends on $pkg $ver"
	for f in "boot/vmlinuz-$kver" "boot/config-$kver"; do
		printf '%s\t%s\t%s\t%s\n' "$pkg" "$ver" "$f" "$(sha256sum "$tmp/$f" | cut -d' ' -f1)"
	done
}

run() {
	[ $# -ge 4 ] || fail "usage: $0 run \"QEMU COMMAND\" VMLINUZ INITRD LOG [APPEND]"
	qemu=$1 kernel=$2 initrd=$3 log=$4 append=${5:-$DEFAULT_APPEND}
	rm -f "$log"
	status=0
	timeout 900 $qemu -serial "file:$log" -kernel "$kernel" -initrd "$initrd" \
		-append "$append" >"$log.qemu" 2>&1 </dev/null || status=$?
	# The exit device gives 1; a poweroff 0; the timeout 124.
	[ $status -eq 124 ] && echo "$me: no end after 900 s; see $log" >&2
	tr -d '\r' <"$log" | grep '^BENCH' || { echo "$me: no results; see $log" >&2; exit 1; }
	if grep -q '^BENCH-ERROR' "$log" || ! grep -q '^BENCH done' "$log"; then
		echo "$me: the benchmark did not complete; see $log" >&2
		exit 1
	fi
}

shell() {
	[ $# -eq 4 ] || fail "usage: $0 shell \"QEMU COMMAND\" VMLINUZ INITRD OUT"
	qemu=$1 kernel=$2 initrd=$3 out=$4
	mkdir -p "$out"
	rm -f "$out/tty.in" "$out/tty.out" "$out/log"
	mkfifo "$out/tty.in" "$out/tty.out"
	$qemu -serial "file:$out/log" -chardev "pipe,id=tty,path=$out/tty" \
		-device isa-serial,chardev=tty,index=1 -kernel "$kernel" -initrd "$initrd" \
		-append "$DEFAULT_APPEND" >"$out/qemu.log" 2>&1 </dev/null &
	qpid=$!
	status=0
	SHELL_SCRIPTS_CASES=yes timeout 900 tests/linux/serial/shell-scripts.sh "$out/tty" "$out" ||
		status=$?
	# The shell exits at ttydrive's `exit`, and /init ends QEMU; stop it if not.
	i=0
	while kill -0 $qpid 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill $qpid 2>/dev/null || true
	wait $qpid 2>/dev/null || true
	[ $status -eq 0 ] || { echo "$me: the scripts typed on Debian's kernel failed; log: $out/log" >&2; exit 1; }
}

[ $# -ge 1 ] || fail "usage: $0 fetch|pin|run|shell ..."
cmd=$1
shift
case $cmd in
fetch) fetch "$@" ;;
pin) pin ;;
run) run "$@" ;;
shell) shell "$@" ;;
*) fail "unknown command $cmd (fetch, pin, run or shell)" ;;
esac
