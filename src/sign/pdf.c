/*
 * pdf.c: PDF objects through libqpdf's C API (see pdf.h for the policy:
 * recovery off, any warning refuses, no cross-reference streams from
 * below).  What is left here is walking the few trees zhijian needs (the
 * form's fields, the embedded-files name tree) with bounds of its own, since
 * a tree is only as finite as the file says, and inflating the one stream
 * it decodes, since libqpdf 11 has no limit on what a stream inflates to.
 */
#include "sign/pdf.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
/* next_in as const Bytef *: the input is never written. */
#define ZLIB_CONST
#include <zlib.h>

#include <qpdf/qpdf-c.h>

#include "util/file.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#define MAX_TREE_DEPTH 32	/* field and name trees: a loop ends here */
#define MAX_WORK (1u << 16)	/* tree entries looked at, shared arrays counted each time */
#define MIN_STREAM_CAP ((size_t)16 << 20)
#define MAX_STREAM_CAP ((size_t)512 << 20)
#define TAIL_SEARCH 1024	/* where qpdf looks for "startxref", from the end */

struct pdf {
	qpdf_data q;
	const unsigned char *buf;
	size_t len;
	unsigned char *owned;	/* buf, when it was read here */
	size_t max_stream;	/* what the embedded file may inflate to */
	char why[ZJ_ERROR_MAX];	/* the first fault qpdf reported; then every call fails */
};

/* ---- faults ------------------------------------------------------------ */

/*
 * After every step: an error, or any warning, qpdf has for what was read
 * so far refuses the file, with qpdf's own words (they name the object and
 * the offset).  Once refused, always refused: qpdf returns substitutes
 * (null, 0, "") after a fault, and nothing read after one is used.
 */
static int qfault(struct pdf *p, struct zj_error *err)
{
	qpdf_error e = NULL;

	if (!p->why[0]) {
		if (qpdf_has_error(p->q))
			e = qpdf_get_error(p->q);
		/* A warning comes before the error it leads to, and says why. */
		if (qpdf_more_warnings(p->q))
			e = qpdf_next_warning(p->q);
		if (!e)
			return 0;
		snprintf(p->why, sizeof(p->why), "%s", qpdf_get_error_full_text(p->q, e));
	}
	return zj_err(err, "%s", p->why);
}

/* ---- opening ----------------------------------------------------------- */

/* libqpdf reports "xref not found" at the offset of a cross-reference
 * stream it was told to ignore: say what it is instead. */
static int xref_stream_at(const unsigned char *buf, size_t len, unsigned long long at)
{
	size_t i = (size_t)at;

	if (at >= len)
		return 0;
	while (i < len && (buf[i] == ' ' || buf[i] == '\r' || buf[i] == '\n' || buf[i] == '\t' || buf[i] == '\f'))
		i++;
	return i < len && buf[i] >= '0' && buf[i] <= '9';
}

static int has_header(const unsigned char *buf, size_t n)
{
	for (size_t i = 0; i + 5 <= n; i++)
		if (!memcmp(buf + i, "%PDF-", 5))
			return 1;
	return 0;
}

