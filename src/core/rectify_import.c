/* zhijian rectify import: the ledger as exported to a workbook, filled in by
 * the units (status, progress, dates, evidence), applied back row by row
 * through rectify_update, so every rule of `rectify update` holds. */
#include "core/rectify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/audit.h"
#include "core/rowsrc.h"
#include "core/store.h"
#include "util/i18n.h"
#include "util/parse.h"
#include "util/strbuf.h"
#include "util/utf8.h"

/* The columns read back; the others of the export are for reading. */
enum icol { IC_ID, IC_STATUS, IC_MEASURE, IC_UNIT, IC_OWNER, IC_DEADLINE, IC_REASON, IC_PROGRESS, IC_DATE,
	    IC_EVIDENCE, IC_COUNT };
static const char *const headers[IC_COUNT] = {
	"编号", "状态", "整改措施", "责任单位", "责任人", "整改时限", "取消原因", "整改进展", "进展日期", "佐证材料",
};

const char *rect_import_header(int i)
{
	return i >= 0 && i < IC_COUNT ? headers[i] : NULL;
}

/* The cell's text trimmed into buf ("" when empty or absent). */
static const char *cell(const struct rowsrc_row *r, int col, char *buf, size_t size)
{
	const char *t;
	size_t n;

	buf[0] = '\0';
	if (col < 0 || (size_t)col >= r->ncells || r->cells[col].kind == CELL_EMPTY)
		return buf;
	if (parse_text(r->cells[col].text, r->cells[col].len, &t, &n) <= 0)
		return buf;
	snprintf(buf, size, "%.*s", (int)n, t);
	utf8_sanitize(buf);
	return buf;
}

static int header_row(const struct rowsrc_row *r, int col[IC_COUNT])
{
	char buf[256];
	int found = 0;

	for (int i = 0; i < IC_COUNT; i++)
		col[i] = -1;
	for (size_t c = 0; c < r->ncells; c++) {
		cell(r, (int)c, buf, sizeof(buf));
		for (int i = 0; i < IC_COUNT; i++)
			if (col[i] < 0 && !strcmp(buf, headers[i])) {
				col[i] = (int)c;
				found++;
			}
	}
	return col[IC_ID] >= 0 && col[IC_STATUS] >= 0;
}

/* Does `sql` (an id and a text bound) find a row: was this very note or
 * evidence recorded already (the same workbook imported twice)? */
static int recorded(sqlite3 *db, const char *sql, long long id, const char *text)
{
	sqlite3_stmt *st;
	int yes = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return yes;
}

static int note_recorded(sqlite3 *db, long long id, const char *text)
{
	return recorded(db, "SELECT 1 FROM rect_events WHERE rect = ? AND kind = 'note' AND text = ?", id, text);
}

static int evidence_recorded(sqlite3 *db, long long id, const char *path)
{
	return recorded(db, "SELECT 1 FROM rect_evidence WHERE rect = ? AND path = ?", id, path);
}

static const struct rect_row *find(const struct rect_rows *rows, long long id)
{
	for (size_t i = 0; i < rows->n; i++)
		if (rows->v[i].id == id)
			return &rows->v[i];
	return NULL;
}

