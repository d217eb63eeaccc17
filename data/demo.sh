#!/bin/sh
# data/demo.sh BIN: the main job on the bundled sample county (make demo).
# A fresh workspace in build/demo/, the three sample inventories imported,
# every rule scored as of 2026-06-30, the per-article table printed, and the
# report written to build/demo/report.pdf (a draft: the demo answers no item).
set -e
bin=$1
top=$(cd "$(dirname "$0")/.." && pwd)
dir="$(dirname "$bin")/demo"
db="$dir/zhijian.db"
export ZHIJIAN_CHECKLIST="$top/checklists/opinions-2023.zjc"
mkdir -p "$dir"
rm -f "$db" "$db-wal" "$db-shm"

run() {
	echo "\$ zhijian $*"
	"$bin" --db "$db" "$@"
	echo
}

run init --unit 青禾县 --level county --code 530921 --as-of 2026-06-30 --period 2026年度
run import apps "$top/data/samples/apps.csv"
run import accounts "$top/data/samples/accounts.csv"
run import groups "$top/data/samples/groups.csv"
run score
run findings --severity high --state violated
echo "The workspace is $db; try:"
echo "  $bin --db $db status"
echo "  $bin --db $db checklist show 6"
echo "  $bin --db $db findings --article 7 --format csv"
# The report: final once every item is answered, a draft until then.
echo
rm -f "$dir/report.pdf"
if out=$("$bin" --db "$db" report -o "$dir/report.pdf" 2>/dev/null); then
	echo "\$ zhijian report -o $dir/report.pdf"
	echo "$out"
else
	run report -o "$dir/report.pdf" --draft
fi
# Signatures: a demo chain central → province → county under
# build/demo/keys (the passphrase from a file, never the command line), the
# report signed by the county, and verified as the level above does, with
# the central root as its only trust anchor.
keys="$dir/keys"
rm -rf "$keys"
mkdir -p "$keys"
pass="$keys/demo.pass"
(umask 077 && printf 'zhijian demo passphrase, not for real keys\n' >"$pass")
sig() {
	echo "\$ zhijian $*"
	"$bin" "$@"
	echo
}
sig keygen --unit 国务院办公厅 --ca --passphrase-file "$pass" -o "$keys/central"
sig keygen --unit 云南省 --ca --csr --passphrase-file "$pass" -o "$keys/province"
sig ca sign "$keys/province/req.pem" --ca --key "$keys/central/key.pem" --cert "$keys/central/cert.pem" \
	--passphrase-file "$pass" -o "$keys/province/cert.pem"
sig keygen --unit 青禾县 --code 530921 --csr --passphrase-file "$pass" -o "$keys/county"
sig ca sign "$keys/county/req.pem" --key "$keys/province/key.pem" --cert "$keys/province/cert.pem" \
	--passphrase-file "$pass" -o "$keys/county/cert.pem"
if [ -f "$dir/report.pdf" ]; then
	sig sign "$dir/report.pdf" -o "$dir/report-signed.pdf" --key "$keys/county/key.pem" \
		--cert "$keys/county/cert.pem" --chain "$keys/province/cert.pem" --passphrase-file "$pass"
	sig verify "$dir/report-signed.pdf" --trust "$keys/central/cert.pem"
fi
