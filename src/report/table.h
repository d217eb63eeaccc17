/*
 * table.h: ruled tables that flow over pages.
 *
 * Cells wrap by measured width (wrap.h).  A row that does not fit on the
 * rest of a page moves to the next one; a row taller than a whole page
 * (a 5,000-character note) is split between lines.  Every page a table
 * continues on starts with its header row again.
 */
#ifndef ZJ_REPORT_TABLE_H
#define ZJ_REPORT_TABLE_H

#include "report/doc.h"

struct rcol {
	const char *title;
	double frac;		/* share of the table width; the shares add up to 1 */
	enum ralign align;
};

struct rrow_style {
	const struct rgb *fill;		/* background, or NULL */
	const struct rgb *color;	/* text, or NULL for black */
	int bold;
	/* Per cell colour overrides (NULL entries and NULL array: none). */
	const struct rgb *const *cell_color;
};

struct rtable {
	struct rdoc *d;
	const struct rcol *cols;
	size_t ncols;
	double size, lead, pad, left, width;
	double *w;		/* column widths in points */
	size_t header_page;	/* the page whose header row is drawn (0: none) */
};

/* Starts a table at the cursor, left + width inside the text area
 * (width 0: all of it), in text of `size` points. */
int rtable_begin(struct rtable *t, struct rdoc *d, const struct rcol *cols, size_t ncols,
		 double size, double left, double width);
/* One row of ncols cells (raw text, cleaned here; NULL is empty). */
void rtable_row(struct rtable *t, const char *const *cells, const struct rrow_style *rs);
void rtable_end(struct rtable *t);

#endif
