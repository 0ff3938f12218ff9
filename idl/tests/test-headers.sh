#!/bin/sh
# Every header in include/ compiles on its own, hosted and freestanding
# (only gcc's own headers), without warnings.
B=$1 TOP=$2
out="$B/tests/headers"
mkdir -p "$out"
GCCINC=$(cc -print-file-name=include)
status=0 n=0
for h in $(cd "$TOP/include" && find . -name '*.h' | sed 's|^\./||' | sort); do
	n=$((n + 1))
	printf '#include <%s>\n' "$h" > "$out/one.c"
	cc -std=gnu11 -Wall -Wextra -Werror -I"$TOP/include" -c "$out/one.c" -o "$out/one.o" \
		|| { echo "FAIL hosted $h"; status=1; }
	cc -std=gnu11 -ffreestanding -nostdinc -isystem "$GCCINC" -Wall -Wextra -Werror \
		-I"$TOP/include" -c "$out/one.c" -o "$out/one.o" || { echo "FAIL freestanding $h"; status=1; }
done
echo "$n headers compile hosted and freestanding"
exit $status
