/* The inventory browser: apps, accounts and groups as tabs, a table that
 * pages through any number of rows (keyset paging in core/browse.h: only
 * the rows on the screen are ever read), a text filter, and the selected
 * row's fields and findings in a pane below. */
#include "tui/app.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/browse.h"
#include "util/i18n.h"
#include "util/utf8.h"

#define MAX_COLS 8

struct col_spec {
	const char *key;	/* inventory column */
	const char *title;	/* N_() */
	int min, max, weight, right, drop;
};

/* What the table shows of each inventory; the detail pane shows the rest. */
static const struct col_spec specs[INV_COUNT][MAX_COLS] = {
	[INV_APPS] = {
		{ "id", N_("ID"), 4, 14, 0, 0, 0 },
		{ "name", N_("Name"), 16, 40, 3, 0, 0 },
		{ "host_unit", N_("Host unit"), 10, 32, 2, 0, 4 },
		{ "form", N_("Form"), 6, 10, 1, 0, 3 },
		{ "status", N_("Status"), 6, 6, 0, 0, 1 },
		{ "monthly_active_users", N_("MAU"), 7, 9, 0, 1, 2 },
		{ "last_updated_on", N_("Updated"), 10, 10, 0, 0, 5 },
	},
	[INV_ACCOUNTS] = {
		{ "id", N_("ID"), 4, 14, 0, 0, 0 },
		{ "name", N_("Name"), 16, 40, 3, 0, 0 },
		{ "host_unit", N_("Host unit"), 10, 32, 2, 0, 4 },
		{ "platform", N_("Platform"), 8, 12, 1, 0, 3 },
		{ "status", N_("Status"), 6, 6, 0, 0, 1 },
		{ "followers", N_("Followers"), 8, 10, 0, 1, 2 },
		{ "last_post_on", N_("Last post"), 10, 10, 0, 0, 5 },
	},
	[INV_GROUPS] = {
		{ "id", N_("ID"), 4, 14, 0, 0, 0 },
		{ "name", N_("Name"), 16, 40, 3, 0, 0 },
		{ "host_unit", N_("Host unit"), 10, 32, 2, 0, 4 },
		{ "platform", N_("Platform"), 8, 12, 1, 0, 3 },
		{ "members", N_("Members"), 7, 8, 0, 1, 2 },
		{ "status", N_("Status"), 6, 6, 0, 0, 1 },
		{ "last_active_on", N_("Last active"), 10, 10, 0, 0, 5 },
	},
};

struct tab {
	struct browse_inv *b;
	struct browse_page page;	/* the rows on the screen, ascending */
	size_t req;			/* rows the page was read for */
	int loaded;
	long long anchor;		/* load from this rowid when !loaded */
	long long top_pos;		/* position of page.row[0] among the matching rows */
	long long total;		/* matching rows */
	size_t cursor;
	size_t ncols;
	struct tui_col tc[MAX_COLS + 1];	/* the columns, then "findings" */
};

struct invview {
	int tab;
	struct tab tabs[INV_COUNT];
	struct browse_rules rules;
	int page_rows;		/* table rows at the last draw */
	int detail;		/* the detail pane has the focus (and the screen) */
	int detail_top;
	long long rec_rowid;	/* what rec and f describe */
	int rec_kind, rec_state;	/* rec_state: 1 loaded, 0 gone, -1 none */
	struct browse_record rec;
	struct browse_finding *f;
	size_t nf;
	size_t fsel;		/* the finding selected in the detail pane (for +) */
	int fsel_follow;	/* scroll it into view at the next draw */
	int fsel_first;		/* its first line in the pane, at the last draw */
	int fsel_chosen;	/* fsel says which finding + is about, even from the table */
	/* Reached from a finding (tui_inventory_subject): that finding is
	 * the one + rectifies, without choosing again. */
	long long want_rowid;
	int want_kind;
	char want_rule[128];
};

static void forget_record(struct invview *s)
{
	if (s->rec_state == 1)
		browse_record_release(&s->rec);
	browse_findings_free(s->f, s->nf);
	free(s->f);
	s->f = NULL;
	s->nf = 0;
	s->fsel = 0;
	s->fsel_first = 0;
	s->fsel_chosen = 0;
	s->rec_state = -1;
	s->rec_rowid = INT64_MIN;
}

