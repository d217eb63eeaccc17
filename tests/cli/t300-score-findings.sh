#!/bin/sh
# score and findings on the sample county: the planted problems of
# data/samples/README.md are found, the near misses are not, unknowns are
# data gaps and never passes, and the output formats hold their contract.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

# violated RULE: the sorted subject ids violating RULE, space-separated.
violated() {
	awk -F, -v r="$1" '$5 == r && $7 == "violated" { print $3 }' all.csv | sort | tr '\n' ' ' | sed 's/ $//'
}
unknown() {
	awk -F, -v r="$1" '$5 == r && $7 == "unknown" { print $3 }' all.csv | sort | tr '\n' ' ' | sed 's/ $//'
}

test_expect_success 'findings before any score says to score first' '
	sample_workspace &&
	expect_exit 1 zhijian findings && contains err "run '"'"'zhijian score'"'"' first"
'

test_expect_success 'score prints a row per article and the total' '
	expect_exit 0 zhijian score &&
	contains out "as of 2026-06-30" &&
	test "$(grep -cE "^[0-9]+ " out)" = 16 &&
	contains out "限制强制功能" &&
	contains out "total " && contains out "answered 0 of 58"
'

test_expect_success 'the findings CSV has the contract header and one row per subject per rule' '
	zhijian findings --format csv >all.csv &&
	test "$(head -n 1 all.csv | tr -d "\r")" = "article,inventory,subject_id,subject_name,rule,severity,state,message,type" &&
	test "$(tail -n +2 all.csv | cut -d, -f3,5 | sort | uniq -d | wc -l)" = 0 &&
	test "$(tail -n +2 all.csv | cut -d, -f7 | sort -u | tr "\n\r" "  " | tr -s " ")" = "unknown violated "
'

test_expect_success 'planted app problems are found exactly' '
	test "$(violated app.not_in_plan)" = "APP-003 APP-010 APP-032" &&
	test "$(violated app.no_project_review)" = "APP-003 APP-028 APP-033" &&
	test "$(violated app.forced_unapproved)" = "APP-004 APP-020 APP-028 APP-033" &&
	test "$(violated app.forced_exposed)" = "APP-005 APP-028" &&
	test "$(violated app.low_use)" = "APP-022 APP-024" &&
	test "$(violated app.stale)" = "APP-009 APP-018 APP-019 APP-022 APP-024 APP-031 APP-032" &&
	test "$(violated app.install_quota)" = "APP-002" &&
	test "$(violated app.likes_in_evaluation)" = "APP-028" &&
	test "$(violated app.no_icp_filing)" = "APP-010 APP-022" &&
	test "$(violated app.drill_overdue)" = "APP-022 APP-024 APP-028 APP-029 APP-032" &&
	test "$(violated app.no_formalism_zone)" = "APP-002 APP-004 APP-009 APP-010 APP-019 APP-023 APP-028 APP-030 APP-032"
'

test_expect_success 'qualified prohibitions: the practice alone is not a violation' '
	test "$(violated app.screenshots)" = "APP-004 APP-006 APP-020" &&
	test "$(unknown app.screenshots)" = "APP-022" &&
	grep "APP-022" all.csv | grep app.screenshots | grep -q "截图视频确属必要 empty" &&
	test "$(violated group.instant_reply)" = "GRP-003 GRP-009 GRP-023 GRP-035 GRP-037 GRP-041" &&
	test "$(unknown group.instant_reply)" = "GRP-033" &&
	test "$(violated group.forced_checkin)" = "GRP-002 GRP-006 GRP-009 GRP-016 GRP-023 GRP-032 GRP-035 GRP-041 GRP-046 GRP-050" &&
	test "$(unknown group.forced_checkin)" = "GRP-013 GRP-060" &&
	grep "GRP-013" all.csv | grep group.forced_checkin | grep -q "打卡接龙确属工作必需 empty" &&
	test "$(violated group.screenshots)" = "GRP-005 GRP-011 GRP-023 GRP-032 GRP-035 GRP-041 GRP-050" &&
	test "$(unknown group.screenshots)" = "GRP-004 GRP-062"
'

