/*
 * libFuzzer target: the whole merge path after the signature — the reader
 * of the embedded SQLite (schema, every value, the counts), the roll-up's
 * judgement (levels, period, checklist, the total recomputed from the
 * verdicts, identity, expected units) and the one short transaction that
 * records it in a province workspace.  The signature itself is fuzzed by
 * fuzz_verify; here it is taken as verified, so every input reaches as far
 * as a signed hostile file could.
 *
 * A structure-aware mutator (LLVMFuzzerCustomMutator) changes the database
 * rather than its bytes: it opens the input as SQLite and sets a value of
 * a row to an edge case (NULL, ±INT64, ±Inf, 1e308, out-of-range scores,
 * text in numeric columns, escape sequences, long text), deletes or
 * duplicates rows, makes the counts consistent again (so the fuzzer gets
 * past the consistency checks), or now and then changes the schema (a
 * view, a trigger, an index, an extra table or column).  One time in eight
 * it leaves the work to libFuzzer's byte mutations.
 *
 * Invariants checked beyond "no crash": an accepted file has a total from 0
 * to 100 or none, and the workspace's sums stay within the format's bounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/assess.h"
#include "core/rollup.h"
#include "core/store.h"
#include "core/submission.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

static sqlite3 *ws_db;
static struct workspace ws;

static void setup(void)
{
	struct workspace_init wi = { .unit = "云岭省委网信办", .code = "530000", .as_of = "2026-06-30",
				     .period = "2026年度", .level = LEVEL_PROVINCE };
	struct zj_error err;
	char path[64];

	snprintf(path, sizeof(path), "/tmp/zhijian-fuzz-merge-%d.db", (int)getpid());
	store_remove(path);
	if (store_create(&ws_db, path, &err) < 0 || store_begin(ws_db, &err) < 0 ||
	    workspace_init(ws_db, &wi, checklist_default_path(), &err) < 0 || store_commit(ws_db, &err) < 0 ||
	    workspace_load(ws_db, &ws, &err) < 0) {
		fprintf(stderr, "fuzz_merge: cannot make the workspace: %s\n", err.msg);
		abort();
	}
	sqlite3_exec(ws_db, "PRAGMA synchronous = OFF", NULL, NULL, NULL);
	unlink(path);	/* the open connection keeps it */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned long long n;
	struct rollup_file f = { .path = "fuzz.pdf", .signature_ok = 1, .signature_status = "ok",
				 .signer = "fuzz", .signed_at = "2026-07-01 00:00:00 UTC",
				 .received_at = "2026-07-02T00:00:00Z" };
	struct rollup_outcome out;
	struct zj_error err;

	if (!ws_db)
		setup();
	snprintf(f.sha256, sizeof(f.sha256), "%064llx", ++n);
	f.size = (long long)size;
	f.data = data;
	f.len = size;
	if (rollup_receive(ws_db, &ws, &f, 1, &out, &err) < 0) {
		fprintf(stderr, "fuzz_merge: the workspace failed: %s\n", err.msg);
		abort();
	}
	if (out.accepted) {
		if (!(out.total == -1 || (out.total >= 0 && out.total <= 100)))
			abort();
		if (store_scalar(ws_db, "SELECT count(*) FROM submissions WHERE status = 'accepted' AND"
				 " (merged_units NOT BETWEEN 1 AND 2000000000000000 OR merged_violated < 0"
				 " OR merged_violated > 2000000000000000)") != 0)
			abort();
	}
	/* Start each input from the same workspace. */
	sqlite3_exec(ws_db, "DELETE FROM received_articles; DELETE FROM submissions; DELETE FROM audit;",
		     NULL, NULL, NULL);
	return 0;
}

/* ---- the mutator ---- */

static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 8) & 0xffffff;
}

static const char *const edge[] = {
	"NULL", "0", "1", "-1", "2", "100", "100.0001", "-0.0001", "9223372036854775807",
	"-9223372036854775808", "1000000000000000", "1000000000000001", "9e999", "-9e999", "1e308",
	"0.5", "'many'", "''", "x'00ff'", "'2026年度'", "'2025年度'", "'county'", "'province'", "'unit'",
	"'accepted'", "'rejected'", "'compliant'", "'na'", "'answer'", "'proposal'", "'apps'",
	"'\x1b[2K\raccepted as #1'", "'\xc2\x9b" "31m'", "'\xe2\x80\xae" "abc'", "'\xff\xfe'",
	"printf('%.*c', 5000, 'x')", "'云岭省委网信办'", "'530000'", "'2026-06-30'", "'2026-07-01T00:00:00Z'",
};

