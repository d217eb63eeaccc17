/* The rectification ledger (整改台账): every rectification in a table with
 * its status, overdue and ready-for-verification markers and what fixing it
 * would gain; a pane with the selected one, and on Enter its whole history
 * and the state of its evidence.  Every change is one call of
 * core/rectify.h (its own transaction, with the audit log), and a refusal
 * from core is a message on the status line.
 *
 * rectify_list computes each row's gain, so the list is read whole when
 * the view opens, a filter changes or R is pressed, and one row by id
 * after a change to it. */
#include "tui/app.h"

#include <stdlib.h>
#include <string.h>

#include "core/inventory.h"
#include "core/rectify.h"
#include "util/i18n.h"
#include "util/when.h"
#include "util/parse.h"
#include "util/utf8.h"

enum { C_ID, C_STATUS, C_FLAG, C_ART, C_TARGET, C_MEASURE, C_OWNER, C_DEADLINE, C_GAIN, NCOLS };

/* The selected rectification, below the table: a row more on a narrow
 * screen, where a next step ("5.4 不符合→基本符合：需整改5个违反对象中的1个
 * （总分+1.67）") takes two lines rather than lose its end. */
#define PANE_ROWS(app) ((app)->cols < 80 ? 5 : 4)

struct ledger {
	struct rect_rows rows;		/* core/rectify.h: owned, by id */
	struct rect_filter f;
	size_t cursor;
	size_t top;
	int page_rows;
	long long want_id;		/* put the cursor here after the next read */
	int detail;			/* the history pane has the screen */
	int detail_top;
	struct tui_pane pane;		/* the history pane of row pane_id */
	long long pane_id;
	struct tui_col tc[NCOLS];
};

static void forget_detail(struct ledger *s)
{
	tui_pane_release(&s->pane);
	s->pane_id = 0;
}

static const struct rect_row *current(struct ledger *s)
{
	return s->rows.n ? &s->rows.v[s->cursor] : NULL;
}

/* Reads the rows matching the filter; the cursor stays on the same
 * rectification when it is still listed.  The old rows stay on failure. */
static void load(struct app *app, struct ledger *s)
{
	struct rect_rows rs;
	struct zj_error err;
	long long keep = s->want_id ? s->want_id : current(s) ? current(s)->id : 0;

	if (rectify_rows(app->db, app->ws, &s->f, &rs, &err) < 0) {
		tui_error(app, "%s", err.msg);
		return;
	}
	rect_rows_release(&s->rows);
	s->rows = rs;
	s->cursor = 0;
	for (size_t i = 0; i < s->rows.n; i++)
		if (s->rows.v[i].id == keep) {
			s->cursor = i;
			break;
		}
	s->want_id = 0;
	forget_detail(s);
}

/* Re-reads one row after a change.  It stays in the list even if it no
 * longer matches the filter: rows do not vanish under the cursor; the next
 * change of filter or R drops it. */
static void reload_row(struct app *app, struct ledger *s, long long id)
{
	struct zj_error err;

	if (rectify_rows_refresh(app->db, app->ws, &s->rows, id, &err) < 0)
		tui_error(app, "%s", err.msg);
	forget_detail(s);
	tui_reload_view(app, VIEW_DASHBOARD);
}

/* ---- words ---- */


static const char *flag_text(const struct rect_row *r)
{
	return r->overdue ? _("OVERDUE") : r->ready && r->status != RS_VERIFIED && r->status != RS_CANCELLED
		? _("ready") : "";
}

static attr_t status_attr(struct app *app, enum rect_status st)
{
	switch (st) {
	case RS_IN_PROGRESS: return app->attr[AT_WARN];
	case RS_DONE: case RS_VERIFIED: return app->attr[AT_GOOD];
	case RS_CANCELLED: return app->attr[AT_DIM];
	default: return A_NORMAL;
	}
}

static const char *status_filter_name(int st)
{
	return st < 0 ? _("all") : rect_status_label((enum rect_status)st);
}


static const char *status_word(const char *key)
{
	int st = key ? rect_status_parse(key) : -1;

	return st >= 0 ? rect_status_label((enum rect_status)st) : key ? key : "";
}

/* ---- the history pane ---- */

/* What rectify_events and rectify_evidence add to. */
struct dl_build {
	struct app *app;
	struct tui_pane *p;
};

