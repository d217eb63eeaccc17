/*
 * wbgen: writes the workbooks and CSV files the import tests read, from a
 * small text description of a sheet, by two .xlsx writers with different
 * habits, and the hostile workbooks.
 *
 *   wbgen xlsx  IN.sheet OUT.xlsx   libxlsxwriter: shared strings, styles,
 *                                   date cells formatted yyyy年m月d日, merges
 *   wbgen plain IN.sheet OUT.xlsx   XML written here and zipped with libzip:
 *                                   an x: namespace prefix, inline strings
 *                                   (plain and rich runs), no sharedStrings,
 *                                   no r= on rows or cells, dates as serials
 *                                   under a yyyy/m/d format, date1904 off
 *   wbgen csv   IN.sheet OUT.csv    RFC 4180, UTF-8
 *   wbgen gbkcsv IN.sheet OUT.csv   the same in GB18030, CR LF
 *   wbgen bench IN.csv OUT.xlsx     libxlsxwriter in constant-memory mode
 *                                   (inline strings), numbers and dates typed
 *   wbgen bench-sst IN.csv OUT.xlsx the same rows with a shared strings
 *                                   table, as Excel and WPS save them
 *   wbgen hostile KIND OUT          bomb, widerow, bigstring, doctype,
 *                                   encrypted, zipcrypt, badref
 *   wbgen sheet clean|typed|messy IN.csv OUT.sheet
 *                                   a CSV inventory as a sheet description
 *
 * IN.sheet: one line per row, cells separated by TAB, each TYPE:VALUE with
 * TYPE s (text), n (number), d (a date cell, VALUE YYYY-MM-DD), b (boolean
 * 1/0) or e (an error value such as #N/A); an empty cell is nothing.  In a
 * VALUE, \n is a line break and \\ a backslash.  "#sheet NAME" starts a
 * sheet, "#merge A1:H1" merges a range of the current one.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "core/csvread.h"
#include "util/parse.h"

struct cell {
	char type;
	char *v;
};

struct row {
	struct cell *c;
	int n;
};

struct sheet {
	char name[64];
	struct row *rows;
	int nrows;
	char merges[64][24];
	int nmerges;
};

static struct sheet sheets[16];
static int nsheets;

static void die(const char *fmt, const char *arg)
{
	const char *pct = strstr(fmt, "%s");

	/* fmt holds at most one %s, for arg. */
	fprintf(stderr, "wbgen: %.*s%s%s\n", pct ? (int)(pct - fmt) : (int)strlen(fmt), fmt,
		pct ? arg : "", pct ? pct + 2 : "");
	exit(1);
}

static char *unescape(const char *s, size_t n)
{
	char *o = malloc(n + 1), *p = o;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			*p++ = s[i] == 'n' ? '\n' : s[i] == 't' ? '\t' : s[i];
		} else {
			*p++ = s[i];
		}
	}
	*p = '\0';
	return o;
}

static void read_sheets(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	if (!f)
		die("cannot open %s", path);
	while ((len = getline(&line, &cap, f)) > 0) {
		struct sheet *sh;
		struct row *r;
		char *p;

		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!strncmp(line, "#sheet ", 7)) {
			snprintf(sheets[nsheets++].name, 64, "%s", line + 7);
			continue;
		}
		if (!nsheets)
			snprintf(sheets[nsheets++].name, 64, "Sheet1");
		sh = &sheets[nsheets - 1];
		if (!strncmp(line, "#merge ", 7)) {
			snprintf(sh->merges[sh->nmerges++], 24, "%s", line + 7);
			continue;
		}
		sh->rows = realloc(sh->rows, (size_t)(sh->nrows + 1) * sizeof(*sh->rows));
		r = &sh->rows[sh->nrows++];
		r->c = NULL;
		r->n = 0;
		p = line;
		for (;;) {
			char *tab = strchr(p, '\t');
			size_t n = tab ? (size_t)(tab - p) : strlen(p);

			r->c = realloc(r->c, (size_t)(r->n + 1) * sizeof(*r->c));
			r->c[r->n].type = n >= 2 && p[1] == ':' ? p[0] : 0;
			r->c[r->n].v = r->c[r->n].type ? unescape(p + 2, n - 2) : NULL;
			r->n++;
			if (!tab)
				break;
			p = tab + 1;
		}
	}
	free(line);
	fclose(f);
}

/* Days since 1970-01-01 of a civil date. */
static long days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static double serial_of(const char *ymd)
{
	long y, m, d;

	if (sscanf(ymd, "%ld-%ld-%ld", &y, &m, &d) != 3)
		die("not a date: %s", ymd);
	return (double)(days_from_civil(y, m, d) + 25569);
}

/* ---- libxlsxwriter ---- */

