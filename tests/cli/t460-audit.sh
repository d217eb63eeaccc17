#!/bin/sh
# The audit log: every change is recorded with time, OS user and a summary,
# chained by SHA-256; `zhijian log --verify` finds any row changed or
# deleted behind the tool's back.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

actions() { sqlite3 zhijian.db "select group_concat(action, ' ') from (select action from audit order by seq)"; }

test_expect_success 'every change is logged, in order, with the OS user' '
	sample_workspace && zhijian score --quiet >/dev/null &&
	zhijian answer 1.1 符合 --note 已学习 >/dev/null &&
	zhijian answer 6.1 符合 --reason "经核实已整改" >/dev/null &&
	zhijian rectify add --article 3 --measure 纳入规划 >/dev/null &&
	zhijian rectify update 1 --status in_progress >/dev/null &&
	test "$(actions)" = "init import import import score answer answer rectify rectify" &&
	test "$(sqlite3 zhijian.db "select count(distinct user) || max(user) from audit")" = "1$(id -un)" &&
	expect_exit 0 zhijian log &&
	contains out "overriding the proposed 不符合: 经核实已整改" &&
	contains out "apps from" && contains out "#1 updated: status in_progress"
'

test_expect_success 'a rejected change leaves no entry' '
	n=$(sqlite3 zhijian.db "select count(*) from audit") &&
	printf "编号,名称,主办单位,月活跃用户数\nX-1,a,b,many\n" >bad.csv &&
	expect_exit 65 zhijian import apps bad.csv &&
	expect_exit 1 zhijian answer 8.2 符合 &&
	expect_exit 1 zhijian rectify update 1 --status verified &&
	test "$(sqlite3 zhijian.db "select count(*) from audit")" = "$n"
'

test_expect_success 'log --verify: an intact chain, with its head' '
	expect_exit 0 zhijian log --verify &&
	contains out "audit log intact: 9 entries, head $(sqlite3 zhijian.db "select hash from audit order by seq desc limit 1")" &&
	expect_exit 0 zhijian log -n 2 && test "$(wc -l <out)" = 2
'

test_expect_success 'a row changed behind the tool is found' '
	cp zhijian.db t1.db &&
	sqlite3 t1.db "update audit set summary = '"'"'1.1 不符合'"'"' where seq = 6" &&
	expect_exit 65 zhijian --db t1.db log --verify &&
	contains err "broken at entry 6: its content was changed"
'

test_expect_success 'a row deleted from the middle is found' '
	cp zhijian.db t2.db &&
	sqlite3 t2.db "delete from audit where seq = 4" &&
	expect_exit 65 zhijian --db t2.db log --verify && contains err "entry 4 is missing"
'

test_expect_success 'the newest rows cut off are found' '
	cp zhijian.db t3.db &&
	sqlite3 t3.db "delete from audit where seq >= 8" &&
	expect_exit 65 zhijian --db t3.db log --verify && contains err "the newest were removed"
'

test_expect_success 'a rewritten chain (hashes recomputed wrongly) is found' '
	cp zhijian.db t4.db &&
	sqlite3 t4.db "update audit set user = '"'"'someone'"'"', hash = '"'"'00'"'"' where seq = 9" &&
	expect_exit 65 zhijian --db t4.db log --verify && contains err "entry 9"
'

test_expect_success 'a report prints the log head it was written at, and is logged itself' '
	head=$(sqlite3 zhijian.db "select hash from audit order by seq desc limit 1") &&
	expect_exit 0 zhijian report --draft -o r.pdf &&
	pdftotext r.pdf - 2>/dev/null | tr -d "\n" | grep -q "哈希链校验完整.*$head" &&
	test "$(sqlite3 zhijian.db "select action from audit order by seq desc limit 1")" = report &&
	sqlite3 zhijian.db "select summary from audit order by seq desc limit 1" | grep -q "sha256 $(sha256sum r.pdf | cut -d" " -f1)" &&
	zhijian log --verify >/dev/null
'

test_done