static int add_event(void *ctx, const struct rect_event *e)
{
	struct dl_build *b = ctx;
	char date[16] = "", text[2048], local[WHEN_TIME_SIZE];
	const char *time = "";
	int n;

	/* Stored in UTC, read in local time: "2026-06-30 16:15 +0800", the
	 * date as the label, then the time with its zone. */
	if (e->at) {
		when_local(e->at, 0, local);
		snprintf(date, sizeof(date), "%.10s", local);
		if (strlen(local) > 11 && local[10] == ' ')
			time = local + 11;
	}
	n = snprintf(text, sizeof(text), "%s %s · %s", time, e->by ? e->by : "", rect_event_label(e->kind));
	if ((e->from_status || e->to_status) && n > 0 && (size_t)n < sizeof(text))
		n += snprintf(text + n, sizeof(text) - (size_t)n, " %s%s→ %s", status_word(e->from_status),
			      e->from_status ? " " : "", status_word(e->to_status));
	if (e->text && *e->text && n > 0 && (size_t)n < sizeof(text))
		snprintf(text + n, sizeof(text) - (size_t)n, _(": %s"), e->text);
	tui_pane_add(b->p, date, text, e->kind && !strcmp(e->kind, "reopened") ? b->app->attr[AT_BAD] : A_NORMAL, 0);
	return 0;
}

static int add_evidence(void *ctx, const struct rect_evidence *e)
{
	struct dl_build *b = ctx;
	char text[2048];
	int ok = !strcmp(e->state, "ok");

	char local[WHEN_TIME_SIZE];

	snprintf(text, sizeof(text), _("%s · %lld bytes · sha256 %.16s… · recorded %.10s"), e->path, e->size,
		 e->sha256, when_local(e->added_at, 0, local));
	tui_pane_add(b->p, ok ? _("unchanged") : !strcmp(e->state, "changed") ? _("CHANGED") : _("MISSING"), text,
		 ok ? b->app->attr[AT_GOOD] : b->app->attr[AT_BAD], 0);
	return 0;
}

static void build_detail(struct app *app, struct ledger *s, const struct rect_row *r)
{
	struct dl_build b = { app, &s->pane };
	const struct cl_article *art = checklist_article(app->ws->cl, r->article);
	struct zj_error err;
	char buf[2048], g[24];
	size_t nev;

	forget_detail(s);
	rect_describe(r->target, r->subject_id, r->subject_name, r->rule, r->item, r->article, buf, sizeof(buf));
	if (r->target == RT_FINDING && r->inventory) {
		const struct inventory *inv = inventory_by_name(r->inventory);
		const char *names[INV_COUNT] = { _("apps"), _("accounts"), _("groups") };
		size_t l = strlen(buf);

		snprintf(buf + l, sizeof(buf) - l, " (%s)", inv ? names[inv->kind] : r->inventory);
	}
	tui_pane_add(&s->pane, _("Target"), buf, A_NORMAL, 0);
	snprintf(buf, sizeof(buf), "%d %s", r->article, art ? art->title : "");
	tui_pane_add(&s->pane, _("Article"), buf, A_NORMAL, 0);
	tui_pane_add(&s->pane, _("Measure"), r->measure, A_NORMAL, 0);
	rect_status_text(r->status, buf, sizeof(buf));
	tui_pane_add(&s->pane, _("Status"), buf, status_attr(app, r->status), 0);
	if (r->ready && r->status != RS_VERIFIED && r->status != RS_CANCELLED)
		tui_pane_add(&s->pane, "", _("the last score no longer finds the violation: ready for verification"),
			 app->attr[AT_GOOD], 0);
	if (r->cancel_reason)
		tui_pane_add(&s->pane, _("Cancelled"), r->cancel_reason, app->attr[AT_DIM], 0);
	tui_pane_add(&s->pane, _("Unit"), r->unit ? r->unit : "—", r->unit ? A_NORMAL : app->attr[AT_DIM], 0);
	tui_pane_add(&s->pane, _("Owner"), r->owner ? r->owner : "—", r->owner ? A_NORMAL : app->attr[AT_DIM], 0);
	if (r->overdue)
		snprintf(buf, sizeof(buf), _("%s — OVERDUE (today is %s)"), r->deadline ? r->deadline : "",
			 app->ws->today);
	else
		snprintf(buf, sizeof(buf), "%s", r->deadline ? r->deadline : "—");
	tui_pane_add(&s->pane, _("Deadline"), buf,
		 r->overdue ? app->attr[AT_BAD] : r->deadline ? A_NORMAL : app->attr[AT_DIM], 0);
	snprintf(buf, sizeof(buf), _("%s points of the total if fixed"), rect_gain_text(r->gain, g));
	tui_pane_add(&s->pane, _("Gain"), buf, A_NORMAL, 0);
	if (*r->next_full)
		tui_pane_add(&s->pane, _("Next step"), r->next_full, app->attr[AT_GOOD], 0);

	tui_pane_add(&s->pane, _("History, oldest first"), NULL, A_NORMAL, 1);
	if (rectify_events(app->db, r->id, add_event, &b, &err) < 0)
		tui_pane_add(&s->pane, "", err.msg, app->attr[AT_BAD], 0);
	tui_pane_add(&s->pane, _("Evidence, hashed again now"), NULL, A_NORMAL, 1);
	nev = s->pane.n;
	if (rectify_evidence(app->db, r->id, add_evidence, &b, &err) < 0)
		tui_pane_add(&s->pane, "", err.msg, app->attr[AT_BAD], 0);
	else if (s->pane.n == nev) {
		char k[32];

		snprintf(buf, sizeof(buf), _("none recorded (%s records a file)"),
			 tui_key_names(KM_LEDGER, REQ_ADD_EVIDENCE, k, sizeof(k)));
		tui_pane_add(&s->pane, "", buf, app->attr[AT_DIM], 0);
	}
	if (s->pane.oom)
		tui_error(app, "%s", _("out of memory"));
	s->pane_id = r->id;
}