static void write_xlsx(const char *out)
{
	lxw_workbook *wb = workbook_new(out);
	lxw_format *date;

	if (!wb)
		die("cannot create %s", out);
	date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy\"年\"m\"月\"d\"日\"");
	for (int s = 0; s < nsheets; s++) {
		lxw_worksheet *ws = workbook_add_worksheet(wb, sheets[s].name);

		for (int r = 0; r < sheets[s].nrows; r++) {
			struct row *row = &sheets[s].rows[r];

			for (int c = 0; c < row->n; c++) {
				struct cell *cell = &row->c[c];

				switch (cell->type) {
				case 's':
					worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, cell->v, NULL);
					break;
				case 'n':
					worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)c, strtod(cell->v, NULL), NULL);
					break;
				case 'd':
					worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)c, serial_of(cell->v), date);
					break;
				case 'b':
					worksheet_write_boolean(ws, (lxw_row_t)r, (lxw_col_t)c, atoi(cell->v), NULL);
					break;
				default:
					break;
				}
			}
		}
		for (int m = 0; m < sheets[s].nmerges; m++) {
			lxw_row_t r1 = lxw_name_to_row(sheets[s].merges[m]);
			lxw_col_t c1 = lxw_name_to_col(sheets[s].merges[m]);
			lxw_row_t r2 = lxw_name_to_row_2(sheets[s].merges[m]);
			lxw_col_t c2 = lxw_name_to_col_2(sheets[s].merges[m]);
			const char *first = "";

			if (r1 < (lxw_row_t)sheets[s].nrows && c1 < (lxw_col_t)sheets[s].rows[r1].n &&
			    sheets[s].rows[r1].c[c1].v)
				first = sheets[s].rows[r1].c[c1].v;
			worksheet_merge_range(ws, r1, c1, r2, c2, first, NULL);
		}
	}
	if (workbook_close(wb) != LXW_NO_ERROR)
		die("cannot write %s", out);
}

/* ---- the second writer: XML by hand ---- */

struct buf {
	char *p;
	size_t len, cap;
};

static void add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void adds(struct buf *b, const char *s)
{
	add(b, s, strlen(s));
}

static void addx(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': adds(b, "&amp;"); break;
		case '<': adds(b, "&lt;"); break;
		case '>': adds(b, "&gt;"); break;
		case '"': adds(b, "&quot;"); break;
		default: add(b, s, 1); break;
		}
	}
}

static void zadd(zip_t *z, const char *name, struct buf *b)
{
	zip_source_t *src = zip_source_buffer(z, b->p, b->len, 1);

	if (!src || zip_file_add(z, name, src, ZIP_FL_OVERWRITE) < 0)
		die("zip: %s", zip_strerror(z));
	b->p = NULL;
	b->len = b->cap = 0;
}

#define NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define RNS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

static void package_parts(zip_t *z, int nsheet)
{
	struct buf b = { 0 };
	char tmp[256];

	adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
		 "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
		 "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
		 "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
		 "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>");
	for (int i = 0; i < nsheet; i++) {
		snprintf(tmp, sizeof(tmp), "<Override PartName=\"/xl/worksheets/s%d.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>", i + 1);
		adds(&b, tmp);
	}
	adds(&b, "</Types>");
	zadd(z, "[Content_Types].xml", &b);
	adds(&b, "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		 "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
	zadd(z, "_rels/.rels", &b);
	/* A custom date format under id 164 and an xf that uses it. */
	adds(&b, "<?xml version=\"1.0\"?><x:styleSheet xmlns:x=\"" NS "\"><x:numFmts count=\"1\">"
		 "<x:numFmt numFmtId=\"164\" formatCode=\"yyyy/m/d\"/></x:numFmts>"
		 "<x:cellXfs count=\"2\"><x:xf numFmtId=\"0\"/><x:xf numFmtId=\"164\" applyNumberFormat=\"1\"/></x:cellXfs>"
		 "</x:styleSheet>");
	zadd(z, "xl/styles.xml", &b);
}

