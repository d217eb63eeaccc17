/* The checklist walk: the 16 articles, their text, their check items, and
 * the inspector's verdicts, notes and override reasons. */
#include "tui/app.h"

#include <stdlib.h>
#include <string.h>

#include "core/browse.h"
#include "core/store.h"
#include "core/region.h"
#include "util/i18n.h"
#include "util/when.h"
#include "util/utf8.h"

enum focus { FOCUS_ITEMS, FOCUS_LIST };

struct walk {
	size_t art;		/* article index */
	size_t item;		/* item index in cl->items */
	enum focus focus;
	int full_text;		/* reading the article's whole text */
	int text_top;		/* first line shown in full_text */
	int text_lines;		/* lines the text had at the last draw */
	int list_top;
	char saved[64];		/* the position last written to the workspace */
	/* The findings of the selected item's rules, shown below its details
	 * where the screen has rows to spare (200x50): read for one item at a
	 * time, again after R. */
	struct browse_rules rules;
	int rules_state;	/* 0 not read, 1 read, -1 could not be */
	int f_valid;
	size_t f_item;
	struct browse_finding *f;
	size_t nf;
	long long f_total;	/* the item's findings, as the score run counted them */
};

#define LIST_WIDTH 26
#define WALK_FINDINGS_MAX 60	/* findings of an item kept for the spare rows */

static const struct cl_item *cur_item(struct app *app, struct walk *w)
{
	return &app->ws->cl->items[w->item];
}

static const struct item_status *cur_status(struct app *app, struct walk *w)
{
	return &app->a.items[w->item];
}

/* The walk resumes where it was left: the position is kept in the
 * workspace, written as it changes.  A write that would wait for another
 * process is skipped (busy_nowait): losing a position is better than a
 * frozen screen. */
static void save_position(struct app *app, struct walk *w)
{
	const char *id = cur_item(app, w)->id;
	struct zj_error err;

	if (!strcmp(w->saved, id))
		return;
	app->busy_nowait = 1;
	if (store_meta_set(app->db, "tui.position", id, &err) == 0)
		snprintf(w->saved, sizeof(w->saved), "%s", id);
	app->busy_nowait = 0;
}

static void set_item(struct app *app, struct walk *w, size_t item)
{
	const struct checklist *cl = app->ws->cl;

	if (!cl->nitems)
		return;
	if (item >= cl->nitems)
		item = cl->nitems - 1;
	w->item = item;
	w->art = (size_t)(cl->items[item].article - 1);
	w->text_top = 0;
	save_position(app, w);
}

static void set_article(struct app *app, struct walk *w, size_t art)
{
	const struct checklist *cl = app->ws->cl;

	if (art >= cl->narticles)
		return;
	if (cl->articles[art].nitems) {
		set_item(app, w, cl->articles[art].first_item);
	} else {
		w->art = art;
		w->text_top = 0;
	}
}

static int walk_open(struct app *app, struct view *v)
{
	struct walk *w = calloc(1, sizeof(*w));
	char *pos;

	if (!w) {
		tui_error(app, "%s", _("out of memory"));
		return -1;
	}
	v->state = w;
	pos = store_meta_get(app->db, "tui.position");
	if (pos && checklist_item(app->ws->cl, pos)) {
		w->item = (size_t)(checklist_item(app->ws->cl, pos) - app->ws->cl->items);
		w->art = (size_t)(app->ws->cl->items[w->item].article - 1);
		snprintf(w->saved, sizeof(w->saved), "%s", pos);
	} else if (app->ws->cl->nitems) {
		w->art = (size_t)(app->ws->cl->items[0].article - 1);
	}
	free(pos);
	return 0;
}

static void forget_findings(struct walk *w)
{
	browse_findings_free(w->f, w->nf);
	free(w->f);
	w->f = NULL;
	w->nf = 0;
	w->f_total = 0;
	w->f_valid = 0;
}

static void walk_done(struct app *app, struct view *v)
{
	struct walk *w = v->state;

	(void)app;
	if (w) {
		forget_findings(w);
		if (w->rules_state == 1)
			browse_rules_release(&w->rules);
	}
	free(w);
	v->state = NULL;
}

static void walk_reload(struct app *app, struct view *v)
{
	struct walk *w = v->state;

	(void)app;
	if (!w)
		return;
	forget_findings(w);
	if (w->rules_state == 1)
		browse_rules_release(&w->rules);
	w->rules_state = 0;
}

