#include "report/table.h"

#include <stdlib.h>
#include <string.h>

static const struct rgb header_fill = { 0.90f, 0.90f, 0.90f };
static const struct rgb rule = { 0.35f, 0.35f, 0.35f };

/* One row, wrapped and waiting for the layout. */
struct rtable_row {
	char **text;
	struct wrap_lines *lines;
	size_t *next;		/* first line not yet drawn, per cell */
	const struct rgb **color;	/* per cell, resolved */
	const struct rgb *fill;
	int bold;
	size_t height;		/* lines */
};

int rtable_begin(struct rtable *t, struct rdoc *d, const struct rcol *cols, size_t ncols,
		 double size, double left, double width)
{
	memset(t, 0, sizeof(*t));
	t->d = d;
	t->cols = cols;
	t->ncols = ncols;
	t->size = size > 0 ? size : RD_SMALL;
	t->lead = t->size * 1.45;
	t->pad = t->size * 0.4;
	t->left = RD_LEFT + left;
	t->width = width > 0 ? width : RD_WIDTH - left;
	if (t->left + t->width > RD_RIGHT)
		t->width = RD_RIGHT - t->left;
	t->w = calloc(ncols ? ncols : 1, sizeof(*t->w));
	if (!t->w) {
		t->failed = 1;
		return -1;
	}
	{
		/* Shares that do not add up to 1 would leave the ruled columns
		 * short of the header's fill (or past it): scaled to the width. */
		double sum = 0;

		for (size_t c = 0; c < ncols; c++)
			sum += cols[c].frac > 0 ? cols[c].frac : 0;
		for (size_t c = 0; c < ncols; c++)
			t->w[c] = (cols[c].frac > 0 ? cols[c].frac : 0) / (sum > 0 ? sum : 1) * t->width;
	}
	rdoc_skip(d, 2);
	return 0;
}

static void row_free(struct rtable_row *r, size_t ncols)
{
	for (size_t i = 0; i < ncols; i++) {
		if (r->text)
			free(r->text[i]);
		if (r->lines)
			rwrap_release(&r->lines[i]);
	}
	free(r->text);
	free(r->lines);
	free(r->next);
	free(r->color);
}

/* Takes in the cells of one row (header: the column titles); they are
 * wrapped at rtable_end, once the column widths are known. */
static int row_make(struct rtable *t, const char *const *raw, const struct rrow_style *rs, int header,
		    struct rtable_row *r)
{
	memset(r, 0, sizeof(*r));
	r->text = calloc(t->ncols, sizeof(*r->text));
	r->lines = calloc(t->ncols, sizeof(*r->lines));
	r->next = calloc(t->ncols, sizeof(*r->next));
	r->color = calloc(t->ncols, sizeof(*r->color));
	if (!r->text || !r->lines || !r->next || !r->color)
		return -1;
	r->fill = header ? &header_fill : rs ? rs->fill : NULL;
	r->bold = header || (rs && rs->bold);
	r->height = 1;
	for (size_t i = 0; i < t->ncols; i++) {
		r->color[i] = rs ? rs->color : NULL;
		if (rs && rs->cell_color && rs->cell_color[i])
			r->color[i] = rs->cell_color[i];
		r->text[i] = strdup(rtext_clean(t->d, raw ? raw[i] : NULL, 1));
		if (!r->text[i])
			return -1;
	}
	return 0;
}

/* A header title breaks only where it says ('\n', spaces, 、，；): never
 * inside a word such as 违规问题数. */
static int row_wrap(struct rtable *t, struct rtable_row *r, int header)
{
	enum rfont f = r->bold ? RF_HEI : RF_SONG;

	r->height = 1;
	for (size_t i = 0; i < t->ncols; i++) {
		double w = t->w[i] - 2 * t->pad;

		if (w < t->size)
			w = t->size;
		if (rdoc_wrap_f(t->d, f, r->text[i], t->size, w, 0, header || t->cols[i].whole, &r->lines[i]) < 0)
			return -1;
		if (r->lines[i].n > r->height)
			r->height = r->lines[i].n;
	}
	return 0;
}

/*
 * The designed shares, adjusted so that no header word and no name is
 * split when the table has the room: a column whose title word, or (for a
 * names column) whose widest name, is wider than the column takes the
 * width from the columns that have more than their own widest piece needs.
 * A name is served up to NAME_GROW times its column's designed width and
 * NAME_MAX of the table, so that the other columns keep their look; a
 * longer one (a 60-character unit name) wraps in the designed width, and
 * what cannot be given is not: the text then breaks as usual.
 */
#define NAME_MAX 0.45
#define NAME_GROW 1.6

