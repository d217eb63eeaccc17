#!/bin/sh
# Every command takes --help (and -h): its usage, then each of its options
# with a line of explanation, on stdout, exit 0, with no workspace needed.
# A bad option is an error in the one form every error has ("zhijian: …"),
# never getopt's "add: unrecognized option".
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

sq="'"

cmds="init checklist import template score findings answer status tui rectify log merge submissions report submission keygen ca sign verify config narrative"

test_expect_success 'COMMAND --help prints the usage and one explained line per option' '
	for c in $cmds; do
		expect_exit 0 zhijian $c --help || exit 1
		contains out "usage: zhijian $c" || exit 1
		test ! -s err || { echo "$c wrote to stderr:"; cat err; exit 1; }
		if grep -q "^options:" out; then
			# every option line has text after the option
			sed -n "/^options:/,/^$/p" out | grep "^  --" | while read -r o rest; do
				[ -n "$rest" ] || { echo "$c: $o has no explanation"; exit 1; }
			done || exit 1
		fi
	done
'

test_expect_success 'a subcommand takes --help too: rectify add, and -h' '
	expect_exit 0 zhijian rectify add --help &&
	contains out "--deadline DATE" && contains out "judged against today" &&
	expect_exit 0 zhijian score -h && contains out "--as-of DATE"
'

test_expect_success 'a bad option says zhijian:, names it, and exits 2' '
	expect_exit 2 zhijian rectify add --bogus &&
	contains err "zhijian: unknown option ${sq}--bogus${sq}" && lacks err "add:" &&
	expect_exit 2 zhijian findings --article &&
	contains err "zhijian: option ${sq}--article${sq} needs a value" &&
	expect_exit 2 zhijian score -x && contains err "zhijian: unknown option ${sq}-x${sq}"
'

test_expect_success 'under zh_CN the option lines are Chinese' '
	need_zh_locale &&
	LC_ALL=zh_CN.UTF-8 ZHIJIAN_LOCALEDIR="$BUILD/locale" zhijian rectify add --help >zh &&
	contains zh "选项：" && contains zh "整改时限，以今天判断是否逾期"
'

test_done
