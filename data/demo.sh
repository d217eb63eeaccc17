#!/bin/sh
# data/demo.sh BIN: the main job on the bundled sample county (make demo).
# A fresh workspace in build/demo/, the three sample inventories imported,
# every rule scored as of 2026-06-30, the per-article table and the status
# printed, and a draft report written to build/demo/report.pdf.  The demo
# answers no check item (that is the inspector's work), so the report is a
# draft, and a draft is not signed: only a final report goes upward.  It
# ends with what to do next, the TUI first.
set -e
bin=$1
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${DEMO_DIR:-"$(dirname "$bin")/demo"}
db="$dir/zhijian.db"
export ZHIJIAN_CHECKLIST="$top/checklists/opinions-2023.zjc"
mkdir -p "$dir"
rm -f "$db" "$db-wal" "$db-shm" "$dir/report.pdf"

run() {
	echo "\$ zhijian $*"
	"$bin" --db "$db" "$@"
	echo
}

run init --unit 青禾县 --level county --code 539901 --as-of 2026-06-30 --period 2026年度 --parent 云岭省委网信办
run import apps "$top/data/samples/apps.csv"
run import accounts "$top/data/samples/accounts.csv"
run import groups "$top/data/samples/groups.csv"
run score
run report -o "$dir/report.pdf" --draft
run status

z="$bin --db $db"
cat <<EOF
What next:
  $z tui
      walk the 16 articles: confirm or override the rules' proposals, answer the
      other items, browse inventories and findings, keep the ledger (? for help)
  $z findings --article 7
      what the rules found, one article at a time
  $z rectify plan
      proposed rectifications (整改台账) for the findings
  $z report -o report.pdf --sign --key KEY --cert CERT
      the final report, signed, once every item is answered (README: Signatures)
The draft report is $dir/report.pdf (草稿 on every page, not signed).
EOF
