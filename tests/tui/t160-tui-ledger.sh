#!/bin/sh
# The rectification ledger in the TUI: + on a finding (findings view or a
# subject's detail pane) creates one with the rule's measure, refused when a
# live one covers the subject and article; in the ledger, status changes
# through core (cancelling asks for a reason, a forbidden transition shows
# core's refusal), deadline, owner and notes, overdue rows marked, and the
# history pane.  Every change is checked in the workspace with sqlite3.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/lib-tui.sh"

q() { sqlite3 "$SCRATCH/zhijian.db" "$1"; }

test_expect_success 'set up the sample county, scored' '
	sample_workspace &&
	zhijian score >/dev/null 2>&1
'

test_expect_success '--list-keys has the ledger keys, from the one table' '
	zhijian tui --list-keys >keys &&
	contains keys "$(printf "generic\tL\trectification ledger")" &&
	contains keys "$(printf "dashboard\tl\trectification ledger")" &&
	contains keys "$(printf "findings\t+\tcreate a rectification from the selected finding")" &&
	contains keys "$(printf "inventory\t+\tcreate a rectification from the selected finding")" &&
	contains keys "$(printf "ledger\t2\tstatus 整改中 (in progress)")" &&
	contains keys "$(printf "ledger\t5\tstatus 已取消 (cancelled), with a reason")" &&
	contains keys "$(printf "ledger\tn\tadd a dated progress note")" &&
	contains keys "$(printf "ledger\td\tchange the deadline")" &&
	contains keys "$(printf "ledger\to\tchange the responsible person")" &&
	contains keys "$(printf "ledger\t!\tshow only the overdue, or all")"
'

test_expect_success 'the help lists the ledger keys' '
	tui_start 80 60 &&
	tui_wait "Dashboard" &&
	tui_keys "?" &&
	tui_wait "Help: keys" &&
	tui_keys End &&
	tui_wait "add a dated progress note" &&
	tui_screen >help &&
	contains help "Rectification ledger" &&
	contains help "status 已取消 (cancelled), with a reason" &&
	contains help "change the deadline" &&
	tui_keys Q &&
	tui_exited
'

test_expect_success 'an empty ledger says how to fill it' '
	tui_start 80 24 &&
	tui_wait "Dashboard" &&
	tui_keys L &&
	tui_wait "Rectification ledger" &&
	tui_wait "no rectifications yet"
'

test_expect_success '+ on a finding creates a rectification with the rule'"'"'s measure' '
	tui_keys F &&
	tui_wait "of 172" &&
	tui_screen >f1 &&
	subj=$(sed -n "s/^ \([A-Z]*-[0-9]*\) .* · rule \([a-z_.]*\).*$/\1/p" f1) &&
	rule=$(sed -n "s/^ \([A-Z]*-[0-9]*\) .* · rule \([a-z_.]*\).*$/\2/p" f1) &&
	test -n "$subj" && test -n "$rule" &&
	art=$(q "SELECT article FROM rules WHERE id = '"'"'$rule'"'"'") &&
	measure=$(q "SELECT measure FROM rules WHERE id = '"'"'$rule'"'"'") &&
	test -n "$measure" &&
	tui_keys + &&
	tui_wait "Measure to rectify $subj" &&
	tui_wait "$measure" &&
	tui_keys Enter &&
	tui_wait "rectification #1 created" &&
	test "$(q "SELECT target, subject_id, article, measure, status FROM rectifications")" = \
		"finding|$subj|$art|$measure|pending" &&
	test "$(q "SELECT count(*) FROM audit WHERE action = '"'"'rectify'"'"'")" = 1 &&
	echo "$subj $art" >first
'

test_expect_success 'a second + on the same subject and article is refused politely' '
	read subj art <first &&
	tui_keys + &&
	tui_wait "already covers $subj on article $art" &&
	test "$(q "SELECT count(*) FROM rectifications")" = 1
'

