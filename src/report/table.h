/*
 * table.h: ruled tables that flow over pages.
 *
 * Cells wrap by measured width (wrap.h); a column may keep its names whole
 * (a unit or an app is split only when it is wider than the column), and a
 * header title breaks only at a '\n' it holds (or after spaces, 、，；／).
 * Before the rows are wrapped, a column whose title word or widest name
 * does not fit takes width from the columns with room to spare, so that
 * neither is split when the table has the room.  Rows
 * are collected and laid out at rtable_end, knowing them all: a table that
 * fits on a page never leaves its first rows alone at the foot of one,
 * nor carries only its last rows over to the next: fewer than TABLE_KEEP
 * or a third of its rows on either side, it moves whole; a longer table
 * carries at least TABLE_KEEP rows onto its last page; a row that does not fit
 * on the rest of a page moves to the next one; a row taller than a whole
 * page (a 5,000-character note) is split between lines.  Every page a table
 * continues on starts with its header row again.  The header is in 黑, the
 * cells in 宋 (黑 for a bold row).
 */
#ifndef ZJ_REPORT_TABLE_H
#define ZJ_REPORT_TABLE_H

#include "report/doc.h"

/* Rows kept together at either end of a page break. */
#define TABLE_KEEP 3

struct rcol {
	const char *title;	/* '\n' where a two-line title breaks */
	double frac;		/* share of the table width (the shares are scaled to add up to 1) */
	enum ralign align;
	int whole;		/* names: break only after spaces and 、，； */
};

struct rrow_style {
	const struct rgb *fill;		/* background, or NULL; must outlive the table */
	const struct rgb *color;	/* text, or NULL for black; the same */
	int bold;
	/* Per cell colour overrides (NULL entries and NULL array: none); the
	 * array is copied, the colours must outlive the table. */
	const struct rgb *const *cell_color;
};

struct rtable_row;

struct rtable {
	struct rdoc *d;
	const struct rcol *cols;
	size_t ncols;
	double size, lead, pad, left, width;
	double *w;		/* column widths in points */
	struct rtable_row *rows;
	size_t nrows, cap;
	int failed;
};

/* Starts a table at the cursor, left + width inside the text area
 * (width 0: all of it), in text of `size` points. */
int rtable_begin(struct rtable *t, struct rdoc *d, const struct rcol *cols, size_t ncols,
		 double size, double left, double width);
/* One row of ncols cells (raw text, cleaned and copied here; NULL is
 * empty). */
void rtable_row(struct rtable *t, const char *const *cells, const struct rrow_style *rs);
/* Lays the rows out and frees them. */
void rtable_end(struct rtable *t);

#endif
