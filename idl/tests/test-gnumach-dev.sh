#!/bin/sh
# Debian's gnumach-dev .defs (an older ABI, the same language): mig accepts
# every file, and the stubs it generates compile against our headers.
B=$1 TOP=$2 VEC=$3 G=${4:-/usr/include/x86_64-linux-gnu}
if [ ! -d "$G/mach" ] || ! ls "$G"/mach/*.defs >/dev/null 2>&1; then
	echo "SKIP: gnumach-dev is not installed ($G/mach has no .defs)"
	exit 0
fi
out="$B/tests/gnumach-dev"
rm -rf "$out"
mkdir -p "$out"
GCCINC=$(cc -print-file-name=include)
status=0 n=0
for d in "$G"/mach/*.defs "$G"/mach/x86_64/*.defs "$G"/device/*.defs "$G"/mach_debug/*.defs; do
	rel=${d#$G/}
	name=$(echo "$rel" | sed 's|/|_|g; s|\.defs$||')
	n=$((n + 1))
	case $rel in
	*_types.defs)	# type libraries: accept them inside a one-line interface
		printf 'subsystem check_types 9000;\n#include <mach/std_types.defs>\n#include <mach/mach_types.defs>\n#include <%s>\n' "$rel" \
			> "$out/$name.defs"
		"$B/mig" -n -I"$G" "$out/$name.defs" || { echo "FAIL accept $rel"; status=1; }
		continue ;;
	esac
	for k in -DKERNEL_SERVER -DKERNEL_USER; do	# kernel variants: accepted
		"$B/mig" -n -I"$G" $k "$d" || { echo "FAIL accept $rel ($k)"; status=1; }
	done
	for mode in plain SEQNOS; do
		[ $mode = SEQNOS ] && ! grep -q SEQNOS "$d" && continue
		flags=""; [ $mode = SEQNOS ] && flags=-DSEQNOS
		o="$out/$name-$mode"
		"$B/mig" -I"$G" $flags -user "${o}User.c" -server "${o}Server.c" -header "$o.h" "$d" \
			|| { echo "FAIL accept $rel ($mode)"; status=1; continue; }
		for f in "${o}User.c" "${o}Server.c"; do
			cc -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Werror -I"$out" -I"$TOP/include" \
				-c "$f" -o "$f.o" || { echo "FAIL compile $f"; status=1; }
			cc -std=gnu11 -ffreestanding -nostdinc -isystem "$GCCINC" -Werror -I"$out" \
				-I"$TOP/include" -c "$f" -o "$f.fs.o" || { echo "FAIL freestanding $f"; status=1; }
		done
	done
	echo "ok $rel"
done
echo "$n gnumach-dev .defs files checked"
exit $status
