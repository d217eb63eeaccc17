/* The findings of the last score, one row per subject per rule, paged as
 * the inventories are (core/browse.h), filtered by article, inventory,
 * severity and state; Enter opens the subject in the inventory browser. */
#include "tui/app.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/browse.h"
#include "core/rectify.h"
#include "util/i18n.h"
#include "util/utf8.h"

enum { C_ART, C_INV, C_SEV, C_STATE, C_ID, C_NAME, C_RULE, C_NEXT, C_MSG, NCOLS };

/* The selected finding, below the table; a row more on a narrow screen,
 * where its next step takes two lines rather than lose its end. */
#define DETAIL_ROWS(app) ((app)->cols < 80 ? 4 : 3)

struct fview {
	struct browse_rules rules;
	struct browse_ffilter f;
	struct browse_finding *page;
	size_t n, cap, req;
	int loaded;
	struct browse_fkey anchor;	/* load from here when !loaded */
	int anchor_set;
	size_t cursor;
	long long top_pos, total;
	int page_rows;
	struct tui_col tc[NCOLS];
	/* What fixing the rule's item would take (core/rectify.h
	 * gain_next), per rule: the same for all its subjects. */
	struct gain_ctx *gain;
	char (*next)[48];	/* rules.n entries; "" unknown or none */
	char (*next_full)[192];	/* the same in words, for the pane */
};

/* The next-step texts of every rule, from the last score. */
static void load_next(struct app *app, struct fview *s)
{
	struct zj_error err;

	gain_ctx_free(s->gain);
	free(s->next);
	free(s->next_full);
	s->next = NULL;
	s->next_full = NULL;
	s->gain = gain_ctx_new(app->db, app->ws, &err);
	if (!s->gain || !s->rules.n || !(s->next = calloc(s->rules.n, sizeof(*s->next))) ||
	    !(s->next_full = calloc(s->rules.n, sizeof(*s->next_full)))) {
		free(s->next);
		s->next = NULL;
		return;
	}
	for (size_t i = 0; i < s->rules.n; i++) {
		struct scoring_next nx;
		const char *item = NULL;

		if (!s->rules.v[i].id)
			continue;
		gain_next(s->gain, s->rules.v[i].id, s->rules.v[i].article, &item, &nx);
		rect_next_text(item, &nx, 1, s->next[i], sizeof(s->next[i]));
		rect_next_text(item, &nx, 0, s->next_full[i], sizeof(s->next_full[i]));
	}
}

static void clear_page(struct fview *s)
{
	browse_findings_free(s->page, s->n);
	s->n = 0;
}

static void recount(struct fview *s)
{
	s->total = browse_findings_count(&s->rules, &s->f);
}

static int fv_open(struct app *app, struct view *v)
{
	struct fview *s = calloc(1, sizeof(*s));
	struct zj_error err;

	if (!s) {
		tui_error(app, "%s", _("out of memory"));
		return -1;
	}
	v->state = s;
	s->f = (struct browse_ffilter){ 0, -1, -1, 0 };
	/* The message matters most; inventory and rule give way first (the
	 * pane below names both for the selected finding). */
	s->tc[C_ART] = (struct tui_col){ _("Art."), 3, 4, 0, 1, 0, 0 };
	s->tc[C_INV] = (struct tui_col){ _("Inventory"), 6, 9, 0, 0, 2, 0 };
	s->tc[C_SEV] = (struct tui_col){ _("Sev."), 4, 6, 0, 0, 0, 0 };
	s->tc[C_STATE] = (struct tui_col){ _("State"), 4, 9, 0, 0, 0, 0 };
	s->tc[C_ID] = (struct tui_col){ _("Subject"), 6, 14, 0, 0, 0, 0 };
	s->tc[C_NAME] = (struct tui_col){ _("Name"), 8, 24, 2, 0, 0, 0 };
	s->tc[C_RULE] = (struct tui_col){ _("Rule"), 10, 26, 1, 0, 1, 0 };
	s->tc[C_NEXT] = (struct tui_col){ _("Next step"), 14, 20, 1, 0, 3, 0 };
	s->tc[C_MSG] = (struct tui_col){ _("Message"), 16, 300, 5, 0, 0, 0 };
	if (browse_rules_load(app->db, &s->rules, &err) < 0)
		tui_error(app, "%s", err.msg);
	recount(s);
	load_next(app, s);
	return 0;
}

