#!/bin/sh
# Bad input: each file in bad/ names, on its first line, the message mig
# must print (`/* expect: file:line: message */`); mig must exit 1 (not
# crash) and print that line.
B=$1
cd "$(dirname "$0")/bad" || exit 1
status=0 n=0
for f in *.defs; do
	n=$((n + 1))
	want=$(sed -n '1s|^/\* expect: \(.*\) \*/$|\1|p' "$f")
	[ -n "$want" ] || { echo "FAIL $f: no expect line"; status=1; continue; }
	got=$("$B/mig" -n "$f" 2>&1)
	rc=$?
	if [ $rc -ne 1 ]; then
		echo "FAIL $f: exit status $rc, want 1"; echo "$got" | sed 's/^/    /'; status=1
	elif ! printf '%s\n' "$got" | grep -qF -- "$want"; then
		echo "FAIL $f: want: $want"; echo "$got" | sed 's/^/    got: /'; status=1
	else
		echo "ok $f"
	fi
done
echo "$n bad .defs files checked"
exit $status
