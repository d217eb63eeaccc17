#include "util/strbuf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int sb_add(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->len + n + 1 > sb->cap) {
		size_t c = sb->cap ? sb->cap : 256;
		char *p;

		while (c < sb->len + n + 1)
			c *= 2;
		p = realloc(sb->p, c);
		if (!p)
			return -1;
		sb->p = p;
		sb->cap = c;
	}
	memcpy(sb->p + sb->len, s, n);
	sb->len += n;
	sb->p[sb->len] = '\0';
	return 0;
}

int sb_adds(struct strbuf *sb, const char *s)
{
	return sb_add(sb, s, strlen(s));
}

int sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	char small[256], *big = NULL;
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(small))
		return sb_add(sb, small, (size_t)n);
	big = malloc((size_t)n + 1);
	if (!big)
		return -1;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = sb_add(sb, big, (size_t)n);
	free(big);
	return rc;
}

int sb_json(struct strbuf *sb, const char *s, size_t n)
{
	size_t start = sb->len;

	if (sb_add(sb, "\"", 1) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];
		int rc;

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			rc = sb_add(sb, esc, 2);
		} else if (c < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			rc = sb_add(sb, esc, 6);
		} else {
			rc = sb_add(sb, (const char *)&s[i], 1);
		}
		if (rc < 0) {
			sb->len = start;
			return -1;
		}
	}
	return sb_add(sb, "\"", 1);
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->p)
		sb->p[0] = '\0';
}

void sb_release(struct strbuf *sb)
{
	free(sb->p);
	sb->p = NULL;
	sb->len = sb->cap = 0;
}

void csvout_field(FILE *f, const char *s, size_t n, int last, int neutralize)
{
	int risky = neutralize && n > 0 && strchr("=+-@\t\r", s[0]);

	if (risky || memchr(s, ',', n) || memchr(s, '"', n) || memchr(s, '\n', n) || memchr(s, '\r', n)) {
		fputc('"', f);
		if (risky)
			fputc('\'', f);
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '"')
				fputc('"', f);
			fputc(s[i], f);
		}
		fputc('"', f);
	} else {
		fwrite(s, 1, n, f);
	}
	fputs(last ? "\r\n" : ",", f);
}
