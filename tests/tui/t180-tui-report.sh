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
	contains s "主送机关: 云岭省委网信办" && contains s "四、下一步工作打算" &&
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

test_expect_success 'under zh_CN the view speaks Chinese' '
	TUI_LC=zh_CN.UTF-8 tui_start 100 30 &&
	tui_wait "总览" && tui_keys W && tui_wait "一、基本情况" && tui_screen >zh &&
	contains zh "检查人员撰写" && contains zh "根据数据生成" && lacks zh "generated from the data" &&
	tui_keys Q && tui_exited
'

test_done
