#!/bin/sh
# Builds a bootable ISO from a system description (boot/default.system, a scenario):
#   kernel-args <words>            the kernel command line
#   module <program> <words...>    a GRUB module: build/user/<program>, then its command
#                                  line (a boot-script line; words with '$' are quoted)
#   file <path> <name>             a data module (the boot manifest...): the file at <path>
#                                  (from the top of the tree), with the command line <name>
# Other lines (timeout, expect, comments) are ignored here.
# Usage: tools/mkiso.sh <system-file> <out.iso> <kernel.elf> <user-bin-dir>
set -eu
sys=$1 out=$2 kernel=$3 bindir=$4
work=$(mktemp -d)
log=$(mktemp)	# outside $work: grub-mkrescue images that whole directory
trap 'rm -rf "$work" "$log"' EXIT
mkdir -p "$work/boot/grub"
cp "$kernel" "$work/boot/kernel"
kargs=""
modules=""
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
	lineno=$((lineno + 1))
	set -f
	set -- $line
	set +f
	[ $# -eq 0 ] && continue
	case $1 in
	kernel-args) shift; kargs="$*" ;;
	module)
		prog=$2; shift 2
		if [ ! -f "$bindir/$prog" ]; then
			echo "$sys:$lineno: no program '$prog' in $bindir" >&2
			exit 1
		fi
		cp "$bindir/$prog" "$work/boot/$prog"
		words=""
		for w in "$@"; do
			case $w in *'$'*) w="'$w'" ;; esac
			words="$words $w"
		done
		modules="$modules	module /boot/$prog$words
" ;;
	file)
		if [ $# -ne 3 ] || [ ! -f "$2" ]; then
			echo "$sys:$lineno: file wants an existing path and a name" >&2
			exit 1
		fi
		cp "$2" "$work/boot/$3"
		modules="$modules	module /boot/$3 $3
" ;;
	esac
done < "$sys"
cat > "$work/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
menuentry "$(basename "$sys")" {
	multiboot /boot/kernel $kargs
$modules	boot
}
CFG
grub-mkrescue -o "$out" "$work" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