const char *tui_walk_position(struct app *app)
{
	struct view *v = tui_view(app, VIEW_CHECKLIST);

	if (!v->opened || !v->state || !app->ws->cl->nitems)
		return NULL;
	return cur_item(app, v->state)->id;
}

void tui_walk_article(struct app *app, int article)
{
	struct walk *w;

	if (tui_show(app, VIEW_CHECKLIST) < 0)
		return;
	w = tui_view(app, VIEW_CHECKLIST)->state;
	w->focus = FOCUS_ITEMS;
	w->full_text = 0;
	set_article(app, w, (size_t)(article - 1));
}

static attr_t verdict_attr(struct app *app, enum verdict v)
{
	switch (v) {
	case VERDICT_COMPLIANT: return app->attr[AT_GOOD];
	case VERDICT_PARTIAL: return app->attr[AT_WARN];
	case VERDICT_NONCOMPLIANT: return app->attr[AT_BAD];
	default: return app->attr[AT_DIM];
	}
}

/* ---- drawing ---- */

static void draw_list(struct app *app, struct walk *w, int x, int width, int top, int height)
{
	const struct checklist *cl = app->ws->cl;
	int n = (int)(cl->nparts + cl->narticles), sel = 0, row = 0;
	char buf[256];

	/* Rows: each part's title, then its articles. */
	for (size_t p = 0; p < cl->nparts; p++) {
		row++;
		for (size_t i = 0; i < cl->narticles; i++) {
			if (cl->articles[i].part != cl->parts[p].no)
				continue;
			if (i == w->art)
				sel = row;
			row++;
		}
	}
	if (sel < w->list_top)
		w->list_top = sel > 0 ? sel - 1 : 0;
	if (sel >= w->list_top + height)
		w->list_top = sel - height + 1;
	if (w->list_top > n - height)
		w->list_top = n - height > 0 ? n - height : 0;
	row = 0;
	for (size_t p = 0; p < cl->nparts; p++) {
		int y = top + row - w->list_top;

		if (y >= top && y < top + height) {
			snprintf(buf, sizeof(buf), "%s、%s", tui_part_number(cl->parts[p].no), cl->parts[p].title);
			tui_cell(y, x + 1, buf, width - 1, 0, app->attr[AT_BOLD]);
		}
		row++;
		for (size_t i = 0; i < cl->narticles; i++) {
			const struct cl_article *art = &cl->articles[i];
			size_t done = 0;
			const char *mark;
			attr_t ma, sa = A_NORMAL;

			if (art->part != cl->parts[p].no)
				continue;
			y = top + row++ - w->list_top;
			if (y < top || y >= top + height)
				continue;
			for (size_t k = art->first_item; k < art->first_item + art->nitems; k++)
				done += app->a.items[k].answer != VERDICT_NONE;
			if (art->nitems && done == art->nitems)
				mark = "[x]", ma = app->attr[AT_GOOD];
			else if (done)
				mark = "[~]", ma = app->attr[AT_WARN];
			else
				mark = "[ ]", ma = A_NORMAL;
			if (i == w->art)
				sa = w->focus == FOCUS_LIST ? app->attr[AT_SELECT] : app->attr[AT_CURSOR_DIM];
			tui_fill(y, x, width, sa);
			tui_text(y, x + 1, mark, 3, sa ? sa : ma);
			snprintf(buf, sizeof(buf), "%2d %s", art->no, art->title);
			tui_cell(y, x + 5, buf, width - 6, 0, sa);
		}
	}
}

/* One labelled paragraph of the item's details: returns lines used. */
static int para(struct app *app, int y, int x, int lw, int width, int ymax, const char *label,
		const char *text, attr_t attr)
{
	struct tui_wrap wr = { 0 };
	int n = 0, tw = width - lw - 1;

	if (y >= ymax)
		return 0;
	if (label && *label)
		tui_cell(y, x, label, lw, 0, app->attr[AT_BOLD]);
	if (tui_wrap(&wr, text, tw) < 0) {
		tui_wrap_release(&wr);
		return 1;
	}
	for (size_t i = 0; i < wr.n && y + n < ymax; i++, n++) {
		char line[1024];
		size_t len = wr.line[i].len < sizeof(line) - 1 ? wr.line[i].len : sizeof(line) - 1;

		memcpy(line, text + wr.line[i].off, len);
		line[len] = '\0';
		tui_text(y + n, x + lw + 1, line, tw, attr);
	}
	if (!wr.n)
		n = 1;
	tui_wrap_release(&wr);
	return n;
}

