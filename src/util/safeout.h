/*
 * safeout.h: nothing from another unit's file reaches the terminal raw.
 *
 * Unit names, periods, file names, certificate subjects and rejection
 * reasons come from files other people made; printed raw, an escape
 * sequence among them could clear a line and write "accepted as #1" over
 * a rejection.  safeout_install puts a filter in front of stdout and
 * stderr for the whole command: every byte printed passes utf8_sanitize's
 * rules (control characters, C1 controls, bidirectional overrides and
 * invalid UTF-8 become '?'), except a line feed, a tab, and a carriage
 * return that ends a line (CSV's CRLF).  Fields are also cleaned where
 * foreign data is stored (core/rollup) and by put_cell; this is the net
 * under every printf.  The TUI draws through curses and does not use it.
 */
#ifndef ZJ_UTIL_SAFEOUT_H
#define ZJ_UTIL_SAFEOUT_H

/* Returns 0, or -1 if the streams could not be replaced (they are then
 * left as they were). */
int safeout_install(void);

#endif