static int count_tab(struct app *app, struct tab *t)
{
	struct zj_error err;
	long long n = browse_inv_count(t->b, &err);

	if (n < 0) {
		tui_error(app, "%s", err.msg);
		return -1;
	}
	t->total = n;
	return 0;
}

static int inv_open(struct app *app, struct view *v)
{
	struct invview *s = calloc(1, sizeof(*s));
	struct zj_error err;

	if (!s) {
		tui_error(app, "%s", _("out of memory"));
		return -1;
	}
	v->state = s;
	s->rec_state = -1;
	s->rec_rowid = INT64_MIN;
	for (int k = 0; k < INV_COUNT; k++) {
		const struct inventory *inv = inventory_get((enum inv_kind)k);
		struct tab *t = &s->tabs[k];
		int cols[MAX_COLS];

		for (size_t c = 0; c < MAX_COLS && specs[k][c].key; c++) {
			const struct col_spec *sp = &specs[k][c];

			cols[c] = inventory_find_column(inv, sp->key);
			t->tc[c] = (struct tui_col){ _(sp->title), sp->min, sp->max, sp->weight, sp->right, sp->drop, 0 };
			t->ncols++;
		}
		t->tc[t->ncols] = (struct tui_col){ _("Findings"), 7, 9, 0, 1, 0, 0 };
		t->b = browse_inv_new(app->db, (enum inv_kind)k, cols, t->ncols, &err);
		if (!t->b) {
			tui_error(app, "%s", err.msg);
			return -1;
		}
		t->anchor = INT64_MIN;
		if (count_tab(app, t) < 0)
			return -1;
	}
	if (browse_rules_load(app->db, &s->rules, &err) < 0)
		tui_error(app, "%s", err.msg);
	return 0;
}

static void inv_done(struct app *app, struct view *v)
{
	struct invview *s = v->state;

	(void)app;
	if (!s)
		return;
	for (int k = 0; k < INV_COUNT; k++) {
		browse_page_release(&s->tabs[k].page);
		browse_inv_free(s->tabs[k].b);
	}
	forget_record(s);
	browse_rules_release(&s->rules);
	free(s);
	v->state = NULL;
}

/* Reads a page into t (the old one stays if the read fails). */
static int load(struct app *app, struct invview *s, struct tab *t, enum browse_from from, long long key,
		struct browse_page *into)
{
	struct browse_page np = { 0 };
	struct zj_error err;
	int n = browse_inv_page(t->b, from, key, (size_t)(s->page_rows > 0 ? s->page_rows : 1), &np, &err);

	if (n < 0) {
		tui_error(app, "%s", err.msg);
		return -1;
	}
	if (into) {
		*into = np;
		return n;
	}
	browse_page_release(&t->page);
	t->page = np;
	t->req = (size_t)s->page_rows;
	t->loaded = 1;
	if (t->cursor >= t->page.n)
		t->cursor = t->page.n ? t->page.n - 1 : 0;
	return n;
}

static void take(struct tab *t, struct browse_page *np, size_t req)
{
	browse_page_release(&t->page);
	t->page = *np;
	t->req = req;
	t->loaded = 1;
	if (t->cursor >= t->page.n)
		t->cursor = t->page.n ? t->page.n - 1 : 0;
}

static void ensure_page(struct app *app, struct invview *s, struct tab *t)
{
	if (s->page_rows <= 0)
		return;
	if (!t->loaded) {
		load(app, s, t, t->anchor == INT64_MIN ? BROWSE_FIRST : BROWSE_AT, t->anchor, NULL);
		t->anchor = INT64_MIN;
	} else if (t->req != (size_t)s->page_rows) {
		/* A resize: the same first row, as many rows as now fit. */
		if (t->page.n)
			load(app, s, t, BROWSE_AT, t->page.row[0].rowid, NULL);
		else
			load(app, s, t, BROWSE_FIRST, 0, NULL);
	}
}

