#!/bin/sh
# tests/bench/run.sh BUILD [ROWS]: make bench.
# Writes a realistic apps CSV of ROWS rows (default 1,000,000, ~150 MB) with
# tests/bench/gen-apps.c, then in one run, side by side on the same file:
#   reference  sqlite3 ref.db ".import --csv apps.csv t"
#   zhijian    import apps apps.csv   (into a fresh workspace)
#   zhijian    score
#   zhijian    report --draft
# Each is run REPEAT times (default 3) and the fastest kept; peak RSS from
# /usr/bin/time.  Prints the ratios the README reports.  Never a pass/fail.
set -e
build=${1:-build}
rows=${2:-${BENCH_ROWS:-1000000}}
rows=${rows:-1000000}
repeat=${REPEAT:-3}
top=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build="$top/$build" ;; esac
dir="$build/bench"
bin="$build/zhijian"
export ZHIJIAN_CHECKLIST="$top/checklists/opinions-2023.zjc"
mkdir -p "$dir"
csv="$dir/apps-$rows.csv"
if [ ! -s "$csv" ]; then
	echo "generating $rows apps into $csv"
	"$build/tools/gen-apps" "$rows" 1 >"$csv.tmp" && mv "$csv.tmp" "$csv"
fi
size=$(stat -c %s "$csv")

# measure NAME PREP CMD...: runs PREP then CMD REPEAT times; sets best_s,
# best_cpu (user + system seconds, the fair figure on a busy machine),
# best_kb, and rc (the last run's exit status: a refusal is measured too).
measure() {
	name=$1 prep=$2
	shift 2
	best_s= best_kb= best_cpu=
	i=0
	while [ $i -lt "$repeat" ]; do
		sh -c "$prep"
		rc=0
		/usr/bin/time -f '%e %M %U %S' -o "$dir/time.out" "$@" >"$dir/$name.log" 2>&1 || rc=$?
		# A failed run's figures follow time's "Command exited" line.
		read -r s kb u sy <<-EOF
		$(tail -n 1 "$dir/time.out")
		EOF
		cpu=$(echo "$u + $sy" | bc | sed "s/^\./0./")
		if [ -z "$best_s" ] || [ "$(echo "$s < $best_s" | bc)" = 1 ]; then best_s=$s; fi
		if [ -z "$best_cpu" ] || [ "$(echo "$cpu < $best_cpu" | bc)" = 1 ]; then best_cpu=$cpu; fi
		if [ -z "$best_kb" ] || [ "$kb" -gt "$best_kb" ]; then best_kb=$kb; fi
		i=$((i + 1))
	done
}

# The same rows as an .xlsx workbook (libxlsxwriter, typed cells), made once.
xlsx="$dir/apps-$rows.xlsx"
if [ ! -s "$xlsx" ]; then
	echo "writing the same rows as $xlsx"
	"$build/tools/wbgen" bench "$csv" "$xlsx.tmp" && mv "$xlsx.tmp" "$xlsx"
fi
xsize=$(stat -c %s "$xlsx")
# And as Excel and WPS save them: a shared strings table (wbgen bench-sst).
xsst="$dir/apps-$rows-sst.xlsx"
if [ ! -s "$xsst" ]; then
	echo "writing the same rows with shared strings as $xsst"
	"$build/tools/wbgen" bench-sst "$csv" "$xsst.tmp" && mv "$xsst.tmp" "$xsst"
fi
ssize=$(stat -c %s "$xsst")

ref="$dir/ref.db"
ws="$dir/zhijian.db"
measure sqlite3 "rm -f '$ref'" sqlite3 "$ref" ".import --csv $csv t"
sq_s=$best_s sq_kb=$best_kb sq_cpu=$best_cpu
# The .xlsx import first, side by side with the CSV one; the CSV import
# leaves the workspace that score and report use.
measure import-xlsx "rm -f '$ws' '$ws-wal' '$ws-shm'; '$bin' --db '$ws' init --unit bench --level province --as-of 2026-06-30 >/dev/null" \
	"$bin" --db "$ws" import apps "$xlsx"
