#!/bin/sh
# The checklist walk: answering an item (an override that asks for a
# reason), a Chinese note, quitting, reopening where the walk was left, and
# the dashboard's score following the answer.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/lib-tui.sh"

test_expect_success 'set up the sample county, scored' '
	sample_workspace &&
	zhijian score >/dev/null 2>&1
'

test_expect_success 'the dashboard opens with the total, the articles and the inventories' '
	tui_start 80 24 &&
	tui_wait "Dashboard" &&
	tui_wait "Total" &&
	tui_screen >dash1 &&
	contains dash1 "青禾县 (county)" &&
	contains dash1 "as of 2026-06-30" &&
	contains dash1 " 6 限制强制功能" &&
	contains dash1 "16 落实监督责任" &&
	contains dash1 "apps 43 · accounts 40 · groups 70" &&
	contains dash1 "answered 0/58" &&
	grep "^ Total" dash1 >total1
'

test_expect_success 'Enter on article 6 opens the walk there, with the proposal and its counts' '
	tui_keys j j j j j Enter &&
	tui_wait "Article 6" &&
	tui_screen >walk &&
	contains walk "限制强制功能" &&
	contains walk "> 6.1" &&
	contains walk "(是，不符合)" &&
	contains walk "Proposed 是，不符合: 40 checked, 4 violated, 1" &&
	contains walk "[ ]  6 限制强制功能"
'

test_expect_success 'an answer that overrides the proposal asks for a reason, then is saved' '
	tui_keys 1 &&
	tui_wait "a reason is required" &&
	tui_keys -l "打卡功能经县政府审批，仅内部使用" &&
	tui_keys Enter &&
	tui_wait "saved 6.1 否，符合" &&
	tui_screen >walk &&
	contains walk "Reason   打卡功能经县政府审批，仅内部使用" &&
	contains walk "6.1   否，符合"
'

test_expect_success 'Esc in the reason editor records nothing' '
	tui_keys j 1 &&
	tui_wait "a reason is required" &&
	tui_keys Escape &&
	tui_wait "6.2 not recorded: overriding the proposal needs a reason" &&
	test "$(sqlite3 zhijian.db "select count(*) from answers where item = '\''6.2'\''")" = 0 &&
	tui_keys k
'

test_expect_success 'a Chinese note is typed, shown and saved' '
	tui_keys n &&
	tui_wait "Note for 6.1" &&
	tui_keys -l "已查阅《青禾县政务应用管理办法》第3条" &&
	tui_wait "已查阅《青禾县政务应用管理办法》第3条" &&
	tui_keys Enter &&
	tui_wait "Note     已查阅《青禾县政务应用管理办法》第3条" &&
	test "$(sqlite3 zhijian.db "select verdict || '\''|'\'' || note || '\''|'\'' || reason from answers where item = '\''6.1'\''")" = \
		"compliant|已查阅《青禾县政务应用管理办法》第3条|打卡功能经县政府审批，仅内部使用"
'

test_expect_success 'the article list marks the article as partly done' '
	tui_wait "[~]  6 限制强制功能"
'

test_expect_success 'a note on an unanswered item asks for its verdict' '
	tui_keys j n &&
	tui_wait "Note for 6.2" &&
	tui_keys -l "抽查5个应用" &&
	tui_keys Enter &&
	tui_wait "verdict for 6.2 with this note" &&
	tui_keys p &&
	tui_wait "saved 6.2 是，不符合" &&
	tui_wait "[x]  6 限制强制功能" &&
	test "$(sqlite3 zhijian.db "select verdict || '\''|'\'' || note from answers where item = '\''6.2'\''")" = \
		"noncompliant|抽查5个应用"
'

test_expect_success 'the dashboard shows the new score' '
	tui_keys k q &&
	tui_wait "Dashboard" &&
	tui_wait "answered 2/58" &&
	tui_screen >dash2 &&
	grep "^ Total" dash2 >total2 &&
	! cmp -s total1 total2 &&
	contains dash2 "c continues at 6.1" &&
	zhijian status >status &&
	score=$(sed -n "s/^total *\([0-9.]*\).*/\1/p" status) &&
	contains total2 "Total       $score"
'

test_expect_success 'q from the dashboard quits and restores the terminal' '
	tui_keys q &&
	tui_exited
'

test_expect_success 'reopened, the walk resumes at the item with its answer and note' '
	tui_start 80 24 &&
	tui_wait "Dashboard" &&
	tui_keys c &&
	tui_wait "Article 6" &&
	tui_screen >walk2 &&
	contains walk2 "> 6.1   否，符合" &&
	contains walk2 "Note     已查阅《青禾县政务应用管理办法》第3条" &&
	contains walk2 "Reason   打卡功能经县政府审批，仅内部使用" &&
	tui_keys Q &&
	tui_exited
'

test_expect_success 'next and previous article, next open item' '
	tui_start 80 24 &&
	tui_wait "Dashboard" &&
	tui_keys c &&
	tui_wait "Article 6" &&
	tui_keys "]" &&
	tui_wait "> 7.1" &&
	tui_keys "[" "[" &&
	tui_wait "> 5.1" &&
	tui_keys u &&
	tui_wait "> 5.2" &&
	tui_keys G &&
	tui_wait "> 16.4" &&
	tui_keys Q &&
	tui_exited
'

test_done
