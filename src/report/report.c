/* The report from start to end: submission, sections, attachment, file. */
#include "report/report.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/submission.h"
#include "report/doc.h"
#include "report/embed.h"
#include "report/sections.h"
#include "util/file.h"
#include "util/hash.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#ifndef ZJ_VERSION
#define ZJ_VERSION "0.1.0"
#endif

static void set_info(struct rctx *c, time_t when)
{
	struct rdoc *d = c->d;
	struct strbuf sb = { 0 };
	struct tm tm;
	HPDF_Date date = { 0 };
	char n[40];
	long off;

	sb_addf(&sb, "关于%s《%s》落实情况的自查报告", c->ws->period ? c->ws->period : "", c->cl->title ? c->cl->title : c->cl->id);
	HPDF_SetInfoAttr(d->pdf, HPDF_INFO_TITLE, rtext_clean(d, sb.p, 0));
	sb_reset(&sb);
	HPDF_SetInfoAttr(d->pdf, HPDF_INFO_AUTHOR, rtext_clean(d, c->ws->unit, 0));
	sb_addf(&sb, "《%s》自查自评报告，评估基准日%s", c->cl->title ? c->cl->title : c->cl->id,
		rfmt_date(c->ws->as_of, n));
	HPDF_SetInfoAttr(d->pdf, HPDF_INFO_SUBJECT, rtext_clean(d, sb.p, 0));
	sb_reset(&sb);
	sb_addf(&sb, "自查自评; 指尖上的形式主义; %s; %s", c->ws->assessment_id, c->cl->id);
	HPDF_SetInfoAttr(d->pdf, HPDF_INFO_KEYWORDS, rtext_clean(d, sb.p, 0));
	sb_release(&sb);
	HPDF_SetInfoAttr(d->pdf, HPDF_INFO_CREATOR, "zhijian " ZJ_VERSION);
	localtime_r(&when, &tm);
	off = tm.tm_gmtoff / 60;
	date.year = tm.tm_year + 1900;
	date.month = tm.tm_mon + 1;
	date.day = tm.tm_mday;
	date.hour = tm.tm_hour;
	date.minutes = tm.tm_min;
	date.seconds = tm.tm_sec;
	date.ind = off == 0 ? 'Z' : off > 0 ? '+' : '-';
	date.off_hour = (HPDF_INT)(labs(off) / 60);
	date.off_minutes = (HPDF_INT)(labs(off) % 60);
	HPDF_SetInfoDateAttr(d->pdf, HPDF_INFO_CREATION_DATE, date);
	HPDF_SetInfoDateAttr(d->pdf, HPDF_INFO_MOD_DATE, date);
}

