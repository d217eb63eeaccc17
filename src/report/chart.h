/*
 * chart.h: the bar chart of the article scores and the histogram of the
 * units' scores, as vector graphics.
 *
 * Drawn with libharu's path operators (rectangles and lines), so it stays
 * sharp at any zoom, prints well, and its labels remain text that
 * pdftotext and a screen reader can read.
 */
#ifndef ZJ_REPORT_CHART_H
#define ZJ_REPORT_CHART_H

#include <stddef.h>

#include "report/doc.h"

struct chart_bar {
	const char *label;	/* "第6条 严格控制强制使用功能" */
	double value;		/* 0..100; < 0: no score */
};

struct chart_band {
	const char *name;	/* a grade: "良好" */
	double min;
};

/* A horizontal bar chart of n bars at the cursor, the grade bands marked
 * as dashed lines; moves to a new page first if it does not fit. */
void rchart_bars(struct rdoc *d, const struct chart_bar *bars, size_t n,
		const struct chart_band *bands, size_t nbands);

struct chart_bin {
	const char *label;	/* "60–70" */
	long long count;
	double band_value;	/* a score in the bin, for its colour */
};

/* A vertical histogram of n bins at the cursor, each bar coloured by the
 * grade band of its band_value, its count above it; unit names the counts
 * ("单位数") above the scale, axis the bins below them, and note is
 * written beside the legend.  Moves to a new page first if it does not
 * fit. */
void rchart_histogram(struct rdoc *d, const struct chart_bin *bins, size_t n, const char *unit,
		      const char *axis, const char *note, const struct chart_band *bands, size_t nbands);

#endif
