#!/bin/sh
# A scenario driver for driver.scn and driver-fails.scn (the runner's `driver` directive,
# docs/testing.md): waits up to 50 s for a serial line containing TEXT in LOG (the boot's
# log, which grows while QEMU runs), then exits with STATUS (1 if the line never came).
#   driver-wait.sh LOG TEXT STATUS
set -u
log=$1 text=$2 status=$3
i=0
while [ $i -lt 500 ]; do
	if grep -qF -- "$text" "$log" 2>/dev/null; then
		echo "driver-wait: saw '$text'; exiting with $status"
		exit "$status"
	fi
	sleep 0.1
	i=$((i + 1))
done
echo "driver-wait: no line containing '$text' in $log"
exit 1