test_expect_success 'the measure is edited before saving; Esc creates nothing' '
	tui_keys j &&
	tui_keys + &&
	tui_wait "Measure to rectify" &&
	tui_keys Escape &&
	tui_wait "no rectification created" &&
	test "$(q "SELECT count(*) FROM rectifications")" = 1 &&
	tui_keys + &&
	tui_wait "Measure to rectify" &&
	tui_keys C-u &&
	tui_keys -l "整合迁移至县级统一平台" &&
	tui_keys Enter &&
	tui_wait "rectification #2 created" &&
	test "$(q "SELECT measure FROM rectifications WHERE id = 2")" = "整合迁移至县级统一平台"
'

test_expect_success 'L opens the ledger on the new rectification' '
	tui_keys L &&
	tui_wait "Rectification ledger" &&
	tui_wait "2 of 2" &&
	tui_screen >l1 &&
	contains l1 "待整改" &&
	contains l1 "整合迁移至县级统一平台"
'

test_expect_success 'a status change goes through core and is stored' '
	tui_keys 2 &&
	tui_wait "#2: 待整改 → 整改中" &&
	test "$(q "SELECT status FROM rectifications WHERE id = 2")" = in_progress &&
	test "$(q "SELECT count(*) FROM rect_events WHERE rect = 2 AND kind = '"'"'status'"'"'")" = 1
'

test_expect_success 'a forbidden transition shows core'"'"'s refusal and changes nothing' '
	tui_keys 4 &&
	tui_wait "rectification 2 is 整改中: only a rectification" &&
	test "$(q "SELECT status FROM rectifications WHERE id = 2")" = in_progress &&
	tui_keys 3 &&
	tui_wait "#2: 整改中 → 已整改" &&
	tui_keys 4 &&
	tui_wait "rectification 2 cannot be verified" &&
	test "$(q "SELECT status FROM rectifications WHERE id = 2")" = done &&
	tui_keys 1 &&
	tui_wait "cannot go from 已整改 to 待整改" &&
	tui_keys 2 &&
	tui_wait "#2: 已整改 → 整改中"
'

test_expect_success 'a deadline is validated, and an overdue row is marked' '
	tui_keys d &&
	tui_wait "Deadline for #2" &&
	tui_keys -l 2026-02-30 &&
	tui_keys Enter &&
	tui_wait "not a date" &&
	tui_keys C-u &&
	tui_keys -l 2026-05-01 &&
	tui_keys Enter &&
	tui_wait "deadline changed" &&
	test "$(q "SELECT deadline FROM rectifications WHERE id = 2")" = 2026-05-01 &&
	tui_wait "1 overdue" &&
	tui_keys k &&
	tui_wait "1 of 2" &&
	tui_screen >l2 &&
	grep "^ *!2│" l2 >row2 &&
	contains row2 "OVERDUE" &&
	grep "^ *1│" l2 >row1 &&
	lacks row1 "OVERDUE" &&
	tui_screen -e >l2e &&
	grep "!2" l2e | grep -q "$(printf "\033")\[[0-9;]*31m"
'

test_expect_success '! shows only the overdue ones; x clears' '
	tui_keys "!" &&
	tui_wait "deadline overdue (!)" &&
	tui_wait "1 listed, 1 overdue" &&
	tui_keys x &&
	tui_wait "2 listed, 1 overdue"
'

test_expect_success 'the owner is changed in the editor' '
	tui_keys g &&
	tui_wait "1 of 2" &&
	tui_keys o &&
	tui_wait "Responsible person for #1" &&
	tui_keys -l "王敏" &&
	tui_keys Enter &&
	tui_wait "responsible person changed" &&
	test "$(q "SELECT owner FROM rectifications WHERE id = 1")" = "王敏"
'

