#!/bin/sh
# tests/run-one.sh NAME: runs one test program of the suite and records its
# TAP counts for tests/run.sh.  NAME is KIND/BASENAME:
#   unit/test_x    $BUILD/tests/test_x              (cmocka, TAP output)
#   cli/tNNN-x     tests/cli/tNNN-x.sh              (tests/lib.sh)
#   tui/tNNN-x     tests/tui/tNNN-x.sh              (tmux)
#   fuzz/fuzz_x    build-fuzz/fuzz_x for $FUZZ_SECONDS (tests/fuzz/run.sh)
# Its output goes to $LOGS/NAME.log; "PASSED FAILED SKIPPED" to NAME.count,
# its seconds to NAME.time and its CPU time to NAME.cpu.  A "# SKIP" result
# (ok or not ok) counts as skipped, never as passed; a program that exits
# non-zero without reporting a failure counts as one failure.  One summary
# line goes to stdout (with the failures' details), written at once so
# parallel runs don't interleave.
name=$1
: "${LOGS:?}" "${TOP:?}" "${BUILD:?}"
log="$LOGS/$name.log"
mkdir -p "$(dirname "$log")"
rm -f "$LOGS/$name.count"
start=$(date +%s)
# NAME.cpu: "WALL USER SYS" seconds of the program and what it waited for
# (GNU time; a TUI test's binary runs under its tmux server and is not
# counted), for measuring where the suite's time goes.
rm -f "$LOGS/$name.cpu"
T() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %U %S' -o "$LOGS/$name.cpu" "$@"
	else
		"$@"
	fi
}
case $name in
unit/*) T "$BUILD/tests/${name#unit/}" >"$log" 2>&1 ;;
cli/* | tui/*) T sh "$TOP/tests/$name.sh" >"$log" 2>&1 ;;
fuzz/*) T sh "$TOP/tests/fuzz/run.sh" "${FUZZ_SECONDS:-5}" "$TOP/build-fuzz/${name#fuzz/}" >"$log" 2>&1 ;;
*) echo "not ok - no such test kind: $name" >"$log"; false ;;
esac
rc=$?
end=$(date +%s)
s=$(grep -Eic '^(not )?ok .*#[[:space:]]*skip' "$log")
p=$(grep '^ok ' "$log" | grep -Evic '#[[:space:]]*skip')
f=$(grep '^not ok ' "$log" | grep -Evic '#[[:space:]]*skip')
if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
	f=1
	echo "not ok - $name exited with status $rc" >>"$log"
fi
echo "$p $f $s" >"$LOGS/$name.count"
echo $((end - start)) >"$LOGS/$name.time"
extra=
[ "$s" = 0 ] || extra=", $s skipped"
if [ "$f" = 0 ]; then
	line=$(printf '  %-44s %4d ok%s' "$name" "$p" "$extra")
else
	line=$(printf '  %-44s %4d ok, %d FAILED%s\n%s' "$name" "$p" "$f" "$extra" \
		"$(grep -A 30 '^not ok' "$log" | grep -v '^not ok .*# *[Ss][Kk][Ii][Pp]' | head -n 60 | sed 's/^/      /')")
fi
printf '%s\n' "$line"
