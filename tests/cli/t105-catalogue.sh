#!/bin/sh
# The zh_CN catalogue covers every message: under zh_CN nothing English may
# show, so each _() and N_() string in src/ has a translation that is not
# fuzzy, and the catalogue compiles with its format strings checked.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

test_expect_success 'every message of src/ has a zh_CN translation' '
	xgettext --from-code=UTF-8 -k_ -kN_ --add-location=never -o all.pot \
		"$TOP"/src/*.c "$TOP"/src/*/*.c 2>xg.err &&
	msgmerge -q --no-fuzzy-matching -o merged.po "$TOP/po/zh_CN.po" all.pot 2>mm.err &&
	msgattrib --untranslated --no-obsolete merged.po 2>/dev/null >untranslated &&
	msgattrib --only-fuzzy --no-obsolete "$TOP/po/zh_CN.po" 2>/dev/null >fuzzy &&
	if grep -q "^msgid" untranslated; then
		echo "untranslated messages (add them to po/zh_CN.po):"
		grep -A2 "^msgid" untranslated | head -n 60
		false
	fi &&
	if grep -q "^msgid" fuzzy; then
		echo "fuzzy translations in po/zh_CN.po:"; head -n 40 fuzzy; false
	fi
'

test_expect_success 'the catalogue compiles with its format strings checked' '
	msgfmt --check -o zh.mo "$TOP/po/zh_CN.po"
'

test_done
