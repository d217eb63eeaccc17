#!/bin/sh
# t230-import-workbooks: inventories as offices keep them (DESIGN.md
# "Inventory contract"): .xlsx written by libxlsxwriter and by a second writer
# with other habits (tests/tools/wbgen.c: inline strings, no shared strings,
# an x: prefix, no r= references), legacy .xls (Spreadsheet::WriteExcel,
# tests/tools/sheet2xls.pl), title, blank and group rows above the header,
# headers phrased the offices' way, their values (√/×, 1.2万, 2026年3月1日,
# date cells, Excel serials), errors at SHEET!CELL, --sheet, --map, --dry-run,
# hostile workbooks, and the same findings whatever the format.

. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

sq="'"
WBGEN="$BUILD/tools/wbgen"
XLS="perl $TOP/tests/tools/sheet2xls.pl"

same() {
	printf '%s\n' "$2" >"$1.want"
	if ! cmp -s "$1.want" "$1"; then
		echo "--- expected $1"; cat "$1.want"
		echo "--- got"; cat "$1"
		return 1
	fi
}

# A 摸排表 as a unit sends it: a title, a blank row, a group row merged over
# three columns, headers of its own, and its own ways with values.  TAB
# separates cells (tests/tools/wbgen.c).
T="$(printf '\t')"
cat >form.sheet <<EOF
#sheet 摸排表
s:青禾县政务应用程序摸排统计表
#merge A1:H1

s:基本信息${T}${T}${T}s:使用情况
#merge A3:C3
#merge D3:E3
s:编号${T}s:应用名称${T}s:主办（使用）单位${T}s:月活跃用户数\n（人）${T}s:注册人数${T}s:是否纳入信息化规划（是/否）${T}s:上线时间${T}s:ICP备案编号${T}s:运行状态：${T}s:联系电话${T}s:应用名
s:APP-1${T}s:青禾通${T}s:青禾县政务服务中心${T}n:12000${T}s:1.2万${T}s:√${T}d:2026-03-01${T}s:无${T}s:运行${T}n:13800000000
s:APP-2${T}s:青禾办${T}s:青禾县民政局${T}s:3，400人${T}n:45000${T}s:×${T}n:45292${T}s:未备案${T}s:使用中
s:APP-3${T}s:青禾学${T}s:青禾县教育局${T}${T}${T}${T}s:2026.3.1${T}s:云ICP备2021004417号-3A
#sheet 说明
s:本表由各单位填报
EOF

test_expect_success 'libxlsxwriter, the second writer and .xls store the same rows, title and group rows skipped' '
	"$WBGEN" xlsx form.sheet lxw.xlsx &&
	"$WBGEN" plain form.sheet plain.xlsx &&
	$XLS form.sheet legacy.xls &&
	q="select id, name, host_unit, monthly_active_users, registered_users, quote(in_plan), launched_on, quote(icp_filing), quote(status) from inv_apps order by id" &&
	for f in lxw.xlsx plain.xlsx legacy.xls; do
		new_workspace $f.db &&
		expect_exit 65 zhijian --db $f.db import apps $f &&
		contains err "$f:摸排表!I6: column ${sq}运行状态${sq}: ${sq}使用中${sq} is not one of 运行, 停用, 已注销" || return 1
	done &&
	printf "[apps]\nstatus 运行 = 使用中 | 在线\n" >office.zjm &&
	for f in lxw.xlsx plain.xlsx legacy.xls; do
		rm -f $f.db* && new_workspace $f.db &&
		expect_exit 0 zhijian --db $f.db import apps $f --map office.zjm &&
		contains out "$f: imported 3 rows (3 new, 0 updated) into apps" &&
		contains out "  sheet ${sq}摸排表${sq} (the workbook also has ${sq}说明${sq}; choose with --sheet)" &&
		contains out "  header on row 4; 2 rows above it skipped (titles, groups)" &&
		sqlite3 $f.db "$q" >$f.rows || return 1
	done &&
	same lxw.xlsx.rows "APP-1|青禾通|青禾县政务服务中心|12000|12000|1|2026-03-01|${sq}无${sq}|${sq}运行${sq}
APP-2|青禾办|青禾县民政局|3400|45000|0|2024-01-01|${sq}无${sq}|${sq}运行${sq}
APP-3|青禾学|青禾县教育局|||NULL|2026-03-01|${sq}云ICP备2021004417号-3A${sq}|NULL" &&
	cmp lxw.xlsx.rows plain.xlsx.rows && cmp lxw.xlsx.rows legacy.xls.rows &&
	test "$(sqlite3 lxw.xlsx.db "select extra from inv_apps where id = ${sq}APP-1${sq}")" = "{\"联系电话\":\"13800000000\"}"
'

