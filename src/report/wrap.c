#include "report/wrap.h"

#include <stdlib.h>

#include "util/utf8.h"

/* Closing punctuation and small kana: never first on a line (GB/T 15834
 * and the W3C clreq list, the common subset). */
int rwrap_no_start(unsigned cp)
{
	switch (cp) {
	case ',': case '.': case ';': case ':': case '?': case '!': case ')': case ']': case '}':
	case '%':
	case 0x00B0:	/* ° */
	case 0x00BB:	/* » */
	case 0x2019: case 0x201D:	/* ’ ” */
	case 0x2030:	/* ‰ */
	case 0x2032: case 0x2033:	/* ′ ″ */
	case 0x2103:	/* ℃ */
	case 0x3001: case 0x3002:	/* 、。 */
	case 0x3005:	/* 々 */
	case 0x3009: case 0x300B: case 0x300D: case 0x300F: case 0x3011:	/* 〉》」』】 */
	case 0x3015: case 0x3017: case 0x3019: case 0x301B:	/* 〕〗〙〛 */
	case 0x301E: case 0x301F:	/* 〞〟 */
	case 0x30FB: case 0x30FC:	/* ・ー */
	case 0xFF01:	/* ！ */
	case 0xFF05:	/* ％ */
	case 0xFF09:	/* ） */
	case 0xFF0C: case 0xFF0E:	/* ，． */
	case 0xFF1A: case 0xFF1B: case 0xFF1F:	/* ：；？ */
	case 0xFF3D: case 0xFF5D: case 0xFF60:	/* ］｝｠ */
	case 0xFF64: case 0xFF61:	/* halfwidth 、。 */
		return 1;
	}
	/* Small kana. */
	return (cp >= 0x3041 && cp <= 0x3049 && cp % 2 == 1) || cp == 0x3063 || cp == 0x3083 ||
	       cp == 0x3085 || cp == 0x3087 || cp == 0x308E ||
	       (cp >= 0x30A1 && cp <= 0x30A9 && cp % 2 == 1) || cp == 0x30C3 || cp == 0x30E3 ||
	       cp == 0x30E5 || cp == 0x30E7 || cp == 0x30EE || cp == 0x30F5 || cp == 0x30F6;
}

/* Opening punctuation: never last on a line. */
int rwrap_no_end(unsigned cp)
{
	switch (cp) {
	case '(': case '[': case '{':
	case 0x00AB:	/* « */
	case 0x2018: case 0x201C:	/* ‘ “ */
	case 0x3008: case 0x300A: case 0x300C: case 0x300E: case 0x3010:	/* 〈《「『【 */
	case 0x3014: case 0x3016: case 0x3018: case 0x301A: case 0x301D:	/* 〔〖〘〚〝 */
	case 0xFF08: case 0xFF3B: case 0xFF5B: case 0xFF5F:	/* （［｛｟ */
		return 1;
	}
	return 0;
}

/* Characters between which Chinese text may break: ideographs, kana,
 * hangul, CJK and fullwidth punctuation, and the general punctuation that
 * Chinese text uses (quotes, dashes, ellipsis). */
static int is_cjk(unsigned cp)
{
	return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
	       (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x3FFFF) ||
	       (cp >= 0x2010 && cp <= 0x2027) || cp == 0x00B7;
}

static int is_space(unsigned cp)
{
	return cp == ' ' || cp == '\t' || cp == 0x3000;
}

