#include "report/doc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/i18n.h"
#include "util/utf8.h"

const struct rgb RGB_BLACK = { 0, 0, 0 };
const struct rgb RGB_GREY = { 0.45f, 0.45f, 0.45f };
const struct rgb RGB_LIGHT = { 0.92f, 0.92f, 0.92f };
const struct rgb RGB_RED = { 0.75f, 0.08f, 0.08f };
const struct rgb RGB_ACCENT = { 0.13f, 0.30f, 0.55f };

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
	struct rdoc *d = user;

	if (!d->error) {
		d->error = error;
		d->detail = detail;
	}
}

struct rdoc *rdoc_new(const char *font_path, int draft, struct zj_error *err)
{
	struct rdoc *d = calloc(1, sizeof(*d));
	const char *name;

	if (!d) {
		zj_err(err, "%s", _("out of memory"));
		return NULL;
	}
	if (!font_path || !*font_path)
		font_path = RD_DEFAULT_FONT;
	/* libharu would only say "file open error". */
	if (access(font_path, R_OK) != 0) {
		zj_err(err, _("cannot read the font '%s': %s (install fonts-wqy-zenhei)"), font_path,
		       strerror(errno));
		free(d);
		return NULL;
	}
	d->draft = draft;
	d->em = malloc(0x10000 * sizeof(*d->em));
	d->pdf = HPDF_New(on_error, d);
	if (!d->em || !d->pdf) {
		zj_err(err, "%s", _("out of memory"));
		rdoc_free(d);
		return NULL;
	}
	for (size_t i = 0; i < 0x10000; i++)
		d->em[i] = -1;
	HPDF_SetCompressionMode(d->pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(d->pdf);
	HPDF_SetCurrentEncoder(d->pdf, "UTF-8");
	name = HPDF_LoadTTFontFromFile2(d->pdf, font_path, 0, HPDF_TRUE);
	if (name)
		d->font = HPDF_GetFont(d->pdf, name, "UTF-8");
	d->enc = HPDF_GetEncoder(d->pdf, "UTF-8");
	if (!name || !d->font || !d->enc || d->error) {
		zj_err(err, _("cannot load the font '%s' (libharu error 0x%04X)"), font_path,
		       (unsigned)d->error);
		rdoc_free(d);
		return NULL;
	}
	HPDF_SetPageMode(d->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
	return d;
}

void rdoc_free(struct rdoc *d)
{
	if (!d)
		return;
	if (d->pdf)
		HPDF_Free(d->pdf);
	for (size_t i = 0; i < d->ntoc; i++)
		free(d->toc[i].title);
	free(d->toc);
	free(d->pages);
	free(d->em);
	sb_release(&d->clean);
	free(d->header_left);
	free(d->header_right);
	free(d->footer_left);
	free(d);
}

void rdoc_set_running(struct rdoc *d, const char *header_left, const char *header_right,
		      const char *footer_left)
{
	free(d->header_left);
	free(d->header_right);
	free(d->footer_left);
	d->header_left = strdup(rtext_clean(d, header_left, 0));
	d->header_right = strdup(rtext_clean(d, header_right, 0));
	d->footer_left = strdup(rtext_clean(d, footer_left, 0));
}

/* ---- text ---- */

static int dropped(unsigned cp)
{
	return (cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp <= 0x9F) ||
	       cp == 0xFEFF || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2060 && cp <= 0x206F) || (cp >= 0xFFF0 && cp <= 0xFFFC);
}

const char *rtext_clean(struct rdoc *d, const char *s, int keep_newlines)
{
	struct strbuf *sb = &d->clean;
	size_t n, i = 0, last = 0;

	sb_reset(sb);
	sb_add(sb, "", 0);
	if (!s)
		return sb->p ? sb->p : "";
	n = strlen(s);
	/* Leading blank space and lines go. */
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	while (i < n) {
		unsigned cp;
		int len = utf8_decode(s + i, n - i, &cp);
		char buf[4];

		if (len < 1) {
			cp = 0xFFFD;
			len = 1;
		}
		i += (size_t)len;
		if (cp == '\r') {
			if (i < n && s[i] == '\n')
				continue;
			cp = '\n';
		}
		if (cp == 0x2028 || cp == 0x2029)
			cp = '\n';
		if (cp == '\t')
			cp = ' ';
		if (cp == '\n' && !keep_newlines)
			cp = ' ';
		if (dropped(cp))
			continue;
		/* libharu's UTF-8 encoder maps to 16-bit codes only. */
		if (cp > 0xFFFF)
			cp = 0xFFFD;
		if (cp < 0x80) {
			buf[0] = (char)cp;
			sb_add(sb, buf, 1);
		} else if (cp < 0x800) {
			buf[0] = (char)(0xC0 | (cp >> 6));
			buf[1] = (char)(0x80 | (cp & 0x3F));
			sb_add(sb, buf, 2);
		} else {
			buf[0] = (char)(0xE0 | (cp >> 12));
			buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
			buf[2] = (char)(0x80 | (cp & 0x3F));
			sb_add(sb, buf, 3);
		}
		if (cp != ' ' && cp != '\n')
			last = sb->len;
	}
	/* Trailing blank space and lines go too. */
	if (sb->p) {
		sb->len = last;
		sb->p[last] = '\0';
	}
	return sb->p ? sb->p : "";
}

double rdoc_cp_width(struct rdoc *d, unsigned cp, double size)
{
	float em;

	if (cp > 0xFFFF)
		cp = 0xFFFD;
	em = d->em[cp];
	if (em < 0) {
		char buf[4];
		HPDF_UINT len;
		HPDF_TextWidth tw;

		if (cp < 0x80) {
			buf[0] = (char)cp;
			len = 1;
		} else if (cp < 0x800) {
			buf[0] = (char)(0xC0 | (cp >> 6));
			buf[1] = (char)(0x80 | (cp & 0x3F));
			len = 2;
		} else {
			buf[0] = (char)(0xE0 | (cp >> 12));
			buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
			buf[2] = (char)(0x80 | (cp & 0x3F));
			len = 3;
		}
		tw = HPDF_Font_TextWidth(d->font, (const HPDF_BYTE *)buf, len);
		em = (float)tw.width;
		/* A code point the font lacks is drawn as its .notdef box;
		 * never let it measure as nothing. */
		if (em <= 0 && cp >= 0x20)
			em = cp < 0x1100 ? 500 : 1000;
		d->em[cp] = em;
	}
	return em * size / 1000.0;
}

struct wctx {
	struct rdoc *d;
	double size;
};

static double wrap_cb(void *ctx, unsigned cp)
{
	struct wctx *w = ctx;

	return rdoc_cp_width(w->d, cp, w->size);
}

double rdoc_width(struct rdoc *d, const char *s, double size)
{
	size_t n = strlen(s), i = 0;
	double w = 0;

	while (i < n) {
		unsigned cp;
		int len = utf8_decode(s + i, n - i, &cp);

		if (len < 1) {
			cp = 0xFFFD;
			len = 1;
		}
		w += rdoc_cp_width(d, cp, size);
		i += (size_t)len;
	}
	return w;
}

size_t rdoc_fit(struct rdoc *d, const char *s, double size, double maxw)
{
	size_t n = strlen(s), i = 0;
	double w = 0;

	while (i < n) {
		unsigned cp;
		int len = utf8_decode(s + i, n - i, &cp);

		if (len < 1) {
			cp = 0xFFFD;
			len = 1;
		}
		w += rdoc_cp_width(d, cp, size);
		if (w > maxw)
			break;
		i += (size_t)len;
	}
	return i;
}

int rdoc_wrap(struct rdoc *d, const char *s, double size, double w, double indent,
	      struct wrap_lines *out)
{
	struct wctx ctx = { d, size };
	struct wrap_opts o = { w, w - indent };

