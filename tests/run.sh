#!/bin/sh
# tests/run.sh BUILD: runs every test and ends with "N passed, N failed".
#   unit tests   BUILD/tests/test_*          (cmocka, TAP output)
#   CLI tests    tests/cli/t[0-9]*.sh        (tests/lib.sh, TAP output)
#   TUI tests    tests/tui/t[0-9]*.sh        (tmux), when there are any
# A test program that dies without reporting counts as one failure.
# TESTS="t1*" narrows the CLI/TUI scripts to a glob.
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
case $build in /*) ;; *) build="$top/$build" ;; esac
logs="$build/test-logs"
mkdir -p "$logs"
export ZHIJIAN="$build/zhijian" TOP="$top" BUILD="$build"
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

passed=0
failed=0

run_one() {
	name=$1
	shift
	log="$logs/$name.log"
	mkdir -p "$(dirname "$log")"
	"$@" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
		echo "not ok - $name exited with status $rc" >>"$log"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" = 0 ]; then
		printf '  %-44s %4d ok\n' "$name" "$p"
	else
		printf '  %-44s %4d ok, %d FAILED\n' "$name" "$p" "$f"
		grep -A 30 '^not ok' "$log" | head -n 60 | sed 's/^/      /'
	fi
}

for t in "$build"/tests/test_*; do
	[ "${VALGRIND:-0}" = 1 ] && break
	[ -x "$t" ] || continue
	run_one "unit/$(basename "$t")" "$t"
done
for t in "$top"/tests/cli/t[0-9]*.sh "$top"/tests/tui/t[0-9]*.sh; do
	[ -f "$t" ] || continue
	case $(basename "$t") in ${TESTS:-*}) ;; *) continue ;; esac
	run_one "$(basename "$(dirname "$t")")/$(basename "$t" .sh)" sh "$t"
done
# Each libFuzzer target for a few seconds (make fuzz runs them for long).
if [ -n "${FUZZ_BIN:-}" ] && [ "${FUZZ_SECONDS:-0}" != 0 ] && [ "${VALGRIND:-0}" != 1 ]; then
	run_one "fuzz/short-run" sh "$top/tests/fuzz/run.sh" "$FUZZ_SECONDS" $FUZZ_BIN
fi
if [ "$passed" = 0 ]; then
	echo "no test ran: the harness itself is broken" >&2
	failed=$((failed + 1))
fi
# COUNTS=FILE: add this run's numbers to FILE for tests/total.sh instead of
# printing the closing line (make check with CI=true runs twice).
if [ -n "${COUNTS:-}" ]; then
	echo "$passed $failed" >>"$COUNTS"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ]
