/*
 * submission.h: the assessment as data, for the level above
 * (DESIGN.md "Submission", zhijian-submission(5)).
 *
 * A submission is one SQLite file, zhijian-submission.sqlite, that the PDF
 * report embeds as a file attachment: the workspace identity, the pinned
 * checklist's id and hash, every answer and proposal, the article scores and
 * the total, inventory summary counts, all findings (the view `findings`,
 * one row per subject per rule) and the rectification ledger.  It is marked
 * with PRAGMA application_id SUBMISSION_APPLICATION_ID and versioned with
 * PRAGMA user_version SUBMISSION_SCHEMA_VERSION (also meta.schema_version).
 *
 * Writing reads the workspace only; it never changes it.  Reading treats the
 * file as untrusted input from another unit: read-only, defensive mode, no
 * trusted schema, identity and version checked before anything is read.
 */
#ifndef ZJ_SUBMISSION_H
#define ZJ_SUBMISSION_H

#include <stddef.h>
#include <sqlite3.h>

#include "core/assess.h"
#include "util/err.h"

#define SUBMISSION_NAME "zhijian-submission.sqlite"
#define SUBMISSION_MIME "application/vnd.sqlite3"
/* 4: the campaign's problem types, the rules' bases, contradictions
 * (rule_policy, subject_conflicts, rectification_types, received_types). */
#define SUBMISSION_SCHEMA_VERSION 4
/* The oldest version still read (2 lacks the report's body, narratives). */
#define SUBMISSION_SCHEMA_OLDEST 2
/* The largest count the format allows (findings, rows, rectifications,
 * units below): a million-row inventory under thirty rules at every unit of
 * the country stays far below it, and sums of a million of them still fit
 * in 64 bits. */
#define SUBMISSION_COUNT_MAX 1000000000000000LL
#define SUBMISSION_APPLICATION_ID 0x7a6a7362	/* "zjsb" */

/*
 * Writes the submission of the workspace open on db (ws loaded from it) to
 * path, which must not exist; generated_at ("2026-06-30T12:00:00Z", may be
 * NULL for now) is recorded as the time the report was made.  The file is
 * built in place and removed again on any failure.  Uses db for reading
 * only (it attaches path for the time of the call).
 */
int submission_write(sqlite3 *db, const struct workspace *ws, const char *path,
		     const char *generated_at, struct zj_error *err);

/* One row of the table subjects as it is stored: sid (the workspace's
 * rowid * 4 + the inventory), the inventory, the masks, and the peer's sid
 * or -1 for none. */
struct submission_subject {
	long long sid, peer;
	enum inv_kind inventory;
	unsigned long long violated, unknown, nulls;
};

/* What the report reads of the submission while it is written, so that a
 * million subjects are not read back from the file they were just written
 * to.  begin is called once the rules are stored and before any subject,
 * on db with the submission attached as schema (read it, never write);
 * subject with every subject as it is stored, by inventory, then sid.
 * Either returning < 0 fails the write: begin with err set, subject for
 * want of memory. */
struct submission_hooks {
	int (*begin)(void *ctx, sqlite3 *db, const char *schema);
	int (*subject)(void *ctx, const struct submission_subject *s);
	void *ctx;
};

/* submission_write with hooks (NULL: none). */
int submission_write_hooked(sqlite3 *db, const struct workspace *ws, const char *path,
			    const char *generated_at, const struct submission_hooks *hooks,
			    struct zj_error *err);

/*
 * A submission as read: everything the level above uses, copied into memory
 * and checked, so no query ever runs on the file once it is open.
 *
 * Reading treats the file as hostile.  It is opened read-only in memory
 * with SQLite's defensive mode on, the schema untrusted, triggers, views
 * and extensions off, small limits on lengths and columns, and every query
 * bounded in steps and time (SUBMISSION_MAX_STEPS, SUBMISSION_MAX_SECONDS).
 * Its schema must be exactly the one this zhijian writes (every table with
 * its columns, the view `findings` as we define it and nothing else: no
 * extra table, index, view or trigger); then every value of every table is
 * checked for its type and range, and the counts for consistency.  Tables
 * are read by name with our own SQL; the view stored in the file is never
 * queried.  Any failure refuses the whole file, naming the field.
 */