/* ---- opening and closing ---- */

static int ledger_open(struct app *app, struct view *v)
{
	struct ledger *s = calloc(1, sizeof(*s));

	if (!s) {
		tui_error(app, "%s", _("out of memory"));
		return -1;
	}
	v->state = s;
	s->f = (struct rect_filter){ .status = -1 };
	/* Target and measure take the spare width; the article gives way
	 * first, then gain, owner and measure (the pane shows them all). */
	s->tc[C_ID] = (struct tui_col){ _("ID"), 2, 7, 0, 1, 0, 0 };
	s->tc[C_STATUS] = (struct tui_col){ _("Status"), 6, 8, 0, 0, 0, 0 };
	/* OVERDUE or ready: headed, so the word under it reads as a state. */
	s->tc[C_FLAG] = (struct tui_col){ _("Alert"), 5, 12, 0, 0, 0, 0 };
	s->tc[C_ART] = (struct tui_col){ _("Art."), 3, 4, 0, 1, 5, 0 };
	s->tc[C_TARGET] = (struct tui_col){ _("Target"), 14, 40, 2, 0, 0, 0 };
	s->tc[C_MEASURE] = (struct tui_col){ _("Measure"), 12, 300, 3, 0, 2, 0 };
	s->tc[C_OWNER] = (struct tui_col){ _("Owner"), 6, 12, 1, 0, 3, 0 };
	s->tc[C_DEADLINE] = (struct tui_col){ _("Deadline"), 10, 10, 0, 0, 1, 0 };
	/* Wide enough for a next step ("3.1→符合 3/3"): cut to "8.2→…" it
	 * says nothing, and the pane shows it whole when the column drops. */
	s->tc[C_GAIN] = (struct tui_col){ _("Gain"), 12, 18, 1, 0, 4, 0 };
	load(app, s);
	return 0;
}

static void ledger_done(struct app *app, struct view *v)
{
	struct ledger *s = v->state;

	(void)app;
	if (!s)
		return;
	rect_rows_release(&s->rows);
	forget_detail(s);
	free(s);
	v->state = NULL;
}

static void ledger_reload(struct app *app, struct view *v)
{
	load(app, v->state);
}

/* ---- drawing ---- */

static void fit_columns(struct app *app, struct ledger *s)
{
	char buf[32];
	int w;

	for (int c = 0; c < NCOLS; c++) {
		int tw = (int)utf8_width(s->tc[c].title);

		if (s->tc[c].min < tw)
			s->tc[c].min = tw;
	}
	for (int st = 0; st < RS_COUNT; st++)
		if ((int)utf8_width(rect_status_label((enum rect_status)st)) > s->tc[C_STATUS].min)
			s->tc[C_STATUS].min = (int)utf8_width(rect_status_label((enum rect_status)st));
	if ((int)utf8_width(_("OVERDUE")) > s->tc[C_FLAG].min)
		s->tc[C_FLAG].min = (int)utf8_width(_("OVERDUE"));
	if ((int)utf8_width(_("ready")) > s->tc[C_FLAG].min)
		s->tc[C_FLAG].min = (int)utf8_width(_("ready"));
	/* The ids as wide as the largest, with room for the '!' marker. */
	w = snprintf(buf, sizeof(buf), "!%lld", s->rows.n ? s->rows.v[s->rows.n - 1].id : 1);
	if (w > s->tc[C_ID].min)
		s->tc[C_ID].min = w < s->tc[C_ID].max ? w : s->tc[C_ID].max;
	tui_table_layout(s->tc, NCOLS, app->cols);
}

/* The separator after text: "·" hugs a closing full-width bracket, whose
 * glyph has its own space, as the catalogue writes "（s）· ". */
static const char *sep_after(const char *text)
{
	size_t n = strlen(text);

	return n >= 3 && !strcmp(text + n - 3, "）") ? "· " : " · ";
}

