/*
 * pdf.c: the bounded PDF reader (see pdf.h for what it reads and why it
 * does not repair).  Every limit below exists because a file from below may
 * be built to exhaust memory, time or the stack.
 */
#include "sign/pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
/* next_in as const Bytef *: the input is never written. */
#define ZLIB_CONST
#include <zlib.h>

#include "util/file.h"
#include "util/i18n.h"

#define MAX_DEPTH 48		/* arrays and dictionaries inside each other */
#define MAX_HOPS 32		/* a reference to a reference to ... */
#define MAX_LOAD_DEPTH 16	/* objects loaded while loading another (/Length, object streams) */
#define MAX_SECTIONS 512	/* cross-reference sections: the original plus its updates */
#define MAX_OBJECTS (1u << 22)	/* PDF's own implementation limit is 8388607 */
#define MAX_TREE_DEPTH 32	/* page, name and field trees */
#define MAX_NAME 4096
#define MAX_FILTERS 4
#define MIN_STREAM_CAP ((size_t)16 << 20)
#define MAX_STREAM_CAP ((size_t)512 << 20)
#define CHUNK_SIZE ((size_t)64 << 10)
#define TAIL_SEARCH 4096	/* where "startxref" may be, from the end */

struct chunk {
	struct chunk *next;
	size_t used, size;
	unsigned char data[];
};

struct xent {
	uint32_t num, gen;
	uint32_t idx;		/* type 2: index inside the object stream */
	uint8_t type;		/* 0 free, 1 at an offset, 2 inside an object stream */
	uint64_t off;		/* type 1: file offset; type 2: the object stream's number */
	size_t seq;		/* order of appearance, newest section first */
};

struct objstm {
	unsigned char *data;
	size_t len, first, n;
	uint32_t *nums;
	size_t *offs;
};

enum { ST_NEW, ST_BUSY, ST_DONE, ST_FAILED };

struct pdf {
	unsigned char *buf;
	size_t len;

	struct xent *xref;
	size_t nxref, xcap, max_objects;
	const struct pdf_obj **cache;
	unsigned char *state;
	struct objstm **ostm;

	const struct pdf_obj *trailer;
	size_t startxref;
	uint32_t next_num;

	struct chunk *chunks;
	size_t arena_used, arena_cap;
	size_t max_stream;	/* one decoded stream */
	size_t budget;		/* decoded object and xref streams, kept for the life of p */
	int load_depth;
};

static const struct pdf_obj null_obj = { .type = PDF_NULL };

const struct pdf_obj *pdf_null(void)
{
	return &null_obj;
}

/* ---- arena ------------------------------------------------------------ */

static void *arena_alloc(struct pdf *p, size_t n, struct zj_error *err)
{
	struct chunk *c = p->chunks;
	void *r;

	if (n > SIZE_MAX - 16) {
		zj_err(err, "%s", _("the file needs more memory than allowed"));
		return NULL;
	}
	n = (n + 15) & ~(size_t)15;
	if (n > p->arena_cap - p->arena_used) {
		zj_err(err, "%s", _("the file has more objects than allowed for its size"));
		return NULL;
	}
	if (!c || c->size - c->used < n) {
		size_t size = n > CHUNK_SIZE ? n : CHUNK_SIZE;

		c = malloc(sizeof(*c) + size);
		if (!c) {
			zj_err(err, "%s", _("out of memory"));
			return NULL;
		}
		c->size = size;
		c->used = 0;
		c->next = p->chunks;
		p->chunks = c;
	}
	r = c->data + c->used;
	c->used += n;
	p->arena_used += n;
	return r;
}

static struct pdf_obj *new_obj(struct pdf *p, enum pdf_type t, struct zj_error *err)
{
	struct pdf_obj *o = arena_alloc(p, sizeof(*o), err);

	if (o) {
		memset(o, 0, sizeof(*o));
		o->type = t;
	}
	return o;
}

/* ---- lexer ------------------------------------------------------------ */

struct parser {
	struct pdf *p;
	const unsigned char *s;
	size_t len, pos;
	int in_file;		/* s is the file itself: string offsets are file offsets */
	int indirect_length;	/* a stream's /Length may be a reference */
	struct zj_error *err;
};