test_expect_success 'a header nothing matches is kept and reported with the closest known header' '
	new_workspace n.db &&
	expect_exit 0 zhijian --db n.db import apps lxw.xlsx --map office.zjm &&
	contains err "lxw.xlsx: note: column ${sq}联系电话${sq} is not in the apps contract; kept as extra data" &&
	contains err "note: ${sq}应用名${sq} may be ${sq}名称${sq} (name): add it to the aliases or a --map file, or rename it"
'

test_expect_success 'the format is told by content: a workbook named .csv, a CSV named .xlsx' '
	cp plain.xlsx disguised.csv && "$WBGEN" csv form.sheet plain-text.xlsx &&
	new_workspace d.db &&
	expect_exit 0 zhijian --db d.db import apps disguised.csv --map office.zjm --sheet 1 &&
	contains out "imported 3 rows" &&
	expect_exit 0 zhijian --db d.db import apps plain-text.xlsx --map office.zjm &&
	contains out "imported 3 rows (0 new, 3 updated)"
'

test_expect_success '--sheet by name and by number; a sheet that is not there lists those that are' '
	new_workspace s.db &&
	expect_exit 65 zhijian --db s.db import apps lxw.xlsx --sheet 说明 &&
	contains err "no header row in the first 20 rows" &&
	expect_exit 65 zhijian --db s.db import apps lxw.xlsx --sheet 汇总 &&
	contains err "lxw.xlsx: no sheet ${sq}汇总${sq} (the workbook has ${sq}摸排表${sq}, ${sq}说明${sq}; give a name or a number from 1 to 2)" &&
	expect_exit 65 zhijian --db s.db import apps legacy.xls --sheet 3 &&
	expect_exit 0 zhijian --db s.db import apps legacy.xls --sheet 1 --map office.zjm &&
	test "$(sqlite3 s.db "select count(*) from inv_apps")" = 3
'

test_expect_success 'a bad value is named by sheet and cell, with the accepted forms' '
	sed "s/s:3，400人/s:约三千/; s/s:×/s:也许/; s/n:45292/s:next week/" form.sheet >bad.sheet &&
	"$WBGEN" xlsx bad.sheet bad.xlsx &&
	new_workspace b.db && before=$(db_fingerprint b.db) &&
	expect_exit 65 zhijian --db b.db import apps bad.xlsx --map office.zjm &&
	contains err "bad.xlsx:摸排表!D6: column ${sq}月活跃用户数${sq}: ${sq}约三千${sq} is not a whole number (such as 12345, 12,345, 1.2万 or 300人)" &&
	contains err "bad.xlsx:摸排表!F6: column ${sq}纳入信息化规划${sq}: ${sq}也许${sq} is not a yes/no value (是/否, 有/无, √/×, ✓/✗, Y/N, yes/no, true/false, 1/0)" &&
	contains err "bad.xlsx:摸排表!G6: column ${sq}上线时间（上线日期）${sq}: ${sq}next week${sq} is not a date (such as 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日, a date cell, or an Excel serial number of a day in 1990-2100)" &&
	test "$(db_fingerprint b.db)" = "$before"
'

test_expect_success 'a missing required column lists the columns found and the closest header' '
	printf "s:序号\ts:应用名\ts:主办单位\ts:月活数\ns:1\ts:青禾通\ts:青禾县政务服务中心\tn:5\n" >miss.sheet &&
	"$WBGEN" plain miss.sheet miss.xlsx &&
	new_workspace m.db &&
	expect_exit 65 zhijian --db m.db import apps miss.xlsx &&
	contains err "zhijian: miss.xlsx:Sheet1!1:1: missing required columns ${sq}编号${sq} (id), ${sq}名称${sq} (name)" &&
	contains err "the columns of that row:" &&
	grep -q "B   应用名 .*not in the contract; may be ${sq}名称${sq} (name)" err &&
	grep -q "D   月活数 .*monthly_active_users  (alias" err &&
	printf "[apps]\nid = 序号\nname = 应用名\n" >mine.zjm &&
	expect_exit 0 zhijian --db m.db import apps miss.xlsx --map mine.zjm &&
	test "$(sqlite3 m.db "select id, name, monthly_active_users from inv_apps")" = "1|青禾通|5"
'

test_expect_success '--dry-run shows the header as matched and a preview of the rows as stored' '
	new_workspace p.db && before=$(db_fingerprint p.db) &&
	expect_exit 0 zhijian --db p.db import apps plain.xlsx --map office.zjm --dry-run &&
	contains out "plain.xlsx: xlsx" &&
	grep -q "^    B   应用名称  *name  (alias, .*aliases.zjm:[0-9]*)$" out &&
	grep -q "^    F   是否纳入信息化规划.* in_plan  (normalised)$" out &&
	grep -q "^    I   运行状态：  *status  (normalised)$" out &&
	contains out "preview of the first 3 rows as they will be stored:" &&
	contains out "  plain.xlsx:摸排表!6:6" &&
	grep -q "^    monthly_active_users  *3400  ← ${sq}3，400人${sq}$" out &&
	grep -q "^    status  *运行  ← ${sq}使用中${sq}$" out &&
	grep -q "^    launched_on  *2024-01-01  ← ${sq}45292${sq}$" out &&
	contains out "plain.xlsx: 3 rows valid (3 new, 0 updates), sheet ${sq}摸排表${sq}; dry run, nothing imported" &&
	test "$(db_fingerprint p.db)" = "$before"
