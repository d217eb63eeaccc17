#!/bin/sh
# tests/bench/tui.sh BUILD [ROWS]: how fast the TUI is on a big workspace.
# Drives the real binary in tmux with ZHIJIAN_TUI_TRACE and reports, from
# the TUI's own trace (monotonic clock):
#   first frame   from the start of 'zhijian tui' to the first full frame
#                 on the terminal, and from the exec (wall clock, so it
#                 includes loading the program)
#   PgDn, End, G, Home  in the inventory browser: from reading the key to
#                 the frame being on the terminal
# Uses BUILD/bench/zhijian.db when it holds ROWS apps (make bench leaves
# it there), else builds BUILD/bench/tui-ROWS.db from gen-apps.  Never a
# pass/fail: targets are printed beside the numbers.
set -e
build=${1:-build}
rows=${2:-${BENCH_ROWS:-1000000}}
rows=${rows:-1000000}
runs=${RUNS:-7}
top=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build="$top/$build" ;; esac
dir="$build/bench"
bin="$build/zhijian"
export ZHIJIAN_CHECKLIST="$top/checklists/opinions-2023.zjc"
mkdir -p "$dir"

ws="$dir/zhijian.db"
if [ ! -f "$ws" ] || [ "$(sqlite3 "$ws" 'select count(*) from inv_apps' 2>/dev/null)" != "$rows" ]; then
	ws="$dir/tui-$rows.db"
	if [ "$(sqlite3 "$ws" 'select count(*) from inv_apps' 2>/dev/null)" != "$rows" ]; then
		csv="$dir/apps-$rows.csv"
		if [ ! -s "$csv" ]; then
			echo "generating $rows apps into $csv"
			"$build/tools/gen-apps" "$rows" 1 >"$csv.tmp" && mv "$csv.tmp" "$csv"
		fi
		echo "building $ws"
		rm -f "$ws" "$ws-wal" "$ws-shm"
		"$bin" --db "$ws" init --unit bench --level province --as-of 2026-06-30 >/dev/null
		"$bin" --db "$ws" import apps "$csv" >/dev/null
		"$bin" --db "$ws" score --quiet >/dev/null
	fi
fi

sock="zjbench-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null' EXIT
rm -f "$dir"/tui-trace.*

# wait_for PATTERN: until the trace has a line matching it (10 s at most).
wait_for() {
	i=0
	while ! grep -q "$1" "$trace" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 1000 ] || { echo "tui.sh: no '$1' in $trace" >&2; exit 1; }
		sleep 0.01
	done
}

# key KEY: sends it and waits until its frame is in the trace, so keys
# never queue up behind each other.
key() {
	n=$(grep -c "^key " "$trace" || true)
	tmux -L "$sock" send-keys "$1"
	i=0
	while [ "$(grep -c "^key " "$trace" || true)" -le "$n" ]; do
		i=$((i + 1))
		[ $i -lt 1000 ] || { echo "tui.sh: key $1 was not handled" >&2; exit 1; }
		sleep 0.01
	done
}

r=0
while [ $r -lt "$runs" ]; do
	trace="$dir/tui-trace.$r"
	tmux -L "$sock" kill-server 2>/dev/null || true
	sleep 0.1
	tmux -L "$sock" -f /dev/null new-session -d -x 80 -y 24 \
		"echo exec-at \$(date +%s%N) >>'$trace'; exec env LC_ALL=C.UTF-8 TERM=screen ZHIJIAN_TUI_TRACE='$trace' '$bin' --db '$ws' tui"
	wait_for "^first-frame-at"
	key I
	for k in PageDown PageDown PageDown PageDown PageDown End Home G g PageDown PageDown PageDown PageDown PageDown; do
		key "$k"
	done
	tmux -L "$sock" send-keys Q
	r=$((r + 1))
done

cat "$dir"/tui-trace.* | awk -v rows="$rows" -v runs="$runs" '
function median(a, n,   i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function worst(a, n,   i, m) { m = a[1]; for (i = 2; i <= n; i++) if (a[i] > m) m = a[i]; return m }
function row(what, a, n, target) {
	printf "  %-44s %8.2f %8.2f %6d   %s\n", what, median(a, n), worst(a, n), n, target
}
/^exec-at / { exec_at = $2 }
/^first-frame / { ff[++nff] = $2 }
/^first-frame-at / { wall[++nwall] = ($2 - exec_at) / 1e6 }
/^key dashboard I / { op[++nop] = $4 }
/^key inventory PgDn / { pg[++npg] = $4 }
/^key inventory (End|G) / { en[++nen] = $4 }
/^key inventory (Home|g) / { ho[++nho] = $4 }
END {
	printf "bench tui: %d apps rows, %d runs, 80x24; milliseconds\n", rows, runs
	printf "  %-44s %8s %8s %6s\n", "", "median", "worst", "n"
	row("first frame, from the start of zhijian tui", ff, nff, "target < 100")
	row("first frame, from the exec (wall clock)", wall, nwall, "target < 100")
	row("I: open the inventory browser (counts rows)", op, nop, "")
	row("PgDn: the next page of rows", pg, npg, "target < 16")
	row("End / G: jump to the last row", en, nen, "target < 16")
	row("Home / g: jump to the first row", ho, nho, "target < 16")
}' | tee "$dir/tui-results.txt"
