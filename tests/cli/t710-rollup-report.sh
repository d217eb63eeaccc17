#!/bin/sh
# The report of a level that received reports from below (issue 7): an
# annex 附件4 下级单位报送情况, with every file received and its fate, the
# spread of the scores, the articles most violated, the units most overdue
# and the units missing, and the body's 基本情况 speaking of the region.
# A unit's report has no such annex; a county that received nothing says so.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

PERIOD=2026年度
# 57 characters, near the 64 a certificate's O allows: it must wrap in
# every table it appears in.
LONG=云岭省长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长县
# Only on the expected list, longer still: the missing line wraps.
MISSING=云岭省未报送测试单位$(i=0; while [ $i -lt 12 ]; do printf "数字政务管理办公室"; i=$((i + 1)); done)

# poppler's stderr is t510's subject (none for a report).  flat: the text in drawing order without line breaks or spaces,
# so a name wrapped inside a table cell reads whole.
text() { pdftotext "$@" 2>/dev/null; }
flat() { pdftotext -raw "$1" - 2>/dev/null | tr -d ' \n'; }

# inside_page BBOX_HTML FIRST LAST: every word of pages FIRST..LAST lies
# inside the A4 text area and the header/footer bands.
inside_page() {
	awk -v first="$2" -v last="$3" '
	/<page / { match($0, /width="[0-9.]+"/); w = substr($0, RSTART + 7, RLENGTH - 8) + 0
		   match($0, /height="[0-9.]+"/); h = substr($0, RSTART + 8, RLENGTH - 9) + 0; page++ }
	/<word / && page >= first && page <= last {
		n++
		split($0, f, "\"")
		xmin = f[2] + 0; ymin = f[4] + 0; xmax = f[6] + 0; ymax = f[8] + 0
		if (xmin < 78.5 || xmax > w - 72.5 || ymin < 20 || ymax > h - 20) {
			bad++
			if (bad < 5) printf "page %d: word outside the page area: %s\n", page, $0
		}
	}
	END { if (!n) { print "no words"; exit 1 } if (bad) { printf "%d words outside\n", bad; exit 1 } }
	' "$1"
}

# page_of PDF TEXT: the first page (after the contents) whose text has TEXT.
# One pdftotext for the whole file (each page ends with a form feed), not
# one per page.
page_of() {
	text "$1" - | awk -v t="$2" 'BEGIN { RS = "\f" } NR >= 3 && index($0, t) { print NR; found = 1; exit }
		END { exit !found }'
}

test_expect_success 'set-up: a province CA under the central CA certifies three counties' '
	printf "roll-up report test passphrase\n" >pass && chmod 600 pass &&
	quick_key --unit 中央网信办 --code 100000 --ca --passphrase-file pass -o central >/dev/null &&
	quick_key --unit 云岭省委网信办 --code 530000 --ca --csr --passphrase-file pass -o prov >/dev/null &&
	zhijian ca sign prov/req.pem --ca --key central/key.pem --cert central/cert.pem --passphrase-file pass -o prov/cert.pem >/dev/null &&
	for u in 530921 530922 530923; do
		if [ $u = 530923 ]; then name=$LONG; else name=县$u; fi
		quick_key --unit "$name" --code $u --csr --passphrase-file pass -o k-$u >/dev/null &&
		zhijian ca sign k-$u/req.pem --key prov/key.pem --cert prov/cert.pem --passphrase-file pass -o k-$u/cert.pem >/dev/null &&
		cat prov/cert.pem central/cert.pem >k-$u/chain.pem || exit 1
	done
'

