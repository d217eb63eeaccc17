/*
 * doc.h: the page layout engine of the report, on libharu.
 *
 * One struct rdoc is one A4 document laid out as GB/T 9704 lays out an
 * official document (公文): a type area (版心) of 156 × 225 mm, 37 mm from
 * the top and 28 mm from the left edge, page numbers "— 3 —" centred under
 * it.  Three embedded faces stand in for the official ones (no free 仿宋 or
 * 小标宋 is packaged; DESIGN.md "Dependencies"): 宋 (AR PL UMing) for the
 * body, 黑 (WenQuanYi Zen Hei) for headings and anything bold, 楷 (AR PL
 * UKai) for second-level headings.  Content flows top to bottom through a
 * cursor; whatever does not fit starts a new page.  The page numbers,
 * which need the page count, are drawn at the end by rdoc_finish.
 *
 * libharu reports errors through a callback; the first one is kept and
 * every later call is harmless, so drawing code does not check each call:
 * rdoc_save returns the error.
 *
 * Every string may come from an inventory or an inspector: the functions
 * here clean it (invalid UTF-8, control characters) before measuring or
 * drawing, and nothing is ever drawn outside the text area except the
 * page number.
 */
#ifndef ZJ_REPORT_DOC_H
#define ZJ_REPORT_DOC_H

#include <stddef.h>
#include <hpdf.h>

#include "report/wrap.h"
#include "util/err.h"
#include "util/strbuf.h"

/* A4 in points, and the type area (版心) of GB/T 9704-2012 §5.2.1. */
#define RD_MM (72.0 / 25.4)
#define RD_PAGE_W 595.276
#define RD_PAGE_H 841.890
#define RD_LEFT (28.0 * RD_MM)
#define RD_WIDTH (156.0 * RD_MM)
#define RD_RIGHT (RD_LEFT + RD_WIDTH)
#define RD_TOP (RD_PAGE_H - 37.0 * RD_MM)
#define RD_BOTTOM (RD_TOP - 225.0 * RD_MM)

/* Sizes (Chinese 号): 二号 22, 三号 16, 四号 14, 小四 12, 五号 10.5, 小五 9.
 * The body of the document is 三号 on 22 lines a page (§5.2.2); the
 * annexes' running text is 小四 and their tables 五号 or smaller. */
#define RD_GW 16.0
#define RD_GW_LINE (225.0 * RD_MM / 22.0)
#define RD_BODY 12.0
#define RD_SMALL 9.0

/* The faces, and where Debian installs them. */
enum rfont { RF_SONG, RF_HEI, RF_KAI, RF_COUNT };
#define RD_FONT_SONG "/usr/share/fonts/truetype/arphic/uming.ttc"
#define RD_FONT_HEI "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
#define RD_FONT_KAI "/usr/share/fonts/truetype/arphic/ukai.ttc"

enum ralign { RA_LEFT, RA_CENTER, RA_RIGHT };

struct rgb {
	float r, g, b;
};

extern const struct rgb RGB_BLACK, RGB_GREY, RGB_LIGHT, RGB_RED, RGB_ACCENT;

struct rstyle {
	double size;		/* 0: RD_BODY */
	double leading;		/* 0: 1.6 × size */
	double indent;		/* first line of each paragraph, in points */
	double left, right;	/* extra margins inside the text area */
	enum ralign align;
	int bold;		/* 黑 instead of 宋 */
	const struct rgb *color;	/* NULL: black */
	double space_after;	/* after the paragraph */
	enum rfont font;	/* RF_SONG unless said */
};

struct rdoc_page {
	HPDF_Page page;
};

struct rdoc {
	HPDF_Doc pdf;
	HPDF_Font font[RF_COUNT];
	HPDF_Encoder enc;
	HPDF_STATUS error, detail;	/* the first libharu error */
	struct rdoc_page *pages;
	size_t npages, cap;
	HPDF_Page page;			/* the current page */
	double y;			/* top of the next line */
	int draft;
	float *em[RF_COUNT];		/* advance widths of the BMP in 1/1000 em, lazily */
	struct strbuf clean;		/* scratch for rtext_clean */
	/* Headings (and lead-in paragraphs) wait until what follows them is
	 * drawn, so that they share a page with it (rdoc_heading, rdoc_lead,
	 * rdoc_flush); several in a row wait together. */
#define RD_PENDING 4
	struct rdoc_pending {
		char *title;
		struct rstyle st;
		HPDF_Outline o;		/* its bookmark, or NULL */
		double keep, skip;	/* kept with it; space asked for after it */
	} pend[RD_PENDING];
	int npend;
};

