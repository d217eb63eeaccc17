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
#define SUBMISSION_SCHEMA_VERSION 1
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

/* What `zhijian submission show` prints and a roll-up checks first. */
struct submission {
	sqlite3 *db;		/* read-only; queries may use it */
	int schema_version;
	char *assessment_id, *unit, *level, *code, *as_of, *period;
	char *checklist_id, *checklist_title, *checklist_version, *checklist_sha256;
	char *generated_at, *generator, *grade;
	double total;		/* -1: no score */
	long long items, answered, pending, open;
	long long findings, violated, unknown;	/* rows of the findings view */
	long long rectifications, overdue;
	struct submission_inventory {
		char *name;		/* "apps" */
		long long rows, subjects;	/* rows; rows with any finding */
	} inv[3];
	size_t ninv;
};

/* Opens a submission file read-only and reads its identity; the caller
 * frees it with submission_close.  A file that is not a submission, or one
 * of a newer schema, is refused with a message that says so. */
int submission_open(struct submission **out, const char *path, struct zj_error *err);
/* The same for a submission held in memory (as extracted from a PDF); the
 * bytes are copied. */
int submission_open_mem(struct submission **out, const unsigned char *data, size_t len,
			const char *name, struct zj_error *err);
void submission_close(struct submission *s);

#endif
