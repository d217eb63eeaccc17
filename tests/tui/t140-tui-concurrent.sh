#!/bin/sh
# A batch import and score in another process while the TUI is open: the
# TUI keeps working (it waits for the write lock when it must, and says
# so), and R shows the new data.
. "$TOP/tests/lib.sh"
. "$TOP/tests/tui/lib-tui.sh"

# in_background NAME CMD...: runs CMD in the background, its output in
# NAME.out and its exit status in NAME.rc when it ends.
in_background() {
	name=$1
	shift
	rm -f "$name.rc"
	{ "$@" >"$name.out" 2>&1; echo $? >"$name.rc"; } &
}

test_expect_success 'set up the sample county, scored, and a big apps file' '
	sample_workspace &&
	zhijian score >/dev/null 2>&1 &&
	"$BUILD/tools/gen-apps" 40000 >big.csv
'

test_expect_success 'keys keep working during an import in another process' '
	tui_start 80 24 &&
	tui_wait "Dashboard" &&
	tui_keys I &&
	tui_wait "row 1 of 43" &&
	in_background import zhijian import apps big.csv &&
	i=0 &&
	while [ ! -f import.rc ] && [ $i -lt 400 ]; do
		tui_keys PageDown j End Home
		i=$((i + 1))
	done &&
	wait &&
	test "$(cat import.rc)" = 0 &&
	test ! -f tui.rc &&
	tui_keys g &&
	tui_wait "row 1 of 43"
'

test_expect_success 'R shows the imported rows' '
	tui_keys R &&
	tui_wait "apps 40,043" &&
	tui_keys End &&
	tui_wait "row 40,043 of 40,043" &&
	tui_wait "APP-0040000"
'

test_expect_success 'an answer given while a score runs elsewhere waits for it and is saved' '
	tui_keys D &&
	tui_wait "Dashboard" &&
	in_background score zhijian score &&
	tui_keys c &&
	tui_wait "Checklist walk" &&
	tui_keys 4 &&
	wait &&
	test "$(cat score.rc)" = 0 &&
	tui_wait "saved 1.1 不适用" &&
	test "$(sqlite3 zhijian.db "select verdict from answers where item = '\''1.1'\''")" = na
'

# The other process holds the lock until the TUI has said that it waits
# (./release), however slow a loaded machine makes either of them; its own
# cap (60 s) only keeps a broken run from hanging.  The TUI gives up after
# the store's 30 s busy timeout, so the message is looked for within 25 s of
# the keys, and the lock is seen taken before they are sent.
test_expect_success 'while another process holds the write lock, an answer says it waits, then saves' '
	rm -f release &&
	in_background lock sqlite3 zhijian.db "BEGIN IMMEDIATE;" "INSERT INTO meta VALUES ('\''t'\'', 1);" \
		".shell i=0; while [ ! -f release ] && [ \$i -lt 1200 ]; do sleep 0.05; i=\$((i + 1)); done" "COMMIT;" &&
	i=0 &&
	while sqlite3 zhijian.db "PRAGMA busy_timeout = 0; BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1; do
		[ $i -lt 600 ] || { echo "the other process never took the lock"; touch release; exit 1; }
		sleep 0.05
		i=$((i + 1))
	done &&
	tui_keys j 4 &&
	{ tui_wait "waiting for another zhijian process" 25 || { touch release; false; }; } &&
	touch release &&
	tui_wait "saved 1.2 不适用" 30 &&
	wait &&
	test "$(cat lock.rc)" = 0 &&
	test "$(sqlite3 zhijian.db "select verdict from answers where item = '\''1.2'\''")" = na
'

test_expect_success 'R re-reads the findings of the new score' '
	tui_keys F &&
	tui_wait "Findings" &&
	tui_keys R &&
	tui_wait "re-read the workspace" &&
	n=$(zhijian findings --format csv | tail -n +2 | wc -l) &&
	tui_wait "of $(printf "%s" "$n" | sed ":a;s/\B[0-9]\{3\}\>/,&/;ta")" &&
	tui_keys Q &&
	tui_exited
'

test_done
