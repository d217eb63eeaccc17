/*
 * src_xlsx.c: the .xlsx row source, on libzip and expat.
 *
 * The sheet is streamed: expat is fed the inflated XML in 64 KiB pieces and
 * suspended at the end of every row, so memory holds one row however long
 * the sheet.  What is held whole, bounded: the workbook's sheet list, the
 * styles (which cell formats are dates), the shared strings (at most
 * SST_MAX_BYTES of text in SST_MAX_COUNT strings; a string longer than a
 * cell may be is kept as "too long"), and the merged ranges of a sheet of at
 * most MERGE_SCAN_MAX bytes (their cells but the first read as empty).
 *
 * Everything in the file is hostile: every entry is inflated under a size
 * cap and a ratio cap (a zip bomb stops early), a DOCTYPE is refused (no
 * entities), a cell beyond column ROWSRC_MAX_COLUMNS is an error, and an
 * encrypted or corrupt archive says so.
 */
#define _GNU_SOURCE	/* memmem */
#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zip.h>

#include "core/rowsrc.h"
#include "util/i18n.h"
#include "util/parse.h"
#include "util/utf8.h"

#define CHUNK		(64 * 1024)
#define PART_MAX	(64LL << 20)	/* workbook, rels, styles */
#define SST_PART_MAX	(1LL << 30)	/* sharedStrings.xml inflated */
#define SHEET_MAX	(8LL << 30)	/* a sheet's XML inflated */
#define RATIO_FREE	(32LL << 20)	/* inflated before the ratio counts */
#define RATIO_MAX	500		/* inflated / compressed */
#define SST_MAX_BYTES	(48u << 20)
#define SST_MAX_COUNT	(4u << 20)
#define SHEETS_MAX	1024
#define XF_MAX		65536
#define MERGE_SCAN_MAX	(32LL << 20)
#define MERGES_MAX	4096
#define SST_TOO_LONG	UINT32_MAX

static const char main_ns_hint[] = "xl/workbook.xml";

/* An entry being inflated, under caps. */
struct zreader {
	zip_file_t *f;
	long long done, limit;
	zip_uint64_t comp, size;
	const char *what;	/* the entry's name, for messages */
};

struct merge {
	long r1, r2;
	int c1, c2;
};

struct xlsx_src;

/* Every parser's user data starts with the source, so the DOCTYPE guard
 * can find it whatever the pass. */
struct xml_ud {
	struct xlsx_src *x;
};

struct xlsx_src {
	struct rowsrc base;
	zip_t *zip;
	int date1904;

	/* Styles: per cell format (xf), whether it shows a date. */
	unsigned char *xf_date;
	size_t nxf;

	/* Shared strings: NUL-terminated texts in one arena. */
	char *sst;
	size_t sst_len, sst_cap;
	uint32_t *sst_off;
	size_t nsst, sst_offcap;

	struct merge *merges;
	size_t nmerges;

	/* The sheet, streamed. */
	struct xml_ud ud;
	struct zreader zr;
	XML_Parser xp;
	int suspended, at_end, parse_done;
	char err[ZJ_ERROR_MAX];	/* an error found inside a handler */
	int failed;

	/* Parse state inside the sheet. */
	int in_sheetdata, in_v, in_is, in_t, in_rph;
	long row_no, next_row;
	int next_col;
	int cell_col, cell_style;
	enum { CT_NUMBER, CT_SHARED, CT_BOOL, CT_ERROR, CT_STRING, CT_DATE } cell_type;
	int cell_too_long;
	size_t cell_start;	/* offset of the cell's text in text[] */

	/* The row being built. */
	struct rowsrc_cell *cells;
	size_t *offs;		/* text offsets, made pointers at the end */
	size_t ncells, cap;
	char *text;
	size_t tlen, tcap;
	int row_ready;
};

static int xfail(struct xlsx_src *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records an error (the first one wins) and stops the parser. */
static int xfail(struct xlsx_src *x, const char *fmt, ...)
{
	va_list ap;

	if (!x->failed) {
		va_start(ap, fmt);
		vsnprintf(x->err, sizeof(x->err), fmt, ap);
		va_end(ap);
		x->failed = 1;
	}
	if (x->xp)
		XML_StopParser(x->xp, XML_FALSE);
	return -1;
}

/* "c" for "c" and for "x:c". */
static const char *local(const char *name)
{
	const char *colon = strchr(name, ':');

	return colon ? colon + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (!strcmp(local(atts[i]), name) && (atts[i] == local(atts[i]) || !strcmp(name, "id")))
			return atts[i + 1];
	return NULL;
}

/* ---- inflating entries ---- */

static zip_int64_t locate(zip_t *z, const char *name)
{
	zip_int64_t i = zip_name_locate(z, name, 0);

	return i >= 0 ? i : zip_name_locate(z, name, ZIP_FL_NOCASE);
}

static int zr_open(struct xlsx_src *x, struct zreader *zr, const char *name, long long limit)
{
	zip_stat_t st;
	zip_int64_t i = locate(x->zip, name);

	memset(zr, 0, sizeof(*zr));
	zr->what = name;
	if (i < 0)
		return 0;
	zip_stat_init(&st);
	if (zip_stat_index(x->zip, (zip_uint64_t)i, 0, &st) < 0)
		return xfail(x, _("%s: cannot read '%s' in the workbook: %s"), x->base.path, name,
			     zip_strerror(x->zip));
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
		return xfail(x, _("%s: the workbook is encrypted (protected by a password); save it without a password and import it again"),
			     x->base.path);
	if ((st.valid & ZIP_STAT_SIZE) && st.size > (zip_uint64_t)limit)
		return xfail(x, _("%s: '%s' in the workbook would be %llu MiB; at most %lld MiB are read"),
			     x->base.path, name, (unsigned long long)(st.size >> 20), limit >> 20);
	/* What a zip bomb declares is refused before a byte is inflated; what
	 * it hides (a size smaller than the data) is caught by zr_read. */
	if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) && st.size > RATIO_FREE &&
	    st.size / (st.comp_size ? st.comp_size : 1) > RATIO_MAX)
		return xfail(x, _("%s: '%s' in the workbook expands more than %d times (a zip bomb?); refused"),
			     x->base.path, name, RATIO_MAX);
	if ((st.valid & ZIP_STAT_SIZE) && st.size < (zip_uint64_t)limit)
		limit = (long long)st.size;
	zr->f = zip_fopen_index(x->zip, (zip_uint64_t)i, 0);
	if (!zr->f)
		return xfail(x, _("%s: cannot read '%s' in the workbook: %s"), x->base.path, name,
			     zip_strerror(x->zip));
	zr->limit = limit;
	zr->comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
	zr->size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
	return 1;
}

