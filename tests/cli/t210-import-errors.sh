#!/bin/sh
# t210-import-errors: what `zhijian import` refuses.  Every bad file gives a
# clear message naming the file (and the line, where there is one: "FILE:LINE:
# column 'X': reason"), exits 65 (2 for a bad command line), prints nothing on
# stdout, and leaves the workspace, which already holds the three sample
# inventories, exactly as it was.

. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

# Test bodies are single-quoted: write a single quote as ${sq}.
sq="'"

# refused CODE ARGS...: `zhijian --db ws.db import ARGS` exits CODE, prints
# nothing on stdout, leaves no rejected-rows file, and changes nothing.
refused() {
	code=$1
	shift
	before=$(db_fingerprint ws.db) || return 1
	expect_exit "$code" zhijian --db ws.db import "$@" || return 1
	if [ -s out ]; then
		echo "unexpected stdout:"; cat out
		return 1
	fi
	if ls ./*.rejected.csv >/dev/null 2>&1; then
		echo "a rejected-rows file was left behind:"; ls ./*.rejected.csv
		return 1
	fi
	if [ "$(db_fingerprint ws.db)" != "$before" ]; then
		echo "the workspace changed: import $*"
		return 1
	fi
}

# invalid FILE N M: the summary line for N invalid rows out of M.
invalid() {
	contains err "zhijian: $1: $2 of $3 rows are invalid; nothing was imported (use --skip-invalid to import the valid rows)"
}

H=编号,名称,主办单位,上线日期,月活跃用户数,纳入信息化规划,运行状态

test_expect_success 'set-up: a workspace holding the three samples' '
	sample_workspace ws.db &&
	test "$(sqlite3 ws.db "select count(*) from inv_apps")" = 43 &&
	test "$(sqlite3 ws.db "select count(*) from inv_accounts")" = 40 &&
	test "$(sqlite3 ws.db "select count(*) from inv_groups")" = 70
'

test_expect_success 'an empty file' '
	: >empty.csv &&
	refused 65 apps empty.csv &&
	contains err "zhijian: empty.csv: the file is empty (expected a header row)" &&
	printf "\357\273\277\r\n\n" >blank.csv &&
	refused 65 apps blank.csv &&
	contains err "zhijian: blank.csv: the file is empty (expected a header row)"
'

test_expect_success 'a header and no rows' '
	printf "%s\r\n\r\n" "$H" >header.csv &&
	refused 65 apps header.csv --replace &&
	contains err "zhijian: header.csv: the file has a header but no data rows"
'

test_expect_success 'a missing required column: 编号/id, 名称, 主办单位' '
	printf "名称,主办单位\nn,u\n" >no-id.csv &&
	refused 65 apps no-id.csv &&
	contains err "zhijian: no-id.csv:1: missing required column ${sq}编号${sq} (id)" &&
	printf "id,host_unit\nAPP-001,u\n" >no-name.csv &&
	refused 65 apps no-name.csv &&
	contains err "zhijian: no-name.csv:1: missing required column ${sq}名称${sq} (name)" &&
	printf "编号,名称,备注\nAPP-001,n,x\n" >no-unit.csv &&
	refused 65 apps no-unit.csv &&
	contains err "zhijian: no-unit.csv:1: missing required column ${sq}主办单位${sq} (host_unit)" &&
	printf "编号,名称,主办单位\nGRP-001,n,u\n" >groups.csv &&
	refused 65 groups groups.csv &&
	contains err "zhijian: groups.csv:1: missing required column ${sq}群组名称${sq} (name)"
'

test_expect_success 'a column given twice, as 编号 and id' '
	printf "编号,名称,主办单位,id\nAPP-001,n,u,APP-002\n" >twice.csv &&
	refused 65 apps twice.csv &&
	contains err "zhijian: twice.csv:1: column ${sq}编号${sq} appears twice (as ${sq}编号${sq} and ${sq}id${sq})"
'

test_expect_success 'a duplicate id within the file names the first line' '
	printf "%s\n" "$H" "NEW-1,n,u,,,," "NEW-2,n,u,,,," "NEW-1,n,u,,,," >dup.csv &&
	refused 65 apps dup.csv &&
	contains err "dup.csv:4: column ${sq}编号${sq}: duplicate id ${sq}NEW-1${sq} (first on line 2)" &&
	invalid dup.csv 1 3 &&
	printf "%s\n" "id,name,host_unit" "NEW-3,n,u" "APP-010,n,u" "APP-010,n,u" >dup2.csv &&
	refused 65 apps dup2.csv &&
	contains err "dup2.csv:4: column ${sq}编号${sq}: duplicate id ${sq}APP-010${sq} (first on line 3)"
'

test_expect_success 'rows with too few and too many fields' '
	printf "%s\n" "$H" "NEW-1,n,u,,," "NEW-2,n,u,,,,," "NEW-3,n,u,,,," >fields.csv &&
	refused 65 apps fields.csv &&
	contains err "fields.csv:2: expected 7 fields, found 6" &&
	contains err "fields.csv:3: expected 7 fields, found 8" &&
	invalid fields.csv 2 3
'

test_expect_success 'an unterminated quote gives the line where its record starts' '
	printf "%s\nNEW-1,\"多行\n名称\",u,,,,\nNEW-2,\"未闭合,u,,,,\nNEW-3,n,u,,,,\nNEW-4,n,u,,,,\n" "$H" >open.csv &&
	refused 65 apps open.csv &&
	contains err "zhijian: open.csv:4: unterminated quoted field" &&
	refused 65 apps open.csv --skip-invalid
'

test_expect_success 'a stray quote inside an unquoted field' '
	printf "%s\r\nNEW-1,\"多行\r\n名称\",u,,,,\r\nNEW-2,青禾\"通,u,,,,\r\nNEW-3,n,u,,,,\r\n" "$H" >stray.csv &&
	refused 65 apps stray.csv &&
	contains err "zhijian: stray.csv:4: malformed quoted field" &&
	refused 65 apps stray.csv --skip-invalid
'

test_expect_success 'bad dates: 2026-02-30, 2026/13/1, yesterday' '
	printf "%s\n" "$H" "NEW-1,n,u,2026-02-30,,," "NEW-2,n,u,2026/13/1,,," "NEW-3,n,u,yesterday,,," "NEW-4,n,u,2026-03-01,,," >date.csv &&
	refused 65 apps date.csv &&
	contains err "date.csv:2: column ${sq}上线日期${sq}: ${sq}2026-02-30${sq} is not a real calendar date" &&
	contains err "date.csv:3: column ${sq}上线日期${sq}: ${sq}2026/13/1${sq} is not a real calendar date" &&
	contains err "date.csv:4: column ${sq}上线日期${sq}: ${sq}yesterday${sq} is not a date (such as 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日, a date cell, or an Excel serial number of a day in 1990-2100)" &&
	invalid date.csv 3 4
'

test_expect_success 'bad integers: abc, 12.5, -3' '
	printf "%s\n" "$H" "NEW-1,n,u,,abc,," "NEW-2,n,u,,12.5,," "NEW-3,n,u,,-3,," >int.csv &&
	refused 65 apps int.csv &&
	contains err "int.csv:2: column ${sq}月活跃用户数${sq}: ${sq}abc${sq} is not a whole number" &&
	contains err "int.csv:3: column ${sq}月活跃用户数${sq}: ${sq}12.5${sq} is not a whole number" &&
	contains err "int.csv:4: column ${sq}月活跃用户数${sq}: ${sq}-3${sq} is negative" &&
	invalid int.csv 3 3
'

test_expect_success 'a bad boolean: maybe' '
	printf "%s\n" "$H" "NEW-1,n,u,,,maybe," >bool.csv &&
	refused 65 apps bool.csv &&
	contains err "bool.csv:2: column ${sq}纳入信息化规划${sq}: ${sq}maybe${sq} is not a yes/no value (是/否, 有/无, √/×, ✓/✗, Y/N, yes/no, true/false, 1/0)" &&
	invalid bool.csv 1 1
'

test_expect_success 'a value outside the enum: 运行状态 = 运营中' '
	printf "%s\n" "$H" "NEW-1,n,u,,,,运营中" >enum.csv &&
	refused 65 apps enum.csv &&
	contains err "enum.csv:2: column ${sq}运行状态${sq}: ${sq}运营中${sq} is not one of 运行, 停用, 已注销" &&
	printf "%s\n" "id,name,host_unit,status" "GRP-900,n,u,已注销" >genum.csv &&
	refused 65 groups genum.csv &&
	contains err "genum.csv:2: column ${sq}运行状态${sq}: ${sq}已注销${sq} is not one of 运行, 停用, 已解散"
'

test_expect_success 'an empty required value, blanks and U+3000 included' '
	printf "%s\n" "$H" "NEW-1,,u,,,," "NEW-2,n,   ,,,," "　,n,u,,,," >req.csv &&
	refused 65 apps req.csv &&
	contains err "req.csv:2: column ${sq}名称${sq}: required value is empty" &&
	contains err "req.csv:3: column ${sq}主办单位${sq}: required value is empty" &&
	contains err "req.csv:4: column ${sq}编号${sq}: required value is empty" &&
	invalid req.csv 3 3
'

test_expect_success 'invalid UTF-8 bytes in a UTF-8 file' '
	printf "%s\n" "$H" "NEW-1,青禾通,u,,,," >utf8.csv &&
	printf "NEW-2,青禾\377通,u,,,,\n" >>utf8.csv &&
	refused 65 apps utf8.csv &&
	contains err "utf8.csv:3: column ${sq}名称${sq}: invalid UTF-8 (if the file is GBK, use --encoding gb18030)" &&
	invalid utf8.csv 1 2
'

test_expect_success 'a GBK file read with --encoding utf-8, a UTF-8 one with --encoding gb18030' '
	printf "%s\n" "id,name,host_unit" "NEW-1,青禾通,u" | iconv -f UTF-8 -t GB18030 >gbk.csv &&
	refused 65 apps gbk.csv --encoding utf-8 &&
	contains err "gbk.csv:2: column ${sq}名称${sq}: invalid UTF-8 (if the file is GBK, use --encoding gb18030)" &&
	printf "%s\n" "$H" "NEW-1,青禾通,u,,,," | iconv -f UTF-8 -t GB18030 >gbkhead.csv &&
	refused 65 apps gbkhead.csv --encoding utf-8 &&
	contains err "zhijian: gbkhead.csv:1: header cell 1 " &&
	printf "%s\n" "id,name,host_unit" "NEW-1,n,u" "NEW-2,青禾通,u" >utf.csv &&
	refused 65 apps utf.csv --encoding gb18030 &&
	contains err "zhijian: utf.csv:3: invalid GB18030 byte sequence"
'

test_expect_success 'a NUL byte in a field' '
	printf "%s\n" "$H" >nul.csv &&
	printf "NEW-1,a\000b,u,,,,\nNEW-2,n,\"u\000\",,,,\n" >>nul.csv &&
	refused 65 apps nul.csv &&
	contains err "nul.csv:2: column ${sq}名称${sq}: contains a NUL byte" &&
	contains err "nul.csv:3: column ${sq}主办单位${sq}: contains a NUL byte" &&
	invalid nul.csv 2 2
'

test_expect_success 'a 1 MiB field, unquoted and quoted' '
	{
		printf "%s\nNEW-1," "$H"
		head -c 1048576 /dev/zero | tr "\0" x
		printf ",u,,,,\nNEW-2,n,\"多行\n"
		head -c 1048576 /dev/zero | tr "\0" y
		printf "\",,,,\nNEW-3,n,u,,,maybe,\n"
	} >big.csv &&
	refused 65 apps big.csv &&
	contains err "big.csv:2: column ${sq}名称${sq}: longer than 65536 bytes" &&
	contains err "big.csv:3: column ${sq}主办单位${sq}: longer than 65536 bytes" &&
	contains err "big.csv:5: column ${sq}纳入信息化规划${sq}: ${sq}maybe${sq} is not a yes/no value" &&
	invalid big.csv 3 3 &&
	test "$(wc -c <err)" -lt 2000
'

test_expect_success 'a file that does not exist, a directory' '
	refused 65 apps missing.csv &&
	contains err "zhijian: cannot open ${sq}missing.csv${sq}: No such file or directory" &&
	mkdir -p adir &&
	refused 65 apps adir &&
	contains err "zhijian: ${sq}adir${sq} is a directory"
'

# Root reads mode-000 files, and CI runs as root: there the import runs as
# nobody (setpriv), on a copy of the workspace that nobody may write.
test_expect_success 'an unreadable file' '
	if [ "$(id -u)" = 0 ]; then
		command -v setpriv >/dev/null || skip "running as root, and no setpriv to drop to nobody"
		chmod 711 "$SCRATCH" && mkdir nob && cp ws.db nob/ws.db && chown -R 65534:65534 nob &&
		printf "%s\n" "id,name,host_unit" "NEW-1,n,u" >nob/locked.csv && chmod 000 nob/locked.csv &&
		before=$(db_fingerprint nob/ws.db) &&
		(cd nob && expect_exit 65 setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$ZHIJIAN" --db ws.db import apps locked.csv) &&
		contains nob/err "zhijian: cannot open ${sq}locked.csv${sq}: Permission denied" &&
		test ! -s nob/out && test "$(db_fingerprint nob/ws.db)" = "$before"
	else
		printf "%s\n" "id,name,host_unit" "NEW-1,n,u" >locked.csv &&
		chmod 000 locked.csv &&
		refused 65 apps locked.csv &&
		contains err "zhijian: cannot open ${sq}locked.csv${sq}: Permission denied"
	fi
'

test_expect_success 'an unknown inventory, a missing FILE, a bad option: exit 2 and usage' '
	printf "%s\n" "id,name,host_unit" "NEW-1,n,u" >ok.csv &&
	refused 2 application ok.csv &&
	contains err "zhijian: ${sq}application${sq} is not an inventory (apps, accounts, groups)" &&
	contains err "usage: zhijian import apps|accounts|groups FILE" &&
	refused 2 apps &&
	contains err "zhijian: import takes an inventory and a FILE" &&
	contains err "usage: zhijian import apps|accounts|groups FILE" &&
	refused 2 apps ok.csv ok.csv &&
	contains err "import takes an inventory and a FILE" &&
	refused 2 apps ok.csv --encoding latin1 &&
	contains err "zhijian: ${sq}latin1${sq} is not an encoding (auto, utf-8, gb18030)" &&
	refused 2 apps ok.csv --frobnicate &&
	contains err "usage: zhijian import"
'

test_expect_success 'more than 50 invalid rows: the first 50 errors and a count of the rest' '
	{
		echo "id,name,host_unit,in_plan"
		i=1
		while [ $i -le 60 ]; do
			echo "NEW-$i,n,u,maybe"
			i=$((i + 1))
		done
	} >many.csv &&
	refused 65 apps many.csv &&
	test "$(grep -c "^many.csv:[0-9]*: column ${sq}纳入信息化规划${sq}: ${sq}maybe${sq}" err)" = 50 &&
	contains err "many.csv:2: column" &&
	contains err "many.csv:51: column" &&
	lacks err "many.csv:52:" &&
	contains err "… and 10 more errors" &&
	invalid many.csv 60 60 &&
	test "$(wc -l <err)" = 52
'

test_expect_success 'an invalid row in a --replace import keeps the whole inventory' '
	printf "%s\n" "id,name,host_unit,in_plan" "NEW-1,n,u,是" "NEW-2,n,u,maybe" >rep.csv &&
	refused 65 apps rep.csv --replace &&
	invalid rep.csv 1 2 &&
	test "$(sqlite3 ws.db "select count(*) from inv_apps")" = 43
'

test_expect_success '--skip-invalid: only the valid rows change what is stored' '
	cp ws.db skip.db &&
	sqlite3 skip.db "select * from inv_apps where id <> ${sq}APP-001${sq}" >apps.before &&
	sqlite3 skip.db "select * from inv_accounts; select * from inv_groups" >others.before &&
	printf "%s\n" "编号,名称,主办单位,纳入信息化规划" \
		"APP-001,青禾通（新）,青禾县政务服务中心,否" \
		"APP-002,改坏了,青禾县教育局,maybe" \
		"APP-003,,青禾县教育局,是" >skip.csv &&
	expect_exit 0 zhijian --db skip.db import apps skip.csv --skip-invalid &&
	contains out "skip.csv: imported 1 rows (0 new, 1 updated) into apps" &&
	contains out "2 invalid rows skipped, written to skip.rejected.csv" &&
	contains err "skip.csv:3: column ${sq}纳入信息化规划${sq}: ${sq}maybe${sq} is not a yes/no value" &&
	contains err "skip.csv:4: column ${sq}名称${sq}: required value is empty" &&
	test "$(sqlite3 skip.db "select name, in_plan from inv_apps where id = ${sq}APP-001${sq}")" = "青禾通（新）|0" &&
	sqlite3 skip.db "select * from inv_apps where id <> ${sq}APP-001${sq}" >apps.after &&
	cmp apps.before apps.after &&
	sqlite3 skip.db "select * from inv_accounts; select * from inv_groups" >others.after &&
	cmp others.before others.after &&
	rm -f skip.rejected.csv
'

test_done
