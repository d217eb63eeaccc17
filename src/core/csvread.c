#include "core/csvread.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/i18n.h"
#include "util/utf8.h"

/*
 * Sizes.  CHUNK is what one read() asks for.  SNIFF is how much CSVREAD_AUTO
 * looks at before deciding the encoding; the raw buffer starts that large and
 * shrinks to CHUNK once the sample is parsed.  DEC receives GB18030 converted
 * to UTF-8 (at most 3/2 of its input, but any size works: iconv stops with
 * E2BIG and we go on).  libcsv's field buffer may not grow past LIBCSV_CAP
 * (its realloc hook refuses): a field that needs more is too long.
 */
#define CHUNK		(256 * 1024)
#define SNIFF		(1024 * 1024)
#define DEC		(CHUNK + CHUNK / 2)
#define LIBCSV_CAP	(CSVREAD_MAX_FIELD + 4096)
#define CSV_BLOCK	(16 * 1024)
#define ARENA_KEEP	(1024 * 1024)

/* U+FEFF, the byte order mark, in GB18030 and in UTF-8. */
#define GB18030_BOM	"\x84\x31\x95\x33"
#define UTF8_BOM	"\xef\xbb\xbf"

#define CSV_OPTIONS	(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)

/* Problems found inside libcsv's callbacks, which cannot stop the parse. */
enum cb_failure { CB_OK, CB_NOMEM, CB_TOO_MANY };

enum qstate { Q_START, Q_UNQUOTED, Q_QUOTED, Q_QUOTE_IN_QUOTED };

struct qtrack {
	enum qstate st;
	int in_rec;		/* inside a record (some byte of it seen) */
	long rec_start;		/* the line it started on */
};

struct csvread {
	char *path;
	int fd;
	enum csvread_encoding enc;
	int had_bom;
	long long total;	/* file size or -1 */
	long long nread;	/* bytes read from fd so far */
	int started;		/* the encoding is settled */
	int eof;		/* read() returned 0 */
	int fini_done;		/* csv_fini has been called */

	struct csv_parser csv;
	iconv_t cd;		/* (iconv_t)-1 unless GB18030 */

	/* Bytes as read; raw_pos is how far iconv got (GB18030 only). */
	unsigned char *raw;
	size_t raw_cap, raw_len, raw_pos;
	unsigned char *dec;	/* GB18030 converted to UTF-8 */

	/* What csv_parse is fed: raw (UTF-8) or dec (GB18030). */
	const unsigned char *in;
	size_t in_pos, in_len;

	/*
	 * Line accounting.  line is the physical line of the next byte libcsv
	 * will see, except for line feeds still inside its field buffer; the
	 * record terminators it reports and the fields it hands over are added
	 * as they arrive.  A CR just reported makes the LF after it part of
	 * the same line end.
	 */
	long line;
	int pending_cr;
	int csv_idle;		/* libcsv is between rows: the fast path may run */

	/*
	 * Our own view of the quoting of what libcsv is given (it keeps its
	 * state private): where the record it is in started, and whether a
	 * quoted field is open.  After a field too long for libcsv's buffer
	 * the rest of that record is skipped with it, and libcsv restarted.
	 */
	struct qtrack qt;
	int skipping;

	/* The record being built.  Fields are stored as offsets into the
	 * arena, which may move, and turned into pointers when handed out. */
	int rec_started, rec_ready, partial;
	long rec_line;
	size_t nfields, fcap;
	size_t *offs, *lens;
	enum csvread_field_error *errs;
	char **fields;
	char *arena;
	size_t alen, acap;
	enum cb_failure cb_fail;

	int failed;
	char errmsg[ZJ_ERROR_MAX];
};

static int fail(struct csvread *r, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Records a fatal error; every later csvread_next repeats it. */
static int fail(struct csvread *r, long line, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(r->errmsg, sizeof(r->errmsg), "%s:%ld: ", r->path, line);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(r->errmsg))	/* a path that long: cut */
		n = sizeof(r->errmsg) - 1;
	va_start(ap, fmt);
	vsnprintf(r->errmsg + n, sizeof(r->errmsg) - (size_t)n, fmt, ap);
	va_end(ap);
	r->failed = 1;
	return -1;
}

static int report(const struct csvread *r, struct zj_error *err)
{
	return zj_err(err, "%s", r->errmsg);
}

/* The line being read: input goes to libcsv one physical line at a time,
 * so this is the line of any error it finds. */
static long current_line(const struct csvread *r)
{
	return r->line;
}

