#!/bin/sh
# docs/samples.sh [BUILD [OUT]]: the two sample reports the README shows,
# made from data/samples/ with the binary in BUILD (default build/):
#
#   OUT/county.pdf    the sample county's final report, signed
#   OUT/province.pdf  a province's final report after merging three units
#
# and docs/county-p1.png, docs/province-annex4.png (pdftoppm -r 60, small
# enough to keep in git).  OUT defaults to BUILD/samples; everything in it
# is made anew.  The generation time is pinned (SOURCE_DATE_EPOCH), so the
# pages are the same on every run but for the keys and ids.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
case $build in /*) ;; *) build="$top/$build" ;; esac
out=${2:-$build/samples}
z="$build/zhijian"
export ZHIJIAN_CHECKLIST="$top/checklists/opinions-2023.zjc"
# The date deadlines are judged against, the day the report is dated.
export SOURCE_DATE_EPOCH=1796179200 TZ=Asia/Shanghai ZHIJIAN_TODAY=2026-12-02
rm -rf "$out" && mkdir -p "$out" && cd "$out"
printf 'sample passphrase\n' >pass && chmod 600 pass

# answer DB: every item, the rules' proposal where there is one, else 符合.
answer() {
	for it in $(sqlite3 "$1" "select item from proposals where verdict is not null"); do
		"$z" --db "$1" answer "$it" proposed >/dev/null
	done
	for a in $(seq 1 16); do
		for it in $("$z" --db "$1" checklist show $a | sed -n 's/^  \([0-9]*\.[0-9]*\)  .*/\1/p'); do
			[ -n "$(sqlite3 "$1" "select 1 from answers where item = '$it'")" ] ||
				"$z" --db "$1" answer "$it" 符合 --note 已核实 >/dev/null
		done
	done
}

# The keys: central → province → three counties, each signer named.
"$z" keygen --unit 中央网信办 --code 100000 --ca --passphrase-file pass -o central >/dev/null 2>&1
"$z" keygen --unit 云岭省委网信办 --code 530000 --ca --csr --passphrase-file pass -o prov >/dev/null 2>&1
"$z" ca sign prov/req.pem --ca --key central/key.pem --cert central/cert.pem --passphrase-file pass \
	-o prov/cert.pem >/dev/null
"$z" keygen --unit 云岭省委网信办 --code 530000 --name 赵敏 --csr --passphrase-file pass -o prov-sign >/dev/null
"$z" ca sign prov-sign/req.pem --key central/key.pem --cert central/cert.pem --passphrase-file pass \
	-o prov-sign/cert.pem >/dev/null
cp central/cert.pem prov-sign/chain.pem

i=0
for u in 青禾县:530921:李明 白石县:530922:王芳 东川县:530923:张伟; do
	name=${u%%:*} rest=${u#*:} code=${rest%%:*} signer=${rest#*:}
	"$z" keygen --unit "$name" --code "$code" --name "$signer" --csr --passphrase-file pass -o "k-$code" >/dev/null
	"$z" ca sign "k-$code/req.pem" --key prov/key.pem --cert prov/cert.pem --passphrase-file pass \
		-o "k-$code/cert.pem" >/dev/null
	cat prov/cert.pem central/cert.pem >"k-$code/chain.pem"
	db="u-$code.db"
	"$z" --db "$db" init --unit "$name" --code "$code" --level county --as-of 2026-06-30 \
		--parent 云岭省委网信办 >/dev/null
	for k in apps accounts groups; do "$z" --db "$db" import $k "$top/data/samples/$k.csv" >/dev/null 2>&1; done
	"$z" --db "$db" score --quiet >/dev/null
	# The units differ a little: the second fixed its group problems, the
	# third has a ledger that is half done.
	"$z" --db "$db" rectify plan --apply --owner "$signer" --unit 县数据局 --deadline 2026-09-30 >/dev/null
	if [ $i = 2 ]; then
		for id in $(sqlite3 "$db" "select id from rectifications where id % 2 = 0"); do
			"$z" --db "$db" rectify update "$id" --status 整改中 --note 已部署整改 >/dev/null
		done
	fi
	answer "$db"
	"$z" --db "$db" report -o "$name.pdf" --accept-generated --sign --key "k-$code/key.pem" \
		--cert "k-$code/cert.pem" --chain "k-$code/chain.pem" --passphrase-file pass >/dev/null
	i=$((i + 1))
done
# The sample county with the inspector's words in 基本情况, as a unit writes them.
printf '%s\n' \
	'本单位高度重视“指尖上的形式主义”防治工作，成立了由分管负责同志任组长的自查工作专班，印发了自查工作方案，明确责任分工和时间安排。' \
	'（一）全面摸排。组织县直各部门和各乡镇对政务应用程序、政务公众账号和工作群组逐一登记，形成摸排清单。' \
	'（二）逐条对照。对照《意见》16条逐项核查，并用自查工具对摸排清单进行规则核查，对发现的问题逐一建立整改台账。' |
	"$z" --db u-530921.db narrative set basic - >/dev/null
"$z" --db u-530921.db report -o county.pdf --accept-generated --sign --key k-530921/key.pem \
	--cert k-530921/cert.pem --chain k-530921/chain.pem --passphrase-file pass >/dev/null

"$z" --db p.db init --unit 云岭省委网信办 --code 530000 --level province --as-of 2026-06-30 \
	--parent 中央网信办 >/dev/null
printf '单位名称,单位代码,层级\n青禾县,530921,county\n白石县,530922,county\n东川县,530923,county\n南湖县,530924,county\n' \
	>expected.csv
"$z" --db p.db submissions expect expected.csv >/dev/null
"$z" --db p.db merge 青禾县.pdf 白石县.pdf 东川县.pdf --trust central/cert.pem >/dev/null
answer p.db
"$z" --db p.db report -o province.pdf --accept-generated --sign --key prov-sign/key.pem \
	--cert prov-sign/cert.pem --chain prov-sign/chain.pem --passphrase-file pass >/dev/null

pdftoppm -png -r 60 -f 1 -l 1 county.pdf "$top/docs/county-p1" 2>/dev/null
mv "$top/docs/county-p1-1.png" "$top/docs/county-p1.png" 2>/dev/null ||
	mv "$top/docs/county-p1-01.png" "$top/docs/county-p1.png"
n=$(pdftotext province.pdf - 2>/dev/null | awk 'BEGIN { p = 1 } /\f/ { p += gsub(/\f/, "") } /^附件4$/ { print p; exit }')
pdftoppm -png -r 60 -f "$n" -l "$n" province.pdf "$top/docs/province-annex4" 2>/dev/null
for f in "$top"/docs/province-annex4-*.png; do mv "$f" "$top/docs/province-annex4.png"; done
echo "wrote $out/county.pdf ($(pdfinfo county.pdf 2>/dev/null | sed -n 's/^Pages: *//p') pages)," \
	"$out/province.pdf ($(pdfinfo province.pdf 2>/dev/null | sed -n 's/^Pages: *//p') pages)," \
	"docs/county-p1.png, docs/province-annex4.png"
