#!/bin/sh
# The report as an official document (公文, GB/T 9704): title, 主送机关, the
# four sections in order, 附件说明, 落款 with the date as 2026年12月2日, the
# annexes with their numbered titles, and the machine data on the closing
# page only; `config parent` and `init --parent`; the body's words refused
# as generated unless --accept-generated; the signer's name never the unit's.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

text() { pdftotext "$@" 2>/dev/null; }
pages() { pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p'; }
# 2026-12-02 02:40 UTC: the 成文日期 is 2026年12月2日.
export SOURCE_DATE_EPOCH=1796179200 TZ=UTC

# in_order FILE S1 S2 ...: each string occurs in FILE, each after the one before.
in_order() {
	f=$1
	shift
	awk -v list="$*" 'BEGIN { n = split(list, want, " ") } { all = all $0 "\n" }
	END {
		pos = 0
		for (i = 1; i <= n; i++) {
			rest = substr(all, pos + 1); k = index(rest, want[i])
			if (!k) { printf "not found after the previous one: %s\n", want[i]; exit 1 }
			pos += k + length(want[i]) - 1
		}
	}' "$f"
}

test_expect_success 'init --parent; config shows, changes and clears the 主送机关, logged' '
	zhijian init --unit 青禾县 --level county --as-of 2026-06-30 --parent 云岭省网信办 >out &&
	contains out "云岭省网信办" &&
	expect_exit 0 zhijian config && contains out "云岭省网信办" &&
	expect_exit 0 zhijian config parent 云岭省委网信办 && contains out "云岭省委网信办" &&
	expect_exit 0 zhijian config parent && test "$(cat out)" = 云岭省委网信办 &&
	zhijian log >log && contains log "parent (主送机关) set to 云岭省委网信办" &&
	expect_exit 2 zhijian config parent "$(printf "a\001b")" && contains err "control characters" &&
	expect_exit 2 zhijian config parent "   " && contains err "empty" &&
	expect_exit 2 zhijian config color red && contains err "not a setting" &&
	expect_exit 2 zhijian init --db x.db --unit X --level county --parent "" &&
	expect_exit 0 zhijian config parent 云岭省委网信办
'

test_expect_success 'set-up: the sample county, scored and answered, a ledger' '
	for k in apps accounts groups; do zhijian import $k "$SAMPLES/$k.csv" >/dev/null 2>&1 || exit 1; done &&
	zhijian score --quiet >/dev/null &&
	zhijian rectify plan --apply --owner 王敏 --unit 县数据局 --deadline 2026-05-31 >/dev/null &&
	answer_all zhijian.db
'

test_expect_success 'a final report refuses a body that is only the generated text, naming the sections' '
	expect_exit 1 zhijian report -o f.pdf &&
	contains err "only the text generated from the data" &&
	for s in basic problems rectification next 一、基本情况 四、下一步工作打算; do contains err "$s" || exit 1; done &&
	contains err "--accept-generated" && test ! -e f.pdf &&
	expect_exit 0 zhijian report -o d.pdf --draft
'

test_expect_success 'without a 主送机关 a final report is refused, a draft warned' '
	expect_exit 0 zhijian config parent --unset &&
	expect_exit 1 zhijian report -o f.pdf --accept-generated && contains err "主送机关" && test ! -e f.pdf &&
	expect_exit 0 zhijian report -o n.pdf --draft && contains err "warning" &&
	expect_exit 0 zhijian config parent 云岭省委网信办
'

test_expect_success 'the body: title, 主送, the four sections in order, 附件说明, 落款 with its date' '
	expect_exit 0 zhijian report -o f.pdf --accept-generated &&
	text -layout -f 1 -l 1 f.pdf p1.txt &&
	test "$(grep -v "^ *$" p1.txt | head -n 2 | tr -d " " | tr -d "\n")" = \
		"关于2026年度《关于防治“指尖上的形式主义”的若干意见》落实情况的自查报告" &&
	test "$(grep -v "^ *$" p1.txt | sed -n 3p)" = "云岭省委网信办：" &&
	text f.pdf f.txt &&
	in_order f.txt 云岭省委网信办： 一、基本情况 二、自查发现的主要问题 三、整改情况 四、下一步工作打算 特此报告。 \
		附件：1.评分明细 2.问题清单 3.整改台账 4.下级单位报送情况 青禾县 2026年12月2日 附件1 评分明细 \
		附件2 问题清单 附件3 整改台账 附件4 下级单位报送情况 数据与签名说明 &&
	grep -x "2026年12月2日" f.txt >/dev/null &&
	contains f.txt "规则核查共发现问题" && contains f.txt "已完成整改0项，占整改事项121项的0.0%" &&
	contains f.txt "（一）持续抓好问题整改。"
'

test_expect_success 'the three faces are embedded; page numbers read — N —' '
	pdffonts f.pdf 2>/dev/null >fonts &&
	contains fonts UMingCN && contains fonts WenQuanYiZenHei && contains fonts UKaiCN &&
	awk "NR > 2 && \$0 !~ / yes +yes +yes / { bad = 1 } END { exit bad }" fonts &&
	n=$(pages f.pdf) && text -f "$n" -l "$n" f.pdf last.txt && contains last.txt "— $n —"
'

test_expect_success 'machine data only on the closing page; no command and no ASCII level word before it' '
	n=$(pages f.pdf) && text -l $((n - 1)) f.pdf body.txt && text -f "$n" -l "$n" f.pdf data.txt &&
	id=$(sqlite3 zhijian.db "select assessment_id from workspace") &&
	sha=$(sqlite3 zhijian.db "select checklist_sha256 from workspace") &&
	head=$(sqlite3 zhijian.db "select hash from audit order by seq desc limit 1") &&
	contains data.txt "$id" && contains data.txt "$sha" && contains data.txt zhijian-submission.sqlite &&
	lacks body.txt "$id" && lacks body.txt "$sha" && lacks body.txt zhijian &&
	for w in unit county city province central UTC; do lacks body.txt "$w" || exit 1; done &&
	pdfdetach -save 1 -o s.sqlite f.pdf 2>/dev/null &&
	contains data.txt "$(sha256sum s.sqlite | cut -c1-64)" &&
	test "$(sqlite3 s.sqlite "select value from meta where key = '"'"'audit_head'"'"'")" != "" &&
	contains data.txt "$(sqlite3 s.sqlite "select value from meta where key = '"'"'audit_head'"'"'")"
'

test_expect_success 'the body travels in the submission, as printed' '
	test "$(sqlite3 s.sqlite "select group_concat(section || char(58) || source, char(32)) from narratives")" = \
		"basic:generated problems:generated rectification:generated next:generated" &&
	test "$(sqlite3 s.sqlite "select value from meta where key = '"'"'parent'"'"'")" = 云岭省委网信办 &&
	expect_exit 0 zhijian submission show f.pdf
'

test_expect_success 'no page ends with a heading' '
	text -layout f.pdf - | awk '"'"'
		/\f/ { page++ }
		{ gsub(/\f/, ""); line = $0; sub(/^ +/, "", line); sub(/ +$/, "", line) }
		line ~ /^— [0-9]+ —$/ {
			if (last ~ /^[一二三四五六七八九十]+、[^，。；：]{2,16}$/ || last ~ /^（[一二三四五六七八九十]+）[^，。；：]{2,40}$/) {
				printf "page %d ends with the heading: %s\n", page + 1, last; bad = 1
			}
			next
		}
		line != "" { last = line }
		END { exit bad }
	'"'"'
'

test_expect_success 'no table title is split inside a word; no app, account or group name is split' '
	titles_whole f.pdf &&
	{ tail -n +2 "$SAMPLES/apps.csv"; tail -n +2 "$SAMPLES/groups.csv"; iconv -f GBK -t UTF-8 "$SAMPLES/accounts.csv" | tail -n +2; } |
		cut -d, -f2 | sort -u >names.txt &&
	test "$(wc -l <names.txt)" -gt 100 && names_whole f.pdf <names.txt
'

test_expect_success 'a table that fits on a page is not split for its last rows: 整改提分空间 with its closing line' '
	text f.pdf - | awk "BEGIN { RS = \"\f\" } /五、整改提分空间/ { found = 1; if (!index(\$0, \"整改后也可提分\")) { print \"page \" NR \" has the heading, not the end of the table\"; bad = 1 } }
		END { exit bad || !found }"
'

test_expect_success 'platforms are counted per value, every share with its denominator' '
	test "$(sqlite3 s.sqlite "select count from inventory_counts where inventory = '"'"'apps'"'"' and dimension = '"'"'platform'"'"' and value = '"'"'微信'"'"'")" = 19 &&
	test "$(sqlite3 s.sqlite "select count from inventory_counts where inventory = '"'"'apps'"'"' and dimension = '"'"'platform'"'"' and value = '"'"'支付宝'"'"'")" = 3 &&
	test "$(sqlite3 s.sqlite "select count(*) from inventory_counts where value like '"'"'%;%'"'"'")" = 0 &&
	text f.pdf - | tr -d "\n " >flat.txt &&
	contains flat.txt "44.2%（19/43）" && contains flat.txt "各取值占比之和可超过100%" &&
	contains flat.txt "涉及对象" && contains flat.txt "占摸排对象153个的"
'

test_expect_success 'every threshold is printed with its own source and basis, as the checklist states them' '
	awk -F " = " "
		/^\[/ { sec = \$0 }
		(sec == \"[thresholds]\" || sec == \"[scoring]\") && \$1 ~ /\\.source\$/ { sub(/\\.source\$/, \"\", \$1); src[\$1] = \$2 }
		(sec == \"[thresholds]\" || sec == \"[scoring]\") && \$1 ~ /\\.basis\$/ { sub(/\\.basis\$/, \"\", \$1); basis[\$1] = \$2 }
		END {
			lab[\"text\"] = \"《意见》原文\"; lab[\"campaign\"] = \"专项整治实践\"; lab[\"default\"] = \"本清单默认值\"
			for (n in basis) print lab[src[n]] \"：\" basis[n]
		}" "$ZHIJIAN_CHECKLIST" | tr -d " " >bases &&
	test "$(wc -l <bases)" -ge 11 && test "$(sort -u bases | wc -l)" = "$(wc -l <bases)" &&
	sed -n "/二、阈值及其依据/,/三、各条得分/p" f.txt | tr -d "\n " >thr.txt &&
	while read -r b; do contains thr.txt "$b" || exit 1; done <bases &&
	test "$(grep -o "本清单默认值：" thr.txt | wc -l)" = "$(grep -c "^本清单默认值：" bases)" &&
	contains thr.txt "专项整治“工作群组长期" && lacks thr.txt "第七条“工作群组" &&
	contains thr.txt "第五条“跨单位同质化重复建设”" && lacks thr.txt "相似度判定"
'

test_expect_success 'set-up: a key whose certificate names only the unit, one that names the signer' '
	printf "document test passphrase\n" >pass && chmod 600 pass &&
	quick_key --unit 青禾县 --code 530921 --passphrase-file pass -o unitkey >/dev/null &&
	quick_key --unit 青禾县 --code 530921 --name 李明 --passphrase-file pass -o personkey >/dev/null
'

test_expect_success 'the signer is the certificate CN or --name, never the unit' '
	expect_exit 2 zhijian report -o s.pdf --accept-generated --sign --key unitkey/key.pem --cert unitkey/cert.pem \
		--passphrase-file pass &&
	contains err "names no person" && test ! -e s.pdf &&
	expect_exit 0 zhijian report -o s.pdf --accept-generated --sign --key unitkey/key.pem --cert unitkey/cert.pem \
		--passphrase-file pass --name 王敏 &&
	n=$(pages s.pdf) && text -f "$n" -l "$n" s.pdf sd.txt &&
	contains sd.txt "签署人" && contains sd.txt 王敏 &&
	expect_exit 2 zhijian report -o s2.pdf --accept-generated --sign --key personkey/key.pem --cert personkey/cert.pem \
		--passphrase-file pass --name 王敏 &&
	contains err "is not the signer the certificate names" &&
	expect_exit 0 zhijian report -o s2.pdf --accept-generated --sign --key personkey/key.pem --cert personkey/cert.pem \
		--passphrase-file pass &&
	n=$(pages s2.pdf) && text -f "$n" -l "$n" s2.pdf sd2.txt && contains sd2.txt 李明 &&
	fp=$(openssl x509 -in personkey/cert.pem -noout -fingerprint -sha256 | cut -d= -f2) &&
	contains sd2.txt "$(echo "$fp" | cut -c1-23)"
'

test_expect_success 'sign on an existing report leaves its pages as they are' '
	expect_exit 0 zhijian sign f.pdf -o fs.pdf --key personkey/key.pem --cert personkey/cert.pem --passphrase-file pass &&
	test "$(pages f.pdf)" = "$(pages fs.pdf)" &&
	text f.pdf a.txt && text fs.pdf b.txt && cmp a.txt b.txt &&
	pdfsig fs.pdf >sig.out 2>&1 && contains sig.out "Signature is Valid"
'

# libharu's UTF-8 encoder writes its encoding CMap ("begincidrange") as each font's ToUnicode,
# which poppler warns about and ignores; doc.c gives each font an identity bfrange CMap.
test_expect_success 'poppler reads every report without a word on stderr; ToUnicode CMaps use bfrange only' '
	for p in f.pdf s.pdf fs.pdf; do
		pdftotext "$p" t.txt 2>t.err && test ! -s t.err || { echo "pdftotext $p:"; cat t.err; exit 1; }
		pdftotext -layout "$p" - >/dev/null 2>t.err && test ! -s t.err || { cat t.err; exit 1; }
		pdffonts "$p" >/dev/null 2>t.err && test ! -s t.err || { cat t.err; exit 1; }
	done &&
	pdfsig s.pdf >sig.out 2>&1 && contains sig.out "Signature is Valid" && lacks sig.out Warning &&
	expect_exit 0 zhijian verify s.pdf --trust unitkey/cert.pem && contains out "covers       the whole file" &&
	qpdf --check s.pdf >qpdf.out 2>&1 && contains qpdf.out "No syntax or stream encoding errors" &&
	qpdf --qdf --object-streams=disable f.pdf q.pdf &&
	test "$(grep -ac "/ToUnicode" q.pdf)" = 3 && test "$(grep -ac "endbfrange" q.pdf)" = 9 &&
	test "$(grep -ac begincidrange q.pdf)" = 0 &&
	grep -a -x "<4E00> <4EFF> <4E00>" q.pdf >/dev/null &&
	text f.pdf - | tr -d "\f" | grep -x "特此报告。" >/dev/null
'

test_expect_success 'narrative set, show, edit (the editor) and reset; each logged' '
	printf "本单位成立了由主要负责同志任组长的自查工作领导小组，印发了自查工作方案。\r\n\r\n（一）组织动员。召开专题会议部署自查。\r\n" >basic.txt &&
	expect_exit 0 zhijian narrative set basic basic.txt && contains out "saved" &&
	expect_exit 0 zhijian narrative show basic && contains out "自查工作领导小组" && lacks out "按照《意见》要求" &&
	expect_exit 0 zhijian narrative show basic --generated && contains out "按照《意见》要求" &&
	printf "#!/bin/sh\nprintf \"各乡镇同步开展自查。\\n\" >>\"\$1\"\n" >ed.sh && chmod +x ed.sh &&
	EDITOR=./ed.sh expect_exit 0 zhijian narrative edit 1 &&
	expect_exit 0 zhijian narrative show basic && contains out "各乡镇同步开展自查。" &&
	printf "#!/bin/sh\nexit 3\n" >fail.sh && chmod +x fail.sh &&
	EDITOR=./fail.sh expect_exit 1 zhijian narrative edit basic && contains err "exited with status 3" &&
	printf "二、问题\n" | zhijian narrative set problems - >/dev/null &&
	expect_exit 0 zhijian narrative && contains out "written by the inspector" &&
	expect_exit 0 zhijian narrative reset problems && contains out "back to the text generated" &&
	zhijian narrative show problems --generated >gen.txt && expect_exit 0 zhijian narrative set problems gen.txt &&
	contains out "nothing changed" &&
	zhijian log >log && contains log "narrative basic (基本情况)" && contains log "back to the generated text" &&
	expect_exit 2 zhijian narrative edit summary && contains err "not a section" &&
	printf "坏\001字" >bad.txt && expect_exit 65 zhijian narrative set next bad.txt && contains err "control character" &&
	printf "   \n" >blank.txt && expect_exit 65 zhijian narrative set next blank.txt && contains err "empty"
'

test_expect_success 'the inspector'"'"'s words are printed and embedded; stale words block a final report' '
	for k in problems rectification next; do
		printf "本部分由检查人员撰写（%s）。\n" $k | zhijian narrative set $k - >/dev/null || exit 1
	done &&
	expect_exit 0 zhijian report -o w.pdf && text w.pdf - | tr -d "\n " >w.txt &&
	contains w.txt "自查工作领导小组" && contains w.txt "本部分由检查人员撰写（next）。" &&
	lacks w.txt "按照《意见》要求" &&
	pdfdetach -save 1 -o w.sqlite w.pdf 2>/dev/null &&
	test "$(sqlite3 w.sqlite "select count(*) from narratives where source = '"'"'inspector'"'"' and stale = 0")" = 4 &&
	test "$(sqlite3 w.sqlite "select text from narratives where section = '"'"'next'"'"'")" = "本部分由检查人员撰写（next）。" &&
	zhijian rectify update 1 --status 整改中 --note 已部署 >/dev/null &&
	expect_exit 1 zhijian report -o w2.pdf && contains err "figures changed" && contains err rectification &&
	test ! -e w2.pdf &&
	printf "#!/bin/sh\ntrue\n" >keep.sh && chmod +x keep.sh &&
	for k in basic problems rectification next; do EDITOR=./keep.sh zhijian narrative edit $k >/dev/null || exit 1; done &&
	expect_exit 0 zhijian report -o w2.pdf
'

test_done
