#!/bin/sh
# Confirming the rules' proposals in bulk: answer --all proposed and
# answer --article N proposed record and log each item as `answer ITEM
# proposed` would, in one transaction, and leave the inspector's own answers
# (overrides included) and the items without a proposal alone.  Several
# items answered alike in one `answer ITEM... VERDICT`: all or none.
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

test_expect_success 'several items take one verdict and note together, each logged as one by one' '
	before=$(sqlite3 zhijian.db "select count(*) from audit where action = ${sq}answer${sq}") &&
	expect_exit 0 zhijian answer 2.1 2.2 2.3 符合 --note 已核实 &&
	test "$(grep -c "^2\.[123]: 符合 (compliant)$" out)" = 3 &&
	contains out "3 items answered; total" &&
	test "$(sqlite3 zhijian.db "select count(*) from answers where item like ${sq}2.%${sq} and verdict = ${sq}compliant${sq} and note = ${sq}已核实${sq}")" = 3 &&
	test "$(sqlite3 zhijian.db "select count(*) from audit where action = ${sq}answer${sq}")" = $((before + 3)) &&
	zhijian log -n 3 >log && contains log "2.1 符合" && contains log "2.3 符合" &&
	expect_exit 0 zhijian answer 2.1 符合 && contains out "article 2 score"
'

test_expect_success 'several items: an unknown one, one without a proposal or an override without a reason records none' '
	before=$(db_fingerprint zhijian.db) &&
	prop=$(sqlite3 zhijian.db "select item from proposals where verdict = ${sq}noncompliant${sq} limit 1") &&
	test -n "$prop" &&
	expect_exit 2 zhijian answer 1.1 9.9 符合 && contains err "no check item ${sq}9.9${sq}" &&
	expect_exit 2 zhijian answer 1.1 1.2 yes && contains err "not a verdict" &&
	expect_exit 1 zhijian answer 1.1 "$prop" 符合 && contains err "needs a written reason" &&
	expect_exit 1 zhijian answer "$prop" 1.1 proposed && contains err "item 1.1: the rules propose no verdict" &&
	test "$before" = "$(db_fingerprint zhijian.db)"
'

test_done
