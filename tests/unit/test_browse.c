/* Unit tests: core/browse.h, keyset paging over inventories and findings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/browse.h"
#include "core/store.h"

#define NROWS 100

static char path[64];
static sqlite3 *db;

static void exec(const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql, msg);
		sqlite3_free(msg);
		fail();
	}
}

/* A workspace with NROWS apps (rowid 1..NROWS, id A-001…, every tenth
 * named 教育…, app 7 with an empty name is impossible (required), so an
 * empty host_unit stands in for unknowns), and findings of two rules. */
static int setup(void **state)
{
	struct zj_error err;
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/zj-browse-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(path);
	if (store_create(&db, path, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	exec("BEGIN");
	exec("INSERT INTO imports (batch, inventory, file, rows, at) VALUES (1, 'apps', 'apps.csv', 100, 'now')");
	for (int i = 1; i <= NROWS; i++) {
		char sql[512];

		snprintf(sql, sizeof(sql),
			 "INSERT INTO inv_apps (rowid, id, name, host_unit, status, monthly_active_users, in_plan, batch, src_line)"
			 " VALUES (%d, 'A-%03d', '%s%d', 'unit %d', %s, %d, %s, 1, %d)",
			 i, i, i % 10 == 0 ? "教育" : i == 55 ? "50%_off" : "App", i, i % 3,
			 i % 2 ? "'运行'" : "NULL", i * 10, i % 4 ? "1" : "NULL", i + 1);
		exec(sql);
	}
	/* Rule r.plan (bit 0, article 3, medium) reads in_plan (column 15);
	 * rule r.zombie (bit 1, article 7, high); rule r.acc on accounts has
	 * no findings. */
	exec("INSERT INTO rules (id, inventory, bit, article, severity, title, message, reads, method, checked, violated, unknown)"
	     " VALUES ('r.plan', 0, 0, 3, 'medium', 't', 'not in plan', 32768, 'sql', 100, 10, 25),"
	     " ('r.zombie', 0, 1, 7, 'high', 't', 'zombie', 0, 'sql', 100, 5, 0),"
	     " ('r.acc', 1, 0, 8, 'high', 't', 'forced follow', 0, 'sql', 0, 0, 0)");
	for (int i = 1; i <= NROWS; i++) {
		long long v = 0, u = 0;
		char sql[256];

		if (i % 10 == 1)
			v |= 1;		/* 10 violate r.plan: 1, 11, …, 91 */
		if (i % 4 == 0)
			u |= 1;		/* 25 unknown: in_plan empty */
		if (i % 20 == 7)
			v |= 2;		/* 5 zombies: 7, 27, 47, 67, 87 */
		if (!v && !u)
			continue;
		snprintf(sql, sizeof(sql), "INSERT INTO findings (inventory, subject, violated, unknown, nulls)"
			 " VALUES (0, %d, %lld, %lld, %d)", i, v, u, u ? 32768 : 0);
		exec(sql);
	}
	exec("COMMIT");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	store_close(db);
	store_remove(path);
	return 0;
}

/* No statement may be left mid-step: that would hold a read transaction
 * open and keep a concurrent import's data out of view. */
static void assert_no_busy_statement(void)
{
	for (sqlite3_stmt *st = sqlite3_next_stmt(db, NULL); st; st = sqlite3_next_stmt(db, st))
		assert_false(sqlite3_stmt_busy(st));
	assert_true(sqlite3_get_autocommit(db));
}

static struct browse_inv *apps(void)
{
	static const int cols[] = { 0, 1, 10 };	/* id, name, status */
	struct zj_error err;
	struct browse_inv *b = browse_inv_new(db, INV_APPS, cols, 3, &err);

	assert_non_null(b);
	return b;
}

static void pages_by_keyset(void **state)
{
	struct browse_inv *b = apps();
	struct browse_page p = { 0 };
	struct zj_error err;

	(void)state;
	assert_int_equal(browse_inv_page(b, BROWSE_FIRST, 0, 10, &p, &err), 10);
	assert_int_equal(p.row[0].rowid, 1);
	assert_string_equal(p.row[0].cell[0], "A-001");
	assert_string_equal(p.row[0].cell[1], "App1");
	assert_string_equal(p.row[0].cell[2], "运行");
	assert_null(p.row[1].cell[2]);	/* empty status: NULL, not "" */
	assert_int_equal(p.row[9].rowid, 10);
	assert_int_equal(browse_inv_page(b, BROWSE_AFTER, 10, 10, &p, &err), 10);
	assert_int_equal(p.row[0].rowid, 11);
	assert_int_equal(browse_inv_page(b, BROWSE_BEFORE, 11, 4, &p, &err), 4);
	assert_int_equal(p.row[0].rowid, 7);	/* nearest the key, ascending */
	assert_int_equal(p.row[3].rowid, 10);
	assert_int_equal(browse_inv_page(b, BROWSE_LAST, 0, 3, &p, &err), 3);
	assert_int_equal(p.row[0].rowid, 98);
	assert_int_equal(p.row[2].rowid, 100);
	assert_int_equal(browse_inv_page(b, BROWSE_AT, 50, 2, &p, &err), 2);
	assert_int_equal(p.row[0].rowid, 50);
	assert_int_equal(browse_inv_page(b, BROWSE_AFTER, 98, 10, &p, &err), 2);
	assert_int_equal(browse_inv_page(b, BROWSE_AFTER, 100, 10, &p, &err), 0);
	assert_int_equal(browse_inv_page(b, BROWSE_BEFORE, 1, 10, &p, &err), 0);
	/* Findings counted per row: 7 violates r.zombie; 8 is unknown. */
	assert_int_equal(browse_inv_page(b, BROWSE_AT, 7, 2, &p, &err), 2);
	assert_int_equal(p.row[0].violated, 1);
	assert_int_equal(p.row[0].unknown, 0);
	assert_int_equal(p.row[1].violated, 0);
	assert_int_equal(p.row[1].unknown, 1);
	assert_no_busy_statement();
	browse_page_release(&p);
	browse_inv_free(b);
}

static void counts_and_ranks(void **state)
{
	struct browse_inv *b = apps();
	struct zj_error err;

	(void)state;
	assert_int_equal(browse_inv_count(b, &err), NROWS);
	assert_int_equal(browse_inv_rank(b, 1, &err), 0);
	assert_int_equal(browse_inv_rank(b, 50, &err), 49);
	assert_int_equal(browse_inv_rank(b, 1000, &err), NROWS);
	assert_no_busy_statement();
	browse_inv_free(b);
}

static void filters_literally(void **state)
{
	struct browse_inv *b = apps();
	struct browse_page p = { 0 };
	struct zj_error err;

	(void)state;
	assert_int_equal(browse_inv_filter(b, "教育", &err), 0);
	assert_string_equal(browse_inv_filter_text(b), "教育");
	assert_int_equal(browse_inv_count(b, &err), 10);
	assert_int_equal(browse_inv_page(b, BROWSE_FIRST, 0, 3, &p, &err), 3);
	assert_int_equal(p.row[0].rowid, 10);
	assert_int_equal(p.row[2].rowid, 30);
	assert_int_equal(browse_inv_page(b, BROWSE_LAST, 0, 2, &p, &err), 2);
	assert_int_equal(p.row[1].rowid, 100);
	assert_int_equal(browse_inv_rank(b, 30, &err), 2);
	/* ASCII in any case; % and _ are text, not wildcards. */
	assert_int_equal(browse_inv_filter(b, "a-05", &err), 0);
	assert_int_equal(browse_inv_count(b, &err), 10);	/* A-050 … A-059 */
	assert_int_equal(browse_inv_filter(b, "0%_", &err), 0);
	assert_int_equal(browse_inv_count(b, &err), 1);
	assert_int_equal(browse_inv_page(b, BROWSE_FIRST, 0, 5, &p, &err), 1);
	assert_int_equal(p.row[0].rowid, 55);
	assert_int_equal(browse_inv_filter(b, "%", &err), 0);
	assert_int_equal(browse_inv_count(b, &err), 1);
	/* Host unit too. */
	assert_int_equal(browse_inv_filter(b, "UNIT 2", &err), 0);
	assert_int_equal(browse_inv_count(b, &err), 33);
	assert_int_equal(browse_inv_filter(b, "", &err), 0);
	assert_null(browse_inv_filter_text(b));
	assert_int_equal(browse_inv_count(b, &err), NROWS);
	assert_no_busy_statement();
	browse_page_release(&p);
	browse_inv_free(b);
}

static void sees_a_concurrent_writer(void **state)
{
	struct browse_inv *b = apps();
	struct browse_page p = { 0 };
	struct zj_error err;
	sqlite3 *other;

	(void)state;
	assert_int_equal(browse_inv_page(b, BROWSE_LAST, 0, 5, &p, &err), 5);
	/* Another process imports while the page is on the screen: its
	 * commit must not wait for us, and the next page shows its rows. */
	assert_int_equal(store_open(&other, path, &err), 0);
	sqlite3_busy_timeout(other, 0);
	assert_int_equal(sqlite3_exec(other, "INSERT INTO inv_apps (rowid, id, name, host_unit, batch)"
				      " VALUES (101, 'A-101', '新增', 'u', 1)", NULL, NULL, NULL), SQLITE_OK);
	store_close(other);
	assert_int_equal(browse_inv_count(b, &err), NROWS + 1);
	assert_int_equal(browse_inv_page(b, BROWSE_AFTER, 100, 5, &p, &err), 1);
	assert_string_equal(p.row[0].cell[1], "新增");
	exec("DELETE FROM inv_apps WHERE rowid = 101");
	browse_page_release(&p);
	browse_inv_free(b);
}

static void loads_a_record(void **state)
{
	const struct inventory *inv = inventory_get(INV_APPS);
	struct browse_record r;
	struct zj_error err;

	(void)state;
	assert_int_equal(browse_record_load(db, INV_APPS, 8, &r, &err), 1);
	assert_string_equal(r.value[inventory_find_column(inv, "id")], "A-008");
	assert_string_equal(r.value[inventory_find_column(inv, "monthly_active_users")], "80");
	assert_null(r.value[inventory_find_column(inv, "status")]);
	assert_null(r.value[inventory_find_column(inv, "in_plan")]);
	assert_string_equal(r.file, "apps.csv");
	assert_int_equal(r.src_line, 9);
	browse_record_release(&r);
	assert_int_equal(browse_record_load(db, INV_APPS, 4242, &r, &err), 0);
	assert_no_busy_statement();
}

static void decodes_a_subjects_findings(void **state)
{
	struct browse_rules rules;
	struct browse_finding *f;
	struct zj_error err;
	size_t n;

	(void)state;
	assert_int_equal(browse_rules_load(db, &rules, &err), 0);
	assert_int_equal(rules.n, 3);
	assert_string_equal(rules.v[0].id, "r.plan");	/* article order */
	assert_string_equal(rules.v[1].id, "r.zombie");
	assert_string_equal(rules.v[2].id, "r.acc");
	assert_int_equal(rules.v[1].sev, SEV_HIGH);
	/* 67: violates r.zombie only. */
	assert_int_equal(browse_subject_findings(db, &rules, INV_APPS, 67, &f, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rules.v[f[0].rule].id, "r.zombie");
	assert_int_equal(f[0].violated, 1);
	assert_string_equal(f[0].message, "zombie");
	assert_string_equal(f[0].subject_id, "A-067");
	browse_findings_free(f, n);
	free(f);
	/* 8: r.plan unknown, naming the empty column by its header. */
	assert_int_equal(browse_subject_findings(db, &rules, INV_APPS, 8, &f, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(f[0].violated, 0);
	assert_non_null(strstr(f[0].message, "纳入信息化规划"));
	browse_findings_free(f, n);
	free(f);
	/* 2: nothing. */
	assert_int_equal(browse_subject_findings(db, &rules, INV_APPS, 2, &f, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_null(f);
	assert_no_busy_statement();
	browse_rules_release(&rules);
}

static void pages_findings(void **state)
{
	struct browse_ffilter all = { 0, -1, -1, 0 };
	struct browse_finding f[50];
	struct browse_rules rules;
	struct browse_fkey k;
	struct zj_error err;
	int n;

	(void)state;
	assert_int_equal(browse_rules_load(db, &rules, &err), 0);
	/* r.plan: 35 (10 violated + 25 unknown), then r.zombie: 5. */
	assert_int_equal(browse_findings_count(&rules, &all), 40);
	n = browse_findings_page(db, &rules, &all, BROWSE_FIRST, NULL, 30, f, &err);
	assert_int_equal(n, 30);
	assert_string_equal(rules.v[f[0].rule].id, "r.plan");
	assert_int_equal(f[0].subject, 1);
	assert_int_equal(f[1].subject, 4);
	for (int i = 1; i < n; i++)
		assert_true(f[i].rule > f[i - 1].rule ||
			    (f[i].rule == f[i - 1].rule && f[i].subject > f[i - 1].subject));
	k = (struct browse_fkey){ f[29].rule, f[29].subject };
	browse_findings_free(f, (size_t)n);
	/* Across the rule boundary: 5 more of r.plan, then r.zombie's 5. */
	n = browse_findings_page(db, &rules, &all, BROWSE_AFTER, &k, 20, f, &err);
	assert_int_equal(n, 10);
	assert_string_equal(rules.v[f[5].rule].id, "r.zombie");
	assert_int_equal(f[5].subject, 7);
	assert_int_equal(f[9].subject, 87);
	k = (struct browse_fkey){ f[5].rule, f[5].subject };
	browse_findings_free(f, (size_t)n);
	assert_int_equal(browse_findings_rank(db, &rules, &all, &k, &err), 35);
	n = browse_findings_page(db, &rules, &all, BROWSE_BEFORE, &k, 3, f, &err);
	assert_int_equal(n, 3);
	assert_string_equal(rules.v[f[2].rule].id, "r.plan");
	assert_int_equal(f[2].subject, 100);
	assert_int_equal(f[0].subject, 92);
	browse_findings_free(f, (size_t)n);
	n = browse_findings_page(db, &rules, &all, BROWSE_LAST, NULL, 2, f, &err);
	assert_int_equal(n, 2);
	assert_int_equal(f[1].subject, 87);
	browse_findings_free(f, (size_t)n);
	n = browse_findings_page(db, &rules, &all, BROWSE_AT, &k, 1, f, &err);
	assert_int_equal(n, 1);
	assert_int_equal(f[0].subject, 7);
	browse_findings_free(f, (size_t)n);

	/* Filters: state, severity, article, inventory. */
	{
		struct browse_ffilter viol = { 0, -1, -1, 1 }, unk = { 0, -1, -1, 2 };
		struct browse_ffilter high = { 0, -1, SEV_HIGH, 0 }, art3 = { 3, -1, -1, 0 };
		struct browse_ffilter accounts = { 0, INV_ACCOUNTS, -1, 0 };

		assert_int_equal(browse_findings_count(&rules, &viol), 15);
		n = browse_findings_page(db, &rules, &viol, BROWSE_FIRST, NULL, 50, f, &err);
		assert_int_equal(n, 15);
		for (int i = 0; i < n; i++)
			assert_int_equal(f[i].violated, 1);
		browse_findings_free(f, (size_t)n);
		assert_int_equal(browse_findings_count(&rules, &unk), 25);
		n = browse_findings_page(db, &rules, &unk, BROWSE_FIRST, NULL, 50, f, &err);
		assert_int_equal(n, 25);
		assert_int_equal(f[0].violated, 0);
		browse_findings_free(f, (size_t)n);
		assert_int_equal(browse_findings_count(&rules, &high), 5);
		assert_int_equal(browse_findings_count(&rules, &art3), 35);
		assert_int_equal(browse_findings_count(&rules, &accounts), 0);
		assert_int_equal(browse_findings_page(db, &rules, &accounts, BROWSE_FIRST, NULL, 50, f, &err), 0);
	}
	assert_no_busy_statement();
	browse_rules_release(&rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pages_by_keyset),
		cmocka_unit_test(counts_and_ranks),
		cmocka_unit_test(filters_literally),
		cmocka_unit_test(sees_a_concurrent_writer),
		cmocka_unit_test(loads_a_record),
		cmocka_unit_test(decodes_a_subjects_findings),
		cmocka_unit_test(pages_findings),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
