/* The dashboard: where the assessment stands, at a glance. */
#include "tui/app.h"

#include <stdlib.h>
#include <string.h>

#include "core/overview.h"
#include "core/region.h"
#include "core/policy.h"
#include "core/rollup.h"
#include "core/store.h"
#include "util/i18n.h"
#include "util/utf8.h"

#define NDUE 8	/* open rectifications listed by deadline, when rows are left */

struct dash {
	struct overview ov;		/* core/overview.h */
	char err[ZJ_ERROR_MAX];		/* why ov could not be read ("" when it was) */
	char *resume;			/* the item the walk left off at */
	struct rollup_summary subs;	/* levels above unit */
	struct region region;		/* levels above unit: 辖区 */
	struct type_count types[PT_COUNT + 1];	/* the campaign's four problem types */
	int has_subs;			/* anything received or expected */
	int cursor;			/* selected article, 0-based */
	int top;			/* first article shown when they do not all fit */
};

/* A read that fails leaves the last figures on screen and says why, on the
 * status line and in place of the score's state. */
static void dash_reload(struct app *app, struct view *v)
{
	struct dash *d = v->state;
	struct overview ov;
	struct zj_error err;

	if (overview_load(app->db, app->ws->today, NDUE, &ov, &err) < 0) {
		snprintf(d->err, sizeof(d->err), "%s", err.msg);
		tui_error(app, "%s", err.msg);
	} else {
		overview_release(&d->ov);
		d->ov = ov;
		d->err[0] = '\0';
	}
	if (policy_by_type(app->db, app->ws->cl, app->ws->today, 1, d->types, &err) < 0)
		tui_error(app, "%s", err.msg);
	free(d->resume);
	d->resume = store_meta_get(app->db, "tui.position");
	/* What the units below sent: above the unit level, once anything was
	 * received or any unit is expected to report. */
	d->has_subs = 0;
	if (region_load(app->db, app->ws, &d->region, &err) < 0)
		tui_error(app, "%s", err.msg);
	if (app->ws->level > LEVEL_UNIT) {
		if (rollup_summary(app->db, app->ws->period, ROLLUP_LOW_MAX, &d->subs, &err) < 0)
			tui_error(app, "%s", err.msg);
		else
			d->has_subs = d->subs.count[SUB_ACCEPTED] + d->subs.count[SUB_SUPERSEDED] +
				      d->subs.count[SUB_REJECTED] + d->subs.count[SUB_MISSING] > 0;
	}
}

static int dash_open(struct app *app, struct view *v)
{
	struct dash *d = calloc(1, sizeof(*d));

	if (!d) {
		tui_error(app, "%s", _("out of memory"));
		return -1;
	}
	v->state = d;
	dash_reload(app, v);
	return 0;
}

static void dash_done(struct app *app, struct view *v)
{
	struct dash *d = v->state;

	(void)app;
	if (d) {
		overview_release(&d->ov);
		free(d->resume);
	}
	free(d);
	v->state = NULL;
}

static attr_t score_attr(struct app *app, double s)
{
	if (s < 0)
		return app->attr[AT_DIM];
	return s >= 90 ? app->attr[AT_GOOD] : s >= 60 ? app->attr[AT_WARN] : app->attr[AT_BAD];
}

/* "high 12 · medium 30 · low 4" */
static void sev_line(char *buf, size_t size, const long long *n)
{
	char a[32], b[32], c[32];

	snprintf(buf, size, "%s %s · %s %s · %s %s", tui_severity(SEV_HIGH), fmt_count(n[SEV_HIGH], a),
		 tui_severity(SEV_MEDIUM), fmt_count(n[SEV_MEDIUM], b), tui_severity(SEV_LOW),
		 fmt_count(n[SEV_LOW], c));
}

/* Display columns of text with its " · " closed up to "·". */
static int closed_width(const char *text)
{
	int w = (int)utf8_width(text);

	for (const char *p = strstr(text, " · "); p; p = strstr(p + 1, " · "))
		w -= 2;
	return w;
}

/* A label in its own column, then text.  A line too wide closes up rather
 * than cut a word (tui_text_fit); still too wide, it starts nearer a short
 * label: at 60 columns in English "By type" lost 功能异化 to the width of
 * "Inventories". */