test_expect_success 'status: what article 7 asks of apps that stop, and only of them' '
	test "$(violated app.stopped_too_long)" = "APP-007" &&
	test "$(violated app.closed_no_notice)" = "APP-007" &&
	test "$(unknown app.closed_no_notice)" = "APP-039" &&
	test -z "$(violated app.closed_data_not_disposed)$(unknown app.closed_data_not_disposed)" &&
	! grep -q "APP-037," all.csv &&
	! grep "APP-007," all.csv | grep -v -e app.stopped_too_long -e app.closed_no_notice | grep -q .
'

test_expect_success 'a contradiction is a data gap naming the fields that disagree' '
	test "$(unknown app.ranking_in_notices)" = "APP-036" &&
	grep "APP-036" all.csv | grep app.ranking_in_notices |
		grep -q "needs verification: 积分排名功能、在线时长功能、积分排名用于通报考评 disagree"
'

test_expect_success 'duplicate apps: both planted clusters, nothing else' '
	test "$(violated app.duplicate)" = "APP-002 APP-003 APP-008 APP-009 APP-010" &&
	grep "app.duplicate," all.csv | grep "APP-010" | grep -q "similar name" &&
	grep "app.duplicate," all.csv | grep "APP-002" | grep -q "similar function"
'

test_expect_success 'accounts and groups are scored too' '
	test "$(violated account.stale)" = "ACC-010 ACC-012 ACC-017 ACC-020 ACC-022 ACC-023 ACC-029 ACC-034 ACC-038 ACC-039" &&
	test "$(violated account.forced_follow)" = "ACC-005 ACC-009 ACC-024 ACC-027" &&
	test -z "$(violated account.too_many)$(unknown account.too_many)" &&
	test "$(violated group.duplicate)" = "GRP-006 GRP-018 GRP-028 GRP-042 GRP-047" &&
	test "$(violated group.idle)" = "GRP-014 GRP-021 GRP-025 GRP-027 GRP-047 GRP-054 GRP-057 GRP-064"
'

test_expect_success 'empty cells are data gaps (unknown), never passes, and name the field' '
	test "$(unknown app.forced_unapproved)" = "APP-027" &&
	test "$(unknown app.low_use)" = "APP-018 APP-031" &&
	test "$(unknown app.no_icp_filing)" = "APP-028" &&
	test "$(unknown account.stale)" = "ACC-031" &&
	grep "APP-027" all.csv | grep app.forced_unapproved | grep -q "needs verification: 强制功能经审批 empty" &&
	grep "APP-028" all.csv | grep app.no_icp_filing | grep -q "needs verification: ICP备案号 empty"
'

test_expect_success 'near misses and compliant apps have no findings' '
	for id in APP-001 APP-011 APP-012 APP-013 APP-014 APP-015 APP-017 APP-025 APP-026 APP-034 APP-035 APP-037 APP-040 APP-042; do
		! grep -q ",$id," all.csv || { echo "$id has findings"; exit 1; }
	done &&
	! grep -q "APP-033,.*app.low_use" all.csv &&
	! grep -q "APP-019,.*app.low_use" all.csv &&
	! grep -q "APP-023,.*app.install_quota" all.csv &&
	! grep -q "APP-031,.*app.duplicate" all.csv &&
	! grep -q "APP-005,.*app.duplicate" all.csv &&
	! grep -q -e "GRP-010,.*group.instant_reply" -e "GRP-017,.*group.instant_reply" -e "GRP-018,.*group.instant_reply" all.csv
'

test_expect_success 'filters: article, inventory, severity, state' '
	zhijian findings --article 14 --format csv | tail -n +2 | cut -d, -f1 | sort -u >a && test "$(cat a)" = 14 &&
	zhijian findings --inventory groups --format csv | tail -n +2 | cut -d, -f2 | sort -u >i && test "$(cat i)" = groups &&
	zhijian findings --severity high --format csv | tail -n +2 | cut -d, -f6 | sort -u >s && test "$(cat s)" = high &&
	zhijian findings --state unknown --format csv | tail -n +2 | cut -d, -f7 | sort -u | tr -d "\r" >u && test "$(cat u)" = unknown &&
	expect_exit 2 zhijian findings --article 99 &&
	expect_exit 2 zhijian findings --format xml
'

test_expect_success 'JSON holds the same findings and is valid' '
	zhijian findings --format json >all.json &&
	test "$(sqlite3 :memory: "select json_valid(readfile('"'"'all.json'"'"'))")" = 1 &&
	test "$(sqlite3 :memory: "select json_array_length(readfile('"'"'all.json'"'"'))")" = "$(($(wc -l <all.csv) - 1))"