static void ensure_record(struct app *app, struct invview *s, struct tab *t)
{
	struct zj_error err;
	long long rowid;

	if (!t->page.n) {
		forget_record(s);
		return;
	}
	rowid = t->page.row[t->cursor].rowid;
	if (s->rec_state >= 0 && s->rec_rowid == rowid && s->rec_kind == s->tab)
		return;
	forget_record(s);
	s->rec_rowid = rowid;
	s->rec_kind = s->tab;
	s->detail_top = 0;
	s->rec_state = browse_record_load(app->db, (enum inv_kind)s->tab, rowid, &s->rec, &err);
	if (s->rec_state < 0) {
		tui_error(app, "%s", err.msg);
		s->rec_state = 0;
		return;
	}
	if (s->rec_state == 1 &&
	    browse_subject_findings(app->db, &s->rules, (enum inv_kind)s->tab, rowid, &s->f, &s->nf, &err) < 0)
		tui_error(app, "%s", err.msg);
	if (s->want_rule[0] && rowid == s->want_rowid && s->tab == s->want_kind)
		for (size_t i = 0; i < s->nf; i++)
			if (s->f[i].rule < s->rules.n && s->rules.v[s->f[i].rule].id &&
			    !strcmp(s->rules.v[s->f[i].rule].id, s->want_rule)) {
				s->fsel = i;
				s->fsel_follow = 1;
				s->fsel_chosen = 1;
				break;
			}
}

/* ---- drawing ---- */

static void draw_tabs(struct app *app, struct invview *s, int y)
{
	const char *names[INV_COUNT] = { _("apps"), _("accounts"), _("groups") };
	struct tab *t = &s->tabs[s->tab];
	char buf[256], n[32];
	int x = 1;

	for (int k = 0; k < INV_COUNT; k++) {
		snprintf(buf, sizeof(buf), " %s %s ", names[k], fmt_count(s->tabs[k].total, n));
		x += tui_text(y, x, buf, app->cols - x, k == s->tab ? app->attr[AT_TAB_ACTIVE] : app->attr[AT_TAB]);
		x++;
	}
	if (browse_inv_filter_text(t->b)) {
		snprintf(buf, sizeof(buf), _("filter: %s"), browse_inv_filter_text(t->b));
		if (x + 2 < app->cols)
			tui_cell(y, x + 1, buf, app->cols - x - 2, 0, app->attr[AT_WARN]);
	}
}

static void findings_cell(const struct browse_row *r, char *buf, size_t size)
{
	if (!r->violated && !r->unknown)
		snprintf(buf, size, "·");
	else if (!r->unknown)
		snprintf(buf, size, "%d", r->violated);
	else
		snprintf(buf, size, "%d ?%d", r->violated, r->unknown);
}

static void draw_table(struct app *app, struct invview *s, struct tab *t, int y, int rows)
{
	const char *cells[MAX_COLS + 1];
	attr_t cattr[MAX_COLS + 1];
	char fbuf[32];
	size_t nc = t->ncols + 1;

	int idw = 0;

	/* Every column as wide as its title at least; the id column as wide
	 * as the page's ids (alike within an inventory in practice). */
	for (size_t c = 0; c < nc; c++) {
		int tw = (int)utf8_width(t->tc[c].title);

		cells[c] = t->tc[c].title;
		if (t->tc[c].min < tw)
			t->tc[c].min = tw;
	}
	for (size_t i = 0; i < t->page.n; i++)
		if (t->page.row[i].cell[0] && (int)utf8_width(t->page.row[i].cell[0]) > idw)
			idw = (int)utf8_width(t->page.row[i].cell[0]);
	t->tc[0].min = idw > t->tc[0].max ? t->tc[0].max : idw > (int)utf8_width(t->tc[0].title) ? idw
		     : (int)utf8_width(t->tc[0].title);
	tui_table_layout(t->tc, nc, app->cols);
	tui_table_row(app, y, t->tc, nc, cells, NULL, app->attr[AT_HEADER]);
	for (int i = 0; i < rows; i++) {
		const struct browse_row *r;

		if ((size_t)i >= t->page.n) {
			if (i == 0)
				tui_text(y + 1, 2, browse_inv_filter_text(t->b) ? _("no rows match the filter")
					  : _("no rows: import this inventory with 'zhijian import'"), app->cols - 4,
					  app->attr[AT_DIM]);
			break;
		}
		r = &t->page.row[i];
		for (size_t c = 0; c < t->ncols; c++) {
			cells[c] = r->cell[c];
			cattr[c] = 0;
		}
		findings_cell(r, fbuf, sizeof(fbuf));
		cells[t->ncols] = fbuf;
		cattr[t->ncols] = r->violated ? app->attr[AT_BAD] : r->unknown ? app->attr[AT_WARN] : app->attr[AT_DIM];
		tui_table_row(app, y + 1 + i, t->tc, nc, cells, cattr,
			       (size_t)i == t->cursor ? (s->detail ? app->attr[AT_CURSOR_DIM] : app->attr[AT_SELECT])
			       : A_NORMAL);
	}
}