static void fit_widths(struct rtable *t, const struct rtable_row *head)
{
	double need[64], have[64], deficit = 0, slack = 0;
	size_t n = t->ncols;

	if (n > 64 || n == 0)
		return;
	for (size_t c = 0; c < n; c++) {
		double inner = t->w[c] - 2 * t->pad, cap = NAME_MAX * t->width - 2 * t->pad, m;

		if (cap > inner * NAME_GROW)
			cap = inner * NAME_GROW;

		have[c] = inner;
		need[c] = rdoc_min_width_f(t->d, RF_HEI, head->text[c], t->size, 1);
		if (cap < inner)
			cap = inner;
		for (size_t k = 0; k < t->nrows; k++) {
			const struct rtable_row *r = &t->rows[k];

			m = rdoc_min_width_f(t->d, r->bold ? RF_HEI : RF_SONG, r->text[c], t->size, t->cols[c].whole);
			/* Only names ask for more than the design, and only
			 * those that the room would keep whole; other columns
			 * keep what their own pieces need. */
			if (t->cols[c].whole ? m > cap : m > inner)
				m = t->cols[c].whole ? 0 : inner;
			if (m > need[c])
				need[c] = m;
		}
		/* The sums below round; a piece that fits exactly must still fit. */
		need[c] += 0.05;
		if (need[c] > inner)
			deficit += need[c] - inner;
		else
			slack += inner - need[c];
	}
	if (deficit <= 0.01 || slack <= 0.01)
		return;
	{
		double give = deficit < slack ? deficit : slack;

		for (size_t c = 0; c < n; c++) {
			if (need[c] > have[c])
				t->w[c] += (need[c] - have[c]) * give / deficit;
			else
				t->w[c] -= (have[c] - need[c]) * give / slack;
		}
	}
}

static size_t lines_left(const struct rtable *t, const struct rtable_row *r)
{
	size_t m = 0;

	for (size_t i = 0; i < t->ncols; i++)
		if (r->lines[i].n - r->next[i] > m)
			m = r->lines[i].n - r->next[i];
	return m;
}

static double band_height(const struct rtable *t, size_t lines)
{
	return (double)lines * t->lead + 2 * t->pad;
}

/* Draws up to n lines of each cell as one band from d->y down. */
static void band(struct rtable *t, struct rtable_row *r, size_t n, int header)
{
	struct rdoc *d = t->d;
	double h = band_height(t, n), x = t->left;
	enum rfont f = r->bold ? RF_HEI : RF_SONG;

	if (r->fill)
		rdoc_fill_rect(d, t->left, d->y - h, t->width, h, r->fill);
	for (size_t i = 0; i < t->ncols; i++) {
		const struct wrap_lines *ls = &r->lines[i];
		double inner = t->w[i] - 2 * t->pad;

		for (size_t k = 0; k < n && r->next[i] < ls->n; k++, r->next[i]++) {
			const struct wrap_line *l = &ls->v[r->next[i]];
			char *s = strndup(r->text[i] + l->off, l->len);
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
			rdoc_text_f(d, f, tx, base, t->size, s, inner + 0.5, al, r->color[i]);
			free(s);
		}
		rdoc_stroke_rect(d, x, d->y - h, t->w[i], h, 0.5, &rule);
		x += t->w[i];
	}
	d->y -= h;
}

static void header(struct rtable *t, const struct rtable_row *proto)
{
	struct rtable_row h = *proto;
	size_t next[64] = { 0 };
	size_t *heap = NULL;

	/* The prototype is wrapped once; each page draws it afresh. */
	if (t->ncols <= 64) {
		h.next = next;
	} else {
		heap = calloc(t->ncols, sizeof(*heap));
		if (!heap)
			return;
		h.next = heap;
	}
	band(t, &h, h.height, 1);
	free(heap);
}

void rtable_row(struct rtable *t, const char *const *cells, const struct rrow_style *rs)
{
	if (t->failed)
		return;
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		struct rtable_row *v = realloc(t->rows, cap * sizeof(*v));

		if (!v) {
			t->failed = 1;
			return;
		}
		t->rows = v;
		t->cap = cap;
	}
	if (row_make(t, cells, rs, 0, &t->rows[t->nrows]) < 0) {
		row_free(&t->rows[t->nrows], t->ncols);
		t->failed = 1;
		return;
	}
	t->nrows++;
}

/* How many whole rows from `from` fit in `avail` points. */
static size_t rows_fitting(const struct rtable *t, size_t from, double avail)
{
	size_t k = from;

	while (k < t->nrows && band_height(t, lines_left(t, &t->rows[k])) <= avail + 0.01) {
		avail -= band_height(t, lines_left(t, &t->rows[k]));
		k++;
	}
	return k - from;
}

