#define _GNU_SOURCE	/* strptime, timegm */

#include "util/when.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int when_is_date(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, n = 0;

	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	return !(m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400)));
}

int when_today(char out[WHEN_DATE_SIZE])
{
	const char *pin = getenv("ZHIJIAN_TODAY");
	time_t t = time(NULL);
	struct tm tm;

	if (pin && *pin && when_is_date(pin)) {
		memcpy(out, pin, WHEN_DATE_SIZE);
		return 1;
	}
	localtime_r(&t, &tm);
	strftime(out, WHEN_DATE_SIZE, "%Y-%m-%d", &tm);
	return pin && *pin ? -1 : 0;
}

const char *when_local(const char *utc, int seconds, char buf[WHEN_TIME_SIZE])
{
	struct tm tm = { 0 };
	const char *end;
	time_t t;

	if (!utc) {
		buf[0] = 0;
		return buf;
	}
	end = strptime(utc, "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* A signature's time as the verifier writes it ("2026-12-03 06:13:50
	 * UTC") is UTC too. */
	if (!end || *end) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(utc, "%Y-%m-%d %H:%M:%S UTC", &tm);
	}
	if (!end || *end) {
		snprintf(buf, WHEN_TIME_SIZE, "%s", utc);
		return buf;
	}
	t = timegm(&tm);
	if (!localtime_r(&t, &tm) ||
	    !strftime(buf, WHEN_TIME_SIZE, seconds ? "%Y-%m-%d %H:%M:%S %z" : "%Y-%m-%d %H:%M %z", &tm))
		snprintf(buf, WHEN_TIME_SIZE, "%s", utc);
	return buf;
}