/* The detail pane's lines: the findings first, then every field. */
static void detail_lines(struct app *app, struct invview *s, struct tui_pane *p)
{
	const struct inventory *inv = inventory_get((enum inv_kind)s->rec_kind);
	int chinese = i18n_chinese_labels();
	char buf[1024];

	for (size_t i = 0; i < s->nf; i++) {
		const struct browse_finding *f = &s->f[i];
		const struct browse_rule *r = &s->rules.v[f->rule];

		/* The rule as the findings table names it, by its title. */
		snprintf(buf, sizeof(buf), _("article %d · %s · %s · %s"), r->article, tui_severity(r->sev),
			 r->title && *r->title ? r->title : r->id, f->message);
		tui_pane_add(p, f->violated ? _("violated") : _("to verify"), buf,
			     f->violated ? app->attr[AT_BAD] : app->attr[AT_WARN], 0);
	}
	for (size_t c = 0; c < inv->ncols; c++) {
		const char *v = s->rec.value[c];

		if (v && inv->cols[c].type == COL_BOOL)
			v = !strcmp(v, "1") ? _("yes") : _("no");
		tui_pane_add(p, chinese ? inv->cols[c].header : inv->cols[c].key, v ? v : _("— (empty: unknown)"),
			     v ? A_NORMAL : app->attr[AT_DIM], 0);
	}
	if (s->rec.extra)
		tui_pane_add(p, _("other columns"), s->rec.extra, A_NORMAL, 0);
	if (s->rec.file) {
		snprintf(buf, sizeof(buf), _("%s, line %lld"), s->rec.file, s->rec.src_line);
		tui_pane_add(p, _("imported from"), buf, app->attr[AT_DIM], 0);
	}
}

static void draw_detail(struct app *app, struct invview *s, struct tab *t, int y, int height)
{
	struct tui_pane p = { 0 };
	char buf[512];

	if (height <= 0)
		return;
	tui_fill(y, 0, app->cols, app->attr[AT_HEADER]);
	if (!t->page.n || s->rec_state != 1) {
		if (t->page.n)
			tui_text(y, 1, _("this row is gone: press R to re-read"), app->cols - 2, app->attr[AT_HEADER]);
		return;
	}
	{
		const struct browse_row *r = &t->page.row[t->cursor];

		if (r->violated || r->unknown)
			snprintf(buf, sizeof(buf), _("%s %s · %d violated, %d to verify"), r->cell[0] ? r->cell[0] : "",
				 r->cell[1] ? r->cell[1] : "", r->violated, r->unknown);
		else
			snprintf(buf, sizeof(buf), _("%s %s · no findings"), r->cell[0] ? r->cell[0] : "",
				 r->cell[1] ? r->cell[1] : "");
		tui_text(y, 1, buf, app->cols - 2, app->attr[AT_HEADER]);
	}
	detail_lines(app, s, &p);
	if (p.oom)
		tui_error(app, "%s", _("out of memory"));
	/* The finding selected for + stays in view. */
	if (s->detail && s->nf) {
		if (s->fsel >= s->nf)
			s->fsel = s->nf - 1;
		s->fsel_first = tui_pane_draw(app, &p, y + 1, height - 1, &s->detail_top, s->fsel, &s->fsel_follow);
	} else {
		tui_pane_draw(app, &p, y + 1, height - 1, &s->detail_top, SIZE_MAX, NULL);
	}
	tui_pane_release(&p);
}

static void inv_draw(struct app *app, struct view *v, int top, int height)
{
	struct invview *s = v->state;
	struct tab *t = &s->tabs[s->tab];
	int detail_h = s->detail ? height - 1 : height * 2 / 5;
	int rows = s->detail ? 0 : height - 2 - detail_h;

	draw_tabs(app, s, top);
	if (!s->detail) {
		s->page_rows = rows;
		ensure_page(app, s, t);
		draw_table(app, s, t, top + 1, rows);
	} else {
		ensure_page(app, s, t);
	}
	ensure_record(app, s, t);
	draw_detail(app, s, t, top + height - detail_h, detail_h);
}