static void draw_filters(struct app *app, struct ledger *s, int y)
{
	char buf[512], k1[16], k2[16], n1[32], n2[32];
	long long overdue = 0;

	for (size_t i = 0; i < s->rows.n; i++)
		overdue += s->rows.v[i].overdue;
	/* Overdue is judged against today, and the line says so.  When
	 * narrow, a filter that is off goes first, then the date, before
	 * anything is cut ("122 overd…" at 60 columns); a filter that is on
	 * always shows. */
	snprintf(buf, sizeof(buf), _("status %s (%s) · %s (%s) · %s listed, %s overdue (today %s)"),
		 status_filter_name(s->f.status), tui_key_names(KM_LEDGER, REQ_CYCLE_STATUS, k1, sizeof(k1)),
		 s->f.overdue_only ? _("deadline overdue") : _("deadline all"),
		 tui_key_names(KM_LEDGER, REQ_TOGGLE_OVERDUE, k2, sizeof(k2)), fmt_count((long long)s->rows.n, n1),
		 fmt_count(overdue, n2), app->ws->today);
	for (int step = 1; step <= 4 && (int)utf8_width(buf) > app->cols - 2; step++) {
		int n = 0;

		buf[0] = '\0';
		if (s->f.status >= 0) {
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%s", _("status"));
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, " %s", status_filter_name(s->f.status));
			if (step < 4)
				n += snprintf(buf + n, sizeof(buf) - (size_t)n, _(" (%s)"), k1);
		}
		if (s->f.overdue_only || step < 2) {
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%s%s", n ? sep_after(buf) : "",
				      s->f.overdue_only ? _("deadline overdue") : _("deadline all"));
			if (step < 4)
				n += snprintf(buf + n, sizeof(buf) - (size_t)n, _(" (%s)"), k2);
		}
		if (n)
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%s", sep_after(buf));
		if (step < 3)
			snprintf(buf + n, sizeof(buf) - (size_t)n, _("%s listed, %s overdue (today %s)"),
				 fmt_count((long long)s->rows.n, n1), fmt_count(overdue, n2), app->ws->today);
		else
			snprintf(buf + n, sizeof(buf) - (size_t)n, _("%s listed, %s overdue"),
				 fmt_count((long long)s->rows.n, n1), fmt_count(overdue, n2));
	}
	tui_text_fit(y, 1, buf, app->cols - 2, overdue ? app->attr[AT_WARN] : A_NORMAL);
}

static void draw_row(struct app *app, struct ledger *s, int y, const struct rect_row *r, int selected)
{
	const char *cells[NCOLS];
	attr_t cattr[NCOLS], bad = r->overdue ? app->attr[AT_BAD] : 0;
	char id[32], art[16], what[1024], g[24];

	snprintf(id, sizeof(id), "%s%lld", r->overdue ? "!" : "", r->id);
	snprintf(art, sizeof(art), "%d", r->article);
	rect_describe(r->target, r->subject_id, r->subject_name, r->rule, r->item, r->article, what, sizeof(what));
	cells[C_ID] = id;
	cells[C_STATUS] = rect_status_label(r->status);
	cells[C_FLAG] = flag_text(r);
	cells[C_ART] = art;
	cells[C_TARGET] = what;
	cells[C_MEASURE] = r->measure;
	cells[C_OWNER] = r->owner;
	cells[C_DEADLINE] = r->deadline;
	/* A gain is often +0.00: then the item's next step says more. */
	cells[C_GAIN] = r->gain < 0.005 && *r->next ? r->next : rect_gain_text(r->gain, g);
	/* An overdue row is red (bold without colours) from end to end, and
	 * says so in words and with '!' before its id. */
	for (int c = 0; c < NCOLS; c++)
		cattr[c] = bad;
	if (!r->overdue) {
		cattr[C_STATUS] = status_attr(app, r->status);
		cattr[C_FLAG] = app->attr[AT_GOOD] | A_BOLD;
		cattr[C_GAIN] = r->gain > 0 ? app->attr[AT_GOOD] : app->attr[AT_DIM];
	} else {
		cattr[C_FLAG] = bad | A_BOLD;
	}
	tui_table_row(app, y, s->tc, NCOLS, cells, cattr, selected ? app->attr[AT_SELECT] : A_NORMAL);
}

