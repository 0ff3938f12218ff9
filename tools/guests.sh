#!/bin/sh
# Obtains the pinned guest binaries from Debian, checks their sha256 and copies them into a
# staging folder. Nothing is installed: `apt-get download PKG=VERSION` fetches the .deb
# (apt checks it against the signed package lists) and `dpkg-deb -x` unpacks it.
#
# Usage: tools/guests.sh PINFILE CACHE OUT
#   PINFILE  lines "PACKAGE VERSION PATH SHA256" (# comments, blank lines ignored)
#   CACHE    where each package is unpacked once (CACHE/PACKAGE_VERSION/); kept across
#            `make clean`, so a second build does not fetch again
#   OUT      each pinned PATH is copied to OUT/PATH after its hash matched
# A package version that apt cannot find, a missing path or a hash mismatch stops with a
# message naming the package, the pinned version and both hashes.
set -eu

[ $# -eq 3 ] || { echo "usage: $0 PINFILE CACHE OUT" >&2; exit 2; }
pins=$1 cache=$2 out=$3
me=guests

fail() { echo "$me: $*" >&2; exit 1; }

[ -r "$pins" ] || fail "cannot read pin file $pins"
for tool in apt-get apt-cache dpkg-deb sha256sum; do
	command -v $tool >/dev/null 2>&1 ||
		fail "$tool not found: the guests come from Debian packages (a Debian 12 host is needed)"
done

# The pin lines without comments and blank lines.
pinlines() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$pins"; }

# A folder name for a package version: an epoch's ':' becomes '%3a', as in .deb file names.
pkgdir() { printf '%s/%s_%s\n' "$cache" "$1" "$(printf '%s' "$2" | sed 's/:/%3a/g')"; }

# apt's options: as root, download as root too (the cache folder may not be readable by
# the _apt sandbox user, which only produces a warning, but a noisy one).
aptopts=""
[ "$(id -u)" = 0 ] && aptopts="-o APT::Sandbox::User=root"

# Does apt know PACKAGE at exactly VERSION?
known() { apt-cache madison "$1" 2>/dev/null | awk -F'|' -v v="$2" '{ gsub(/ /, "", $2) } $2 == v { f = 1 } END { exit !f }'; }

# As root, refresh the package lists once when a pinned version is missing from them (as
# tools/deps.sh does); GUESTS_APT_UPDATE=no turns that off (offline use, the tests).
updated=no
update=yes
[ "$(id -u)" = 0 ] || update=no
[ "${GUESTS_APT_UPDATE:-yes}" = no ] && update=no
fixcmd="apt-get update"
[ "$(id -u)" = 0 ] || fixcmd="sudo apt-get update"

# Makes sure apt knows PACKAGE=VERSION, or says which command fixes it.
need_version() {
	pkg=$1 ver=$2
	known "$pkg" "$ver" && return 0
	if [ $update = yes ] && [ $updated = no ]; then
		echo "$me: $pkg=$ver not in apt's package lists; running apt-get update"
		updated=yes
		apt-get update -qq || fail "apt-get update failed"
		known "$pkg" "$ver" && return 0
	fi
	if [ -z "$(apt-cache madison "$pkg" 2>/dev/null)" ]; then
		echo "$me: apt knows no package $pkg (pinned version $ver): its package lists are" \
			"missing or lack Debian 12 (bookworm) main" >&2
		[ $update = yes ] || echo "$me: fetch the lists with:  $fixcmd" >&2
		exit 1
	fi
	echo "$me: $pkg: pinned version $ver is not available; apt has:" >&2
	apt-cache madison "$pkg" | sed 's/^/    /' >&2
	[ $update = yes ] || echo "$me: if the lists are old, refresh them with:  $fixcmd" >&2
	echo "$me: to move to another version, change the version and the sha256 in $pins together" >&2
	exit 1
}

# Downloads and unpacks PACKAGE=VERSION into its cache folder unless already there.
fetch() {
	pkg=$1 ver=$2 dir=$(pkgdir "$1" "$2")
	[ -d "$dir/root" ] && return 0
	need_version "$pkg" "$ver"
	mkdir -p "$cache"
	tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
	chmod 755 "$tmp"
	echo "$me: apt-get download $pkg=$ver"
	if ! (cd "$tmp" && apt-get download -q=2 $aptopts "$pkg=$ver"); then
		rm -rf "$tmp"
		fail "apt-get download $pkg=$ver failed (network, or the mirror dropped that version)"
	fi
	deb=$(ls "$tmp"/*.deb)
	mkdir "$tmp/root"
	dpkg-deb -x "$deb" "$tmp/root" || { rm -rf "$tmp"; fail "dpkg-deb -x $deb failed"; }
	# Complete folders only: a fetch that was interrupted leaves a .fetch.* folder.
	rm -rf "$dir"
	mv "$tmp" "$dir"
}

# Fetch each package once, then check and stage every pinned file.
pinlines | awk '{ print $1, $2 }' | sort -u | while read -r pkg ver; do
	fetch "$pkg" "$ver"
done

pinlines | while read -r pkg ver path sum extra; do
	[ -n "$sum" ] && [ -z "$extra" ] || fail "$pins: bad line: $pkg $ver $path $sum $extra"
	dir=$(pkgdir "$pkg" "$ver")
	file=$dir/root/$path
	[ -f "$file" ] || fail "$pkg $ver has no file $path (pinned in $pins)"
	got=$(sha256sum "$file" | cut -d' ' -f1)
	if [ "$got" != "$sum" ]; then
		echo "$me: sha256 mismatch for $path from $pkg version $ver" >&2
		echo "$me:   pinned   $sum ($pins)" >&2
		echo "$me:   obtained $got ($file)" >&2
		echo "$me: if the cache is damaged, remove $dir and build again;" \
			"when a pin changes, change version and sha256 together" >&2
		exit 1
	fi
	mkdir -p "$(dirname "$out/$path")"
	cp "$file" "$out/$path"
done
