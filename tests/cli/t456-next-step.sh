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

# The exports carry the same: a +0.00 row says the item's next step and how
# many subjects to fix, in Chinese whatever the locale (the headers are).
test_expect_success 'the CSV and xlsx exports carry the next step and the count to fix' '
	expect_exit 0 zhijian rectify export --format csv -o ledger.csv &&
	head -n 1 ledger.csv | grep -q "整改后分数提升,下一档,达到下一档需整改对象数," &&
	sed -n 2p ledger.csv | grep -q ",0.00,8.3 不符合→符合：需整改4个违反对象中的4个（总分+[0-9.]*）,4," &&
	expect_exit 0 zhijian rectify export --format xlsx -o ledger.xlsx &&
	unzip -p ledger.xlsx xl/sharedStrings.xml >strings.xml &&
	contains strings.xml "达到下一档需整改对象数" &&
	contains strings.xml "8.3 不符合→符合：需整改4个违反对象中的4个" &&
	unzip -p ledger.xlsx xl/worksheets/sheet1.xml | grep -q "<c r=\"R2\"[^>]*><v>4</v>"
'

test_done
