#!/bin/sh
# The ledger in Excel and back: rectify export --format xlsx has columns for
# the units to fill in (整改进展, 进展日期, 佐证材料); rectify import reads the
# workbook back row by row through the rules of rectify update, says what
# changed, refuses a bad row by its cell and keeps the others, logs it, and
# changes nothing when the same workbook is imported again.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

sq="'"

WBGEN="$BUILD/tools/wbgen"
T="$(printf "\t")"

test_expect_success 'set-up: the sample county with a planned ledger, exported' '
	[ -x "$WBGEN" ] || skip "no wbgen (make tools)" &&
	sample_workspace && zhijian score --quiet >/dev/null &&
	zhijian rectify plan --apply --deadline 2026-09-30 >/dev/null &&
	expect_exit 0 zhijian rectify export --format xlsx -o ledger.xlsx &&
	unzip -p ledger.xlsx xl/sharedStrings.xml >strings.xml &&
	contains strings.xml "整改进展" && contains strings.xml "进展日期" && contains strings.xml "佐证材料"
'

test_expect_success 'set-up: a unit fills in the workbook' '
	[ -x "$WBGEN" ] || skip "no wbgen" &&
	echo "整改通知书" >notice.txt &&
	{
		echo "#sheet 整改台账"
		echo "s:青禾县整改台账（填报）"
		echo "s:编号${T}s:状态${T}s:责任人${T}s:整改时限${T}s:整改进展${T}s:进展日期${T}s:佐证材料"
		echo "n:1${T}s:整改中${T}${T}${T}s:已下发整改通知${T}d:2026-07-15${T}s:notice.txt"
		echo "n:2${T}s:已验证"
		echo "n:3${T}${T}${T}s:2026-02-30"
		echo "n:999${T}s:整改中"
		echo "n:4${T}s:待整改"
		echo "n:5${T}${T}s:王敏${T}${T}${T}${T}s:县教发〔2026〕12号"
		echo "s:完成了${T}s:整改中"
	} >filled.sheet &&
	"$WBGEN" xlsx filled.sheet filled.xlsx
'

test_expect_success 'import applies the good rows, refuses each bad one by its cell, and exits 65' '
	[ -x "$WBGEN" ] || skip "no wbgen" &&
	before=$(sqlite3 zhijian.db "select status from rectifications where id = 2") &&
	expect_exit 65 zhijian rectify import filled.xlsx &&
	contains out "#1 (row 3): 待整改 → 整改中; evidence notice.txt; progress note" &&
	contains out "#5 (row 8): owner 王敏; progress note" &&
	contains err "refused: filled.xlsx:整改台账!B4: rectification 2 is 待整改: only a rectification that is done" &&
	contains err "refused: filled.xlsx:整改台账!D5: column ${sq}整改时限${sq}: ${sq}2026-02-30${sq} is not a date" &&
	contains err "refused: filled.xlsx:整改台账!A6: no rectification 999" &&
	contains err "refused: filled.xlsx:整改台账!A9: column ${sq}编号${sq}: ${sq}完成了${sq} is not a rectification number" &&
	contains out "7 rows: 2 changed, 1 unchanged, 4 refused" &&
	test "$(sqlite3 zhijian.db "select status from rectifications where id = 1")" = in_progress &&
	test "$(sqlite3 zhijian.db "select status from rectifications where id = 2")" = "$before" &&
	test "$(sqlite3 zhijian.db "select text from rect_events where rect = 1 and kind = ${sq}note${sq}")" = "2026-07-15 已下发整改通知" &&
	test "$(sqlite3 zhijian.db "select count(*) from rect_evidence where rect = 1 and path like ${sq}%notice.txt${sq}")" = 1 &&
	test "$(sqlite3 zhijian.db "select owner from rectifications where id = 5")" = 王敏 &&
	test "$(sqlite3 zhijian.db "select text from rect_events where rect = 5 and kind = ${sq}note${sq}")" = "佐证材料：县教发〔2026〕12号" &&
	zhijian log -n 1 >log && contains log "import filled.xlsx: 7 rows, 2 changed, 1 unchanged, 4 refused"
'

test_expect_success 'the same workbook imported again adds nothing' '
	[ -x "$WBGEN" ] || skip "no wbgen" &&
	n=$(sqlite3 zhijian.db "select count(*) from rect_events") &&
	expect_exit 65 zhijian rectify import filled.xlsx &&
	contains out "7 rows: 0 changed, 3 unchanged, 4 refused" &&
	test "$(sqlite3 zhijian.db "select count(*) from rect_events")" = "$n"
'

test_expect_success 'a file that is not the ledger says what it needs' '
	printf "a,b\n1,2\n" >other.csv &&
	expect_exit 65 zhijian rectify import other.csv &&
	contains err "no header row with ${sq}编号${sq} and ${sq}状态${sq}"
'

test_done
