#!/bin/busybox sh
# /init of the native benchmark's initramfs (tools/linux-native.sh): Debian's kernel runs
# it as process 1. The initramfs has no /dev/console node (tools/mkcpio writes no device
# files), so devtmpfs comes first and the output is redirected to the console by hand.
/bin/busybox mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t tmpfs tmp /tmp
cd /
export PATH=/bin HOME=/root LC_ALL=C TERM=dumb
echo "BENCH-INFO kernel $(/bin/busybox uname -r)"
/bin/busybox sh /bench/bench.sh
# QEMU's exit device (status 1); poweroff if it did not end the run.
/bench/qexit 0
/bin/busybox poweroff -f