static long long zr_read(struct xlsx_src *x, struct zreader *zr, void *buf, size_t n)
{
	zip_int64_t got = zip_fread(zr->f, buf, n);

	if (got < 0)
		return xfail(x, _("%s: the workbook is damaged ('%s': %s)"), x->base.path, zr->what,
			     zip_file_strerror(zr->f));
	zr->done += got;
	if (zr->size && (zip_uint64_t)zr->done > zr->size)
		return xfail(x, _("%s: the workbook is damaged ('%s' is longer than it says)"), x->base.path,
			     zr->what);
	if (zr->done > zr->limit)
		return xfail(x, _("%s: '%s' in the workbook expands past %lld MiB; refused"),
			     x->base.path, zr->what, zr->limit >> 20);
	if (zr->done > RATIO_FREE && zr->comp && (zip_uint64_t)zr->done / zr->comp > RATIO_MAX)
		return xfail(x, _("%s: '%s' in the workbook expands more than %d times (a zip bomb?); refused"),
			     x->base.path, zr->what, RATIO_MAX);
	return got;
}

static void zr_close(struct zreader *zr)
{
	if (zr->f)
		zip_fclose(zr->f);
	zr->f = NULL;
}

static void XMLCALL no_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal)
{
	struct xlsx_src *x = ((struct xml_ud *)ud)->x;

	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal;
	xfail(x, _("%s: the workbook holds a DOCTYPE, which no workbook has; refused"), x->base.path);
}

/* A parser whose user data is ud (a struct starting with struct xml_ud). */
static XML_Parser new_parser(void *ud)
{
	XML_Parser p = XML_ParserCreate("UTF-8");

	if (!p)
		return NULL;
	XML_SetUserData(p, ud);
	XML_SetStartDoctypeDeclHandler(p, no_doctype);
	return p;
}

/*
 * Parses a whole (small) entry with the given handlers; 0 if it is absent
 * and optional, 1 parsed, -1 error.
 */
static int parse_entry(struct xlsx_src *x, const char *name, long long limit, void *ud,
		       XML_StartElementHandler start, XML_EndElementHandler end,
		       XML_CharacterDataHandler text)
{
	struct zreader zr;
	XML_Parser p;
	int rc = zr_open(x, &zr, name, limit), final = 0;

	if (rc <= 0)
		return rc;
	if (!(p = new_parser(ud))) {
		zr_close(&zr);
		return xfail(x, "%s", _("out of memory"));
	}
	x->xp = p;
	XML_SetElementHandler(p, start, end);
	if (text)
		XML_SetCharacterDataHandler(p, text);
	while (!final) {
		void *buf = XML_GetBuffer(p, CHUNK);
		long long n;

		if (!buf) {
			rc = xfail(x, "%s", _("out of memory"));
			break;
		}
		n = zr_read(x, &zr, buf, CHUNK);
		if (n < 0) {
			rc = -1;
			break;
		}
		final = n == 0;
		if (XML_ParseBuffer(p, (int)n, final) != XML_STATUS_OK) {
			if (!x->failed)
				xfail(x, _("%s: '%s' in the workbook is not well-formed XML (line %lu: %s)"),
				      x->base.path, name, (unsigned long)XML_GetCurrentLineNumber(p),
				      XML_ErrorString(XML_GetErrorCode(p)));
			rc = -1;
			break;
		}
	}
	x->xp = NULL;
	XML_ParserFree(p);
	zr_close(&zr);
	return x->failed ? -1 : rc;
}

/* ---- the workbook: sheets, relationships, date system ---- */

struct sheet_ref {
	char *name, *rid, *target;
	int hidden;
};

struct wb_state {
	struct xlsx_src *x;
	struct sheet_ref *sheets;
	size_t n;
};