/* libcsv grows its field buffer through this; refusing makes csv_parse
 * stop with CSV_ETOOBIG, which bounds a field through the public API. */
static void *capped_realloc(void *p, size_t n)
{
	return n > LIBCSV_CAP ? NULL : realloc(p, n);
}

static void csv_start(struct csvread *r)
{
	csv_init(&r->csv, CSV_OPTIONS);
	csv_set_blk_size(&r->csv, CSV_BLOCK);
	csv_set_realloc_func(&r->csv, capped_realloc);
}

/*
 * Follows RFC 4180 quoting over s[0..n), bytes of one physical line before
 * its line end, as libcsv reads them (blanks and stray bytes after a closing
 * quote leave it closed; libcsv itself reports what is malformed).
 */
static void track(struct qtrack *q, const unsigned char *s, size_t n, long line)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (!q->in_rec && c != ' ' && c != '\t') {
			q->in_rec = 1;
			q->rec_start = line;
		}
		switch (q->st) {
		case Q_START:
			q->st = c == '"' ? Q_QUOTED : c == ',' || c == ' ' || c == '\t' ?
				Q_START : Q_UNQUOTED;
			break;
		case Q_UNQUOTED:
			if (c == ',')
				q->st = Q_START;
			break;
		case Q_QUOTED:
			if (c == '"')
				q->st = Q_QUOTE_IN_QUOTED;
			break;
		case Q_QUOTE_IN_QUOTED:
		default:
			q->st = c == '"' ? Q_QUOTED : c == ',' ? Q_START : Q_QUOTE_IN_QUOTED;
			break;
		}
	}
}

/* A line end seen by track(): 1 if it ended the record. */
static int track_eol(struct qtrack *q)
{
	if (q->st == Q_QUOTED)
		return 0;
	q->st = Q_START;
	q->in_rec = 0;
	return 1;
}

/* In a quoted field, CR LF becomes LF; a lone CR is kept. */
static size_t crlf_to_lf(char *d, size_t len)
{
	size_t i, j;

	for (i = j = 0; i < len; i++) {
		if (d[i] == '\r' && i + 1 < len && d[i + 1] == '\n')
			continue;
		d[j++] = d[i];
	}
	return j;
}

static int grow_fields(struct csvread *r)
{
	size_t cap = r->fcap ? r->fcap * 2 : 64;
	void *p;

	if (cap > CSVREAD_MAX_FIELDS)
		cap = CSVREAD_MAX_FIELDS;
	if (!(p = realloc(r->offs, cap * sizeof(*r->offs))))
		return -1;
	r->offs = p;
	if (!(p = realloc(r->lens, cap * sizeof(*r->lens))))
		return -1;
	r->lens = p;
	if (!(p = realloc(r->errs, cap * sizeof(*r->errs))))
		return -1;
	r->errs = p;
	if (!(p = realloc(r->fields, cap * sizeof(*r->fields))))
		return -1;
	r->fields = p;
	r->fcap = cap;
	return 0;
}

static int grow_arena(struct csvread *r, size_t need)
{
	size_t cap = r->acap ? r->acap : 64 * 1024;
	char *p;

	while (cap - r->alen < need)
		cap *= 2;
	if (!(p = realloc(r->arena, cap)))
		return -1;
	r->arena = p;
	r->acap = cap;
	return 0;
}

/* Marks the record as begun, at the line where the tracker saw it start. */
static void begin_record(struct csvread *r)
{
	if (!r->rec_started) {
		r->rec_started = 1;
		r->rec_line = r->qt.in_rec ? r->qt.rec_start : r->line;
	}
}

/* Adds one field to the record; len > CSVREAD_MAX_FIELD makes it an empty
 * TOO_LONG field.  Returns 0, or -1 with r->cb_fail set. */
