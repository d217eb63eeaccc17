/*
 * rollup.h: a higher level receives its units' signed reports and merges
 * them (articles 15-16: unit → city → province → central office).
 *
 * Nothing received is trusted: the command layer verifies the signature
 * (sign/verify.h) and extracts the embedded submission (sign/pdf.h); this
 * module, which knows nothing of PDF or cryptography, decides with what it
 * is given.  A file is accepted only if its signature verified, it carries
 * a final (not draft) submission of a lower level, for this workspace's
 * period and checklist, from a unit this level expects (when a list of
 * expected units was imported), and no accepted file of that unit and
 * period exists — unless replace, which keeps the older one on record as
 * superseded.  Every file received is recorded, rejected ones with their
 * reason, in the caller's transaction.
 */
#ifndef ZJ_ROLLUP_H
#define ZJ_ROLLUP_H

#include <stddef.h>
#include <sqlite3.h>

#include "core/assess.h"
#include "util/err.h"

struct rollup_file {
	const char *path;
	char sha256[65];
	long long size;
	int signature_ok;		/* the verifier accepted the signature */
	const char *signature_status;	/* its word: "ok", "modified", "untrusted", … */
	const char *signature_reason;	/* why not, in its words */
	const char *signer, *fingerprint, *signed_at;
	const unsigned char *data;	/* the embedded submission, or NULL */
	size_t len;
};

struct rollup_outcome {
	long long id;			/* the submissions row */
	int accepted;
	char unit[256], period[128];
	char reason[ZJ_ERROR_MAX];	/* rejected: why */
	long long superseded;		/* the id it replaced, or 0 */
	double total;
};

/* Decides and records one file.  Returns 0 with out filled (accepted or
 * rejected), or -1 with err filled when the workspace itself failed. */
int rollup_receive(sqlite3 *db, const struct workspace *ws, const struct rollup_file *f,
		   int replace, struct rollup_outcome *out, struct zj_error *err);

/* Imports the units expected to report (CSV with 单位名称/unit and
 * optionally 单位代码/code, 层级/level), replacing the list, in its own
 * transaction.  Returns the number of units, or -1. */
long long rollup_expect(sqlite3 *db, const char *csv_path, struct zj_error *err);

#endif
