#include "util/parse.h"

#include <string.h>

#include "util/i18n.h"

#define MAX_INT 1000000000000000LL	/* 10^15: above any real user count */

/* U+3000 IDEOGRAPHIC SPACE, what a Chinese input method types for a space. */
#define IDEO_SPACE "\xe3\x80\x80"

static int is_ascii_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int ideo_space_at(const char *p, const char *end)
{
	return end - p >= 3 && !memcmp(p, IDEO_SPACE, 3);
}

static int ideo_space_before(const char *begin, const char *end)
{
	return end - begin >= 3 && !memcmp(end - 3, IDEO_SPACE, 3);
}

static void trim(const char **s, size_t *len)
{
	const char *p = *s, *end = *s + *len;

	for (;;) {
		if (p < end && is_ascii_space((unsigned char)*p))
			p++;
		else if (ideo_space_at(p, end))
			p += 3;
		else
			break;
	}
	for (;;) {
		if (end > p && is_ascii_space((unsigned char)end[-1]))
			end--;
		else if (ideo_space_before(p, end))
			end -= 3;
		else
			break;
	}
	*s = p;
	*len = (size_t)(end - p);
}

static int set_why(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return reason ? -1 : 0;
}

/* Skips spaces inside a value (between 2026 and 年, say); never newlines. */
static const char *skip_blanks(const char *p, const char *end)
{
	for (;;) {
		if (p < end && (*p == ' ' || *p == '\t'))
			p++;
		else if (ideo_space_at(p, end))
			p += 3;
		else
			return p;
	}
}

/*
 * One digit at p, ASCII or fullwidth (U+FF10..U+FF19 = EF BC 90..99): its
 * value in *d and its length in bytes, or 0 if p is not at a digit.
 */
static int digit_at(const char *p, const char *end, int *d)
{
	const unsigned char *u = (const unsigned char *)p;

	if (p < end && *u >= '0' && *u <= '9') {
		*d = *u - '0';
		return 1;
	}
	if (end - p >= 3 && u[0] == 0xef && u[1] == 0xbc &&
	    u[2] >= 0x90 && u[2] <= 0x99) {
		*d = u[2] - 0x90;
		return 3;
	}
	return 0;
}

/*
 * Reads a run of digits at *pp.  Returns how many there were; *val gets
 * their value, saturated just above MAX_INT so a long run cannot overflow.
 */
static int read_digits(const char **pp, const char *end, long long *val)
{
	const char *p = *pp;
	long long v = 0;
	int n = 0, d, step;

	while ((step = digit_at(p, end, &d)) > 0) {
		if (v <= MAX_INT)
			v = v * 10 + d;
		p += step;
		n++;
	}
	*pp = p;
	*val = v;
	return n;
}

/* word_len is the word's length: a boolean column is parsed once per row
 * per column, so a million-row import would otherwise spend its time in
 * strlen over the word table. */
static int eq_ascii_nocase(const char *s, size_t len, const char *word, size_t word_len)
{
	size_t i;

	if (word_len != len)
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != word[i])
			return 0;
	}
	return 1;
}

int parse_bool(const char *s, size_t len, int *out, const char **why)
{
#define W(s, v) { s, sizeof(s) - 1, v }
	static const struct {
		const char *word;
		size_t len;
		int value;
	} words[] = {
		W("\xe6\x98\xaf", 1),	/* 是 */
		W("\xe5\x90\xa6", 0),	/* 否 */
		W("1", 1), W("0", 0),
		W("y", 1), W("n", 0),
		W("\xe6\x9c\x89", 1),	/* 有 */
		W("\xe6\x97\xa0", 0),	/* 无 */
		W("yes", 1), W("no", 0),
		W("true", 1), W("false", 0),
	};
#undef W
	size_t i;

	trim(&s, &len);
	if (!len)
		return set_why(why, NULL);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (eq_ascii_nocase(s, len, words[i].word, words[i].len)) {
			*out = words[i].value;
			set_why(why, NULL);
			return 1;
		}
	}
	return set_why(why, N_("is not a yes/no value "
			       "(是/否, Y/N, yes/no, true/false, 1/0)"));
}

