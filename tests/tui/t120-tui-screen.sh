#!/bin/sh
# The screen itself: live resizes down to 60×20, a notice below it, back
# again; colours, and monochrome under NO_COLOR.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/lib-tui.sh"

test_expect_success 'set up the sample county, scored' '
	sample_workspace &&
	zhijian score >/dev/null 2>&1
'

# no_overflow FILE COLS: no line of the screen is wider than the terminal.
no_overflow() {
	while IFS= read -r line; do
		if [ "$(dwidth "$line")" -gt "$2" ]; then
			echo "wider than $2: $line"
			return 1
		fi
	done <"$1"
}

test_expect_success 'at 60×20 every view is drawn whole' '
	tui_start 80 24 &&
	tui_wait "Dashboard" &&
	tui_resize 60 20 &&
	tui_wait "16 落实监督责任" &&
	tui_screen >d60 &&
	lacks d60 "too small" &&
	contains d60 " 8 防止强制使用" &&
	contains d60 "Inventories" &&
	no_overflow d60 60 &&
	tui_keys c &&
	tui_wait "Article 1" &&
	tui_screen >c60 &&
	contains c60 "1.1" &&
	no_overflow c60 60 &&
	tui_keys I &&
	tui_wait "APP-001" &&
	tui_screen >i60 &&
	no_overflow i60 60 &&
	tui_keys F &&
	tui_wait "of 172" &&
	tui_screen >f60 &&
	no_overflow f60 60
'

test_expect_success 'at 40×10 a notice replaces the screen, and nothing breaks' '
	tui_resize 40 10 &&
	tui_wait "terminal too small" &&
	tui_screen >small &&
	contains small "60×20" &&
	no_overflow small 40 &&
	tui_keys j j PageDown &&
	tui_resize 80 24 &&
	tui_wait "Findings" &&
	tui_wait_gone "too small" &&
	tui_keys D &&
	tui_wait "Total" &&
	tui_screen >d80 &&
	no_overflow d80 80
'

test_expect_success 'q quits even from the notice' '
	tui_resize 50 12 &&
	tui_wait "terminal too small" &&
	tui_keys q &&
	tui_exited
'

test_expect_success 'colours by default' '
	tui_start 80 24 &&
	tui_wait "Total" &&
	tui_screen -e >color &&
	grep -q "$(printf "\033")\[[0-9;]*3[1-7]m\|$(printf "\033")\[[0-9;]*4[1-7]m" color &&
	tui_keys Q &&
	tui_exited
'

test_expect_success 'monochrome under NO_COLOR: attributes, no colours' '
	tui_start 80 24 NO_COLOR=1 &&
	tui_wait "Total" &&
	tui_keys I &&
	tui_wait "APP-001" &&
	tui_screen -e >mono &&
	! grep "$(printf "\033")\[[0-9;]*\(3[0-7]\|4[0-7]\|38;\|48;\)[0-9;]*m" mono &&
	grep -q "$(printf "\033")\[[0-9;]*7m" mono &&
	tui_keys Q &&
	tui_exited
'

test_done