static int is_ws(int c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static int is_delim(int c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' ||
	       c == '{' || c == '}' || c == '/' || c == '%';
}

static int is_regular(int c)
{
	return !is_ws(c) && !is_delim(c);
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
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

static void skip_ws(struct parser *ps)
{
	while (ps->pos < ps->len) {
		int c = ps->s[ps->pos];

		if (is_ws(c)) {
			ps->pos++;
		} else if (c == '%') {
			while (ps->pos < ps->len && ps->s[ps->pos] != '\n' && ps->s[ps->pos] != '\r')
				ps->pos++;
		} else {
			break;
		}
	}
}

static int at_keyword(const struct parser *ps, const char *kw)
{
	size_t n = strlen(kw);

	if (ps->len - ps->pos < n || memcmp(ps->s + ps->pos, kw, n))
		return 0;
	return ps->pos + n == ps->len || !is_regular(ps->s[ps->pos + n]);
}

static int perr(struct parser *ps, const char *what)
{
	if (ps->in_file)
		return zj_err(ps->err, _("offset %zu: %s"), ps->pos, what);
	return zj_err(ps->err, _("in an object stream at %zu: %s"), ps->pos, what);
}

/* A plain unsigned integer (object numbers, offsets, counts). */
static int read_uint(struct parser *ps, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;
	size_t start = ps->pos;

	while (ps->pos < ps->len && is_digit(ps->s[ps->pos])) {
		unsigned d = ps->s[ps->pos] - '0';

		if (x > (max - d) / 10)
			return perr(ps, _("number out of range"));
		x = x * 10 + d;
		ps->pos++;
	}
	if (ps->pos == start)
		return perr(ps, _("expected a number"));
	if (ps->pos < ps->len && is_regular(ps->s[ps->pos]))
		return perr(ps, _("malformed number"));
	*v = x;
	return 0;
}

/* ---- objects ---------------------------------------------------------- */

static struct pdf_obj *parse_value(struct parser *ps, int depth);

static struct pdf_obj *parse_number(struct parser *ps)
{
	const unsigned char *s = ps->s;
	size_t i = ps->pos;
	int neg = 0, real = 0, digits = 0, overflow = 0;
	unsigned long long iv = 0;
	double rv = 0, scale = 1;
	struct pdf_obj *o;

	if (s[i] == '+' || s[i] == '-')
		neg = s[i++] == '-';
	while (i < ps->len && is_digit(s[i])) {
		unsigned d = s[i] - '0';

		if (iv > (unsigned long long)(LLONG_MAX - d) / 10)
			overflow = 1;
		else
			iv = iv * 10 + d;
		if (digits < 40)
			rv = rv * 10 + d;
		digits++;
		i++;
	}
	if (i < ps->len && s[i] == '.') {
		real = 1;
		i++;
		while (i < ps->len && is_digit(s[i])) {
			if (scale > 1e-30) {
				scale /= 10;
				rv += (s[i] - '0') * scale;
			}
			digits++;
			i++;
		}
	}
	if (!digits || (i < ps->len && is_regular(s[i]))) {
		ps->pos = i;
		perr(ps, _("malformed number"));
		return NULL;
	}
	if (overflow && !real) {
		perr(ps, _("number out of range"));
		return NULL;
	}
	ps->pos = i;
	if (!(o = new_obj(ps->p, real ? PDF_REAL : PDF_INT, ps->err)))
		return NULL;
	if (real)
		o->u.r = neg ? -rv : rv;
	else
		o->u.i = neg ? -(long long)iv : (long long)iv;
	return o;
}

static struct pdf_obj *parse_name(struct parser *ps)
{
	size_t i = ps->pos + 1, n = 0;
	char tmp[MAX_NAME + 1];
	struct pdf_obj *o;
	char *copy;

	while (i < ps->len && is_regular(ps->s[i])) {
		int c = ps->s[i];

		if (c == '#') {
			int h, l;

			if (ps->len - i < 3 || (h = hexval(ps->s[i + 1])) < 0 || (l = hexval(ps->s[i + 2])) < 0) {
				ps->pos = i;
				perr(ps, _("malformed name"));
				return NULL;
			}
			c = h << 4 | l;
			if (!c) {
				ps->pos = i;
				perr(ps, _("name contains a NUL byte"));
				return NULL;
			}
			i += 3;
		} else {
			i++;
		}
		if (n == MAX_NAME) {
			perr(ps, _("name too long"));
			return NULL;
		}
		tmp[n++] = (char)c;
	}
	ps->pos = i;
	if (!(o = new_obj(ps->p, PDF_NAME, ps->err)) || !(copy = arena_alloc(ps->p, n + 1, ps->err)))
		return NULL;
	memcpy(copy, tmp, n);
	copy[n] = '\0';
	o->u.name.p = copy;
	o->u.name.len = n;
	return o;
}

/* A string object with room for cap decoded bytes and a NUL, which the
 * caller writes through *buf. */
static struct pdf_obj *make_string(struct parser *ps, size_t start, size_t end, size_t cap, unsigned char **buf)
{
	struct pdf_obj *o = new_obj(ps->p, PDF_STRING, ps->err);

	if (!o || !(*buf = arena_alloc(ps->p, cap + 1, ps->err)))
		return NULL;
	o->u.str.p = *buf;
	o->u.str.off = ps->in_file ? start : PDF_NOWHERE;
	o->u.str.end = ps->in_file ? end : PDF_NOWHERE;
	return o;
}

static struct pdf_obj *parse_literal(struct parser *ps)
{
	const unsigned char *s = ps->s;
	size_t start = ps->pos, i = start + 1, depth = 1, n = 0;
	struct pdf_obj *o;
	unsigned char *out;

	/* Find the end first, so the decoded copy is allocated once. */
	while (i < ps->len) {
		if (s[i] == '\\') {
			i += 2;
			continue;
		}
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0)
			break;
		i++;
	}
	if (i >= ps->len) {
		perr(ps, _("unterminated string"));
		return NULL;
	}
	if (!(o = make_string(ps, start, i + 1, i - start, &out)))
		return NULL;
	for (size_t k = start + 1; k < i;) {
		int c = s[k++];

		if (c == '\r') {
			if (k < i && s[k] == '\n')
				k++;
			out[n++] = '\n';
		} else if (c != '\\') {
			out[n++] = (unsigned char)c;
		} else {
			c = s[k++];	/* k <= i: the scan above skipped escapes in pairs */
			switch (c) {
			case 'n': out[n++] = '\n'; break;
			case 'r': out[n++] = '\r'; break;
			case 't': out[n++] = '\t'; break;
			case 'b': out[n++] = '\b'; break;
			case 'f': out[n++] = '\f'; break;
			case '\r':
				if (k < i && s[k] == '\n')
					k++;
				break;
			case '\n':
				break;
			default:
				if (c >= '0' && c <= '7') {
					int v = c - '0';

					for (int d = 0; d < 2 && k < i && s[k] >= '0' && s[k] <= '7'; d++)
						v = v * 8 + (s[k++] - '0');
					out[n++] = (unsigned char)v;
				} else {
					out[n++] = (unsigned char)c;
				}
			}
		}
	}
	out[n] = '\0';
	o->u.str.len = n;
	ps->pos = i + 1;
	return o;
}

static struct pdf_obj *parse_hex(struct parser *ps)
{
	const unsigned char *s = ps->s;
	size_t start = ps->pos, i = start + 1, n = 0;
	int hi = -1;
	struct pdf_obj *o;
	unsigned char *out;

	while (i < ps->len && s[i] != '>')
		i++;
	if (i >= ps->len) {
		perr(ps, _("unterminated hex string"));
		return NULL;
	}
	if (!(o = make_string(ps, start, i + 1, (i - start) / 2 + 1, &out)))
		return NULL;
	for (size_t k = start + 1; k < i; k++) {
		int v = hexval(s[k]);

		if (v < 0) {
			if (is_ws(s[k]))
				continue;
			ps->pos = k;
			perr(ps, _("bad character in hex string"));
			return NULL;
		}
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (unsigned char)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0)
		out[n++] = (unsigned char)(hi << 4);
	out[n] = '\0';
	o->u.str.len = n;
	ps->pos = i + 1;
	return o;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp((*(const struct pdf_kv *const *)a)->key, (*(const struct pdf_kv *const *)b)->key);
}

/* Collects into a malloc'd vector, then moves it into the arena, so the
 * arena never holds the waste of a growing array. */
static struct pdf_obj *parse_array(struct parser *ps, int depth)
{
	struct pdf_obj **v = NULL, **nv, *o;
	size_t n = 0, cap = 0;

	ps->pos++;
	for (;;) {
		struct pdf_obj *e;

		skip_ws(ps);
		if (ps->pos >= ps->len) {
			perr(ps, _("unterminated array"));
			goto fail;
		}
		if (ps->s[ps->pos] == ']') {
			ps->pos++;
			break;
		}
		if (!(e = parse_value(ps, depth + 1)))
			goto fail;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			if (!(nv = realloc(v, cap * sizeof(*v)))) {
				zj_err(ps->err, "%s", _("out of memory"));
				goto fail;
			}
			v = nv;
		}
		v[n++] = e;
	}
	if (!(o = new_obj(ps->p, PDF_ARRAY, ps->err)))
		goto fail;
	if (n) {
		if (!(o->u.arr.v = arena_alloc(ps->p, n * sizeof(*v), ps->err)))
			goto fail;
		memcpy(o->u.arr.v, v, n * sizeof(*v));
	}
	o->u.arr.n = n;
	free(v);
	return o;
fail:
	free(v);
	return NULL;
}

static struct pdf_obj *parse_dict(struct parser *ps, int depth)
{
	struct pdf_kv *v = NULL, *nv;
	struct pdf_kv **sorted = NULL;
	struct pdf_obj *o;
	size_t n = 0, cap = 0;

	ps->pos += 2;
	for (;;) {
		struct pdf_obj *k, *val;

		skip_ws(ps);
		if (ps->pos >= ps->len) {
			perr(ps, _("unterminated dictionary"));
			goto fail;
		}
		if (ps->s[ps->pos] == '>') {
			if (ps->len - ps->pos < 2 || ps->s[ps->pos + 1] != '>') {
				perr(ps, _("malformed dictionary end"));
				goto fail;
			}
			ps->pos += 2;
			break;
		}
		if (ps->s[ps->pos] != '/') {
			perr(ps, _("dictionary key is not a name"));
			goto fail;
		}
		if (!(k = parse_name(ps)) || !(val = parse_value(ps, depth + 1)))
			goto fail;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			if (!(nv = realloc(v, cap * sizeof(*v)))) {
				zj_err(ps->err, "%s", _("out of memory"));
				goto fail;
			}
			v = nv;
		}
		v[n].key = k->u.name.p;
		v[n++].val = val;
	}
	/* Two values for one key would let the verifier and a viewer read
	 * different things; refuse rather than pick one. */
	if (n > 1) {
		if (!(sorted = malloc(n * sizeof(*sorted)))) {
			zj_err(ps->err, "%s", _("out of memory"));
			goto fail;
		}
		for (size_t i = 0; i < n; i++)
			sorted[i] = &v[i];
		qsort(sorted, n, sizeof(*sorted), cmp_key);
		for (size_t i = 1; i < n; i++)
			if (!strcmp(sorted[i - 1]->key, sorted[i]->key)) {
				zj_err(ps->err, _("offset %zu: key '/%s' appears twice in a dictionary"),
				       ps->pos, sorted[i]->key);
				goto fail;
			}
		free(sorted);
		sorted = NULL;
	}
	if (!(o = new_obj(ps->p, PDF_DICT, ps->err)))
		goto fail;
	if (n) {
		if (!(o->u.dict.v = arena_alloc(ps->p, n * sizeof(*v), ps->err)))
			goto fail;
		memcpy(o->u.dict.v, v, n * sizeof(*v));
	}
	o->u.dict.n = n;
	free(v);
	return o;
fail:
	free(sorted);
	free(v);
	return NULL;
}

static struct pdf_obj *parse_value(struct parser *ps, int depth)
{
	int c;

	if (depth > MAX_DEPTH) {
		perr(ps, _("objects nested too deeply"));
		return NULL;
	}
	skip_ws(ps);
	if (ps->pos >= ps->len) {
		perr(ps, _("unexpected end of data"));
		return NULL;
	}
	c = ps->s[ps->pos];
	if (c == '/')
		return parse_name(ps);
	if (c == '(')
		return parse_literal(ps);
	if (c == '<') {
		if (ps->len - ps->pos >= 2 && ps->s[ps->pos + 1] == '<')
			return parse_dict(ps, depth);
		return parse_hex(ps);
	}
	if (c == '[')
		return parse_array(ps, depth);
	if (is_digit(c) || c == '+' || c == '-' || c == '.') {
		struct pdf_obj *o = parse_number(ps);
		size_t save;
		uint64_t gen;

		if (!o || o->type != PDF_INT || o->u.i < 0 || o->u.i > INT32_MAX || !is_digit(c))
			return o;
		/* "N G R" is a reference: look ahead, and step back if not. */
		save = ps->pos;
		skip_ws(ps);
		if (ps->pos < ps->len && is_digit(ps->s[ps->pos])) {
			struct zj_error *keep = ps->err;
			struct zj_error scratch;

			ps->err = &scratch;
			if (read_uint(ps, 65535, &gen) == 0) {
				skip_ws(ps);
				if (at_keyword(ps, "R")) {
					uint32_t num = (uint32_t)o->u.i;

					ps->err = keep;
					ps->pos++;
					o->type = PDF_REF;
					o->u.ref.num = num;
					o->u.ref.gen = (uint32_t)gen;
					return o;
				}
			}
			ps->err = keep;
		}
		ps->pos = save;
		return o;
	}
	if (at_keyword(ps, "true") || at_keyword(ps, "false")) {
		struct pdf_obj *o = new_obj(ps->p, PDF_BOOL, ps->err);

		if (o)
			o->u.b = c == 't';
		ps->pos += c == 't' ? 4 : 5;
		return o;
	}
	if (at_keyword(ps, "null")) {
		ps->pos += 4;
		return new_obj(ps->p, PDF_NULL, ps->err);
	}
	perr(ps, _("unexpected character"));
	return NULL;
}

