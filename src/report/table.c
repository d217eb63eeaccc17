#include "report/table.h"

#include <stdlib.h>
#include <string.h>

static const struct rgb header_fill = { 0.88f, 0.90f, 0.93f };
static const struct rgb rule = { 0.55f, 0.55f, 0.55f };

int rtable_begin(struct rtable *t, struct rdoc *d, const struct rcol *cols, size_t ncols,
		 double size, double left, double width)
{
	memset(t, 0, sizeof(*t));
	t->d = d;
	t->cols = cols;
	t->ncols = ncols;
	t->size = size > 0 ? size : RD_SMALL;
	t->lead = t->size * 1.45;
	t->pad = t->size * 0.35;
	t->left = RD_LEFT + left;
	t->width = width > 0 ? width : RD_WIDTH - left;
	if (t->left + t->width > RD_RIGHT)
		t->width = RD_RIGHT - t->left;
	t->w = calloc(ncols ? ncols : 1, sizeof(*t->w));
	if (!t->w)
		return -1;
	for (size_t c = 0; c < ncols; c++)
		t->w[c] = cols[c].frac * t->width;
	rdoc_skip(d, 2);
	return 0;
}

/* The cells of one row, wrapped. */
struct cells {
	char **text;
	struct wrap_lines *lines;
	size_t *next;		/* first line not yet drawn */
};

static void cells_free(struct cells *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (c->text)
			free(c->text[i]);
		if (c->lines)
			rwrap_release(&c->lines[i]);
	}
	free(c->text);
	free(c->lines);
	free(c->next);
}

static int cells_wrap(struct rtable *t, const char *const *raw, struct cells *c)
{
	c->text = calloc(t->ncols, sizeof(*c->text));
	c->lines = calloc(t->ncols, sizeof(*c->lines));
	c->next = calloc(t->ncols, sizeof(*c->next));
	if (!c->text || !c->lines || !c->next)
		return -1;
	for (size_t i = 0; i < t->ncols; i++) {
		double w = t->w[i] - 2 * t->pad;

		c->text[i] = strdup(rtext_clean(t->d, raw ? raw[i] : NULL, 1));
		if (!c->text[i])
			return -1;
		if (w < t->size)
			w = t->size;
		if (rdoc_wrap(t->d, c->text[i], t->size, w, 0, &c->lines[i]) < 0)
			return -1;
	}
	return 0;
}

static size_t cells_left(const struct rtable *t, const struct cells *c)
{
	size_t m = 0;

	for (size_t i = 0; i < t->ncols; i++)
		if (c->lines[i].n - c->next[i] > m)
			m = c->lines[i].n - c->next[i];
	return m;
}

/* Draws up to n lines of each cell as one band of height h from d->y. */
static void band(struct rtable *t, struct cells *c, size_t n, const struct rrow_style *rs, int header)
{
	struct rdoc *d = t->d;
	double h = (double)n * t->lead + 2 * t->pad, x = t->left;

	if (rs && rs->fill)
		rdoc_fill_rect(d, t->left, d->y - h, t->width, h, rs->fill);
	else if (header)
		rdoc_fill_rect(d, t->left, d->y - h, t->width, h, &header_fill);
	for (size_t i = 0; i < t->ncols; i++) {
		const struct wrap_lines *ls = &c->lines[i];
		const struct rgb *col = rs ? rs->color : NULL;
		double inner = t->w[i] - 2 * t->pad;

		if (rs && rs->cell_color && rs->cell_color[i])
			col = rs->cell_color[i];
		for (size_t k = 0; k < n && c->next[i] < ls->n; k++, c->next[i]++) {
			const struct wrap_line *l = &ls->v[c->next[i]];
			char *s = strndup(c->text[i] + l->off, l->len);
			double base = d->y - t->pad - (double)k * t->lead - t->lead / 2 - t->size * 0.35;
			double tx = x + t->pad;
			enum ralign al = header ? RA_CENTER : t->cols[i].align;

			if (!s)
				continue;
			if (al == RA_CENTER)
				tx = x + t->w[i] / 2;
			else if (al == RA_RIGHT)
				tx = x + t->w[i] - t->pad;
			/* Already wrapped to fit; the cut only guards rounding. */
			rdoc_text(d, tx, base, t->size, s, inner + 0.5, al, col, header || (rs && rs->bold));
			free(s);
		}
		rdoc_stroke_rect(d, x, d->y - h, t->w[i], h, 0.5, &rule);
		x += t->w[i];
	}
	d->y -= h;
}

static void header(struct rtable *t)
{
	const char **titles = calloc(t->ncols, sizeof(*titles));
	struct cells c = { 0 };

	if (!titles)
		return;
	for (size_t i = 0; i < t->ncols; i++)
		titles[i] = t->cols[i].title;
	if (cells_wrap(t, titles, &c) == 0)
		band(t, &c, cells_left(t, &c), NULL, 1);
	cells_free(&c, t->ncols);
	free(titles);
	t->header_page = rdoc_page_no(t->d);
}

static double header_height(struct rtable *t)
{
	size_t m = 1;

	for (size_t i = 0; i < t->ncols; i++) {
		struct wrap_lines l = { 0 };
		const char *s = rtext_clean(t->d, t->cols[i].title, 0);

		if (rdoc_wrap(t->d, s, t->size, t->w[i] - 2 * t->pad, 0, &l) == 0 && l.n > m)
			m = l.n;
		rwrap_release(&l);
	}
	return (double)m * t->lead + 2 * t->pad;
}

void rtable_row(struct rtable *t, const char *const *cells, const struct rrow_style *rs)
{
	struct rdoc *d = t->d;
	struct cells c = { 0 };
	double hh = header_height(t), page = RD_TOP - RD_BOTTOM;
	int started = 0;

	if (cells_wrap(t, cells, &c) < 0) {
		cells_free(&c, t->ncols);
		return;
	}
	for (;;) {
		size_t left = cells_left(t, &c), fit;
		double avail = d->y - RD_BOTTOM - (t->header_page == rdoc_page_no(d) ? 0 : hh);
		double need = (double)left * t->lead + 2 * t->pad;

		if (avail < t->lead + 2 * t->pad ||
		    (need > avail && need <= page - hh && (!started || avail < 3 * t->lead))) {
			/* Move the row whole to a new page when it fits on
			 * one; split only rows taller than a page. */
			rdoc_new_page(d);
			continue;
		}
		if (t->header_page != rdoc_page_no(d))
			header(t);
		fit = (size_t)((avail - 2 * t->pad) / t->lead);
		if (fit >= left) {
			band(t, &c, left, rs, 0);
			break;
		}
		band(t, &c, fit, rs, 0);
		started = 1;
		rdoc_new_page(d);
	}
	cells_free(&c, t->ncols);
}

void rtable_end(struct rtable *t)
{
	free(t->w);
	t->w = NULL;
	rdoc_skip(t->d, t->size);
}