static int wrapped_lines(const char *s, int width)
{
	struct tui_wrap wr = { 0 };
	int n = tui_wrap(&wr, s, width);

	tui_wrap_release(&wr);
	return n > 0 ? n : 1;
}

static void proposal_text(struct app *app, const struct cl_item *it, const struct item_status *s,
			  char *buf, size_t size)
{
	char a[32], b[32], c[32], rb[256];

	if (region_basis_text(s->basis, s->checked, s->violated, 0, rb, sizeof(rb)))
		snprintf(buf, size, _("%s, from what was received: %s"),
			 s->proposal != VERDICT_NONE ? checklist_answer_text(it, s->proposal) : _("none, needs verification"), rb);
	else if (!it->nrules)
		snprintf(buf, size, "%s", _("none: no rule covers this item; the inspector decides"));
	else if (!app->a.scored)
		snprintf(buf, size, "%s", _("none yet: run 'zhijian score'"));
	else if (s->proposal == VERDICT_NONE)
		snprintf(buf, size, _("none, needs verification: %s checked, %s violated, %s unknown"),
			 fmt_count(s->checked, a), fmt_count(s->violated, b), fmt_count(s->unknown, c));
	else
		snprintf(buf, size, _("%s: %s checked, %s violated, %s unknown"), checklist_answer_text(it, s->proposal),
			 fmt_count(s->checked, a), fmt_count(s->violated, b), fmt_count(s->unknown, c));
	if (it->nrules && it->covers) {
		size_t n = strlen(buf);

		snprintf(buf + n, size - n, _(" (the rules test only '%s')"), it->covers);
	}
}

/* The findings of the selected item: those of its rules, in the findings
 * view's order, up to WALK_FINDINGS_MAX.  Nothing when unscored or when
 * the findings cannot be read (the details above say enough). */
static void load_item_findings(struct app *app, struct walk *w)
{
	const struct checklist *cl = app->ws->cl;
	const struct cl_item *it = cur_item(app, w);
	struct browse_ffilter flt = { .article = it->article, .inv = -1, .sev = -1, .state = 0 };
	struct browse_finding page[WALK_FINDINGS_MAX];
	struct zj_error err;

	if (w->f_valid && w->f_item == w->item)
		return;
	forget_findings(w);
	w->f_valid = 1;
	w->f_item = w->item;
	if (!app->a.scored || !it->nrules)
		return;
	if (w->rules_state == 0)
		w->rules_state = browse_rules_load(app->db, &w->rules, &err) == 0 ? 1 : -1;
	if (w->rules_state != 1 || !(w->f = calloc(WALK_FINDINGS_MAX, sizeof(*w->f))))
		return;
	for (size_t k = 0; k < it->nrules; k++) {
		const char *id = cl->rules[it->rules[k]].id;
		struct browse_fkey key = { 0, 0 };
		int got;

		while (key.rule < w->rules.n && strcmp(w->rules.v[key.rule].id, id))
			key.rule++;
		if (key.rule == w->rules.n)
			continue;
		w->f_total += w->rules.v[key.rule].violated + w->rules.v[key.rule].unknown;
		if (w->nf == WALK_FINDINGS_MAX)
			continue;
		/* The page runs on into the article's next rules: keep this
		 * rule's findings, free the rest. */
		got = browse_findings_page(app->db, &w->rules, &flt, BROWSE_AT, &key, WALK_FINDINGS_MAX - w->nf,
					   page, &err);
		for (int i = 0; i < got; i++) {
			if (page[i].rule == key.rule)
				w->f[w->nf++] = page[i];
			else
				browse_findings_free(&page[i], 1);
		}
	}
}

/* Below the details, on rows nothing else uses (200x50): the item's
 * findings, each as a subject's details name it, and how to list them. */