ix_s=$best_s ix_kb=$best_kb ix_cpu=$best_cpu
measure import-xlsx-sst "rm -f '$ws' '$ws-wal' '$ws-shm'; '$bin' --db '$ws' init --unit bench --level province --as-of 2026-06-30 >/dev/null" \
	"$bin" --db "$ws" import apps "$xsst"
is_s=$best_s is_kb=$best_kb is_cpu=$best_cpu is_rc=$rc
measure import "rm -f '$ws' '$ws-wal' '$ws-shm'; '$bin' --db '$ws' init --unit bench --level province --as-of 2026-06-30 >/dev/null" \
	"$bin" --db "$ws" import apps "$csv"
im_s=$best_s im_kb=$best_kb im_cpu=$best_cpu
measure score "true" "$bin" --db "$ws" score --quiet
sc_s=$best_s sc_kb=$best_kb sc_cpu=$best_cpu
# Once more with ZHIJIAN_SCORE_TRACE: the CPU time of each thread (the
# scan of the lower half and every write on the main thread, the upper half
# on the helper, each similarity pass on its own).
# score_threads FILE: "main W s, helper X s, within Y s, across Z s".
score_threads() {
	awk '{ who = $2 == "pass" ? $3 : $2; sub(":", "", who); cpu[who] += $(NF - 1) }
	     END { printf "main %.2f s, helper %.2f s, within %.2f s, across %.2f s", cpu["main"] / 1e3,
		   cpu["helper"] / 1e3, cpu["within"] / 1e3, cpu["across"] / 1e3 }' "$1"
}
rm -f "$dir/score.trace"
ZHIJIAN_SCORE_TRACE="$dir/score.trace" "$bin" --db "$ws" score --quiet >/dev/null
findings=$(sqlite3 "$ws" "select count(*) from findings")
# The same at a province with the planted-data generator's million rows
# (tests/bench/plant.c: every case of every rule, each followed by a clean
# row), against the reference's import of that file.
pdir="$dir/planted-$rows"
if [ ! -s "$pdir/apps.csv" ]; then
	echo "planting $rows apps into $pdir"
	mkdir -p "$pdir" && "$build/tools/plant" "$pdir" --rows "$rows"
fi
pref="$dir/ref-planted.db"
pws="$dir/planted.db"
measure sqlite3-planted "rm -f '$pref'" sqlite3 "$pref" ".import --csv $pdir/apps.csv t"
psq_s=$best_s psq_cpu=$best_cpu
rm -f "$pws" "$pws-wal" "$pws-shm"
"$bin" --db "$pws" init --unit bench --level province --as-of 2026-06-30 >/dev/null
"$bin" --db "$pws" import apps "$pdir/apps.csv" >/dev/null 2>&1
measure score-planted "true" "$bin" --db "$pws" score --quiet
psc_s=$best_s psc_kb=$best_kb psc_cpu=$best_cpu
rm -f "$dir/score-planted.trace"
ZHIJIAN_SCORE_TRACE="$dir/score-planted.trace" "$bin" --db "$pws" score --quiet >/dev/null
rm -f "$pref" "$pws" "$pws-wal" "$pws-shm"
# The report (issue 5): a draft, as the bench workspace has no answers.
pdf="$dir/report.pdf"
measure report "rm -f '$pdf' '$dir/report.trace'" env ZHIJIAN_REPORT_TRACE="$dir/report.trace" \
	"$bin" --db "$ws" report --draft -o "$pdf"
rp_s=$best_s rp_kb=$best_kb
rp_pages=$(sed -n "s/^wrote .*: \([0-9]*\) pages.*/\1/p" "$dir/report.log")
rp_size=$(stat -c %s "$pdf")

ratio() { echo "scale=2; $1 / $2" | bc | sed 's/^\./0./'; }
mib() { echo "scale=1; $1 / 1024" | bc | sed 's/^\./0./'; }