static int open_buf(struct pdf **out, const unsigned char *data, size_t len, unsigned char *owned,
		    int hostile, struct zj_error *err)
{
	struct pdf *p = calloc(1, sizeof(*p));
	qpdf_oh root;

	*out = NULL;
	if (!p || !(p->q = qpdf_init())) {
		free(p);
		free(owned);
		return zj_err(err, "%s", _("out of memory"));
	}
	p->buf = data;
	p->len = len;
	p->owned = owned;
	p->max_stream = len > MAX_STREAM_CAP / 64 ? MAX_STREAM_CAP : len * 64;
	if (p->max_stream < MIN_STREAM_CAP)
		p->max_stream = MIN_STREAM_CAP;
	/* Errors are read here, never printed by the library. */
	qpdf_silence_errors(p->q);
	qpdf_set_suppress_warnings(p->q, QPDF_TRUE);
	qpdf_set_attempt_recovery(p->q, QPDF_FALSE);
	if (hostile)
		qpdf_set_ignore_xref_streams(p->q, QPDF_TRUE);
	if (!has_header(data, len < 1024 ? len : 1024)) {
		pdf_close(p);
		return zj_err(err, "%s", _("not a PDF file (no '%PDF-' header)"));
	}
	if (qpdf_read_memory(p->q, "file", (const char *)data, len, NULL) & QPDF_ERRORS) {
		qpdf_error e = qpdf_get_error(p->q);

		if (hostile && e && qpdf_get_error_code(p->q, e) == qpdf_e_damaged_pdf &&
		    xref_stream_at(data, len, qpdf_get_error_file_position(p->q, e)))
			zj_err(err, _("offset %llu: a cross-reference stream; a file from below must use cross-reference tables"),
			       qpdf_get_error_file_position(p->q, e));
		else if (e)	/* the first warning, when there is one, says why */
			zj_err(err, "%s", qpdf_get_error_full_text(p->q, qpdf_more_warnings(p->q) ? qpdf_next_warning(p->q) : e));
		else
			zj_err(err, "%s", _("libqpdf cannot read it"));
		pdf_close(p);
		return -1;
	}
	if (hostile && qpdf_oh_has_key(p->q, qpdf_get_trailer(p->q), "/XRefStm")) {
		pdf_close(p);
		return zj_err(err, "%s", _("a hybrid file (/XRefStm); a file from below must use cross-reference tables only"));
	}
	root = qpdf_get_root(p->q);
	if (qfault(p, err) < 0 || !qpdf_oh_is_dictionary(p->q, root)) {
		if (!p->why[0])
			zj_err(err, "%s", _("the trailer has no /Root dictionary"));
		pdf_close(p);
		return -1;
	}
	*out = p;
	return 0;
}

int pdf_open_mem(struct pdf **out, const unsigned char *data, size_t len, struct zj_error *err)
{
	return open_buf(out, data, len, NULL, 1, err);
}

int pdf_open_file(struct pdf **out, const char *path, size_t max_bytes, struct zj_error *err)
{
	unsigned char *buf;
	size_t len;

	*out = NULL;
	if (file_read_all(path, max_bytes ? max_bytes : PDF_DEFAULT_MAX_BYTES, &buf, &len, err) < 0)
		return -1;
	if (open_buf(out, buf, len, buf, 1, err) < 0)
		return zj_err_prefix(err, "'%s'", path);
	return 0;
}

int pdf_open_own(struct pdf **out, const char *path, struct zj_error *err)
{
	unsigned char *buf;
	size_t len;

	*out = NULL;
	if (file_read_all(path, PDF_DEFAULT_MAX_BYTES, &buf, &len, err) < 0)
		return -1;
	if (open_buf(out, buf, len, buf, 0, err) < 0)
		return zj_err_prefix(err, "'%s'", path);
	return 0;
}

void pdf_close(struct pdf *p)
{
	if (!p)
		return;
	if (p->q)
		qpdf_cleanup(&p->q);
	free(p->owned);
	free(p);
}

const unsigned char *pdf_bytes(const struct pdf *p, size_t *len)
{
	*len = p->len;
	return p->buf;
}

/* ---- values ------------------------------------------------------------ */

/* dict[key] ("/Key"), the null object if dict is not a dictionary: asking
 * a non-dictionary would be a qpdf warning, and so a refusal. */
static qpdf_oh dget(struct pdf *p, qpdf_oh dict, const char *key)
{
	if (!qpdf_oh_is_dictionary(p->q, dict))
		return qpdf_oh_new_null(p->q);
	return qpdf_oh_get_key(p->q, dict, key);
}

static int n_items(struct pdf *p, qpdf_oh arr)
{
	return qpdf_oh_is_array(p->q, arr) ? qpdf_oh_get_array_n_items(p->q, arr) : 0;
}

/* A text string (UTF-16BE with BOM or PDFDocEncoding) as UTF-8, malloc'd;
 * NULL if o is not a string. */