static struct wb_state *wb_of(void *ud)
{
	return ud;
}

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct wb_state *wb = wb_of(ud);
	const char *l = local(name);

	if (!strcmp(l, "workbookPr")) {
		const char *d = attr(atts, "date1904");

		wb->x->date1904 = d && (!strcmp(d, "1") || !strcasecmp(d, "true"));
	} else if (!strcmp(l, "sheet")) {
		const char *n = attr(atts, "name"), *rid = NULL, *state = attr(atts, "state");
		struct sheet_ref *s;

		for (int i = 0; atts[i]; i += 2)
			if (!strcmp(local(atts[i]), "id") && atts[i] != local(atts[i]))
				rid = atts[i + 1];
		if (wb->n >= SHEETS_MAX) {
			xfail(wb->x, _("%s: the workbook has more than %d sheets"), wb->x->base.path, SHEETS_MAX);
			return;
		}
		s = realloc(wb->sheets, (wb->n + 1) * sizeof(*s));
		if (!s) {
			xfail(wb->x, "%s", _("out of memory"));
			return;
		}
		wb->sheets = s;
		s = &s[wb->n++];
		memset(s, 0, sizeof(*s));
		s->name = rowsrc_clean_name(n ? n : "", n ? strlen(n) : 0);
		s->rid = rid ? strdup(rid) : NULL;
		s->hidden = state && strcmp(state, "visible");
		if (!s->name)
			xfail(wb->x, "%s", _("out of memory"));
	}
}

static void XMLCALL ignore_end(void *ud, const XML_Char *name)
{
	(void)ud;
	(void)name;
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct wb_state *wb = wb_of(ud);

	if (!strcmp(local(name), "Relationship")) {
		const char *id = attr(atts, "Id"), *target = attr(atts, "Target");

		if (!id || !target)
			return;
		for (size_t i = 0; i < wb->n; i++)
			if (wb->sheets[i].rid && !strcmp(wb->sheets[i].rid, id) && !wb->sheets[i].target)
				wb->sheets[i].target = strdup(target);
	}
}

/* xl/ + Target, or Target without its leading '/'; "../" not allowed. */
static char *sheet_path(const char *target)
{
	char *p;

	if (strstr(target, ".."))
		return NULL;
	if (target[0] == '/')
		return strdup(target + 1);
	p = malloc(strlen(target) + 4);
	if (p)
		sprintf(p, "xl/%s", target);
	return p;
}

/* ---- styles: which cell formats are dates ---- */

struct st_state {
	struct xlsx_src *x;
	int in_xfs;
	int *fmt_date;		/* custom numFmtId → is a date (ids < 1024 kept) */
};

/* Is an Excel number format code a date?  Quoted text, escapes and
 * [colour] or [$-locale] sections do not count; y, d, 年, 月 or 日 do (a
 * time alone, h:mm, is a number). */
static int code_is_date(const char *code)
{
	for (const char *p = code; *p; p++) {
		if (*p == '"') {
			p = strchr(p + 1, '"');
			if (!p)
				return 0;
		} else if (*p == '\\' || *p == '_' || *p == '*') {
			if (!*++p)
				return 0;
		} else if (*p == '[') {
			p = strchr(p, ']');
			if (!p)
				return 0;
		} else if (*p == 'y' || *p == 'Y' || *p == 'd' || *p == 'D' ||
			   !strncmp(p, "年", 3) || !strncmp(p, "月", 3) || !strncmp(p, "日", 3)) {
			return 1;
		}
	}
	return 0;
}

static int builtin_is_date(long id)
{
	return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || id == 36 ||
	       (id >= 50 && id <= 58);
}

static void XMLCALL st_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct st_state *st = ud;
	struct xlsx_src *x = st->x;
	const char *l = local(name);

	if (!strcmp(l, "numFmt")) {
		const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
		long n = id ? strtol(id, NULL, 10) : -1;

		if (n >= 0 && n < 1024 && code)
			st->fmt_date[n] = code_is_date(code);
	} else if (!strcmp(l, "cellXfs")) {
		st->in_xfs = 1;
	} else if (!strcmp(l, "xf") && st->in_xfs) {
		const char *id = attr(atts, "numFmtId");
		long n = id ? strtol(id, NULL, 10) : 0;
		unsigned char *p;

		if (x->nxf >= XF_MAX) {
			xfail(x, _("%s: the workbook has more than %d cell formats"), x->base.path, XF_MAX);
			return;
		}
		if (!(p = realloc(x->xf_date, x->nxf + 1))) {
			xfail(x, "%s", _("out of memory"));
			return;
		}
		x->xf_date = p;
		p[x->nxf++] = n >= 0 && n < 1024 && (builtin_is_date(n) || (n >= 164 && st->fmt_date[n]));
	}
}

static void XMLCALL st_end(void *ud, const XML_Char *name)
{
	struct st_state *st = ud;

	if (!strcmp(local(name), "cellXfs"))
		st->in_xfs = 0;
}

/* expat hands each handler the user data: the styles pass needs its own. */
static int parse_styles(struct xlsx_src *x)
{
	struct st_state st = { .x = x };
	int rc;

	if (!(st.fmt_date = calloc(1024, sizeof(int))))
		return xfail(x, "%s", _("out of memory"));
	rc = parse_entry(x, "xl/styles.xml", PART_MAX, &st, st_start, st_end, NULL);
	free(st.fmt_date);
	return rc;
}

/* ---- shared strings ---- */

struct sst_state {
	struct xlsx_src *x;
	int in_si, in_t, in_rph, too_long;
	size_t start;
};

