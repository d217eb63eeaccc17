#include "core/store.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/inventory.h"
#include "core/rollup.h"
#include "util/i18n.h"

/* Schema version 1.  Each later version appends one migration; never edit a
 * released one. */
static const char schema_v1[] =
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
	"CREATE TABLE workspace ("
	" id INTEGER PRIMARY KEY CHECK (id = 1),"
	" assessment_id TEXT NOT NULL,"
	" unit TEXT NOT NULL,"
	" level TEXT NOT NULL CHECK (level IN ('unit','county','city','province','central')),"
	" code TEXT, as_of TEXT NOT NULL, period TEXT,"
	" checklist_id TEXT NOT NULL, checklist_version TEXT,"
	" checklist_sha256 TEXT NOT NULL, checklist_text TEXT NOT NULL, checklist_file TEXT,"
	" created_at TEXT NOT NULL, created_by TEXT);"
	"CREATE TABLE answers ("
	" item TEXT PRIMARY KEY,"
	" verdict TEXT NOT NULL CHECK (verdict IN ('compliant','partial','noncompliant','na')),"
	" note TEXT, reason TEXT, proposed TEXT,"
	" answered_at TEXT NOT NULL, answered_by TEXT);"
	"CREATE TABLE imports ("
	" batch INTEGER PRIMARY KEY, inventory TEXT NOT NULL, file TEXT NOT NULL,"
	" sha256 TEXT, encoding TEXT, rows INTEGER, inserted INTEGER, updated INTEGER,"
	" rejected INTEGER, replaced INTEGER, unknown_columns TEXT,"
	" at TEXT NOT NULL, by TEXT);"
	"CREATE TABLE score_runs ("
	" run INTEGER PRIMARY KEY, as_of TEXT NOT NULL, at TEXT NOT NULL, by TEXT,"
	" checklist_sha256 TEXT, last_batch INTEGER);"
	/* The rules as evaluated by the last score run: findings refer to them
	 * by (inventory, bit), so listing never needs the checklist file. */
	"CREATE TABLE rules ("
	" id TEXT PRIMARY KEY, inventory INTEGER NOT NULL, bit INTEGER NOT NULL,"
	" article INTEGER NOT NULL, severity TEXT NOT NULL, title TEXT, message TEXT,"
	" measure TEXT, method TEXT NOT NULL DEFAULT 'sql', reads INTEGER NOT NULL DEFAULT 0,"
	" checked INTEGER NOT NULL DEFAULT 0, violated INTEGER NOT NULL DEFAULT 0,"
	" unknown INTEGER NOT NULL DEFAULT 0, UNIQUE (inventory, bit));"
	/* One row per subject with any finding: bit i of violated/unknown is
	 * the rule with that bit.  Bitmasks keep a million-row score to one
	 * insert per subject; `zhijian findings` expands them. */
	"CREATE TABLE findings ("
	" inventory INTEGER NOT NULL, subject INTEGER NOT NULL,"
	" violated INTEGER NOT NULL, unknown INTEGER NOT NULL,"
	" nulls INTEGER NOT NULL DEFAULT 0, peer INTEGER, peer_reasons INTEGER,"
	" PRIMARY KEY (inventory, subject)) WITHOUT ROWID;"
	"CREATE TABLE proposals ("
	" item TEXT PRIMARY KEY, verdict TEXT, checked INTEGER, violated INTEGER,"
	" unknown INTEGER, basis TEXT);"
	"CREATE TABLE article_stats ("
	" article INTEGER PRIMARY KEY, checked INTEGER, violated INTEGER, unknown INTEGER);";


/* Version 2: the rectification ledger (整改台账) and the audit log.
 *
 * A rectification targets a finding (a subject's violations of one article,
 * or of one rule), a check item, or an article; `article` is always set so
 * the ledger can be read article by article.  Subjects are named by their
 * inventory id, which survives re-imports and --replace.  Every change is
 * an event; evidence files are recorded with their SHA-256 at the time.
 *
 * The audit log is append-only by convention and checked by its chain: each
 * row's hash covers the previous row's hash and its own fields, so a row
 * changed or deleted behind the tool's back breaks `zhijian log --verify`. */