/* ---- moving ---- */

static void move_down(struct app *app, struct invview *s, struct tab *t)
{
	struct browse_page np = { 0 };

	if (t->cursor + 1 < t->page.n) {
		t->cursor++;
		return;
	}
	if (!t->page.n || t->page.n < (size_t)s->page_rows)
		return;
	if (load(app, s, t, BROWSE_AFTER, t->page.row[0].rowid, &np) == s->page_rows) {
		take(t, &np, (size_t)s->page_rows);
		t->top_pos++;
		t->cursor = t->page.n - 1;
	} else {
		browse_page_release(&np);
	}
}

static void move_up(struct app *app, struct invview *s, struct tab *t)
{
	struct browse_page np = { 0 };

	if (t->cursor > 0) {
		t->cursor--;
		return;
	}
	if (!t->page.n)
		return;
	/* The rows before the last one shown: the page moved up by one, if
	 * there is a row above. */
	if (load(app, s, t, BROWSE_BEFORE, t->page.row[t->page.n - 1].rowid, &np) > 0 &&
	    np.row[0].rowid < t->page.row[0].rowid) {
		take(t, &np, (size_t)s->page_rows);
		t->top_pos--;
		t->cursor = 0;
	} else {
		browse_page_release(&np);
	}
}

static void page_down(struct app *app, struct invview *s, struct tab *t)
{
	struct browse_page np = { 0 };
	size_t cur = t->cursor;
	int n;

	if (!t->page.n)
		return;
	n = load(app, s, t, BROWSE_AFTER, t->page.row[t->page.n - 1].rowid, &np);
	if (n <= 0) {
		browse_page_release(&np);
		t->cursor = t->page.n - 1;
		return;
	}
	if (n == s->page_rows) {
		t->top_pos += (long long)t->page.n;
		take(t, &np, (size_t)s->page_rows);
		t->cursor = cur < t->page.n ? cur : t->page.n - 1;
		return;
	}
	/* Fewer than a page left: show the last full page. */
	{
		long long end = t->top_pos + (long long)t->page.n + n;

		browse_page_release(&np);
		if (load(app, s, t, BROWSE_LAST, 0, NULL) >= 0) {
			t->top_pos = end - (long long)t->page.n;
			t->cursor = t->page.n - 1;
		}
	}
}

static void page_up(struct app *app, struct invview *s, struct tab *t)
{
	struct browse_page np = { 0 };
	size_t cur = t->cursor;

	if (!t->page.n)
		return;
	if (load(app, s, t, BROWSE_BEFORE, t->page.row[0].rowid, &np) == s->page_rows) {
		take(t, &np, (size_t)s->page_rows);
		t->top_pos -= s->page_rows;
		t->cursor = cur;
		return;
	}
	browse_page_release(&np);
	if (load(app, s, t, BROWSE_FIRST, 0, NULL) >= 0) {
		t->top_pos = 0;
		t->cursor = 0;
	}
}

static void go_first(struct app *app, struct invview *s, struct tab *t)
{
	if (load(app, s, t, BROWSE_FIRST, 0, NULL) >= 0) {
		t->top_pos = 0;
		t->cursor = 0;
	}
}

static void go_last(struct app *app, struct invview *s, struct tab *t)
{
	if (load(app, s, t, BROWSE_LAST, 0, NULL) >= 0) {
		t->top_pos = t->total - (long long)t->page.n;
		if (t->top_pos < 0)
			t->top_pos = 0;
		t->cursor = t->page.n ? t->page.n - 1 : 0;
	}
}

static void set_filter(struct app *app, struct invview *s, struct tab *t)
{
	struct tui_edit_opts o = { _("Filter (id, name or host unit; empty shows all):"),
			       browse_inv_filter_text(t->b), 1, 100 };
	struct zj_error err;
	char *text = NULL, n[32];

	if (tui_edit(app, &o, &text) <= 0)
		return;
	if (browse_inv_filter(t->b, text, &err) < 0) {
		tui_error(app, "%s", err.msg);
		free(text);
		return;
	}
	free(text);
	count_tab(app, t);
	go_first(app, s, t);
	if (browse_inv_filter_text(t->b))
		tui_message(app, _("%s rows match"), fmt_count(t->total, n));
}

