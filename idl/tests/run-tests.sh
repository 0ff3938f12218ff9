#!/bin/sh
# Runs every generator test, prints one line per test and a summary;
# exits non-zero if any test failed.
B=$1 TOP=$2 VEC=$3 GNUMACH=$4
T=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0 skip=0
failed=""

run() {	# run NAME COMMAND...: one test, its output kept in a log
	name=$1; shift
	log="$B/tests/logs/$name.log"
	mkdir -p "$B/tests/logs"
	if "$@" >"$log" 2>&1; then
		if grep -q '^SKIP' "$log"; then
			echo "SKIP  $name: $(grep '^SKIP' "$log" | head -1)"; skip=$((skip + 1))
		else
			echo "PASS  $name"; pass=$((pass + 1))
		fi
	else
		echo "FAIL  $name (log: $log)"; tail -n 30 "$log" | sed 's/^/      /'
		fail=$((fail + 1)); failed="$failed $name"
	fi
}

for t in "$T"/test-*.sh; do
	[ -e "$t" ] || continue
	n=$(basename "$t" .sh); n=${n#test-}
	run "$n" sh "$t" "$B" "$TOP" "$VEC" "$GNUMACH"
done
echo "idl tests: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
