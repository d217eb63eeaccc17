#!/bin/sh
# The inventory browser and the findings view: aligned columns with Chinese
# text, tabs, paging to the end, the text filter, the detail pane, and
# Enter on a finding opening its subject.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/lib-tui.sh"

test_expect_success 'set up the sample county, scored' '
	sample_workspace &&
	zhijian score >/dev/null 2>&1
'

test_expect_success 'the apps tab shows a table with the first rows' '
	tui_start 80 24 &&
	tui_wait "Dashboard" &&
	tui_keys I &&
	tui_wait "APP-001" &&
	tui_screen >inv &&
	contains inv "apps 43" &&
	contains inv "accounts 40" &&
	contains inv "groups 70" &&
	contains inv "青禾政务通" &&
	contains inv "row 1 of 43"
'

test_expect_success 'the column separators of Chinese rows line up with the header by display width' '
	header=$(grep "ID *│" inv) &&
	want=$(seps "$header") &&
	test -n "$want" &&
	grep "^ APP-0.*│" inv >rows &&
	test "$(wc -l <rows)" -ge 8 &&
	grep -q "青禾" rows &&
	while IFS= read -r row; do
		got=$(seps "$row")
		if [ "$got" != "$want" ]; then
			echo "header separators at:$want"
			echo "row separators at:   $got"
			echo "row: $row"
			exit 1
		fi
		test "$(dwidth "$row")" -le 80 || exit 1
	done <rows
'

test_expect_success 'the detail pane shows the selected row, its fields and findings' '
	tui_keys j &&
	tui_wait "APP-002 青禾县智慧教育APP" &&
	tui_screen >inv &&
	contains inv "violated" &&
	tui_keys Enter &&
	tui_wait "host_unit" &&
	tui_screen >detail &&
	contains detail "青禾县教育局" &&
	contains detail "name" &&
	tui_keys q &&
	tui_wait "row 2 of 43"
'

test_expect_success 'End and Home jump; PgDn pages' '
	tui_keys End &&
	tui_wait "row 43 of 43" &&
	tui_wait "APP-043" &&
	tui_keys Home &&
	tui_wait "row 1 of 43" &&
	tui_keys PageDown &&
	tui_wait "APP-02" &&
	tui_screen >pg &&
	lacks pg "APP-001 " &&
	tui_keys g
'

test_expect_success 'the text filter keeps matching rows only' '
	tui_keys / &&
	tui_wait "Filter" &&
	tui_keys -l "教育" &&
	tui_keys Enter &&
	tui_wait "filter: 教育" &&
	tui_screen >flt &&
	grep "^ APP-0.*│" flt >frows &&
	test "$(wc -l <frows)" -ge 2 &&
	! grep -v "教育" frows &&
	tui_keys / C-u Enter &&
	tui_wait_gone "filter: 教育" &&
	tui_wait "row 1 of 43"
'

test_expect_success 'tabs switch to the groups' '
	tui_keys Tab Tab &&
	tui_wait "GRP-001" &&
	tui_wait "row 1 of 70"
'

test_expect_success 'the findings view filters by inventory, severity and article' '
	tui_keys F &&
	tui_wait "Findings" &&
	tui_wait "of 172" &&
	tui_keys i i i &&
	tui_wait "inventory groups" &&
	tui_keys s &&
	tui_wait "severity high" &&
	tui_keys x a &&
	tui_wait "Article number" &&
	tui_keys 8 Enter &&
	tui_wait "article 8 (a)" &&
	tui_screen >fd &&
	grep "^ *8│" fd >f8 &&
	! grep -v "^ *8│" f8
'

test_expect_success 'Enter on a finding opens its subject in the inventory browser' '
	tui_keys x &&
	tui_wait "article all" &&
	tui_keys End &&
	tui_wait "172 of 172" &&
	tui_screen >fe &&
	id=$(sed -n "s/^ \([A-Z]*-[0-9]*\) [^│]*·.*/\1/p" fe) &&
	test -n "$id" &&
	tui_keys Enter &&
	tui_wait "Inventories" &&
	tui_wait "$id " &&
	tui_screen >subj &&
	grep "^ $id" subj &&
	tui_keys q &&
	tui_wait "Findings" &&
	tui_keys Q &&
	tui_exited
'

test_done