static const char *const schema_ops[] = {
	"DROP TABLE IF EXISTS articles; CREATE VIEW articles AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
	" SELECT i + 1 FROM n) SELECT i AS article, 1 AS part, NULL AS part_title, 't' AS title, 1.0 AS weight,"
	" NULL AS score, 0 AS checked, 0 AS violated, 0 AS unknown FROM n",
	"CREATE TRIGGER IF NOT EXISTS t AFTER INSERT ON meta BEGIN SELECT 1; END",
	"CREATE INDEX IF NOT EXISTS i ON subjects (subject_name)",
	"CREATE TABLE IF NOT EXISTS extra (x)",
	"ALTER TABLE assessment ADD COLUMN evil TEXT",
	"DROP VIEW IF EXISTS findings",
	"DROP TABLE IF EXISTS submissions",
};

/* Makes the assessment's counts agree with its items and rules again. */
static const char consistent[] =
	"UPDATE assessment SET items = (SELECT count(*) FROM items),"
	" answered = (SELECT count(*) FROM items WHERE source = 'answer'),"
	" pending = (SELECT count(*) FROM items WHERE source = 'proposal'),"
	" open = (SELECT count(*) FROM items WHERE verdict IS NULL),"
	" violated = (SELECT coalesce(sum(violated), 0) FROM rules),"
	" unknown = (SELECT coalesce(sum(unknown), 0) FROM rules);"
	"UPDATE assessment SET findings = violated + unknown, complete = (pending = 0 AND open = 0)";

static char *pick(sqlite3 *db, const char *sql, unsigned *s)
{
	sqlite3_stmt *st;
	char *names[64];
	int n = 0;
	char *r = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	while (n < 64 && sqlite3_step(st) == SQLITE_ROW)
		names[n++] = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (n)
		r = names[rnd(s) % (unsigned)n];
	for (int i = 0; i < n; i++)
		if (names[i] != r)
			free(names[i]);
	return r;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	unsigned s = seed;
	sqlite3 *db = NULL;
	unsigned char *img;
	sqlite3_int64 outlen = 0;
	unsigned char *out;
	char *table = NULL, *col = NULL, *sql = NULL;
	size_t rc = 0;
	unsigned op = rnd(&s) % 16;

	if (op == 0 || size < 512 || memcmp(data, "SQLite format 3", 16))
		return LLVMFuzzerMutate(data, size, max_size);
	if (sqlite3_open(":memory:", &db) != SQLITE_OK || !(img = sqlite3_malloc64(size)))
		goto raw;
	memcpy(img, data, size);
	if (sqlite3_deserialize(db, "main", img, (sqlite3_int64)size, (sqlite3_int64)size,
				SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) != SQLITE_OK)
		goto raw;
	sqlite3_exec(db, "PRAGMA writable_schema = OFF; PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
	table = pick(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name", &s);
	if (!table)
		goto raw;
	if (op == 1) {
		sql = sqlite3_mprintf("%s", schema_ops[rnd(&s) % (sizeof(schema_ops) / sizeof(schema_ops[0]))]);
	} else if (op == 2) {
		sql = sqlite3_mprintf("DELETE FROM \"%w\" WHERE rowid IN (SELECT rowid FROM \"%w\" ORDER BY random() LIMIT 1)",
				      table, table);
	} else if (op == 3) {
		sql = sqlite3_mprintf("INSERT OR IGNORE INTO \"%w\" SELECT * FROM \"%w\" ORDER BY random() LIMIT 1",
				      table, table);
	} else if (op == 4) {
		/* Consistent, and for this workspace's checklist, so the
		 * roll-up's own checks are reached. */
		sql = sqlite3_mprintf("%s; UPDATE assessment SET checklist_id = %Q, checklist_sha256 = %Q", consistent,
				      ws.cl ? ws.cl->id : "", ws.cl ? ws.cl->sha256 : "");
	} else {
		char *q = sqlite3_mprintf("SELECT name FROM pragma_table_info('%q')", table);

		col = q ? pick(db, q, &s) : NULL;
		sqlite3_free(q);
		if (!col)
			goto raw;
		sql = sqlite3_mprintf("UPDATE \"%w\" SET \"%w\" = %s WHERE rowid IN (SELECT rowid FROM \"%w\""
				      " LIMIT 1 OFFSET %u); %s", table, col,
				      edge[rnd(&s) % (sizeof(edge) / sizeof(edge[0]))], table, rnd(&s) % 8,
				      rnd(&s) % 2 ? consistent : "");
	}
	if (!sql)
		goto raw;
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	out = sqlite3_serialize(db, "main", &outlen, 0);
	if (out && outlen > 0 && (size_t)outlen <= max_size) {
		memcpy(data, out, (size_t)outlen);
		rc = (size_t)outlen;
	}
	sqlite3_free(out);
	if (rc)
		goto done;
raw:
	rc = LLVMFuzzerMutate(data, size, max_size);
done:
	sqlite3_free(sql);
	free(table);
	free(col);
	sqlite3_close(db);
	return rc;
}
