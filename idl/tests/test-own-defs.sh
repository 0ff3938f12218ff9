#!/bin/sh
# Every .defs of the project generates, and the stubs compile without
# warnings: hosted, and freestanding the way the kernel builds (only
# gcc's own headers), and with SEQNOS where the interface offers it.
B=$1 TOP=$2
out="$B/tests/own-defs"
mkdir -p "$out"
GCCINC=$(cc -print-file-name=include)
echo 'type notify_port_t = MACH_MSG_TYPE_MOVE_SEND_ONCE ctype: mach_port_t;' > "$out/notify_port.defs"
status=0
build() {	# build NAME DEFS [MIGFLAGS...]
	bn=$1 bd=$2; shift 2
	"$B/mig" -I"$TOP/include" "$@" -user "$out/${bn}User.c" -server "$out/${bn}Server.c" \
		-header "$out/$bn.h" -sheader "$out/${bn}_S.h" "$bd" || { echo "FAIL mig $bn"; status=1; return; }
	for f in "$out/${bn}User.c" "$out/${bn}Server.c"; do
		cc -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Werror -I"$out" -I"$TOP/include" \
			-c "$f" -o "$f.o" || { echo "FAIL hosted $f"; status=1; }
		cc -std=gnu11 -ffreestanding -nostdinc -isystem "$GCCINC" -Wall -Werror -I"$out" \
			-I"$TOP/include" -c "$f" -o "$f.fs.o" || { echo "FAIL freestanding $f"; status=1; }
	done
	echo "ok $bn"
}
for d in $(cd "$TOP/include" && ls mach/*.defs mach/x86_64/*.defs device/*.defs mach_debug/*.defs); do
	case $d in *_types.defs) continue ;; esac
	n=$(echo "$d" | sed 's|/|_|g; s|\.defs$||')
	extra=""
	[ "$d" = device/notify.defs ] && extra="-include $out/notify_port.defs"
	build "$n" "$TOP/include/$d" $extra
	if grep -q SEQNOS "$TOP/include/$d"; then
		build "${n}_seqnos" "$TOP/include/$d" -DSEQNOS
	fi
done
exit $status
