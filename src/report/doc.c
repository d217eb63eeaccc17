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

/*
 * libharu's UTF-8 encoder (2.3.0 as in Debian, and upstream to 2.4.x) gives each Type0 font
 * a /ToUnicode stream made by CreateCMap() in hpdf_font_cid.c from the encoder's own
 * encoding CMap (UTF8_CID_RANGE in hpdf_encoder_utf.c): "1 begincidrange <0000> <FFFF> 0".
 * A ToUnicode CMap may only use bfchar/bfrange (PDF 32000-1 9.10.3), so readers warn
 * and ignore it, and then guess.  The encoder shows text as 2-byte codes under
 * Identity-H whose code is the character's BMP code point, so the right ToUnicode is the
 * identity: one bfrange per high byte (a range may not cross one; 100 to a block), the
 * surrogate bytes D8-DF left out.  The same stream object is rewritten in place, so
 * nothing else in the file changes.
 */
static int identity_to_unicode(HPDF_Font font)
{
	HPDF_Dict cmap = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
	static const char head[] =
		"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
	static const char tail[] = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
	unsigned hi[256], n = 0;
	HPDF_STATUS ret;

	if (!cmap || !cmap->stream || cmap->stream->type != HPDF_STREAM_MEMORY)
		return -1;
	for (unsigned b = 0; b < 256; b++)
		if (b < 0xD8 || b > 0xDF)
			hi[n++] = b;
	HPDF_MemStream_FreeData(cmap->stream);
	ret = HPDF_Stream_WriteStr(cmap->stream, head);
	for (unsigned i = 0; i < n && ret == HPDF_OK; i += 100) {
		unsigned k = n - i < 100 ? n - i : 100;
		char line[64];

		snprintf(line, sizeof(line), "%u beginbfrange\n", k);
		ret = HPDF_Stream_WriteStr(cmap->stream, line);
		for (unsigned j = i; j < i + k && ret == HPDF_OK; j++) {
			snprintf(line, sizeof(line), "<%02X00> <%02XFF> <%02X00>\n", hi[j], hi[j], hi[j]);
			ret = HPDF_Stream_WriteStr(cmap->stream, line);
		}
		if (ret == HPDF_OK)
			ret = HPDF_Stream_WriteStr(cmap->stream, "endbfrange\n");
	}
	if (ret == HPDF_OK)
		ret = HPDF_Stream_WriteStr(cmap->stream, tail);
	/* The encoding CMap's keys say nothing true of a ToUnicode CMap. */
	HPDF_Dict_RemoveElement(cmap, "Type");
	HPDF_Dict_RemoveElement(cmap, "CMapName");
	HPDF_Dict_RemoveElement(cmap, "CIDSystemInfo");
	HPDF_Dict_RemoveElement(cmap, "WMode");
	cmap->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	return ret == HPDF_OK ? 0 : -1;
}

struct rdoc *rdoc_new(const char *const fonts[RF_COUNT], int draft, struct zj_error *err)
{
	static const char *const def[RF_COUNT] = { RD_FONT_SONG, RD_FONT_HEI, RD_FONT_KAI };
	static const char *const pkg[RF_COUNT] = { "fonts-arphic-uming", "fonts-wqy-zenhei", "fonts-arphic-ukai" };
	struct rdoc *d = calloc(1, sizeof(*d));

