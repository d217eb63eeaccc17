#include "core/import.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/store.h"
#include "util/i18n.h"
#include "util/parse.h"
#include "util/strbuf.h"

#define MAX_COLUMNS 512
#define MAX_INV_COLUMNS 128
#define REASON_HEADER "错误原因"	/* the rejected-rows file's last column */

enum colkind { COL_NORMAL, COL_BLANK, COL_BLANK_REPORTED, COL_REASON };

struct importer {
	sqlite3 *db;
	const struct import_opts *o;
	const struct inventory *inv;
	struct import_result *res;
	struct zj_error *err;
	struct rowsrc *src;
	struct colmap map;
	int ncols;			/* the header's width */
	int width;			/* columns a data row may use */
	int map_of[MAX_COLUMNS];	/* file column → inventory column, -1 */
	char *headers[MAX_COLUMNS];	/* file header texts; NULL: blank */
	char kind[MAX_COLUMNS];		/* enum colkind */
	int bind_of[MAX_INV_COLUMNS];	/* inventory column → bind index, 0 = absent */
	int id_col;			/* file column of id */
	int nbind;
	sqlite3_stmt *ins, *dupline;
	FILE *rejected;
	char *rejected_tmp;
	struct strbuf extra, msg;
	char dates[MAX_INV_COLUMNS][11];
	char ints[MAX_INV_COLUMNS][24];
	long long errors;
	char colname[ZJ_ERROR_MAX / 2];	/* column_name()'s answer */
};