static int sst_reserve(struct xlsx_src *x, size_t n)
{
	size_t cap = x->sst_cap ? x->sst_cap : 64 * 1024;
	char *p;

	if (x->sst_len + n <= x->sst_cap)
		return 0;
	if (x->sst_len + n > SST_MAX_BYTES)
		return xfail(x, _("%s: the workbook's shared strings hold more than %u MiB of text; save the sheet as CSV and import that"),
			     x->base.path, SST_MAX_BYTES >> 20);
	while (cap < x->sst_len + n)
		cap *= 2;
	if (cap > SST_MAX_BYTES)
		cap = SST_MAX_BYTES;
	if (!(p = realloc(x->sst, cap)))
		return xfail(x, "%s", _("out of memory"));
	x->sst = p;
	x->sst_cap = cap;
	return 0;
}

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct sst_state *s = ud;
	const char *l = local(name);

	(void)atts;
	if (!strcmp(l, "si")) {
		s->in_si = 1;
		s->too_long = 0;
		s->start = s->x->sst_len;
	} else if (!strcmp(l, "t") && s->in_si && !s->in_rph) {
		s->in_t = 1;
	} else if (!strcmp(l, "rPh")) {
		s->in_rph = 1;
	}
}

static void XMLCALL sst_text(void *ud, const XML_Char *t, int len)
{
	struct sst_state *s = ud;
	struct xlsx_src *x = s->x;

	if (!s->in_t || s->too_long)
		return;
	if (x->sst_len - s->start + (size_t)len > ROWSRC_MAX_CELL) {
		s->too_long = 1;
		x->sst_len = s->start;
		return;
	}
	if (sst_reserve(x, (size_t)len + 1) < 0)
		return;
	memcpy(x->sst + x->sst_len, t, (size_t)len);
	x->sst_len += (size_t)len;
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	struct sst_state *s = ud;
	struct xlsx_src *x = s->x;
	const char *l = local(name);

	if (!strcmp(l, "t")) {
		s->in_t = 0;
	} else if (!strcmp(l, "rPh")) {
		s->in_rph = 0;
	} else if (!strcmp(l, "si") && s->in_si) {
		s->in_si = 0;
		if (x->nsst >= SST_MAX_COUNT) {
			xfail(x, _("%s: the workbook has more than %u shared strings; save the sheet as CSV and import that"),
			      x->base.path, SST_MAX_COUNT);
			return;
		}
		if (x->nsst == x->sst_offcap) {
			size_t cap = x->sst_offcap ? x->sst_offcap * 2 : 1024;
			uint32_t *p = realloc(x->sst_off, cap * sizeof(*p));

			if (!p) {
				xfail(x, "%s", _("out of memory"));
				return;
			}
			x->sst_off = p;
			x->sst_offcap = cap;
		}
		if (s->too_long) {
			x->sst_off[x->nsst++] = SST_TOO_LONG;
			return;
		}
		if (sst_reserve(x, 1) < 0)
			return;
		x->sst[x->sst_len++] = '\0';
		x->sst_off[x->nsst++] = (uint32_t)s->start;
	}
}

static int parse_sst(struct xlsx_src *x, const char *name)
{
	struct sst_state s = { .x = x };

	return parse_entry(x, name, SST_PART_MAX, &s, sst_start, sst_end, sst_text);
}

/* ---- merged ranges (small sheets) ---- */

/* "B12" → column 1, row 12; the end of what was read in *end. */
static int parse_ref(const char *s, int *col, long *row, const char **end)
{
	long c = 0, r = 0;
	int nl = 0, nd = 0;

	while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) {
		c = c * 26 + ((*s | 0x20) - 'a' + 1);
		if (++nl > 3)
			return -1;
		s++;
	}
	while (*s >= '0' && *s <= '9') {
		r = r * 10 + (*s - '0');
		if (++nd > 7)
			return -1;
		s++;
	}
	if (!nl || (nd == 0 && row))
		return -1;
	*col = (int)(c - 1);
	if (row)
		*row = r;
	if (end)
		*end = s;
	return 0;
}

static void add_merge(struct xlsx_src *x, const char *ref)
{
	struct merge m;
	const char *p;
	struct merge *all;

	if (x->nmerges >= MERGES_MAX || parse_ref(ref, &m.c1, &m.r1, &p) < 0 || *p != ':' ||
	    parse_ref(p + 1, &m.c2, &m.r2, &p) < 0 || *p)
		return;
	if (m.r2 < m.r1 || m.c2 < m.c1 || (m.r1 == m.r2 && m.c1 == m.c2))
		return;
	if (!(all = realloc(x->merges, (x->nmerges + 1) * sizeof(*all))))
		return;
	x->merges = all;
	all[x->nmerges++] = m;
}

/*
 * Reads the <mergeCell ref="A1:H1"/> elements, which stand after the
 * sheet's data, by a scan of the inflated bytes before the streaming pass:
 * done for sheets of at most MERGE_SCAN_MAX bytes (inventories are), so a
 * value a writer left in a merged cell but the first is not read.
 */
