/*
 * csvread.h: a streaming, pull-style CSV reader (RFC 4180 on top of libcsv).
 *
 *	struct csvread *r;
 *	struct csvread_record rec;
 *	int rc;
 *
 *	if (csvread_open(&r, path, CSVREAD_AUTO, &err) < 0)
 *		return -1;
 *	while ((rc = csvread_next(r, &rec, &err)) > 0)
 *		... rec.fields[i], rec.lens[i], rec.errs[i], rec.line ...
 *	csvread_close(r);
 *	return rc;	(0 at the end of input, -1 on a fatal error)
 *
 * Memory does not grow with the file: input is read in fixed chunks and the
 * record buffers are reused.  A field longer than CSVREAD_MAX_FIELD is an
 * error of that field (CSVREAD_FIELD_TOO_LONG, handed out empty, never cut
 * short), so even a gigabyte-long field costs about CSVREAD_MAX_FIELD plus
 * one chunk: libcsv's buffer is bounded through its realloc hook, and when
 * it overflows, the rest of that record is skipped (the record is then
 * `partial`) and reading goes on with the next one.  Blanks after an
 * unquoted field or a closing quote count towards the bound while libcsv
 * holds them, with 4 KiB of slack.
 *
 * Input is UTF-8 (a leading BOM is stripped) or GB18030/GBK, which is
 * converted to UTF-8 with iconv before parsing; every field handed out is
 * UTF-8 either way, except when a UTF-8 file holds invalid bytes (the field
 * is then marked CSVREAD_FIELD_BAD_UTF8, and given as it is).
 *
 * Parsing is strict: a quote inside an unquoted field, text after a closing
 * quote, a quoted field still open at the end of the file, and bytes that
 * are not GB18030 in a GB18030 file are fatal, because the columns of every
 * following row would be guessed.  Problems confined to one field are
 * reported per field and the record is still returned.
 *
 * Spaces and tabs around unquoted fields, and after a closing quote, are
 * dropped (libcsv does that); inside quotes they are kept.  CR LF inside a
 * quoted field becomes LF.  Records without fields (blank lines) are
 * skipped; a line holding only "," is a record of two empty fields.
 */
#ifndef ZJ_CSVREAD_H
#define ZJ_CSVREAD_H

#include <stddef.h>

#include "util/err.h"

enum csvread_encoding {
	CSVREAD_AUTO,		/* detect; csvread_encoding() tells the result */
	CSVREAD_UTF8,
	CSVREAD_GB18030,	/* also reads GBK and GB2312, its subsets */
};

enum csvread_field_error {
	CSVREAD_FIELD_OK,
	CSVREAD_FIELD_BAD_UTF8,	/* UTF-8 input only */
	CSVREAD_FIELD_NUL,	/* a NUL byte; the field still holds it */
	CSVREAD_FIELD_TOO_LONG,	/* over CSVREAD_MAX_FIELD bytes; given empty */
};
/* When a field has several problems, the first in this order is given:
 * NUL, BAD_UTF8, TOO_LONG. */

#define CSVREAD_MAX_FIELD (64 * 1024)	/* bytes after decoding */

/* More fields than this in one record is a fatal error: no inventory has
 * that many columns, and it bounds the memory one record can take. */
#define CSVREAD_MAX_FIELDS 4096

struct csvread_record {
	size_t nfields;		/* >= 1 */
	/* NUL-terminated UTF-8, owned by the reader, valid until the next
	 * csvread_next or csvread_close: copy what must outlive that. */
	char **fields;
	/* Byte lengths (0 for a TOO_LONG field). */
	size_t *lens;
	/* Per-field problems; the record is returned all the same. */
	enum csvread_field_error *errs;
	/* 1-based physical line where the record starts.  Lines end with LF,
	 * CR LF or a lone CR; LFs inside quoted fields count. */
	long line;
	/* 1 when the last field is TOO_LONG and the fields after it in the
	 * record were skipped unread. */
	int partial;
};

struct csvread;

/*
 * Opens path for reading ("-" is not special).  With CSVREAD_AUTO the
 * encoding is decided here from the first MiB: a UTF-8 BOM, or text that is
 * valid UTF-8, means UTF-8; otherwise text that is valid GB18030 means
 * GB18030; otherwise UTF-8, and the bad fields will say so.  Fails with
 * "cannot open 'PATH': REASON", "'PATH' is a directory" or a read error.
 * On success *out must be closed with csvread_close.
 */
int csvread_open(struct csvread **out, const char *path,
		 enum csvread_encoding enc, struct zj_error *err);

/*
 * Reads the next record into *rec (overwriting it; the arrays belong to the
 * reader).  Returns 1 for a record, 0 at the end of input, -1 on a fatal
 * error: "PATH:LINE: REASON" where REASON is "unterminated quoted field"
 * (LINE is where that record starts), "malformed quoted field" (LINE holds
 * the stray quote), "invalid GB18030 byte sequence", "truncated GB18030
 * byte sequence at end of file", "more than 4096 fields in one record",
 * "read error: ..." or "out of memory".  After -1 every further call fails
 * the same way.
 */
int csvread_next(struct csvread *r, struct csvread_record *rec,
		 struct zj_error *err);

/* The encoding in use: the forced one or what CSVREAD_AUTO detected. */
enum csvread_encoding csvread_encoding(const struct csvread *r);

/* 1 if the input started with a byte order mark (which was dropped). */
int csvread_had_bom(const struct csvread *r);

/* Raw bytes of the file consumed so far and its size (-1 when it has none,
 * a pipe say), for a progress line. */
long long csvread_bytes_done(const struct csvread *r);
long long csvread_bytes_total(const struct csvread *r);

/* Closes the file and frees everything, including the last record.  NULL is
 * a no-op. */
void csvread_close(struct csvread *r);

/* "UTF-8", "GB18030", or "auto" for CSVREAD_AUTO; not translated. */
const char *csvread_encoding_name(enum csvread_encoding e);

#endif
