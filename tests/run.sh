#!/bin/sh
# tests/run.sh BUILD: runs every test and ends with "N passed, N failed,
# N skipped".
#   unit tests   BUILD/tests/test_*          (cmocka, TAP output)
#   CLI tests    tests/cli/t[0-9]*.sh        (tests/lib.sh, TAP output)
#   TUI tests    tests/tui/t[0-9]*.sh        (tmux), when there are any
#   fuzz         each target of $FUZZ_BIN for $FUZZ_SECONDS, when set
# Test programs run in parallel (tests/run-one.sh each, through
# tests/run.mk): under `make check -jN` they share make's job slots;
# run by hand, $JOBS at a time (default: the number of processors).  The
# slowest (by their last recorded time, else by kind) start first.
# A test program that dies without reporting counts as one failure; a
# "# SKIP" result is counted as skipped, never as passed.
# TESTS="t1*" narrows the CLI/TUI scripts to a glob; NOT_TESTS=GLOB leaves some out.
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
case $build in /*) ;; *) build="$top/$build" ;; esac
logs="$build/test-logs"
mkdir -p "$logs"
export ZHIJIAN="$build/zhijian" TOP="$top" BUILD="$build" LOGS="$logs"
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# VALGRIND=1: every CLI test runs the binary under valgrind; a memory error
# or a definite leak makes it exit 99, which every exit-status check sees.
# The crash, concurrency and disk tests (t8*) measure the binary's
# behaviour under load and are left to the native run.
if [ "${VALGRIND:-0}" = 1 ]; then
	wrapper="$build/zhijian-valgrind"
	cat >"$wrapper" <<EOW
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
	--show-leak-kinds=definite,indirect "$build/zhijian" "\$@"
EOW
	chmod +x "$wrapper"
	export ZHIJIAN="$wrapper"
	TESTS=${TESTS:-t[0-7]*}
fi

# SANITIZED=1 (make check's run under CI=true, built with ASan and UBSan):
# everything, except the kill-and-race tests t800 and t810, which measure
# the native binary's timing under load (make check runs those natively);
# the disk-full test t820 runs, for its error paths.
# NO_UNITS=1 leaves the unit tests out (a run of a few scripts beside one
# that ran them).
[ "${SANITIZED:-0}" = 1 ] && NOT_TESTS=${NOT_TESTS:-t8[01]*}

# The names to run, each with its expected seconds: the last run's, else a
# guess by kind (a fresh clone has no record).
names=
add() {
	if [ -f "$logs/$1.time" ]; then
		w=$(cat "$logs/$1.time")
	else
		case $1 in
		cli/t7* | cli/t8*) w=40 ;;
		cli/t5* | cli/t6* | tui/*) w=15 ;;
		fuzz/*) w=6 ;;
		cli/*) w=4 ;;
		*) w=1 ;;
		esac
	fi
	names="$names$w $1
"
}
for t in "$build"/tests/test_*; do
	[ "${VALGRIND:-0}" = 1 ] || [ "${NO_UNITS:-0}" = 1 ] && break
	[ -x "$t" ] || continue
	case $t in *.d) continue ;; esac
	add "unit/$(basename "$t")"
done
for t in "$top"/tests/cli/t[0-9]*.sh "$top"/tests/tui/t[0-9]*.sh; do
	[ -f "$t" ] || continue
	case $(basename "$t") in ${TESTS:-*}) ;; *) continue ;; esac
	case $(basename "$t") in ${NOT_TESTS:-/}) continue ;; esac
	add "$(basename "$(dirname "$t")")/$(basename "$t" .sh)"
done
# Each libFuzzer target for a few seconds (make fuzz runs them for long).
if [ -n "${FUZZ_BIN:-}" ] && [ "${FUZZ_SECONDS:-0}" != 0 ] && [ "${VALGRIND:-0}" != 1 ]; then
	export FUZZ_SECONDS
	for f in $FUZZ_BIN; do
		add "fuzz/$(basename "$f")"
	done
fi
list=$(printf '%s' "$names" | sort -k1,1nr -k2 | cut -d' ' -f2)

# Under make's jobserver (MAKEFLAGS names -j) the sub-make shares its
# slots; otherwise it takes $JOBS of its own.
case " ${MAKEFLAGS:-} " in
*" -j"*) jobs= ;;
*) jobs="-j${JOBS:-$(nproc 2>/dev/null || echo 2)}" ;;
esac
for n in $list; do rm -f "$logs/$n.count"; done
${MAKE:-make} --no-print-directory -f "$top/tests/run.mk" $jobs TOP="$top" TESTS_LIST="$(echo $list)" ||
	echo "(some test programs failed)" >&2

passed=0
failed=0
skipped=0
bad=
for n in $list; do
	if [ -f "$logs/$n.count" ]; then
		read -r p f s <"$logs/$n.count"
	else
		p=0 f=1 s=0
		echo "  $n: no result (the runner itself failed)"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	[ "$f" = 0 ] || bad="$bad $n"
done
if [ "$passed" = 0 ]; then
	echo "no test ran: the harness itself is broken" >&2
	failed=$((failed + 1))
fi
[ -z "$bad" ] || echo "failed:$bad (logs in $logs)"
# The CPU the test programs took (tests/run-one.sh's NAME.cpu), the
# measure of the suite's cost on a shared machine.
cpu=$(for n in $list; do [ -f "$logs/$n.cpu" ] && tail -n 1 "$logs/$n.cpu"; done |
	awk '{ s += $2 + $3 } END { if (NR) printf "%.0f", s }')
[ -z "$cpu" ] || echo "  ($(basename "$build"): ${cpu} s of CPU in the test programs)"
# COUNTS=FILE: add this run's numbers to FILE for tests/total.sh instead of
# printing the closing line (make check with CI=true runs it twice: the
# sanitized build, then t800/t810 and the fuzz targets natively).
if [ -n "${COUNTS:-}" ]; then
	echo "$passed $failed $skipped" >>"$COUNTS"
else
	echo "$passed passed, $failed failed, $skipped skipped"
fi
[ "$failed" = 0 ]
