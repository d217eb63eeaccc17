#!/bin/sh
# Help (? and F1) lists every key binding of the table that dispatches the
# keys (zhijian tui --list-keys prints that table), in English and Chinese.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/lib-tui.sh"

test_expect_success 'set up a workspace' '
	sample_workspace
'

# read_help FILE: pages through the help view, appending every screen.
read_help() {
	out=$1
	: >"$out"
	i=0
	while [ $i -lt 20 ]; do
		tui_screen >>"$out"
		# The status line ends "lines A-B of N" (行 A-B，共 N 行):
		# the end is reached when B is N.
		set -- $(tail -n 1 "$out" | grep -o "[0-9][0-9]*" | tail -n 3)
		[ $# = 3 ] && [ "$2" = "$3" ] && return 0
		last=$(tail -n 1 "$out")
		tui_keys PageDown
		tui_wait_gone "$last" || return 1
		i=$((i + 1))
	done
	echo "the help never reached its end"
	return 1
}

# every_binding_listed KEYS HELP: each "MAP<TAB>KEY<TAB>TEXT" line of KEYS
# has a help line whose keys include KEY and whose text starts TEXT.
every_binding_listed() {
	awk -F'\t' '
	NR == FNR {
		if ($0 !~ /^   [^ ]/)
			next
		line = substr($0, 4)
		if (!match(line, /   */))
			next
		keys = substr(line, 1, RSTART - 1)
		text = substr(line, RSTART + RLENGTH)
		n = split(keys, k, ", ")
		for (i = 1; i <= n; i++) {
			entries++
			ek[entries] = k[i]
			et[entries] = text
		}
		next
	}
	{
		found = 0
		for (i = 1; i <= entries && !found; i++)
			if (ek[i] == $2 && index($3, et[i]) == 1)
				found = 1
		if (!found) {
			print "not in the help: " $1 " " $2 " " $3
			missing++
		}
		total++
	}
	END {
		if (!total) { print "no bindings listed"; exit 1 }
		exit missing > 0
	}' "$2" "$1"
}

test_expect_success 'zhijian tui --list-keys prints the binding table' '
	zhijian tui --list-keys >keys &&
	test "$(wc -l <keys)" -ge 60 &&
	contains keys "$(printf "generic\tPgDn\tpage down")" &&
	contains keys "$(printf "checklist\t3\tverdict 不符合 (non-compliant)")" &&
	contains keys "$(printf "editor\tEsc\tcancel")"
'

test_expect_success '? shows every binding' '
	tui_start 80 24 &&
	tui_wait "Dashboard" &&
	tui_keys "?" &&
	tui_wait "Help: keys" &&
	read_help help &&
	every_binding_listed keys help
'

test_expect_success 'q leaves the help where it was opened; F1 opens it too' '
	tui_keys q &&
	tui_wait "Dashboard" &&
	tui_keys c F1 &&
	tui_wait "Help: keys" &&
	tui_keys q &&
	tui_wait "Checklist walk" &&
	tui_keys Q &&
	tui_exited
'

test_expect_success 'zh_CN: the help in Chinese lists every binding too' '
	need_zh_locale
	LC_ALL=zh_CN.UTF-8 LANGUAGE= ZHIJIAN_LOCALEDIR="$BUILD/locale" "$ZHIJIAN" tui --list-keys >keys.zh &&
	contains keys.zh "$(printf "generic\t下页\t向下翻页")" &&
	contains keys.zh "$(printf "editor\t行首\t光标移到开头")" &&
	contains keys.zh "$(printf "generic\tEsc\t返回上一视图")" &&
	TUI_LC=zh_CN.UTF-8 && export TUI_LC &&
	tui_start 80 24 &&
	tui_wait "总览" &&
	tui_keys "?" &&
	tui_wait "帮助" &&
	read_help help.zh &&
	every_binding_listed keys.zh help.zh &&
	tui_keys Q &&
	tui_exited
'

test_done
