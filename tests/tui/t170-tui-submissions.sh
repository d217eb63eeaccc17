#!/bin/sh
# The submissions panel on the dashboard of a level above unit: the counts
# of `zhijian submissions` (accepted, superseded, rejected, and missing =
# expected units with nothing accepted for the period) and the lowest-scoring
# accepted units; S lists them.  A unit-level workspace has no panel, nor
# has a county that neither received nor expects anything.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/lib-tui.sh"

# received DB: three units accepted (one of them also superseded), one
# file rejected, five units expected (two of which sent nothing).
received() {
	sqlite3 "$1" "
	INSERT INTO submissions (file, file_sha256, received_at, status, unit, level, period, total, grade, violated, overdue)
	VALUES ('qinghe.pdf', 'aa', '2026-07-01T08:00:00Z', 'accepted', '青禾市', 'city', '2026H1', 61.5, '较差', 40, 3),
	       ('baishi.pdf', 'bb', '2026-07-01T09:00:00Z', 'accepted', '白石市', 'city', '2026H1', 78.0, '一般', 20, 0),
	       ('baishi-0.pdf', 'cc', '2026-06-30T09:00:00Z', 'superseded', '白石市', 'city', '2026H1', 70.0, '一般', 25, 1),
	       ('dongshan.pdf', 'dd', '2026-07-02T09:00:00Z', 'accepted', '东山市', 'city', '2026H1', 92.3, '优秀', 2, 0);
	INSERT INTO submissions (file, file_sha256, received_at, status, reason)
	VALUES ('bad.pdf', 'ee', '2026-07-02T10:00:00Z', 'rejected', 'the signature does not verify');
	INSERT INTO expected_units (unit, level, added_at)
	VALUES ('青禾市', 'city', 'x'), ('白石市', 'city', 'x'), ('东山市', 'city', 'x'),
	       ('西岭市', 'city', 'x'), ('南湖市', 'city', 'x');"
}

test_expect_success 'set up a province that received reports' '
	zhijian init --unit 江南省 --level province --as-of 2026-06-30 --period 2026H1 >/dev/null &&
	received zhijian.db &&
	zhijian submissions >cli &&
	contains cli "3 accepted, 1 superseded, 1 rejected, 2 missing"
'

test_expect_success 'the province dashboard shows the counts and the lowest units' '
	tui_start 80 24 &&
	tui_wait "Dashboard" &&
	tui_wait "Submissions" &&
	tui_screen >dash &&
	grep "^ Submissions" dash >line &&
	contains line "accepted 3" &&
	contains line "missing 2" &&
	contains line "rejected 1" &&
	contains line "superseded 1" &&
	grep "^ Lowest" dash >low &&
	contains low "青禾市 61.5 · 白石市 78.0 · 东山市 92.3" &&
	contains dash "16 落实监督责任"
'

test_expect_success 'at 60×20 the panel keeps the counts that matter, and everything fits' '
	tui_resize 60 20 &&
	tui_wait "accepted 3 · missing 2" &&
	tui_screen >d60 &&
	contains d60 "16 落实监督责任" &&
	while IFS= read -r line; do
		test "$(dwidth "$line")" -le 60 || { echo "wider than 60: $line"; exit 1; }
	done <d60 &&
	tui_resize 80 24 &&
	tui_wait "period 2026H1"
'

test_expect_success 'S lists every submission and the missing units' '
	tui_keys S &&
	tui_wait "of 7" &&
	tui_screen >subs &&
	contains subs "accepted 3 · missing 2 · rejected 1 · superseded 1 (period 2026H1)" &&
	contains subs "qinghe.pdf" &&
	tui_keys j j j j &&
	tui_wait "5 of 7" &&
	tui_wait "#5 bad.pdf · rejected" &&
	tui_wait "bad.pdf — the signature does not verify" &&
	grep "missing" subs | grep -q "西岭市" &&
	grep "missing" subs | grep -q "南湖市" &&
	tui_keys End &&
	tui_wait "7 of 7" &&
	tui_wait "nothing accepted for period 2026H1" &&
	tui_keys Q &&
	tui_exited
'

test_expect_success 'a unit-level workspace has no panel, whatever its tables hold' '
	zhijian --db unit.db init --unit 青禾县教育局 --level unit --as-of 2026-06-30 --period 2026H1 >/dev/null &&
	received unit.db &&
	tui_start 80 24 ZHIJIAN_DB=unit.db &&
	tui_wait "Dashboard" &&
	tui_wait "Inventories" &&
	tui_screen >udash &&
	lacks udash "Submissions" &&
	lacks udash "accepted" &&
	tui_keys Q &&
	tui_exited
'

test_expect_success 'a county that received and expects nothing has no panel' '
	sample_workspace county.db &&
	tui_start 80 24 ZHIJIAN_DB=county.db &&
	tui_wait "Dashboard" &&
	tui_wait "Inventories" &&
	tui_screen >cdash &&
	lacks cdash "Submissions" &&
	lacks cdash "accepted" &&
	contains cdash "answered" &&
	tui_keys Q &&
	tui_exited
'

test_expect_success 'a county that collects reports from its units shows it' '
	received county.db &&
	tui_start 80 24 ZHIJIAN_DB=county.db &&
	tui_wait "Submissions" &&
	tui_screen >cdash2 &&
	contains cdash2 "missing" &&
	tui_keys Q &&
	tui_exited
'

test_expect_success 'zh_CN: the panel in Chinese' '
	need_zh_locale
	TUI_LC=zh_CN.UTF-8 && export TUI_LC &&
	tui_start 80 24 &&
	tui_wait "下级报送" &&
	tui_screen >zh &&
	contains zh "已接收 3" &&
	contains zh "未报送 2" &&
	tui_keys Q &&
	tui_exited
'

test_done
