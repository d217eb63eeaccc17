#!/bin/sh
# The rectification ledger (整改台账): add, list, show, update with every
# transition (and the forbidden ones), overdue against today (not the as-of date), the
# ledger following a re-score, evidence hashes, plan, and the exports.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

rect_status() { sqlite3 zhijian.db "select status || ':' || ready from rectifications where id = $1"; }

test_expect_success 'set-up: the sample county, scored' '
	sample_workspace && zhijian score --quiet >/dev/null
'

test_expect_success 'add a rectification for a finding, an item and an article' '
	expect_exit 0 zhijian rectify add --finding APP-003 --article 3 --measure "纳入县信息化规划" \
		--owner 王敏 --unit 县教育局 --deadline 2026-05-31 &&
	contains out "rectification 1 created" &&
	expect_exit 0 zhijian rectify add --item 1.1 --measure "组织专题学习" --deadline 2026/9/30 &&
	expect_exit 0 zhijian rectify add --article 12 --measure "建立应急预案体系" &&
	test "$(sqlite3 zhijian.db "select target || inventory || subject_id || article || deadline from rectifications where id = 1")" = "finding0APP-00332026-05-31" &&
	test "$(sqlite3 zhijian.db "select item || article || deadline from rectifications where id = 2")" = "1.112026-09-30"
'

test_expect_success 'bad additions are refused and store nothing' '
	before=$(db_fingerprint zhijian.db) &&
	expect_exit 1 zhijian rectify add --finding NOPE-1 --article 3 --measure x && contains err "no subject '"'"'NOPE-1'"'"'" &&
	expect_exit 1 zhijian rectify add --finding APP-003 --rule account.stale --measure x && contains err "is about accounts" &&
	expect_exit 1 zhijian rectify add --item 99.9 --measure x && contains err "no check item" &&
	expect_exit 1 zhijian rectify add --article 3 --measure x --deadline 2026-02-30 && contains err "not a date" &&
	expect_exit 2 zhijian rectify add --article 3 && contains err "--measure is required" &&
	expect_exit 2 zhijian rectify add --finding APP-003 --measure x && contains err "--article N or --rule" &&
	test "$before" = "$(db_fingerprint zhijian.db)"
'

test_expect_success 'overdue is measured against today and stands out' '
	expect_exit 0 zhijian rectify list &&
	grep "^!" out | grep -q "APP-003" && contains out "OVERDUE" &&
	contains out "1 overdue (deadlines judged against today, 2026-06-30)" &&
	expect_exit 0 zhijian rectify list --overdue && test "$(grep -c "^!" out)" = 1 &&
	expect_exit 0 zhijian --today 2026-05-01 rectify list --overdue && contains out "0 overdue" &&
	contains out "today, 2026-05-01"
'

test_expect_success 'the as-of date does not stop the clock: a deadline after it is overdue once today passes it' '
	expect_exit 0 zhijian rectify list && contains out "1 overdue" &&
	expect_exit 0 zhijian rectify list --today 2026-12-01 && contains out "2 overdue" &&
	contains out "today, 2026-12-01" &&
	(export ZHIJIAN_TODAY=2026-12-01 && expect_exit 0 zhijian rectify list --overdue) &&
	test "$(grep -c "^!" out)" = 2 &&
	expect_exit 2 zhijian rectify list --today 2026-13-01 && contains err "not a date" &&
	(export ZHIJIAN_TODAY=soon && expect_exit 2 zhijian rectify list) && contains err "ZHIJIAN_TODAY"
'

test_expect_success 'status moves forward; forbidden transitions are refused with a reason' '
	before=$(db_fingerprint zhijian.db) &&
	expect_exit 1 zhijian rectify update 2 --status verified && contains err "only a rectification that is done" &&
	expect_exit 1 zhijian rectify update 2 --status cancelled && contains err "needs a reason" &&
	expect_exit 2 zhijian rectify update 99 --status done && contains err "no rectification 99" &&
	expect_exit 2 zhijian rectify show 99 && contains err "no rectification 99" &&
	expect_exit 2 zhijian answer 99.9 符合 && contains err "no check item" &&
	expect_exit 2 zhijian rectify update 2 --status finished && contains err "not a status" &&
	test "$before" = "$(db_fingerprint zhijian.db)" &&
	expect_exit 0 zhijian rectify update 2 --status 整改中 --note "已下发学习通知" &&
	expect_exit 0 zhijian rectify update 2 --status done &&
	expect_exit 0 zhijian rectify update 2 --status verified &&
	test "$(rect_status 2)" = "verified:0" &&
	expect_exit 1 zhijian rectify update 2 --status in_progress && contains err "cannot go from 已验证" &&
	expect_exit 0 zhijian rectify update 3 --status cancelled --reason "已并入市级统一预案" &&
	test "$(sqlite3 zhijian.db "select status || cancel_reason from rectifications where id = 3")" = "cancelled已并入市级统一预案"
'

test_expect_success 'show prints the full history' '
	expect_exit 0 zhijian rectify show 2 &&
	contains out "created" && contains out "已下发学习通知" &&
	contains out "pending → in progress" && contains out "in progress → done" && contains out "done → verified"
'

test_expect_success 'a finding cannot be verified while the last score still finds it' '
	expect_exit 0 zhijian rectify update 1 --status done &&
	expect_exit 1 zhijian rectify update 1 --status verified &&
	contains err "the last score still finds the violation"
'

