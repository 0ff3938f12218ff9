#!/bin/sh
# The project's device.defs end to end through the loopback kernel.
B=$1 TOP=$2
T=$(cd "$(dirname "$0")" && pwd)
out="$B/tests/device-rt"
mkdir -p "$out"
"$B/mig" -I"$TOP/include" -user "$out/deviceUser.c" -server "$out/deviceServer.c" \
	-header "$out/device.h" "$TOP/include/device/device.defs" || exit 1
"$B/mig" -I"$TOP/include" -list "$TOP/include/device/device.defs" |
	awk -F'\t' '$4 != "skip" { print "#define " $3 " user_" $3 }' > "$out/rename.h"
CFLAGS="-std=gnu11 -g -O1 -Wall -Wextra -Wno-unused-parameter -Werror -fsanitize=address,undefined -fno-sanitize-recover=undefined"
inc="-I$out -I$T/vectors -I$TOP/include"
cc $CFLAGS $inc -include "$out/rename.h" -c "$out/deviceUser.c" -o "$out/user.o" || exit 1
cc $CFLAGS $inc -c "$out/deviceServer.c" -o "$out/server.o" || exit 1
cc $CFLAGS $inc -include "$out/rename.h" -o "$out/device_rt" "$T/roundtrip/device_rt.c" \
	"$T/vectors/loopback.c" "$out/user.o" "$out/server.o" || exit 1
"$out/device_rt"
