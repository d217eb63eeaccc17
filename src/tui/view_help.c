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
};

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
	int width = app->cols - c->kw - 6;

	(void)map;
	if (!keys) {
		if (c->line > 0)
			c->line++;	/* a blank line before each group */
		if (c->line - c->h->top >= 0 && c->line - c->h->top < c->height)
			tui_text(c->y0 + c->line - c->h->top, 1, text, app->cols - 2, app->attr[AT_HEADER]);
		c->line++;
		return;
	}
	{
		struct tui_wrap w = { 0 };

		tui_wrap(&w, text, width);
		for (size_t i = 0; i < (w.n ? w.n : 1); i++, c->line++) {
			int y = c->y0 + c->line - c->h->top;
			char buf[512];
			size_t len = w.n ? w.line[i].len : 0;

			if (y < c->y0 || y >= c->y0 + c->height)
				continue;
			if (!i)
				tui_text(y, 3, keys, c->kw, app->attr[AT_BOLD]);
			if (len > sizeof(buf) - 1)
				len = sizeof(buf) - 1;
			memcpy(buf, text + (w.n ? w.line[i].off : 0), len);
			buf[len] = '\0';
			tui_text(y, c->kw + 5, buf, width, A_NORMAL);
		}
		tui_wrap_release(&w);
	}
}

static void help_draw(struct app *app, struct view *v, int top, int height)
{
	struct help *h = v->state;
	struct draw_ctx c = { app, h, top, 0, 0, 0 };

	help_lines(measure, &c);
	if (c.kw > app->cols / 3)
		c.kw = app->cols / 3;
	/* Once without drawing (no rows) to count the lines and keep the
	 * scroll within them, then for real. */
	help_lines(draw_line, &c);
	h->lines = c.line;
	if (h->top > h->lines - height)
		h->top = h->lines - height > 0 ? h->lines - height : 0;
	c.height = height;
	c.line = 0;
	help_lines(draw_line, &c);
}

static int help_key(struct app *app, struct view *v, enum request req, int key)
{
	struct help *h = v->state;
	int page = app->rows - 3;

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
	int last = h->top + app->rows - 2;

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
