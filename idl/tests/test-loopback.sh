#!/bin/sh
# Round trips: for each test interface, our user stubs call our server
# demux through a loopback kernel, values checked on both sides.
B=$1 TOP=$2 VEC=$3
T=$(cd "$(dirname "$0")" && pwd)/vectors
out="$B/tests/loopback"
mkdir -p "$out"
export ASAN_OPTIONS=detect_leaks=0
CFLAGS="-std=gnu11 -g -O1 -Wall -Wextra -Wno-unused-parameter -Werror -fsanitize=address,undefined -fno-sanitize-recover=undefined"
status=0
for i in vscalar varray vool vport vprefix vspecial vstring vtrans; do
	d="$out/$i"
	mkdir -p "$d"
	"$B/mig" -I"$TOP/include" -I"$VEC/defs" -user "$d/${i}User.c" -server "$d/${i}Server.c" \
		-header "$d/$i.h" "$VEC/defs/$i.defs" || { status=1; continue; }
	# User stubs and server functions share names: rename the user side.
	"$B/mig" -I"$TOP/include" -I"$VEC/defs" -list "$VEC/defs/$i.defs" |
		awk -F'\t' '$4 != "skip" { print "#define " $3 " user_" $3 }' > "$d/rename.h"
	inc="-I$d -I$T -I$TOP/include -I$VEC/defs -DIFACE=\"$i\""
	cc $CFLAGS $inc -include "$d/rename.h" -c "$d/${i}User.c" -o "$d/user.o" &&
	cc $CFLAGS $inc -include "$d/rename.h" -c "$T/u_$i.c" -o "$d/driver.o" &&
	cc $CFLAGS $inc -o "$d/loop" "$d/user.o" "$d/driver.o" "$T/s_$i.c" "$d/${i}Server.c" \
		"$T/loop_main.c" "$T/loopback.c" "$T/harness.c" "$T/vecfile.c" || { status=1; continue; }
	echo "== $i: round trips"
	"$d/loop" "$VEC" || status=1
done
exit $status