	if (!d) {
		zj_err(err, "%s", _("out of memory"));
		return NULL;
	}
	d->draft = draft;
	d->pdf = HPDF_New(on_error, d);
	if (!d->pdf) {
		zj_err(err, "%s", _("out of memory"));
		rdoc_free(d);
		return NULL;
	}
	HPDF_SetCompressionMode(d->pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(d->pdf);
	HPDF_SetCurrentEncoder(d->pdf, "UTF-8");
	for (int f = 0; f < RF_COUNT; f++) {
		const char *path = fonts && fonts[f] && *fonts[f] ? fonts[f] : def[f];
		const char *name;

		/* libharu would only say "file open error". */
		if (access(path, R_OK) != 0) {
			zj_err(err, _("cannot read the font '%s': %s (install %s)"), path, strerror(errno), pkg[f]);
			rdoc_free(d);
			return NULL;
		}
		d->em[f] = malloc(0x10000 * sizeof(*d->em[f]));
		if (!d->em[f]) {
			zj_err(err, "%s", _("out of memory"));
			rdoc_free(d);
			return NULL;
		}
		for (size_t i = 0; i < 0x10000; i++)
			d->em[f][i] = -1;
		/* Index 0 of each collection: UMing CN, UKai CN, Zen Hei. */
		name = HPDF_LoadTTFontFromFile2(d->pdf, path, 0, HPDF_TRUE);
		if (name)
			d->font[f] = HPDF_GetFont(d->pdf, name, "UTF-8");
		if (!name || !d->font[f] || d->error || identity_to_unicode(d->font[f]) != 0) {
			zj_err(err, _("cannot load the font '%s' (libharu error 0x%04X)"), path, (unsigned)d->error);
			rdoc_free(d);
			return NULL;
		}
	}
	d->enc = HPDF_GetEncoder(d->pdf, "UTF-8");
	if (!d->enc || d->error) {
		zj_err(err, _("cannot load the font '%s' (libharu error 0x%04X)"), "UTF-8", (unsigned)d->error);
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
	free(d->pages);
	for (int i = 0; i < d->npend; i++)
		free(d->pend[i].title);
	for (int f = 0; f < RF_COUNT; f++)
		free(d->em[f]);
	sb_release(&d->clean);
	free(d);
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

static double cp_width(struct rdoc *d, enum rfont f, unsigned cp, double size)
{
	float em;

	if (cp > 0xFFFF)
		cp = 0xFFFD;
	em = d->em[f][cp];
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
		tw = HPDF_Font_TextWidth(d->font[f], (const HPDF_BYTE *)buf, len);
		em = (float)tw.width;
		/* A code point the font lacks is drawn as its .notdef box;
		 * never let it measure as nothing. */
		if (em <= 0 && cp >= 0x20)
			em = cp < 0x1100 ? 500 : 1000;
		d->em[f][cp] = em;
	}
	return em * size / 1000.0;
}

double rdoc_cp_width(struct rdoc *d, unsigned cp, double size)
{
	return cp_width(d, RF_SONG, cp, size);
}

struct wctx {
	struct rdoc *d;
	enum rfont f;
	double size;
};

static double wrap_cb(void *ctx, unsigned cp)
{
	struct wctx *w = ctx;

	return cp_width(w->d, w->f, cp, w->size);
}

double rdoc_width_f(struct rdoc *d, enum rfont f, const char *s, double size)
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
		w += cp_width(d, f, cp, size);
		i += (size_t)len;
	}
	return w;
}

double rdoc_width(struct rdoc *d, const char *s, double size)
{
	return rdoc_width_f(d, RF_SONG, s, size);
}

int rdoc_wrap_f(struct rdoc *d, enum rfont f, const char *s, double size, double w, double indent,
		int whole_words, struct wrap_lines *out)
{
	struct wctx ctx = { d, f, size };
	struct wrap_opts o = { w, w - indent, whole_words };

	if (o.first_width <= size)
		o.first_width = w;
	return rwrap_text(s, strlen(s), &o, wrap_cb, &ctx, out);
}

double rdoc_min_width_f(struct rdoc *d, enum rfont f, const char *s, double size, int whole_words)
{
	struct wctx ctx = { d, f, size };

	return rwrap_min_width(s, strlen(s), whole_words, wrap_cb, &ctx);
}

int rdoc_wrap(struct rdoc *d, const char *s, double size, double w, double indent,
	      struct wrap_lines *out)
{
	return rdoc_wrap_f(d, RF_SONG, s, size, w, indent, 0, out);
}

/* ---- pages ---- */

static void watermark(struct rdoc *d)
{
	const char *mark = "草稿";
	double size = 150, w = rdoc_width_f(d, RF_HEI, mark, size);
	double c = cos(M_PI / 4), s = sin(M_PI / 4);
	double cx = RD_PAGE_W / 2, cy = RD_PAGE_H / 2;
	/* Start so that the middle of the text sits at the page's middle. */
	double x = cx - w / 2 * c + size * 0.35 * s, y = cy - w / 2 * s - size * 0.35 * c;

	HPDF_Page_GSave(d->page);
	HPDF_Page_SetRGBFill(d->page, 0.90f, 0.90f, 0.90f);
	HPDF_Page_BeginText(d->page);
	HPDF_Page_SetFontAndSize(d->page, d->font[RF_HEI], (HPDF_REAL)size);
	HPDF_Page_SetTextMatrix(d->page, (HPDF_REAL)c, (HPDF_REAL)s, (HPDF_REAL)-s, (HPDF_REAL)c,
				(HPDF_REAL)x, (HPDF_REAL)y);
	HPDF_Page_ShowText(d->page, mark);
	HPDF_Page_EndText(d->page);
	HPDF_Page_GRestore(d->page);
}

