/* Unit tests for util/parse: the typed cell parsers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/parse.h"

#define BOOL_WHY "is not a yes/no value (是/否, 有/无, √/×, ✓/✗, Y/N, yes/no, true/false, 1/0)"
#define DATE_WHY "is not a date (such as 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日, a date cell, or an Excel serial number of a day in 1990-2100)"
#define CAL_WHY "is not a real calendar date"
#define YEAR_WHY "is outside the years 1900-2199"
#define INT_WHY "is not a whole number (such as 12345, 12,345, 1.2万 or 300人)"

static int pbool(const char *s, int *out, const char **why)
{
	return parse_bool(s, strlen(s), out, why);
}

static int pdate(const char *s, char *out, const char **why)
{
	return parse_date(s, strlen(s), out, why);
}

static int pint(const char *s, long long *out, const char **why)
{
	return parse_int(s, strlen(s), out, why);
}

static void test_bool_accepted(void **state)
{
	static const struct {
		const char *in;
		int value;
	} ok[] = {
		{ "是", 1 }, { "否", 0 }, { "有", 1 }, { "无", 0 },
		{ "Y", 1 }, { "y", 1 }, { "N", 0 }, { "n", 0 },
		{ "yes", 1 }, { "YES", 1 }, { "Yes", 1 }, { "no", 0 }, { "NO", 0 },
		{ "true", 1 }, { "TRUE", 1 }, { "True", 1 },
		{ "false", 0 }, { "FALSE", 0 },
		{ "1", 1 }, { "0", 0 },
		{ " 是 ", 1 }, { "\t否\r\n", 0 }, { "　是　", 1 }, { " 　Y　 ", 1 },
		{ "√", 1 }, { "×", 0 }, { "✓", 1 }, { "✗", 0 }, { "✔", 1 }, { "✘", 0 },
		{ " √ ", 1 }, { "Ｙ", 1 }, { "Ｎ", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		const char *why = "unset";
		int v = -5;

		if (pbool(ok[i].in, &v, &why) != 1)
			fail_msg("'%s' not accepted", ok[i].in);
		assert_int_equal(v, ok[i].value);
		assert_null(why);
	}
}

static void test_bool_rejected(void **state)
{
	static const char *const bad[] = {
		"对", "错", "是的", "不是", "X", "ye", "yess", "t", "f", "2", "01",
		"-1", "１", "yes no", "Y/N", "nein", "是否",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;
		int v = -5;

		if (pbool(bad[i], &v, &why) != -1)
			fail_msg("'%s' accepted", bad[i]);
		assert_string_equal(why, BOOL_WHY);
		assert_int_equal(v, -5);
	}
}

static void test_empty_cells(void **state)
{
	static const char *const empty[] = {
		"", " ", "  ", "\t", " \r\n ", "　", "　　", " 　 ",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		const char *why = "unset", *start = NULL;
		long long n = -5;
		char date[11] = "untouched";
		size_t tlen = 99;
		int b = -5;

		assert_int_equal(pbool(empty[i], &b, &why), 0);
		assert_null(why);
		assert_int_equal(b, -5);
		why = "unset";
		assert_int_equal(pdate(empty[i], date, &why), 0);
		assert_null(why);
		assert_string_equal(date, "untouched");
		why = "unset";
		assert_int_equal(pint(empty[i], &n, &why), 0);
		assert_null(why);
		assert_int_equal(n, -5);
		assert_int_equal(parse_text(empty[i], strlen(empty[i]), &start, &tlen), 0);
		assert_null(start);
		assert_int_equal(tlen, 99);
	}
	/* why may be NULL */
	assert_int_equal(parse_bool("", 0, NULL, NULL), 0);
	assert_int_equal(parse_bool("x", 1, NULL, NULL), -1);
}

/* The cell is given by length: bytes after it are not read. */
static void test_length_not_nul(void **state)
{
	const char *why;
	long long n;
	char date[11];
	int b;

	(void)state;
	assert_int_equal(parse_bool("yesterday", 3, &b, &why), 1);
	assert_int_equal(b, 1);
	assert_int_equal(parse_int("12345", 2, &n, &why), 1);
	assert_int_equal(n, 12);
	assert_int_equal(parse_date("2026-03-019", 10, date, &why), 1);
	assert_string_equal(date, "2026-03-01");
}