static void draw_item_findings(struct app *app, struct walk *w, int x, int width, int y, int ymax)
{
	int sw = (int)utf8_width(_("violated")), tw = (int)utf8_width(_("to verify"));
	const char *fkey = tui_key_first(KM_CHECKLIST, REQ_ARTICLE_FINDINGS);
	char buf[512], n[FMT_COUNT_SIZE];
	size_t shown = 0;

	if (ymax - y < 4)
		return;
	load_item_findings(app, w);
	if (!w->nf)
		return;
	sw = sw > tw ? sw : tw;
	y++;
	snprintf(buf, sizeof(buf), _("The item's findings: %s (%s lists the article's)"), fmt_count(w->f_total, n),
		 fkey);
	tui_text(y++, x, buf, width, app->attr[AT_BOLD]);
	for (; shown < w->nf && y < ymax; shown++, y++) {
		const struct browse_finding *f = &w->f[shown];
		const struct browse_rule *r = &w->rules.v[f->rule];

		/* The last row says how many are left rather than show one. */
		if (y + 1 == ymax && w->f_total - (long long)shown > 1)
			break;
		tui_text(y, x, f->violated ? _("violated") : _("to verify"), sw,
			 f->violated ? app->attr[AT_BAD] : app->attr[AT_WARN]);
		snprintf(buf, sizeof(buf), "%s %s · %s", f->subject_id, f->subject_name,
			 r->title && *r->title ? r->title : r->id);
		tui_text(y, x + sw + 2, buf, width - sw - 2, A_NORMAL);
	}
	if ((long long)shown < w->f_total && y < ymax) {
		snprintf(buf, sizeof(buf), _("… %s more: %s lists them"), fmt_count(w->f_total - (long long)shown, n), fkey);
		tui_text(y, x, buf, width, app->attr[AT_DIM]);
	}
}

static void draw_details(struct app *app, struct walk *w, int x, int width, int y, int ymax)
{
	const struct cl_item *it = cur_item(app, w);
	const struct item_status *s = cur_status(app, w);
	const char *labels[] = { _("Proposed"), _("Answer"), _("Note"), _("Reason"), _("Basis") };
	char buf[512];
	int lw = 0;

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if ((int)utf8_width(labels[i]) > lw)
			lw = (int)utf8_width(labels[i]);
	snprintf(buf, sizeof(buf), "%s  %s", it->id, it->question);
	y += para(app, y, x, 0, width, ymax, NULL, buf, app->attr[AT_BOLD]);
	proposal_text(app, it, s, buf, sizeof(buf));
	y += para(app, y, x, lw, width, ymax, labels[0], buf,
		  s->proposal != VERDICT_NONE ? verdict_attr(app, s->proposal) : A_NORMAL);
	if (s->answer != VERDICT_NONE) {
		char local[WHEN_TIME_SIZE];

		snprintf(buf, sizeof(buf), _("%s (recorded %s)"), checklist_answer_text(it, s->answer),
			 when_local(s->answered_at, 0, local));
	}
	else
		snprintf(buf, sizeof(buf), "%s", _("— (answer with 1 to 4, or p to accept the proposal)"));
	y += para(app, y, x, lw, width, ymax, labels[1], buf,
		  s->answer != VERDICT_NONE ? verdict_attr(app, s->answer) | A_BOLD : app->attr[AT_DIM]);
	y += para(app, y, x, lw, width, ymax, labels[2], s->note ? s->note : _("— (n to write one)"),
		  s->note ? A_NORMAL : app->attr[AT_DIM]);
	if (s->reason || (s->answer != VERDICT_NONE && s->proposal != VERDICT_NONE && s->answer != s->proposal))
		y += para(app, y, x, lw, width, ymax, labels[3], s->reason ? s->reason : "—", A_NORMAL);
	if (it->basis)
		y += para(app, y, x, lw, width, ymax, labels[4], it->basis, app->attr[AT_DIM]);
	draw_item_findings(app, w, x, width, y, ymax);
}