/* The selected rectification, below the table. */
static void draw_pane(struct app *app, const struct rect_row *r, int y, int height)
{
	const struct cl_article *art = checklist_article(app->ws->cl, r->article);
	char buf[2048], what[1024], g[24], next[512];
	int n, said_next, avail = height - 2, nl = 0;

	tui_fill(y, 0, app->cols, app->attr[AT_HEADER]);
	rect_describe(r->target, r->subject_id, r->subject_name, r->rule, r->item, r->article, what, sizeof(what));
	snprintf(buf, sizeof(buf), _("#%lld %s · %s · article %d %s"), r->id, rect_status_label(r->status), what,
		 r->article, art ? art->title : "");
	/* Too wide, the article goes whole rather than read "突出便捷". */
	tui_text_fit(y, 1, buf, app->cols - 2, app->attr[AT_HEADER]);
	/* A gain of +0.00 says little: the item's next step says what fixing
	 * would change, whole, on the rows below the measure's first (the
	 * measure is whole in the detail, Enter). */
	if (*r->next_full) {
		snprintf(next, sizeof(next), _("next step: %s"), r->next_full);
		nl = tui_wrapped(y, 1, next, app->cols - 2, 0, 0, A_NORMAL);
		if (nl > avail - 1)
			nl = avail - 1;
	}
	n = tui_wrapped(y + 1, 1, r->measure ? r->measure : "", app->cols - 2, 0, avail - nl, A_NORMAL);
	said_next = nl > 0;
	if (said_next) {
		int used = n < 1 ? 1 : n > avail - nl ? avail - nl : n;

		tui_wrapped(y + 1 + used, 1, next, app->cols - 2, 0, nl, app->attr[AT_GOOD]);
	}
	/* What matters most first: a narrow screen cuts the end. */
	n = 0;
	if (r->overdue)
		n = snprintf(buf, sizeof(buf), "! %s · ", _("OVERDUE"));
	else if (r->ready && r->status != RS_VERIFIED && r->status != RS_CANCELLED)
		n = snprintf(buf, sizeof(buf), "%s · ", _("ready for verification"));
	/* +0.00, or the gain the next step above already says: not again. */
	if (said_next && (r->gain < 0.005 || (r->next_step.found && r->gain - r->next_step.gain < 0.005 &&
					      r->next_step.gain - r->gain < 0.005)))
		snprintf(buf + n, sizeof(buf) - (size_t)n, _("deadline %s · owner %s · unit %s"),
			 r->deadline ? r->deadline : "—", r->owner ? r->owner : "—", r->unit ? r->unit : "—");
	else
		snprintf(buf + n, sizeof(buf) - (size_t)n, _("deadline %s · owner %s · unit %s · gain %s"),
			 r->deadline ? r->deadline : "—", r->owner ? r->owner : "—", r->unit ? r->unit : "—",
			 rect_gain_text(r->gain, g));
	/* Pieces that do not fit go whole ("gain…" said nothing). */
	tui_text_fit(y + height - 1, 1, buf, app->cols - 2, r->overdue ? app->attr[AT_BAD] : A_NORMAL);
}

static void draw_detail(struct app *app, struct ledger *s, const struct rect_row *r, int y, int height)
{
	char buf[512];

	if (s->pane_id != r->id)
		build_detail(app, s, r);
	tui_fill(y, 0, app->cols, app->attr[AT_HEADER]);
	snprintf(buf, sizeof(buf), _("rectification #%lld · %s%s%s"), r->id, rect_status_label(r->status),
		 *flag_text(r) ? " · " : "", flag_text(r));
	tui_text(y, 1, buf, app->cols - 2, app->attr[AT_HEADER] | (r->overdue ? app->attr[AT_BAD] : 0));
	tui_pane_draw(app, &s->pane, y + 1, height - 1, &s->detail_top, SIZE_MAX, NULL);
}

static void ledger_draw(struct app *app, struct view *v, int top, int height)
{
	struct ledger *s = v->state;
	const char *cells[NCOLS];
	int rows;

	if (s->detail && s->rows.n) {
		draw_detail(app, s, current(s), top, height);
		return;
	}
	s->detail = 0;
	draw_filters(app, s, top);
	fit_columns(app, s);
	for (int c = 0; c < NCOLS; c++)
		cells[c] = s->tc[c].title;
	tui_table_row(app, top + 1, s->tc, NCOLS, cells, NULL, app->attr[AT_HEADER]);
	rows = height - 2 - PANE_ROWS(app);
	s->page_rows = rows;
	if (!s->rows.n) {
		char k[16];
		char buf[512];

		if (s->f.status >= 0 || s->f.overdue_only)
			snprintf(buf, sizeof(buf), _("no rectifications match the filters (%s clears them)"),
				 tui_key_names(KM_LEDGER, REQ_CLEAR_FILTERS, k, sizeof(k)));
		else
			snprintf(buf, sizeof(buf), "%s",
				 _("no rectifications yet: press + on a finding (F) or a subject's finding (I), "
				   "or run 'zhijian rectify plan --apply'"));
		tui_wrapped(top + 2, 2, buf, app->cols - 4, 0, rows, app->attr[AT_DIM]);
		return;
	}
	if (s->cursor < s->top)
		s->top = s->cursor;
	if (rows > 0 && s->cursor >= s->top + (size_t)rows)
		s->top = s->cursor - (size_t)rows + 1;
	for (int i = 0; i < rows && s->top + (size_t)i < s->rows.n; i++)
		draw_row(app, s, top + 2 + i, &s->rows.v[s->top + (size_t)i], s->top + (size_t)i == s->cursor);
	draw_pane(app, current(s), top + height - PANE_ROWS(app), PANE_ROWS(app));
}

