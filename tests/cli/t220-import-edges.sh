#!/bin/sh
# What Excel and people really send: blank header cells with data under
# them, ",,,," rows, UTF-16 files, a corrected rejected-rows file coming
# back, and --skip-invalid when nothing is valid.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

test_expect_success 'data under a blank header is kept as 列N and reported' '
	new_workspace &&
	printf "编号,名称,主办单位,,\nA-1,甲,单位,备用电话 123,\nA-2,乙,单位,,\n" >blank.csv &&
	expect_exit 0 zhijian import apps blank.csv &&
	contains err "column '"'"'列4'"'"'" && lacks err "列5" &&
	test "$(sqlite3 zhijian.db "select extra from inv_apps where id = '"'"'A-1'"'"'")" = "{\"列4\":\"备用电话 123\"}" &&
	test "$(sqlite3 zhijian.db "select extra is null from inv_apps where id = '"'"'A-2'"'"'")" = 1
'

test_expect_success 'rows of nothing but commas are skipped, not errors' '
	printf "编号,名称,主办单位\nB-1,甲,单位\n,,\n , ,\n,,\n" >commas.csv &&
	expect_exit 0 zhijian import apps commas.csv &&
	contains out "imported 1 rows"
'

test_expect_success 'a UTF-16 file is named as such' '
	before=$(db_fingerprint zhijian.db) &&
	printf "\377\376\037\177\000\000" >u16.csv &&
	expect_exit 65 zhijian import apps u16.csv &&
	contains err "UTF-16" && contains err "CSV UTF-8" &&
	test "$before" = "$(db_fingerprint zhijian.db)"
'

test_expect_success '--skip-invalid with no valid row imports nothing, even with --replace' '
	before=$(db_fingerprint zhijian.db) &&
	printf "编号,名称,主办单位,月活跃用户数\nC-1,甲,单位,many\nC-2,乙,单位,lots\n" >none.csv &&
	expect_exit 65 zhijian import apps none.csv --skip-invalid --replace &&
	contains err "none of the 2 rows is valid" &&
	test ! -e none.rejected.csv &&
	test "$before" = "$(db_fingerprint zhijian.db)"
'

test_expect_success 'a corrected rejected-rows file imports without its 错误原因 column' '
	printf "编号,名称,主办单位,月活跃用户数\nD-1,甲,单位,12\nD-2,乙,单位,lots\n" >fix.csv &&
	expect_exit 0 zhijian import apps fix.csv --skip-invalid &&
	test -s fix.rejected.csv &&
	sed "s/,lots,/,34,/" fix.rejected.csv >fixed.csv &&
	expect_exit 0 zhijian import apps fixed.csv &&
	lacks err "错误原因" &&
	test "$(sqlite3 zhijian.db "select monthly_active_users || coalesce(extra, '"'"'-'"'"') from inv_apps where id = '"'"'D-2'"'"'")" = "34-"
'

test_expect_success 'answering again without --note keeps the note; --note "" clears it' '
	zhijian answer 2.1 符合 --note "已制定一年目标" >/dev/null &&
	zhijian answer 2.1 基本符合 >/dev/null &&
	test "$(sqlite3 zhijian.db "select verdict || note from answers where item = '"'"'2.1'"'"'")" = "partial已制定一年目标" &&
	zhijian answer 2.1 基本符合 --note "" >/dev/null &&
	test "$(sqlite3 zhijian.db "select note is null from answers where item = '"'"'2.1'"'"'")" = 1
'

test_done
