/*
 * parse.h: parsers for the typed cells of an inventory CSV.
 *
 * Every parser takes the raw cell bytes (s, len; s need not be
 * NUL-terminated, and must be UTF-8), first trims ASCII whitespace and the
 * ideographic space U+3000 at both ends, then returns
 *    1  a value was parsed and stored in *out,
 *    0  the cell is empty after trimming: the value is unknown, which is
 *       not the same as "no" or 0 (see DESIGN.md, Inventory CSV contract),
 *   -1  the cell is invalid; *why is a short static English reason that
 *       reads after the quoted cell, e.g. "'abc' is not a whole number".
 * *out is written only when 1 is returned; *why is set to NULL unless -1 is
 * returned.  why may be NULL when the caller does not want the reason.
 *
 * The reasons are marked N_() but not translated: the caller passes them
 * through _() when it builds the message.  They are static strings, never
 * freed.
 *
 * Digits may be ASCII or fullwidth (０..９, as typed with a Chinese input
 * method) wherever digits are accepted.
 */
#ifndef ZJ_PARSE_H
#define ZJ_PARSE_H

#include <stddef.h>

/* 是/否, 有/无, √/×, ✓/✗ (and ✔/✘), Y/N (and Ｙ/Ｎ), yes/no, true/false,
 * 1/0 (ASCII case-insensitive). */
int parse_bool(const char *s, size_t len, int *out, const char **why);

/*
 * 2026-03-01, 2026-3-1, 2026/3/1, 2026.3.1 (one separator used twice) or
 * 2026年3月1日 (spaces allowed around 年, 月 and 日); the year has four
 * digits, month and day one or two.  An optional time after a space or 'T'
 * (H:MM, H:MM:SS, H:MM:SS.fff, as spreadsheets append it) is checked and
 * dropped.  The calendar is checked (leap years included) and the year must
 * be 1900..2199.  Digits alone (perhaps with a fraction, a time of day) are
 * an Excel serial number, read as parse_excel_serial(…, 1, …) does.  out
 * receives the canonical NUL-terminated "YYYY-MM-DD".
 */
int parse_date(const char *s, size_t len, char out[11], const char **why);

/* The serial numbers of 1990-01-01 and 2100-12-31 in Excel's 1900 system. */
#define EXCEL_SERIAL_MIN 32874
#define EXCEL_SERIAL_MAX 73415

/*
 * An Excel serial day number (1900 date system: 45292 is 2024-01-01; a
 * fraction is a time of day and is dropped).  With plausible_only, only days
 * of 1990..2100 are dates (a bare number in a date column is more likely a
 * mistake than a day of 1950); otherwise, for a cell formatted as a date,
 * 1900..2199 as for text.  Returns 1 or -1 (never 0).
 */
int parse_excel_serial(double serial, int plausible_only, char out[11],
		       const char **why);

/*
 * A non-negative whole number up to 10^15: digits with an optional leading
 * '+', optionally grouped by ',' or '，' in thousands ("1,234,567": first
 * group 1-3 digits, the others exactly 3), optionally followed by a fraction
 * of zeros ("12.0", "12.00", as Excel writes whole numbers), then optionally
 * 万 (ten thousand: "1.2万" is 12000, a fraction of at most four digits
 * that are not zero) and 人 or 个 ("300人", "1.2万人").
 */
int parse_int(const char *s, size_t len, long long *out, const char **why);

/*
 * Trims; on 1 *start and *tlen describe the trimmed text inside s (not a
 * copy), on 0 the cell is empty and they are not written.  Never -1.
 */
int parse_text(const char *s, size_t len, const char **start, size_t *tlen);

#endif