test_expect_success 'a re-score that no longer finds the violation marks it ready, not closed' '
	sed "s/^\(APP-003,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,\)否,/\1是,/" \
		"$SAMPLES/apps.csv" >fixed.csv &&
	! cmp -s fixed.csv "$SAMPLES/apps.csv" &&
	zhijian import apps fixed.csv >/dev/null 2>&1 &&
	expect_exit 0 zhijian score && contains out "1 rectifications are ready for verification" &&
	test "$(rect_status 1)" = "done:1" &&
	expect_exit 0 zhijian rectify list && contains out "ready" &&
	expect_exit 0 zhijian rectify update 1 --status verified &&
	test "$(rect_status 1)" = "verified:1"
'

test_expect_success 'a violation that comes back reopens it' '
	zhijian import apps "$SAMPLES/apps.csv" >/dev/null 2>&1 &&
	expect_exit 0 zhijian score && contains out "1 rectifications reopened" &&
	test "$(rect_status 1)" = "in_progress:0" &&
	zhijian rectify show 1 >s && contains s "reopened" && contains s "verified → in progress"
'

test_expect_success 'evidence is recorded with its SHA-256 and a later change is detected' '
	printf "整改通知\n" >notice.txt &&
	expect_exit 0 zhijian rectify update 1 --evidence notice.txt --note "附整改通知" &&
	test "$(sqlite3 zhijian.db "select sha256 from rect_evidence where rect = 1")" = "$(sha256sum notice.txt | cut -d" " -f1)" &&
	expect_exit 0 zhijian rectify show 1 && contains out "unchanged" &&
	printf "整改通知（已改）\n" >notice.txt &&
	expect_exit 65 zhijian rectify show 1 && contains out "CHANGED since it was recorded" &&
	rm notice.txt &&
	expect_exit 65 zhijian rectify show 1 && contains out "MISSING" &&
	expect_exit 1 zhijian rectify update 1 --evidence nosuch.pdf && contains err "evidence: cannot read '"'"'nosuch.pdf'"'"'"
'

test_expect_success 'plan proposes one rectification per subject and article, with the rules measures' '
	expect_exit 0 zhijian rectify plan &&
	test "$(grep -c " apps APP-028 " out)" = "$(zhijian findings --inventory apps --state violated --format csv | grep ",APP-028," | cut -d, -f1 | sort -u | wc -l)" &&
	grep " apps APP-003 " out | grep "  5  " | grep -q "依托“一站式”综合平台" &&
	grep " apps APP-003 " out | grep "  5  " | grep -q "app.not_on_one_stop,app.duplicate" &&
	lacks out "APP-003 青禾教育云小程序      纳入信息化、数字化总体规划" &&
	n=$(sed -n "s/^\([0-9]*\) rectifications proposed.*/\1/p" out) && test "$n" -gt 50
'

test_expect_success 'plan --apply creates them, and a second plan proposes none of those again' '
	expect_exit 0 zhijian rectify plan --apply --owner 李强 --deadline 2026-09-30 &&
	n=$(sed -n "s/^\([0-9]*\) rectifications created.*/\1/p" out) && test "$n" -gt 50 &&
	test "$(sqlite3 zhijian.db "select count(*) from rectifications where owner = '"'"'李强'"'"' and status = '"'"'pending'"'"'")" = "$n" &&
	expect_exit 0 zhijian rectify plan && contains out "0 rectifications proposed"
'

test_expect_success 'list filters by status, article and owner' '
	zhijian rectify list --status verified --format csv | tail -n +2 | cut -d, -f2 | sort -u | tr -d "\r" >s && test "$(cat s)" = verified &&
	zhijian rectify list --article 14 --format csv | tail -n +2 | cut -d, -f5 | sort -u >a && test "$(cat a)" = 14 &&
	zhijian rectify list --owner 王敏 --format csv | tail -n +2 | wc -l >o && test "$(cat o)" = 1
'

test_expect_success 'CSV export: Chinese headers, BOM, formula-like cells neutralised' '
	zhijian rectify add --article 5 --measure "=HYPERLINK(\"http://x\")" >/dev/null &&
	expect_exit 0 zhijian rectify export --format csv -o ledger.csv &&
	head -c 3 ledger.csv | od -An -tx1 | grep -q "ef bb bf" &&
	head -n 1 ledger.csv | grep -q "编号,状态,是否逾期" &&
	grep -q "\"'"'"'=HYPERLINK" ledger.csv &&
	! grep -q ",=HYPERLINK" ledger.csv
'

test_expect_success 'xlsx export is a real workbook with dates as dates and overdue rows marked' '
	expect_exit 0 zhijian rectify export --format xlsx -o ledger.xlsx &&
	unzip -t ledger.xlsx >/dev/null &&
	unzip -p ledger.xlsx xl/worksheets/sheet1.xml >sheet.xml &&
	unzip -p ledger.xlsx xl/sharedStrings.xml >strings.xml &&
	grep -q "整改措施" strings.xml && grep -q "=HYPERLINK" strings.xml &&
	! grep -q "<f>" sheet.xml &&
	grep -q "<autoFilter" sheet.xml && grep -q "<pane" sheet.xml &&
	unzip -p ledger.xlsx xl/styles.xml | grep -q "yyyy-mm-dd" &&
	unzip -p ledger.xlsx xl/styles.xml | grep -q "FFC7CE" &&
	rows=$(grep -o "<row " sheet.xml | wc -l) &&
	test "$rows" = "$(($(sqlite3 zhijian.db "select count(*) from rectifications") + 1))"
'

test_expect_success 'export needs a format and an output' '
	expect_exit 2 zhijian rectify export -o x.csv &&
	expect_exit 2 zhijian rectify export --format pdf -o x.pdf &&
	expect_exit 2 zhijian rectify export --format csv &&
	expect_exit 2 zhijian rectify frobnicate
'

test_done
