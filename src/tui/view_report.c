/* The report's body (报告正文): the four sections as the report prints
 * them, the text generated from the data or the inspector's own words
 * (core/narrative.h), written here paragraph by paragraph or whole in the
 * person's editor.  Every save goes through narrative_save, one
 * transaction with its audit-log entry. */
#include "tui/app.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/narrative.h"
#include "util/editor.h"
#include "util/file.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/utf8.h"

struct report {
	struct narrative v[NARR_COUNT];
	int loaded;
	char err[ZJ_ERROR_MAX];
	int section;			/* enum narrative_section */
	size_t para;			/* the selected paragraph */
	int top;			/* first pane line shown */
	int follow;			/* scroll the selection into view */
};

/* The paragraphs of a text: its non-blank lines. */
struct paras {
	char **v;
	size_t n;
};

static void paras_release(struct paras *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

static int paras_split(const char *text, struct paras *p)
{
	const char *s = text;

	memset(p, 0, sizeof(*p));
	while (s && *s) {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n && strspn(s, " \t") < n) {
			char **v = realloc(p->v, (p->n + 1) * sizeof(*v));

			if (!v || !(v[p->n] = strndup(s, n))) {
				p->v = v ? v : p->v;
				paras_release(p);
				return -1;
			}
			p->v = v;
			p->n++;
		}
		s = e ? e + 1 : NULL;
	}
	return 0;
}

/* The paragraphs joined back, one to a line, as the generated text has
 * them. */
static char *paras_join(const struct paras *p)
{
	struct strbuf sb = { 0 };

	for (size_t i = 0; i < p->n; i++)
		if (p->v[i])
			sb_addf(&sb, "%s%s", sb.len ? "\n" : "", p->v[i]);
	if (!sb.p)
		sb_adds(&sb, "");
	return sb.p;
}

static void report_reload(struct app *app, struct view *v)
{
	struct report *r = v->state;
	struct narrative fresh[NARR_COUNT];
	struct zj_error err;

	if (narrative_load(app->db, app->ws, fresh, &err) < 0) {
		snprintf(r->err, sizeof(r->err), "%s", err.msg);
		tui_error(app, "%s", err.msg);
		return;
	}
	if (r->loaded)
		narrative_release(r->v);
	memcpy(r->v, fresh, sizeof(fresh));
	r->loaded = 1;
	r->err[0] = '\0';
}

static int report_open(struct app *app, struct view *v)
{
	struct report *r = calloc(1, sizeof(*r));

	if (!r) {
		tui_error(app, "%s", _("out of memory"));
		return -1;
	}
	v->state = r;
	report_reload(app, v);
	return 0;
}

static void report_done(struct app *app, struct view *v)
{
	struct report *r = v->state;

	(void)app;
	if (!r)
		return;
	if (r->loaded)
		narrative_release(r->v);
	free(r);
	v->state = NULL;
}

static const char *state_word(const struct narrative *n)
{
	if (!n->text)
		return _("generated from the data");
	return n->stale ? _("written; the figures changed since") : _("written by the inspector");
}

static void report_draw(struct app *app, struct view *v, int top, int height)
{
	struct report *r = v->state;
	struct tui_pane pane = { 0 };
	struct paras p;
	char buf[512];
	int y = top;

	snprintf(buf, sizeof(buf), _("Addressed to (主送机关): %s"),
		 app->ws->parent ? app->ws->parent : _("(not set: zhijian config parent NAME)"));
	tui_cell(y++, 1, buf, app->cols - 2, 0, app->ws->parent ? A_NORMAL : app->attr[AT_WARN]);
	if (!r->loaded) {
		tui_wrapped(y, 2, r->err, app->cols - 4, 0, height - 1, app->attr[AT_BAD]);
		return;
	}
	for (int i = 0; i < NARR_COUNT; i++, y++) {
		const struct narrative *n = &r->v[i];
		attr_t a = i == r->section ? app->attr[AT_SELECT]
			 : !n->text ? app->attr[AT_DIM] : n->stale ? app->attr[AT_WARN] : A_NORMAL;

		/* Headings and states in columns by display width. */
		tui_fill(y, 0, app->cols, i == r->section ? app->attr[AT_SELECT] : A_NORMAL);
		tui_text(y, 1, i == r->section ? ">" : " ", 1, a);
		tui_cell(y, 3, narrative_heading((enum narrative_section)i), 24, 0, a);
		tui_text(y, 28, state_word(n), app->cols - 29, a);
	}
	tui_fill(y, 0, app->cols, app->attr[AT_HEADER]);
	snprintf(buf, sizeof(buf), "%s — %s", narrative_heading((enum narrative_section)r->section),
		 r->v[r->section].text ? _("as the report prints it") : _("the text generated from the data; edit to write your own"));
	/* Too wide ("edit to w" at 60 columns), the heading says the
	 * section's state in the list's shorter words. */
	if ((int)utf8_width(buf) > app->cols - 2)
		snprintf(buf, sizeof(buf), "%s — %s", narrative_heading((enum narrative_section)r->section),
			 state_word(&r->v[r->section]));
	tui_text(y++, 1, buf, app->cols - 2, app->attr[AT_HEADER]);
	if (paras_split(narrative_text(&r->v[r->section]), &p) < 0) {
		tui_error(app, "%s", _("out of memory"));
		return;
	}
	if (r->para >= p.n)
		r->para = p.n ? p.n - 1 : 0;
	for (size_t i = 0; i < p.n; i++) {
		tui_pane_add(&pane, NULL, p.v[i], A_NORMAL, 0);
		if (i + 1 < p.n)
			tui_pane_add(&pane, NULL, "", A_NORMAL, 0);
	}
	/* Below it, dimmed, the sections that follow as the report prints
	 * them: a tall screen showed one short section over 38 blank rows.
	 * Only the section above is edited; these are read. */
	for (int k = r->section + 1; k < NARR_COUNT; k++) {
		struct paras q;

		if (paras_split(narrative_text(&r->v[k]), &q) < 0)
			break;
		tui_pane_add(&pane, NULL, "", A_NORMAL, 0);
		tui_pane_add(&pane, narrative_heading((enum narrative_section)k), NULL, A_NORMAL, 1);
		for (size_t i = 0; i < q.n; i++)
			tui_pane_add(&pane, NULL, q.v[i], app->attr[AT_DIM], 0);
		paras_release(&q);
	}
	/* Pane lines are paragraphs and the blank lines between them. */
	tui_pane_draw(app, &pane, y, top + height - y, &r->top, p.n ? r->para * 2 : SIZE_MAX, &r->follow);
	tui_pane_release(&pane);
	paras_release(&p);
}

