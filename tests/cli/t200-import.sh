#!/bin/sh
# t200-import: what `zhijian import` accepts (DESIGN.md "Inventory CSV
# contract"): the three samples with their three encodings and header styles,
# unknown columns kept, Chinese or English headers in any order, the boolean,
# date and integer spellings, CRLF and RFC 4180 quoting, GBK files and
# --encoding, re-import by id, --replace, --dry-run, --skip-invalid, and the
# message for a workspace that does not exist.

. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

# Test bodies are single-quoted: write a single quote (SQL strings, the
# quotes in messages) as ${sq}.
sq="'"

# count DB TABLE: the number of rows in TABLE.
count() {
	sqlite3 "$1" "select count(*) from $2"
}

# field DB ID COLUMNS: COLUMNS of the app with that id.
field() {
	sqlite3 "$1" "select $3 from inv_apps where id = '$2'"
}

# same FILE TEXT: FILE holds exactly TEXT and a newline (what sqlite3 prints).
same() {
	printf '%s\n' "$2" >"$1.want"
	if ! cmp -s "$1.want" "$1"; then
		echo "--- expected $1"; cat "$1.want"
		echo "--- got"; cat "$1"
		return 1
	fi
}

# A workspace with the sample apps, copied by the re-import tests.
new_workspace apps.db &&
zhijian --db apps.db import apps "$SAMPLES/apps.csv" >/dev/null 2>&1 ||
	{ echo "Bail out! cannot create the apps workspace"; exit 1; }

test_expect_success 'the three samples import with their counts and detected encodings' '
	new_workspace s.db &&
	expect_exit 0 zhijian --db s.db import apps "$SAMPLES/apps.csv" &&
	contains out "apps.csv: imported 43 rows (43 new, 0 updated) into apps" &&
	grep -qx "  encoding UTF-8" out &&
	expect_exit 0 zhijian --db s.db import accounts "$SAMPLES/accounts.csv" &&
	contains out "accounts.csv: imported 40 rows (40 new, 0 updated) into accounts" &&
	grep -qx "  encoding GB18030" out &&
	expect_exit 0 zhijian --db s.db import groups "$SAMPLES/groups.csv" &&
	contains out "groups.csv: imported 70 rows (70 new, 0 updated) into groups" &&
	grep -qx "  encoding UTF-8 with BOM" out &&
	test "$(count s.db inv_apps)" = 43 &&
	test "$(count s.db inv_accounts)" = 40 &&
	test "$(count s.db inv_groups)" = 70 &&
	sqlite3 s.db "select inventory, encoding, rows from imports order by batch" >got &&
	same got "apps|UTF-8|43
accounts|GB18030|40
groups|UTF-8|70"
'

test_expect_success 'status shows the row count of every inventory' '
	expect_exit 0 zhijian --db s.db status &&
	grep -Eq "^  apps +43 +last import .* from .*apps\.csv$" out &&
	grep -Eq "^  accounts +40 +last import .* from .*accounts\.csv$" out &&
	grep -Eq "^  groups +70 +last import .* from .*groups\.csv$" out
'

test_expect_success 'sample values arrive decoded and unquoted' '
	sqlite3 s.db "select name, host_unit, followers, platform from inv_accounts where id = ${sq}ACC-001${sq}" >got &&
	same got "青禾发布|中共青禾县委宣传部|128400|微信公众号" &&
	test "$(sqlite3 s.db "select quote(followers) from inv_accounts where id = ${sq}ACC-026${sq}")" = NULL &&
	field s.db APP-023 note >got &&
	same got "据反映曾要求\"每名干部动员10户下载, 每周转发不少于5次\", 2025年4月已停止" &&
	sqlite3 s.db "select note, quote(members) from inv_groups where id in (${sq}GRP-010${sq}, ${sq}GRP-068${sq}) order by id" >got &&
	same got "警情调度确需即时响应, 属工作实际|210