static char *text(struct pdf *p, qpdf_oh o)
{
	const char *s;
	size_t n;
	char *r;

	if (!qpdf_oh_is_string(p->q, o))
		return NULL;
	s = qpdf_oh_get_utf8_value(p->q, o);
	n = qpdf_get_last_string_length(p->q);
	if (!s || !(r = malloc(n + 1)))
		return NULL;
	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

/* ---- the embedded file ------------------------------------------------- */

static int inflate_capped(const unsigned char *in, size_t inlen, size_t cap, unsigned char **out,
			  size_t *outlen, struct zj_error *err)
{
	z_stream z;
	unsigned char *buf, *nb;
	size_t size = inlen < cap / 4 ? inlen * 4 + 1024 : cap + 1, used = 0, fed = 0;
	int rc;

	memset(&z, 0, sizeof(z));
	if (size > cap + 1)
		size = cap + 1;
	if (!(buf = malloc(size + 1)))
		return zj_err(err, "%s", _("out of memory"));
	if (inflateInit(&z) != Z_OK) {
		free(buf);
		return zj_err(err, "%s", _("out of memory"));
	}
	for (;;) {
		if (z.avail_in == 0 && fed < inlen) {
			size_t chunk = inlen - fed < UINT_MAX ? inlen - fed : UINT_MAX;

			z.next_in = in + fed;
			z.avail_in = (unsigned)chunk;
			fed += chunk;
		}
		if (used == size) {
			if (size > cap) {
				zj_err(err, _("the stream decodes to more than %zu bytes"), cap);
				goto fail;
			}
			size = size > (cap + 1) / 2 ? cap + 1 : size * 2;
			if (!(nb = realloc(buf, size + 1))) {
				zj_err(err, "%s", _("out of memory"));
				goto fail;
			}
			buf = nb;
		}
		z.next_out = buf + used;
		z.avail_out = (unsigned)(size - used < UINT_MAX ? size - used : UINT_MAX);
		{
			unsigned before = z.avail_out, in_before = z.avail_in;

			rc = inflate(&z, Z_NO_FLUSH);
			used += before - z.avail_out;
			if (rc == Z_STREAM_END)
				break;
			if (rc != Z_OK && rc != Z_BUF_ERROR) {
				zj_err(err, _("the compressed stream is corrupt: %s"), z.msg ? z.msg : "zlib");
				goto fail;
			}
			/* No progress although there is room and input: the
			 * data ends before the stream does. */
			if (before == z.avail_out && in_before == z.avail_in && used != size) {
				zj_err(err, "%s", _("the compressed stream is truncated"));
				goto fail;
			}
		}
	}
	inflateEnd(&z);
	if (used > cap) {
		free(buf);
		return zj_err(err, _("the stream decodes to more than %zu bytes"), cap);
	}
	buf[used] = '\0';
	*out = buf;
	*outlen = used;
	return 0;
fail:
	inflateEnd(&z);
	free(buf);
	return -1;
}

/* The file's data: raw from libqpdf, inflated here under the cap.  Only
 * no filter or /FlateDecode alone, without a predictor, is accepted: that
 * is what libharu and qpdf write for an attachment, and every other filter
 * is one more decoder to bound. */
static int stream_data(struct pdf *p, qpdf_oh st, unsigned char **data, size_t *len, struct zj_error *err)
{
	qpdf_oh dict = qpdf_oh_get_dict(p->q, st), f = dget(p, dict, "/Filter"), parms = dget(p, dict, "/DecodeParms");
	unsigned char *raw = NULL;
	size_t rawlen = 0;
	int flate;

	if (qpdf_oh_is_array(p->q, f) && n_items(p, f) == 1)
		f = qpdf_oh_get_array_item(p->q, f, 0);
	if (qpdf_oh_is_array(p->q, parms) && n_items(p, parms) == 1)
		parms = qpdf_oh_get_array_item(p->q, parms, 0);
	if (qfault(p, err) < 0)
		return -1;
	flate = qpdf_oh_is_name_and_equals(p->q, f, "/FlateDecode") || qpdf_oh_is_name_and_equals(p->q, f, "/Fl");
	if (!flate && !qpdf_oh_is_null(p->q, f))
		return zj_err(err, _("its filter %s is not accepted (only /FlateDecode)"), qpdf_oh_unparse(p->q, f));
	if (!qpdf_oh_is_null(p->q, parms) && !(qpdf_oh_is_dictionary(p->q, parms) &&
	    (!qpdf_oh_has_key(p->q, parms, "/Predictor") ||
	     qpdf_oh_get_int_value(p->q, qpdf_oh_get_key(p->q, parms, "/Predictor")) == 1)))
		return zj_err(err, "%s", _("its /DecodeParms are not accepted"));
	if (!qpdf_oh_is_null(p->q, dget(p, dict, "/F")))
		return zj_err(err, "%s", _("its data is in an external file"));
	if ((qpdf_oh_get_stream_data(p->q, st, qpdf_dl_none, NULL, &raw, &rawlen) & QPDF_ERRORS) ||
	    qfault(p, err) < 0) {
		free(raw);
		if (qfault(p, err) == 0)
			zj_err(err, "%s", _("libqpdf cannot read the stream"));
		return -1;
	}
	if (flate) {
		int rc = inflate_capped(raw, rawlen, p->max_stream, data, len, err);

		free(raw);
		return rc;
	}
	if (rawlen > p->max_stream) {
		free(raw);
		return zj_err(err, _("the stream is larger than %zu bytes"), p->max_stream);
	}
	if (!(*data = realloc(raw, rawlen + 1))) {	/* raw may be NULL when empty */
		free(raw);
		return zj_err(err, "%s", _("out of memory"));
	}
	(*data)[rawlen] = '\0';
	*len = rawlen;
	return 0;
}

static int name_matches(const char *have, const char *want)
{
	size_t h, w;

	if (!have)
		return 0;
	if (!strcmp(have, want))
		return 1;
	h = strlen(have);
	w = strlen(want);
	return h > w && !strcmp(have + h - w, want) && (have[h - w - 1] == '/' || have[h - w - 1] == '\\');
}

static int filespec_matches(struct pdf *p, qpdf_oh key, qpdf_oh fs, const char *name)
{
	static const char *const keys[] = { "/UF", "/F" };
	char *t = text(p, key);
	int m = name_matches(t, name);

	free(t);
	for (size_t i = 0; !m && i < 2; i++) {
		t = text(p, dget(p, fs, keys[i]));
		m = name_matches(t, name);
		free(t);
	}
	return m;
}

struct frame {
	qpdf_oh kids;	/* an array */
	int i, n;
	qpdf_oh ft;	/* fields: the inherited /FT */
};

static int embedded_file(struct pdf *p, const char *name, unsigned char **data, size_t *len,
			 struct zj_error *err)
{
	struct frame st[MAX_TREE_DEPTH];
	size_t sp = 0, work = 0, limit = p->len + 1024 < MAX_WORK ? p->len + 1024 : MAX_WORK;
	qpdf_oh node, found = 0, ef, fst;

	*data = NULL;
	*len = 0;
	if (qfault(p, err) < 0)
		return -1;
	node = dget(p, dget(p, qpdf_get_root(p->q), "/Names"), "/EmbeddedFiles");
	if (qfault(p, err) < 0)
		return zj_err_prefix(err, "%s", _("embedded files"));
	if (!qpdf_oh_is_dictionary(p->q, node)) {
		zj_err(err, _("no embedded file '%s': the PDF has no attachments"), name);
		return PDF_NOT_FOUND;
	}
	for (;;) {
		qpdf_oh nm = dget(p, node, "/Names"), kids = dget(p, node, "/Kids");
		int n = n_items(p, nm), nk = n_items(p, kids);

		/* An array shared by many nodes is looked at again for each:
		 * bound the entries, not only the nodes. */
		if ((work += (size_t)n + (size_t)nk) > limit)
			return zj_err(err, "%s", _("the embedded files tree is too large for the file"));
		for (int i = 0; i + 1 < n; i += 2) {
			qpdf_oh key = qpdf_oh_get_array_item(p->q, nm, i), fs = qpdf_oh_get_array_item(p->q, nm, i + 1);

			if (qpdf_oh_is_dictionary(p->q, fs) && filespec_matches(p, key, fs, name)) {
				/* Two attachments of one name would let the
				 * verifier and a viewer disagree. */
				if (found)
					return zj_err(err, _("more than one embedded file is named '%s'"), name);
				found = fs;
			}
			if (qfault(p, err) < 0)
				return zj_err_prefix(err, "%s", _("embedded files"));
		}
		if (nk) {
			if (sp == MAX_TREE_DEPTH)
				return zj_err(err, "%s", _("the embedded files tree is nested too deeply"));
			st[sp++] = (struct frame){ kids, 0, nk, 0 };
		}
		node = 0;
		while (sp && !node) {
			struct frame *f = &st[sp - 1];

			if (f->i >= f->n) {
				sp--;
				continue;
			}
			node = qpdf_oh_get_array_item(p->q, f->kids, f->i++);
			if (!qpdf_oh_is_dictionary(p->q, node))
				node = 0;
		}
		if (qfault(p, err) < 0)
			return zj_err_prefix(err, "%s", _("embedded files"));
		if (!node)
			break;
	}
	if (!found) {
		zj_err(err, _("no embedded file '%s'"), name);
		return PDF_NOT_FOUND;
	}
	ef = dget(p, found, "/EF");
	fst = dget(p, ef, "/UF");
	if (!qpdf_oh_is_stream(p->q, fst))
		fst = dget(p, ef, "/F");
	if (qfault(p, err) < 0)
		return zj_err_prefix(err, _("embedded file '%s'"), name);
	if (!qpdf_oh_is_stream(p->q, fst))
		return zj_err(err, _("embedded file '%s' has no data stream"), name);
	if (stream_data(p, fst, data, len, err) < 0)
		return zj_err_prefix(err, _("embedded file '%s'"), name);
	return 0;
}

/* Handles live until released: none is kept past one call of the API. */
int pdf_embedded_file(struct pdf *p, const char *name, unsigned char **data, size_t *len,
		      struct zj_error *err)
{
	int rc = embedded_file(p, name, data, len, err);

	qpdf_oh_release_all(p->q);
	return rc;
}

/* ---- form fields ------------------------------------------------------- */

static int is_field(struct pdf *p, qpdf_oh o)
{
	return qpdf_oh_is_dictionary(p->q, o) && qpdf_oh_has_key(p->q, o, "/T");
}

void pdf_sigs_free(struct pdf_sig *sigs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(sigs[i].name);
		free(sigs[i].contents);
		free(sigs[i].subfilter);
		free(sigs[i].m);
	}
	free(sigs);
}

