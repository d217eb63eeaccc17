/* Widgets: text cut by display width, wrapping, tables, bars.  Widths come
 * from util/utf8.h, which agrees with glibc's wcwidth for everything the
 * data holds (CJK, fullwidth forms, ASCII), so what curses places and what
 * we measure stay in step. */
#include "tui/app.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

#define TEXT_MAX 4096

int tui_text(int y, int x, const char *s, int width, attr_t attr)
{
	char buf[TEXT_MAX];
	size_t len = strlen(s), i = 0, out = 0;
	int col = 0;

	if (width <= 0)
		return 0;
	while (i < len && out + 8 < sizeof(buf)) {
		unsigned cp;
		int n = utf8_decode(s + i, len - i, &cp), w;

		if (n < 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			/* A byte that is not text would move the cursor or
			 * confuse the terminal: show it as one '?'. */
			if (col + 1 > width)
				break;
			buf[out++] = '?';
			col++;
			i += n < 0 ? 1 : (size_t)n;
			continue;
		}
		w = utf8_cp_width(cp);
		if (col + w > width || (w == 0 && col == 0)) {
			if (w == 0 && col == 0) {	/* a mark with nothing to sit on */
				i += (size_t)n;
				continue;
			}
			break;
		}
		memcpy(buf + out, s + i, (size_t)n);
		out += (size_t)n;
		col += w;
		i += (size_t)n;
	}
	if (!out)
		return 0;
	attrset(attr);
	mvaddnstr(y, x, buf, (int)out);
	attrset(A_NORMAL);
	return col;
}

int tui_text_fit(int y, int x, const char *s, int width, attr_t attr)
{
	static const char sep[] = " · ", dot[] = "·", more[] = "…";
	char buf[TEXT_MAX];
	size_t o = 0;

	if ((int)utf8_width(s) <= width)
		return tui_text(y, x, s, width, attr);
	if (!strstr(s, sep) || strlen(s) >= sizeof(buf)) {
		tui_cell(y, x, s, width, 0, attr);	/* cut, but said so: "…" */
		return width;
	}
	while (*s) {
		if (!strncmp(s, sep, sizeof(sep) - 1)) {
			memcpy(buf + o, dot, sizeof(dot) - 1);
			o += sizeof(dot) - 1;
			s += sizeof(sep) - 1;
		} else {
			buf[o++] = *s++;
		}
	}
	buf[o] = '\0';
	while ((int)utf8_width(buf) > width) {
		char *last = NULL;

		for (char *q = strstr(buf, dot); q; q = strstr(q + 1, dot))
			last = q;
		if (!last || last == buf)
			break;
		/* "…" is one byte longer than "·": the string shrinks by at
		 * least the piece it drops. */
		memcpy(last, more, sizeof(more));
	}
	if ((int)utf8_width(buf) > width) {
		tui_cell(y, x, buf, width, 0, attr);
		return width;
	}
	return tui_text(y, x, buf, width, attr);
}

void tui_fill(int y, int x, int width, attr_t attr)
{
	if (width <= 0)
		return;
	attrset(attr);
	mvhline(y, x, ' ', width);
	attrset(A_NORMAL);
}

void tui_cell(int y, int x, const char *s, int width, int right, attr_t attr)
{
	int w, used;

	if (width <= 0)
		return;
	if (!s)
		s = "";
	w = (int)utf8_width(s);
	if (w <= width) {
		if (right) {
			tui_fill(y, x, width - w, attr);
			tui_text(y, x + width - w, s, w, attr);
		} else {
			used = tui_text(y, x, s, width, attr);
			tui_fill(y, x + used, width - used, attr);
		}
		return;
	}
	used = tui_text(y, x, s, width - 1, attr);
	tui_text(y, x + used, "…", 1, attr);
	tui_fill(y, x + used + 1, width - used - 1, attr);
}

void tui_bar(struct app *app, int y, int x, int width, double fraction, attr_t fill)
{
	int full;

	if (width <= 0)
		return;
	if (fraction < 0) {
		for (int i = 0; i < width; i++)
			tui_text(y, x + i, app->bar_empty, 1, app->attr[AT_BAR_EMPTY]);
		return;
	}
	if (fraction > 1)
		fraction = 1;
	full = (int)(fraction * width + 0.5);
	for (int i = 0; i < width; i++)
		tui_text(y, x + i, i < full ? app->bar_full : app->bar_empty,
			  1, i < full ? fill : app->attr[AT_BAR_EMPTY]);
}

/* ---- wrapping ---- */

