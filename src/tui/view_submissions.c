/* Submissions: what a level above unit received from the units below
 * (core/rollup.h records them), listed as `zhijian submissions` lists them,
 * with the expected units that sent nothing accepted for the workspace's
 * period as "missing".  Read-only: receiving is `zhijian merge`. */
#include "tui/app.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/rollup.h"
#include "core/submission.h"
#include "util/i18n.h"
#include "util/when.h"
#include "util/utf8.h"

static const char *status_word(enum sub_state s)
{
	switch (s) {
	case SUB_ACCEPTED: return _("accepted");
	case SUB_SUPERSEDED: return _("superseded");
	case SUB_REJECTED: return _("rejected");
	default: return _("missing");
	}
}

/* ---- the view ---- */

enum { C_ID, C_STATUS, C_UNIT, C_SCORE, C_GRADE, C_VIOL, C_OVERDUE, C_RECEIVED, C_FILE, NCOLS };

#define PANE_ROWS 3

struct subs {
	struct rollup_list l;		/* core/rollup.h */
	/* Enter on an accepted file: inside it, read-only (its figures and
	 * findings, from the data it brought). */
	int inside;
	long long inside_id;
	int inside_top;
	struct tui_pane pane;
	char err[ZJ_ERROR_MAX];		/* why it could not be read ("" when it was) */
	size_t cursor, top;
	int page_rows;
	struct tui_col tc[NCOLS];
};

/* The old list stays on failure, and the error is said. */
static void subs_reload(struct app *app, struct view *v)
{
	struct subs *s = v->state;
	struct rollup_list l;
	struct zj_error err;

	if (rollup_list_load(app->db, app->ws->period, &l, &err) < 0) {
		snprintf(s->err, sizeof(s->err), "%s", err.msg);
		tui_error(app, "%s", err.msg);
		return;
	}
	s->err[0] = '\0';
	/* What was looked inside may have moved or gone. */
	s->inside = 0;
	s->inside_id = 0;
	rollup_list_release(&s->l);
	s->l = l;
	if (s->cursor >= s->l.n)
		s->cursor = s->l.n ? s->l.n - 1 : 0;
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
	s->tc[C_UNIT] = (struct tui_col){ _("Reporting unit"), 10, 20, 1, 0, 0, 0 };
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
	rollup_list_release(&s->l);
	tui_pane_release(&s->pane);
	free(s);
	v->state = NULL;
}

/* The counts when the whole line does not fit: a count of none that is
 * not the accepted or the missing goes, so the period is not cut off
 * ("accepted 3·missing 1·rejected 1…" at 60 columns). */
static void counts_brief(struct app *app, const struct subs *s, char *buf, size_t size)
{
	static const enum sub_state order[] = { SUB_ACCEPTED, SUB_MISSING, SUB_REJECTED, SUB_SUPERSEDED };
	char n[32], one[64];
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]) && o < size; i++) {
		long long c = s->l.count[order[i]];

		if (i >= 2 && !c)
			continue;
		fmt_count(c, n);
		switch (order[i]) {
		case SUB_ACCEPTED: snprintf(one, sizeof(one), _("accepted %s"), n); break;
		case SUB_MISSING: snprintf(one, sizeof(one), _("missing %s"), n); break;
		case SUB_REJECTED: snprintf(one, sizeof(one), _("rejected %s"), n); break;
		default: snprintf(one, sizeof(one), _("superseded %s"), n); break;
		}
		o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? " · " : "", one);
	}
	if (o < size)
		snprintf(buf + o, size - o, _(" (period %s)"), app->ws->period ? app->ws->period : "—");
}

/* The columns a pane line's text has beside its label (as tui_pane_draw
 * lays them out). */
static int text_room(struct app *app)
{
	const char *labels[] = { _("File"), _("Figures"), _("Received at"), _("Signed by"), _("Certificate"), "SHA-256",
				 _("Level") };
	int lw = 0, maxlw = app->cols / 5 > 12 ? app->cols / 5 : 12;

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if ((int)utf8_width(labels[i]) > lw && (int)utf8_width(labels[i]) <= maxlw)
			lw = (int)utf8_width(labels[i]);
	return app->cols - lw - 4;
}

/* hex (ASCII) whole when it fits in room columns, else its first groups of
 * `group` characters and a separator each ("E2:4B:30:…"), then "…". */