/* ---- dictionaries and references --------------------------------------- */

const struct pdf_obj *pdf_dict_of(const struct pdf_obj *o)
{
	if (o && o->type == PDF_STREAM)
		return o->u.stream.dict;
	return o;
}

const struct pdf_obj *pdf_dict_raw(const struct pdf_obj *dict, const char *key)
{
	dict = pdf_dict_of(dict);
	if (!dict || dict->type != PDF_DICT)
		return &null_obj;
	for (size_t i = 0; i < dict->u.dict.n; i++)
		if (!strcmp(dict->u.dict.v[i].key, key))
			return dict->u.dict.v[i].val;
	return &null_obj;
}

int pdf_is_name(const struct pdf_obj *o, const char *name)
{
	return o && o->type == PDF_NAME && !strcmp(o->u.name.p, name);
}

static long find_xref(const struct pdf *p, uint32_t num)
{
	size_t lo = 0, hi = p->state ? p->nxref : 0;	/* sorted only once read */

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->xref[mid].num == num)
			return (long)mid;
		if (p->xref[mid].num < num)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static struct pdf_obj *parse_indirect(struct pdf *p, size_t off, const struct pdf_ref *want,
				      int indirect_length, struct zj_error *err);
static int decode_stream(struct pdf *p, const struct pdf_obj *st, size_t max,
			 unsigned char **data, size_t *len, struct zj_error *err);
static const struct pdf_obj *load_from_objstm(struct pdf *p, const struct xent *e, struct zj_error *err);

const struct pdf_obj *pdf_object(struct pdf *p, struct pdf_ref ref, struct zj_error *err)
{
	long i = find_xref(p, ref.num);
	const struct xent *e;
	const struct pdf_obj *o = NULL;

	if (!p->state)
		return zj_err(err, "%s", _("a cross-reference section uses an indirect reference")), NULL;
	if (i < 0)
		return &null_obj;
	e = &p->xref[i];
	if (e->type == 0 || (e->type == 1 && e->gen != ref.gen) || (e->type == 2 && ref.gen != 0))
		return &null_obj;
	switch (p->state[i]) {
	case ST_DONE:
		return p->cache[i];
	case ST_BUSY:
		zj_err(err, _("object %u %u: refers to itself while being read"), ref.num, ref.gen);
		return NULL;
	case ST_FAILED:
		zj_err(err, _("object %u %u: cannot be read"), ref.num, ref.gen);
		return NULL;
	}
	if (p->load_depth >= MAX_LOAD_DEPTH) {
		zj_err(err, _("object %u %u: too many objects needed to read it"), ref.num, ref.gen);
		return NULL;
	}
	p->load_depth++;
	p->state[i] = ST_BUSY;
	if (e->type == 1)
		o = parse_indirect(p, (size_t)e->off, &ref, 1, err);
	else if (e->type == 2)
		o = load_from_objstm(p, e, err);
	p->load_depth--;
	p->state[i] = o ? ST_DONE : ST_FAILED;
	p->cache[i] = o;
	return o;
}

const struct pdf_obj *pdf_resolve(struct pdf *p, const struct pdf_obj *o, struct zj_error *err)
{
	for (int hops = 0; o && o->type == PDF_REF; hops++) {
		if (hops == MAX_HOPS) {
			zj_err(err, _("object %u %u: too many references in a row"), o->u.ref.num, o->u.ref.gen);
			return NULL;
		}
		o = pdf_object(p, o->u.ref, err);
	}
	return o;
}

const struct pdf_obj *pdf_dget(struct pdf *p, const struct pdf_obj *dict, const char *key,
			       struct zj_error *err)
{
	if (!(dict = pdf_resolve(p, dict, err)))
		return NULL;
	return pdf_resolve(p, pdf_dict_raw(dict, key), err);
}

static int get_int(struct pdf *p, const struct pdf_obj *dict, const char *key, long long dflt,
		   long long min, long long max, long long *v, struct zj_error *err)
{
	const struct pdf_obj *o = pdf_dget(p, dict, key, err);

	if (!o)
		return -1;
	if (o->type == PDF_NULL) {
		*v = dflt;
		return 0;
	}
	if (o->type != PDF_INT || o->u.i < min || o->u.i > max)
		return zj_err(err, _("/%s is not a whole number in range"), key);
	*v = o->u.i;
	return 0;
}

/* ---- indirect objects and streams ------------------------------------- */

static struct pdf_obj *parse_indirect(struct pdf *p, size_t off, const struct pdf_ref *want,
				      int indirect_length, struct zj_error *err)
{
	struct parser ps = { p, p->buf, p->len, off, 1, indirect_length, err };
	uint64_t num, gen;
	struct pdf_obj *o, *st;
	const struct pdf_obj *lo;
	size_t start;

	if (off >= p->len)
		return zj_err(err, _("object offset %zu is beyond the end of the file"), off), NULL;
	if (read_uint(&ps, UINT32_MAX, &num) < 0)
		return NULL;
	skip_ws(&ps);
	if (read_uint(&ps, 65535, &gen) < 0)
		return NULL;
	skip_ws(&ps);
	if (!at_keyword(&ps, "obj"))
		return perr(&ps, _("expected 'obj'")), NULL;
	ps.pos += 3;
	if (want && (num != want->num || gen != want->gen)) {
		zj_err(err, _("object %u %u: its offset %zu holds object %u %u"), want->num, want->gen, off,
		       (unsigned)num, (unsigned)gen);
		return NULL;
	}
	if (!(o = parse_value(&ps, 0)))
		return NULL;
	skip_ws(&ps);
	if (!at_keyword(&ps, "stream"))
		return o;	/* "endobj" is not checked: nothing depends on it */
	if (o->type != PDF_DICT)
		return perr(&ps, _("stream without a dictionary")), NULL;
	ps.pos += 6;
	if (ps.pos < ps.len && ps.s[ps.pos] == '\r')
		ps.pos++;
	if (ps.pos < ps.len && ps.s[ps.pos] == '\n')
		ps.pos++;
	start = ps.pos;
	lo = pdf_dict_raw(o, "Length");
	if (lo->type == PDF_REF) {
		if (!indirect_length)
			return perr(&ps, _("this stream's /Length must be a direct number")), NULL;
		if (!(lo = pdf_resolve(p, lo, err)))
			return zj_err_prefix(err, _("object %u: /Length"), (unsigned)num), NULL;
	}
	if (lo->type != PDF_INT || lo->u.i < 0 || (unsigned long long)lo->u.i > ps.len - start)
		return perr(&ps, _("stream /Length is missing or beyond the end of the file")), NULL;
	ps.pos = start + (size_t)lo->u.i;
	skip_ws(&ps);
	if (!at_keyword(&ps, "endstream"))
		return perr(&ps, _("stream /Length does not end at 'endstream'")), NULL;
	if (!(st = new_obj(p, PDF_STREAM, err)))
		return NULL;
	st->u.stream.dict = o;
	st->u.stream.data = p->buf + start;
	st->u.stream.len = (size_t)lo->u.i;
	return st;
}

