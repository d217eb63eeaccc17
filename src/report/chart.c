#include "report/chart.h"

#include <stdio.h>

#define ROW 17.0
#define BAR 10.5
#define LABEL_W 170.0
#define VALUE_W 34.0
#define AXIS_H 16.0
#define FOOT_H 30.0

/* Bar colours from the best band down; further bands reuse the last. */
static const struct rgb band_colors[] = {
	{ 0.18f, 0.55f, 0.32f },	/* 优秀 */
	{ 0.20f, 0.45f, 0.72f },	/* 良好 */
	{ 0.90f, 0.60f, 0.12f },	/* 一般 */
	{ 0.80f, 0.24f, 0.20f },	/* 较差 */
};
#define NCOLORS (sizeof(band_colors) / sizeof(band_colors[0]))
static const struct rgb chart_white = { 1.0f, 1.0f, 1.0f };

static const struct rgb *color_for(double v, const struct chart_band *bands, size_t nbands)
{
	for (size_t i = 0; i < nbands; i++)
		if (v >= bands[i].min)
			return &band_colors[i < NCOLORS ? i : NCOLORS - 1];
	return &band_colors[NCOLORS - 1];
}

/* One swatch per band with its range, after a short note at the left. */
static void legend(struct rdoc *d, double ly, const struct chart_band *bands, size_t nbands, const char *note)
{
	double lx = RD_LEFT + 80;

	for (size_t i = 0; i < nbands; i++) {
		char label[96];
		double w;

		if (i == 0)
			snprintf(label, sizeof(label), "%s（≥%g）", bands[i].name, bands[i].min);
		else
			snprintf(label, sizeof(label), "%s（%g–%g）", bands[i].name, bands[i].min,
				 bands[i - 1].min);
		rdoc_fill_rect(d, lx, ly - 1, 9, 7, &band_colors[i < NCOLORS ? i : NCOLORS - 1]);
		rdoc_text(d, lx + 12, ly, 7.5, label, RD_RIGHT - lx - 12, RA_LEFT, NULL, 0);
		w = rdoc_width(d, label, 7.5) + 24;
		lx += w;
		if (lx > RD_RIGHT)
			break;
	}
	rdoc_text(d, RD_LEFT, ly, 7.5, note, 76, RA_LEFT, &RGB_GREY, 0);
}

void rchart_bars(struct rdoc *d, const struct chart_bar *bars, size_t n,
		const struct chart_band *bands, size_t nbands)
{
	double h = AXIS_H + (double)n * ROW + FOOT_H, top, x0, x1, y;
	char buf[32];

	rdoc_need(d, h + 6);
	top = d->y - 4;
	x0 = RD_LEFT + LABEL_W;
	x1 = RD_RIGHT - VALUE_W;

	/* Scale and grid. */
	for (int v = 0; v <= 100; v += 20) {
		double x = x0 + (x1 - x0) * v / 100.0;

		snprintf(buf, sizeof(buf), "%d", v);
		rdoc_text(d, x, top - AXIS_H + 4, 7.5, buf, 0, RA_CENTER, &RGB_GREY, 0);
		rdoc_line(d, x, top - AXIS_H, x, top - AXIS_H - (double)n * ROW, 0.3,
			  v ? &RGB_LIGHT : &RGB_GREY, 0);
	}
	/* Grade bands: a dashed line at each minimum, named below. */
	for (size_t i = 0; i < nbands; i++) {
		double x;

		if (bands[i].min <= 0 || bands[i].min > 100)
			continue;
		x = x0 + (x1 - x0) * bands[i].min / 100.0;
		rdoc_line(d, x, top - AXIS_H + 2, x, top - AXIS_H - (double)n * ROW - 2, 0.6,
			  &band_colors[i < NCOLORS ? i : NCOLORS - 1], 1);
	}

	y = top - AXIS_H;
	for (size_t i = 0; i < n; i++) {
		double base = y - ROW / 2 - 7.5 * 0.35, v = bars[i].value;

		rdoc_text(d, RD_LEFT, base, 8.0, bars[i].label, LABEL_W - 6, RA_LEFT, NULL, 0);
		if (v < 0) {
			rdoc_text(d, x0 + 4, base, 7.5, "未评分", 0, RA_LEFT, &RGB_GREY, 0);
		} else {
			double w = (x1 - x0) * (v > 100 ? 100 : v) / 100.0;

			/* A zero still shows as a hairline at the axis. */
			rdoc_fill_rect(d, x0, y - ROW / 2 - BAR / 2, w > 0.8 ? w : 0.8, BAR,
				       color_for(v, bands, nbands));
			snprintf(buf, sizeof(buf), "%.1f", v);
			/* On white, so a band's dashed line does not strike
			 * through a value that ends just past it. */
			rdoc_fill_rect(d, x0 + w + 2, y - ROW / 2 - 7.5 * 0.6, rdoc_width(d, buf, 7.5) + 2, 7.5 * 1.2,
				       &chart_white);
			rdoc_text(d, x0 + w + 3, base, 7.5, buf, 0, RA_LEFT, NULL, 0);
		}
		y -= ROW;
	}
	rdoc_line(d, x0, top - AXIS_H, x0, y, 0.6, &RGB_BLACK, 0);

	legend(d, y - 16, bands, nbands, "虚线为等次分界");
	d->y = top - h;
}