static int is_closing(unsigned cp)
{
	static const unsigned closing[] = {
		0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF09, 0x300B, 0x300D,
		0x300F, 0x3011, 0x3009, 0x3015, 0x201D, 0x2019, 0x2026, 0x00B7, 0xFF0E, 0xFF5D,
		',', '.', ';', ':', '?', '!', ')', ']', '}', '%',
	};

	for (size_t i = 0; i < sizeof(closing) / sizeof(closing[0]); i++)
		if (closing[i] == cp)
			return 1;
	return 0;
}

static int is_opening(unsigned cp)
{
	static const unsigned opening[] = {
		0xFF08, 0x300A, 0x300C, 0x300E, 0x3010, 0x3008, 0x3014, 0x201C, 0x2018, 0xFF5B,
		'(', '[', '{',
	};

	for (size_t i = 0; i < sizeof(opening) / sizeof(opening[0]); i++)
		if (opening[i] == cp)
			return 1;
	return 0;
}

static size_t prev_char(const char *s, size_t pos)
{
	while (pos > 0 && ((unsigned char)s[--pos] & 0xC0) == 0x80)
		;
	return pos;
}

static unsigned cp_at(const char *s, size_t len, size_t pos)
{
	unsigned cp = 0;

	if (pos >= len || utf8_decode(s + pos, len - pos, &cp) < 0)
		return 0;
	return cp;
}

static int push_line(struct tui_wrap *w, const char *s, size_t off, size_t end)
{
	while (end > off && s[end - 1] == ' ')
		end--;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		struct tui_wrap_line *l = realloc(w->line, cap * sizeof(*l));

		if (!l)
			return -1;
		w->line = l;
		w->cap = cap;
	}
	w->line[w->n].off = off;
	w->line[w->n].len = end - off;
	w->n++;
	return 0;
}

int tui_wrap(struct tui_wrap *w, const char *s, int width)
{
	size_t len = strlen(s), pos = 0;

	w->n = 0;
	if (width < 2)
		width = 2;
	while (pos < len) {
		size_t i = pos, brk = pos, end;
		int col = 0, at_space = 0;
		unsigned prev = 0;

		while (i < len && s[i] != '\n') {
			unsigned cp = '?';
			int n = utf8_decode(s + i, len - i, &cp), cw;

			if (n < 0)
				n = 1, cp = '?';
			cw = cp < 0x20 ? 1 : utf8_cp_width(cp);
			if (col + cw > width)
				break;
			/* Before a wide character, but not between a number
			 * and its measure word: "43" at a line's end and "个"
			 * at the next one's start read as two things. */
			if (cw == 2 && i > pos && !(prev < 0x80 && (isdigit((int)prev) || isalpha((int)prev)))) {
				brk = i;
				at_space = 0;
			}
			prev = cp;
			col += cw;
			i += (size_t)n;
			if (cp == ' ') {
				brk = i;	/* after a space */
				at_space = 1;
			} else if (cw == 2) {
				brk = i;	/* after a wide character */
				at_space = 0;
			}
		}
		if (i >= len || s[i] == '\n') {
			if (push_line(w, s, pos, i) < 0)
				return -1;
			pos = i < len ? i + 1 : i;
			continue;
		}
		end = brk > pos ? brk : i;
		if (end == pos) {	/* a character wider than the line */
			unsigned cp0;
			int n0 = utf8_decode(s + pos, len - pos, &cp0);

			end = pos + (size_t)(n0 > 0 ? n0 : 1);
		}
		if (!at_space || end == i) {
			/* Line-breaking rules for Chinese: closing punctuation
			 * never starts a line and opening punctuation never ends
			 * one; the character before goes down with it instead. */
			size_t e = end;

			for (int k = 0; k < 2 && is_closing(cp_at(s, len, e)); k++) {
				size_t p = prev_char(s, e);

				if (p <= pos)
					break;
				e = p;
			}
			if (is_opening(cp_at(s, len, prev_char(s, e))) && prev_char(s, e) > pos)
				e = prev_char(s, e);
			/* A measure word that went down takes its number. */
			if (e != end && utf8_cp_width(cp_at(s, len, e)) == 2) {
				size_t p = e;

				while (p > pos && (isdigit((unsigned char)s[p - 1]) || isalpha((unsigned char)s[p - 1])))
					p--;
				if (p > pos)
					e = p;
			}
			end = e;
		}
		if (push_line(w, s, pos, end) < 0)
			return -1;
		pos = end;
		while (pos < len && s[pos] == ' ')
			pos++;
	}
	return (int)w->n;
}