/* ---- changes ---- */

static void set_status(struct app *app, struct ledger *s, enum rect_status to)
{
	const struct rect_row *r = current(s);
	struct rect_change c = { .status = (int)to };
	struct zj_error err;
	char *reason = NULL;
	enum rect_status from;
	long long id;

	if (!r) {
		tui_message(app, "%s", _("the ledger shows no rectification"));
		return;
	}
	id = r->id;
	from = r->status;
	/* A reason is asked for only where cancelling can be allowed: from a
	 * final status (verified, cancelled) core's refusal comes first. */
	if (to == RS_CANCELLED && from != RS_VERIFIED && from != RS_CANCELLED) {
		char title[256];
		struct tui_edit_opts o = { title, NULL, 3, 500 };

		snprintf(title, sizeof(title), _("Why is rectification #%lld cancelled? (required; Esc keeps it)"), id);
		if (tui_edit(app, &o, &reason) <= 0) {
			tui_message(app, _("rectification #%lld not cancelled"), id);
			return;
		}
		if (!*reason) {
			free(reason);
			tui_error(app, _("rectification #%lld not cancelled: cancelling needs a reason"), id);
			return;
		}
		c.reason = reason;
	}
	if (rectify_update(app->db, app->ws, id, &c, &err) < 0) {
		tui_error(app, "%s", err.msg);
	} else {
		tui_message(app, _("rectification #%lld: %s → %s"), id, rect_status_label(from),
			    rect_status_label(to));
		reload_row(app, s, id);
	}
	free(reason);
}

/* Edits one field of the selected rectification in the line editor and
 * saves it through rectify_update. */
static void edit_field(struct app *app, struct ledger *s, enum request req)
{
	const struct rect_row *r = current(s);
	struct rect_change c = { .status = -1 };
	struct tui_edit_opts o = { NULL, NULL, 1, 200 };
	struct zj_error err;
	char title[512], *text = NULL, *retry = NULL, date[11];
	const char *ev[2] = { NULL, NULL }, *done;
	long long id;

	if (!r) {
		tui_message(app, "%s", _("the ledger shows no rectification"));
		return;
	}
	id = r->id;
	o.title = title;
	switch (req) {
	case REQ_PROGRESS_NOTE:
		snprintf(title, sizeof(title), _("Progress note for #%lld (dated, with your user name):"), id);
		o.lines = 3;
		o.max_chars = 1000;
		break;
	case REQ_SET_DEADLINE:
		snprintf(title, sizeof(title), _("Deadline for #%lld (YYYY-MM-DD):"), id);
		o.initial = r->deadline;
		o.max_chars = 20;
		break;
	case REQ_SET_OWNER:
		snprintf(title, sizeof(title), _("Responsible person for #%lld (empty for none):"), id);
		o.initial = r->owner;
		break;
	case REQ_SET_UNIT:
		snprintf(title, sizeof(title), _("Responsible unit for #%lld (empty for none):"), id);
		o.initial = r->unit;
		break;
	case REQ_SET_MEASURE:
		snprintf(title, sizeof(title), _("Measure for #%lld:"), id);
		o.initial = r->measure;
		o.lines = 3;
		o.max_chars = 1000;
		break;
	case REQ_ADD_EVIDENCE:
		snprintf(title, sizeof(title), _("Evidence file for #%lld (a path; its SHA-256 is recorded):"), id);
		o.max_chars = 1000;
		break;
	default:
		return;
	}
	for (;;) {
		const char *why;

		if (tui_edit(app, &o, &text) <= 0) {
			tui_message(app, _("rectification #%lld unchanged"), id);
			free(retry);
			return;
		}
		if (req != REQ_SET_DEADLINE || parse_date(text, strlen(text), date, &why) > 0)
			break;
		/* Asked again with what was typed, until it is a date or Esc. */
		snprintf(title, sizeof(title), _("not a date; deadline for #%lld (YYYY-MM-DD):"), id);
		free(retry);
		o.initial = retry = text;
		text = NULL;
	}
	free(retry);
	switch (req) {
	case REQ_PROGRESS_NOTE:
		if (!*text) {
			free(text);
			tui_message(app, _("rectification #%lld unchanged: the note was empty"), id);
			return;
		}
		c.note = text;
		done = _("note added");
		break;
	case REQ_SET_DEADLINE:
		if (r->deadline && !strcmp(r->deadline, date)) {
			free(text);
			tui_message(app, _("rectification #%lld unchanged"), id);
			return;
		}
		c.deadline = date;
		done = _("deadline changed");
		break;
	case REQ_SET_OWNER:
	case REQ_SET_UNIT:
	case REQ_SET_MEASURE: {
		const char *old = req == REQ_SET_OWNER ? r->owner : req == REQ_SET_UNIT ? r->unit : r->measure;

		if (!strcmp(old ? old : "", text)) {
			free(text);
			tui_message(app, _("rectification #%lld unchanged"), id);
			return;
		}
		if (req == REQ_SET_OWNER)
			c.owner = text, done = _("responsible person changed");
		else if (req == REQ_SET_UNIT)
			c.unit = text, done = _("responsible unit changed");
		else
			c.measure = text, done = _("measure changed");
		break;
	}
	default:
		if (!*text) {
			free(text);
			tui_message(app, _("rectification #%lld unchanged"), id);
			return;
		}
		ev[0] = text;
		c.evidence = ev;
		done = _("evidence recorded");
		break;
	}
	if (rectify_update(app->db, app->ws, id, &c, &err) < 0) {
		tui_error(app, "%s", err.msg);
	} else {
		tui_message(app, _("rectification #%lld: %s"), id, done);
		reload_row(app, s, id);
	}
	free(text);
}