static void abbreviate(char *out, size_t size, const char *hex, int room, int group)
{
	int len = (int)strlen(hex), keep;

	if (len <= room) {
		snprintf(out, size, "%s", hex);
		return;
	}
	keep = (room - 1) / group * group;
	if (keep < group)
		keep = group;
	if (keep > len)
		keep = len;
	if (group > 1)
		keep--;		/* "79:60:…" ends on a byte, not its ':' */
	snprintf(out, size, "%.*s…", keep, hex);
}

/* The selected entry, read as a person checks a file: what it is, when it
 * came and who signed it, and its figures, one line each. */
static void detail_lines(struct app *app, const struct rollup_entry *r, struct tui_pane *p)
{
	char buf[1024], local[WHEN_TIME_SIZE], n1[32], n2[32], n3[32], sc[16];
	int l = *r->level ? level_parse(r->level) : -1;
	const char *level = l >= 0 ? level_word((enum level)l) : r->level;

	if (!r->id) {
		snprintf(buf, sizeof(buf), "%s%s%s", level, *level ? " · " : "", _("nothing received"));
		tui_pane_add(p, _("Level"), buf, app->attr[AT_BAD], 0);
		return;
	}
	/* The file first, so a refused one can be found and sent back. */
	snprintf(buf, sizeof(buf), "%s%s%s", r->file, *r->reason ? " — " : "", r->reason);
	tui_pane_add(p, _("File"), buf, *r->reason ? app->attr[AT_BAD] : A_NORMAL, 0);
	if (r->total >= 0) {
		int k = snprintf(buf, sizeof(buf), "%s%s", level, *level ? " · " : "");

		if (*r->as_of)
			k += snprintf(buf + k, sizeof(buf) - (size_t)k, _("as of %s · "), r->as_of);
		k += snprintf(buf + k, sizeof(buf) - (size_t)k, "%s %s", fmt_score(r->total, sc), r->grade);
		if (r->violated >= 0)
			k += snprintf(buf + k, sizeof(buf) - (size_t)k, _(" · %s violations"), fmt_count(r->violated, n1));
		if (r->rectifications >= 0 && r->overdue >= 0)
			snprintf(buf + k, sizeof(buf) - (size_t)k, _(" · %s rectifications, %s overdue (today %s)"),
				 fmt_count(r->rectifications, n2), fmt_count(r->overdue, n3), app->ws->today);
		tui_pane_add(p, _("Figures"), buf, A_NORMAL, 0);
	}
	tui_pane_add(p, _("Received at"), when_local(r->received_at, 1, local), A_NORMAL, 0);
	if (*r->signer || *r->signed_at) {
		snprintf(buf, sizeof(buf), "%s", *r->signer ? r->signer : "—");
		if (*r->signed_at)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), _(" · signed %s"),
				 when_local(r->signed_at, 0, local));
		tui_pane_add(p, _("Signed by"), buf, A_NORMAL, 0);
	}
	if (*r->signer_fingerprint) {
		/* A fingerprint wrapped read "…CC:E4:2 / 4:D7…": whole when
		 * the line has room, else its first bytes, never half of one
		 * (it said "1E:C"). */
		char fp[128];

		abbreviate(fp, sizeof(fp), r->signer_fingerprint, text_room(app), 3);
		tui_pane_add(p, _("Certificate"), fp, app->attr[AT_DIM], 0);
	}
	if (*r->file_sha256) {
		char h[80];

		abbreviate(h, sizeof(h), r->file_sha256, text_room(app), 1);
		tui_pane_add(p, "SHA-256", h, app->attr[AT_DIM], 0);
	}
}