static void draw_article(struct app *app, struct walk *w, int x, int width, int top, int height)
{
	const struct checklist *cl = app->ws->cl;
	const struct cl_article *art = &cl->articles[w->art];
	char buf[512], sbuf[16];
	int y = top, ymax = top + height, text_need, text_h, rest, done = 0, rw, iw, vw, qx;

	for (size_t k = art->first_item; k < art->first_item + art->nitems; k++)
		done += app->a.items[k].answer != VERDICT_NONE;
	snprintf(buf, sizeof(buf), _("Article %d"), art->no);
	{
		int used = tui_text(y, x + 1, buf, width - 2, app->attr[AT_BOLD]);
		char right[128];

		snprintf(right, sizeof(right), _("answered %d/%zu · score %s"), done, art->nitems,
			 fmt_score(app->a.article_score[w->art], sbuf));
		rw = (int)utf8_width(right);
		used += 1 + tui_text(y, x + 2 + used, art->title, width - used - rw - 4, app->attr[AT_BOLD]);
		if (used + rw + 3 < width)
			tui_text(y, x + width - rw - 1, right, rw, A_NORMAL);
	}
	y++;
	text_need = wrapped_lines(art->text, width - 2);
	w->text_lines = text_need;
	if (w->full_text) {
		int h = ymax - y;

		if (w->text_top > text_need - h)
			w->text_top = text_need - h > 0 ? text_need - h : 0;
		tui_wrapped(y, x + 1, art->text, width - 2, w->text_top, h, A_NORMAL);
		return;
	}
	/* The article's text above, its items, then the selected item: the
	 * text gives way first, down to two lines and a pointer to 't'. */
	rest = height - 1 - 1 - (int)art->nitems - 1;
	text_h = text_need;
	if (text_h > rest - 7)
		text_h = rest - 7;
	if (text_h < 2)
		text_h = 2;
	if (text_h < text_need) {
		tui_wrapped(y, x + 1, art->text, width - 2, 0, text_h - 1, A_NORMAL);
		snprintf(buf, sizeof(buf), _("… %d more lines: t reads the whole text"), text_need - text_h + 1);
		tui_text(y + text_h - 1, x + 1, buf, width - 2, app->attr[AT_DIM]);
	} else {
		tui_wrapped(y, x + 1, art->text, width - 2, 0, text_h, A_NORMAL);
	}
	y += text_h;
	if (y >= ymax)
		return;

	/* The items: id, verdict (or the proposal, in brackets), question. */
	tui_fill(y, x, width, app->attr[AT_HEADER]);
	/* Columns as wide as their titles in this language at least:
	 * id (6.1, 16.4), verdict (基本符合 or its proposal in brackets). */
	iw = (int)utf8_width(_("Item"));
	iw = iw > 5 ? iw : 5;
	vw = (int)utf8_width(_("Verdict"));
	vw = vw > 10 ? vw : 10;
	/* "是否存在…" items read 否，符合 / 是，不符合 (in brackets when proposed). */
	for (size_t k = art->first_item; k < art->first_item + art->nitems; k++) {
		const struct item_status *s = &app->a.items[k];
		enum verdict v = s->answer != VERDICT_NONE ? s->answer : s->proposal;
		int wv = (int)utf8_width(checklist_answer_text(&cl->items[k], v)) + 2;

		if (v != VERDICT_NONE && wv > vw)
			vw = wv;
	}
	qx = 3 + iw + 1 + vw + 1;
	tui_text(y, x + 3, _("Item"), iw, app->attr[AT_HEADER]);
	tui_text(y, x + 4 + iw, _("Verdict"), vw, app->attr[AT_HEADER]);
	tui_text(y, x + qx, _("Question"), width - qx - 1, app->attr[AT_HEADER]);
	y++;
	for (size_t k = art->first_item; k < art->first_item + art->nitems && y < ymax; k++, y++) {
		const struct item_status *s = &app->a.items[k];
		attr_t sel = k == w->item ? (w->focus == FOCUS_ITEMS ? app->attr[AT_SELECT]
							 : app->attr[AT_CURSOR_DIM]) : A_NORMAL;
		attr_t va;

		tui_fill(y, x, width, sel);
		tui_text(y, x + 1, k == w->item ? ">" : " ", 1, sel);
		tui_cell(y, x + 3, cl->items[k].id, iw, 0, sel);
		if (s->answer != VERDICT_NONE) {
			snprintf(buf, sizeof(buf), "%s", checklist_answer_text(&cl->items[k], s->answer));
			va = verdict_attr(app, s->answer) | A_BOLD;
		} else if (s->proposal != VERDICT_NONE) {
			snprintf(buf, sizeof(buf), "(%s)", checklist_answer_text(&cl->items[k], s->proposal));
			va = app->attr[AT_DIM];
		} else {
			snprintf(buf, sizeof(buf), "—");
			va = app->attr[AT_DIM];
		}
		tui_cell(y, x + 4 + iw, buf, vw, 0, sel ? sel : va);
		tui_cell(y, x + qx, cl->items[k].question, width - qx - 1, 0, sel);
	}
	if (y + 1 >= ymax || !art->nitems)
		return;
	attrset(app->attr[AT_DIM]);
	mvhline(y, x, ACS_HLINE, width);
	attrset(A_NORMAL);
	y++;
	draw_details(app, w, x + 1, width - 2, y, ymax);
}