static int scan_merges(struct xlsx_src *x, const char *name)
{
	struct zreader zr;
	char *buf;
	size_t keep = 0;
	zip_int64_t at = locate(x->zip, name);
	zip_stat_t st;
	int rc;

	zip_stat_init(&st);
	if (at < 0 || zip_stat_index(x->zip, (zip_uint64_t)at, 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
	    st.size > MERGE_SCAN_MAX)
		return 0;
	rc = zr_open(x, &zr, name, MERGE_SCAN_MAX);
	if (rc <= 0)
		return rc;
	if (!(buf = malloc(CHUNK + 512))) {
		zr_close(&zr);
		return xfail(x, "%s", _("out of memory"));
	}
	for (;;) {
		long long n = zr_read(x, &zr, buf + keep, CHUNK);
		size_t len, i;

		if (n <= 0)
			break;
		len = keep + (size_t)n;
		for (i = 0; i + 12 < len; i++) {
			char *p = memchr(buf + i, '<', len - i), *q, *e;

			if (!p)
				break;
			i = (size_t)(p - buf);
			q = memchr(p, '>', len - i);
			if (!q)
				break;
			*q = '\0';
			if ((!strncmp(p, "<mergeCell ", 11) || (strstr(p, ":mergeCell ") && p[1] != '/')) &&
			    (e = strstr(p, "ref=\"")) != NULL) {
				char ref[40];
				size_t k = 0;

				e += 5;
				while (*e && *e != '"' && k < sizeof(ref) - 1)
					ref[k++] = *e++;
				ref[k] = '\0';
				add_merge(x, ref);
			}
			*q = '>';
			i = (size_t)(q - buf);
		}
		keep = len - i < 512 ? len - i : 0;
		memmove(buf, buf + len - keep, keep);
	}
	free(buf);
	zr_close(&zr);
	return x->failed ? -1 : 0;
}

static int merged_away(const struct xlsx_src *x, long row, int col)
{
	for (size_t i = 0; i < x->nmerges; i++) {
		const struct merge *m = &x->merges[i];

		if (row >= m->r1 && row <= m->r2 && col >= m->c1 && col <= m->c2)
			return row != m->r1 || col != m->c1;
	}
	return 0;
}

/* ---- the sheet, a row at a time ---- */

static int text_reserve(struct xlsx_src *x, size_t n)
{
	size_t cap = x->tcap ? x->tcap : 4096;
	char *p;

	if (x->tlen + n <= x->tcap)
		return 0;
	while (cap < x->tlen + n)
		cap *= 2;
	if (!(p = realloc(x->text, cap)))
		return xfail(x, "%s", _("out of memory"));
	x->text = p;
	x->tcap = cap;
	return 0;
}

static int cells_reserve(struct xlsx_src *x, size_t n)
{
	size_t cap = x->cap ? x->cap : 64;

	if (n <= x->cap)
		return 0;
	while (cap < n)
		cap *= 2;
	{
		struct rowsrc_cell *c = realloc(x->cells, cap * sizeof(*c));
		size_t *o;

		if (!c)
			return xfail(x, "%s", _("out of memory"));
		x->cells = c;
		o = realloc(x->offs, cap * sizeof(*o));
		if (!o)
			return xfail(x, "%s", _("out of memory"));
		x->offs = o;
	}
	x->cap = cap;
	return 0;
}

/* Adds text to the cell being read (bounded). */
static void cell_add(struct xlsx_src *x, const char *s, size_t n)
{
	if (x->cell_too_long)
		return;
	if (x->tlen - x->cell_start + n > ROWSRC_MAX_CELL) {
		x->cell_too_long = 1;
		x->tlen = x->cell_start;
		return;
	}
	if (text_reserve(x, n + 1) < 0)
		return;
	memcpy(x->text + x->tlen, s, n);
	x->tlen += n;
}

/* Decodes OOXML's _xHHHH_ escapes (control characters in strings). */
static size_t unescape_x(char *s, size_t len)
{
	size_t i, o = 0;

	if (!memmem(s, len, "_x", 2))
		return len;
	for (i = 0; i < len;) {
		unsigned v = 0;
		int ok = i + 7 <= len && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_';

		for (int k = 2; ok && k < 6; k++) {
			char c = s[i + k];

			v = v * 16 + (unsigned)(c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
						c >= 'A' && c <= 'F' ? c - 'A' + 10 : (ok = 0));
		}
		if (ok && v < 0x80) {
			s[o++] = (char)v;
			i += 7;
		} else {
			s[o++] = s[i++];
		}
	}
	return o;
}

static void put_number(struct xlsx_src *x, struct rowsrc_cell *c, double v)
{
	char num[40];
	int n;

	if (!isfinite(v)) {
		c->kind = CELL_TEXT;
		return;
	}
	if (v == (double)(long long)v && v > -1e15 && v < 1e15) {
		/* Whole numbers, nearly all of an inventory's, without printf. */
		long long k = (long long)v;
		char rev[24];
		int r = 0;

		n = 0;
		if (k < 0) {
			num[n++] = '-';
			k = -k;
		}
		do
			rev[r++] = (char)('0' + k % 10);
		while ((k /= 10) > 0);
		while (r > 0)
			num[n++] = rev[--r];
		num[n] = '\0';
	} else {
		n = snprintf(num, sizeof(num), "%.15g", v);
	}
	x->tlen = x->cell_start;
	cell_add(x, num, (size_t)n);
	c->kind = CELL_NUMBER;
	c->num = v;
}

/* The cell just read, typed: its text is text[cell_start..tlen). */
static void finish_cell(struct xlsx_src *x)
{
	struct rowsrc_cell *c;
	size_t len;
	char *s;
	int col = x->cell_col;

	if (col >= ROWSRC_MAX_COLUMNS) {
		if (x->tlen > x->cell_start || x->cell_too_long)
			xfail(x, _("%s:%s!%ld:%ld: a value beyond column %d; refused"), x->base.path, x->base.sheet,
			      x->row_no, x->row_no, ROWSRC_MAX_COLUMNS);
		x->tlen = x->cell_start;
		return;
	}
	if (text_reserve(x, 1) < 0 || cells_reserve(x, (size_t)col + 1) < 0)
		return;
	while (x->ncells <= (size_t)col) {
		x->cells[x->ncells] = (struct rowsrc_cell){ .kind = CELL_EMPTY };
		x->offs[x->ncells++] = SIZE_MAX;
	}
	c = &x->cells[col];
	*c = (struct rowsrc_cell){ .kind = CELL_TEXT };
	s = x->text + x->cell_start;
	len = x->tlen - x->cell_start;

	if (x->cell_too_long) {
		c->problem = CELL_TOO_LONG;
		c->kind = CELL_TEXT;
		x->tlen = x->cell_start;
	} else if (x->cell_type == CT_SHARED) {
		char *end;
		unsigned long i;

		s[len] = '\0';
		errno = 0;
		i = strtoul(s, &end, 10);
		x->tlen = x->cell_start;
		if (errno || end == s || i >= x->nsst) {
			xfail(x, _("%s: a cell refers to shared string %s, which the workbook lacks (it has %zu)"),
			      x->base.path, s, x->nsst);
			return;
		}
		if (x->sst_off[i] == SST_TOO_LONG) {
			c->problem = CELL_TOO_LONG;
		} else {
			const char *t = x->sst + x->sst_off[i];

			cell_add(x, t, strlen(t));
		}
	} else if (x->cell_type == CT_BOOL) {
		int yes = len == 1 && s[0] == '1';

		x->tlen = x->cell_start;
		cell_add(x, yes ? "TRUE" : "FALSE", yes ? 4 : 5);
		c->kind = CELL_BOOL;
		c->num = yes;
	} else if (x->cell_type == CT_ERROR) {
		c->problem = CELL_FORMULA_ERROR;
	} else if (x->cell_type == CT_STRING) {
		x->tlen = x->cell_start + unescape_x(s, len);
	} else if (x->cell_type == CT_DATE) {
		char date[11];

		if (parse_date(s, len, date, NULL) == 1) {
			x->tlen = x->cell_start;
			cell_add(x, date, 10);
			c->kind = CELL_DATE;
		} else {
			c->problem = CELL_BAD_DATE;
		}
	} else if (len) {
		/* A number (t="n" or none). */
		char *end;
		double v;

		s[len] = '\0';
		if (len < 16 && strspn(s, "0123456789") == len) {
			long long k = 0;

			for (size_t d = 0; d < len; d++)
				k = k * 10 + (s[d] - '0');
			v = (double)k;
			end = s + len;
		} else {
			v = strtod(s, &end);
		}
		if (end == s || *end || !isfinite(v)) {
			c->kind = CELL_TEXT;
		} else if (x->cell_style >= 0 && (size_t)x->cell_style < x->nxf && x->xf_date[x->cell_style]) {
			char date[11];
			double serial = x->date1904 ? v + 1462 : v;

			if (parse_excel_serial(serial, 0, date, NULL) == 1) {
				x->tlen = x->cell_start;
				cell_add(x, date, 10);
				c->kind = CELL_DATE;
				c->num = serial;
			} else {
				c->problem = CELL_BAD_DATE;
			}
		} else {
			put_number(x, c, v);
		}
	}
	len = x->tlen - x->cell_start;
	if (!len && c->problem == CELL_OK) {
		c->kind = CELL_EMPTY;
	} else if (merged_away(x, x->row_no, col)) {
		*c = (struct rowsrc_cell){ .kind = CELL_EMPTY };
		x->tlen = x->cell_start;
		len = 0;
	}
	c->len = len;
	if (text_reserve(x, 1) < 0)
		return;
	x->text[x->tlen++] = '\0';
	x->offs[col] = x->cell_start;
}

static void XMLCALL sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_src *x = ((struct xml_ud *)ud)->x;
	const char *l = local(name);

	if (!x->in_sheetdata) {
		if (!strcmp(l, "sheetData"))
			x->in_sheetdata = 1;
		return;
	}
	if (l[0] == 'c' && !l[1]) {
		const char *r = NULL, *t = NULL, *s = NULL;
		int col;

		/* The cell's attributes are r, t and s, unprefixed: the hot
		 * path, so compared by hand. */
		for (int i = 0; atts[i]; i += 2) {
			const char *a = atts[i];

			if (a[0] && !a[1]) {
				if (a[0] == 'r')
					r = atts[i + 1];
				else if (a[0] == 't')
					t = atts[i + 1];
				else if (a[0] == 's')
					s = atts[i + 1];
			}
		}
		if (r && parse_ref(r, &col, NULL, NULL) == 0)
			x->cell_col = col;
		else
			x->cell_col = x->next_col;
		x->next_col = x->cell_col + 1;
		x->cell_type = !t || !strcmp(t, "n") ? CT_NUMBER : !strcmp(t, "s") ? CT_SHARED :
			       !strcmp(t, "b") ? CT_BOOL : !strcmp(t, "e") ? CT_ERROR :
			       !strcmp(t, "d") ? CT_DATE : !strcmp(t, "str") || !strcmp(t, "inlineStr") ?
			       CT_STRING : CT_NUMBER;
		x->cell_style = 0;
		for (; s && *s >= '0' && *s <= '9' && x->cell_style < XF_MAX; s++)
			x->cell_style = x->cell_style * 10 + (*s - '0');
		x->cell_start = x->tlen;
		x->cell_too_long = 0;
		x->in_v = x->in_is = x->in_t = x->in_rph = 0;
	} else if (!strcmp(l, "v")) {
		x->in_v = 1;
	} else if (!strcmp(l, "is")) {
		x->in_is = 1;
	} else if (!strcmp(l, "t") && x->in_is && !x->in_rph) {
		x->in_t = 1;
	} else if (!strcmp(l, "rPh")) {
		x->in_rph = 1;
	} else if (!strcmp(l, "row")) {
		const char *r = attr(atts, "r");
		long n = r ? strtol(r, NULL, 10) : 0;

		x->row_no = n > 0 && n <= 1048576 ? n : x->next_row;
		x->next_row = x->row_no + 1;
		x->next_col = 0;
		x->ncells = 0;
		x->tlen = 0;
	}
}

