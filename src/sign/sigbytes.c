/* sigbytes.c: see sigbytes.h. */
#include "sign/sigbytes.h"

#include <stdlib.h>
#include <string.h>

static int is_space(int c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int sig_scan(const unsigned char *buf, size_t len, long long br[4])
{
	static const char kw[] = "/ByteRange";
	long long best = -1;

	for (size_t i = 0; i + sizeof(kw) <= len; i++) {
		long long v[4];
		size_t j = i + sizeof(kw) - 1;
		int k;

		if (buf[i] != '/' || memcmp(buf + i, kw, sizeof(kw) - 1))
			continue;
		while (j < len && is_space(buf[j]))
			j++;
		if (j >= len || buf[j] != '[')
			continue;
		j++;
		for (k = 0; k < 4; k++) {
			size_t start;

			while (j < len && is_space(buf[j]))
				j++;
			v[k] = 0;
			for (start = j; j < len && buf[j] >= '0' && buf[j] <= '9' && j - start < 12; j++)
				v[k] = v[k] * 10 + (buf[j] - '0');
			if (j == start || (j < len && buf[j] >= '0' && buf[j] <= '9'))
				break;
		}
		while (j < len && is_space(buf[j]))
			j++;
		if (k < 4 || j >= len || buf[j] != ']' || v[2] + v[3] < best)
			continue;
		memcpy(br, v, sizeof(v));
		best = v[2] + v[3];
	}
	return best >= 0;
}

enum sig_gap_status sig_gap(const unsigned char *buf, size_t len, const long long br[4], unsigned char **der,
			    size_t *derlen)
{
	size_t from, to, n;
	unsigned char *out;

	*der = NULL;
	*derlen = 0;
	if (br[1] < 0 || br[2] < br[1] + 2 || (unsigned long long)br[2] > len)
		return SIG_GAP_NOT_STRING;
	from = (size_t)br[1];
	to = (size_t)br[2];
	if (buf[from] != '<' || buf[to - 1] != '>')
		return SIG_GAP_NOT_STRING;
	n = to - from - 2;
	if (n % 2)
		return SIG_GAP_NOT_HEX;
	for (size_t i = from + 1; i < to - 1; i++)
		if (hexval(buf[i]) < 0)
			return SIG_GAP_NOT_HEX;
	if (!(out = malloc(n / 2 + 1)))
		return SIG_GAP_NOMEM;
	for (size_t i = 0; i < n / 2; i++)
		out[i] = (unsigned char)(hexval(buf[from + 1 + 2 * i]) << 4 | hexval(buf[from + 2 + 2 * i]));
	*der = out;
	*derlen = n / 2;
	return SIG_GAP_OK;
}

int sig_zero_tail(const unsigned char *p, size_t from, size_t n)
{
	for (size_t i = from; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}
