#!/bin/sh
# What comes from below is hostile (DESIGN.md "Submission and trust"): a
# correctly signed report whose embedded data is crafted — a view that never
# ends in place of a table, objects the format does not have, values out of
# range, counts that do not add up, another unit's code, the receiving
# level's own data, an older report over a newer one — is refused with its
# own message, quickly, without changing anything already accepted, and the
# good files beside it are merged.  Every fixture is made here: a real
# county report, its submission extracted, changed with sqlite3, embedded
# again and signed with the county's real key.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

PERIOD=2026年度

# embed SUBMISSION.sqlite OUT.pdf KEYDIR: a one-page PDF carrying the
# submission, signed with KEYDIR's key and chain.
embed() {
	printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\ntrailer\n<< /Size 4 /Root 1 0 R >>\n%%%%EOF\n' >"$2.raw"
	qpdf "$2.raw" "$2.base" 2>/dev/null
	rc=$?
	[ $rc = 0 ] || [ $rc = 3 ] || return 1
	qpdf --add-attachment "$1" --key=zhijian-submission.sqlite --filename=zhijian-submission.sqlite \
		-- "$2.base" "$2.unsigned" || return 1
	zhijian sign "$2.unsigned" -o "$2" --key "$3/key.pem" --cert "$3/cert.pem" --chain "$3/chain.pem" \
		--passphrase-file pass >/dev/null || return 1
	rm -f "$2.raw" "$2.base" "$2.unsigned"
}

# hostile NAME SQL: good.sqlite changed by SQL, signed by the county 530921.
hostile() {
	cp good.sqlite "h-$1.sqlite" && sqlite3 "h-$1.sqlite" "$2" && embed "h-$1.sqlite" "h-$1.pdf" k-530921
}

# What the province has accepted so far, whole.
accepted() {
	sqlite3 p.db "select * from submissions where status = 'accepted' order by id;
		select * from received_articles order by submission, article" | sha256sum
}

test_expect_success 'set-up: a province CA, two counties with signed final reports, the good data' '
	printf "hostile test passphrase\n" >pass && chmod 600 pass &&
	quick_key --unit 中央网信办 --code 100000 --ca --passphrase-file pass -o central >/dev/null &&
	quick_key --unit 云岭省委网信办 --code 530000 --ca --csr --passphrase-file pass -o prov >/dev/null &&
	zhijian ca sign prov/req.pem --ca --key central/key.pem --cert central/cert.pem --passphrase-file pass -o prov/cert.pem >/dev/null &&
	for u in 530921 530922; do
		quick_key --unit "县$u" --code $u --csr --passphrase-file pass -o k-$u >/dev/null &&
		zhijian ca sign k-$u/req.pem --key prov/key.pem --cert prov/cert.pem --passphrase-file pass -o k-$u/cert.pem >/dev/null &&
		cat prov/cert.pem central/cert.pem >k-$u/chain.pem &&
		county "县$u" $u && final_report u-$u.db r-$u.pdf k-$u || exit 1
	done &&
	zhijian submission extract r-530921.pdf -o good.sqlite >/dev/null &&
	zhijian --db p.db init --unit 云岭省委网信办 --code 530000 --level province --as-of 2026-06-30 --period $PERIOD --parent 中央网信办 >/dev/null &&
	embed good.sqlite control.pdf k-530921 &&
	expect_exit 0 zhijian verify control.pdf --trust central/cert.pem
'

test_expect_success 'a view that never ends in place of a table: refused at once, the next file merged' '
	hostile endless "DROP TABLE articles; CREATE VIEW articles AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
		SELECT i AS article, 1 AS part, NULL AS part_title, 't' AS title, 1.0 AS weight, NULL AS score,
		0 AS checked, 0 AS violated, 0 AS unknown FROM n;" &&
	before=$(date +%s) &&
	expect_exit 65 timeout 60 "$ZHIJIAN" --db p.db merge h-endless.pdf r-530922.pdf --trust central/cert.pem &&
	test $(( $(date +%s) - before )) -lt 20 &&
	grep "h-endless.pdf: rejected" out | grep -q "'"'"'articles'"'"' is a view where the format has a table" &&
	contains out "r-530922.pdf: accepted as #2" &&
	expect_exit 17 zhijian verify h-endless.pdf --trust central/cert.pem &&
	contains out "NOT VALID (embedded data refused)" &&
	expect_exit 0 zhijian --db p.db log >/dev/null
