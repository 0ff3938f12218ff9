#!/bin/sh
# Prints the Linux benchmarks side by side: per case the instructions per operation on the
# Linux personality (OURS) and on Debian's kernel in the same QEMU (NATIVE), and the
# ratio; then checks issue 7's targets. Either file may lack a case ("-").
# usage: bench/compare.sh OURS NATIVE     (files holding "BENCH case value" lines)
# Exits 1 if a target was missed or cannot be checked.
set -u
[ $# -eq 2 ] || { echo "usage: $0 OURS NATIVE" >&2; exit 2; }
awk -v ours="$1" -v native="$2" '
function load(file, into,    line, f) {
	while ((getline line < file) > 0) {
		gsub(/\r/, "", line)
		split(line, f, " ")
		if (f[1] == "BENCH" && f[2] != "done" && f[3] ~ /^[0-9]+$/) {
			if (!(f[2] in seen)) { order[++n] = f[2]; seen[f[2]] = 1 }
			into[f[2]] = f[3]
		}
	}
	close(file)
}
BEGIN {
	load(native, nat)
	load(ours, our)
	# Issue 7: the most a case may cost, as a multiple of native Linux.
	target["shell-script"] = 1.25; target["getpid"] = 3
	target["pipe-roundtrip"] = 1.5; target["fork-exec-wait"] = 2
	printf "%-22s %14s %14s %8s  %s\n", "case", "ours", "native", "ratio", "target"
	status = 0
	for (i = 1; i <= n; i++) {
		c = order[i]
		o = (c in our) ? our[c] : "-"
		v = (c in nat) ? nat[c] : "-"
		r = (o != "-" && v != "-" && v > 0) ? sprintf("%.2f", o / v) : "-"
		t = ""
		if (c in target) {
			if (r == "-") { t = sprintf("<= %.2fx: NOT MEASURED", target[c]); status = 1 }
			else if (o / v <= target[c]) t = sprintf("<= %.2fx: met", target[c])
			else { t = sprintf("<= %.2fx: MISSED", target[c]); status = 1 }
		}
		printf "%-22s %14s %14s %8s  %s\n", c, o, v, r, t
	}
	for (c in target)
		if (!(c in seen)) { printf "%-22s %14s %14s %8s  <= %.2fx: NOT MEASURED\n", c, "-", "-", "-", target[c]; status = 1 }
	exit status
}'