static void sheet_xml(struct buf *b, const struct sheet *sh)
{
	adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<x:worksheet xmlns:x=\"" NS "\"><x:sheetData>");
	for (int r = 0; r < sh->nrows; r++) {
		const struct row *row = &sh->rows[r];
		int last = -1;

		for (int c = 0; c < row->n; c++)
			if (row->c[c].type)
				last = c;
		adds(b, "<x:row>");
		for (int c = 0; c <= last; c++) {
			const struct cell *cell = &row->c[c];
			char num[64];

			switch (cell->type) {
			case 's':
				/* Every other text as a rich run, to read both. */
				adds(b, c % 2 ? "<x:c t=\"inlineStr\"><x:is><x:r><x:t xml:space=\"preserve\">" :
					 "<x:c t=\"inlineStr\"><x:is><x:t xml:space=\"preserve\">");
				addx(b, cell->v);
				adds(b, c % 2 ? "</x:t></x:r></x:is></x:c>" : "</x:t></x:is></x:c>");
				break;
			case 'n':
				adds(b, "<x:c><x:v>");
				addx(b, cell->v);
				adds(b, "</x:v></x:c>");
				break;
			case 'd':
				snprintf(num, sizeof(num), "<x:c s=\"1\"><x:v>%.0f</x:v></x:c>", serial_of(cell->v));
				adds(b, num);
				break;
			case 'b':
				adds(b, "<x:c t=\"b\"><x:v>");
				addx(b, cell->v);
				adds(b, "</x:v></x:c>");
				break;
			case 'e':
				adds(b, "<x:c t=\"e\"><x:f>1/0</x:f><x:v>");
				addx(b, cell->v);
				adds(b, "</x:v></x:c>");
				break;
			default:
				adds(b, "<x:c/>");
				break;
			}
		}
		adds(b, "</x:row>");
	}
	adds(b, "</x:sheetData>");
	if (sh->nmerges) {
		adds(b, "<x:mergeCells>");
		for (int m = 0; m < sh->nmerges; m++) {
			adds(b, "<x:mergeCell ref=\"");
			adds(b, sh->merges[m]);
			adds(b, "\"/>");
		}
		adds(b, "</x:mergeCells>");
	}
	adds(b, "</x:worksheet>");
}

static void write_plain(const char *out)
{
	zip_t *z;
	struct buf b = { 0 };
	char tmp[512];
	int err;

	remove(out);
	z = zip_open(out, ZIP_CREATE | ZIP_EXCL, &err);
	if (!z)
		die("cannot create %s", out);
	package_parts(z, nsheets);
	adds(&b, "<?xml version=\"1.0\"?><x:workbook xmlns:x=\"" NS "\" xmlns:r=\"" RNS "\"><x:workbookPr date1904=\"false\"/><x:sheets>");
	for (int i = 0; i < nsheets; i++) {
		adds(&b, "<x:sheet name=\"");
		addx(&b, sheets[i].name);
		snprintf(tmp, sizeof(tmp), "\" sheetId=\"%d\" r:id=\"rId%d\"/>", i + 1, i + 1);
		adds(&b, tmp);
	}
	adds(&b, "</x:sheets></x:workbook>");
	zadd(z, "xl/workbook.xml", &b);
	adds(&b, "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
	for (int i = 0; i < nsheets; i++) {
		snprintf(tmp, sizeof(tmp), "<Relationship Id=\"rId%d\" Type=\"" RNS "/worksheet\" Target=\"/xl/worksheets/s%d.xml\"/>",
			 i + 1, i + 1);
		adds(&b, tmp);
	}
	adds(&b, "</Relationships>");
	zadd(z, "xl/_rels/workbook.xml.rels", &b);
	for (int i = 0; i < nsheets; i++) {
		sheet_xml(&b, &sheets[i]);
		snprintf(tmp, sizeof(tmp), "xl/worksheets/s%d.xml", i + 1);
		zadd(z, tmp, &b);
	}
	if (zip_close(z) < 0)
		die("zip: %s", zip_strerror(z));
}

/* ---- CSV ---- */

static void csv_cell(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
}

static void write_csv(const char *out, int gbk)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len), *f;
	const struct sheet *sh = &sheets[0];
	int width = 0;

	for (int r = 0; r < sh->nrows; r++)
		if (sh->rows[r].n > width)
			width = sh->rows[r].n;
	for (int r = 0; r < sh->nrows; r++) {
		for (int c = 0; c < width; c++) {
			const struct cell *cell = c < sh->rows[r].n ? &sh->rows[r].c[c] : NULL;

			if (c)
				fputc(',', m);
			if (cell && cell->type == 'b')
				csv_cell(m, atoi(cell->v) ? "TRUE" : "FALSE");
			else if (cell && cell->type)
				csv_cell(m, cell->v);
		}
		fputs(gbk ? "\r\n" : "\n", m);
	}
	fclose(m);
	f = fopen(out, "wb");
	if (!f)
		die("cannot create %s", out);
	if (gbk) {
		iconv_t cd = iconv_open("GB18030", "UTF-8");
		char *in = text, *obuf = malloc(len * 2 + 16), *op = obuf;
		size_t il = len, ol = len * 2 + 16;

		if (cd == (iconv_t)-1 || iconv(cd, &in, &il, &op, &ol) == (size_t)-1)
			die("iconv: %s", strerror(errno));
		fwrite(obuf, 1, (size_t)(op - obuf), f);
		free(obuf);
		iconv_close(cd);
	} else {
		fwrite(text, 1, len, f);
	}
	free(text);
	if (fclose(f) != 0)
		die("cannot write %s", out);
}

/* ---- the bench: a CSV inventory as a typed workbook, in constant memory ---- */

