#!/bin/sh
# tests/fuzz/run.sh SECONDS FUZZER...: runs each libFuzzer target for SECONDS
# on its seed corpus (tests/fuzz/corpus/NAME) plus what earlier runs found
# (build-fuzz/corpus/NAME), and prints one TAP line per target with its
# figures (runs, coverage, new inputs) so tests/run.sh can count it.
secs=$1
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
n=0
failed=0
for f in "$@"; do
	n=$((n + 1))
	case $f in /*) ;; *) f="$top/$f" ;; esac
	name=$(basename "$f")
	short=${name#fuzz_}
	work="$top/build-fuzz/corpus/$short"
	log="$top/build-fuzz/$name.log"
	mkdir -p "$work"
	seeds="$top/tests/fuzz/corpus/$short"
	[ -d "$seeds" ] || seeds=
	( cd "$top/build-fuzz" && "$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 "$work" $seeds ) >"$log" 2>&1
	rc=$?
	runs=$(LC_ALL=C sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -a -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	if [ "$rc" = 0 ]; then
		echo "ok $n - $name: ${runs:-?} runs in ${secs}s, coverage ${cov:-?} edges, corpus $(ls "$work" | wc -l)"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name: crashed (exit $rc), see $log"
		grep -m 5 -E 'ERROR|runtime error|SUMMARY' "$log" | sed 's/^/#   /'
	fi
done
echo "1..$n"
[ "$failed" = 0 ]