static void inv_reload(struct app *app, struct view *v)
{
	struct invview *s = v->state;
	struct zj_error err;

	browse_rules_release(&s->rules);
	if (browse_rules_load(app->db, &s->rules, &err) < 0)
		tui_error(app, "%s", err.msg);
	forget_record(s);
	for (int k = 0; k < INV_COUNT; k++) {
		struct tab *t = &s->tabs[k];
		long long before = t->total;

		count_tab(app, t);
		t->loaded = 0;
		t->anchor = t->page.n ? t->page.row[0].rowid : INT64_MIN;
		if (!t->page.n || t->total == before)
			continue;
		/* Rows came or went: where the page now stands is counted
		 * again for the tab on the screen (one scan); another tab
		 * starts again from its first row. */
		if (k == s->tab) {
			long long pos = browse_inv_rank(t->b, t->anchor, &err);

			t->top_pos = pos >= 0 ? pos : t->top_pos;
		} else {
			t->anchor = INT64_MIN;
			t->top_pos = 0;
			t->cursor = 0;
		}
	}
}

void tui_inventory_subject(struct app *app, int inv, long long rowid, const char *rule)
{
	struct invview *s;
	struct tab *t;
	struct zj_error err;
	long long pos;

	if (inv < 0 || inv >= INV_COUNT || tui_show(app, VIEW_INVENTORY) < 0)
		return;
	s = tui_view(app, VIEW_INVENTORY)->state;
	s->tab = inv;
	s->detail = 0;
	t = &s->tabs[inv];
	s->want_rowid = rowid;
	s->want_kind = inv;
	snprintf(s->want_rule, sizeof(s->want_rule), "%s", rule ? rule : "");
	forget_record(s);
	if (browse_inv_filter_text(t->b)) {
		browse_inv_filter(t->b, NULL, &err);
		count_tab(app, t);
	}
	pos = browse_inv_rank(t->b, rowid, &err);
	t->top_pos = pos >= 0 ? pos : 0;
	t->anchor = rowid;
	t->loaded = 0;
	t->cursor = 0;
}

/* + : a rectification of the selected finding; from the table, of the
 * row's only finding, or the pane opens to choose one. */
static void rectify(struct app *app, struct invview *s, struct tab *t)
{
	const struct browse_finding *f;
	const struct browse_rule *r;

	if (!t->page.n)
		return;
	ensure_record(app, s, t);
	if (s->rec_state != 1)
		return;
	if (!s->nf) {
		tui_message(app, _("%s has no findings to rectify"), t->page.row[t->cursor].cell[0] ?
			    t->page.row[t->cursor].cell[0] : "");
		return;
	}
	if (!s->detail && s->nf > 1 && !s->fsel_chosen) {
		char k[16], ud[64];

		s->detail = 1;
		s->detail_top = 0;
		s->fsel = 0;
		s->fsel_follow = 1;
		snprintf(ud, sizeof(ud), "%s/%s", tui_key_first(KM_INVENTORY, REQ_UP), tui_key_first(KM_INVENTORY, REQ_DOWN));
		tui_message(app, _("%zu findings: choose one with %s, then press %s again"), s->nf, ud,
			    tui_key_names(KM_INVENTORY, REQ_RECTIFY, k, sizeof(k)));
		return;
	}
	f = &s->f[s->detail || s->fsel_chosen ? s->fsel : 0];
	if (f->rule >= s->rules.n)
		return;
	r = &s->rules.v[f->rule];
	tui_rectify_finding(app, (int)f->inv, f->subject_id, f->subject_name, r->id, r->article);
}

