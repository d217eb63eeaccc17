/*
 * utf8.h: UTF-8 validation, decoding and terminal display width.
 *
 * Everything here works on bytes and on code points only: nothing depends on
 * the process locale (no mbrtowc, no wcwidth), so an aligned table looks the
 * same under LANG=C as under zh_CN.UTF-8, and tests are reproducible.
 *
 * Strictness follows RFC 3629: overlong forms, UTF-16 surrogates
 * (U+D800..U+DFFF) and anything above U+10FFFF are invalid.
 *
 * No function allocates; none keeps a pointer to its arguments.
 */
#ifndef ZJ_UTF8_H
#define ZJ_UTF8_H

#include <stddef.h>

/*
 * Returns 1 if s[0..len) is entirely valid UTF-8, else 0 and, if bad_offset
 * is not NULL, stores the offset of the first byte of the first invalid
 * sequence (a stray continuation byte, a bad lead byte, or the lead byte of
 * an overlong, surrogate, out-of-range or truncated sequence).
 * NUL bytes are valid UTF-8 (U+0000); callers that care look for them.
 */
int utf8_valid(const char *s, size_t len, size_t *bad_offset);

/*
 * Decodes the code point at the start of s[0..len) into *cp and returns its
 * length in bytes (1..4).  Returns -1, leaving *cp alone, if len is 0 or the
 * bytes are not a complete, valid sequence.
 */
int utf8_decode(const char *s, size_t len, unsigned *cp);

/*
 * Terminal columns taken by code point cp:
 *   0  combining and enclosing marks, format characters (zero-width space,
 *      joiners, BOM, bidi controls), Hangul medial/final jamo, and C0/C1
 *      control characters (which a caller must escape before printing);
 *   2  East Asian Wide and Fullwidth characters (Unicode 14.0): CJK
 *      ideographs, Hangul syllables, kana, CJK punctuation from U+3000,
 *      fullwidth forms, emoji with emoji presentation;
 *   1  everything else, including invalid code points.
 * The table is built from the Unicode data, so the few narrow or combining
 * code points in otherwise wide blocks (U+302A..U+302D tone marks are 0,
 * U+303F half fill space is 1) follow Unicode, not their block.
 */
int utf8_cp_width(unsigned cp);

/*
 * Display width of the NUL-terminated string s.  Each byte that is not
 * part of a valid sequence counts as one column, as a terminal shows it as
 * one replacement character.
 */
size_t utf8_width(const char *s);

/*
 * Number of bytes of the longest prefix of the NUL-terminated string s whose
 * display width is at most max_width.  The prefix never ends inside a
 * multi-byte character; zero-width characters that follow the last character
 * that fits are included, so a combining mark stays with its base.
 */
size_t utf8_prefix_by_width(const char *s, size_t max_width);

/*
 * Makes s safe to show on a terminal, in a CSV cell or in a report, in
 * place: tab, line feed and carriage return become a space; every other C0
 * control (ESC among them), DEL, every C1 control (U+0080..U+009F) and the
 * bidirectional embedding, override and isolate controls (U+202A..U+202E,
 * U+2066..U+2069, which can make a line read backwards) become '?', and so
 * does each byte that is not part of valid UTF-8.  The result is never
 * longer than s.  Returns the number of characters replaced (tab, line
 * feed and carriage return not counted).  NULL is left alone.
 */
size_t utf8_sanitize(char *s);

/* The same into out (size bytes, always NUL-terminated when size > 0,
 * never cut inside a character); a NULL s gives "".  Returns out. */
char *utf8_sanitize_copy(const char *s, char *out, size_t size);

/* 1 if s holds anything utf8_sanitize would replace (tab, line feed and
 * carriage return included), else 0. */
int utf8_has_control(const char *s);

#endif