static int inflate_buf(const unsigned char *in, size_t inlen, size_t cap,
		       unsigned char **out, size_t *outlen, struct zj_error *err)
{
	z_stream z;
	unsigned char *buf = NULL, *nb;
	size_t size, used = 0, fed = 0;
	int rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return zj_err(err, "%s", _("out of memory"));
	size = inlen < cap / 4 ? inlen * 4 + 1024 : cap + 1;
	if (size > cap + 1)
		size = cap + 1;
	if (!(buf = malloc(size + 1)))
		goto oom;
	for (;;) {
		if (z.avail_in == 0 && fed < inlen) {
			size_t chunk = inlen - fed < UINT_MAX ? inlen - fed : UINT_MAX;

			z.next_in = in + fed;
			z.avail_in = (unsigned)chunk;
			fed += chunk;
		}
		if (used == size) {
			if (size > cap) {
				inflateEnd(&z);
				free(buf);
				return zj_err(err, _("stream decodes to more than %zu bytes"), cap);
			}
			size = size > (cap + 1) / 2 ? cap + 1 : size * 2;
			if (!(nb = realloc(buf, size + 1)))
				goto oom;
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
			if (rc == Z_BUF_ERROR && z.avail_in == 0 && fed == inlen) {
				inflateEnd(&z);
				free(buf);
				return zj_err(err, "%s", _("compressed stream is truncated"));
			}
			if (rc != Z_OK && rc != Z_BUF_ERROR) {
				zj_err(err, _("compressed stream is corrupt: %s"), z.msg ? z.msg : "zlib error");
				inflateEnd(&z);
				free(buf);
				return -1;
			}
			if (rc == Z_BUF_ERROR && before == z.avail_out && in_before == z.avail_in &&
			    z.avail_in && used != size) {
				inflateEnd(&z);
				free(buf);
				return zj_err(err, "%s", _("compressed stream is corrupt"));
			}
		}
	}
	inflateEnd(&z);
	if (used > cap) {
		free(buf);
		return zj_err(err, _("stream decodes to more than %zu bytes"), cap);
	}
	buf[used] = '\0';
	*out = buf;
	*outlen = used;
	return 0;
oom:
	inflateEnd(&z);
	free(buf);
	return zj_err(err, "%s", _("out of memory"));
}

static int paeth(int a, int b, int c)
{
	int pa = abs(b - c), pb = abs(a - c), pc = abs(a + b - 2 * c);

	if (pa <= pb && pa <= pc)
		return a;
	return pb <= pc ? b : c;
}

/* PNG predictors (10..15), as xref and object streams use them. */
static int unpredict(struct pdf *p, const struct pdf_obj *parms, unsigned char **data, size_t *len,
		     struct zj_error *err)
{
	long long pred, colors, bpc, columns;
	size_t rowlen, bpp, rows;
	unsigned char *out, *prev;
	const unsigned char *in = *data;

	if (parms->type != PDF_DICT)
		return 0;
	if (get_int(p, parms, "Predictor", 1, 1, 15, &pred, err) < 0 ||
	    get_int(p, parms, "Colors", 1, 1, 32, &colors, err) < 0 ||
	    get_int(p, parms, "BitsPerComponent", 8, 1, 16, &bpc, err) < 0 ||
	    get_int(p, parms, "Columns", 1, 1, 1 << 20, &columns, err) < 0)
		return -1;
	if (pred == 1)
		return 0;
	if (pred < 10)
		return zj_err(err, _("predictor %lld is not supported"), pred);
	if (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16)
		return zj_err(err, "%s", _("/BitsPerComponent must be 1, 2, 4, 8 or 16"));
	rowlen = (size_t)((colors * bpc * columns + 7) / 8);
	bpp = (size_t)((colors * bpc + 7) / 8);
	rows = *len / (rowlen + 1);
	if (!(out = calloc(rows * rowlen + rowlen + 1, 1)))
		return zj_err(err, "%s", _("out of memory"));
	prev = out + rows * rowlen;	/* a zero row above the first */
	for (size_t r = 0; r < rows; r++) {
		const unsigned char *src = in + r * (rowlen + 1) + 1;
		unsigned char *dst = out + r * rowlen;
		const unsigned char *up = r ? dst - rowlen : prev;
		int type = src[-1];

		for (size_t i = 0; i < rowlen; i++) {
			int a = i >= bpp ? dst[i - bpp] : 0, b = up[i], c = i >= bpp ? up[i - bpp] : 0, v;

			switch (type) {
			case 0: v = src[i]; break;
			case 1: v = src[i] + a; break;
			case 2: v = src[i] + b; break;
			case 3: v = src[i] + (a + b) / 2; break;
			case 4: v = src[i] + paeth(a, b, c); break;
			default:
				free(out);
				return zj_err(err, _("PNG predictor row type %d is not valid"), type);
			}
			dst[i] = (unsigned char)v;
		}
	}
	out[rows * rowlen] = '\0';
	free(*data);
	*data = out;
	*len = rows * rowlen;
	return 0;
}

static int decode_stream(struct pdf *p, const struct pdf_obj *st, size_t max,
			 unsigned char **data, size_t *len, struct zj_error *err)
{
	const struct pdf_obj *dict, *filter, *parms, *names[MAX_FILTERS], *plist[MAX_FILTERS];
	size_t nf = 0, n;
	unsigned char *cur;

	if (!st || st->type != PDF_STREAM)
		return zj_err(err, "%s", _("not a stream"));
	if (!max || max > p->max_stream)
		max = p->max_stream;
	dict = st->u.stream.dict;
	if (pdf_dict_raw(dict, "F")->type != PDF_NULL)
		return zj_err(err, "%s", _("streams kept in external files are not supported"));
	if (!(filter = pdf_dget(p, dict, "Filter", err)) || !(parms = pdf_dget(p, dict, "DecodeParms", err)))
		return -1;
	if (filter->type == PDF_NAME) {
		names[0] = filter;
		plist[0] = parms;
		nf = 1;
	} else if (filter->type == PDF_ARRAY) {
		if (filter->u.arr.n > MAX_FILTERS)
			return zj_err(err, "%s", _("too many filters"));
		for (size_t i = 0; i < filter->u.arr.n; i++) {
			if (!(names[i] = pdf_resolve(p, filter->u.arr.v[i], err)))
				return -1;
			plist[i] = &null_obj;
			if (parms->type == PDF_ARRAY && i < parms->u.arr.n &&
			    !(plist[i] = pdf_resolve(p, parms->u.arr.v[i], err)))
				return -1;
			if (parms->type == PDF_DICT && filter->u.arr.n == 1)
				plist[i] = parms;
		}
		nf = filter->u.arr.n;
	} else if (filter->type != PDF_NULL) {
		return zj_err(err, "%s", _("/Filter is neither a name nor an array"));
	}
	n = st->u.stream.len;
	if (!nf && n > max)
		return zj_err(err, _("stream is larger than %zu bytes"), max);
	if (!(cur = malloc(n + 1)))
		return zj_err(err, "%s", _("out of memory"));
	memcpy(cur, st->u.stream.data, n);
	cur[n] = '\0';
	for (size_t i = 0; i < nf; i++) {
		unsigned char *next = NULL;
		size_t nlen = 0;

		if (!pdf_is_name(names[i], "FlateDecode") && !pdf_is_name(names[i], "Fl")) {
			zj_err(err, _("filter '/%s' is not supported"),
			       names[i]->type == PDF_NAME ? names[i]->u.name.p : "?");
			free(cur);
			return -1;
		}
		if (inflate_buf(cur, n, max, &next, &nlen, err) < 0) {
			free(cur);
			return -1;
		}
		free(cur);
		cur = next;
		n = nlen;
		if (unpredict(p, plist[i], &cur, &n, err) < 0) {
			free(cur);
			return -1;
		}
	}
	*data = cur;
	*len = n;
	return 0;
}

int pdf_stream_decode(struct pdf *p, const struct pdf_obj *stream, size_t max,
		      unsigned char **data, size_t *len, struct zj_error *err)
{
	*data = NULL;
	*len = 0;
	return decode_stream(p, stream, max, data, len, err);
}

/* A decode that p keeps (object and xref streams) counts against a budget,
 * so a file cannot make the reader hold many large decodes at once. */
static int decode_kept(struct pdf *p, const struct pdf_obj *st, unsigned char **data, size_t *len,
		       struct zj_error *err)
{
	if (!p->budget)
		return zj_err(err, "%s", _("compressed object streams decode to more than allowed"));
	if (decode_stream(p, st, p->budget < p->max_stream ? p->budget : p->max_stream, data, len, err) < 0)
		return -1;
	if (*len > p->budget) {
		free(*data);
		*data = NULL;
		return zj_err(err, "%s", _("compressed object streams decode to more than allowed"));
	}
	p->budget -= *len;
	return 0;
}