static void subs_draw(struct app *app, struct view *v, int top, int height)
{
	struct subs *s = v->state;

	if (s->inside && s->cursor < s->l.n) {
		const struct rollup_entry *r = &s->l.v[s->cursor];
		char head[512];

		/* Read-only: what the unit's own file says, as it was checked
		 * when it was received. */
		tui_fill(top, 0, app->cols, app->attr[AT_HEADER]);
		snprintf(head, sizeof(head), _("inside #%lld %s (%s) · read-only"), r->id, r->unit, r->file);
		tui_text(top, 1, head, app->cols - 2, app->attr[AT_HEADER]);
		tui_pane_draw(app, &s->pane, top + 1, height - 1, &s->inside_top, SIZE_MAX, NULL);
		return;
	}
	s->inside = 0;
	const char *cells[NCOLS];
	attr_t cattr[NCOLS];
	char buf[512];
	struct tui_pane pane = { 0 };
	int rows = height - 2 - PANE_ROWS, pane_rows = PANE_ROWS, pane_y = top + height - PANE_ROWS;

	snprintf(buf, sizeof(buf), _("accepted %lld · missing %lld · rejected %lld · superseded %lld (period %s)"),
		 s->l.count[SUB_ACCEPTED], s->l.count[SUB_MISSING], s->l.count[SUB_REJECTED], s->l.count[SUB_SUPERSEDED],
		 app->ws->period ? app->ws->period : "—");
	if ((int)utf8_width(buf) > app->cols - 2)
		counts_brief(app, s, buf, sizeof(buf));
	tui_text_fit(top, 1, buf, app->cols - 2, s->l.count[SUB_MISSING] ? app->attr[AT_WARN] : A_NORMAL);
	for (int c = 0; c < NCOLS; c++) {
		int tw = (int)utf8_width(s->tc[c].title);

		cells[c] = s->tc[c].title;
		if (s->tc[c].min < tw)
			s->tc[c].min = tw;
	}
	for (int st = 0; st < SUB_COUNT; st++)
		if ((int)utf8_width(status_word((enum sub_state)st)) > s->tc[C_STATUS].min)
			s->tc[C_STATUS].min = (int)utf8_width(status_word((enum sub_state)st));
	tui_table_layout(s->tc, NCOLS, app->cols);
	tui_table_row(app, top + 1, s->tc, NCOLS, cells, NULL, app->attr[AT_HEADER]);
	s->page_rows = rows;
	if (!s->l.n) {
		tui_wrapped(top + 2, 2, *s->err ? s->err
			    : app->ws->level == LEVEL_UNIT
			    ? _("nothing received: a unit-level workspace sends its report upward and receives none")
			    : _("nothing received yet: 'zhijian merge FILE.pdf' receives a unit's signed report, "
				"'zhijian submissions expect FILE.csv' lists the units expected"),
			    app->cols - 4, 0, rows, app->attr[AT_DIM]);
		return;
	}
	/* A list shorter than the screen has its pane right below it, with
	 * as many lines as it has to say: a tall screen showed five rows,
	 * 38 blank ones, then two lines of the selected file. */
	detail_lines(app, &s->l.v[s->cursor < s->l.n ? s->cursor : 0], &pane);
	if ((size_t)rows > s->l.n) {
		int spare = rows - (int)s->l.n - 1, want = 0;

		for (size_t i = 0; i < pane.n; i++)
			want += 1 + (int)utf8_width(pane.v[i].text) / (app->cols > 40 ? app->cols - 20 : 20);
		if (want + 1 > pane_rows)
			pane_rows += want + 1 - pane_rows < spare ? want + 1 - pane_rows : spare > 0 ? spare : 0;
		pane_y = top + 2 + (int)s->l.n + 1;
		if (pane_y + pane_rows > top + height)
			pane_y = top + height - pane_rows;
	}
	if (s->cursor < s->top)
		s->top = s->cursor;
	if (rows > 0 && s->cursor >= s->top + (size_t)rows)
		s->top = s->cursor - (size_t)rows + 1;
	for (int i = 0; i < rows && s->top + (size_t)i < s->l.n; i++) {
		const struct rollup_entry *r = &s->l.v[s->top + (size_t)i];
		struct rollup_entry_text t;
		char recv[16];

		rollup_entry_text(r, &t);
		{
			char local[WHEN_TIME_SIZE];

			snprintf(recv, sizeof(recv), "%.10s", when_local(r->received_at, 0, local));
		}
		cells[C_ID] = t.id;
		cells[C_STATUS] = status_word(r->status);
		cells[C_UNIT] = r->unit;
		cells[C_SCORE] = t.total;
		cells[C_GRADE] = r->grade;
		cells[C_VIOL] = t.violated;
		cells[C_OVERDUE] = t.overdue;
		cells[C_RECEIVED] = recv;
		/* The file first, so a refused one can be found and sent back. */
		snprintf(buf, sizeof(buf), "%s%s%s", r->file, *r->file && *r->reason ? ": " : "", r->reason);
		cells[C_FILE] = buf;
		memset(cattr, 0, sizeof(cattr));
		cattr[C_STATUS] = r->status == SUB_ACCEPTED ? app->attr[AT_GOOD]
				: r->status == SUB_SUPERSEDED ? app->attr[AT_DIM] : app->attr[AT_BAD];
		cattr[C_OVERDUE] = r->overdue > 0 ? app->attr[AT_BAD] : 0;
		tui_table_row(app, top + 2 + i, s->tc, NCOLS, cells, cattr,
			       s->top + (size_t)i == s->cursor ? app->attr[AT_SELECT] : A_NORMAL);
	}
	{
		const struct rollup_entry *r = &s->l.v[s->cursor];
		int ptop = 0;

		tui_fill(pane_y, 0, app->cols, app->attr[AT_HEADER]);
		if (r->id && *r->period)
			snprintf(buf, sizeof(buf), _("#%lld %s · %s · period %s"), r->id, *r->unit ? r->unit : r->file,
				 status_word(r->status), r->period);
		else if (r->id)
			snprintf(buf, sizeof(buf), "#%lld %s · %s", r->id, *r->unit ? r->unit : r->file,
				 status_word(r->status));
		else
			snprintf(buf, sizeof(buf), _("%s · missing: nothing accepted for period %s"), r->unit, r->period);
		tui_text_fit(pane_y, 1, buf, app->cols - 2, app->attr[AT_HEADER]);
		tui_pane_draw(app, &pane, pane_y + 1, pane_rows - 1, &ptop, SIZE_MAX, NULL);
	}
	tui_pane_release(&pane);
}

