/*
 * rectify.h: the rectification ledger (整改台账).
 *
 * A rectification belongs to a finding (one subject's violations of one
 * article, or of one rule), a check item, or an article.  It carries a
 * measure, a responsible unit and person, a deadline and a status:
 *
 *	待整改 pending ──→ 整改中 in_progress ──→ 已整改 done ──→ 已验证 verified
 *	      │                   │                    │
 *	      └──────→ 已取消 cancelled (with a reason) ←┘   (done → in_progress
 *	                                                     when verification fails)
 *
 * Verifying needs the rectification to be done and, for a finding, the last
 * score to no longer find the violation.  Every change is an event (dated,
 * with the OS user); evidence files are recorded by path with their SHA-256
 * at the time, so a later change to the file is detected.  After every
 * score, rectify_sync() marks finding rectifications whose violation is gone
 * as ready for verification (never closes them), and reopens those whose
 * violation came back.  All functions run in the caller's transaction unless
 * said otherwise.
 */
#ifndef ZJ_RECTIFY_H
#define ZJ_RECTIFY_H

#include <sqlite3.h>

#include "core/assess.h"
#include "util/err.h"

enum rect_status { RS_PENDING, RS_IN_PROGRESS, RS_DONE, RS_VERIFIED, RS_CANCELLED, RS_COUNT };
enum rect_target { RT_FINDING, RT_ITEM, RT_ARTICLE };

const char *rect_status_key(enum rect_status s);	/* "in_progress" */
const char *rect_status_label(enum rect_status s);	/* "整改中" */
int rect_status_parse(const char *s);			/* key or label; -1 */
/* The status for people: "待整改 (pending)" where the locale's language is
 * not Chinese, "待整改" where it is (no English beside it); into buf. */
const char *rect_status_text(enum rect_status s, char *buf, size_t n);
/* A history entry's kind ("deadline") for people, in the locale's
 * language; an unknown kind is returned as it is. */
const char *rect_event_label(const char *kind);

/* What a rectification is about, for people: "APP-003 青禾… app.x",
 * "item 6.1" or "article 5", into buf. */
void rect_describe(enum rect_target t, const char *subject_id, const char *subject_name,
		   const char *rule, const char *item, int article, char *buf, size_t n);
/* A gain for people: "+1.38", or "—" when unknown (g < 0). */
const char *rect_gain_text(double g, char buf[24]);

struct rect_new {
	enum rect_target target;
	const char *inventory;	/* RT_FINDING: apps|accounts|groups, or NULL to look it up */
	const char *subject_id;	/* RT_FINDING */
	const char *rule;	/* RT_FINDING: one rule, or NULL for all of the article */
	const char *item;	/* RT_ITEM */
	int article;		/* RT_FINDING, RT_ARTICLE */
	const char *measure, *unit, *owner, *deadline;	/* deadline 'YYYY-MM-DD' or NULL */
};

/* Creates one in its own transaction; *id is the new id. */
int rectify_add(sqlite3 *db, const struct workspace *ws, const struct rect_new *n,
		long long *id, struct zj_error *err);

struct rect_change {
	int status;		/* -1: unchanged */
	const char *reason;	/* required to cancel */
	const char *note;	/* a dated progress note */
	const char *deadline, *owner, *unit, *measure;	/* NULL: unchanged */
	const char *const *evidence;	/* NULL-terminated file paths, or NULL */
};

/*
 * The ledger as exported (rectify export --format xlsx; CSV too), filled in
 * by the units, applied back: the header is the first row holding 编号 and
 * 状态; per row, by 编号, the cells that differ from the ledger (状态,
 * 整改措施, 责任单位, 责任人, 整改时限, with 取消原因 to cancel) and a
 * progress note from 整改进展 (dated by 进展日期) and 佐证材料 (a file
 * beside the workbook is recorded as evidence with its SHA-256, anything
 * else goes into the note), each row through rectify_update in its own
 * transaction, so every rule of `rectify update` holds and a bad row is
 * refused alone, naming its cell.  A note or evidence already recorded is
 * not added again, so importing the same workbook twice changes nothing.
 * fn (may be NULL) is told of every row changed or refused.  Returns -1
 * only when the file cannot be read at all.
 */
struct rect_import_row {
	long row;			/* the workbook's row */
	long long id;			/* 0 if not read */
	int refused;
	char changes[512];		/* what changed, for people */
	char why[ZJ_ERROR_MAX];		/* refused: "FILE:SHEET!B7: why" */
};
struct rect_import_stats {
	long long rows, changed, unchanged, refused;
};
typedef void (*rect_import_fn)(void *ctx, const struct rect_import_row *r);
int rectify_import(sqlite3 *db, const struct workspace *ws, const char *path, const char *sheet,
		   rect_import_fn fn, void *ctx, struct rect_import_stats *stats, struct zj_error *err);
