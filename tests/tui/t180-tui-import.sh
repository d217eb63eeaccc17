#!/bin/sh
# The import screen (o in the inventories): a workbook as an office keeps
# it, its header found under a title row, a column nobody's aliases know
# matched by hand (Enter), a value mapped (v), the mapping saved (w) as a
# map file that `import --map` reads the same way, another sheet (s), and
# the import itself (i, asked once), logged as the CLI's is.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/lib-tui.sh"

T="$(printf '\t')"
sq="'"
cat >office.sheet <<EOF2
#sheet 说明
s:本表由各单位填报，请勿改动表头
#sheet 摸排表
s:青禾县政务应用程序摸排统计表
#merge A1:D1

s:编号${T}s:程序叫法${T}s:主办单位${T}s:运行状态
s:APP-1${T}s:青禾通${T}s:青禾县政务服务中心${T}s:运行
s:APP-2${T}s:青禾办${T}s:青禾县民政局${T}s:开着
s:APP-3${T}s:青禾学${T}s:青禾县教育局${T}s:停用
EOF2

test_expect_success 'set up: a workspace and an office workbook the CLI refuses as it is' '
	new_workspace &&
	"$BUILD/tools/wbgen" xlsx office.sheet office.xlsx &&
	expect_exit 65 zhijian import apps office.xlsx --sheet 摸排表 &&
	contains err "missing required column"
'

test_expect_success 'o asks for the file; the first sheet has no header, s reads the next' '
	tui_start 100 30 &&
	tui_wait "Dashboard" &&
	tui_keys I &&
	tui_wait "Inventories" &&
	tui_keys o &&
	tui_wait "The file to import into" &&
	tui_keys -l office.xlsx &&
	tui_keys Enter &&
	tui_wait "Import a file" &&
	tui_wait "sheet ${sq}说明${sq} (2 in the workbook; s for the next)" &&
	tui_wait "no header row in the first 20 rows" &&
	tui_keys s &&
	tui_wait "sheet ${sq}摸排表${sq}" &&
	tui_wait "missing required column ${sq}名称${sq}"
'

test_expect_success 'Enter matches the unknown column to 名称; the preview shows the rows as stored' '
	tui_keys j &&
	tui_wait "column 2 of 4" &&
	tui_keys Enter &&
	tui_wait "The contract column for this file column" &&
	tui_keys j Enter &&
	tui_wait "column B now reads as 名称" &&
	tui_wait "ready to import into" &&
	tui_wait "header on row 3 (titles and groups above it skipped: 1)" &&
	tui_wait "青禾学" &&
	tui_screen | grep "摸排表!5" | grep "青禾办" | grep -q "✗ .*开着"
'

test_expect_success 'v maps the office'"'"'s value 开着 to 运行; the preview shows it' '
	tui_keys j j &&
	tui_wait "column 4 of 4" &&
	tui_wait "开着" &&
	tui_screen >before &&
	grep "摸排表!5" before | grep -q "开着  ✗ .*is not one" &&
	tui_keys v &&
	tui_wait "A value as the file writes it" &&
	tui_keys -l 开着 &&
	tui_keys Enter &&
	tui_wait "1 运行" &&
	tui_keys 1 &&
	tui_wait "mapped: status 运行 = 开着" &&
	tui_wait "开着 → 运行"
'

test_expect_success 'w saves the mapping; import --map reads the file the same way' '
	tui_keys w &&
	tui_wait "Save the mapping as" &&
	tui_keys Enter &&
	tui_wait "saved the mapping to office.zjm" &&
	grep -qx "name = 程序叫法" office.zjm &&
	grep -qx "status 运行 = 开着" office.zjm &&
	zhijian --db copy.db init --unit 青禾县 --level county --as-of 2026-06-30 >/dev/null &&
	expect_exit 0 zhijian --db copy.db import apps office.xlsx --sheet 摸排表 --map office.zjm --dry-run &&
	contains out "开着"
'

test_expect_success 'i asks once, imports, and the inventories show the rows' '
	tui_keys i &&
	tui_wait "now? y/n" &&
	tui_keys n &&
	test "$(sqlite3 zhijian.db "select count(*) from inv_apps")" = 0 &&
	tui_keys i &&
	tui_wait "now? y/n" &&
	tui_keys y &&
	tui_wait "imported 3 rows (3 new, 0 updated) into apps" &&
	test "$(sqlite3 zhijian.db "select group_concat(id || \"=\" || name || \"=\" || status, \" \") from (select * from inv_apps order by id)")" = \
		"APP-1=青禾通=运行 APP-2=青禾办=运行 APP-3=青禾学=停用" &&
	zhijian log >log &&
	grep "import" log | grep -q "office.xlsx" &&
	tui_keys q &&
	tui_wait "apps 3" &&
	tui_keys Q &&
	tui_exited
'

test_expect_success 'a file that cannot be read is an error on the status line; nothing changes' '
	tui_start 80 24 &&
	tui_wait "Dashboard" &&
	tui_keys I o &&
	tui_wait "The file to import into" &&
	tui_keys -l nosuch.csv &&
	tui_keys Enter &&
	tui_wait "nosuch.csv" &&
	tui_wait "Inventories" &&
	tui_keys Q &&
	tui_exited &&
	test "$(sqlite3 zhijian.db "select count(*) from inv_apps")" = 3
'

test_done
