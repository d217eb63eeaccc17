#!/bin/sh
# init, checklist, and the command line itself.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

test_expect_success 'init creates a workspace and says what it pinned' '
	expect_exit 0 zhijian init --unit 青禾县 --level county --code 530921 --as-of 2026-06-30 &&
	contains out "created workspace '"'"'zhijian.db'"'"'" &&
	contains out "青禾县 (county)" &&
	contains out "16 articles" &&
	test -s zhijian.db &&
	test "$(sqlite3 zhijian.db "select unit || level || as_of || period from workspace")" = "青禾县county2026-06-302026年度"
'

test_expect_success 'init refuses to overwrite a workspace' '
	before=$(db_fingerprint zhijian.db) &&
	expect_exit 1 zhijian init --unit 别的县 --level county &&
	contains err "already exists" &&
	test "$before" = "$(db_fingerprint zhijian.db)"
'

test_expect_success 'init honours --db and ZHIJIAN_DB' '
	expect_exit 0 zhijian --db other.db init --unit 甲 --level unit &&
	test -s other.db &&
	ZHIJIAN_DB=env.db expect_exit 0 zhijian init --unit 乙 --level city &&
	test -s env.db &&
	ZHIJIAN_DB=env.db expect_exit 0 zhijian status && contains out "乙 (city)"
'

test_expect_success 'init rejects bad levels, dates and missing options' '
	expect_exit 2 zhijian --db x.db init --unit 甲 --level village && contains err "not a level" &&
	expect_exit 2 zhijian --db x.db init --unit 甲 --level unit --as-of 2026-02-30 && contains err "not a date" &&
	expect_exit 2 zhijian --db x.db init --level unit && contains err "--unit is required" &&
	expect_exit 2 zhijian --db x.db init --unit 甲 && contains err "--level is required" &&
	test ! -e x.db
'

test_expect_success 'init with a broken checklist leaves no workspace behind' '
	printf "[checklist]\nid = x\n" >bad.zjc &&
	expect_exit 65 zhijian --db y.db init --unit 甲 --level unit --checklist bad.zjc &&
	contains err "bad.zjc" &&
	test ! -e y.db
'

test_expect_success 'commands without a workspace say how to make one' '
	expect_exit 1 zhijian --db none.db status &&
	contains err "no workspace at '"'"'none.db'"'"'" && contains err "zhijian init"
'

test_expect_success 'a file that is not a workspace is refused' '
	echo hello >notdb.db &&
	expect_exit 1 zhijian --db notdb.db status &&
	sqlite3 plain.db "create table t(x)" &&
	expect_exit 1 zhijian --db plain.db status && contains err "not a zhijian workspace"
'

test_expect_success 'unknown command and --help' '
	expect_exit 2 zhijian frobnicate && contains err "not a zhijian command" &&
	expect_exit 0 zhijian --help && contains out "import" && contains out "findings" &&
	expect_exit 0 zhijian import --help && contains out "--skip-invalid" &&
	expect_exit 2 zhijian
'

test_expect_success 'checklist lists 5 parts and 16 articles' '
	expect_exit 0 zhijian checklist &&
	for t in 总体要求 强化建设管理 强化使用管理 强化安全管理 强化组织保障 \
		指导思想 限制强制功能 防止多头填报 落实监督责任; do contains out "$t" || exit 1; done &&
	test "$(grep -cE "^  +[0-9]+  " out)" = 16
'

test_expect_success 'checklist show 6 prints the article text, items and linked rules' '
	expect_exit 0 zhijian checklist show 6 &&
	contains out "Article 6  限制强制功能" &&
	contains out "不得设置打卡签到、积分排名、在线时长等强制使用功能" &&
	contains out "6.1" && contains out "6.2" &&
	contains out "rule:" && contains out "(apps, high, 功能异化 (alienation))"
'

test_expect_success 'checklist works without a workspace, and show rejects a bad article' '
	mkdir empty && cd empty &&
	expect_exit 0 zhijian checklist show 14 && contains out "ICP" &&
	expect_exit 2 zhijian checklist show 17 && contains err "no article" &&
	expect_exit 2 zhijian checklist show x
'

test_expect_success 'checklist check validates a file, with FILE:LINE on error' '
	expect_exit 0 zhijian checklist check "$TOP/checklists/opinions-2023.zjc" && contains out "ok: 5 parts, 16 articles" &&
	sed "s/^when = in_plan = 0\$/when = (SELECT count(*) FROM answers) > 0/" "$TOP/checklists/opinions-2023.zjc" >evil.zjc &&
	! cmp -s evil.zjc "$TOP/checklists/opinions-2023.zjc" &&
	expect_exit 65 zhijian checklist check evil.zjc &&
	line=$(grep -n "FROM answers" evil.zjc | cut -d: -f1) &&
	contains err "evil.zjc:$line: rule" &&
	printf "[checklist]\nid = x\ntitle = y\n[grades]\nA = 0\n[part 1]\ntitle = p\n[article 1]\npart = 1\ntitle = t\ntext = x\nweight = heavy\n" >w.zjc &&
	expect_exit 65 zhijian checklist check w.zjc && contains err "w.zjc:12: weight '"'"'heavy'"'"'"
'

# A newcomer runs ./build/zhijian under zh_CN before any `make install`: the
# catalogue beside the binary (build/locale) is found without help.
test_expect_success 'zh_CN: a build-tree binary finds its catalogue beside it' '
	need_zh_locale &&
	env -u ZHIJIAN_LOCALEDIR LANGUAGE= LC_ALL=zh_CN.UTF-8 "$ZHIJIAN" --help >help.zh &&
	contains help.zh "用法" && lacks help.zh "usage:" &&
	env -u ZHIJIAN_LOCALEDIR LANGUAGE= LC_ALL=zh_CN.UTF-8 "$ZHIJIAN" answer 1.1 yes 2>err.zh;
	contains err.zh "不是有效的结论"
'

test_done