static void times(struct rctx *c, time_t when)
{
	struct tm tm;
	long off;

	gmtime_r(&when, &tm);
	strftime(c->generated_utc, sizeof(c->generated_utc), "%Y-%m-%dT%H:%M:%SZ", &tm);
	localtime_r(&when, &tm);
	off = tm.tm_gmtoff / 60;
	snprintf(c->generated_local, sizeof(c->generated_local), "%d年%d月%d日 %02d:%02d（UTC%c%02ld:%02ld）",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, off < 0 ? '-' : '+',
		 labs(off) / 60, labs(off) % 60);
	/* 成文日期 in Arabic numerals, the year whole, month and day without
	 * a leading zero (GB/T 9704 §7.3.5.1). */
	snprintf(c->date_cn, sizeof(c->date_cn), "%d年%d月%d日", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* With $ZHIJIAN_REPORT_TRACE set to a file, each stage of a report appends
 * "report STAGE MS CPU-MS THREAD-MS" (wall, the process's CPU time and the
 * calling thread's since the first stage): `make bench` prints where the
 * time of a large report goes.  The process's figure includes the threads
 * that load the fonts and deflate the submission meanwhile; the thread's
 * is the stage's own. */
void rtrace(const char *stage)
{
	static struct timespec t0, c0, m0;
	const char *path = getenv("ZHIJIAN_REPORT_TRACE");
	struct timespec t, cpu, mine;
	FILE *f;

	if (!path || !*path)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mine);
	if (!t0.tv_sec && !t0.tv_nsec) {
		t0 = t;
		c0 = cpu;
		m0 = mine;
	}
	f = fopen(path, "a");
	if (!f)
		return;
	fprintf(f, "report %-12s %8.1f %8.1f %8.1f\n", stage,
		(double)(t.tv_sec - t0.tv_sec) * 1e3 + (double)(t.tv_nsec - t0.tv_nsec) / 1e6,
		(double)(cpu.tv_sec - c0.tv_sec) * 1e3 + (double)(cpu.tv_nsec - c0.tv_nsec) / 1e6,
		(double)(mine.tv_sec - m0.tv_sec) * 1e3 + (double)(mine.tv_nsec - m0.tv_nsec) / 1e6);
	fclose(f);
}

/* The data page names the embedded file's size and SHA-256, which the
 * deflating thread takes from its own reads of the file: the only page
 * that waits for it. */
static int layout(struct rctx *c, struct rembed_job *ej)
{
	sec_body(c);
	rtrace("body");
	if (sec_scoring(c) < 0)
		return -1;
	rtrace("scoring");
	if (sec_problems(c) < 0)
		return -1;
	rtrace("problems");
	if (sec_ledger(c) < 0 || sec_rollup(c) < 0)
		return -1;
	if (rembed_wait(ej, c->err) < 0)
		return -1;
	snprintf(c->sub_sha256, sizeof(c->sub_sha256), "%s", ej->sha256);
	c->sub_bytes = ej->size;
	sec_data(c);
	rdoc_finish(c->d);
	rtrace("layout");
	return 0;
}

/* A unique name beside path, so the report appears whole or not at all. */
static int temp_beside(const char *path, char **out, struct zj_error *err)
{
	struct strbuf sb = { 0 };
	mode_t mask;
	int fd;

	sb_addf(&sb, "%s.tmp-XXXXXX", path);
	if (!sb.p)
		return zj_err(err, "%s", _("out of memory"));
	fd = mkstemp(sb.p);
	if (fd < 0) {
		zj_err(err, _("cannot write '%s': %s"), path, strerror(errno));
		sb_release(&sb);
		return -1;
	}
	/* mkstemp makes it private; a report is an ordinary file. */
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	close(fd);
	*out = sb.p;
	return 0;
}

static long long data_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

/* The three faces are loaded (about 0.6 s, Zen Hei most of it) on a
 * thread of their own while the submission is written: the document is
 * touched by nobody else until the thread is joined. */
struct font_job {
	const char *const *fonts;
	int draft;
	struct rdoc *d;
	struct zj_error err;
};

static void *font_job(void *arg)
{
	struct font_job *j = arg;

	j->d = rdoc_new(j->fonts, j->draft, &j->err);
	return NULL;
}

/* One attempt: the submission in dir, the pages, the PDF at a temporary
 * name beside o->path (*out, for the caller to rename or remove). */
static int attempt(sqlite3 *db, const struct workspace *ws, const struct report_options *o,
		   time_t when, const char *dir, char **out, struct report_result *result,
		   struct zj_error *err)
{
	struct rctx c = { 0 };
	struct strbuf subpath = { 0 }, zpath = { 0 };
	struct font_job fj = { o->fonts, o->draft, NULL, { "" } };
	struct rembed_job ej;
	struct submission_hooks hooks = { rctx_scan_begin, rctx_scan_subject, &c };
	pthread_t ft;
	int fthread = 0, ejob = 0;
	struct stat sb;
	int rc = -1;

	*out = NULL;
	c.db = db;
	c.ws = ws;
	c.cl = ws->cl;
	c.o = o;
	c.err = err;
	times(&c, when);
	sb_addf(&subpath, "%s/%s", dir, SUBMISSION_NAME);
	sb_addf(&zpath, "%s/%s.deflated", dir, SUBMISSION_NAME);
	if (!subpath.p || !zpath.p) {
		zj_err(err, "%s", _("out of memory"));
		goto out;
	}
	rtrace("start");
	fthread = pthread_create(&ft, NULL, font_job, &fj) == 0;
	if (!fthread)
		font_job(&fj);
	/* The findings pass of the pages is made as the subjects are
	 * written (rctx_scan_*), not by reading them back. */
	if (submission_write_hooked(db, ws, subpath.p, c.generated_utc, &hooks, err) < 0)
		goto out;
	rtrace("submission");
	/* Deflated for the attachment while the pages are laid out. */
	rembed_start(&ej, subpath.p, zpath.p);
	ejob = 1;
	if (sqlite3_open_v2(subpath.p, &c.sub, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		zj_err(err, _("cannot read the submission '%s': %s"), subpath.p,
		       c.sub ? sqlite3_errmsg(c.sub) : _("out of memory"));
		goto out;
	}
	if (fthread) {
		pthread_join(ft, NULL);
		fthread = 0;
	}
	rtrace("fonts");
	c.d = fj.d;
	fj.d = NULL;
	if (!c.d) {
		*err = fj.err;
		goto out;
	}
	if (rctx_load(&c) < 0)
		goto out;
	rtrace("read");
	if (layout(&c, &ej) < 0)
		goto out;
	set_info(&c, when);
	ejob = 0;
	if (rembed_attach(c.d, &ej, SUBMISSION_NAME, SUBMISSION_MIME,
			  "自查报告数据：正文、评分、问题明细和整改台账（SQLite，格式见 zhijian-submission(5)）", when,
			  err) < 0)
		goto out;
	if (temp_beside(o->path, out, err) < 0)
		goto out;
	rtrace("deflated");
	if (rdoc_save(c.d, *out, err) < 0)
		goto out;
	rtrace("saved");
	if (result) {
		result->pages = c.d->npages;
		result->bytes = stat(*out, &sb) == 0 ? (long long)sb.st_size : -1;
		result->submission_bytes = stat(subpath.p, &sb) == 0 ? (long long)sb.st_size : -1;
	}
	rc = 0;
out:
	if (fthread)
		pthread_join(ft, NULL);
	rdoc_free(fj.d);
	if (ejob)
		rembed_attach(NULL, &ej, NULL, NULL, NULL, 0, NULL);
	rctx_release(&c);
	rdoc_free(c.d);
	sqlite3_close(c.sub);
	if (subpath.p)
		unlink(subpath.p);
	if (zpath.p)
		unlink(zpath.p);
	sb_release(&subpath);
	sb_release(&zpath);
	return rc;
}

int report_write(sqlite3 *db, const struct workspace *ws, const struct report_options *o,
		 struct report_result *result, struct zj_error *err)
{
	time_t when = o->generated ? o->generated : time(NULL);
	const char *tmp = o->tmpdir ? o->tmpdir : getenv("TMPDIR");
	struct strbuf dir = { 0 };
	char *out = NULL;
	int rc = -1;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	sb_addf(&dir, "%s/zhijian-report.XXXXXX", tmp);
	if (!dir.p || !mkdtemp(dir.p)) {
		zj_err(err, _("cannot create a temporary directory in '%s': %s"), tmp, strerror(errno));
		sb_release(&dir);
		return -1;
	}
	/* The submission is one snapshot of the workspace, but the pages
	 * also read it afterwards: if another process committed meanwhile
	 * (an import, a score, an answer), they could disagree with the
	 * data inside, so the report is made again. */
	for (int tries = 0;; tries++) {
		long long before = data_version(db);

		if (attempt(db, ws, o, when, dir.p, &out, result, err) < 0)
			goto out;
		if (data_version(db) == before)
			break;
		unlink(out);
		free(out);
		out = NULL;
		if (tries == 2) {
			zj_err(err, "%s", _("the workspace kept changing while the report was made; try again"));
			goto out;
		}
	}
	/* libharu creates the file with fopen: give it the mode of a document
	 * meant to be read by others, whatever the umask, before it takes
	 * the place of whatever was at o->path (a link there is replaced,
	 * not followed). */
	if (chmod(out, FILE_MODE_PUBLIC) < 0 || rename(out, o->path) < 0) {
		zj_err(err, _("cannot write '%s': %s"), o->path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (out) {
		if (rc < 0)
			unlink(out);
		free(out);
	}
	rmdir(dir.p);
	sb_release(&dir);
	return rc;
}