/* The parts of a signature dictionary v into s; -1 when memory runs out. */
static int read_sig(struct pdf *p, qpdf_oh fo, qpdf_oh v, struct pdf_sig *s)
{
	qpdf_oh br = dget(p, v, "/ByteRange"), c = dget(p, v, "/Contents"), sf = dget(p, v, "/SubFilter");

	if (n_items(p, br) == 4) {
		s->has_range = 1;
		for (int i = 0; i < 4; i++) {
			qpdf_oh x = qpdf_oh_get_array_item(p->q, br, i);

			if (!qpdf_oh_is_integer(p->q, x) || (s->range[i] = qpdf_oh_get_int_value(p->q, x)) < 0)
				s->has_range = 0;
		}
	}
	if (qpdf_oh_is_string(p->q, c)) {
		size_t n = 0;
		const char *b = qpdf_oh_get_binary_string_value(p->q, c, &n);

		if (!(s->contents = malloc(n + 1)))
			return -1;
		if (n)
			memcpy(s->contents, b, n);
		s->contents_len = n;
	}
	s->subfilter = strdup(qpdf_oh_is_name(p->q, sf) ? qpdf_oh_get_name(p->q, sf) + 1 : "");
	s->m = text(p, dget(p, v, "/M"));
	s->name = text(p, dget(p, fo, "/T"));
	if (!s->name)
		s->name = strdup("");
	return s->subfilter && s->name ? 0 : -1;
}

