/* The modal line editor for notes, reasons and filters.  Text is kept as
 * code points so the cursor moves by character, and laid out by display
 * width so a Chinese character is never split across the edge. */
#include "tui/app.h"

#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/utf8.h"

struct ed {
	unsigned *cp;
	size_t n, cap, cur, max;
};

static int ed_insert(struct ed *e, unsigned c)
{
	if (e->n >= e->max)
		return -1;
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 64;
		unsigned *p = realloc(e->cp, cap * sizeof(*p));

		if (!p)
			return -1;
		e->cp = p;
		e->cap = cap;
	}
	memmove(e->cp + e->cur + 1, e->cp + e->cur, (e->n - e->cur) * sizeof(*e->cp));
	e->cp[e->cur++] = c;
	e->n++;
	return 0;
}

static void ed_delete(struct ed *e, size_t from, size_t to)
{
	if (to > e->n)
		to = e->n;
	if (from >= to)
		return;
	memmove(e->cp + from, e->cp + to, (e->n - to) * sizeof(*e->cp));
	e->n -= to - from;
	if (e->cur > to)
		e->cur -= to - from;
	else if (e->cur > from)
		e->cur = from;
}

static size_t put_utf8(char *out, unsigned c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* The text of e[from, to) as UTF-8; malloc'd. */
static char *ed_utf8(const struct ed *e, size_t from, size_t to)
{
	char *s = malloc((to - from) * 4 + 1), *p = s;

	if (!s)
		return NULL;
	for (size_t i = from; i < to; i++)
		p += put_utf8(p, e->cp[i]);
	*p = '\0';
	return s;
}

static int cp_width(unsigned c)
{
	return utf8_cp_width(c);
}

/* Draws one code point at (y, x). */
static void put_cp(int y, int x, unsigned c, attr_t attr)
{
	char buf[5];

	buf[put_utf8(buf, c)] = '\0';
	tui_text(y, x, buf, 2, attr);
}

/* One line on the status row, scrolled sideways to keep the cursor seen. */
static void draw_line(struct app *app, const struct ed *e, const char *title)
{
	int y = app->rows - 1, x0, width, col = 0, start = 0, cx;
	attr_t at = app->attr[AT_SELECT];

	/* A third of the line, at least 16 columns, is kept for the text. */
	x0 = tui_prompt_title(app, title ? title : "", app->cols / 3 > 16 ? app->cols / 3 : 16);
	width = app->cols - x0 - 1;
	if (width < 4)
		width = 4;
	/* Find the first character to show so that the cursor fits. */
	for (size_t i = 0; i < e->cur; i++)
		col += cp_width(e->cp[i]);
	while (col >= width && start < (int)e->cur) {
		col -= cp_width(e->cp[start]);
		start++;
	}
	cx = x0;
	for (size_t i = (size_t)start; i < e->n; i++) {
		int w = cp_width(e->cp[i]);

		if (cx + w > x0 + width)
			break;
		put_cp(y, cx, e->cp[i], at);
		cx += w;
	}
	col = x0;
	for (size_t i = (size_t)start; i < e->cur; i++)
		col += cp_width(e->cp[i]);
	move(y, col);
}

/* A box of `lines` lines above the status row, the text wrapped by width
 * inside it. */
static void draw_box(struct app *app, const struct ed *e, const char *title, int lines)
{
	/* A line of text wider than this is hard to read back: on a wide
	 * screen the box stops there rather than span 196 columns. */
	int w = app->cols - 4 > 104 ? 104 : app->cols - 4, y0, x0 = 2, inner = w - 4, h, tn, ty;
	int line = 0, col = 0, cur_line = 0, cur_col = 0, first;
	char hint[256], k1[64], k2[64];
	struct tui_wrap tw = { 0 };

	/* A title too long for the border goes on in the box, whole: at 60
	 * columns "…(required; Esc ke" lost its end to the corner. */
	tn = tui_wrap(&tw, title ? title : "", w - 4);
	if (tn < 1)
		tn = 1;
	if (tn > 3)
		tn = 3;
	h = lines + 2 + tn - 1;
	if (h > app->rows - 3) {
		h = app->rows - 3;
		lines = h - 2 - (tn - 1);
		if (lines < 1)
			lines = 1, tn = h - 2;
	}
	y0 = app->rows - 1 - h;
	ty = y0 + tn;		/* the row above the text's first */
	/* The box's rows are cleared whole: what the view drew beside the
	 * box (half of a wide character cut by its border, the list's
	 * brackets) would otherwise stay there. */
	attrset(A_NORMAL);
	for (int r = 0; r < h; r++)
		mvhline(y0 + r, 0, ' ', app->cols);
	attrset(app->attr[AT_BOLD]);
	mvaddch(y0, x0, ACS_ULCORNER);
	mvhline(y0, x0 + 1, ACS_HLINE, w - 2);
	mvaddch(y0, x0 + w - 1, ACS_URCORNER);
	mvvline(y0 + 1, x0, ACS_VLINE, h - 2);
	mvvline(y0 + 1, x0 + w - 1, ACS_VLINE, h - 2);
	mvaddch(y0 + h - 1, x0, ACS_LLCORNER);
	mvhline(y0 + h - 1, x0 + 1, ACS_HLINE, w - 2);
	mvaddch(y0 + h - 1, x0 + w - 1, ACS_LRCORNER);
	attrset(A_NORMAL);
	for (int i = 0; i < tn; i++) {
		char t[512];
		size_t len = (size_t)i < tw.n ? tw.line[i].len : 0;

		if (len > sizeof(t) - 1)
			len = sizeof(t) - 1;
		memcpy(t, title + ((size_t)i < tw.n ? tw.line[i].off : 0), len);
		t[len] = '\0';
		if (i == tn - 1 && (size_t)tn < tw.n)
			tui_cell(y0 + i, x0 + 2, t, w - 4, 0, app->attr[AT_BOLD]);	/* still more: "…" */
		else
			tui_text(y0 + i, x0 + 2, t, w - 4, app->attr[AT_BOLD]);
	}
	tui_wrap_release(&tw);

	/* Where the cursor falls, to scroll it into the box. */
	for (size_t i = 0; i <= e->n; i++) {
		int cw = i < e->n ? cp_width(e->cp[i]) : 1;

		if (col + cw > inner) {
			line++;
			col = 0;
		}
		if (i == e->cur) {
			cur_line = line;
			cur_col = col;
		}
		col += cw;
	}
	first = cur_line >= lines ? cur_line - lines + 1 : 0;
	line = 0;
	col = 0;
	for (size_t i = 0; i < e->n; i++) {
		int cw = cp_width(e->cp[i]);

		if (col + cw > inner) {
			line++;
			col = 0;
		}
		if (line >= first && line < first + lines)
			put_cp(ty + line - first, x0 + 2 + col, e->cp[i], A_NORMAL);
		col += cw;
	}
	tui_fill(app->rows - 1, 0, app->cols, app->attr[AT_SELECT]);
	snprintf(hint, sizeof(hint), " %s %s · %s %s · %zu/%zu",
		 tui_key_names(KM_EDITOR, REQ_EDIT_SAVE, k1, sizeof(k1)), _("save"),
		 tui_key_names(KM_EDITOR, REQ_EDIT_CANCEL, k2, sizeof(k2)), _("cancel"), e->n, e->max);
	tui_text(app->rows - 1, 0, hint, app->cols, app->attr[AT_SELECT]);
	move(ty + cur_line - first, x0 + 2 + cur_col);
}

int tui_edit(struct app *app, const struct tui_edit_opts *o, char **out)
{
	struct ed e = { .max = o->max_chars ? o->max_chars : 1000 };
	const char *s = o->initial ? o->initial : "";
	size_t len = strlen(s), i = 0;
	int rc = -1;

	*out = NULL;
	while (i < len) {
		unsigned c;
		int n = utf8_decode(s + i, len - i, &c);

		if (n < 0) {
			i++;
			continue;
		}
		if (c >= 0x20)
			ed_insert(&e, c);
		i += (size_t)n;
	}
	curs_set(1);
	while (rc < 0) {
		int key;
		enum request req;

		tui_draw(app);
		if (app->rows >= TUI_MIN_ROWS && app->cols >= TUI_MIN_COLS) {
			if (o->lines > 1)
				draw_box(app, &e, o->title, o->lines);
			else
				draw_line(app, &e, o->title);
			wnoutrefresh(stdscr);
		}
		doupdate();
		key = tui_read_key(app);
		if (key < 0) {
			rc = 0;
			break;
		}
		if (key == KEY_FN(KEY_RESIZE))
			continue;
		req = tui_key_lookup(KM_EDITOR, key);
		switch (req) {
		case REQ_EDIT_SAVE:
			*out = ed_utf8(&e, 0, e.n);
			rc = *out ? 1 : 0;
			break;
		case REQ_EDIT_CANCEL: rc = 0; break;
		case REQ_EDIT_LEFT: if (e.cur) e.cur--; break;
		case REQ_EDIT_RIGHT: if (e.cur < e.n) e.cur++; break;
		case REQ_EDIT_HOME: e.cur = 0; break;
		case REQ_EDIT_END: e.cur = e.n; break;
		case REQ_EDIT_BACKSPACE: if (e.cur) ed_delete(&e, e.cur - 1, e.cur); break;
		case REQ_EDIT_DELETE: ed_delete(&e, e.cur, e.cur + 1); break;
		case REQ_EDIT_KILL_START: ed_delete(&e, 0, e.cur); break;
		case REQ_EDIT_KILL_END: ed_delete(&e, e.cur, e.n); break;
		default:
			/* Text: anything printable, Chinese included; a tab
			 * becomes a space, other control keys are ignored. */
			if (key == '\t')
				key = ' ';
			if (key >= 0x20 && key < KEY_FN(0) && !(key >= 0x7f && key < 0xa0) &&
			    !(key >= 0xD800 && key < 0xE000) && key <= 0x10FFFF && ed_insert(&e, (unsigned)key) < 0)
				beep();
			break;
		}
	}
	curs_set(0);
	free(e.cp);
	return rc;
}
