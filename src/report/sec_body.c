/* 正文: the report itself, as a 公文 — title, 主送机关, the four sections,
 * 附件说明 and 落款 (GB/T 9704-2012 §7.2–7.3). */
#include "report/sections.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

/* The title: 二号, centred, broken into lines of similar length (the
 * "梯形或菱形" of §7.2), at a break after "》" when it can. */
static void title(struct rctx *c, const char *t)
{
	struct rdoc *d = c->d;
	const double size = 22, lead = 22 * 1.45;
	double total = rdoc_width_f(d, RF_HEI, t, size), w = RD_WIDTH - 2 * RD_GW;
	struct wrap_lines l = { 0 };
	size_t n;

	/* The narrowest width that still gives the fewest lines. */
	if (rdoc_wrap_f(d, RF_HEI, t, size, w, 0, 0, &l) < 0)
		return;
	n = l.n;
	rwrap_release(&l);
	if (n > 1) {
		double lo = total / (double)n, hi = w;

		for (int i = 0; i < 20 && hi - lo > 1; i++) {
			double mid = (lo + hi) / 2;

			if (rdoc_wrap_f(d, RF_HEI, t, size, mid, 0, 0, &l) == 0 && l.n <= n)
				hi = mid;
			else
				lo = mid;
			rwrap_release(&l);
		}
		w = hi + 0.5;
	}
	{
		/* Prefer the break right after "》" if it gives as many lines
		 * within the full width. */
		const char *q = strstr(t, "》");
		struct rstyle st = { .size = size, .leading = lead, .align = RA_CENTER, .font = RF_HEI };

		if (n == 2 && q && q[3]) {
			char *a = strndup(t, (size_t)(q + 3 - t));

			if (a && rdoc_width_f(d, RF_HEI, a, size) <= RD_WIDTH - 2 * RD_GW &&
			    rdoc_width_f(d, RF_HEI, q + 3, size) <= RD_WIDTH - 2 * RD_GW) {
				struct strbuf sb = { 0 };

				sb_addf(&sb, "%s\n%s", a, q + 3);
				rdoc_para(d, &st, sb.p);
				sb_release(&sb);
				free(a);
				return;
			}
			free(a);
		}
		st.left = st.right = (RD_WIDTH - w) / 2;
		rdoc_para(d, &st, t);
	}
}

/* A section's text: paragraphs indented two characters; a paragraph that
 * opens with "（一）" has its first sentence in 楷, as a second-level
 * heading run into its paragraph. */
static void section_text(struct rctx *c, const char *text)
{
	struct rdoc *d = c->d;
	const char *p = text;

	while (p && *p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *para = strndup(p, n);

		p = e ? e + 1 : NULL;
		if (!para)
			return;
		if (!*para || strspn(para, " \t") == n) {
			free(para);
			continue;
		}
		if (!strncmp(para, "（", 3)) {
			const char *close = strstr(para, "）");
			const char *stop = close ? strstr(close, "。") : NULL;

			/* "（一）……。": a number of at most three characters
			 * and a heading of at most 40. */
			if (close && close - para <= 12 && stop && stop - close <= 40 * 3) {
				char *lab = strndup(para, (size_t)(stop + 3 - para));

				if (lab) {
					rdoc_field_f(d, &RST_GW, RF_KAI, lab, stop + 3);
					free(lab);
					free(para);
					continue;
				}
			}
		}
		rdoc_para(d, &RST_GW, para);
		free(para);
	}
}

/* 落款: the unit and the date, with room above them for the seal, which is
 * pressed over both (§7.3.5.1): the date four characters from the right
 * edge, the unit centred over it. */