{
echo "bench: $rows apps rows, $(mib $((size / 1024))) MiB CSV, best of $repeat, $(nproc) cores"
printf '%-34s %8s %10s %8s\n' "" "seconds" "peak RSS" "ratio"
printf '%-34s %8s %7s MiB %8s\n' "sqlite3 .import --csv (reference)" "$sq_s" "$(mib "$sq_kb")" "1.00"
printf '%-34s %8s %7s MiB %8s\n' "zhijian import apps" "$im_s" "$(mib "$im_kb")" "$(ratio "$im_s" "$sq_s")"
printf '%-34s %8s %7s MiB %8s\n' "zhijian import apps (.xlsx)" "$ix_s" "$(mib "$ix_kb")" "$(ratio "$ix_s" "$sq_s")"
if [ "$is_rc" = 0 ]; then
printf '%-34s %8s %7s MiB %8s\n' "zhijian import apps (.xlsx, sst)" "$is_s" "$(mib "$is_kb")" "$(ratio "$is_s" "$sq_s")"
fi
printf '%-34s %8s %7s MiB %8s\n' "zhijian score" "$sc_s" "$(mib "$sc_kb")" "$(ratio "$sc_s" "$sq_s")"
printf '%-34s %8s %7s MiB %8s\n' "zhijian report --draft" "$rp_s" "$(mib "$rp_kb")" "$(ratio "$rp_s" "$sq_s")"
printf '%-34s %8s %10s %8s\n' "sqlite3 .import (planted file)" "$psq_s" "" "1.00"
printf '%-34s %8s %7s MiB %8s\n' "zhijian score (planted file)" "$psc_s" "$(mib "$psc_kb")" "$(ratio "$psc_s" "$psq_s")"
echo "score: $findings of $rows apps have findings"
echo "score CPU (user+sys): $sc_cpu s = $(ratio "$sc_cpu" "$sq_cpu") x the reference's $sq_cpu s;" \
	"planted file $psc_cpu s = $(ratio "$psc_cpu" "$psq_cpu") x $psq_cpu s"
echo "score CPU by thread: $(score_threads "$dir/score.trace"); planted file: $(score_threads "$dir/score-planted.trace")"
echo "report: $rp_pages pages, $(mib $((rp_size / 1024))) MiB PDF with the submission embedded"
echo "report stages of its last run (ms since the start, wall/CPU/main thread's CPU):" \
	$(awk '{ printf "%s %s/%s/%s; ", $2, $3, $4, $5 }' "$dir/report.trace")
echo "xlsx: CPU (user+sys) of the import: CSV $im_cpu s; .xlsx, inline strings ($(mib $((xsize / 1024))) MiB)" \
	"$ix_cpu s = $(ratio "$ix_cpu" "$im_cpu") x the CSV import, peak RSS $(mib "$ix_kb") MiB"
if [ "$is_rc" = 0 ]; then
	# Past 8 MiB the shared strings go to a temporary file: RSS stays bounded.
	echo "      .xlsx, shared strings ($(mib $((ssize / 1024))) MiB) $is_cpu s = $(ratio "$is_cpu" "$im_cpu") x the CSV import," \
		"peak RSS $(mib "$is_kb") MiB"
else
	echo "      .xlsx, shared strings ($(mib $((ssize / 1024))) MiB) refused: $(tail -n 1 "$dir/import-xlsx-sst.log")"
fi
echo "targets: import <= 1.00, score <= 0.70, report <= 1.00 (of the reference time); import and score peak RSS < 64 MiB;"
echo "         .xlsx import <= 2.00 x the CSV import, peak RSS < 64 MiB"
} | tee "$dir/results.txt"

# The TUI on the same workspace: first frame and keys (tests/bench/tui.sh).
sh "$top/tests/bench/tui.sh" "$build" "$rows"

# The roll-up: merging BENCH_UNITS (default 1000) signed unit reports
# (tests/bench/merge.sh; the reports are made once and cached).
sh "$top/tests/bench/merge.sh" "$build" "${BENCH_UNITS:-1000}"