static const char migration_v2[] =
	"CREATE TABLE rectifications ("
	" id INTEGER PRIMARY KEY,"
	" target TEXT NOT NULL CHECK (target IN ('finding','item','article')),"
	" inventory INTEGER, subject_id TEXT, rule TEXT, item TEXT,"
	" article INTEGER NOT NULL,"
	" measure TEXT NOT NULL, unit TEXT, owner TEXT, deadline TEXT,"
	" status TEXT NOT NULL DEFAULT 'pending'"
	"  CHECK (status IN ('pending','in_progress','done','verified','cancelled')),"
	" cancel_reason TEXT,"
	" ready INTEGER NOT NULL DEFAULT 0,"	/* the last score no longer finds it */
	" created_at TEXT NOT NULL, created_by TEXT, updated_at TEXT NOT NULL);"
	"CREATE INDEX rectifications_target ON rectifications (target, inventory, subject_id, article);"
	"CREATE TABLE rect_events ("
	" id INTEGER PRIMARY KEY,"
	" rect INTEGER NOT NULL REFERENCES rectifications (id),"
	" at TEXT NOT NULL, by TEXT, kind TEXT NOT NULL,"
	" from_status TEXT, to_status TEXT, text TEXT);"
	"CREATE INDEX rect_events_rect ON rect_events (rect);"
	"CREATE TABLE rect_evidence ("
	" id INTEGER PRIMARY KEY,"
	" rect INTEGER NOT NULL REFERENCES rectifications (id),"
	" path TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER,"
	" added_at TEXT NOT NULL, added_by TEXT);"
	/* high-severity violations per item, for "gain if fixed" */
	"ALTER TABLE proposals ADD COLUMN high_violated INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE audit ("
	" seq INTEGER PRIMARY KEY,"
	" at TEXT NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL, summary TEXT NOT NULL,"
	" prev TEXT NOT NULL, hash TEXT NOT NULL);";

/* Version 3: the roll-up.  A higher level records every file it
 * receives: accepted, rejected (with the reason) or superseded (by a newer
 * one from the same unit and period).  An accepted file keeps its verified
 * embedded data, so this level's own submission can carry it upward and any
 * number can be traced back to the unit file it came from.  The merged_*
 * columns add the submitter's own figures to everything it had merged
 * itself, so they sum over every unit below. */
static const char migration_v3[] =
	"CREATE TABLE expected_units ("
	" unit TEXT PRIMARY KEY, code TEXT, level TEXT, added_at TEXT NOT NULL);"
	"CREATE TABLE submissions ("
	" id INTEGER PRIMARY KEY,"
	" file TEXT NOT NULL, file_sha256 TEXT NOT NULL, file_size INTEGER,"
	" received_at TEXT NOT NULL, received_by TEXT,"
	" status TEXT NOT NULL CHECK (status IN ('accepted','superseded','rejected')),"
	" reason TEXT,"
	" unit TEXT, code TEXT, level TEXT, period TEXT, assessment_id TEXT, as_of TEXT,"
	" checklist_id TEXT, checklist_sha256 TEXT,"
	" total REAL, grade TEXT, violated INTEGER, unknown INTEGER,"
	" rectifications INTEGER, overdue INTEGER,"
	" merged_units INTEGER, merged_violated INTEGER, merged_unknown INTEGER,"
	" merged_rectifications INTEGER, merged_overdue INTEGER,"
	" signer TEXT, signer_fingerprint TEXT, signed_at TEXT, signature_status TEXT,"
	" data BLOB);"
	"CREATE INDEX submissions_unit ON submissions (unit, period, status);"
	/* Per accepted submission and article: violated findings and how
	 * many units violate it, over everything below (summed again at each
	 * level), so the articles most often violated can be told at the
	 * central office without the unit files. */
	"CREATE TABLE received_articles ("
	" submission INTEGER NOT NULL REFERENCES submissions (id), article INTEGER NOT NULL,"
	" score REAL, violated INTEGER NOT NULL, units_violating INTEGER NOT NULL,"
	" PRIMARY KEY (submission, article));";

/* Version 4: what is needed to judge a file from below as of its receipt
 * (issue 12).  Per received file: the submission's own generated_at (so
 * --replace only moves forward in time), the CA that issued the signer's
 * certificate and that certificate's end of validity, and the receiver's
 * reason when it accepted a certificate that had expired by the time of
 * receipt.  An expected unit may be bound to the CA that certifies it
 * (its O, or its certificate's SHA-256 fingerprint). */
static const char migration_v4[] =
	"ALTER TABLE submissions ADD COLUMN generated_at TEXT;"
	"ALTER TABLE submissions ADD COLUMN issuer TEXT;"
	"ALTER TABLE submissions ADD COLUMN issuer_fingerprint TEXT;"
	"ALTER TABLE submissions ADD COLUMN signer_not_after TEXT;"
	"ALTER TABLE submissions ADD COLUMN override_reason TEXT;"
	"ALTER TABLE expected_units ADD COLUMN issuer TEXT;";

