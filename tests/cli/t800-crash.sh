#!/bin/sh
# Crash safety: `zhijian import` killed with SIGKILL at 20 random moments of
# a large import.  After each, PRAGMA integrity_check is ok and the apps
# inventory is exactly the old one or exactly the new one — never a mix.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

GEN="$BUILD/tools/gen-apps"
ROUNDS=${CRASH_ROUNDS:-20}

inventory() { sqlite3 "$1" "select * from inv_apps order by rowid" | sha256sum | cut -d" " -f1; }

test_expect_success 'set-up: a workspace holding one inventory, and a different one to import' '
	test -x "$GEN" &&
	"$GEN" 60000 1 >old.csv && "$GEN" 80000 2 >new.csv &&
	new_workspace base.db &&
	zhijian --db base.db import apps old.csv >/dev/null 2>&1 &&
	sqlite3 base.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null &&
	old=$(inventory base.db) && echo "$old" >old.fp &&
	cp base.db full.db && zhijian --db full.db import apps new.csv >/dev/null 2>&1 &&
	inventory full.db >new.fp &&
	! cmp -s old.fp new.fp &&
	start=$(date +%s%N) && cp base.db t.db && zhijian --db t.db import apps new.csv >/dev/null 2>&1 &&
	echo $(( ($(date +%s%N) - start) / 1000000 )) >import.ms
'

i=1
while [ $i -le "$ROUNDS" ]; do
	# Kills spread evenly from the start of the import to past its end, so
	# they land before, during and after the commit and its checkpoint.
	delay=$(awk -v i=$i -v n="$ROUNDS" -v ms="$(cat import.ms 2>/dev/null || echo 1000)" \
		'BEGIN { printf "%.3f", (i - 0.5) / n * 1.3 * ms / 1000 }')
	export delay
	test_expect_success "SIGKILL ${delay}s into an import (round $i): intact, and old or new" '
		rm -f w.db w.db-wal w.db-shm && cp base.db w.db &&
		{ "$ZHIJIAN" --db w.db import apps new.csv >/dev/null 2>&1 & } &&
		pid=$! && sleep "$delay" && { kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null; true; } &&
		test "$(sqlite3 w.db "PRAGMA integrity_check")" = ok &&
		fp=$(inventory w.db) &&
		if [ "$fp" = "$(cat old.fp)" ]; then echo old >>outcomes;
		elif [ "$fp" = "$(cat new.fp)" ]; then echo new >>outcomes;
		else echo "inventory is neither the old nor the new one"; exit 1; fi &&
		zhijian --db w.db status >/dev/null &&
		zhijian --db w.db log --verify >/dev/null
	'
	i=$((i + 1))
done

test_expect_success 'the kills landed on both sides of the commit' '
	sort outcomes | uniq -c &&
	grep -qx old outcomes && grep -qx new outcomes
'

test_done