static void move_to(struct ledger *s, long long pos)
{
	if (!s->rows.n)
		return;
	if (pos < 0)
		pos = 0;
	if (pos >= (long long)s->rows.n)
		pos = (long long)s->rows.n - 1;
	s->cursor = (size_t)pos;
}

static int ledger_key(struct app *app, struct view *v, enum request req, int key)
{
	struct ledger *s = v->state;
	int page = s->page_rows > 1 ? s->page_rows : 1;

	(void)key;
	if (s->detail) {
		switch (req) {
		case REQ_UP: if (s->detail_top > 0) s->detail_top--; return 1;
		case REQ_DOWN: s->detail_top++; return 1;
		case REQ_PAGE_UP: s->detail_top = s->detail_top > 10 ? s->detail_top - 10 : 0; return 1;
		case REQ_PAGE_DOWN: s->detail_top += 10; return 1;
		case REQ_FIRST: s->detail_top = 0; return 1;
		case REQ_LAST: s->detail_top = 1 << 20; return 1;
		case REQ_BACK: case REQ_ENTER: s->detail = 0; s->detail_top = 0; return 1;
		default: break;
		}
	}
	switch (req) {
	case REQ_UP: move_to(s, (long long)s->cursor - 1); return 1;
	case REQ_DOWN: move_to(s, (long long)s->cursor + 1); return 1;
	case REQ_PAGE_UP: move_to(s, (long long)s->cursor - page); return 1;
	case REQ_PAGE_DOWN: move_to(s, (long long)s->cursor + page); return 1;
	case REQ_FIRST: move_to(s, 0); return 1;
	case REQ_LAST: move_to(s, (long long)s->rows.n - 1); return 1;
	case REQ_ENTER:
		if (s->rows.n) {
			s->detail = 1;
			s->detail_top = 0;
			forget_detail(s);	/* the evidence is hashed again */
		}
		return 1;
	case REQ_CYCLE_STATUS:
		s->f.status = s->f.status + 1 >= RS_COUNT ? -1 : s->f.status + 1;
		s->detail = 0;
		load(app, s);
		return 1;
	case REQ_TOGGLE_OVERDUE:
		s->f.overdue_only = !s->f.overdue_only;
		s->detail = 0;
		load(app, s);
		return 1;
	case REQ_CLEAR_FILTERS:
		s->f.status = -1;
		s->f.overdue_only = 0;
		s->detail = 0;
		load(app, s);
		return 1;
	case REQ_STATUS_PENDING: set_status(app, s, RS_PENDING); return 1;
	case REQ_STATUS_IN_PROGRESS: set_status(app, s, RS_IN_PROGRESS); return 1;
	case REQ_STATUS_DONE: set_status(app, s, RS_DONE); return 1;
	case REQ_STATUS_VERIFIED: set_status(app, s, RS_VERIFIED); return 1;
	case REQ_STATUS_CANCELLED: set_status(app, s, RS_CANCELLED); return 1;
	case REQ_PROGRESS_NOTE:
	case REQ_SET_DEADLINE:
	case REQ_SET_OWNER:
	case REQ_SET_UNIT:
	case REQ_SET_MEASURE:
	case REQ_ADD_EVIDENCE:
		edit_field(app, s, req);
		return 1;
	default:
		return 0;
	}
}

