#!/bin/sh
# make demo's script on the sample county: short, a draft report that is not
# signed (only a final report is), and it ends by saying what to do next,
# the TUI first. Its report is addressed (主送机关), as the README's first
# session's is.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

test_expect_success 'the demo runs, writes an unsigned draft and ends with what next' '
	DEMO_DIR="$SCRATCH/demo" sh "$TOP/data/demo.sh" "$ZHIJIAN" >demo.out 2>demo.err &&
	test "$(wc -l <demo.out)" -lt 100 &&
	tail -n 12 demo.out >tail &&
	contains tail "What next:" && contains tail " tui" &&
	test "$(grep -n " tui$" demo.out | cut -d: -f1)" -gt "$(grep -n "What next:" demo.out | cut -d: -f1)" &&
	test -f demo/report.pdf && pdftotext demo/report.pdf - | grep -q "草稿" &&
	pdftotext -l 1 demo/report.pdf - | grep -qx "云岭省委网信办：" &&
	pdfsig demo/report.pdf >sig 2>&1; contains sig "does not contain any signatures" &&
	test ! -e demo/keys
'

test_done
