/*
 * doc.h: the page layout engine of the report, on libharu.
 *
 * One struct rdoc is one A4 document in one embedded font (the subset of
 * wqy-zenhei, the only CJK font measured to render and extract correctly
 * with libharu 2.3.0; DESIGN.md "Dependencies").  Content flows top to
 * bottom through a cursor; whatever does not fit starts a new page.  What
 * depends on the whole document — "第 N 页 / 共 M 页", the running header,
 * the contents — is drawn at the end by rdoc_finish, on pages kept open
 * for it, so nothing needs a second layout pass.
 *
 * libharu reports errors through a callback; the first one is kept and
 * every later call is harmless, so drawing code does not check each call:
 * rdoc_save returns the error.
 *
 * Every string may come from an inventory or an inspector: the functions
 * here clean it (invalid UTF-8, control characters) before measuring or
 * drawing, and nothing is ever drawn outside the text area except the
 * header and footer, which are cut to fit.
 */
#ifndef ZJ_REPORT_DOC_H
#define ZJ_REPORT_DOC_H

#include <stddef.h>
#include <hpdf.h>

#include "report/wrap.h"
#include "util/err.h"
#include "util/strbuf.h"

/* A4 in points, and the text area inside the margins. */
#define RD_PAGE_W 595.276
#define RD_PAGE_H 841.890
#define RD_LEFT 70.0
#define RD_RIGHT (RD_PAGE_W - 62.0)
#define RD_TOP (RD_PAGE_H - 78.0)
#define RD_BOTTOM 66.0
#define RD_WIDTH (RD_RIGHT - RD_LEFT)

/* Sizes (Chinese 号): 一号 26, 小二 18, 三号 16, 四号 14, 小四 12, 五号 10.5, 小五 9. */
#define RD_BODY 10.5
#define RD_SMALL 9.0

#define RD_DEFAULT_FONT "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

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
	int bold;
	const struct rgb *color;	/* NULL: black */
	double space_after;	/* after the paragraph */
};

struct rdoc_toc {
	int level;		/* 1, 2 */
	char *title;
	size_t page;		/* 1-based */
	HPDF_Destination dst;
};

struct rdoc_page {
	HPDF_Page page;
	int cover;		/* no running header */
};

struct rdoc {
	HPDF_Doc pdf;
	HPDF_Font font;
	HPDF_Encoder enc;
	HPDF_STATUS error, detail;	/* the first libharu error */
	struct rdoc_page *pages;
	size_t npages, cap;
	HPDF_Page page;			/* the current page */
	double y;			/* top of the next line */
	int draft;
	float *em;			/* advance widths of the BMP in 1/1000 em, lazily */
	struct strbuf clean;		/* scratch for rtext_clean */
	struct rdoc_toc *toc;
	size_t ntoc, toc_cap;
	size_t toc_first, toc_pages;	/* pages reserved for the contents */
	char *header_left, *header_right, *footer_left;
};

/* A new document with the font at font_path (NULL: RD_DEFAULT_FONT). */
struct rdoc *rdoc_new(const char *font_path, int draft, struct zj_error *err);
void rdoc_free(struct rdoc *d);

/* Sets the running header and footer texts (copied). */
void rdoc_set_running(struct rdoc *d, const char *header_left, const char *header_right,
		      const char *footer_left);

/* Valid UTF-8 for drawing: invalid bytes become U+FFFD, control characters
 * are dropped (tab becomes a space; newlines are kept only with
 * keep_newlines), surrounding blank lines trimmed.  The result lives in
 * d's scratch buffer until the next call. */
const char *rtext_clean(struct rdoc *d, const char *s, int keep_newlines);

/* Measuring clean text. */
double rdoc_cp_width(struct rdoc *d, unsigned cp, double size);
double rdoc_width(struct rdoc *d, const char *s, double size);
/* Bytes of the longest prefix of clean text s that fits in w. */
size_t rdoc_fit(struct rdoc *d, const char *s, double size, double w);
/* Wraps clean text into lines of width w (first line w - indent). */
int rdoc_wrap(struct rdoc *d, const char *s, double size, double w, double indent,
	      struct wrap_lines *out);

/* Pages. */
void rdoc_new_page(struct rdoc *d);
void rdoc_cover_page(struct rdoc *d);		/* a new page without running header */
/* Starts a new page unless h points are left above the bottom margin. */
void rdoc_need(struct rdoc *d, double h);
size_t rdoc_page_no(const struct rdoc *d);	/* 1-based number of the current page */
/* Reserves n pages for the contents, drawn by rdoc_finish. */
void rdoc_reserve_toc(struct rdoc *d, size_t n);

/* One line of clean or raw text at (x, baseline y), no wrapping: cut with
 * "…" at maxw (0: no limit). */
void rdoc_text(struct rdoc *d, double x, double y, double size, const char *s, double maxw,
	       enum ralign align, const struct rgb *color, int bold);

/* A paragraph (raw text; cleaned here) at the cursor, flowing over pages. */
void rdoc_para(struct rdoc *d, const struct rstyle *st, const char *s);
/* A label in bold followed by text, as one paragraph: "依据：……". */
void rdoc_field(struct rdoc *d, const struct rstyle *st, const char *label, const char *s);

/* Vertical space. */
void rdoc_skip(struct rdoc *d, double h);

/* A heading at the cursor with a bookmark (under parent; NULL for the top)
 * and, for toc_level 1 or 2, a contents entry.  Keeps at least keep points
 * of what follows on the same page.  Returns the bookmark. */
HPDF_Outline rdoc_heading(struct rdoc *d, HPDF_Outline parent, int toc_level, double size,
			  const char *title, double keep);
/* A bookmark at the cursor without a heading. */
HPDF_Outline rdoc_bookmark(struct rdoc *d, HPDF_Outline parent, const char *title);

/* Drawing helpers in the current page's coordinates. */
void rdoc_fill_rect(struct rdoc *d, double x, double y, double w, double h, const struct rgb *c);
void rdoc_stroke_rect(struct rdoc *d, double x, double y, double w, double h, double lw,
		      const struct rgb *c);
void rdoc_line(struct rdoc *d, double x0, double y0, double x1, double y1, double lw,
	       const struct rgb *c, int dashed);

/* Draws the running header, the footer with 第 N 页 / 共 M 页 and the
 * contents on every page, then sets the document info. */
void rdoc_finish(struct rdoc *d);

/* Writes the document to path; returns -1 with err filled if libharu
 * failed at any point. */
int rdoc_save(struct rdoc *d, const char *path, struct zj_error *err);

#endif