static const struct pdf_obj *load_from_objstm(struct pdf *p, const struct xent *e, struct zj_error *err)
{
	struct pdf_ref sref = { (uint32_t)e->off, 0 };
	long si = find_xref(p, sref.num);
	struct objstm *os;
	struct pdf_obj *o;

	if (si < 0 || p->xref[si].type != 1)
		return zj_err(err, _("object %u: its object stream %u is missing"), e->num, sref.num), NULL;
	if (!(os = p->ostm[si])) {
		const struct pdf_obj *st;
		long long nn, first;
		struct parser ps;

		sref.gen = p->xref[si].gen;
		if (!(st = pdf_object(p, sref, err)))
			return NULL;
		if (st->type != PDF_STREAM || !pdf_is_name(pdf_dict_raw(st, "Type"), "ObjStm"))
			return zj_err(err, _("object %u: %u is not an object stream"), e->num, sref.num), NULL;
		if (!(os = calloc(1, sizeof(*os))))
			return zj_err(err, "%s", _("out of memory")), NULL;
		p->ostm[si] = os;
		if (decode_kept(p, st, &os->data, &os->len, err) < 0 ||
		    get_int(p, st, "N", 0, 0, INT32_MAX, &nn, err) < 0 ||
		    get_int(p, st, "First", 0, 0, INT64_MAX, &first, err) < 0) {
			zj_err_prefix(err, _("object stream %u"), sref.num);
			return NULL;
		}
		if ((unsigned long long)first > os->len || (size_t)nn > os->len / 2)
			return zj_err(err, _("object stream %u: /N or /First is out of range"), sref.num), NULL;
		os->first = (size_t)first;
		if (nn && (!(os->nums = calloc((size_t)nn, sizeof(*os->nums))) ||
			   !(os->offs = calloc((size_t)nn, sizeof(*os->offs)))))
			return zj_err(err, "%s", _("out of memory")), NULL;
		ps = (struct parser){ p, os->data, os->first, 0, 0, 1, err };
		for (size_t i = 0; i < (size_t)nn; i++) {
			uint64_t num, off;

			skip_ws(&ps);
			if (read_uint(&ps, UINT32_MAX, &num) < 0)
				return zj_err_prefix(err, _("object stream %u"), sref.num), NULL;
			skip_ws(&ps);
			if (read_uint(&ps, os->len - os->first, &off) < 0)
				return zj_err_prefix(err, _("object stream %u"), sref.num), NULL;
			os->nums[i] = (uint32_t)num;
			os->offs[i] = (size_t)off;
		}
		os->n = (size_t)nn;
	}
	if (!os->data || e->idx >= os->n || os->nums[e->idx] != e->num)
		return zj_err(err, _("object %u: not found in object stream %u"), e->num, sref.num), NULL;
	{
		struct parser ps = { p, os->data, os->len, os->first + os->offs[e->idx], 0, 1, err };

		o = parse_value(&ps, 0);
	}
	if (!o)
		zj_err_prefix(err, _("object %u"), e->num);
	return o;
}

/* ---- cross-reference sections ----------------------------------------- */

static int add_entry(struct pdf *p, const struct xent *e, struct zj_error *err)
{
	if (e->num == 0)
		return 0;
	if (p->nxref == p->xcap) {
		size_t cap = p->xcap ? p->xcap * 2 : 256;
		struct xent *nx;

		if (p->xcap >= p->max_objects)
			return zj_err(err, "%s", _("the file has more objects than allowed for its size"));
		if (cap > p->max_objects)
			cap = p->max_objects;
		if (!(nx = realloc(p->xref, cap * sizeof(*nx))))
			return zj_err(err, "%s", _("out of memory"));
		p->xref = nx;
		p->xcap = cap;
	}
	p->xref[p->nxref] = *e;
	p->xref[p->nxref].seq = p->nxref;
	p->nxref++;
	return 0;
}

static const struct pdf_obj *read_table(struct pdf *p, struct parser *ps)
{
	struct pdf_obj *trailer;

	ps->pos += 4;	/* "xref" */
	for (;;) {
		uint64_t start, count;

		skip_ws(ps);
		if (at_keyword(ps, "trailer")) {
			ps->pos += 7;
			if (!(trailer = parse_value(ps, 0)))
				return NULL;
			if (trailer->type != PDF_DICT)
				return perr(ps, _("trailer is not a dictionary")), NULL;
			return trailer;
		}
		if (read_uint(ps, INT32_MAX, &start) < 0)
			return zj_err_prefix(ps->err, "%s", _("cross-reference table")), NULL;
		skip_ws(ps);
		if (read_uint(ps, INT32_MAX - start, &count) < 0)
			return zj_err_prefix(ps->err, "%s", _("cross-reference table")), NULL;
		for (uint64_t i = 0; i < count; i++) {
			struct xent e = { .num = (uint32_t)(start + i) };
			uint64_t off, gen;
			int c;

			skip_ws(ps);
			if (read_uint(ps, UINT64_MAX / 2, &off) < 0)
				return zj_err_prefix(ps->err, "%s", _("cross-reference entry")), NULL;
			skip_ws(ps);
			if (read_uint(ps, 65535, &gen) < 0)
				return zj_err_prefix(ps->err, "%s", _("cross-reference entry")), NULL;
			skip_ws(ps);
			c = ps->pos < ps->len ? ps->s[ps->pos] : 0;
			if (c != 'n' && c != 'f')
				return perr(ps, _("cross-reference entry is neither 'n' nor 'f'")), NULL;
			ps->pos++;
			e.type = c == 'n' ? 1 : 0;
			e.off = off;
			e.gen = (uint32_t)gen;
			if (add_entry(p, &e, ps->err) < 0)
				return NULL;
		}
	}
}

static uint64_t be_field(const unsigned char *s, long long w)
{
	uint64_t v = 0;

	for (long long i = 0; i < w; i++)
		v = v << 8 | s[i];
	return v;
}

static const struct pdf_obj *read_xref_stream(struct pdf *p, size_t off, struct zj_error *err)
{
	const struct pdf_obj *st = parse_indirect(p, off, NULL, 0, err), *w, *index;
	unsigned char *data = NULL;
	size_t len, pos = 0;
	long long ww[3], size, row;

	if (!st)
		return NULL;
	if (st->type != PDF_STREAM || !pdf_is_name(pdf_dict_raw(st, "Type"), "XRef"))
		return zj_err(err, _("offset %zu is not a cross-reference section"), off), NULL;
	w = pdf_dict_raw(st, "W");
	if (w->type != PDF_ARRAY || w->u.arr.n != 3)
		return zj_err(err, "%s", _("cross-reference stream: /W is not three numbers")), NULL;
	for (int i = 0; i < 3; i++) {
		const struct pdf_obj *x = w->u.arr.v[i];

		if (x->type != PDF_INT || x->u.i < 0 || x->u.i > 8)
			return zj_err(err, "%s", _("cross-reference stream: /W is out of range")), NULL;
		ww[i] = x->u.i;
	}
	row = ww[0] + ww[1] + ww[2];
	if (row == 0)
		return zj_err(err, "%s", _("cross-reference stream: /W is all zeros")), NULL;
	if (get_int(p, st, "Size", 0, 0, INT32_MAX, &size, err) < 0)
		return NULL;
	index = pdf_dict_raw(st, "Index");
	if (index->type != PDF_NULL && (index->type != PDF_ARRAY || index->u.arr.n % 2))
		return zj_err(err, "%s", _("cross-reference stream: /Index is not pairs of numbers")), NULL;
	if (decode_kept(p, st, &data, &len, err) < 0)
		return zj_err_prefix(err, "%s", _("cross-reference stream")), NULL;
	for (size_t k = 0; k < (index->type == PDF_NULL ? 2 : index->u.arr.n); k += 2) {
		long long start = 0, count = size;

		if (index->type != PDF_NULL) {
			const struct pdf_obj *a = index->u.arr.v[k], *b = index->u.arr.v[k + 1];

			if (a->type != PDF_INT || b->type != PDF_INT || a->u.i < 0 || b->u.i < 0 ||
			    a->u.i > INT32_MAX || b->u.i > INT32_MAX - a->u.i) {
				free(data);
				return zj_err(err, "%s", _("cross-reference stream: /Index is out of range")), NULL;
			}
			start = a->u.i;
			count = b->u.i;
		}
		for (long long i = 0; i < count; i++) {
			struct xent e = { .num = (uint32_t)(start + i) };

			if (len - pos < (size_t)row) {
				free(data);
				return zj_err(err, "%s", _("cross-reference stream is shorter than its /Index")), NULL;
			}
			e.type = ww[0] ? (uint8_t)be_field(data + pos, ww[0]) : 1;
			e.off = be_field(data + pos + ww[0], ww[1]);
			if (e.type == 1) {
				uint64_t g = be_field(data + pos + ww[0] + ww[1], ww[2]);

				e.gen = g > 65535 ? 65535 : (uint32_t)g;
			} else if (e.type == 2) {
				uint64_t idx = be_field(data + pos + ww[0] + ww[1], ww[2]);

				if (e.off > INT32_MAX || idx > INT32_MAX)
					e.type = 0;
				e.idx = (uint32_t)idx;
			} else {
				e.type = 0;	/* other types are null references */
			}
			pos += (size_t)row;
			if (add_entry(p, &e, err) < 0) {
				free(data);
				return NULL;
			}
		}
	}
	free(data);
	return st;
}