/* Walks /AcroForm /Fields; each terminal field to visit(…, ctx). */
static int walk_fields(struct pdf *p, int (*visit)(struct pdf *, qpdf_oh fo, qpdf_oh ft, void *), void *ctx,
		       struct zj_error *err)
{
	struct frame st[MAX_TREE_DEPTH];
	size_t sp = 0, work = 0, limit = p->len + 1024 < MAX_WORK ? p->len + 1024 : MAX_WORK;
	qpdf_oh fields;

	if (qfault(p, err) < 0)
		return -1;
	fields = dget(p, dget(p, qpdf_get_root(p->q), "/AcroForm"), "/Fields");
	if (qfault(p, err) < 0)
		return zj_err_prefix(err, "%s", _("form fields"));
	if (!qpdf_oh_is_array(p->q, fields))
		return 0;
	st[sp++] = (struct frame){ fields, 0, n_items(p, fields), qpdf_oh_new_null(p->q) };
	while (sp) {
		struct frame *f = &st[sp - 1];
		qpdf_oh fo, kids, ft;
		int nk, has_field_kids = 0, rc;

		if (f->i >= f->n) {
			sp--;
			continue;
		}
		if (++work > limit)
			return zj_err(err, "%s", _("the form's field tree is too large for the file"));
		fo = qpdf_oh_get_array_item(p->q, f->kids, f->i++);
		if (!qpdf_oh_is_indirect(p->q, fo) || !qpdf_oh_is_dictionary(p->q, fo))
			continue;
		kids = dget(p, fo, "/Kids");
		ft = dget(p, fo, "/FT");
		if (qpdf_oh_is_null(p->q, ft))
			ft = f->ft;
		nk = n_items(p, kids);
		if ((work += (size_t)nk) > limit)
			return zj_err(err, "%s", _("the form's field tree is too large for the file"));
		for (int i = 0; i < nk && !has_field_kids; i++)
			has_field_kids = is_field(p, qpdf_oh_get_array_item(p->q, kids, i));
		if (qfault(p, err) < 0)
			return zj_err_prefix(err, "%s", _("form fields"));
		if (has_field_kids) {
			if (sp == MAX_TREE_DEPTH)
				return zj_err(err, "%s", _("the form's field tree is nested too deeply"));
			st[sp++] = (struct frame){ kids, 0, nk, ft };
			continue;
		}
		if ((rc = visit(p, fo, ft, ctx)) < 0)
			return rc;
		if (qfault(p, err) < 0)
			return zj_err_prefix(err, "%s", _("form fields"));
	}
	return 0;
}