test_expect_success 'cancelling asks for a reason; Esc keeps it' '
	tui_keys 5 &&
	tui_wait "Why is rectification #1 cancelled?" &&
	tui_keys Escape &&
	tui_wait "rectification #1 not cancelled" &&
	test "$(q "SELECT status FROM rectifications WHERE id = 1")" = pending &&
	tui_keys 5 &&
	tui_wait "Why is rectification #1 cancelled?" &&
	tui_keys -l "与第2项重复，已合并" &&
	tui_keys Enter &&
	tui_wait "#1: 待整改 → 已取消" &&
	test "$(q "SELECT status, cancel_reason FROM rectifications WHERE id = 1")" = "cancelled|与第2项重复，已合并" &&
	tui_keys 2 &&
	tui_wait "cannot go from 已取消 to 整改中"
'

test_expect_success 'a progress note is added and appears in the history' '
	tui_keys j &&
	tui_wait "2 of 2" &&
	tui_keys n &&
	tui_wait "Progress note for #2" &&
	tui_keys -l "已下发整改通知书" &&
	tui_keys Enter &&
	tui_wait "note added" &&
	test "$(q "SELECT text FROM rect_events WHERE rect = 2 AND kind = '"'"'note'"'"'")" = "已下发整改通知书" &&
	tui_keys Enter &&
	tui_wait "History, oldest first" &&
	tui_screen >hist &&
	contains hist "已下发整改通知书" &&
	contains hist "待整改 → 整改中" &&
	contains hist "deadline: 2026-05-01" &&
	contains hist "OVERDUE" &&
	contains hist "none recorded"
'

test_expect_success 'evidence is recorded and its state shown; a changed file says so' '
	echo "整改通知书" >"$SCRATCH/notice.txt" &&
	tui_keys e &&
	tui_wait "Evidence file for #2" &&
	tui_keys -l "$SCRATCH/notice.txt" &&
	tui_keys Enter &&
	tui_wait "evidence recorded" &&
	tui_wait "unchanged" &&
	echo "改过" >>"$SCRATCH/notice.txt" &&
	tui_keys q Enter &&
	tui_wait "CHANGED" &&
	tui_keys q
'

test_expect_success '+ in a subject'"'"'s detail pane rectifies the selected finding' '
	read subj art <first &&
	tui_keys I &&
	tui_wait "row 1 of 43" &&
	tui_keys / &&
	tui_keys -l "$subj" &&
	tui_keys Enter &&
	tui_wait "filter: $subj" &&
	tui_keys + &&
	tui_wait "choose one with Up/Down" &&
	tui_keys Down &&
	tui_keys + &&
	tui_wait "Measure to rectify $subj" &&
	tui_keys Enter &&
	tui_wait "rectification #3 created" &&
	test "$(q "SELECT subject_id FROM rectifications WHERE id = 3")" = "$subj" &&
	test "$(q "SELECT count(*) FROM rectifications WHERE subject_id = '"'"'$subj'"'"' AND article = $art")" = 1
'

test_expect_success 'the dashboard counts the ledger; at 60×20 the ledger is drawn whole' '
	tui_keys D &&
	tui_wait "Ledger" &&
	tui_screen >dash &&
	contains dash "overdue 1" &&
	contains dash "!2026-05-01 #2" &&
	tui_resize 60 20 &&
	tui_keys L &&
	tui_wait "OVERDUE" &&
	tui_screen >l60 &&
	while IFS= read -r line; do
		test "$(dwidth "$line")" -le 60 || { echo "wider than 60: $line"; exit 1; }
	done <l60 &&
	tui_keys Q &&
	tui_exited
'

# 3 created, 8 changes; the refusals wrote nothing.
test_expect_success 'the audit log has every change and still verifies' '
	test "$(q "SELECT count(*) FROM audit WHERE action = '"'"'rectify'"'"'")" = 11 &&
	zhijian log --verify >/dev/null
'

test_expect_success 'zh_CN: the ledger in Chinese' '
	need_zh_locale
	TUI_LC=zh_CN.UTF-8 && export TUI_LC &&
	tui_start 80 24 &&
	tui_wait "总览" &&
	tui_keys L &&
	tui_wait "整改台账" &&
	tui_wait "已逾期" &&
	tui_keys Enter &&
	tui_wait "整改记录" &&
	tui_keys Q &&
	tui_exited
'

test_done
