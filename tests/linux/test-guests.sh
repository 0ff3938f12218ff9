#!/bin/sh
# Checks tools/guests.sh's refusals and the finished root image, without the network (it
# reuses the cache that the build just filled):
#   - a wrong sha256 pin stops with the package, the pinned version and both hashes;
#   - a version apt does not know stops, naming package and version;
#   - with no package lists at all, it says which command fetches them;
#   - GNU cpio lists ROOT exactly as personalities/linux/root.spec says, and the busybox
#     inside it has the pinned hash.
# Prints TEST PASS/FAIL lines like the other tiers; exits 1 if anything failed.
# usage: tests/linux/test-guests.sh PINFILE CACHE ROOT.cpio
set -u

[ $# -eq 3 ] || { echo "usage: $0 PINFILE CACHE ROOT.cpio" >&2; exit 2; }
pins=$1 cache=$2 root=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-guests.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failed=0

pass() { echo "TEST PASS guests: $1"; }
fail() { echo "TEST FAIL guests: $1"; failed=1; }

# expect_refusal NAME PINFILE WORD...: guests.sh must fail and its stderr hold each WORD.
expect_refusal() {
	name=$1 pinfile=$2
	shift 2
	if GUESTS_APT_UPDATE=no tools/guests.sh "$pinfile" "$cache" "$tmp/out" \
		>"$tmp/stdout" 2>"$tmp/stderr"; then
		fail "$name: accepted"
		return
	fi
	for word in "$@"; do
		if ! grep -qF -- "$word" "$tmp/stderr"; then
			fail "$name: message lacks '$word':"
			sed 's/^/    /' "$tmp/stderr"
			return
		fi
	done
	pass "$name"
}

busybox_line=$(grep '^busybox-static' "$pins")
set -- $busybox_line
bb_ver=$2 bb_sum=$4
real_sum=$(sha256sum "$(ls -d "$cache"/busybox-static_*)/root/bin/busybox" | cut -d' ' -f1)

# A wrong pin: the last hex digit changed.
wrong_sum=$(printf '%s' "$bb_sum" | sed 's/.$//')$(case "$bb_sum" in *0) echo 1;; *) echo 0;; esac)
sed "s/$bb_sum/$wrong_sum/" "$pins" >"$tmp/wrong-hash.pin"
expect_refusal "wrong sha256 pin" "$tmp/wrong-hash.pin" \
	"busybox-static" "$bb_ver" "$wrong_sum" "$real_sum"

# A version Debian never had (no network: apt-cache answers from the lists).
printf 'klibc-utils 9.9.9-1 usr/lib/klibc/bin/zcat %064d\n' 0 >"$tmp/no-version.pin"
rm -rf "$cache"/klibc-utils_9.9.9-1
expect_refusal "missing version" "$tmp/no-version.pin" "klibc-utils" "9.9.9-1" "not available"

# No package lists (a fresh machine): apt pointed at an empty lists folder.
mkdir -p "$tmp/lists/partial"
printf 'Dir::State::Lists "%s";\nDir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n' \
	"$tmp/lists" >"$tmp/apt.conf"
APT_CONFIG=$tmp/apt.conf expect_refusal "no package lists" "$tmp/no-version.pin" \
	"klibc-utils" "9.9.9-1" "apt-get update"

# The image: the listing equals the spec's paths (sorted, "/" as "."), and busybox is intact.
if ! command -v cpio >/dev/null 2>&1; then
	fail "root image: GNU cpio is not installed (make deps-test)"
else
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' personalities/linux/root.spec |
		awk '{ print $2 }' | LC_ALL=C sort |
		sed -e 's|^/$|.|' -e 's|^/||' >"$tmp/spec.list"
	if ! cpio --quiet -it <"$root" >"$tmp/cpio.list" 2>"$tmp/cpio.err"; then
		fail "root image: cpio -it failed: $(cat "$tmp/cpio.err")"
	elif ! cmp -s "$tmp/spec.list" "$tmp/cpio.list"; then
		fail "root image: cpio -it differs from root.spec:"
		diff "$tmp/spec.list" "$tmp/cpio.list" | sed 's/^/    /'
	else
		pass "root image lists as root.spec"
	fi
	got=$(cpio --quiet -i --to-stdout bin/busybox <"$root" | sha256sum | cut -d' ' -f1)
	if [ "$got" = "$bb_sum" ]; then
		pass "root image's busybox has the pinned sha256"
	else
		fail "root image's busybox: sha256 $got, pinned $bb_sum"
	fi
fi
exit $failed
