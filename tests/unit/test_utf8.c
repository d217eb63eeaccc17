/* Unit tests for util/utf8: validation, decoding and display width. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/utf8.h"

/*
 * A reference validator written the slow, obvious way: decode, then reject
 * overlongs, surrogates and code points above U+10FFFF.  utf8_valid must
 * agree with it on every short sequence.
 */
static int ref_valid(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i], cp, min;
		size_t n, k;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 2, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			n = 3, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			n = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if (i + n > len)
			return 0;
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n;
	}
	return 1;
}

static void test_valid_examples(void **state)
{
	size_t bad = 12345;

	(void)state;
	assert_int_equal(utf8_valid("", 0, &bad), 1);
	assert_int_equal(utf8_valid("plain ascii text, long enough", 29, &bad), 1);
	assert_int_equal(utf8_valid("政务服务App（小程序）", strlen("政务服务App（小程序）"), &bad), 1);
	assert_int_equal(utf8_valid("\xf0\x9f\x98\x80", 4, NULL), 1);	/* U+1F600 */
	assert_int_equal(utf8_valid("\xf4\x8f\xbf\xbf", 4, NULL), 1);	/* U+10FFFF */
	assert_int_equal(utf8_valid("a\0b", 3, NULL), 1);	/* NUL is U+0000 */

	/* overlongs */
	assert_int_equal(utf8_valid("ab\xc0\x80", 4, &bad), 0);
	assert_int_equal(bad, 2);
	assert_int_equal(utf8_valid("\xc1\xbf", 2, &bad), 0);
	assert_int_equal(bad, 0);
	assert_int_equal(utf8_valid("x\xe0\x80\x80", 4, &bad), 0);
	assert_int_equal(bad, 1);
	assert_int_equal(utf8_valid("\xf0\x80\x80\x80", 4, &bad), 0);
	assert_int_equal(bad, 0);
	/* surrogates */
	assert_int_equal(utf8_valid("中\xed\xa0\x80", 6, &bad), 0);
	assert_int_equal(bad, 3);
	assert_int_equal(utf8_valid("\xed\xbf\xbf", 3, &bad), 0);
	/* above U+10FFFF */
	assert_int_equal(utf8_valid("\xf4\x90\x80\x80", 4, &bad), 0);
	assert_int_equal(utf8_valid("\xf5\x80\x80\x80", 4, &bad), 0);
	/* stray continuation, bad bytes, truncation */
	assert_int_equal(utf8_valid("abc\x80", 4, &bad), 0);
	assert_int_equal(bad, 3);
	assert_int_equal(utf8_valid("\xff", 1, &bad), 0);
	assert_int_equal(utf8_valid("0123456789abcdef\xe4\xb8", 18, &bad), 0);
	assert_int_equal(bad, 16);
	assert_int_equal(utf8_valid("\xe4\xb8\x41", 3, &bad), 0);
	assert_int_equal(bad, 0);
	/* the error after a long valid stretch (the DFA's blocks) */
	assert_int_equal(utf8_valid("中文中文中文中文中文中文\xff中文", 43, &bad), 0);
	assert_int_equal(bad, 36);
}

static void test_valid_exhaustive(void **state)
{
	unsigned char buf[4];
	unsigned a, b, c;
	size_t bad;

	(void)state;
	for (a = 0; a < 256; a++) {
		buf[0] = (unsigned char)a;
		assert_int_equal(utf8_valid((char *)buf, 1, &bad), ref_valid(buf, 1));
		for (b = 0; b < 256; b++) {
			buf[1] = (unsigned char)b;
			assert_int_equal(utf8_valid((char *)buf, 2, &bad),
					 ref_valid(buf, 2));
		}
	}
	/* every three-byte sequence with a lead byte that needs two more */
	for (a = 0xe0; a < 0xf0; a++) {
		for (b = 0; b < 256; b++) {
			for (c = 0; c < 256; c++) {
				buf[0] = (unsigned char)a;
				buf[1] = (unsigned char)b;
				buf[2] = (unsigned char)c;
				if (utf8_valid((char *)buf, 3, NULL) != ref_valid(buf, 3))
					fail_msg("%02x %02x %02x", a, b, c);
			}
		}
	}
	/* four-byte leads with every second byte */
	for (a = 0xf0; a < 0x100; a++) {
		for (b = 0; b < 256; b++) {
			buf[0] = (unsigned char)a;
			buf[1] = (unsigned char)b;
			buf[2] = 0x80;
			buf[3] = 0xbf;
			if (utf8_valid((char *)buf, 4, NULL) != ref_valid(buf, 4))
				fail_msg("%02x %02x 80 bf", a, b);
		}
	}
}

static void test_decode(void **state)
{
	unsigned cp = 0;

	(void)state;
	assert_int_equal(utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(utf8_decode("中文", 6, &cp), 3);
	assert_int_equal(cp, 0x4e2d);
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	cp = 7;
	assert_int_equal(utf8_decode("", 0, &cp), -1);
	assert_int_equal(utf8_decode("\xe4\xb8", 2, &cp), -1);	/* truncated */
	assert_int_equal(utf8_decode("\xc0\x80", 2, &cp), -1);
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), -1);
	assert_int_equal(utf8_decode("\x80", 1, &cp), -1);
	assert_int_equal(cp, 7);
}

