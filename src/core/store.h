/*
 * store.h: the workspace, one SQLite file.
 *
 * WAL, foreign keys on, a busy timeout, `PRAGMA application_id` marks the
 * file as ours and `PRAGMA user_version` is the schema version; forward
 * migrations run on open.  Every write a user makes is one transaction
 * (store_begin / store_commit / store_rollback).  The caller owns the handle
 * and closes it with store_close.
 */
#ifndef ZJ_STORE_H
#define ZJ_STORE_H

#include <sqlite3.h>

#include "util/err.h"

#define STORE_APPLICATION_ID 0x7a6a6961	/* "zjia" */
#define STORE_SCHEMA_VERSION 7
#define STORE_BUSY_TIMEOUT_MS 30000

/* The workspace path: `explicit` if not NULL, else $ZHIJIAN_DB, else
 * "zhijian.db" in the current directory.  Static or caller storage. */
const char *store_default_path(const char *explicit_path);

/* Creates a new workspace with the current schema; fails if path exists.
 * On failure nothing is left behind. */
int store_create(sqlite3 **db, const char *path, struct zj_error *err);

/* Opens an existing workspace read-write (migrating it forward), or fails
 * with a message that says how to create one. */
int store_open(sqlite3 **db, const char *path, struct zj_error *err);

void store_close(sqlite3 *db);

/* Deletes a workspace file with its -wal and -shm companions (close it
 * first). */
void store_remove(const char *path);

/* Creates the current schema's tables in db (a new workspace, or a scratch
 * database that must look like one). */
int store_schema(sqlite3 *db, struct zj_error *err);

int store_exec(sqlite3 *db, const char *sql, struct zj_error *err);
/* BEGIN IMMEDIATE: takes the write lock up front so a concurrent writer
 * waits on the busy timeout instead of failing half-way. */
int store_begin(sqlite3 *db, struct zj_error *err);
int store_commit(sqlite3 *db, struct zj_error *err);
void store_rollback(sqlite3 *db);

/* Fills err with "what: sqlite message" and returns -1. */
int store_error(sqlite3 *db, struct zj_error *err, const char *what);

/* The OS user name for records; static storage. */
const char *store_user(void);
/* Current UTC time as "2026-06-30T12:00:00Z" into buf[21]. */
void store_now(char buf[21]);

/* The first column of the first row of a fixed query as an integer; -1
 * if it fails, returns no row or NULL.  (Also used, read-only, on a
 * submission received from below: only fixed queries, never its text.) */
long long store_scalar(sqlite3 *db, const char *sql);

/* For a front end that reads a screenful at a time (the TUI): wait(ctx,
 * count) is called while another process holds the write lock, returning 0
 * to give up, and the page cache is sized for screens, not for import and
 * score.  store_interactive_end puts the busy timeout back. */
void store_interactive(sqlite3 *db, int (*wait)(void *ctx, int count), void *ctx);
void store_interactive_end(sqlite3 *db);

/* Key/value metadata (table meta): value is malloc'd, NULL if unset. */
char *store_meta_get(sqlite3 *db, const char *key);
int store_meta_set(sqlite3 *db, const char *key, const char *value, struct zj_error *err);

#endif
