/* Unit tests: rule conditions, three-valued results, proposals, and the
 * authorizer that keeps a rules file to reading its own inventory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/rules.h"
#include "core/store.h"

#define HEAD "[checklist]\nid = t\ntitle = T\n[grades]\n好 = 60\n差 = 0\n" \
	     "[scoring]\npartial_rate = 0.5\n[thresholds]\nstale = 365\nmau = 100\n" \
	     "[part 1]\ntitle = P\n[article 1]\npart = 1\ntitle = A\ntext = x\n"
#define RULE(id, sev, when) "[rule " id "]\narticle = 1\ninventory = apps\nseverity = " sev \
	"\ntitle = t\nmessage = m\nwhen = " when "\n"

static struct checklist *parse(const char *text)
{
	struct zj_error err = { "" };
	struct checklist *cl = checklist_parse("r.zjc", text, strlen(text), &err);

	if (!cl)
		fail_msg("%s", err.msg);
	return cl;
}

static char dbpath[64];

static sqlite3 *workspace(void)
{
	struct zj_error err = { "" };
	sqlite3 *db;

	snprintf(dbpath, sizeof(dbpath), "/tmp/zj-rules-%d.db", (int)getpid());
	unlink(dbpath);
	if (store_create(&db, dbpath, &err) < 0)
		fail_msg("%s", err.msg);
	/* Rows: 1 violates, 2 satisfies, 3 unknown (NULL), 4 out of scope. */
	if (store_exec(db,
		       "INSERT INTO imports (inventory, file, at) VALUES ('apps', 'x', 'now');"
		       "INSERT INTO inv_apps (id, name, host_unit, status, in_plan, last_updated_on, monthly_active_users, batch) VALUES"
		       " ('A1', 'a', 'u', '运行', 0, '2024-01-01', 5, 1),"
		       " ('A2', 'b', 'u', '运行', 1, '2026-06-01', 500, 1),"
		       " ('A3', 'c', 'u', NULL, NULL, NULL, NULL, 1),"
		       " ('A4', 'd', 'u', '已注销', 0, '2020-01-01', 0, 1);", &err) < 0)
		fail_msg("%s", err.msg);
	return db;
}

static void drop(sqlite3 *db)
{
	store_close(db);
	store_remove(dbpath);
}

