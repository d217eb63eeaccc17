/*
 * pdf.h: a bounded PDF reader for files that come from below.
 *
 * The verifier reads reports uploaded by other units, so every byte is
 * hostile: the whole file is read into memory under a size cap, every offset
 * is checked against it, nesting and reference chains have fixed limits,
 * decoded streams have a size cap, and all parsed objects live in one arena
 * with its own cap.  Nothing recurses without a depth bound.
 *
 * What it reads: classic cross-reference tables (what libharu 2.3.0 writes),
 * cross-reference streams and object streams (qpdf and others), hybrid
 * files (/XRefStm), and any number of incremental updates chained by /Prev;
 * streams uncompressed or FlateDecode with PNG predictors.  It does not
 * repair broken files: a wrong offset or /Length is an error, not a guess,
 * because a verifier that guesses can be made to read something other than
 * what a viewer shows.  Encrypted files are refused by the signer, not here.
 *
 * Ownership: struct pdf owns its copy of the file and every object it hands
 * out; those pointers stay valid until pdf_close.  Functions that hand out
 * decoded data say that the caller frees it.
 */
#ifndef ZJ_SIGN_PDF_H
#define ZJ_SIGN_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/strbuf.h"

struct pdf;

/* The default for max_bytes when 0 is given: 256 MiB. */
#define PDF_DEFAULT_MAX_BYTES ((size_t)256 << 20)
/* pdf_embedded_file's return when no entry has that name (also < 0). */
#define PDF_NOT_FOUND (-2)
/* struct pdf_obj.u.str.off for a string that is not at a known place in
 * the file (it came from an object stream). */
#define PDF_NOWHERE SIZE_MAX

enum pdf_type {
	PDF_NULL, PDF_BOOL, PDF_INT, PDF_REAL, PDF_STRING, PDF_NAME,
	PDF_ARRAY, PDF_DICT, PDF_REF, PDF_STREAM,
};

struct pdf_ref {
	uint32_t num;
	uint32_t gen;
};

struct pdf_kv;

struct pdf_obj {
	enum pdf_type type;
	union {
		int b;
		long long i;
		double r;
		struct {
			const unsigned char *p;	/* decoded bytes, NUL-terminated */
			size_t len;
			/* The literal's place in the file: off is its '(' or
			 * '<', end is one past its ')' or '>'; PDF_NOWHERE for
			 * both when it did not come from the file's top level. */
			size_t off, end;
		} str;
		struct {
			const char *p;		/* without '/', #xx decoded, NUL-terminated */
			size_t len;
		} name;
		struct {
			struct pdf_obj **v;
			size_t n;
		} arr;
		struct {
			struct pdf_kv *v;	/* keys are unique (duplicates are refused) */
			size_t n;
		} dict;
		struct pdf_ref ref;
		struct {
			struct pdf_obj *dict;
			const unsigned char *data;	/* raw (still encoded), inside the file */
			size_t len;
		} stream;
	} u;
};

struct pdf_kv {
	const char *key;
	struct pdf_obj *val;
};

/*
 * Opening.  pdf_open_file reads at most max_bytes (0: PDF_DEFAULT_MAX_BYTES)
 * of a regular file; pdf_open_mem copies data.  Both parse the
 * cross-reference sections and the trailer; objects are parsed on demand.
 * On error they return -1, set *out to NULL and fill err.
 */
int pdf_open_file(struct pdf **out, const char *path, size_t max_bytes, struct zj_error *err);
int pdf_open_mem(struct pdf **out, const unsigned char *data, size_t len, struct zj_error *err);
void pdf_close(struct pdf *p);

/*
 * The EmbeddedFiles name tree entry whose /UF, /F or name-tree key is
 * `name`, or ends in "/name" (libharu records the path it attached from).
 * On success returns 0 and *data (malloc'd, caller frees; NUL-terminated
 * for convenience, the NUL not counted in *len).  Returns PDF_NOT_FOUND if
 * no entry has that name, -1 if the file is broken; err says which.
 */
int pdf_embedded_file(struct pdf *p, const char *name, unsigned char **data, size_t *len,
		      struct zj_error *err);