static void walk_draw(struct app *app, struct view *v, int top, int height)
{
	struct walk *w = v->state;
	int wide = app->cols >= 76;

	if (!app->ws->cl->narticles)
		return;
	if (!wide && w->focus == FOCUS_LIST) {
		draw_list(app, w, 0, app->cols, top, height);
		return;
	}
	if (wide) {
		draw_list(app, w, 0, LIST_WIDTH, top, height);
		attrset(app->attr[AT_DIM]);
		mvvline(top, LIST_WIDTH, ACS_VLINE, height);
		attrset(A_NORMAL);
		draw_article(app, w, LIST_WIDTH + 1, app->cols - LIST_WIDTH - 1, top, height);
	} else {
		draw_article(app, w, 0, app->cols, top, height);
	}
}

/* ---- answering ---- */

static int is_override(const struct item_status *s, enum verdict v)
{
	return s->proposal != VERDICT_NONE && v != s->proposal;
}

/* Asks for the reason an override needs; NULL when the user gives none. */
static char *ask_reason(struct app *app, const struct cl_item *it, const struct item_status *s, enum verdict v)
{
	char title[256], *text = NULL;
	struct tui_edit_opts o = { title, s->reason, 3, 1000 };

	snprintf(title, sizeof(title), _("%s: the rules propose %s; why %s? (a reason is required)"), it->id,
		 checklist_answer_text(it, s->proposal), checklist_answer_text(it, v));
	if (tui_edit(app, &o, &text) <= 0) {
		tui_error(app, _("%s not recorded: overriding the proposal needs a reason"), it->id);
		return NULL;
	}
	if (!*text) {
		free(text);
		tui_error(app, _("%s not recorded: overriding the proposal needs a reason"), it->id);
		return NULL;
	}
	return text;
}

/* Records verdict v for the current item, with note (NULL keeps it). */
static void record(struct app *app, struct walk *w, enum verdict v, const char *note)
{
	const struct cl_item *it = cur_item(app, w);
	const struct item_status *s = cur_status(app, w);
	char *reason = NULL;

	if (is_override(s, v)) {
		if (!(reason = ask_reason(app, it, s, v)))
			return;
		tui_answer(app, it->id, v, note, reason);
		free(reason);
		return;
	}
	/* Agreeing with the rules: an earlier override reason no longer
	 * applies. */
	tui_answer(app, it->id, v, note, s->proposal != VERDICT_NONE ? "" : NULL);
}

static enum verdict verdict_of(enum request req)
{
	switch (req) {
	case REQ_VERDICT_COMPLIANT: return VERDICT_COMPLIANT;
	case REQ_VERDICT_PARTIAL: return VERDICT_PARTIAL;
	case REQ_VERDICT_NONCOMPLIANT: return VERDICT_NONCOMPLIANT;
	case REQ_VERDICT_NA: return VERDICT_NA;
	default: return VERDICT_NONE;
	}
}

static void edit_note(struct app *app, struct walk *w)
{
	const struct cl_item *it = cur_item(app, w);
	const struct item_status *s = cur_status(app, w);
	char title[256], *note = NULL;
	struct tui_edit_opts o = { title, s->note, 4, 2000 };

	snprintf(title, sizeof(title), _("Note for %s: evidence, documents, where it was checked"), it->id);
	if (tui_edit(app, &o, &note) <= 0) {
		tui_message(app, "%s", _("note unchanged"));
		return;
	}
	if (s->answer != VERDICT_NONE) {
		if (is_override(s, s->answer) && !s->reason) {
			/* The proposal changed since the answer (a new score):
			 * the answer now overrides it and needs a reason. */
			char *reason = ask_reason(app, it, s, s->answer);

			if (reason)
				tui_answer(app, it->id, s->answer, note, reason);
			free(reason);
		} else {
			tui_answer(app, it->id, s->answer, note, s->reason);
		}
	} else {
		/* A note belongs to an answer: ask for the verdict now. */
		char prompt[256];
		enum request req;
		int key;

		snprintf(prompt, sizeof(prompt), _("verdict for %s with this note: 1 符合 · 2 基本符合 · 3 不符合 · 4 不适用%s · Esc cancel"),
			 it->id, s->proposal != VERDICT_NONE ? _(" · p accept the proposal") : "");
		key = tui_ask_key(app, prompt);
		req = tui_key_lookup(KM_CHECKLIST, key);
		if (req == REQ_ACCEPT && s->proposal != VERDICT_NONE)
			record(app, w, s->proposal, note);
		else if (verdict_of(req) != VERDICT_NONE)
			record(app, w, verdict_of(req), note);
		else
			tui_error(app, _("the note was not saved: %s needs a verdict first"), it->id);
	}
	free(note);
}