/* Saves text (NULL: back to the generated text) and reloads. */
static void save(struct app *app, struct view *v, const char *text)
{
	struct report *r = v->state;
	struct zj_error err;
	int changed = 0;

	if (text && narrative_check(text, &err) < 0) {
		tui_error(app, _("%s: %s; nothing was saved"), narrative_heading((enum narrative_section)r->section), err.msg);
		return;
	}
	if (narrative_save(app->db, app->ws, (enum narrative_section)r->section, text, &changed, &err) < 0) {
		tui_error(app, "%s", err.msg);
		return;
	}
	report_reload(app, v);
	if (changed == 1)
		tui_message(app, _("%s saved: the report prints these words"), narrative_heading((enum narrative_section)r->section));
	else if (changed == 2)
		tui_message(app, _("%s: back to the text generated from the data"), narrative_heading((enum narrative_section)r->section));
	else
		tui_message(app, "%s", _("nothing changed"));
}

/* Edits paragraph i (add: a new one after it) in the line editor. */
static void edit_para(struct app *app, struct view *v, int add)
{
	struct report *r = v->state;
	struct paras p;
	char title[256], *text = NULL, *all;
	struct tui_edit_opts o = { title, NULL, 6, NARRATIVE_MAX / 3 };

	if (paras_split(narrative_text(&r->v[r->section]), &p) < 0)
		return;
	snprintf(title, sizeof(title), add ? _("%s: a new paragraph (Enter saves, Esc cancels)")
		 : _("%s: the paragraph (Enter saves, Esc cancels; empty removes it)"),
		 narrative_heading((enum narrative_section)r->section));
	if (!add && p.n)
		o.initial = p.v[r->para];
	if (tui_edit(app, &o, &text) <= 0) {
		tui_message(app, "%s", _("nothing changed"));
		paras_release(&p);
		return;
	}
	if (add || !p.n) {
		char **nv = realloc(p.v, (p.n + 1) * sizeof(*nv));
		size_t at = p.n ? r->para + 1 : 0;

		if (!nv) {
			free(text);
			paras_release(&p);
			return;
		}
		p.v = nv;
		memmove(p.v + at + 1, p.v + at, (p.n - at) * sizeof(*p.v));
		p.v[at] = text;
		p.n++;
		r->para = at;
	} else {
		free(p.v[r->para]);
		p.v[r->para] = *text ? text : NULL;
		if (!*text)
			free(text);
	}
	all = paras_join(&p);
	if (all && *all)
		save(app, v, all);
	else
		tui_error(app, "%s", _("a section cannot be empty; r goes back to the generated text"));
	r->follow = 1;
	free(all);
	paras_release(&p);
}

static void delete_para(struct app *app, struct view *v)
{
	struct report *r = v->state;
	struct paras p;
	char prompt[256], *all;
	int key;

	if (paras_split(narrative_text(&r->v[r->section]), &p) < 0 || !p.n) {
		paras_release(&p);
		return;
	}
	if (p.n == 1) {
		tui_error(app, "%s", _("a section cannot be empty; r goes back to the generated text"));
		paras_release(&p);
		return;
	}
	snprintf(prompt, sizeof(prompt), _("remove paragraph %zu of %s? y removes, any other key keeps it"), r->para + 1,
		 narrative_heading((enum narrative_section)r->section));
	key = tui_ask_key(app, prompt);
	if (key == 'y' || key == 'Y') {
		free(p.v[r->para]);
		p.v[r->para] = NULL;
		all = paras_join(&p);
		if (all)
			save(app, v, all);
		free(all);
	} else {
		tui_message(app, "%s", _("nothing changed"));
	}
	paras_release(&p);
}