成员数待统计|NULL" &&
	sqlite3 s.db "select requires_checkin || requires_instant_reply || requires_screenshots from inv_groups where id = ${sq}GRP-020${sq}" >got &&
	same got "000" &&
	field s.db APP-002 "launched_on, last_updated_on" >got &&
	same got "2022-08-26|2026-03-02"
'

test_expect_success 'the unknown column 联系电话 is reported on stderr and kept' '
	new_workspace x.db &&
	expect_exit 0 zhijian --db x.db import apps "$SAMPLES/apps.csv" &&
	contains err "apps.csv: note: column ${sq}联系电话${sq} is not in the apps contract; kept as extra data" &&
	test "$(grep -c "not in the apps contract" err)" = 1 &&
	lacks out 联系电话 &&
	sqlite3 x.db "select extra from inv_apps limit 1" >got &&
	contains got 联系电话 &&
	field x.db APP-001 extra >got &&
	same got "{\"联系电话\":\"0889-6210118\"}" &&
	test "$(sqlite3 x.db "select count(*) from inv_apps where json_extract(extra, ${sq}\$.联系电话${sq}) <> ${sq}${sq}")" = 41 &&
	test "$(field x.db APP-010 "quote(extra)")" = NULL &&
	test "$(sqlite3 x.db "select unknown_columns from imports")" = 联系电话
'

test_expect_success 'Chinese and English headers in any order store the same rows' '
	printf "%s\n" "编号,名称,主办单位,月活跃用户数,纳入信息化规划" \
		"H-1,青禾通,青禾县政务服务中心,1200,是" \
		"H-2,青禾办,青禾县民政局,,否" \
		"H-3,青禾学,青禾县教育局,\"3,400\"," >zh.csv &&
	printf "%s\n" "in_plan,Host_Unit,monthly_active_users,ID,name" \
		"否,青禾县民政局,,H-2,青禾办" \
		",青禾县教育局,\"3,400\",H-3,青禾学" \
		"是,青禾县政务服务中心,1200,H-1,青禾通" >en.csv &&
	new_workspace zh.db && new_workspace en.db &&
	expect_exit 0 zhijian --db zh.db import apps zh.csv &&
	lacks err "not in the apps contract" &&
	expect_exit 0 zhijian --db en.db import apps en.csv &&
	lacks err "not in the apps contract" &&
	q="select id, name, host_unit, monthly_active_users, quote(in_plan) from inv_apps order by id" &&
	sqlite3 zh.db "$q" >zh.out && sqlite3 en.db "$q" >en.out &&
	cmp zh.out en.out &&
	same zh.out "H-1|青禾通|青禾县政务服务中心|1200|1
H-2|青禾办|青禾县民政局||0
H-3|青禾学|青禾县教育局|3400|NULL"
'

test_expect_success 'booleans: 是/否 Y/N yes/no true/false 1/0 in any case; empty is NULL' '
	{
		echo "id,name,host_unit,in_plan"
		n=0
		for v in 是 否 Y N yes no true false 1 0 "" y n YES No TRUE False " 是 "; do
			n=$((n + 1))
			printf "B-%02d,n,u,%s\n" "$n" "$v"
		done
	} >bool.csv &&
	new_workspace bool.db &&
	expect_exit 0 zhijian --db bool.db import apps bool.csv &&
	contains out "imported 18 rows (18 new, 0 updated)" &&
	sqlite3 bool.db "select quote(in_plan) from inv_apps order by id" | tr "\n" " " >got &&
	test "$(cat got)" = "1 0 1 0 1 0 1 0 1 0 NULL 1 0 1 0 1 0 1 "
'

test_expect_success 'dates 2026-03-01, 2026/3/1 and 2026年3月1日 are stored as 2026-03-01' '
	printf "%s\n" "编号,名称,主办单位,上线日期,最近更新日期,最近应急演练日期" \
		"D-1,n,u,2026-03-01,2026/3/1,2026年3月1日" \
		"D-2,n,u,2024/2/29,2023年12月31日," \
		"D-3,n,u,,2026/03/01,2026年03月01日" >date.csv &&
	new_workspace date.db &&
	expect_exit 0 zhijian --db date.db import apps date.csv &&
	sqlite3 date.db "select id, quote(launched_on), quote(last_updated_on), quote(last_drill_on) from inv_apps order by id" >got &&
	same got "D-1|${sq}2026-03-01${sq}|${sq}2026-03-01${sq}|${sq}2026-03-01${sq}
