/* Submissions: what a level above unit received from the units below
 * (core/rollup.h records them), listed as `zhijian submissions` lists them,
 * with the expected units that sent nothing accepted for the workspace's
 * period as "missing".  Read-only: receiving is `zhijian merge`. */
#include "tui/app.h"

#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/utf8.h"

/* The query of src/cmd/submissions.c: every file received, then the
 * expected units with no accepted submission for this period. */
static const char list_sql[] =
	"SELECT * FROM (SELECT id, status, coalesce(unit, ''), coalesce(period, ''), total, coalesce(grade, ''),"
	" violated, overdue, coalesce(signer_fingerprint, ''), file, received_at, coalesce(reason, ''),"
	" file_sha256 FROM submissions"
	" UNION ALL SELECT NULL, 'missing', e.unit, ?1, NULL, '', NULL, NULL, '', '', '', '', ''"
	" FROM expected_units e WHERE NOT EXISTS (SELECT 1 FROM submissions s"
	" WHERE s.status = 'accepted' AND s.period = ?1 AND (s.unit = e.unit OR (e.code IS NOT NULL AND s.code = e.code)))"
	") ORDER BY id IS NULL, id";

enum sub_status { SUB_ACCEPTED, SUB_SUPERSEDED, SUB_REJECTED, SUB_MISSING, SUB_COUNT };

struct srow {
	long long id;		/* 0: a missing unit */
	enum sub_status status;
	char *unit, *period, *grade, *signer, *file, *received, *reason;
	double total;		/* < 0: none */
	long long violated, overdue;	/* < 0: none */
};

static int status_of(const char *s)
{
	static const char *const keys[SUB_COUNT] = { "accepted", "superseded", "rejected", "missing" };

	for (int i = 0; i < SUB_COUNT; i++)
		if (s && !strcmp(s, keys[i]))
			return i;
	return SUB_REJECTED;
}

static const char *status_word(enum sub_status s)
{
	switch (s) {
	case SUB_ACCEPTED: return _("accepted");
	case SUB_SUPERSEDED: return _("superseded");
	case SUB_REJECTED: return _("rejected");
	default: return _("missing");
	}
}

static char *text_col(sqlite3_stmt *st, int c)
{
	const unsigned char *t = sqlite3_column_text(st, c);

	return strdup(t ? (const char *)t : "");
}

static void srow_release(struct srow *r)
{
	free(r->unit);
	free(r->period);
	free(r->grade);
	free(r->signer);
	free(r->file);
	free(r->received);
	free(r->reason);
}

static void srows_free(struct srow *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		srow_release(&v[i]);
	free(v);
}

/* Reads the list (rows may be NULL to count only); -1 when the workspace
 * has no such tables or a read failed. */
static int read_list(struct app *app, struct srow **rows, size_t *n, long long count[SUB_COUNT])
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int step, oom = 0;

	memset(count, 0, SUB_COUNT * sizeof(count[0]));
	if (rows) {
		*rows = NULL;
		*n = 0;
	}
	if (sqlite3_prepare_v2(app->db, list_sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, app->ws->period, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		enum sub_status s = (enum sub_status)status_of((const char *)sqlite3_column_text(st, 1));
		struct srow *r;

		count[s]++;
		if (!rows || oom)
			continue;
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 32;
			struct srow *p = realloc(*rows, nc * sizeof(*p));

			if (!p) {
				oom = 1;
				continue;
			}
			*rows = p;
			cap = nc;
		}
		r = &(*rows)[*n];
		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_type(st, 0) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 0);
		r->status = s;
		r->total = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 4);
		r->violated = sqlite3_column_type(st, 6) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 6);
		r->overdue = sqlite3_column_type(st, 7) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 7);
		r->unit = text_col(st, 2);
		r->period = text_col(st, 3);
		r->grade = text_col(st, 5);
		r->signer = text_col(st, 8);
		r->file = text_col(st, 9);
		r->received = text_col(st, 10);
		r->reason = text_col(st, 11);
		if (!r->unit || !r->period || !r->grade || !r->signer || !r->file || !r->received || !r->reason) {
			srow_release(r);
			oom = 1;
			continue;
		}
		(*n)++;
	}
	sqlite3_finalize(st);
	if (oom)
		tui_error(app, "%s", _("out of memory"));
	return step == SQLITE_DONE ? 0 : -1;
}