static void signature(struct rctx *c)
{
	struct rdoc *d = c->d;
	const char *unit = rtext_clean(d, c->ws->unit, 0);
	double dw = rdoc_width(d, c->date_cn, RD_GW), uw;
	double date_right = RD_RIGHT - 4 * RD_GW, centre = date_right - dw / 2;
	struct wrap_lines l = { 0 };
	char *u = strdup(unit);
	size_t lines = 1;

	if (!u)
		return;
	uw = rdoc_width(d, u, RD_GW);
	/* A unit name too long to centre over the date wraps and is set
	 * flush right, two characters from the edge. */
	if (uw > 2 * (RD_RIGHT - centre) - 2 * RD_GW) {
		if (rdoc_wrap_f(d, RF_SONG, u, RD_GW, RD_WIDTH - 6 * RD_GW, 0, 0, &l) == 0)
			lines = l.n ? l.n : 1;
	}
	/* The seal's room (two lines of the body, about 42 mm with the lines
	 * it covers) stays on the page with the unit and the date. */
	rdoc_need(d, RD_GW_LINE * (3 + (double)lines));
	rdoc_skip(d, 2 * RD_GW_LINE);
	if (lines == 1) {
		double x = centre - uw / 2;

		if (x + uw > RD_RIGHT - 2 * RD_GW)
			x = RD_RIGHT - 2 * RD_GW - uw;
		rdoc_text_f(d, RF_SONG, x, d->y - RD_GW_LINE / 2 - RD_GW * 0.35, RD_GW, u, 0, RA_LEFT, NULL);
		d->y -= RD_GW_LINE;
	} else {
		for (size_t i = 0; i < l.n; i++) {
			char *s = strndup(u + l.v[i].off, l.v[i].len);

			if (s)
				rdoc_text_f(d, RF_SONG, RD_RIGHT - 2 * RD_GW, d->y - RD_GW_LINE / 2 - RD_GW * 0.35, RD_GW, s,
					    0, RA_RIGHT, NULL);
			free(s);
			d->y -= RD_GW_LINE;
		}
	}
	rdoc_text_f(d, RF_SONG, date_right, d->y - RD_GW_LINE / 2 - RD_GW * 0.35, RD_GW, c->date_cn, 0, RA_RIGHT, NULL);
	d->y -= RD_GW_LINE;
	rwrap_release(&l);
	free(u);
}

void sec_body(struct rctx *c)
{
	struct rdoc *d = c->d;
	const struct checklist *cl = c->cl;
	const struct workspace *ws = c->ws;
	const char *name = cl->title ? cl->title : cl->id;
	struct strbuf sb = { 0 };
	const struct rstyle head1 = { .size = RD_GW, .leading = RD_GW_LINE, .indent = 2 * RD_GW, .font = RF_HEI };
	HPDF_Outline top;
	int nanx = 0;

	rdoc_new_page(d);
	/* One blank line above the title, one below it (§7.2, §7.3.1). */
	rdoc_skip(d, RD_GW_LINE);
	sb_addf(&sb, "关于%s《%s》落实情况的自查报告", ws->period && *ws->period ? ws->period : "", name);
	top = rdoc_bookmark(d, NULL, sb.p);
	{
		/* title() cleans again: not d's scratch buffer. */
		char *t = strdup(rtext_clean(d, sb.p, 0));

		if (t)
			title(c, t);
		free(t);
	}
	sb_reset(&sb);
	rdoc_skip(d, RD_GW_LINE);
	/* 主送机关: flush left, ending in a full-width colon. */
	if (ws->parent && *ws->parent) {
		sb_addf(&sb, "%s：", ws->parent);
		rdoc_para(d, &(struct rstyle){ .size = RD_GW, .leading = RD_GW_LINE }, sb.p);
		sb_reset(&sb);
	}
	sb_addf(&sb, "现将本单位落实《%s》（以下简称《意见》）的自查情况报告如下。", name);
	rdoc_para(d, &RST_GW, sb.p);
	sb_reset(&sb);
	for (int i = 0; i < NARR_COUNT; i++) {
		rdoc_heading(d, top, &head1, narrative_heading((enum narrative_section)i), RD_GW_LINE * 2);
		section_text(c, c->narr[i].text ? c->narr[i].text : "");
	}
	/* "特此报告", the 附件说明 and the 落款 stay on one page: the 落款 is
	 * never alone on a page of its own. */
	for (int a = 0; a < RANX_COUNT; a++)
		nanx += ranx_present(c, (enum ranx)a);
	rdoc_need(d, RD_GW_LINE * (1 + 1 + (double)nanx + 4));
	rdoc_para(d, &RST_GW, "特此报告。");

	/* 附件说明 (§7.3.4): one line below the text, two characters in;
	 * later names aligned with the first. */
	rdoc_skip(d, RD_GW_LINE);
	for (int a = 0, k = 0; a < RANX_COUNT; a++) {
		double x = RD_LEFT + 2 * RD_GW + rdoc_width(d, "附件：", RD_GW);
		char n[32];

		if (!ranx_present(c, (enum ranx)a))
			continue;
		if (!k++)
			rdoc_text_f(d, RF_SONG, RD_LEFT + 2 * RD_GW, d->y - RD_GW_LINE / 2 - RD_GW * 0.35, RD_GW, "附件：",
				    0, RA_LEFT, NULL);
		snprintf(n, sizeof(n), "%d.%s", ranx_no(c, (enum ranx)a), ranx_title((enum ranx)a));
		rdoc_text_f(d, RF_SONG, x, d->y - RD_GW_LINE / 2 - RD_GW * 0.35, RD_GW, n, 0, RA_LEFT, NULL);
		d->y -= RD_GW_LINE;
	}
	signature(c);
	sb_release(&sb);
}
