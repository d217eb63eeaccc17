/*
 * embed.h: a file attachment of the report (PDF 1.7 §7.11.4, an entry of
 * the EmbeddedFiles name tree), as `pdfdetach -list` shows it.
 *
 * libharu 2.3.0's HPDF_AttachFile names the attachment by the path it
 * reads from (a temporary file's, here) and has no description, size or
 * MIME type.  This builds the same structure from libharu's own objects
 * with a proper name, /UF, /Desc, /Subtype, /Params (size, dates) and
 * /AFRelationship.  The file is deflated into a scratch file first, which
 * libharu reads while the document is saved, so a large file never sits
 * in memory: keep both until rdoc_save has returned.
 */
#ifndef ZJ_REPORT_EMBED_H
#define ZJ_REPORT_EMBED_H

#include <pthread.h>
#include <stddef.h>
#include <time.h>

#include "report/doc.h"
#include "util/hash.h"

/* Deflating a file into zpath (which must not exist; the caller removes it
 * after saving) on a thread of its own, while the pages are laid out: on a
 * million-row submission it is a second and a half of the report.  The
 * paths are borrowed until rembed_attach. */
struct rembed_job {
	const char *path, *zpath;
	long long size;			/* of the file at path */
	char sha256[HASH_HEX_SIZE];	/* of the file at path, hashed as it is read */
	int rc, threaded;
	struct zj_error err;
	pthread_t thread;
};
/* Starts the job (runs it at once when no thread can be made). */
void rembed_start(struct rembed_job *j, const char *path, const char *zpath);
/* Waits for the job: 0 with size and sha256 set, or -1 with err filled. */
int rembed_wait(struct rembed_job *j, struct zj_error *err);
/* Waits for the job, then attaches its file under `name`; mime as
 * "application/vnd.sqlite3"; desc a description (UTF-8).  Returns -1 with
 * err filled if a file cannot be read or written.  Call it once for every
 * job started, even to give up (d NULL: only waits). */
int rembed_attach(struct rdoc *d, struct rembed_job *j, const char *name, const char *mime, const char *desc,
		  time_t when, struct zj_error *err);

#endif