test_expect_success 'set-up: three counties report, two with overdue rectifications; one file is tampered with' '
	county 县530921 530921 && county 县530922 530922 && county "$LONG" 530923 &&
	zhijian --db u-530921.db rectify plan --apply --owner 王敏 --deadline 2026-05-31 >/dev/null &&
	zhijian --db u-530922.db rectify plan --apply --owner 李强 --deadline 2026-09-30 >/dev/null &&
	for a in 6 8 10; do
		zhijian --db u-530923.db rectify add --article $a --measure "限期整改第${a}条问题" --owner 赵磊 \
			--deadline 2026-05-31 >/dev/null || exit 1
	done &&
	for u in 530921 530922 530923; do final_report u-$u.db r-$u.pdf k-$u || exit 1; done &&
	cp r-530922.pdf tampered.pdf &&
	printf "X" | dd of=tampered.pdf bs=1 seek=2000 conv=notrunc 2>/dev/null &&
	! cmp -s tampered.pdf r-530922.pdf
'

test_expect_success 'set-up: the province expects four units and merges what came' '
	zhijian --db p.db init --unit 云岭省委网信办 --code 530000 --level province --as-of 2026-06-30 --period $PERIOD --parent 中央网信办 >/dev/null &&
	printf "单位名称,单位代码,层级\n县530921,530921,county\n县530922,530922,county\n%s,530923,county\n%s,530999,county\n" \
		"$LONG" "$MISSING" >expected.csv &&
	zhijian --db p.db submissions expect expected.csv >/dev/null &&
	expect_exit 65 zhijian --db p.db merge r-530921.pdf tampered.pdf r-530922.pdf r-530923.pdf --trust central/cert.pem &&
	contains out "3 accepted, 1 rejected" &&
	test "$(sqlite3 p.db "select sum(overdue > 0) from submissions where status = '"'"'accepted'"'"'")" = 2
'

test_expect_success 'the province report has 附件4 下级单位报送情况 and its body speaks of the region' '
	expect_exit 0 zhijian --db p.db report -o p.pdf --draft &&
	text p.pdf p.txt &&
	contains p.txt "4.下级单位报送情况" && contains p.txt "附件4" &&
	for s in 一、基本情况 二、自查发现的主要问题 三、整改情况 四、下一步工作打算 附件1 附件2 附件3 数据与签名说明; do
		contains p.txt "$s" || exit 1
	done &&
	qpdf --json --json-key=outlines p.pdf >outlines.json 2>/dev/null &&
	for b in 附件4　下级单位报送情况 （一）报送情况 （二）得分分布 （三）问题集中的条款 （四）逾期整改较多的单位 （五）未报送的单位; do
		contains outlines.json "\"title\": \"$b\"" || exit 1
	done &&
	qpdf --check p.pdf >qpdf.out 2>&1 || { cat qpdf.out; exit 1; }
'

test_expect_success 'its tables split no title inside a word and no unit name that fits' '
	titles_whole p.pdf && printf "县530921\n县530922\n" | names_whole p.pdf
'

