#!/bin/sh
# Deadlines are judged against today, not the as-of date: --today and
# ZHIJIAN_TODAY pin it, and every place that counts overdue rectifications
# says the date it used: rectify list and show, the report's ledger, the
# embedded data, and above the unit the roll-up, which judges each unit's
# open deadlines again on its own today rather than on the day the unit
# reported.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

sq="'"
flat() { pdftotext -raw "$1" - 2>/dev/null | tr -d ' \n\f' | sed 's/—[0-9]*—//g'; }

test_expect_success 'set-up: keys, a province, a county with a deadline after its as-of date' '
	province_and_unit_key &&
	county 县530921 530921 &&
	zhijian --db u-530921.db rectify add --item 1.1 --measure "组织专题学习" --deadline 2026-09-30 >/dev/null
'

test_expect_success 'on the as-of date nothing is overdue; in December the same deadline is' '
	expect_exit 0 zhijian --db u-530921.db rectify list &&
	contains out "0 overdue (deadlines judged against today, 2026-06-30)" &&
	expect_exit 0 zhijian --db u-530921.db --today 2026-12-01 rectify list &&
	contains out "1 overdue (deadlines judged against today, 2026-12-01)" && grep -q "^!" out &&
	expect_exit 0 zhijian --db u-530921.db --today 2026-12-01 status &&
	contains out "1 rectifications: 1 open, 1 overdue (deadlines judged against today, 2026-12-01)" &&
	expect_exit 0 zhijian --db u-530921.db rectify show 1 --today=2026-12-01 &&
	contains out "OVERDUE" && contains out "2026-12-01"
'

test_expect_success 'findings by problem type count overdue against today too, and say the date' '
	zhijian --db u-530921.db score >/dev/null &&
	expect_exit 0 zhijian --db u-530921.db findings --by type --format csv &&
	test "$(awk -F, "NR > 1 { s += \$8 } END { print s }" out)" = 0 &&
	expect_exit 0 zhijian --db u-530921.db --today 2026-12-01 findings --by type --format csv &&
	test "$(awk -F, "NR > 1 { s += \$8 } END { print s }" out)" = 1 &&
	expect_exit 0 zhijian --db u-530921.db --today 2026-12-01 findings --by type &&
	contains out "past their deadline on 2026-12-01 (today)"
'

test_expect_success 'the report and its embedded data say the date overdue was judged against' '
	{ command -v pdftotext >/dev/null || skip "no pdftotext"; } &&
	(export ZHIJIAN_TODAY=2026-12-01 && final_report u-530921.db r.pdf k) &&
	flat r.pdf >r.flat &&
	contains r.flat "整改期限以2026年12月1日为准判断，逾期未完成1项" &&
	contains r.flat "“逾期”指截至2026年12月1日已过整改期限仍未完成的整改事项" &&
	expect_exit 0 zhijian submission show r.pdf &&
	contains out "1 rectifications, 1 overdue (judged against 2026-12-01)"
'

test_expect_success 'the roll-up judges a unit'"'"'s open deadlines on its own today' '
	(export ZHIJIAN_TODAY=2026-07-01 && final_report u-530921.db r0701.pdf k) &&
	zhijian --db p.db init --unit 云岭省委网信办 --code 530000 --level province --as-of 2026-06-30 --period 2026年度 --parent 中央网信办 >/dev/null &&
	expect_exit 0 zhijian --db p.db merge r0701.pdf --trust prov/cert.pem &&
	expect_exit 0 zhijian --db p.db submissions --format csv &&
	grep "^1,accepted,县530921," out | cut -d, -f8 >n && test "$(cat n)" = 0 &&
	expect_exit 0 zhijian --db p.db --today 2026-12-01 submissions --format csv &&
	grep "^1,accepted,县530921," out | cut -d, -f8 >n && test "$(cat n)" = 1
'