/* Version 5: the report as an official document (公文).  The workspace
 * names the level it reports to (主送机关), and keeps the inspector's own
 * words for the four sections of the report's body (基本情况, 主要问题,
 * 整改情况, 下一步工作打算).  A section without a row is printed as the
 * text generated from the data; generated_sha256 is the hash of that
 * generated text when the inspector saved theirs, so a report can tell
 * that the figures changed since the person wrote. */
static const char migration_v5[] =
	"ALTER TABLE workspace ADD COLUMN parent TEXT;"
	"CREATE TABLE narratives ("
	" section TEXT PRIMARY KEY CHECK (section IN ('basic','problems','rectification','next')),"
	" text TEXT NOT NULL, generated_sha256 TEXT NOT NULL,"
	" updated_at TEXT NOT NULL, updated_by TEXT);";

/* Version 6: a refusal's reason as a code with its arguments (so it is
 * said in the reader's language, core/rollup.h rollup_reason), and the
 * deadlines of an accepted unit's open rectifications ("2026-09-30*3;…"),
 * so its overdue ones are counted against today, not the day it reported. */
static const char migration_v6[] =
	"ALTER TABLE submissions ADD COLUMN reason_code TEXT;"
	"ALTER TABLE submissions ADD COLUMN reason_args TEXT;"
	"ALTER TABLE submissions ADD COLUMN open_deadlines TEXT;"
	"UPDATE submissions SET reason_code = 'superseded', reason_args = substr(reason, 16)"
	" WHERE status = 'superseded' AND reason LIKE 'superseded by #%';";

/* Version 7: rules that say what the articles say.  Each rule as scored
 * records its campaign problem type (过多过滥, 多头填报, 建设不规范, 功能异化),
 * its basis and where the basis comes from (the article's text or the
 * campaign), whether its violations make the 空壳/僵尸 list, and the columns
 * of its contradiction test; a finding records which of its unknowns are
 * contradictions rather than empty cells, and the app of another unit a
 * cross-unit duplicate resembles (peer_across).  The inventories gain the
 * qualifier and status columns of DESIGN.md (add_inventory_columns). */
static const char migration_v7[] =
	"ALTER TABLE rules ADD COLUMN type TEXT;"
	"ALTER TABLE rules ADD COLUMN basis TEXT;"
	"ALTER TABLE rules ADD COLUMN source TEXT;"
	"ALTER TABLE rules ADD COLUMN zombie INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE rules ADD COLUMN conflict_reads INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE rules ADD COLUMN conflicts INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE findings ADD COLUMN conflicts INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE findings ADD COLUMN peer_across INTEGER;"
	/* Per accepted submission and problem type, summed over everything
	 * below as received_articles is. */
	"CREATE TABLE received_types ("
	" submission INTEGER NOT NULL REFERENCES submissions (id), type TEXT NOT NULL,"
	" violated INTEGER NOT NULL, unknown INTEGER NOT NULL, rectifications INTEGER NOT NULL,"
	" units_violating INTEGER NOT NULL, PRIMARY KEY (submission, type));";

/* migrations[i] takes a workspace from version i + 1 to i + 2. */
static const char *const migrations[] = { migration_v2, migration_v3, migration_v4, migration_v5,
					    migration_v6, migration_v7 };
#define NMIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

/* Adds the contract columns an inventory table of an older workspace lacks
 * (new columns are appended; rules and imports name columns, never rely on
 * their order).  A new workspace's tables already have them all. */
static int add_inventory_columns(sqlite3 *db, struct zj_error *err)
{
	for (int k = 0; k < INV_COUNT; k++) {
		const struct inventory *inv = inventory_get((enum inv_kind)k);

		for (size_t c = 0; c < inv->ncols; c++) {
			const struct inv_column *col = &inv->cols[c];
			sqlite3_stmt *st;
			char *sql = sqlite3_mprintf("SELECT 1 FROM pragma_table_info(%Q) WHERE name = %Q",
						    inv->table, col->key);
			int have;

			if (!sql || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
				sqlite3_free(sql);
				return store_error(db, err, _("cannot read the inventory schema"));
			}
			sqlite3_free(sql);
			have = sqlite3_step(st) == SQLITE_ROW;
			sqlite3_finalize(st);
			if (have)
				continue;
			sql = sqlite3_mprintf("ALTER TABLE %s ADD COLUMN %s %s", inv->table, col->key,
					      col->type == COL_INT || col->type == COL_BOOL ? "INTEGER" : "TEXT");
			if (!sql)
				return zj_err(err, "%s", _("out of memory"));
			if (store_exec(db, sql, err) < 0) {
				sqlite3_free(sql);
				return -1;
			}
			sqlite3_free(sql);
		}
	}
	return 0;
}