'

test_expect_success 'objects the format does not have: a trigger, an index, an extra table, a changed column' '
	hostile trigger "CREATE TRIGGER t AFTER INSERT ON meta BEGIN SELECT 1; END;" &&
	hostile index "CREATE INDEX i ON subjects (subject_name);" &&
	hostile extra "CREATE TABLE extra (x);" &&
	hostile column "ALTER TABLE assessment ADD COLUMN evil TEXT DEFAULT '"'"'x'"'"';" &&
	hostile generated "DROP TABLE received_articles; CREATE TABLE received_articles (submission INTEGER NOT NULL,
		article INTEGER NOT NULL, score REAL, violated INTEGER NOT NULL,
		units_violating INTEGER GENERATED ALWAYS AS (violated * 2), PRIMARY KEY (submission, article));" &&
	a=$(accepted) &&
	expect_exit 65 zhijian --db p.db merge h-trigger.pdf h-index.pdf h-extra.pdf h-column.pdf h-generated.pdf \
		--trust central/cert.pem &&
	grep "h-trigger.pdf: rejected" out | grep -q "trigger '"'"'t'"'"' is not part of the format" &&
	grep "h-index.pdf: rejected" out | grep -q "index '"'"'i'"'"' is not part of the format" &&
	grep "h-extra.pdf: rejected" out | grep -q "table '"'"'extra'"'"' is not part of the format" &&
	grep "h-column.pdf: rejected" out | grep -q "table '"'"'assessment'"'"' is not defined as the format defines it" &&
	grep "h-generated.pdf: rejected" out | grep -q "table '"'"'received_articles'"'"' is not defined as the format defines it" &&
	contains out "0 accepted, 5 rejected" &&
	test "$(accepted)" = "$a"
'

test_expect_success 'figures out of range or of the wrong type are refused, the field named' '
	hostile inf "UPDATE assessment SET total = 1e999" &&
	hostile huge "UPDATE assessment SET total = 1e308" &&
	hostile negative "UPDATE assessment SET total = -55.5" &&
	hostile text "UPDATE assessment SET violated = '"'"'many'"'"'" &&
	hostile max "UPDATE articles SET violated = 9223372036854775807 WHERE article = 8" &&
	hostile min "UPDATE rules SET unknown = -9223372036854775808 WHERE rowid = 1" &&
	hostile units "INSERT INTO submissions (id, file, file_sha256, received_at, status, merged_units)
		VALUES (1, '"'"'x.pdf'"'"', '"'"'00'"'"', '"'"'2026-06-30T00:00:00Z'"'"', '"'"'accepted'"'"', 9223372036854775807)" &&
	a=$(accepted) &&
	expect_exit 65 zhijian --db p.db merge h-inf.pdf h-huge.pdf h-negative.pdf h-text.pdf h-max.pdf h-min.pdf h-units.pdf \
		--trust central/cert.pem &&
	grep "h-inf.pdf: rejected" out | grep -q "assessment.total is .*, but the format allows a finite number from 0 to 100" &&
	grep "h-huge.pdf: rejected" out | grep -q "assessment.total is 1.0e+308" &&
	grep "h-negative.pdf: rejected" out | grep -q "assessment.total is -55.5" &&
	grep "h-text.pdf: rejected" out | grep -q "assessment.violated is '"'"'many'"'"', but the format allows a whole number from 0 to 1000000000000000" &&
	grep "h-max.pdf: rejected" out | grep -q "articles.violated is 9223372036854775807" &&
	grep "h-min.pdf: rejected" out | grep -q "rules.unknown is -9223372036854775808" &&
	grep "h-units.pdf: rejected" out | grep -q "submissions.merged_units is 9223372036854775807" &&
	contains out "0 accepted, 7 rejected" &&
	test "$(accepted)" = "$a" &&
	for f in inf text units; do
		expect_exit 17 zhijian verify h-$f.pdf --trust central/cert.pem || exit 1
	done
'

