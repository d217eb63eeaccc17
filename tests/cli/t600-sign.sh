#!/bin/sh
# keygen, ca sign, sign and verify: a real chain central → province → unit,
# ECDSA and RSA, checked by poppler's pdfsig (NSS), qpdf and OpenSSL as well
# as by zhijian verify; every failure with its message and exit status.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

# pdfsig exits 0 even for a broken signature: read its text.
pdfsig_says() {
	pdfsig ${3:+-nssdir "sql:$3"} "$1" >pdfsig.out 2>&1
	contains pdfsig.out "$2"
}

# nssdb DIR ROOT.pem: an NSS database trusting ROOT for signatures.
nssdb() {
	rm -rf "$1" && mkdir "$1" &&
	certutil -N -d "sql:$1" --empty-password &&
	certutil -A -d "sql:$1" -n root -t "CT,C,C" -i "$2"
}

# submission DB OUT.sqlite: the submission a draft report of DB embeds.
submission() {
	zhijian --db "$1" report --draft -o "$2.pdf" >/dev/null &&
	zhijian submission extract "$2.pdf" -o "$2" >/dev/null && rm -f "$2.pdf"
}

# mkpdf OUT.pdf [SUBMISSION.sqlite]: a small one-page PDF (streams left
# uncompressed, so a flip can aim at the page's text) embedding the
# submission.  qpdf rebuilds the hand-written xref (exit 3: warnings).
mkpdf() {
	printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>\nendobj\n4 0 obj\n<< /Length 59 >>\nstream\nBT /F1 24 Tf 72 720 Td (Self-assessment report 2026) Tj ET\nendstream\nendobj\ntrailer\n<< /Size 5 /Root 1 0 R >>\n%%%%EOF\n' >"$1.raw"
	qpdf --compress-streams=n "$1.raw" "$1.base" 2>/dev/null
	rc=$?
	[ $rc = 0 ] || [ $rc = 3 ] || return 1
	if [ -n "${2-}" ]; then
		qpdf --compress-streams=n --add-attachment "$2" --key=zhijian-submission.sqlite \
			--filename=zhijian-submission.sqlite -- "$1.base" "$1" || return 1
	else
		mv "$1.base" "$1"
	fi
	rm -f "$1.raw" "$1.base"
}