static void XMLCALL sh_text(void *ud, const XML_Char *t, int len)
{
	struct xlsx_src *x = ((struct xml_ud *)ud)->x;

	if (x->in_v || x->in_t)
		cell_add(x, t, (size_t)len);
}

static void XMLCALL sh_end(void *ud, const XML_Char *name)
{
	struct xlsx_src *x = ((struct xml_ud *)ud)->x;
	const char *l = local(name);

	if (!x->in_sheetdata)
		return;
	if (!strcmp(l, "v")) {
		x->in_v = 0;
	} else if (!strcmp(l, "t")) {
		x->in_t = 0;
	} else if (!strcmp(l, "rPh")) {
		x->in_rph = 0;
	} else if (!strcmp(l, "is")) {
		x->in_is = 0;
	} else if (!strcmp(l, "c")) {
		finish_cell(x);
	} else if (!strcmp(l, "row")) {
		size_t last = 0;

		for (size_t i = 0; i < x->ncells; i++)
			if (x->cells[i].kind != CELL_EMPTY || x->cells[i].problem != CELL_OK)
				last = i + 1;
		x->ncells = last;
		if (last) {
			x->row_ready = 1;
			XML_StopParser(x->xp, XML_TRUE);
		}
	} else if (!strcmp(l, "sheetData")) {
		x->in_sheetdata = 0;
	}
}