static void test_date_accepted(void **state)
{
	static const struct {
		const char *in, *out;
	} ok[] = {
		{ "2026-03-01", "2026-03-01" },
		{ "2026-3-1", "2026-03-01" },
		{ "2026/3/1", "2026-03-01" },
		{ "2026/03/01", "2026-03-01" },
		{ "2026.3.1", "2026-03-01" },
		{ "2026.03.01", "2026-03-01" },
		{ "2026年3月1日", "2026-03-01" },
		{ "45292", "2024-01-01" }, { "46082", "2026-03-01" },
		{ "46082.75", "2026-03-01" }, { "32874", "1990-01-01" },
		{ "73415", "2100-12-31" }, { "４６０８２", "2026-03-01" },
		{ "2026年03月01日", "2026-03-01" },
		{ "2026 年 3 月 1 日", "2026-03-01" },
		{ "2026年 12月 31日", "2026-12-31" },
		{ "2026　年　3　月　1　日", "2026-03-01" },
		{ "２０２６年３月１日", "2026-03-01" },
		{ "2026-03-01 00:00:00", "2026-03-01" },
		{ "2026/3/1 0:00", "2026-03-01" },
		{ "2026/3/1 13:45", "2026-03-01" },
		{ "2026-03-01 23:59:59", "2026-03-01" },
		{ "2026-03-01 08:30:00.000", "2026-03-01" },
		{ "2026-03-01T08:30:00", "2026-03-01" },
		{ "2026年3月1日 9:05", "2026-03-01" },
		{ "  2026-03-01  ", "2026-03-01" },
		{ "　2026/3/1　", "2026-03-01" },
		{ "2024-02-29", "2024-02-29" },
		{ "2000-02-29", "2000-02-29" },
		{ "1900-01-01", "1900-01-01" },
		{ "2199-12-31", "2199-12-31" },
		{ "2026-12-31", "2026-12-31" },
		{ "2026-04-30", "2026-04-30" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		const char *why = "unset";
		char out[11];

		if (pdate(ok[i].in, out, &why) != 1)
			fail_msg("'%s' not accepted: %s", ok[i].in, why);
		assert_string_equal(out, ok[i].out);
		assert_null(why);
	}
}

static void test_date_rejected(void **state)
{
	static const struct {
		const char *in, *why;
	} bad[] = {
		{ "2026-02-29", CAL_WHY },
		{ "2026年2月29日", CAL_WHY },
		{ "1900-02-29", CAL_WHY },
		{ "2100-02-29", CAL_WHY },
		{ "2026年13月1日", CAL_WHY },
		{ "2026-00-10", CAL_WHY },
		{ "2026-01-00", CAL_WHY },
		{ "2026-04-31", CAL_WHY },
		{ "2026-01-32", CAL_WHY },
		{ "1899-12-31", YEAR_WHY },
		{ "2200-01-01", YEAR_WHY },
		{ "0000-01-01", YEAR_WHY },
		{ "26-3-1", DATE_WHY },
		{ "20260301", DATE_WHY },
		{ "2026-3", DATE_WHY },
		{ "2026-3-", DATE_WHY },
		{ "2026-3/1", DATE_WHY },
		{ "2026/3-1", DATE_WHY },
		{ "2026--3-1", DATE_WHY },
		{ "2026-003-01", DATE_WHY },
		{ "2026-03-001", DATE_WHY },
		{ "02026-03-01", DATE_WHY },
		{ "2026年3月1", DATE_WHY },
		{ "2026年3月", DATE_WHY },
		{ "2026年3日1月", DATE_WHY },
		{ "3/1/2026", DATE_WHY },
		{ "01/03/2026", DATE_WHY },
		{ "2026-03-01x", DATE_WHY },
		{ "2026-03-01 x", DATE_WHY },
		{ "2026-03-01 25:00", DATE_WHY },
		{ "2026-03-01 10:60", DATE_WHY },
		{ "2026-03-01 10:5", DATE_WHY },
		{ "2026-03-01 10:00:61", DATE_WHY },
		{ "2026-03-01 :00", DATE_WHY },
		{ "2026-03-01 10", DATE_WHY },
		{ "next monday", DATE_WHY },
		{ "32873", DATE_WHY },		/* 1989-12-31: implausible as a serial */
		{ "73416", DATE_WHY },		/* 2101-01-01 */
		{ "12", DATE_WHY },
		{ "4608200", DATE_WHY },
		{ "46082.", DATE_WHY },
		{ "2026-03-01.5", DATE_WHY },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;
		char out[11] = "untouched";

		if (pdate(bad[i].in, out, &why) != -1)
			fail_msg("'%s' accepted", bad[i].in);
		if (strcmp(why, bad[i].why))
			fail_msg("'%s': got '%s'", bad[i].in, why);
		assert_string_equal(out, "untouched");
	}
}

static void test_excel_serial(void **state)
{
	char out[11];
	const char *why;

	(void)state;
	assert_int_equal(parse_excel_serial(45292, 1, out, &why), 1);
	assert_string_equal(out, "2024-01-01");
	assert_int_equal(parse_excel_serial(61, 0, out, &why), 1);
	assert_string_equal(out, "1900-03-01");
	assert_int_equal(parse_excel_serial(36526.999, 0, out, &why), 1);
	assert_string_equal(out, "2000-01-01");
	assert_int_equal(parse_excel_serial(109574, 0, out, &why), 1);
	assert_string_equal(out, "2199-12-31");
	assert_int_equal(parse_excel_serial(109575, 0, out, &why), -1);
	assert_string_equal(why, YEAR_WHY);
	assert_int_equal(parse_excel_serial(20000, 0, out, &why), 1);	/* 1954: a date cell may say so */
	assert_int_equal(parse_excel_serial(20000, 1, out, &why), -1);	/* a bare number may not */
	assert_string_equal(why, DATE_WHY);
	assert_int_equal(parse_excel_serial(0.0 / 0.0, 0, out, &why), -1);
	assert_int_equal(parse_excel_serial(-1, 0, out, &why), -1);
	assert_int_equal(parse_excel_serial(1e300, 1, out, &why), -1);
}

static void test_int_accepted(void **state)
{
	static const struct {
		const char *in;
		long long value;
	} ok[] = {
		{ "0", 0 }, { "7", 7 }, { "42", 42 }, { "007", 7 },
		{ "+5", 5 }, { "+0", 0 }, { "-0", 0 },
		{ "1234567", 1234567 },
		{ "1,234", 1234 }, { "12,345", 12345 }, { "123,456", 123456 },
		{ "1,234,567", 1234567 }, { "1,000,000,000", 1000000000 },
		{ "12.0", 12 }, { "12.00", 12 }, { "1,234.0", 1234 }, { "0.0", 0 },
		{ "１２３", 123 }, { "１,２３４", 1234 }, { "４２.０", 42 },
		{ "  99  ", 99 }, { "　100　", 100 },
		{ "1000000000000000", 1000000000000000LL },
		{ "1,000,000,000,000,000", 1000000000000000LL },
		{ "12，345", 12345 }, { "1，234，567", 1234567 },
		{ "1.2万", 12000 }, { "12万", 120000 }, { "1.2345万", 12345 },
		{ "0.5万", 5000 }, { "1.20000万", 12000 }, { "１.２万", 12000 },
		{ "300人", 300 }, { "12个", 12 }, { "1.2万人", 12000 },
		{ "3,400 人", 3400 }, { "1.2 万", 12000 }, { "100000000000万", 1000000000000000LL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		const char *why = "unset";
		long long v = -5;

		if (pint(ok[i].in, &v, &why) != 1)
			fail_msg("'%s' not accepted: %s", ok[i].in, why);
		assert_int_equal(v, ok[i].value);
		assert_null(why);
	}
}

static void test_int_rejected(void **state)
{
	static const struct {
		const char *in, *why;
	} bad[] = {
		{ "12.5", INT_WHY }, { "0.1", INT_WHY }, { "12.", INT_WHY },
		{ ".0", INT_WHY }, { "1.2E+05", INT_WHY }, { "1e3", INT_WHY },
		{ "1,23", INT_WHY }, { "1,2345", INT_WHY }, { "1234,567", INT_WHY },
		{ ",123", INT_WHY }, { "123,", INT_WHY }, { "1,,234", INT_WHY },
		{ "1,234,56", INT_WHY }, { "1 234", INT_WHY }, { "1，23", INT_WHY },
		{ "万", INT_WHY }, { "人", INT_WHY }, { "1.23456万", INT_WHY },
		{ "1.2", INT_WHY }, { "1.2人", INT_WHY }, { "万1", INT_WHY },
		{ "12万万", INT_WHY }, { "12人万", INT_WHY }, { "1.万", INT_WHY },
		{ "abc", INT_WHY }, { "12abc", INT_WHY }, { "+", INT_WHY },
		{ "-", INT_WHY }, { "++1", INT_WHY }, { "+-1", INT_WHY },
		{ "+ 1", INT_WHY }, { "0x10", INT_WHY }, { "一百", INT_WHY },
		{ "-1.5", INT_WHY }, { "1-", INT_WHY },
		{ "-1", "is negative" }, { "-1,234", "is negative" },
		{ "－3", "is negative" }, { "-12.0", "is negative" },
		{ "1000000000000001", "is too large" },
		{ "99999999999999999999999999", "is too large" },
		{ "9,999,999,999,999,999", "is too large" },
		{ "100000000001万", "is too large" }, { "-1万", "is negative" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;
		long long v = -5;

		if (pint(bad[i].in, &v, &why) != -1)
			fail_msg("'%s' accepted", bad[i].in);
		if (strcmp(why, bad[i].why))
			fail_msg("'%s': got '%s'", bad[i].in, why);
		assert_int_equal(v, -5);
	}
}

static void test_text(void **state)
{
	const char *s = "  　政务 服务\t ", *start = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(parse_text(s, strlen(s), &start, &len), 1);
	assert_int_equal(len, strlen("政务 服务"));
	assert_memory_equal(start, "政务 服务", len);
	assert_true(start > s && start < s + strlen(s));

	assert_int_equal(parse_text("abc", 3, &start, &len), 1);
	assert_int_equal(len, 3);
	/* half of an ideographic space is not a space */
	assert_int_equal(parse_text("\xe3\x80", 2, &start, &len), 1);
	assert_int_equal(len, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bool_accepted),
		cmocka_unit_test(test_bool_rejected),
		cmocka_unit_test(test_empty_cells),
		cmocka_unit_test(test_length_not_nul),
		cmocka_unit_test(test_date_accepted),
		cmocka_unit_test(test_date_rejected),
		cmocka_unit_test(test_excel_serial),
		cmocka_unit_test(test_int_accepted),
		cmocka_unit_test(test_int_rejected),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
