#!/bin/sh
# Starting: a bare 'zhijian' on a terminal opens the TUI, or explains how to
# create a workspace; without a terminal nothing changes.  The labels are
# Chinese under zh_CN.UTF-8 and English under C.UTF-8.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/lib-tui.sh"

test_expect_success 'set up the sample county, scored' '
	sample_workspace &&
	zhijian score >/dev/null 2>&1
'

test_expect_success 'a bare zhijian on a terminal opens the TUI' '
	tui_start 80 24 -- &&
	tui_wait "Dashboard" &&
	tui_wait "Total" &&
	tui_keys q &&
	tui_exited
'

test_expect_success 'without a workspace it says how to create one' '
	tui_start 80 24 -- --db elsewhere.db &&
	i=0 &&
	while [ ! -f tui.rc ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done &&
	test "$(cat tui.rc)" = 1 &&
	contains tui.err "no workspace at '\''elsewhere.db'\''" &&
	contains tui.err "zhijian init --unit NAME --level" &&
	contains tui.err "zhijian import apps apps.csv" &&
	test ! -e elsewhere.db
'

test_expect_success 'without a terminal, a bare zhijian prints the commands and exits 2' '
	expect_exit 2 zhijian </dev/null &&
	contains err "tui" &&
	expect_exit 1 zhijian tui </dev/null &&
	contains err "the TUI needs a terminal"
'

test_expect_success 'zhijian tui rejects arguments it does not know' '
	expect_exit 2 zhijian tui --bogus &&
	expect_exit 2 zhijian tui extra &&
	contains err "unexpected argument '\''extra'\''" &&
	expect_exit 0 zhijian tui --help &&
	contains out "zhijian tui"
'

test_expect_success 'zh_CN.UTF-8: Chinese labels in every view' '
	need_zh_locale
	TUI_LC=zh_CN.UTF-8 && export TUI_LC &&
	tui_start 80 24 &&
	tui_wait "总览" &&
	tui_screen >zh &&
	contains zh "总分" &&
	contains zh "进度" &&
	contains zh "应用程序 43 · 公众账号 40 · 工作群组 70" &&
	contains zh "需核实" &&
	lacks zh "Total" &&
	tui_keys c &&
	tui_wait "清单自查" &&
	tui_wait "建议结论" &&
	tui_keys I &&
	tui_wait "主办单位" &&
	tui_wait "第 1 行，共 43 行" &&
	tui_keys F &&
	tui_wait "问题说明" &&
	tui_keys Q &&
	tui_exited
'

test_expect_success 'C.UTF-8: the same views in English' '
	TUI_LC=C.UTF-8 && export TUI_LC &&
	tui_start 80 24 &&
	tui_wait "Dashboard" &&
	tui_screen >en &&
	contains en "apps 43 · accounts 40 · groups 70" &&
	lacks en "总分" &&
	tui_keys c &&
	tui_wait "Proposed" &&
	tui_keys I &&
	tui_wait "Host unit" &&
	tui_keys Q &&
	tui_exited
'

test_expect_success 'a non-UTF-8 locale falls back to C.UTF-8 for the screen' '
	TUI_LC=C && export TUI_LC &&
	tui_start 80 24 &&
	tui_wait "Dashboard" &&
	tui_wait "限制强制功能" &&
	tui_keys Q &&
	tui_exited
'

test_done