int tui_submissions_summary(struct app *app, struct tui_subs *s, int nlow)
{
	long long count[SUB_COUNT];
	sqlite3_stmt *st;

	memset(s, 0, sizeof(*s));
	if (read_list(app, NULL, NULL, count) < 0)
		return -1;
	s->accepted = count[SUB_ACCEPTED];
	s->superseded = count[SUB_SUPERSEDED];
	s->rejected = count[SUB_REJECTED];
	s->missing = count[SUB_MISSING];
	if (nlow > TUI_SUBS_LOW)
		nlow = TUI_SUBS_LOW;
	if (sqlite3_prepare_v2(app->db, "SELECT coalesce(unit, ''), total FROM submissions"
			       " WHERE status = 'accepted' AND total IS NOT NULL ORDER BY total, unit LIMIT ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int(st, 1, nlow);
	while (sqlite3_step(st) == SQLITE_ROW && s->nlow < nlow) {
		snprintf(s->low[s->nlow].unit, sizeof(s->low[0].unit), "%s", sqlite3_column_text(st, 0));
		s->low[s->nlow++].total = sqlite3_column_double(st, 1);
	}
	sqlite3_finalize(st);
	return 0;
}

/* ---- the view ---- */

enum { C_ID, C_STATUS, C_UNIT, C_SCORE, C_GRADE, C_VIOL, C_OVERDUE, C_RECEIVED, C_FILE, NCOLS };

#define PANE_ROWS 3

struct subs {
	struct srow *row;
	size_t n;
	long long count[SUB_COUNT];
	int failed;
	size_t cursor, top;
	int page_rows;
	struct tui_col tc[NCOLS];
};

static void subs_reload(struct app *app, struct view *v)
{
	struct subs *s = v->state;
	struct srow *rows;
	size_t n;

	if (read_list(app, &rows, &n, s->count) < 0) {
		srows_free(rows, n);
		s->failed = 1;
		tui_error(app, _("cannot read the submissions: %s"), sqlite3_errmsg(app->db));
		return;
	}
	s->failed = 0;
	srows_free(s->row, s->n);
	s->row = rows;
	s->n = n;
	if (s->cursor >= s->n)
		s->cursor = s->n ? s->n - 1 : 0;
}

static int subs_open(struct app *app, struct view *v)
{
	struct subs *s = calloc(1, sizeof(*s));

	if (!s) {
		tui_error(app, "%s", _("out of memory"));
		return -1;
	}
	v->state = s;
	s->tc[C_ID] = (struct tui_col){ _("ID"), 2, 6, 0, 1, 0, 0 };
	s->tc[C_STATUS] = (struct tui_col){ _("Status"), 6, 10, 0, 0, 0, 0 };
	s->tc[C_UNIT] = (struct tui_col){ _("Unit"), 10, 20, 1, 0, 0, 0 };
	s->tc[C_SCORE] = (struct tui_col){ _("Score"), 5, 6, 0, 1, 0, 0 };
	s->tc[C_GRADE] = (struct tui_col){ _("Grade"), 4, 6, 0, 0, 3, 0 };
	s->tc[C_VIOL] = (struct tui_col){ _("Viol."), 5, 7, 0, 1, 4, 0 };
	s->tc[C_OVERDUE] = (struct tui_col){ _("Overdue"), 5, 7, 0, 1, 5, 0 };
	s->tc[C_RECEIVED] = (struct tui_col){ _("Received"), 10, 10, 0, 0, 2, 0 };
	s->tc[C_FILE] = (struct tui_col){ _("File or reason"), 14, 300, 4, 0, 1, 0 };
	subs_reload(app, v);
	return 0;
}

static void subs_done(struct app *app, struct view *v)
{
	struct subs *s = v->state;

	(void)app;
	if (!s)
		return;
	srows_free(s->row, s->n);
	free(s);
	v->state = NULL;
}

static void subs_draw(struct app *app, struct view *v, int top, int height)
{
	struct subs *s = v->state;
	const char *cells[NCOLS];
	attr_t cattr[NCOLS];
	char buf[512];
	int rows = height - 2 - PANE_ROWS;

	snprintf(buf, sizeof(buf), _("accepted %lld · missing %lld · rejected %lld · superseded %lld (period %s)"),
		 s->count[SUB_ACCEPTED], s->count[SUB_MISSING], s->count[SUB_REJECTED], s->count[SUB_SUPERSEDED],
		 app->ws->period ? app->ws->period : "—");
	tui_cell(top, 1, buf, app->cols - 2, 0, s->count[SUB_MISSING] ? app->attr[AT_WARN] : A_NORMAL);
	for (int c = 0; c < NCOLS; c++) {
		int tw = (int)utf8_width(s->tc[c].title);

		cells[c] = s->tc[c].title;
		if (s->tc[c].min < tw)
			s->tc[c].min = tw;
	}
	for (int st = 0; st < SUB_COUNT; st++)
		if ((int)utf8_width(status_word((enum sub_status)st)) > s->tc[C_STATUS].min)
			s->tc[C_STATUS].min = (int)utf8_width(status_word((enum sub_status)st));
	tui_table_layout(s->tc, NCOLS, app->cols);
	tui_table_row(app, top + 1, s->tc, NCOLS, cells, NULL, app->attr[AT_HEADER]);
	s->page_rows = rows;
	if (!s->n) {
		tui_wrapped(top + 2, 2, s->failed ? _("this workspace has no submissions table")
			    : app->ws->level == LEVEL_UNIT
			    ? _("nothing received: a unit-level workspace sends its report upward and receives none")
			    : _("nothing received yet: 'zhijian merge FILE.pdf' receives a unit's signed report, "
				"'zhijian submissions expect FILE.csv' lists the units expected"),
			    app->cols - 4, 0, rows, app->attr[AT_DIM]);
		return;
	}
	if (s->cursor < s->top)
		s->top = s->cursor;
	if (rows > 0 && s->cursor >= s->top + (size_t)rows)
		s->top = s->cursor - (size_t)rows + 1;
	for (int i = 0; i < rows && s->top + (size_t)i < s->n; i++) {
		const struct srow *r = &s->row[s->top + (size_t)i];
		char id[24] = "", score[16] = "", viol[24] = "", over[24] = "", recv[16];

		if (r->id)
			snprintf(id, sizeof(id), "%lld", r->id);
		if (r->total >= 0)
			snprintf(score, sizeof(score), "%.1f", r->total);
		if (r->violated >= 0)
			snprintf(viol, sizeof(viol), "%lld", r->violated);
		if (r->overdue >= 0)
			snprintf(over, sizeof(over), "%lld", r->overdue);
		snprintf(recv, sizeof(recv), "%.10s", r->received);
		cells[C_ID] = id;
		cells[C_STATUS] = status_word(r->status);
		cells[C_UNIT] = r->unit;
		cells[C_SCORE] = score;
		cells[C_GRADE] = r->grade;
		cells[C_VIOL] = viol;
		cells[C_OVERDUE] = over;
		cells[C_RECEIVED] = recv;
		cells[C_FILE] = *r->reason ? r->reason : r->file;
		memset(cattr, 0, sizeof(cattr));
		cattr[C_STATUS] = r->status == SUB_ACCEPTED ? app->attr[AT_GOOD]
				: r->status == SUB_SUPERSEDED ? app->attr[AT_DIM] : app->attr[AT_BAD];
		cattr[C_OVERDUE] = r->overdue > 0 ? app->attr[AT_BAD] : 0;
		tui_table_row(app, top + 2 + i, s->tc, NCOLS, cells, cattr,
			       s->top + (size_t)i == s->cursor ? app->attr[AT_SELECT] : A_NORMAL);
	}
	{
		const struct srow *r = &s->row[s->cursor];
		int y = top + height - PANE_ROWS;

		tui_fill(y, 0, app->cols, app->attr[AT_HEADER]);
		if (r->id)
			snprintf(buf, sizeof(buf), _("#%lld %s · %s · period %s · signer %.16s"), r->id,
				 *r->unit ? r->unit : r->file, status_word(r->status), *r->period ? r->period : "—",
				 *r->signer ? r->signer : "—");
		else
			snprintf(buf, sizeof(buf), _("%s · missing: nothing accepted for period %s"), r->unit, r->period);
		tui_text(y, 1, buf, app->cols - 2, app->attr[AT_HEADER]);
		if (r->id) {
			char text[2048];

			snprintf(text, sizeof(text), "%s%s%s", r->file, *r->reason ? " — " : "", r->reason);
			tui_wrapped(y + 1, 1, text, app->cols - 2, 0, PANE_ROWS - 1,
				    *r->reason ? app->attr[AT_BAD] : A_NORMAL);
		}
	}
}

static int subs_key(struct app *app, struct view *v, enum request req, int key)
{
	struct subs *s = v->state;
	long long page = s->page_rows > 1 ? s->page_rows : 1, to;

	(void)app;
	(void)key;
	switch (req) {
	case REQ_UP: to = (long long)s->cursor - 1; break;
	case REQ_DOWN: to = (long long)s->cursor + 1; break;
	case REQ_PAGE_UP: to = (long long)s->cursor - page; break;
	case REQ_PAGE_DOWN: to = (long long)s->cursor + page; break;
	case REQ_FIRST: to = 0; break;
	case REQ_LAST: to = (long long)s->n - 1; break;
	case REQ_ENTER: return 1;
	default: return 0;
	}
	if (to >= (long long)s->n)
		to = (long long)s->n - 1;
	if (to < 0)
		to = 0;
	s->cursor = (size_t)to;
	return 1;
}

static void subs_where(struct app *app, struct view *v, char *buf, size_t size)
{
	struct subs *s = v->state;
	char a[32], b[32];

	(void)app;
	if (!s->n)
		return;
	snprintf(buf, size, _("%s of %s"), fmt_count((long long)s->cursor + 1, a), fmt_count((long long)s->n, b));
}

const struct view_ops tui_submissions_ops = {
	.name = "submissions",
	.title = N_("Submissions"),
	.hints = N_("D dashboard · L ledger · R refresh · ? help · q back"),
	.keymap = KM_GENERIC,
	.open = subs_open,
	.draw = subs_draw,
	.key = subs_key,
	.reload = subs_reload,
	.done = subs_done,
	.where = subs_where,
};