/* The header of column i of the export that import reads back, or NULL
 * past the last (编号, 状态, …, 整改进展, 进展日期, 佐证材料). */
const char *rect_import_header(int i);

/* 1 if rectification id exists, 0 if not, -1 on a read error. */
int rectify_exists(sqlite3 *db, long long id);

/* Applies a change in its own transaction; refuses forbidden transitions
 * with a message that says why. */
int rectify_update(sqlite3 *db, const struct workspace *ws, long long id,
		   const struct rect_change *c, struct zj_error *err);

/* One rectification as listed. */
struct rect_row {
	long long id;
	enum rect_target target;
	const char *inventory, *subject_id, *subject_name, *rule, *item;
	int article;
	const char *measure, *unit, *owner, *deadline, *cancel_reason;
	enum rect_status status;
	int ready;		/* the last score no longer finds the violation */
	int overdue;		/* deadline before today (ws->today), not finished */
	double gain;		/* points of the total if fixed; < 0 unknown */
	/* What fixing would change beyond the gain (rect_next_text, brief
	 * and whole): the next step of the item it is about; "" if none. */
	char next[64], next_full[192];
	/* The same, as figures, for the exports (next_item NULL: none). */
	const char *next_item;
	struct scoring_next next_step;
	const char *created_at, *updated_at;
};

struct rect_filter {
	int status;		/* -1: any */
	int article;		/* 0: any */
	int overdue_only;
	const char *owner;	/* NULL: any */
	long long id;		/* 0: any */
};

typedef int (*rect_row_fn)(void *ctx, const struct rect_row *r);
/* Calls fn for every rectification matching f, by id; fn returning -1
 * stops the listing with -1. */
int rectify_list(sqlite3 *db, const struct workspace *ws, const struct rect_filter *f,
		 rect_row_fn fn, void *ctx, struct zj_error *err);

/* The rectifications matching f, as rectify_list gives them, kept: the
 * caller owns rows (every string in v[i] belongs to it) and releases them
 * with rect_rows_release.  On failure rows is empty. */
struct rect_rows {
	struct rect_row *v;	/* by id */
	size_t n;
	size_t cap;		/* private */
	char **mem;		/* private: the strings of v[i] */
};
int rectify_rows(sqlite3 *db, const struct workspace *ws, const struct rect_filter *f, struct rect_rows *rows,
		 struct zj_error *err);
/* Reads the row with this id again, in place, after a change to it; it
 * stays even if it no longer matches the filter it was listed with. */
int rectify_rows_refresh(sqlite3 *db, const struct workspace *ws, struct rect_rows *rows, long long id,
			 struct zj_error *err);
void rect_rows_release(struct rect_rows *rows);

/* The ledger at a glance.  Overdue means still open (pending or in
 * progress) with a deadline before `date` ('YYYY-MM-DD'), here, in
 * rectify_list and in rectify_due alike. */
struct rect_counts {
	long long total;
	long long open;		/* pending or in progress */
	long long overdue;
	long long ready;	/* the violation is gone, not yet verified or cancelled */
	long long done;		/* awaiting verification */
	long long closed;	/* verified or cancelled */
};
int rectify_counts(sqlite3 *db, const char *date, struct rect_counts *c, struct zj_error *err);

/* The open rectifications with a deadline, the earliest first, at most
 * max of them.  *out is malloc'd (NULL when *n is 0); free it with
 * rect_due_free. */
struct rect_due {
	long long id;
	enum rect_target target;
	char *deadline, *subject_id, *item, *measure;	/* NULL when empty */
	int article;
	int overdue;
};
int rectify_due(sqlite3 *db, const char *date, size_t max, struct rect_due **out, size_t *n,
		struct zj_error *err);
void rect_due_free(struct rect_due *v, size_t n);

/* The live rectification (any status but cancelled, as `rectify plan`
 * counts them) that already covers subject_id of inventory kind on
 * article: its id with *status, 0 if none, -1 on error. */
long long rectify_covering(sqlite3 *db, int kind, const char *subject_id, int article,
			   enum rect_status *status, struct zj_error *err);

/* The measure the rules suggest for rule_id (from the last score run):
 * *measure is malloc'd, or NULL when the rule suggests none. */
int rectify_rule_measure(sqlite3 *db, const char *rule_id, char **measure, struct zj_error *err);