static void edit_reason(struct app *app, struct walk *w)
{
	const struct cl_item *it = cur_item(app, w);
	const struct item_status *s = cur_status(app, w);
	char title[256], *reason = NULL;
	struct tui_edit_opts o = { title, s->reason, 3, 1000 };

	if (s->answer == VERDICT_NONE) {
		tui_error(app, _("answer %s first (1–4); a reason explains an override of the proposal"), it->id);
		return;
	}
	snprintf(title, sizeof(title), _("Reason for %s %s (the rules propose %s)"), it->id,
		 checklist_answer_text(it, s->answer),
		 s->proposal != VERDICT_NONE ? checklist_answer_text(it, s->proposal) : _("nothing"));
	if (tui_edit(app, &o, &reason) <= 0) {
		tui_message(app, "%s", _("reason unchanged"));
		return;
	}
	if (!*reason && is_override(s, s->answer))
		tui_error(app, _("%s not recorded: overriding the proposal needs a reason"), it->id);
	else
		tui_answer(app, it->id, s->answer, NULL, reason);
	free(reason);
}

/* ---- keys ---- */

static int full_text_key(struct app *app, struct walk *w, enum request req)
{
	int page = app->rows - 4;

	switch (req) {
	case REQ_UP: if (w->text_top > 0) w->text_top--; break;
	case REQ_DOWN: w->text_top++; break;
	case REQ_PAGE_UP: w->text_top = w->text_top > page ? w->text_top - page : 0; break;
	case REQ_PAGE_DOWN: w->text_top += page; break;
	case REQ_FIRST: w->text_top = 0; break;
	case REQ_LAST: w->text_top = w->text_lines; break;
	case REQ_BACK: case REQ_FULL_TEXT: case REQ_ENTER: w->full_text = 0; break;
	default: return 0;
	}
	return 1;
}

static int walk_key(struct app *app, struct view *v, enum request req, int key)
{
	struct walk *w = v->state;
	const struct checklist *cl = app->ws->cl;
	const struct cl_article *art;

	(void)key;
	if (!cl->nitems)
		return 0;
	if (w->full_text && full_text_key(app, w, req))
		return 1;
	art = &cl->articles[w->art];
	if (w->focus == FOCUS_LIST) {
		switch (req) {
		case REQ_UP: if (w->art > 0) set_article(app, w, w->art - 1); return 1;
		case REQ_DOWN: set_article(app, w, w->art + 1); return 1;
		case REQ_PAGE_UP: set_article(app, w, w->art > 5 ? w->art - 5 : 0); return 1;
		case REQ_PAGE_DOWN:
			set_article(app, w, w->art + 5 < cl->narticles ? w->art + 5 : cl->narticles - 1);
			return 1;
		case REQ_FIRST: set_article(app, w, 0); return 1;
		case REQ_LAST: set_article(app, w, cl->narticles - 1); return 1;
		case REQ_ENTER: case REQ_FOCUS_ITEMS: w->focus = FOCUS_ITEMS; return 1;
		case REQ_FOCUS_LIST: return 1;
		case REQ_BACK:
			if (app->cols < 76) {
				w->focus = FOCUS_ITEMS;
				return 1;
			}
			return 0;
		default: break;
		}
	}
	switch (req) {
	case REQ_UP: if (w->item > 0) set_item(app, w, w->item - 1); return 1;
	case REQ_DOWN: set_item(app, w, w->item + 1); return 1;
	case REQ_PAGE_UP: case REQ_PREV_ARTICLE:
		if (w->art > 0)
			set_article(app, w, w->art - 1);
		return 1;
	case REQ_PAGE_DOWN: case REQ_NEXT_ARTICLE:
		set_article(app, w, w->art + 1);
		return 1;
	case REQ_FIRST: set_item(app, w, 0); return 1;
	case REQ_LAST: set_item(app, w, cl->nitems - 1); return 1;
	case REQ_FOCUS_LIST: w->focus = FOCUS_LIST; return 1;
	case REQ_FOCUS_ITEMS: w->focus = FOCUS_ITEMS; return 1;
	case REQ_FULL_TEXT: w->full_text = 1; w->text_top = 0; return 1;
	case REQ_ARTICLE_FINDINGS: tui_findings_article(app, art->no); return 1;
	case REQ_NEXT_OPEN:
		for (size_t k = 1; k <= cl->nitems; k++) {
			size_t i = (w->item + k) % cl->nitems;

			if (app->a.items[i].answer == VERDICT_NONE) {
				set_item(app, w, i);
				return 1;
			}
		}
		tui_message(app, "%s", _("every item is answered"));
		return 1;
	case REQ_VERDICT_COMPLIANT: case REQ_VERDICT_PARTIAL: case REQ_VERDICT_NONCOMPLIANT: case REQ_VERDICT_NA:
		w->focus = FOCUS_ITEMS;
		record(app, w, verdict_of(req), NULL);
		return 1;
	case REQ_ACCEPT:
		if (cur_status(app, w)->proposal == VERDICT_NONE)
			tui_error(app, _("the rules propose nothing for %s: answer it with 1–4"), cur_item(app, w)->id);
		else
			record(app, w, cur_status(app, w)->proposal, NULL);
		return 1;
	case REQ_ACCEPT_ARTICLE:
		tui_confirm_proposals(app, app->ws->cl->articles[w->art].no);
		return 1;
	case REQ_ACCEPT_ALL:
		tui_confirm_proposals(app, 0);
		return 1;
	case REQ_NOTE: case REQ_ENTER:
		w->focus = FOCUS_ITEMS;
		edit_note(app, w);
		return 1;
	case REQ_REASON:
		edit_reason(app, w);
		return 1;
	default:
		return 0;
	}
}

