/*
 * strbuf.h: a growable string, and the escaping every writer needs.
 * The caller owns sb->p (free it, or sb_release).  On allocation failure
 * the functions return -1 and leave the buffer as it was.
 */
#ifndef ZJ_STRBUF_H
#define ZJ_STRBUF_H

#include <stddef.h>
#include <stdio.h>

struct strbuf {
	char *p;	/* NUL-terminated once anything was added */
	size_t len, cap;
};

int sb_add(struct strbuf *sb, const char *s, size_t n);
int sb_adds(struct strbuf *sb, const char *s);
int sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A JSON string literal with quotes. */
int sb_json(struct strbuf *sb, const char *s, size_t n);
void sb_reset(struct strbuf *sb);
void sb_release(struct strbuf *sb);

/* One RFC 4180 field followed by ',' or, if last, CRLF.  With neutralize,
 * a cell that starts with = + - @ TAB or CR gets a leading apostrophe so a
 * spreadsheet shows it as text instead of running it as a formula. */
void csvout_field(FILE *f, const char *s, size_t n, int last, int neutralize);

#endif