'

test_expect_success 'each open finding says what fixing it would add to the total' '
	zhijian findings --format json >g.json &&
	test "$(sqlite3 :memory: "select count(*) from json_each(readfile('"'"'g.json'"'"')) where json_extract(value, '"'"'$.gain'"'"') is null and json_extract(value, '"'"'$.state'"'"') = '"'"'violated'"'"'")" = 0 &&
	test "$(sqlite3 :memory: "select json_extract(value, '"'"'$.gain'"'"') > 1 from json_each(readfile('"'"'g.json'"'"')) where json_extract(value, '"'"'$.subject_id'"'"') = '"'"'APP-002'"'"' and json_extract(value, '"'"'$.rule'"'"') = '"'"'app.duplicate'"'"'")" = 1 &&
	zhijian findings --article 5 >t5 && contains t5 "gain" && grep "APP-002" t5 | grep app.duplicate | grep -q "+1."
'

# Every row's rule and state columns start at the display column where the
# header puts them, whatever the widths of the Chinese names before them.
test_expect_success 'the table is aligned whatever mix of Chinese and ASCII' '
	zhijian findings >t &&
	h=$(head -n 1 t) &&
	rule_col=$(dwidth "${h%%rule *}") && state_col=$(dwidth "${h%%state *}") &&
	sed -e 1d -e "/^[0-9]* findings:/d" -e "/^gain: /d" t >rows &&
	test "$(wc -l <rows)" -gt 100 &&
	contains rows "青禾县智慧社区APP" && contains rows "APP-0" &&
	mkdir -p pre && rm -f pre/* &&
	awk "{ n = sprintf(\"%05d\", NR)
		r = index(\$0, \" \" \$5 \" \"); s = index(\$0, \" \" \$7 \" \")
		f = \"pre/r\" n; print substr(\$0, 1, r - 1) >f; close(f)
		f = \"pre/s\" n; print substr(\$0, 1, s - 1) >f; close(f) }" rows &&
	test "$(ls pre | wc -l)" = $((2 * $(wc -l <rows))) &&
	(cd pre && LC_ALL=C.UTF-8 wc -L r* s*) |
		awk -v r="$rule_col" -v s="$state_col" "\$2 != \"total\" &&
			\$1 + 1 != (substr(\$2, 1, 1) == \"r\" ? r : s) { print \$2, \$1 + 1 }" >bad &&
	test ! -s bad || { head -n 5 bad | while read -r f w; do
		printf "%s at %s (want %s): %s\n" "$f" "$w" "$( [ "${f#r}" != "$f" ] && echo "$rule_col" || echo "$state_col")" \
			"$(awk -v n="${f#?}" "NR == n + 0" rows)"; done; false; }
'

test_expect_success 'scoring is reproducible: same as-of date, same findings' '
	zhijian score --quiet >/dev/null && zhijian findings --format csv >again.csv &&
	cmp all.csv again.csv
'

test_expect_success 'score --as-of measures ages against that date and records it' '
	zhijian score --as-of 2025-01-01 --quiet >/dev/null &&
	zhijian findings --format csv >early.csv &&
	! cmp -s all.csv early.csv &&
	test "$(sqlite3 zhijian.db "select as_of from workspace")" = 2025-01-01 &&
	zhijian status >st && contains st "as of      2025-01-01" &&
	zhijian score --as-of 2026-06-30 --quiet >/dev/null &&
	zhijian findings --format csv >back.csv && cmp all.csv back.csv &&
	expect_exit 2 zhijian score --as-of tomorrow
'

test_expect_success 'CSV cells that a spreadsheet would run are neutralised' '
	printf "编号,名称,主办单位,纳入信息化规划\n=1+1,\"=HYPERLINK(\"\"x\"\")\",@单位,否\n" >evil.csv &&
	zhijian import apps evil.csv >/dev/null 2>&1 && zhijian score --quiet >/dev/null &&
	zhijian findings --format csv >e.csv &&
	grep "app.not_in_plan" e.csv | grep -q "\"'"'"'=1+1\"" &&
	! grep -q ",=HYPERLINK" e.csv
'

test_done
