#!/bin/sh
# tests/total.sh COUNTS: the closing line of make check from the numbers each
# run added to COUNTS ("passed failed skipped" per line); fails if any failed
# or if no run reported at all (a broken harness must not pass).
passed=0
failed=0
skipped=0
runs=0
if [ -f "$1" ]; then
	while read -r p f s; do
		passed=$((passed + p))
		failed=$((failed + f))
		skipped=$((skipped + ${s:-0}))
		runs=$((runs + 1))
	done <"$1"
fi
if [ "$runs" = 0 ]; then
	echo "no test run reported: the harness itself is broken" >&2
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