static void labelled(struct app *app, int y, int lw, const char *label, const char *text, attr_t attr)
{
	int x = 2 + lw, own = (int)utf8_width(label);

	tui_cell(y, 1, label, lw, 0, app->attr[AT_BOLD]);
	if (closed_width(text) > app->cols - x - 1 && own < lw)
		x = 2 + own + 1;
	tui_text_fit(y, x, text, app->cols - x - 1, attr);
}

/* Pieces of a line after its label, "word 12 · word 3", each in its own
 * attribute; a piece that does not fit whole is left out, and so is the
 * rest. */
struct piece {
	char text[160];
	char brief[64];		/* "" or a shorter form for when text does not fit */
	attr_t attr;
};

static void pieces(struct app *app, int y, int lw, const char *label, const struct piece *p, size_t n)
{
	int x = 2 + lw, right = app->cols - 1;

	tui_cell(y, 1, label, lw, 0, app->attr[AT_BOLD]);
	for (size_t i = 0; i < n; i++) {
		const char *t = p[i].text;
		int w = (int)utf8_width(t) + (i ? 3 : 0);

		if (x + w > right && *p[i].brief) {
			t = p[i].brief;
			w = (int)utf8_width(t) + (i ? 3 : 0);
		}
		if (x + w > right)
			break;
		if (i)
			x += tui_text(y, x, " · ", 3, A_NORMAL);
		x += tui_text(y, x, t, right - x, p[i].attr);
	}
}

static void draw_ledger(struct app *app, const struct dash *d, int y, int lw, const char *label)
{
	struct piece p[5];
	const struct rect_counts *l = &d->ov.ledger;
	char n[32];

	memset(p, 0, sizeof(p));

	snprintf(p[0].text, sizeof(p[0].text), _("open %s"), fmt_count(l->open, n));
	p[0].attr = A_NORMAL;
	snprintf(p[1].text, sizeof(p[1].text), _("overdue %s (today %s)"), fmt_count(l->overdue, n), app->ws->today);
	p[1].attr = l->overdue ? app->attr[AT_BAD] : A_NORMAL;
	snprintf(p[2].text, sizeof(p[2].text), _("ready %s"), fmt_count(l->ready, n));
	p[2].attr = l->ready ? app->attr[AT_GOOD] : A_NORMAL;
	snprintf(p[3].text, sizeof(p[3].text), _("done %s"), fmt_count(l->done, n));
	p[3].attr = A_NORMAL;
	snprintf(p[4].text, sizeof(p[4].text), _("closed %s"), fmt_count(l->closed, n));
	p[4].attr = app->attr[AT_DIM];
	pieces(app, y, lw, label, p, 5);
}

static void draw_subs(struct app *app, const struct dash *d, int *y, int lw, const char *label, const char *low_label)
{
	struct piece p[ROLLUP_LOW_MAX > 5 ? ROLLUP_LOW_MAX : 5];
	char n[32], sbuf[16];

	memset(p, 0, sizeof(p));

	/* Most wanted first: a narrow screen keeps what is missing. */
	const long long *count = d->subs.count;

	snprintf(p[0].text, sizeof(p[0].text), _("accepted %s"), fmt_count(count[SUB_ACCEPTED], n));
	p[0].attr = A_NORMAL;
	snprintf(p[1].text, sizeof(p[1].text), _("missing %s"), fmt_count(count[SUB_MISSING], n));
	p[1].attr = count[SUB_MISSING] ? app->attr[AT_BAD] : A_NORMAL;
	snprintf(p[2].text, sizeof(p[2].text), _("rejected %s"), fmt_count(count[SUB_REJECTED], n));
	p[2].attr = count[SUB_REJECTED] ? app->attr[AT_WARN] : A_NORMAL;
	snprintf(p[3].text, sizeof(p[3].text), _("superseded %s"), fmt_count(count[SUB_SUPERSEDED], n));
	p[3].attr = A_NORMAL;
	snprintf(p[4].text, sizeof(p[4].text), _("period %s"), app->ws->period ? app->ws->period : "—");
	p[4].attr = app->attr[AT_DIM];
	pieces(app, (*y)++, lw, label, p, 5);
	if (!low_label)
		return;
	for (size_t i = 0; i < d->subs.nlow; i++) {
		snprintf(p[i].text, sizeof(p[i].text), "%s %s", d->subs.low[i].unit,
			 fmt_score(d->subs.low[i].total, sbuf));
		p[i].attr = score_attr(app, d->subs.low[i].total);
	}
	pieces(app, (*y)++, lw, low_label, p, d->subs.nlow);
}