static int add_field(struct csvread *r, const unsigned char *s, size_t len)
{
	enum csvread_field_error fe = CSVREAD_FIELD_OK;
	size_t keep = len, i;
	unsigned char high = 0, ctrl = 0;
	char *d;

	if (r->cb_fail)
		return -1;
	if (r->nfields == r->fcap) {
		if (r->nfields == CSVREAD_MAX_FIELDS) {
			r->cb_fail = CB_TOO_MANY;
			return -1;
		}
		if (grow_fields(r) < 0) {
			r->cb_fail = CB_NOMEM;
			return -1;
		}
	}
	if (len > CSVREAD_MAX_FIELD) {
		fe = CSVREAD_FIELD_TOO_LONG;
		keep = 0;
	}
	if (r->acap - r->alen < keep + 1 && grow_arena(r, keep + 1) < 0) {
		r->cb_fail = CB_NOMEM;
		return -1;
	}
	/*
	 * One cheap pass tells whether anything but plain ASCII text is
	 * there; most fields are, and skip all the checks below.  Bytes up
	 * to CR cover NUL, LF and CR.
	 */
	for (i = 0; i < keep; i++) {
		high |= s[i];
		ctrl |= s[i] <= '\r';
	}
	d = r->arena + r->alen;
	if (keep)
		memcpy(d, s, keep);
	if (ctrl) {
		if (memchr(d, '\0', keep))
			fe = CSVREAD_FIELD_NUL;
		if (memchr(d, '\r', keep))
			keep = crlf_to_lf(d, keep);
	}
	if (fe == CSVREAD_FIELD_OK && (high & 0x80) &&
	    r->enc == CSVREAD_UTF8 && !utf8_valid(d, keep, NULL))
		fe = CSVREAD_FIELD_BAD_UTF8;
	d[keep] = '\0';

	r->offs[r->nfields] = r->alen;
	r->lens[r->nfields] = keep;
	r->errs[r->nfields] = fe;
	r->nfields++;
	r->alen += keep + 1;
	return 0;
}

/* libcsv's field callback. */
static void on_field(void *data, size_t len, void *ctx)
{
	struct csvread *r = ctx;

	r->csv_idle = 0;
	begin_record(r);
	add_field(r, data, len);
}

/* Counts a line end: LF, CR, or the LF of a CR LF, which adds nothing. */
static void end_of_line(struct csvread *r, int c)
{
	if (c == '\n') {
		if (!r->pending_cr)
			r->line++;
		r->pending_cr = 0;
	} else if (c == '\r') {
		r->line++;
		r->pending_cr = 1;
	}
}

/* libcsv's row callback: c is the terminator, or -1 at the end of input.
 * Line ends are counted by parse_piece, which sees every one. */
static void on_row(int c, void *ctx)
{
	struct csvread *r = ctx;

	(void)c;
	r->csv_idle = 1;
	/* Rows without fields (blank lines, the LF of CR LF) are skipped. */
	if (r->rec_started)
		r->rec_ready = 1;
}

static int check_callbacks(struct csvread *r)
{
	switch (r->cb_fail) {
	case CB_OK:
		return 0;
	case CB_TOO_MANY:
		return fail(r, r->rec_line, _("more than %d fields in one record"),
			    CSVREAD_MAX_FIELDS);
	case CB_NOMEM:
	default:
		return fail(r, current_line(r), "%s", _("out of memory"));
	}
}

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* 0x80 in each byte of w that equals c, 0 elsewhere (no false hits). */
static uint64_t bytes_equal(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (UINT64_C(0x0101010101010101) * c);
	uint64_t low7 = UINT64_C(0x7f7f7f7f7f7f7f7f);

	return ~(((x & low7) + low7) | x) & UINT64_C(0x8080808080808080);
}

static int all_blank(const char *d, size_t from, size_t to)
{
	for (; from < to; from++)
		if (!is_blank((unsigned char)d[from]))
			return 0;
	return 1;
}

/*
 * The fast path's line splitter.  Only commas and quotes matter, so they
 * are found eight bytes at a time (as a bit mask, lowest address first on a
 * little-endian machine) and fed one by one to split_special, a small state
 * machine; the bytes between them are only looked at where blanks must be
 * dropped.  Each field is finished in place inside its own span of the
 * line, the byte after it overwritten by a NUL, and recorded as an offset
 * and a length; the per-field checks come after, and only when the line
 * needs them.  Everything lives in this struct so that, split_special
 * being inlined, it all stays in registers.
 */
enum split_state {
	SPLIT_FIELD,	/* in an unquoted field, or before a field starts */
	SPLIT_QUOTED,	/* inside quotes */
	SPLIT_CLOSED,	/* after a quote inside quotes: a pair or the end */
};

struct splitter {
	char *d;
	size_t *offs, *lens;
	size_t nf, cap;
	enum split_state state;
	size_t start;	/* where the field (or the inside of the quotes) starts */
	size_t quote;	/* SPLIT_CLOSED: where that quote is */
	int pairs;	/* the quoted field holds "" pairs */
};

static inline __attribute__((always_inline))
int plain_field(struct splitter *sp, size_t start, size_t end)
{
	char *d = sp->d;

	if (sp->nf == sp->cap)
		return 0;
	while (start < end && is_blank((unsigned char)d[start]))
		start++;
	while (end > start && is_blank((unsigned char)d[end - 1]))
		end--;
	d[end] = '\0';
	sp->offs[sp->nf] = start;
	sp->lens[sp->nf] = end - start;
	sp->nf++;
	return 1;
}