/* One section at off; *is_table says which kind it was. */
static const struct pdf_obj *read_section(struct pdf *p, size_t off, int *is_table, struct zj_error *err)
{
	struct parser ps = { p, p->buf, p->len, off, 1, 0, err };

	if (off >= p->len)
		return zj_err(err, _("cross-reference offset %zu is beyond the end of the file"), off), NULL;
	skip_ws(&ps);
	if (at_keyword(&ps, "xref")) {
		*is_table = 1;
		return read_table(p, &ps);
	}
	*is_table = 0;
	if (ps.pos < ps.len && is_digit(ps.s[ps.pos]))
		return read_xref_stream(p, ps.pos, err);
	return zj_err(err, _("offset %zu is not a cross-reference section"), off), NULL;
}

static int cmp_xent(const void *a, const void *b)
{
	const struct xent *x = a, *y = b;

	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int find_startxref(struct pdf *p, struct zj_error *err)
{
	static const char kw[] = "startxref";
	size_t lim = p->len > TAIL_SEARCH ? p->len - TAIL_SEARCH : 0;
	struct parser ps = { p, p->buf, p->len, 0, 1, 0, err };
	uint64_t v;

	if (p->len < sizeof(kw))
		return zj_err(err, "%s", _("no 'startxref' at the end of the file"));
	for (size_t i = p->len - (sizeof(kw) - 1) + 1; i-- > lim;) {
		if (memcmp(p->buf + i, kw, sizeof(kw) - 1))
			continue;
		ps.pos = i + sizeof(kw) - 1;
		skip_ws(&ps);
		if (read_uint(&ps, p->len - 1, &v) < 0)
			return zj_err_prefix(err, "%s", _("startxref"));
		p->startxref = (size_t)v;
		return 0;
	}
	return zj_err(err, "%s", _("no 'startxref' at the end of the file"));
}

static int read_xref(struct pdf *p, struct zj_error *err)
{
	size_t visited[MAX_SECTIONS], nvisited = 0, off = p->startxref;
	const struct pdf_obj *prev;
	uint32_t maxnum = 0;
	long long size = 0;

	for (;;) {
		const struct pdf_obj *tr;
		int is_table;

		/* Where the section really starts: offsets into the white
		 * space before one section are that section. */
		{
			struct parser ps = { p, p->buf, p->len, off, 1, 0, err };

			skip_ws(&ps);
			off = ps.pos;
		}
		for (size_t i = 0; i < nvisited; i++)
			if (visited[i] == off)
				return zj_err(err, _("cross-reference sections loop at offset %zu"), off);
		if (nvisited == MAX_SECTIONS)
			return zj_err(err, "%s", _("too many cross-reference sections"));
		visited[nvisited++] = off;
		if (!(tr = read_section(p, off, &is_table, err)))
			return -1;
		if (!p->trailer)
			p->trailer = pdf_dict_of(tr);
		if (is_table) {
			/* A hybrid file: the stream's entries come after the
			 * table's and before older sections'. */
			const struct pdf_obj *xs = pdf_dict_raw(tr, "XRefStm");
			int dummy;

			if (xs->type == PDF_INT) {
				if (xs->u.i < 0 || (unsigned long long)xs->u.i >= p->len)
					return zj_err(err, "%s", _("/XRefStm is beyond the end of the file"));
				if (nvisited == MAX_SECTIONS)
					return zj_err(err, "%s", _("too many cross-reference sections"));
				visited[nvisited++] = (size_t)xs->u.i;
				if (!read_section(p, (size_t)xs->u.i, &dummy, err))
					return -1;
			}
		}
		prev = pdf_dict_raw(tr, "Prev");
		if (prev->type == PDF_NULL)
			break;
		if (prev->type != PDF_INT || prev->u.i < 0 || (unsigned long long)prev->u.i >= p->len)
			return zj_err(err, "%s", _("/Prev is not an offset inside the file"));
		off = (size_t)prev->u.i;
	}
	/* Newest first: keep the first entry of each number. */
	if (p->nxref)
		qsort(p->xref, p->nxref, sizeof(*p->xref), cmp_xent);
	{
		size_t out = 0;

		for (size_t i = 0; i < p->nxref; i++)
			if (!out || p->xref[out - 1].num != p->xref[i].num)
				p->xref[out++] = p->xref[i];
		p->nxref = out;
	}
	if (p->nxref)
		maxnum = p->xref[p->nxref - 1].num;
	prev = pdf_dict_raw(p->trailer, "Size");
	if (prev->type == PDF_INT && prev->u.i > 0 && prev->u.i < INT32_MAX)
		size = prev->u.i;
	p->next_num = (uint32_t)((long long)maxnum + 1 > size ? (long long)maxnum + 1 : size);
	if (!(p->cache = calloc(p->nxref + 1, sizeof(*p->cache))) ||
	    !(p->state = calloc(p->nxref + 1, 1)) ||
	    !(p->ostm = calloc(p->nxref + 1, sizeof(*p->ostm))))
		return zj_err(err, "%s", _("out of memory"));
	return 0;
}

/* ---- opening ---------------------------------------------------------- */

static int has_header(const unsigned char *buf, size_t n)
{
	for (size_t i = 0; i + 5 <= n; i++)
		if (!memcmp(buf + i, "%PDF-", 5))
			return 1;
	return 0;
}

static int open_owned(struct pdf **out, unsigned char *buf, size_t len, struct zj_error *err)
{
	struct pdf *p = calloc(1, sizeof(*p));
	size_t hdr = len < 1024 ? len : 1024;

	*out = NULL;
	if (!p) {
		free(buf);
		return zj_err(err, "%s", _("out of memory"));
	}
	p->buf = buf;
	p->len = len;
	p->max_stream = len > MAX_STREAM_CAP / 64 ? MAX_STREAM_CAP : len * 64;
	if (p->max_stream < MIN_STREAM_CAP)
		p->max_stream = MIN_STREAM_CAP;
	p->budget = p->max_stream * 4;
	p->arena_cap = ((size_t)64 << 20) + (len < SIZE_MAX / 32 ? len * 16 : SIZE_MAX / 2);
	p->max_objects = len < MAX_OBJECTS - 1024 ? len + 1024 : MAX_OBJECTS;
	if (!has_header(buf, hdr)) {
		pdf_close(p);
		return zj_err(err, "%s", _("not a PDF file (no '%PDF-' header)"));
	}
	if (find_startxref(p, err) < 0 || read_xref(p, err) < 0) {
		pdf_close(p);
		return -1;
	}
	if (pdf_dict_raw(p->trailer, "Root")->type != PDF_REF) {
		pdf_close(p);
		return zj_err(err, "%s", _("the trailer has no /Root"));
	}
	*out = p;
	return 0;
}

int pdf_open_mem(struct pdf **out, const unsigned char *data, size_t len, struct zj_error *err)
{
	unsigned char *buf = malloc(len + 1);

	*out = NULL;
	if (!buf)
		return zj_err(err, "%s", _("out of memory"));
	memcpy(buf, data, len);
	buf[len] = '\0';
	return open_owned(out, buf, len, err);
}

int pdf_open_file(struct pdf **out, const char *path, size_t max_bytes, struct zj_error *err)
{
	unsigned char *buf;
	size_t len;

	*out = NULL;
	if (file_read_all(path, max_bytes ? max_bytes : PDF_DEFAULT_MAX_BYTES, &buf, &len, err) < 0)
		return -1;
	if (open_owned(out, buf, len, err) < 0)
		return zj_err_prefix(err, "'%s'", path);
	return 0;
}

void pdf_close(struct pdf *p)
{
	if (!p)
		return;
	while (p->chunks) {
		struct chunk *c = p->chunks;

		p->chunks = c->next;
		free(c);
	}
	if (p->ostm)
		for (size_t i = 0; i < p->nxref; i++)
			if (p->ostm[i]) {
				free(p->ostm[i]->data);
				free(p->ostm[i]->nums);
				free(p->ostm[i]->offs);
				free(p->ostm[i]);
			}
	free(p->ostm);
	free(p->cache);
	free(p->state);
	free(p->xref);
	free(p->buf);
	free(p);
}

const unsigned char *pdf_bytes(const struct pdf *p, size_t *len)
{
	*len = p->len;
	return p->buf;
}

size_t pdf_startxref(const struct pdf *p)
{
	return p->startxref;
}

uint32_t pdf_next_num(const struct pdf *p)
{
	return p->next_num;
}

const struct pdf_obj *pdf_trailer(const struct pdf *p)
{
	return p->trailer;
}

const struct pdf_obj *pdf_catalog(struct pdf *p, struct pdf_ref *ref, struct zj_error *err)
{
	const struct pdf_obj *r = pdf_dict_raw(p->trailer, "Root"), *cat;

	if (r->type != PDF_REF)
		return zj_err(err, "%s", _("the trailer has no /Root")), NULL;
	if (!(cat = pdf_object(p, r->u.ref, err)))
		return zj_err_prefix(err, "%s", _("document catalog")), NULL;
	if (cat->type != PDF_DICT)
		return zj_err(err, "%s", _("the document catalog is not a dictionary")), NULL;
	if (ref)
		*ref = r->u.ref;
	return cat;
}

/* ---- trees ------------------------------------------------------------ */

struct frame {
	const struct pdf_obj *kids;	/* an array, resolved */
	size_t i;
	const struct pdf_obj *ft;	/* fields: inherited /FT */
};

int pdf_page(struct pdf *p, long index, struct pdf_ref *ref, const struct pdf_obj **page,
	     struct zj_error *err)
{
	struct frame st[MAX_TREE_DEPTH];
	size_t sp = 0, visits = 0;
	long count = 0;
	const struct pdf_obj *cat, *root, *kids;
	int found = 0;

	if (!(cat = pdf_catalog(p, NULL, err)) || !(root = pdf_dget(p, cat, "Pages", err)) ||
	    !(kids = pdf_dget(p, root, "Kids", err)))
		return zj_err_prefix(err, "%s", _("page tree"));
	if (kids->type != PDF_ARRAY)
		return zj_err(err, "%s", _("the page tree has no /Kids"));
	st[sp++] = (struct frame){ kids, 0, NULL };
	while (sp) {
		struct frame *f = &st[sp - 1];
		const struct pdf_obj *kr, *kid, *type;

		if (f->i >= f->kids->u.arr.n) {
			sp--;
			continue;
		}
		kr = f->kids->u.arr.v[f->i++];
		if (kr->type != PDF_REF)
			return zj_err(err, "%s", _("a page tree node is not an indirect object"));
		if (++visits > p->nxref + 1)
			return zj_err(err, "%s", _("the page tree has a loop"));
		if (!(kid = pdf_object(p, kr->u.ref, err)))
			return zj_err_prefix(err, "%s", _("page tree"));
		if (kid->type != PDF_DICT)
			return zj_err(err, _("page tree node %u is not a dictionary"), kr->u.ref.num);
		type = pdf_dict_raw(kid, "Type");
		if (pdf_is_name(type, "Pages") || (!pdf_is_name(type, "Page") &&
						   pdf_dict_raw(kid, "Kids")->type != PDF_NULL)) {
			if (!(kids = pdf_dget(p, kid, "Kids", err)))
				return -1;
			if (kids->type != PDF_ARRAY)
				return zj_err(err, _("page tree node %u has no /Kids"), kr->u.ref.num);
			if (sp == MAX_TREE_DEPTH)
				return zj_err(err, "%s", _("the page tree is nested too deeply"));
			st[sp++] = (struct frame){ kids, 0, NULL };
			continue;
		}
		if (index < 0 || count == index) {
			*ref = kr->u.ref;
			*page = kid;
			found = 1;
			if (index >= 0)
				return 0;
		}
		count++;
	}
	if (found)
		return 0;
	return zj_err(err, _("the document has no page %ld"), index + 1);
}

/* PDFDocEncoding's printable range is Latin-1 but for 0x80..0x9F; those
 * are rare in names, and read as Latin-1 here. */
char *pdf_text(const struct pdf_obj *o)
{
	const unsigned char *s;
	size_t n, k = 0;
	char *out;

	if (!o || o->type != PDF_STRING)
		return NULL;
	s = o->u.str.p;
	n = o->u.str.len;
	if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		return strndup((const char *)s + 3, n - 3);
	if (!(out = malloc(n * 3 / 2 + 4)))	/* UTF-16 → at most 3 bytes per 2 */
		return NULL;
	if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
		for (size_t i = 2; i + 1 < n; i += 2) {
			unsigned cp = (unsigned)s[i] << 8 | s[i + 1];

			if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < n) {
				unsigned lo = (unsigned)s[i + 2] << 8 | s[i + 3];

				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					i += 2;
				} else {
					cp = 0xFFFD;
				}
			} else if (cp >= 0xD800 && cp <= 0xDFFF) {
				cp = 0xFFFD;
			}
			if (cp < 0x80) {
				out[k++] = (char)cp;
			} else if (cp < 0x800) {
				out[k++] = (char)(0xC0 | cp >> 6);
				out[k++] = (char)(0x80 | (cp & 0x3F));
			} else if (cp < 0x10000) {
				out[k++] = (char)(0xE0 | cp >> 12);
				out[k++] = (char)(0x80 | (cp >> 6 & 0x3F));
				out[k++] = (char)(0x80 | (cp & 0x3F));
			} else {
				out[k++] = (char)(0xF0 | cp >> 18);
				out[k++] = (char)(0x80 | (cp >> 12 & 0x3F));
				out[k++] = (char)(0x80 | (cp >> 6 & 0x3F));
				out[k++] = (char)(0x80 | (cp & 0x3F));
			}
		}
	} else {
		char *big = realloc(out, n * 2 + 1);

		if (!big) {
			free(out);
			return NULL;
		}
		out = big;
		for (size_t i = 0; i < n; i++) {
			if (s[i] < 0x80) {
				out[k++] = (char)s[i];
			} else {
				out[k++] = (char)(0xC0 | s[i] >> 6);
				out[k++] = (char)(0x80 | (s[i] & 0x3F));
			}
		}
	}
	out[k] = '\0';
	return out;
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

