#!/bin/sh
# Confirming the rules' proposals in bulk: answer --all proposed and
# answer --article N proposed record and log each item as `answer ITEM
# proposed` would, in one transaction, and leave the inspector's own answers
# (overrides included) and the items without a proposal alone.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

sq="'"

test_expect_success 'set-up: the sample county, scored; one override of article 8 by hand' '
	sample_workspace && zhijian score --quiet >/dev/null &&
	zhijian answer 8.2 基本符合 --reason "下载指标已于5月撤销" >/dev/null
'

test_expect_success '--article 8 confirms the article'"'"'s unanswered proposals, one line and one log entry each' '
	n8=$(sqlite3 zhijian.db "select count(*) from proposals p where verdict is not null and item like ${sq}8.%${sq}
		and not exists (select 1 from answers a where a.item = p.item)") &&
	test "$n8" -gt 0 &&
	before=$(sqlite3 zhijian.db "select count(*) from audit where action = ${sq}answer${sq}") &&
	expect_exit 0 zhijian answer --article 8 proposed &&
	contains out "$n8 proposals of article 8 confirmed" &&
	test "$(grep -c "^8\.[0-9]*: " out)" = "$n8" &&
	test "$(sqlite3 zhijian.db "select count(*) from audit where action = ${sq}answer${sq}")" = $((before + n8)) &&
	test "$(sqlite3 zhijian.db "select verdict from answers where item = ${sq}8.2${sq}")" = partial &&
	test "$(sqlite3 zhijian.db "select count(*) from answers a join proposals p using (item)
		where a.item like ${sq}8.%${sq} and a.item <> ${sq}8.2${sq} and a.verdict <> p.verdict")" = 0 &&
	zhijian log -n 1 >log && contains log "(a proposal confirmed in bulk)"
'

test_expect_success '--all confirms the rest and names the items that still need an answer' '
	expect_exit 0 zhijian answer --all proposed &&
	contains out "proposals confirmed" &&
	contains out "items have no proposal and need your own answer" &&
	test "$(sqlite3 zhijian.db "select count(*) from proposals p where verdict is not null
		and not exists (select 1 from answers a where a.item = p.item)")" = 0 &&
	expect_exit 0 zhijian answer --all proposed && contains out "0 proposals confirmed" &&
	contains out "every proposal there is answered already"
'

test_expect_success 'bulk takes only proposed, one of --all and --article, and a real article' '
	before=$(db_fingerprint zhijian.db) &&
	expect_exit 2 zhijian answer --all 符合 && contains err "only verdict they take is ${sq}proposed${sq}" &&
	expect_exit 2 zhijian answer --all --article 3 proposed && contains err "not both" &&
	expect_exit 2 zhijian answer --article 99 proposed && contains err "no article 99" &&
	expect_exit 2 zhijian answer --article x proposed && contains err "not an article number" &&
	expect_exit 2 zhijian answer --all proposed --note x && contains err "--note and --reason" &&
	test "$before" = "$(db_fingerprint zhijian.db)"
'

test_expect_success 'before any score there is nothing to confirm, and it says why' '
	new_workspace fresh.db &&
	expect_exit 0 zhijian --db fresh.db answer --all proposed &&
	contains out "run ${sq}zhijian score${sq}"
'

test_done