void tui_wrap_release(struct tui_wrap *w)
{
	free(w->line);
	memset(w, 0, sizeof(*w));
}

int tui_wrapped(int y, int x, const char *s, int width, int first, int height, attr_t attr)
{
	struct tui_wrap w = { 0 };
	char line[TEXT_MAX];
	int n;

	if (tui_wrap(&w, s, width) < 0) {
		tui_wrap_release(&w);
		return 0;
	}
	n = (int)w.n;
	for (int i = 0; i < height && first + i < n; i++) {
		const struct tui_wrap_line *l = &w.line[first + i];
		size_t len = l->len < sizeof(line) - 1 ? l->len : sizeof(line) - 1;

		memcpy(line, s + l->off, len);
		line[len] = '\0';
		tui_text(y + i, x, line, width, attr);
	}
	tui_wrap_release(&w);
	return n;
}

int tui_prompt_title(struct app *app, const char *title, int keep)
{
	int y = app->rows - 1, width = app->cols - 2, n, max = app->rows - 3;
	attr_t at = app->attr[AT_SELECT];
	struct tui_wrap w = { 0 };
	char line[TEXT_MAX];

	tui_fill(y, 0, app->cols, at);
	if ((int)utf8_width(title) + 1 + keep <= width || width < 8)
		return 2 + tui_text(y, 1, title, width, at);
	if (tui_wrap(&w, title, width) < 0 || !w.n) {
		tui_wrap_release(&w);
		return 2 + tui_text(y, 1, title, width, at);
	}
	n = (int)w.n < max ? (int)w.n : max;
	for (int i = 0; i < n; i++) {
		const struct tui_wrap_line *l = &w.line[i];
		size_t len = l->len < sizeof(line) - 1 ? l->len : sizeof(line) - 1;

		memcpy(line, title + l->off, len);
		line[len] = '\0';
		tui_fill(y - n + i, 0, app->cols, at);
		tui_text(y - n + i, 1, line, width, at);
	}
	tui_wrap_release(&w);
	return 1;
}

/* ---- tables ---- */

void tui_table_layout(struct tui_col *cols, size_t n, int width)
{
	int used, spare, wsum;

	for (size_t i = 0; i < n; i++)
		cols[i].width = cols[i].min;
	for (;;) {
		size_t worst = n;

		used = -1;
		for (size_t i = 0; i < n; i++)
			if (cols[i].width)
				used += cols[i].width + 2;
		if (used <= width)
			break;
		for (size_t i = 0; i < n; i++)
			if (cols[i].width && cols[i].drop && (worst == n || cols[i].drop > cols[worst].drop))
				worst = i;
		if (worst == n)
			return;	/* nothing left to drop: the row is cut at the edge */
		cols[worst].width = 0;
	}
	spare = width - used;
	while (spare > 0) {
		int given = 0;

		wsum = 0;
		for (size_t i = 0; i < n; i++)
			if (cols[i].width && cols[i].weight && cols[i].width < cols[i].max)
				wsum += cols[i].weight;
		if (!wsum)
			break;
		for (size_t i = 0; i < n && spare > 0; i++) {
			int add;

			if (!cols[i].width || !cols[i].weight || cols[i].width >= cols[i].max)
				continue;
			add = spare * cols[i].weight / wsum;
			if (add < 1)
				add = 1;
			if (add > cols[i].max - cols[i].width)
				add = cols[i].max - cols[i].width;
			if (add > spare)
				add = spare;
			cols[i].width += add;
			spare -= add;
			given += add;
		}
		if (!given)
			break;
	}
}

void tui_table_row(struct app *app, int y, const struct tui_col *cols, size_t n,
		    const char *const *cells, const attr_t *cell_attr, attr_t attr)
{
	int x = 0, last = -1;
	attr_t a;

	for (size_t i = 0; i < n; i++)
		if (cols[i].width)
			last = (int)i;
	tui_fill(y, 0, app->cols, attr);
	for (size_t i = 0; i < n; i++) {
		if (!cols[i].width)
			continue;
		if (x + 1 + cols[i].width > app->cols)
			break;
		a = attr;
		if (cell_attr)	/* a row's colour (the selection) wins over a cell's */
			a |= (attr & A_COLOR) ? (cell_attr[i] & ~A_COLOR) : cell_attr[i];
		tui_cell(y, x + 1, cells[i] ? cells[i] : "", cols[i].width, cols[i].right, a);
		x += 1 + cols[i].width;
		if ((int)i != last && x < app->cols) {
			tui_text(y, x, app->vline, 1, attr);
			x++;
		}
	}
}

