#!/bin/sh
# Signed reports as `zhijian report` writes them: report --sign fills the
# page's signature block and signs; sign signs an existing report; pdfsig
# (NSS), qpdf and zhijian verify agree, and a changed byte anywhere in the
# signed ranges (a page's content stream, the fonts, the embedded data, the
# update at the end) fails both checkers.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

pdfsig_says() {
	pdfsig ${3:+-nssdir "sql:$3"} "$1" >pdfsig.out 2>&1
	contains pdfsig.out "$2"
}

nssdb() {
	rm -rf "$1" && mkdir "$1" &&
	certutil -N -d "sql:$1" --empty-password &&
	certutil -A -d "sql:$1" -n root -t "CT,C,C" -i "$2"
}

flip() {
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "\\$(printf '%03o' $(( (b + 1) % 256 )))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

size() { wc -c <"$1" | tr -d ' '; }

# stream_at PDF OBJ: an offset inside the data of stream object OBJ.
stream_at() {
	off=$(qpdf --show-xref "$1" | sed -n "s/^$2\\/0: uncompressed; offset = \\([0-9]*\\)\$/\\1/p")
	rel=$(tail -c +$((off + 1)) "$1" | grep -boa "stream" | head -n 1 | cut -d: -f1)
	echo $((off + rel + 20))
}

test_expect_success 'set-up: a chain central → province → county (ECDSA), an RSA root, a sample workspace' '
	printf "central passphrase\n" >c.pass && printf "province passphrase\n" >p.pass &&
	printf "county passphrase\n" >u.pass && printf "rsa passphrases\n" >r.pass &&
	quick_key --unit 国务院办公厅 --ca --passphrase-file c.pass -o central >/dev/null &&
	quick_key --unit 云南省 --ca --csr --passphrase-file p.pass -o prov >/dev/null &&
	zhijian ca sign prov/req.pem --ca --key central/key.pem --cert central/cert.pem \
		--passphrase-file c.pass -o prov/cert.pem >/dev/null &&
	quick_key --unit 青禾县 --code 530921 --name 李明 --csr --passphrase-file u.pass -o county >/dev/null &&
	zhijian ca sign county/req.pem --key prov/key.pem --cert prov/cert.pem \
		--passphrase-file p.pass -o county/cert.pem >/dev/null &&
	quick_key --unit 国务院办公厅 --ca --algo rsa --passphrase-file r.pass -o rroot >/dev/null &&
	quick_key --unit 青禾县 --code 530921 --algo rsa --csr --passphrase-file r.pass -o rcounty >/dev/null &&
	zhijian ca sign rcounty/req.pem --key rroot/key.pem --cert rroot/cert.pem \
		--passphrase-file r.pass -o rcounty/cert.pem >/dev/null &&
	mkdir anchors && cp central/cert.pem anchors/central.pem && cp rroot/cert.pem anchors/rsa.pem &&
	nssdb nss central/cert.pem && nssdb nssr rroot/cert.pem &&
	sample_workspace && zhijian score --quiet >/dev/null
'

test_expect_success 'report --sign: the page names signer, unit and fingerprint; every checker accepts it' '
	expect_exit 0 zhijian report --draft -o signed.pdf --sign --key county/key.pem --cert county/cert.pem \
		--chain prov/cert.pem --passphrase-file u.pass &&
	contains out "wrote '"'"'signed.pdf'"'"'" && contains out "signed by O=青禾县, CN=李明, serialNumber=530921" &&
	fp=$(openssl x509 -in county/cert.pem -noout -fingerprint -sha256 | cut -d= -f2) &&
	contains out "$fp" &&
	pdftotext signed.pdf text.txt 2>/dev/null && contains text.txt "李明" &&
	contains text.txt "$(echo "$fp" | cut -c1-23)" &&
	pdfsig_says signed.pdf "Signature Validation: Signature is Valid." &&
	contains pdfsig.out "Total document signed" &&
	pdfsig_says signed.pdf "Certificate Validation: Certificate is Trusted." nss &&
	qpdf --check signed.pdf >/dev/null &&
	expect_exit 0 zhijian verify signed.pdf --trust central/cert.pem &&
	contains out "data         zhijian-submission.sqlite: 青禾县" &&
	zhijian submission show signed.pdf >show && contains show "青禾县"
'

test_expect_success 'RSA: sign signs an existing report; every checker accepts it' '
	zhijian report --draft -o plain.pdf >/dev/null &&
	expect_exit 0 zhijian sign plain.pdf -o rsa.pdf --key rcounty/key.pem --cert rcounty/cert.pem \
		--passphrase-file r.pass &&
	pdfsig_says rsa.pdf "Signature is Valid." && pdfsig_says rsa.pdf "Certificate is Trusted." nssr &&
	qpdf --check rsa.pdf >/dev/null &&
	expect_exit 0 zhijian verify rsa.pdf --trust anchors && contains out "rsa.pdf: valid"
'

test_expect_success 'a byte changed early, in a page, in a font, in the data or at the end fails both' '
	page=$(qpdf --show-pages signed.pdf | sed -n "3s/^ *\\([0-9]*\\) 0 R.*/\\1/p") &&
	test -n "$page" && content=$(stream_at signed.pdf $page) &&
	n=$(size signed.pdf) &&
	for at in 30 $content $((n / 3)) $((n / 2)) $((n - 30)); do
		cp signed.pdf flipped.pdf && flip flipped.pdf $at &&
		pdfsig_says flipped.pdf "Digest Mismatch" &&
		expect_exit 11 zhijian verify flipped.pdf --trust anchors &&
		contains err "modified after signing" || { echo "at $at of $n"; return 1; }
	done
'

test_expect_success 'bytes appended to a signed report fail' '
	cp rsa.pdf appended.pdf && echo >>appended.pdf &&
	expect_exit 12 zhijian verify appended.pdf --trust anchors && contains err "bytes appended after signing"
'

test_expect_success 'another unit'"'"'s report signed with this unit'"'"'s key: unit mismatch' '
	zhijian --db other.db init --unit 其他县 --level county --as-of 2026-06-30 >/dev/null &&
	zhijian --db other.db report --draft -o other.pdf >/dev/null &&
	zhijian sign other.pdf -o other-signed.pdf --key county/key.pem --cert county/cert.pem \
		--chain prov/cert.pem --passphrase-file u.pass >/dev/null &&
	expect_exit 15 zhijian verify other-signed.pdf --trust anchors &&
	contains err "unit mismatch: signed by '"'"'青禾县'"'"', but the embedded data is for '"'"'其他县'"'"'"
'

test_expect_success 'report --sign: a wrong passphrase writes nothing; options without --sign are refused' '
	echo "wrong passphrase" >w.pass &&
	expect_exit 1 zhijian report --draft -o w.pdf --sign --key county/key.pem --cert county/cert.pem \
		--passphrase-file w.pass &&
	contains err "wrong passphrase" && ! test -e w.pdf &&
	expect_exit 2 zhijian report --draft -o w.pdf --key county/key.pem && contains err "go with --sign" &&
	expect_exit 2 zhijian report --draft -o w.pdf --sign --key county/key.pem && contains err "needs --key and --cert" &&
	expect_exit 2 zhijian report --draft -o w.pdf --sign --key county/key.pem --cert county/cert.pem \
		--passphrase "county passphrase" &&
	contains err "never go on the command line" && ! test -e w.pdf
'

test_done
