#!/bin/busybox sh
# /init of the native shell check's initramfs (make test-linux-native-shell): Debian's
# kernel runs busybox's shell on its second serial port, ttyS1, as its controlling
# terminal, exactly where the personality's shell scenario has it (com1), for
# tests/linux/serial/ttydrive to type into through QEMU's FIFOs. ttyS0 is the log.
/bin/busybox mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t tmpfs tmp /tmp
cd /
# Limits for the guests' resilience cases (tests/linux/guests/cases.sh): strict
# overcommit, so that memhog's mmap fails with ENOMEM (as on the personality) instead
# of the OOM killer ending it; and a low thread limit, which binds root too (unlike
# RLIMIT_NPROC), so that the fork bomb gets EAGAIN while memory lasts.
echo 2 >/proc/sys/vm/overcommit_memory
echo 300 >/proc/sys/kernel/threads-max
echo "native-shell: $(/bin/busybox uname -sr), shell on ttyS1"
/bin/busybox setsid -c /bin/busybox sh </dev/ttyS1 >/dev/ttyS1 2>&1
echo "native-shell: the shell exited with status $?"
/bench/qexit 0
/bin/busybox poweroff -f
