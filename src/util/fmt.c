#include "util/fmt.h"

#include <stdio.h>

const char *fmt_score(double score, char buf[FMT_SCORE_SIZE])
{
	if (score < 0)
		return "—";
	snprintf(buf, FMT_SCORE_SIZE, "%.1f", score);
	return buf;
}

const char *fmt_count(long long n, char buf[FMT_COUNT_SIZE])
{
	/* The magnitude in unsigned arithmetic: -LLONG_MIN does not fit in a
	 * long long, 0 - (unsigned long long)LLONG_MIN is exact. */
	unsigned long long u = n < 0 ? 0ull - (unsigned long long)n : (unsigned long long)n;
	char digits[24];
	int len, o = 0;

	len = snprintf(digits, sizeof(digits), "%llu", u);
	if (n < 0)
		buf[o++] = '-';
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}
