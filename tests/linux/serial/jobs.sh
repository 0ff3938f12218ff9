#!/bin/bash
# jobs.sh PATH LOG [DIR]: the driver of tests/linux/scenarios/jobs.scn, job control in
# busybox's interactive shell over a terminal (the FIFO pair PATH.in, PATH.out;
# tty-lib.sh).
# The shell under test is not the terminal's first shell (pid 1's on the guest, whose
# jobs would be orphaned process groups that Linux never stops): from that one, as `make
# run` does, `busybox setsid -c busybox sh -i` starts it in a session of its own, taking
# the terminal (TIOCSCTTY). Then:
#   ^Z stops a foreground `sleep 100` ("Stopped"), `jobs` lists it, `bg` runs it in the
#   background ("Running"), `fg` brings it back and ^C ends it (status 130);
#   a background `cat` and a background `read x` read the terminal: SIGTTIN stops them
#   ("Stopped (tty input)"; `wait` returns once they stop);
#   ^C after ^C at a job that traps SIGINT and makes system calls meanwhile;
#   a SIGTERM sent to the stopped cat waits (state T in /proc/PID/stat) until
#   `kill -CONT`, and then ends it (fg: status 143);
#   `kill -STOP` stops a background sleep ("Stopped (signal)", state T), `kill -CONT`
#   lets it sleep again (state S);
#   vi takes ^Z itself, puts the terminal back and stops; fg, and it edits on.
# Files go to DIR (default /tmp).
# Each status line is the text busybox's ash prints on Linux (tests/linux/serial/native.sh
# runs this same driver on a pseudo-terminal of the build machine: make test-unit).
set -u
export LC_ALL=C
. "$(dirname "$0")/tty-lib.sh"
tty_open jobs "$1" "$2"
dir=${3:-/tmp}			# where it writes files
P='@J@ '			# the inner shell's prompt

wait_for '# ' 300 "the first shell's prompt"
# (Typed so that its echo holds neither the prompt nor inner-done.)
type_line "busybox sh -c 'p=@J; PS1=\"\$p@ \" busybox setsid -c busybox sh -i; echo inner-\"\"done'"
wait_for "$P" 60 "the prompt of the shell in its own session"
type_line "cd $dir"
wait_for "$P" 30 "the prompt"
# Taking the terminal from the first shell's session (TIOCSCTTY, stealing) only takes it:
# Linux sends that session no SIGHUP, so `busybox sh -c`, this shell's parent, lives.
type_line 'cut -d" " -f4 /proc/$$/stat | grep -qvx 1 && echo parent-alive'
wait_for $'\r\nparent-alive\r\n' 30 \
	"the parent of the shell that took the terminal (it should not get SIGHUP)"
wait_for "$P" 30 "the prompt"

# fg, then ^C: the shell prints the job's name before it gives the job the terminal, so a
# ^C typed at once may reach the shell instead, which then leaves the job running and
# reports 130 itself. `jobs` tells: the job must be gone. (Seen natively too.)
fg_interrupt() {
	local try
	for try in 1 2 3 4 5; do
		type_line 'fg'
		wait_for $'fg\r\nsleep 100\r\n' 30 "fg"
		key_until '\003' "$P" "^C on the job brought back by fg"
		type_line 'echo status=$?; jobs'
		wait_for 'status=130' 30 "the status of the job ended by ^C"
		wait_for "$P" 30 "the prompt"
		case $got in *'sleep 100'*) ;; *) return 0 ;; esac
	done
	fail "^C never ended the job brought back by fg"
}

# ^Z, jobs, bg, fg, ^C.
type_line 'sleep 100'
wait_for 'sleep 100' 30 "the echo of 'sleep 100'"
key_until '\032' 'Stopped                    sleep 100' "^Z on a foreground sleep"
wait_for "$P" 30 "the prompt after ^Z"
type_line 'jobs'
wait_for '[1]+  Stopped                    sleep 100' 30 "jobs after ^Z"
wait_for "$P" 30 "the prompt after jobs"
type_line 'bg'
wait_for '[1] sleep 100' 30 "bg"
wait_for "$P" 30 "the prompt after bg"
type_line 'jobs'
wait_for '[1]+  Running                    sleep 100' 30 "jobs after bg (the job should run)"
wait_for "$P" 30 "the prompt after jobs"
fg_interrupt

# ^C after ^C at a job that handles SIGINT while it makes system calls (opens, dups,
# closes): each must run its handler and leave every call's result alone. (A signal
# that came while a call's request still waited for the personality was once built
# on the registers of the call, which then returned its own number: fcntl gave 72,
# "sh: 72: Bad file descriptor".)
type_line '(trap "k=\$((k+1))" INT; echo g""o; k=0; while [ $k -lt 20 ]; do : >f; done; echo k=$k) 2>&1'
wait_for $'\r\ngo\r\n' 30 "the start of the job that handles SIGINT"
n=0
until read_until $'k=20\r\n' 0.3; do
	case $seen in *'sh: '*) fail "the job's system calls failed under ^C: $(printf '%q' "$seen")" ;; esac
	n=$((n+1))
	[ $n -le 200 ] || fail "the job that handles SIGINT did not count 20 of 200 ^C: $(printf '%q' "$seen")"
	type_keys '\003'