static void report(struct importer *im, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void report(struct importer *im, const char *fmt, ...)
{
	char line[ZJ_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	im->errors++;
	if (im->o->on_error)
		im->o->on_error(im->o->ctx, line);
	/* Keep the first reason for the rejected-rows file. */
	if (!im->msg.len)
		sb_add(&im->msg, line, strlen(line));
}

/* Shortens a bad value for a message: at most 40 bytes, whole characters,
 * control characters shown as spaces. */
static const char *shown(const char *s, size_t len, char out[64])
{
	size_t n = len < 40 ? len : 40;

	while (n < len && n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	snprintf(out, 64, "%.*s%s", (int)n, s, n < len ? "…" : "");
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return out;
}

/* Where column i of a row is: "apps.csv:14" or "apps.xlsx:摸排表!M14". */
static const char *cell_where(struct importer *im, long row, int i, char *buf, size_t size)
{
	return rowsrc_where(im->src, row, im->src->csv ? -1 : i, buf, size);
}

static const char *row_where(struct importer *im, long row, char *buf, size_t size)
{
	return rowsrc_where(im->src, row, -1, buf, size);
}

/* "3" for a CSV column, "C" for a workbook's. */
static char *column_label(struct importer *im, int i)
{
	char b[16];

	if (im->src->csv)
		snprintf(b, sizeof(b), "%d", i + 1);
	else
		rowsrc_column_name(i, b);
	return strdup(b);
}

/* The name of column i in messages: the file's own header, followed by
 * the contract header it was matched to when the two differ (the person
 * fixing the file looks for the first, the contract documents the second),
 * else 列N. */
static const char *column_name(struct importer *im, int i)
{
	const char *own = i < MAX_COLUMNS ? im->headers[i] : NULL;
	char letter[8];

	if (i < MAX_COLUMNS && im->map_of[i] >= 0) {
		const struct inv_column *c = &im->inv->cols[im->map_of[i]];
		const char *contract = c->header;

		char a[COLMAP_MAX_HEADER + 1], b[COLMAP_MAX_HEADER + 1];

		/* The same header up to the contract's normalisation, or the
		 * English key (the contract's own second name), needs no gloss. */
		if (!own || !strcasecmp(own, c->key) ||
		    !strcmp(colmap_normalize(own, strlen(own), a) ? a : own,
			    colmap_normalize(contract, strlen(contract), b) ? b : contract))
			return contract;
		snprintf(im->colname, sizeof(im->colname), "%s（%s）", own, contract);
	} else if (own) {
		return own;
	} else if (im->src->csv) {
		snprintf(im->colname, sizeof(im->colname), "列%d", i + 1);
	} else {
		rowsrc_column_name(i, letter);
		snprintf(im->colname, sizeof(im->colname), "列%s", letter);
	}
	return im->colname;
}

static int trimmed(const struct rowsrc_cell *c, const char **t, size_t *tl)
{
	return c->kind != CELL_EMPTY && parse_text(c->text, c->len, t, tl);
}

static int add_unknown(struct importer *im, const char *name)
{
	char **u;

	for (size_t k = 0; k < im->res->nunknown; k++)
		if (!strcmp(im->res->unknown[k], name))
			return 1;
	u = realloc(im->res->unknown, (im->res->nunknown + 1) * sizeof(*u));
	if (!u)
		return -1;
	im->res->unknown = u;
	if (!(u[im->res->nunknown] = strdup(name)))
		return -1;
	im->res->nunknown++;
	return 0;
}

static void free_columns(struct import_result *res)
{
	for (size_t i = 0; i < res->ncolumns; i++) {
		free(res->columns[i].header);
		free(res->columns[i].letter);
		free(res->columns[i].via);
	}
	free(res->columns);
	res->columns = NULL;
	res->ncolumns = 0;
}

/* How well a row would do as the header. */
struct candidate {
	int matched;		/* cells matching a column */
	int required;		/* required columns among them */
	int width;		/* last non-empty cell + 1 */
};

static void rate_row(struct importer *im, const struct rowsrc_row *row, struct candidate *c)
{
	char seen[MAX_INV_COLUMNS] = { 0 };

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < row->ncells && i < MAX_COLUMNS; i++) {
		const struct colmap_entry *via;
		enum colmap_how how;
		const char *t;
		size_t tl;
		int col;

		if (row->cells[i].problem != CELL_OK || !trimmed(&row->cells[i], &t, &tl))
			continue;
		c->width = (int)i + 1;
		col = colmap_match(&im->map, t, tl, &how, &via);
		if (col < 0 || seen[col])
			continue;
		seen[col] = 1;
		c->matched++;
		if (im->inv->cols[col].required)
			c->required++;
	}
}

/*
 * Takes row as the header (or, with only_blank_or_group, as a second header
 * line under it: only its non-empty cells count, each replacing what stood
 * above).  Fills im->map_of, headers and res->columns; an error for a
 * column matched twice.
 */
static int take_header(struct importer *im, const struct rowsrc_row *row, int second)
{
	const struct inventory *inv = im->inv;
	char where[512];
	int seen[MAX_INV_COLUMNS];
	int width = second ? im->ncols : 0;

	for (int c = 0; c < MAX_INV_COLUMNS; c++)
		seen[c] = -1;
	if (second)
		for (int i = 0; i < im->ncols; i++)
			if (im->map_of[i] >= 0)
				seen[im->map_of[i]] = i;
	if (!second) {
		for (int i = 0; i < MAX_COLUMNS; i++) {
			im->map_of[i] = -1;
			im->kind[i] = COL_BLANK;
		}
		im->id_col = -1;
	}
	for (size_t i = 0; i < row->ncells; i++) {
		const struct rowsrc_cell *cell = &row->cells[i];
		const struct colmap_entry *via;
		enum colmap_how how;
		const char *t;
		size_t tl;
		int col;

		if (!trimmed(cell, &t, &tl))
			continue;
		if (i >= MAX_COLUMNS)
			return zj_err(im->err, _("%s: the header has more than %d columns"),
				      row_where(im, row->row, where, sizeof(where)), MAX_COLUMNS);
		if (cell->problem == CELL_BAD_UTF8)
			return zj_err(im->err, _("%s: header cell %zu is not valid UTF-8 (if the file is GBK, use --encoding gb18030)"),
				      row_where(im, row->row, where, sizeof(where)), i + 1);
		if (cell->problem != CELL_OK)
			return zj_err(im->err, _("%s: header cell %zu is not readable text"),
				      row_where(im, row->row, where, sizeof(where)), i + 1);
		if ((int)i + 1 > width)
			width = (int)i + 1;
		col = colmap_match(&im->map, t, tl, &how, &via);
		if (second && col < 0)
			continue;	/* a note under the header: not a header */
		free(im->headers[i]);
		if (!(im->headers[i] = rowsrc_clean_name(t, tl)))
			return zj_err(im->err, "%s", _("out of memory"));
		if (second && im->map_of[i] >= 0 && seen[im->map_of[i]] == (int)i)
			seen[im->map_of[i]] = -1;
		im->kind[i] = COL_NORMAL;
		im->map_of[i] = col;
		if (!strcmp(im->headers[i], REASON_HEADER) && col < 0) {
			/* A corrected NAME.rejected.csv coming back: the
			 * reasons were ours, not the unit's data. */
			im->kind[i] = COL_REASON;
			continue;
		}
		if (col < 0) {
			for (size_t k = 0; k < i; k++)
				if (im->kind[k] == COL_NORMAL && im->map_of[k] < 0 && im->headers[k] &&
				    !strcmp(im->headers[k], im->headers[i]))
					return zj_err(im->err, _("%s: column '%s' appears twice"),
						      row_where(im, row->row, where, sizeof(where)), im->headers[i]);
			continue;
		}
		if (seen[col] >= 0)
			return zj_err(im->err, _("%s: column '%s' appears twice (as '%s' and '%s')"),
				      row_where(im, row->row, where, sizeof(where)), inv->cols[col].header,
				      im->headers[seen[col]], im->headers[i]);
		seen[col] = (int)i;
	}
	/* A CSV record's fields all count (Excel's trailing commas included);
	 * a workbook's row ends with its last non-empty cell. */
	if (im->src->csv && !second && (int)row->ncells > width)
		width = row->ncells > MAX_COLUMNS ? MAX_COLUMNS : (int)row->ncells;
	im->ncols = width;
	im->id_col = -1;
	for (int i = 0; i < width; i++)
		if (im->map_of[i] >= 0 && !strcmp(inv->cols[im->map_of[i]].key, "id"))
			im->id_col = i;
	return 0;
}

/* res->columns from the header as taken (or from a candidate row). */
static int describe_columns(struct importer *im, const struct rowsrc_row *row)
{
	struct import_result *res = im->res;

	free_columns(res);
	if (row) {
		/* A candidate that was not taken: matched cell by cell. */
		size_t n = row->ncells < MAX_COLUMNS ? row->ncells : MAX_COLUMNS;

		res->columns = calloc(n ? n : 1, sizeof(*res->columns));
		if (!res->columns)
			return -1;
		for (size_t i = 0; i < n; i++) {
			struct import_column *c = &res->columns[res->ncolumns];
			const struct colmap_entry *via;
			const char *t, *like;
			size_t tl;

			if (row->cells[i].problem != CELL_OK || !trimmed(&row->cells[i], &t, &tl))
				continue;
			res->ncolumns++;
			c->header = rowsrc_clean_name(t, tl);
			c->letter = column_label(im, (int)i);
			c->col = colmap_match(&im->map, t, tl, &c->how, &via);
			c->suggest = c->col < 0 ? colmap_suggest(&im->map, t, tl, &like) : -1;
			if (!c->header || !c->letter)
				return -1;
		}
		return 0;
	}
	res->columns = calloc(im->ncols ? (size_t)im->ncols : 1, sizeof(*res->columns));
	if (!res->columns)
		return -1;
	for (int i = 0; i < im->ncols; i++) {
		struct import_column *c = &res->columns[res->ncolumns++];
		const struct colmap_entry *via = NULL;
		const char *like;

		c->letter = column_label(im, i);
		c->col = im->map_of[i];
		c->suggest = -1;
		c->blank = im->kind[i] == COL_BLANK;
		c->reason = im->kind[i] == COL_REASON;
		if (!c->letter)
			return -1;
		if (!im->headers[i])
			continue;
		if (!(c->header = strdup(im->headers[i])))
			return -1;
		if (c->col >= 0) {
			colmap_match(&im->map, im->headers[i], strlen(im->headers[i]), &c->how, &via);
			if (via) {
				char b[600];

				snprintf(b, sizeof(b), "%s:%ld", via->file, via->line);
				if (!(c->via = strdup(b)))
					return -1;
			}
		} else if (!c->reason) {
			c->suggest = colmap_suggest(&im->map, im->headers[i], strlen(im->headers[i]), &like);
		}
	}
	return 0;
}

/* Saves a copy of a candidate header row (its cells' texts). */
struct saved_row {
	struct rowsrc_row row;
	struct rowsrc_cell *cells;
	char **texts;
};

static void saved_free(struct saved_row *s)
{
	for (size_t i = 0; s->texts && i < s->row.ncells; i++)
		free(s->texts[i]);
	free(s->texts);
	free(s->cells);
	memset(s, 0, sizeof(*s));
}

static int saved_copy(struct saved_row *s, const struct rowsrc_row *row)
{
	size_t n = row->ncells < MAX_COLUMNS ? row->ncells : MAX_COLUMNS;

	saved_free(s);
	s->cells = calloc(n ? n : 1, sizeof(*s->cells));
	s->texts = calloc(n ? n : 1, sizeof(*s->texts));
	if (!s->cells || !s->texts)
		return -1;
	s->row = *row;
	s->row.ncells = n;
	s->row.cells = s->cells;
	for (size_t i = 0; i < n; i++) {
		s->cells[i] = row->cells[i];
		if (!(s->texts[i] = strndup(row->cells[i].text, row->cells[i].len)))
			return -1;
		s->cells[i].text = s->texts[i];
	}
	return 0;
}

/* "'名称' (name), '主办单位' (host_unit)": the required columns missing. */
static void missing_list(struct importer *im, const struct rowsrc_row *row, char *out, size_t size,
			 int *count)
{
	char seen[MAX_INV_COLUMNS] = { 0 };
	size_t off = 0;

	*count = 0;
	out[0] = '\0';
	for (size_t i = 0; row && i < row->ncells && i < MAX_COLUMNS; i++) {
		const struct colmap_entry *via;
		enum colmap_how how;
		const char *t;
		size_t tl;
		int col;

		if (row->cells[i].problem == CELL_OK && trimmed(&row->cells[i], &t, &tl) &&
		    (col = colmap_match(&im->map, t, tl, &how, &via)) >= 0)
			seen[col] = 1;
	}
	for (size_t c = 0; c < im->inv->ncols; c++)
		if (im->inv->cols[c].required && !seen[c]) {
			(*count)++;
			if (off < size)
				off += (size_t)snprintf(out + off, size - off, "%s'%s' (%s)", off ? ", " : "",
							im->inv->cols[c].header, im->inv->cols[c].key);
		}
}

/*
 * Reads rows until the header: the first of the first IMPORT_HEADER_SCAN
 * rows in which every required column is found.  Returns 0 with the header
 * taken, -1 with err (and res->columns describing the likeliest row).
 */
static int find_header(struct importer *im)
{
	struct saved_row best = { 0 };
	struct candidate bc = { 0 };
	struct rowsrc_row row;
	char where[512], list[600], bad_utf8[600] = "";
	int got = 0, scanned = 0, nmissing;

	while (scanned < IMPORT_HEADER_SCAN && (got = rowsrc_next(im->src, &row, im->err)) > 0) {
		struct candidate c;

		scanned++;
		for (size_t i = 0; i < row.ncells && !bad_utf8[0]; i++)
			if (row.cells[i].problem == CELL_BAD_UTF8)
				snprintf(bad_utf8, sizeof(bad_utf8),
					 _("%s: header cell %zu is not valid UTF-8 (if the file is GBK, use --encoding gb18030)"),
					 row_where(im, row.row, where, sizeof(where)), i + 1);
		rate_row(im, &row, &c);
		if (c.required == 0 || c.matched < 1)
			goto not_it;
		{
			int need = 0;

			for (size_t k = 0; k < im->inv->ncols; k++)
				need += im->inv->cols[k].required;
			if (c.required == need) {
				im->res->header_row = row.row;
				im->res->skipped_above = scanned - 1;
				saved_free(&best);
				if (take_header(im, &row, 0) < 0 || describe_columns(im, NULL) < 0)
					return describe_columns(im, NULL), -1;
				return 0;
			}
		}
not_it:
		if (c.matched > bc.matched || (!best.cells && c.width > 0)) {
			bc = c;
			if (saved_copy(&best, &row) < 0) {
				saved_free(&best);
				return zj_err(im->err, "%s", _("out of memory"));
			}
		}
	}
	if (scanned < IMPORT_HEADER_SCAN && got < 0) {
		saved_free(&best);
		return -1;
	}
	if (!best.cells) {
		saved_free(&best);
		return zj_err(im->err, _("%s: the file is empty (expected a header row)"), im->o->path);
	}
	if (bad_utf8[0] && bc.matched == 0) {
		saved_free(&best);
		return zj_err(im->err, "%s", bad_utf8);
	}
	im->res->missing_columns = 1;
	missing_list(im, &best.row, list, sizeof(list), &nmissing);
	if (describe_columns(im, &best.row) < 0) {
		saved_free(&best);
		return zj_err(im->err, "%s", _("out of memory"));
	}
	if (bc.matched == 0)
		zj_err(im->err, _("%s: no header row in the first %d rows: none names the required columns %s"),
		       im->o->path, IMPORT_HEADER_SCAN, list);
	else if (nmissing == 1)
		zj_err(im->err, _("%s: missing required column %s"),
		       row_where(im, best.row.row, where, sizeof(where)), list);
	else
		zj_err(im->err, _("%s: missing required columns %s"),
		       row_where(im, best.row.row, where, sizeof(where)), list);
	saved_free(&best);
	return -1;
}

/*
 * A second header line: the row just under the header names known columns
 * where the header has a group title or nothing (使用情况 over 注册用户数 |
 * 月活跃用户数), and holds nothing under the required columns (merged from
 * above).  1 if row is one.
 */
static int is_subheader(struct importer *im, const struct rowsrc_row *row)
{
	int named = 0;

	for (size_t i = 0; i < row->ncells; i++) {
		const struct colmap_entry *via;
		enum colmap_how how;
		const char *t;
		size_t tl;
		int col;

		if (!trimmed(&row->cells[i], &t, &tl))
			continue;
		if (i >= MAX_COLUMNS || row->cells[i].problem != CELL_OK)
			return 0;
		if (im->map_of[i] >= 0 && im->inv->cols[im->map_of[i]].required)
			return 0;
		col = colmap_match(&im->map, t, tl, &how, &via);
		if (col < 0)
			continue;
		if (im->map_of[i] >= 0 && im->map_of[i] != col)
			return 0;
		named += im->map_of[i] != col;
	}
	return named > 0;
}

static int prepare_insert(struct importer *im)
{
	const struct inventory *inv = im->inv;
	struct strbuf cols = { 0 }, vals = { 0 }, upd = { 0 };
	char *sql;
	int n = 0, rc;

	for (int i = 0; i < im->ncols; i++) {
		int c = im->map_of[i];

		if (c < 0)
			continue;
		im->bind_of[c] = ++n;
		sb_addf(&cols, "%s%s", n > 1 ? ", " : "", inv->cols[c].key);
		sb_addf(&vals, "%s?%d", n > 1 ? ", " : "", n);
		sb_addf(&upd, "%s = excluded.%s, ", inv->cols[c].key, inv->cols[c].key);
	}
	im->nbind = n;
	/* A file without extra columns leaves the extra data of the rows it
	 * updates as they were. */
	for (int i = 0; i < im->ncols; i++)
		if (im->map_of[i] < 0) {
			sb_adds(&upd, "extra = excluded.extra, ");
			break;
		}
	sql = sqlite3_mprintf("INSERT INTO %s (%s, extra, batch, src_line) VALUES (%s, ?%d, ?%d, ?%d)"
			      " ON CONFLICT (id) DO UPDATE SET %s batch = excluded.batch,"
			      " src_line = excluded.src_line WHERE %s.batch <> excluded.batch",
			      inv->table, cols.p ? cols.p : "", vals.p ? vals.p : "", n + 1, n + 2, n + 3,
			      upd.p ? upd.p : "", inv->table);
	free(cols.p);
	free(vals.p);
	free(upd.p);
	if (!sql)
		return zj_err(im->err, "%s", _("out of memory"));
	rc = sqlite3_prepare_v2(im->db, sql, -1, &im->ins, NULL);
	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return im->res->system_error = 1, store_error(im->db, im->err, _("cannot prepare the import"));
	sql = sqlite3_mprintf("SELECT src_line FROM %s WHERE id = ?", inv->table);
	rc = sql ? sqlite3_prepare_v2(im->db, sql, -1, &im->dupline, NULL) : SQLITE_NOMEM;
	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return im->res->system_error = 1, store_error(im->db, im->err, _("cannot prepare the import"));
	return 0;
}

/* A value as it will be stored. */
struct val {
	enum { V_NULL, V_TEXT, V_INT } k;
	const char *s;
	size_t len;
	long long n;
};

static int is_none_filing(const char *t, size_t tl)
{
	static const char *const none[] = { "无", "未备案", "暂无", "没有", "无备案", "none" };

	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		if (strlen(none[i]) == tl && !strncasecmp(none[i], t, tl))
			return 1;
	return 0;
}

/*
 * The value of cell for inventory column c, whatever the source: 0 with *v,
 * or -1 with *why (an N_() reason that reads after the quoted value).
 */
static int cell_value(struct importer *im, int c, const struct rowsrc_cell *cell, struct val *v,
		      const char **why)
{
	const struct inv_column *col = &im->inv->cols[c];
	enum cell_kind kind = cell->kind;
	const char *t, *mapped;
	size_t tl;
	int r;

	v->k = V_NULL;
	*why = NULL;
	if (!trimmed(cell, &t, &tl)) {
		if (col->required) {
			*why = N_("required value is empty");
			return -1;
		}
		return 0;
	}
	if ((mapped = colmap_value(&im->map, c, t, tl)) != NULL) {
		t = mapped;
		tl = strlen(mapped);
		kind = CELL_TEXT;
	}
	switch (col->type) {
	case COL_TEXT:
	case COL_LIST:
		v->k = V_TEXT;
		v->s = t;
		v->len = tl;
		return 0;
	case COL_FILING:
		v->k = V_TEXT;
		v->s = is_none_filing(t, tl) ? "无" : t;
		v->len = is_none_filing(t, tl) ? strlen("无") : tl;
		return 0;
	case COL_ENUM:
		if (!(v->s = inventory_enum_value(col, t, tl))) {
			*why = "enum";	/* the caller names the values */
			return -1;
		}
		v->k = V_TEXT;
		v->len = strlen(v->s);
		return 0;
	case COL_DATE:
		if (kind == CELL_NUMBER)
			r = parse_excel_serial(cell->num, 1, im->dates[c], why);
		else if (kind == CELL_BOOL)
			r = parse_date("x", 1, im->dates[c], why);
		else
			r = parse_date(t, tl, im->dates[c], why);
		if (r < 0)
			return -1;
		v->k = V_TEXT;
		v->s = im->dates[c];
		v->len = 10;
		return 0;
	case COL_INT:
		if (kind == CELL_DATE || kind == CELL_BOOL)
			r = parse_int("x", 1, &v->n, why);
		else
			r = parse_int(t, tl, &v->n, why);
		if (r < 0)
			return -1;
		v->k = V_INT;
		return 0;
	case COL_BOOL: {
		int yes;

		if (kind == CELL_DATE)
			r = parse_bool("x", 1, &yes, why);
		else
			r = parse_bool(t, tl, &yes, why);
		if (r < 0)
			return -1;
		v->k = V_INT;
		v->n = yes;
		return 0;
	}
	}
	return 0;
}

static void bind_val(struct importer *im, int c, const struct val *v)
{
	int b = im->bind_of[c];

	if (!im->ins)
		return;
	switch (v->k) {
	case V_NULL:
		sqlite3_bind_null(im->ins, b);
		break;
	case V_TEXT:
		sqlite3_bind_text(im->ins, b, v->s, (int)v->len, SQLITE_STATIC);
		break;
	case V_INT:
		sqlite3_bind_int64(im->ins, b, v->n);
		break;
	}
}

/* Keeps the row as it will be stored, for the preview. */
static int keep_preview(struct importer *im, const struct rowsrc_row *row, const struct val *vals,
			const char *const *srcs, const size_t *srclens)
{
	struct import_result *res = im->res;
	struct import_preview *p, *all;
	char where[512];

	all = realloc(res->preview, (res->npreview + 1) * sizeof(*all));
	if (!all)
		return -1;
	res->preview = all;
	p = &all[res->npreview++];
	memset(p, 0, sizeof(*p));
	p->ncols = im->inv->ncols;
	p->stored = calloc(im->inv->ncols, sizeof(char *));
	p->source = calloc(im->inv->ncols, sizeof(char *));
	p->where = strdup(row_where(im, row->row, where, sizeof(where)));
	if (!p->stored || !p->source || !p->where)
		return -1;
	for (size_t c = 0; c < im->inv->ncols; c++) {
		const struct val *v = &vals[c];
		char num[24];

		if (v->k == V_TEXT)
			p->stored[c] = strndup(v->s, v->len);
		else if (v->k == V_INT)
			snprintf(num, sizeof(num), "%lld", v->n), p->stored[c] = strdup(num);
		if (srcs[c] && (!p->stored[c] || strlen(p->stored[c]) != srclens[c] ||
				memcmp(p->stored[c], srcs[c], srclens[c])))
			p->source[c] = rowsrc_clean_name(srcs[c], srclens[c]);
	}
	if (im->msg.len)
		p->error = strdup(im->msg.p);
	return 0;
}

/* Validates one data row and binds it; returns 0 if valid. */
static int bind_row(struct importer *im, const struct rowsrc_row *row)
{
	const struct inventory *inv = im->inv;
	struct val vals[MAX_INV_COLUMNS];
	const char *srcs[MAX_INV_COLUMNS];
	size_t srclens[MAX_INV_COLUMNS];
	int bad = 0, nextra = 0;
	char v[64], where[512];

	im->extra.len = 0;
	memset(vals, 0, sizeof(vals));
	memset(srcs, 0, sizeof(srcs));
	if (row->partial) {
		/* The reader skipped the rest of a record after a field too
		 * long to read: that field is the row's error. */
		int i = (int)row->ncells - 1;

		report(im, _("%s: column '%s': longer than %d bytes"), cell_where(im, row->row, i, where, sizeof(where)),
		       column_name(im, i), ROWSRC_MAX_CELL);
		return -1;
	}
	if (im->src->csv && (int)row->ncells != im->ncols) {
		report(im, _("%s: expected %d fields, found %zu"), row_where(im, row->row, where, sizeof(where)),
		       im->ncols, row->ncells);
		return -1;
	}
	for (int i = 0; i < (int)row->ncells; i++) {
		const struct rowsrc_cell *cell = &row->cells[i];
		const char *why, *t;
		size_t tl;
		int c = i < MAX_COLUMNS ? im->map_of[i] : -1;
		struct val val;

		if (cell->kind == CELL_EMPTY && cell->problem == CELL_OK && c < 0)
			continue;
		if (i >= MAX_COLUMNS) {
			if (!trimmed(cell, &t, &tl))
				continue;
			report(im, _("%s: a value beyond column %d, the last one read"),
			       cell_where(im, row->row, i, where, sizeof(where)), MAX_COLUMNS);
			bad = 1;
			break;
		}
		switch (cell->problem) {
		case CELL_OK:
			break;
		case CELL_NUL:
			report(im, _("%s: column '%s': contains a NUL byte"), cell_where(im, row->row, i, where, sizeof(where)),
			       column_name(im, i));
			bad = 1;
			continue;
		case CELL_BAD_UTF8:
			report(im, _("%s: column '%s': invalid UTF-8 (if the file is GBK, use --encoding gb18030)"),
			       cell_where(im, row->row, i, where, sizeof(where)), column_name(im, i));
			bad = 1;
			continue;
		case CELL_TOO_LONG:
			report(im, _("%s: column '%s': longer than %d bytes"), cell_where(im, row->row, i, where, sizeof(where)),
			       column_name(im, i), ROWSRC_MAX_CELL);
			bad = 1;
			continue;
		case CELL_FORMULA_ERROR:
			report(im, _("%s: column '%s': '%s' is a formula's error value, not data"),
			       cell_where(im, row->row, i, where, sizeof(where)), column_name(im, i),
			       shown(cell->text, cell->len, v));
			bad = 1;
			continue;
		case CELL_BAD_DATE:
			report(im, _("%s: column '%s': a date cell holding %s, which is no date"),
			       cell_where(im, row->row, i, where, sizeof(where)), column_name(im, i),
			       shown(cell->text, cell->len, v));
			bad = 1;
			continue;
		}
		if (c < 0) {
			if (im->kind[i] == COL_REASON || !trimmed(cell, &t, &tl))
				continue;
			if (im->kind[i] == COL_BLANK) {
				if (add_unknown(im, column_name(im, i)) < 0) {
					report(im, "%s", _("out of memory"));
					return -1;
				}
				im->kind[i] = COL_BLANK_REPORTED;
			}
			if (sb_add(&im->extra, nextra++ ? "," : "{", 1) < 0 ||
			    sb_json(&im->extra, column_name(im, i), strlen(column_name(im, i))) < 0 ||
			    sb_add(&im->extra, ":", 1) < 0 || sb_json(&im->extra, t, tl) < 0) {
				report(im, "%s", _("out of memory"));
				return -1;
			}
			continue;
		}
		if (trimmed(cell, &t, &tl)) {
			srcs[c] = t;
			srclens[c] = tl;
		}
		if (cell_value(im, c, cell, &val, &why) < 0) {
			if (!strcmp(why, "enum"))
				report(im, _("%s: column '%s': '%s' is not one of %s"),
				       cell_where(im, row->row, i, where, sizeof(where)), column_name(im, i),
				       shown(t, tl, v), inventory_enum_list(&inv->cols[c]));
			else if (!srcs[c])
				report(im, _("%s: column '%s': %s"), cell_where(im, row->row, i, where, sizeof(where)),
				       column_name(im, i), _(why));
			else
				report(im, _("%s: column '%s': '%s' %s"), cell_where(im, row->row, i, where, sizeof(where)),
				       column_name(im, i), shown(t, tl, v), _(why));
			bad = 1;
			continue;
		}
		vals[c] = val;
		bind_val(im, c, &val);
	}
	/* Required columns beyond the row's last cell (a workbook leaves
	 * trailing empty cells out). */
	for (int i = (int)row->ncells; i < im->ncols; i++) {
		int c = im->map_of[i];

		if (c < 0)
			continue;
		if (inv->cols[c].required) {
			report(im, _("%s: column '%s': required value is empty"),
			       cell_where(im, row->row, i, where, sizeof(where)), column_name(im, i));
			bad = 1;
		}
		bind_val(im, c, &vals[c]);
	}
	if (im->res->npreview < (size_t)im->o->preview && keep_preview(im, row, vals, srcs, srclens) < 0) {
		report(im, "%s", _("out of memory"));
		return -1;
	}
	if (bad)
		return -1;
	if (im->ins) {
		if (nextra) {
			sb_add(&im->extra, "}", 1);
			sqlite3_bind_text(im->ins, im->nbind + 1, im->extra.p, (int)im->extra.len, SQLITE_STATIC);
		} else {
			sqlite3_bind_null(im->ins, im->nbind + 1);
		}
		sqlite3_bind_int64(im->ins, im->nbind + 2, im->res->batch);
		sqlite3_bind_int64(im->ins, im->nbind + 3, row->row);
	}
	return 0;
}

/* Runs the bound upsert; a row it did not change is an id seen earlier in
 * this same file (its batch is already ours). */
static int store_row(struct importer *im, const struct rowsrc_row *row)
{
	int rc = sqlite3_step(im->ins);

	sqlite3_reset(im->ins);
	if (rc != SQLITE_DONE)
		return im->res->system_error = 1, store_error(im->db, im->err, _("cannot store the row"));
	if (sqlite3_changes(im->db) == 0) {
		const char *t = "";
		size_t tl = 0;
		long first = 0;
		char v[64], where[512];

		if (im->id_col >= 0 && (size_t)im->id_col < row->ncells)
			trimmed(&row->cells[im->id_col], &t, &tl);
		sqlite3_bind_text(im->dupline, 1, t, (int)tl, SQLITE_STATIC);
		if (sqlite3_step(im->dupline) == SQLITE_ROW)
			first = (long)sqlite3_column_int64(im->dupline, 0);
		sqlite3_reset(im->dupline);
		if (im->src->csv)
			report(im, _("%s: column '%s': duplicate id '%s' (first on line %ld)"),
			       cell_where(im, row->row, im->id_col, where, sizeof(where)),
			       im->inv->cols[0].header, shown(t, tl, v), first);
		else
			report(im, _("%s: column '%s': duplicate id '%s' (first on row %ld)"),
			       cell_where(im, row->row, im->id_col, where, sizeof(where)),
			       im->inv->cols[0].header, shown(t, tl, v), first);
		return 1;
	}
	return 0;
}

/* NAME.rejected.csv beside FILE (NAME is FILE less .csv, .xlsx or .xls). */
static char *rejected_name(const char *path)
{
	static const char *const ext[] = { ".csv", ".xlsx", ".xls", ".txt" };
	size_t n = strlen(path);
	char *out = malloc(n + 16);

	if (!out)
		return NULL;
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t e = strlen(ext[i]);

		if (n > e && !strcasecmp(path + n - e, ext[i])) {
			n -= e;
			break;
		}
	}
	memcpy(out, path, n);
	strcpy(out + n, ".rejected.csv");
	return out;
}

/*
 * The rejected-rows file is written under a fresh temporary name beside its
 * target (mkstemp: O_CREAT|O_EXCL, so nothing planted there is followed or
 * overwritten) and renamed over NAME.rejected.csv only when the import is
 * committed; rename replaces a symbolic link planted at that name instead
 * of writing through it.
 */
static int open_rejected(struct importer *im)
{
	struct import_result *res = im->res;
	mode_t mask;
	int fd;

	if (!(res->rejected_path = rejected_name(im->o->path)) ||
	    !(im->rejected_tmp = malloc(strlen(res->rejected_path) + 8)))
		return zj_err(im->err, "%s", _("out of memory"));
	sprintf(im->rejected_tmp, "%s.XXXXXX", res->rejected_path);
	fd = mkstemp(im->rejected_tmp);
	if (fd < 0) {
		free(im->rejected_tmp);
		im->rejected_tmp = NULL;
		return im->res->system_error = 1,
		       zj_err(im->err, _("cannot write '%s': %s"), res->rejected_path, strerror(errno));
	}
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0644 & ~mask);
	if (!(im->rejected = fdopen(fd, "wb"))) {
		close(fd);
		return im->res->system_error = 1,
		       zj_err(im->err, _("cannot write '%s': %s"), res->rejected_path, strerror(errno));
	}
	fputs("\xef\xbb\xbf", im->rejected);	/* so Excel reads UTF-8 */
	for (int i = 0; i < im->ncols; i++) {
		const char *h = im->kind[i] == COL_REASON ? "" : im->headers[i] ? im->headers[i] : "";

		csvout_field(im->rejected, h, strlen(h), 0, 1);
	}
	csvout_field(im->rejected, REASON_HEADER, strlen(REASON_HEADER), 1, 0);
	return 0;
}