static int filespec_matches(const struct pdf_obj *key, const struct pdf_obj *fs, const char *name)
{
	const char *keys[] = { "UF", "F" };
	char *t = pdf_text(key);
	int m = name_matches(t, name);

	free(t);
	for (size_t i = 0; !m && i < 2; i++) {
		t = pdf_text(pdf_dict_raw(fs, keys[i]));
		m = name_matches(t, name);
		free(t);
	}
	return m;
}

int pdf_embedded_file(struct pdf *p, const char *name, unsigned char **data, size_t *len,
		      struct zj_error *err)
{
	struct frame st[MAX_TREE_DEPTH];
	size_t sp = 0, visits = 0, work = 0;
	const struct pdf_obj *cat, *names, *root, *found = NULL;

	*data = NULL;
	*len = 0;
	if (!(cat = pdf_catalog(p, NULL, err)) || !(names = pdf_dget(p, cat, "Names", err)) ||
	    !(root = pdf_dget(p, names, "EmbeddedFiles", err)))
		return -1;
	if (root->type != PDF_DICT) {
		zj_err(err, _("no embedded file '%s': the PDF has no attachments"), name);
		return PDF_NOT_FOUND;
	}
	for (const struct pdf_obj *node = root;;) {
		const struct pdf_obj *nm, *kids;

		if (++visits > p->nxref + 1)
			return zj_err(err, "%s", _("the embedded files tree has a loop"));
		if (!(nm = pdf_dget(p, node, "Names", err)) || !(kids = pdf_dget(p, node, "Kids", err)))
			return zj_err_prefix(err, "%s", _("embedded files"));
		/* An array shared by many nodes would be scanned again for
		 * each: bound the entries scanned, not only the nodes. */
		if (nm->type == PDF_ARRAY && (work += nm->u.arr.n) > p->len + 1024)
			return zj_err(err, "%s", _("the embedded files tree is too large for the file"));
		if (nm->type == PDF_ARRAY)
			for (size_t i = 0; i + 1 < nm->u.arr.n; i += 2) {
				const struct pdf_obj *key, *fs;

				if (!(key = pdf_resolve(p, nm->u.arr.v[i], err)) ||
				    !(fs = pdf_resolve(p, nm->u.arr.v[i + 1], err)))
					return zj_err_prefix(err, "%s", _("embedded files"));
				if (fs->type != PDF_DICT || !filespec_matches(key, fs, name))
					continue;
				/* Two attachments of one name would let the
				 * verifier and a viewer disagree. */
				if (found)
					return zj_err(err, _("more than one embedded file is named '%s'"), name);
				found = fs;
			}
		if (kids->type == PDF_ARRAY && kids->u.arr.n) {
			if (sp == MAX_TREE_DEPTH)
				return zj_err(err, "%s", _("the embedded files tree is nested too deeply"));
			st[sp++] = (struct frame){ kids, 0, NULL };
		}
		node = NULL;
		while (sp && !node) {
			struct frame *f = &st[sp - 1];

			if (f->i >= f->kids->u.arr.n) {
				sp--;
				continue;
			}
			if (!(node = pdf_resolve(p, f->kids->u.arr.v[f->i++], err)))
				return zj_err_prefix(err, "%s", _("embedded files"));
			if (node->type != PDF_DICT)
				node = NULL;
		}
		if (!node)
			break;
	}
	if (!found) {
		zj_err(err, _("no embedded file '%s'"), name);
		return PDF_NOT_FOUND;
	}
	{
		const struct pdf_obj *ef, *st2;

		if (!(ef = pdf_dget(p, found, "EF", err)))
			return -1;
		if (!(st2 = pdf_dget(p, ef, "UF", err)))
			return -1;
		if (st2->type != PDF_STREAM && !(st2 = pdf_dget(p, ef, "F", err)))
			return -1;
		if (st2->type != PDF_STREAM)
			return zj_err(err, _("embedded file '%s' has no data stream"), name);
		if (decode_stream(p, st2, 0, data, len, err) < 0)
			return zj_err_prefix(err, _("embedded file '%s'"), name);
	}
	return 0;
}

