#!/bin/sh
# Issue 15's second look at 60x20: a one-line prompt whose title does not
# fit beside room to type goes whole on the row above instead of losing its
# end ("…（CSV"); the ledger's overdue column has a heading; its pane
# wraps a next step rather than cut it, and does not say the gain twice;
# so does the findings pane; the dashboard closes up a line too wide; the
# import screen's summary takes two rows; at 200x50 the inventory table
# lets its columns grow rather than cut 移动客户端.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/lib-tui.sh"

# joined: the screen with its spaces and line ends taken out, so a text
# wrapped over two rows is found whole.
joined() { tui_screen | tr -d " \n"; }

test_expect_success 'set up: the sample county, its findings planned for rectification' '
	sample_workspace && zhijian score --quiet >/dev/null &&
	zhijian rectify plan --apply --owner 张三 --deadline 2026-09-30 >/dev/null &&
	cp "$SAMPLES/apps.csv" apps.csv
'

test_expect_success 'at 60x20 a long prompt title is shown whole, above the line typed on' '
	tui_start 60 20 &&
	tui_wait "Dashboard" &&
	tui_keys L && tui_wait "listed" &&
	tui_keys o && tui_wait "Responsible person for #1" &&
	tui_screen >p &&
	contains p "Responsible person for #1 (empty for none):" &&
	tui_keys Escape && tui_wait_gone "Responsible person" &&
	tui_keys Q && tui_exited
'

test_expect_success 'under zh_CN at 60x20 the import prompt keeps （CSV、.xlsx 或 .xls）' '
	need_zh_locale &&
	TUI_LC=zh_CN.UTF-8 tui_start 60 20 &&
	tui_wait "总览" &&
	tui_keys I && tui_wait "应用程序" &&
	tui_keys o && tui_wait "要导入" &&
	joined >pj &&
	contains pj "要导入政务应用程序的文件（CSV、.xlsx或.xls）：" &&
	tui_keys -l apps.csv && tui_keys Enter &&
	tui_wait "apps.csv" &&
	tui_keys q && tui_keys Q && tui_exited
'

test_expect_success 'the ledger heads its overdue column, in both languages' '
	(export ZHIJIAN_TODAY=2026-12-01 &&
	tui_start 80 24 ZHIJIAN_TODAY=2026-12-01 &&
	tui_wait "Dashboard" && tui_keys L && tui_wait "OVERDUE" &&
	tui_screen >l80 &&
	grep "^ *ID" l80 | grep -q "│ Alert *│" &&
	tui_keys Q && tui_exited) &&
	need_zh_locale &&
	TUI_LC=zh_CN.UTF-8 tui_start 60 20 ZHIJIAN_TODAY=2026-12-01 &&
	tui_wait "总览" && tui_keys L && tui_wait "已逾期" &&
	tui_screen >l60 &&
	grep "编号" l60 | grep -q "│ 提醒 *│" &&
	tui_keys Q && tui_exited
'

test_expect_success 'at 60x20 the ledger pane wraps the next step whole and says the gain once' '
	need_zh_locale &&
	TUI_LC=zh_CN.UTF-8 tui_start 60 20 &&
	tui_wait "总览" && tui_keys L && tui_wait "下一档" &&
	joined >lj && tui_screen >ls &&
	grep -q "下一档：5.4不符合→基本符合：需整改5个违反对象中的1个（总分+[0-9.]*）" lj &&
	lacks ls "可增分" &&
	tui_keys Q && tui_exited
'

test_expect_success 'at 60x20 the dashboard closes up a wide line rather than cut 功能异化' '
	need_zh_locale &&
	TUI_LC=zh_CN.UTF-8 tui_start 60 20 &&
	tui_wait "问题类型" &&
	tui_screen | grep "问题类型" >types &&
	contains types "功能异化" && contains types "过多过滥" &&
	tui_keys Q && tui_exited
'

test_expect_success 'at 60x20 the findings pane wraps the next step whole' '
	need_zh_locale &&
	TUI_LC=zh_CN.UTF-8 tui_start 60 20 &&
	tui_wait "总览" && tui_keys F && tui_wait "下一档" &&
	joined >fj &&
	grep -q "下一档：[0-9.]*[^（]*对象中的[0-9]*个（总分+[0-9.]*）" fj &&
	tui_keys Q && tui_exited
'

test_expect_success 'at 60x20 the import screen says what it will do over two rows, not cut' '
	tui_start 60 20 &&
	tui_wait "Dashboard" &&
	tui_keys I && tui_wait "Inventories" &&
	tui_keys o && tui_wait "The file to import" &&
	tui_keys -l apps.csv && tui_keys Enter &&
	tui_wait "apps.csv (CSV)" &&
	joined >ij &&
	contains ij "columnsmatched,1keptasextradata" &&
	tui_keys q && tui_keys Q && tui_exited
'

test_expect_success 'at 200x50 the inventory table gives its spare width to the form, not a cut one' '
	tui_start 200 50 &&
	tui_wait "Dashboard" &&
	tui_keys I && tui_wait "row 1 of" &&
	tui_screen >inv200 &&
	contains inv200 "移动客户端" && lacks inv200 "移动客…" &&
	tui_keys Q && tui_exited
'

test_expect_success 'a rectification'"'"'s history names the keys that work there' '
	tui_start 80 24 &&
	tui_wait "Dashboard" && tui_keys L && tui_wait "listed" &&
	tui_keys Enter && tui_wait "History, oldest first" &&
	tui_screen | tail -n 1 >dhint &&
	contains dhint "q back to the list" && contains dhint "1-5 status" && lacks dhint "history" &&
	tui_keys Q && tui_exited
'

test_expect_success 'a subject'"'"'s details name the keys that work there' '
	tui_start 80 24 &&
	tui_wait "Dashboard" && tui_keys I && tui_wait "row 1 of" && tui_keys j && tui_wait "row 2 of" &&
	tui_keys Enter && tui_wait "choose a finding" &&
	tui_screen | tail -n 1 >ihint &&
	contains ihint "choose a finding" && contains ihint "back to the list" && lacks ihint "details" &&
	tui_keys Q && tui_exited
'

test_done