	if (o.first_width <= size)
		o.first_width = w;
	return rwrap_text(s, strlen(s), &o, wrap_cb, &ctx, out);
}

/* ---- pages ---- */

static void watermark(struct rdoc *d)
{
	const char *mark = "草稿";
	double size = 150, w = rdoc_width(d, mark, size);
	double c = cos(M_PI / 4), s = sin(M_PI / 4);
	double cx = RD_PAGE_W / 2, cy = RD_PAGE_H / 2;
	/* Start so that the middle of the text sits at the page's middle. */
	double x = cx - w / 2 * c + size * 0.35 * s, y = cy - w / 2 * s - size * 0.35 * c;

	HPDF_Page_GSave(d->page);
	HPDF_Page_SetRGBFill(d->page, 0.90f, 0.90f, 0.90f);
	HPDF_Page_BeginText(d->page);
	HPDF_Page_SetFontAndSize(d->page, d->font, (HPDF_REAL)size);
	HPDF_Page_SetTextMatrix(d->page, (HPDF_REAL)c, (HPDF_REAL)s, (HPDF_REAL)-s, (HPDF_REAL)c,
				(HPDF_REAL)x, (HPDF_REAL)y);
	HPDF_Page_ShowText(d->page, mark);
	HPDF_Page_EndText(d->page);
	HPDF_Page_GRestore(d->page);
}

static void add_page(struct rdoc *d, int cover)
{
	if (d->npages == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		struct rdoc_page *v = realloc(d->pages, cap * sizeof(*v));

		if (!v) {
			if (!d->error)
				d->error = HPDF_FAILD_TO_ALLOC_MEM;
			return;
		}
		d->pages = v;
		d->cap = cap;
	}
	d->page = HPDF_AddPage(d->pdf);
	HPDF_Page_SetSize(d->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	d->pages[d->npages].page = d->page;
	d->pages[d->npages].cover = cover;
	d->npages++;
	d->y = RD_TOP;
	/* Drawn first, so it lies under the content. */
	if (d->draft)
		watermark(d);
}

void rdoc_new_page(struct rdoc *d)
{
	add_page(d, 0);
}

void rdoc_cover_page(struct rdoc *d)
{
	add_page(d, 1);
}

void rdoc_need(struct rdoc *d, double h)
{
	if (!d->page || d->y - h < RD_BOTTOM - 0.01)
		rdoc_new_page(d);
}

size_t rdoc_page_no(const struct rdoc *d)
{
	return d->npages;
}

void rdoc_skip(struct rdoc *d, double h)
{
	if (d->y - h < RD_BOTTOM)
		d->y = RD_BOTTOM;
	else
		d->y -= h;
}

/* Contents lines: title 14 + gap, then entries of this height. */
#define TOC_LINE 22.0
#define TOC_HEAD 60.0

void rdoc_reserve_toc(struct rdoc *d, size_t entries)
{
	size_t per_first = (size_t)((RD_TOP - RD_BOTTOM - TOC_HEAD) / TOC_LINE);
	size_t per_page = (size_t)((RD_TOP - RD_BOTTOM) / TOC_LINE);
	size_t pages = 1;

	if (entries > per_first)
		pages += (entries - per_first + per_page - 1) / per_page;
	d->toc_first = d->npages;
	d->toc_pages = pages;
	for (size_t i = 0; i < pages; i++) {
		rdoc_new_page(d);
		if (i == 0)
			rdoc_bookmark(d, NULL, "目录");
	}
}

/* ---- drawing ---- */

static void set_fill(struct rdoc *d, const struct rgb *c)
{
	if (!c)
		c = &RGB_BLACK;
	HPDF_Page_SetRGBFill(d->page, c->r, c->g, c->b);
	HPDF_Page_SetRGBStroke(d->page, c->r, c->g, c->b);
}

/* clean: s is already clean text. */
static void text_raw(struct rdoc *d, double x, double y, double size, const char *s, double charspace,
		     const struct rgb *color, int bold)
{
	if (!*s)
		return;
	HPDF_Page_GSave(d->page);
	set_fill(d, color);
	if (bold) {
		/* The font has no bold face: a thin stroke of the same colour
		 * around each glyph. */
		HPDF_Page_SetLineWidth(d->page, (HPDF_REAL)(size * 0.03));
		HPDF_Page_SetTextRenderingMode(d->page, HPDF_FILL_THEN_STROKE);
	}
	HPDF_Page_BeginText(d->page);
	HPDF_Page_SetFontAndSize(d->page, d->font, (HPDF_REAL)size);
	if (charspace > 0)
		HPDF_Page_SetCharSpace(d->page, (HPDF_REAL)charspace);
	HPDF_Page_MoveTextPos(d->page, (HPDF_REAL)x, (HPDF_REAL)y);
	HPDF_Page_ShowText(d->page, s);
	HPDF_Page_EndText(d->page);
	HPDF_Page_GRestore(d->page);
}

static void text_fit(struct rdoc *d, double x, double y, double size, const char *s, double maxw,
		     enum ralign align, const struct rgb *color, int bold)
{
	double w = rdoc_width(d, s, size);
	char *cut = NULL;

	if (maxw > 0 && w > maxw) {
		double ell = rdoc_width(d, "…", size);
		size_t n = maxw > ell ? rdoc_fit(d, s, size, maxw - ell) : 0;

		cut = malloc(n + 4);
		if (!cut)
			return;
		memcpy(cut, s, n);
		memcpy(cut + n, "…", 4);
		s = cut;
		w = rdoc_width(d, s, size);
	}
	if (align == RA_CENTER)
		x -= w / 2;
	else if (align == RA_RIGHT)
		x -= w;
	text_raw(d, x, y, size, s, 0, color, bold);
	free(cut);
}

void rdoc_text(struct rdoc *d, double x, double y, double size, const char *s, double maxw,
	       enum ralign align, const struct rgb *color, int bold)
{
	char *c = strdup(rtext_clean(d, s, 0));

	if (!c)
		return;
	text_fit(d, x, y, size, c, maxw, align, color, bold);
	free(c);
}

static double leading_of(const struct rstyle *st, double size)
{
	return st && st->leading > 0 ? st->leading : size * 1.6;
}

/* Lays out clean text s starting with a bold label of lablen bytes. */
static void flow(struct rdoc *d, const struct rstyle *st, const char *s, size_t lablen)
{
	double size = st && st->size > 0 ? st->size : RD_BODY;
	double lead = leading_of(st, size);
	double left = RD_LEFT + (st ? st->left : 0), width = RD_WIDTH - (st ? st->left + st->right : 0);
	double indent = st ? st->indent : 0;
	enum ralign align = st ? st->align : RA_LEFT;
	struct wrap_lines lines = { 0 };

	if (width < size * 2)
		width = size * 2;
	if (rdoc_wrap(d, s, size, width, indent, &lines) < 0) {
		if (!d->error)
			d->error = HPDF_FAILD_TO_ALLOC_MEM;
		return;
	}
	for (size_t i = 0; i < lines.n; i++) {
		const struct wrap_line *l = &lines.v[i];
		double x = left + (l->para_start ? indent : 0), w = width - (l->para_start ? indent : 0);
		double base, cs = 0;
		char *line;
		int last = i + 1 == lines.n || lines.v[i + 1].para_start;

		rdoc_need(d, lead);
		base = d->y - lead / 2 - size * 0.35;
		line = strndup(s + l->off, l->len);
		if (!line)
			break;
		if (align == RA_CENTER)
			x += (w - l->width) / 2;
		else if (align == RA_RIGHT)
			x += w - l->width;
		else if (!last && l->len > 1) {
			/* Justify Chinese lines by spreading the slack over
			 * the characters, when it is small. */
			size_t nch = 0;

			for (size_t k = 0; k < l->len; k++)
				nch += ((unsigned char)line[k] & 0xC0) != 0x80;
			if (nch > 1 && (w - l->width) / (double)(nch - 1) < size * 0.2)
				cs = (w - l->width) / (double)(nch - 1);
		}
		if (i == 0 && lablen > 0 && lablen <= l->len) {
			char *lab = strndup(line, lablen);

			if (lab) {
				size_t nlab = 0;

				for (size_t k = 0; lab[k]; k++)
					nlab += ((unsigned char)lab[k] & 0xC0) != 0x80;
				text_raw(d, x, base, size, lab, cs, st ? st->color : NULL, 1);
				/* The char space follows every character. */
				x += rdoc_width(d, lab, size) + cs * (double)nlab;
				free(lab);
			}
			text_raw(d, x, base, size, line + lablen, cs, st ? st->color : NULL, st ? st->bold : 0);
		} else {
			text_raw(d, x, base, size, line, cs, st ? st->color : NULL, st ? st->bold : 0);
		}
		free(line);
		d->y -= lead;
	}
	rwrap_release(&lines);
	if (st && st->space_after > 0)
		rdoc_skip(d, st->space_after);
}

void rdoc_para(struct rdoc *d, const struct rstyle *st, const char *s)
{
	char *c = strdup(rtext_clean(d, s, 1));

	if (!c)
		return;
	flow(d, st, c, 0);
	free(c);
}

void rdoc_field(struct rdoc *d, const struct rstyle *st, const char *label, const char *s)
{
	struct strbuf sb = { 0 };
	size_t lablen;

	sb_adds(&sb, rtext_clean(d, label, 0));
	lablen = sb.len;
	sb_adds(&sb, rtext_clean(d, s, 1));
	if (sb.p)
		flow(d, st, sb.p, lablen);
	sb_release(&sb);
}

static void toc_add(struct rdoc *d, int level, const char *title, HPDF_Destination dst)
{
	if (d->ntoc == d->toc_cap) {
		size_t cap = d->toc_cap ? d->toc_cap * 2 : 32;
		struct rdoc_toc *v = realloc(d->toc, cap * sizeof(*v));

		if (!v)
			return;
		d->toc = v;
		d->toc_cap = cap;
	}
	d->toc[d->ntoc].level = level;
	d->toc[d->ntoc].title = strdup(title);
	d->toc[d->ntoc].page = d->npages;
	d->toc[d->ntoc].dst = dst;
	if (d->toc[d->ntoc].title)
		d->ntoc++;
}

HPDF_Outline rdoc_bookmark(struct rdoc *d, HPDF_Outline parent, const char *title)
{
	HPDF_Outline o;
	HPDF_Destination dst;

	if (!d->page)
		rdoc_new_page(d);
	o = HPDF_CreateOutline(d->pdf, parent, rtext_clean(d, title, 0), d->enc);
	dst = HPDF_Page_CreateDestination(d->page);
	HPDF_Destination_SetFitH(dst, (HPDF_REAL)(d->y + 24 > RD_PAGE_H ? RD_PAGE_H : d->y + 24));
	HPDF_Outline_SetDestination(o, dst);
	return o;
}

HPDF_Outline rdoc_heading(struct rdoc *d, HPDF_Outline parent, int toc_level, double size,
			  const char *title, double keep)
{
	struct rstyle st = { .size = size, .leading = size * 1.7, .bold = 1 };
	HPDF_Outline o;
	char *t = strdup(rtext_clean(d, title, 0));

	if (!t)
		return NULL;
	/* A heading never ends a page: keep it with the start of what
	 * follows. */
	rdoc_need(d, size * 1.7 * 2 + keep);
	if (d->y < RD_TOP - 1)
		rdoc_skip(d, size * 0.6);
	o = rdoc_bookmark(d, parent, t);
	if (toc_level > 0) {
		HPDF_Destination dst = HPDF_Page_CreateDestination(d->page);

		HPDF_Destination_SetFitH(dst, (HPDF_REAL)(d->y + 24 > RD_PAGE_H ? RD_PAGE_H : d->y + 24));
		toc_add(d, toc_level, t, dst);
	}
	flow(d, &st, t, 0);
	rdoc_skip(d, size * 0.3);
	free(t);
	return o;
}

void rdoc_fill_rect(struct rdoc *d, double x, double y, double w, double h, const struct rgb *c)
{
	HPDF_Page_GSave(d->page);
	HPDF_Page_SetRGBFill(d->page, c->r, c->g, c->b);
	HPDF_Page_Rectangle(d->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
	HPDF_Page_Fill(d->page);
	HPDF_Page_GRestore(d->page);
}

void rdoc_stroke_rect(struct rdoc *d, double x, double y, double w, double h, double lw,
		      const struct rgb *c)
{
	HPDF_Page_GSave(d->page);
	HPDF_Page_SetRGBStroke(d->page, c->r, c->g, c->b);
	HPDF_Page_SetLineWidth(d->page, (HPDF_REAL)lw);
	HPDF_Page_Rectangle(d->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
	HPDF_Page_Stroke(d->page);
	HPDF_Page_GRestore(d->page);
}

void rdoc_line(struct rdoc *d, double x0, double y0, double x1, double y1, double lw,
	       const struct rgb *c, int dashed)
{
	static const HPDF_UINT16 dash[] = { 3, 2 };

	HPDF_Page_GSave(d->page);
	HPDF_Page_SetRGBStroke(d->page, c->r, c->g, c->b);
	HPDF_Page_SetLineWidth(d->page, (HPDF_REAL)lw);
	if (dashed)
		HPDF_Page_SetDash(d->page, dash, 2, 0);
	HPDF_Page_MoveTo(d->page, (HPDF_REAL)x0, (HPDF_REAL)y0);
	HPDF_Page_LineTo(d->page, (HPDF_REAL)x1, (HPDF_REAL)y1);
	HPDF_Page_Stroke(d->page);
	HPDF_Page_GRestore(d->page);
}

/* ---- the end ---- */

static void draw_toc(struct rdoc *d)
{
	size_t pi = d->toc_first, line = 0;
	double y;

	if (!d->toc_pages || pi >= d->npages)
		return;
	d->page = d->pages[pi].page;
	text_fit(d, RD_PAGE_W / 2, RD_TOP - 24, 16, "目　　录", 0, RA_CENTER, NULL, 1);
	y = RD_TOP - TOC_HEAD;
	for (size_t i = 0; i < d->ntoc; i++, line++) {
		const struct rdoc_toc *t = &d->toc[i];
		double size = t->level == 1 ? 11.5 : RD_BODY;
		double x = RD_LEFT + (t->level == 1 ? 0 : 2 * RD_BODY);
		char num[32];
		double nw, tw, base;
		HPDF_Rect r;
		HPDF_Annotation a;

		if (y - TOC_LINE < RD_BOTTOM) {
			if (++pi >= d->toc_first + d->toc_pages)
				break;	/* reserved for fewer entries; never spill */
			d->page = d->pages[pi].page;
			y = RD_TOP;
		}
		base = y - TOC_LINE / 2 - size * 0.35;
		snprintf(num, sizeof(num), "%zu", t->page);
		nw = rdoc_width(d, num, size);
		text_fit(d, RD_RIGHT, base, size, num, 0, RA_RIGHT, NULL, 0);
		text_fit(d, x, base, size, t->title, RD_RIGHT - x - nw - 3 * size, RA_LEFT, NULL, t->level == 1);
		tw = rdoc_width(d, t->title, size);
		if (x + tw + size < RD_RIGHT - nw - size) {
			/* Dot leaders. */
			static const HPDF_UINT16 dots[] = { 1, 3 };

			HPDF_Page_GSave(d->page);
			HPDF_Page_SetRGBStroke(d->page, 0.5f, 0.5f, 0.5f);
			HPDF_Page_SetLineWidth(d->page, 0.8f);
			HPDF_Page_SetDash(d->page, dots, 2, 0);
			HPDF_Page_MoveTo(d->page, (HPDF_REAL)(x + tw + size * 0.5), (HPDF_REAL)base);
			HPDF_Page_LineTo(d->page, (HPDF_REAL)(RD_RIGHT - nw - size * 0.5), (HPDF_REAL)base);
			HPDF_Page_Stroke(d->page);
			HPDF_Page_GRestore(d->page);
		}
		r.left = (HPDF_REAL)x;
		r.right = (HPDF_REAL)RD_RIGHT;
		r.bottom = (HPDF_REAL)(y - TOC_LINE);
		r.top = (HPDF_REAL)y;
		a = HPDF_Page_CreateLinkAnnot(d->page, r, t->dst);
		if (a)
			HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
		y -= TOC_LINE;
	}
}

void rdoc_finish(struct rdoc *d)
{
	char buf[64];

	draw_toc(d);
	for (size_t i = 0; i < d->npages; i++) {
		d->page = d->pages[i].page;
		if (!d->pages[i].cover) {
			double half = RD_WIDTH / 2 - 10;

			text_fit(d, RD_LEFT, RD_PAGE_H - 52, RD_SMALL, d->header_left ? d->header_left : "", half,
				 RA_LEFT, &RGB_GREY, 0);
			text_fit(d, RD_RIGHT, RD_PAGE_H - 52, RD_SMALL, d->header_right ? d->header_right : "",
				 half, RA_RIGHT, &RGB_GREY, 0);
			rdoc_line(d, RD_LEFT, RD_PAGE_H - 58, RD_RIGHT, RD_PAGE_H - 58, 0.6, &RGB_GREY, 0);
		}
		rdoc_line(d, RD_LEFT, 50, RD_RIGHT, 50, 0.4, &RGB_GREY, 0);
		snprintf(buf, sizeof(buf), "第 %zu 页 / 共 %zu 页", i + 1, d->npages);
		text_fit(d, RD_PAGE_W / 2, 36, RD_SMALL, buf, 0, RA_CENTER, NULL, 0);
		if (d->footer_left)
			text_fit(d, RD_LEFT, 36, 7, d->footer_left, RD_WIDTH / 2 - 48, RA_LEFT, &RGB_GREY, 0);
		if (d->draft)
			text_fit(d, RD_RIGHT, 36, RD_SMALL, "草稿", 0, RA_RIGHT, &RGB_RED, 1);
	}
}

int rdoc_save(struct rdoc *d, const char *path, struct zj_error *err)
{
	if (!d->error)
		HPDF_SaveToFile(d->pdf, path);
	if (d->error)
		return zj_err(err, _("cannot write the PDF '%s': libharu error 0x%04X (detail %u)"), path,
			      (unsigned)d->error, (unsigned)d->detail);
	return 0;
}