/* The inside [start, end) of a quoted field; pairs of quotes become one. */
static int quoted_field(struct splitter *sp, size_t start, size_t end)
{
	char *d = sp->d;
	size_t i, w = end;

	if (sp->nf == sp->cap)
		return 0;
	if (sp->pairs) {
		for (i = w = start; i < end; i++) {
			d[w++] = d[i];
			if (d[i] == '"')
				i++;
		}
	}
	d[w] = '\0';
	sp->offs[sp->nf] = start;
	sp->lens[sp->nf] = w - start;
	sp->nf++;
	return 1;
}

/* The comma or quote at pos; 1 to go on, 0 to leave the line to libcsv. */
static inline __attribute__((always_inline))
int split_special(struct splitter *sp, size_t pos)
{
	const char *d = sp->d;
	int rc;

	switch (sp->state) {
	case SPLIT_FIELD:
		if (d[pos] == ',') {
			rc = plain_field(sp, sp->start, pos);
			sp->start = pos + 1;
			return rc;
		}
		/* A quote opens a field only after blanks, as for libcsv. */
		if (!all_blank(d, sp->start, pos))
			return 0;
		sp->state = SPLIT_QUOTED;
		sp->start = pos + 1;
		sp->pairs = 0;
		return 1;
	case SPLIT_QUOTED:
		if (d[pos] == '"') {
			sp->state = SPLIT_CLOSED;
			sp->quote = pos;
		}
		return 1;
	case SPLIT_CLOSED:
	default:
		if (d[pos] == '"' && pos == sp->quote + 1) {
			sp->state = SPLIT_QUOTED;
			sp->pairs = 1;
			return 1;
		}
		if (d[pos] == '"' || !all_blank(d, sp->quote + 1, pos))
			return 0;
		rc = quoted_field(sp, sp->start, sp->quote);
		sp->state = SPLIT_FIELD;
		sp->start = pos + 1;
		return rc;
	}
}

/* Splits the n bytes of line in the arena; 1 done, 0 leave it to libcsv. */
static int split_line(struct csvread *r, size_t n)
{
	struct splitter sp = {
		.d = r->arena, .offs = r->offs, .lens = r->lens,
		.cap = r->fcap, .state = SPLIT_FIELD,
	};
	const unsigned char *d = (const unsigned char *)r->arena;
	size_t i = 0;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	for (; n - i >= 8; i += 8) {
		uint64_t w, m;

		memcpy(&w, d + i, 8);
		m = bytes_equal(w, ',') | bytes_equal(w, '"');
		for (; m; m &= m - 1)
			if (!split_special(&sp, i + (size_t)__builtin_ctzll(m) / 8))
				return 0;
	}
#endif
	for (; i < n; i++)
		if ((d[i] == ',' || d[i] == '"') && !split_special(&sp, i))
			return 0;

	switch (sp.state) {
	case SPLIT_FIELD:
		if (!plain_field(&sp, sp.start, n))
			return 0;
		break;
	case SPLIT_CLOSED:
		if (!all_blank(sp.d, sp.quote + 1, n) ||
		    !quoted_field(&sp, sp.start, sp.quote))
			return 0;
		break;
	case SPLIT_QUOTED:
	default:
		return 0;	/* the quotes go on past this line */
	}
	r->nfields = sp.nf;
	return 1;
}

/*
 * Sets the per-field errors of a record split by split_line.  has_nul and
 * bad_utf8 say whether the whole line had a NUL or invalid UTF-8; only then
 * are the fields themselves looked at, as cutting a valid line at ASCII
 * commas and quotes leaves valid pieces.  Only a line longer than
 * CSVREAD_MAX_FIELD can hold a field that long; it is handed out empty.
 */
static void check_fast_fields(struct csvread *r, size_t n, int has_nul,
			      int bad_utf8)
{
	size_t i;

	for (i = 0; i < r->nfields; i++)
		r->errs[i] = CSVREAD_FIELD_OK;
	if (!has_nul && !bad_utf8 && n <= CSVREAD_MAX_FIELD)
		return;
	for (i = 0; i < r->nfields; i++) {
		enum csvread_field_error fe = CSVREAD_FIELD_OK;
		char *d = r->arena + r->offs[i];
		size_t len = r->lens[i];

		if (len > CSVREAD_MAX_FIELD) {
			fe = CSVREAD_FIELD_TOO_LONG;
			len = 0;
		}
		if (has_nul && memchr(d, '\0', len))
			fe = CSVREAD_FIELD_NUL;
		if (fe == CSVREAD_FIELD_OK && bad_utf8 &&
		    !utf8_valid(d, len, NULL))
			fe = CSVREAD_FIELD_BAD_UTF8;
		d[len] = '\0';
		r->lens[i] = len;
		r->errs[i] = fe;
	}
}