/* 辖区: the region's figures beside the level's own score, so a region of
 * poor units never reads as an excellent office. */
static void draw_region(struct app *app, const struct dash *d, int y, int lw, const char *label)
{
	const struct region *r = &d->region;
	const char *grade = region_grade(app->ws, r);
	struct piece p[7];
	char n[32], m[32], s[16];
	size_t k = 0;

	memset(p, 0, sizeof(p));

	if (r->scored) {
		snprintf(p[k].text, sizeof(p[k].text), _("units' mean %s%s%s"), fmt_score(r->mean, s), grade ? " " : "",
			 grade ? grade : "");
		p[k++].attr = score_attr(app, r->mean) | A_BOLD;
	} else {
		snprintf(p[k].text, sizeof(p[k].text), "%s", _("no report accepted yet"));
		p[k++].attr = app->attr[AT_DIM];
	}
	if (r->expected)
		snprintf(p[k].text, sizeof(p[k].text), _("reported %s/%s"), fmt_count(r->reported, n),
			 fmt_count(r->expected, m));
	else
		snprintf(p[k].text, sizeof(p[k].text), _("reported %s"), fmt_count(r->reported, n));
	p[k++].attr = r->missing ? app->attr[AT_BAD] : A_NORMAL;
	/* The units' overdue are judged against today: said where it fits. */
	snprintf(p[k].text, sizeof(p[k].text), _("overdue %s (today %s)"), fmt_count(r->overdue, n), app->ws->today);
	snprintf(p[k].brief, sizeof(p[k].brief), _("overdue %s"), fmt_count(r->overdue, n));
	p[k++].attr = r->overdue ? app->attr[AT_BAD] : A_NORMAL;
	if (r->scored) {
		snprintf(p[k].text, sizeof(p[k].text), _("min %s"), fmt_score(r->min, s));
		p[k++].attr = score_attr(app, r->min);
		snprintf(p[k].text, sizeof(p[k].text), _("max %s"), fmt_score(r->max, s));
		p[k++].attr = A_NORMAL;
		snprintf(p[k].text, sizeof(p[k].text), _("sd %.1f"), r->sd);
		p[k++].attr = A_NORMAL;
	}
	snprintf(p[k].text, sizeof(p[k].text), _("violations %s"), fmt_count(r->violated, n));
	p[k++].attr = A_NORMAL;
	pieces(app, y, lw, label, p, k);
}

