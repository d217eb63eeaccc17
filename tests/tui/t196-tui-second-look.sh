#!/bin/sh
# Issue 15's look again at the dashboard, the ledger, the submissions, the
# report body and the editor, under C.UTF-8 and zh_CN.UTF-8 at 60x20, 80x24
# and 200x50: what a user reads must be whole (a word or number cut, a
# heading losing its end, "? help" pushed off the status line are each a
# failure here), overdue says the day it was judged on, and nothing is left
# beside a box once it closes.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/lib-tui.sh"

# The screen's line N (1-based), and its line before the status line.
line() { tui_screen | sed -n "$1p"; }
above_status() { tui_screen | tail -n 2 | head -n 1; }

test_expect_success 'set up: the sample county, scored, its findings planned for rectification' '
	sample_workspace && zhijian score --quiet >/dev/null &&
	zhijian rectify plan --apply --owner 张三 --deadline 2026-09-30 >/dev/null
'

test_expect_success 'at 60x20 in English the dashboard keeps every problem type whole' '
	tui_start 60 20 &&
	tui_wait "Dashboard" &&
	tui_screen | grep "^ By type" >types &&
	contains types "功能异化" && lacks types "…" &&
	tui_keys Q && tui_exited
'

test_expect_success 'the ledger header says the day overdue is judged on, never cut, in both languages' '
	for lc in C.UTF-8 zh_CN.UTF-8; do
		[ $lc = zh_CN.UTF-8 ] && ! locale -a 2>/dev/null | grep -qi "^zh_CN.utf-\?8$" && continue
		case $lc in C.*) today="overdue (today 2026-12-01)" on="deadline overdue" ;;
			    *) today="项逾期（以今天 2026-12-01 计）" on="时限 已逾期" ;; esac
		for size in "60 20" "80 24" "200 50"; do
			TUI_LC=$lc tui_start $size ZHIJIAN_TODAY=2026-12-01 &&
			tui_wait "2026-06-30" &&
			tui_keys L && tui_wait "$today" &&
			line 2 >h && lacks h "…" &&
			tui_keys s && tui_keys "!" && tui_wait "$on" &&
			line 2 >h2 && lacks h2 "…" && grep -q "[0-9]" h2 ||
				{ echo "at $size $lc:"; cat h h2 2>/dev/null; exit 1; }
			tui_keys Q && tui_exited || exit 1
		done
	done
'

test_expect_success 'at 60x20 the ledger pane drops whole pieces, never "gain…" nor half an article title' '
	for lc in C.UTF-8 zh_CN.UTF-8; do
		[ $lc = zh_CN.UTF-8 ] && ! locale -a 2>/dev/null | grep -qi "^zh_CN.utf-\?8$" && continue
		case $lc in C.*) at="1 of 1" ;; *) at="1 / 1" ;; esac
		TUI_LC=$lc tui_start 60 20 ZHIJIAN_TODAY=2026-12-01 &&
		tui_wait "2026-06-30" &&
		tui_keys L && tui_wait "$at" &&
		tui_screen | grep "^ #1 " >head &&
		{ contains head "突出便捷集约" || lacks head "突出便捷"; } &&
		above_status >meta &&
		lacks meta "gain…" && lacks meta "可增…" && lacks meta "gai…" ||
			{ echo "$lc:"; tui_screen; exit 1; }
		tui_keys Q && tui_exited || exit 1
	done
'

# box_clean FILE: every row from the box's top to its bottom starts with
# its border: nothing the view drew is left beside it.
box_clean() {
	awk '"'"'/┌─/ { on = 1 } on && !/^  [┌│└]/ { bad = 1 } /└─/ { on = 0 } END { exit bad }'"'"' "$1"
}

test_expect_success 'a box title too long for its border goes on inside the box, whole; a wide screen keeps the box readable' '
	tui_start 60 20 &&
	tui_wait "Dashboard" && tui_keys L && tui_wait "1 of" &&
	tui_keys 5 && tui_wait "Why is rectification #1 cancelled?" &&
	tui_screen | sed "s/[│─┌┐└┘ ]//g" | tr -d "\n" >joined &&
	contains joined "(required;Esckeepsit)" &&
	tui_screen >b60 && box_clean b60 &&
	tui_keys Escape && tui_wait "not cancelled" &&
	tui_keys Q && tui_exited &&
	tui_start 200 50 &&
	tui_wait "Dashboard" && tui_keys L && tui_wait "1 of" &&
	tui_keys n && tui_wait "Progress note for #1" &&
	tui_keys -l "已下发整改通知书" && tui_wait "已下发整改通知书" &&
	tui_screen >b200 && box_clean b200 &&
	w=$(grep "┌─" b200 | sed "s/ *$//") && test "$(dwidth "$w")" -le 108 &&
	tui_keys Escape && tui_wait_gone "┌─" &&
	tui_keys Q && tui_exited
'

test_done
