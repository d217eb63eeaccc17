#!/bin/sh
# A full disk and a read-only workspace: a clear error, nothing stored or
# half-stored, and the workspace opens and passes its integrity check
# afterwards.  Uses a small tmpfs of its own (needs root, as CI has).
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

GEN="$BUILD/tools/gen-apps"

if [ "$(id -u)" != 0 ] || ! mkdir m || ! mount -t tmpfs -o size=3m tmpfs m 2>/dev/null; then
	echo "ok 1 - # SKIP full-disk and read-only checks need root to mount a small tmpfs"
	echo "1..1"
	exit 0
fi
trap 'umount "$SCRATCH/m" 2>/dev/null; rm -rf "$SCRATCH"' EXIT

test_expect_success 'set-up: a workspace on a 3 MiB file system' '
	"$GEN" 30000 5 >big.csv &&
	zhijian --db m/z.db init --unit 青禾县 --level county --as-of 2026-06-30 >/dev/null &&
	zhijian --db m/z.db import apps "$SAMPLES/apps.csv" >/dev/null 2>&1 &&
	zhijian --db m/z.db score --quiet >/dev/null &&
	before=$(db_fingerprint m/z.db) && echo "$before" >before.fp
'

test_expect_success 'an import that fills the disk fails clearly and stores nothing' '
	expect_exit 1 zhijian --db m/z.db import apps big.csv &&
	contains err "disk holding the workspace is full" && contains err "nothing was stored" &&
	test "$(sqlite3 m/z.db "PRAGMA integrity_check")" = ok &&
	test "$(db_fingerprint m/z.db)" = "$(cat before.fp)"
'

test_expect_success 'the workspace still works on the full disk once space is back' '
	expect_exit 0 zhijian --db m/z.db answer 1.1 符合 &&
	expect_exit 0 zhijian --db m/z.db status && contains out "answered 1 of 58" &&
	zhijian --db m/z.db log --verify >/dev/null
'

test_expect_success 'a read-only workspace is refused with the reason, and opens again later' '
	fp=$(db_fingerprint m/z.db) &&
	mount -o remount,ro m &&
	expect_exit 1 zhijian --db m/z.db answer 1.2 符合 &&
	contains err "cannot open workspace '"'"'m/z.db'"'"' for writing: Read-only file system" &&
	expect_exit 1 zhijian --db m/z.db import apps "$SAMPLES/apps.csv" &&
	mount -o remount,rw m &&
	test "$(sqlite3 m/z.db "PRAGMA integrity_check")" = ok &&
	test "$(db_fingerprint m/z.db)" = "$fp" &&
	expect_exit 0 zhijian --db m/z.db status
'

test_done