static int write_rejected(struct importer *im, const struct rowsrc_row *row)
{
	size_t n = row->ncells > (size_t)im->ncols ? row->ncells : (size_t)im->ncols;

	if (!im->rejected && open_rejected(im) < 0)
		return -1;
	/* Cells as the file had them, with anything a spreadsheet would run
	 * as a formula neutralised; a short row is padded so its reason stands
	 * under 错误原因, a long one keeps every field and its reason last. */
	for (size_t i = 0; i < n; i++) {
		const struct rowsrc_cell *c = i < row->ncells ? &row->cells[i] : NULL;

		if (c && (i >= (size_t)im->ncols || im->kind[i] != COL_REASON))
			csvout_field(im->rejected, c->text, c->len, 0, 1);
		else
			csvout_field(im->rejected, "", 0, 0, 0);
	}
	csvout_field(im->rejected, im->msg.p ? im->msg.p : "", im->msg.len, 1, 1);
	return ferror(im->rejected) ? zj_err(im->err, _("cannot write '%s': %s"),
					     im->res->rejected_path, strerror(errno)) : 0;
}

static int blank_row(const struct rowsrc_row *row)
{
	const char *t;
	size_t tl;

	for (size_t i = 0; i < row->ncells; i++)
		if (row->cells[i].problem != CELL_OK || trimmed(&row->cells[i], &t, &tl))
			return 0;
	return 1;
}