/* A step of 1, 2 or 5 times a power of ten giving at most 5 intervals. */
static long long nice_step(long long max)
{
	long long p = 1;

	for (;;) {
		if (max <= 5 * p)
			return p;
		if (max <= 10 * p)
			return 2 * p;
		if (max <= 25 * p)
			return 5 * p;
		p *= 10;
	}
}

#define HIST_H 130.0
#define HIST_TOP 16.0
#define HIST_YL 34.0
#define HIST_FOOT 50.0

void rchart_histogram(struct rdoc *d, const struct chart_bin *bins, size_t n, const char *unit,
		      const char *axis, const char *note, const struct chart_band *bands, size_t nbands)
{
	double h = HIST_TOP + HIST_H + HIST_FOOT, top, x0, x1, py0, py1, slot;
	long long max = 0, step, ymax;
	char buf[32];

	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		if (bins[i].count > max)
			max = bins[i].count;
	step = nice_step(max > 0 ? max : 1);
	ymax = (max + step - 1) / step * step;
	if (ymax < step)
		ymax = step;
	rdoc_need(d, h + 6);
	top = d->y - 4;
	x0 = RD_LEFT + HIST_YL;
	x1 = RD_RIGHT - 6;
	py1 = top - HIST_TOP;
	py0 = py1 - HIST_H;
	slot = (x1 - x0) / (double)n;

	rdoc_text(d, RD_LEFT, py1 + 6, 7.5, unit, HIST_YL + 60, RA_LEFT, &RGB_GREY, 0);
	for (long long v = 0; v <= ymax; v += step) {
		double y = py0 + HIST_H * (double)v / (double)ymax;

		snprintf(buf, sizeof(buf), "%lld", v);
		rdoc_text(d, x0 - 4, y - 7.5 * 0.35, 7.5, buf, 0, RA_RIGHT, &RGB_GREY, 0);
		rdoc_line(d, x0, y, x1, y, 0.3, v ? &RGB_LIGHT : &RGB_GREY, 0);
	}
	for (size_t i = 0; i < n; i++) {
		double cx = x0 + slot * ((double)i + 0.5), bw = slot * 0.62;
		double bh = HIST_H * (double)bins[i].count / (double)ymax;

		if (bins[i].count > 0)
			rdoc_fill_rect(d, cx - bw / 2, py0, bw, bh, color_for(bins[i].band_value, bands, nbands));
		snprintf(buf, sizeof(buf), "%lld", bins[i].count);
		rdoc_text(d, cx, py0 + bh + 3, 7.5, buf, slot - 2, RA_CENTER,
			  bins[i].count ? NULL : &RGB_GREY, bins[i].count > 0);
		rdoc_text(d, cx, py0 - 10, 7.5, bins[i].label, slot - 2, RA_CENTER, NULL, 0);
	}
	rdoc_line(d, x0, py0, x0, py1, 0.6, &RGB_BLACK, 0);
	rdoc_line(d, x0, py0, x1, py0, 0.6, &RGB_BLACK, 0);
	rdoc_text(d, (x0 + x1) / 2, py0 - 22, 7.5, axis, x1 - x0, RA_CENTER, &RGB_GREY, 0);
	legend(d, py0 - 38, bands, nbands, note);
	d->y = top - h;
}