static int inv_key(struct app *app, struct view *v, enum request req, int key)
{
	struct invview *s = v->state;
	struct tab *t = &s->tabs[s->tab];

	(void)key;
	if (s->detail) {
		/* Up and Down go through the subject's findings first (+
		 * rectifies the selected one), then scroll the fields. */
		switch (req) {
		case REQ_UP:
			if (s->nf && s->detail_top > s->fsel_first)
				s->detail_top--;
			else if (s->nf && s->fsel > 0)
				s->fsel--, s->fsel_follow = 1;
			else if (s->detail_top > 0)
				s->detail_top--;
			return 1;
		case REQ_DOWN:
			if (s->fsel + 1 < s->nf)
				s->fsel++, s->fsel_follow = 1;
			else
				s->detail_top++;
			return 1;
		case REQ_PAGE_UP: s->detail_top = s->detail_top > 10 ? s->detail_top - 10 : 0; return 1;
		case REQ_PAGE_DOWN: s->detail_top += 10; return 1;
		case REQ_FIRST: s->detail_top = 0; return 1;
		case REQ_LAST: s->detail_top = 1 << 20; return 1;
		case REQ_BACK: case REQ_ENTER: s->detail = 0; s->detail_top = 0; return 1;
		default: break;
		}
	}
	switch (req) {
	case REQ_DOWN: move_down(app, s, t); return 1;
	case REQ_UP: move_up(app, s, t); return 1;
	case REQ_PAGE_DOWN: page_down(app, s, t); return 1;
	case REQ_PAGE_UP: page_up(app, s, t); return 1;
	case REQ_FIRST: go_first(app, s, t); return 1;
	case REQ_LAST: go_last(app, s, t); return 1;
	case REQ_ENTER:
		if (t->page.n) {
			s->detail = 1;
			s->detail_top = 0;
		}
		return 1;
	case REQ_NEXT_TAB: s->tab = (s->tab + 1) % INV_COUNT; s->detail = 0; return 1;
	case REQ_PREV_TAB: s->tab = (s->tab + INV_COUNT - 1) % INV_COUNT; s->detail = 0; return 1;
	case REQ_FILTER: set_filter(app, s, t); return 1;
	case REQ_RECTIFY: rectify(app, s, t); return 1;
	case REQ_IMPORT_FILE: tui_import_file(app, s->tab); return 1;
	default: return 0;
	}
}

static void inv_where(struct app *app, struct view *v, char *buf, size_t size)
{
	struct invview *s = v->state;
	struct tab *t = &s->tabs[s->tab];
	char a[32], b[32];

	(void)app;
	if (!t->page.n)
		return;
	snprintf(buf, size, _("row %s of %s"), fmt_count(t->top_pos + (long long)t->cursor + 1, a),
		 fmt_count(t->total, b));
}

/* A subject's details (Enter): Up and Down choose among its findings, +
 * rectifies the one chosen, Enter goes back; the list's "Enter details"
 * would not say so. */
static const struct tui_hint detail_hints = {
	N_("%s choose a finding · %s rectify it · %s back to the list · %s help"),
	{ HINT_SPAN(REQ_UP, '/', REQ_DOWN), HINT_KEY(REQ_RECTIFY), HINT_KEY(REQ_BACK), HINT_KEY(REQ_HELP) },
};

/* A subject without findings: nothing to choose, the fields scroll.  The
 * way back first: a narrow line drops the middle piece. */
static const struct tui_hint detail_scroll_hints = {
	N_("%s back to the list · %s %s scroll · %s help"),
	{ HINT_KEY(REQ_BACK), HINT_SPAN(REQ_UP, '/', REQ_DOWN), HINT_SPAN(REQ_PAGE_UP, '/', REQ_PAGE_DOWN),
	  HINT_KEY(REQ_HELP) },
};

static const struct tui_hint *inv_mode_hints(struct app *app, struct view *v)
{
	const struct invview *s = v->state;

	(void)app;
	if (!s || !s->detail)
		return NULL;
	return s->rec_state == 1 && !s->nf ? &detail_scroll_hints : &detail_hints;
}

const struct view_ops tui_inventory_ops = {
	.name = "inventory",
	.title = N_("Inventories"),
	.hints = { N_("%s next inventory · %s filter · %s details · %s rectify a finding · %s import a file · %s back · %s help"),
		   { HINT_KEY(REQ_NEXT_TAB), HINT_KEY(REQ_FILTER), HINT_KEY(REQ_ENTER), HINT_KEY(REQ_RECTIFY), HINT_KEY(REQ_IMPORT_FILE), HINT_KEY(REQ_BACK), HINT_KEY(REQ_HELP) } },
	.keymap = KM_INVENTORY,
	.open = inv_open,
	.draw = inv_draw,
	.key = inv_key,
	.reload = inv_reload,
	.done = inv_done,
	.where = inv_where,
	.mode_hints = inv_mode_hints,
};