'

test_expect_success 'merged cells are empty but for their first, whatever the writer left in them' '
	printf "s:编号\ts:名称\ts:主办单位\ts:备注\ns:A-1\ts:甲\ts:青禾县民政局\ts:留\ns:A-2\ts:乙\ts:青禾县民政局\ts:不应读到\n#merge D2:D3\n" >merge.sheet &&
	"$WBGEN" plain merge.sheet merge.xlsx &&
	new_workspace g.db &&
	expect_exit 0 zhijian --db g.db import apps merge.xlsx &&
	test "$(sqlite3 g.db "select id || quote(note) from inv_apps order by id" | tr "\n" " ")" = "A-1${sq}留${sq} A-2NULL "
'

test_expect_success 'a second header line under a group row names the columns' '
	printf "s:编号\ts:名称\ts:主办单位\ts:使用情况\n\t\t\ts:注册用户数\ts:月活跃用户数\n#merge A1:A2\n#merge D1:E1\ns:A-1\ts:甲\ts:青禾县民政局\tn:10\tn:3\n" >two.sheet &&
	"$WBGEN" xlsx two.sheet two.xlsx &&
	new_workspace t.db &&
	expect_exit 0 zhijian --db t.db import apps two.xlsx &&
	contains out "header on row 1 and 2" &&
	test "$(sqlite3 t.db "select registered_users, monthly_active_users from inv_apps")" = "10|3" &&
	lacks err 使用情况
'

test_expect_success '--skip-invalid: the rejected rows go to NAME.rejected.csv, never through a planted link' '
	new_workspace r.db &&
	ln -s victim bad.rejected.csv && echo keep >victim &&
	expect_exit 0 zhijian --db r.db import apps bad.xlsx --map office.zjm --skip-invalid &&
	contains out "1 invalid rows skipped, written to bad.rejected.csv" &&
	test ! -L bad.rejected.csv && test "$(cat victim)" = keep &&
	contains bad.rejected.csv "APP-2,青禾办,青禾县民政局,约三千" &&
	contains bad.rejected.csv "错误原因"
'

test_expect_success 'formulas in the rejected rows are neutralised, and import drops the apostrophe again' '
	printf "编号,名称,主办单位,纳入信息化规划\n=1+2,@SUM(A1),-青禾县民政局,maybe\n" >f.csv &&
	printf "OK-1,好,青禾县民政局,是\n" >>f.csv &&
	new_workspace f.db &&
	expect_exit 0 zhijian --db f.db import apps f.csv --skip-invalid &&
	contains f.rejected.csv "\"${sq}=1+2\",\"${sq}@SUM(A1)\",\"${sq}-青禾县民政局\",maybe" &&
	sed "s/,maybe,.*/,否,/" f.rejected.csv >fixed.csv &&
	expect_exit 0 zhijian --db f.db import apps fixed.csv &&
	test "$(sqlite3 f.db "select id, name, host_unit, in_plan from inv_apps where id <> ${sq}OK-1${sq}")" = "=1+2|@SUM(A1)|-青禾县民政局|0"
'

hostile() {
	"$WBGEN" hostile "$1" "$1.xlsx" || return 1
	expect_exit 65 zhijian --db h.db import apps "$1.xlsx" &&
	contains err "$2" &&
	test "$(db_fingerprint h.db)" = "$H"
}

new_workspace h.db && zhijian --db h.db import apps "$SAMPLES/apps.csv" >/dev/null 2>&1
H=$(db_fingerprint h.db)

test_expect_success 'hostile workbooks: a zip bomb, a million columns, a 100 MB string, a DOCTYPE' '
	hostile bomb "(a zip bomb?); refused" &&
	hostile widerow "widerow.xlsx:摸排表!2:2: a value beyond column 4096; refused" &&
	"$WBGEN" hostile bigstring big.xlsx &&
	expect_exit 65 zhijian --db h.db import apps big.xlsx &&
	contains err "big.xlsx:摸排表!A2: column ${sq}编号${sq}: longer than 65536 bytes" &&
	test "$(db_fingerprint h.db)" = "$H" &&
	hostile doctype "holds a DOCTYPE, which no workbook has; refused" &&
	hostile badref "refers to shared string 7, which the workbook lacks"