/* hooks[i], if set, runs after migrations[i], in its transaction. */
static int (*const hooks[NMIGRATIONS])(sqlite3 *, struct zj_error *) = {
	[5] = add_inventory_columns,
};

int store_schema(sqlite3 *db, struct zj_error *err)
{
	if (store_exec(db, schema_v1, err) < 0)
		return -1;
	for (size_t i = 0; i < NMIGRATIONS; i++)
		if (store_exec(db, migrations[i], err) < 0)
			return -1;
	for (int k = 0; k < INV_COUNT; k++)
		if (store_exec(db, inventory_ddl(inventory_get((enum inv_kind)k)), err) < 0)
			return -1;
	return 0;
}

static int migrate(sqlite3 *db, int from, struct zj_error *err)
{
	char sql[64];

	for (int v = from; v < STORE_SCHEMA_VERSION; v++) {
		if (store_exec(db, "BEGIN IMMEDIATE", err) < 0)
			return -1;
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (store_exec(db, migrations[v - 1], err) < 0 ||
		    (hooks[v - 1] && hooks[v - 1](db, err) < 0) || store_exec(db, sql, err) < 0) {
			store_rollback(db);
			return zj_err_prefix(err, _("cannot upgrade the workspace to schema version %d"), v + 1);
		}
		if (store_exec(db, "COMMIT", err) < 0) {
			store_rollback(db);
			return -1;
		}
	}
	return 0;
}

const char *store_default_path(const char *explicit_path)
{
	const char *env;

	if (explicit_path && *explicit_path)
		return explicit_path;
	env = getenv("ZHIJIAN_DB");
	if (env && *env)
		return env;
	return "zhijian.db";
}

int store_error(sqlite3 *db, struct zj_error *err, const char *what)
{
	int code = db ? sqlite3_errcode(db) & 0xff : SQLITE_NOMEM;
	const char *hint = "";

	/* Say what the person can do about it; the transaction that failed
	 * is rolled back by the caller, so nothing was half-stored. */
	if (code == SQLITE_FULL)
		hint = _(" (the disk holding the workspace is full: free some space and try again; nothing was stored)");
	else if (code == SQLITE_READONLY)
		hint = _(" (the workspace cannot be written: check its permissions and those of its directory)");
	else if (code == SQLITE_IOERR)
		hint = _(" (a read or write of the workspace failed: check the disk)");
	return zj_err(err, "%s: %s%s", what, db ? sqlite3_errmsg(db) : _("out of memory"), hint);
}

int store_exec(sqlite3 *db, const char *sql, struct zj_error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		zj_err(err, "%s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int store_begin(sqlite3 *db, struct zj_error *err)
{
	if (store_exec(db, "BEGIN IMMEDIATE", err) < 0)
		return zj_err_prefix(err, "%s", _("cannot start a transaction"));
	return 0;
}

int store_commit(sqlite3 *db, struct zj_error *err)
{
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		store_error(db, err, _("cannot commit"));
		store_rollback(db);
		return -1;
	}
	return 0;
}

void store_rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

/* Process-wide SQLite set-up, before the first connection: every zhijian
 * process uses its connection from one thread, so SQLite's own mutexes and
 * its allocation statistics (a mutex per malloc) are pure cost. */
static void store_global_init(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
}

static int configure(sqlite3 *db, struct zj_error *err)
{
	sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(db, 1);
	/* synchronous=NORMAL is crash-safe in WAL mode (a crash never
	 * corrupts; only the last commits before a power loss may roll back). */
	return store_exec(db,
			  "PRAGMA journal_mode = WAL;"
			  "PRAGMA synchronous = NORMAL;"
			  "PRAGMA foreign_keys = ON;"
			  "PRAGMA cache_size = -16384;"
			  "PRAGMA temp_store = FILE;",
			  err);
}

static int pragma_int(sqlite3 *db, const char *sql, int *out)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

int store_create(sqlite3 **out, const char *path, struct zj_error *err)
{
	struct stat sb;
	sqlite3 *db = NULL;
	char sql[128];

	*out = NULL;
	if (stat(path, &sb) == 0)
		return zj_err(err, _("workspace '%s' already exists; refusing to overwrite it"), path);
	if (errno != ENOENT)
		return zj_err(err, _("cannot create workspace '%s': %s"), path, strerror(errno));
	store_global_init();
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		zj_err(err, _("cannot create workspace '%s': %s"), path,
		       db ? sqlite3_errmsg(db) : _("out of memory"));
		sqlite3_close(db);
		unlink(path);
		return -1;
	}
	if (configure(db, err) < 0 || store_exec(db, "BEGIN IMMEDIATE", err) < 0 ||
	    store_schema(db, err) < 0)
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d; PRAGMA user_version = %d;",
		 STORE_APPLICATION_ID, STORE_SCHEMA_VERSION);
	if (store_exec(db, sql, err) < 0 || store_exec(db, "COMMIT", err) < 0)
		goto fail;
	rollup_sql_functions(db);
	*out = db;
	return 0;
