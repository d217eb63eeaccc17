#!/bin/sh
# Issue 15's second look at the walk, the findings, the inventories and a
# subject's details, the import screen and the help, under zh_CN.UTF-8 and
# C.UTF-8 at 60x20, 80x24 and 200x50: under zh_CN no key is named in English
# (↑ ↓ 回车 空格 下页 …; Esc, Tab, F1 and Ctrl- are key caps and stay); the
# findings' filter line says every filter whole at 60 columns; under C the
# import screen names the inventory "apps", not 政务应用程序; the help says
# what Tab does in the report; a subject's findings name their rule by its
# title; the walk's full text and the import's column picker say how to go
# back.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/lib-tui.sh"

joined() { tui_screen | tr -d " \n"; }

# english_keys FILE: the runs of Latin letters in FILE other than the key
# caps that stay as they are (Esc, Tab, Shift-Tab, Ctrl-X, F1…).
english_keys() {
	sed -e 's/Shift-Tab//g' -e 's/Ctrl-[A-Z]//g' -e 's/Esc//g' -e 's/Tab//g' -e 's/F[0-9][0-9]*//g' "$1" |
		grep -oE "[A-Za-z]{2,}"
}

# hint_in_chinese NAME: the screen's last line (its hint) into hint.NAME;
# fails, showing it, when it names a key in English.
hint_in_chinese() {
	tui_screen | tail -n 1 >"hint.$1"
	if english_keys "hint.$1" >/dev/null; then
		echo "English in the hint of $1:"; cat "hint.$1"
		return 1
	fi
}

test_expect_success 'set up: the sample county, scored, a file to import' '
	sample_workspace && zhijian score --quiet >/dev/null &&
	cp "$SAMPLES/apps.csv" apps.csv
'

test_expect_success 'under zh_CN no hint line of these screens names a key in English, at three sizes' '
	need_zh_locale &&
	for size in "60 20" "80 24" "200 50"; do
		set -- $size
		TUI_LC=zh_CN.UTF-8 tui_start $1 $2 &&
		tui_wait "总览" &&
		tui_keys C && tui_wait_title 清单自查 && hint_in_chinese walk.$1 &&
		tui_keys t && tui_wait "返回检查项" && hint_in_chinese text.$1 &&
		tui_keys t && tui_wait_gone "返回检查项" &&
		tui_keys F && tui_wait_title 发现问题 && hint_in_chinese findings.$1 &&
		contains hint.findings.$1 "回车 查看对象" &&
		tui_keys I && tui_wait_title 台账 && hint_in_chinese inventory.$1 &&
		tui_keys Enter && tui_wait "返回列表" && hint_in_chinese nofindings.$1 &&
		tui_keys q && tui_wait_gone "返回列表" &&
		tui_keys j && tui_wait "第 2 行" &&
		tui_keys Enter && tui_wait "选择问题" && hint_in_chinese subject.$1 &&
		contains hint.subject.$1 "↑/↓ 选择问题" &&
		tui_keys q && tui_wait_gone "选择问题" &&
		tui_keys o && tui_wait "要导入" && tui_keys -l apps.csv && tui_keys Enter &&
		tui_wait_title 导入文件 && tui_wait "apps.csv (CSV)" && hint_in_chinese import.$1 &&
		tui_keys Enter && tui_wait "选择该列对应的数据规范字段" && hint_in_chinese picker.$1 &&
		contains hint.picker.$1 "回车 选定该字段" &&
		tui_keys q && tui_wait_gone "选择该列对应的数据规范字段" &&
		tui_keys "?" && tui_wait_title "帮助：按键" && hint_in_chinese help.$1 &&
		contains hint.help.$1 "↑/↓ 上页/下页 滚动" &&
		tui_keys Q && tui_exited || exit 1
	done
'