D-2|${sq}2024-02-29${sq}|${sq}2023-12-31${sq}|NULL
D-3|NULL|${sq}2026-03-01${sq}|${sq}2026-03-01${sq}"
'

test_expect_success 'integers take thousands separators; empty is NULL' '
	printf "%s\n" "id,name,host_unit,registered_users,monthly_active_users" \
		"I-1,n,u,\"1,234,567\",\"1,234\"" \
		"I-2,n,u,0,12" \
		"I-3,n,u,,\"236,000\"" >int.csv &&
	new_workspace int.db &&
	expect_exit 0 zhijian --db int.db import apps int.csv &&
	sqlite3 int.db "select id, quote(registered_users), quote(monthly_active_users), typeof(monthly_active_users) from inv_apps order by id" >got &&
	same got "I-1|1234567|1234|integer
I-2|0|12|integer
I-3|NULL|236000|integer"
'

test_expect_success 'quoted fields: commas, doubled quotes and newlines are stored exactly' '
	{
		echo "id,name,host_unit,note"
		echo "Q-1,\"青禾,通\",u,\"他说\"\"好\"\"\""
		printf "Q-2,n,u,\"第一行\n\n第三行, 完\"\n"
		echo "Q-3,\"\"\"\",u,\"\""
	} >quote.csv &&
	new_workspace quote.db &&
	expect_exit 0 zhijian --db quote.db import apps quote.csv &&
	contains out "imported 3 rows (3 new, 0 updated)" &&
	field quote.db Q-1 name >got && same got "青禾,通" &&
	field quote.db Q-1 note >got && same got "他说\"好\"" &&
	field quote.db Q-2 note >got &&
	printf "第一行\n\n第三行, 完\n" >want && cmp want got &&
	field quote.db Q-3 "name, quote(note), src_line" >got &&
	same got "\"|NULL|6"
'

test_expect_success 'CRLF files: no CR is left in a value; CR LF inside quotes becomes LF' '
	printf "编号,名称,主办单位,月活跃用户数,备注\r\nC-1,青禾通,青禾县政务服务中心,10,\"甲\r\n乙\"\r\nC-2,青禾办,青禾县民政局,20,\r\n" >crlf.csv &&
	new_workspace crlf.db &&
	expect_exit 0 zhijian --db crlf.db import apps crlf.csv &&
	contains out "imported 2 rows (2 new, 0 updated)" &&
	test "$(sqlite3 crlf.db "select count(*) from inv_apps where instr(id || name || host_unit || ifnull(note, ${sq}${sq}), char(13))")" = 0 &&
	sqlite3 crlf.db "select id, host_unit, monthly_active_users, src_line from inv_apps order by id" >got &&
	same got "C-1|青禾县政务服务中心|10|2
C-2|青禾县民政局|20|4" &&
	field crlf.db C-1 note >got &&
	printf "甲\n乙\n" >want && cmp want got
'

test_expect_success 'a GBK file written by iconv is detected as GB18030' '
	printf "编号,名称,主办单位,运行状态,纳入信息化规划,备注\r\nG-1,青禾县智慧社区,青禾县民政局,运行,是,\"社区服务，含“网格”\"\r\nG-2,青禾党建学习,中共青禾县委组织部,停用,否,\r\n" |
		iconv -f UTF-8 -t GB18030 >gbk.csv &&
	! iconv -f UTF-8 -t UTF-8 gbk.csv >/dev/null 2>&1 &&
	new_workspace gbk.db &&
	expect_exit 0 zhijian --db gbk.db import apps gbk.csv &&
	contains out "gbk.csv: imported 2 rows (2 new, 0 updated) into apps" &&
	grep -qx "  encoding GB18030" out &&
	sqlite3 gbk.db "select id, name, host_unit, status, in_plan, quote(note) from inv_apps order by id" >got &&
	same got "G-1|青禾县智慧社区|青禾县民政局|运行|1|${sq}社区服务，含“网格”${sq}