static long long count_rows(sqlite3 *db, const struct inventory *inv)
{
	char *sql = sqlite3_mprintf("SELECT count(*) FROM %s", inv->table);
	long long n = sql ? store_scalar(db, sql) : 0;

	sqlite3_free(sql);
	return n;
}

static int load_maps(struct importer *im)
{
	const struct import_opts *o = im->o;
	const char *aliases = o->aliases ? o->aliases : colmap_default_aliases();

	if (colmap_init(&im->map, im->inv, im->err) < 0)
		return -1;
	if (aliases && *aliases) {
		if (colmap_load(&im->map, aliases, 0, im->err) < 0)
			return -1;
		if (!(im->res->aliases = strdup(aliases)))
			return zj_err(im->err, "%s", _("out of memory"));
	}
	if (o->map && colmap_load(&im->map, o->map, 1, im->err) < 0)
		return -1;
	return 0;
}

static int copy_source_facts(struct importer *im)
{
	struct import_result *res = im->res;
	struct rowsrc *s = im->src;

	res->format = rowsrc_format_name(s->format);
	res->encoding = s->encoding;
	res->bom = s->bom;
	if (s->sheet && !(res->sheet = strdup(s->sheet)))
		return -1;
	if (s->nsheets) {
		if (!(res->sheets = calloc(s->nsheets, sizeof(char *))))
			return -1;
		for (size_t i = 0; i < s->nsheets; i++) {
			if (!(res->sheets[i] = strdup(s->sheets[i])))
				return -1;
			res->nsheets++;
		}
	}
	return 0;
}