static long long q(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_type(st, 0) == SQLITE_NULL ? -2 : sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void three_valued(void **state)
{
	struct checklist *cl = parse(HEAD
		RULE("plan", "medium", "in_plan = 0")
		RULE("stale", "low", "age_days(last_updated_on) > :stale")
		"[item 1.1]\nquestion = q\nrules = plan\n"
		"[item 1.2]\nquestion = q\nrules = stale\n");
	sqlite3 *db = workspace();
	struct zj_error err = { "" };

	(void)state;
	if (rules_evaluate(db, cl, "2026-06-30", LEVEL_COUNTY, NULL, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	/* Default scope: running or unknown status; A4 (已注销) is out. */
	assert_int_equal(q(db, "SELECT checked FROM rules WHERE id = 'plan'"), 3);
	assert_int_equal(q(db, "SELECT violated FROM rules WHERE id = 'plan'"), 1);
	assert_int_equal(q(db, "SELECT unknown FROM rules WHERE id = 'plan'"), 1);
	/* A1 violates both; A3 is unknown for both, never a pass. */
	assert_int_equal(q(db, "SELECT violated FROM findings f JOIN inv_apps a ON a.rowid = f.subject WHERE a.id = 'A1'"), 3);
	assert_int_equal(q(db, "SELECT unknown FROM findings f JOIN inv_apps a ON a.rowid = f.subject WHERE a.id = 'A3'"), 3);
	assert_int_equal(q(db, "SELECT count(*) FROM findings f JOIN inv_apps a ON a.rowid = f.subject WHERE a.id IN ('A2', 'A4')"), 0);
	/* The empty columns of an unknown row are recorded for the message. */
	assert_true(q(db, "SELECT nulls FROM findings f JOIN inv_apps a ON a.rowid = f.subject WHERE a.id = 'A3'") != 0);
	/* 1 of 3 violated, partial_rate 0.5: 基本符合 proposed. */
	assert_int_equal(q(db, "SELECT verdict = 'partial' FROM proposals WHERE item = '1.1'"), 1);
	drop(db);
	checklist_free(cl);
}

static void ages_come_from_the_as_of_date(void **state)
{
	struct checklist *cl = parse(HEAD RULE("stale", "low", "age_days(last_updated_on) > :stale")
				     "[item 1.1]\nquestion = q\nrules = stale\n");
	sqlite3 *db = workspace();
	struct zj_error err = { "" };

	(void)state;
	/* As of 2024-06-30, A1 (updated 2024-01-01) is 181 days old: fine. */
	if (rules_evaluate(db, cl, "2024-06-30", LEVEL_COUNTY, NULL, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(q(db, "SELECT violated FROM rules WHERE id = 'stale'"), 0);
	if (rules_evaluate(db, cl, "2026-06-30", LEVEL_COUNTY, NULL, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(q(db, "SELECT violated FROM rules WHERE id = 'stale'"), 1);
	drop(db);
	checklist_free(cl);
}

static void proposals(void **state)
{
	struct checklist *cl = parse(HEAD
		RULE("high", "high", "monthly_active_users < :mau")
		RULE("gap", "low", "note IS NULL AND in_plan IS NULL")
		RULE("never", "low", "0")
		"[item 1.1]\nquestion = q\nrules = high\n"
		"[item 1.2]\nquestion = q\nrules = never\n"
		"[item 1.3]\nquestion = q\nlevels = province\n"
		"[item 1.4]\nquestion = q\n");
	sqlite3 *db = workspace();
	struct zj_error err = { "" };

	(void)state;
	if (rules_evaluate(db, cl, "2026-06-30", LEVEL_COUNTY, NULL, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	/* Any violation of a high rule: 不符合, whatever the rate. */
	assert_int_equal(q(db, "SELECT verdict = 'noncompliant' FROM proposals WHERE item = '1.1'"), 1);
	assert_int_equal(q(db, "SELECT verdict = 'compliant' FROM proposals WHERE item = '1.2'"), 1);
	/* Not this level's duty: 不适用. */
	assert_int_equal(q(db, "SELECT verdict = 'na' FROM proposals WHERE item = '1.3'"), 1);
	/* A manual item gets no proposal at all. */
	assert_int_equal(q(db, "SELECT count(*) FROM proposals WHERE item = '1.4'"), 0);
	drop(db);
	checklist_free(cl);
}

static void unknown_only_proposes_nothing(void **state)
{
	struct checklist *cl = parse(HEAD RULE("gap", "low", "in_plan = 0 AND note IS NULL AND status IS NULL")
				     "[item 1.1]\nquestion = q\nrules = gap\n");
	sqlite3 *db = workspace();
	struct zj_error err = { "" };

	(void)state;
	assert_int_equal(sqlite3_exec(db, "DELETE FROM inv_apps WHERE id IN ('A1','A4')", NULL, NULL, NULL), SQLITE_OK);
	if (rules_evaluate(db, cl, "2026-06-30", LEVEL_COUNTY, NULL, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	/* A3's in_plan is NULL: unknown; no violation anywhere.  The proposal
	 * is NULL ("needs verification"), not 符合. */
	assert_int_equal(q(db, "SELECT verdict FROM proposals WHERE item = '1.1'"), -2);
	assert_int_equal(q(db, "SELECT unknown FROM proposals WHERE item = '1.1'"), 1);
	drop(db);
	checklist_free(cl);
}

/* A hostile condition is refused when the rules are loaded, with its line. */
static void refuse(const char *when, const char *want)
{
	char text[2048];
	struct checklist *cl;
	struct zj_error err = { "" };

	snprintf(text, sizeof(text), HEAD RULE("evil", "low", "%s") "[item 1.1]\nquestion = q\nrules = evil\n", when);
	cl = parse(text);
	if (rules_validate(cl, NULL, &err) == 0)
		fail_msg("accepted: %s", when);
	if (!strstr(err.msg, "r.zjc:24: rule evil") || !strstr(err.msg, want))
		fail_msg("for '%s': '%s' lacks '%s'", when, err.msg, want);
	checklist_free(cl);
}

static void hostile_conditions_are_refused(void **state)
{
	(void)state;
	refuse("(SELECT unit FROM workspace) IS NOT NULL", "reads table 'workspace'");
	refuse("(SELECT max(id) FROM inv_apps) = id", "subquery");
	refuse("id IN (SELECT subject FROM findings)", "findings");
	refuse("load_extension('x') IS NULL", "load_extension");
	refuse("randomblob(4) IS NULL", "randomblob");
	refuse("batch > 0", "reads column 'batch'");
	refuse("extra IS NULL", "reads column 'extra'");
	refuse("1); DROP TABLE inv_apps; SELECT (1", "not a single expression");
	refuse("1), (2", "not a single expression");
	refuse("monthly_active_users < :nosuch", "':nosuch', which is not a threshold");
	refuse("no_such_column = 1", "no such column");
	refuse("followers > 3", "no such column");	/* an accounts column */
}

static void allowed_functions_work(void **state)
{
	struct checklist *cl = parse(HEAD
		RULE("ok", "low", "has_tag(function_tags, '打卡') = 1 OR length(trim(name)) > 100"
		     " OR coalesce(in_plan, 1) = 0 OR name LIKE '%测试%' OR iif(in_plan, 1, 0) = 2")
		"[item 1.1]\nquestion = q\nrules = ok\n");
	struct zj_error err = { "" };
	unsigned long long reads = 0;

	(void)state;
	if (rules_validate(cl, &reads, &err) < 0)
		fail_msg("%s", err.msg);
	assert_true(reads != 0);
	checklist_free(cl);
}

static void the_real_checklist_compiles(void **state)
{
	char path[4096];
	struct zj_error err = { "" };
	struct checklist *cl;
	const char *top = getenv("TOP");

	(void)state;
	snprintf(path, sizeof(path), "%s/checklists/opinions-2023.zjc", top ? top : ".");
	cl = checklist_load(path, &err);
	if (!cl || rules_validate(cl, NULL, &err) < 0)
		fail_msg("%s", err.msg);
	checklist_free(cl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(three_valued),
		cmocka_unit_test(ages_come_from_the_as_of_date),
		cmocka_unit_test(proposals),
		cmocka_unit_test(unknown_only_proposes_nothing),
		cmocka_unit_test(hostile_conditions_are_refused),
		cmocka_unit_test(allowed_functions_work),
		cmocka_unit_test(the_real_checklist_compiles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