/* A new document with the three faces (a NULL path: its RD_FONT_*). */
struct rdoc *rdoc_new(const char *const fonts[RF_COUNT], int draft, struct zj_error *err);
void rdoc_free(struct rdoc *d);

/* Valid UTF-8 for drawing: invalid bytes become U+FFFD, control characters
 * are dropped (tab becomes a space; newlines are kept only with
 * keep_newlines), surrounding blank lines trimmed.  The result lives in
 * d's scratch buffer until the next call. */
const char *rtext_clean(struct rdoc *d, const char *s, int keep_newlines);

/* Measuring clean text, in 宋 unless a face is given. */
double rdoc_cp_width(struct rdoc *d, unsigned cp, double size);
double rdoc_width(struct rdoc *d, const char *s, double size);
double rdoc_width_f(struct rdoc *d, enum rfont f, const char *s, double size);
/* Bytes of the longest prefix of clean text s that fits in w. */
size_t rdoc_fit(struct rdoc *d, const char *s, double size, double w);
/* Wraps clean text into lines of width w (first line w - indent). */
int rdoc_wrap(struct rdoc *d, const char *s, double size, double w, double indent,
	      struct wrap_lines *out);
int rdoc_wrap_f(struct rdoc *d, enum rfont f, const char *s, double size, double w, double indent,
		int whole_words, struct wrap_lines *out);
/* The narrowest width clean text s wraps to without splitting a piece
 * (wrap.h: rwrap_min_width). */
double rdoc_min_width_f(struct rdoc *d, enum rfont f, const char *s, double size, int whole_words);

/* Pages. */
void rdoc_new_page(struct rdoc *d);
/* Starts a new page unless h points are left above the bottom margin. */
void rdoc_need(struct rdoc *d, double h);
size_t rdoc_page_no(const struct rdoc *d);	/* 1-based number of the current page */

/* One line of clean or raw text at (x, baseline y), no wrapping: cut with
 * "…" at maxw (0: no limit).  bold: in 黑. */
void rdoc_text(struct rdoc *d, double x, double y, double size, const char *s, double maxw,
	       enum ralign align, const struct rgb *color, int bold);
void rdoc_text_f(struct rdoc *d, enum rfont f, double x, double y, double size, const char *s, double maxw,
		 enum ralign align, const struct rgb *color);

/* A paragraph (raw text; cleaned here) at the cursor, flowing over pages. */
void rdoc_para(struct rdoc *d, const struct rstyle *st, const char *s);
/* A label followed by text, as one paragraph: "依据：……"; the label in
 * 黑, or in the face lab_font when it is not RF_SONG. */
void rdoc_field(struct rdoc *d, const struct rstyle *st, const char *label, const char *s);
void rdoc_field_f(struct rdoc *d, const struct rstyle *st, enum rfont lab_font, const char *label,
		  const char *s);

/* Vertical space. */
void rdoc_skip(struct rdoc *d, double h);

/* A heading in style st (its font, size, alignment) with a bookmark under
 * parent (NULL for the top), returned at once.  It is drawn when what
 * follows it is (a paragraph, a table, a chart: anything that asks for
 * room with rdoc_need or rdoc_flush), on the same page as the first
 * lines or rows of it, and at least keep points of it. */
HPDF_Outline rdoc_heading(struct rdoc *d, HPDF_Outline parent, const struct rstyle *st, const char *title,
			  double keep);
/* A short paragraph that leads into a table ("以下列出……："), kept with it
 * as a heading is, without a bookmark. */
void rdoc_lead(struct rdoc *d, const struct rstyle *st, const char *s);
/* Draws a waiting heading, keeping `after` points of what follows with
 * it (more than a page's worth: the heading goes to the top of the next
 * page); nothing when no heading waits. */
void rdoc_flush(struct rdoc *d, double after);
/* The room a waiting heading will take (0: none waits). */
double rdoc_pending_height(struct rdoc *d);
/* A bookmark at the cursor without a heading. */
HPDF_Outline rdoc_bookmark(struct rdoc *d, HPDF_Outline parent, const char *title);

/* Drawing helpers in the current page's coordinates. */
void rdoc_fill_rect(struct rdoc *d, double x, double y, double w, double h, const struct rgb *c);
void rdoc_stroke_rect(struct rdoc *d, double x, double y, double w, double h, double lw,
		      const struct rgb *c);
void rdoc_line(struct rdoc *d, double x0, double y0, double x1, double y1, double lw,
	       const struct rgb *c, int dashed);

/* Draws the page numbers ("— 3 —") on every page. */
void rdoc_finish(struct rdoc *d);

/* Writes the document to path; returns -1 with err filled if libharu
 * failed at any point. */
int rdoc_save(struct rdoc *d, const char *path, struct zj_error *err);

#endif