G-2|青禾党建学习|中共青禾县委组织部|停用|0|NULL"
'

# 小站 and 应时 in GBK (D0A1 D5BE, D3A6 CAB1) are valid UTF-8 as well, so
# only --encoding can say which the file is.
test_expect_success '--encoding gb18030 forces the decoding of an ambiguous file' '
	printf "id,name,host_unit\nE-1,小站,应时\n" | iconv -f UTF-8 -t GB18030 >amb.csv &&
	iconv -f UTF-8 -t UTF-8 amb.csv >/dev/null &&
	new_workspace amb.db &&
	expect_exit 0 zhijian --db amb.db import apps amb.csv --encoding gb18030 &&
	grep -qx "  encoding GB18030" out &&
	field amb.db E-1 "name, host_unit" >got &&
	same got "小站|应时" &&
	expect_exit 0 zhijian --db amb.db import apps --encoding=GBK amb.csv &&
	contains out "(0 new, 1 updated)" &&
	grep -qx "  encoding GB18030" out &&
	field amb.db E-1 "name, host_unit" >got &&
	same got "小站|应时"
'

test_expect_success 're-import of an id updates that row in place: same rowid, 0 new, 1 updated' '
	cp apps.db re.db &&
	field re.db APP-005 "rowid, host_unit, monthly_active_users, status, extra" >before &&
	sqlite3 re.db "select * from inv_apps where id <> ${sq}APP-005${sq}" >others.before &&
	printf "编号,名称,主办单位\nAPP-005,青禾党建学习（新版）,中共青禾县委组织部\n" >re.csv &&
	expect_exit 0 zhijian --db re.db import apps re.csv &&
	contains out "re.csv: imported 1 rows (0 new, 1 updated) into apps" &&
	test "$(count re.db inv_apps)" = 43 &&
	test "$(field re.db APP-005 name)" = "青禾党建学习（新版）" &&
	field re.db APP-005 "rowid, host_unit, monthly_active_users, status, extra" >after &&
	cmp before after &&
	contains after 联系电话 &&
	sqlite3 re.db "select * from inv_apps where id <> ${sq}APP-005${sq}" >others.after &&
	cmp others.before others.after
'

test_expect_success '--replace replaces the whole inventory and nothing else' '
	cp apps.db rep.db &&
	printf "id,name,host_unit\nAPP-001,青禾通,青禾县政务服务中心\nNEW-1,新应用,青禾县民政局\n" >rep.csv &&
	expect_exit 0 zhijian --db rep.db import apps rep.csv --replace &&
	contains out "rep.csv: imported 2 rows (2 new, 0 updated) into apps" &&
	contains out "the inventory was replaced" &&
	sqlite3 rep.db "select id, name, quote(extra), quote(monthly_active_users) from inv_apps order by id" >got &&
	same got "APP-001|青禾通|NULL|NULL
NEW-1|新应用|NULL|NULL" &&
	test "$(sqlite3 rep.db "select replaced from imports order by batch desc limit 1")" = 1
'

test_expect_success '--dry-run validates and prints the counts but stores nothing' '
	cp apps.db dry.db &&
	before=$(db_fingerprint dry.db) &&
	printf "id,name,host_unit\nAPP-001,改名,青禾县政务服务中心\nNEW-1,新应用,青禾县民政局\n" >dry.csv &&
	expect_exit 0 zhijian --db dry.db import apps dry.csv --dry-run &&
	contains out "dry.csv: 2 rows valid (1 new, 1 updates), encoding UTF-8; dry run, nothing imported" &&
	lacks out "imported 2" &&
	test "$(db_fingerprint dry.db)" = "$before" &&
	expect_exit 0 zhijian --db dry.db import groups "$SAMPLES/groups.csv" -n &&
	contains out "groups.csv: 70 rows valid (70 new, 0 updates), encoding UTF-8 with BOM; dry run, nothing imported" &&
	test "$(db_fingerprint dry.db)" = "$before"
