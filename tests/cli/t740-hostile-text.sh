#!/bin/sh
# Terminals and files (DESIGN.md "Submission and trust"): escape sequences
# and control characters in file names, names, measures and certificate
# subjects never reach the terminal raw (a rejected file cannot print
# "accepted as #1" over its own rejection); files zhijian creates are 0644
# whatever the umask and never written through a planted link; evidence
# that is not a regular file is refused at once; loose or unencrypted key
# files and loose passphrase files are warned about.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

ESC=$(printf '\033')
CR=$(printf '\r')
CSI=$(printf '\302\233')	# U+009B, the one-byte CSI of 8-bit terminals

# raw FILE: whether FILE holds an escape, a C1 CSI or a bare carriage return.
raw() {
	grep -q "$ESC" "$1" || grep -q "$CSI" "$1" || grep -q "$CR" "$1"
}

test_expect_success 'set-up: a province, a unit key under its CA, one good report' '
	province_and_unit_key &&
	county 县530921 530921 && final_report u-530921.db r.pdf k &&
	zhijian --db p.db init --unit 云岭省委网信办 --code 530000 --level province --as-of 2026-06-30 --period 2026年度 --parent 中央网信办 >/dev/null
'

test_expect_success 'a file named to overwrite its own rejection is shown cleaned, and stored cleaned' '
	evil="x${CR}${ESC}[2Kr.pdf: accepted as #1${ESC}[8m.pdf" &&
	printf "not a pdf" >"$evil" &&
	expect_exit 65 zhijian --db p.db merge "$evil" --trust prov/cert.pem &&
	! raw out && ! raw err &&
	contains out "x ?[2Kr.pdf: accepted as #1?[8m.pdf: rejected" &&
	test "$(sqlite3 p.db "select count(*) from submissions where file like '"'"'%'"'"' || char(27) || '"'"'%'"'"'")" = 0 &&
	expect_exit 0 zhijian --db p.db submissions && ! raw out &&
	expect_exit 0 zhijian --db p.db log && ! raw out
'

test_expect_success 'a certificate subject with C1 and bidi controls does not reach the terminal raw' '
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout self.key -out self.pem \
		-subj "/O=县${CSI}2J伪造$(printf "\342\200\256")/CN=x" -utf8 -days 30 2>/dev/null &&
	mkdir self && cp self.key self/key.pem && cp self.pem self/cert.pem && cp self.pem self/chain.pem &&
	zhijian --db u-530921.db report -o plain.pdf --accept-generated >/dev/null &&
	zhijian sign plain.pdf -o self-signed.pdf --key self/key.pem --cert self/cert.pem >/dev/null 2>&1 &&
	expect_exit 13 zhijian verify self-signed.pdf --trust prov/cert.pem && ! raw out && ! raw err &&
	! grep -q "$(printf "\342\200\256")" out &&
	expect_exit 65 zhijian --db p.db merge self-signed.pdf --trust prov/cert.pem && ! raw out && ! raw err
'

test_expect_success 'names and measures from an imported inventory are cleaned in findings and rectify list' '
	cp "$SAMPLES/apps.csv" apps.csv &&
	sed -i "2s/^\([^,]*\),\([^,]*\),/\1,\2${ESC}[31m红字${ESC}[0m,/" apps.csv &&
	zhijian --db u-530921.db import apps apps.csv >/dev/null 2>&1;
	zhijian --db u-530921.db score --quiet >/dev/null 2>&1;
	zhijian --db u-530921.db findings >out 2>err; ! raw out &&
	zhijian --db u-530921.db rectify add --article 3 --measure "整改${ESC}]0;pwned${ESC}\\措施" >/dev/null &&
	expect_exit 0 zhijian --db u-530921.db rectify list && ! raw out && contains out "整改?]0;pwned?" &&
	id=$(sqlite3 u-530921.db "select max(id) from rectifications") &&
	expect_exit 0 zhijian --db u-530921.db rectify show $id && ! raw out
'

test_expect_success 'evidence that is not a regular file is refused at once' '
	id=$(sqlite3 u-530921.db "select max(id) from rectifications") &&
	expect_exit 65 timeout 20 "$ZHIJIAN" --db u-530921.db rectify update $id --evidence /dev/zero ||
	expect_exit 1 timeout 20 "$ZHIJIAN" --db u-530921.db rectify update $id --evidence /dev/zero &&
	contains err "'"'"'/dev/zero'"'"' is not a regular file" &&
	mkfifo fifo &&
	! timeout 20 "$ZHIJIAN" --db u-530921.db rectify update $id --evidence fifo >out 2>err &&
	contains err "is not a regular file" &&
	test "$(sqlite3 u-530921.db "select count(*) from rect_evidence")" = 0
'

test_expect_success 'files zhijian writes are 0644 under umask 000, and replace a planted link instead of following it' '
	(umask 000 &&
	 zhijian --db u-530921.db report --draft -o d.pdf >/dev/null &&
	 zhijian sign d.pdf -o ds.pdf --key k/key.pem --cert k/cert.pem --chain k/chain.pem --passphrase-file pass >/dev/null &&
	 zhijian submission extract r.pdf -o s.sqlite >/dev/null &&
	 zhijian --db u-530921.db rectify export --format csv -o l.csv >/dev/null &&
	 zhijian --db u-530921.db rectify export --format xlsx -o l.xlsx >/dev/null) &&
	for f in d.pdf ds.pdf s.sqlite l.csv l.xlsx; do
		test "$(stat -c %a $f)" = 644 || { echo "$f: $(stat -c %a $f)"; exit 1; }
	done &&
	echo precious >victim && ln -s victim planted.csv &&
	zhijian --db u-530921.db rectify export --format csv -o planted.csv >/dev/null &&
	test "$(cat victim)" = precious && ! test -L planted.csv &&
	ln -s victim planted.sqlite &&
	expect_exit 1 zhijian submission extract r.pdf -o planted.sqlite && test "$(cat victim)" = precious &&
	! ls -a | grep -q "^\.zhijian-"
'

test_expect_success 'loose key and passphrase files, and unencrypted keys, are warned about' '
	chmod 644 k/key.pem pass &&
	expect_exit 0 zhijian sign d.pdf -o w1.pdf --key k/key.pem --cert k/cert.pem --passphrase-file pass &&
	contains err "warning: private key '"'"'k/key.pem'"'"' can be read by others (mode 644)" &&
	contains err "warning: passphrase file '"'"'pass'"'"' can be read by others" &&
	chmod 600 k/key.pem pass &&
	expect_exit 0 zhijian sign d.pdf -o w2.pdf --key k/key.pem --cert k/cert.pem --passphrase-file pass &&
	lacks err "warning" &&
	zhijian keygen --unit 县530921 --no-passphrase -o clear >/dev/null &&
	expect_exit 0 zhijian sign d.pdf -o w3.pdf --key clear/key.pem --cert clear/cert.pem &&
	contains err "warning: private key '"'"'clear/key.pem'"'"' is not encrypted"
'

test_done