static void fv_done(struct app *app, struct view *v)
{
	struct fview *s = v->state;

	(void)app;
	if (!s)
		return;
	clear_page(s);
	free(s->page);
	browse_rules_release(&s->rules);
	gain_ctx_free(s->gain);
	free(s->next);
	free(s->next_full);
	free(s);
	v->state = NULL;
}

/* Reads a page; into a fresh buffer so a failed or short read can leave
 * the shown page alone.  Returns the count, -1 on error. */
static int fetch(struct app *app, struct fview *s, enum browse_from from, const struct browse_fkey *key,
		 struct browse_finding **out)
{
	size_t n = (size_t)(s->page_rows > 0 ? s->page_rows : 1);
	struct browse_finding *buf = calloc(n, sizeof(*buf));
	struct zj_error err;
	int got;

	*out = NULL;
	if (!buf) {
		tui_error(app, "%s", _("out of memory"));
		return -1;
	}
	got = browse_findings_page(app->db, &s->rules, &s->f, from, key, n, buf, &err);
	if (got < 0) {
		tui_error(app, "%s", err.msg);
		free(buf);
		return -1;
	}
	*out = buf;
	return got;
}

static void take(struct fview *s, struct browse_finding *buf, int n)
{
	clear_page(s);
	free(s->page);
	s->page = buf;
	s->n = (size_t)n;
	s->req = (size_t)s->page_rows;
	s->loaded = 1;
	if (s->cursor >= s->n)
		s->cursor = s->n ? s->n - 1 : 0;
}

static struct browse_fkey key_of(const struct browse_finding *f)
{
	return (struct browse_fkey){ f->rule, f->subject };
}

static int load(struct app *app, struct fview *s, enum browse_from from, const struct browse_fkey *key)
{
	struct browse_finding *buf;
	int n = fetch(app, s, from, key, &buf);

	if (n >= 0)
		take(s, buf, n);
	return n;
}

static void ensure_page(struct app *app, struct fview *s)
{
	if (s->page_rows <= 0)
		return;
	if (!s->loaded) {
		if (s->anchor_set)
			load(app, s, BROWSE_AT, &s->anchor);
		else
			load(app, s, BROWSE_FIRST, NULL);
		s->anchor_set = 0;
	} else if (s->req != (size_t)s->page_rows) {
		struct browse_fkey k = s->n ? key_of(&s->page[0]) : (struct browse_fkey){ 0, INT64_MIN };

		load(app, s, s->n ? BROWSE_AT : BROWSE_FIRST, &k);
	}
}

/* Columns as wide as their titles, the subject ids as wide as the page's
 * (they are all alike in practice), then fitted to the screen. */
static void fit_columns(struct app *app, struct fview *s)
{
	int idw = 0;

	for (int c = 0; c < NCOLS; c++) {
		int tw = (int)utf8_width(s->tc[c].title);

		if (s->tc[c].min < tw)
			s->tc[c].min = tw;
	}
	/* Severity and state as wide as their longest word in this
	 * language; the message takes what is left, and inventory and rule
	 * give way when it would get less than a readable share. */
	for (int v = 0; v < SEV_COUNT; v++)
		if ((int)utf8_width(tui_severity((enum severity)v)) > s->tc[C_SEV].min)
			s->tc[C_SEV].min = (int)utf8_width(tui_severity((enum severity)v));
	if ((int)utf8_width(_("violated")) > s->tc[C_STATE].min)
		s->tc[C_STATE].min = (int)utf8_width(_("violated"));
	if ((int)utf8_width(_("to verify")) > s->tc[C_STATE].min)
		s->tc[C_STATE].min = (int)utf8_width(_("to verify"));
	/* The inventory's word whole where there is room (its column is
	 * dropped, not cut, when narrow). */
	{
		const char *inv[] = { _("apps"), _("accounts"), _("groups") };

		for (int k = 0; k < INV_COUNT; k++)
			if ((int)utf8_width(inv[k]) > s->tc[C_INV].min)
				s->tc[C_INV].min = s->tc[C_INV].max = (int)utf8_width(inv[k]);
	}
	s->tc[C_MSG].min = app->cols >= 100 ? 40 : app->cols >= 80 ? 26 : 14;
	for (size_t i = 0; i < s->n; i++)
		if ((int)utf8_width(s->page[i].subject_id) > idw)
			idw = (int)utf8_width(s->page[i].subject_id);
	if (idw > s->tc[C_ID].max)
		idw = s->tc[C_ID].max;
	if (idw > s->tc[C_ID].min)
		s->tc[C_ID].min = idw;
	tui_table_layout(s->tc, NCOLS, app->cols);
}