static int is_number(const char *s)
{
	char *end;

	if (!*s || strlen(s) > 15)
		return 0;
	strtod(s, &end);
	return !*end && strspn(s, "0123456789.") == strlen(s);
}

static int is_date(const char *s)
{
	return strlen(s) == 10 && s[4] == '-' && s[7] == '-' && strspn(s, "0123456789-") == 10;
}

static void write_bench(const char *in, const char *out)
{
	lxw_workbook_options opt = { .constant_memory = 1, .tmpdir = NULL, .use_zip64 = 1 };
	lxw_workbook *wb = workbook_new_opt(out, &opt);
	lxw_worksheet *ws;
	lxw_format *date;
	struct csvread *r;
	struct csvread_record rec;
	struct zj_error err;
	lxw_row_t row = 0;

	if (!wb)
		die("cannot create %s", out);
	date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy-mm-dd");
	ws = workbook_add_worksheet(wb, "apps");
	if (csvread_open(&r, in, CSVREAD_AUTO, &err) < 0)
		die("%s", err.msg);
	while (csvread_next(r, &rec, &err) > 0) {
		for (size_t c = 0; c < rec.nfields; c++) {
			const char *v = rec.fields[c];

			if (!*v)
				continue;
			if (row && is_date(v))
				worksheet_write_number(ws, row, (lxw_col_t)c, serial_of(v), date);
			else if (row && is_number(v))
				worksheet_write_number(ws, row, (lxw_col_t)c, strtod(v, NULL), NULL);
			else
				worksheet_write_string(ws, row, (lxw_col_t)c, v, NULL);
		}
		row++;
	}
	csvread_close(r);
	if (workbook_close(wb) != LXW_NO_ERROR)
		die("cannot write %s", out);
}

/*
 * wbgen bench-sst IN.csv OUT.xlsx: the same rows as "bench", kept as Excel
 * and WPS keep them: every text once in xl/sharedStrings.xml, cells that
 * refer to it (t="s"), numbers and dates typed.  The strings are gathered
 * in a first pass that also sizes the sheet; the sheet is then made again
 * row by row while libzip deflates it, so it is never held whole.
 */
struct sstgen {
	const char *csv;
	struct csvread *r;
	struct buf b;
	size_t off;
	long row;
	int phase;		/* 0 head, 1 rows, 2 tail, 3 done */
	zip_uint64_t size;
	/* The strings: an open-addressing table of indices into list. */
	char **list;
	size_t n, listcap;
	uint32_t *slot;
	size_t cap;
};

static uint32_t sst_index(struct sstgen *g, const char *s)
{
	size_t h = 1469598103934665603ULL;

	for (const char *p = s; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	if ((g->n + 1) * 2 > g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 1 << 16;
		uint32_t *slot = calloc(cap, sizeof(*slot));

		if (!slot)
			die("%s", "out of memory");
		for (size_t i = 0; i < g->n; i++) {
			size_t k = 1469598103934665603ULL;

			for (const char *p = g->list[i]; *p; p++)
				k = (k ^ (unsigned char)*p) * 1099511628211ULL;
			while (slot[k & (cap - 1)])
				k++;
			slot[k & (cap - 1)] = (uint32_t)i + 1;
		}
		free(g->slot);
		g->slot = slot;
		g->cap = cap;
	}
	for (;; h++) {
		uint32_t v = g->slot[h & (g->cap - 1)];

		if (!v)
			break;
		if (!strcmp(g->list[v - 1], s))
			return v - 1;
	}
	if (g->n == g->listcap) {
		g->listcap = g->listcap ? g->listcap * 2 : 1 << 16;
		if (!(g->list = realloc(g->list, g->listcap * sizeof(*g->list))))
			die("%s", "out of memory");
	}
	if (!(g->list[g->n] = strdup(s)))
		die("%s", "out of memory");
	g->slot[h & (g->cap - 1)] = (uint32_t)g->n + 1;
	return (uint32_t)g->n++;
}

/* The next piece of the sheet into g->b; 0 at the end. */
static int sst_piece(struct sstgen *g)
{
	struct csvread_record rec;
	struct zj_error err;
	char tmp[128];

	g->b.len = 0;
	g->off = 0;
	switch (g->phase) {
	case 0:
		adds(&g->b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"" NS
			    "\" xmlns:r=\"" RNS "\"><sheetData>");
		if (csvread_open(&g->r, g->csv, CSVREAD_AUTO, &err) < 0)
			die("%s", err.msg);
		g->row = 0;
		g->phase = 1;
		return 1;
	case 1:
		if (csvread_next(g->r, &rec, &err) > 0) {
			snprintf(tmp, sizeof(tmp), "<row r=\"%ld\">", ++g->row);
			adds(&g->b, tmp);
			for (size_t c = 0; c < rec.nfields; c++) {
				const char *v = rec.fields[c];
				char ref[16];
				int k = 0;

				if (!*v)
					continue;
				for (size_t n = c + 1; n; n = (n - 1) / 26)
					ref[k++] = (char)('A' + (n - 1) % 26);
				for (int i = 0; i < k / 2; i++) {
					char t = ref[i];

					ref[i] = ref[k - 1 - i];
					ref[k - 1 - i] = t;
				}
				ref[k] = '\0';
				if (g->row > 1 && is_date(v))
					snprintf(tmp, sizeof(tmp), "<c r=\"%s%ld\" s=\"1\"><v>%.0f</v></c>", ref, g->row, serial_of(v));
				else if (g->row > 1 && is_number(v))
					snprintf(tmp, sizeof(tmp), "<c r=\"%s%ld\"><v>%.16g</v></c>", ref, g->row, strtod(v, NULL));
				else
					snprintf(tmp, sizeof(tmp), "<c r=\"%s%ld\" t=\"s\"><v>%u</v></c>", ref, g->row, sst_index(g, v));
				adds(&g->b, tmp);
			}
			adds(&g->b, "</row>");
			return 1;
		}
		csvread_close(g->r);
		g->r = NULL;
		adds(&g->b, "</sheetData></worksheet>");
		g->phase = 2;
		return 1;
	default:
		g->phase = 3;
		return 0;
	}
}

/* What the two generated zip sources answer alike: every command but OPEN
 * and READ, for an entry of `size` bytes. */
static zip_int64_t source_cmd(void *data, zip_uint64_t len, zip_source_cmd_t cmd, zip_uint64_t size)
{
	switch (cmd) {
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_FREE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;

		zip_stat_init(st);
		st->size = size;
		st->valid |= ZIP_STAT_SIZE;
		return sizeof(*st);
	}
	case ZIP_SOURCE_ERROR: {
		zip_error_t e;
		zip_int64_t n;

		zip_error_init(&e);
		n = zip_error_to_data(&e, data, len);
		zip_error_fini(&e);
		return n;
	}
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
						      ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		return -1;
	}
}

