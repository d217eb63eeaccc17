#!/bin/sh
# report: the self-assessment report as a PDF, and the submission inside it.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

# poppler's stderr is t510's subject (none for a report); here it would
# only hide the text checks' output.
text() { pdftotext "$@" 2>/dev/null; }
pages() { pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p'; }

# every_page FILE TEXT: TEXT is on every page of FILE.
# One pdftotext for the whole file (each page ends with a form feed), not
# one per page.
every_page() {
	n=$(pages "$1") && [ "$n" -gt 0 ] || { echo "no pages in $1"; return 1; }
	text "$1" - | awk -v n="$n" -v t="$2" -v f="$1" 'BEGIN { RS = "\f" }
		NR <= n && !index($0, t) { print "page " NR " of " f " lacks: " t; bad = 1 }
		END { if (NR < n) print f ": text of " NR " pages, not " n; exit bad || NR < n }'
}

# inside_page BBOX_HTML: every word lies inside the A4 text area and the
# page number's band (x within the 28 mm and 26 mm side margins of GB/T 9704).
inside_page() {
	awk '
	/<page / { match($0, /width="[0-9.]+"/); w = substr($0, RSTART + 7, RLENGTH - 8) + 0
		   match($0, /height="[0-9.]+"/); h = substr($0, RSTART + 8, RLENGTH - 9) + 0; page++ }
	/<word / {
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

test_expect_success 'a final report with unanswered items is refused, listing them, and no file is left' '
	sample_workspace &&
	zhijian score --quiet >/dev/null &&
	expect_exit 1 zhijian report -o r.pdf &&
	contains err "cannot write a final report" &&
	contains err "58 of 58 check items are unanswered" &&
	contains err "6.1" && contains err "the rules propose 是，不符合, awaiting confirmation" &&
	contains err "1.1" && contains err "no answer" &&
	contains err "--draft" &&
	test ! -e r.pdf && ! ls | grep -q "tmp-"
'

test_expect_success 'usage errors' '
	expect_exit 2 zhijian report && contains err "-o FILE.pdf" &&
	expect_exit 2 zhijian report -o x.pdf --bogus &&
	expect_exit 2 zhijian report -o x.pdf extra &&
	expect_exit 0 zhijian report --help && contains out "usage: zhijian report"
'

test_expect_success 'a draft is written with 草稿 on every page' '
	zhijian answer 1.1 符合 --note "已组织专题学习《意见》并印发实施方案" >/dev/null &&
	expect_exit 0 zhijian report -o d.pdf --draft &&
	contains out "wrote '"'"'d.pdf'"'"'" && contains out "draft" &&
	contains out "57 check items are still unanswered" &&
	every_page d.pdf 草稿 &&
	text d.pdf all.txt && contains all.txt "— 1 —" && contains all.txt "— $(pages d.pdf) —"
'

test_expect_success 'pdftotext finds the unit, the total, every article title and the note' '
	text d.pdf all.txt &&
	contains all.txt 青禾县 &&
	total=$(zhijian status | sed -n "s/^total *\([0-9.]*\).*/\1/p") && test -n "$total" &&
	contains all.txt "$total" &&
	contains all.txt "已组织专题学习《意见》并印发实施方案" &&
	for t in 指导思想 目标任务 加强统一规划 加强立项审核 突出便捷集约 限制强制功能 "防止“空壳”“僵尸”" \
		防止强制使用 防止过度留痕 防止滥用排名 防止多头填报 健全安全体系 加强分类防护 压实主体责任 \
		夯实属地责任 落实监督责任; do
		contains all.txt "$t" || exit 1
	done &&
	for s in 一、基本情况 二、自查发现的主要问题 三、整改情况 四、下一步工作打算 附件1 评分明细 附件2 问题清单 \
		附件3 整改台账 数据与签名说明 "Σ（条款权重×条款得分）" 不适用的认定; do
		contains all.txt "$s" || exit 1
	done
'

test_expect_success 'qpdf finds no error; the font is embedded; document info is set' '
	qpdf --check d.pdf >q 2>&1 && contains q "No syntax or stream encoding errors" &&
	pdffonts d.pdf 2>/dev/null >f && contains f WenQuanYiZenHei && contains f UMingCN && contains f UKaiCN &&
	awk "NR > 2 && \$0 !~ / yes +yes +yes / { bad = 1 } END { exit bad }" f &&
	pdfinfo d.pdf 2>/dev/null >i &&
	contains i "Title:           关于2026年度《关于防治“指尖上的形式主义”的若干意见》落实情况的自查报告" &&
	contains i "Author:          青禾县" &&
	contains i "Subject:         《关于防治" && contains i "Creator:         zhijian" &&
	contains i "CreationDate:" && contains i "Page size:       595.276 x 841.89 pts (A4)"
'

test_expect_success 'bookmarks lead to every section, annex and article' '
	qpdf --json=2 --json-key=outlines d.pdf >o.json &&
	for s in 关于2026年度 一、基本情况 二、自查发现的主要问题 三、整改情况 四、下一步工作打算 附件1　评分明细 \
		一、计分方法 第一条 第十六条 附件2　问题清单 附件3　整改台账 数据与签名说明; do
		contains o.json "\"title\": \"$s" || exit 1
	done &&
	lacks o.json "封面" && lacks o.json "\"title\": \"目录"
'

test_expect_success 'pdfdetach extracts the submission and sqlite3 reads the same total' '
	pdfdetach -list d.pdf 2>/dev/null >l && contains l "1: zhijian-submission.sqlite" &&
	pdfdetach -save 1 -o s.sqlite d.pdf 2>/dev/null &&
	test "$(sqlite3 s.sqlite "pragma user_version")" = 4 &&
	test "$(sqlite3 s.sqlite "select value from meta where key = '"'"'schema_version'"'"'")" = 4 &&
	test "$(sqlite3 s.sqlite "select printf('"'"'%.1f'"'"', total) from assessment")" = \
		"$(zhijian status | sed -n "s/^total *\([0-9.]*\).*/\1/p")" &&
	test "$(sqlite3 s.sqlite "select unit || level || as_of from assessment")" = "青禾县county2026-06-30" &&
	test "$(sqlite3 s.sqlite "select verdict || note from answers where item = '"'"'1.1'"'"'")" = \
		"compliant已组织专题学习《意见》并印发实施方案"
'

test_expect_success 'zhijian submission show reads it back from the PDF' '
	expect_exit 0 zhijian submission show d.pdf &&
	contains out "unit        青禾县 (county)" && contains out "as of       2026-06-30" &&
	contains out "total       $(zhijian status | sed -n "s/^total *\([0-9.]*\).*/\1/p")" &&
	contains out "findings    $(sqlite3 s.sqlite "select count(*) from findings"):" &&
	contains out "apps 43 rows" && contains out "answered 1 of 58" &&
	expect_exit 0 zhijian submission show s.sqlite && contains out "unit        青禾县" &&
	expect_exit 0 zhijian submission extract d.pdf -o e.sqlite && cmp e.sqlite s.sqlite &&
	expect_exit 1 zhijian submission extract d.pdf -o e.sqlite && contains err "refusing to overwrite" &&
	expect_exit 65 zhijian submission show zhijian.db && contains err "not a zhijian submission" &&
	printf "%%PDF-1.4 junk" >junk.pdf && expect_exit 65 zhijian submission show junk.pdf &&
	expect_exit 65 zhijian submission show missing.pdf &&
	expect_exit 2 zhijian submission && expect_exit 2 zhijian submission frob d.pdf &&
	expect_exit 2 zhijian submission extract d.pdf
'

test_expect_success 'the submission holds every finding, as zhijian findings lists them' '
	zhijian findings --format csv >f.csv &&
	test "$(sqlite3 s.sqlite "select count(*) from findings")" = "$(($(wc -l <f.csv) - 1))" &&
	sqlite3 s.sqlite "select subject_id, rule, state from findings order by 1, 2" >a &&
	tail -n +2 f.csv | tr -d "\r" | awk -F, "{ print \$3 \"|\" \$5 \"|\" \$7 }" | sort >b &&
	sort a >a2 && cmp a2 b &&
	test "$(sqlite3 s.sqlite "select count(*) from findings where state = '"'"'unknown'"'"' and message like '"'"'需核实：%为空'"'"'")" -gt 0 &&
	test "$(sqlite3 s.sqlite "select count(*) from articles")" = 16 &&
	test "$(sqlite3 s.sqlite "select count(*) from items")" = 58 &&
	test "$(sqlite3 s.sqlite "select rows from inventories where inventory = '"'"'apps'"'"'")" = 43
'

test_expect_success 'the ledger is in the report and the data, overdue rows marked' '
	zhijian rectify plan --apply --owner 张三 --unit 县数据局 --deadline 2026-05-31 >/dev/null &&
	zhijian rectify add --item 1.2 --measure 完善统筹机制 --deadline 2026-12-31 >/dev/null &&
	expect_exit 0 zhijian report -o l.pdf --draft &&
	text l.pdf l.txt && contains l.txt "整改台账共" && contains l.txt "逾期" && contains l.txt 完善统筹机制 &&
	pdfdetach -save 1 -o l.sqlite l.pdf 2>/dev/null &&
	test "$(sqlite3 l.sqlite "select count(*) from rectifications")" = "$(sqlite3 zhijian.db "select count(*) from rectifications")" &&
	test "$(sqlite3 l.sqlite "select overdue from rectifications where measure = '"'"'完善统筹机制'"'"'")" = 0 &&
	test "$(sqlite3 l.sqlite "select count(*) from rectifications where overdue")" -gt 0
'

test_expect_success 'an import after the last score blocks a final report and warns a draft' '
	zhijian import groups "$SAMPLES/groups.csv" >/dev/null 2>&1 &&
	expect_exit 1 zhijian report -o r.pdf && test ! -e r.pdf &&
	zhijian score --quiet >/dev/null
'

test_expect_success 'a final report once every item is answered: no watermark' '
	answer_all zhijian.db &&
	zhijian status >st && contains st "answered 58 of 58" &&
	expect_exit 0 zhijian report -o f.pdf --accept-generated &&
	lacks out draft &&
	text f.pdf f.txt && lacks f.txt 草稿 && contains f.txt "正式报告" &&
	qpdf --check f.pdf >/dev/null 2>&1
'

test_expect_success 'the report overwrites an older one whole' '
	echo old >f.pdf &&
	expect_exit 0 zhijian report -o f.pdf --accept-generated && test "$(head -c 5 f.pdf)" = "%PDF-" &&
	! ls | grep -q "tmp-"
'

test_expect_success 'a 300-character unit and a 5,000-character note stay inside the page' '
	u=$(i=0; while [ $i -lt 20 ]; do printf "青禾县人民政府办公室数字政务科"; i=$((i + 1)); done) &&
	test "$(printf %s "$u" | wc -m)" = 300 &&
	zhijian --db long.db init --unit "$u" --level county --as-of 2026-06-30 --parent 中共云岭省委网络安全和信息化委员会办公室（云岭省互联网信息办公室）数字政务处 >/dev/null &&
	for k in apps accounts groups; do zhijian --db long.db import $k "$SAMPLES/$k.csv" >/dev/null 2>&1 || exit 1; done &&
	zhijian --db long.db score --quiet >/dev/null &&
	note=$(i=0; while [ $i -lt 100 ]; do printf "经核查，本单位政务应用程序均已纳入信息化规划（见规划文本第%d页），未发现违规强制使用情况；" $i; i=$((i + 1)); done;
	       printf "https://"; i=0; while [ $i -lt 40 ]; do printf "example.gov.cn/"; i=$((i + 1)); done) &&
	test "$(printf %s "$note" | wc -m)" -ge 5000 &&
	answer_all long.db &&
	zhijian --db long.db answer 3.1 基本符合 --note "$note" >/dev/null &&
	expect_exit 0 zhijian --db long.db report -o long.pdf --accept-generated &&
	pdftotext -bbox long.pdf long.html 2>/dev/null &&
	inside_page long.html &&
	text long.pdf long.txt && contains long.txt "青禾县人民政府办公室数字政务科" &&
	contains long.txt "example.gov.cn/" &&
	pdfdetach -save 1 -o long.sqlite long.pdf 2>/dev/null &&
	test "$(sqlite3 long.sqlite "select length(unit) from assessment")" = 300 &&
	test "$(sqlite3 long.sqlite "select length(note) from answers where item = '"'"'3.1'"'"'")" -ge 5000
'

test_expect_success 'hostile text: control characters, invalid UTF-8 and emoji are drawn safely' '
	bad=$(printf "说明\001\033[31m红字\342\200\256翻转\360\237\230\200表情\377\376坏字节")
	zhijian --db long.db answer 1.2 符合 --note "$bad" >/dev/null &&
	expect_exit 0 zhijian --db long.db report -o bad.pdf --accept-generated &&
	qpdf --check bad.pdf >/dev/null 2>&1 &&
	text bad.pdf bad.txt && contains bad.txt 说明 && contains bad.txt 坏字节
'

test_done