static void dash_draw(struct app *app, struct view *v, int top, int height)
{
	struct dash *d = v->state;
	const struct checklist *cl = app->ws->cl;
	const struct assessment *a = &app->a;
	const char *grade = scoring_grade(cl, a->total);
	int above = d->region.present;
	const char *labels[] = { above ? _("Own score") : _("Total"), _("Progress"), _("Inventories"), _("Violations"),
				 _("To verify"), _("Ledger"), _("Submissions"), _("Lowest"), _("Next due"), _("Region"),
				 _("To answer"), _("By type") };
	char buf[512], state[ZJ_ERROR_MAX], sbuf[16], n1[32], n2[32], n3[32];
	int lw = 0, y = top, narts = (int)cl->narticles, avail, ncol, per, colw, maxtw = 0;
	int want_ledger = d->ov.ledger.total > 0, want_subs = d->has_subs ? 1 + (d->subs.nlow > 0) : 0, room;

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if ((int)utf8_width(labels[i]) > lw)
			lw = (int)utf8_width(labels[i]);

	/* Total, grade, and whether the score can be trusted yet. */
	if (*d->err)
		snprintf(state, sizeof(state), "%s", d->err);
	else if (d->ov.score.state == SCORE_NEVER)
		snprintf(state, sizeof(state), "%s", _("never scored: run 'zhijian score'"));
	else if (d->ov.score.state == SCORE_IMPORTED_AFTER)
		snprintf(state, sizeof(state), "%s", _("out of date: inventories changed; run 'zhijian score'"));
	else if (d->ov.score.state == SCORE_OTHER_DATE)
		snprintf(state, sizeof(state), _("scored as of %s; the workspace is now as of %s"),
			 d->ov.score.scored_as_of, d->ov.score.as_of);
	else
		snprintf(state, sizeof(state), _("scored as of %s"),
			 d->ov.score.scored_as_of ? d->ov.score.scored_as_of : "");
	tui_cell(y, 1, labels[0], lw, 0, app->attr[AT_BOLD]);
	{
		int x = 2 + lw;

		if (!a->assessed) {
			x += tui_text(y, x, _("not yet assessed"), 20, app->attr[AT_DIM] | A_BOLD);
		} else {
			x += tui_text(y, x, fmt_score(a->total, sbuf), 8, score_attr(app, a->total) | A_BOLD);
			if (grade)
				x += 1 + tui_text(y, x + 1, grade, 10, score_attr(app, a->total) | A_BOLD);
			if (a->pending || a->open) {
				/* A full-width bracket has its own space ("较差（暂定）"). */
				const char *p = _("(provisional)");
				int gap = strncmp(p, "（", strlen("（")) ? 1 : 0;

				x += gap + tui_text(y, x + gap, p, 20, app->attr[AT_DIM]);
			}
		}
		/* "scored as of" cut to "2026-06" would misstate the date: when it
		 * does not fit it goes (the title line has the as-of date); a
		 * warning stays, cut or not. */
		if (*d->err || d->ov.score.state != SCORE_CURRENT || (int)utf8_width(state) <= app->cols - x - 4)
			tui_text(y, x + 3, state, app->cols - x - 4,
				 !*d->err && (d->ov.score.state == SCORE_CURRENT || d->ov.score.state == SCORE_OTHER_DATE)
				 ? A_NORMAL : app->attr[AT_WARN]);
	}
	y++;
	if (above)
		draw_region(app, d, y++, lw, labels[9]);
	snprintf(buf, sizeof(buf), _("answered %zu/%zu · proposed %zu · open %zu"),
		 a->answered, cl->nitems, a->pending, a->open);
	{
		const char *at = tui_walk_position(app) ? tui_walk_position(app) : d->resume;
		size_t l = strlen(buf);

		if (at && checklist_item(cl, at))
			snprintf(buf + l, sizeof(buf) - l, _(" · c continues at %s"), at);
	}
	labelled(app, y++, lw, labels[1], buf, A_NORMAL);

	/* The articles: one column if they fit with the ledger and the
	 * submissions, else two; then the ledger and the submissions in what
	 * is left, the lowest units first to go, then the rest. */
	avail = height - 7 - above;
	ncol = avail - want_ledger - want_subs >= narts ? 1 : 2;
	per = (narts + ncol - 1) / ncol;
	if (per > avail)
		per = avail > 1 ? avail : 1;
	room = avail - per;
	if (want_ledger > room)
		want_ledger = room;
	room -= want_ledger;
	if (want_subs > room)
		want_subs = room;
	colw = (app->cols - 1) / ncol;
	for (int i = 0; i < narts; i++)
		if ((int)utf8_width(cl->articles[i].title) > maxtw)
			maxtw = (int)utf8_width(cl->articles[i].title);
	if (d->cursor < d->top * 1)
		d->top = d->cursor;
	if (d->cursor >= d->top + per * ncol)
		d->top = d->cursor - per * ncol + 1;
	{
		int aw = (int)utf8_width(_("answered")) + 1, show_ans = colw >= 52, tw = maxtw < 16 ? maxtw : 16;
		int fixed = 1 + 2 + 1 + tw + 1 + 1 + 5 + (show_ans ? aw : 0) + 1;
		int bw = colw - fixed;

		if (bw < 4) {
			tw -= 4 - bw;
			bw = 4;
		}
		/* A bar wider than this tells no more on a wide screen, and
		 * puts the score far from its article. */
		if (bw > 40)
			bw = 40;
		for (int c = 0; c < ncol; c++) {
			int x = 1 + c * colw;

			tui_cell(y, x + 3, _("Article"), tw + 1, 0, app->attr[AT_HEADER]);
			tui_cell(y, x + 5 + tw + bw, _("score"), 6, 1, app->attr[AT_HEADER]);
			if (show_ans)
				tui_cell(y, x + 5 + tw + bw + 6, _("answered"), aw, 1, app->attr[AT_HEADER]);
		}
		y++;
		for (int k = 0; k < per * ncol; k++) {
			int i = d->top + k, c = k / per, r = k % per, x = 1 + c * colw, yy = y + r, done = 0;
			const struct cl_article *art;
			double s;
			attr_t sel;

			if (i >= narts)
				break;
			art = &cl->articles[i];
			s = a->article_score[i];
			sel = i == d->cursor ? app->attr[AT_SELECT] : A_NORMAL;
			for (size_t it = art->first_item; it < art->first_item + art->nitems; it++)
				done += a->items[it].answer != VERDICT_NONE;
			snprintf(buf, sizeof(buf), "%2d", art->no);
			tui_cell(yy, x, buf, 3, 1, sel);
			tui_fill(yy, x + 3, 1, sel);
			tui_cell(yy, x + 4, art->title, tw, 0, sel);
			tui_bar(app, yy, x + 5 + tw, bw, s < 0 ? -1 : s / 100, score_attr(app, s));
			tui_cell(yy, x + 5 + tw + bw, fmt_score(s, sbuf), 6, 1, score_attr(app, s));
			if (show_ans) {
				snprintf(buf, sizeof(buf), "%d/%zu", done, art->nitems);
				tui_cell(yy, x + 5 + tw + bw + 6, buf, aw, 1,
					  done == (int)art->nitems ? app->attr[AT_GOOD] : A_NORMAL);
			}
		}
		y += per;
	}

	/* The inventories and what the rules found in them. */
	snprintf(buf, sizeof(buf), "%s %s · %s %s · %s %s", _("apps"), fmt_count(d->ov.inv[INV_APPS].rows, n1),
		 _("accounts"), fmt_count(d->ov.inv[INV_ACCOUNTS].rows, n2), _("groups"),
		 fmt_count(d->ov.inv[INV_GROUPS].rows, n3));
	labelled(app, y++, lw, labels[2], buf, A_NORMAL);
	if (!a->scored) {
		labelled(app, y++, lw, labels[3], _("not scored yet"), app->attr[AT_DIM]);
	} else {
		sev_line(buf, sizeof(buf), d->ov.violated);
		labelled(app, y++, lw, labels[3], buf, d->ov.violated[SEV_HIGH] ? app->attr[AT_BAD] : A_NORMAL);
		sev_line(buf, sizeof(buf), d->ov.unknown);
		labelled(app, y++, lw, labels[4], buf, A_NORMAL);
		/* Violations by the campaign's four problem types. */
		buf[0] = '\0';
		for (int t = 0; t < PT_COUNT; t++) {
			size_t l = strlen(buf);

			snprintf(buf + l, sizeof(buf) - l, "%s%s %s", t ? " · " : "", problem_type_label(t),
				 fmt_count(d->types[t].violated, n1));
		}
		labelled(app, y++, lw, labels[11], buf, A_NORMAL);
	}
	if (want_ledger)
		draw_ledger(app, d, y++, lw, labels[5]);
	if (want_subs)
		draw_subs(app, d, &y, lw, labels[6], want_subs > 1 ? labels[7] : NULL);
	/* The rows left over show the open rectifications due first. */
	for (size_t i = 0; want_ledger && i < d->ov.ndue && y < top + height; i++, y++) {
		const struct rect_due *u = &d->ov.due[i];
		char what[64];

		if (u->target == RT_FINDING)
			snprintf(what, sizeof(what), "%s", u->subject_id ? u->subject_id : "");
		else if (u->target == RT_ITEM)
			snprintf(what, sizeof(what), _("item %s"), u->item ? u->item : "");
		else
			snprintf(what, sizeof(what), _("article %d"), u->article);
		snprintf(buf, sizeof(buf), "%s%s #%lld %s · %s", u->overdue ? "!" : " ", u->deadline, u->id, what,
			 u->measure ? u->measure : "");
		if (!i)
			tui_cell(y, 1, labels[8], lw, 0, app->attr[AT_BOLD]);
		tui_cell(y, 2 + lw, buf, app->cols - lw - 3, 0, u->overdue ? app->attr[AT_BAD] : A_NORMAL);
	}
	/* Rows still left (a tall screen) list the items nobody answered
	 * and the rules propose nothing for: what the inspector does next. */
	if (y < top + height - 1)
		y++;
	for (size_t i = 0, shown = 0; i < cl->nitems && y < top + height; i++) {
		const struct item_status *s = &a->items[i];

		if (s->answer != VERDICT_NONE || s->proposal != VERDICT_NONE)
			continue;
		if (!shown++)
			tui_cell(y, 1, labels[10], lw, 0, app->attr[AT_BOLD]);
		snprintf(buf, sizeof(buf), "%-5s %s", cl->items[i].id, cl->items[i].question);
		tui_cell(y++, 2 + lw, buf, app->cols - lw - 3, 0, A_NORMAL);
	}
}