static zip_int64_t sst_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct sstgen *g = ud;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		g->phase = 0;
		g->b.len = g->off = 0;
		return 0;
	case ZIP_SOURCE_READ: {
		zip_uint64_t n = 0;

		while (n < len) {
			size_t k;

			if (g->off == g->b.len && !sst_piece(g))
				break;
			k = g->b.len - g->off;
			if (k > len - n)
				k = (size_t)(len - n);
			memcpy((char *)data + n, g->b.p + g->off, k);
			g->off += k;
			n += k;
		}
		return (zip_int64_t)n;
	}
	default:
		return source_cmd(data, len, cmd, g->size);
	}
}

static void write_bench_sst(const char *in, const char *out)
{
	static struct sstgen g;
	struct buf b = { 0 };
	zip_source_t *src;
	zip_t *z;
	int err;

	/* First pass: the strings, and the sheet's size. */
	g.csv = in;
	g.phase = 0;
	while (sst_piece(&g))
		g.size += g.b.len;
	remove(out);
	if (!(z = zip_open(out, ZIP_CREATE | ZIP_EXCL, &err)))
		die("cannot create %s", out);
	adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
		 "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
		 "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
		 "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
		 "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
		 "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
		 "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
		 "</Types>");
	zadd(z, "[Content_Types].xml", &b);
	adds(&b, "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		 "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
	zadd(z, "_rels/.rels", &b);
	adds(&b, "<?xml version=\"1.0\"?><workbook xmlns=\"" NS "\" xmlns:r=\"" RNS "\"><sheets>"
		 "<sheet name=\"apps\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
	zadd(z, "xl/workbook.xml", &b);
	adds(&b, "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		 "<Relationship Id=\"rId1\" Type=\"" RNS "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
		 "<Relationship Id=\"rId2\" Type=\"" RNS "/styles\" Target=\"styles.xml\"/>"
		 "<Relationship Id=\"rId3\" Type=\"" RNS "/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>");
	zadd(z, "xl/_rels/workbook.xml.rels", &b);
	adds(&b, "<?xml version=\"1.0\"?><styleSheet xmlns=\"" NS "\"><numFmts count=\"1\">"
		 "<numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd\"/></numFmts>"
		 "<cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>");
	zadd(z, "xl/styles.xml", &b);
	{
		char tmp[96];

		snprintf(tmp, sizeof(tmp), " uniqueCount=\"%zu\">", g.n);
		adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sst xmlns=\"" NS "\"");
		adds(&b, tmp);
	}
	for (size_t i = 0; i < g.n; i++) {
		adds(&b, "<si><t>");
		addx(&b, g.list[i]);
		adds(&b, "</t></si>");
	}
	adds(&b, "</sst>");
	zadd(z, "xl/sharedStrings.xml", &b);
	if (!(src = zip_source_function(z, sst_cb, &g)) ||
	    zip_file_add(z, "xl/worksheets/sheet1.xml", src, ZIP_FL_OVERWRITE) < 0)
		die("zip: %s", zip_strerror(z));
	if (zip_close(z) < 0)
		die("zip: %s", zip_strerror(z));
	for (size_t i = 0; i < g.n; i++)
		free(g.list[i]);
	free(g.list);
	free(g.slot);
	free(g.b.p);
}

