/* Unit tests: core/submission.h, the data a report carries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/assess.h"
#include "core/import.h"
#include "core/rules.h"
#include "core/store.h"
#include "core/submission.h"

static char dir[64], ws_path[128], sub_path[128];
static sqlite3 *db;
static struct workspace ws;

static long long one(sqlite3 *d, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(d, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(d));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The sample county, imported and scored, with one answer. */
static int setup(void **state)
{
	const char *top = getenv("TOP") ? getenv("TOP") : ".";
	static const char *const inv[] = { "apps", "accounts", "groups" };
	struct workspace_init wi = { "青禾县", "530921", "2026-06-30", "2026年度", LEVEL_COUNTY, "云岭省委网信办" };
	char path[4096];
	struct zj_error err;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/zj-sub-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(ws_path, sizeof(ws_path), "%s/ws.db", dir);
	snprintf(sub_path, sizeof(sub_path), "%s/%s", dir, SUBMISSION_NAME);
	snprintf(path, sizeof(path), "%s/checklists/opinions-2023.zjc", top);
	if (store_create(&db, ws_path, &err) < 0 || store_begin(db, &err) < 0 ||
	    workspace_init(db, &wi, path, &err) < 0 || store_commit(db, &err) < 0 ||
	    workspace_load(db, &ws, &err) < 0)
		goto fail;
	for (int k = 0; k < 3; k++) {
		struct import_opts o = { 0 };
		struct import_result r = { 0 };

		snprintf(path, sizeof(path), "%s/data/samples/%s.csv", top, inv[k]);
		o.path = path;
		o.kind = (enum inv_kind)k;
		if (import_run(db, &o, &r, &err) != IMPORT_OK) {
			import_result_release(&r);
			goto fail;
		}
		import_result_release(&r);
	}
	if (store_begin(db, &err) < 0 ||
	    rules_evaluate(db, ws.cl, ws.as_of, ws.level, ws.unit, NULL, &err) < 0 ||
	    store_commit(db, &err) < 0 ||
	    answer_record(db, &ws, "1.1", VERDICT_COMPLIANT, "已印发实施方案", NULL, &err) < 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "setup: %s\n", err.msg);
	return -1;
}

