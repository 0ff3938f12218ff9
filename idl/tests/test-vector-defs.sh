#!/bin/sh
# The eight vector interfaces generate, and the stubs compile without warnings.
B=$1 TOP=$2 VEC=$3
set -e
out="$B/tests/vector-defs"
mkdir -p "$out"
for d in "$VEC"/defs/*.defs; do
	i=$(basename "$d" .defs)
	"$B/mig" -I"$TOP/include" -I"$VEC/defs" -user "$out/${i}User.c" -server "$out/${i}Server.c" \
		-header "$out/$i.h" "$d"
	for f in "$out/${i}User.c" "$out/${i}Server.c"; do
		cc -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Werror -c -I"$out" -I"$TOP/include" \
			-I"$VEC/defs" "$f" -o "$f.o"
	done
	echo "ok $i"
done
