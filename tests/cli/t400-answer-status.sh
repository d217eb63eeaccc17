#!/bin/sh
# answer and status: verdicts, overrides with reasons, progress and score.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

# Test bodies are single-quoted: write a single quote as ${sq}.
sq="'"

test_expect_success 'a fresh workspace has no score and nothing answered' '
	new_workspace &&
	expect_exit 0 zhijian status &&
	contains out "score      never run" &&
	contains out "answered 0 of 58 items" &&
	contains out "total      not yet assessed: no item is answered"
'

test_expect_success 'answering a manual item records it and scores its article' '
	expect_exit 0 zhijian answer 1.1 符合 --note "已组织专题学习《意见》" &&
	contains out "1.1: 符合 (compliant)" &&
	contains out "answered 1 of 58" &&
	test "$(sqlite3 zhijian.db "select verdict || note from answers where item = '"'"'1.1'"'"'")" = "compliant已组织专题学习《意见》" &&
	zhijian status >st && contains st "total      100.0 优秀" && contains st "provisional"
'

test_expect_success 'ASCII aliases work and a second answer replaces the first' '
	expect_exit 0 zhijian answer 1.1 partial &&
	test "$(sqlite3 zhijian.db "select count(*) || verdict from answers where item = '"'"'1.1'"'"'")" = "1partial" &&
	zhijian status >st && contains st "total      50.0"
'

test_expect_success 'bad items and verdicts are usage errors and change nothing' '
	before=$(db_fingerprint zhijian.db) &&
	expect_exit 2 zhijian answer 99.1 符合 && contains err "no check item" &&
	expect_exit 2 zhijian answer 1.1 maybe && contains err "not a verdict" &&
	for w in yes no Y N 是 否 true; do
		expect_exit 2 zhijian answer 7.4 "$w" || return 1
		contains err "${sq}$w${sq} is not a verdict: use 符合, 基本符合, 不符合, 不适用" || return 1
	done &&
	expect_exit 2 zhijian answer 1.1 && contains err "usage" &&
	test "$before" = "$(db_fingerprint zhijian.db)"
'

test_expect_success 'after scoring, rule-linked items carry proposals' '
	for k in apps accounts groups; do zhijian import $k "$SAMPLES/$k.csv" >/dev/null 2>&1; done &&
	zhijian status >st && contains st "score      never run" &&
	zhijian score --quiet >/dev/null &&
	zhijian status >st && contains st "score      up to date" && contains st "proposed by the rules" &&
	zhijian checklist show 6 >c && contains c "proposed: 是，不符合"
'

test_expect_success 'overriding a proposal needs a written reason' '
	before=$(db_fingerprint zhijian.db) &&
	expect_exit 1 zhijian answer 6.1 符合 &&
	contains err "the rules propose 是，不符合" && contains err "--reason" &&
	test "$before" = "$(db_fingerprint zhijian.db)" &&
	expect_exit 0 zhijian answer 6.1 符合 --reason "经核实，APP-004等已于6月整改并补办审批" &&
	test "$(sqlite3 zhijian.db "select verdict || proposed || reason from answers where item = '"'"'6.1'"'"'")" = "compliantnoncompliant经核实，APP-004等已于6月整改并补办审批"
'

test_expect_success 'changing only the note of an override keeps its reason' '
	expect_exit 0 zhijian answer 6.1 符合 --note "补充：已核查审批文件" &&
	test "$(sqlite3 zhijian.db "select verdict || reason || note from answers where item = '"'"'6.1'"'"'")" = "compliant经核实，APP-004等已于6月整改并补办审批补充：已核查审批文件"
'

test_expect_success 'confirming a proposal needs no reason; proposed takes it over' '
	expect_exit 0 zhijian answer 6.2 不符合 &&
	expect_exit 0 zhijian answer 8.2 proposed && contains out "8.2: 是，不符合" &&
	expect_exit 1 zhijian answer 2.1 proposed && contains err "propose no verdict"
'

test_expect_success 'status notices an import after the last score' '
	zhijian import apps "$SAMPLES/apps.csv" >/dev/null 2>&1 &&
	zhijian status >st && contains st "out of date"
'

test_expect_success 'answers survive a re-score' '
	zhijian score --quiet >/dev/null &&
	test "$(sqlite3 zhijian.db "select count(*) from answers")" = 4 &&
	zhijian status >st && contains st "answered 4 of 58"
'

test_expect_success 'under zh_CN status names the level and the inventories in Chinese' '
	need_zh_locale &&
	LC_ALL=zh_CN.UTF-8 ZHIJIAN_LOCALEDIR="$BUILD/locale" zhijian status >zst &&
	contains zst "青禾县（县级）" && contains zst "  政务应用程序" && contains zst "  工作群组" &&
	lacks zst "county" && lacks zst "  apps" && lacks zst "  groups" &&
	zhijian status >cst && contains cst "青禾县 (county)" && contains cst "  apps "
'

test_done
