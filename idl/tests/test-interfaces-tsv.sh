#!/bin/sh
# The project's .defs against abi/interfaces.tsv: for every message id,
# the subsystem, routine name, kind and request/reply sizes that mig
# computes must be the table's.
B=$1 TOP=$2 VEC=$3
TSV=${ABI_TSV:-$(dirname "$VEC")/abi/interfaces.tsv}
[ -f "$TSV" ] || { echo "no interfaces.tsv at $TSV"; exit 1; }
out="$B/tests/tsv"
mkdir -p "$out"
: > "$out/got"
# device/notify.defs leaves notify_port_t to its includer.
echo 'type notify_port_t = MACH_MSG_TYPE_MOVE_SEND_ONCE ctype: mach_port_t;' > "$out/notify_port.defs"
for f in $(cut -f1 "$TSV" | sed 1d | sort -u); do
	extra=""
	[ "$f" = device/notify.defs ] && extra="-include $out/notify_port.defs"
	"$B/mig" -I"$TOP/include" $extra -list "$TOP/include/$f" > "$out/list" || { echo "mig failed on $f"; exit 1; }
	sed "s|^|$f\t|" "$out/list" >> "$out/got"
done
# interface, subsystem, id, name, kind, request bytes, reply bytes
awk -F'\t' 'NR > 1 { print $1 "\t" $2 "\t" $4 "\t" $5 "\t" $6 "\t" $8 "\t" $9 }' "$TSV" | sort > "$out/want"
sort "$out/got" > "$out/got.sorted"
if ! diff "$out/want" "$out/got.sorted" > "$out/diff"; then
	echo "mismatches (< interfaces.tsv, > mig -list):"
	cat "$out/diff"
	exit 1
fi
echo "$(wc -l < "$out/want") message ids match interfaces.tsv"