test_expect_success 'under zh_CN the help names the keys as the key caps read in Chinese' '
	need_zh_locale &&
	TUI_LC=zh_CN.UTF-8 tui_start 80 24 &&
	tui_wait "总览" && tui_keys "?" && tui_wait "帮助：按键" &&
	tui_screen >h1 &&
	head -n 1 h1 | grep "青禾县（县级）· 帮助" && ! head -n 1 h1 | grep "(县级)" &&
	contains h1 "↑, k " && contains h1 "下页, Ctrl-F, 空格 " && contains h1 "首行, g " &&
	contains h1 "回车 " && contains h1 "q, Esc " &&
	tui_keys End && tui_wait "光标移到末尾" &&
	tui_screen >h2 &&
	contains h2 "行首, Ctrl-A " && contains h2 "退格 " && contains h2 "删除, Ctrl-D " &&
	contains h2 "Tab, → " && contains h2 "下一部分" &&
	cat h1 h2 | grep "^   " | sed "s/   */	/2" | cut -f1 >keycol &&
	! english_keys keycol &&
	tui_keys Q && tui_exited
'

test_expect_success 'at 200x50 the help stands in two columns, not one beside 130 blank ones' '
	tui_start 200 50 &&
	tui_wait "Dashboard" && tui_keys "?" && tui_wait "Help: keys" &&
	tui_screen >h200 &&
	grep "^   Up, k  *move up  *Inventories$" h200 &&
	contains h200 "Report body" && contains h200 "lines 1-96 of" &&
	tui_keys End && tui_wait "cursor to the end" &&
	tui_keys Q && tui_exited
'

test_expect_success 'in the help, the report'"'"'s Tab goes to the next section, not the next inventory' '
	zhijian tui --list-keys >keys &&
	contains keys "$(printf "report\tTab\tnext section")" &&
	contains keys "$(printf "inventory\tTab\tnext inventory")" &&
	lacks keys "(null)"
'

test_expect_success 'at 60x20 the findings filter line says every filter whole, in both languages' '
	tui_start 60 20 &&
	tui_wait "Dashboard" && tui_keys F && tui_wait "of 172" &&
	tui_screen | sed -n "2,3p" >f60 &&
	contains f60 "article all (a)" && contains f60 "state all (t)" && lacks f60 "…" &&
	tui_keys a && tui_wait "Article number" && tui_keys 1 6 Enter && tui_wait "article 16 (a)" &&
	tui_keys i s t && tui_wait "state violated (t)" &&
	tui_screen | sed -n "2,3p" >f60b &&
	contains f60b "inventory apps (i)" && contains f60b "severity high (s)" && lacks f60b "…" &&
	contains f60b "state violated (t)" &&
	tui_wait "x clears them" &&
	tui_keys Q && tui_exited &&
	need_zh_locale &&
	TUI_LC=zh_CN.UTF-8 tui_start 60 20 &&
	tui_wait "总览" && tui_keys F && tui_wait "1 / 172" &&
	tui_screen | sed -n "2,3p" >z60 &&
	contains z60 "条款 全部（a）" && contains z60 "状态 全部（t）" && lacks z60 "…" &&
	tui_keys Q && tui_exited
'

test_expect_success 'under C.UTF-8 the import prompt and screen name the inventory apps' '
	tui_start 80 24 &&
	tui_wait "Dashboard" && tui_keys I && tui_wait "row 1 of 43" &&
	tui_keys o && tui_wait "The file to import" &&
	tui_screen >prompt &&
	contains prompt "The file to import into apps (CSV, .xlsx or .xls):" && lacks prompt "政务应用程序" &&
	tui_keys -l apps.csv && tui_keys Enter &&
	tui_wait "ready to import into" &&
	tui_screen >imp &&
	contains imp "ready to import into apps:" && lacks imp "政务应用程序" &&
	tui_keys i && tui_wait "Import apps.csv into apps now? y/n" &&
	tui_keys n && tui_keys q && tui_keys Q && tui_exited
'

