#!/bin/sh
# The fuzz seed corpus, replayed through the fuzz target under ASan+UBSan.
B=$1
C=$(cd "$(dirname "$0")" && pwd)/fuzz/corpus
[ -x "$B/fuzz-replay" ] || { echo "no $B/fuzz-replay (built by make test)"; exit 1; }
ASAN_OPTIONS=detect_leaks=1 "$B/fuzz-replay" "$C"/*