/*
 * The fast path.  libcsv looks at every byte through a state machine and
 * calls back for every field, which held this reader near 120 MB/s on
 * short fields (less than half the speed needed); but nearly every
 * record is one line of plain or simply quoted fields, which word-at-a-time
 * scanning splits more than twice as fast.  fast_line parses such a line
 * (s[0..n), without its line end) exactly as libcsv would: blanks around
 * unquoted fields and after a closing quote dropped, "" inside quotes made
 * one quote, a line of blanks no record.  Whatever it is not sure of (a
 * quote not closed on this line, a stray quote, text after a closing quote,
 * too many fields) it leaves to libcsv by returning 0, having changed
 * nothing that matters.  Returns 1 when the line is done, -1 on a fatal
 * error.
 */
static int fast_line(struct csvread *r, const unsigned char *s, size_t n)
{
	size_t i = 0, want;
	int bad_utf8;

	while (i < n && is_blank(s[i]))
		i++;
	if (i == n)
		return 1;

	/* n bytes hold at most n + 1 fields. */
	want = n + 1 < CSVREAD_MAX_FIELDS ? n + 1 : CSVREAD_MAX_FIELDS;
	while (r->fcap < want)
		if (grow_fields(r) < 0)
			return fail(r, r->line, "%s", _("out of memory"));
	if (r->acap < n + 1 && grow_arena(r, n + 1) < 0)
		return fail(r, r->line, "%s", _("out of memory"));
	memcpy(r->arena, s, n);
	if (!split_line(r, n)) {
		r->nfields = 0;
		return 0;
	}
	bad_utf8 = r->enc == CSVREAD_UTF8 && !utf8_valid((const char *)s, n, NULL);
	check_fast_fields(r, n, memchr(s, '\0', n) != NULL, bad_utf8);
	r->alen = n + 1;
	r->rec_started = 1;
	r->rec_line = r->line;
	r->rec_ready = 1;
	r->pending_cr = 0;
	return 1;
}

/* Counts the line end that closes the piece p[0..len), if it has one. */
static void line_end(struct csvread *r, const unsigned char *p,
		     const unsigned char *eol, size_t len)
{
	if (!eol)
		return;
	if (eol > p)
		r->pending_cr = 0;
	for (; eol < p + len; eol++)
		end_of_line(r, *eol);
	track_eol(&r->qt);
}

/*
 * libcsv refused to grow its buffer for the field it is in: the record gets
 * that field as an empty TOO_LONG one (the fields after it are not read:
 * rec->partial), the rest of the record is skipped by skip_piece, and
 * libcsv starts again after it.
 */
static int too_long(struct csvread *r)
{
	begin_record(r);
	if (add_field(r, (const unsigned char *)"", CSVREAD_MAX_FIELD + 1) < 0)
		return check_callbacks(r);
	r->partial = 1;
	r->skipping = 1;
	csv_free(&r->csv);
	csv_start(r);
	return 0;
}

/* While skipping the rest of a record with a field too long: one piece. */
static int skip_piece(struct csvread *r, const unsigned char *p,
		      const unsigned char *eol, size_t len)
{
	track(&r->qt, p, eol ? (size_t)(eol - p) : len, r->line);
	r->in_pos += len;
	if (eol && r->qt.st != Q_QUOTED) {
		r->skipping = 0;
		r->rec_ready = 1;
		r->csv_idle = 1;
	}
	line_end(r, p, eol, len);
	return 0;
}

/*
 * Parses input up to and including the next line end, so that at most one
 * record completes per call and csvread_next can hand it out before the
 * next one starts.  A CR LF pair goes in together: the LF only ends an
 * empty row.  A line that fast_line declines, and any line while libcsv is
 * inside a record (a quoted field spanning lines, or a line cut by the end
 * of the buffer), goes to libcsv.
 */
