#define _GNU_SOURCE
#include "util/safeout.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/utf8.h"

struct sink {
	int fd;
	unsigned char held[4];	/* an incomplete UTF-8 sequence, or a '\r' */
	size_t nheld;
};

static int put(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* How long the UTF-8 sequence starting with lead byte c is, or 1. */
static size_t seq_len(unsigned char c)
{
	return c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 1;
}

static ssize_t sink_write(void *cookie, const char *buf, size_t size)
{
	struct sink *s = cookie;
	char out[4096 + 8];
	size_t o = 0, i = 0;

	while (i < size || s->nheld) {
		unsigned char c;
		size_t want;
		unsigned cp;

		if (!s->nheld && i < size)
			s->held[s->nheld++] = (unsigned char)buf[i++];
		c = s->held[0];
		if (c == '\r') {
			/* Kept only in front of a line feed. */
			if (i == size)
				break;
			if (buf[i] == '\n') {
				out[o++] = '\r';
				out[o++] = '\n';
				i++;
			} else {
				out[o++] = '?';
			}
			s->nheld = 0;
		} else if (c < 0x80) {
			out[o++] = c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f) ? (char)c : '?';
			s->nheld = 0;
		} else {
			want = seq_len(c);
			while (s->nheld < want && i < size)
				s->held[s->nheld++] = (unsigned char)buf[i++];
			if (s->nheld < want)
				break;	/* the rest comes with the next write */
			if (want == 1 || utf8_decode((const char *)s->held, want, &cp) != (int)want ||
			    (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
				out[o++] = '?';
				/* Not a valid sequence: the bytes after its first
				 * one start anew. */
				if (want == 1 || utf8_decode((const char *)s->held, want, &cp) < 0) {
					memmove(s->held, s->held + 1, s->nheld - 1);
					s->nheld--;
					continue;
				}
			} else {
				memcpy(out + o, s->held, want);
				o += want;
			}
			s->nheld = 0;
		}
		if (o >= 4096) {
			if (put(s->fd, out, o) < 0)
				return -1;
			o = 0;
		}
	}
	if (o && put(s->fd, out, o) < 0)
		return -1;
	return (ssize_t)size;
}

static int sink_close(void *cookie)
{
	struct sink *s = cookie;
	int rc = 0;

	/* What was held back is flushed as it stands, cleaned. */
	if (s->nheld)
		rc = put(s->fd, "?", 1);
	s->nheld = 0;
	return rc;
}

/* The process's two filters: they live as long as stdout and stderr. */
static struct sink sinks[2];

static FILE *wrap(FILE *orig, int fd, int line_buffered)
{
	cookie_io_functions_t io = { .write = sink_write, .close = sink_close };
	struct sink *s = &sinks[fd == STDERR_FILENO];
	FILE *f;

	memset(s, 0, sizeof(*s));
	s->fd = fd;
	if (!(f = fopencookie(s, "w", io)))
		return NULL;
	fflush(orig);
	setvbuf(f, NULL, line_buffered ? _IOLBF : _IOFBF, BUFSIZ);
	return f;
}

int safeout_install(void)
{
	FILE *o = wrap(stdout, STDOUT_FILENO, isatty(STDOUT_FILENO)), *e;

	if (!o)
		return -1;
	if (!(e = wrap(stderr, STDERR_FILENO, 1))) {
		fclose(o);
		return -1;
	}
	stdout = o;
	stderr = e;
	setvbuf(stderr, NULL, _IONBF, 0);
	return 0;
}