static void test_cp_width(void **state)
{
	(void)state;
	assert_int_equal(utf8_cp_width('a'), 1);
	assert_int_equal(utf8_cp_width(' '), 1);
	assert_int_equal(utf8_cp_width(0xe9), 1);	/* é */
	assert_int_equal(utf8_cp_width(0x4e2d), 2);	/* 中 */
	assert_int_equal(utf8_cp_width(0x9fa5), 2);
	assert_int_equal(utf8_cp_width(0x3400), 2);	/* CJK ext A */
	assert_int_equal(utf8_cp_width(0x20000), 2);	/* CJK ext B */
	assert_int_equal(utf8_cp_width(0xac00), 2);	/* 가 */
	assert_int_equal(utf8_cp_width(0x3042), 2);	/* あ */
	assert_int_equal(utf8_cp_width(0x3000), 2);	/* ideographic space */
	assert_int_equal(utf8_cp_width(0x3001), 2);	/* 、 */
	assert_int_equal(utf8_cp_width(0x3002), 2);	/* 。 */
	assert_int_equal(utf8_cp_width(0x300a), 2);	/* 《 */
	assert_int_equal(utf8_cp_width(0xff08), 2);	/* （ */
	assert_int_equal(utf8_cp_width(0xff10), 2);	/* ０ */
	assert_int_equal(utf8_cp_width(0xff0c), 2);	/* ， */
	assert_int_equal(utf8_cp_width(0xffe5), 2);	/* ￥ */
	assert_int_equal(utf8_cp_width(0xff61), 1);	/* halfwidth 。 */
	assert_int_equal(utf8_cp_width(0x1f600), 2);	/* 😀 */
	assert_int_equal(utf8_cp_width(0x1f44d), 2);	/* 👍 */
	assert_int_equal(utf8_cp_width(0x2705), 2);	/* ✅ */
	assert_int_equal(utf8_cp_width(0x0301), 0);	/* combining acute */
	assert_int_equal(utf8_cp_width(0x302a), 0);	/* ideographic tone mark */
	assert_int_equal(utf8_cp_width(0x3099), 0);	/* combining kana voicing */
	assert_int_equal(utf8_cp_width(0x200b), 0);	/* zero-width space */
	assert_int_equal(utf8_cp_width(0x200d), 0);	/* zero-width joiner */
	assert_int_equal(utf8_cp_width(0xfeff), 0);	/* BOM */
	assert_int_equal(utf8_cp_width(0xfe0f), 0);	/* variation selector */
	assert_int_equal(utf8_cp_width(0x1160), 0);	/* Hangul medial vowel */
	assert_int_equal(utf8_cp_width(0x00ad), 1);	/* soft hyphen */
	assert_int_equal(utf8_cp_width(0x0a), 0);
	assert_int_equal(utf8_cp_width(0x7f), 0);
	assert_int_equal(utf8_cp_width(0x85), 0);
	assert_int_equal(utf8_cp_width(0x110000), 1);
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(utf8_width(""), 0);
	assert_int_equal(utf8_width("abc"), 3);
	assert_int_equal(utf8_width("中文"), 4);
	assert_int_equal(utf8_width("政务App"), 7);
	assert_int_equal(utf8_width("编号：A-001（测试）"), 19);
	assert_int_equal(utf8_width("e\xcc\x81"), 1);	/* e + combining acute */
	assert_int_equal(utf8_width("　全角"), 6);
	assert_int_equal(utf8_width("ok👍"), 4);
	assert_int_equal(utf8_width("\xff\xfe"), 2);	/* invalid bytes: 1 each */
	assert_int_equal(utf8_width("a\xe4\xb8"), 3);	/* truncated at the end */
}

static void test_prefix_by_width(void **state)
{
	const char *s = "中文abc";

	(void)state;
	assert_int_equal(utf8_prefix_by_width(s, 0), 0);
	assert_int_equal(utf8_prefix_by_width(s, 1), 0);	/* 中 does not fit */
	assert_int_equal(utf8_prefix_by_width(s, 2), 3);
	assert_int_equal(utf8_prefix_by_width(s, 3), 3);
	assert_int_equal(utf8_prefix_by_width(s, 4), 6);
	assert_int_equal(utf8_prefix_by_width(s, 5), 7);
	assert_int_equal(utf8_prefix_by_width(s, 7), 9);
	assert_int_equal(utf8_prefix_by_width(s, 100), 9);
	assert_int_equal(utf8_prefix_by_width("a中", 2), 1);
	assert_int_equal(utf8_prefix_by_width("a中", 3), 4);
	/* a combining mark stays with its base */
	assert_int_equal(utf8_prefix_by_width("e\xcc\x81x", 1), 3);
	assert_int_equal(utf8_prefix_by_width("", 5), 0);
}

/* For every width, the prefix is whole characters, fits, and is longest. */
static void test_prefix_never_splits(void **state)
{
	const char *s = "政务服务 App（小程序）、主办单位：某某市大数据局👍e\xcc\x81!";
	size_t len = strlen(s), max, n;

	(void)state;
	for (max = 0; max <= utf8_width(s) + 1; max++) {
		char buf[256];
		unsigned cp;
		int k;

		n = utf8_prefix_by_width(s, max);
		assert_true(n <= len);
		assert_int_equal(utf8_valid(s, n, NULL), 1);
		memcpy(buf, s, n);
		buf[n] = '\0';
		assert_true(utf8_width(buf) <= max);
		if (n < len) {
			k = utf8_decode(s + n, len - n, &cp);
			assert_true(k > 0);
			assert_true(utf8_width(buf) + (size_t)utf8_cp_width(cp) > max);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_examples),
		cmocka_unit_test(test_valid_exhaustive),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_cp_width),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_prefix_by_width),
		cmocka_unit_test(test_prefix_never_splits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