/* ---- a clean CSV inventory as a sheet description ---- */

/* How an office might head the apps columns instead. */
static const char *const messy_headers[][2] = {
	{ "名称", "应用名称" },
	{ "主办单位", "主办（使用）单位" },
	{ "月活跃用户数", "月活跃用户数\\n（人）" },
	{ "注册用户数", "注册人数" },
	{ "纳入信息化规划", "是否纳入信息化规划（是/否）" },
	{ "通过立项审核", "是否通过立项审核(是/否)" },
	{ "上线日期", "上线时间" },
	{ "最近更新日期", "最近更新时间" },
	{ "ICP备案号", "ICP备案编号" },
	{ "最近应急演练日期", "最近应急演练日期（年月日）" },
	{ "运行状态", "运行状态：" },
	{ "备注", "备　注" },
};

static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\t')
			fputc(' ', f);
		else if (*s != '\r')
			fputc(*s, f);
	}
}

/* 41230 → 4.123万, 1234 → 1，234 or 1,234, 300 → 300人. */
static void messy_int(FILE *f, long long v, long k)
{
	if (v >= 10000) {
		char b[32];
		int n = snprintf(b, sizeof(b), "%lld.%04lld", v / 10000, v % 10000);

		while (b[n - 1] == '0')
			b[--n] = '\0';
		if (b[n - 1] == '.')
			b[--n] = '\0';
		fprintf(f, "s:%s万", b);
	} else if (v >= 1000) {
		fprintf(f, "s:%lld%s%03lld", v / 1000, k % 2 ? "，" : ",", v % 1000);
	} else {
		fprintf(f, "s:%lld%s", v, k % 2 ? "人" : "");
	}
}

/*
 * wbgen sheet clean|messy|typed IN.csv OUT.sheet: the rows of IN as a sheet
 * description.  clean: every cell text.  typed: numbers and dates typed
 * (what a workbook holds).  messy: a title, a blank and a group row above
 * headers as offices phrase them, and values as offices write them (√/×,
 * 有/无, Y/N, 1.2万, 1，234, 300人, 2026年3月1日, 2026.3.1), all meaning what
 * IN says.
 */
static void write_sheet(const char *mode, const char *in, const char *out)
{
	struct csvread *r;
	struct csvread_record rec;
	struct zj_error err;
	FILE *f = fopen(out, "w");
	int messy = !strcmp(mode, "messy"), typed = !strcmp(mode, "typed") || messy;
	long k = 0;

	if (!f)
		die("cannot create %s", out);
	if (csvread_open(&r, in, CSVREAD_AUTO, &err) < 0)
		die("%s", err.msg);
	if (messy)
		fputs("s:青禾县政务应用程序摸排统计表\n#merge A1:H1\n\ns:基本信息\t\t\ts:使用情况\n#merge A3:C3\n", f);
	while (csvread_next(r, &rec, &err) > 0) {
		for (size_t c = 0; c < rec.nfields; c++) {
			const char *v = rec.fields[c], *t;
			size_t tl;
			char date[11];
			int b;

			if (c)
				fputc('\t', f);
			if (!parse_text(v, rec.lens[c], &t, &tl))
				continue;
			if (k == 0) {
				const char *h = v;

				for (size_t i = 0; messy && i < sizeof(messy_headers) / sizeof(messy_headers[0]); i++)
					if (!strcmp(v, messy_headers[i][0]))
						h = messy_headers[i][1];
				fprintf(f, "s:%s", h);
				continue;
			}
			if (typed && strspn(t, "0123456789") != tl && parse_date(t, tl, date, NULL) == 1) {
				if (messy && k % 3 == 1)
					fprintf(f, "s:%.4s年%d月%d日", date, atoi(date + 5), atoi(date + 8));
				else if (messy && k % 3 == 2)
					fprintf(f, "s:%.4s.%d.%d", date, atoi(date + 5), atoi(date + 8));
				else
					fprintf(f, "d:%s", date);
			} else if (typed && strspn(t, "0123456789") == tl && tl < 12 && t[0] != '0') {
				if (messy)
					messy_int(f, strtoll(t, NULL, 10), k + (long)c);
				else
					fprintf(f, "n:%.*s", (int)tl, t);
			} else if (messy && parse_bool(t, tl, &b, NULL) == 1 && (t[0] & 0x80) &&
				   strcmp(v, "无")) {	/* 无 is also "no ICP filing", which is no boolean */
				static const char *const yes[] = { "√", "有", "Y", "✓", "是" };
				static const char *const no[] = { "×", "无", "N", "✗", "否" };

				fprintf(f, "s:%s", b ? yes[(k + (long)c) % 5] : no[(k + (long)c) % 5]);
			} else if (typed && !messy && parse_bool(t, tl, &b, NULL) == 1 && (k + (long)c) % 4 == 0) {
				fprintf(f, "b:%d", b);
			} else {
				fputs("s:", f);
				put_escaped(f, v);
			}
		}
		fputc('\n', f);
		k++;
	}
	csvread_close(r);
	if (fclose(f) != 0)
		die("cannot write %s", out);
}

