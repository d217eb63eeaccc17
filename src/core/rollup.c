#include "core/rollup.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/audit.h"
#include "core/csvread.h"
#include "core/region.h"
#include "core/scoring.h"
#include "core/store.h"
#include "core/submission.h"
#include "util/i18n.h"
#include "util/parse.h"
#include "util/utf8.h"
#include "util/when.h"

/* ---- why a file was refused ---- */

/* Each code's text in the locale's language (msgid) and in Chinese; %s
 * stand for the arguments in order. */
static const struct reason_def {
	const char *code, *msgid, *zh;
} reasons[] = {
	{ "signature", N_("signature: %s"), "签名未通过验证：%s" },
	{ "no_data", N_("the report carries no submission data"), "报告没有内嵌报送数据" },
	{ "unreadable", N_("the embedded data cannot be read"), "内嵌数据无法读取或不符合数据格式" },
	{ "own_level", N_("it comes from this level itself (%s); a level never receives its own report"),
	  "来自本级（%s），本级不接收自己的报告" },
	{ "level", N_("a report of level %s cannot be merged by a %s workspace"), "%s报告不能由%s汇总" },
	{ "draft", N_("it is a draft (items are unanswered); only a final report can be merged"),
	  "为草稿（有检查项未作答），只汇总正式报告" },
	{ "period", N_("period '%s', but this level collects '%s'"), "自查期间为“%s”，本级汇总的是“%s”" },
	{ "checklist", N_("checklist %s (sha256 %s…), but this level uses %s (sha256 %s…)"),
	  "检查清单为%s（SHA-256 %s…），本级使用%s（SHA-256 %s…）" },
	{ "data", N_("its data does not match this level's checklist"), "内嵌数据与本级检查清单不一致" },
	{ "scores", N_("its scores are not what its verdicts give"), "得分与其各检查项结论计算的结果不符" },
	{ "unexpected", N_("unit '%s' is not among the units expected to report here"), "“%s”不在本级应报送单位名单内" },
	{ "scope", N_("its certificate was issued outside this level's part of the administrative tree"),
	  "签名证书的签发机构不在本级管辖范围内" },
	{ "duplicate", N_("a report of %s for %s was already received (#%s)"), "已接收过%s %s的报告（第%s号），重复报送" },
	{ "not_newer", N_("it is not newer than the report it would replace (#%s)"), "不晚于其要替代的报告（第%s号）" },
	{ "same_file", N_("this very file was already received (#%s)"), "同一文件此前已接收（第%s号）" },
	{ "superseded", N_("superseded by #%s"), "已被第%s号报送替代" },
};

const char *rollup_signature_word(const char *w, int zh)
{
	static const struct { const char *key, *msgid, *zh; } words[] = {
		{ "ok", N_("valid"), "有效" },
		{ "no-signature", N_("no signature"), "没有签名" },
		{ "modified", N_("changed after signing"), "文件在签名后被修改" },
		{ "appended", N_("bytes appended after signing"), "签名未覆盖签名后追加的内容" },
		{ "untrusted", N_("certificate not trusted"), "证书不受信任" },
		{ "expired", N_("certificate expired"), "证书已过期" },
		{ "unit-mismatch", N_("certificate of another unit"), "证书单位与报告不符" },
		{ "no-data", N_("no embedded data"), "没有内嵌数据" },
		{ "malformed", N_("malformed file"), "文件格式错误" },
		{ "error", N_("cannot be verified"), "无法验证" },
		{ "bad-data", N_("embedded data refused"), "内嵌数据不合格式" },
		{ "revoked", N_("certificate revoked"), "证书已被吊销" },
		{ "out-of-scope", N_("certificate issued out of scope"), "证书的签发机构不在管辖范围内" },
	};

	if (!w || !*w)
		return "—";
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(w, words[i].key))
			return zh ? words[i].zh : _(words[i].msgid);
	return w;
}

const char *rollup_reason(const char *code, const char *args, const char *recorded, int zh,
			  char *buf, size_t size)
{
	const struct reason_def *def = NULL;
	const char *fmt, *a = args ? args : "";
	size_t o = 0;

	for (size_t i = 0; code && i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (!strcmp(code, reasons[i].code))
			def = &reasons[i];
	if (!def) {
		snprintf(buf, size, "%s", recorded ? recorded : "");
		return buf;
	}
	fmt = zh ? def->zh : _(def->msgid);
	/* %s takes the next argument; the signature's is the verifier's word. */
	for (const char *p = fmt; *p && o + 1 < size; p++) {
		const char *arg, *end;
		char word[64];

		if (p[0] != '%' || p[1] != 's') {
			buf[o++] = *p;
			continue;
		}
		p++;
		end = strstr(a, ROLLUP_ARG_SEP);
		if (!end)
			end = a + strlen(a);
		snprintf(word, sizeof(word), "%.*s", (int)(end - a), a);
		arg = !strcmp(def->code, "signature") ? rollup_signature_word(word, zh) : NULL;
		if (arg)
			o += (size_t)snprintf(buf + o, size - o, "%s", arg);
		else
			o += (size_t)snprintf(buf + o, size - o, "%.*s", (int)(end - a), a);
		if (o >= size)
			o = size - 1;
		a = *end ? end + 1 : end;
	}
	buf[o] = 0;
	return buf;
}

/* "2026-09-30*3;2026-10-15*1": the deadlines of a unit's open
 * rectifications, each with how many, as recorded at receipt. */
static long long overdue_from(const char *list, const char *today)
{
	long long n = 0;

	while (list && *list) {
		const char *star = strchr(list, '*'), *semi = strchr(list, ';');

		if (!star)
			break;
		if ((size_t)(star - list) == 10 && strncmp(list, today, 10) < 0)
			n += atoll(star + 1);
		list = semi ? semi + 1 : "";
	}
	return n;
}

static void fn_today(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char today[WHEN_DATE_SIZE];

	(void)argc;
	(void)argv;
	when_today(today);
	sqlite3_result_text(ctx, today, -1, SQLITE_TRANSIENT);
}

static void fn_overdue(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char today[WHEN_DATE_SIZE];

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_value(ctx, argv[1]);
		return;
	}
	when_today(today);
	sqlite3_result_int64(ctx, overdue_from((const char *)sqlite3_value_text(argv[0]), today));
}

