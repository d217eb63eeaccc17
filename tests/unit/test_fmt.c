/* Unit tests: util/fmt, the one formatter of scores and counts. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/fmt.h"

static void counts_have_thousands_separators(void **state)
{
	char b[FMT_COUNT_SIZE];

	(void)state;
	assert_string_equal(fmt_count(0, b), "0");
	assert_string_equal(fmt_count(7, b), "7");
	assert_string_equal(fmt_count(999, b), "999");
	assert_string_equal(fmt_count(1000, b), "1,000");
	assert_string_equal(fmt_count(12345, b), "12,345");
	assert_string_equal(fmt_count(123456, b), "123,456");
	assert_string_equal(fmt_count(1234567, b), "1,234,567");
	assert_string_equal(fmt_count(-1, b), "-1");
	assert_string_equal(fmt_count(-1000, b), "-1,000");
	assert_string_equal(fmt_count(-123456, b), "-123,456");
	assert_ptr_equal(fmt_count(42, b), b);
}

static void counts_at_the_limits(void **state)
{
	char b[FMT_COUNT_SIZE];

	(void)state;
	assert_string_equal(fmt_count(LLONG_MAX, b), "9,223,372,036,854,775,807");
	/* Negating LLONG_MIN would overflow: it is formatted all the same. */
	assert_string_equal(fmt_count(LLONG_MIN, b), "-9,223,372,036,854,775,808");
	assert_string_equal(fmt_count(LLONG_MIN + 1, b), "-9,223,372,036,854,775,807");
	assert_true(strlen(fmt_count(LLONG_MIN, b)) < FMT_COUNT_SIZE);
}

static void scores_have_one_decimal(void **state)
{
	char b[FMT_SCORE_SIZE];

	(void)state;
	assert_string_equal(fmt_score(87.5, b), "87.5");
	assert_string_equal(fmt_score(100, b), "100.0");
	assert_string_equal(fmt_score(0, b), "0.0");
	assert_string_equal(fmt_score(53.125, b), "53.1");
	assert_string_equal(fmt_score(66.66666, b), "66.7");
	assert_ptr_equal(fmt_score(1, b), b);
}

static void no_score_is_a_dash(void **state)
{
	char b[FMT_SCORE_SIZE] = "untouched";

	(void)state;
	assert_string_equal(fmt_score(-1, b), "—");
	assert_string_equal(fmt_score(-0.01, b), "—");
	assert_string_equal(b, "untouched");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_have_thousands_separators),
		cmocka_unit_test(counts_at_the_limits),
		cmocka_unit_test(scores_have_one_decimal),
		cmocka_unit_test(no_score_is_a_dash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
