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
		W("\xe2\x88\x9a", 1),	/* √ */
		W("\xc3\x97", 0),		/* × */
		W("\xe2\x9c\x93", 1),	/* ✓ */
		W("\xe2\x9c\x97", 0),	/* ✗ */
		W("\xe2\x9c\x94", 1),	/* ✔ */
		W("\xe2\x9c\x98", 0),	/* ✘ */
		W("\xef\xbc\xb9", 1),	/* Ｙ */
		W("\xef\xbc\xae", 0),	/* Ｎ */
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
			       "(是/否, 有/无, √/×, ✓/✗, Y/N, yes/no, true/false, 1/0)"));
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

#define NOT_A_DATE N_("is not a date (such as 2026-03-01, 2026/3/1, 2026.3.1, " \
			  "2026年3月1日, a date cell, or an Excel serial number " \
			  "of a day in 1990-2100)")

static void put_date(char out[11], long long y, long long m, long long d)
{
	int i;

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
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static void civil_from_days(long long z, long long *y, long long *m, long long *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int parse_excel_serial(double serial, int plausible_only, char out[11],
		       const char **why)
{
	long long days, y, m, d;

	/* Whole days; a time of day is dropped.  NaN fails every test. */
	if (!(serial >= 61 && serial < 2958466))	/* 1900-03-01 .. 9999-12-31 */
		return set_why(why, plausible_only ? NOT_A_DATE :
			       N_("is outside the years 1900-2199"));
	if (plausible_only && !(serial >= EXCEL_SERIAL_MIN && serial < EXCEL_SERIAL_MAX + 1))
		return set_why(why, NOT_A_DATE);
	/* Excel's day 1 is 1900-01-01 and it counts a 1900-02-29 that never
	 * was, so from day 61 on, day 25569 is 1970-01-01. */
	days = (long long)serial - 25569;
	civil_from_days(days, &y, &m, &d);
	if (y < 1900 || y > 2199)
		return set_why(why, N_("is outside the years 1900-2199"));
	put_date(out, y, m, d);
	set_why(why, NULL);
	return 1;
}

/* Text that is an Excel serial: digits, perhaps with a fraction (a time). */
static int serial_text(const char *p, const char *end, double *serial)
{
	long long whole, frac;
	int n = read_digits(&p, end, &whole);

	if (n < 1 || n > 6)
		return 0;
	if (p < end && *p == '.') {
		p++;
		if (read_digits(&p, end, &frac) < 1)
			return 0;
	}
	if (p != end)
		return 0;
	*serial = (double)whole;
	return 1;
}

int parse_date(const char *s, size_t len, char out[11], const char **why)
{
	const char *p, *end, *after_date;
	long long y, m, d;
	double serial;

	trim(&s, &len);
	if (!len)
		return set_why(why, NULL);
	p = s;
	end = s + len;

	if (serial_text(p, end, &serial))
		return parse_excel_serial(serial, 1, out, why);
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

	put_date(out, y, m, d);
	set_why(why, NULL);
	return 1;

not_a_date:
	return set_why(why, NOT_A_DATE);
}

/* s[0..*len) ends with the 3-byte character c (after blanks): drops both. */
static int strip_suffix(const char *s, size_t *len, const char *c)
{
	const char *end = s + *len;

	if (end - s < 3 || memcmp(end - 3, c, 3))
		return 0;
	end -= 3;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	while (ideo_space_before(s, end))
		end -= 3;
	*len = (size_t)(end - s);
	return 1;
}

/* A thousands separator at p: ',' or the fullwidth '，' (EF BC 8C). */
static int comma_at(const char *p, const char *end)
{
	if (p < end && *p == ',')
		return 1;
	if (end - p >= 3 && !memcmp(p, "\xef\xbc\x8c", 3))
		return 3;
	return 0;
}

#define NOT_WHOLE N_("is not a whole number (such as 12345, 12,345, 1.2万 or 300人)")

int parse_int(const char *s, size_t len, long long *out, const char **why)
{
	const char *p, *end;
	long long val = 0, group, scale = 1, fracval = 0, fracdiv = 1;
	int negative = 0, ngroups = 0, first_len = 0, n, step, d;

	trim(&s, &len);
	if (!len)
		return set_why(why, NULL);
	/* 300人, 12个, 1.2万, 1.2万人 */
	if (!strip_suffix(s, &len, "\xe4\xba\xba"))		/* 人 */
		strip_suffix(s, &len, "\xe4\xb8\xaa");		/* 个 */
	if (strip_suffix(s, &len, "\xe4\xb8\x87"))		/* 万 */
		scale = 10000;
	if (!len)
		goto not_whole;
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
		if ((step = comma_at(p, end)) > 0) {
			p += step;
			continue;
		}
		break;
	}
	if (ngroups > 1 && first_len > 3)
		goto not_whole;

	/*
	 * A fraction: "12.0" and "12.00" are whole, as Excel writes numbers;
	 * with 万 it counts ten-thousands, so 1.2万 is 12000 and 1.23456万 is
	 * not a whole number.
	 */
	if (p < end && (*p == '.' || (end - p >= 3 && !memcmp(p, "\xef\xbc\x8e", 3)))) {
		int any = 0;

		p += *p == '.' ? 1 : 3;
		while ((step = digit_at(p, end, &d)) > 0) {
			p += step;
			any = 1;
			if (fracdiv < scale) {
				fracval = fracval * 10 + d;
				fracdiv *= 10;
			} else if (d) {
				goto not_whole;
			}
		}
		if (!any)
			goto not_whole;
	}
	if (p != end)
		goto not_whole;

	if (val <= MAX_INT) {
		val = val * scale + fracval * (scale / fracdiv);
		if (val > MAX_INT)
			val = MAX_INT + 1;
	}
	if (negative && val != 0)
		return set_why(why, N_("is negative"));
	if (val > MAX_INT)
		return set_why(why, N_("is too large"));
	*out = val;
	set_why(why, NULL);
	return 1;

not_whole:
	return set_why(why, NOT_WHOLE);
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