test_expect_success 'the problem types of format 4 are checked like every other column' '
	hostile type "UPDATE rule_policy SET type = '"'"'形式主义'"'"' WHERE rowid = 1" &&
	hostile rtype "INSERT INTO rectification_types VALUES (9, '"'"'evil'"'"')" &&
	hostile rtypes "INSERT INTO received_types VALUES (1, '"'"'excess'"'"', 9223372036854775807, 0, 0, 0)" &&
	hostile conflicts "UPDATE rule_policy SET conflicts = 1 + (SELECT unknown FROM rules WHERE rules.rule = rule_policy.rule)" &&
	a=$(accepted) &&
	expect_exit 65 zhijian --db p.db merge h-type.pdf h-rtype.pdf h-rtypes.pdf h-conflicts.pdf --trust central/cert.pem &&
	grep "h-type.pdf: rejected" out | grep -q "rule_policy.type is .*形式主义.*, but the format allows one of" &&
	grep "h-rtype.pdf: rejected" out | grep -q "rectification_types.type is .*evil" &&
	grep "h-rtypes.pdf: rejected" out | grep -q "received_types.violated is 9223372036854775807" &&
	grep "h-conflicts.pdf: rejected" out | grep -q "more contradictions (rule_policy.conflicts) than unknowns" &&
	contains out "0 accepted, 4 rejected" &&
	test "$(accepted)" = "$a"
'

test_expect_success 'counts that do not add up: a "final" report with nothing answered, a total its verdicts do not give' '
	n=$(sqlite3 good.sqlite "select items from assessment") &&
	hostile unanswered "UPDATE items SET verdict = NULL, source = NULL, points = NULL" &&
	hostile findings "UPDATE assessment SET findings = findings + 1" &&
	hostile total "UPDATE assessment SET total = 99.9" &&
	hostile article "UPDATE articles SET score = 100 WHERE article = 8" &&
	expect_exit 65 zhijian --db p.db merge h-unanswered.pdf h-findings.pdf h-total.pdf h-article.pdf \
		--trust central/cert.pem &&
	grep "h-unanswered.pdf: rejected" out | grep -q "do not match assessment ($n: $n, 0, 0)" &&
	grep "h-findings.pdf: rejected" out | grep -q "assessment.findings (.*) is not violated + unknown" &&
	grep "h-total.pdf: rejected" out | grep -q "its total 99.90 is not what its verdicts give" &&
	grep "h-article.pdf: rejected" out | grep -q "the score of its article 8 is not what its verdicts give"
'

test_expect_success 'a draft that says it is final: complete = 1 with items open is refused' '
	zhijian --db d.db init --unit 县530921 --code 530921 --level county --as-of 2026-06-30 --period $PERIOD --parent 云岭省委网信办 >/dev/null &&
	zhijian --db d.db report --draft -o d.pdf >/dev/null &&
	zhijian submission extract d.pdf -o d.sqlite >/dev/null &&
	sqlite3 d.sqlite "update assessment set complete = 1" &&
	embed d.sqlite h-draft.pdf k-530921 &&
	expect_exit 65 zhijian --db p.db merge h-draft.pdf --trust central/cert.pem &&
	contains out "assessment.complete is 1, but $(sqlite3 d.sqlite "select open + pending from assessment") items are unanswered"
'

test_expect_success 'a certificate without a unit code cannot sign data that claims a code' '
	quick_key --unit 县530923 --csr --passphrase-file pass -o nocode >/dev/null &&
	zhijian ca sign nocode/req.pem --key prov/key.pem --cert prov/cert.pem --passphrase-file pass -o nocode/cert.pem >/dev/null &&
	cat prov/cert.pem central/cert.pem >nocode/chain.pem &&
	cp good.sqlite claim.sqlite &&
	sqlite3 claim.sqlite "update assessment set unit = '"'"'县530923'"'"'" &&
	embed claim.sqlite h-claim.pdf nocode &&
	expect_exit 15 zhijian verify h-claim.pdf --trust central/cert.pem &&
	contains err "the embedded data claims the unit code '"'"'530921'"'"', but the certificate has no unit code" &&
	expect_exit 65 zhijian --db p.db merge h-claim.pdf --trust central/cert.pem && contains out "h-claim.pdf: rejected"
'

test_expect_success 'long unit names are compared whole: P+甲县 does not verify data for P+乙县' '
	p=$(printf "云岭省某某市某某区某某街道某某社区%.0s" $(seq 1 6)) &&
	P="$p" python3 -c "