'

test_expect_success 'a workbook zipped with a password (when this libzip can write one)' '
	"$WBGEN" hostile zipcrypt zipcrypt.xlsx 2>/dev/null || skip "libzip cannot write AES-encrypted entries here"
	expect_exit 65 zhijian --db h.db import apps zipcrypt.xlsx &&
	contains err "zipcrypt.xlsx: the workbook is encrypted (protected by a password)" &&
	test "$(db_fingerprint h.db)" = "$H"
'

test_expect_success 'hostile workbooks: encrypted, truncated, an HTML page named .xls' '
	hostile encrypted "the workbook is encrypted (protected by a password); save it without a password" &&
	head -c 3000 lxw.xlsx >cut.xlsx &&
	expect_exit 65 zhijian --db h.db import apps cut.xlsx &&
	contains err "cut.xlsx: the workbook is damaged or not an .xlsx file" &&
	printf "<html><body><table><tr><td>编号</td></tr></table></body></html>\n" >page.xls &&
	expect_exit 65 zhijian --db h.db import apps page.xls &&
	contains err "page.xls: the file is a web page (HTML), not a workbook" &&
	test "$(db_fingerprint h.db)" = "$H"
'

test_expect_success 'the hostile workbooks are refused in bounded memory' '
	for k in bomb bigstring; do
		/usr/bin/time -f %M -o rss.$k "$ZHIJIAN" --db h.db import apps $k.xlsx >/dev/null 2>&1
		test "$(tail -n 1 rss.$k)" -lt 131072 || { echo "$k: $(cat rss.$k) KiB"; return 1; }
	done
'

# The same inventory as clean CSV, messy GBK CSV, two kinds of .xlsx and
# .xls: the same findings.
test_expect_success 'the same rows from CSV, messy GBK CSV, .xlsx (two writers) and .xls give identical findings' '
	"$WBGEN" sheet typed "$SAMPLES/apps.csv" typed.sheet &&
	"$WBGEN" sheet messy "$SAMPLES/apps.csv" messy.sheet &&
	"$WBGEN" gbkcsv messy.sheet messy.csv &&
	"$WBGEN" xlsx messy.sheet messy.xlsx &&
	"$WBGEN" xlsx typed.sheet typed.xlsx &&
	"$WBGEN" plain typed.sheet plain-typed.xlsx &&
	$XLS typed.sheet typed.xls &&
	for f in "$SAMPLES/apps.csv" messy.csv messy.xlsx typed.xlsx plain-typed.xlsx typed.xls; do
		b=$(basename "$f") &&
		new_workspace "$b.db" &&
		zhijian --db "$b.db" import apps "$f" >"$b.out" 2>&1 &&
		zhijian --db "$b.db" score --quiet >/dev/null &&
		zhijian --db "$b.db" findings --format csv >"$b.findings" &&
		sqlite3 "$b.db" "select * from inv_apps order by id" | cut -d"|" -f2-41 >"$b.rows" || { cat "$b.out"; return 1; }
	done &&
	test "$(wc -l <apps.csv.findings)" -gt 50 &&
	grep -q "GB18030" messy.csv.out &&
	for b in messy.csv messy.xlsx typed.xlsx plain-typed.xlsx typed.xls; do
		cmp apps.csv.findings $b.findings && cmp apps.csv.rows $b.rows || { diff apps.csv.rows $b.rows | head; return 1; }
	done
'

test_expect_success 'template: notes, drop-down lists, date columns; import reads its header' '
	expect_exit 0 zhijian template apps -o tpl.xlsx &&
	contains out "wrote tpl.xlsx: the apps template" &&
	test "$(stat -c %a tpl.xlsx)" = 644 &&
	unzip -p tpl.xlsx xl/workbook.xml >wb.xml &&
	contains wb.xml "name=\"政务应用程序\"" && contains wb.xml "填表说明" &&
	unzip -p tpl.xlsx xl/worksheets/sheet1.xml >s1.xml &&
	contains s1.xml "<formula1>\"是,否\"</formula1>" &&
	contains s1.xml "<formula1>\"运行,停用,已注销\"</formula1>" &&
	contains s1.xml "type=\"date\"" && contains s1.xml "type=\"whole\"" &&
	unzip -p tpl.xlsx xl/comments1.xml >c.xml && contains c.xml "monthly_active_users" &&
	unzip -p tpl.xlsx xl/styles.xml >st.xml && contains st.xml "yyyy-mm-dd" &&
	new_workspace tp.db &&
	expect_exit 65 zhijian --db tp.db import apps tpl.xlsx &&
	contains err "tpl.xlsx: the file has a header but no data rows" &&
	lacks err "not in the contract" &&
	expect_exit 2 zhijian template people -o x.xlsx
'

test_done
