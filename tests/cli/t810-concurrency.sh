#!/bin/sh
# Concurrency: batch imports and scores running while another process
# records answers and rectifications.  No command fails (no "database is
# locked"), and no write is lost.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

GEN="$BUILD/tools/gen-apps"

test_expect_success 'set-up: the sample county with a large apps inventory' '
	test -x "$GEN" && "$GEN" 60000 3 >big.csv && "$GEN" 60000 4 >big2.csv &&
	sample_workspace && zhijian import apps big.csv >/dev/null 2>&1 && zhijian score --quiet >/dev/null
'

test_expect_success 'imports and scores in one process, answers and rectifications in another' '
	(
		for f in big2.csv big.csv big2.csv; do
			"$ZHIJIAN" import apps $f >>batch.out 2>&1 || echo "import failed: $?" >>batch.err
			"$ZHIJIAN" score --quiet >>batch.out 2>&1 || echo "score failed: $?" >>batch.err
		done
		echo done >batch.done
	) &
	batch=$!
	n=0
	for item in 1.1 1.2 2.1 2.2 3.2 3.3 4.2 4.3 12.1 12.2 13.2 14.1 15.4 16.1 16.2; do
		n=$((n + 1))
		zhijian answer $item 不适用 --note "并发写入 $n" --reason "并发测试" >>inter.out 2>&1 || echo "answer $item failed" >>inter.err
		zhijian rectify add --article 12 --measure "并发整改 $n" >>inter.out 2>&1 || echo "rectify add $n failed" >>inter.err
		zhijian rectify update $n --note "进展 $n" >>inter.out 2>&1 || echo "rectify update $n failed" >>inter.err
	done
	wait $batch &&
	test -f batch.done &&
	{ ! test -s batch.err || { cat batch.err; false; }; } &&
	{ ! test -s inter.err || { cat inter.err inter.out; false; }; } &&
	! grep -qi "locked" batch.out inter.out
'

test_expect_success 'no write was lost' '
	test "$(sqlite3 zhijian.db "select count(*) from answers where note like '"'"'并发写入 %'"'"'")" = 15 &&
	test "$(sqlite3 zhijian.db "select count(*) from rectifications where measure like '"'"'并发整改 %'"'"'")" = 15 &&
	test "$(sqlite3 zhijian.db "select count(*) from rect_events where kind = '"'"'note'"'"'")" = 15 &&
	test "$(sqlite3 zhijian.db "select count(*) from imports where rows is not null")" = 7 &&
	test "$(sqlite3 zhijian.db "PRAGMA integrity_check")" = ok &&
	zhijian log --verify >/dev/null
'

test_done