struct sigs_ctx {
	struct pdf_sig *v;
	size_t n, cap, nfields;
	struct zj_error *err;
};

static int visit_sig(struct pdf *p, qpdf_oh fo, qpdf_oh ft, void *ctx)
{
	struct sigs_ctx *c = ctx;
	struct pdf_sig s = { 0 };
	qpdf_oh v;

	c->nfields++;
	if (!qpdf_oh_is_name_and_equals(p->q, ft, "/Sig"))
		return 0;
	v = dget(p, fo, "/V");
	if (!qpdf_oh_is_dictionary(p->q, v))
		return 0;
	s.field_num = (unsigned)qpdf_oh_get_object_id(p->q, fo);
	s.field_gen = (unsigned)qpdf_oh_get_generation(p->q, fo);
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 4;
		struct pdf_sig *nv = realloc(c->v, cap * sizeof(*nv));

		if (!nv)
			return zj_err(c->err, "%s", _("out of memory"));
		c->v = nv;
		c->cap = cap;
	}
	if (read_sig(p, fo, v, &s) < 0) {
		free(s.name);
		free(s.contents);
		free(s.subfilter);
		free(s.m);
		return zj_err(c->err, "%s", _("out of memory"));
	}
	c->v[c->n++] = s;
	return 0;
}

int pdf_signatures(struct pdf *p, struct pdf_sig **sigs, size_t *n, size_t *nfields,
		   struct zj_error *err)
{
	struct sigs_ctx c = { .err = err };

	*sigs = NULL;
	*n = 0;
	*nfields = 0;
	if (walk_fields(p, visit_sig, &c, err) < 0) {
		qpdf_oh_release_all(p->q);
		pdf_sigs_free(c.v, c.n);
		return -1;
	}
	qpdf_oh_release_all(p->q);
	*sigs = c.v;
	*n = c.n;
	*nfields = c.nfields;
	return 0;
}