#define SUBMISSION_MAX_STEPS 2000000000LL	/* SQLite VM steps per file */
#define SUBMISSION_MAX_SECONDS 60

struct submission_article {
	int article;
	double score;			/* -1: none */
	long long violated;		/* the submitter's own violated findings */
	long long below_violated;	/* from its accepted received_articles */
	long long below_units;		/* units below violating the article */
};

struct submission_item {
	char *item;			/* "6.1" */
	enum verdict verdict;		/* effective; VERDICT_NONE if neither */
	double weight;
};

struct submission {
	int schema_version;
	char *assessment_id, *unit, *level, *code, *as_of, *period;
	char *checklist_id, *checklist_title, *checklist_version, *checklist_sha256;
	char *generated_at, *generator, *grade;
	int complete;		/* a final report: every item answered */
	double total;		/* -1: no score */
	long long items, answered, pending, open;
	long long findings, violated, unknown;	/* rows of the findings view */
	long long rectifications, overdue;
	char *overdue_judged_on;	/* meta.overdue_judged_on: the date overdue was
					 * judged against, or NULL (older files) */
	/* The deadlines of its open rectifications with how many each,
	 * "2026-09-30*3;2026-10-15*1" (core/rollup.h zj_overdue), or "". */
	char *open_deadlines;
	struct submission_inventory {
		char *name;		/* "apps" */
		long long rows, subjects;	/* rows; rows with any finding */
	} inv[3];
	size_t ninv;
	struct submission_item *itemv;		/* the items table, by item */
	size_t nitemv;
	struct submission_article *articles;	/* by article */
	size_t narticles;
	/* What the submitter had merged itself: its accepted submissions. */
	struct submission_below {
		long long files, units, violated, unknown, rectifications, overdue;
	} below;
	/* By the campaign's four problem types (enum problem_type; index
	 * PT_COUNT: no type): the submitter's own findings and
	 * rectifications, and the sums of its accepted received_types.  A
	 * file of format 2 or 3 has no types: all of it is "no type". */
	struct submission_type {
		long long violated, unknown, rectifications;
		long long below_violated, below_unknown, below_rectifications, below_units;
	} types[PT_COUNT + 1];
};

/* Opens a submission file (read into memory first) and reads it as above;
 * the caller frees it with submission_close.  A file that is not a
 * submission, one of another schema version, or one whose content is not
 * what the format allows is refused with a message that says which field
 * and why. */
int submission_open(struct submission **out, const char *path, struct zj_error *err);
/* What the open functions return on failure: the file is not a submission
 * at all (or cannot be read), or it is one whose content is refused. */
#define SUBMISSION_NOT (-1)
#define SUBMISSION_REFUSED (-2)
/* The same for a submission held in memory (as extracted from a PDF); the
 * bytes are copied and not kept. */
int submission_open_mem(struct submission **out, const unsigned char *data, size_t len,
			const char *name, struct zj_error *err);
void submission_close(struct submission *s);

/* One finding of a submission, as the level above reads it: the format's
 * findings recomputed from its subjects and rules tables with our own SQL
 * (the view stored in the file is never queried), strings cleaned of
 * control characters.  Valid during the callback only. */
struct submission_finding {
	int article;
	const char *inventory, *subject_id, *subject_name, *rule, *title, *severity;
	int violated;		/* 1 violated, 0 unknown (needs verification) */
};
typedef int (*submission_finding_fn)(void *ctx, const struct submission_finding *f);
/* Reads the submission in data as submission_open_mem does (checked whole,
 * bounded), then calls fn for each finding by article, inventory, rule and
 * subject; fn returning < 0 stops.  *count is how many were given.
 * Returns 0, or SUBMISSION_NOT / SUBMISSION_REFUSED as the open does. */
int submission_findings_mem(const unsigned char *data, size_t len, const char *name,
			    submission_finding_fn fn, void *ctx, long long *count, struct zj_error *err);

#endif