'

test_expect_success '--skip-invalid imports the valid rows and writes the others beside the input' '
	cp apps.db skip.db &&
	mkdir -p in &&
	printf "%s\n" "编号,名称,主办单位,纳入信息化规划,上线日期" \
		"S-1,青禾通,青禾县政务服务中心,是,2026/3/1" \
		"S-2,青禾办,青禾县民政局,maybe," \
		"S-3,青禾学,青禾县教育局,否," \
		"S-4,\"坏,日期\",青禾县教育局,,2026-02-30" >in/skip.csv &&
	expect_exit 0 zhijian --db skip.db import apps in/skip.csv --skip-invalid &&
	contains out "in/skip.csv: imported 2 rows (2 new, 0 updated) into apps" &&
	contains out "  2 invalid rows skipped, written to in/skip.rejected.csv" &&
	r3="in/skip.csv:3: column ${sq}纳入信息化规划${sq}: ${sq}maybe${sq} is not a yes/no value (是/否, 有/无, √/×, ✓/✗, Y/N, yes/no, true/false, 1/0)" &&
	r5="in/skip.csv:5: column ${sq}上线日期${sq}: ${sq}2026-02-30${sq} is not a real calendar date" &&
	contains err "$r3" && contains err "$r5" &&
	test "$(count skip.db inv_apps)" = 45 &&
	sqlite3 skip.db "select id from inv_apps where id like ${sq}S-%${sq} order by id" >got &&
	same got "S-1
S-3" &&
	printf "\357\273\277编号,名称,主办单位,纳入信息化规划,上线日期,错误原因\r\n" >want &&
	printf "S-2,青禾办,青禾县民政局,maybe,,\"%s\"\r\n" "$r3" >>want &&
	printf "S-4,\"坏,日期\",青禾县教育局,,2026-02-30,%s\r\n" "$r5" >>want &&
	cmp want in/skip.rejected.csv &&
	test "$(sqlite3 skip.db "select rows, inserted, rejected from imports order by batch desc limit 1")" = "4|2|2"
'

test_expect_success '--skip-invalid --dry-run stores nothing and leaves no rejected file' '
	cp apps.db skipdry.db &&
	before=$(db_fingerprint skipdry.db) &&
	printf "id,name,host_unit,in_plan\nT-1,n,u,maybe\nT-2,n,u,\n" >sd.csv &&
	expect_exit 0 zhijian --db skipdry.db import apps sd.csv --skip-invalid --dry-run &&
	contains out "sd.csv: 1 rows valid (1 new, 0 updates), encoding UTF-8; dry run, nothing imported" &&
	contains out "  1 invalid rows would be skipped" &&
	test ! -e sd.rejected.csv &&
	test "$(db_fingerprint skipdry.db)" = "$before"
'

# The rejected file is for fixing in Excel and importing again: every row
# needs its reason under 错误原因, also a row with too few fields.
test_expect_success '--skip-invalid: a row with too few fields has its reason under 错误原因' '
	cp apps.db short.db &&
	printf "id,name,host_unit,in_plan\nR-1,n,u,\nR-2,n,u\n" >short.csv &&
	expect_exit 0 zhijian --db short.db import apps short.csv --skip-invalid &&
	contains out "1 invalid rows skipped, written to short.rejected.csv" &&
	contains short.rejected.csv "R-2,n,u,,\"short.csv:3: expected 4 fields, found 3\""
'

test_expect_success 'an import into a workspace that does not exist fails and says how to create one' '
	expect_exit 1 zhijian --db nowhere.db import apps "$SAMPLES/apps.csv" &&
	contains err "zhijian: no workspace at ${sq}nowhere.db${sq}; create one with ${sq}zhijian init --unit NAME --level LEVEL${sq}" &&
	test ! -s out &&
	test ! -e nowhere.db
'

test_done
