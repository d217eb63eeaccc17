/*
 * pdf.h: PDF objects read with libqpdf (its C API, qpdf-c.h).
 *
 * Every file is read whole into memory first (util/file) and handed to
 * qpdf_read_memory with recovery off: a file whose cross-reference
 * sections, objects or streams are damaged is refused, never rebuilt.  qpdf
 * goes on after many faults with a warning and a substitute value (the last
 * of two equal keys, null for an object with a wrong /Length, for a loop of
 * references or for nesting too deep); any error or warning while reading
 * what is asked for here refuses the file too, because a reader that
 * guesses can be made to read something other than what a viewer shows.
 *
 * Files from below (pdf_open_mem, pdf_open_file) are read without their
 * cross-reference streams (qpdf_set_ignore_xref_streams), so a file that
 * needs them is refused.  libqpdf 11 decodes cross-reference and object
 * streams whole, without a size limit: a 600 KB file whose object stream
 * inflates to 600 MB made it allocate 1.2 GB and spend 15 s.  With tables
 * only, an object stream is never decoded, and the one stream decoded at
 * all, the embedded file, is inflated here under a cap.  zhijian's own
 * reports (libharu, and the signature's update) use tables only.  A file
 * this user signs (pdf_open_own) may use streams: it is not from below.
 *
 * What libqpdf does not check, the signature's bytes, is checked on the raw
 * buffer by sign/sigbytes.h.
 *
 * Ownership: struct pdf owns the qpdf handle and, for pdf_open_file and
 * pdf_open_own, the bytes; pdf_open_mem borrows them (they must stay
 * unchanged until pdf_close).  Functions that hand out memory say who frees
 * it.
 */
#ifndef ZJ_SIGN_PDF_H
#define ZJ_SIGN_PDF_H

#include <stddef.h>

#include "util/err.h"

struct pdf;

/* The default for max_bytes when 0 is given: 256 MiB. */
#define PDF_DEFAULT_MAX_BYTES ((size_t)256 << 20)
/* pdf_embedded_file's return when no entry has that name (also < 0). */
#define PDF_NOT_FOUND (-2)

/*
 * Opening a file from below.  pdf_open_mem borrows data; pdf_open_file
 * reads at most max_bytes (0: PDF_DEFAULT_MAX_BYTES) of a regular file.
 * On error they return -1, set *out to NULL and fill err.
 */
int pdf_open_mem(struct pdf **out, const unsigned char *data, size_t len, struct zj_error *err);
int pdf_open_file(struct pdf **out, const char *path, size_t max_bytes, struct zj_error *err);
/* Opening a file this user is about to sign: cross-reference streams read. */
int pdf_open_own(struct pdf **out, const char *path, struct zj_error *err);
void pdf_close(struct pdf *p);

/* The whole file as read, for signing and byte-range checks. */
const unsigned char *pdf_bytes(const struct pdf *p, size_t *len);

/*
 * The EmbeddedFiles name tree entry whose /UF, /F or name-tree key is
 * `name`, or ends in "/name" (libharu records the path it attached from).
 * Its stream must be unfiltered or /FlateDecode alone; it is inflated here
 * under a cap proportional to the file.  On success returns 0 and *data
 * (malloc'd, caller frees; NUL-terminated for convenience, the NUL not
 * counted in *len).  Returns PDF_NOT_FOUND if no entry has that name, -1 if
 * the file is broken or the data too large; err says which.
 */
int pdf_embedded_file(struct pdf *p, const char *name, unsigned char **data, size_t *len,
		      struct zj_error *err);

/* A signature field with a value, and the parts of its dictionary that
 * matter.  Strings are owned by the array. */
struct pdf_sig {
	unsigned field_num, field_gen;	/* the field (or field/widget) object */
	char *name;			/* /T as UTF-8, or "" */
	long long range[4];		/* /ByteRange, when has_range */
	int has_range;			/* exactly four non-negative integers */
	unsigned char *contents;	/* /Contents bytes; NULL if not a string */
	size_t contents_len;
	char *subfilter;		/* /SubFilter without '/', or "" */
	char *m;			/* /M as UTF-8, or NULL */
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
 * What an incremental update that signs the file needs to know, the
 * dictionaries as PDF syntax written by libqpdf (qpdf_oh_unparse), so the
 * signer copies them without serialising anything itself.  Every string is
 * malloc'd and NUL-terminated; pdf_update_base_release frees them.
 */
struct pdf_update_base {
	unsigned cat_num, cat_gen;	/* the catalog */
	unsigned page_num, page_gen;	/* the last page */
	char *catalog;		/* " /Key value" for each entry but /AcroForm */
	char *form;		/* the same for /AcroForm, but /Fields and /SigFlags */
	char *fields;		/* the /Fields items, each followed by a space */
	char *page;		/* the last page's entries but /Annots */
	char *annots;		/* its /Annots items, each followed by a space */
	char *info;		/* the trailer's /Info reference, or NULL */
	char *id;		/* the trailer's /ID array, or NULL */
	size_t startxref;	/* the newest cross-reference section, for /Prev */
	unsigned next_num;	/* the trailer's /Size: the first free number */
	size_t nfields;		/* terminal form fields */
};

/* Fails for an encrypted file (an update would be written in the clear). */
int pdf_update_base(struct pdf *p, struct pdf_update_base *u, struct zj_error *err);
void pdf_update_base_release(struct pdf_update_base *u);

#endif