/* History of one rectification, oldest first. */
struct rect_event {
	const char *at, *by, *kind, *from_status, *to_status, *text;
};
typedef int (*rect_event_fn)(void *ctx, const struct rect_event *e);
int rectify_events(sqlite3 *db, long long id, rect_event_fn fn, void *ctx, struct zj_error *err);

/* Evidence of one rectification, with its state now: "ok", "changed" (the
 * SHA-256 differs from the recorded one) or "missing". */
struct rect_evidence {
	const char *path, *sha256, *added_at, *state;
	long long size;
};
typedef int (*rect_evidence_fn)(void *ctx, const struct rect_evidence *e);
int rectify_evidence(sqlite3 *db, long long id, rect_evidence_fn fn, void *ctx, struct zj_error *err);

/* The plan: one proposal per subject and article with open violations not
 * yet covered by a live rectification, with the rules' suggested measures,
 * and one per non-compliant item without rules.  With apply, creates them
 * (pending) in one transaction with the given owner/unit/deadline. */
struct rect_plan_row {
	enum rect_target target;
	const char *inventory, *subject_id, *subject_name, *item;
	int article;
	const char *measure;	/* measures joined with "；" */
	const char *rules;	/* the violated rules, comma-separated */
	double gain;
	/* What fixing would change beyond the gain, as rectify_list says it
	 * of the rectification this row would create (rect_next_text, brief
	 * and whole); "" if nothing. */
	char next[64], next_full[192];
	const char *next_item;
	struct scoring_next next_step;
};
typedef int (*rect_plan_fn)(void *ctx, const struct rect_plan_row *r);
int rectify_plan(sqlite3 *db, const struct workspace *ws, int apply, const char *owner,
		 const char *unit, const char *deadline, rect_plan_fn fn, void *ctx,
		 long long *count, struct zj_error *err);

/* After a score, in its transaction: ready / reopened as described above.
 * Fills *ready and *reopened with how many changed (may be NULL). */
int rectify_sync(sqlite3 *db, long long *ready, long long *reopened, struct zj_error *err);

/* "Gain if fixed": the points the total score would gain by a fix, by the
 * scoring model of core/scoring.h, over the last score's counters (an item
 * the inspector answered differently from the rules keeps its answer).
 * Build the context once, then ask per subject or item. */
struct gain_ctx;
struct gain_ctx *gain_ctx_new(sqlite3 *db, const struct workspace *ws, struct zj_error *err);
/* kind: the inventory; violated/unknown: the subject's masks from
 * findings; fixed: the rule bits the rectification would clear.  < 0:
 * unknown (no total). */
double gain_for(struct gain_ctx *g, int kind, unsigned long long violated,
		unsigned long long unknown, unsigned long long fixed);
/* Item `item` (or, item NULL, every item of article `article`) made 符合. */
double gain_if_compliant(struct gain_ctx *g, const char *item, int article);
/* What fixing would change, beyond a gain that is often +0.00: the next
 * step of the item of rule `rule` or, rule NULL, the nearest next step among
 * the items of article `article` that have rules (scoring_next_step).
 * *item is the item's id (static for the checklist).  Returns 1 with out
 * filled when there is a next step, 0 when there is none. */
int gain_next(struct gain_ctx *g, const char *rule, int article, const char **item, struct scoring_next *out);
/* The same for a finding about a whole article: the nearest next step among
 * the article's items whose rules the subject violates (violated: its
 * mask in inventory kind), so a row never names an item fixing it cannot
 * move; the article's nearest when none is left. */
int gain_next_subject(struct gain_ctx *g, int kind, unsigned long long violated, int article, const char **item,
		      struct scoring_next *out);
/* For people, into buf: "3.1 不符合→基本符合: fix 3 of 12 subjects (+1.38)",
 * or brief "3.1→基本符合 3/12"; with no next step but subjects to verify
 * first, "3.1: verify 2 subjects before it can pass" ("3.1: verify 2");
 * else "". */
const char *rect_next_text(const char *item, const struct scoring_next *n, int brief, char *buf, size_t size);
/* The whole form in Chinese whatever the locale, for the ledger's exports
 * (their headers are Chinese): "3.1 不符合→基本符合：需整改12个违反对象中的3个
 * （总分+1.38）". */
const char *rect_next_text_zh(const char *item, const struct scoring_next *n, char *buf, size_t size);
/* The rule bits of one article (rule NULL) or one rule, in inventory kind. */
unsigned long long gain_rule_mask(const struct gain_ctx *g, int kind, int article, const char *rule);
void gain_ctx_free(struct gain_ctx *g);

#endif