test_expect_success 'the province report names the unit under 逾期整改较多的单位 with the date used' '
	{ command -v pdftotext >/dev/null || skip "no pdftotext"; } &&
	zhijian --db p.db --today 2026-12-01 report --draft -o p.pdf >/dev/null &&
	flat p.pdf >p.flat &&
	contains p.flat "逾期整改较多的单位" &&
	contains p.flat "1个单位有逾期未完成的整改事项（整改期限早于2026年12月1日且未完成），共1项" &&
	zhijian --db p.db report --draft -o p0630.pdf >/dev/null &&
	flat p0630.pdf >p0630.flat &&
	contains p0630.flat "已接收的报告均没有逾期未完成的整改事项"
'

test_expect_success 're-merging the accepted file is not another rejection' '
	expect_exit 0 zhijian --db p.db merge r0701.pdf --trust prov/cert.pem &&
	contains out "r0701.pdf: already received as #1; nothing changed" &&
	contains out "0 accepted, 1 already received, 0 rejected" &&
	test "$(sqlite3 p.db "select count(*) from submissions")" = 1
'

test_expect_success 'a refused file is named in submissions, its reason stored as a code and said in the reader'"'"'s language' '
	cp r0701.pdf tampered.pdf &&
	printf "X" | dd of=tampered.pdf bs=1 seek=2000 conv=notrunc 2>/dev/null &&
	expect_exit 65 zhijian --db p.db merge tampered.pdf --trust prov/cert.pem &&
	test "$(sqlite3 p.db "select reason_code || '"'"' '"'"' || reason_args from submissions where id = 2")" = "signature modified" &&
	expect_exit 0 zhijian --db p.db submissions &&
	grep "^   2  rejected" out | grep -q "tampered.pdf: signature: changed after signing" &&
	grep "^   1  accepted" out | grep -q "r0701.pdf$"
'

test_expect_success 'under zh_CN the same rows read in Chinese, no English reason or status' '
	need_zh_locale &&
	LC_ALL=zh_CN.UTF-8 ZHIJIAN_LOCALEDIR="$BUILD/locale" zhijian --db p.db submissions >zh.out &&
	grep "tampered.pdf: 签名：文件在签名后被修改" zh.out | grep -q "已退回" &&
	lacks zh.out "signature" && lacks zh.out "rejected" && lacks zh.out "accepted"
'

test_expect_success 'times are shown in local time with the zone: rectify show, log' '
	at=$(sqlite3 u-530921.db "select at from rect_events where rect = 1 and kind = '"'"'created'"'"'") &&
	want=$(TZ=Asia/Shanghai date -d "$at" "+%Y-%m-%d %H:%M:%S +0800") &&
	TZ=Asia/Shanghai zhijian --db u-530921.db rectify show 1 >show.out &&
	contains show.out "$want" && lacks show.out "$at" &&
	TZ=Asia/Shanghai zhijian --db u-530921.db log >log.out &&
	grep -q "+0800" log.out && ! grep -q "[0-9]Z " log.out
'

test_expect_success 'under zh_CN rectify show has no English status or history words' '
	need_zh_locale &&
	LC_ALL=zh_CN.UTF-8 ZHIJIAN_LOCALEDIR="$BUILD/locale" zhijian --db u-530921.db rectify show 1 >zh.out &&
	contains zh.out "待整改" && lacks zh.out "(pending)" && lacks zh.out "created" && contains zh.out "新建"
'

test_expect_success 'a signed draft verifies, saying it is a draft the level above will not merge' '
	zhijian --db d.db init --unit 县530921 --code 530921 --level county --as-of 2026-06-30 --period 2026年度 --parent 云岭省委网信办 >/dev/null &&
	zhijian --db d.db report --draft -o d.pdf --sign --key k/key.pem --cert k/cert.pem --chain k/chain.pem \
		--passphrase-file pass --name 王敏 >/dev/null &&
	expect_exit 0 zhijian verify d.pdf --trust prov/cert.pem &&
	contains out "d.pdf: valid signature, but a DRAFT (58 items not confirmed): the level above will not merge it" &&
	expect_exit 0 zhijian verify r0701.pdf --trust prov/cert.pem &&
	contains out "r0701.pdf: valid" && lacks out "DRAFT"
