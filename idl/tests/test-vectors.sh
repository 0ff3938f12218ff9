#!/bin/sh
# Wire identity with GNU MIG: every vector case, user side and server side,
# for each of the eight vector interfaces.
B=$1 TOP=$2 VEC=$3
T=$(cd "$(dirname "$0")" && pwd)/vectors
out="$B/tests/vectors"
mkdir -p "$out"
[ -d "$VEC/vectors" ] || { echo "no vectors at $VEC"; exit 1; }
CFLAGS="-std=gnu11 -g -O1 -Wall -Wextra -Wno-unused-parameter -Werror -fsanitize=address,undefined -fno-sanitize-recover=undefined"
status=0
export ASAN_OPTIONS=detect_leaks=0
for i in vscalar varray vool vport vprefix vspecial vstring vtrans; do
	[ -e "$T/u_$i.c" ] || { echo "no checker for $i yet"; status=1; continue; }
	d="$out/$i"
	mkdir -p "$d"
	"$B/mig" -I"$TOP/include" -I"$VEC/defs" -user "$d/${i}User.c" -server "$d/${i}Server.c" \
		-header "$d/$i.h" "$VEC/defs/$i.defs" || { status=1; continue; }
	inc="-I$d -I$T -I$TOP/include -I$VEC/defs -DIFACE=\"$i\""
	cc $CFLAGS $inc -o "$d/user" "$T/u_$i.c" "$d/${i}User.c" "$T/user_main.c" "$T/harness.c" \
		"$T/vecfile.c" || { status=1; continue; }
	cc $CFLAGS $inc -o "$d/server" "$T/s_$i.c" "$d/${i}Server.c" "$T/server_main.c" "$T/harness.c" \
		"$T/vecfile.c" || { status=1; continue; }
	echo "== $i: user stubs"
	"$d/user" "$VEC" > "$d/user.log" || status=1
	cat "$d/user.log"
	echo "== $i: server stubs"
	"$d/server" "$VEC" > "$d/server.log" || status=1
	cat "$d/server.log"
done
count() { cat "$out"/*/$1.log 2>/dev/null | grep -c "^$2"; }
echo "vector cases: user side $(count user 'ok ') passed, $(count user FAIL) failed;" \
	"server side $(count server 'ok ') passed, $(count server FAIL) failed"
exit $status
