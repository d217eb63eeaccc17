#!/bin/sh
# The report's body in the TUI (W): the four sections as the report prints
# them, a paragraph written with the line editor and one in $EDITOR, a
# section back to the generated text; each save as `narrative` would make
# it (audit log, the report), and the words under zh_CN too.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/lib-tui.sh"

test_expect_success 'set up the sample county, scored' '
	sample_workspace && zhijian score --quiet >/dev/null &&
	printf "#!/bin/sh\nprintf \"在编辑器中补充的一段。\\\\n\" >>\"\$1\"\n" >ed.sh && chmod +x ed.sh
'

test_expect_success 'W shows the four sections, generated, and the 主送机关' '
	tui_start 100 45 EDITOR=./ed.sh &&
	tui_wait "Dashboard" && tui_keys W &&
	tui_wait "一、基本情况" && tui_screen >s &&
	contains s "Addressed to (主送机关): 云岭省委网信办" && contains s "四、下一步工作打算" &&
	contains s "generated from the data" && contains s "按照《意见》要求"
'

test_expect_success 'a adds a paragraph with the line editor; it is saved and logged' '
	tui_keys a && tui_wait "a new paragraph" &&
	tui_keys -l "本单位成立了自查工作领导小组。" && tui_keys Enter &&
	tui_wait "saved: the report prints these words" &&
	zhijian narrative show basic >b && contains b "本单位成立了自查工作领导小组。" && contains b "按照《意见》要求" &&
	zhijian log >log && contains log "narrative basic"
'

test_expect_success 'E edits the whole section in the editor; r goes back to the generated text' '
	tui_keys Tab && tui_wait "> 二、自查发现的主要问题" &&
	tui_keys E && tui_wait "在编辑器中补充的一段。" &&
	zhijian narrative show problems >p && contains p "在编辑器中补充的一段。" &&
	tui_keys r && tui_wait "with the generated text? y replaces" && tui_keys y &&
	tui_wait "back to the text generated from the data" &&
	zhijian narrative >l && contains l "problems" &&
	test "$(zhijian narrative | grep -c "written by the inspector")" = 1 &&
	tui_keys Q && tui_exited
'

# wrapped_apart FILE: a line that ends in a digit or a letter and a next one
# that starts with a Chinese character, as "…应用程序43" over "个、…".
wrapped_apart() {
	awk '"'"'prev ~ /[0-9A-Za-z]$/ && $0 ~ /^ *[一-龥]/ { print prev " / " $0; bad = 1 } { prev = $0 } END { exit !bad }'"'"' "$1"
}

test_expect_success 'at 60x20 the heading says the state whole; at 200x50 the sections that follow fill the screen' '
	tui_start 60 20 &&
	tui_wait "Dashboard" && tui_keys W && tui_wait "一、基本情况 —" &&
	tui_screen | grep "^ 一、基本情况 —" >h60 &&
	lacks h60 "edit to w" && grep -q " — \(as the report prints it\|generated from the data\)$" h60 &&
	tui_keys Q && tui_exited &&
	for lc in C.UTF-8 zh_CN.UTF-8; do
		[ $lc = zh_CN.UTF-8 ] && ! locale -a 2>/dev/null | grep -qi "^zh_CN.utf-\?8$" && continue
		TUI_LC=$lc tui_start 200 50 &&
		tui_wait "2026-06-30" && tui_keys W && tui_wait "一、基本情况 —" &&
		tui_wait "健全长效工作机制" &&
		tui_screen >w200 &&
		test "$(grep -c "四、下一步工作打算" w200)" = 2 &&
		! wrapped_apart w200 &&
		tui_keys Q && tui_exited || exit 1
	done
'

test_expect_success 'under zh_CN the view speaks Chinese' '
	TUI_LC=zh_CN.UTF-8 tui_start 100 30 &&
	tui_wait "总览" && tui_keys W && tui_wait "一、基本情况" && tui_screen >zh &&
	contains zh "检查人员撰写" && contains zh "根据数据生成" && lacks zh "generated from the data" &&
	contains zh "主送机关：" && lacks zh "Addressed to" &&
	tui_keys Q && tui_exited
'

test_done