static int xlsx_next(struct rowsrc *s, struct rowsrc_row *row, struct zj_error *err)
{
	struct xlsx_src *x = (struct xlsx_src *)s;

	for (;;) {
		enum XML_Status st;

		if (x->failed)
			return zj_err(err, "%s", x->err);
		if (x->row_ready) {
			x->row_ready = 0;
			for (size_t i = 0; i < x->ncells; i++)
				x->cells[i].text = x->offs[i] == SIZE_MAX ? "" : x->text + x->offs[i];
			row->row = x->row_no;
			row->ncells = x->ncells;
			row->cells = x->cells;
			row->partial = 0;
			return 1;
		}
		if (x->parse_done)
			return 0;
		if (x->suspended) {
			x->suspended = 0;
			st = XML_ResumeParser(x->xp);
		} else {
			void *buf = XML_GetBuffer(x->xp, CHUNK);
			long long n;

			if (!buf)
				return zj_err(err, "%s", _("out of memory"));
			n = zr_read(x, &x->zr, buf, CHUNK);
			if (n < 0)
				continue;
			x->at_end = n == 0;
			st = XML_ParseBuffer(x->xp, (int)n, x->at_end);
		}
		if (st == XML_STATUS_SUSPENDED) {
			x->suspended = 1;
		} else if (st == XML_STATUS_ERROR) {
			if (!x->failed)
				xfail(x, _("%s: sheet '%s' is not well-formed XML (line %lu: %s)"), x->base.path,
				      x->base.sheet, (unsigned long)XML_GetCurrentLineNumber(x->xp),
				      XML_ErrorString(XML_GetErrorCode(x->xp)));
		} else if (x->at_end) {
			x->parse_done = 1;
		}
	}
}

static long long xlsx_bytes_done(const struct rowsrc *s)
{
	const struct xlsx_src *x = (const struct xlsx_src *)s;

	if (!x->zr.size || s->bytes_total <= 0)
		return 0;
	return (long long)((double)x->zr.done / (double)x->zr.size * (double)s->bytes_total);
}

static void xlsx_close(struct rowsrc *s)
{
	struct xlsx_src *x = (struct xlsx_src *)s;

	if (x->xp)
		XML_ParserFree(x->xp);
	zr_close(&x->zr);
	if (x->zip)
		zip_discard(x->zip);
	for (size_t i = 0; i < x->base.nsheets; i++)
		free(x->base.sheets[i]);
	free(x->base.sheets);
	free(x->base.sheet);
	free(x->base.path);
	free(x->xf_date);
	free(x->sst);
	free(x->sst_off);
	free(x->merges);
	free(x->cells);
	free(x->offs);
	free(x->text);
	free(x);
}

static const struct rowsrc_ops xlsx_ops = {
	.next = xlsx_next,
	.close = xlsx_close,
	.bytes_done = xlsx_bytes_done,
};

