# tests/lib.sh: sourced by every tests/cli/tNNN-*.sh.  In the manner of git's
# t/test-lib.sh: each check is `test_expect_success 'what' 'shell code'`; the
# code runs in a subshell inside a fresh scratch directory shared by the
# script, and the check passes when it exits 0.  Output is TAP ("ok N - …",
# "not ok N - …") so tests/run.sh can count it.
#
# Environment: ZHIJIAN (the binary under test, absolute), TOP (repository),
# SAMPLES (data/samples), ZHIJIAN_TODAY (2026-06-30).  Every script runs under LC_ALL=C.UTF-8 unless it
# sets another locale itself.

set -u
: "${ZHIJIAN:?run through tests/run.sh or set ZHIJIAN}"
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
SAMPLES="$TOP/data/samples"
export LC_ALL=${TEST_LC_ALL:-C.UTF-8}
export ZHIJIAN_CHECKLIST="$TOP/checklists/opinions-2023.zjc"
unset ZHIJIAN_DB
# Deadlines are judged against today: pinned to the sample workspaces'
# as-of date so every run sees the same ledger (a test that is about today
# sets its own).
export ZHIJIAN_TODAY=2026-06-30

test_count=0
test_failed=0
SCRATCH=${KEEP_SCRATCH:-$(mktemp -d "${TMPDIR:-/tmp}/zhijian-test.XXXXXX")}
# KEEP_SCRATCH=DIR runs the script in DIR and leaves it there to look at.
[ -n "${KEEP_SCRATCH:-}" ] && mkdir -p "$SCRATCH" || trap 'rm -rf "$SCRATCH"' EXIT
cd "$SCRATCH" || exit 1

zhijian() { "$ZHIJIAN" "$@"; }

test_expect_success() {
	test_count=$((test_count + 1))
	rm -f "$SCRATCH/.skip"
	(eval "$2") >"$SCRATCH/.out" 2>&1
	rc=$?
	if [ "$rc" = 77 ] && [ -f "$SCRATCH/.skip" ]; then
		echo "ok $test_count - $1 # SKIP $(cat "$SCRATCH/.skip")"
	elif [ "$rc" = 0 ]; then
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		sed "s/^/#   /" "$SCRATCH/.out" | tail -n 60
	fi
}

# skip REASON: inside a test's code, ends it as skipped (TAP "# SKIP"), which
# tests/run.sh counts apart from passes: a check that could not run never
# reads as one that passed.
skip() {
	printf '%s\n' "$*" >"$SCRATCH/.skip"
	exit 77
}

# expect_exit CODE CMD...: runs CMD, stdout to ./out, stderr to ./err, and
# fails unless it exits with CODE.
expect_exit() {
	want=$1
	shift
	"$@" >out 2>err
	got=$?
	if [ "$got" != "$want" ]; then
		echo "expected exit $want, got $got from: $*"
		echo "--- stdout"; cat out
		echo "--- stderr"; cat err
		return 1
	fi
}

# contains FILE TEXT: fixed-string search that shows the file on failure.
contains() {
	if ! grep -qF -- "$2" "$1"; then
		echo "'$1' does not contain: $2"
		echo "--- $1"; cat "$1"
		return 1
	fi
}

lacks() {
	if grep -qF -- "$2" "$1"; then
		echo "'$1' unexpectedly contains: $2"
		return 1
	fi
}

# db_fingerprint DB: a digest of the workspace's whole content, to prove a
# failed command changed nothing.
db_fingerprint() {
	sqlite3 "$1" .dump | sha256sum | cut -d' ' -f1
}

# dwidth TEXT: display columns of TEXT (wc -L counts them by wcwidth).
dwidth() { printf '%s' "$1" | LC_ALL=C.UTF-8 wc -L; }

# need_zh_locale: inside a test, skips it (reported as skipped) unless
# zh_CN.UTF-8 exists (tests/locale.sh makes it when run as root).
need_zh_locale() {
	locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$' ||
		skip "no zh_CN.UTF-8 locale (see tests/locale.sh)"
}

# new_workspace [DB]: a county workspace as of 2026-06-30.
new_workspace() {
	zhijian --db "${1:-zhijian.db}" init --unit 青禾县 --level county --as-of 2026-06-30 --parent 云岭省委网信办 >/dev/null
}

# sample_workspace [DB]: new_workspace with the three sample inventories.
sample_workspace() {
	new_workspace "${1:-zhijian.db}" &&
	for k in apps accounts groups; do
		zhijian --db "${1:-zhijian.db}" import $k "$SAMPLES/$k.csv" >/dev/null 2>&1 || return 1
	done
}