static int parse_piece(struct csvread *r)
{
	const unsigned char *p = r->in + r->in_pos, *end = r->in + r->in_len;
	const unsigned char *lf, *cr, *eol;
	size_t len, done, content;
	int rc;

	lf = memchr(p, '\n', (size_t)(end - p));
	cr = memchr(p, '\r', (size_t)((lf ? lf : end) - p));
	eol = cr ? cr : lf;
	if (cr)
		len = (size_t)(cr - p) + 1 + (cr + 1 < end && cr[1] == '\n');
	else if (lf)
		len = (size_t)(lf - p) + 1;
	else
		len = (size_t)(end - p);

	if (r->skipping)
		return skip_piece(r, p, eol, len);

	if (eol && r->csv_idle) {
		rc = fast_line(r, p, (size_t)(eol - p));
		if (rc < 0)
			return -1;
		if (rc > 0) {
			for (; eol < p + len; eol++)
				end_of_line(r, *eol);
			r->in_pos += len;
			return 0;
		}
	}

	r->csv_idle = 0;
	done = csv_parse(&r->csv, p, len, on_field, on_row, r);
	r->in_pos += done;
	content = eol ? (size_t)(eol - p) : len;
	track(&r->qt, p, done < content ? done : content, r->line);
	if (check_callbacks(r) < 0)
		return -1;
	if (done < len) {
		if (csv_error(&r->csv) == CSV_EPARSE)
			return fail(r, current_line(r), "%s",
				    _("malformed quoted field"));
		/* Our hook refused (libcsv says ENOMEM or ETOOBIG, by
		 * version), or memory really ran out short of the cap. */
		if (csv_get_buffer_size(&r->csv) + CSV_BLOCK > LIBCSV_CAP)
			return too_long(r);
		return fail(r, current_line(r), "%s", _("out of memory"));
	}
	line_end(r, p, eol, len);
	return 0;
}

/*
 * Appends what one read() gives to the raw buffer, after moving what is
 * left unconverted to its start.  Returns the byte count, 0 at the end of
 * the file, -1 on error.
 */
