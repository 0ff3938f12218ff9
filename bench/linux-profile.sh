#!/bin/sh
# Where one Linux benchmark case (bench/README.md) spends its instructions, by function:
# boots the personality running only that case (`lxbench BUSYBOX CASE`, or for
# shell-script one timed `benchsh` run) with QEMU executing one guest instruction per
# block and logging each (-singlestep -d exec,nochain) into a FIFO, and bench/execprof.c
# counts the instructions between the timed loop's two rdtsc, per kernel, personality and
# benchmark function: own, inclusive (callees too; for a personality function also the
# kernel's work for it) and calls, per operation. The personality and the benchmark
# programs are relinked for the run (0x10000000 and 0x20000000) so that their addresses
# differ from each other's and busybox's (0x400000, no symbols: "other").
# Slow (fork-exec-wait: about ten minutes); a developer tool, not a test.
# Usage: bench/linux-profile.sh CASE   (a case of bench/linux/lxbench.c, or shell-script)
set -eu
case=${1:?usage: bench/linux-profile.sh CASE}
work=${PROFILE_DIR:-/tmp/linux-profile}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
make -s kernel user linux-root
mkdir -p "$work/bin" "$work/bbin"
vars=$(make -s -f - print-vars <<'MK'
include Makefile
print-vars:
	@echo "pers='$(LINUX_PERS_OBJS) $(UCORE_OBJS) $(ELF_LIB_OBJS) $(USER_LIB_OBJS)'"
	@echo "gcflags='$(LINUX_GUEST_CFLAGS)'"
	@echo "rootdefs='$(LINUX_ROOT_DEFS)'"
	@echo "qemu='$(QEMU_BENCH)'"
	@echo "userbin='$(USERBIN)' bbin='$(LINUX_BBIN)' mkcpio='$(MKCPIO)' kernel='$(KERNEL)'"
MK
)
eval "$vars"

# The programs, relinked away from 0x400000.
cp "$kernel" "$work/kernel.elf"
cp "$userbin/bootstrap" "$userbin/serial" "$work/bin/"
# shellcheck disable=SC2086
ld -nostdlib -static -z max-page-size=0x1000 -z noexecstack -Ttext-segment=0x10000000 \
	-o "$work/bin/linux" $pers
cp "$bbin"/* "$work/bbin/"
for p in lxbench benchsh; do
	# shellcheck disable=SC2086
	gcc $gcflags -Wl,-Ttext-segment=0x20000000 -o "$work/bbin/$p" "bench/linux/$p.c"
done
rootdefs=$(echo "$rootdefs" | sed "s|BBIN=[^ ]*|BBIN=$work/bbin|")
# shellcheck disable=SC2086
"$mkcpio" $rootdefs personalities/linux/root.spec "$work/root.cpio"

if [ "$case" = shell-script ]; then
	prog=benchsh iters=1 args="/bench/benchsh /bin/busybox /bench/script.sh 1"
else
	prog=lxbench args="/bench/lxbench /bin/busybox $case"
	iters=$(sed -n "s/.*TIMED(\"$case\", *[0-9]*, *\([0-9]*\),.*/\1/p" bench/linux/lxbench.c)
	[ -n "$iters" ] || { echo "linux-profile: no case $case in bench/linux/lxbench.c" >&2; exit 1; }
fi
sed "s|^  args .*|  args --tty com0 --test -- $args|" bench/linux.manifest > "$work/manifest"
sed -e "s|^file bench/linux.manifest|file $work/manifest|" \
    -e "s|^file build/linux/root.cpio|file $work/root.cpio|" bench/linux.system > "$work/linux.system"
tools/mkiso.sh "$work/linux.system" "$work/profile.iso" "$work/kernel.elf" "$work/bin"

# The window: the benchmark program's rdtsc instructions; symbols and calls of each program.
objdump -d --no-show-raw-insn "$work/bbin/$prog" > "$work/$prog.dis"
window=$(awk '/\trdtsc/ { sub(":", "", $1); printf "%s%s", sep, $1; sep = "," }' "$work/$prog.dis")
progs=""
for p in kernel:"$work/kernel.elf" linux:"$work/bin/linux" "$prog":"$work/bbin/$prog"; do
	label=${p%%:*} file=${p#*:}
	nm -n "$file" > "$work/$label.nm"
	objdump -d --no-show-raw-insn "$file" > "$work/$label.dis"
	progs="$progs $label:$work/$label.nm:$work/$label.dis"
done
gcc -O2 -Wall -Wextra -o "$work/execprof" bench/execprof.c

rm -f "$work/exec.fifo"
mkfifo "$work/exec.fifo"
# shellcheck disable=SC2086
"$work/execprof" "$iters" "$window" $progs < "$work/exec.fifo" > "$work/profile.txt" &
prof=$!
# shellcheck disable=SC2086
timeout 3600 $qemu -singlestep -serial "file:$work/serial.log" -d exec,nochain \
	-D "$work/exec.fifo" -cdrom "$work/profile.iso" > "$work/qemu.log" 2>&1 || true
wait $prof || true
rm -f "$work/exec.fifo"
grep '^BENCH' "$work/serial.log" | tr -d '\r' || true
cat "$work/profile.txt"
