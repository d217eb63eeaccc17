/*
 * src_xlsx.c: the .xlsx row source, on libzip and expat.
 *
 * The sheet is streamed: expat is fed the inflated XML in 64 KiB pieces and
 * suspended at the end of every row, so memory holds one row however long
 * the sheet.  What is held whole, bounded: the workbook's sheet list, the
 * styles (which cell formats are dates), the first SST_MEM_BYTES of the
 * shared strings (the rest spilled to an unlinked temporary file, at most
 * SST_MAX_COUNT strings; a string longer than a cell may be is kept as "too
 * long"), and the merged ranges of a sheet of at most MERGE_SCAN_MAX bytes
 * (their cells but the first read as empty).
 *
 * Everything in the file is hostile: every entry is inflated under a size
 * cap and a ratio cap (a zip bomb stops early), a DOCTYPE is refused (no
 * entities), a cell beyond column ROWSRC_MAX_COLUMNS is an error, and an
 * encrypted or corrupt archive says so.
 */
#define _GNU_SOURCE	/* memmem */
#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#ifdef HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include "core/rowsrc.h"
#include "util/i18n.h"
#include "util/parse.h"
#include "util/utf8.h"

#define CHUNK		(64 * 1024)
#define READ_CHUNK	(256 * 1024)	/* the sheet's reads: fewer calls into libzip */
#define ZR_IN		(64 * 1024)	/* compressed bytes read at a time (ISA-L) */
#define PART_MAX	(64LL << 20)	/* workbook, rels, styles */
#define SST_PART_MAX	(1LL << 30)	/* sharedStrings.xml inflated */
#define SHEET_MAX	(8LL << 30)	/* a sheet's XML inflated */
#define RATIO_FREE	(32LL << 20)	/* inflated before the ratio counts */
#define RATIO_MAX	500		/* inflated / compressed */
#define SST_MAX_COUNT	(32u << 20)	/* the spilled ones' index: 8 MiB at most */
#define SHEETS_MAX	1024
#define XF_MAX		65536
#define MERGE_SCAN_MAX	(32LL << 20)
#define MERGES_MAX	4096
#define SST_TOO_LONG	(1u << 31)	/* a flag on an offset in the arena */

static const char main_ns_hint[] = "xl/workbook.xml";

/* An entry being inflated, under caps. */
struct zreader {
	zip_file_t *f;
	long long done, limit;
	zip_uint64_t comp, size;
	const char *what;	/* the entry's name, for messages */
#ifdef HAVE_ISAL
	struct inflate_state *isal;	/* NULL: libzip inflates */
	unsigned char *in;
	uint32_t crc;		/* what the archive says the CRC-32 is */
	int in_eof;
#endif
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

enum sh_elem { E_OTHER, E_C, E_V, E_IS, E_T, E_RPH, E_ROW, E_SHEETDATA };
enum cell_type { CT_NUMBER, CT_SHARED, CT_BOOL, CT_ERROR, CT_STRING, CT_DATE };

struct sh_state {
	int in_sheetdata, in_v, in_is, in_t, in_rph;
	long row_no, next_row;
	int next_col;
	int cell_col, cell_style;
	enum cell_type cell_type;
	int cell_too_long;
	size_t cell_start;	/* offset of the cell's text in text[] */
	size_t ncells, tlen;	/* the row being built: cells, text bytes */
	int row_ready;
};

/*
 * The fast path through <sheetData> (see fast_next): the sheet's raw bytes
 * from the last point between two of sheetData's children (safe) on, and
 * the elements open around it.
 */
#define FAST_DEPTH	32	/* elements open inside sheetData */
#define FAST_OUTER	8	/* elements open around it */
#define FAST_NAME	64	/* bytes of an element's name, NUL included */
#define FAST_ATTS	32	/* attributes of an element */
#define FAST_ATTR_BYTES	4096	/* their names and values */
#define FAST_HOLD_MAX	(4 << 20)	/* raw bytes of one child of sheetData */

struct fast {
	int on;			/* the fast path reads the sheet */
	int watch;		/* expat reads the prolog: note the open elements */
	char *buf;
	size_t len, cap, pos, safe;
	int eof;		/* buf holds the rest of the entry */
	unsigned long lines;	/* newlines in the sheet before buf[0] */
	char outer[FAST_OUTER][FAST_NAME];
	int nouter, outer_bad;
	struct {
		char name[FAST_NAME];
		int len;
		enum sh_elem elem;
	} stack[FAST_DEPTH];
	int depth;
	struct sh_state saved;	/* the parse state at safe */
	unsigned char text_special[256], attr_special[256], name_more[256];
};

struct xlsx_src {
	struct rowsrc base;
	zip_t *zip;
	int date1904;

	/* Styles: per cell format (xf), whether it shows a date. */
	unsigned char *xf_date;
	size_t nxf;

	/* Shared strings (see "shared strings" below): the first ones as
	 * NUL-terminated texts in one arena, the rest spilled to a file. */
	char *sst;
	size_t sst_len, sst_cap;
	uint32_t *sst_off;	/* of the nsst_mem strings in the arena */
	size_t nsst, nsst_mem, sst_offcap;
	int sst_fd;		/* the spill file, unlinked; -1 if none */
	uint32_t sst_flen;	/* its bytes */
	uint32_t *sst_idx;	/* where every SST_STEP-th spilled string starts */
	size_t sst_idxcap;
	char *sst_wbuf;		/* writes to it while parsing */
	size_t sst_wlen;
	size_t sst_next;	/* the string after the last one read ... */
	uint32_t sst_next_at;	/* ... and where it starts */
	struct sst_win {
		char *buf;
		uint32_t at, len;
	} sst_win[2];		/* 0 follows the reads forward, 1 takes the jumps back */
	uint32_t *sst_bc;	/* repeats: SST_BC_SLOTS pairs (index + 1, offset) */
	char *sst_bc_text;	/* their lengths and texts */
	size_t sst_bc_len, sst_bc_n;

	struct merge *merges;
	size_t nmerges;

	/* The sheet, streamed. */
	struct xml_ud ud;
	struct zreader zr;
	XML_Parser xp;
	int suspended, at_end, parse_done;
	char err[ZJ_ERROR_MAX];	/* an error found inside a handler */
	int failed;

	/* Parse state inside the sheet, in one struct so the fast path can
	 * save it where it may have to hand the sheet back to expat. */
	struct sh_state s;

	/* The row being built. */
	struct rowsrc_cell *cells;
	size_t *offs;		/* text offsets, made pointers at the end */
	size_t cap;
	char *text;
	size_t tcap;