static int is_field(const struct pdf_obj *o)
{
	return o->type == PDF_DICT && pdf_dict_raw(o, "T")->type != PDF_NULL;
}

int pdf_signatures(struct pdf *p, struct pdf_sig **sigs, size_t *n, size_t *nfields,
		   struct zj_error *err)
{
	struct frame st[MAX_TREE_DEPTH];
	size_t sp = 0, visits = 0, cap = 0, work = 0;
	const struct pdf_obj *cat, *af, *fields;
	struct pdf_sig *v = NULL;

	*sigs = NULL;
	*n = 0;
	*nfields = 0;
	if (!(cat = pdf_catalog(p, NULL, err)) || !(af = pdf_dget(p, cat, "AcroForm", err)) ||
	    !(fields = pdf_dget(p, af, "Fields", err)))
		return -1;
	if (fields->type != PDF_ARRAY)
		return 0;
	st[sp++] = (struct frame){ fields, 0, NULL };
	while (sp) {
		struct frame *f = &st[sp - 1];
		const struct pdf_obj *fr, *fo, *kids, *ft;
		int has_field_kids = 0;

		if (f->i >= f->kids->u.arr.n) {
			sp--;
			continue;
		}
		fr = f->kids->u.arr.v[f->i++];
		if (fr->type != PDF_REF)
			continue;
		if (++visits > p->nxref + 1) {
			pdf_sigs_free(v, *n);
			return zj_err(err, "%s", _("the form's field tree has a loop"));
		}
		if (!(fo = pdf_object(p, fr->u.ref, err)) || !(kids = pdf_dget(p, fo, "Kids", err)) ||
		    !(ft = pdf_dget(p, fo, "FT", err))) {
			pdf_sigs_free(v, *n);
			return zj_err_prefix(err, "%s", _("form fields"));
		}
		if (fo->type != PDF_DICT)
			continue;
		if (ft->type == PDF_NULL)
			ft = f->ft;
		if (kids->type == PDF_ARRAY && (work += kids->u.arr.n) > p->len + 1024) {
			pdf_sigs_free(v, *n);
			return zj_err(err, "%s", _("the form's field tree is too large for the file"));
		}
		if (kids->type == PDF_ARRAY)
			for (size_t i = 0; i < kids->u.arr.n && !has_field_kids; i++) {
				const struct pdf_obj *k = pdf_resolve(p, kids->u.arr.v[i], err);

				if (!k) {
					pdf_sigs_free(v, *n);
					return zj_err_prefix(err, "%s", _("form fields"));
				}
				has_field_kids = is_field(k);
			}
		if (has_field_kids) {
			if (sp == MAX_TREE_DEPTH) {
				pdf_sigs_free(v, *n);
				return zj_err(err, "%s", _("the form's field tree is nested too deeply"));
			}
			st[sp++] = (struct frame){ kids, 0, ft };
			continue;
		}
		(*nfields)++;
		if (pdf_is_name(ft, "Sig")) {
			const struct pdf_obj *val, *br = NULL, *c = NULL;
			struct pdf_sig s = { .field = fr->u.ref };

			if (!(val = pdf_dget(p, fo, "V", err)) || (val->type == PDF_DICT &&
			    (!(br = pdf_dget(p, val, "ByteRange", err)) || !(c = pdf_dget(p, val, "Contents", err))))) {
				pdf_sigs_free(v, *n);
				return zj_err_prefix(err, "%s", _("signature field"));
			}
			if (val->type != PDF_DICT)
				continue;
			s.v = val;
			s.contents = c->type == PDF_STRING ? c : NULL;
			if (br->type == PDF_ARRAY && br->u.arr.n == 4) {
				s.has_range = 1;
				for (int i = 0; i < 4; i++) {
					const struct pdf_obj *x = br->u.arr.v[i];

					if (x->type != PDF_INT || x->u.i < 0)
						s.has_range = 0;
					else
						s.range[i] = x->u.i;
				}
			}
			s.name = pdf_text(pdf_dict_raw(fo, "T"));
			if (!s.name)
				s.name = strdup("");
			if (*n == cap) {
				struct pdf_sig *nv;

				cap = cap ? cap * 2 : 4;
				if (!(nv = realloc(v, cap * sizeof(*nv)))) {
					free(s.name);
					pdf_sigs_free(v, *n);
					return zj_err(err, "%s", _("out of memory"));
				}
				v = nv;
			}
			v[(*n)++] = s;
		}
	}
	*sigs = v;
	return 0;
}

void pdf_sigs_free(struct pdf_sig *sigs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(sigs[i].name);
	free(sigs);
}

/* ---- writing ---------------------------------------------------------- */

static int write_name(struct strbuf *sb, const char *s)
{
	if (sb_add(sb, "/", 1) < 0)
		return -1;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c > 0x20 && c < 0x7F && c != '#' && !is_delim(c)) {
			if (sb_add(sb, (const char *)&c, 1) < 0)
				return -1;
		} else if (sb_addf(sb, "#%02X", c) < 0) {
			return -1;
		}
	}
	return 0;
}

int pdf_write_obj(struct strbuf *sb, const struct pdf_obj *o)
{
	static const char hex[] = "0123456789ABCDEF";

	switch (o->type) {
	case PDF_NULL:
		return sb_adds(sb, "null");
	case PDF_BOOL:
		return sb_adds(sb, o->u.b ? "true" : "false");
	case PDF_INT:
		return sb_addf(sb, "%lld", o->u.i);
	case PDF_REAL: {
		char buf[64];
		size_t n;

		snprintf(buf, sizeof(buf), "%.6f", isfinite(o->u.r) && fabs(o->u.r) < 1e15 ? o->u.r : 0.0);
		n = strlen(buf);
		while (n > 1 && buf[n - 1] == '0')
			buf[--n] = '\0';
		if (n > 1 && buf[n - 1] == '.')
			buf[--n] = '\0';
		return sb_adds(sb, buf);
	}
	case PDF_STRING:
		if (sb_add(sb, "<", 1) < 0)
			return -1;
		for (size_t i = 0; i < o->u.str.len; i++) {
			char h[2] = { hex[o->u.str.p[i] >> 4], hex[o->u.str.p[i] & 15] };

			if (sb_add(sb, h, 2) < 0)
				return -1;
		}
		return sb_add(sb, ">", 1);
	case PDF_NAME:
		return write_name(sb, o->u.name.p);
	case PDF_ARRAY:
		if (sb_add(sb, "[", 1) < 0)
			return -1;
		for (size_t i = 0; i < o->u.arr.n; i++)
			if ((i && sb_add(sb, " ", 1) < 0) || pdf_write_obj(sb, o->u.arr.v[i]) < 0)
				return -1;
		return sb_add(sb, "]", 1);
	case PDF_DICT:
		if (sb_add(sb, "<<", 2) < 0 || pdf_write_entries(sb, o, NULL) < 0)
			return -1;
		return sb_add(sb, " >>", 3);
	case PDF_REF:
		return sb_addf(sb, "%u %u R", o->u.ref.num, o->u.ref.gen);
	case PDF_STREAM:
		break;
	}
	return -1;
}

int pdf_write_entries(struct strbuf *sb, const struct pdf_obj *dict, const char *const *skip)
{
	if (dict->type != PDF_DICT)
		return -1;
	for (size_t i = 0; i < dict->u.dict.n; i++) {
		int skipped = 0;

		for (const char *const *k = skip; k && *k && !skipped; k++)
			skipped = !strcmp(*k, dict->u.dict.v[i].key);
		if (skipped)
			continue;
		if (sb_add(sb, " ", 1) < 0 || write_name(sb, dict->u.dict.v[i].key) < 0 ||
		    sb_add(sb, " ", 1) < 0 || pdf_write_obj(sb, dict->u.dict.v[i].val) < 0)
			return -1;
	}
	return 0;
}