static int dash_key(struct app *app, struct view *v, enum request req, int key)
{
	struct dash *d = v->state;
	int n = (int)app->ws->cl->narticles;

	(void)key;
	switch (req) {
	case REQ_UP: if (d->cursor > 0) d->cursor--; return 1;
	case REQ_DOWN: if (d->cursor < n - 1) d->cursor++; return 1;
	case REQ_PAGE_UP: d->cursor = d->cursor >= 8 ? d->cursor - 8 : 0; return 1;
	case REQ_PAGE_DOWN: d->cursor = d->cursor + 8 < n ? d->cursor + 8 : n - 1; return 1;
	case REQ_FIRST: d->cursor = 0; return 1;
	case REQ_LAST: d->cursor = n - 1; return 1;
	case REQ_ENTER:
		tui_walk_article(app, d->cursor + 1);
		return 1;
	case REQ_ACCEPT_ARTICLE:
		tui_confirm_proposals(app, app->ws->cl->articles[d->cursor].no);
		return 1;
	case REQ_ACCEPT_ALL:
		tui_confirm_proposals(app, 0);
		return 1;
	case REQ_VIEW_CHECKLIST:
		/* The walk resumes where it was left: the checklist view
		 * opens at the saved position by itself. */
		return 0;
	default:
		return 0;
	}
}

