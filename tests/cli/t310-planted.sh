#!/bin/sh
# The rules on planted data (tests/bench/plant.c): every case of every rule
# planted in an otherwise clean row, and the findings compared whole with
# what the generator expects: what is flagged, what is a gap, and what is
# silent.  Then what the checklist format must refuse, the counts by the
# campaign's four problem types, and the thresholds with their basis.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

PLANT="$BUILD/tools/plant"

# got DB: the findings as "rule,subject,state", sorted.
got() {
	zhijian --db "$1" findings --format csv | tail -n +2 | tr -d "\r" |
		awk -F, "{ print \$5 \",\" \$3 \",\" \$7 }" | sort
}

test_expect_success 'above the unit level: exactly the planted findings, gaps and silences' '
	mkdir p && "$PLANT" p 2 &&
	zhijian --db c.db init --unit 测试县 --level county --as-of 2026-06-30 >/dev/null &&
	for k in apps accounts groups; do
		zhijian --db c.db import $k p/$k.csv >/dev/null 2>&1 || return 1
	done &&
	zhijian --db c.db score --quiet >/dev/null &&
	got c.db >got && sort p/expected.csv >want &&
	test "$(wc -l <want)" -gt 200 &&
	{ cmp -s want got || { diff want got | head -n 40; false; }; }
'

test_expect_success 'the similarity passes give the same beside the scan as before it' '
	cp c.db one.db &&
	ZHIJIAN_ONE_THREAD=1 zhijian --db one.db score --quiet >/dev/null &&
	got one.db >got-one && cmp want got-one &&
	test "$(sqlite3 one.db "select * from findings order by 1, 2" | sha256sum)" = \
		"$(sqlite3 c.db "select * from findings order by 1, 2" | sha256sum)" &&
	test "$(sqlite3 one.db "select * from proposals order by 1; select * from article_stats order by 1" | sha256sum)" = \
		"$(sqlite3 c.db "select * from proposals order by 1; select * from article_stats order by 1" | sha256sum)"
'

test_expect_success 'a unit finds no cross-unit duplicates, and all the rest the same' '
	zhijian --db u.db init --unit 测试局 --level unit --as-of 2026-06-30 >/dev/null &&
	for k in apps accounts groups; do
		zhijian --db u.db import $k p/$k.csv >/dev/null 2>&1 || return 1
	done &&
	zhijian --db u.db score --quiet >/dev/null &&
	got u.db >got-u && grep -v "^app.duplicate_across," want >want-u &&
	{ cmp -s want-u got-u || { diff want-u got-u | head -n 40; false; }; }
'

test_expect_success 'gaps name the qualifier or the fields that disagree; campaign rules say so' '
	zhijian --db c.db findings --format csv >all.csv &&
	grep ",group.forced_checkin,high,unknown," all.csv | grep -q "打卡接龙确属工作必需" &&
	grep ",app.ranking_in_notices,medium,unknown,needs verification: 积分排名功能、在线时长功能、积分排名用于通报考评 disagree" all.csv &&
	grep ",app.stopped_too_long,.*,unknown," all.csv | grep -q "disagree" &&
	grep ",group.idle,low,violated," all.csv | grep -q "专项整治" &&
	grep ",app.stale,low,violated," all.csv | grep -q "365天" &&
	grep -q ",app.low_use,medium,violated,.*1%.*20%" all.csv &&
	test "$(tail -n +2 all.csv | tr -d "\r" | awk -F, "{ print \$NF }" | sort -u | tr "\n" " ")" = \
		"alienation excess nonstandard reporting "
'

test_expect_success 'findings --by type counts what the findings say, by the four types' '
	expect_exit 0 zhijian --db c.db findings --by type --format csv &&
	head -n 1 out | grep -q "^type,label,violated,subjects,unknown,rectifications,open,overdue" &&
	for t in excess alienation nonstandard; do
		n=$(tail -n +2 all.csv | tr -d "\r" | awk -F, -v t=$t "\$NF == t && \$7 == \"violated\"" | wc -l) &&
		grep -q "^$t,[^,]*,$n," out || { echo "$t: want $n"; cat out; return 1; }
	done &&
	grep -q "^reporting,多头填报," out &&
	expect_exit 0 zhijian --db c.db findings --by type && contains out "功能异化" && contains out "过多过滥" &&
	expect_exit 2 zhijian --db c.db findings --by type --article 5 &&
	expect_exit 2 zhijian --db c.db findings --by severity
'

