#!/bin/sh
# tests/bench/merge.sh BUILD [UNITS]: merge throughput (issue 7).
# Makes UNITS (default 1000) distinct county submissions — each its own key
# under one province CA, the sample county's inventories (a few hundred
# findings), every item answered, a signed final report — cached in
# BUILD/bench/merge/ so a second run only measures.  Then times
# `zhijian merge` of all of them into a province workspace and prints
# submissions per second (target: at least 50).
set -e
build=${1:-build}
units=${2:-${BENCH_UNITS:-1000}}
top=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build="$top/$build" ;; esac
dir="$build/bench/merge"
export ZHIJIAN_CHECKLIST="$top/checklists/opinions-2023.zjc"
mkdir -p "$dir/reports"
# A copy of the binary, so a rebuild during the long set-up cannot pull it
# from under the running jobs.
cp "$build/zhijian" "$dir/zhijian.bin"
bin="$dir/zhijian.bin"
cd "$dir"
# The cached reports carry the submission format they were made with: made
# again when the source's format moves on, or merge would refuse them all.
fmt=$(sed -n 's/^#define SUBMISSION_SCHEMA_VERSION //p' "$top/src/core/submission.h")
if [ "$(cat format 2>/dev/null)" != "$fmt" ]; then
	rm -rf reports template.db && mkdir reports && echo "$fmt" >format
fi
[ -f pass ] || { printf 'bench passphrase\n' >pass; chmod 600 pass; }
if [ ! -f ca/cert.pem ]; then
	"$bin" keygen --unit 云岭省委网信办 --code 530000 --ca --passphrase-file pass -o ca >/dev/null
fi

# One answered template workspace; each unit is a copy renamed, so the
# data (and the work of the level above) is the same for all.
if [ ! -f template.db ]; then
	"$bin" --db template.db init --unit 模板县 --code 539000 --level county --as-of 2026-06-30 --period 2026年度 \
		--parent 云岭省委网信办 >/dev/null
	for k in apps accounts groups; do "$bin" --db template.db import $k "$top/data/samples/$k.csv" >/dev/null 2>&1; done
	"$bin" --db template.db score --quiet >/dev/null
	for it in $(sqlite3 template.db "select item from proposals where verdict is not null"); do
		"$bin" --db template.db answer "$it" proposed >/dev/null
	done
	for a in $(seq 1 16); do
		for it in $("$bin" --db template.db checklist show $a | sed -n 's/^  \([0-9]*\.[0-9]*\)  .*/\1/p'); do
			[ -n "$(sqlite3 template.db "select 1 from answers where item = '$it'")" ] ||
				"$bin" --db template.db answer "$it" 符合 >/dev/null
		done
	done
	sqlite3 template.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
fi

make_unit() {
	i=$1
	code=$((540000 + i))
	out="reports/u$code.pdf"
	[ -s "$out" ] && return 0
	w="work-$code"
	rm -rf "$w" && mkdir "$w"
	cp template.db "$w/z.db"
	sqlite3 "$w/z.db" "update workspace set unit = '县$code', code = '$code'"
	"$bin" keygen --unit "县$code" --name 王敏 --code $code --csr --passphrase-file pass -o "$w/k" >/dev/null
	"$bin" ca sign "$w/k/req.pem" --key ca/key.pem --cert ca/cert.pem --passphrase-file pass -o "$w/k/cert.pem" >/dev/null
	"$bin" --db "$w/z.db" report -o "$out.tmp" --accept-generated --sign --key "$w/k/key.pem" --cert "$w/k/cert.pem" \
		--chain ca/cert.pem --passphrase-file pass --name 王敏 >/dev/null
	mv "$out.tmp" "$out"
	rm -rf "$w"
}
have=$(ls reports | grep -c '\.pdf$' || true)
if [ "$have" -lt "$units" ]; then
	echo "making $units signed unit reports in $dir/reports (cached; $have there)"
	i=1
	while [ $i -le "$units" ]; do
		make_unit $i &
		[ $((i % 2)) = 0 ] && wait
		i=$((i + 1))
	done
	wait
fi

rm -f prov.db prov.db-wal prov.db-shm
"$bin" --db prov.db init --unit 云岭省委网信办 --code 530000 --level province --as-of 2026-06-30 --period 2026年度 >/dev/null
files=$(ls reports/*.pdf | head -n "$units")
start=$(date +%s%N)
/usr/bin/time -f '%U %S %M' -o merge.time "$bin" --db prov.db merge $files --trust ca/cert.pem >merge.log 2>&1 || true
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
# CPU time too: on a machine others are using, the wall clock says more
# about them than about merge; CPU seconds per submission do not.
# (the last line: time puts "Command exited with non-zero status" before it)
cpu=$(tail -n 1 merge.time | awk '{ printf "%.2f", $1 + $2 }')
rss=$(tail -n 1 merge.time | awk '{ printf "%.1f", $3 / 1024 }')
accepted=$(sqlite3 prov.db "select count(*) from submissions where status = 'accepted'")
findings=$(sqlite3 prov.db "select sum(violated + unknown) from submissions where status = 'accepted'")
rate=$(echo "scale=1; $accepted * 1000 / $ms" | bc)
cpurate=$(echo "scale=1; $accepted / $cpu" | bc)
{
	echo "merge: $accepted of $units submissions accepted ($findings findings in all) in $(echo "scale=2; $ms / 1000" | bc) s: $rate submissions/s (target >= 50)"
	echo "merge: $cpu s of CPU (user+sys), $cpurate submissions per CPU second; peak RSS $rss MiB; load average $(cut -d' ' -f1 /proc/loadavg)"
} | tee results.txt