static void walk_where(struct app *app, struct view *v, char *buf, size_t size)
{
	struct walk *w = v->state;

	if (!app->ws->cl->nitems)
		return;
	snprintf(buf, size, _("%s · answered %zu/%zu"), cur_item(app, w)->id, app->a.answered,
		 app->ws->cl->nitems);
}

/* Reading the article's whole text, and choosing an article on a narrow
 * screen (the list alone): the verdict keys of the walk's hint would not
 * say how to get back.  The way back first: a narrow line drops the
 * middle piece. */
static const struct tui_hint full_text_hints = {
	N_("%s back to the items · %s %s scroll · %s help"),
	{ HINT_KEY(REQ_FULL_TEXT), HINT_SPAN(REQ_UP, '/', REQ_DOWN), HINT_SPAN(REQ_PAGE_UP, '/', REQ_PAGE_DOWN),
	  HINT_KEY(REQ_HELP) },
};

static const struct tui_hint list_hints = {
	N_("%s its items · %s choose an article · %s help"),
	{ HINT_KEY(REQ_ENTER), HINT_SPAN(REQ_UP, '/', REQ_DOWN), HINT_KEY(REQ_HELP) },
};

static const struct tui_hint *walk_mode_hints(struct app *app, struct view *v)
{
	const struct walk *w = v->state;

	if (!w)
		return NULL;
	if (w->full_text)
		return &full_text_hints;
	if (app->cols < 76 && w->focus == FOCUS_LIST)
		return &list_hints;
	return NULL;
}

const struct view_ops tui_checklist_ops = {
	.name = "checklist",
	.title = N_("Checklist walk"),
	.hints = { N_("%s verdict · %s accept · %s note · %s reason · %s article · %s next open · %s help"),
		   { HINT_SPAN(REQ_VERDICT_COMPLIANT, '-', REQ_VERDICT_NA), HINT_KEY(REQ_ACCEPT), HINT_KEY(REQ_NOTE), HINT_KEY(REQ_REASON),
			HINT_SPAN(REQ_PREV_ARTICLE, ' ', REQ_NEXT_ARTICLE), HINT_KEY(REQ_NEXT_OPEN), HINT_KEY(REQ_HELP) } },
	.keymap = KM_CHECKLIST,
	.open = walk_open,
	.draw = walk_draw,
	.key = walk_key,
	.reload = walk_reload,
	.done = walk_done,
	.where = walk_where,
	.mode_hints = walk_mode_hints,
};
