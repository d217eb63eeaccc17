#!/bin/sh
# data/demo.sh BIN: the main job on the bundled sample county (make demo).
# A fresh workspace in build/demo/, the three sample inventories imported,
# every rule scored as of 2026-06-30, and the per-article table printed.
set -e
bin=$1
top=$(cd "$(dirname "$0")/.." && pwd)
dir="$(dirname "$bin")/demo"
db="$dir/zhijian.db"
export ZHIJIAN_CHECKLIST="$top/checklists/opinions-2023.zjc"
mkdir -p "$dir"
rm -f "$db" "$db-wal" "$db-shm"

run() {
	echo "\$ zhijian $*"
	"$bin" --db "$db" "$@"
	echo
}

run init --unit 青禾县 --level county --code 530921 --as-of 2026-06-30 --period 2026年度
run import apps "$top/data/samples/apps.csv"
run import accounts "$top/data/samples/accounts.csv"
run import groups "$top/data/samples/groups.csv"
run score
run findings --severity high --state violated
echo "The workspace is $db; try:"
echo "  $bin --db $db status"
echo "  $bin --db $db checklist show 6"
echo "  $bin --db $db findings --article 7 --format csv"