static const char *state_name(int state)
{
	return state == 1 ? _("violated") : state == 2 ? _("to verify") : _("all");
}

/* The filter line, on one row when it fits, else over two broken at a
 * "·" (at 60 columns "状态 全部…" would hide the last filter): every
 * filter stays said.  Returns the rows it took. */
static int draw_filters(struct app *app, int y, const char *line)
{
	static const char dot[] = "·";
	int width = app->cols - 2;
	size_t cut = 0, rest = 0;
	char first[512];

	if ((int)utf8_width(line) <= width)
		return tui_text(y, 1, line, width, A_NORMAL), 1;
	/* The last "·" with what is before it fitting on the first row (the
	 * English line has " · ", the Chinese "）· "). */
	for (const char *p = strstr(line, dot); p; p = strstr(p + 1, dot)) {
		size_t n = (size_t)(p - line);

		while (n && line[n - 1] == ' ')
			n--;
		if (n >= sizeof(first))
			break;
		memcpy(first, line, n);
		first[n] = '\0';
		if ((int)utf8_width(first) > width)
			break;
		cut = n;
		rest = (size_t)(p - line) + sizeof(dot) - 1;
		while (line[rest] == ' ')
			rest++;
	}
	if (!cut) {
		tui_text_fit(y, 1, line, width, A_NORMAL);
		return 1;
	}
	memcpy(first, line, cut);
	first[cut] = '\0';
	tui_text(y, 1, first, width, A_NORMAL);
	tui_text_fit(y + 1, 1, line + rest, width, A_NORMAL);
	return 2;
}