static ssize_t read_more(struct csvread *r)
{
	size_t left = r->raw_len - r->raw_pos;
	ssize_t n;

	if (r->raw_pos) {
		memmove(r->raw, r->raw + r->raw_pos, left);
		r->raw_pos = 0;
		r->raw_len = left;
	}
	/* The sniffing buffer is not needed once its sample is parsed. */
	if (r->started && r->raw_cap > CHUNK && left < CHUNK) {
		unsigned char *p = realloc(r->raw, CHUNK);

		if (p) {
			r->raw = p;
			r->raw_cap = CHUNK;
		}
	}
	if (r->raw_len == r->raw_cap)
		return fail(r, current_line(r), "%s", _("out of memory"));
	do
		n = read(r->fd, r->raw + r->raw_len, r->raw_cap - r->raw_len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return fail(r, current_line(r), _("read error: %s"),
			    strerror(errno));
	if (n == 0)
		r->eof = 1;
	r->raw_len += (size_t)n;
	r->nread += n;
	return n;
}

/* Reads until the raw buffer holds at least want bytes or the file ends. */
static int read_at_least(struct csvread *r, size_t want)
{
	while (r->raw_len < want && !r->eof)
		if (read_more(r) < 0)
			return -1;
	return 0;
}

/*
 * Converts the next stretch of raw GB18030 into r->dec.  Returns 1 with
 * data in r->in, 0 at the end of input, -1 on error.  An invalid sequence is
 * only reported once everything decoded before it has been parsed, so the
 * error carries the line it is on and the records before it are read.
 */
static int refill_gb18030(struct csvread *r)
{
	for (;;) {
		if (r->raw_pos < r->raw_len) {
			char *ip = (char *)r->raw + r->raw_pos;
			char *op = (char *)r->dec;
			size_t il = r->raw_len - r->raw_pos, ol = DEC;
			size_t rc = iconv(r->cd, &ip, &il, &op, &ol);
			int e = errno;

			r->raw_pos = (size_t)((unsigned char *)ip - r->raw);
			r->in = r->dec;
			r->in_pos = 0;
			r->in_len = DEC - ol;
			if (r->in_len)
				return 1;
			/* EINVAL: a sequence continues in the next read. */
			if (rc == (size_t)-1 && e == EILSEQ)
				return fail(r, current_line(r), "%s",
					    _("invalid GB18030 byte sequence"));
			if (rc == (size_t)-1 && e != EINVAL)
				return fail(r, current_line(r), "%s",
					    strerror(e));
		}
		if (r->eof) {
			if (r->raw_pos < r->raw_len)
				return fail(r, current_line(r), "%s",
					    _("truncated GB18030 byte sequence at end of file"));
			return 0;
		}
		if (read_more(r) < 0)
			return -1;
	}
}

static int refill_utf8(struct csvread *r)
{
	ssize_t n;

	r->raw_pos = r->raw_len = 0;
	n = r->eof ? 0 : read_more(r);
	if (n <= 0)
		return (int)n;
	r->in = r->raw;
	r->in_pos = 0;
	r->in_len = r->raw_len;
	return 1;
}

/*
 * Would the bytes at s[0..n), cut short by the end of the sample, start a
 * valid sequence?  Completes them with the smallest valid continuation and
 * asks the decoder.
 */
static int truncated_char(const unsigned char *s, size_t n)
{
	unsigned char buf[4];
	size_t need, i;
	unsigned cp;

	need = s[0] >= 0xf5 ? 0 : s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 :
	       s[0] >= 0xc2 ? 2 : 0;
	if (!need || n >= need)
		return 0;
	memcpy(buf, s, n);
	for (i = n; i < need; i++)
		buf[i] = 0x80;
	if (n == 1 && s[0] == 0xe0)
		buf[1] = 0xa0;
	if (n == 1 && s[0] == 0xf0)
		buf[1] = 0x90;
	return utf8_decode((const char *)buf, need, &cp) == (int)need;
}

static int open_iconv(struct csvread *r)
{
	if (r->cd != (iconv_t)-1)
		return 0;
	r->cd = iconv_open("UTF-8", "GB18030");
	if (r->cd == (iconv_t)-1)
		return fail(r, 1, _("cannot convert from GB18030: %s"),
			    strerror(errno));
	if (!r->dec && !(r->dec = malloc(DEC)))
		return fail(r, 1, "%s", _("out of memory"));
	return 0;
}

/* Does the whole sample convert from GB18030? */
static int sample_is_gb18030(struct csvread *r)
{
	char *ip = (char *)r->raw, *op;
	size_t il = r->raw_len, ol, rc;
	int ok;

	for (;;) {
		op = (char *)r->dec;
		ol = DEC;
		rc = iconv(r->cd, &ip, &il, &op, &ol);
		if (rc != (size_t)-1) {
			ok = 1;
			break;
		}
		if (errno == E2BIG)
			continue;
		/* A sequence cut by the end of the sample is fine; cut by the
		 * end of the file, it is not. */
		ok = errno == EINVAL && !r->eof;
		break;
	}
	iconv(r->cd, NULL, NULL, NULL, NULL);
	return ok;
}

static int detect_encoding(struct csvread *r)
{
	size_t bad;

	if (r->raw_len >= 3 && !memcmp(r->raw, UTF8_BOM, 3)) {
		r->enc = CSVREAD_UTF8;
		return 0;
	}
	if (r->raw_len >= 4 && !memcmp(r->raw, GB18030_BOM, 4)) {
		r->enc = CSVREAD_GB18030;
		return 0;
	}
	if (utf8_valid((const char *)r->raw, r->raw_len, &bad) ||
	    (!r->eof && r->raw_len - bad < 4 &&
	     truncated_char(r->raw + bad, r->raw_len - bad))) {
		r->enc = CSVREAD_UTF8;
		return 0;
	}
	if (open_iconv(r) < 0)
		return -1;
	r->enc = sample_is_gb18030(r) ? CSVREAD_GB18030 : CSVREAD_UTF8;
	return 0;
}

/* Reads the start of the file, settles the encoding and strips a BOM. */
static int start(struct csvread *r, enum csvread_encoding enc)
{
	r->enc = enc;
	if (read_at_least(r, enc == CSVREAD_AUTO ? SNIFF : 4) < 0)
		return -1;
	if (enc == CSVREAD_AUTO && detect_encoding(r) < 0)
		return -1;
	r->started = 1;
	if (r->enc == CSVREAD_GB18030) {
		if (r->raw_len >= 4 && !memcmp(r->raw, GB18030_BOM, 4)) {
			r->had_bom = 1;
			r->raw_pos = 4;
		}
		return open_iconv(r);
	}

	/* Detection may have needed them; UTF-8 does not. */
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	r->cd = (iconv_t)-1;
	free(r->dec);
	r->dec = NULL;
	if (r->raw_len >= 3 && !memcmp(r->raw, UTF8_BOM, 3)) {
		r->had_bom = 1;
		r->raw_pos = 3;
	}
	r->in = r->raw;
	r->in_pos = r->raw_pos;
	r->in_len = r->raw_len;
	return 0;
}

int csvread_open(struct csvread **out, const char *path,
		 enum csvread_encoding enc, struct zj_error *err)
{
	struct csvread *r;
	struct stat st;

	*out = NULL;
	if (!(r = calloc(1, sizeof(*r))))
		return zj_err(err, "%s", _("out of memory"));
	r->fd = -1;
	r->cd = (iconv_t)-1;
	r->line = 1;
	r->csv_idle = 1;
	r->total = -1;
	csv_start(r);

	r->raw_cap = enc == CSVREAD_AUTO ? SNIFF : CHUNK;
	if (!(r->path = strdup(path)) || !(r->raw = malloc(r->raw_cap))) {
		csvread_close(r);
		return zj_err(err, "%s", _("out of memory"));
	}
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		int e = errno;

		csvread_close(r);
		return zj_err(err, _("cannot open '%s': %s"), path, strerror(e));
	}
	if (fstat(r->fd, &st) < 0) {
		int e = errno;

		csvread_close(r);
		return zj_err(err, _("cannot open '%s': %s"), path, strerror(e));
	}
	if (S_ISDIR(st.st_mode)) {
		csvread_close(r);
		return zj_err(err, _("'%s' is a directory"), path);
	}
	if (S_ISREG(st.st_mode)) {
		r->total = st.st_size;
		posix_fadvise(r->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	}
	if (start(r, enc) < 0) {
		report(r, err);
		csvread_close(r);
		return -1;
	}
	*out = r;
	return 0;
}

/* Forgets the previous record; a big record's arena is not kept for all. */
static void start_record(struct csvread *r)
{
	r->nfields = 0;
	r->alen = 0;
	r->rec_started = 0;
	r->rec_ready = 0;
	r->partial = 0;
	if (r->acap > ARENA_KEEP) {
		free(r->arena);
		r->arena = NULL;
		r->acap = 0;
	}
}

static void hand_out(struct csvread *r, struct csvread_record *rec)
{
	size_t i;

	for (i = 0; i < r->nfields; i++)
		r->fields[i] = r->arena + r->offs[i];
	rec->nfields = r->nfields;
	rec->fields = r->fields;
	rec->lens = r->lens;
	rec->errs = r->errs;
	rec->line = r->rec_line;
	rec->partial = r->partial;
}

int csvread_next(struct csvread *r, struct csvread_record *rec,
		 struct zj_error *err)
{
	int rc;

	if (r->failed)
		return report(r, err);
	start_record(r);
	for (;;) {
		while (r->in_pos < r->in_len) {
			if (parse_piece(r) < 0)
				return report(r, err);
			if (r->rec_ready) {
				hand_out(r, rec);
				return 1;
			}
		}
		if (r->fini_done)
			return 0;
		if (r->enc == CSVREAD_GB18030)
			rc = refill_gb18030(r);
		else
			rc = refill_utf8(r);
		if (rc < 0)
			return report(r, err);
		if (rc > 0)
			continue;

		/* End of input: a last record may lack its line end. */
		r->fini_done = 1;
		if (r->skipping) {
			if (r->qt.st == Q_QUOTED) {
				fail(r, r->rec_line, "%s", _("unterminated quoted field"));
				return report(r, err);
			}
			r->skipping = 0;
			hand_out(r, rec);
			return 1;
		}
		if (csv_fini(&r->csv, on_field, on_row, r) != 0) {
			fail(r, r->rec_started ? r->rec_line :
				r->qt.in_rec ? r->qt.rec_start : r->line, "%s",
			     _("unterminated quoted field"));
			return report(r, err);
		}
		if (check_callbacks(r) < 0)
			return report(r, err);
		if (r->rec_ready) {
			hand_out(r, rec);
			return 1;
		}
		return 0;
	}
}

enum csvread_encoding csvread_encoding(const struct csvread *r)
{
	return r->enc;
}

int csvread_had_bom(const struct csvread *r)
{
	return r->had_bom;
}

long long csvread_bytes_done(const struct csvread *r)
{
	if (r->enc == CSVREAD_GB18030)
		return r->nread - (long long)(r->raw_len - r->raw_pos);
	return r->nread - (long long)(r->in_len - r->in_pos);
}

long long csvread_bytes_total(const struct csvread *r)
{
	return r->total;
}

void csvread_close(struct csvread *r)
{
	if (!r)
		return;
	csv_free(&r->csv);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	if (r->fd >= 0)
		close(r->fd);
	free(r->raw);
	free(r->dec);
	free(r->offs);
	free(r->lens);
	free(r->errs);
	free(r->fields);
	free(r->arena);
	free(r->path);
	free(r);
}

const char *csvread_encoding_name(enum csvread_encoding e)
{
	switch (e) {
	case CSVREAD_UTF8:
		return "UTF-8";
	case CSVREAD_GB18030:
		return "GB18030";
	case CSVREAD_AUTO:
	default:
		return "auto";
	}
}