/* The whole file as read, for signing and byte-range checks. */
const unsigned char *pdf_bytes(const struct pdf *p, size_t *len);
/* Offset of the newest cross-reference section (the last startxref). */
size_t pdf_startxref(const struct pdf *p);
/* One more than the highest object number in use: the next free number. */
uint32_t pdf_next_num(const struct pdf *p);
/* The newest trailer dictionary (for an xref stream, its dictionary). */
const struct pdf_obj *pdf_trailer(const struct pdf *p);

/*
 * Objects.  Every lookup returns the shared null object for what is absent
 * (a missing key, a free or nonexistent object), as PDF says, and NULL with
 * err filled only when the file is broken there.
 */
const struct pdf_obj *pdf_null(void);
const struct pdf_obj *pdf_object(struct pdf *p, struct pdf_ref ref, struct zj_error *err);
/* Follows indirect references (a bounded number of hops). */
const struct pdf_obj *pdf_resolve(struct pdf *p, const struct pdf_obj *o, struct zj_error *err);
/* dict[key] without resolving; the null object if o is not a dictionary. */
const struct pdf_obj *pdf_dict_raw(const struct pdf_obj *dict, const char *key);
/* dict[key], resolved; dict may itself be a reference or a stream. */
const struct pdf_obj *pdf_dget(struct pdf *p, const struct pdf_obj *dict, const char *key,
			       struct zj_error *err);
/* The stream's dictionary, or o itself if o is a dictionary. */
const struct pdf_obj *pdf_dict_of(const struct pdf_obj *o);
int pdf_is_name(const struct pdf_obj *o, const char *name);

/* The document catalog (/Root of the trailer). */
const struct pdf_obj *pdf_catalog(struct pdf *p, struct pdf_ref *ref, struct zj_error *err);

/* Page `index` (0-based; -1 for the last page): its reference and object. */
int pdf_page(struct pdf *p, long index, struct pdf_ref *ref, const struct pdf_obj **page,
	     struct zj_error *err);

/* Decodes a stream's data through its /Filter (FlateDecode and PNG
 * predictors); at most max bytes (0: the reader's per-stream cap).
 * *data is malloc'd and NUL-terminated; the caller frees it. */
int pdf_stream_decode(struct pdf *p, const struct pdf_obj *stream, size_t max,
		      unsigned char **data, size_t *len, struct zj_error *err);

/*
 * A PDF text string (UTF-16BE with BOM, UTF-8 with BOM, or PDFDocEncoding)
 * as UTF-8, malloc'd; NULL if o is not a string or memory ran out.
 */
char *pdf_text(const struct pdf_obj *o);

/* A signature field and the parts of its signature dictionary that matter. */
struct pdf_sig {
	struct pdf_ref field;		/* the field (or field/widget) object */
	char *name;			/* /T as UTF-8 (owned by the array), or "" */
	const struct pdf_obj *v;	/* the signature dictionary (/V), resolved */
	const struct pdf_obj *contents;	/* /Contents string, or NULL */
	long long range[4];		/* /ByteRange, when has_range */
	int has_range;			/* exactly four non-negative integers */
};

/*
 * The signature fields of /AcroForm with a value, in field order.
 * *sigs is malloc'd (free with pdf_sigs_free); *n may be 0.  *nfields is the
 * number of terminal fields of any kind, so a signer can name a new one.
 */
int pdf_signatures(struct pdf *p, struct pdf_sig **sigs, size_t *n, size_t *nfields,
		   struct zj_error *err);
void pdf_sigs_free(struct pdf_sig *sigs, size_t n);

/*
 * Serialising, for incremental updates: o as PDF syntax (strings as hex,
 * names escaped).  pdf_write_entries writes " /Key value" for each entry of
 * dict whose key is not in skip (a NULL-terminated list).  Return -1 when
 * memory runs out.
 */
int pdf_write_obj(struct strbuf *sb, const struct pdf_obj *o);
int pdf_write_entries(struct strbuf *sb, const struct pdf_obj *dict, const char *const *skip);

#endif