void rdoc_new_page(struct rdoc *d)
{
	rdoc_flush(d, 0);
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
	d->npages++;
	d->y = RD_TOP;
	/* Drawn first, so it lies under the content. */
	if (d->draft)
		watermark(d);
}

void rdoc_need(struct rdoc *d, double h)
{
	if (d->npend) {
		rdoc_flush(d, h);
		return;
	}
	if (!d->page || d->y - h < RD_BOTTOM - 0.01)
		rdoc_new_page(d);
}

size_t rdoc_page_no(const struct rdoc *d)
{
	return d->npages;
}

void rdoc_skip(struct rdoc *d, double h)
{
	if (d->npend) {
		d->pend[d->npend - 1].skip += h;
		return;
	}
	if (d->y - h < RD_BOTTOM)
		d->y = RD_BOTTOM;
	else
		d->y -= h;
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
static void text_raw(struct rdoc *d, enum rfont f, double x, double y, double size, const char *s,
		     double charspace, const struct rgb *color)
{
	if (!*s)
		return;
	HPDF_Page_GSave(d->page);
	set_fill(d, color);
	HPDF_Page_BeginText(d->page);
	HPDF_Page_SetFontAndSize(d->page, d->font[f], (HPDF_REAL)size);
	if (charspace > 0)
		HPDF_Page_SetCharSpace(d->page, (HPDF_REAL)charspace);
	HPDF_Page_MoveTextPos(d->page, (HPDF_REAL)x, (HPDF_REAL)y);
	HPDF_Page_ShowText(d->page, s);
	HPDF_Page_EndText(d->page);
	HPDF_Page_GRestore(d->page);
}

static size_t fit_f(struct rdoc *d, enum rfont f, const char *s, double size, double maxw)
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
		w += cp_width(d, f, cp, size);
		if (w > maxw)
			break;
		i += (size_t)len;
	}
	return i;
}

size_t rdoc_fit(struct rdoc *d, const char *s, double size, double maxw)
{
	return fit_f(d, RF_SONG, s, size, maxw);
}

static void text_fit(struct rdoc *d, enum rfont f, double x, double y, double size, const char *s, double maxw,
		     enum ralign align, const struct rgb *color)
{
	double w = rdoc_width_f(d, f, s, size);
	char *cut = NULL;

	if (maxw > 0 && w > maxw) {
		double ell = rdoc_width_f(d, f, "…", size);
		size_t n = maxw > ell ? fit_f(d, f, s, size, maxw - ell) : 0;

		cut = malloc(n + 4);
		if (!cut)
			return;
		memcpy(cut, s, n);
		memcpy(cut + n, "…", 4);
		s = cut;
		w = rdoc_width_f(d, f, s, size);
	}
	if (align == RA_CENTER)
		x -= w / 2;
	else if (align == RA_RIGHT)
		x -= w;
	text_raw(d, f, x, y, size, s, 0, color);
	free(cut);
}

void rdoc_text_f(struct rdoc *d, enum rfont f, double x, double y, double size, const char *s, double maxw,
		 enum ralign align, const struct rgb *color)
{
	char *c = strdup(rtext_clean(d, s, 0));

	if (!c)
		return;
	text_fit(d, f, x, y, size, c, maxw, align, color);
	free(c);
}

void rdoc_text(struct rdoc *d, double x, double y, double size, const char *s, double maxw,
	       enum ralign align, const struct rgb *color, int bold)
{
	rdoc_text_f(d, bold ? RF_HEI : RF_SONG, x, y, size, s, maxw, align, color);
}

static double leading_of(const struct rstyle *st, double size)
{
	return st && st->leading > 0 ? st->leading : size * 1.6;
}