/* The imports row of this batch; sets res->batch. */
static int record_import(struct importer *im)
{
	const struct import_opts *o = im->o;
	sqlite3_stmt *st = NULL;
	char now[21], enc[300];

	if (im->src->csv)
		snprintf(enc, sizeof(enc), "%s", im->res->encoding);
	else
		snprintf(enc, sizeof(enc), "%s", im->res->format);
	store_now(now);
	if (sqlite3_prepare_v2(im->db, "INSERT INTO imports (inventory, file, encoding, replaced, at, by)"
			       " VALUES (?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(st, 1, im->inv->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, o->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, enc, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, !!o->replace);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, store_user(), -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	im->res->batch = sqlite3_last_insert_rowid(im->db);
	return 0;
fail:
	sqlite3_finalize(st);
	im->res->system_error = 1;
	return store_error(im->db, im->err, _("cannot record the import"));
}

static int finish_import(struct importer *im)
{
	struct import_result *res = im->res;
	sqlite3_stmt *st = NULL;
	struct strbuf u = { 0 };
	int rc;

	if (sqlite3_prepare_v2(im->db, "UPDATE imports SET rows = ?, inserted = ?, updated = ?, rejected = ?,"
			       " unknown_columns = ? WHERE batch = ?", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	for (size_t i = 0; i < res->nunknown; i++) {
		if (i)
			sb_add(&u, ", ", 2);
		sb_add(&u, res->unknown[i], strlen(res->unknown[i]));
	}
	sqlite3_bind_int64(st, 1, res->rows);
	sqlite3_bind_int64(st, 2, res->inserted);
	sqlite3_bind_int64(st, 3, res->updated);
	sqlite3_bind_int64(st, 4, res->rejected);
	if (u.p)
		sqlite3_bind_text(st, 5, u.p, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 6, res->batch);
	free(u.p);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto fail;
	return 0;
fail:
	res->system_error = 1;
	return store_error(im->db, im->err, _("cannot record the import"));
}

int import_run(sqlite3 *db, const struct import_opts *o, struct import_result *res,
	       struct zj_error *err)
{
	struct importer im = { .db = db, .o = o, .res = res, .err = err };
	struct rowsrc_row row;
	long long before = 0, written = 0;
	int rc = -1, got, in_tx = 0, pending;

	memset(res, 0, sizeof(*res));
	im.inv = inventory_get(o->kind);
	if (im.inv->ncols > MAX_INV_COLUMNS)
		return zj_err(err, "%s", _("the inventory has too many columns"));
	if (load_maps(&im) < 0)
		goto out;
	if (rowsrc_open(&im.src, o->path, &(struct rowsrc_opts){ .encoding = o->encoding, .sheet = o->sheet },
			err) < 0)
		goto out;
	if (copy_source_facts(&im) < 0) {
		zj_err(err, "%s", _("out of memory"));
		goto out;
	}
	if (find_header(&im) < 0)
		goto out;

	/* The row under the header: a second header line, or the first data. */
	got = rowsrc_next(im.src, &row, err);
	if (got < 0)
		goto out;
	if (got > 0 && is_subheader(&im, &row)) {
		if (take_header(&im, &row, 1) < 0 || describe_columns(&im, NULL) < 0)
			goto out;
		res->subheader_row = row.row;
		got = rowsrc_next(im.src, &row, err);
		if (got < 0)
			goto out;
	}
	pending = got > 0;
	for (int i = 0; i < im.ncols; i++)
		if (im.kind[i] == COL_NORMAL && im.map_of[i] < 0 && add_unknown(&im, im.headers[i]) < 0) {
			zj_err(err, "%s", _("out of memory"));
			goto out;
		}

	if (db) {
		if (store_begin(db, err) < 0) {
			res->system_error = 1;
			goto out;
		}
		in_tx = 1;
		if (o->replace) {
			char *sql = sqlite3_mprintf("DELETE FROM %s; DELETE FROM findings WHERE inventory = %d;",
						    im.inv->table, (int)o->kind);

			if (!sql || store_exec(db, sql, err) < 0) {
				sqlite3_free(sql);
				res->system_error = 1;
				goto out;
			}
			sqlite3_free(sql);
		}
		before = count_rows(db, im.inv);
		if (record_import(&im) < 0 || prepare_insert(&im) < 0)
			goto out;
	}

	while (pending || (got = rowsrc_next(im.src, &row, err)) > 0) {
		long long errors_before = im.errors;
		int s;

		pending = 0;
		if (blank_row(&row))
			continue;	/* Excel's ",,,," rows below the data */
		res->rows++;
		im.msg.len = 0;
		if (bind_row(&im, &row) == 0 && im.ins) {
			s = store_row(&im, &row);
			if (s < 0)
				goto out;
			written += s == 0;
		}
		if (im.errors > errors_before) {
			res->rejected++;
			if (db && o->skip_invalid && !o->dry_run && write_rejected(&im, &row) < 0)
				goto out;
		}
		if (!db && res->rows >= o->preview)
			break;
		if (o->on_progress && (res->rows & 0x3fff) == 0)
			o->on_progress(o->ctx, rowsrc_bytes_done(im.src), im.src->bytes_total, res->rows);
	}
	if (got < 0)
		goto out;
	if (!db) {
		rc = im.errors ? IMPORT_INVALID : IMPORT_OK;
		goto out;
	}
	if (o->on_progress)
		o->on_progress(o->ctx, rowsrc_bytes_done(im.src), im.src->bytes_total, res->rows);
	if (res->rows == 0) {
		zj_err(err, _("%s: the file has a header but no data rows"), o->path);
		goto out;
	}
	res->inserted = count_rows(db, im.inv) - before;
	res->updated = written - res->inserted;
	if (im.errors && !o->skip_invalid) {
		rc = IMPORT_INVALID;
		goto out;
	}
	if (res->rejected == res->rows) {
		/* --skip-invalid with nothing valid: with --replace it would
		 * empty the inventory, which is never what was meant. */
		zj_err(err, _("%s: none of the %lld rows is valid; nothing was imported"), o->path, res->rows);
		goto out;
	}
	if (finish_import(&im) < 0)
		goto out;
	if (o->dry_run) {
		rc = IMPORT_OK;
		goto out;
	}
	if (audit_appendf(db, err, "import", "%s from %s%s%s%s: %lld rows, %lld new, %lld updated, %lld rejected%s",
			  im.inv->name, o->path, res->sheet ? " (sheet " : "", res->sheet ? res->sheet : "",
			  res->sheet ? ")" : "", res->rows, res->inserted, res->updated, res->rejected,
			  o->replace ? ", inventory replaced" : "") < 0) {
		res->system_error = 1;
		goto out;
	}
	sqlite3_finalize(im.ins);
	sqlite3_finalize(im.dupline);
	im.ins = im.dupline = NULL;
	if (im.rejected) {
		int bad = fflush(im.rejected) != 0 || ferror(im.rejected) || fsync(fileno(im.rejected)) != 0;

		if (bad) {
			res->system_error = 1;
			zj_err(err, _("cannot write '%s': %s"), res->rejected_path, strerror(errno));
			goto out;
		}
	}
	if (store_commit(db, err) < 0) {
		in_tx = 0;
		res->system_error = 1;
		goto out;
	}
	in_tx = 0;
	rc = IMPORT_OK;
	if (im.rejected_tmp && rename(im.rejected_tmp, res->rejected_path) == 0) {
		free(im.rejected_tmp);
		im.rejected_tmp = NULL;
	} else if (im.rejected_tmp) {
		/* The rows are stored; say where the rejected ones are. */
		free(res->rejected_path);
		res->rejected_path = im.rejected_tmp;
		im.rejected_tmp = NULL;
	}
out:
	sqlite3_finalize(im.ins);
	sqlite3_finalize(im.dupline);
	if (in_tx)
		store_rollback(db);
	if (im.rejected && fclose(im.rejected) != 0 && rc >= 0 && im.rejected_tmp) {
		zj_err(err, _("cannot write '%s': %s"), res->rejected_path, strerror(errno));
		rc = -1;
	}
	/* An import that did not land leaves no rejected-rows file behind. */
	if (im.rejected_tmp) {
		unlink(im.rejected_tmp);
		free(im.rejected_tmp);
		free(res->rejected_path);
		res->rejected_path = NULL;
	}
	for (int i = 0; i < MAX_COLUMNS; i++)
		free(im.headers[i]);
	free(im.extra.p);
	free(im.msg.p);
	rowsrc_close(im.src);
	colmap_free(&im.map);
	return rc;
}

void import_result_release(struct import_result *res)
{
	for (size_t i = 0; i < res->nunknown; i++)
		free(res->unknown[i]);
	free(res->unknown);
	free(res->rejected_path);
	free(res->sheet);
	for (size_t i = 0; i < res->nsheets; i++)
		free(res->sheets[i]);
	free(res->sheets);
	free_columns(res);
	for (size_t i = 0; i < res->npreview; i++) {
		struct import_preview *p = &res->preview[i];

		for (size_t c = 0; c < p->ncols; c++) {
			if (p->stored)
				free(p->stored[c]);
			if (p->source)
				free(p->source[c]);
		}
		free(p->where);
		free(p->error);
		free(p->stored);
		free(p->source);
	}
	free(res->preview);
	free(res->aliases);
	memset(res, 0, sizeof(*res));
}

int import_save_map(const char *path, enum inv_kind kind, const struct import_column *columns,
		    size_t ncolumns, char **values, size_t nvalues, struct zj_error *err)
{
	const struct inventory *inv = inventory_get(kind);
	char *tmp = malloc(strlen(path) + 8);
	FILE *f;
	int fd, bad;

	if (!tmp)
		return zj_err(err, "%s", _("out of memory"));
	sprintf(tmp, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0 || !(f = fdopen(fd, "w"))) {
		int e = errno;

		if (fd >= 0)
			close(fd), unlink(tmp);
		free(tmp);
		return zj_err(err, _("cannot write '%s': %s"), path, strerror(e));
	}
	fchmod(fd, 0644);
	fprintf(f, "# zhijian import map (zhijian(1), MAP FILES)\n[%s]\n", inv->name);
	for (size_t i = 0; i < ncolumns; i++) {
		const struct import_column *c = &columns[i];

		if (c->col < 0 || !c->header || c->how == MATCH_EXACT || c->how == MATCH_NORMALIZED ||
		    strchr(c->header, '|') || strchr(c->header, '#'))
			continue;
		fprintf(f, "%s = %s\n", inv->cols[c->col].key, c->header);
	}
	for (size_t i = 0; i < nvalues; i++)
		if (values[i] && !strchr(values[i], '\n'))
			fprintf(f, "%s\n", values[i]);
	bad = fflush(f) != 0 || ferror(f) || fsync(fd) != 0;
	if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
		int e = errno;

		unlink(tmp);
		free(tmp);
		return zj_err(err, _("cannot write '%s': %s"), path, strerror(e));
	}
	free(tmp);
	return 0;
}
