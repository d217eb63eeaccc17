#!/bin/sh
# 附件2 问题清单's 空壳/僵尸 list shows the 20 apps with the fewest monthly
# active users and says how many there are in all.  When at least 20 of
# them have none, the report takes the first 20 of those in the order the
# findings are stored instead of sorting them all (policy_zombies): here
# the list is checked against the full sort, done by sqlite3 on the
# workspace, with more than 20 apps without users and with fewer.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

# plant ZERO: apps.csv, the sample apps and, before them in import order
# after the sample, eight apps with 1..8 monthly users (in a shuffled
# order) and ZERO apps with none, their ids falling while the import order
# rises, every one 公众 with 50,000 registered users.
plant() {
	{
		cat "$SAMPLES/apps.csv"
		n=0
		for u in 5 1 8 3 2 7 4 6; do
			n=$((n + 1))
			grep "^APP-001," "$SAMPLES/apps.csv" | awk -F, -v OFS=, -v id="APP-20$n" -v u=$u -v n=$n '
				{ $1 = id; $2 = "少用测试应用" n; $7 = "公众"; $11 = "运行"; $12 = 50000; $13 = u; print }'
		done
		i=0
		while [ $i -lt "$1" ]; do
			i=$((i + 1))
			grep "^APP-001," "$SAMPLES/apps.csv" | awk -F, -v OFS=, -v id="APP-$((900 - i))" -v i=$i '
				{ $1 = id; $2 = "零活跃测试应用" i; $7 = "公众"; $11 = "运行"; $12 = 50000; $13 = 0; print }'
		done
	} >apps.csv
}

# full_sort DB: the ids of the first 20 apps of the list by a sort of the
# whole list (fewest monthly users first, unknown last, then in stored order).
full_sort() {
	sqlite3 "$1" "select i.id from findings f join inv_apps i on i.rowid = f.subject
		where f.inventory = 0 and exists (select 1 from rules r where r.zombie = 1 and r.inventory = 0
			and (f.violated >> r.bit) & 1)
		order by i.monthly_active_users is null, i.monthly_active_users, f.subject limit 20"
}

# listed PDF: the ids in the 空壳/僵尸 list, in the order printed.
listed() {
	pdftotext -raw "$1" - 2>/dev/null | sed -n '/^四、“空壳”“僵尸”清单$/,/^五、重复建设情况$/p' |
		grep -o 'APP-[0-9]*'
}

# report ZERO: w-ZERO.db scored on plant ZERO, and its draft report r-ZERO.pdf.
report() {
	plant "$1" && new_workspace w-$1.db &&
	zhijian --db w-$1.db import apps apps.csv >/dev/null 2>&1 &&
	zhijian --db w-$1.db score --quiet >/dev/null &&
	zhijian --db w-$1.db report -o r-$1.pdf --draft >/dev/null 2>&1
}

test_expect_success '27 apps without users: the first 20 of them, as the full sort has them; the total said' '
	report 27 &&
	listed r-27.pdf >got && full_sort w-27.db >want &&
	test "$(wc -l <got)" = 20 && cmp want got &&
	# none of the apps with users is shown; the zero ones in import order
	test "$(head -n 1 got)" = APP-899 && test "$(tail -n 1 got)" = APP-880 &&
	pdftotext r-27.pdf - 2>/dev/null | tr -d " \n" >flat &&
	contains flat "共37个" && contains flat "以下列出月活跃用户数最少的20个："
'

test_expect_success '15 apps without users: they, then the five with fewest users by their number' '
	report 15 &&
	listed r-15.pdf >got && full_sort w-15.db >want &&
	test "$(wc -l <got)" = 20 && cmp want got &&
	test "$(sed -n 15p got)" = APP-885 &&
	test "$(sed -n "16,20p" got | tr "\n" " ")" = "APP-202 APP-205 APP-204 APP-207 APP-201 " &&
	pdftotext r-15.pdf - 2>/dev/null | tr -d " \n" >flat &&
	contains flat "共25个" && contains flat "以下列出月活跃用户数最少的20个："
'

test_expect_success 'exactly 20 without users: those 20, no app with users' '
	report 20 &&
	listed r-20.pdf >got && full_sort w-20.db >want && cmp want got &&
	test "$(sed -n 20p got)" = APP-880 &&
	pdftotext r-20.pdf - 2>/dev/null | tr -d " \n" >flat && contains flat "共30个"
'

test_done
