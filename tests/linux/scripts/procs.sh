# Processes, signals and the environment: sleep, kill, wait, ps, env, trap, true, false,
# test, date (formats only), uname. Background jobs run inside ( ) so that an interactive
# shell prints no job numbers or pids; ps is asked about known pids only.
true; echo "true $?"
false; echo "false $?"
! false && echo negated
true && false || echo "or-branch"
test 3 -gt 2 && test -d / && test ! -f /nonexistent && echo "tests hold"
[ abc = abc ] && [ abc != abd ] && [ -n x ] && echo "strings compare"
sleep 1; echo slept
# wait's "Terminated" note (stderr) appears only if the job was still running when wait
# began, which depends on scheduling even on Linux: only the statuses are compared.
(sleep 10 & p=$!; kill $p; wait $p 2>/dev/null; echo "killed by TERM: $?")
(sleep 10 & p=$!; kill -9 $p; wait $p 2>/dev/null; echo "killed by KILL: $?")
(sleep 10 & p=$!; kill -0 $p && echo alive; kill $p; wait $p 2>/dev/null; kill -0 $p 2>/dev/null || echo gone)
kill -l 15
sh -c 'trap "echo got USR1" USR1; kill -USR1 $$; echo after; trap "echo got TERM" TERM; sh -c "kill \$PPID"; echo end'
(sh -c 'exit 5' & wait $!; echo "background status $?")
(sleep 10 & p=$!; ps -o pid,args | awk -v p=$p '$1 == p { n++ } END { print "ps lists it:", n }'; kill $p)
ps -o pid | awk -v p=$$ '$1 == p { n++ } END { print "ps lists the shell:", n }'
env | sed "s/=.*//" | sort
env -i A=1 B=2 env | sort
env A=x sh -c 'echo "A is $A"'
X=exported; export X; sh -c 'echo "child sees $X"'
date -u -d @0 +%Y-%m-%d
date -u -d @86400 '+%A %H:%M'
date +%Y | grep -c '^[0-9][0-9][0-9][0-9]$'
uname -s
uname -m
printf '%s\n' "$HOME" "$LC_ALL" "$TERM"
umask
echo $((1 << 10)) $((17 % 5)) $((-3 + 1))
for i in 1 2 3; do [ $i -eq 2 ] && continue; echo "i=$i"; done
f() { echo "args: $# $1 $2"; return 4; }; f one two; echo "f returned $?"
echo "$(echo nested $(echo deeper))"
set -- a b c; shift; echo "$@"