/* ---- what an incremental update copies ---------------------------------- */

static int count_field(struct pdf *p, qpdf_oh fo, qpdf_oh ft, void *ctx)
{
	(void)p;
	(void)fo;
	(void)ft;
	(*(size_t *)ctx)++;
	return 0;
}

/* " /Key value" for every entry of dict but those in skip, each value as
 * libqpdf writes it (a reference stays a reference). */
static char *entries(struct pdf *p, qpdf_oh dict, const char *const *skip)
{
	struct strbuf sb = { 0 };
	char **keys = NULL;
	size_t n = 0, cap = 0;
	int oom = sb_adds(&sb, "");

	/* The keys first: unparsing a value would disturb the iteration. */
	qpdf_oh_begin_dict_key_iter(p->q, dict);
	while (!oom && qpdf_oh_dict_more_keys(p->q)) {
		const char *k = qpdf_oh_dict_next_key(p->q);
		int skipped = 0;

		for (const char *const *s = skip; *s && !skipped; s++)
			skipped = !strcmp(*s, k);
		if (skipped)
			continue;
		if (n == cap) {
			char **nk = realloc(keys, (cap = cap ? cap * 2 : 16) * sizeof(*keys));

			if (!nk) {
				oom = 1;
				break;
			}
			keys = nk;
		}
		if (!(keys[n] = strdup(k)))
			oom = 1;
		else
			n++;
	}
	for (size_t i = 0; i < n; i++) {
		if (!oom) {
			qpdf_oh name = qpdf_oh_new_name(p->q, keys[i]);

			oom |= sb_adds(&sb, " ") | sb_adds(&sb, qpdf_oh_unparse(p->q, name)) | sb_adds(&sb, " ") |
			       sb_adds(&sb, qpdf_oh_unparse(p->q, qpdf_oh_get_key(p->q, dict, keys[i])));
		}
		free(keys[i]);
	}
	free(keys);
	if (oom) {
		sb_release(&sb);
		return NULL;
	}
	return sb.p;
}

/* The items of arr (if it is an array), each followed by a space. */
static char *items(struct pdf *p, qpdf_oh arr)
{
	struct strbuf sb = { 0 };
	int n = n_items(p, arr), oom = sb_adds(&sb, "");

	for (int i = 0; i < n && !oom; i++)
		oom |= sb_adds(&sb, qpdf_oh_unparse(p->q, qpdf_oh_get_array_item(p->q, arr, i))) | sb_adds(&sb, " ");
	if (oom) {
		sb_release(&sb);
		return NULL;
	}
	return sb.p;
}

/* The offset after the last "startxref" near the end, as libqpdf finds it:
 * libqpdf reads it but does not say, and the update's /Prev is it. */
static int find_startxref(const unsigned char *buf, size_t len, size_t *at)
{
	static const char kw[] = "startxref";
	size_t lim = len > TAIL_SEARCH ? len - TAIL_SEARCH : 0;

	for (size_t i = len >= sizeof(kw) - 1 ? len - (sizeof(kw) - 1) + 1 : 0; i-- > lim;) {
		size_t j = i + sizeof(kw) - 1, v = 0, start;

		if (memcmp(buf + i, kw, sizeof(kw) - 1))
			continue;
		while (j < len && (buf[j] == ' ' || buf[j] == '\r' || buf[j] == '\n' || buf[j] == '\t'))
			j++;
		for (start = j; j < len && buf[j] >= '0' && buf[j] <= '9' && v < len; j++)
			v = v * 10 + (size_t)(buf[j] - '0');
		if (j == start || v >= len)
			return -1;
		*at = v;
		return 0;
	}
	return -1;
}

void pdf_update_base_release(struct pdf_update_base *u)
{
	free(u->catalog);
	free(u->form);
	free(u->fields);
	free(u->page);
	free(u->annots);
	free(u->info);
	free(u->id);
	memset(u, 0, sizeof(*u));
}

static char *dup_unparse(struct pdf *p, qpdf_oh o)
{
	return strdup(qpdf_oh_unparse(p->q, o));
}