void tui_pane_add(struct tui_pane *p, const char *label, const char *text, attr_t attr, int heading)
{
	struct tui_pane_line *d;

	if (p->oom)
		return;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 32;
		struct tui_pane_line *v = realloc(p->v, cap * sizeof(*v));

		if (!v) {
			p->oom = 1;
			return;
		}
		p->v = v;
		p->cap = cap;
	}
	d = &p->v[p->n];
	d->label = strdup(label ? label : "");
	d->text = strdup(text ? text : "");
	d->attr = attr;
	d->heading = heading;
	if (!d->label || !d->text) {
		free(d->label);
		free(d->text);
		p->oom = 1;
		return;
	}
	p->n++;
}

void tui_pane_release(struct tui_pane *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].label);
		free(p->v[i].text);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* The screen lines of one pane line at label width lw. */
static int pane_lines(struct app *app, const struct tui_pane_line *d, int lw)
{
	struct tui_wrap wr = { 0 };
	int k;

	if (d->heading)
		return 1;
	k = tui_wrap(&wr, d->text, app->cols - lw - 4) > 0 ? (int)wr.n : 1;
	tui_wrap_release(&wr);
	return k + ((int)utf8_width(d->label) > lw);
}

int tui_pane_draw(struct app *app, const struct tui_pane *p, int y, int height, int *top, size_t sel,
		  int *follow)
{
	int lw = 0, line = 0, sel_first = 0, maxlw = app->cols / 5 > 12 ? app->cols / 5 : 12;

	for (size_t i = 0; i < p->n; i++)
		if (!p->v[i].heading && (int)utf8_width(p->v[i].label) > lw && (int)utf8_width(p->v[i].label) <= maxlw)
			lw = (int)utf8_width(p->v[i].label);
	/* Where the selected line falls, to keep it in view. */
	if (sel < p->n) {
		for (size_t i = 0; i < sel; i++)
			sel_first += pane_lines(app, &p->v[i], lw);
		if (follow && *follow) {
			int last = sel_first + pane_lines(app, &p->v[sel], lw);

			if (sel_first < *top)
				*top = sel_first;
			if (last > *top + height)
				*top = last - height;
			*follow = 0;
		}
	}
	/* A long text wraps under its label; a label too long for the
	 * column has a line of its own. */
	for (size_t i = 0; i < p->n; i++) {
		const struct tui_pane_line *d = &p->v[i];
		struct tui_wrap wr = { 0 };
		int tw = app->cols - lw - 4, own = (int)utf8_width(d->label) > lw;
		attr_t la = app->attr[AT_BOLD] | (d->attr & ~A_BOLD), ta = d->attr;

		if (d->heading) {
			int yy = y + line - *top;

			if (yy >= y && yy < y + height)
				tui_text(yy, 1, d->label, app->cols - 2, app->attr[AT_HEADER]);
			line++;
			continue;
		}
		if (i == sel) {
			la = app->attr[AT_SELECT] | ((la & ~A_COLOR) & ~A_REVERSE);
			ta = app->attr[AT_SELECT] | ((ta & ~A_COLOR) & ~A_REVERSE);
		}
		if (tui_wrap(&wr, d->text, tw) < 0) {
			tui_wrap_release(&wr);
			continue;
		}
		if (own) {
			int yy = y + line - *top;

			if (yy >= y && yy < y + height) {
				if (i == sel)
					tui_fill(yy, 0, app->cols, app->attr[AT_SELECT]);
				tui_text(yy, 1, d->label, app->cols - 2, la);
			}
			line++;
		}
		for (size_t k = 0; k < (wr.n ? wr.n : 1); k++, line++) {
			int yy = y + line - *top;
			char text[TEXT_MAX];
			size_t len = wr.n ? wr.line[k].len : 0;

			if (yy < y || yy >= y + height)
				continue;
			if (len > sizeof(text) - 1)
				len = sizeof(text) - 1;
			memcpy(text, d->text + (wr.n ? wr.line[k].off : 0), len);
			text[len] = '\0';
			if (i == sel)
				tui_fill(yy, 0, app->cols, app->attr[AT_SELECT]);
			if (!k && !own)
				tui_cell(yy, 1, d->label, lw, 0, la);
			tui_text(yy, lw + 3, text, tw, ta);
		}
		tui_wrap_release(&wr);
	}
	if (*top > line - height)
		*top = line - height > 0 ? line - height : 0;
	return sel_first;
}
