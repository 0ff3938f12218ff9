# The resilience cases on the Linux personality, typed into its shell by ttydrive
# (tests/linux/scenarios/guests.scn); the output must equal expected/cases.out. The
# first eight are checked natively one by one (tests/linux/check-guests.sh); forkbomb's
# and memhog's figures depend on the system's limits, so only their shape is compared.
set -o pipefail
/tests/bin/enosys; echo "status $?"
/tests/bin/efault; echo "status $?"
/tests/bin/crash; echo "status $?"
/tests/bin/crash handler; echo "status $?"
/tests/bin/crash return; echo "status $?"
/tests/bin/signals; echo "status $?"
/tests/bin/vfork; echo "status $?"
/tests/bin/times; echo "status $?"
/tests/bin/forkbomb | sed -E 's/(after|reaped) [0-9]+/\1 N/'; echo "status $?"
/tests/bin/memhog | sed -E 's/after [0-9]+ MiB/after N MiB/'; echo "status $?"
echo "the shell is still here"
