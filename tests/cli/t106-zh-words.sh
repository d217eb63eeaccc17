#!/bin/sh
# Under zh_CN nothing English shows in a command's ordinary output: levels,
# inventories, severities, states, verdicts, statuses and the log's kinds
# are Chinese, and the usage's prose too.  Under C the official Chinese
# terms keep their English gloss where there is room ("待整改 (pending)")
# and a table's narrow column says the English word alone ("pending").
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

export ZHIJIAN_TODAY=2026-12-03

zh() { LC_ALL=zh_CN.UTF-8 ZHIJIAN_LOCALEDIR="$BUILD/locale" "$ZHIJIAN" "$@"; }

test_expect_success 'zh: init names the level in Chinese' '
	need_zh_locale &&
	zh init --unit 青禾县 --level county --as-of 2026-06-30 --parent 云岭省委网信办 >init.out &&
	contains init.out "青禾县（县级）" && no_english init.out
'

test_expect_success 'zh: import and template name the inventory in Chinese, fields by their headers' '
	need_zh_locale &&
	zh import --dry-run apps "$SAMPLES/apps.csv" >dry.out 2>&1 &&
	contains dry.out "主办单位" && no_english dry.out &&
	zh import --dry-run groups "$SAMPLES/groups.csv" >gdry.out 2>&1 &&
	grep -q "^ *4 *host_unit *建群单位$" gdry.out &&
	zh import apps "$SAMPLES/apps.csv" >imp.out 2>&1 &&
	contains imp.out "政务应用程序" && no_english imp.out &&
	zh import accounts "$SAMPLES/accounts.csv" >/dev/null 2>&1 &&
	zh import groups "$SAMPLES/groups.csv" >/dev/null 2>&1 &&
	zh template apps -o t.xlsx >tpl.out && no_english tpl.out
'

test_expect_success 'zh: score, status, findings and findings --by type say nothing in English' '
	need_zh_locale &&
	zh score >score.out && no_english score.out &&
	zh status >status.out && no_english status.out &&
	zh findings >f.out && no_english f.out &&
	grep APP-002 f.out | grep app.duplicate | grep -q "应用程序 .* 中 *违反" &&
	zh findings --by type >bt.out && no_english bt.out
'

test_expect_success 'zh: findings filters take the words the table shows' '
	need_zh_locale &&
	zh findings --inventory apps --state violated --severity medium >k.out &&
	zh findings --inventory 应用程序 --state 违反 --severity 中 >w.out &&
	cmp k.out w.out && grep -c "应用程序 .* 中 *违反" w.out | grep -qv "^0$" &&
	zh findings --state 待核实 >u.out && contains u.out "违反 0 个，待核实"
'

test_expect_success 'zh: a gain left blank is explained below the findings table' '
	need_zh_locale &&
	zh findings --article 5 >f5.out &&
	grep "APP-002" f5.out | grep app.duplicate | grep -q "+1.72 5.4→基本符合 1/5" &&
	grep "APP-021" f5.out | grep -q "违反  *5.3→符合 2/2" &&
	contains f5.out "不能改变检查项结论的留空"
'

test_expect_success 'zh: checklist show gives a rule'"'"'s inventory and severity in Chinese' '
	need_zh_locale &&
	zh checklist show 7 >c7.out &&
	contains c7.out "app.no_acceptance（应用程序，中，建设不规范）" && no_english c7.out
'

test_expect_success 'zh: answer has no English gloss, nor English prose in its usage' '
	need_zh_locale &&
	zh answer --article 6 proposed >a.out && contains a.out "6.1：是，不符合" &&
	lacks a.out "noncompliant" && no_english a.out &&
	LC_ALL=zh_CN.UTF-8 ZHIJIAN_LOCALEDIR="$BUILD/locale" expect_exit 2 "$ZHIJIAN" answer &&
	lacks err "to confirm what the rules propose" && contains err "确认规则建议的结论"
'

test_expect_success 'zh: the ledger, its plan and its history are Chinese' '
	need_zh_locale &&
	zh rectify add --finding APP-002 --rule app.duplicate --measure 整合迁移 --deadline 2026-09-30 >add.out &&
	no_english add.out &&
	zh rectify update 1 --status in_progress --note 已开展 >/dev/null &&
	zh rectify list >l.out && no_english l.out && contains l.out "整改中" &&
	zh rectify show 1 >s.out && no_english s.out && contains s.out "待整改 → 整改中" &&
	zh rectify plan >p.out && no_english p.out &&
	lacks p.out "+0.00" && contains p.out "下一档" &&
	grep "APP-003 " p.out | grep "纳入信息化" | grep -q "3.1→符合 3/3" &&
	zh rectify plan --apply >pa.out && no_english pa.out && lacks pa.out "+0.00"
'

# The details are the record the SHA-256 chain covers, kept as written
# (canonical English with the users' own words): only the kind column is
# the reader's.
test_expect_success 'zh: log names each entry'"'"'s kind in Chinese' '
	need_zh_locale &&
	zh log >log.out &&
	grep " 创建 " log.out | grep -q "workspace for" &&
	grep -c " 导入 " log.out | grep -qx 3 &&
	grep " 评分 " log.out | grep -q "as of" &&
	grep " 作答 " log.out | grep -q "6.1" &&
	grep -q " 整改 " log.out &&
	! grep -E "^ +[0-9]+  [0-9-]+ [0-9:]+ [+-][0-9]{4}  [^ ]+ +(init|import|score|answer|rectify) " log.out
'

test_expect_success 'a score with nothing answered is logged as not assessed, not -1.00' '
	new_workspace w2.db &&
	zhijian --db w2.db import apps "$SAMPLES/apps.csv" >/dev/null 2>&1 &&
	zhijian --db w2.db score --quiet >/dev/null &&
	zhijian --db w2.db log >l2.out &&
	grep " score " l2.out | grep -q "total not assessed (no item answered)" &&
	lacks l2.out "-1.00" &&
	zhijian --db w2.db log --verify >/dev/null
'

test_expect_success 'C: a table says the status in English, a sentence with its Chinese term' '
	zhijian rectify add --item 1.1 --measure 组织专题学习 >cadd.out &&
	contains cadd.out "status 待整改 (pending)" &&
	zhijian rectify list >cl.out &&
	grep "^! *1 " cl.out | grep -q " in progress *OVERDUE" &&
	lacks cl.out "待整改" && lacks cl.out "整改中" &&
	zhijian rectify show 1 >cs.out &&
	contains cs.out "status:    整改中 (in progress)" &&
	contains cs.out "pending → in progress" && lacks cs.out "待整改 → 整改中" &&
	zhijian findings --by type >cbt.out && contains cbt.out "过多过滥 (excess)" &&
	zhijian answer 6.2 proposed >ca.out && contains ca.out "6.2: 是，不符合 (noncompliant)" &&
	zhijian findings --article 5 >cf.out &&
	grep APP-002 cf.out | grep app.duplicate | grep -q "apps .* medium violated"
'

test_done