test_expect_success 'it names every unit, the rejected file with its reason in Chinese (stored as a code), the most violated article and the missing unit' '
	flat p.pdf >p.flat &&
	for u in 县530921 县530922 "$LONG" "$MISSING"; do contains p.flat "$u" || exit 1; done &&
	contains p.flat "tampered.pdf" &&
	reason=$(sqlite3 p.db "select reason from submissions where status = '"'"'rejected'"'"'") &&
	case $reason in "signature: modified after signing"*) ;; *) echo "reason: $reason"; exit 1;; esac &&
	test "$(sqlite3 p.db "select reason_code || '"'"':'"'"' || reason_args from submissions where status = '"'"'rejected'"'"'")" = signature:modified &&
	contains p.flat "退回：签名未通过验证：文件在签名后被修改" && lacks p.flat "signature:" &&
	contains p.flat "签名：文件在签名后被修改" &&
	art=$(sqlite3 p.db "select r.article from received_articles r join submissions s on s.id = r.submission
		where s.status = '"'"'accepted'"'"' group by r.article
		order by sum(r.units_violating) desc, sum(r.violated) desc, r.article limit 1") &&
	title=$(zhijian --db p.db checklist show "$art" | sed -n "1s/^Article $art  //p") && test -n "$title" &&
	contains p.flat "问题最集中的是第" && contains p.flat "“$title”" &&
	contains p.flat "其中1个尚未报送或所报均被退回：$MISSING。"
'

test_expect_success 'the figures are those of the embedded data' '
	pdfdetach -save 1 -o p.sqlite p.pdf >/dev/null 2>&1 &&
	test "$(sqlite3 p.sqlite "select count(*) || '"'"' '"'"' || sum(status = '"'"'rejected'"'"') from submissions")" = "4 1" &&
	contains p.flat "本级共收到下级单位报送的自查报告4份，经核验接收3份、退回1份；应报送的4个单位中，1个尚未报送" &&
	over=$(sqlite3 p.sqlite "select unit || '"'"' '"'"' || overdue from submissions where status = '"'"'accepted'"'"' order by overdue desc limit 1") &&
	test "${over% *}" = 县530921 &&
	contains p.flat "1县530921$(sqlite3 p.sqlite "select printf('"'"'%,d'"'"', rectifications) || printf('"'"'%,d'"'"', overdue) from submissions where unit = '"'"'县530921'"'"' and status = '"'"'accepted'"'"'")100.0%" &&
	mean=$(sqlite3 p.sqlite "select printf('"'"'%.1f'"'"', avg(total)) from submissions where status = '"'"'accepted'"'"'") &&
	contains p.flat "已接收的3份报告中3份有总分，平均得分${mean}分" &&
	contains p.flat "辖区方面，已接收的3份报告（涉及单位3个）规则核查共发现问题" &&
	contains p.flat "问题最集中的是第" && contains p.flat "（一）督促指导辖区单位。督促尚未报送的1个单位尽快报送自查报告" &&
	contains p.flat "其平均得分的等次为“较差”" &&
	contains p.flat "已接收的3份报告中，3份有总分，平均${mean}分"
'

test_expect_success 'the four problem types are those of the embedded data, summed over the accepted reports' '
	contains p.flat "四类问题汇总如下" &&
	sqlite3 -separator " " p.sqlite "select case r.type when '"'"'excess'"'"' then '"'"'过多过滥'"'"'
		when '"'"'reporting'"'"' then '"'"'多头填报'"'"' when '"'"'nonstandard'"'"' then '"'"'建设不规范'"'"'
		when '"'"'alienation'"'"' then '"'"'功能异化'"'"' else '"'"'未分类'"'"' end,
		printf('"'"'%,d%,d%,d%,d'"'"', sum(r.units_violating), sum(r.violated), sum(r.unknown), sum(r.rectifications)),
		sum(r.violated) + sum(r.unknown) + sum(r.rectifications)
		from received_types r join submissions s on s.id = r.submission
		where s.status = '"'"'accepted'"'"' group by r.type" >types.txt &&
	test "$(grep -c "^[^未]" types.txt)" = 4 &&
	test "$(awk "\$3 > 0" types.txt | wc -l)" -ge 2 &&
	while read -r label figures n; do
		if [ "$n" -gt 0 ]; then contains p.flat "$label$figures" || exit 1; fi
	done <types.txt
'

test_expect_success 'the new pages stay inside the margins, long names and all' '
	first=$(page_of p.pdf "下级单位报送情况") && last=$(page_of p.pdf "数据与签名说明") &&
	test "$first" -lt "$last" &&
	pdftotext -bbox p.pdf p.html 2>/dev/null &&
	inside_page p.html "$first" "$last"
'

test_expect_success 'a unit report has no 附件4; a county that received nothing says so in its own' '
	zhijian --db unit.db init --unit 某单位 --level unit --as-of 2026-06-30 >/dev/null &&
	expect_exit 0 zhijian --db unit.db report -o unit.pdf --draft &&
	text unit.pdf unit.txt && lacks unit.txt "下级单位报送情况" && lacks unit.txt "本级共收到" &&
	contains unit.txt "3.整改台账" && lacks unit.txt "附件4" &&
	text r-530921.pdf county.txt && contains county.txt "4.下级单位报送情况" &&
	contains county.txt "本级尚未收到下级单位报送的自查报告"
'

test_done
