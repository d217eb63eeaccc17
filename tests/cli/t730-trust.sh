#!/bin/sh
# Trust follows the administrative tree, keys can be revoked, and validity
# is judged at the time of receipt (DESIGN.md "Submission and trust"):
# a sibling province's CA under the same central root cannot certify this
# province's units; `zhijian ca revoke` publishes a CRL that `verify --crl`
# and `merge --crl` honour; a key that expired signs with a back-dated clock
# (faketime) and is refused now, verifies at --at a date it was valid, and
# is accepted by merge only with --accept-expired REASON, which is recorded
# in the workspace and carried in the level's own signed report.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

PERIOD=2026年度

# A process under libfaketime; an ASan build must let it load first.
fake() {
	at=$1
	shift
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 faketime "$at" "$@"
}

test_expect_success 'set-up: central CA; this province'"'"'s CA and a sibling'"'"'s; county keys under each' '
	printf "trust test passphrase\n" >pass && chmod 600 pass &&
	quick_key --unit 中央网信办 --code 100000 --ca --passphrase-file pass -o central >/dev/null &&
	for p in prov:云岭省委网信办:530000 sib:滇南省委网信办:540000; do
		d=${p%%:*} rest=${p#*:} &&
		quick_key --unit "${rest%%:*}" --code "${rest#*:}" --ca --csr --passphrase-file pass -o $d >/dev/null &&
		zhijian ca sign $d/req.pem --ca --key central/key.pem --cert central/cert.pem --passphrase-file pass -o $d/cert.pem >/dev/null || exit 1
	done &&
	key() { quick_key --unit "县$2" --code $2 --csr --passphrase-file pass -o $3 >/dev/null &&
		zhijian ca sign $3/req.pem --key $1/key.pem --cert $1/cert.pem --passphrase-file pass -o $3/cert.pem >/dev/null &&
		cat $1/cert.pem central/cert.pem >$3/chain.pem; } &&
	key prov 530921 k-530921 && key prov 530922 k-530922 && key sib 530921 sib-530921 &&
	fake "2019-12-01 00:00:00" "$ZHIJIAN" keygen --unit 中央网信办 --code 100000 --ca --no-passphrase -o central-2019 >/dev/null &&
	fake "2019-12-01 00:00:00" "$ZHIJIAN" keygen --unit 云岭省委网信办 --code 530000 --ca --csr --no-passphrase -o prov-2019 >/dev/null &&
	encrypt_key central-2019/key.pem pass && encrypt_key prov-2019/key.pem pass &&
	fake "2019-12-01 00:00:00" "$ZHIJIAN" ca sign prov-2019/req.pem --ca --key central-2019/key.pem \
		--cert central-2019/cert.pem --passphrase-file pass -o prov-2019/cert.pem >/dev/null &&
	quick_key --unit 县530923 --code 530923 --csr --passphrase-file pass -o old >/dev/null &&
	zhijian ca sign old/req.pem --start 2020-01-01 --days 30 --key prov-2019/key.pem --cert prov-2019/cert.pem \
		--passphrase-file pass -o old/cert.pem >/dev/null &&
	cat prov-2019/cert.pem central-2019/cert.pem >old/chain.pem &&
	mkdir anchors && cp central/cert.pem anchors/central.pem && cp central-2019/cert.pem anchors/central-2019.pem &&
	for u in 530921 530922 530923; do county "县$u" $u || exit 1; done &&
	final_report u-530921.db r-530921.pdf k-530921 &&
	final_report u-530922.db r-530922.pdf k-530922 &&
	cp u-530921.db s.db && final_report s.db sibling.pdf sib-530921 &&
	zhijian --db p.db init --unit 云岭省委网信办 --code 530000 --level province --as-of 2026-06-30 --period $PERIOD --parent 中央网信办 >/dev/null
'

test_expect_success 'a sibling province'"'"'s CA certifying one of this province'"'"'s units is out of scope' '
	expect_exit 0 zhijian verify sibling.pdf --trust central/cert.pem &&
	expect_exit 19 zhijian --db p.db verify sibling.pdf --trust central/cert.pem --scope &&
	contains out "NOT VALID (issued outside this level" &&
	contains err "out of scope: the certificate of '"'"'县530921'"'"' was issued by '"'"'O=滇南省委网信办" &&
	expect_exit 0 zhijian --db p.db verify r-530921.pdf --trust central/cert.pem --scope &&
	expect_exit 65 zhijian --db p.db merge sibling.pdf r-530921.pdf --trust central/cert.pem &&
	grep "sibling.pdf: rejected" out | grep -q "out of scope" &&
	contains out "r-530921.pdf: accepted as #2" &&
	test "$(sqlite3 p.db "select issuer from submissions where id = 2")" = "O=云岭省委网信办, CN=云岭省委网信办, serialNumber=530000"
'

test_expect_success 'the expected list may bind a unit to its issuer, by name or fingerprint' '
	fp=$(openssl x509 -in sib/cert.pem -noout -fingerprint -sha256 | cut -d= -f2) &&
	printf "单位名称,单位代码,签发机构\n县530921,530921,%s\n县530922,530922,某某认证中心\n" "$fp" >expected.csv &&
	zhijian --db p.db submissions expect expected.csv >/dev/null &&
	expect_exit 0 zhijian --db p.db verify sibling.pdf --trust central/cert.pem --scope &&
	expect_exit 65 zhijian --db p.db merge r-530922.pdf --trust central/cert.pem &&
	contains out "binds '"'"'县530922'"'"' to the issuer '"'"'某某认证中心'"'"'" &&
	printf "单位名称,单位代码\n县530921,530921\n县530922,530922\n县530923,530923\n" >expected.csv &&
	zhijian --db p.db submissions expect expected.csv >/dev/null
'

test_expect_success 'ca revoke publishes a CRL; verify --crl and merge --crl refuse the revoked key' '
	expect_exit 0 zhijian ca revoke k-530922/cert.pem --key prov/key.pem --cert prov/cert.pem \
		--passphrase-file pass --crl prov.crl --reason keyCompromise &&
	contains out "revoked k-530922/cert.pem" &&
	test "$(stat -c %a prov.crl)" = 644 &&
	openssl crl -in prov.crl -noout -text >crl.txt &&
	contains crl.txt "$(openssl x509 -in k-530922/cert.pem -noout -serial | cut -d= -f2)" &&
	contains crl.txt "Key Compromise" &&
	openssl verify -crl_check -CRLfile prov.crl -CAfile central/cert.pem -untrusted prov/cert.pem k-530922/cert.pem >ov 2>&1;
	contains ov "revoked" &&
	expect_exit 0 zhijian ca revoke k-530922/cert.pem --key prov/key.pem --cert prov/cert.pem \
		--passphrase-file pass --crl prov.crl && contains out "already on the revocation list" &&
	expect_exit 0 zhijian verify r-530922.pdf --trust central/cert.pem &&
	expect_exit 18 zhijian verify r-530922.pdf --trust central/cert.pem --crl prov.crl &&
	contains out "NOT VALID (certificate revoked)" && contains err "was revoked on" &&
	expect_exit 0 zhijian verify r-530921.pdf --trust central/cert.pem --crl prov.crl &&
	expect_exit 65 zhijian --db p.db merge r-530922.pdf --trust central/cert.pem --crl prov.crl &&
	grep "r-530922.pdf: rejected" out | grep -q "certificate revoked" &&
	test "$(sqlite3 p.db "select signature_status from submissions order by id desc limit 1")" = revoked
'

test_expect_success 'a revocation dated later does not count before that date; a CRL of another CA is not its' '
	later=$(date -u -d "+3 days" +%Y-%m-%dT%H:%M:%SZ) &&
	after=$(date -u -d "+4 days" +%Y-%m-%dT%H:%M:%SZ) &&
	zhijian ca revoke k-530921/cert.pem --key prov/key.pem --cert prov/cert.pem --passphrase-file pass \
		--crl later.crl --date "$later" >/dev/null &&
	expect_exit 0 zhijian verify r-530921.pdf --trust central/cert.pem --crl later.crl &&
	expect_exit 18 zhijian verify r-530921.pdf --trust central/cert.pem --crl later.crl --at "$after" &&
	expect_exit 1 zhijian ca revoke k-530921/cert.pem --key sib/key.pem --cert sib/cert.pem --passphrase-file pass --crl sib.crl &&
	contains err "not issued by this CA" &&
	expect_exit 1 zhijian ca revoke sib-530921/cert.pem --key sib/key.pem --cert sib/cert.pem --passphrase-file pass --crl prov.crl &&
	contains err "is not a revocation list of this CA"
'

test_expect_success 'a key that expired in 2020, with a back-dated clock: refused now, valid --at then' '
	answer_all u-530923.db &&
	zhijian --db u-530923.db report -o late.pdf --accept-generated >/dev/null &&
	expect_exit 1 zhijian sign late.pdf -o refused.pdf --key old/key.pem --cert old/cert.pem \
		--chain old/chain.pem --passphrase-file pass &&
	fake "2020-01-15 08:00:00" "$ZHIJIAN" sign late.pdf -o late-2020.pdf --key old/key.pem --cert old/cert.pem \
		--chain old/chain.pem --passphrase-file pass >/dev/null &&
	test -f late-2020.pdf &&
	expect_exit 14 zhijian verify late-2020.pdf --trust anchors &&
	contains out "signed at    2020-01-15" &&
	contains err "expired on 2020-01-31 00:00:00 UTC, before now" &&
	expect_exit 0 zhijian verify late-2020.pdf --trust anchors --at 2020-01-20
'

test_expect_success 'merge refuses the expired key unless the receiver accepts it with a reason, which is recorded' '
	expect_exit 65 zhijian --db p.db merge late-2020.pdf --trust anchors &&
	grep "late-2020.pdf: rejected" out | grep -q "certificate expired" &&
	expect_exit 2 zhijian --db p.db merge late-2020.pdf --trust anchors --accept-expired "" &&
	expect_exit 0 zhijian --db p.db merge late-2020.pdf --trust anchors --accept-expired "密钥逾期，经电话核实后补收" &&
	contains out "late-2020.pdf: accepted as #" && contains out "accepted: 密钥逾期，经电话核实后补收" &&
	test "$(sqlite3 p.db "select override_reason from submissions where status = '"'"'accepted'"'"' and unit = '"'"'县530923'"'"'")" = "密钥逾期，经电话核实后补收" &&
	test -n "$(sqlite3 p.db "select received_at from submissions where unit = '"'"'县530923'"'"' and status = '"'"'accepted'"'"'")" &&
	zhijian --db p.db log >log.out && contains log.out "certificate expired by the time of receipt, accepted: 密钥逾期" &&
	zhijian --db p.db report --draft -o p.pdf >/dev/null &&
	zhijian submission extract p.pdf -o p.sqlite >/dev/null &&
	test "$(sqlite3 p.sqlite "select override_reason from submissions where unit = '"'"'县530923'"'"' and status = '"'"'accepted'"'"'")" = "密钥逾期，经电话核实后补收" &&
	test "$(sqlite3 p.sqlite "select count(*) from submissions where received_at is not null")" = "$(sqlite3 p.db "select count(*) from submissions")"
'

test_done