struct inside_ctx {
	struct tui_pane *p;
	struct app *app;
	int shown;
};

#define INSIDE_MAX_FINDINGS 5000	/* lines of the pane; the rest by the CLI */

static int inside_finding(void *vctx, const struct submission_finding *f)
{
	struct inside_ctx *c = vctx;
	char label[32], text[1024];

	if (c->shown++ >= INSIDE_MAX_FINDINGS)
		return -1;
	snprintf(label, sizeof(label), _("article %d"), f->article);
	snprintf(text, sizeof(text), "%s %s · %s · %s", f->subject_id, f->subject_name,
		 f->violated ? _("violated") : _("to verify"), *f->title ? f->title : f->rule);
	tui_pane_add(c->p, label, text, f->violated ? c->app->attr[AT_BAD] : c->app->attr[AT_WARN], 0);
	return 0;
}

static const char *inv_title(const char *name)
{
	if (!strcmp(name, "apps"))
		return _("apps");
	if (!strcmp(name, "accounts"))
		return _("accounts");
	if (!strcmp(name, "groups"))
		return _("groups");
	return name;
}

/* The pane of what a unit's file says, built once per file. */
static void build_inside(struct app *app, struct subs *s, const struct rollup_entry *r)
{
	unsigned char *data = NULL;
	size_t len = 0;
	struct submission *sub = NULL;
	struct zj_error err;
	struct inside_ctx c = { &s->pane, app, 0 };
	char buf[512], n1[32], n2[32], sc[16];
	long long n = 0;

	tui_pane_release(&s->pane);
	s->inside_id = r->id;
	s->inside_top = 0;
	if (rollup_received_data(app->db, r->id, &data, &len, &err) <= 0) {
		tui_pane_add(&s->pane, "", _("this file kept no data (only an accepted file does)"), app->attr[AT_DIM], 0);
		return;
	}
	if (submission_open_mem(&sub, data, len, r->file, &err) < 0) {
		tui_pane_add(&s->pane, "", err.msg, app->attr[AT_BAD], 0);
		free(data);
		return;
	}
	tui_pane_add(&s->pane, _("Reporting unit"), sub->unit, A_NORMAL, 0);
	{
		/* The level and the inventories in the reader's words, as the
		 * rest of the screen has them, not the file's keys. */
		int l = sub->level ? level_parse(sub->level) : -1;

		snprintf(buf, sizeof(buf), _("%s, period %s, as of %s"),
			 l >= 0 ? level_word((enum level)l) : sub->level ? sub->level : "", sub->period ? sub->period : "—",
			 sub->as_of);
	}
	tui_pane_add(&s->pane, _("Level"), buf, A_NORMAL, 0);
	snprintf(buf, sizeof(buf), "%s %s", fmt_score(sub->total, sc), sub->grade ? sub->grade : "");
	tui_pane_add(&s->pane, _("Total"), buf, A_BOLD, 0);
	for (size_t i = 0; i < sub->ninv; i++) {
		snprintf(buf, sizeof(buf), _("%s rows, %s with findings"), fmt_count(sub->inv[i].rows, n1),
			 fmt_count(sub->inv[i].subjects, n2));
		tui_pane_add(&s->pane, inv_title(sub->inv[i].name), buf, A_NORMAL, 0);
	}
	snprintf(buf, sizeof(buf), _("%s rectifications, %s overdue when it reported"), fmt_count(sub->rectifications, n1),
		 fmt_count(sub->overdue, n2));
	tui_pane_add(&s->pane, _("Ledger"), buf, A_NORMAL, 0);
	submission_close(sub);
	tui_pane_add(&s->pane, _("Findings"), NULL, A_NORMAL, 1);
	if (submission_findings_mem(data, len, r->file, inside_finding, &c, &n, &err) < 0)
		tui_pane_add(&s->pane, "", err.msg, app->attr[AT_BAD], 0);
	else if (!n)
		tui_pane_add(&s->pane, "", _("none"), app->attr[AT_DIM], 0);
	else if (c.shown > INSIDE_MAX_FINDINGS)
		tui_pane_add(&s->pane, "", _("… the rest with 'zhijian submission findings FILE'"), app->attr[AT_DIM], 0);
	free(data);
}

