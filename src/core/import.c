#include "core/import.h"

#include <errno.h>
#include <stdarg.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/store.h"
#include "util/i18n.h"
#include "util/parse.h"
#include "util/strbuf.h"

#define MAX_COLUMNS 512
#define REASON_HEADER "错误原因"	/* the rejected-rows file's last column */

struct importer {
	sqlite3 *db;
	const struct import_opts *o;
	const struct inventory *inv;
	struct import_result *res;
	struct zj_error *err;
	int ncols_file;
	int map[MAX_COLUMNS];		/* file column → inventory column, -1 unknown */
	char *headers[MAX_COLUMNS];	/* file header texts ("列N" for a blank one) */
	char blank[MAX_COLUMNS];	/* header empty: 1, and reported: 2; 错误原因: 3 */
	int bind_of[MAX_COLUMNS];	/* inventory column → bind index, 0 = absent */
	int id_col;			/* file column of id */
	int nbind;
	sqlite3_stmt *ins, *dupline;
	FILE *rejected;
	struct strbuf extra, msg;
	char dates[MAX_COLUMNS][11];
	long long errors;
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

/* Shortens a bad value for a message: at most 40 bytes, whole characters. */
static const char *shown(const char *s, size_t len, char out[64])
{
	size_t n = len < 40 ? len : 40;

	while (n < len && n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	snprintf(out, 64, "%.*s%s", (int)n, s, n < len ? "…" : "");
	return out;
}

static int read_header(struct importer *im, const struct csvread_record *rec)
{
	const struct inventory *inv = im->inv;
	const char *file = im->o->path;
	int seen[64] = { 0 };

	if (rec->nfields > MAX_COLUMNS)
		return zj_err(im->err, _("%s:%ld: %zu columns; at most %d are supported"),
			      file, rec->line, rec->nfields, MAX_COLUMNS);
	im->ncols_file = (int)rec->nfields;
	im->id_col = -1;
	for (size_t i = 0; i < rec->nfields; i++) {
		const char *t;
		size_t tl;
		int c;

		if (rec->errs[i] == CSVREAD_FIELD_BAD_UTF8)
			return zj_err(im->err, _("%s:%ld: header cell %zu is not valid UTF-8 (if the file is GBK, use --encoding gb18030)"),
				      file, rec->line, i + 1);
		if (rec->errs[i] != CSVREAD_FIELD_OK)
			return zj_err(im->err, _("%s:%ld: header cell %zu is not readable text"), file, rec->line, i + 1);
		if (!parse_text(rec->fields[i], rec->lens[i], &t, &tl)) {
			/* Excel's trailing columns: ignored while empty, kept
			 * (and reported) under 列N if a row has data there. */
			char name[32];

			snprintf(name, sizeof(name), "列%zu", i + 1);
			im->headers[i] = strdup(name);
			im->blank[i] = 1;
			im->map[i] = -1;
			if (!im->headers[i])
				return zj_err(im->err, "%s", _("out of memory"));
			continue;
		}
		im->headers[i] = strndup(t, tl);
		if (!im->headers[i])
			return zj_err(im->err, "%s", _("out of memory"));
		if (!strcmp(im->headers[i], REASON_HEADER)) {
			/* A corrected NAME.rejected.csv coming back: the
			 * reasons were ours, not the unit's data. */
			im->map[i] = -1;
			im->blank[i] = 3;
			continue;
		}
		c = inventory_find_column(inv, im->headers[i]);
		im->map[i] = c;
		if (c < 0) {
			char **u;

			for (size_t k = 0; k < im->res->nunknown; k++)
				if (!strcmp(im->res->unknown[k], im->headers[i]))
					return zj_err(im->err, _("%s:%ld: column '%s' appears twice"),
						      file, rec->line, im->headers[i]);
			u = realloc(im->res->unknown, (im->res->nunknown + 1) * sizeof(*u));
			if (!u || !(u[im->res->nunknown] = strdup(im->headers[i]))) {
				if (u)
					im->res->unknown = u;
				return zj_err(im->err, "%s", _("out of memory"));
			}
			im->res->unknown = u;
			im->res->nunknown++;
			continue;
		}
		if (seen[c])
			return zj_err(im->err, _("%s:%ld: column '%s' appears twice (as '%s' and '%s')"),
				      file, rec->line, inv->cols[c].header, im->headers[seen[c] - 1], im->headers[i]);
		seen[c] = (int)i + 1;
		if (!strcmp(inv->cols[c].key, "id"))
			im->id_col = (int)i;
	}
	for (size_t c = 0; c < inv->ncols; c++)
		if (inv->cols[c].required && !seen[c])
			return zj_err(im->err, _("%s:%ld: missing required column '%s' (%s)"),
				      file, rec->line, inv->cols[c].header, inv->cols[c].key);
	return 0;
}

static int prepare_insert(struct importer *im)
{
	const struct inventory *inv = im->inv;
	struct strbuf cols = { 0 }, vals = { 0 }, upd = { 0 };
	char *sql;
	int n = 0, rc;

	for (int i = 0; i < im->ncols_file; i++) {
		int c = im->map[i];
		char tmp[160];

		if (c < 0)
			continue;
		im->bind_of[c] = ++n;
		snprintf(tmp, sizeof(tmp), "%s%s", n > 1 ? ", " : "", inv->cols[c].key);
		sb_add(&cols, tmp, strlen(tmp));
		snprintf(tmp, sizeof(tmp), "%s?%d", n > 1 ? ", " : "", n);
		sb_add(&vals, tmp, strlen(tmp));
		snprintf(tmp, sizeof(tmp), "%s = excluded.%s, ", inv->cols[c].key, inv->cols[c].key);
		sb_add(&upd, tmp, strlen(tmp));
	}
	im->nbind = n;
	for (int i = 0; i < im->ncols_file; i++)
		if (im->map[i] < 0) {
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

/* Validates one data row and binds it; returns 0 if valid. */
static int bind_row(struct importer *im, const struct csvread_record *rec)
{
	const struct inventory *inv = im->inv;
	const char *file = im->o->path;
	sqlite3_stmt *st = im->ins;
	int bad = 0, nextra = 0;
	char v[64];

	im->extra.len = 0;
	if (rec->partial) {
		/* The reader skipped the rest of a record after a field too
		 * long to read: that field is the row's error. */
		const char *name;
		int i = (int)rec->nfields - 1, c = i < im->ncols_file ? im->map[i] : -1;

		name = c >= 0 ? inv->cols[c].header : i < im->ncols_file ? im->headers[i] : "?";
		report(im, _("%s:%ld: column '%s': longer than %d bytes"), file, rec->line, name, CSVREAD_MAX_FIELD);
		return -1;
	}
	if ((int)rec->nfields != im->ncols_file) {
		report(im, _("%s:%ld: expected %d fields, found %zu"), file, rec->line, im->ncols_file, rec->nfields);
		return -1;
	}
	for (int i = 0; i < im->ncols_file; i++) {
		const char *s = rec->fields[i], *why = NULL, *t;
		size_t len = rec->lens[i], tl;
		int c = im->map[i], b, r;
		const struct inv_column *col;
		const char *name = c >= 0 ? inv->cols[c].header : im->headers[i];

		switch (rec->errs[i]) {
		case CSVREAD_FIELD_OK:
			break;
		case CSVREAD_FIELD_NUL:
			report(im, _("%s:%ld: column '%s': contains a NUL byte"), file, rec->line, name);
			bad = 1;
			continue;
		case CSVREAD_FIELD_BAD_UTF8:
			report(im, _("%s:%ld: column '%s': invalid UTF-8 (if the file is GBK, use --encoding gb18030)"),
			       file, rec->line, name);
			bad = 1;
			continue;
		case CSVREAD_FIELD_TOO_LONG:
			report(im, _("%s:%ld: column '%s': longer than %d bytes"), file, rec->line, name, CSVREAD_MAX_FIELD);
			bad = 1;
			continue;
		}
		if (c < 0) {
			if (im->blank[i] == 3 || !parse_text(s, len, &t, &tl))
				continue;
			if (im->blank[i] == 1) {
				char **u = realloc(im->res->unknown, (im->res->nunknown + 1) * sizeof(*u));

				if (!u || !(u[im->res->nunknown] = strdup(im->headers[i]))) {
					if (u)
						im->res->unknown = u;
					report(im, "%s", _("out of memory"));
					return -1;
				}
				im->res->unknown = u;
				im->res->nunknown++;
				im->blank[i] = 2;
			}
			if (sb_add(&im->extra, nextra++ ? "," : "{", 1) < 0 ||
			    sb_json(&im->extra, im->headers[i], strlen(im->headers[i])) < 0 ||
			    sb_add(&im->extra, ":", 1) < 0 || sb_json(&im->extra, t, tl) < 0) {
				report(im, "%s", _("out of memory"));
				return -1;
			}
			continue;
		}
		col = &inv->cols[c];
		b = im->bind_of[c];
		switch (col->type) {
		case COL_TEXT:
		case COL_LIST:
			if (!parse_text(s, len, &t, &tl)) {
				if (col->required) {
					report(im, _("%s:%ld: column '%s': required value is empty"), file, rec->line, name);
					bad = 1;
				}
				sqlite3_bind_null(st, b);
			} else {
				sqlite3_bind_text(st, b, t, (int)tl, SQLITE_STATIC);
			}
			break;
		case COL_ENUM:
			if (!parse_text(s, len, &t, &tl)) {
				sqlite3_bind_null(st, b);
			} else {
				const char *e = inventory_enum_value(col, t, tl);

				if (!e) {
					report(im, _("%s:%ld: column '%s': '%s' is not one of %s"), file, rec->line,
					       name, shown(t, tl, v), inventory_enum_list(col));
					bad = 1;
				} else {
					sqlite3_bind_text(st, b, e, -1, SQLITE_STATIC);
				}
			}
			break;
		case COL_DATE:
			r = parse_date(s, len, im->dates[c], &why);
			if (r < 0) {
				report(im, _("%s:%ld: column '%s': '%s' %s"), file, rec->line, name, shown(s, len, v), _(why));
				bad = 1;
			} else if (r == 0) {
				sqlite3_bind_null(st, b);
			} else {
				sqlite3_bind_text(st, b, im->dates[c], 10, SQLITE_STATIC);
			}
			break;
		case COL_INT: {
			long long n;

			r = parse_int(s, len, &n, &why);
			if (r < 0) {
				report(im, _("%s:%ld: column '%s': '%s' %s"), file, rec->line, name, shown(s, len, v), _(why));
				bad = 1;
			} else if (r == 0) {
				sqlite3_bind_null(st, b);
			} else {
				sqlite3_bind_int64(st, b, n);
			}
			break;
		}
		case COL_BOOL: {
			int yes;

			r = parse_bool(s, len, &yes, &why);
			if (r < 0) {
				report(im, _("%s:%ld: column '%s': '%s' %s"), file, rec->line, name, shown(s, len, v), _(why));
				bad = 1;
			} else if (r == 0) {
				sqlite3_bind_null(st, b);
			} else {
				sqlite3_bind_int(st, b, yes);
			}
			break;
		}
		}
	}
	if (bad)
		return -1;
	if (nextra) {
		sb_add(&im->extra, "}", 1);
		sqlite3_bind_text(st, im->nbind + 1, im->extra.p, (int)im->extra.len, SQLITE_STATIC);
	} else {
		sqlite3_bind_null(st, im->nbind + 1);
	}
	sqlite3_bind_int64(st, im->nbind + 2, im->res->batch);
	sqlite3_bind_int64(st, im->nbind + 3, rec->line);
	return 0;
}

/* Runs the bound upsert; a row it did not change is an id seen earlier in
 * this same file (its batch is already ours). */
static int store_row(struct importer *im, const struct csvread_record *rec)
{
	int rc = sqlite3_step(im->ins);

	sqlite3_reset(im->ins);
	if (rc != SQLITE_DONE)
		return im->res->system_error = 1, store_error(im->db, im->err, _("cannot store the row"));
	if (sqlite3_changes(im->db) == 0) {
		const char *id = rec->fields[im->id_col], *t;
		size_t tl;
		long first = 0;
		char v[64];

		parse_text(id, rec->lens[im->id_col], &t, &tl);
		sqlite3_bind_text(im->dupline, 1, t, (int)tl, SQLITE_STATIC);
		if (sqlite3_step(im->dupline) == SQLITE_ROW)
			first = (long)sqlite3_column_int64(im->dupline, 0);
		sqlite3_reset(im->dupline);
		report(im, _("%s:%ld: column '%s': duplicate id '%s' (first on line %ld)"), im->o->path,
		       rec->line, im->inv->cols[0].header, shown(t, tl, v), first);
		return 1;
	}
	return 0;
}

static char *rejected_name(const char *path)
{
	size_t n = strlen(path);
	char *out = malloc(n + 16);

	if (!out)
		return NULL;
	if (n > 4 && !strcasecmp(path + n - 4, ".csv"))
		n -= 4;
	memcpy(out, path, n);
	strcpy(out + n, ".rejected.csv");
	return out;
}

static int write_rejected(struct importer *im, const struct csvread_record *rec)
{
	if (!im->rejected) {
		im->res->rejected_path = rejected_name(im->o->path);
		if (!im->res->rejected_path)
			return zj_err(im->err, "%s", _("out of memory"));
		im->rejected = fopen(im->res->rejected_path, "wb");
		if (!im->rejected)
			return im->res->system_error = 1,
			       zj_err(im->err, _("cannot write '%s': %s"), im->res->rejected_path, strerror(errno));
		fputs("\xef\xbb\xbf", im->rejected);	/* so Excel reads UTF-8 */
		for (int i = 0; i < im->ncols_file; i++)
			csvout_field(im->rejected, im->headers[i], strlen(im->headers[i]), 0, 0);
		csvout_field(im->rejected, REASON_HEADER, strlen(REASON_HEADER), 1, 0);
	}
	for (size_t i = 0; i < rec->nfields; i++)
		csvout_field(im->rejected, rec->fields[i], rec->lens[i], 0, 0);
	/* A short row is padded so its reason stands under 错误原因; a long
	 * one keeps every field and its reason comes last. */
	for (int i = (int)rec->nfields; i < im->ncols_file; i++)
		csvout_field(im->rejected, "", 0, 0, 0);
	csvout_field(im->rejected, im->msg.p ? im->msg.p : "", im->msg.len, 1, 0);
	return ferror(im->rejected) ? zj_err(im->err, _("cannot write '%s': %s"),
					     im->res->rejected_path, strerror(errno)) : 0;
}

static int blank_row(const struct csvread_record *rec)
{
	const char *t;
	size_t tl;

	for (size_t i = 0; i < rec->nfields; i++)
		if (rec->errs[i] != CSVREAD_FIELD_OK || parse_text(rec->fields[i], rec->lens[i], &t, &tl))
			return 0;
	return 1;
}

/* Excel's "Unicode text" is UTF-16: say so instead of a confusing parse
 * error. */
static int refuse_utf16(const char *path, struct zj_error *err)
{
	unsigned char b[2];
	FILE *f = fopen(path, "rb");
	int utf16;

	if (!f)
		return 0;	/* csvread_open says why */
	utf16 = fread(b, 1, 2, f) == 2 && ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == 0xfe && b[1] == 0xff));
	fclose(f);
	if (utf16)
		return zj_err(err, _("%s: the file is UTF-16 (Excel's \"Unicode text\"); save it as \"CSV UTF-8\" or \"CSV\" instead"), path);
	return 0;
}

static long long count_rows(sqlite3 *db, const struct inventory *inv)
{
	char *sql = sqlite3_mprintf("SELECT count(*) FROM %s", inv->table);
	sqlite3_stmt *st;
	long long n = 0;

	if (sql && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_free(sql);
	return n;
}

int import_run(sqlite3 *db, const struct import_opts *o, struct import_result *res,
	       struct zj_error *err)
{
	struct importer im = { .db = db, .o = o, .res = res, .err = err };
	struct csvread *r = NULL;
	struct csvread_record rec;
	sqlite3_stmt *st = NULL;
	long long before = 0, written = 0;
	int rc = -1, got, in_tx = 0;
	char now[21];

	memset(res, 0, sizeof(*res));
	im.inv = inventory_get(o->kind);
	if (refuse_utf16(o->path, err) < 0 || csvread_open(&r, o->path, o->encoding, err) < 0)
		return -1;
	res->encoding = csvread_encoding_name(csvread_encoding(r));
	res->bom = csvread_had_bom(r);
	got = csvread_next(r, &rec, err);
	if (got < 0)
		goto out;
	if (got == 0) {
		zj_err(err, _("%s: the file is empty (expected a header row)"), o->path);
		goto out;
	}
	if (read_header(&im, &rec) < 0)
		goto out;

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
	store_now(now);
	if (sqlite3_prepare_v2(db, "INSERT INTO imports (inventory, file, encoding, replaced, at, by)"
			       " VALUES (?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		goto sqlfail;
	sqlite3_bind_text(st, 1, im.inv->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, o->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, res->encoding, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, !!o->replace);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, store_user(), -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto sqlfail;
	sqlite3_finalize(st);
	st = NULL;
	res->batch = sqlite3_last_insert_rowid(db);
	if (prepare_insert(&im) < 0)
		goto out;

	while ((got = csvread_next(r, &rec, err)) > 0) {
		long long errors_before = im.errors;
		int s;

		if (blank_row(&rec))
			continue;	/* Excel's ",,,," rows below the data */
		res->rows++;
		im.msg.len = 0;
		if (bind_row(&im, &rec) == 0) {
			s = store_row(&im, &rec);
			if (s < 0)
				goto out;
			written += s == 0;
		}
		if (im.errors > errors_before) {
			res->rejected++;
			if (o->skip_invalid && write_rejected(&im, &rec) < 0)
				goto out;
		}
		if (o->on_progress && (res->rows & 0x3fff) == 0)
			o->on_progress(o->ctx, csvread_bytes_done(r), csvread_bytes_total(r), res->rows);
	}
	if (got < 0)
		goto out;
	if (o->on_progress)
		o->on_progress(o->ctx, csvread_bytes_done(r), csvread_bytes_total(r), res->rows);
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
	if (sqlite3_prepare_v2(db, "UPDATE imports SET rows = ?, inserted = ?, updated = ?, rejected = ?,"
			       " unknown_columns = ? WHERE batch = ?", -1, &st, NULL) != SQLITE_OK)
		goto sqlfail;
	{
		struct strbuf u = { 0 };

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
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		goto sqlfail;
	if (o->dry_run) {
		rc = IMPORT_OK;
		goto out;
	}
	if (audit_appendf(db, err, "import", "%s from %s: %lld rows, %lld new, %lld updated, %lld rejected%s",
			  im.inv->name, o->path, res->rows, res->inserted, res->updated, res->rejected,
			  o->replace ? ", inventory replaced" : "") < 0) {
		res->system_error = 1;
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	sqlite3_finalize(im.ins);
	sqlite3_finalize(im.dupline);
	im.ins = im.dupline = NULL;
	if (store_commit(db, err) < 0) {
		in_tx = 0;
		res->system_error = 1;
		goto out;
	}
	in_tx = 0;
	rc = IMPORT_OK;
	goto out;
sqlfail:
	res->system_error = 1;
	store_error(db, err, _("cannot record the import"));
out:
	sqlite3_finalize(st);
	sqlite3_finalize(im.ins);
	sqlite3_finalize(im.dupline);
	if (in_tx)
		store_rollback(db);
	if (im.rejected && fclose(im.rejected) != 0 && rc >= 0) {
		zj_err(err, _("cannot write '%s': %s"), res->rejected_path, strerror(errno));
		rc = -1;
	}
	/* An import that did not land leaves no rejected-rows file behind. */
	if (res->rejected_path && (rc != IMPORT_OK || o->dry_run)) {
		remove(res->rejected_path);
		free(res->rejected_path);
		res->rejected_path = NULL;
	}
	for (int i = 0; i < MAX_COLUMNS; i++)
		free(im.headers[i]);
	free(im.extra.p);
	free(im.msg.p);
	csvread_close(r);
	return rc;
}

void import_result_release(struct import_result *res)
{
	for (size_t i = 0; i < res->nunknown; i++)
		free(res->unknown[i]);
	free(res->unknown);
	free(res->rejected_path);
	memset(res, 0, sizeof(*res));
}
