#!/bin/sh
# The sources compile without a warning under clang's -Wall -Wextra as well
# as gcc's: clang reports a struct initialised by position with fields left
# out (-Wmissing-field-initializers), which gcc does not for `{ X }`, and
# the TUI's hint tables were written that way (about 50 warnings).  Only a
# syntax check, file by file, so it costs seconds, not a second build.
. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

test_expect_success 'clang -Wall -Wextra reports nothing in src/' '
	command -v clang >/dev/null || skip "no clang"
	flags="-std=gnu11 -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes -Wwrite-strings -Wcast-qual" &&
	inc="-I$TOP/src -I$BUILD $(pkg-config --cflags sqlite3 ncursesw libcrypto xlsxwriter zlib libzip expat freexl libqpdf 2>/dev/null)" &&
	for f in "$TOP"/src/main.c "$TOP"/src/*/*.c; do
		clang $flags $inc -fsyntax-only "$f" 2>>warnings || { cat warnings; exit 1; }
	done &&
	if grep "warning:" warnings; then exit 1; fi
'

test_done
