#!/bin/sh
# The roll-up (articles 15-16): three counties signed under a province CA
# report to the province, whose own signed report goes to the central
# office.  Tampered, untrusted, wrong-period and duplicate files are each
# rejected with their reason while the good ones merge; the central totals
# equal the sum over the units, and every number traces back to a unit file.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

PERIOD=2026年度

test_expect_success 'set-up: central CA → province CA (and a signing key for the province itself) → county keys' '
	printf "roll-up test passphrase\n" >pass && chmod 600 pass &&
	quick_key --unit 中央网信办 --code 100000 --ca --passphrase-file pass -o central >/dev/null &&
	quick_key --unit 云岭省委网信办 --code 530000 --ca --csr --passphrase-file pass -o prov >/dev/null &&
	zhijian ca sign prov/req.pem --ca --key central/key.pem --cert central/cert.pem --passphrase-file pass -o prov/cert.pem >/dev/null &&
	quick_key --unit 云岭省委网信办 --code 530000 --csr --passphrase-file pass -o prov-sign >/dev/null &&
	zhijian ca sign prov-sign/req.pem --key central/key.pem --cert central/cert.pem --passphrase-file pass -o prov-sign/cert.pem >/dev/null &&
	cp central/cert.pem prov-sign/chain.pem &&
	for u in 530921 530922 530923 530929; do
		quick_key --unit "县$u" --code $u --csr --passphrase-file pass -o k-$u >/dev/null &&
		zhijian ca sign k-$u/req.pem --key prov/key.pem --cert prov/cert.pem --passphrase-file pass -o k-$u/cert.pem >/dev/null &&
		cat prov/cert.pem central/cert.pem >k-$u/chain.pem || exit 1
	done &&
	quick_key --unit 县530921 --code 530921 --passphrase-file pass -o rogue >/dev/null &&
	cp rogue/cert.pem rogue/chain.pem
'

test_expect_success 'set-up: three counties write signed final reports' '
	for u in 530921 530922 530923; do
		county "县$u" $u && final_report u-$u.db r-$u.pdf k-$u || exit 1
	done &&
	for u in 530921 530922 530923; do zhijian verify r-$u.pdf --trust central/cert.pem >/dev/null || exit 1; done
'

test_expect_success 'set-up: the bad ones: tampered, untrusted, wrong period' '
	cp r-530922.pdf tampered.pdf &&
	printf "X" | dd of=tampered.pdf bs=1 seek=2000 conv=notrunc 2>/dev/null &&
	! cmp -s tampered.pdf r-530922.pdf &&
	final_report u-530921.db rogue.pdf rogue &&
	county 县530929 530929 2025年度 && final_report u-530929.db wrongperiod.pdf k-530929
'

test_expect_success 'the province merges the good files and rejects each bad one with its reason' '
	zhijian --db p.db init --unit 云岭省委网信办 --code 530000 --level province --as-of 2026-06-30 --period $PERIOD --parent 中央网信办 >/dev/null &&
	printf "单位名称,单位代码,层级\n县530921,530921,county\n县530922,530922,county\n县530923,530923,county\n县530924,530924,county\n" >expected.csv &&
	zhijian --db p.db submissions expect expected.csv >/dev/null &&
	expect_exit 65 zhijian --db p.db merge r-530921.pdf tampered.pdf r-530922.pdf rogue.pdf r-530923.pdf wrongperiod.pdf \
		--trust central/cert.pem &&
	contains out "r-530921.pdf: accepted" && contains out "r-530922.pdf: accepted" && contains out "r-530923.pdf: accepted" &&
	grep "tampered.pdf: rejected" out | grep -q "signature: .*modified" &&
	grep "rogue.pdf: rejected" out | grep -q "signature: " &&
	grep "wrongperiod.pdf: rejected" out | grep -q "period '"'"'2025年度'"'"', but this level collects '"'"'2026年度'"'"'" &&
	contains out "3 accepted, 3 rejected"
'

test_expect_success 'a second report from the same unit is refused unless --replace, which supersedes' '
	zhijian --db u-530923.db answer 1.1 基本符合 --note "复核后调整" >/dev/null &&
	final_report u-530923.db r-530923b.pdf k-530923 &&
	expect_exit 65 zhijian --db p.db merge r-530923b.pdf --trust central/cert.pem &&
	contains out "already received" && contains out "--replace" &&
	expect_exit 0 zhijian --db p.db merge r-530923b.pdf --replace --trust central/cert.pem &&
	contains out "supersedes #" &&
	test "$(sqlite3 p.db "select count(*) from submissions where unit = '"'"'县530923'"'"' and status = '"'"'superseded'"'"'")" = 1
'

