#!/bin/sh
# Where one benchmark case spends its instructions, by function: builds ipcbench with few
# iterations, boots it with QEMU executing one guest instruction per block and logging
# each (-singlestep -d exec), cuts the log between the case's two rdtsc instructions,
# and counts instructions per kernel and user symbol, divided by the iteration count.
# Slow (a few minutes) and the log is large (~16 GB in /tmp): a developer tool, not a test.
# Usage: bench/profile.sh [function-with-the-rdtscs]   (default: bench_rpc, the null RPC)
set -eu
fn=${1:-bench_rpc}
iters=50
work=${PROFILE_DIR:-/tmp/ipcbench-profile}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
make -s kernel user
mkdir -p "$work"
cc=$(make -s -f - print-cflags <<'MK'
include Makefile
print-cflags: ; @echo $(USER_CFLAGS)
MK
)
# shellcheck disable=SC2086
gcc $cc -DWARMUP=20 -DITERATIONS=$iters -c bench/ipcbench.c -o "$work/ipcbench.o"
libs=$(make -s -f - print-libs <<'MK'
include Makefile
print-libs: ; @echo $(USER_LIB_OBJS)
MK
)
# shellcheck disable=SC2086
ld -nostdlib -static -z max-page-size=0x1000 -z noexecstack -o "$work/ipcbench" "$work/ipcbench.o" $libs
cp build/kernel.elf "$work/kernel.elf"	# the tree may be rebuilt while this runs
tools/mkiso.sh bench/bench.system "$work/bench.iso" "$work/kernel.elf" "$work"
qemu=$(make -s qemu-cmd | sed 's/ -serial mon:stdio.*//')
rm -f "$work/exec.log"
timeout 1800 $qemu -singlestep -icount shift=0,sleep=off -serial "file:$work/serial.log" \
	-d exec,nochain -D "$work/exec.log" -cdrom "$work/bench.iso" || true
set -- $(objdump -d "$work/ipcbench" --no-show-raw-insn | awk "/<$fn>:/,/^\$/" | awk '/rdtsc/ { sub(":", "", $1); print $1 }')
[ $# -ge 2 ] || { echo "profile: $fn has no two rdtsc instructions" >&2; exit 1; }
lines=$(LC_ALL=C grep -n -m 2 -E "/0*($1|$2)/" "$work/exec.log" | cut -d: -f1 | tr '\n' ' ')
# shellcheck disable=SC2086
set -- $lines
sed -n "$1,$2p" "$work/exec.log" > "$work/window.log"
nm -n "$work/kernel.elf" > "$work/ksyms.txt"
nm -n "$work/ipcbench" > "$work/usyms.txt"
python3 - "$work" "$iters" <<'PY'
import bisect, collections, sys
work, iters = sys.argv[1], int(sys.argv[2])
def load(f):
    a = sorted((int(p[0], 16), p[2]) for p in (l.split() for l in open(f)) if len(p) == 3 and p[1] in 'tTwW')
    return [x[0] for x in a], [x[1] for x in a]
kaddr, kname = load(work + '/ksyms.txt')
uaddr, uname = load(work + '/usyms.txt')
count, total = collections.Counter(), 0
for line in open(work + '/window.log'):
    if not line.startswith('Trace'):
        continue
    pc = int(line.split('[')[1].split('/')[1], 16)
    total += 1
    if pc >= 0xffffffff80000000:
        count['kernel ' + kname[bisect.bisect_right(kaddr, pc) - 1]] += 1
    else:
        count['user   ' + uname[max(bisect.bisect_right(uaddr, pc) - 1, 0)]] += 1
print('%.1f instructions per iteration' % (total / iters))
for name, n in count.most_common(40):
    print('%8.1f  %s' % (n / iters, name))
PY