static int is_digit(unsigned cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

/* List punctuation after which a name may end a line; ／ parts a unit from
 * a person ("县数据局／李明"). */
static int is_list_sep(unsigned cp)
{
	return cp == 0x3001 || cp == 0xFF0C || cp == 0xFF1B || cp == ';' || cp == ',' || cp == 0x3002 ||
	       cp == 0xFF0F;
}

/* May a line break between a and b (b would start the next line)?  ink is
 * the last character before a that is not a space (a itself if it is
 * not one); whole: names kept whole (wrap_opts.whole_words). */
static int break_ok(unsigned ink, unsigned a, unsigned b, int whole)
{
	if (is_space(b))
		return 0;	/* break after the spaces instead */
	if (rwrap_no_start(b) || rwrap_no_end(a))
		return 0;
	if (a == b && (a == 0x2014 || a == 0x2026 || a == 0x2025))
		return 0;	/* —— …… */
	/* A number and its unit: "45.8分", "45.8 分", "第 3 页". */
	if (is_digit(ink) && is_cjk(b) && !rwrap_no_end(b))
		return 0;
	if (is_space(a))
		return 1;
	if (whole)
		return is_list_sep(a);
	/* Inside long Latin runs: after the separators of paths, URLs and
	 * fingerprints (6A:FE:40…), before the next letter or digit. */
	if ((a == '/' || a == ':') && ((b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')))
		return 1;
	return is_cjk(a) || is_cjk(b);
}

static int decode(const char *s, size_t n, size_t p, unsigned *cp)
{
	int len = utf8_decode(s + p, n - p, cp);

	if (len < 1) {
		*cp = 0xFFFD;
		return 1;
	}
	return len;
}

static int emit(struct wrap_lines *out, const char *s, size_t n, size_t start, size_t end,
		int para_start, wrap_width_fn wf, void *ctx)
{
	struct wrap_line *l;
	double w = 0, wtrim = 0;
	size_t p = start, trimmed = start;

	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 16;
		struct wrap_line *v = realloc(out->v, cap * sizeof(*v));

		if (!v)
			return -1;
		out->v = v;
		out->cap = cap;
	}
	/* Trailing spaces neither show nor count. */
	while (p < end) {
		unsigned cp;
		int len = decode(s, n, p, &cp);

		w += wf(ctx, cp);
		p += (size_t)len;
		if (!is_space(cp)) {
			trimmed = p;
			wtrim = w;
		}
	}
	l = &out->v[out->n++];
	l->off = start;
	l->len = trimmed - start;
	l->width = wtrim;
	l->para_start = para_start;
	return 0;
}

int rwrap_text(const char *s, size_t n, const struct wrap_opts *o, wrap_width_fn wf, void *ctx,
	      struct wrap_lines *out)
{
	size_t pos = 0;
	int first = 1;

	for (;;) {
		double maxw = first && o->first_width > 0 ? o->first_width : o->width;
		size_t start = pos, p = pos, brk = 0, soft = 0;
		unsigned prev = 0, ink = 0;
		double width = 0;
		int have_brk = 0, have_soft = 0;

		for (;;) {
			unsigned cp;
			int len;
			double w;

			if (p >= n || s[p] == '\n') {
				if (emit(out, s, n, start, p, first, wf, ctx) < 0)
					return -1;
				if (p >= n)
					return 0;
				pos = p + 1;
				first = 1;
				break;
			}
			len = decode(s, n, p, &cp);
			w = wf(ctx, cp);
			if (p > start && break_ok(ink, prev, cp, o->whole_words)) {
				brk = p;
				have_brk = 1;
			}
			/* A name wider than the line breaks where any text may
			 * (禁则 and all), not at the last character that fits. */
			if (p > start && o->whole_words && break_ok(ink, prev, cp, 0)) {
				soft = p;
				have_soft = 1;
			}
			if (p > start && width + w > maxw && !is_space(cp)) {
				size_t end = have_brk ? brk : have_soft ? soft : p;

				if (emit(out, s, n, start, end, first, wf, ctx) < 0)
					return -1;
				pos = end;
				/* Spaces at a soft break are dropped. */
				while (pos < n) {
					unsigned c2;
					int l2 = decode(s, n, pos, &c2);

					if (!is_space(c2))
						break;
					pos += (size_t)l2;
				}
				first = 0;
				break;
			}
			width += w;
			prev = cp;
			if (!is_space(cp))
				ink = cp;
			p += (size_t)len;
		}
	}
}

double rwrap_min_width(const char *s, size_t n, int whole_words, wrap_width_fn wf, void *ctx)
{
	double best = 0, seg = 0;
	unsigned prev = 0, ink = 0;
	size_t p = 0;
	int start = 1;

	while (p < n) {
		unsigned cp;
		int len = decode(s, n, p, &cp);

		p += (size_t)len;
		if (cp == '\n') {
			seg = 0;
			start = 1;
			prev = ink = 0;
			continue;
		}
		if (!start && break_ok(ink, prev, cp, whole_words))
			seg = 0;
		seg += wf(ctx, cp);
		/* Spaces at the end of a piece fall at the break. */
		if (!is_space(cp)) {
			if (seg > best)
				best = seg;
			ink = cp;
		}
		prev = cp;
		start = 0;
	}
	return best;
}

void rwrap_release(struct wrap_lines *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