static int subs_key(struct app *app, struct view *v, enum request req, int key)
{
	struct subs *s = v->state;
	long long page = s->page_rows > 1 ? s->page_rows : 1, to;

	(void)app;
	(void)key;
	if (s->inside) {
		switch (req) {
		case REQ_UP: if (s->inside_top > 0) s->inside_top--; return 1;
		case REQ_DOWN: s->inside_top++; return 1;
		case REQ_PAGE_UP: s->inside_top = s->inside_top > 10 ? s->inside_top - 10 : 0; return 1;
		case REQ_PAGE_DOWN: s->inside_top += 10; return 1;
		case REQ_FIRST: s->inside_top = 0; return 1;
		case REQ_LAST: s->inside_top = 1 << 20; return 1;
		case REQ_BACK: case REQ_ENTER: s->inside = 0; return 1;
		default: return 0;
		}
	}
	switch (req) {
	case REQ_UP: to = (long long)s->cursor - 1; break;
	case REQ_DOWN: to = (long long)s->cursor + 1; break;
	case REQ_PAGE_UP: to = (long long)s->cursor - page; break;
	case REQ_PAGE_DOWN: to = (long long)s->cursor + page; break;
	case REQ_FIRST: to = 0; break;
	case REQ_LAST: to = (long long)s->l.n - 1; break;
	case REQ_ENTER:
		if (s->cursor < s->l.n && s->l.v[s->cursor].id && s->l.v[s->cursor].status == SUB_ACCEPTED) {
			s->inside = 1;
			if (s->inside_id != s->l.v[s->cursor].id)
				build_inside(app, s, &s->l.v[s->cursor]);
		} else {
			tui_message(app, "%s", _("only an accepted file can be looked inside"));
		}
		return 1;
	default: return 0;
	}
	if (to >= (long long)s->l.n)
		to = (long long)s->l.n - 1;
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
	/* Inside a file the list's position says nothing of what is shown. */
	if (!s->l.n || s->inside)
		return;
	snprintf(buf, size, _("%s of %s"), fmt_count((long long)s->cursor + 1, a), fmt_count((long long)s->l.n, b));
}

/* Inside a file only scrolling and going back work: the list's "look
 * inside" and refresh would say keys that do nothing there. */
static const struct tui_hint inside_hints = {
	N_("%s %s scroll · %s back to the list · %s help"),
	{ HINT_SPAN(REQ_UP, '/', REQ_DOWN), HINT_SPAN(REQ_PAGE_UP, '/', REQ_PAGE_DOWN), HINT_KEY(REQ_BACK),
	  HINT_KEY(REQ_HELP) },
};

static const struct tui_hint *subs_mode_hints(struct app *app, struct view *v)
{
	const struct subs *s = v->state;

	(void)app;
	return s && s->inside ? &inside_hints : NULL;
}

const struct view_ops tui_submissions_ops = {
	.name = "submissions",
	.title = N_("Submissions"),
	.hints = { N_("%s look inside · %s dashboard · %s ledger · %s refresh · %s back · %s help"),
		   { HINT_KEY(REQ_ENTER), HINT_KEY(REQ_VIEW_DASHBOARD), HINT_KEY(REQ_VIEW_LEDGER), HINT_KEY(REQ_REFRESH), HINT_KEY(REQ_BACK),
			HINT_KEY(REQ_HELP) } },
	.keymap = KM_GENERIC,
	.open = subs_open,
	.draw = subs_draw,
	.key = subs_key,
	.reload = subs_reload,
	.done = subs_done,
	.where = subs_where,
	.mode_hints = subs_mode_hints,
};
