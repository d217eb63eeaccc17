/* Unit tests: report/wrap.h, Chinese line breaking by measured width. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report/wrap.h"
#include "util/utf8.h"

/* A monospaced "font": wide characters 2 units, others 1. */
static double width_of(void *ctx, unsigned cp)
{
	(void)ctx;
	return utf8_cp_width(cp) == 2 ? 2 : 1;
}

/* The lines of s at width w as "line|line|…" (caller frees). */
static char *lay_opts(const char *s, double w, double first, int whole)
{
	struct wrap_lines l = { 0 };
	struct wrap_opts o = { w, first, whole };
	size_t cap = strlen(s) * 2 + 64, n = 0;
	char *out = malloc(cap);

	assert_non_null(out);
	assert_int_equal(rwrap_text(s, strlen(s), &o, width_of, NULL, &l), 0);
	out[0] = '\0';
	for (size_t i = 0; i < l.n; i++)
		n += (size_t)snprintf(out + n, cap - n, "%s%.*s", i ? "|" : "", (int)l.v[i].len, s + l.v[i].off);
	rwrap_release(&l);
	return out;
}

static char *lay(const char *s, double w, double first)
{
	return lay_opts(s, w, first, 0);
}

#define LAYW(s, w, want) do { char *got_ = lay_opts((s), (w), 0, 1); assert_string_equal(got_, (want)); free(got_); } while (0)
#define LAYS(s, w, want) do { char *got_ = lay((s), (w), 0); assert_string_equal(got_, (want)); free(got_); } while (0)

static void cjk_breaks_anywhere(void **state)
{
	(void)state;
	LAYS("一二三四五六七八九十", 8, "一二三四|五六七八|九十");
	LAYS("一二三四", 8, "一二三四");
	LAYS("", 8, "");
}

static void closing_punctuation_never_starts_a_line(void **state)
{
	(void)state;
	/* 四 goes down with the comma rather than leave ， first. */
	LAYS("一二三四，五六", 8, "一二三|四，五六");
	LAYS("一二三四。」五", 8, "一二三|四。」五");
	LAYS("一二三四。」", 8, "一二三|四。」");
	LAYS("一二三四）五六", 8, "一二三|四）五六");
}

static void opening_punctuation_never_ends_a_line(void **state)
{
	(void)state;
	LAYS("一二三《四五》六", 8, "一二三|《四五》|六");
	LAYS("一二三“四”五", 8, "一二三|“四”五");
}

static void dashes_and_ellipses_stay_whole(void **state)
{
	(void)state;
	/* The line is full after the first dash: the pair moves down whole. */
	LAYS("一二三a——四", 8, "一二三a|——四");
	LAYS("一二三a……四", 8, "一二三a|……四");
}

static void latin_words_stay_whole(void **state)
{
	(void)state;
	LAYS("abc defgh ij", 6, "abc|defgh|ij");
	LAYS("见APP-0000001整改", 12, "见|APP-0000001|整改");
	/* Paths and fingerprints break after their separators. */
	LAYS("6A:FE:40:94", 6, "6A:FE:|40:94");
	LAYS("a/bc/de", 5, "a/bc/|de");
	/* A word wider than a line is cut between characters. */
	LAYS("abcdefghij", 4, "abcd|efgh|ij");
}

static void names_break_between_names(void **state)
{
	(void)state;
	LAYW("青禾县教育局；青禾县卫健局", 16, "青禾县教育局；|青禾县卫健局");
	LAYW("甲 乙丙丁", 6, "甲|乙丙丁");
	/* A name wider than the line breaks as text would: ” never starts a
	 * line, “ never ends one. */
	LAYW("专项整治“工作群组”", 16, "专项整治“工作群|组”");
	LAYW("专项整治“工作群”", 15, "专项整治“工作|群”");
	LAYW("一二三四五六七八九十", 8, "一二三四|五六七八|九十");
}

static double min_width(const char *s, int whole)
{
	return rwrap_min_width(s, strlen(s), whole, width_of, NULL);
}

static void the_widest_piece_is_measured(void **state)
{
	(void)state;
	assert_true(min_width("", 0) == 0);
	assert_true(min_width("一二三", 0) == 2);
	/* 禁则 holds “四”， together (the quotes are narrow here). */
	assert_true(min_width("一“四”，", 0) == 6);
	/* A number keeps the character after it. */
	assert_true(min_width("APP-0000001整改", 0) == 13);
	assert_true(min_width("45.8分", 0) == 6);
	/* Breaks after 年 and 月 as Word does: "2026年" is the widest. */
	assert_true(min_width("2026年12月3日", 0) == 6);
	/* Names: between list punctuation, spaces and lines. */
	assert_true(min_width("青禾县教育局；青禾县卫健局", 1) == 14);
	assert_true(min_width("违规问题数", 1) == 10);
	assert_true(min_width("逾期\n整改数", 1) == 6);
	assert_true(min_width("ab   cde", 1) == 3);
}

