#!/bin/sh
# Gain if fixed says what fixing would change: one subject rarely moves an
# item's three-step verdict, so findings and the ledger name the item's next
# proposal and how many of its violating subjects must be fixed to reach it
# (or how many must be verified first), beside the points.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

sq="'"

test_expect_success 'set-up: the sample county, scored' '
	sample_workspace && zhijian score --quiet >/dev/null
'

test_expect_success 'findings name the next step of the rule'"'"'s item, in the table and in JSON' '
	expect_exit 0 zhijian findings --article 8 &&
	contains out "next step" &&
	grep "APP-002" out | grep app.install_quota | grep -q "8.2→符合 1/1" &&
	zhijian findings --article 8 --format json >f.json &&
	test "$(sqlite3 :memory: "select json_extract(value, ${sq}\$.next.fix${sq}) || ${sq}/${sq} || json_extract(value, ${sq}\$.next.of${sq}) || json_extract(value, ${sq}\$.next.to${sq})
		from json_each(readfile(${sq}f.json${sq})) where json_extract(value, ${sq}\$.rule${sq}) = ${sq}app.install_quota${sq} limit 1")" = 1/1compliant
'

test_expect_success 'an item that can only pass once its unknowns are verified says so' '
	expect_exit 0 zhijian findings --article 7 &&
	grep app.no_acceptance out | head -n 1 | grep -q "7.1: verify 1"
'

test_expect_success 'the ledger shows the next step where the gain is +0.00, and show says it in words' '
	zhijian rectify add --finding APP-005 --rule app.mandatory_login --measure "取消强制登录" >/dev/null &&
	expect_exit 0 zhijian rectify list &&
	grep "^ *1 " out | grep -q "+0.00  8.3→符合 4/4" &&
	expect_exit 0 zhijian rectify show 1 &&
	contains out "next step: 8.3 不符合→符合: fix 4 of 4 subjects"
'

test_done