static int same(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

/* A refusal of one row: out->why says where and why. */
static void refuse(struct rect_import_row *out, const struct rowsrc *src, long row, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void refuse(struct rect_import_row *out, const struct rowsrc *src, long row, int col, const char *fmt, ...)
{
	char where[256], msg[ZJ_ERROR_MAX - 300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(out->why, sizeof(out->why), "%.255s: %s", rowsrc_where(src, row, col, where, sizeof(where)), msg);
	out->refused = 1;
}

int rectify_import(sqlite3 *db, const struct workspace *ws, const char *path, const char *sheet,
		   rect_import_fn fn, void *ctx, struct rect_import_stats *stats, struct zj_error *err)
{
	struct rowsrc_opts o = { .encoding = CSVREAD_AUTO, .sheet = sheet };
	struct rect_filter f = { .status = -1 };
	struct rect_rows rows;
	struct rowsrc *src = NULL;
	struct rowsrc_row r;
	int col[IC_COUNT], have_header = 0, got;
	char dir[2048];
	const char *slash = strrchr(path, '/');

	memset(stats, 0, sizeof(*stats));
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	if (rectify_rows(db, ws, &f, &rows, err) < 0)
		return -1;
	if (rowsrc_open(&src, path, &o, err) < 0) {
		rect_rows_release(&rows);
		return -1;
	}
	while ((got = rowsrc_next(src, &r, err)) > 0) {
		struct rect_import_row out = { .row = r.row };
		struct rect_change ch = { .status = -1 };
		const struct rect_row *cur;
		char v[IC_COUNT][1024], date[11], note[2200], evpath[4096];
		const char *ev[2] = { NULL, NULL }, *why;
		struct strbuf what = { 0 };
		long long id;
		char *end;

		if (!have_header) {
			/* The header is the first row with 编号 and 状态, as the
			 * export writes it (titles may stand above). */
			if (header_row(&r, col))
				have_header = 1;
			else if (r.row > 20)
				break;
			continue;
		}
		for (int i = 0; i < IC_COUNT; i++)
			cell(&r, col[i], v[i], sizeof(v[i]));
		if (!*v[IC_ID])
			continue;	/* a blank or note row */
		stats->rows++;
		id = strtoll(v[IC_ID], &end, 10);
		if (*end || id <= 0) {
			refuse(&out, src, r.row, col[IC_ID], _("column '%s': '%s' is not a rectification number"),
			       headers[IC_ID], v[IC_ID]);
			goto report;
		}
		out.id = id;
		if (!(cur = find(&rows, id))) {
			refuse(&out, src, r.row, col[IC_ID], _("no rectification %lld in this workspace"), id);
			goto report;
		}
		if (*v[IC_STATUS]) {
			int s = rect_status_parse(v[IC_STATUS]);

			if (s < 0) {
				refuse(&out, src, r.row, col[IC_STATUS],
				       _("column '%s': '%s' is not a status (待整改, 整改中, 已整改, 已验证, 已取消)"),
				       headers[IC_STATUS], v[IC_STATUS]);
				goto report;
			}
			if ((enum rect_status)s != cur->status) {
				ch.status = s;
				sb_addf(&what, "%s%s → %s", what.len ? "; " : "", rect_status_label(cur->status),
					rect_status_label((enum rect_status)s));
			}
		}
		if (*v[IC_DEADLINE]) {
			if (parse_date(v[IC_DEADLINE], strlen(v[IC_DEADLINE]), date, &why) <= 0) {
				refuse(&out, src, r.row, col[IC_DEADLINE], _("column '%s': '%s' is not a date (use 2026-09-30)"),
				       headers[IC_DEADLINE], v[IC_DEADLINE]);
				goto report;
			}
			if (!same(date, cur->deadline)) {
				ch.deadline = date;
				sb_addf(&what, _("%sdeadline %s"), what.len ? "; " : "", date);
			}
		}
		if (*v[IC_MEASURE] && !same(v[IC_MEASURE], cur->measure)) {
			ch.measure = v[IC_MEASURE];
			sb_addf(&what, _("%smeasure"), what.len ? "; " : "");
		}
		if (*v[IC_UNIT] && !same(v[IC_UNIT], cur->unit)) {
			ch.unit = v[IC_UNIT];
			sb_addf(&what, _("%sunit %s"), what.len ? "; " : "", v[IC_UNIT]);
		}
		if (*v[IC_OWNER] && !same(v[IC_OWNER], cur->owner)) {
			ch.owner = v[IC_OWNER];
			sb_addf(&what, _("%sowner %s"), what.len ? "; " : "", v[IC_OWNER]);
		}
		if (*v[IC_REASON])
			ch.reason = v[IC_REASON];
		/* Progress: a dated note, once however often it is imported. */
		note[0] = '\0';
		if (*v[IC_DATE] && parse_date(v[IC_DATE], strlen(v[IC_DATE]), date, &why) <= 0) {
			refuse(&out, src, r.row, col[IC_DATE], _("column '%s': '%s' is not a date (use 2026-09-30)"),
			       headers[IC_DATE], v[IC_DATE]);
			goto report;
		}
		if (*v[IC_PROGRESS])
			snprintf(note, sizeof(note), "%s%s%s", *v[IC_DATE] ? date : "", *v[IC_DATE] ? " " : "",
				 v[IC_PROGRESS]);
		/* Evidence: a file beside the workbook (or by its own path) is
		 * recorded with its hash; anything else (a document number) is
		 * kept in the note. */
		if (*v[IC_EVIDENCE]) {
			struct stat sb;

			if (v[IC_EVIDENCE][0] == '/')
				snprintf(evpath, sizeof(evpath), "%s", v[IC_EVIDENCE]);
			else
				snprintf(evpath, sizeof(evpath), "%.2047s/%.1023s", dir, v[IC_EVIDENCE]);
			if (stat(evpath, &sb) == 0 && S_ISREG(sb.st_mode)) {
				if (!evidence_recorded(db, id, evpath)) {
					ev[0] = evpath;
					ch.evidence = ev;
					sb_addf(&what, _("%sevidence %s"), what.len ? "; " : "", v[IC_EVIDENCE]);
				}
			} else {
				size_t l = strlen(note);

				snprintf(note + l, sizeof(note) - l, "%s佐证材料：%s", l ? "；" : "", v[IC_EVIDENCE]);
			}
		}
		if (note[0] && !note_recorded(db, id, note)) {
			ch.note = note;
			sb_addf(&what, _("%sprogress note"), what.len ? "; " : "");
		}
		if (!what.len) {
			stats->unchanged++;
			goto report;
		}
		{
			struct zj_error uerr;

			if (rectify_update(db, ws, id, &ch, &uerr) < 0) {
				refuse(&out, src, r.row, ch.status >= 0 ? col[IC_STATUS] : -1, "%s", uerr.msg);
				goto report;
			}
		}
		snprintf(out.changes, sizeof(out.changes), "%s", what.p);
		stats->changed++;
report:
		if (out.refused)
			stats->refused++;
		if (fn && (out.refused || out.changes[0]))
			fn(ctx, &out);
		sb_release(&what);
	}
	rowsrc_close(src);
	rect_rows_release(&rows);
	if (got < 0)
		return -1;
	if (!have_header)
		return zj_err(err, _("%s: no header row with '%s' and '%s' in the first 20 rows (export the ledger with 'zhijian rectify export --format xlsx' and fill that in)"),
			      path, headers[IC_ID], headers[IC_STATUS]);
	/* Each row was logged as its update; the import as a whole too. */
	if (store_begin(db, err) < 0)
		return -1;
	if (audit_appendf(db, err, "rectify", "import %s: %lld rows, %lld changed, %lld unchanged, %lld refused", path,
			  stats->rows, stats->changed, stats->unchanged, stats->refused) < 0) {
		store_rollback(db);
		return -1;
	}
	return store_commit(db, err);
}