test_expect_success 'submissions lists received, rejected, superseded and missing' '
	expect_exit 0 zhijian --db p.db submissions &&
	contains out "3 accepted, 1 superseded" && contains out "1 missing" &&
	grep "missing" out | grep -q "县530924" &&
	grep "rejected" out | grep -q "period '"'"'2025年度'"'"'"
'

test_expect_success 'the province signs its own report, carrying what it merged' '
	final_report p.db province.pdf prov-sign &&
	zhijian verify province.pdf --trust central/cert.pem >/dev/null &&
	pdfdetach -save 1 -o prov.sqlite province.pdf >/dev/null &&
	test "$(sqlite3 prov.sqlite "select count(*) from submissions where status = '"'"'accepted'"'"'")" = 3
'

test_expect_success 'the central office merges the province; its totals equal the sum over the units' '
	zhijian --db c.db init --unit 中央网信办 --code 100000 --level central --as-of 2026-06-30 --period $PERIOD >/dev/null &&
	expect_exit 0 zhijian --db c.db merge province.pdf --trust central/cert.pem &&
	units=$(sqlite3 p.db "select sum(violated) || '"'"' '"'"' || sum(rectifications) from submissions where status = '"'"'accepted'"'"'") &&
	central=$(sqlite3 c.db "select (merged_violated - violated) || '"'"' '"'"' || (merged_rectifications - rectifications) from submissions where status = '"'"'accepted'"'"'") &&
	test "$units" = "$central" &&
	test "$(sqlite3 c.db "select merged_units from submissions where status = '"'"'accepted'"'"'")" = 3
'

test_expect_success 'per-article figures add up across units, two levels up' '
	p=$(sqlite3 p.db "select sum(r.violated) || '"'"' '"'"' || sum(r.units_violating) from received_articles r join submissions s on s.id = r.submission where s.status = '"'"'accepted'"'"' and r.article = 8") &&
	c=$(sqlite3 c.db "select sum(violated) || '"'"' '"'"' || sum(units_violating) from received_articles where article = 8") &&
	test "$p" = "$c" && test "${c#* }" = 3 &&
	u=$(for x in 530921 530922; do sqlite3 u-$x.db "select violated from article_stats where article = 8"; done | paste -sd+ | bc) &&
	test "$u" -gt 0
'

test_expect_success 'per-type figures add up too, and cover every violation' '
	p=$(sqlite3 p.db "select group_concat(t, '"'"' '"'"') from (select r.type || '"'"'='"'"' || sum(r.violated) || '"'"'/'"'"' || sum(r.rectifications) AS t
		from received_types r join submissions s on s.id = r.submission where s.status = '"'"'accepted'"'"' group by r.type order by r.type)") &&
	c=$(sqlite3 c.db "select group_concat(t, '"'"' '"'"') from (select type || '"'"'='"'"' || sum(violated) || '"'"'/'"'"' || sum(rectifications) AS t
		from received_types group by type order by type)") &&
	test "$p" = "$c" && case "$c" in *alienation=*) ;; *) false ;; esac &&
	test "$(sqlite3 c.db "select sum(violated) from received_types")" = \
		"$(sqlite3 c.db "select sum(merged_violated) from submissions where status = '"'"'accepted'"'"'")"
'

test_expect_success 'every number traces back to the unit file it came from' '
	sqlite3 c.db "select writefile('"'"'c-prov.sqlite'"'"', data) from submissions where status = '"'"'accepted'"'"'" >/dev/null &&
	for u in 530921 530922; do
		sha=$(sha256sum r-$u.pdf | cut -d" " -f1) &&
		aid=$(sqlite3 u-$u.db "select assessment_id from workspace") &&
		test "$(sqlite3 c-prov.sqlite "select unit || '"'"' '"'"' || violated from submissions where file_sha256 = '"'"'$sha'"'"' and assessment_id = '"'"'$aid'"'"' and status = '"'"'accepted'"'"'")" = "县$u $(sqlite3 p.db "select violated from submissions where file_sha256 = '"'"'$sha'"'"'")" || exit 1
	done &&
	test "$(sqlite3 c-prov.sqlite "select count(*) from submissions where status = '"'"'superseded'"'"'")" = 1
'

test_expect_success 'a unit workspace cannot merge, and --trust is required' '
	zhijian --db unit.db init --unit 某单位 --level unit >/dev/null &&
	expect_exit 1 zhijian --db unit.db merge r-530922.pdf --trust central/cert.pem && contains err "a unit workspace" &&
	expect_exit 65 zhijian --db u-530921.db merge r-530922.pdf --trust central/cert.pem &&
	contains out "a report of level county cannot be merged by a county workspace" &&
	ZHIJIAN_TRUST= expect_exit 2 zhijian --db p.db merge r-530922.pdf && contains err "--trust is required"
'

test_done