void rtable_end(struct rtable *t)
{
	struct rdoc *d = t->d;
	struct rtable_row head = { 0 };
	double hh, page = RD_TOP - RD_BOTTOM, total = 0;
	size_t i = 0;

	if (t->failed || !t->w) {
		if (!d->error)
			d->error = HPDF_FAILD_TO_ALLOC_MEM;
		goto out;
	}
	{
		const char **titles = calloc(t->ncols, sizeof(*titles));
		int bad = !titles;

		for (size_t c = 0; titles && c < t->ncols; c++)
			titles[c] = t->cols[c].title;
		if (!bad && row_make(t, titles, NULL, 1, &head) < 0)
			bad = 1;
		if (!bad)
			fit_widths(t, &head);
		if (!bad && row_wrap(t, &head, 1) < 0)
			bad = 1;
		for (size_t k = 0; !bad && k < t->nrows; k++)
			if (row_wrap(t, &t->rows[k], 0) < 0)
				bad = 1;
		free(titles);
		if (bad) {
			row_free(&head, t->ncols);
			if (!d->error)
				d->error = HPDF_FAILD_TO_ALLOC_MEM;
			goto out;
		}
	}
	hh = band_height(t, head.height);
	for (size_t k = 0; k < t->nrows; k++)
		total += band_height(t, t->rows[k].height);

	/* A table that fits on one page but not on the rest of this one, and
	 * would put fewer than TABLE_KEEP rows, or a third of its rows, on
	 * either side of the break, starts on the next page, with the heading
	 * that waits for it. */
	{
		double ph = rdoc_pending_height(d), room = d->page ? d->y - RD_BOTTOM - ph : 0;
		size_t first = rows_fitting(t, 0, room - hh), keep = t->nrows < TABLE_KEEP ? t->nrows : TABLE_KEEP;
		int move = 0;

		/* A table that fits on a page is not split for a few rows
		 * either side: fewer than TABLE_KEEP, or than a third of it. */
		size_t few = (t->nrows + 2) / 3 > TABLE_KEEP ? (t->nrows + 2) / 3 : TABLE_KEEP;

		if (hh + total > room && hh + total <= page - ph)
			move = first < few || t->nrows - first < few;
		else if (hh + total > room)
			move = first < keep;
		/* Already at the top of a page: moving gains nothing. */
		if (d->page && d->y >= RD_TOP - 0.01 && ph == 0)
			move = 0;
		if (move && ph > 0)
			rdoc_flush(d, page);
		else if (move)
			rdoc_new_page(d);
		else
			rdoc_flush(d, hh + (first ? band_height(t, t->rows[0].height) : 0));
	}
	while (i < t->nrows) {
		double avail = d->y - RD_BOTTOM - hh;
		size_t fit;

		if (!d->page || avail < band_height(t, 1)) {
			rdoc_new_page(d);
			continue;
		}
		fit = rows_fitting(t, i, avail);
		if (fit == 0) {
			struct rtable_row *r = &t->rows[i];
			size_t can = (size_t)((avail - 2 * t->pad) / t->lead), left = lines_left(t, r);

			/* A row taller than a page is split between lines;
			 * any other moves whole to the next page. */
			if (band_height(t, left) <= page - hh && d->y < RD_TOP - 0.01) {
				rdoc_new_page(d);
				continue;
			}
			header(t, &head);
			if (can >= left) {
				band(t, r, left, 0);
				i++;
				continue;
			}
			band(t, r, can, 0);
			rdoc_new_page(d);
			continue;
		}
		/* Not the last row or two alone over the break: when the
		 * rest would not fit here, leave at least TABLE_KEEP rows
		 * for the next page, if as many stay on this one. */
		if (i + fit < t->nrows && t->nrows - (i + fit) < TABLE_KEEP && fit > TABLE_KEEP) {
			size_t give = TABLE_KEEP - (t->nrows - (i + fit));

			if (fit - give >= TABLE_KEEP)
				fit -= give;
		}
		header(t, &head);
		for (size_t k = 0; k < fit; k++, i++)
			band(t, &t->rows[i], lines_left(t, &t->rows[i]), 0);
		if (i < t->nrows)
			rdoc_new_page(d);
	}
	row_free(&head, t->ncols);
out:
	for (size_t k = 0; k < t->nrows; k++)
		row_free(&t->rows[k], t->ncols);
	free(t->rows);
	t->rows = NULL;
	t->nrows = t->cap = 0;
	free(t->w);
	t->w = NULL;
	rdoc_skip(d, t->size);
}