test_expect_success 'the submission carries the types, the bases and the contradictions' '
	zhijian --db c.db report --draft -o r.pdf >/dev/null 2>&1 &&
	pdfdetach -save 1 -o s.sqlite r.pdf 2>/dev/null &&
	test "$(sqlite3 s.sqlite "select count(*) from rules r left join rule_policy p on p.rule = r.rule
		where p.type is null or p.basis is null")" = 0 &&
	test "$(sqlite3 s.sqlite "select source from rule_policy where rule = '"'"'group.idle'"'"'")" = campaign &&
	test "$(sqlite3 s.sqlite "select sum(r.violated) from rules r join rule_policy p on p.rule = r.rule
		where p.type = '"'"'excess'"'"'")" = \
		"$(zhijian --db c.db findings --by type --format csv | grep "^excess," | cut -d, -f3)" &&
	test "$(sqlite3 s.sqlite "select count(*) from findings where message like '"'"'%相互矛盾'"'"'")" = \
		"$(sqlite3 c.db "select sum(conflicts) from rules")" &&
	pdftotext r.pdf r.txt &&
	contains r.txt "阈值及其依据" && contains r.txt "本清单默认值：" && contains r.txt "专项整治清理整合工作群" &&
	contains r.txt "使用频率低的政务应用程序" && contains r.txt "功能异化"
'

test_expect_success 'the 空壳/僵尸 list is exactly the planted low-use apps, nothing stale or closed' '
	sed -n "/^[一二三四五六七八九十]、“空壳”“僵尸”清单/,/^[一二三四五六七八九十]、/p" r.txt >z.txt &&
	test -s z.txt &&
	grep -o "APP-[0-9]*" z.txt | sort -u >z-got &&
	grep "^app.low_use,.*,violated$" want | cut -d, -f2 | sort -u >z-want &&
	test -s z-want &&
	{ cmp -s z-want z-got || { diff z-want z-got; false; }; }
'

test_expect_success 'one violation among thirty gaps proposes 不符合: gaps are out of the rate (数据缺失不视为符合)' '
	{ echo "id,name,host_unit,acceptance_tested" &&
	  echo "A-1,甲应用,测试局,否" &&
	  i=2 && while [ $i -le 31 ]; do echo "A-$i,应用$i,测试局,"; i=$((i + 1)); done; } >gaps.csv &&
	zhijian --db g.db init --unit 测试局 --level unit --as-of 2026-06-30 >/dev/null &&
	zhijian --db g.db import apps gaps.csv >/dev/null 2>&1 &&
	zhijian --db g.db score --quiet >/dev/null &&
	expect_exit 0 zhijian --db g.db checklist show 7 &&
	sed -n "/^  7\.1 /,/^\$/p" out | grep -q "proposed: 不符合 (31 checked, 1 violated, 30 unknown)" &&
	sed -n "/^  7\.2 /,/^\$/p" out | grep -q "covers: the rules test only" &&
	sed -n "/^  7\.2 /,/^\$/p" out | grep -q "proposed: none, needs verification"
'

# checked FILE: a copy of the shipped checklist with one sed script applied.
checked() {
	sed "$1" "$TOP/checklists/opinions-2023.zjc" >x.zjc && ! cmp -s x.zjc "$TOP/checklists/opinions-2023.zjc"
}

test_expect_success 'checklist check refuses a rule without basis or type, and an invented basis' '
	expect_exit 0 zhijian checklist check "$TOP/checklists/opinions-2023.zjc" &&
	checked "/^\[rule app.install_quota\]/,/^when/{/^basis = /d}" &&
	expect_exit 65 zhijian checklist check x.zjc && contains err "rule app.install_quota has no basis" &&
	contains err "x.zjc:$(grep -n "^\[rule app.install_quota\]" x.zjc | cut -d: -f1): " &&
	contains err "name the clause it tests, or the campaign document" &&
	checked "/^\[rule app.install_quota\]/,/^when/{/^type = /d}" &&
	expect_exit 65 zhijian checklist check x.zjc && contains err "rule app.install_quota has no type" &&
	checked "/^\[rule app.mandatory_login\]/,/^when/s/^basis = 不得强制要求定期登录$/basis = 不得强制要求每日登录/" &&
	expect_exit 65 zhijian checklist check x.zjc && contains err "rule app.mandatory_login: its basis is not a clause of article 8" &&
	checked "/^\[rule app.no_icp_filing\]/,/^when/s/^severity = medium$/severity = high/" &&
	expect_exit 65 zhijian checklist check x.zjc && contains err "is of high severity" &&
	checked "/^stale_app_days.source = /d" &&
	expect_exit 65 zhijian checklist check x.zjc && contains err "threshold stale_app_days needs" &&
	checked "s/^type = 功能异化$/type = 形式主义/" &&
	expect_exit 65 zhijian checklist check x.zjc && contains err "is not a problem type" &&
	expect_exit 65 zhijian --db y.db init --unit 甲 --level unit --checklist x.zjc && test ! -e y.db
'

test_done