static int is_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(long long y, long long m)
{
	static const int days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Exactly one of the characters 年, 月, 日 (all three bytes long). */
static int expect_word(const char **pp, const char *end, const char *word)
{
	const char *p = skip_blanks(*pp, end);

	if (end - p < 3 || memcmp(p, word, 3))
		return 0;
	*pp = skip_blanks(p + 3, end);
	return 1;
}

/*
 * The time a spreadsheet may append to a date: H:MM, H:MM:SS or
 * H:MM:SS.fff, starting at p and running to end.  Checked so that garbage
 * after a date is not silently accepted, then thrown away.
 */
static int valid_time(const char *p, const char *end)
{
	long long h, m, sec;
	int nh = read_digits(&p, end, &h);

	if (nh < 1 || nh > 2 || p >= end || *p++ != ':')
		return 0;
	if (read_digits(&p, end, &m) != 2)
		return 0;
	if (p < end && *p == ':') {
		p++;
		if (read_digits(&p, end, &sec) != 2 || sec > 59)
			return 0;
		if (p < end && *p == '.') {
			long long frac;

			p++;
			if (read_digits(&p, end, &frac) < 1)
				return 0;
		}
	}
	return p == end && h <= 23 && m <= 59;
}

int parse_date(const char *s, size_t len, char out[11], const char **why)
{
	const char *p, *end, *after_date;
	long long y, m, d;
	int i;

	trim(&s, &len);
	if (!len)
		return set_why(why, NULL);
	p = s;
	end = s + len;

	if (read_digits(&p, end, &y) != 4)
		goto not_a_date;
	if (p < end && (*p == '-' || *p == '/' || *p == '.')) {
		char sep = *p++;
		int nm, nd;

		nm = read_digits(&p, end, &m);
		if (nm < 1 || nm > 2 || p >= end || *p++ != sep)
			goto not_a_date;
		nd = read_digits(&p, end, &d);
		if (nd < 1 || nd > 2)
			goto not_a_date;
		after_date = p;
		/* A time must be set off from the date. */
		if (p < end && *p != ' ' && *p != '\t' && *p != 'T' &&
		    !ideo_space_at(p, end))
			goto not_a_date;
	} else {
		int nm, nd;

		if (!expect_word(&p, end, "\xe5\xb9\xb4"))	/* 年 */
			goto not_a_date;
		nm = read_digits(&p, end, &m);
		if (nm < 1 || nm > 2 ||
		    !expect_word(&p, end, "\xe6\x9c\x88"))	/* 月 */
			goto not_a_date;
		nd = read_digits(&p, end, &d);
		if (nd < 1 || nd > 2 ||
		    !expect_word(&p, end, "\xe6\x97\xa5"))	/* 日 */
			goto not_a_date;
		after_date = p;
	}
	if (after_date < end) {
		p = after_date;
		if (*p == 'T')
			p++;
		else
			p = skip_blanks(p, end);
		if (!valid_time(p, end))
			goto not_a_date;
	}

	if (y < 1900 || y > 2199)
		return set_why(why, N_("is outside the years 1900-2199"));
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return set_why(why, N_("is not a real calendar date"));

	/* By hand, so the compiler need not prove snprintf cannot truncate. */
	for (i = 3; i >= 0; i--, y /= 10)
		out[i] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	set_why(why, NULL);
	return 1;

not_a_date:
	return set_why(why, N_("is not a date "
			       "(use 2026-03-01, 2026/3/1 or 2026年3月1日)"));
}

int parse_int(const char *s, size_t len, long long *out, const char **why)
{
	const char *p, *end;
	long long val = 0, group;
	int negative = 0, ngroups = 0, first_len = 0, n;

	trim(&s, &len);
	if (!len)
		return set_why(why, NULL);
	p = s;
	end = s + len;

	if (*p == '+') {
		p++;
	} else if (*p == '-') {
		negative = 1;
		p++;
	} else if (end - p >= 3 && !memcmp(p, "\xef\xbc\x8d", 3)) {
		negative = 1;	/* fullwidth hyphen-minus */
		p += 3;
	}

	/* Digits in groups: "1234", or "1,234,567" with exact groups of 3. */
	for (;;) {
		n = read_digits(&p, end, &group);
		if (n == 0)
			goto not_whole;
		if (ngroups == 0)
			first_len = n;
		else if (n != 3)
			goto not_whole;
		ngroups++;
		/* group < 1000 unless first; saturate as read_digits does. */
		val = val > MAX_INT ? val : val * (ngroups == 1 ? 1 : 1000) + group;
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		break;
	}
	if (ngroups > 1 && first_len > 3)
		goto not_whole;

	/* "12.0" and "12.00" are whole: Excel writes numbers that way. */
	if (p < end && *p == '.') {
		long long frac;

		p++;
		if (read_digits(&p, end, &frac) < 1 || frac != 0)
			goto not_whole;
	}
	if (p != end)
		goto not_whole;

	if (negative && val != 0)
		return set_why(why, N_("is negative"));
	if (val > MAX_INT)
		return set_why(why, N_("is too large"));
	*out = val;
	set_why(why, NULL);
	return 1;

not_whole:
	return set_why(why, N_("is not a whole number"));
}

int parse_text(const char *s, size_t len, const char **start, size_t *tlen)
{
	trim(&s, &len);
	if (!len)
		return 0;
	*start = s;
	*tlen = len;
	return 1;
}