static void fv_draw(struct app *app, struct view *v, int top, int height)
{
	struct fview *s = v->state;
	const char *names[INV_COUNT] = { _("apps"), _("accounts"), _("groups") };
	const char *cells[NCOLS];
	attr_t cattr[NCOLS];
	char buf[512], art[16], k1[16], k2[16], k3[16], k4[16];
	int frows;

	/* The filters, each with the key that changes it. */
	if (s->f.article)
		snprintf(art, sizeof(art), "%d", s->f.article);
	snprintf(buf, sizeof(buf), _("article %s (%s) · inventory %s (%s) · severity %s (%s) · state %s (%s)"),
		 s->f.article ? art : _("all"), tui_key_names(KM_FINDINGS, REQ_FILTER_ARTICLE, k1, sizeof(k1)),
		 s->f.inv >= 0 ? names[s->f.inv] : _("all"), tui_key_names(KM_FINDINGS, REQ_CYCLE_INVENTORY, k2, sizeof(k2)),
		 s->f.sev >= 0 ? tui_severity((enum severity)s->f.sev) : _("all"),
		 tui_key_names(KM_FINDINGS, REQ_CYCLE_SEVERITY, k3, sizeof(k3)),
		 state_name(s->f.state), tui_key_names(KM_FINDINGS, REQ_CYCLE_STATE, k4, sizeof(k4)));
	frows = draw_filters(app, top, buf);
	top += frows - 1;
	height -= frows - 1;
	s->page_rows = height - 2 - DETAIL_ROWS(app);
	ensure_page(app, s);
	for (int c = 0; c < NCOLS; c++)
		cells[c] = s->tc[c].title;
	fit_columns(app, s);
	tui_table_row(app, top + 1, s->tc, NCOLS, cells, NULL, app->attr[AT_HEADER]);
	if (!s->n) {
		if (s->rules.n)
			snprintf(buf, sizeof(buf), _("no findings match the filters (%s clears them)"),
				 tui_key_first(KM_FINDINGS, REQ_CLEAR_FILTERS));
		else
			snprintf(buf, sizeof(buf), "%s", _("no findings: run 'zhijian score' first"));
		tui_wrapped(top + 2, 2, buf, app->cols - 4, 0, 2, app->attr[AT_DIM]);
		return;
	}
	for (size_t i = 0; i < s->n && (int)i < s->page_rows; i++) {
		const struct browse_finding *f = &s->page[i];
		const struct browse_rule *r = &s->rules.v[f->rule];
		char no[16];

		snprintf(no, sizeof(no), "%d", r->article);
		cells[C_ART] = no;
		cells[C_INV] = names[f->inv];
		cells[C_SEV] = tui_severity(r->sev);
		cells[C_STATE] = f->violated ? _("violated") : _("to verify");
		cells[C_ID] = f->subject_id;
		cells[C_NAME] = f->subject_name;
		/* The rule as people name it (its title); the id is in the
		 * pane below. */
		cells[C_RULE] = r->title && *r->title ? r->title : r->id;
		cells[C_NEXT] = f->violated && s->next && f->rule < s->rules.n ? s->next[f->rule] : "";
		cells[C_MSG] = f->message;
		memset(cattr, 0, sizeof(cattr));
		cattr[C_SEV] = r->sev == SEV_HIGH ? app->attr[AT_BAD] : 0;
		cattr[C_STATE] = f->violated ? app->attr[AT_BAD] : app->attr[AT_WARN];
		tui_table_row(app, top + 2 + (int)i, s->tc, NCOLS, cells, cattr,
			       i == s->cursor ? app->attr[AT_SELECT] : A_NORMAL);
	}
	/* The selected finding in full. */
	{
		const struct browse_finding *f = &s->page[s->cursor];
		const struct browse_rule *r = &s->rules.v[f->rule];
		int y = top + height - DETAIL_ROWS(app), avail = DETAIL_ROWS(app) - 1, nl = 0;
		char nbuf[512];

		tui_fill(y, 0, app->cols, app->attr[AT_HEADER]);
		const char *next = f->violated && s->next && f->rule < s->rules.n ? s->next_full[f->rule] : "";
		int used;

		/* The rule's title before the inventory and the rule's id, which
		 * a narrow line drops first (the title was cut at 60 columns). */
		if (r->title && *r->title)
			snprintf(buf, sizeof(buf), _("%s %s · %s · %s · rule %s"), f->subject_id, f->subject_name,
				 r->title, names[f->inv], r->id);
		else
			snprintf(buf, sizeof(buf), _("%s %s · %s · rule %s"), f->subject_id, f->subject_name,
				 names[f->inv], r->id);
		tui_text_fit(y, 1, buf, app->cols - 2, app->attr[AT_HEADER]);
		/* The next step, which a narrow table drops, whole, on the rows
		 * below the message's first. */
		if (*next) {
			snprintf(nbuf, sizeof(nbuf), _("next step: %s"), next);
			nl = tui_wrapped(y, 1, nbuf, app->cols - 2, 0, 0, A_NORMAL);
			if (nl > avail - 1)
				nl = avail - 1;
		}
		used = tui_wrapped(y + 1, 1, f->message, app->cols - 2, 0, avail - nl, A_NORMAL);
		if (nl > 0)
			tui_wrapped(y + 1 + (used < 1 ? 1 : used > avail - nl ? avail - nl : used), 1, nbuf,
				    app->cols - 2, 0, nl, app->attr[AT_GOOD]);
	}
}

/* ---- moving ---- */