static enum rfont font_of(const struct rstyle *st)
{
	if (!st)
		return RF_SONG;
	return st->bold && st->font == RF_SONG ? RF_HEI : st->font;
}

/* Lays out clean text s whose first lablen bytes are a label drawn in
 * face lf (measured in the paragraph's face: the AR PL faces share their
 * metrics, and a 黑 label is only ever a short run of CJK). */
static void flow(struct rdoc *d, const struct rstyle *st, const char *s, size_t lablen, enum rfont lf)
{
	double size = st && st->size > 0 ? st->size : RD_BODY;
	double lead = leading_of(st, size);
	double left = RD_LEFT + (st ? st->left : 0), width = RD_WIDTH - (st ? st->left + st->right : 0);
	double indent = st ? st->indent : 0;
	enum ralign align = st ? st->align : RA_LEFT;
	enum rfont f = font_of(st);
	struct wrap_lines lines = { 0 };

	if (width < size * 2)
		width = size * 2;
	if (rdoc_wrap_f(d, f, s, size, width, indent, 0, &lines) < 0) {
		if (!d->error)
			d->error = HPDF_FAILD_TO_ALLOC_MEM;
		return;
	}
	/* A heading waiting for this paragraph keeps two of its lines. */
	rdoc_flush(d, lead * (double)(lines.n < 2 ? lines.n : 2));
	for (size_t i = 0; i < lines.n; i++) {
		const struct wrap_line *l = &lines.v[i];
		double x = left + (l->para_start ? indent : 0), w = width - (l->para_start ? indent : 0);
		double base, cs = 0;
		size_t nch = 0, lab = 0;
		char *line;
		int last = i + 1 == lines.n || lines.v[i + 1].para_start;

		rdoc_need(d, lead);
		base = d->y - lead / 2 - size * 0.35;
		line = strndup(s + l->off, l->len);
		if (!line)
			break;
		for (size_t k = 0; k < l->len; k++)
			nch += ((unsigned char)line[k] & 0xC0) != 0x80;
		if (align == RA_CENTER)
			x += (w - l->width) / 2;
		else if (align == RA_RIGHT)
			x += w - l->width;
		else if (!last && nch > 1 && (w - l->width) / (double)(nch - 1) < size * 0.25)
			/* Justify Chinese lines by spreading the slack over
			 * the characters, when it is small. */
			cs = (w - l->width) / (double)(nch - 1);
		/* The part of the label on this line (a long label wraps). */
		if (l->off < lablen)
			lab = (lablen < l->off + l->len ? lablen : l->off + l->len) - l->off;
		if (lab) {
			char *head = strndup(line, lab);

			if (head) {
				size_t nlab = 0;

				for (size_t k = 0; head[k]; k++)
					nlab += ((unsigned char)head[k] & 0xC0) != 0x80;
				text_raw(d, lf, x, base, size, head, cs, st ? st->color : NULL);
				/* The char space follows every character. */
				x += rdoc_width_f(d, f, head, size) + cs * (double)nlab;
				free(head);
			}
		}
		text_raw(d, f, x, base, size, line + lab, cs, st ? st->color : NULL);
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
	flow(d, st, c, 0, RF_SONG);
	free(c);
}

void rdoc_field_f(struct rdoc *d, const struct rstyle *st, enum rfont lab_font, const char *label,
		  const char *s)
{
	struct strbuf sb = { 0 };
	size_t lablen;

	sb_adds(&sb, rtext_clean(d, label, 0));
	lablen = sb.len;
	sb_adds(&sb, rtext_clean(d, s, 1));
	if (sb.p)
		flow(d, st, sb.p, lablen, lab_font);
	sb_release(&sb);
}

void rdoc_field(struct rdoc *d, const struct rstyle *st, const char *label, const char *s)
{
	rdoc_field_f(d, st, RF_HEI, label, s);
}

HPDF_Outline rdoc_bookmark(struct rdoc *d, HPDF_Outline parent, const char *title)
{
	HPDF_Outline o;
	HPDF_Destination dst;

	rdoc_flush(d, 0);
	if (!d->page)
		rdoc_new_page(d);
	o = HPDF_CreateOutline(d->pdf, parent, rtext_clean(d, title, 0), d->enc);
	dst = HPDF_Page_CreateDestination(d->page);
	HPDF_Destination_SetFitH(dst, (HPDF_REAL)(d->y + 24 > RD_PAGE_H ? RD_PAGE_H : d->y + 24));
	HPDF_Outline_SetDestination(o, dst);
	return o;
}

/* Queues a heading (o its bookmark) or a lead-in paragraph (o NULL). */
static void pend_push(struct rdoc *d, const struct rstyle *st, const char *text, HPDF_Outline o, double keep)
{
	struct rdoc_pending *p;

	if (d->npend == RD_PENDING)
		rdoc_flush(d, 0);
	if (!d->page)
		rdoc_new_page(d);
	p = &d->pend[d->npend];
	p->title = strdup(rtext_clean(d, text, 0));
	if (!p->title) {
		if (!d->error)
			d->error = HPDF_FAILD_TO_ALLOC_MEM;
		return;
	}
	p->st = st ? *st : (struct rstyle){ 0 };
	p->o = o;
	p->keep = keep;
	p->skip = 0;
	d->npend++;
}

HPDF_Outline rdoc_heading(struct rdoc *d, HPDF_Outline parent, const struct rstyle *st, const char *title,
			  double keep)
{
	HPDF_Outline o = HPDF_CreateOutline(d->pdf, parent, rtext_clean(d, title, 0), d->enc);

	pend_push(d, st, title, o, keep);
	return o;
}

void rdoc_lead(struct rdoc *d, const struct rstyle *st, const char *s)
{
	pend_push(d, st, s, NULL, 0);
}

/* The lines of waiting item i and their leading. */
static double pending_lines(struct rdoc *d, int i, double *lead)
{
	const struct rstyle *st = &d->pend[i].st;
	double size = st->size > 0 ? st->size : RD_BODY;
	struct wrap_lines l = { 0 };
	size_t n = 1;

	*lead = leading_of(st, size);
	if (rdoc_wrap_f(d, font_of(st), d->pend[i].title, size, RD_WIDTH - st->left - st->right, st->indent, 0,
			&l) == 0 && l.n > 1)
		n = l.n;
	rwrap_release(&l);
	return (double)n;
}

double rdoc_pending_height(struct rdoc *d)
{
	double h = 0, lead, n;

	for (int i = 0; i < d->npend; i++) {
		n = pending_lines(d, i, &lead);
		h += lead * n + d->pend[i].skip;
	}
	return h;
}

void rdoc_flush(struct rdoc *d, double after)
{
	struct rdoc_pending p[RD_PENDING];
	int np = d->npend;
	double h = rdoc_pending_height(d);

	if (!np)
		return;
	memcpy(p, d->pend, sizeof(p));
	d->npend = 0;
	for (int i = 0; i < np; i++)
		if (after < p[i].keep)
			after = p[i].keep;
	/* What follows never needs more than a page to start. */
	if (h + after > RD_TOP - RD_BOTTOM)
		after = RD_TOP - RD_BOTTOM - h;
	rdoc_need(d, h + after);
	for (int i = 0; i < np; i++) {
		if (p[i].o) {
			HPDF_Destination dst = HPDF_Page_CreateDestination(d->page);

			HPDF_Destination_SetFitH(dst, (HPDF_REAL)(d->y + 24 > RD_PAGE_H ? RD_PAGE_H : d->y + 24));
			HPDF_Outline_SetDestination(p[i].o, dst);
		}
		flow(d, &p[i].st, p[i].title, 0, RF_SONG);
		rdoc_skip(d, p[i].skip);
		free(p[i].title);
	}
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

void rdoc_finish(struct rdoc *d)
{
	char buf[64];

	rdoc_flush(d, 0);
	for (size_t i = 0; i < d->npages; i++) {
		d->page = d->pages[i].page;
		/* GB/T 9704 §7.5: 4号 Arabic numerals between one-character
		 * dashes, 7 mm below the type area. */
		snprintf(buf, sizeof(buf), "— %zu —", i + 1);
		text_fit(d, RF_SONG, RD_PAGE_W / 2, RD_BOTTOM - 7 * RD_MM - 14 * 0.8, 14, buf, 0, RA_CENTER, NULL);
		if (d->draft)
			text_fit(d, RF_HEI, RD_RIGHT, RD_TOP + 14, RD_SMALL, "草稿", 0, RA_RIGHT, &RGB_RED);
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
