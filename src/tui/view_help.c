/* Help: every key binding, generated from the table in keys.c, grouped by
 * keymap, one line per request with all its keys. */
#include "tui/app.h"

#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/utf8.h"

struct help {
	int top;
	int lines;	/* at the last draw */
	int ncol;	/* columns side by side at the last draw */
};

static int help_open(struct app *app, struct view *v)
{
	v->state = calloc(1, sizeof(struct help));
	if (!v->state) {
		tui_error(app, "%s", _("out of memory"));
		return -1;
	}
	return 0;
}

static void help_done(struct app *app, struct view *v)
{
	(void)app;
	free(v->state);
	v->state = NULL;
}

/* Calls fn for each line of the help: a keymap title (keys NULL) or one
 * request with its keys. */
static void help_lines(void (*fn)(void *ctx, enum keymap map, const char *keys, const char *text), void *ctx)
{
	size_t n;
	const struct binding *b = tui_keys_table(&n);
	char keys[128];

	for (int m = 0; m < KM_COUNT; m++) {
		int any = 0;

		for (int r = REQ_NONE + 1; r < REQ_COUNT; r++) {
			int bound = 0;

			for (size_t i = 0; i < n && !bound; i++)
				bound = b[i].map == (enum keymap)m && b[i].req == (enum request)r;
			if (!bound)
				continue;
			if (!any++)
				fn(ctx, (enum keymap)m, NULL, _(tui_keymap_title((enum keymap)m)));
			fn(ctx, (enum keymap)m, tui_key_names((enum keymap)m, (enum request)r, keys, sizeof(keys)),
			   _(tui_request_help((enum keymap)m, (enum request)r)));
		}
	}
}

struct draw_ctx {
	struct app *app;
	struct help *h;
	int y0, height, line, kw;
	int ncol, cw;		/* side-by-side columns and the width of each */
};

/* Where line (counted from the first shown) goes: its row and the column
 * it starts in; 0 when it is not on the screen. */
static int place(const struct draw_ctx *c, int line, int *y, int *x)
{
	int rel = line - c->h->top;

	if (rel < 0 || c->height <= 0 || rel >= c->height * c->ncol)
		return 0;
	*y = c->y0 + rel % c->height;
	*x = (rel / c->height) * c->cw;
	return 1;
}

static void measure(void *p, enum keymap map, const char *keys, const char *text)
{
	struct draw_ctx *c = p;

	(void)map;
	(void)text;
	if (keys && (int)utf8_width(keys) > c->kw)
		c->kw = (int)utf8_width(keys);
}

static void draw_line(void *p, enum keymap map, const char *keys, const char *text)
{
	struct draw_ctx *c = p;
	struct app *app = c->app;
	int width = c->cw - c->kw - 6, y, x;

	(void)map;
	if (!keys) {
		if (c->line > 0)
			c->line++;	/* a blank line before each group */
		if (place(c, c->line, &y, &x))
			tui_text(y, x + 1, text, c->cw - 2, app->attr[AT_HEADER]);
		c->line++;
		return;
	}
	{
		struct tui_wrap w = { 0 };

		tui_wrap(&w, text, width);
		for (size_t i = 0; i < (w.n ? w.n : 1); i++, c->line++) {
			char buf[512];
			size_t len = w.n ? w.line[i].len : 0;

			if (!place(c, c->line, &y, &x))
				continue;
			if (!i)
				tui_text(y, x + 3, keys, c->kw, app->attr[AT_BOLD]);
			if (len > sizeof(buf) - 1)
				len = sizeof(buf) - 1;
			memcpy(buf, text + (w.n ? w.line[i].off : 0), len);
			buf[len] = '\0';
			tui_text(y, x + c->kw + 5, buf, width, A_NORMAL);
		}
		tui_wrap_release(&w);
	}
}

static void help_draw(struct app *app, struct view *v, int top, int height)
{
	struct help *h = v->state;
	struct draw_ctx c = { app, h, top, 0, 0, 0, 1, app->cols };

	help_lines(measure, &c);
	if (c.kw > app->cols / 3)
		c.kw = app->cols / 3;
	/* Side by side where two columns each have room for the keys and a
	 * line of text (200 columns): the help is read whole, not paged
	 * beside 130 blank columns. */
	if (app->cols >= 2 * (c.kw + 6 + 60)) {
		c.ncol = 2;
		c.cw = app->cols / 2;
	}
	h->ncol = c.ncol;
	/* Once without drawing (no rows) to count the lines and keep the
	 * scroll within them, then for real. */
	help_lines(draw_line, &c);
	h->lines = c.line;
	if (h->top > h->lines - height * c.ncol)
		h->top = h->lines - height * c.ncol > 0 ? h->lines - height * c.ncol : 0;
	c.height = height;
	c.line = 0;
	help_lines(draw_line, &c);
}

static int help_key(struct app *app, struct view *v, enum request req, int key)
{
	struct help *h = v->state;
	int page = (app->rows - 3) * (h->ncol > 1 ? h->ncol : 1);

	(void)key;
	switch (req) {
	case REQ_UP: if (h->top > 0) h->top--; return 1;
	case REQ_DOWN: h->top++; return 1;
	case REQ_PAGE_UP: h->top = h->top > page ? h->top - page : 0; return 1;
	case REQ_PAGE_DOWN: h->top += page; return 1;
	case REQ_FIRST: h->top = 0; return 1;
	case REQ_LAST: h->top = h->lines; return 1;
	case REQ_HELP: return 0;	/* shown already: the app keeps it */
	default: return 0;
	}
}

static void help_where(struct app *app, struct view *v, char *buf, size_t size)
{
	struct help *h = v->state;
	int last = h->top + (app->rows - 2) * (h->ncol > 1 ? h->ncol : 1);

	snprintf(buf, size, _("lines %d-%d of %d"), h->top + 1, last < h->lines ? last : h->lines, h->lines);
}

const struct view_ops tui_help_ops = {
	.name = "help",
	.title = N_("Help: keys"),
	.hints = { N_("%s %s scroll · %s back"),
		   { HINT_SPAN(REQ_UP, '/', REQ_DOWN), HINT_SPAN(REQ_PAGE_UP, '/', REQ_PAGE_DOWN), HINT_KEY(REQ_BACK) } },
	.keymap = KM_GENERIC,
	.open = help_open,
	.draw = help_draw,
	.key = help_key,
	.done = help_done,
	.where = help_where,
};