test_expect_success 'a subject'"'"'s findings name their rule by its title, as the findings table does' '
	tui_start 80 24 &&
	tui_wait "Dashboard" && tui_keys I && tui_wait "row 1 of 43" &&
	tui_keys j && tui_wait "row 2 of 43" && tui_keys Enter && tui_wait "choose a finding" &&
	joined >subj &&
	contains subj "article5·medium·本单位内功能相近重复·" && lacks subj "app.duplicate" &&
	tui_keys Q && tui_exited
'

test_expect_success 'a subject without findings says its fields scroll, not "choose a finding"' '
	tui_start 80 24 &&
	tui_wait "Dashboard" && tui_keys I && tui_wait "row 1 of 43" &&
	tui_keys Enter && tui_wait "APP-001 青禾政务通 · no findings" &&
	tui_wait "q back to the list · Up/Down PgUp/PgDn scroll" &&
	tui_screen | tail -n 1 >nf && lacks nf "choose a finding" &&
	tui_keys Q && tui_exited &&
	need_zh_locale &&
	TUI_LC=zh_CN.UTF-8 tui_start 80 24 &&
	tui_wait "总览" && tui_keys I && tui_wait "第 1 行" &&
	tui_screen | tail -n 1 >invz && contains invz "Tab 下一台账" &&
	tui_keys Q && tui_exited
'

test_expect_success 'the walk'"'"'s full text and, at 60x20, its article list say how to go on' '
	tui_start 60 20 &&
	tui_wait "Dashboard" && tui_keys C && tui_wait "answered 0/58" &&
	tui_keys t && tui_wait "t back to the items" &&
	tui_screen | tail -n 1 >th && contains th "? help" &&
	tui_keys t && tui_wait_gone "t back to the items" &&
	tui_keys Left && tui_wait "Enter its items" &&
	tui_keys Enter && tui_wait_gone "Enter its items" &&
	tui_keys Q && tui_exited
'

test_expect_success 'at 200x50 the walk lists the selected item'"'"'s findings on its spare rows' '
	tui_start 200 50 &&
	tui_wait "Dashboard" && tui_keys C && tui_wait "Article 1 " &&
	tui_keys ] ] ] ] ] ] ] ] ] ] ] ] ] && tui_wait "Article 14 压实主体责任" &&
	tui_keys j j j j j && tui_wait "14.6 · answered" &&
	tui_wait "The item'"'"'s findings: 9 (f lists the article'"'"'s)" &&
	tui_screen >w200 &&
	grep -q "│ violated   APP-002 青禾县智慧教育APP · 无形式主义投诉专区$" w200 &&
	test "$(grep -c "· 无形式主义投诉专区$" w200)" = 9 &&
	tui_keys k && tui_wait "The item'"'"'s findings: 4 (f lists" &&
	tui_keys Q && tui_exited
'

test_expect_success 'at 60x20 the column picker'"'"'s heading is whole, and 对应方式 heads its column' '
	tui_start 60 20 &&
	tui_wait "Dashboard" && tui_keys I && tui_wait "row 1 of 43" &&
	tui_keys o && tui_wait "The file to import" && tui_keys -l apps.csv && tui_keys Enter &&
	tui_wait "ready to import into" && tui_keys Enter && tui_wait "The contract column" &&
	joined >pick &&
	contains pick "(Enterchooses,qgoesback)" &&
	tui_keys Q && tui_exited &&
	need_zh_locale &&
	TUI_LC=zh_CN.UTF-8 tui_start 60 20 &&
	tui_wait "总览" && tui_keys I && tui_wait "第 1 行" &&
	tui_keys o && tui_wait "要导入" && tui_keys -l apps.csv && tui_keys Enter &&
	tui_wait "可以导入" &&
	tui_screen >imz &&
	grep "文件中的表头" imz | grep -q "│ 对应方式" &&
	tui_keys Enter && tui_wait "选择该列" &&
	tui_screen >pz && grep -q "^  编号  *id$" pz &&
	tui_keys Q && tui_exited
'

test_done