static void move_down(struct app *app, struct fview *s)
{
	struct browse_finding *buf;
	struct browse_fkey k;
	int n;

	if (s->cursor + 1 < s->n) {
		s->cursor++;
		return;
	}
	if (!s->n || s->n < (size_t)s->page_rows)
		return;
	k = key_of(&s->page[0]);
	n = fetch(app, s, BROWSE_AFTER, &k, &buf);
	if (n == s->page_rows) {
		take(s, buf, n);
		s->top_pos++;
		s->cursor = s->n - 1;
	} else if (n >= 0) {
		browse_findings_free(buf, (size_t)n);
		free(buf);
	}
}

static void move_up(struct app *app, struct fview *s)
{
	struct browse_finding *buf;
	struct browse_fkey k;
	int n;

	if (s->cursor > 0) {
		s->cursor--;
		return;
	}
	if (!s->n)
		return;
	k = key_of(&s->page[0]);
	n = fetch(app, s, BROWSE_BEFORE, &k, &buf);
	if (n > 0) {
		struct browse_fkey first = key_of(&buf[n - 1]);

		browse_findings_free(buf, (size_t)n);
		free(buf);
		if (load(app, s, BROWSE_AT, &first) >= 0) {
			s->top_pos--;
			s->cursor = 0;
		}
	} else if (n == 0) {
		free(buf);
	}
}

static void page_down(struct app *app, struct fview *s)
{
	struct browse_finding *buf;
	struct browse_fkey k;
	size_t cur = s->cursor;
	int n;

	if (!s->n)
		return;
	k = key_of(&s->page[s->n - 1]);
	n = fetch(app, s, BROWSE_AFTER, &k, &buf);
	if (n < 0)
		return;
	if (n == s->page_rows) {
		s->top_pos += (long long)s->n;
		take(s, buf, n);
		s->cursor = cur < s->n ? cur : s->n - 1;
		return;
	}
	{
		long long end = s->top_pos + (long long)s->n + n;

		browse_findings_free(buf, (size_t)n);
		free(buf);
		if (n > 0 && load(app, s, BROWSE_LAST, NULL) >= 0)
			s->top_pos = end - (long long)s->n;
		s->cursor = s->n ? s->n - 1 : 0;
	}
}

static void page_up(struct app *app, struct fview *s)
{
	struct browse_finding *buf;
	struct browse_fkey k;
	size_t cur = s->cursor;
	int n;

	if (!s->n)
		return;
	k = key_of(&s->page[0]);
	n = fetch(app, s, BROWSE_BEFORE, &k, &buf);
	if (n < 0)
		return;
	if (n == s->page_rows) {
		take(s, buf, n);
		s->top_pos -= n;
		s->cursor = cur;
		return;
	}
	browse_findings_free(buf, (size_t)n);
	free(buf);
	if (load(app, s, BROWSE_FIRST, NULL) >= 0) {
		s->top_pos = 0;
		s->cursor = 0;
	}
}

static void refilter(struct fview *s)
{
	recount(s);
	s->loaded = 0;
	s->anchor_set = 0;
	s->top_pos = 0;
	s->cursor = 0;
}

void tui_findings_article(struct app *app, int article)
{
	struct fview *s;

	if (tui_show(app, VIEW_FINDINGS) < 0)
		return;
	s = tui_view(app, VIEW_FINDINGS)->state;
	s->f = (struct browse_ffilter){ article, -1, -1, 0 };
	refilter(s);
}

static void ask_article(struct app *app, struct fview *s)
{
	struct tui_edit_opts o = { _("Article number (empty for all):"), NULL, 1, 4 };
	char *text = NULL, *end;
	long n;

	if (tui_edit(app, &o, &text) <= 0)
		return;
	n = strtol(text, &end, 10);
	if (!*text) {
		s->f.article = 0;
	} else if (*end || n < 1 || !checklist_article(app->ws->cl, (int)n)) {
		tui_error(app, _("there is no article '%s'"), text);
		free(text);
		return;
	} else {
		s->f.article = (int)n;
	}
	free(text);
	refilter(s);
}