/* The whole section in the person's own editor, curses set aside. */
static void external(struct app *app, struct view *v)
{
	struct report *r = v->state;
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	unsigned char *text = NULL;
	size_t len;
	struct zj_error err;
	FILE *f;
	int fd, rc;

	snprintf(path, sizeof(path), "%s/zhijian-%s-XXXXXX.txt", tmp && *tmp ? tmp : "/tmp",
		 narrative_key((enum narrative_section)r->section));
	fd = mkstemps(path, 4);
	if (fd < 0) {
		tui_error(app, _("cannot create a file to edit in: %s"), strerror(errno));
		return;
	}
	f = fdopen(fd, "w");
	if (!f || fputs(narrative_text(&r->v[r->section]), f) == EOF || fputc('\n', f) == EOF || fclose(f) == EOF) {
		tui_error(app, _("cannot write '%s': %s"), path, strerror(errno));
		unlink(path);
		return;
	}
	def_prog_mode();
	endwin();
	rc = editor_run(path, &err);
	reset_prog_mode();
	clearok(curscr, TRUE);
	if (rc < 0)
		tui_error(app, "%s", err.msg);
	else if (file_read_all(path, NARRATIVE_MAX, &text, &len, &err) < 0)
		tui_error(app, "%s", err.msg);
	else
		save(app, v, (char *)text);
	free(text);
	unlink(path);
}

static int report_key(struct app *app, struct view *v, enum request req, int key)
{
	struct report *r = v->state;
	struct paras p;
	size_t n = 0;

	(void)key;
	if (!r->loaded)
		return 0;
	if (paras_split(narrative_text(&r->v[r->section]), &p) == 0)
		n = p.n;
	paras_release(&p);
	switch (req) {
	case REQ_NEXT_TAB:
	case REQ_PREV_TAB:
		r->section = (r->section + (req == REQ_NEXT_TAB ? 1 : NARR_COUNT - 1)) % NARR_COUNT;
		r->para = 0;
		r->top = 0;
		return 1;
	case REQ_UP:
		if (r->para > 0)
			r->para--;
		break;
	case REQ_DOWN:
		if (r->para + 1 < n)
			r->para++;
		break;
	case REQ_FIRST:
		r->para = 0;
		break;
	case REQ_LAST:
		r->para = n ? n - 1 : 0;
		break;
	case REQ_ENTER:
	case REQ_PARA_EDIT:
		edit_para(app, v, 0);
		break;
	case REQ_PARA_ADD:
		edit_para(app, v, 1);
		break;
	case REQ_PARA_DELETE:
		delete_para(app, v);
		break;
	case REQ_SECTION_EDITOR:
		external(app, v);
		break;
	case REQ_SECTION_RESET:
		if (!r->v[r->section].text) {
			tui_message(app, "%s", _("this section is already the text generated from the data"));
		} else {
			char prompt[256];
			int k;

			snprintf(prompt, sizeof(prompt), _("replace your words in %s with the generated text? y replaces, any other key keeps them"),
				 narrative_heading((enum narrative_section)r->section));
			k = tui_ask_key(app, prompt);
			if (k == 'y' || k == 'Y')
				save(app, v, NULL);
			else
				tui_message(app, "%s", _("nothing changed"));
		}
		break;
	case REQ_SECTION_CONFIRM:
		if (!r->v[r->section].text)
			tui_message(app, "%s", _("the generated text needs no confirming; a final report sends it with --accept-generated"));
		else
			save(app, v, r->v[r->section].text);
		break;
	default:
		return 0;
	}
	r->follow = 1;
	return 1;
}

static void report_where(struct app *app, struct view *v, char *buf, size_t size)
{
	struct report *r = v->state;

	(void)app;
	if (r->loaded && r->v[r->section].stale)
		snprintf(buf, size, "%s", _("figures changed: c confirms"));
}

const struct view_ops tui_report_ops = {
	.name = "report",
	.title = N_("Report body"),
	.hints = { N_("%s section · %s edit · %s add · %s editor · %s reset · %s help · %s back"),
		   { HINT_KEY(REQ_NEXT_TAB), HINT_KEY(REQ_PARA_EDIT), HINT_KEY(REQ_PARA_ADD), HINT_KEY(REQ_SECTION_EDITOR), HINT_KEY(REQ_SECTION_RESET),
		     HINT_KEY(REQ_HELP), HINT_KEY(REQ_BACK) } },
	.keymap = KM_REPORT,
	.open = report_open,
	.draw = report_draw,
	.key = report_key,
	.reload = report_reload,
	.done = report_done,
	.where = report_where,
};
