#!/bin/sh
# What the screens say when space is short (issue 15's look at every screen
# at 60x20, 80x24 and 200x50): a +0.00 gain gives way to the item's next
# step in the ledger's pane, the findings' pane names the rule by its title
# and says the next step the narrow table drops, a next step is not cut to
# "8.2→…", the dashboard drops "scored as of" rather than cut its date, and
# the import screen's narrow hint keeps the key it is for.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/lib-tui.sh"

test_expect_success 'set up: the sample county, scored, its findings planned for rectification' '
	sample_workspace && zhijian score --quiet >/dev/null &&
	zhijian rectify plan --apply --owner 张三 --deadline 2026-09-30 >/dev/null
'

# The first rectification whose gain is +0.00 (its item's verdict moves
# only when several subjects are fixed): the ledger's row number.
zero_row() {
	zhijian rectify list --format csv | awk -F, 'NR > 1 && $NF ~ /\+0\.00/ { print NR - 1; exit }'
}

test_expect_success 'the ledger pane says the next step where the gain is +0.00, and the table does not cut it' '
	row=$(zero_row) && test -n "$row" &&
	id=$(zhijian rectify list --format csv | sed -n "$((row + 1))p" | cut -d, -f1) &&
	zhijian rectify show "$id" >show && contains show "next step:" &&
	for size in "80 24" "60 20"; do
		tui_start $size &&
		tui_wait "Dashboard" &&
		tui_keys L &&
		tui_wait "listed" &&
		i=1 && while [ $i -lt "$row" ]; do tui_keys j; i=$((i + 1)); done &&
		tui_wait "#$id " &&
		tui_wait "next step: " &&
		tui_screen >ledger &&
		lacks ledger "gain +0.00" && lacks ledger "→…" &&
		tui_keys Q && tui_exited || exit 1
	done
'

test_expect_success 'the findings pane names the rule by title and says the next step' '
	for size in "80 24" "60 20"; do
		tui_start $size &&
		tui_wait "Dashboard" &&
		tui_keys F &&
		tui_wait "next step: " &&
		tui_screen >pane &&
		grep -q "next step: [0-9]*\.[0-9]* .*→" pane &&
		tui_keys Q && tui_exited || exit 1
	done &&
	tui_start 120 24 &&
	tui_wait "Dashboard" &&
	tui_keys F &&
	tui_wait "· rule app.not_in_plan" &&
	tui_screen >pane &&
	grep "· rule app.not_in_plan" pane | grep -q "APP-003 青禾教育云小程序 · 未纳入信息化规划 · apps" &&
	tui_keys Q && tui_exited
'

test_expect_success 'under zh_CN the panes say 下一档 and no English' '
	need_zh_locale &&
	TUI_LC=zh_CN.UTF-8 tui_start 80 24 &&
	tui_wait "总览" &&
	tui_keys F &&
	tui_wait "下一档：" &&
	tui_screen >zhf && lacks zhf "next step" &&
	tui_keys L &&
	tui_wait "整改台账" &&
	tui_keys Q && tui_exited
'

test_expect_success 'at 60x20 the dashboard drops "scored as of" rather than cut its date' '
	tui_start 60 20 &&
	tui_wait "Dashboard" &&
	tui_screen >d60 &&
	grep "Total" d60 >total &&
	{ lacks total "scored as of" || contains total "scored as of 2026-06-30"; } &&
	tui_keys Q && tui_exited &&
	tui_start 100 30 &&
	tui_wait "scored as of 2026-06-30" &&
	tui_keys Q && tui_exited
'

test_expect_success 'at 60x20 the import screen'"'"'s hint keeps its import key' '
	cp "$SAMPLES/apps.csv" apps.csv &&
	tui_start 60 20 &&
	tui_wait "Dashboard" &&
	tui_keys I && tui_wait "Inventories" &&
	tui_keys o && tui_wait "The file to import" &&
	tui_keys -l apps.csv && tui_keys Enter &&
	tui_wait "apps.csv (CSV)" &&
	tui_screen | tail -n 1 >hint &&
	contains hint "i import" && contains hint "? help" &&
	tui_keys q && tui_keys Q && tui_exited
'

test_done