static void ledger_where(struct app *app, struct view *v, char *buf, size_t size)
{
	struct ledger *s = v->state;
	char a[32], b[32];

	(void)app;
	if (!s->rows.n)
		return;
	snprintf(buf, size, _("%s of %s"), fmt_count((long long)s->cursor + 1, a), fmt_count((long long)s->rows.n, b));
}

/* A rectification's history (Enter): the status keys and the notes still
 * work there, Enter goes back; the list's "Enter history" would not say so. */
static const struct tui_hint detail_hints = {
	N_("%s status · %s note · %s evidence · %s back to the list · %s help"),
	{ HINT_SPAN(REQ_STATUS_PENDING, '-', REQ_STATUS_CANCELLED), HINT_KEY(REQ_PROGRESS_NOTE),
	  HINT_KEY(REQ_ADD_EVIDENCE), HINT_KEY(REQ_BACK), HINT_KEY(REQ_HELP) },
};

static const struct tui_hint *ledger_mode_hints(struct app *app, struct view *v)
{
	const struct ledger *s = v->state;

	(void)app;
	return s && s->detail && s->rows.n ? &detail_hints : NULL;
}

const struct view_ops tui_ledger_ops = {
	.name = "ledger",
	.title = N_("Rectification ledger"),
	.hints = { N_("%s status · %s note · %s deadline · %s owner · %s history · %s help"),
		   { HINT_SPAN(REQ_STATUS_PENDING, '-', REQ_STATUS_CANCELLED), HINT_KEY(REQ_PROGRESS_NOTE), HINT_KEY(REQ_SET_DEADLINE),
			HINT_KEY(REQ_SET_OWNER), HINT_KEY(REQ_ENTER), HINT_KEY(REQ_HELP) } },
	.keymap = KM_LEDGER,
	.open = ledger_open,
	.draw = ledger_draw,
	.key = ledger_key,
	.reload = ledger_reload,
	.done = ledger_done,
	.where = ledger_where,
	.mode_hints = ledger_mode_hints,
};

/* ---- creating one from a finding ---- */

long long tui_rectify_finding(struct app *app, int inv, const char *subject_id, const char *subject_name,
			      const char *rule_id, int article)
{
	struct rect_new n = { .target = RT_FINDING };
	struct zj_error err;
	enum rect_status status;
	char title[512], *measure = NULL, *suggested;
	long long id, have;
	struct view *lv = tui_view(app, VIEW_LEDGER);

	if (inv < 0 || inv >= INV_COUNT || !subject_id)
		return 0;
	have = rectify_covering(app->db, inv, subject_id, article, &status, &err);
	if (have < 0) {
		tui_error(app, "%s", err.msg);
		return 0;
	}
	if (have > 0) {
		char k[16];

		tui_message(app, _("rectification #%lld (%s) already covers %s on article %d; %s opens the ledger"),
			    have, rect_status_label(status), subject_id, article,
			    tui_key_names(KM_GENERIC, REQ_VIEW_LEDGER, k, sizeof(k)));
		return 0;
	}
	if (rectify_rule_measure(app->db, rule_id, &suggested, &err) < 0) {
		tui_error(app, "%s", err.msg);
		return 0;
	}
	snprintf(title, sizeof(title), _("Measure to rectify %s %s, article %d:"),
		 subject_id, subject_name ? subject_name : "", article);
	{
		struct tui_edit_opts o = { title, suggested, 3, 1000 };
		int rc = tui_edit(app, &o, &measure);

		free(suggested);
		if (rc <= 0) {
			tui_message(app, "%s", _("no rectification created"));
			return 0;
		}
	}
	if (!*measure) {
		free(measure);
		tui_error(app, "%s", _("no rectification created: it needs a measure"));
		return 0;
	}
	n.inventory = inventory_get((enum inv_kind)inv)->name;
	n.subject_id = subject_id;
	n.article = article;
	n.measure = measure;
	if (rectify_add(app->db, app->ws, &n, &id, &err) < 0) {
		tui_error(app, "%s", err.msg);
		free(measure);
		return 0;
	}
	{
		char k[16];

		tui_message(app, _("rectification #%lld created (%s): %s; %s opens the ledger"), id,
			    rect_status_label(RS_PENDING), measure,
			    tui_key_names(KM_GENERIC, REQ_VIEW_LEDGER, k, sizeof(k)));
	}
	free(measure);
	/* The ledger has the cursor on it when it is shown. */
	if (lv->opened) {
		((struct ledger *)lv->state)->want_id = id;
		tui_reload_view(app, VIEW_LEDGER);
	} else if (tui_view_open(app, VIEW_LEDGER) == 0) {
		struct ledger *s = lv->state;

		for (size_t i = 0; i < s->rows.n; i++)
			if (s->rows.v[i].id == id)
				s->cursor = i;
	}
	tui_reload_view(app, VIEW_DASHBOARD);
	return id;
}