	struct fast fast;
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

static void zr_close(struct zreader *zr);

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
#ifdef HAVE_ISAL
	/* ISA-L inflates about twice as fast as zlib, which took 15% of the
	 * CPU of importing a workbook: a deflated entry whose size and CRC
	 * are known is read raw from libzip and inflated here, its CRC and
	 * size checked at its end as libzip checks them. */
	if ((st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method == ZIP_CM_DEFLATE && (st.valid & ZIP_STAT_CRC) &&
	    (st.valid & ZIP_STAT_SIZE)) {
		zr->isal = malloc(sizeof(*zr->isal));
		zr->in = malloc(ZR_IN);
		if (!zr->isal || !zr->in) {
			zr_close(zr);
			return xfail(x, "%s", _("out of memory"));
		}
		isal_inflate_init(zr->isal);
		zr->isal->crc_flag = ISAL_GZIP_NO_HDR;	/* the CRC-32 zip uses */
		zr->crc = st.crc;
		zr->f = zip_fopen_index(x->zip, (zip_uint64_t)i, ZIP_FL_COMPRESSED);
	} else
#endif
		zr->f = zip_fopen_index(x->zip, (zip_uint64_t)i, 0);
	if (!zr->f)
		return xfail(x, _("%s: cannot read '%s' in the workbook: %s"), x->base.path, name,
			     zip_strerror(x->zip));
	zr->limit = limit;
	zr->comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
	zr->size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
	return 1;
}

#ifdef HAVE_ISAL
/* Up to n inflated bytes of the entry; 0 at its end, -1 error. */
static long long zr_inflate(struct xlsx_src *x, struct zreader *zr, void *buf, size_t n)
{
	struct inflate_state *s = zr->isal;
	const char *bad = NULL;

	s->next_out = buf;
	s->avail_out = (uint32_t)n;
	while (s->avail_out && s->block_state != ISAL_BLOCK_FINISH) {
		uint32_t before = s->avail_out;
		int rc;

		if (!s->avail_in && !zr->in_eof) {
			zip_int64_t got = zip_fread(zr->f, zr->in, ZR_IN);

			if (got < 0)
				return xfail(x, _("%s: the workbook is damaged ('%s': %s)"), x->base.path, zr->what,
					     zip_file_strerror(zr->f));
			zr->in_eof = got == 0;
			s->next_in = zr->in;
			s->avail_in = (uint32_t)got;
		}
		rc = isal_inflate(s);
		if (rc < 0) {
			bad = "invalid compressed data";
			break;
		}
		if (zr->in_eof && !s->avail_in && s->avail_out == before && s->block_state != ISAL_BLOCK_FINISH) {
			bad = "unexpected end of compressed data";
			break;
		}
	}
	if (!bad && s->block_state == ISAL_BLOCK_FINISH && s->avail_out == n) {
		/* The end: what libzip checks there. */
		if (s->crc != zr->crc)
			bad = "CRC error";
		else if ((zip_uint64_t)zr->done != zr->size)
			bad = "shorter than it says";
	}
	if (bad)
		return xfail(x, _("%s: the workbook is damaged ('%s': %s)"), x->base.path, zr->what, bad);
	return (long long)(n - s->avail_out);
}
#endif

static long long zr_read(struct xlsx_src *x, struct zreader *zr, void *buf, size_t n)
{
	zip_int64_t got;

#ifdef HAVE_ISAL
	if (zr->isal)
		got = zr_inflate(x, zr, buf, n);
	else
#endif
		got = zip_fread(zr->f, buf, n);
	if (got < 0) {
		if (x->failed)
			return -1;
		return xfail(x, _("%s: the workbook is damaged ('%s': %s)"), x->base.path, zr->what,
			     zip_file_strerror(zr->f));
	}
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
#ifdef HAVE_ISAL
	free(zr->isal);
	free(zr->in);
	zr->isal = NULL;
	zr->in = NULL;
#endif
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

/*
 * Excel and WPS keep every text of a sheet once in xl/sharedStrings.xml,
 * in the order of first use, and the cells refer to it by index.  A
 * million-row inventory holds some 53 MiB of distinct text in 2.6 million
 * strings: held whole, that alone would break the import's 64 MiB peak
 * RSS.  So the first strings (up to SST_MEM_BYTES of text or
 * SST_MEM_COUNT strings: a small workbook's all, and a large one's
 * repeated values, which are first used early) stay in an arena, and the
 * rest are spilled to an unlinked temporary file as records (a LEB128
 * length + 1, 0 for a string too long for a cell, then the bytes), with
 * the offset of every SST_STEP-th kept in memory.  As the sheet's reads
 * walk the table nearly in order, a string is found from the one read
 * before it, through a window of SST_WIN bytes read with pread (a mapping
 * would count toward the RSS once touched); a second window takes the
 * jumps back, so a repeat does not make the first read its place again.
 */
#define SST_MEM_BYTES	(8u << 20)
#define SST_MEM_COUNT	(512u << 10)
#define SST_STEP	16
#define SST_BACK_READ	512	/* most strings are far shorter */
/* A string of the file that a cell refers to again, behind the reads
 * (a name or a date first used late), is read with a pread of its own: a
 * million rows make a quarter of a million such jumps back, to 75,000
 * strings, most of them more than once.  Each read that way is kept (up to
 * SST_BC_SLOTS / 2 strings of at most SST_BC_LONGEST bytes, SST_BC_BYTES in
 * all), so its next use costs no system call. */
#define SST_BC_SLOTS	(1u << 18)	/* 2 MiB of keys and offsets */
#define SST_BC_BYTES	(4u << 20)
#define SST_BC_LONGEST	1024

size_t rowsrc_xlsx_sst_mem = SST_MEM_BYTES;
#define SST_WIN		(128u << 10)	/* > ROWSRC_MAX_CELL + 3: a record fits */
#define SST_FILE_MAX	(SST_PART_MAX)	/* never more than the XML it came from */

struct sst_state {
	struct xlsx_src *x;
	int in_si, in_t, in_rph, too_long;
	char *cur;		/* the string being read */
	size_t len;
};

static int sst_reserve(struct xlsx_src *x, size_t n)
{
	size_t cap = x->sst_cap ? x->sst_cap : 64 * 1024;
	char *p;

	if (x->sst_len + n <= x->sst_cap)
		return 0;
	while (cap < x->sst_len + n)
		cap *= 2;
	if (cap > rowsrc_xlsx_sst_mem && x->sst_len + n <= rowsrc_xlsx_sst_mem)
		cap = rowsrc_xlsx_sst_mem;
	if (!(p = realloc(x->sst, cap)))
		return xfail(x, "%s", _("out of memory"));
	x->sst = p;
	x->sst_cap = cap;
	return 0;
}

/* An unlinked file only this process can reach: O_TMPFILE where the file
 * system has it, else mkstemp (O_EXCL, mode 0600) and unlink at once. */
static int sst_spill_open(struct xlsx_src *x)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	if (!dir || dir[0] != '/')
		dir = "/tmp";
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0 && snprintf(path, sizeof(path), "%s/zhijian-sst-XXXXXX", dir) < (int)sizeof(path)) {
		fd = mkostemp(path, O_CLOEXEC);
		if (fd >= 0)
			unlink(path);
	}
	if (fd < 0)
		return xfail(x, _("%s: cannot make a temporary file in '%s' for the workbook's shared strings (%s); set TMPDIR to a writable directory"),
			     x->base.path, dir, strerror(errno));
	if (!(x->sst_wbuf = malloc(SST_WIN))) {
		close(fd);
		return xfail(x, "%s", _("out of memory"));
	}
	x->sst_fd = fd;
	return 0;
}

static int sst_flush(struct xlsx_src *x)
{
	size_t done = 0;

	while (done < x->sst_wlen) {
		ssize_t n = write(x->sst_fd, x->sst_wbuf + done, x->sst_wlen - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return xfail(x, _("%s: cannot write the workbook's shared strings to a temporary file: %s"),
				     x->base.path, n < 0 ? strerror(errno) : _("the disk is full"));
		done += (size_t)n;
	}
	x->sst_wlen = 0;
	return 0;
}

/* Grows an offsets array, doubling, so that it holds at least need. */
static int grow_u32(struct xlsx_src *x, uint32_t **a, size_t *cap, size_t need)
{
	size_t n = *cap ? *cap : 1024;
	uint32_t *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if (!(p = realloc(*a, n * sizeof(*p))))
		return xfail(x, "%s", _("out of memory"));
	*a = p;
	*cap = n;
	return 0;
}
/* Appends string number nsst to the file (text NULL: too long). */
static int sst_spill(struct xlsx_src *x, const char *t, size_t len)
{
	size_t k = x->nsst - x->nsst_mem;
	uint32_t v = t ? (uint32_t)len + 1 : 0;
	unsigned char head[4];
	size_t nh = 0;

	if (x->sst_fd < 0 && sst_spill_open(x) < 0)
		return -1;
	if (k % SST_STEP == 0) {
		if (grow_u32(x, &x->sst_idx, &x->sst_idxcap, k / SST_STEP + 1) < 0)
			return -1;
		x->sst_idx[k / SST_STEP] = x->sst_flen;
	}
	do {
		head[nh++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	if (!t)
		len = 0;
	if ((uint64_t)x->sst_flen + nh + len > SST_FILE_MAX)
		return xfail(x, _("%s: the workbook's shared strings hold more than %u MiB of text; save the sheet as CSV and import that"),
			     x->base.path, (unsigned)(SST_FILE_MAX >> 20));
	if (x->sst_wlen + nh + len > SST_WIN && sst_flush(x) < 0)
		return -1;
	memcpy(x->sst_wbuf + x->sst_wlen, head, nh);
	memcpy(x->sst_wbuf + x->sst_wlen + nh, t ? t : "", len);
	x->sst_wlen += nh + len;
	x->sst_flen += (uint32_t)(nh + len);
	return 0;
}

/* Keeps the string just read (text NULL: too long), in the arena while
 * it has room and nothing was spilled yet, else in the file. */
static int sst_add(struct xlsx_src *x, const char *t, size_t len)
{
	if (x->nsst >= SST_MAX_COUNT)
		return xfail(x, _("%s: the workbook has more than %u shared strings; save the sheet as CSV and import that"),
			     x->base.path, SST_MAX_COUNT);
	if (x->sst_fd < 0 && x->nsst < SST_MEM_COUNT && x->sst_len + len + 1 <= rowsrc_xlsx_sst_mem) {
		/* + 2: this one and the end of the last */
		if (grow_u32(x, &x->sst_off, &x->sst_offcap, x->nsst + 2) < 0)
			return -1;
		if (!t) {
			x->sst_off[x->nsst++] = (uint32_t)x->sst_len | SST_TOO_LONG;
		} else {
			if (sst_reserve(x, len + 1) < 0)
				return -1;
			memcpy(x->sst + x->sst_len, t, len);
			x->sst_off[x->nsst++] = (uint32_t)x->sst_len;
			x->sst_len += len;
			x->sst[x->sst_len++] = '\0';
		}
		/* Where the next one would start: a string's length without
		 * strlen, which costs a pass over text the cache lacks. */
		x->sst_off[x->nsst] = (uint32_t)x->sst_len;
		x->nsst_mem = x->nsst;
		return 0;
	}
	if (sst_spill(x, t, len) < 0)
		return -1;
	x->nsst++;
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
		s->len = 0;
	} else if (!strcmp(l, "t") && s->in_si && !s->in_rph) {
		s->in_t = 1;
	} else if (!strcmp(l, "rPh")) {
		s->in_rph = 1;
	}
}

static void XMLCALL sst_text(void *ud, const XML_Char *t, int len)
{
	struct sst_state *s = ud;

	if (!s->in_t || s->too_long)
		return;
	if (s->len + (size_t)len > ROWSRC_MAX_CELL) {
		s->too_long = 1;
		return;
	}
	memcpy(s->cur + s->len, t, (size_t)len);
	s->len += (size_t)len;
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	struct sst_state *s = ud;
	const char *l = local(name);

	if (!strcmp(l, "t")) {
		s->in_t = 0;
	} else if (!strcmp(l, "rPh")) {
		s->in_rph = 0;
	} else if (!strcmp(l, "si") && s->in_si) {
		s->in_si = 0;
		if (sst_add(s->x, s->too_long ? NULL : s->cur, s->len) < 0)
			XML_StopParser(s->x->xp, XML_FALSE);
	}
}

static int parse_sst(struct xlsx_src *x, const char *name)
{
	struct sst_state s = { .x = x };
	int rc;

	if (!(s.cur = malloc(ROWSRC_MAX_CELL + 1)))
		return xfail(x, "%s", _("out of memory"));
	rc = parse_entry(x, name, SST_PART_MAX, &s, sst_start, sst_end, sst_text);
	free(s.cur);
	if (rc >= 0 && x->sst_fd >= 0 && sst_flush(x) < 0)
		rc = -1;
	free(x->sst_wbuf);
	x->sst_wbuf = NULL;
	x->sst_next = x->nsst_mem;
	x->sst_next_at = 0;
	return rc;
}

/* n bytes of the spill file from at, through a window (n <= SST_WIN). */
static const unsigned char *sst_at(struct xlsx_src *x, uint32_t at, uint32_t n)
{
	struct sst_win *w;
	size_t got = 0, want;

	for (int i = 0; i < 2; i++) {
		w = &x->sst_win[i];
		if (w->buf && at >= w->at && (uint64_t)at + n <= (uint64_t)w->at + w->len)
			return (const unsigned char *)w->buf + (at - w->at);
	}
	/* Reading on: the first window, filled whole; a jump back (a repeat,
	 * one string) the second, only the page or so the string needs. */
	if (!x->sst_win[0].buf || at >= x->sst_win[0].at) {
		w = &x->sst_win[0];
		want = SST_WIN;
	} else {
		w = &x->sst_win[1];
		want = n > SST_BACK_READ ? n : SST_BACK_READ;
	}
	if (!w->buf && !(w->buf = malloc(SST_WIN))) {
		xfail(x, "%s", _("out of memory"));
		return NULL;
	}
	w->at = at;
	w->len = 0;
	errno = 0;
	while (got < want && at + got < x->sst_flen) {
		ssize_t r = pread(x->sst_fd, w->buf + got, want - got, (off_t)(at + got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	w->len = (uint32_t)got;
	if (got < n) {
		xfail(x, _("%s: cannot read the workbook's shared strings back from their temporary file: %s"),
		      x->base.path, errno ? strerror(errno) : "EOF");
		return NULL;
	}
	return (const unsigned char *)w->buf;
}

/* Keeps string i, read by a jump back, for its next use; slot is where
 * the lookup found no key (UINT32_MAX: the table was not made yet). */
static void sst_keep(struct xlsx_src *x, size_t i, uint32_t slot, const char *t, uint32_t n)
{
	uint32_t h = ((uint32_t)i * 2654435761u) >> (32 - 18);

	if (n > SST_BC_LONGEST || x->sst_bc_n >= SST_BC_SLOTS / 2 || x->sst_bc_len + sizeof(n) + n > SST_BC_BYTES)
		return;
	if (!x->sst_bc) {
		/* Untouched pages of these cost no memory until used. */
		if (!(x->sst_bc = calloc(2 * SST_BC_SLOTS, sizeof(uint32_t))) ||
		    !(x->sst_bc_text = malloc(SST_BC_BYTES))) {
			free(x->sst_bc);
			x->sst_bc = NULL;
			return;	/* only slower */
		}
		while (x->sst_bc[2 * h])
			h = (h + 1) & (SST_BC_SLOTS - 1);
		slot = h;
	}
	if (slot == UINT32_MAX)
		return;
	x->sst_bc[2 * slot] = (uint32_t)i + 1;
	x->sst_bc[2 * slot + 1] = (uint32_t)x->sst_bc_len;
	memcpy(x->sst_bc_text + x->sst_bc_len, &n, sizeof(n));
	memcpy(x->sst_bc_text + x->sst_bc_len + sizeof(n), t, n);
	x->sst_bc_len += sizeof(n) + n;
	x->sst_bc_n++;
}

/* Shared string i (< nsst): 1 and its text in *t (valid until the next
 * call), 0 if it is too long for a cell, -1 on an error. */
static int sst_get(struct xlsx_src *x, size_t i, const char **t, size_t *len)
{
	size_t j;
	uint32_t at, slot = UINT32_MAX;
	int back;

	if (i < x->nsst_mem) {
		uint32_t o = x->sst_off[i];

		if (o & SST_TOO_LONG)
			return 0;
		*t = x->sst + o;
		*len = (x->sst_off[i + 1] & ~SST_TOO_LONG) - o - 1;
		return 1;
	}
	if (i < x->sst_next && x->sst_bc) {
		uint32_t h = ((uint32_t)i * 2654435761u) >> (32 - 18);

		for (;; h = (h + 1) & (SST_BC_SLOTS - 1)) {
			uint32_t key = x->sst_bc[2 * h];

			if (!key) {
				slot = h;
				break;
			}
			if (key == (uint32_t)i + 1) {
				uint32_t n;

				memcpy(&n, x->sst_bc_text + x->sst_bc[2 * h + 1], sizeof(n));
				*t = x->sst_bc_text + x->sst_bc[2 * h + 1] + sizeof(n);
				*len = n;
				return 1;
			}
		}
	}
	back = i < x->sst_next;
	j = x->nsst_mem + (i - x->nsst_mem) / SST_STEP * SST_STEP;
	at = x->sst_idx[(i - x->nsst_mem) / SST_STEP];
	if (x->sst_next >= j && x->sst_next <= i) {
		j = x->sst_next;
		at = x->sst_next_at;
	}
	for (;; j++) {
		uint32_t left = x->sst_flen - at, v = 0, n;
		const unsigned char *p = left ? sst_at(x, at, left < 3 ? left : 3) : NULL;
		int k = 0;

		if (!p)
			return left ? -1 : xfail(x, _("%s: cannot read the workbook's shared strings back from their temporary file: %s"),
						 x->base.path, "EOF");
		do
			v |= (uint32_t)(p[k] & 0x7f) << (7 * k);
		while (p[k++] & 0x80 && k < 3);
		n = v ? v - 1 : 0;
		if (n > ROWSRC_MAX_CELL || n > left - (uint32_t)k)
			return xfail(x, _("%s: cannot read the workbook's shared strings back from their temporary file: %s"),
				     x->base.path, "bad record");
		at += (uint32_t)k;
		if (j == i) {
			if (!(p = sst_at(x, at, n)))
				return -1;
			*t = (const char *)p;
			*len = n;
			if (i >= x->sst_next) {	/* a repeat leaves it where it was */
				x->sst_next = i + 1;
				x->sst_next_at = at + n;
			}
			if (back && v)
				sst_keep(x, i, slot, *t, n);
			return v ? 1 : 0;
		}
		at += n;
	}
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

	if (x->s.tlen + n <= x->tcap)
		return 0;
	while (cap < x->s.tlen + n)
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
	if (x->s.cell_too_long)
		return;
	if (x->s.tlen - x->s.cell_start + n > ROWSRC_MAX_CELL) {
		x->s.cell_too_long = 1;
		x->s.tlen = x->s.cell_start;
		return;
	}
	if (text_reserve(x, n + 1) < 0)
		return;
	memcpy(x->text + x->s.tlen, s, n);
	x->s.tlen += n;
}

/* Decodes OOXML's _xHHHH_ escapes (control characters in strings). */
static size_t unescape_x(char *s, size_t len)
{
	size_t i, o = 0;
	const char *u = memchr(s, '_', len);

	if (!u || !memmem(u, len - (size_t)(u - s), "_x", 2))
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
	x->s.tlen = x->s.cell_start;
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
	int col = x->s.cell_col;

	if (col >= ROWSRC_MAX_COLUMNS) {
		if (x->s.tlen > x->s.cell_start || x->s.cell_too_long)
			xfail(x, _("%s:%s!%ld:%ld: a value beyond column %d; refused"), x->base.path, x->base.sheet,
			      x->s.row_no, x->s.row_no, ROWSRC_MAX_COLUMNS);
		x->s.tlen = x->s.cell_start;
		return;
	}
	if (text_reserve(x, 1) < 0 || cells_reserve(x, (size_t)col + 1) < 0)
		return;
	while (x->s.ncells <= (size_t)col) {
		x->cells[x->s.ncells] = (struct rowsrc_cell){ .kind = CELL_EMPTY };
		x->offs[x->s.ncells++] = SIZE_MAX;
	}
	c = &x->cells[col];
	*c = (struct rowsrc_cell){ .kind = CELL_TEXT };
	s = x->text + x->s.cell_start;
	len = x->s.tlen - x->s.cell_start;

	if (x->s.cell_too_long) {
		c->problem = CELL_TOO_LONG;
		c->kind = CELL_TEXT;
		x->s.tlen = x->s.cell_start;
	} else if (x->s.cell_type == CT_SHARED) {
		char *end;
		unsigned long i;

		int bad = 0;
		size_t d = 0;

		s[len] = '\0';
		/* Plain digits, nearly every index, without strtoul. */
		for (i = 0; d < len && d < 9 && s[d] >= '0' && s[d] <= '9'; d++)
			i = i * 10 + (unsigned long)(s[d] - '0');
		if (!d || d < len) {
			errno = 0;
			i = strtoul(s, &end, 10);
			bad = errno || end == s;
		}
		x->s.tlen = x->s.cell_start;
		if (bad || i >= x->nsst) {
			xfail(x, _("%s: a cell refers to shared string %s, which the workbook lacks (it has %zu)"),
			      x->base.path, s, x->nsst);
			return;
		}
		{
			const char *t = NULL;
			size_t n = 0;
			int rc = sst_get(x, i, &t, &n);

			if (rc < 0)
				return;
			if (rc == 0)
				c->problem = CELL_TOO_LONG;
			else
				cell_add(x, t, n);
		}
	} else if (x->s.cell_type == CT_BOOL) {
		int yes = len == 1 && s[0] == '1';

		x->s.tlen = x->s.cell_start;
		cell_add(x, yes ? "TRUE" : "FALSE", yes ? 4 : 5);
		c->kind = CELL_BOOL;
		c->num = yes;
	} else if (x->s.cell_type == CT_ERROR) {
		c->problem = CELL_FORMULA_ERROR;
	} else if (x->s.cell_type == CT_STRING) {
		x->s.tlen = x->s.cell_start + unescape_x(s, len);
	} else if (x->s.cell_type == CT_DATE) {
		char date[11];

		if (parse_date(s, len, date, NULL) == 1) {
			x->s.tlen = x->s.cell_start;
			cell_add(x, date, 10);
			c->kind = CELL_DATE;
		} else {
			c->problem = CELL_BAD_DATE;
		}
	} else if (len) {
		/* A number (t="n" or none). */
		char *end;
		double v;
		size_t d = 0;
		long long k = 0;

		s[len] = '\0';
		for (; d < len && d < 15 && s[d] >= '0' && s[d] <= '9'; d++)
			k = k * 10 + (s[d] - '0');
		if (d == len) {
			v = (double)k;
			end = s + len;
		} else {
			v = strtod(s, &end);
		}
		if (end == s || *end || !isfinite(v)) {
			c->kind = CELL_TEXT;
		} else if (x->s.cell_style >= 0 && (size_t)x->s.cell_style < x->nxf && x->xf_date[x->s.cell_style]) {
			char date[11];
			double serial = x->date1904 ? v + 1462 : v;

			if (parse_excel_serial(serial, 0, date, NULL) == 1) {
				x->s.tlen = x->s.cell_start;
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
	len = x->s.tlen - x->s.cell_start;
	if (!len && c->problem == CELL_OK) {
		c->kind = CELL_EMPTY;
	} else if (merged_away(x, x->s.row_no, col)) {
		*c = (struct rowsrc_cell){ .kind = CELL_EMPTY };
		x->s.tlen = x->s.cell_start;
		len = 0;
	}
	c->len = len;
	if (text_reserve(x, 1) < 0)
		return;
	x->text[x->s.tlen++] = '\0';
	x->offs[col] = x->s.cell_start;
}

static void fast_begin(struct xlsx_src *x, const char *name);
static void fast_outer_push(struct xlsx_src *x, const char *name);


/* Which element of the sheet a name is, prefix or not: called for every
 * tag of the sheet, so without strchr or strcmp calls. */
static inline __attribute__((always_inline)) enum sh_elem sh_elem(const char *name)
{
	const char *l = name;

	for (const char *p = name; *p; p++)
		if (*p == ':') {
			l = p + 1;
			break;
		}
	switch (l[0]) {
	case 'c':
		return !l[1] ? E_C : E_OTHER;
	case 'v':
		return !l[1] ? E_V : E_OTHER;
	case 'i':
		return l[1] == 's' && !l[2] ? E_IS : E_OTHER;
	case 't':
		return !l[1] ? E_T : E_OTHER;
	case 'r':
		return l[1] == 'o' && l[2] == 'w' && !l[3] ? E_ROW :
		       l[1] == 'P' && l[2] == 'h' && !l[3] ? E_RPH : E_OTHER;
	case 's':
		return !strcmp(l, "sheetData") ? E_SHEETDATA : E_OTHER;
	default:
		return E_OTHER;
	}
}

/* t="…" of a cell. */
static enum cell_type cell_type(const char *t)
{
	if (!t)
		return CT_NUMBER;
	switch (t[0]) {
	case 'n':
		return CT_NUMBER;	/* "n" and anything else: a number */
	case 's':
		return !t[1] ? CT_SHARED : !strcmp(t, "str") ? CT_STRING : CT_NUMBER;
	case 'b':
		return !t[1] ? CT_BOOL : CT_NUMBER;
	case 'e':
		return !t[1] ? CT_ERROR : CT_NUMBER;
	case 'd':
		return !t[1] ? CT_DATE : CT_NUMBER;
	case 'i':
		/* "inlineStr", spelt out: strcmp is a call for every cell. */
		return t[1] == 'n' && t[2] == 'l' && t[3] == 'i' && t[4] == 'n' && t[5] == 'e' && t[6] == 'S' &&
		       t[7] == 't' && t[8] == 'r' && !t[9] ? CT_STRING : CT_NUMBER;
	default:
		return CT_NUMBER;
	}
}

/* A cell begins: its column (from r="D17", else the one after the last),
 * its type and its style (s="12", read up to the first non-digit, so the
 * fast path can pass its unterminated attribute).  Both sheet_start and
 * fast_cell start a cell here. */
static void cell_begin(struct xlsx_src *x, const char *r, enum cell_type type, const char *s)
{
	int col;

	if (r && parse_ref(r, &col, NULL, NULL) == 0)
		x->s.cell_col = col;
	else
		x->s.cell_col = x->s.next_col;
	x->s.next_col = x->s.cell_col + 1;
	x->s.cell_type = type;
	x->s.cell_style = 0;
	for (; s && *s >= '0' && *s <= '9' && x->s.cell_style < XF_MAX; s++)
		x->s.cell_style = x->s.cell_style * 10 + (*s - '0');
	x->s.cell_start = x->s.tlen;
	x->s.cell_too_long = 0;
	x->s.in_v = x->s.in_is = x->s.in_t = x->s.in_rph = 0;
}

/* The sheet's handlers, the element named and classified (the fast path
 * classifies each name once).  Only the attributes of c and row are read:
 * the fast path passes no others (fast_start). */
static void sheet_start(struct xlsx_src *x, const char *name, enum sh_elem e, const char **atts)
{

	if (!x->s.in_sheetdata) {
		if (e == E_SHEETDATA) {
			x->s.in_sheetdata = 1;
			if (x->fast.watch)
				fast_begin(x, name);
		} else if (x->fast.watch) {
			fast_outer_push(x, name);
		}
		return;
	}
	if (e == E_C) {
		const char *r = NULL, *t = NULL, *s = NULL;

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
		cell_begin(x, r, cell_type(t), s);
	} else if (e == E_V) {
		x->s.in_v = 1;
	} else if (e == E_IS) {
		x->s.in_is = 1;
	} else if (e == E_T && x->s.in_is && !x->s.in_rph) {
		x->s.in_t = 1;
	} else if (e == E_RPH) {
		x->s.in_rph = 1;
	} else if (e == E_ROW) {
		const char *r = attr(atts, "r");
		long n = r ? strtol(r, NULL, 10) : 0;

		x->s.row_no = n > 0 && n <= 1048576 ? n : x->s.next_row;
		x->s.next_row = x->s.row_no + 1;
		x->s.next_col = 0;
		x->s.ncells = 0;
		x->s.tlen = 0;
	}
}

static void XMLCALL sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	sheet_start(((struct xml_ud *)ud)->x, name, sh_elem(name), atts);
}

static void XMLCALL sh_text(void *ud, const XML_Char *t, int len)
{
	struct xlsx_src *x = ((struct xml_ud *)ud)->x;

	if (x->s.in_v || x->s.in_t)
		cell_add(x, t, (size_t)len);
}

static void sheet_end(struct xlsx_src *x, enum sh_elem e)
{
	if (!x->s.in_sheetdata) {
		if (x->fast.watch)
			x->fast.nouter--;
		return;
	}
	if (e == E_V) {
		x->s.in_v = 0;
	} else if (e == E_T) {
		x->s.in_t = 0;
	} else if (e == E_RPH) {
		x->s.in_rph = 0;
	} else if (e == E_IS) {
		x->s.in_is = 0;
	} else if (e == E_C) {
		finish_cell(x);
	} else if (e == E_ROW) {
		size_t last = 0;

		for (size_t i = 0; i < x->s.ncells; i++)
			if (x->cells[i].kind != CELL_EMPTY || x->cells[i].problem != CELL_OK)
				last = i + 1;
		x->s.ncells = last;
		if (last) {
			x->s.row_ready = 1;
			if (x->xp)	/* NULL on the fast path */
				XML_StopParser(x->xp, XML_TRUE);
		}
	} else if (e == E_SHEETDATA) {
		x->s.in_sheetdata = 0;
	}
}

static void XMLCALL sh_end(void *ud, const XML_Char *name)
{
	struct xlsx_src *x = ((struct xml_ud *)ud)->x;

	sheet_end(x, x->s.in_sheetdata ? sh_elem(name) : E_OTHER);
}

/* ---- the fast path through sheetData ---- */

/*
 * Why a second reader: expat takes about 6 ns a byte, and a sheet is some
 * 1.9 KB of XML a row, so on a million rows expat alone cost three times the
 * whole CSV import of the same rows (README, "Speed and memory").  Inside
 * <sheetData> the writers use a handful of constructs: start and end tags
 * with quoted attributes, text, and the five predefined entities.  The fast
 * path reads exactly those, checks them as expat does (names, nesting,
 * UTF-8, the characters XML forbids, duplicate attributes) and calls the
 * same handlers with the same events, so a row is the same whichever reader
 * read it.  Anything else (a comment, CDATA, a character reference, a
 * carriage return, a tab in an attribute, a name outside ASCII, a child of
 * sheetData over FAST_HOLD_MAX bytes, the end of sheetData, the end of the
 * file) hands the sheet back to expat at the last point between two
 * children of sheetData: a new parser is given the elements open there
 * (after as many newlines as the file has before it, so its line numbers
 * are the file's), then the file's bytes from that point on, and the parse
 * state is put back as it was there.  So expat still judges every byte the
 * fast path does not, and reads everything after </sheetData>.
 */
int rowsrc_xlsx_fast = 1;

static void fast_outer_push(struct xlsx_src *x, const char *name)
{
	struct fast *f = &x->fast;

	if (f->nouter >= 0 && f->nouter < FAST_OUTER && strlen(name) < FAST_NAME)
		strcpy(f->outer[f->nouter], name);
	else
		f->outer_bad = 1;
	f->nouter++;
}

static unsigned long count_lines(const char *s, size_t n)
{
	unsigned long k = 0;
	const char *e = s + n;

	while ((s = memchr(s, '\n', (size_t)(e - s))) != NULL) {
		k++;
		s++;
	}
	return k;
}

/*
 * Called by expat's handler for the <sheetData> start tag: takes the bytes
 * expat holds after the tag and stops expat, or leaves expat reading when
 * the tag is empty or the elements around it are too many or too long.
 */
static void fast_begin(struct xlsx_src *x, const char *name)
{
	struct fast *f = &x->fast;
	int off = 0, size = 0, count = XML_GetCurrentByteCount(x->xp);
	const char *in = XML_GetInputContext(x->xp, &off, &size);
	size_t rest;

	f->watch = 0;
	if (!in || f->outer_bad || f->nouter < 0 || f->nouter >= FAST_OUTER || strlen(name) >= FAST_NAME ||
	    count < 2 || off < 0 || count > size - off || in[off + count - 2] == '/' ||
	    memchr(in + off, '\r', (size_t)count))
		return;
	rest = (size_t)(size - off - count);
	f->cap = rest + READ_CHUNK + 8;
	if (!(f->buf = malloc(f->cap)))
		return;
	memcpy(f->buf, in + off + count, rest);
	f->len = rest;
	f->pos = f->safe = 0;
	f->lines = XML_GetCurrentLineNumber(x->xp) - 1 + count_lines(in + off, (size_t)count);
	strcpy(f->outer[f->nouter++], name);
	f->eof = x->at_end;
	f->depth = 0;
	f->on = 1;
	XML_StopParser(x->xp, XML_FALSE);
}

/* Bytes of names: [A-Za-z_] first, then [A-Za-z0-9._:-]; every other name
 * (a colon first, or outside ASCII) is left to expat. */
static int name_first(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int name_more(unsigned char c)
{
	return name_first(c) || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':';
}

/* The length of the name at p; 0 if none starts there, -1 if the buffer
 * ends inside it. */
static inline __attribute__((always_inline)) int name_len(const struct fast *f, const unsigned char *p, const unsigned char *end)
{
	const unsigned char *q = p;

	if (q >= end)
		return -1;
	if (!name_first(*q))
		return 0;
	for (q++; q < end && f->name_more[*q]; q++)
		;
	if (q >= end)
		return -1;
	return q - p < FAST_NAME ? (int)(q - p) : 0;
}

/* The length of the UTF-8 sequence at p when expat surely takes it for a
 * character; 0 if the buffer ends inside it; -1 to let expat judge it. */
static int utf8_seq_all(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xBF;
	int n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : -1;

	if (n < 0)
		return -1;
	if (end - p < n)
		return 0;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;	/* no surrogates */
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (p[1] < lo || p[1] > hi)
		return -1;
	for (int i = 2; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return -1;
	if (c == 0xEF && p[1] == 0xBF && p[2] >= 0xBE)
		return -1;	/* U+FFFE, U+FFFF */
	return n;
}

static inline __attribute__((always_inline)) int utf8_seq(const unsigned char *p, const unsigned char *end)
{
	/* Most of a Chinese sheet: U+1000..U+CFFF, lead byte E1..EC and
	 * two trail bytes, every one a character. */
	if (p[0] >= 0xE1 && p[0] <= 0xEC && end - p >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80)
		return 3;
	return utf8_seq_all(p, end);
}

/* The bytes that need a look: in text, controls (tab and newline do not),
 * & < > (a '>' may close "]]>", which XML forbids in text) and non-ASCII;
 * in an attribute value, every control (expat normalises tab and newline
 * there: left to it), < & both quotes and non-ASCII. */
static void fast_tables(struct fast *f)
{
	for (int c = 0; c < 256; c++) {
		f->text_special[c] = (c < 0x20 && c != '\t' && c != '\n') || c == '&' || c == '<' || c == '>' || c >= 0x80;
		f->attr_special[c] = c < 0x20 || c == '<' || c == '&' || c == '"' || c == '\'' || c >= 0x80;
		f->name_more[c] = (unsigned char)name_more((unsigned char)c);
	}
}

#define FAST_MORE	0
#define FAST_TOKEN	1
#define FAST_BAIL	(-1)

static void fast_text_out(struct xlsx_src *x, const unsigned char *s, const unsigned char *e)
{
	if (e > s)
		sh_text(&x->ud, (const char *)s, (int)(e - s));
}

/* Text up to the next '<' or the end of the buffer. */
static int fast_text(struct xlsx_src *x, const unsigned char *b, const unsigned char *p, const unsigned char *end)
{
	static const struct {
		const char *name;
		size_t len;
		char c;
	} ent[] = { { "lt;", 3, '<' }, { "gt;", 3, '>' }, { "amp;", 4, '&' }, { "quot;", 5, '"' }, { "apos;", 5, '\'' } };
	const unsigned char *q = p, *run = p;
	int rc;

	for (;;) {
		while (q < end && !x->fast.text_special[*q])
			q++;
		if (q >= end) {
			rc = FAST_MORE;
			break;
		}
		if (*q == '<') {
			rc = FAST_TOKEN;
			break;
		}
		if (*q >= 0x80) {
			int k = utf8_seq(q, end);

			if (k > 0) {
				q += k;
				continue;
			}
			rc = k;
			break;
		}
		if (*q == '&') {
			size_t i, left = (size_t)(end - q - 1);

			for (i = 0; i < sizeof(ent) / sizeof(ent[0]); i++)
				if (!memcmp(q + 1, ent[i].name, left < ent[i].len ? left : ent[i].len))
					break;
			if (i == sizeof(ent) / sizeof(ent[0])) {
				rc = FAST_BAIL;
				break;
			}
			if (left < ent[i].len) {
				rc = FAST_MORE;
				break;
			}
			fast_text_out(x, run, q);
			sh_text(&x->ud, &ent[i].c, 1);
			q += 1 + ent[i].len;
			run = q;
			continue;
		}
		rc = FAST_BAIL;
		break;
	}
	fast_text_out(x, run, q);
	x->fast.pos = (size_t)(q - b);
	return rc;
}

static inline __attribute__((always_inline)) const unsigned char *skip_space(const unsigned char *q, const unsigned char *end)
{
	while (q < end && (*q == ' ' || *q == '\t' || *q == '\n'))
		q++;
	return q;
}

/* A start tag at p ('<' and a name start).  Its attributes are found
 * first, then the tag is copied once and their names and values ended
 * with NULs in the copy. */
static int fast_start(struct xlsx_src *x, const unsigned char *b, const unsigned char *p, const unsigned char *end)
{
	struct fast *f = &x->fast;
	const char *atts[2 * FAST_ATTS + 1];
	unsigned short span[2 * FAST_ATTS][2];	/* offset from p, length */
	char abuf[FAST_ATTR_BYTES + 8];
	int natts = 0, empty, n;
	const unsigned char *q = p + 1;
	char *name;
	enum sh_elem e;

	if (f->depth >= FAST_DEPTH)
		return FAST_BAIL;
	if ((n = name_len(f, q, end)) <= 0)
		return n < 0 ? FAST_MORE : FAST_BAIL;
	name = f->stack[f->depth].name;
	for (int i = 0; i < n; i++)
		name[i] = (char)q[i];
	name[n] = '\0';
	f->stack[f->depth].len = n;
	q += n;
	for (;;) {
		const unsigned char *ws = q, *v;
		unsigned char quote;

		q = skip_space(q, end);
		if (q >= end)
			return FAST_MORE;
		if (*q == '>') {
			empty = 0;
			q++;
			break;
		}
		if (*q == '/') {
			if (q + 1 >= end)
				return FAST_MORE;
			if (q[1] != '>')
				return FAST_BAIL;
			empty = 1;
			q += 2;
			break;
		}
		if (q == ws || natts >= FAST_ATTS)
			return FAST_BAIL;	/* an attribute must follow white space */
		if ((n = name_len(f, q, end)) <= 0)
			return n < 0 ? FAST_MORE : FAST_BAIL;
		span[2 * natts][0] = (unsigned short)(q - p < FAST_ATTR_BYTES ? q - p : 0);
		span[2 * natts][1] = (unsigned short)n;
		q = skip_space(q + n, end);
		if (q >= end)
			return FAST_MORE;
		if (*q != '=')
			return FAST_BAIL;
		q = skip_space(q + 1, end);
		if (q >= end)
			return FAST_MORE;
		if (*q != '"' && *q != '\'')
			return FAST_BAIL;
		quote = *q++;
		for (v = q;;) {
			while (q < end && !f->attr_special[*q])
				q++;
			if (q >= end)
				return FAST_MORE;
			if (*q == quote)
				break;
			if (*q == '"' || *q == '\'') {
				q++;
			} else if (*q >= 0x80) {
				int k = utf8_seq(q, end);

				if (k <= 0)
					return k;
				q += k;
			} else {
				return FAST_BAIL;
			}
		}
		if (q - p >= FAST_ATTR_BYTES)
			return FAST_BAIL;
		span[2 * natts + 1][0] = (unsigned short)(v - p);
		span[2 * natts + 1][1] = (unsigned short)(q - v);
		q++;
		natts++;
	}
	for (int i = 1; i < natts; i++)
		for (int j = 0; j < i; j++)
			if (span[2 * i][1] == span[2 * j][1] && p[span[2 * i][0]] == p[span[2 * j][0]] &&
			    !memcmp(p + span[2 * i][0], p + span[2 * j][0], span[2 * i][1]))
				return FAST_BAIL;	/* a duplicate: expat's error */
	e = sh_elem(name);
	if (natts && (e == E_C || e == E_ROW)) {
		/* sheet_start reads the attributes of these two elements only,
		 * so only theirs are passed.  Each name is followed by white
		 * space or '=', each value by its quote: room for the NULs in a
		 * copy of the tag, made a word at a time (buf and abuf have
		 * room for the last word). */
		size_t tl = (size_t)(q - p);

		if (tl > FAST_ATTR_BYTES)
			return FAST_BAIL;
		for (size_t i = 0; i < tl; i += 8)
			memcpy(abuf + i, p + i, 8);
		for (int i = 0; i < 2 * natts; i++) {
			atts[i] = abuf + span[i][0];
			abuf[span[i][0] + span[i][1]] = '\0';
		}
		atts[2 * natts] = NULL;
	} else {
		atts[0] = NULL;
	}
	f->stack[f->depth++].elem = e;
	sheet_start(x, name, e, atts);
	if (empty) {
		sheet_end(x, e);
		f->depth--;
	}
	f->pos = (size_t)(q - b);
	return x->s.row_ready && f->depth ? FAST_BAIL : FAST_TOKEN;
}

/* Names are short: compared without a call. */
static inline __attribute__((always_inline)) int same_name(const char *a, const unsigned char *b, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i] != (char)b[i])
			return 0;
	return 1;
}

/* An end tag at p ("</"); the end of sheetData is expat's. */
static int fast_end(struct xlsx_src *x, const unsigned char *b, const unsigned char *p, const unsigned char *end)
{
	struct fast *f = &x->fast;
	const unsigned char *q = p + 2, *r;
	int n;

	/* Nearly always the open element's name, then '>'. */
	if (f->depth && (n = f->stack[f->depth - 1].len) < end - q - 1 && q[n] == '>' &&
	    same_name(f->stack[f->depth - 1].name, q, n)) {
		f->depth--;
		sheet_end(x, f->stack[f->depth].elem);
		f->pos = (size_t)(q + n + 1 - b);
		return x->s.row_ready && f->depth ? FAST_BAIL : FAST_TOKEN;
	}
	if ((n = name_len(f, q, end)) <= 0)
		return n < 0 ? FAST_MORE : FAST_BAIL;
	r = skip_space(q + n, end);
	if (r >= end)
		return FAST_MORE;
	if (*r != '>' || !f->depth)
		return FAST_BAIL;
	if (f->stack[f->depth - 1].len != n || !same_name(f->stack[f->depth - 1].name, q, n))
		return FAST_BAIL;	/* not the open element: expat's error */
	f->depth--;
	sheet_end(x, f->stack[f->depth].elem);
	f->pos = (size_t)(r + 1 - b);
	return x->s.row_ready && f->depth ? FAST_BAIL : FAST_TOKEN;
}

/*
 * The cells nearly every writer writes, read whole: <c> with at most the
 * attributes r, s and t (one space before each, double quotes, letters and
 * digits in the values), then <v>TEXT</v></c> or <is><t>TEXT</t></is></c>
 * with TEXT free of references and of '>'.  What they mean is what
 * sheet_start, sh_text and sheet_end make of the same events; anything
 * else, or a TEXT longer than FAST_CELL_TEXT, is declined before a byte
 * of state changes and read by fast_start and its kin as before.
 */
#define FAST_DECLINE	2
#define FAST_CELL_TEXT	8192

static inline __attribute__((always_inline)) int fast_cell(struct xlsx_src *x, const unsigned char *b,
							   const unsigned char *p, const unsigned char *end)
{
	const struct fast *f = &x->fast;
	const unsigned char *q = p + 2, *r = NULL, *t = NULL, *s = NULL, *txt, *txe;
	size_t tl = 0, close;

	for (;;) {
		const unsigned char *v;

		if (q >= end)
			return FAST_MORE;
		if (*q == '>') {
			q++;
			break;
		}
		if (*q != ' ')
			return FAST_DECLINE;
		if (end - q < 4)
			return FAST_MORE;
		if (q[2] != '=' || q[3] != '"')
			return FAST_DECLINE;
		for (v = q + 4; v < end && ((*v >= '0' && *v <= '9') || ((*v | 0x20) >= 'a' && (*v | 0x20) <= 'z')); v++)
			;
		if (v >= end)
			return FAST_MORE;
		if (*v != '"')
			return FAST_DECLINE;
		if (q[1] == 'r' && !r)
			r = q + 4;
		else if (q[1] == 's' && !s)
			s = q + 4;
		else if (q[1] == 't' && !t)
			t = q + 4, tl = (size_t)(v - t);
		else
			return FAST_DECLINE;	/* another attribute, or twice the same */
		q = v + 1;
	}
	if (end - q < 7)
		return FAST_MORE;
	if (q[0] != '<')
		return FAST_DECLINE;
	if (q[1] == 'v' && q[2] == '>') {
		txt = q + 3;
		close = 8;	/* </v></c> */
	} else if (q[1] == 'i' && q[2] == 's' && q[3] == '>' && q[4] == '<' && q[5] == 't' && q[6] == '>') {
		txt = q + 7;
		close = 13;	/* </t></is></c> */
	} else {
		return FAST_DECLINE;
	}
	for (q = txt;;) {
		while (q < end && !f->text_special[*q])
			q++;
		if (q - txt > FAST_CELL_TEXT)
			return FAST_DECLINE;
		if (q >= end)
			return FAST_MORE;
		if (*q == '<')
			break;
		if (*q < 0x80)
			return FAST_DECLINE;	/* & > and controls: fast_text's */
		{
			int k = utf8_seq(q, end);

			if (k <= 0)
				return k == 0 ? FAST_MORE : FAST_DECLINE;
			q += k;
		}
	}
	txe = q;
	if ((size_t)(end - q) < close)
		return FAST_MORE;
	if (close == 8 ? memcmp(q, "</v></c>", 8) : memcmp(q, "</t></is></c>", 13))
		return FAST_DECLINE;

	/* sheet_start's reading of the cell, then its text, then its end. */
	{
		char tb[16];
		enum cell_type type = CT_NUMBER;

		if (t && tl < sizeof(tb)) {
			memcpy(tb, t, tl);
			tb[tl] = '\0';
			type = cell_type(tb);
		}
		cell_begin(x, (const char *)r, type, (const char *)s);
		if (txe > txt)
			cell_add(x, (const char *)txt, (size_t)(txe - txt));
		finish_cell(x);
	}
	x->fast.pos = (size_t)(txe + close - b);
	return FAST_TOKEN;
}

static int fast_token(struct xlsx_src *x)
{
	struct fast *f = &x->fast;
	const unsigned char *b = (const unsigned char *)f->buf, *p = b + f->pos, *end = b + f->len;

	if (p >= end)
		return FAST_MORE;
	if (*p != '<')
		return fast_text(x, b, p, end);
	if (p + 1 >= end)
		return FAST_MORE;
	if (p[1] == '/')
		return fast_end(x, b, p, end);
	if (p[1] == 'c' && x->fast.depth == 1 && x->fast.stack[0].elem == E_ROW) {
		int rc = fast_cell(x, b, p, end);

		if (rc != FAST_DECLINE)
			return rc;
	}
	if (name_first(p[1]))
		return fast_start(x, b, p, end);
	return FAST_BAIL;	/* <! or <? or not XML */
}

/* Makes room and reads on: 1 read more, 0 cannot (the end of the entry, or
 * a child of sheetData longer than is held), -1 error. */
static int fast_fill(struct xlsx_src *x)
{
	struct fast *f = &x->fast;
	long long n;

	if (f->eof)
		return 0;
	if (f->safe) {
		f->lines += count_lines(f->buf, f->safe);
		memmove(f->buf, f->buf + f->safe, f->len - f->safe);
		f->len -= f->safe;
		f->pos -= f->safe;
		f->safe = 0;
	}
	if (f->len > FAST_HOLD_MAX)
		return 0;
	if (f->cap - f->len < READ_CHUNK + 8) {
		size_t cap = f->len + READ_CHUNK + 8;	/* + 8: fast_start copies words */
		char *p = realloc(f->buf, cap);

		if (!p)
			return xfail(x, "%s", _("out of memory"));
		f->buf = p;
		f->cap = cap;
	}
	n = zr_read(x, &x->zr, f->buf + f->len, READ_CHUNK);
	if (n < 0)
		return -1;
	f->eof = n == 0;
	f->len += (size_t)n;
	return n > 0;
}

static void sheet_status(struct xlsx_src *x, enum XML_Status st);

/* Gives the sheet back to expat at the last safe point (see above). */
static void fast_handover(struct xlsx_src *x)
{
	struct fast *f = &x->fast;
	unsigned long lines = f->lines + count_lines(f->buf, f->safe);
	char nl[4096], tags[FAST_OUTER * (FAST_NAME + 2)];
	size_t nt = 0, rest = f->len - f->safe;
	void *buf;

	f->on = 0;
	x->s = f->saved;
	x->s.in_sheetdata = 0;	/* the <sheetData> given below sets it */
	if (!(x->xp = new_parser(&x->ud))) {
		xfail(x, "%s", _("out of memory"));
		return;
	}
	XML_SetElementHandler(x->xp, sh_start, sh_end);
	XML_SetCharacterDataHandler(x->xp, sh_text);
	memset(nl, '\n', sizeof(nl));
	while (lines) {
		int n = lines < sizeof(nl) ? (int)lines : (int)sizeof(nl);

		if (XML_Parse(x->xp, nl, n, 0) != XML_STATUS_OK)
			break;
		lines -= (unsigned long)n;
	}
	for (int i = 0; i < f->nouter; i++)
		nt += (size_t)sprintf(tags + nt, "<%s>", f->outer[i]);
	if (XML_Parse(x->xp, tags, (int)nt, 0) != XML_STATUS_OK || !(buf = XML_GetBuffer(x->xp, (int)rest))) {
		xfail(x, "%s", _("out of memory"));
		return;
	}
	memcpy(buf, f->buf + f->safe, rest);
	free(f->buf);
	f->buf = NULL;
	x->at_end = f->eof;
	sheet_status(x, XML_ParseBuffer(x->xp, (int)rest, x->at_end));
}

/* Reads with the fast path until a row is ready, an error, or the sheet is
 * expat's again. */
static void fast_run(struct xlsx_src *x)
{
	struct fast *f = &x->fast;

	while (f->on && !x->s.row_ready && !x->failed) {
		int rc;

		if (!f->depth) {
			f->safe = f->pos;
			f->saved = x->s;
		}
		rc = fast_token(x);
		if (rc == FAST_TOKEN || x->failed)
			continue;
		if (rc == FAST_MORE) {
			rc = fast_fill(x);
			if (rc != 0)
				continue;
		}
		fast_handover(x);
	}
}

/* What expat's return means for the sheet. */
static void sheet_status(struct xlsx_src *x, enum XML_Status st)
{
	if (st == XML_STATUS_SUSPENDED) {
		x->suspended = 1;
	} else if (st == XML_STATUS_ERROR) {
		if (x->failed)
			return;
		if (x->fast.on) {
			/* fast_begin stopped expat at <sheetData>. */
			XML_ParserFree(x->xp);
			x->xp = NULL;
			return;
		}
		xfail(x, _("%s: sheet '%s' is not well-formed XML (line %lu: %s)"), x->base.path,
		      x->base.sheet, (unsigned long)XML_GetCurrentLineNumber(x->xp),
		      XML_ErrorString(XML_GetErrorCode(x->xp)));
	} else if (x->at_end) {
		x->parse_done = 1;
	}
}

static int xlsx_next(struct rowsrc *s, struct rowsrc_row *row, struct zj_error *err)
{
	struct xlsx_src *x = (struct xlsx_src *)s;

	for (;;) {
		if (x->failed)
			return zj_err(err, "%s", x->err);
		if (x->s.row_ready) {
			x->s.row_ready = 0;
			for (size_t i = 0; i < x->s.ncells; i++)
				x->cells[i].text = x->offs[i] == SIZE_MAX ? "" : x->text + x->offs[i];
			row->row = x->s.row_no;
			row->ncells = x->s.ncells;
			row->cells = x->cells;
			row->partial = 0;
			return 1;
		}
		if (x->fast.on) {
			fast_run(x);
			continue;
		}
		if (x->parse_done)
			return 0;
		if (x->suspended) {
			x->suspended = 0;
			sheet_status(x, XML_ResumeParser(x->xp));
		} else {
			void *buf = XML_GetBuffer(x->xp, READ_CHUNK);
			long long n;

			if (!buf)
				return zj_err(err, "%s", _("out of memory"));
			n = zr_read(x, &x->zr, buf, READ_CHUNK);
			if (n < 0)
				continue;
			x->at_end = n == 0;
			sheet_status(x, XML_ParseBuffer(x->xp, (int)n, x->at_end));
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
	free(x->sst_idx);
	free(x->sst_wbuf);
	free(x->sst_win[0].buf);
	free(x->sst_win[1].buf);
	free(x->sst_bc);
	free(x->sst_bc_text);
	if (x->sst_fd >= 0)
		close(x->sst_fd);
	free(x->merges);
	free(x->cells);
	free(x->offs);
	free(x->text);
	free(x->fast.buf);
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
	x->s.next_row = 1;
	x->sst_fd = -1;
	x->fast.watch = rowsrc_xlsx_fast;
	fast_tables(&x->fast);
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
