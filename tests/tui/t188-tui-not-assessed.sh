#!/bin/sh
# With nothing answered there is no total: the rules' proposals are not an
# assessment.  A province that received two poor cities has its article 15
# items proposed 不符合 from them, and with nothing answered used to
# headline "0.0 较差" as its own score; it says "not yet assessed" (未评估)
# on the dashboard, in `status`, in `score` and in the report's headline
# alike (core/assess.c decides it once), and the first answer brings the
# total back.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/lib-tui.sh"

text() { pdftotext "$@" 2>/dev/null; }

test_expect_success 'set up a province that received two poor cities, nothing answered' '
	zhijian init --unit 江南省 --level province --as-of 2026-06-30 --period 2026H1 >/dev/null &&
	sqlite3 zhijian.db "
	INSERT INTO submissions (file, file_sha256, received_at, status, unit, level, period, total, grade, violated,
		rectifications, overdue)
	VALUES (\"qinghe.pdf\", \"aa\", \"2026-07-01T08:00:00Z\", \"accepted\", \"青禾市\", \"city\", \"2026H1\", 41.5, \"较差\", 40, 5, 3),
	       (\"baishi.pdf\", \"bb\", \"2026-07-01T09:00:00Z\", \"accepted\", \"白石市\", \"city\", \"2026H1\", 52.5, \"较差\", 20, 4, 0);" &&
	zhijian score >score.out &&
	test "$(sqlite3 zhijian.db "select count(*) from proposals where verdict = \"noncompliant\"")" -gt 0 &&
	contains score.out "total not yet assessed; answered 0 of 58" && lacks score.out "0.0 较差"
'

test_expect_success 'status says not yet assessed, never 0.0 较差' '
	zhijian status >st &&
	contains st "total      not yet assessed: no item is answered" && lacks st "0.0 较差" &&
	contains st "units'"'"' mean 47.0 较差" &&
	need_zh_locale &&
	LC_ALL=zh_CN.UTF-8 ZHIJIAN_LOCALEDIR="$BUILD/locale" zhijian status >zst &&
	contains zst "未评估" && lacks zst "0.0 较差"
'

test_expect_success 'the dashboard says not yet assessed beside the region, in both languages' '
	tui_start 80 24 &&
	tui_wait "Own score" &&
	tui_screen >dash &&
	grep "^ Own score" dash >own &&
	contains own "not yet assessed" && lacks own "0.0" && lacks own "较差" && lacks own "provisional" &&
	tui_keys Q && tui_exited &&
	need_zh_locale &&
	TUI_LC=zh_CN.UTF-8 tui_start 60 20 &&
	tui_wait "本级" &&
	tui_screen >zdash &&
	grep "本级" zdash | grep -q "未评估" && lacks zdash "0.0 较差" &&
	tui_keys Q && tui_exited
'

test_expect_success 'the draft report headlines 尚未评估, not a score of 0.0' '
	command -v pdftotext >/dev/null || skip "no pdftotext"
	zhijian report -o d.pdf --draft >/dev/null 2>&1 &&
	text d.pdf - | tr -d " \n" >d.txt &&
	contains d.txt "本级尚未评估" && lacks d.txt "自查得分0.0分"
'

test_expect_success 'one answer brings the total back' '
	zhijian answer 1.1 符合 >/dev/null &&
	zhijian status >st2 &&
	grep "^total" st2 | grep -q "[0-9]\.[0-9]"
'

test_done