'

test_expect_success 'a province of poor units: its own items are proposed from what it received' '
	printf "单位名称,单位代码\n县530921,530921\n县530922,530922\n" >expected.csv &&
	zhijian --db p.db submissions expect expected.csv >/dev/null &&
	expect_exit 0 zhijian --db p.db --today 2026-12-01 score &&
	expect_exit 0 zhijian --db p.db --today 2026-12-01 checklist show 15 &&
	grep -A9 "^  15.1 " out | grep -q "proposed: 不符合 (from what was received: 1 reports received, 1 of them in the lowest grade)" &&
	grep -A9 "^  15.3 " out | grep -q "proposed: 不符合 (from what was received: 2 units expected to report, 1 of them missing or refused)" &&
	grep -A9 "^  15.4 " out | grep -q "proposed: 不符合 (from what was received: 1 rectifications in the region, 1 of them overdue)" &&
	test "$(sqlite3 p.db "select count(*) from proposals where basis like '"'"'received-%'"'"'")" = 3
'

test_expect_success 'answering its own items 符合 never reads as an excellent region: status and the report headline both' '
	zhijian --db p.db answer 15.1 15.3 15.4 符合 --reason "本级已部署" >/dev/null &&
	answer_all p.db &&
	expect_exit 0 zhijian --db p.db --today 2026-12-01 status &&
	contains out "total      100.0 优秀" && contains out "this level${sq}s own items, 本级" &&
	contains out "region     1 of 2 expected units reported, 1 missing; 1 files refused" &&
	mean=$(zhijian --db u-530921.db status | sed -n "s/^total *\([0-9.]*\) .*/\1/p") && test -n "$mean" &&
	contains out "units${sq} mean $mean 较差" &&
	{ command -v pdftotext >/dev/null || skip "no pdftotext"; } &&
	zhijian --db p.db --today 2026-12-01 report --accept-generated -o pfinal.pdf >/dev/null &&
	flat pfinal.pdf >pfinal.flat &&
	contains pfinal.flat "本级自查得分100.0分，等次为“优秀”" &&
	contains pfinal.flat "平均得分${mean}分。其平均得分的等次为“较差”" &&
	contains pfinal.flat "以2026年12月1日计逾期未完成整改1项" &&
	contains pfinal.flat "据下级报送情况建议不符合：已接收报告1份，其中1份为最低等级" &&
	lacks pfinal.flat "省级（province）"
'

test_expect_success 'submission findings lists what a unit found, read-only, as merge reads it' '
	n=$(zhijian --db u-530921.db findings --format csv | tail -n +2 | wc -l) &&
	expect_exit 0 zhijian submission findings r0701.pdf &&
	contains out "$n findings" && contains out "无形式主义投诉专区 (app.no_formalism_zone)" &&
	expect_exit 0 zhijian submission findings r0701.pdf --format csv &&
	head -n 1 out | grep -q "^article,inventory,subject_id,subject_name,rule,severity,state,title" &&
	test "$(tail -n +2 out | wc -l)" = "$n" &&
	printf "not a report" >junk.pdf &&
	expect_exit 65 zhijian submission findings junk.pdf
'

test_expect_success 'under zh_CN verify, submission show and findings say nothing in English' '
	need_zh_locale &&
	zh() { LC_ALL=zh_CN.UTF-8 ZHIJIAN_LOCALEDIR="$BUILD/locale" "$ZHIJIAN" "$@"; } &&
	zh verify r0701.pdf --trust prov/cert.pem >zv.out && contains zv.out "签名字典的 /M 时间" &&
	sed "/^  \(签名者\|签发者\|信任\|sha256\) /d" zv.out >zv.rest && no_english zv.rest &&
	zh submission show r0701.pdf >zs.out && contains zs.out "（县级）" && contains zs.out "政务应用程序 43 行" &&
	no_english zs.out &&
	zh submission findings r0701.pdf >zf.out && grep APP-010 zf.out | grep -q "应用程序 .* 违反 *中 " &&
	no_english zf.out
'

test_done
