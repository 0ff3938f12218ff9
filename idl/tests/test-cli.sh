#!/bin/sh
# Command line: GNU MIG's default output names, -n, -list, -prefix and
# -subrprefix, cpp flags, and the exit status on errors.
B=$1 TOP=$2 VEC=$3
out="$B/tests/cli"
rm -rf "$out"
mkdir -p "$out"
cd "$out" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
cat > t.defs <<'DEFS'
subsystem demo 7000;
#include <mach/std_types.defs>
#ifdef WITH_EXTRA
routine extra(server : mach_port_t);
#endif
routine ping(server : mach_port_t; value : int32_t);
DEFS
"$B/mig" -I"$TOP/include" t.defs || fail "mig t.defs"
for f in demoUser.c demoServer.c demo.h; do [ -s $f ] || fail "default output $f missing"; done
[ -e demo_S.h ] && fail "a server header without -sheader"
rm -f demo*
"$B/mig" -n -I"$TOP/include" t.defs || fail "mig -n"
ls demo* >/dev/null 2>&1 && fail "-n wrote files"
"$B/mig" -list -I"$TOP/include" t.defs > list || fail "mig -list"
[ "$(cat list)" = "$(printf 'demo\t7000\tping\troutine\t48\t48')" ] || fail "-list: $(cat list)"
"$B/mig" -list -DWITH_EXTRA -I"$TOP/include" t.defs | grep -q "7001	ping" || fail "-D not passed to cpp"
"$B/mig" -I"$TOP/include" -prefix __ -subrprefix _x_ -sheader s.h t.defs || fail "prefixes"
grep -q '^kern_return_t __ping(' demoUser.c || fail "-prefix on the user stub"
grep -q '^extern kern_return_t __ping(' demoServer.c || fail "-prefix on the server function"
grep -q '_x_mach_msg(&Mess.head' demoUser.c || fail "-subrprefix on mach_msg"
grep -q '_x_mig_get_reply_port()' demoUser.c || fail "-subrprefix on mig_get_reply_port"
grep -q 'demo_server(mach_msg_header_t' s.h || fail "-sheader lacks the demux"
"$B/mig" -I"$TOP/include" -user /dev/null -server /dev/null -header only.h t.defs || fail "-user /dev/null"
[ -s only.h ] || fail "-header only.h"
"$B/mig" -I"$TOP/include" /no/such.defs 2>err && fail "a missing input succeeded"
"$B/mig" -bogus t.defs 2>err && fail "an unknown option succeeded"
grep -q "unknown option" err || fail "no message for an unknown option"
echo "command line ok"