# final_report DB PDF KEYDIR: answer every item of the workspace DB (the
# rules' proposal where there is one, else 符合), then write the final report
# with the body as generated, signed by 王敏 (the certificates of these
# tests name only their unit) with KEYDIR/key.pem, cert.pem and chain.pem
# (passphrase in ./pass).
final_report() {
	answer_all "$1" 已核实 &&
	zhijian --db "$1" report -o "$2" --accept-generated --sign --key "$3/key.pem" --cert "$3/cert.pem" \
		--chain "$3/chain.pem" --passphrase-file pass --name 王敏 >/dev/null
}

# answer_all DB [NOTE]: every item of DB answered, the rules' proposal where
# there is one (`answer --all proposed`), else 符合 with NOTE when given (one
# `answer ITEM... 符合` for all the rest): two processes, not one per item.
# Answers given before are kept.
answer_all() {
	zhijian --db "$1" answer --all proposed >/dev/null || return 1
	answered=" $(sqlite3 "$1" "select item from answers" | tr '\n' ' ') " rest=
	for it in $(checklist_items "$1"); do
		case $answered in *" $it "*) ;; *) rest="$rest $it" ;; esac
	done
	[ -z "$rest" ] || zhijian --db "$1" answer $rest 符合 ${2:+--note "$2"} >/dev/null
}

# checklist_items DB: every item id of DB's checklist, in order, read with
# `checklist show` once per checklist (by its SHA-256) and kept for the
# run's other scripts in $LOGS when tests/run.sh runs them, else for this
# script in $SCRATCH.
checklist_items() {
	sha=$(sqlite3 "$1" "select checklist_sha256 from workspace") || return 1
	cache="${LOGS:-$SCRATCH}/.items-$sha"
	mkdir -p "${LOGS:-$SCRATCH}" || return 1
	if [ ! -s "$cache" ]; then
		for a in $(seq 1 16); do
			zhijian --db "$1" checklist show $a | sed -n 's/^  \([0-9]*\.[0-9]*\)  .*/\1/p' || return 1
		done >"$cache.$$" && mv "$cache.$$" "$cache" || return 1
	fi
	cat "$cache"
}

# quick_key KEYGEN-ARGS...: `zhijian keygen KEYGEN-ARGS`, for a set-up that
# needs a key rather than a test of keygen.  The key is written clear, then
# encrypted by openssl with the passphrase file the arguments name
# (--passphrase-file FILE) just as keygen encrypts it (PKCS#8, PBES2,
# AES-256-CBC, PBKDF2 with HMAC-SHA256), but with 2048 rounds where keygen
# takes 600000: every ca sign, sign and report --sign decrypts the key
# again, and under ASan 600000 rounds cost 2 s of CPU each time (most of
# the suite's time).  t600 checks keygen's own keys and their rounds.
quick_key() {
	qk_pass= qk_dir= qk_n=$#
	while [ "$qk_n" -gt 0 ]; do
		qk_a=$1
		shift
		qk_n=$((qk_n - 1))
		case $qk_a in
		--passphrase-file) qk_pass=$1; set -- "$@" --no-passphrase ;;
		-o) qk_dir=$1; set -- "$@" -o "$1" ;;
		*) set -- "$@" "$qk_a"; continue ;;
		esac
		shift
		qk_n=$((qk_n - 1))
	done
	[ -n "$qk_pass" ] && [ -n "$qk_dir" ] || { echo "quick_key: give --passphrase-file FILE and -o DIR" >&2; return 1; }
	zhijian keygen "$@" && encrypt_key "$qk_dir/key.pem" "$qk_pass"
}

# encrypt_key KEY.pem PASSFILE: the clear key KEY.pem encrypted in place
# with PASSFILE's passphrase, in keygen's format with 2048 PBKDF2 rounds
# (see quick_key), mode 0600.
encrypt_key() {
	openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter 2048 -in "$1" \
		-passout "file:$2" -out "$1.enc" && chmod 600 "$1.enc" && mv -f "$1.enc" "$1"
}

# province_and_unit_key: ./pass, a province CA in prov/ (云岭省委网信办,
# 530000) and the key of the county 县530921 under it in k/ (chain.pem the
# province's certificate).
province_and_unit_key() {
	printf "test passphrase\n" >pass && chmod 600 pass &&
	quick_key --unit 云岭省委网信办 --code 530000 --ca --passphrase-file pass -o prov >/dev/null &&
	quick_key --unit 县530921 --code 530921 --csr --passphrase-file pass -o k >/dev/null &&
	zhijian ca sign k/req.pem --key prov/key.pem --cert prov/cert.pem --passphrase-file pass -o k/cert.pem >/dev/null &&
	cp prov/cert.pem k/chain.pem
}