static void spaces_at_a_break_are_dropped(void **state)
{
	(void)state;
	LAYS("ab   cd", 3, "ab|cd");
	LAYS("一二 三四", 4, "一二|三四");
}

static void newlines_end_paragraphs(void **state)
{
	struct wrap_lines l = { 0 };
	struct wrap_opts o = { 8, 0, 0 };
	const char *s = "一\n\n二三四五六";

	(void)state;
	LAYS(s, 8, "一||二三四五|六");
	assert_int_equal(rwrap_text(s, strlen(s), &o, width_of, NULL, &l), 0);
	assert_int_equal(l.n, 4);
	assert_true(l.v[0].para_start && l.v[1].para_start && l.v[2].para_start && !l.v[3].para_start);
	assert_true(l.v[2].width == 8);
	rwrap_release(&l);
}

static void first_line_has_its_own_width(void **state)
{
	char *got;

	(void)state;
	got = lay("一二三四五六七八", 8, 4);
	assert_string_equal(got, "一二|三四五六|七八");
	free(got);
}

static void a_line_always_takes_a_character(void **state)
{
	(void)state;
	/* Narrower than one character: one per line, never an endless loop. */
	LAYS("一二三", 1, "一|二|三");
}

/* Random mixtures: lines are valid UTF-8, in order, within the width
 * (or a single character), and together hold every non-space character. */
static void random_text_never_splits_a_character(void **state)
{
	static const char *const parts[] = {
		"一", "二", "，", "。", "《", "》", "（", "）", "a", "b", "1", " ", "—", "…", "“", "”", "é", "😀",
		"APP-", "\n",
	};
	unsigned seed = 12345;

	(void)state;
	for (int round = 0; round < 2000; round++) {
		char s[512] = "";
		size_t n = 0;
		struct wrap_lines l = { 0 };
		double w;
		struct wrap_opts o;
		char kept[512] = "", all[512] = "";
		size_t nk = 0, na = 0;

		for (int k = 0; k < 40; k++) {
			const char *p;

			seed = seed * 1103515245u + 12345u;
			p = parts[(seed >> 16) % (sizeof(parts) / sizeof(parts[0]))];
			if (n + strlen(p) >= sizeof(s))
				break;
			memcpy(s + n, p, strlen(p));
			n += strlen(p);
		}
		s[n] = '\0';
		seed = seed * 1103515245u + 12345u;
		w = 1 + (seed >> 16) % 12;
		o.width = w;
		o.first_width = 0;
		assert_int_equal(rwrap_text(s, n, &o, width_of, NULL, &l), 0);
		for (size_t i = 0; i < l.n; i++) {
			const struct wrap_line *ln = &l.v[i];
			unsigned cp;
			int first = utf8_decode(s + ln->off, ln->len, &cp);

			assert_true(ln->off + ln->len <= n);
			assert_true(utf8_valid(s + ln->off, ln->len, NULL));
			assert_true(ln->width <= w || (first > 0 && (size_t)first == ln->len));
			for (size_t k = 0; k < ln->len; k++)
				if (s[ln->off + k] != ' ')
					kept[nk++] = s[ln->off + k];
		}
		for (size_t i = 0; i < n; i++)
			if (s[i] != ' ' && s[i] != '\n')
				all[na++] = s[i];
		kept[nk] = '\0';
		all[na] = '\0';
		assert_string_equal(kept, all);
		rwrap_release(&l);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cjk_breaks_anywhere),
		cmocka_unit_test(closing_punctuation_never_starts_a_line),
		cmocka_unit_test(opening_punctuation_never_ends_a_line),
		cmocka_unit_test(dashes_and_ellipses_stay_whole),
		cmocka_unit_test(latin_words_stay_whole),
		cmocka_unit_test(names_break_between_names),
		cmocka_unit_test(the_widest_piece_is_measured),
		cmocka_unit_test(spaces_at_a_break_are_dropped),
		cmocka_unit_test(newlines_end_paragraphs),
		cmocka_unit_test(first_line_has_its_own_width),
		cmocka_unit_test(a_line_always_takes_a_character),
		cmocka_unit_test(random_text_never_splits_a_character),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
