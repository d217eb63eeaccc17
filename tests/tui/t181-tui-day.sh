#!/bin/sh
# An inspector's day in the TUI: the dashboard and the ledger judge
# deadlines against today (ZHIJIAN_TODAY pins it) and say the date; the
# history is in local time with the zone; under zh_CN no English status or
# history word shows beside the Chinese.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/lib-tui.sh"

test_expect_success 'set up: the sample county, scored, one rectification due after the as-of date' '
	sample_workspace && zhijian score --quiet >/dev/null &&
	zhijian rectify add --item 1.1 --measure "组织专题学习" --deadline 2026-09-30 >/dev/null
'

test_expect_success 'the dashboard counts the overdue against today and says the date' '
	tui_start 100 30 ZHIJIAN_TODAY=2026-07-01 &&
	tui_wait "Dashboard" &&
	tui_wait "overdue 0 (today 2026-07-01)" &&
	tui_keys Q && tui_exited &&
	tui_start 100 30 ZHIJIAN_TODAY=2026-12-01 &&
	tui_wait "overdue 1 (today 2026-12-01)" &&
	tui_keys Q && tui_exited
'

test_expect_success 'the ledger marks it overdue and its history is in local time with the zone' '
	tui_start 100 30 ZHIJIAN_TODAY=2026-12-01 TZ=Asia/Shanghai &&
	tui_wait "Dashboard" &&
	tui_keys L &&
	tui_wait "1 listed, 1 overdue" &&
	tui_keys Enter &&
	tui_wait "History, oldest first" &&
	tui_wait "OVERDUE (today is 2026-12-01)" &&
	tui_wait "+0800" &&
	tui_keys Q && tui_exited
'

test_expect_success 'under zh_CN the ledger has no English beside the Chinese' '
	need_zh_locale &&
	TUI_LC=zh_CN.UTF-8 tui_start 100 30 ZHIJIAN_TODAY=2026-12-01 &&
	tui_wait "逾期 1（以今天 2026-12-01 计）" &&
	tui_keys L &&
	tui_wait "整改台账" &&
	tui_keys Enter &&
	tui_wait "新建" &&
	tui_screen >zh &&
	lacks zh "(pending)" && lacks zh "created" && contains zh "待整改" &&
	tui_keys Q && tui_exited
'

test_expect_success 'P on the dashboard accepts the selected article'"'"'s proposals after asking once' '
	n8=$(sqlite3 "$SCRATCH/zhijian.db" "select count(*) from proposals where verdict is not null and item like '"'"'8.%'"'"'") &&
	tui_start 100 30 &&
	tui_wait "Dashboard" &&
	tui_keys j j j j j j j &&
	tui_keys P &&
	tui_wait "Accept the $n8 unanswered proposals of article 8? (y/n)" &&
	tui_keys n &&
	tui_wait "nothing accepted" &&
	test "$(sqlite3 "$SCRATCH/zhijian.db" "select count(*) from answers")" = 0 &&
	tui_keys P &&
	tui_wait "(y/n)" &&
	tui_keys y &&
	tui_wait "$n8 proposals accepted" &&
	test "$(sqlite3 "$SCRATCH/zhijian.db" "select count(*) from answers where item like '"'"'8.%'"'"'")" = "$n8" &&
	test "$(sqlite3 "$SCRATCH/zhijian.db" "select count(*) from audit where action = '"'"'answer'"'"'")" = "$n8"
'