# flip FILE OFFSET: changes one byte in place.
flip() {
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "\\$(printf '%03o' $(( (b + 1) % 256 )))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

size() { wc -c <"$1" | tr -d ' '; }

# hexflip FILE OFFSET: changes one hex digit to another hex digit.
hexflip() {
	c=$(dd if="$1" bs=1 skip="$2" count=1 2>/dev/null)
	case $c in 9) n=0 ;; F) n=A ;; f) n=a ;; *) n=$(printf "\\$(printf '%03o' $(( $(printf '%d' "'$c") + 1 )))") ;; esac
	printf '%s' "$n" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

test_expect_success 'keygen makes a CA root: encrypted PKCS#8 key 0600, CA certificate' '
	printf "central office passphrase\n" >central.pass &&
	expect_exit 0 zhijian keygen --unit 国务院办公厅 --ca --passphrase-file central.pass -o central &&
	contains out "encrypted with the passphrase" &&
	test "$(stat -c %a central/key.pem)" = 600 &&
	head -n 1 central/key.pem | grep -qx -- "-----BEGIN ENCRYPTED PRIVATE KEY-----" &&
	openssl x509 -in central/cert.pem -noout -text >x509 &&
	contains x509 "CA:TRUE" && contains x509 "Certificate Sign" &&
	openssl x509 -in central/cert.pem -noout -subject -nameopt utf8,sep_comma_plus >subj &&
	contains subj "O=国务院办公厅"
'

test_expect_success 'a province asks for a CA certificate; the central office grants it only with --ca' '
	printf "province passphrase\n" >prov.pass &&
	expect_exit 0 zhijian keygen --unit 云南省 --code 530000 --ca --csr --passphrase-file prov.pass -o prov &&
	test -f prov/req.pem && ! test -f prov/cert.pem &&
	expect_exit 1 zhijian ca sign prov/req.pem --key central/key.pem --cert central/cert.pem \
		--passphrase-file central.pass -o prov/cert.pem &&
	contains err "asks for a CA certificate; give --ca" && ! test -f prov/cert.pem &&
	expect_exit 0 zhijian ca sign prov/req.pem --ca --key central/key.pem --cert central/cert.pem \
		--passphrase-file central.pass -o prov/cert.pem &&
	contains out "CA certificate for O=云南省" && contains out "issuer   O=国务院办公厅"
'

test_expect_success 'a unit request signed by the province: leaf certificate for signing, no EKU' '
	printf "unit passphrase 1\n" >unit.pass &&
	expect_exit 0 zhijian keygen --unit 青禾县 --code 530921 --name 张三 --csr --passphrase-file unit.pass -o unit &&
	expect_exit 0 zhijian ca sign unit/req.pem --key prov/key.pem --cert prov/cert.pem \
		--passphrase-file prov.pass -o unit/cert.pem &&
	openssl x509 -in unit/cert.pem -noout -text >x509 &&
	contains x509 "CA:FALSE" && contains x509 "Digital Signature, Non Repudiation" &&
	lacks x509 "Extended Key Usage" && lacks x509 "Certificate Sign" &&
	openssl x509 -in unit/cert.pem -noout -subject -nameopt utf8,sep_comma_plus >subj &&
	contains subj "O=青禾县" && contains subj "CN=张三" && contains subj "serialNumber=530921" &&
	openssl verify -CAfile central/cert.pem -untrusted prov/cert.pem unit/cert.pem
'

test_expect_success 'the key cannot be read without its passphrase' '
	openssl pkey -in unit/key.pem -passin file:unit.pass -noout &&
	! openssl pkey -in unit/key.pem -passin pass:wrong-guess -noout 2>/dev/null &&
	! openssl pkey -in unit/key.pem -passin pass: -noout 2>/dev/null
'

# Every sign decrypts the key again, and under ASan keygen's 600000 rounds
# cost 2 s of CPU each time: the checks below sign with these keys
# re-encrypted at 2048 rounds (tests/lib.sh quick_key), the terminal check
# with a key as keygen writes it.
test_expect_success 'keygen encrypts with AES-256-CBC and 600000 rounds of PBKDF2-HMAC-SHA256' '
	for k in central prov unit; do
		openssl asn1parse -in $k/key.pem >asn1 &&
		contains asn1 ":PBES2" && contains asn1 ":PBKDF2" && contains asn1 ":hmacWithSHA256" &&
		contains asn1 ":aes-256-cbc" && grep -q "prim: INTEGER *:0927C0\$" asn1 &&
		openssl pkey -in $k/key.pem -passin file:$k.pass -out $k/clear.pem &&
		encrypt_key $k/clear.pem $k.pass && mv -f $k/clear.pem $k/key.pem || exit 1
	done
'

test_expect_success 'new workspaces and unsigned PDFs with the submission embedded' '
	zhijian --db ws.db init --unit 青禾县 --level county --code 530921 --as-of 2026-06-30 >/dev/null &&
	zhijian --db other.db init --unit 其他县 --level county --as-of 2026-06-30 >/dev/null &&
	submission ws.db ws.sqlite && submission other.db other.sqlite &&
	mkpdf report.pdf ws.sqlite && mkpdf other.pdf other.sqlite && mkpdf nodata.pdf &&
	cp ws.db plain.db && mkpdf plain.pdf plain.db &&
	zhijian verify report.pdf >/dev/null 2>&1; test $? = 10
'

test_expect_success 'ECDSA: sign with the chain; pdfsig and zhijian verify accept it' '
	expect_exit 0 zhijian sign report.pdf -o signed.pdf --key unit/key.pem --cert unit/cert.pem \
		--chain prov/cert.pem --passphrase-file unit.pass --reason 自查自评报告 &&
	contains out "signer   O=青禾县, CN=张三, serialNumber=530921" &&
	pdfsig_says signed.pdf "Signature Validation: Signature is Valid." &&
	contains pdfsig.out "Total document signed" && contains pdfsig.out "ETSI.CAdES.detached" &&
	contains pdfsig.out "SHA-256" &&
	qpdf --check signed.pdf >check.out 2>&1 && contains check.out "No syntax or stream encoding errors" &&
	expect_exit 0 zhijian verify signed.pdf --trust central/cert.pem &&
	contains out "signed.pdf: valid" && contains out "through 3 certificates" &&
	contains out "zhijian-submission.sqlite: 青禾县 (530921)" && contains out "the whole file, $(size signed.pdf) bytes"
'

test_expect_success 'ECDSA: with the central root in an NSS database the certificate is trusted' '
	nssdb nss central/cert.pem &&
	pdfsig_says signed.pdf "Certificate Validation: Certificate is Trusted." nss &&
	contains pdfsig.out "Signature is Valid."
'

test_expect_success 'RSA: a root and a unit of RSA keys; pdfsig trusts, zhijian verifies' '
	printf "rsa root passphrase\n" >rroot.pass && printf "rsa unit passphrase\n" >runit.pass &&
	quick_key --unit 国务院办公厅 --algo rsa --ca --passphrase-file rroot.pass -o rroot >/dev/null &&
	quick_key --unit 青禾县 --code 530921 --algo rsa --csr --passphrase-file runit.pass -o runit >/dev/null &&
	zhijian ca sign runit/req.pem --key rroot/key.pem --cert rroot/cert.pem \
		--passphrase-file rroot.pass -o runit/cert.pem >/dev/null &&
	openssl x509 -in runit/cert.pem -noout -text >x509 && contains x509 "rsaEncryption" &&
	expect_exit 0 zhijian sign report.pdf -o rsa.pdf --key runit/key.pem --cert runit/cert.pem \
		--passphrase-file runit.pass &&
	pdfsig_says rsa.pdf "Signature Validation: Signature is Valid." &&
	nssdb nssr rroot/cert.pem && pdfsig_says rsa.pdf "Certificate is Trusted." nssr &&
	qpdf --check rsa.pdf >/dev/null &&
	expect_exit 0 zhijian verify rsa.pdf --trust rroot/cert.pem && contains out "through 2 certificates"
'

test_expect_success 'a province certificate alone is enough of an anchor; a directory of anchors works' '
	expect_exit 0 zhijian verify signed.pdf --trust prov/cert.pem &&
	mkdir anchors && cp rroot/cert.pem anchors/rsa-root.pem && cp central/cert.pem anchors/central.crt &&
	echo "not a certificate" >anchors/README &&
	expect_exit 0 zhijian verify signed.pdf rsa.pdf --trust anchors &&
	ZHIJIAN_TRUST=anchors zhijian verify rsa.pdf >out && contains out "rsa.pdf: valid"
'

for algo in ecdsa rsa; do
	test_expect_success "$algo: a byte flipped early, in the page text, in the data or near the end fails both checkers" '
		f=$( [ '$algo' = ecdsa ] && echo signed.pdf || echo rsa.pdf ) &&
		text=$(grep -boa "Self-assessment" $f | head -n 1 | cut -d: -f1) &&
		data=$(grep -boa "SQLite format 3" $f | head -n 1 | cut -d: -f1) &&
		n=$(size $f) &&
		for at in 20 $((text + 3)) $((data + 100)) $((n - 40)) $((n - 3)); do
			cp $f flipped.pdf && flip flipped.pdf $at &&
			! cmp -s $f flipped.pdf &&
			pdfsig_says flipped.pdf "Digest Mismatch" &&
			expect_exit 11 zhijian verify flipped.pdf --trust anchors &&
			contains out "NOT VALID (modified after signing)" &&
			contains err "modified after signing" || { echo "at offset $at of $n"; return 1; }
		done
	'
done

test_expect_success 'a flip in the signature value itself (outside the signed ranges) breaks it too' '
	at=$(grep -boa "/Contents <" signed.pdf | tail -n 1 | cut -d: -f1) &&
	end=$(tail -c +$((at + 12)) signed.pdf | grep -boa "0000000000000000000000" | head -n 1 | cut -d: -f1) &&
	cp signed.pdf flipped.pdf && hexflip flipped.pdf $((at + 11 + end - 12)) &&
	! cmp -s signed.pdf flipped.pdf &&
	pdfsig flipped.pdf >pdfsig.out 2>&1 && lacks pdfsig.out "Signature is Valid." &&
	expect_exit 11 zhijian verify flipped.pdf --trust anchors && contains err "the signature is corrupt"
'

# poke FILE OFFSET TEXT: writes TEXT over the bytes at OFFSET.
poke() { printf '%s' "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }

test_expect_success 'the same report re-padded in its /Contents gap, or with white space there, is refused' '
	at=$(grep -boa "/Contents <" signed.pdf | tail -n 1 | cut -d: -f1) &&
	end=$(tail -c +$((at + 12)) signed.pdf | grep -boa "0000000000000000000000" | head -n 1 | cut -d: -f1) &&
	pad=$((at + 11 + end + 10)) &&
	cp signed.pdf repadded.pdf && poke repadded.pdf $pad ABCD &&
	expect_exit 11 zhijian verify repadded.pdf --trust anchors &&
	contains err "/Contents holds more than the signature and its zero padding" &&
	cp signed.pdf spaced.pdf && poke spaced.pdf $pad "  " &&
	expect_exit 11 zhijian verify spaced.pdf --trust anchors &&
	contains err "holds something other than hexadecimal digits" &&
	expect_exit 0 zhijian verify signed.pdf --trust anchors
'

test_expect_success 'bytes appended after signing fail, and pdfsig no longer says the whole document' '
	cp signed.pdf appended.pdf && printf "\n%% appended\n" >>appended.pdf &&
	expect_exit 12 zhijian verify appended.pdf --trust anchors &&
	contains err "bytes appended after signing: the signature ends at byte $(size signed.pdf) of $(size appended.pdf)" &&
	pdfsig appended.pdf >pdfsig.out 2>&1 && lacks pdfsig.out "Total document signed"
'

test_expect_success 'an update appended after signing that drops the signature field still fails' '
	root=$(grep -a "/Root" signed.pdf | tail -n 1 | sed "s/.*\/Root \([0-9]*\) 0 R.*/\1/") &&
	pages=$(grep -a "/Type /Catalog" signed.pdf | tail -n 1 | sed "s/.*\/Pages \([0-9]*\) 0 R.*/\1/") &&
	count=$(grep -a "/Size" signed.pdf | tail -n 1 | sed "s/.*\/Size \([0-9]*\).*/\1/") &&
	prev=$(tail -n 2 signed.pdf | head -n 1) &&
	cp signed.pdf update.pdf && at=$(size update.pdf) &&
	printf "%s 0 obj\n<< /Type /Catalog /Pages %s 0 R >>\nendobj\n" $root $pages >>update.pdf &&
	xref=$(size update.pdf) &&
	printf "xref\n%s 1\n%010d 00000 n\r\ntrailer\n<< /Size %s /Root %s 0 R /Prev %s >>\nstartxref\n%s\n%%%%EOF\n" \
		$root $at $count $root $prev $xref >>update.pdf &&
	qpdf --check update.pdf >/dev/null &&
	pdfsig update.pdf >pdfsig.out 2>&1; lacks pdfsig.out "Total document signed" &&
	expect_exit 12 zhijian verify update.pdf --trust anchors &&
	contains err "bytes appended after signing"
'

test_expect_success 'a second signature over the first: both valid, the last covers all; a cut file fails' '
	zhijian sign signed.pdf -o resigned.pdf --key unit/key.pem --cert unit/cert.pem \
		--chain prov/cert.pem --passphrase-file unit.pass >/dev/null &&
	pdfsig resigned.pdf >pdfsig.out 2>&1 && test "$(grep -c "Signature is Valid" pdfsig.out)" = 2 &&
	expect_exit 0 zhijian verify resigned.pdf --trust anchors &&
	head -c $(( $(size resigned.pdf) - 1 )) resigned.pdf >cut.pdf &&
	expect_exit 11 zhijian verify cut.pdf --trust anchors && contains err "shorter than the signed byte range"
'

test_expect_success 'a key outside the trust anchors: untrusted issuer' '
	printf "stranger passphrase\n" >self.pass &&
	quick_key --unit 青禾县 --code 530921 --passphrase-file self.pass -o self >/dev/null &&
	zhijian sign report.pdf -o self.pdf --key self/key.pem --cert self/cert.pem --passphrase-file self.pass >/dev/null &&
	pdfsig_says self.pdf "Signature is Valid." &&
	expect_exit 13 zhijian verify self.pdf --trust anchors &&
	contains out "NOT VALID (untrusted or unknown issuer)" &&
	contains err "does not chain to a trust anchor in '"'"'anchors'"'"'" &&
	expect_exit 13 zhijian verify self.pdf && contains err "no trust anchors were given" &&
	expect_exit 0 zhijian verify self.pdf --trust self/cert.pem &&
	contains out "the certificate is itself the anchor"
'

test_expect_success 'an expired certificate: sign refuses without --force, verify fails' '
	printf "expired passphrase\n" >old.pass &&
	quick_key --unit 青禾县 --code 530921 --csr --passphrase-file old.pass -o old >/dev/null &&
	expect_exit 0 zhijian ca sign old/req.pem --start 2020-01-01 --days 30 --key prov/key.pem \
		--cert prov/cert.pem --passphrase-file prov.pass -o old/cert.pem &&
	contains out "2020-01-31" &&
	expect_exit 1 zhijian sign report.pdf -o old.pdf --key old/key.pem --cert old/cert.pem \
		--chain prov/cert.pem --passphrase-file old.pass &&
	contains err "expired on 2020-01-31" && ! test -f old.pdf &&
	expect_exit 0 zhijian sign report.pdf -o old.pdf --key old/key.pem --cert old/cert.pem \
		--chain prov/cert.pem --passphrase-file old.pass --force &&
	contains err "warning:" &&
	expect_exit 14 zhijian verify old.pdf --trust anchors &&
	contains out "NOT VALID (certificate not valid at the signing time)" &&
	contains err "certificate expired" && contains err "before the signing time"
'

test_expect_success 'another unit'"'"'s data: unit mismatch; none, or a workspace instead: no embedded data' '
	zhijian sign other.pdf -o other-signed.pdf --key unit/key.pem --cert unit/cert.pem \
		--chain prov/cert.pem --passphrase-file unit.pass >/dev/null &&
	expect_exit 15 zhijian verify other-signed.pdf --trust anchors &&
	contains err "unit mismatch: signed by '"'"'青禾县'"'"', but the embedded data is for '"'"'其他县'"'"'" &&
	zhijian sign nodata.pdf -o nodata-signed.pdf --key unit/key.pem --cert unit/cert.pem \
		--chain prov/cert.pem --passphrase-file unit.pass >/dev/null &&
	expect_exit 16 zhijian verify nodata-signed.pdf --trust anchors &&
	contains err "no embedded data: the PDF does not carry '"'"'zhijian-submission.sqlite'"'"'" &&
	zhijian sign plain.pdf -o plain-signed.pdf --key unit/key.pem --cert unit/cert.pem \
		--chain prov/cert.pem --passphrase-file unit.pass >/dev/null &&
	expect_exit 16 zhijian verify plain-signed.pdf --trust anchors &&
	contains err "is not a zhijian submission"
'

test_expect_success 'a unit code that differs from the certificate is a mismatch too' '
	zhijian --db code.db init --unit 青禾县 --level county --code 999999 --as-of 2026-06-30 >/dev/null &&
	submission code.db code.sqlite && mkpdf code.pdf code.sqlite &&
	zhijian sign code.pdf -o code-signed.pdf --key unit/key.pem --cert unit/cert.pem \
		--chain prov/cert.pem --passphrase-file unit.pass >/dev/null &&
	expect_exit 15 zhijian verify code-signed.pdf --trust anchors && contains err "unit code is '"'"'530921'"'"'"
'

test_expect_success 'no signature, not a PDF, no file' '
	expect_exit 10 zhijian verify report.pdf --trust anchors && contains err "no signature" &&
	echo "hello" >text.pdf &&
	expect_exit 65 zhijian verify text.pdf --trust anchors && contains err "not a readable PDF" &&
	expect_exit 1 zhijian verify missing.pdf --trust anchors && contains err "cannot open" &&
	mkfifo fifo.pdf && expect_exit 1 timeout 20 "$ZHIJIAN" verify fifo.pdf --trust anchors &&
	contains err "'"'"'fifo.pdf'"'"' is not a regular file" &&
	expect_exit 2 zhijian verify && contains err "usage"
'

test_expect_success 'passphrases: wrong one, none without a terminal, never on the command line' '
	echo "not it" >wrong.pass &&
	expect_exit 1 zhijian sign report.pdf -o w.pdf --key unit/key.pem --cert unit/cert.pem --passphrase-file wrong.pass &&
	contains err "cannot decrypt private key '"'"'unit/key.pem'"'"': wrong passphrase" &&
	expect_exit 1 setsid -w "$ZHIJIAN" sign report.pdf -o w.pdf --key unit/key.pem --cert unit/cert.pem &&
	contains err "is encrypted: give --passphrase-file FILE" &&
	expect_exit 2 zhijian sign report.pdf -o w.pdf --key unit/key.pem --cert unit/cert.pem --passphrase "unit passphrase 1" &&
	contains err "passphrases never go on the command line" &&
	expect_exit 2 zhijian keygen --unit X --pass=s3cret -o k && lacks err s3cret &&
	! test -e w.pdf && ! test -e k
'

# A terminal for the passphrase prompts: CMD in a private tmux server; wait
# for text on its screen, type a line.  Each run has a server of its own
# (./.tty-sock): one just killed may still be going away on its socket.
tty_sock() { cat .tty-sock 2>/dev/null || echo "zj600-$$-none"; }
tty_run() {
	tty_n=$(($(cat .tty-n 2>/dev/null || echo 0) + 1)) &&
	echo $tty_n >.tty-n &&
	echo "zj600-$$-$tty_n" >.tty-sock &&
	tmux -L "$(tty_sock)" -f /dev/null new-session -d -x 150 -y 20 "$1; echo EXIT=\$?; sleep 600"
}
tty_wait() {
	i=0
	while [ $i -lt 150 ]; do
		tmux -L "$(tty_sock)" capture-pane -p >tty.out && grep -qF -- "$1" tty.out && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "the terminal never showed: $1"; cat tty.out
	return 1
}
tty_type() { tmux -L "$(tty_sock)" send-keys -l "$1" && tmux -L "$(tty_sock)" send-keys Enter; }
tty_stop() { tmux -L "$(tty_sock)" kill-server 2>/dev/null; return 0; }

test_expect_success 'on a terminal the passphrase is asked for (twice for a new key) without echo' '
	tty_run "cd $SCRATCH && $ZHIJIAN keygen --unit 青禾县 -o ttykey" &&
	tty_wait "Name of the person who signs" && tty_type "张伟" &&
	tty_wait "Passphrase for the new key" && tty_type "typed secret 99" &&
	tty_wait "Same passphrase again" && tty_type "typed secret 99" &&
	tty_wait "EXIT=0" && tty_stop && lacks tty.out "typed secret" &&
	test "$(stat -c %a ttykey/key.pem)" = 600 &&
	openssl x509 -in ttykey/cert.pem -noout -subject -nameopt utf8 | grep -q "CN *= *张伟" &&
	openssl pkey -in ttykey/key.pem -passin "pass:typed secret 99" -noout &&
	tty_run "cd $SCRATCH && $ZHIJIAN sign report.pdf -o tty.pdf --key ttykey/key.pem --cert ttykey/cert.pem" &&
	tty_wait "Passphrase for '"'"'ttykey/key.pem'"'"'" && tty_type "typed secret 99" &&
	tty_wait "EXIT=0" && tty_stop && lacks tty.out "typed secret" && test -f tty.pdf &&
	tty_run "cd $SCRATCH && $ZHIJIAN sign report.pdf -o tty2.pdf --key ttykey/key.pem --cert ttykey/cert.pem" &&
	tty_wait "Passphrase for" && tty_type "not the one" &&
	tty_wait "EXIT=1" && tty_stop && contains tty.out "wrong passphrase" && ! test -e tty2.pdf
'
tty_stop

test_expect_success 'keygen refuses to overwrite, short passphrases, and writes clear keys only when asked' '
	expect_exit 1 zhijian keygen --unit 青禾县 --passphrase-file unit.pass -o unit &&
	contains err "refusing to overwrite" &&
	echo short >short.pass &&
	expect_exit 1 zhijian keygen --unit 青禾县 --passphrase-file short.pass -o shortkey &&
	contains err "shorter than 8" && ! test -f shortkey/key.pem &&
	TZ=Asia/Shanghai zhijian keygen --unit 青禾县 --no-passphrase -o clear >out 2>err &&
	contains out "NOT encrypted" && test "$(stat -c %a clear/key.pem)" = 600 &&
	grep "^  valid  .* +0800 to .* +0800$" out && lacks out "UTC" &&
	head -n 1 clear/key.pem | grep -qx -- "-----BEGIN PRIVATE KEY-----" &&
	expect_exit 0 zhijian sign report.pdf -o clear.pdf --key clear/key.pem --cert clear/cert.pem &&
	expect_exit 2 zhijian keygen --unit 青禾县 --code "53 09" -o badcode && contains err "letters, digits" &&
	expect_exit 2 zhijian keygen --unit 青禾县 --algo dsa -o x && contains err "not a key algorithm"
'

test_expect_success 'a certificate for another purpose (clientAuth) is refused by sign' '
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout tls.key -out tls.pem \
		-subj "/O=青禾县/CN=tls" -utf8 -days 30 -addext "extendedKeyUsage=clientAuth" 2>/dev/null &&
	expect_exit 1 zhijian sign report.pdf -o tls.pdf --key tls.key --cert tls.pem &&
	contains err "is not for signing documents"
'

test_expect_success 'a key that is not the certificate'"'"'s is refused' '
	expect_exit 1 zhijian sign report.pdf -o mix.pdf --key clear/key.pem --cert unit/cert.pem &&
	contains err "does not belong to certificate"
'

# libqpdf 11 inflates cross-reference and object streams without a limit, so
# a file from below must use cross-reference tables (sign/pdf.h): one with
# streams can be signed here, and is refused, unparsed, when received.
test_expect_success 'signing in place; a PDF with object streams is signed, but not received from below' '
	cp report.pdf inplace.pdf &&
	expect_exit 0 zhijian sign inplace.pdf -o inplace.pdf --key unit/key.pem --cert unit/cert.pem \
		--chain prov/cert.pem --passphrase-file unit.pass &&
	expect_exit 0 zhijian verify inplace.pdf --trust anchors &&
	qpdf --object-streams=generate report.pdf objstm.pdf &&
	head -c 2000 objstm.pdf | grep -qa "/ObjStm" &&
	expect_exit 0 zhijian sign objstm.pdf -o objstm-signed.pdf --key unit/key.pem --cert unit/cert.pem \
		--chain prov/cert.pem --passphrase-file unit.pass &&
	pdfsig_says objstm-signed.pdf "Signature is Valid." && qpdf --check objstm-signed.pdf >/dev/null &&
	expect_exit 65 zhijian verify objstm-signed.pdf --trust anchors &&
	contains out "NOT VALID (not a readable PDF)" &&
	contains err "a cross-reference stream; a file from below must use cross-reference tables"
'

test_expect_success 'nothing secret in the output or the working directory' '
	for f in out err; do lacks $f "unit passphrase 1" && lacks $f "PRIVATE KEY"; done &&
	! grep -rl "unit passphrase 1" --exclude="*.pass" . 2>/dev/null | grep -q .
'

test_done