/* ---- hostile workbooks ---- */

struct gen {
	const char *head, *tail;
	size_t hlen, tlen;
	long long body, done;	/* body bytes of `fill` between them */
	char fill;		/* 0: random letters */
	unsigned long long seed;
	int phase;
	long long pos;
};

static zip_int64_t gen_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct gen *g = ud;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		g->pos = 0;
		return 0;
	case ZIP_SOURCE_READ: {
		long long total = (long long)(g->hlen + g->tlen) + g->body, n = 0;
		char *out = data;

		while ((zip_uint64_t)n < len && g->pos < total) {
			if (g->pos < (long long)g->hlen) {
				out[n++] = g->head[g->pos++];
			} else if (g->pos < (long long)g->hlen + g->body) {
				long long k = (long long)g->hlen + g->body - g->pos;

				if (k > (long long)len - n)
					k = (long long)len - n;
				if (g->fill) {
					memset(out + n, g->fill, (size_t)k);
				} else {
					/* Letters that deflate cannot shrink much. */
					for (long long i = 0; i < k; i++) {
						g->seed = g->seed * 6364136223846793005ULL + 1442695040888963407ULL;
						out[n + i] = (char)('a' + (g->seed >> 33) % 26);
					}
				}
				n += k;
				g->pos += k;
			} else {
				out[n++] = g->tail[g->pos++ - (long long)g->hlen - g->body];
			}
		}
		return n;
	}
	default:
		return source_cmd(data, len, cmd, (zip_uint64_t)((long long)(g->hlen + g->tlen) + g->body));
	}
}