done
case $got in *'sh: '*) fail "the job's system calls failed under ^C: $(printf '%q' "$got")" ;; esac
wait_for "$P" 30 "the prompt"

# Background readers of the terminal: SIGTTIN stops them, and `wait` returns.
type_line 'cat & wait; echo wait=$?'
wait_for 'wait=0' 30 "a background cat reading the terminal (SIGTTIN should stop it)"
wait_for "$P" 30 "the prompt"
type_line 'jobs'
wait_for '[1]+  Stopped (tty input)        cat' 30 "jobs with the background cat"
wait_for "$P" 30 "the prompt"
# A SIGTERM sent while it is stopped waits for SIGCONT (the state stays T), then ends it.
type_line 'kill %1; cut -d" " -f3 /proc/$!/stat'
wait_for $'\r\nT\r\n' 30 "the state of the stopped cat after SIGTERM (it should stay stopped)"
wait_for "$P" 30 "the prompt"
# (fg waits for the job and gives its status. Whether ash also prints "Terminated"
# depends on when SIGCHLD comes: here the process ends within kill, so the shell reaps
# it quietly at once; on Linux it ends a moment later, inside fg's wait.)
type_line 'kill -CONT %1; fg; echo st=$?'
wait_for 'st=143' 30 "the pending SIGTERM after kill -CONT (status 128+15)"
wait_for "$P" 30 "the prompt"
# busybox's read polls first and reads once input is there: a line typed wakes it, and
# its read, not the shell (which waits), gets SIGTTIN; the shell then runs the line.
type_line 'read x & wait; echo wait=$?'
wait_for 'read x & wait; echo wait=$?' 30 "the echo of the line"
type_line 'echo typed'
wait_for 'wait=0' 30 "a background 'read x' (SIGTTIN should stop it once a line is typed)"
wait_for $'\r\ntyped\r\n' 30 "the line typed while the background read waited, run by the shell"
wait_for "$P" 30 "the prompt"
type_line 'jobs'
wait_for '[1]+  Stopped (tty input)        read x' 30 "jobs with the background read"
wait_for "$P" 30 "the prompt"
type_line 'kill -9 %1; fg; echo st=$?'
wait_for 'st=137' 30 "kill -9 of the stopped read (status 128+9)"
wait_for "$P" 30 "the prompt"

# kill -STOP and kill -CONT of a background job. (Right after the fork, the job may
# still ignore what the shell ignores, SIGTERM among them: hence no SIGTERM here.)
type_line 'sleep 300 & kill -STOP $!; wait; echo wait=$?'
wait_for 'wait=0' 30 "kill -STOP of a background sleep (wait should return)"
wait_for "$P" 30 "the prompt"
type_line 'jobs; cut -d" " -f3 /proc/$!/stat'
wait_for $'[1]+  Stopped (signal)           sleep 300\r\nT\r\n' 30 \
	"jobs and the state of the stopped sleep"
wait_for "$P" 30 "the prompt"
# Once continued it goes back to sleeping (state S); ash does not ask to hear of it.
type_line 'kill -CONT %1; until [ "$(cut -d" " -f3 /proc/$!/stat)" = S ]; do :; done; echo asleep'
wait_for $'\r\nasleep\r\n' 30 "the sleep continued by kill -CONT (state S)"
wait_for "$P" 30 "the prompt"
type_line 'kill -9 %1; fg; echo st=$?'
wait_for 'st=137' 30 "kill -9 of the continued sleep (status 128+9)"
wait_for "$P" 30 "the prompt"

# A full-screen program under job control: vi reads ^Z as a key (raw mode, no ISIG),
# puts the terminal back and stops itself; fg continues it, and it redraws and takes
# raw mode again.
type_line 's=$(stty -g); vi v.txt'
wait_for "- v.txt 1/1 100%" 30 "vi's status line"
type_keys '\032'
wait_for 'Stopped (signal)           vi v.txt' 30 "^Z in vi"
wait_for "$P" 30 "the prompt"
type_line '[ "$(stty -g)" = "$s" ] && echo cooked-while-stopped'
wait_for $'\r\ncooked-while-stopped\r\n' 30 "the terminal's settings while vi is stopped"
wait_for "$P" 30 "the prompt"
type_line 'fg'
wait_for "- v.txt 1/1 100%" 30 "vi redrawn after fg"
type_keys 'ihi\033'
wait_for "- v.txt [Modified] 1/1 100%" 30 "vi taking keys again after fg"
type_keys ':wq\r'
wait_for "'v.txt' 1L, 3C" 30 "vi writing v.txt"
wait_for "$P" 30 "the prompt after vi"
type_line 'cat v.txt; [ "$(stty -g)" = "$s" ] && echo restored'
wait_for $'\r\nhi\r\nrestored\r\n' 30 "v.txt and the terminal's settings after vi"
wait_for "$P" 30 "the prompt"

type_line 'exit'
wait_for $'\r\ninner-done\r\n' 30 "the end of the shell in its own session"
wait_for '# ' 30 "the first shell's prompt again"
# (Which lost the terminal: "can't set tty process group", status 2, as on Linux.)
type_line 'exit 0'
echo "jobs: ^Z, jobs, bg, fg, ^C, SIGTTIN, kill -STOP/-CONT, vi and ^Z all as on Linux"
