/*
 * wrap.h: breaking text into lines by measured width, for Chinese.
 *
 * libharu's own TextRect breaks only at spaces, and Chinese has none.  Here
 * a line may break between any two CJK characters, after a run of spaces,
 * and between CJK and Latin text; a run of Latin letters and digits (a
 * word, an id such as APP-0000001) is kept whole unless it is wider than a
 * line by itself, except that paths, URLs and fingerprints may break after
 * a '/' or ':'.  The usual Chinese rules (禁则) are followed where
 * they can be: no line starts with closing punctuation such as ，。、；：？！
 * ）》」』 and no line ends with opening punctuation such as （《「『 — the
 * character before such a break moves to the next line with it — and
 * ——/…… are never split.  A number stays with the word after it ("45.8分",
 * "43 个"): no break between a digit and the CJK character that follows,
 * spaces or not.  When no break is allowed at all the line is cut
 * between two characters, never inside a UTF-8 sequence.
 *
 * '\n' ends a paragraph; spaces at a soft break are dropped.  The text must
 * be valid UTF-8 (rtext_clean in doc.h makes it so).  Nothing here knows
 * about PDF: widths come from a callback, so the rules are unit-tested.
 */
#ifndef ZJ_REPORT_WRAP_H
#define ZJ_REPORT_WRAP_H

#include <stddef.h>

struct wrap_line {
	size_t off, len;	/* bytes of the source, trailing spaces excluded */
	double width;		/* measured width of those bytes */
	int para_start;		/* first line of a paragraph */
};

struct wrap_lines {
	struct wrap_line *v;
	size_t n, cap;
};

/* The advance width of one code point, in the caller's units. */
typedef double (*wrap_width_fn)(void *ctx, unsigned cp);

struct wrap_opts {
	double width;		/* every line */
	double first_width;	/* the first line of each paragraph (0: width) */
	/* Names kept whole: CJK text breaks only after spaces and list
	 * punctuation (、，；), so "青禾县教育局；青禾县卫健局" wraps between the
	 * two names and neither is split unless it is wider than the line;
	 * then it breaks as any text would (禁则 kept). */
	int whole_words;
};

/*
 * Appends the lines of s[0..n) to out (which the caller releases with
 * rwrap_release).  Every paragraph gives at least one line, an empty
 * one for an empty paragraph.  Returns 0, or -1 when memory runs out.
 */
int rwrap_text(const char *s, size_t n, const struct wrap_opts *o, wrap_width_fn wf, void *ctx,
	      struct wrap_lines *out);
void rwrap_release(struct wrap_lines *l);

/* The width of the widest piece of s that no line break may split (with
 * whole_words, a name between spaces and 、，；): the narrowest line s
 * can be wrapped to without cutting a piece. */
double rwrap_min_width(const char *s, size_t n, int whole_words, wrap_width_fn wf, void *ctx);

/* The classes used above, exposed for tests and for callers that cut a
 * single line: 1 if a line may not start with cp, or may not end with it. */
int rwrap_no_start(unsigned cp);
int rwrap_no_end(unsigned cp);

#endif