static void fv_reload(struct app *app, struct view *v)
{
	struct fview *s = v->state;
	struct zj_error err;

	browse_rules_release(&s->rules);
	if (browse_rules_load(app->db, &s->rules, &err) < 0)
		tui_error(app, "%s", err.msg);
	recount(s);
	load_next(app, s);
	if (s->n) {
		s->anchor = key_of(&s->page[0]);
		s->anchor_set = s->anchor.rule < s->rules.n;
	}
	clear_page(s);
	s->loaded = 0;
	if (s->anchor_set) {
		long long pos = browse_findings_rank(app->db, &s->rules, &s->f, &s->anchor, &err);

		s->top_pos = pos >= 0 ? pos : 0;
	} else {
		s->top_pos = 0;
	}
}

static int fv_key(struct app *app, struct view *v, enum request req, int key)
{
	struct fview *s = v->state;

	(void)key;
	switch (req) {
	case REQ_DOWN: move_down(app, s); return 1;
	case REQ_UP: move_up(app, s); return 1;
	case REQ_PAGE_DOWN: page_down(app, s); return 1;
	case REQ_PAGE_UP: page_up(app, s); return 1;
	case REQ_FIRST:
		if (load(app, s, BROWSE_FIRST, NULL) >= 0)
			s->top_pos = 0, s->cursor = 0;
		return 1;
	case REQ_LAST:
		if (load(app, s, BROWSE_LAST, NULL) >= 0) {
			s->top_pos = s->total - (long long)s->n;
			s->cursor = s->n ? s->n - 1 : 0;
		}
		return 1;
	case REQ_ENTER:
		if (s->n)
			tui_inventory_subject(app, (int)s->page[s->cursor].inv, s->page[s->cursor].subject,
					      s->rules.v[s->page[s->cursor].rule].id);
		return 1;
	case REQ_FILTER_ARTICLE: ask_article(app, s); return 1;
	case REQ_CYCLE_INVENTORY: s->f.inv = s->f.inv + 1 >= INV_COUNT ? -1 : s->f.inv + 1; refilter(s); return 1;
	case REQ_CYCLE_SEVERITY: s->f.sev = s->f.sev + 1 >= SEV_COUNT ? -1 : s->f.sev + 1; refilter(s); return 1;
	case REQ_CYCLE_STATE: s->f.state = (s->f.state + 1) % 3; refilter(s); return 1;
	case REQ_CLEAR_FILTERS: s->f = (struct browse_ffilter){ 0, -1, -1, 0 }; refilter(s); return 1;
	case REQ_RECTIFY:
		if (s->n) {
			const struct browse_finding *f = &s->page[s->cursor];
			const struct browse_rule *r = &s->rules.v[f->rule];

			tui_rectify_finding(app, (int)f->inv, f->subject_id, f->subject_name, r->id, r->article);
		}
		return 1;
	default: return 0;
	}
}

static void fv_where(struct app *app, struct view *v, char *buf, size_t size)
{
	struct fview *s = v->state;
	char a[32], b[32];

	(void)app;
	if (!s->n)
		return;
	snprintf(buf, size, _("%s of %s"), fmt_count(s->top_pos + (long long)s->cursor + 1, a), fmt_count(s->total, b));
}

const struct view_ops tui_findings_ops = {
	.name = "findings",
	.title = N_("Findings"),
	.hints = { N_("%s rectify · %s article · %s inventory · %s severity · %s state · %s clear · %s subject · %s help"),
		   { HINT_KEY(REQ_RECTIFY), HINT_KEY(REQ_FILTER_ARTICLE), HINT_KEY(REQ_CYCLE_INVENTORY), HINT_KEY(REQ_CYCLE_SEVERITY),
			HINT_KEY(REQ_CYCLE_STATE), HINT_KEY(REQ_CLEAR_FILTERS), HINT_KEY(REQ_ENTER), HINT_KEY(REQ_HELP) } },
	.keymap = KM_FINDINGS,
	.open = fv_open,
	.draw = fv_draw,
	.key = fv_key,
	.reload = fv_reload,
	.done = fv_done,
	.where = fv_where,
};