test_expect_success 'A in the walk accepts every article'"'"'s remaining proposals' '
	rest=$(sqlite3 "$SCRATCH/zhijian.db" "select count(*) from proposals p where verdict is not null
		and not exists (select 1 from answers a where a.item = p.item)") &&
	tui_keys c &&
	tui_wait "Checklist" &&
	tui_keys A &&
	tui_wait "Accept the $rest unanswered proposals of every article? (y/n)" &&
	tui_keys y &&
	tui_wait "$rest proposals accepted" &&
	tui_keys A &&
	tui_wait "no unanswered proposal to accept" &&
	tui_keys Q && tui_exited
'

test_expect_success 'at 80x24 and 60x20 every hint line keeps its help key, and the dashboard its quit key' '
	for size in "80 24" "60 20"; do
		for lc in C.UTF-8 zh_CN.UTF-8; do
			[ $lc = zh_CN.UTF-8 ] && ! locale -a 2>/dev/null | grep -qi "^zh_CN.utf-\?8$" && continue
			TUI_LC=$lc tui_start $size &&
			tui_wait "2026-06-30" &&
			tui_screen | tail -n 1 >hint.d &&
			grep -q "? " hint.d && grep -q "q " hint.d &&
			for v in C F I L; do
				# The view'"'"'s title in the title bar, not a fixed sleep: a
				# capture before the key was handled read the last view.
				case $lc.$v in
				C.*.C) t="Checklist walk" ;; C.*.F) t=Findings ;; C.*.I) t=Inventories ;;
				C.*.L) t="Rectification ledger" ;; *.C) t=清单自查 ;; *.F) t=发现问题 ;;
				*.I) t=台账 ;; *.L) t=整改台账 ;;
				esac &&
				tui_keys $v && tui_wait_title "$t" &&
				tui_screen | tail -n 1 >hint.$v &&
				grep -q "? " hint.$v || { echo "view $v at $size $lc:"; cat hint.$v; exit 1; }
			done &&
			tui_keys Q && tui_exited || exit 1
		done
	done
'

test_expect_success 'at 200x50 the dashboard bars stay short and the spare rows list the items to answer' '
	tui_start 200 50 &&
	tui_wait "Dashboard" &&
	tui_wait "To answer" &&
	tui_screen >wide &&
	bar=$(grep " 1 " wide | head -n 1 | tr -cd "░█" | wc -m) &&
	test "$bar" -le 40 &&
	tui_keys Q && tui_exited
'

test_expect_success '+ in the detail pane of a subject reached from a finding rectifies that finding' '
	tui_start 100 30 &&
	tui_wait "Dashboard" &&
	tui_keys F &&
	tui_wait "Findings" &&
	tui_keys a && tui_wait "Article" && tui_keys -l 14 && tui_keys Enter &&
	tui_wait "· rule app." &&
	tui_screen >f14 &&
	subj=$(sed -n "s/^ \([A-Z]*-[0-9]*\) .* · rule \([a-z_.]*\).*$/\1/p" f14) &&
	rule=$(sed -n "s/^ \([A-Z]*-[0-9]*\) .* · rule \([a-z_.]*\).*$/\2/p" f14) &&
	test -n "$subj" && test -n "$rule" &&
	tui_keys Enter &&
	tui_wait "$subj" &&
	tui_keys Enter &&
	tui_keys + &&
	tui_wait "Measure to rectify $subj" &&
	tui_screen >m && lacks m "choose one with" && contains m "article 14" &&
	tui_keys Escape && tui_wait "no rectification created" &&
	tui_keys Q && tui_exited
'

test_expect_success 'the note editor leaves nothing of the walk beside its box' '
	tui_start 80 24 &&
	tui_wait "Dashboard" &&
	tui_keys c && tui_wait "Checklist" &&
	tui_keys n &&
	tui_wait "Enter" &&
	tui_keys -l "已组织专题学习" &&
	tui_wait "已组织专题学习" &&
	tui_screen >box &&
	awk "/┌─/ { on = 1 } on && !/^  [┌│└]/ { bad = 1 } /└─/ { on = 0 } END { exit bad }" box ||
		{ echo "stray text beside the box:"; cat box; exit 1; }
	tui_keys Escape && tui_keys Q && tui_exited
'

test_expect_success 'at 200 columns the findings name rules by title, inventories whole, and the item'"'"'s next step' '
	tui_start 200 30 &&
	tui_wait "Dashboard" &&
	tui_keys F &&
	tui_wait "Next step" &&
	tui_screen >wide &&
	grep "APP-" wide | head -n 1 >row &&
	contains row "apps " && lacks row "app." && grep -q "→" row &&
	tui_keys Q && tui_exited
'

test_done