static void fn_reason(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char buf[ZJ_ERROR_MAX];

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL && sqlite3_value_type(argv[2]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	rollup_reason((const char *)sqlite3_value_text(argv[0]), (const char *)sqlite3_value_text(argv[1]),
		      (const char *)sqlite3_value_text(argv[2]), sqlite3_user_data(ctx) != NULL, buf, sizeof(buf));
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

int rollup_sql_functions(sqlite3 *db)
{
	static int zh = 1;
	const int f = SQLITE_UTF8 | SQLITE_INNOCUOUS;

	if (sqlite3_create_function(db, "zj_today", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, NULL, fn_today, NULL,
				    NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "zj_overdue", 2, f, NULL, fn_overdue, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "zj_reason", 3, f, NULL, fn_reason, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "zj_reason_zh", 3, f | SQLITE_DETERMINISTIC, &zh, fn_reason, NULL,
				    NULL) != SQLITE_OK)
		return -1;
	return 0;
}

/* Is this unit on the expected list (by code when both have one, else by
 * name, each compared whole)?  An empty list expects anyone.  *issuer is
 * the CA the list binds it to (malloc'd), or NULL. */
static int expected(sqlite3 *db, const char *unit, const char *code, char **issuer)
{
	sqlite3_stmt *st;
	int listed = 0, yes = 0;

	*issuer = NULL;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM expected_units", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		listed = sqlite3_column_int64(st, 0) > 0;
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "SELECT issuer FROM expected_units WHERE unit = ?1"
			       " OR (code IS NOT NULL AND code = ?2) ORDER BY unit = ?1 DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return !listed;
	sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		yes = 1;
		if (sqlite3_column_text(st, 0))
			*issuer = strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return !listed || yes;
}

static int same_str(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

int rollup_scope(sqlite3 *db, const struct workspace *ws, const char *unit, const char *code,
		 const struct rollup_ca *chain, size_t nchain, char *reason, size_t size,
		 struct zj_error *err)
{
	char *issuer = NULL;

	(void)err;
	expected(db, unit, code, &issuer);
	if (issuer) {
		const struct rollup_ca *ca = nchain ? &chain[0] : NULL;
		int ok = ca && (same_str(ca->unit, issuer) || same_str(ca->fingerprint, issuer));

		if (!ok)
			snprintf(reason, size, _("out of scope: the expected list binds '%s' to the issuer '%s', but its certificate was issued by '%s'"),
				 unit, issuer, ca && ca->subject ? ca->subject : "?");
		free(issuer);
		return ok;
	}
	/* This level's own CA: its O is this level's unit and, when this
	 * level has a code, its serialNumber is that code. */
	for (size_t i = 0; i < nchain; i++)
		if (same_str(chain[i].unit, ws->unit) && (!ws->code || same_str(chain[i].code, ws->code)))
			return 1;
	snprintf(reason, size, _("out of scope: the certificate of '%s' was issued by '%s', not under this level's own CA (O=%s%s%s); bind the unit to its issuer in the expected list if that CA is meant to certify it"),
		 unit, nchain && chain[0].subject ? chain[0].subject : "?", ws->unit, ws->code ? ", serialNumber=" : "",
		 ws->code ? ws->code : "");
	return 0;
}

/* A copy of a foreign string fit to store and show. */
static char *clean(const char *s)
{
	char *c = s ? strdup(s) : NULL;

	utf8_sanitize(c);
	return c;
}

/* Why a file is refused: the text as this user reads it now, and the code
 * with its arguments to say it again in another language. */
struct why {
	char *text;		/* sqlite3_malloc'd */
	const char *code;
	char args[1024];
};

/* Sets w (if not yet set) from code, text (sqlite3_malloc'd, taken) and
 * the arguments, NULL-terminated; returns w->text (NULL: out of memory). */
static char *why_set(struct why *w, const char *code, char *text, ...)
{
	va_list ap;
	const char *a;
	size_t o = 0;

	if (w->text) {
		sqlite3_free(text);
		return w->text;
	}
	w->text = text;
	w->code = code;
	w->args[0] = 0;
	va_start(ap, text);
	while ((a = va_arg(ap, const char *)) != NULL) {
		char clean_arg[256];

		utf8_sanitize_copy(a, clean_arg, sizeof(clean_arg));
		o += (size_t)snprintf(w->args + o, sizeof(w->args) - o, "%s%s", o ? ROLLUP_ARG_SEP : "", clean_arg);
		if (o >= sizeof(w->args))
			o = sizeof(w->args) - 1;
	}
	va_end(ap);
	return text;
}

static int record(sqlite3 *db, const struct rollup_file *f, const char *status, const struct why *w,
		  const struct submission *s, long long *id, struct zj_error *err)
{
	sqlite3_stmt *st;
	char now[21];
	char *path = clean(f->path), *signer = clean(f->signer), *why = clean(w ? w->text : NULL), *issuer = NULL;
	int rc;

	if (!f->received_at)
		store_now(now);
	if (f->nchain)
		issuer = clean(f->chain[0].subject);
	if (sqlite3_prepare_v2(db, "INSERT INTO submissions (file, file_sha256, file_size, received_at, received_by,"
			       " status, reason, unit, code, level, period, assessment_id, as_of, checklist_id,"
			       " checklist_sha256, total, grade, violated, unknown, rectifications, overdue,"
			       " merged_units, merged_violated, merged_unknown, merged_rectifications, merged_overdue,"
			       " signer, signer_fingerprint, signed_at, signature_status, data, generated_at, issuer,"
			       " issuer_fingerprint, signer_not_after, override_reason, reason_code, reason_args,"
			       " open_deadlines)"
			       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK) {
		rc = store_error(db, err, _("cannot record the submission"));
		goto out;
	}
	sqlite3_bind_text(st, 1, path ? path : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, f->size);
	sqlite3_bind_text(st, 4, f->received_at ? f->received_at : now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, store_user(), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, why, -1, SQLITE_STATIC);
	if (s) {
		/* Read and checked by core/submission: no control characters. */
		sqlite3_bind_text(st, 8, s->unit, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 9, s->code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 10, s->level, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 11, s->period, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 12, s->assessment_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 13, s->as_of, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 14, s->checklist_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 15, s->checklist_sha256, -1, SQLITE_STATIC);
		if (s->total >= 0)
			sqlite3_bind_double(st, 16, s->total);
		sqlite3_bind_text(st, 17, s->grade, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 18, s->violated);
		sqlite3_bind_int64(st, 19, s->unknown);
		sqlite3_bind_int64(st, 20, s->rectifications);
		sqlite3_bind_int64(st, 21, s->overdue);
		sqlite3_bind_text(st, 32, s->generated_at, -1, SQLITE_STATIC);
	}
	if (s && !strcmp(status, "accepted")) {
		/* A unit counts itself; a higher level counts what it merged
		 * (its own inventories, if any, are in its own figures).  Every
		 * term is at most SUBMISSION_COUNT_MAX, so the sums fit. */
		const struct submission_below *b = &s->below;

		sqlite3_bind_int64(st, 22, b->units ? b->units : 1);
		sqlite3_bind_int64(st, 23, s->violated + b->violated);
		sqlite3_bind_int64(st, 24, s->unknown + b->unknown);
		sqlite3_bind_int64(st, 25, s->rectifications + b->rectifications);
		sqlite3_bind_int64(st, 26, s->overdue + b->overdue);
		sqlite3_bind_text(st, 39, s->open_deadlines ? s->open_deadlines : "", -1, SQLITE_STATIC);
		if (f->data)
			sqlite3_bind_blob64(st, 31, f->data, f->len, SQLITE_STATIC);
	}
	sqlite3_bind_text(st, 27, signer, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 28, f->fingerprint, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 29, f->signed_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 30, f->signature_status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 33, issuer, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 34, f->nchain ? f->chain[0].fingerprint : NULL, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 35, f->signer_not_after, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 36, f->override_reason, -1, SQLITE_STATIC);
	if (w && w->code) {
		sqlite3_bind_text(st, 37, w->code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 38, w->args, -1, SQLITE_STATIC);
	}
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		rc = store_error(db, err, _("cannot record the submission"));
		goto out;
	}
	*id = sqlite3_last_insert_rowid(db);
	rc = 0;
out:
	free(path);
	free(signer);
	free(why);
	free(issuer);
	return rc;
}

/* The submitter's figures per article, merged with what it had received:
 * its own violated findings plus everything below; units_violating counts
 * units below (or the submitter itself when it merged nothing). */
static int record_articles(sqlite3 *db, const struct submission *s, long long id, struct zj_error *err)
{
	sqlite3_stmt *ins = NULL;
	int merged = s->below.files > 0;

	if (sqlite3_prepare_v2(db, "INSERT INTO received_articles (submission, article, score, violated,"
			       " units_violating) VALUES (?,?,?,?,?)", -1, &ins, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot record the submission"));
	for (size_t i = 0; i < s->narticles; i++) {
		const struct submission_article *a = &s->articles[i];

		sqlite3_bind_int64(ins, 1, id);
		sqlite3_bind_int(ins, 2, a->article);
		if (a->score < 0)
			sqlite3_bind_null(ins, 3);
		else
			sqlite3_bind_double(ins, 3, a->score);
		sqlite3_bind_int64(ins, 4, a->violated + a->below_violated);
		sqlite3_bind_int64(ins, 5, merged ? a->below_units : a->violated > 0);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			sqlite3_finalize(ins);
			return store_error(db, err, _("cannot record the submission"));
		}
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	return 0;
}

/* The submitter's figures per problem type, merged with what it had
 * received, as record_articles does per article; 'none' for what has no
 * type. */
static int record_types(sqlite3 *db, const struct submission *s, long long id, struct zj_error *err)
{
	sqlite3_stmt *ins = NULL;
	int merged = s->below.files > 0;

	if (sqlite3_prepare_v2(db, "INSERT INTO received_types (submission, type, violated, unknown, rectifications,"
			       " units_violating) VALUES (?,?,?,?,?,?)", -1, &ins, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot record the submission"));
	for (int t = 0; t <= PT_COUNT; t++) {
		const struct submission_type *ty = &s->types[t];

		sqlite3_bind_int64(ins, 1, id);
		sqlite3_bind_text(ins, 2, t < PT_COUNT ? problem_type_key(t) : "none", -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 3, ty->violated + ty->below_violated);
		sqlite3_bind_int64(ins, 4, ty->unknown + ty->below_unknown);
		sqlite3_bind_int64(ins, 5, ty->rectifications + ty->below_rectifications);
		sqlite3_bind_int64(ins, 6, merged ? ty->below_units : ty->violated > 0);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			sqlite3_finalize(ins);
			return store_error(db, err, _("cannot record the submission"));
		}
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	return 0;
}

static int near(double a, double b)
{
	return (a < 0 && b < 0) || (a >= 0 && b >= 0 && fabs(a - b) < 0.005);
}

/* The data against this level's checklist: the same articles and items,
 * and the scores its verdicts give (with this checklist's weights). */
static char *check_scores(const struct workspace *ws, const struct submission *s, const char **code)
{
	const struct checklist *cl = ws->cl;
	enum verdict *eff = calloc(cl->nitems ? cl->nitems : 1, sizeof(*eff));
	double *art = calloc(cl->narticles ? cl->narticles : 1, sizeof(*art)), total;
	char *why = NULL;

	*code = "data";
	if (!eff || !art) {
		why = sqlite3_mprintf("%s", _("out of memory"));
		goto out;
	}
	if (s->nitemv != cl->nitems || s->narticles != cl->narticles) {
		/* SQLite's printf reads %z as a string: sizes go as long long. */
		why = sqlite3_mprintf(_("its data holds %lld items and %lld articles, but the checklist has %lld and %lld"),
				      (long long)s->nitemv, (long long)s->narticles, (long long)cl->nitems,
				      (long long)cl->narticles);
		goto out;
	}
	for (size_t i = 0; i < s->nitemv; i++) {
		const struct cl_item *it = checklist_item(cl, s->itemv[i].item);

		if (!it) {
			why = sqlite3_mprintf(_("its data holds item '%s', which the checklist does not have"),
					      s->itemv[i].item);
			goto out;
		}
		eff[it - cl->items] = s->itemv[i].verdict;
	}
	for (size_t i = 0; i < s->narticles; i++)
		if (s->articles[i].article != cl->articles[i].no) {
			why = sqlite3_mprintf(_("its data holds article %d, which the checklist does not have"),
					      s->articles[i].article);
			goto out;
		}
	scoring_compute(cl, eff, art, &total);
	*code = "scores";
	if (!near(total, s->total)) {
		char a[16], b[16];

		why = sqlite3_mprintf(_("its total %s is not what its verdicts give (%s)"),
				      s->total < 0 ? "—" : (snprintf(a, sizeof(a), "%.2f", s->total), a),
				      total < 0 ? "—" : (snprintf(b, sizeof(b), "%.2f", total), b));
		goto out;
	}
	for (size_t i = 0; i < s->narticles; i++)
		if (!near(art[i], s->articles[i].score)) {
			why = sqlite3_mprintf(_("the score of its article %d is not what its verdicts give"),
					      s->articles[i].article);
			goto out;
		}
out:
	free(eff);
	free(art);
	return why;
}

/* Everything that can be decided from the file alone, before any
 * transaction: w->text stays NULL if acceptable, else it is the reason
 * (sqlite3_free). */
static void judge_file(const struct workspace *ws, const struct rollup_file *f, const struct submission **sp,
		       struct submission **owned, struct why *w)
{
	struct zj_error serr;
	const struct submission *s;
	const char *code;
	char *text;
	int level;

	*sp = NULL;
	*owned = NULL;
	if (!f->signature_ok) {
		why_set(w, "signature", sqlite3_mprintf(_("signature: %s"), f->signature_reason ? f->signature_reason : "?"),
			f->signature_status ? f->signature_status : "error", (const char *)NULL);
		return;
	}
	if (!f->data) {
		why_set(w, "no_data", sqlite3_mprintf("%s", _("the report carries no submission data")), (const char *)NULL);
		return;
	}
	if (f->sub) {
		*sp = f->sub;
	} else {
		if (submission_open_mem(owned, f->data, f->len, SUBMISSION_NAME, &serr) < 0) {
			why_set(w, "unreadable", sqlite3_mprintf(_("the embedded data cannot be read: %s"), serr.msg),
				(const char *)NULL);
			return;
		}
		*sp = *owned;
	}
	s = *sp;
	/* A level never receives from itself: its own unit, its own code, or
	 * a key certified for it. */
	if (!strcmp(s->unit, ws->unit) || (s->code && ws->code && !strcmp(s->code, ws->code)) ||
	    same_str(f->signer_unit, ws->unit) || (ws->code && same_str(f->signer_code, ws->code))) {
		why_set(w, "own_level",
			sqlite3_mprintf(_("it comes from this level itself (%s); a level never receives its own report"),
					ws->unit), ws->unit, (const char *)NULL);
		return;
	}
	level = level_parse(s->level);
	if (level < 0 || level >= (int)ws->level) {
		why_set(w, "level", sqlite3_mprintf(_("a report of level %s cannot be merged by a %s workspace"), s->level,
						    level_key(ws->level)),
			level >= 0 ? level_label((enum level)level) : s->level, level_label(ws->level), (const char *)NULL);
		return;
	}
	if (!s->complete) {
		why_set(w, "draft",
			sqlite3_mprintf("%s", _("it is a draft (items are unanswered); only a final report can be merged")),
			(const char *)NULL);
		return;
	}
	if (!s->period || !ws->period || strcmp(s->period, ws->period)) {
		why_set(w, "period", sqlite3_mprintf(_("period '%s', but this level collects '%s'"), s->period ? s->period : "?",
						     ws->period ? ws->period : "?"),
			s->period ? s->period : "?", ws->period ? ws->period : "?", (const char *)NULL);
		return;
	}
	if (strcmp(s->checklist_id, ws->cl->id) || strcmp(s->checklist_sha256, ws->cl->sha256)) {
		char a[13], b[13];

		snprintf(a, sizeof(a), "%.12s", s->checklist_sha256);
		snprintf(b, sizeof(b), "%.12s", ws->cl->sha256);
		why_set(w, "checklist", sqlite3_mprintf(_("checklist %s (sha256 %.12s…), but this level uses %s (sha256 %.12s…)"),
							s->checklist_id, s->checklist_sha256, ws->cl->id, ws->cl->sha256),
			s->checklist_id, a, ws->cl->id, b, (const char *)NULL);
		return;
	}
	if ((text = check_scores(ws, s, &code)) != NULL)
		why_set(w, code, text, (const char *)NULL);
}

int rollup_receive(sqlite3 *db, const struct workspace *ws, const struct rollup_file *f,
		   int replace, struct rollup_outcome *out, struct zj_error *err)
{
	const struct submission *s = NULL;
	struct submission *owned = NULL;
	sqlite3_stmt *st;
	struct why w = { 0 };
	char *issuer = NULL, scope[ZJ_ERROR_MAX], idbuf[24];
	char path[512], signer[256];
	long long prior = 0, same_file = 0;
	int rc = -1;

	utf8_sanitize_copy(f->path, path, sizeof(path));
	utf8_sanitize_copy(f->signer, signer, sizeof(signer));

	memset(out, 0, sizeof(*out));
	out->total = -1;

	/* Read and judged in memory, with no transaction open. */
	judge_file(ws, f, &s, &owned, &w);
	if (s) {
		utf8_sanitize_copy(s->unit, out->unit, sizeof(out->unit));
		utf8_sanitize_copy(s->period, out->period, sizeof(out->period));
		out->total = s->total;
	}

	/* Then one short write transaction over our own tables. */
	if (store_begin(db, err) < 0)
		goto out;
	/* The same bytes twice: say so rather than "duplicate unit".  The
	 * very file that is on record as accepted is not refused again: it
	 * is already here, and nothing is recorded. */
	if (sqlite3_prepare_v2(db, "SELECT id, status = 'accepted' FROM submissions WHERE file_sha256 = ?"
			       " AND status <> 'rejected' ORDER BY status = 'accepted' DESC, id DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		goto sql;
	sqlite3_bind_text(st, 1, f->sha256, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		same_file = sqlite3_column_int64(st, 0);
		if (sqlite3_column_int(st, 1) && !w.text) {
			sqlite3_finalize(st);
			store_rollback(db);
			out->id = same_file;
			out->already = 1;
			rc = 0;
			goto out_nocommit;
		}
	}
	sqlite3_finalize(st);
	if (w.text)
		goto reject;
	if (same_file) {
		snprintf(idbuf, sizeof(idbuf), "%lld", same_file);
		why_set(&w, "same_file", sqlite3_mprintf(_("this very file was already received (#%lld)"), same_file),
			idbuf, (const char *)NULL);
		goto reject;
	}
	if (!expected(db, s->unit, s->code, &issuer)) {
		why_set(&w, "unexpected",
			sqlite3_mprintf(_("unit '%s' is not among the units expected to report here"), s->unit),
			s->unit, (const char *)NULL);
		goto reject;
	}
	free(issuer);
	issuer = NULL;
	if (f->nchain || f->signer_unit) {
		int in = rollup_scope(db, ws, s->unit, s->code, f->chain, f->nchain, scope, sizeof(scope), err);

		if (in < 0)
			goto out;
		if (!in) {
			why_set(&w, "scope", sqlite3_mprintf("%s", scope), (const char *)NULL);
			goto reject;
		}
	}
	if (sqlite3_prepare_v2(db, "SELECT id, received_at, generated_at, signed_at FROM submissions"
			       " WHERE unit = ? AND period = ? AND status = 'accepted'", -1, &st, NULL) != SQLITE_OK)
		goto sql;
	sqlite3_bind_text(st, 1, s->unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *gen = (const char *)sqlite3_column_text(st, 2);
		const char *sig = (const char *)sqlite3_column_text(st, 3);

		prior = sqlite3_column_int64(st, 0);
		snprintf(idbuf, sizeof(idbuf), "%lld", prior);
		if (!replace)
			why_set(&w, "duplicate",
				sqlite3_mprintf(_("a report of %s for %s was already received (#%lld, %s); use --replace to supersede it"),
						s->unit, s->period, prior, sqlite3_column_text(st, 1)),
				s->unit, s->period, idbuf, (const char *)NULL);
		/* A replacement moves forward in time: made and signed after
		 * the one it replaces, never an older report over a newer. */
		else if ((gen && strcmp(s->generated_at, gen) <= 0) ||
			 (sig && f->signed_at && strcmp(f->signed_at, sig) <= 0))
			why_set(&w, "not_newer",
				sqlite3_mprintf(_("it is not newer than the report it would replace (#%lld, made %s, signed %s); --replace only takes a later report"),
						prior, gen ? gen : "?", sig ? sig : "?"),
				idbuf, (const char *)NULL);
	}
	sqlite3_finalize(st);
	if (w.text)
		goto reject;

	if (record(db, f, "accepted", NULL, s, &out->id, err) < 0)
		goto out;
	if (prior) {
		char *sql = sqlite3_mprintf("UPDATE submissions SET status = 'superseded',"
					    " reason = 'superseded by #%lld', reason_code = 'superseded',"
					    " reason_args = '%lld' WHERE id = %lld", out->id, out->id, prior);

		if (!sql || store_exec(db, sql, err) < 0) {
			sqlite3_free(sql);
			goto out;
		}
		sqlite3_free(sql);
		out->superseded = prior;
	}
	if (record_articles(db, s, out->id, err) < 0 || record_types(db, s, out->id, err) < 0)
		goto out;
	/* What the level's own region items propose follows what it
	 * received. */
	if (region_propose(db, ws, err) < 0)
		goto out;
	if (audit_appendf(db, err, "merge", "#%lld accepted: %s %s, total %.2f, signed by %s, file %s sha256 %s%s%s%s",
			  out->id, s->unit, s->period, s->total, signer[0] ? signer : "?", path, f->sha256,
			  prior ? " (supersedes an earlier one)" : "",
			  f->override_reason ? "; certificate expired by the time of receipt, accepted: " : "",
			  f->override_reason ? f->override_reason : "") < 0)
		goto out;
	if (store_commit(db, err) < 0)
		goto out_nocommit;
	out->accepted = 1;
	rc = 0;
	goto out_nocommit;
reject:
	if (!w.text) {
		zj_err(err, "%s", _("out of memory"));
		goto out;
	}
	utf8_sanitize(w.text);
	snprintf(out->reason, sizeof(out->reason), "%s", w.text);
	if (record(db, f, "rejected", &w, s, &out->id, err) < 0 ||
	    audit_appendf(db, err, "merge", "#%lld rejected: %s: %s", out->id, path, w.text) < 0)
		goto out;
	if (store_commit(db, err) < 0)
		goto out_nocommit;
	rc = 0;
	goto out_nocommit;
sql:
	store_error(db, err, _("cannot read the submissions"));
out:
	store_rollback(db);
out_nocommit:
	free(issuer);
	sqlite3_free(w.text);
	submission_close(owned);
	return rc;
}

long long rollup_expect(sqlite3 *db, const char *csv_path, struct zj_error *err)
{
	struct csvread *r = NULL;
	struct csvread_record rec;
	sqlite3_stmt *st = NULL;
	int unit_col = -1, code_col = -1, level_col = -1, issuer_col = -1, got;
	long long n = 0;
	char now[21];

	if (csvread_open(&r, csv_path, CSVREAD_AUTO, err) < 0)
		return -1;
	got = csvread_next(r, &rec, err);
	if (got <= 0) {
		if (got == 0)
			zj_err(err, _("%s: the file is empty (expected a header with 单位名称)"), csv_path);
		csvread_close(r);
		return -1;
	}
	for (size_t i = 0; i < rec.nfields; i++) {
		const char *t;
		size_t tl;

		if (!parse_text(rec.fields[i], rec.lens[i], &t, &tl))
			continue;
		if ((tl == 4 && !strncasecmp(t, "unit", 4)) || (tl == 4 && !strncasecmp(t, "name", 4)) ||
		    (tl == strlen("单位名称") && !memcmp(t, "单位名称", tl)) || (tl == strlen("单位") && !memcmp(t, "单位", tl)))
			unit_col = (int)i;
		else if ((tl == 4 && !strncasecmp(t, "code", 4)) || (tl == strlen("单位代码") && !memcmp(t, "单位代码", tl)))
			code_col = (int)i;
		else if ((tl == 5 && !strncasecmp(t, "level", 5)) || (tl == strlen("层级") && !memcmp(t, "层级", tl)))
			level_col = (int)i;
		else if ((tl == 6 && !strncasecmp(t, "issuer", 6)) ||
			 (tl == strlen("签发机构") && !memcmp(t, "签发机构", tl)))
			issuer_col = (int)i;
	}
	if (unit_col < 0) {
		zj_err(err, _("%s:%ld: missing required column '单位名称' (unit)"), csv_path, rec.line);
		csvread_close(r);
		return -1;
	}
	if (store_begin(db, err) < 0 || store_exec(db, "DELETE FROM expected_units", err) < 0 ||
	    sqlite3_prepare_v2(db, "INSERT INTO expected_units (unit, code, level, added_at, issuer) VALUES (?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK) {
		if (!sqlite3_get_autocommit(db))
			store_error(db, err, _("cannot record the expected units"));
		goto fail;
	}
	store_now(now);
	while ((got = csvread_next(r, &rec, err)) > 0) {
		const char *u, *c = NULL, *l = NULL, *is = NULL;
		size_t ul, cl = 0, ll = 0, il = 0;

		if ((size_t)unit_col >= rec.nfields || !parse_text(rec.fields[unit_col], rec.lens[unit_col], &u, &ul))
			continue;	/* a blank line of the list */
		for (size_t i = 0; i < rec.nfields; i++)
			if (rec.errs[i] != CSVREAD_FIELD_OK) {
				zj_err(err, _("%s:%ld: column %zu is not readable text"), csv_path, rec.line, i + 1);
				goto fail;
			}
		if (code_col >= 0 && (size_t)code_col < rec.nfields)
			parse_text(rec.fields[code_col], rec.lens[code_col], &c, &cl);
		if (level_col >= 0 && (size_t)level_col < rec.nfields)
			parse_text(rec.fields[level_col], rec.lens[level_col], &l, &ll);
		if (issuer_col >= 0 && (size_t)issuer_col < rec.nfields)
			parse_text(rec.fields[issuer_col], rec.lens[issuer_col], &is, &il);
		if (l && ll) {
			char lv[32];

			snprintf(lv, sizeof(lv), "%.*s", (int)ll, l);
			if (level_parse(lv) < 0) {
				zj_err(err, _("%s:%ld: column '层级': '%s' is not a level"), csv_path, rec.line, lv);
				goto fail;
			}
		}
		sqlite3_bind_text(st, 1, u, (int)ul, SQLITE_STATIC);
		if (c && cl)
			sqlite3_bind_text(st, 2, c, (int)cl, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 2);
		if (l && ll)
			sqlite3_bind_text(st, 3, l, (int)ll, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 3);
		sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
		if (is && il)
			sqlite3_bind_text(st, 5, is, (int)il, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 5);
		if (sqlite3_step(st) != SQLITE_DONE) {
			if (sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_PRIMARYKEY)
				zj_err(err, _("%s:%ld: unit '%.*s' is listed twice"), csv_path, rec.line, (int)ul, u);
			else
				store_error(db, err, _("cannot record the expected units"));
			goto fail;
		}
		sqlite3_reset(st);
		n++;
	}
	if (got < 0)
		goto fail;
	sqlite3_finalize(st);
	st = NULL;
	if (audit_appendf(db, err, "expect", "%lld units expected to report, from %s", n, csv_path) < 0 ||
	    store_commit(db, err) < 0)
		goto fail;
	csvread_close(r);
	return n;
fail:
	sqlite3_finalize(st);
	store_rollback(db);
	csvread_close(r);
	return -1;
}

/* ---- what was received ---- */

const char *sub_state_key(enum sub_state s)
{
	static const char *const keys[SUB_COUNT] = { "accepted", "superseded", "rejected", "missing" };

	return s < SUB_COUNT ? keys[s] : "";
}

static enum sub_state sub_state_parse(const char *s)
{
	for (int i = 0; i < SUB_COUNT; i++)
		if (s && !strcmp(s, sub_state_key((enum sub_state)i)))
			return (enum sub_state)i;
	return SUB_REJECTED;	/* the table's CHECK allows no other word */
}

static void entry_release(struct rollup_entry *e)
{
	free(e->unit);
	free(e->period);
	free(e->grade);
	free(e->signer_fingerprint);
	free(e->file);
	free(e->file_sha256);
	free(e->received_at);
	free(e->reason);
	free(e->signer);
	free(e->signed_at);
	free(e->level);
	free(e->as_of);
}

void rollup_list_release(struct rollup_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		entry_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void rollup_entry_text(const struct rollup_entry *e, struct rollup_entry_text *t)
{
	memset(t, 0, sizeof(*t));
	if (e->id)
		snprintf(t->id, sizeof(t->id), "%lld", e->id);
	if (e->total >= 0)
		snprintf(t->total, sizeof(t->total), "%.1f", e->total);
	if (e->violated >= 0)
		snprintf(t->violated, sizeof(t->violated), "%lld", e->violated);
	if (e->overdue >= 0)
		snprintf(t->overdue, sizeof(t->overdue), "%lld", e->overdue);
}

/* A text column, "" for NULL: malloc'd, NULL only when out of memory. */
static char *text_dup(sqlite3_stmt *st, int c)
{
	const unsigned char *t = sqlite3_column_text(st, c);

	return strdup(t ? (const char *)t : "");
}

int rollup_received_data(sqlite3 *db, long long id, unsigned char **data, size_t *len, struct zj_error *err)
{
	sqlite3_stmt *st;
	int rc = 0;

	*data = NULL;
	*len = 0;
	if (sqlite3_prepare_v2(db, "SELECT data FROM submissions WHERE id = ? AND data IS NOT NULL", -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read the submissions"));
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) > 0) {
		size_t n = (size_t)sqlite3_column_bytes(st, 0);

		if (!(*data = malloc(n))) {
			rc = zj_err(err, "%s", _("out of memory"));
		} else {
			memcpy(*data, sqlite3_column_blob(st, 0), n);
			*len = n;
			rc = 1;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

int rollup_list_load(sqlite3 *db, const char *period, struct rollup_list *l, struct zj_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	memset(l, 0, sizeof(*l));
	/* Received (accepted, superseded, rejected), then the expected units
	 * with nothing accepted for this period: missing. */
	if (sqlite3_prepare_v2(db,
			       "SELECT * FROM (SELECT id, status, unit, period, total, grade,"
			       " violated, zj_overdue(open_deadlines, overdue), signer_fingerprint, file, received_at,"
			       " zj_reason(reason_code, reason_args, reason),"
			       " file_sha256, signer, signed_at, level, as_of, rectifications FROM submissions"
			       " UNION ALL SELECT NULL, 'missing', e.unit, ?1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
			       " NULL, NULL, e.level, NULL, NULL"
			       " FROM expected_units e WHERE NOT EXISTS (SELECT 1 FROM submissions s"
			       " WHERE s.status = 'accepted' AND s.period = ?1 AND (s.unit = e.unit OR (e.code IS NOT NULL AND s.code = e.code)))"
			       ") ORDER BY id IS NULL, id", -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read the submissions"));
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct rollup_entry *e;

		if (l->n == cap) {
			struct rollup_entry *v = realloc(l->v, (cap = cap ? cap * 2 : 32) * sizeof(*v));

			if (!v)
				goto oom;
			l->v = v;
		}
		e = &l->v[l->n];
		memset(e, 0, sizeof(*e));
		e->id = sqlite3_column_type(st, 0) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 0);
		e->status = sub_state_parse((const char *)sqlite3_column_text(st, 1));
		e->total = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 4);
		e->violated = sqlite3_column_type(st, 6) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 6);
		e->overdue = sqlite3_column_type(st, 7) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 7);
		e->unit = text_dup(st, 2);
		e->period = text_dup(st, 3);
		e->grade = text_dup(st, 5);
		e->signer_fingerprint = text_dup(st, 8);
		e->file = text_dup(st, 9);
		e->received_at = text_dup(st, 10);
		e->reason = text_dup(st, 11);
		e->file_sha256 = text_dup(st, 12);
		e->signer = text_dup(st, 13);
		e->signed_at = text_dup(st, 14);
		e->level = text_dup(st, 15);
		e->as_of = text_dup(st, 16);
		e->rectifications = sqlite3_column_type(st, 17) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 17);
		if (!e->unit || !e->period || !e->grade || !e->signer_fingerprint || !e->file || !e->received_at ||
		    !e->reason || !e->file_sha256 || !e->signer || !e->signed_at || !e->level || !e->as_of) {
			entry_release(e);
			goto oom;
		}
		l->count[e->status]++;
		l->n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		rollup_list_release(l);
		return store_error(db, err, _("cannot read the submissions"));
	}
	return 0;
oom:
	sqlite3_finalize(st);
	rollup_list_release(l);
	return zj_err(err, "%s", _("out of memory"));
}

int rollup_summary(sqlite3 *db, const char *period, size_t nlow, struct rollup_summary *s, struct zj_error *err)
{
	struct rollup_list l;
	sqlite3_stmt *st;
	int rc = SQLITE_DONE;

	memset(s, 0, sizeof(*s));
	if (rollup_list_load(db, period, &l, err) < 0)
		return -1;
	memcpy(s->count, l.count, sizeof(s->count));
	rollup_list_release(&l);
	if (nlow > ROLLUP_LOW_MAX)
		nlow = ROLLUP_LOW_MAX;
	if (sqlite3_prepare_v2(db, "SELECT coalesce(unit, ''), total FROM submissions"
			       " WHERE status = 'accepted' AND total IS NOT NULL ORDER BY total, unit LIMIT ?",
			       -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read the submissions"));
	sqlite3_bind_int64(st, 1, (long long)nlow);
	while (s->nlow < nlow && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(s->low[s->nlow].unit, sizeof(s->low[0].unit), "%s", sqlite3_column_text(st, 0));
		s->low[s->nlow++].total = sqlite3_column_double(st, 1);
	}
	if (s->nlow < nlow && rc != SQLITE_DONE) {
		sqlite3_finalize(st);
		return store_error(db, err, _("cannot read the submissions"));
	}
	sqlite3_finalize(st);
	return 0;
}