# county NAME CODE [PERIOD]: u-CODE.db, a scored county workspace holding
# the sample inventories (PERIOD defaults to $PERIOD, else 2026年度).
county() {
	zhijian --db "u-$2.db" init --unit "$1" --code "$2" --level county --as-of 2026-06-30 --parent 云岭省委网信办 \
		--period "${3:-${PERIOD:-2026年度}}" >/dev/null &&
	for k in apps accounts groups; do zhijian --db "u-$2.db" import $k "$SAMPLES/$k.csv" >/dev/null 2>&1 || return 1; done &&
	zhijian --db "u-$2.db" score --quiet >/dev/null
}

# ascii_words FILE: the English words left in FILE once the allow-list is
# taken out: the user's login name (history and log rows), paths and
# file names, option names, subject ids (APP-002), rule ids
# (app.duplicate, or cut: app.dup…), checklist ids (opinions-2023), UUIDs, hex
# digests, "zhijian COMMAND",
# and a few names that are names in Chinese text too (APP, ICP, UTC, CSV,
# UTF-8, BOM, GB18030, xlsx, sha256).  One word a line, counted.
ascii_words() {
	sed -E -e "s/ $(id -un) / USER /g" -e 's#[^[:space:]（）“”：，]*/[^[:space:]（）“”：，]*##g' \
		-e 's/[A-Za-z0-9_.-]*\.(pdf|csv|xlsx|xls|sqlite|db|pem)\b//g' \
		-e 's/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b//g' \
		-e 's/--?[a-z][a-z-]*//g' \
		-e 's/\b(APP|ACC|GRP)-[0-9]+//g' \
		-e 's/\b[a-z]+\.[a-z_]+\b//g' \
		-e 's/\b[a-z]+-[0-9]{4}\b//g' \
		-e 's/\b[0-9a-fA-F]{12,}\b//g' \
		-e 's/\b[a-z]+(\.[a-z_]*)?…//g' \
		-e 's/zhijian( [a-z]+)*//g' "$1" |
	grep -oE '[A-Za-z][A-Za-z_]+' |
	grep -vxE 'USER|APP|ICP|UTC|CSV|UTF|BOM|GB|xlsx|sha' | sort | uniq -c
}

# no_english FILE: fails, showing them, if FILE has English words left.
no_english() {
	ascii_words "$1" >words
	if [ -s words ]; then
		echo "English words in $1:"; cat words; echo "--- $1"; cat "$1"
		return 1
	fi
}

# titles_whole PDF: no table title of src/report is split inside a word.
# pdftotext -raw gives the text in drawing order, each cell's lines in turn,
# so a title cut inside a word ends its header line with a piece of itself
# ("… 等次 违规问题" and "数" below) that no title is.  A title breaks only
# at its '\n', a space or after 、，；／.
titles_whole() {
	pdftotext -raw "$1" raw-titles.txt 2>/dev/null || return 1
	grep -ho '{ "[^"]*", 0\.[0-9]*, RA_' "$TOP"/src/report/*.c | sed 's/^{ "//; s/", 0\..*//; s/\\n/\n/g; s/ /\n/g' |
		sed 's/\([、，；／]\)/\1\n/g' | grep -v '^$' | sort -u >titles.txt
	test "$(wc -l <titles.txt)" -gt 50 || { echo "no table titles found in $TOP/src/report"; return 1; }
	awk 'NR == FNR { t[$0] = 1; next }
		{ n = 0; for (i = 1; i <= NF; i++) n += ($i in t) }
		n >= 2 { for (i = 1; i <= NF; i++) for (p in t)
			if (length($i) < length(p) && substr(p, 1, length($i)) == $i && !($i in t)) {
				printf "a title is split: %s (its header line ends %s)\n", p, $i; bad = 1
			}
		}
		END { exit bad }' titles.txt raw-titles.txt
}

# names_whole PDF <NAMES: each name (a line of stdin) occurs in PDF's text as
# often unbroken on one line as it does at all (pdftotext -raw, spaces and
# line ends removed): no table splits it.
names_whole() {
	pdftotext -raw "$1" raw-names.txt 2>/dev/null || return 1
	awk -v raw=raw-names.txt '
		BEGIN { while ((getline l < raw) > 0) all = all l "\n"; flat = all; gsub(/[ \n\f]/, "", flat) }
		function count(s, t,   n, k) { n = 0; while ((k = index(s, t)) > 0) { n++; s = substr(s, k + length(t)) } return n }
		$0 != "" { a = count(flat, $0); b = count(all, $0); seen += a > 0
			if (a != b) { printf "%s: %d times in the text, %d of them on one line\n", $0, a, b; bad = 1 } }
		END { if (!seen) { print "none of the names is in the text"; exit 1 } exit bad }'
}

test_done() {
	echo "1..$test_count"
	[ "$test_failed" = 0 ]
}
