/*
 * browse.h: reading inventories and findings a page at a time, for a front
 * end that shows a window onto a million rows (the TUI).
 *
 * Paging is by keyset on rowid, never by OFFSET: the page after or before a
 * row, the first page and the last page each cost one short index range
 * scan wherever they are in the table.  Nothing here loads a whole
 * inventory or a whole findings table.
 *
 * Every call runs its statements to the end or resets them before it
 * returns, so no read transaction stays open between calls: a concurrent
 * `zhijian import` or `score` commits freely, and the next call sees its
 * data.  A row that disappeared in between is simply not found.
 *
 * Ownership: the caller owns every struct filled here and releases it with
 * the matching *_release / *_free; strings in them are malloc'd copies.
 */
#ifndef ZJ_BROWSE_H
#define ZJ_BROWSE_H

#include <stddef.h>
#include <sqlite3.h>

#include "core/checklist.h"
#include "core/inventory.h"
#include "util/err.h"

/* ---- the rules of the last score run (table rules) ---- */

struct browse_rule {
	char *id, *title, *message;
	enum inv_kind inv;
	int bit;			/* bit of the findings masks */
	int article;
	enum severity sev;
	int similar;			/* the duplicate-apps pass: findings name a peer */
	unsigned long long reads;	/* columns the rule reads (bit = column index) */
	unsigned long long conflict_reads;	/* columns its contradiction test reads */
	int type;			/* enum problem_type, -1 if none */
	long long violated, unknown;	/* subjects, as counted by the score run */
};

struct browse_rules {
	struct browse_rule *v;	/* ordered by article, inventory, bit */
	size_t n;
};

/* Loads the rules table; an unscored workspace gives n = 0. */
int browse_rules_load(sqlite3 *db, struct browse_rules *r, struct zj_error *err);
void browse_rules_release(struct browse_rules *r);

/* ---- one inventory, a page at a time ---- */

struct browse_inv;	/* statements for one inventory and one filter */

/* Pages of inventory `kind` showing columns cols[0..ncols) (indexes into
 * inventory_get(kind)->cols).  NULL with err filled on failure. */
struct browse_inv *browse_inv_new(sqlite3 *db, enum inv_kind kind, const int *cols, size_t ncols,
				  struct zj_error *err);
void browse_inv_free(struct browse_inv *b);

/* Keeps only rows whose id, name or host unit contains text (ASCII letters
 * in any case; the text is matched literally, % and _ included).  NULL or
 * "" shows every row.  The text is copied. */
int browse_inv_filter(struct browse_inv *b, const char *text, struct zj_error *err);
/* The current filter text, or NULL. */
const char *browse_inv_filter_text(const struct browse_inv *b);

struct browse_row {
	long long rowid;
	char **cell;		/* ncols values; NULL for an empty cell */
	int violated, unknown;	/* how many rules the row violates / cannot be decided */
};

struct browse_page {
	struct browse_row *row;	/* ascending rowid */
	size_t n, ncols;
};

enum browse_from {
	BROWSE_FIRST,		/* the first rows */
	BROWSE_LAST,		/* the last rows */
	BROWSE_AFTER,		/* the rows after key */
	BROWSE_BEFORE,		/* the rows before key */
	BROWSE_AT,		/* key itself, if it matches, and the rows after it */
};

/* Replaces page's rows with up to n matching rows, always in ascending
 * rowid order (BROWSE_BEFORE and BROWSE_LAST read backwards and return the
 * rows nearest the key / the end).  Returns the number of rows, or -1 (the
 * page is then empty). */
int browse_inv_page(struct browse_inv *b, enum browse_from from, long long key, size_t n,
		    struct browse_page *page, struct zj_error *err);
void browse_page_release(struct browse_page *page);

/* Matching rows in all; matching rows before rowid (the position of rowid
 * counted from 0).  -1 on error.  Both scan: O(rows), call them on a
 * change of filter or a jump, not on every key. */
long long browse_inv_count(struct browse_inv *b, struct zj_error *err);
long long browse_inv_rank(struct browse_inv *b, long long rowid, struct zj_error *err);

/* ---- one row with all its fields ---- */

struct browse_record {
	enum inv_kind kind;
	long long rowid;
	char **value;		/* inventory_get(kind)->ncols values, NULL = empty (unknown) */
	char *extra;		/* JSON object of columns outside the contract, or NULL */
	char *file;		/* the file of the import that last wrote it, or NULL */
	long long src_line;	/* its line in that file, 0 if unknown */
};

/* Returns 1 and fills rec, 0 if the row no longer exists, -1 on error. */
int browse_record_load(sqlite3 *db, enum inv_kind kind, long long rowid,
		       struct browse_record *rec, struct zj_error *err);
void browse_record_release(struct browse_record *rec);

/* ---- findings: one per subject per rule ---- */

struct browse_finding {
	size_t rule;		/* index into the browse_rules it was read with */
	enum inv_kind inv;
	long long subject;	/* rowid in the inventory */
	char *subject_id, *subject_name;
	int violated;		/* 1 violated, 0 unknown (needs verification) */
	unsigned long long subject_violated, subject_unknown;	/* the subject's masks over
								 * every rule (gain_for) */
	char *message;		/* the rule's message and what is specific to this one */
};

void browse_findings_free(struct browse_finding *f, size_t n);

/* The findings of one subject, in rule order.  *out is malloc'd (NULL when
 * *n is 0); free with browse_findings_free. */
int browse_subject_findings(sqlite3 *db, const struct browse_rules *rules, enum inv_kind kind,
			    long long rowid, struct browse_finding **out, size_t *n,
			    struct zj_error *err);

/* Which findings to list; 0 / -1 fields mean "all". */
struct browse_ffilter {
	int article;		/* 0 or an article number */
	int inv;		/* -1 or an enum inv_kind */
	int sev;		/* -1 or an enum severity */
	int state;		/* 0 all, 1 violated, 2 unknown */
};

/* A position in the ordered list of findings: rules in browse_rules order,
 * then subjects by rowid. */
struct browse_fkey {
	size_t rule;
	long long subject;
};

/* Fills out[0..n) with up to n findings passing f, in list order, starting
 * as `from` says relative to key (ignored for FIRST / LAST; AT includes
 * key).  Returns how many, or -1.  Each entry must be released with
 * browse_findings_free(out, count). */
int browse_findings_page(sqlite3 *db, const struct browse_rules *rules,
			 const struct browse_ffilter *f, enum browse_from from,
			 const struct browse_fkey *key, size_t n, struct browse_finding *out,
			 struct zj_error *err);

/* How many findings pass f, from the score run's counts: no scan. */
long long browse_findings_count(const struct browse_rules *rules, const struct browse_ffilter *f);

/* How many findings pass f before key (its position from 0): the counts of
 * earlier rules plus one scan of key's rule. */
long long browse_findings_rank(sqlite3 *db, const struct browse_rules *rules,
			       const struct browse_ffilter *f, const struct browse_fkey *key,
			       struct zj_error *err);

/* The message of one finding, as `zhijian findings`, the TUI and the report
 * show it: the rule's message, plus what makes this one specific — the
 * similar app a duplicate resembles, or, for one to verify, which of the
 * columns the rule reads are empty, or (conflict) which columns of its
 * contradiction test disagree.  Replaces sb's content. */
struct strbuf;
void finding_message(struct strbuf *sb, enum inv_kind kind, const char *rule_message, int similar,
		     unsigned long long reads, int violated, unsigned long long nulls,
		     const char *peer_id, const char *peer_name, int peer_reasons,
		     int conflict, unsigned long long conflict_reads);

#endif
