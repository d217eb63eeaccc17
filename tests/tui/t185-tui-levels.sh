#!/bin/sh
# A level above the unit headlines two things on its dashboard: its own
# score (本级) and its region (辖区: the units' mean with its grade, who
# reported, the spread, violations and overdue rectifications), so a
# province of poor units never reads as an excellent office; its own
# article 15 items are proposed from what it received.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/lib-tui.sh"

# received DB: two poor cities accepted, a third expected.
received() {
	sqlite3 "$1" "
	INSERT INTO submissions (file, file_sha256, received_at, status, unit, level, period, total, grade, violated,
		rectifications, overdue)
	VALUES ('qinghe.pdf', 'aa', '2026-07-01T08:00:00Z', 'accepted', '青禾市', 'city', '2026H1', 41.5, '较差', 40, 5, 3),
	       ('baishi.pdf', 'bb', '2026-07-01T09:00:00Z', 'accepted', '白石市', 'city', '2026H1', 52.5, '较差', 20, 4, 0);
	INSERT INTO expected_units (unit, level, added_at)
	VALUES ('青禾市', 'city', 'x'), ('白石市', 'city', 'x'), ('西岭市', 'city', 'x');"
}
answer_15_1() { sqlite3 zhijian.db "select verdict from answers where item = '15.1'"; }

test_expect_success 'set up a province whose two reporting cities are poor' '
	zhijian init --unit 江南省 --level province --as-of 2026-06-30 --period 2026H1 >/dev/null &&
	received zhijian.db &&
	zhijian score --quiet >/dev/null &&
	zhijian answer --all proposed >/dev/null &&
	test "$(answer_15_1)" = noncompliant
'

test_expect_success 'the dashboard shows the own score and the region beside it' '
	tui_start 100 30 &&
	tui_wait "Dashboard" &&
	tui_wait "Own score" &&
	tui_screen >dash &&
	grep "^ Region" dash >region &&
	contains region "mean 47.0 较差" &&
	contains region "reported 2/3" && contains region "min 41.5" && contains region "overdue 3 (today 2026-06-30)" &&
	tui_keys Q && tui_exited
'

test_expect_success 'a level above names the submissions in its dashboard hint, in both languages' '
	tui_start 80 24 &&
	tui_wait "Own score" &&
	tui_screen | tail -n 1 >hint &&
	contains hint "s submissions" && contains hint "q quit" && contains hint "? help" &&
	tui_keys Q && tui_exited &&
	need_zh_locale &&
	TUI_LC=zh_CN.UTF-8 tui_start 60 20 &&
	tui_wait "本级得分" &&
	tui_screen | tail -n 1 >zhint &&
	contains zhint "s 下级报送" && contains zhint "q 退出" && contains zhint "? 帮助" &&
	tui_keys Q && tui_exited
'

test_expect_success 'the walk says where the article 15 proposals come from' '
	tui_start 100 30 &&
	tui_wait "Dashboard" &&
	tui_keys j j j j j j j j j j j j j j Enter &&
	tui_wait "15.1" &&
	tui_wait "from what was received: 2 reports received, 2 of them" &&
	tui_keys Q && tui_exited
'

test_expect_success 'at 60x20 and 80x24 the region line fits and keeps the mean' '
	for size in "60 20" "80 24"; do
		tui_start $size &&
		tui_wait "Region" &&
		tui_screen >small &&
		grep "^ Region" small | grep -q "47.0" &&
		awk "{ if (length(\$0) > 0) n++ } END { exit 0 }" small &&
		tui_keys Q && tui_exited || exit 1
	done
'

test_done