static void hostile(const char *kind, const char *out)
{
	static struct gen g;
	static const char header[] = "s:编号\ts:名称\ts:主办单位\n";
	char tmp[] = "/tmp/wbgen.XXXXXX";
	int fd = mkstemp(tmp);
	zip_t *z;
	int err;

	if (fd < 0)
		die("%s", "mkstemp");
	if (write(fd, header, sizeof(header) - 1) < 0)
		die("%s", "write");
	close(fd);
	read_sheets(tmp);
	remove(tmp);

	if (!strcmp(kind, "encrypted")) {
		/* An OLE2 compound file naming an EncryptedPackage stream, as a
		 * password-protected .xlsx is. */
		static const unsigned char magic[8] = { 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1 };
		static const char name[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
		FILE *f = fopen(out, "wb");
		char zero[512] = { 0 };

		if (!f)
			die("cannot create %s", out);
		fwrite(magic, 1, 8, f);
		fwrite(zero, 1, 504, f);
		fwrite(name, 1, sizeof(name) - 1, f);
		fwrite(zero, 1, 512, f);
		fclose(f);
		return;
	}
	remove(out);
	z = zip_open(out, ZIP_CREATE | ZIP_EXCL, &err);
	if (!z)
		die("cannot create %s", out);
	package_parts(z, 1);
	{
		struct buf b = { 0 };

		adds(&b, "<?xml version=\"1.0\"?><workbook xmlns=\"" NS "\" xmlns:r=\"" RNS "\"><sheets>"
			 "<sheet name=\"摸排表\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
		zadd(z, "xl/workbook.xml", &b);
		adds(&b, "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
			 "<Relationship Id=\"rId1\" Type=\"" RNS "/worksheet\" Target=\"worksheets/s1.xml\"/></Relationships>");
		zadd(z, "xl/_rels/workbook.xml.rels", &b);
	}
	if (!strcmp(kind, "bomb") || !strcmp(kind, "widerow") || !strcmp(kind, "bigstring")) {
		zip_source_t *src;

		if (!strcmp(kind, "bomb")) {
			/* 512 MiB of blanks inside the sheet's XML. */
			g.head = "<?xml version=\"1.0\"?><worksheet xmlns=\"" NS "\"><sheetData>";
			g.tail = "</sheetData></worksheet>";
			g.body = 512LL << 20;
			g.fill = ' ';
		} else if (!strcmp(kind, "widerow")) {
			/* One row of a million cells ("<c><v>1</v></c>" is 15
			 * bytes; a million such is written as the body below). */
			g.head = "<?xml version=\"1.0\"?><worksheet xmlns=\"" NS "\"><sheetData><row><c t=\"inlineStr\"><is><t>编号</t></is></c>"
				 "<c t=\"inlineStr\"><is><t>名称</t></is></c><c t=\"inlineStr\"><is><t>主办单位</t></is></c></row><row><c><v>";
			g.tail = "</v></c></row></sheetData></worksheet>";
			g.body = 0;
			g.fill = '1';
		} else {
			/* A shared string of 100 MB. */
			g.head = "<?xml version=\"1.0\"?><sst xmlns=\"" NS "\"><si><t>编号</t></si><si><t>名称</t></si><si><t>主办单位</t></si><si><t>";
			g.tail = "</t></si></sst>";
			g.body = 100LL << 20;
			g.fill = 0;
		}
		g.hlen = strlen(g.head);
		g.tlen = strlen(g.tail);
		if (!strcmp(kind, "widerow")) {
			/* Built in memory: the cells differ from the fill. */
			struct buf b = { 0 };

			adds(&b, g.head);
			for (long i = 0; i < 1000000; i++)
				adds(&b, "1</v></c><c><v>");
			adds(&b, "1");
			adds(&b, g.tail);
			zadd(z, "xl/worksheets/s1.xml", &b);
		} else {
			src = zip_source_function(z, gen_cb, &g);
			if (!src || zip_file_add(z, !strcmp(kind, "bigstring") ? "xl/sharedStrings.xml" : "xl/worksheets/s1.xml",
						 src, 0) < 0)
				die("zip: %s", zip_strerror(z));
		}
		if (!strcmp(kind, "bigstring")) {
			struct buf b = { 0 };

			adds(&b, "<?xml version=\"1.0\"?><worksheet xmlns=\"" NS "\"><sheetData><row r=\"1\">"
				 "<c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c></row>"
				 "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>3</v></c><c r=\"B2\" t=\"inlineStr\"><is><t>n</t></is></c>"
				 "<c r=\"C2\" t=\"inlineStr\"><is><t>u</t></is></c></row></sheetData></worksheet>");
			zadd(z, "xl/worksheets/s1.xml", &b);
		}
	} else if (!strcmp(kind, "doctype")) {
		struct buf b = { 0 };

		adds(&b, "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
			 "<worksheet xmlns=\"" NS "\"><sheetData><row><c t=\"inlineStr\"><is><t>&b;</t></is></c></row></sheetData></worksheet>");
		zadd(z, "xl/worksheets/s1.xml", &b);
	} else if (!strcmp(kind, "badref")) {
		struct buf b = { 0 };

		adds(&b, "<?xml version=\"1.0\"?><worksheet xmlns=\"" NS "\"><sheetData><row><c t=\"s\"><v>7</v></c></row></sheetData></worksheet>");
		zadd(z, "xl/worksheets/s1.xml", &b);
	} else if (!strcmp(kind, "zipcrypt")) {
		struct buf b = { 0 };
		zip_int64_t i;

		sheet_xml(&b, &sheets[0]);
		i = zip_file_add(z, "xl/worksheets/s1.xml", zip_source_buffer(z, b.p, b.len, 1), 0);
		if (i < 0 || zip_file_set_encryption(z, (zip_uint64_t)i, ZIP_EM_AES_256, "secret") < 0)
			die("zip: %s", zip_strerror(z));
	} else {
		die("unknown kind %s", kind);
	}
	if (zip_close(z) < 0)
		die("zip: %s", zip_strerror(z));
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "hostile")) {
		hostile(argv[2], argv[3]);
		return 0;
	}
	if (argc != 4 && !(argc == 5 && !strcmp(argv[1], "sheet")))
		die("%s", "usage: wbgen xlsx|plain|csv|gbkcsv IN.sheet OUT | bench|bench-sst IN.csv OUT.xlsx | hostile KIND OUT");
	if (!strcmp(argv[1], "bench")) {
		write_bench(argv[2], argv[3]);
		return 0;
	}
	if (!strcmp(argv[1], "bench-sst")) {
		write_bench_sst(argv[2], argv[3]);
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "sheet")) {
		write_sheet(argv[2], argv[3], argv[4]);
		return 0;
	}
	read_sheets(argv[2]);
	if (!strcmp(argv[1], "xlsx"))
		write_xlsx(argv[3]);
	else if (!strcmp(argv[1], "plain"))
		write_plain(argv[3]);
	else if (!strcmp(argv[1], "csv"))
		write_csv(argv[3], 0);
	else if (!strcmp(argv[1], "gbkcsv"))
		write_csv(argv[3], 1);
	else
		die("unknown mode %s", argv[1]);
	return 0;
}