/* Above the unit level the dashboard's first errand is what the units
 * sent: its hint names the submissions before the inventories. */
static const struct tui_hint above_hints = {
	N_("%s article · %s submissions · %s checklist · %s findings · %s ledger · %s quit · %s help"),
	{ HINT_KEY(REQ_ENTER), HINT_KEY(REQ_VIEW_SUBMISSIONS), HINT_KEY(REQ_VIEW_CHECKLIST), HINT_KEY(REQ_VIEW_FINDINGS),
	  HINT_KEY(REQ_VIEW_LEDGER), HINT_KEY(REQ_BACK), HINT_KEY(REQ_HELP) },
};

static const struct tui_hint *dash_mode_hints(struct app *app, struct view *v)
{
	const struct dash *d = v->state;

	return d && app->ws->level > LEVEL_UNIT && d->has_subs ? &above_hints : NULL;
}

const struct view_ops tui_dashboard_ops = {
	.name = "dashboard",
	.title = N_("Dashboard"),
	.hints = { N_("%s article · %s checklist · %s inventories · %s findings · %s ledger · %s quit · %s help"),
		   { HINT_KEY(REQ_ENTER), HINT_KEY(REQ_VIEW_CHECKLIST), HINT_KEY(REQ_VIEW_INVENTORY), HINT_KEY(REQ_VIEW_FINDINGS),
			HINT_KEY(REQ_VIEW_LEDGER), HINT_KEY(REQ_BACK), HINT_KEY(REQ_HELP) } },
	.keymap = KM_DASHBOARD,
	.open = dash_open,
	.draw = dash_draw,
	.key = dash_key,
	.reload = dash_reload,
	.done = dash_done,
	.mode_hints = dash_mode_hints,
};
