#!/bin/sh
# A level above looks inside what a unit sent: Enter on an accepted file in
# the submissions view shows, read-only, its figures and its findings from
# the data it brought (checked when it was received); a refused file has
# none to show.  Inside, the status line names the keys that work there
# (scrolling, back), not the list's.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/lib-tui.sh"

test_expect_success 'set up: a province that accepted one county and refused a tampered copy' '
	province_and_unit_key &&
	county 县530921 530921 && final_report u-530921.db r.pdf k &&
	cp r.pdf bad.pdf && printf "X" | dd of=bad.pdf bs=1 seek=2000 conv=notrunc 2>/dev/null &&
	zhijian init --unit 云岭省委网信办 --code 530000 --level province --as-of 2026-06-30 --period 2026年度 >/dev/null &&
	zhijian merge r.pdf bad.pdf --trust prov/cert.pem >/dev/null; test $? = 65
'

test_expect_success 'Enter on the accepted file shows its figures and findings, read-only; q comes back' '
	n=$(zhijian --db u-530921.db findings --format csv | tail -n +2 | wc -l) &&
	tui_start 100 30 &&
	tui_wait "Dashboard" &&
	tui_keys S &&
	tui_wait "r.pdf" &&
	tui_keys Enter &&
	tui_wait "read-only" &&
	tui_wait "县530921" &&
	tui_wait "Findings" &&
	tui_screen >inside &&
	contains inside "Total" && contains inside "apps" &&
	tail -n 1 inside >hint &&
	contains hint "q back to the list" && contains hint "? help" &&
	lacks hint "look inside" && lacks hint "refresh" &&
	tui_keys q &&
	tui_wait "bad.pdf" &&
	tui_keys j &&
	tui_keys Enter &&
	tui_wait "only an accepted file can be looked inside" &&
	tui_keys Q && tui_exited
'

test_expect_success 'zh_CN: the submissions table and the look inside name the reporting unit' '
	need_zh_locale
	TUI_LC=zh_CN.UTF-8 tui_start 100 30 &&
	tui_wait "总览" &&
	tui_keys S &&
	tui_wait "报送单位" &&
	tui_screen >zhsubs &&
	lacks zhsubs "责任单位" &&
	tui_keys Enter &&
	tui_wait "只读" &&
	tui_wait "工作群组" &&
	tui_screen >zhinside &&
	contains zhinside "报送单位" && lacks zhinside "责任单位" &&
	contains zhinside "县级" && contains zhinside "应用程序" && contains zhinside "工作群组" &&
	lacks zhinside "county" && lacks zhinside "apps" && lacks zhinside "groups" &&
	tui_keys Q && tui_exited
'

test_expect_success 'at 60x20 inside a file the status line keeps its help key whole' '
	tui_start 60 20 &&
	tui_wait "Dashboard" &&
	tui_keys S && tui_wait "r.pdf" &&
	tui_keys Enter && tui_wait "read-only" &&
	tui_screen | tail -n 1 >hint60 &&
	contains hint60 "q back to the list" && contains hint60 "? help" && lacks hint60 "…" &&
	tui_keys Q && tui_exited
'

test_expect_success 'the selected file says when it came and who signed it, in local time, right below the list' '
	tui_start 200 50 TZ=Asia/Shanghai &&
	tui_wait "Dashboard" &&
	tui_keys S && tui_wait "Received at" &&
	tui_screen >pane &&
	n=$(grep -n "^ #1 县530921" pane | cut -d: -f1) && test -n "$n" && test "$n" -le 8 &&
	grep "^ Received at" pane | grep -q "+0800" &&
	grep "^ Signed by" pane >signed && contains signed "+0800" && lacks signed "UTC" &&
	grep -q "^ Certificate *\([0-9A-F][0-9A-F]:\)*[0-9A-F][0-9A-F]$" pane &&
	grep "^ Figures" pane | grep -q "overdue (today 2026-06-30)" &&
	tui_keys Q && tui_exited &&
	tui_start 60 20 &&
	tui_wait "Dashboard" &&
	tui_keys S && tui_wait "Certificate" &&
	tui_screen >p60 &&
	grep -q "^ Certificate *\([0-9A-F][0-9A-F]:\)*[0-9A-F][0-9A-F]…$" p60 &&
	grep "(period" p60 >c60 && lacks c60 "…" && contains c60 "accepted 1 · missing 0 · rejected 1 (period 2026年度)" &&
	tui_keys Q && tui_exited
'

test_expect_success 'at 60x20 the submissions line closes up rather than cut its period' '
	need_zh_locale
	TUI_LC=zh_CN.UTF-8 tui_start 60 20 &&
	tui_wait "总览" &&
	tui_keys S &&
	tui_wait "报送单位" &&
	tui_screen | grep "已接收 1" >counts &&
	contains counts "（评估期间 2026年度）" &&
	tui_keys Q && tui_exited
'

test_done