static int update_base(struct pdf *p, struct pdf_update_base *u, struct zj_error *err)
{
	static const char *const skip_cat[] = { "/AcroForm", NULL };
	static const char *const skip_form[] = { "/Fields", "/SigFlags", NULL };
	static const char *const skip_page[] = { "/Annots", NULL };
	qpdf_oh tr, root, af, page, size, info, id;
	int npages, oom = 0;

	memset(u, 0, sizeof(*u));
	if (qfault(p, err) < 0)
		return -1;
	tr = qpdf_get_trailer(p->q);
	if (qpdf_oh_has_key(p->q, tr, "/Encrypt"))
		return zj_err(err, "%s", _("the file is encrypted; an update would be written in the clear"));
	root = qpdf_get_root(p->q);
	npages = qpdf_get_num_pages(p->q);
	if (qfault(p, err) < 0)
		return -1;
	if (npages < 1)
		return zj_err(err, "%s", _("the document has no pages"));
	page = qpdf_get_page_n(p->q, (size_t)npages - 1);
	af = dget(p, root, "/AcroForm");
	size = dget(p, tr, "/Size");
	info = dget(p, tr, "/Info");
	id = dget(p, tr, "/ID");
	if (qfault(p, err) < 0)
		return -1;
	if (!qpdf_oh_is_indirect(p->q, root) || !qpdf_oh_is_indirect(p->q, page))
		return zj_err(err, "%s", _("the catalog or the last page is not an indirect object"));
	u->cat_num = (unsigned)qpdf_oh_get_object_id(p->q, root);
	u->cat_gen = (unsigned)qpdf_oh_get_generation(p->q, root);
	u->page_num = (unsigned)qpdf_oh_get_object_id(p->q, page);
	u->page_gen = (unsigned)qpdf_oh_get_generation(p->q, page);
	if (!qpdf_oh_is_integer(p->q, size) || qpdf_oh_get_int_value(p->q, size) < 1 ||
	    qpdf_oh_get_int_value(p->q, size) > INT_MAX - 4)
		return zj_err(err, "%s", _("the trailer's /Size is not a whole number in range"));
	u->next_num = (unsigned)qpdf_oh_get_int_value(p->q, size);
	/* A /Size too small would make the new objects replace old ones. */
	for (unsigned k = 0; k < 2; k++)
		if (!qpdf_oh_is_null(p->q, qpdf_get_object_by_id(p->q, (int)(u->next_num + k), 0)))
			return zj_err(err, _("object %u exists although the trailer's /Size is %u"), u->next_num + k,
				      u->next_num);
	if (find_startxref(p->buf, p->len, &u->startxref) < 0)
		return zj_err(err, "%s", _("no 'startxref' at the end of the file"));
	if (walk_fields(p, count_field, &u->nfields, err) < 0)
		return -1;
	if (!(u->catalog = entries(p, root, skip_cat)) || !(u->page = entries(p, page, skip_page)))
		oom = 1;
	else if (qpdf_oh_is_dictionary(p->q, af) &&
		 (!(u->form = entries(p, af, skip_form)) || !(u->fields = items(p, dget(p, af, "/Fields")))))
		oom = 1;
	else if (!(u->annots = items(p, dget(p, page, "/Annots"))))
		oom = 1;
	else if (qpdf_oh_is_indirect(p->q, info) && !(u->info = dup_unparse(p, info)))
		oom = 1;
	else if (qpdf_oh_is_array(p->q, id) && !(u->id = dup_unparse(p, id)))
		oom = 1;
	if (!oom && !u->form && !(u->form = strdup("")))
		oom = 1;
	if (!oom && !u->fields && !(u->fields = strdup("")))
		oom = 1;
	if (oom || qfault(p, err) < 0) {
		pdf_update_base_release(u);
		return oom ? zj_err(err, "%s", _("out of memory")) : -1;
	}
	return 0;
}

int pdf_update_base(struct pdf *p, struct pdf_update_base *u, struct zj_error *err)
{
	int rc = update_base(p, u, err);

	qpdf_oh_release_all(p->q);
	return rc;
}