import os
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
k = ec.generate_private_key(ec.SECP256R1())
name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, os.environ[\"P\"] + \"甲县\"),
                  x509.NameAttribute(NameOID.COMMON_NAME, \"long\")])
csr = x509.CertificateSigningRequestBuilder().subject_name(name).sign(k, hashes.SHA256())
open(\"long.csr\", \"wb\").write(csr.public_bytes(serialization.Encoding.PEM))
open(\"long.key\", \"wb\").write(k.private_bytes(serialization.Encoding.PEM,
    serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
" &&
	zhijian ca sign long.csr --key prov/key.pem --cert prov/cert.pem --passphrase-file pass -o long.pem >/dev/null &&
	mkdir -p longk && cp long.key longk/key.pem && cp long.pem longk/cert.pem && cat prov/cert.pem central/cert.pem >longk/chain.pem &&
	cp good.sqlite long.sqlite &&
	sqlite3 long.sqlite "update assessment set unit = '"'"'${p}乙县'"'"', code = NULL" &&
	test $(printf "%s" "${p}乙县" | wc -c) -gt 256 &&
	openssl x509 -in long.pem -noout -subject -nameopt utf8,sep_comma_plus | grep -q "${p}甲县" &&
	embed long.sqlite h-long.pdf longk 2>/dev/null &&
	expect_exit 15 zhijian verify h-long.pdf --trust central/cert.pem && contains err "unit mismatch"
'

test_expect_success 'the level'"'"'s own key and its own unit never report to itself' '
	quick_key --unit 云岭省委网信办 --code 530000 --csr --passphrase-file pass -o own >/dev/null &&
	zhijian ca sign own/req.pem --key prov/key.pem --cert prov/cert.pem --passphrase-file pass -o own/cert.pem >/dev/null &&
	cat prov/cert.pem central/cert.pem >own/chain.pem &&
	cp good.sqlite own.sqlite &&
	sqlite3 own.sqlite "update assessment set unit = '"'"'云岭省委网信办'"'"', code = '"'"'530000'"'"'" &&
	embed own.sqlite h-own.pdf own &&
	expect_exit 0 zhijian verify h-own.pdf --trust central/cert.pem &&
	expect_exit 65 zhijian --db p.db merge h-own.pdf --trust central/cert.pem &&
	contains out "it comes from this level itself (云岭省委网信办)"
'

test_expect_success '--replace only takes a later report, never an older one over a newer' '
	final_report u-530922.db r-530922-old.pdf k-530922 &&
	sleep 1 && zhijian --db u-530922.db answer 1.1 基本符合 --note "复核" >/dev/null &&
	final_report u-530922.db r-530922-new.pdf k-530922 &&
	expect_exit 0 zhijian --db p.db merge r-530922-new.pdf --replace --trust central/cert.pem &&
	contains out "supersedes #2" &&
	expect_exit 65 zhijian --db p.db merge r-530922-old.pdf --replace --trust central/cert.pem &&
	contains out "it is not newer than the report it would replace" &&
	test "$(sqlite3 p.db "select count(*) from submissions where unit = '"'"'县530922'"'"' and status = '"'"'accepted'"'"'")" = 1
'

test_expect_success 'a FIFO, /dev/zero and a directory among the reports are refused at once, unread' '
	mkfifo upload.pdf && mkdir dir.pdf && before=$(accepted) &&
	expect_exit 1 timeout 20 "$ZHIJIAN" --db p.db merge upload.pdf /dev/zero dir.pdf --trust central/cert.pem &&
	contains err "'"'"'upload.pdf'"'"' is not a regular file" &&
	contains err "'"'"'/dev/zero'"'"' is not a regular file" &&
	contains err "'"'"'dir.pdf'"'"' is not a regular file" &&
	contains out "0 accepted, 0 rejected, some could not be processed" &&
	test "$(accepted)" = "$before"
'

test_expect_success 'the good file still merges after all of that, and the log chain holds' '
	expect_exit 0 zhijian --db p.db merge control.pdf --trust central/cert.pem &&
	contains out "control.pdf: accepted" &&
	expect_exit 0 zhijian --db p.db log --verify
'

test_done