static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	workspace_release(&ws);
	store_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void round_trip(void **state)
{
	struct zj_error err;
	struct submission *s;
	struct assessment a;
	char wal[160];
	struct stat before, after;
	sqlite3 *sd;

	(void)state;
	unlink(sub_path);
	snprintf(wal, sizeof(wal), "%s-wal", ws_path);
	assert_int_equal(stat(wal, &before), 0);
	if (submission_write(db, &ws, sub_path, "2026-07-01T00:00:00Z", &err) < 0)
		fail_msg("%s", err.msg);
	/* Read only: nothing was written to the workspace's log. */
	assert_int_equal(stat(wal, &after), 0);
	assert_int_equal(after.st_size, before.st_size);
	assert_true(after.st_mtime == before.st_mtime);
	assert_int_equal(one(db, "SELECT count(*) FROM pragma_database_list"), 2);	/* main, temp: detached */

	if (submission_open(&s, sub_path, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(s->schema_version, SUBMISSION_SCHEMA_VERSION);
	assert_string_equal(s->unit, "青禾县");
	assert_string_equal(s->level, "county");
	assert_string_equal(s->code, "530921");
	assert_string_equal(s->as_of, "2026-06-30");
	assert_string_equal(s->generated_at, "2026-07-01T00:00:00Z");
	assert_string_equal(s->checklist_sha256, ws.cl->sha256);
	assert_int_equal(s->items, 58);
	assert_int_equal(s->answered, 1);
	assert_int_equal(s->ninv, 3);
	assert_int_equal(s->inv[0].rows, 43);
	if (assessment_load(db, ws.cl, &a, &err) < 0)
		fail_msg("%s", err.msg);
	assert_true(s->total == a.total);
	assessment_release(&a);

	/* The findings view expands every subject's masks: one row per
	 * subject per rule, as many as the rules counted (read here with
	 * plain SQLite: the file is our own). */
	assert_int_equal(sqlite3_open_v2(sub_path, &sd, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(one(sd, "SELECT count(*) FROM findings"), s->findings);
	assert_int_equal(s->findings, s->violated + s->unknown);
	assert_int_equal(one(db, "SELECT sum(violated + unknown) FROM rules"), s->findings);
	assert_int_equal(one(sd, "SELECT count(*) FROM findings WHERE state = 'unknown'"
			     " AND message NOT LIKE '需核实：%为空' AND message NOT LIKE '需核实：%相互矛盾%'"), 0);
	assert_int_equal(one(sd, "SELECT count(*) FROM findings WHERE rule = 'app.duplicate'"
			     " AND message NOT LIKE '%（与“%”APP-%相近）。'"), 0);
	assert_int_equal(one(sd, "SELECT count(*) FROM articles WHERE score IS NOT NULL"),
			 one(sd, "SELECT count(DISTINCT article) FROM items WHERE verdict IN ('compliant','partial','noncompliant')"));
	assert_int_equal(one(sd, "SELECT sum(count) FROM inventory_counts WHERE inventory = 'apps' AND dimension = 'status'"), 43);
	sqlite3_close(sd);
	assert_int_equal(s->nitemv, 58);
	assert_int_equal(s->narticles, 16);
	submission_close(s);
}

/* What the hooks saw, to hold against the file written. */
struct seen {
	int began, failing;
	long long subjects[INV_COUNT], violated, sid_sum, peers;
	long long last_sid;
	int ordered;
};

static int seen_begin(void *ctx, sqlite3 *d, const char *schema)
{
	struct seen *s = ctx;
	char sql[128];

	/* The rules are there to read; the subjects are not yet. */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s.rules", schema);
	assert_true(one(d, sql) > 0);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s.subjects", schema);
	assert_int_equal(one(d, sql), 0);
	s->began++;
	s->last_sid = -1;
	s->ordered = 1;
	return 0;
}

static int seen_subject(void *ctx, const struct submission_subject *x)
{
	struct seen *s = ctx;

	assert_int_equal(s->began, 1);
	assert_true(x->inventory >= 0 && x->inventory < INV_COUNT);
	assert_int_equal(x->sid % 4, x->inventory);
	if (x->inventory == INV_APPS && x->sid <= s->last_sid)
		s->ordered = 0;
	if (x->inventory == INV_APPS)
		s->last_sid = x->sid;
	s->subjects[x->inventory]++;
	s->violated += x->violated != 0;
	s->sid_sum += x->sid;
	s->peers += x->peer >= 0;
	return s->failing ? -1 : 0;
}

static void hooks_see_every_subject(void **state)
{
	struct seen seen = { 0 };
	struct submission_hooks h = { seen_begin, seen_subject, &seen };
	struct zj_error err;
	sqlite3 *sd;

	(void)state;
	unlink(sub_path);
	if (submission_write_hooked(db, &ws, sub_path, "2026-07-01T00:00:00Z", &h, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(seen.began, 1);
	assert_true(seen.ordered);
	assert_int_equal(sqlite3_open_v2(sub_path, &sd, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(one(sd, "SELECT count(*) FROM subjects WHERE inventory = 'apps'"), seen.subjects[INV_APPS]);
	assert_int_equal(one(sd, "SELECT count(*) FROM subjects WHERE inventory = 'groups'"), seen.subjects[INV_GROUPS]);
	assert_int_equal(one(sd, "SELECT sum(sid) FROM subjects"), seen.sid_sum);
	assert_int_equal(one(sd, "SELECT count(*) FROM subjects WHERE peer IS NOT NULL"), seen.peers);
	/* The inventories' counts are the subjects stored, as the workspace
	 * counts its findings. */
	assert_int_equal(one(sd, "SELECT subjects FROM inventories WHERE inventory = 'apps'"),
			 one(db, "SELECT count(*) FROM findings WHERE inventory = 0"));
	assert_int_equal(one(sd, "SELECT sum(violated_subjects) FROM inventories"), seen.violated);
	assert_int_equal(one(sd, "SELECT sum(violated_subjects) FROM inventories"),
			 one(db, "SELECT count(*) FROM findings WHERE violated <> 0"));
	assert_int_equal(one(sd, "SELECT sum(unknown_subjects) FROM inventories"),
			 one(db, "SELECT count(*) FROM findings WHERE unknown <> 0"));
	sqlite3_close(sd);

	/* A hook that fails fails the write, and leaves no file. */
	memset(&seen, 0, sizeof(seen));
	seen.failing = 1;
	unlink(sub_path);
	assert_int_equal(submission_write_hooked(db, &ws, sub_path, NULL, &h, &err), -1);
	assert_int_not_equal(access(sub_path, F_OK), 0);
	assert_int_equal(one(db, "SELECT count(*) FROM pragma_database_list"), 2);
	/* The file of the round trip again, for the tests after. */
	if (submission_write(db, &ws, sub_path, "2026-07-01T00:00:00Z", &err) < 0)
		fail_msg("%s", err.msg);
}

static void refuses_to_overwrite(void **state)
{
	struct zj_error err;

	(void)state;
	assert_int_equal(submission_write(db, &ws, sub_path, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "exists"));
	/* And the existing file is still a good submission. */
	{
		struct submission *s;

		assert_int_equal(submission_open(&s, sub_path, &err), 0);
		submission_close(s);
	}
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void opens_from_memory(void **state)
{
	struct zj_error err;
	struct submission *s;
	size_t len;
	unsigned char *buf = slurp(sub_path, &len);

	(void)state;
	if (submission_open_mem(&s, buf, len, "report.pdf", &err) < 0)
		fail_msg("%s", err.msg);
	free(buf);	/* copied */
	assert_string_equal(s->unit, "青禾县");
	assert_true(s->findings > 0);
	submission_close(s);
}

static void refuses_what_is_not_a_submission(void **state)
{
	struct zj_error err;
	struct submission *s;
	static const unsigned char junk[200] = "not a database";
	char newer[160];
	sqlite3 *d;

	(void)state;
	assert_int_equal(submission_open_mem(&s, junk, sizeof(junk), "junk.pdf", &err), -1);
	assert_non_null(strstr(err.msg, "not a zhijian submission"));
	assert_null(s);
	/* A workspace is SQLite but not a submission. */
	assert_int_equal(submission_open(&s, ws_path, &err), -1);
	assert_non_null(strstr(err.msg, "not a zhijian submission"));
	/* A newer schema is refused with the versions named. */
	snprintf(newer, sizeof(newer), "%s/newer.sqlite", dir);
	{
		size_t len;
		unsigned char *buf = slurp(sub_path, &len);
		FILE *f = fopen(newer, "wb");

		assert_non_null(f);
		assert_int_equal(fwrite(buf, 1, len, f), len);
		fclose(f);
		free(buf);
	}
	assert_int_equal(sqlite3_open(newer, &d), SQLITE_OK);
	assert_int_equal(sqlite3_exec(d, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(d);
	assert_int_equal(submission_open(&s, newer, &err), -1);
	assert_non_null(strstr(err.msg, "version 99"));
}

/* A crafted file whose assessment "table" is a view that never ends is
 * refused for its schema, never run. */
static void a_view_that_never_ends_is_stopped(void **state)
{
	struct zj_error err;
	struct submission *s;
	char path[160], sql[1024];
	sqlite3 *d;

	(void)state;
	snprintf(path, sizeof(path), "%s/endless.sqlite", dir);
	assert_int_equal(sqlite3_open(path, &d), SQLITE_OK);
	snprintf(sql, sizeof(sql),
		 "PRAGMA application_id = %d; PRAGMA user_version = %d;"
		 "CREATE VIEW assessment AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)"
		 " SELECT 1 AS id, 'a' AS assessment_id, 'u' AS unit, 'unit' AS level, NULL AS code,"
		 " '2026-06-30' AS as_of, NULL AS period, 'c' AS checklist_id, NULL AS checklist_title,"
		 " NULL AS checklist_version, 'x' AS checklist_sha256, NULL AS total, NULL AS grade,"
		 " 0 AS items, 0 AS answered, 0 AS pending, 0 AS open, 0 AS findings, 0 AS violated,"
		 " 0 AS unknown, (SELECT max(i) FROM n) AS generated_at;",
		 SUBMISSION_APPLICATION_ID, SUBMISSION_SCHEMA_VERSION);
	assert_int_equal(sqlite3_exec(d, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(d);
	assert_int_equal(submission_open(&s, path, &err), SUBMISSION_REFUSED);
	assert_non_null(strstr(err.msg, "schema is not the submission format's"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(hooks_see_every_subject),
		cmocka_unit_test(refuses_to_overwrite),
		cmocka_unit_test(opens_from_memory),
		cmocka_unit_test(refuses_what_is_not_a_submission),
		cmocka_unit_test(a_view_that_never_ends_is_stopped),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