static void free_sheet_refs(struct wb_state *wb)
{
	for (size_t i = 0; i < wb->n; i++) {
		free(wb->sheets[i].name);
		free(wb->sheets[i].rid);
		free(wb->sheets[i].target);
	}
	free(wb->sheets);
}

/* Opens the archive, refusing what is not an .xlsx with a reason. */
static int open_zip(struct xlsx_src *x, struct zj_error *err)
{
	int ze = 0;

	x->zip = zip_open(x->base.path, ZIP_RDONLY, &ze);
	if (!x->zip) {
		zip_error_t e;
		int rc;

		zip_error_init_with_code(&e, ze);
		rc = zj_err(err, _("%s: the workbook is damaged or not an .xlsx file (%s)"), x->base.path,
			    zip_error_strerror(&e));
		zip_error_fini(&e);
		return rc;
	}
	if (locate(x->zip, main_ns_hint) < 0) {
		if (locate(x->zip, "content.xml") >= 0)
			return zj_err(err, _("%s: the file is an OpenDocument spreadsheet (.ods); save it as .xlsx and import that"),
				      x->base.path);
		if (locate(x->zip, "word/document.xml") >= 0)
			return zj_err(err, _("%s: the file is a Word document, not a workbook"), x->base.path);
		return zj_err(err, _("%s: a zip archive without xl/workbook.xml: not an .xlsx workbook"), x->base.path);
	}
	return 0;
}

int rowsrc_open_xlsx(struct rowsrc **out, const char *path, const struct rowsrc_opts *o,
		     struct zj_error *err)
{
	struct xlsx_src *x = calloc(1, sizeof(*x));
	struct wb_state wb = { 0 };
	struct stat st;
	char *sheet = NULL, fallback[64];
	int *hidden = NULL, pick;

	*out = NULL;
	if (!x || !(x->base.path = strdup(path))) {
		free(x);
		return zj_err(err, "%s", _("out of memory"));
	}
	x->base.ops = &xlsx_ops;
	x->base.format = ROWSRC_XLSX;
	x->base.bytes_total = stat(path, &st) == 0 ? (long long)st.st_size : -1;
	x->next_row = 1;
	if (open_zip(x, err) < 0)
		goto fail;

	wb.x = x;
	if (parse_entry(x, "xl/workbook.xml", PART_MAX, &wb, wb_start, ignore_end, NULL) <= 0)
		goto xfailed;
	if (parse_entry(x, "xl/_rels/workbook.xml.rels", PART_MAX, &wb, rels_start, ignore_end, NULL) < 0)
		goto xfailed;
	if (!wb.n) {
		zj_err(err, _("%s: the workbook has no worksheet"), path);
		goto fail;
	}
	if (!(x->base.sheets = calloc(wb.n, sizeof(char *))) || !(hidden = calloc(wb.n, sizeof(int)))) {
		zj_err(err, "%s", _("out of memory"));
		goto fail;
	}
	for (size_t i = 0; i < wb.n; i++) {
		x->base.sheets[i] = strdup(wb.sheets[i].name);
		hidden[i] = wb.sheets[i].hidden;
		if (!x->base.sheets[i]) {
			zj_err(err, "%s", _("out of memory"));
			goto fail;
		}
		x->base.nsheets++;
	}
	if ((pick = rowsrc_pick_sheet(path, x->base.sheets, hidden, wb.n, o ? o->sheet : NULL, err)) < 0)
		goto fail;
	if (!(x->base.sheet = strdup(x->base.sheets[pick]))) {
		zj_err(err, "%s", _("out of memory"));
		goto fail;
	}
	if (wb.sheets[pick].target)
		sheet = sheet_path(wb.sheets[pick].target);
	if (!sheet || locate(x->zip, sheet) < 0) {
		free(sheet);
		snprintf(fallback, sizeof(fallback), "xl/worksheets/sheet%d.xml", pick + 1);
		sheet = strdup(fallback);
	}
	if (!sheet || locate(x->zip, sheet) < 0) {
		zj_err(err, _("%s: sheet '%s' is missing from the workbook"), path, x->base.sheet);
		goto fail;
	}

	if (parse_styles(x) < 0)
		goto xfailed;
	{
		/* The shared strings are where the relationships say, usually
		 * xl/sharedStrings.xml; a writer that uses inline strings has
		 * none. */
		int rc = parse_sst(x, "xl/sharedStrings.xml");

		if (rc < 0)
			goto xfailed;
	}
	if (scan_merges(x, sheet) < 0)
		goto xfailed;
	if (zr_open(x, &x->zr, sheet, SHEET_MAX) <= 0) {
		if (!x->failed)
			zj_err(err, _("%s: sheet '%s' is missing from the workbook"), path, x->base.sheet);
		else
			zj_err(err, "%s", x->err);
		goto fail;
	}
	x->ud.x = x;
	if (!(x->xp = new_parser(&x->ud))) {
		zj_err(err, "%s", _("out of memory"));
		goto fail;
	}
	XML_SetElementHandler(x->xp, sh_start, sh_end);
	XML_SetCharacterDataHandler(x->xp, sh_text);
	free(sheet);
	free(hidden);
	free_sheet_refs(&wb);
	*out = &x->base;
	return 0;

xfailed:
	zj_err(err, "%s", x->failed ? x->err : _("out of memory"));
fail:
	free(sheet);
	free(hidden);
	free_sheet_refs(&wb);
	xlsx_close(&x->base);
	return -1;
}