fail:
	zj_err_prefix(err, _("cannot create workspace '%s'"), path);
	sqlite3_close(db);
	store_remove(path);
	return -1;
}

void store_remove(const char *path)
{
	char side[4096];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

int store_open(sqlite3 **out, const char *path, struct zj_error *err)
{
	struct stat sb;
	sqlite3 *db = NULL;
	int app = 0, version = 0;

	*out = NULL;
	if (stat(path, &sb) < 0) {
		if (errno == ENOENT)
			return zj_err(err, _("no workspace at '%s'; create one with 'zhijian init --unit NAME --level LEVEL'"), path);
		return zj_err(err, _("cannot open workspace '%s': %s"), path, strerror(errno));
	}
	if (S_ISDIR(sb.st_mode))
		return zj_err(err, _("cannot open workspace '%s': it is a directory"), path);
	/* SQLite writes its journal beside the workspace: both must be
	 * writable, and "unable to open database file" would not say so. */
	{
		char dir[4096];
		const char *slash = strrchr(path, '/');

		if (slash)
			snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path) + 1, path);
		else
			snprintf(dir, sizeof(dir), ".");
		if (access(path, R_OK | W_OK) < 0 || access(dir, W_OK | X_OK) < 0)
			return zj_err(err, _("cannot open workspace '%s' for writing: %s (zhijian records every change and keeps its journal beside the file; use a writable copy)"),
				      path, strerror(errno));
	}
	store_global_init();
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		zj_err(err, _("cannot open workspace '%s': %s"), path,
		       db ? sqlite3_errmsg(db) : _("out of memory"));
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
	if (pragma_int(db, "PRAGMA application_id", &app) < 0) {
		zj_err(err, _("cannot open workspace '%s': %s"), path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	if (app != STORE_APPLICATION_ID) {
		sqlite3_close(db);
		return zj_err(err, _("'%s' is not a zhijian workspace"), path);
	}
	if (configure(db, err) < 0 || pragma_int(db, "PRAGMA user_version", &version) < 0) {
		zj_err_prefix(err, _("cannot open workspace '%s'"), path);
		sqlite3_close(db);
		return -1;
	}
	if (version > STORE_SCHEMA_VERSION) {
		sqlite3_close(db);
		return zj_err(err, _("workspace '%s' has schema version %d, newer than this zhijian (%d); upgrade zhijian"),
			      path, version, STORE_SCHEMA_VERSION);
	}
	if (version < STORE_SCHEMA_VERSION && migrate(db, version, err) < 0) {
		zj_err_prefix(err, "%s", path);
		sqlite3_close(db);
		return -1;
	}
	if (rollup_sql_functions(db) < 0) {
		zj_err(err, _("cannot open workspace '%s': %s"), path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

void store_close(sqlite3 *db)
{
	if (db)
		sqlite3_close(db);
}

const char *store_user(void)
{
	static char name[64];
	struct passwd *pw;

	if (name[0])
		return name;
	pw = getpwuid(geteuid());
	snprintf(name, sizeof(name), "%s", pw ? pw->pw_name : getenv("USER") ? getenv("USER") : "unknown");
	return name;
}

void store_now(char buf[21])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

long long store_scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

char *store_meta_get(sqlite3 *db, const char *key)
{
	sqlite3_stmt *st;
	char *v = NULL;

	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

int store_meta_set(sqlite3 *db, const char *key, const char *value, struct zj_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot record metadata"));
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(db, err, _("cannot record metadata"));
}

void store_interactive(sqlite3 *db, int (*wait)(void *ctx, int count), void *ctx)
{
	sqlite3_busy_handler(db, wait, ctx);
	/* The store's 16 MiB page cache would only cost page faults while
	 * the dashboard counts a million rows, about a third of the first
	 * frame. */
	sqlite3_exec(db, "PRAGMA cache_size = -2048", NULL, NULL, NULL);
}

void store_interactive_end(sqlite3 *db)
{
	sqlite3_busy_handler(db, NULL, NULL);
	sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
}
