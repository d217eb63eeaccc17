/*
 * inventory.h: the three inventories of DESIGN.md as data.
 *
 * Each inventory (apps, accounts, groups) is a table inv_<name> in the
 * workspace whose columns are exactly the contract's English keys, so that
 * rule conditions in checklists/ read them by those names.  Besides them each
 * table has:
 *   rowid     INTEGER PRIMARY KEY (stable across re-imports of the same id)
 *   extra     JSON object of columns the contract does not know, kept as given
 *   batch     the import that last wrote the row (imports.batch)
 *   src_line  the line of that row in the file it came from
 * Everything here is static and owned by this module.
 */
#ifndef ZJ_INVENTORY_H
#define ZJ_INVENTORY_H

#include <stddef.h>

enum inv_kind { INV_APPS, INV_ACCOUNTS, INV_GROUPS, INV_COUNT };

enum col_type {
	COL_TEXT,	/* trimmed text, empty = NULL */
	COL_LIST,	/* ';'-separated text, stored as given (trimmed) */
	COL_ENUM,	/* one of col->values (or an alias), stored canonical */
	COL_DATE,	/* stored 'YYYY-MM-DD' */
	COL_INT,	/* non-negative whole number */
	COL_BOOL,	/* 1 / 0, empty = NULL = unknown */
	COL_FILING,	/* a filing number as text; 无 / 未备案 (none) stored as
			 * 无, empty = NULL = unknown */
};

struct inv_enum_value {
	const char *value;	/* canonical, as stored */
	const char *aliases;	/* '|'-separated accepted spellings (ASCII case-insensitive) */
};

struct inv_column {
	const char *key;	/* English key = SQL column name */
	const char *header;	/* Chinese header */
	enum col_type type;
	int required;
	const struct inv_enum_value *values;	/* COL_ENUM only, NULL-terminated */
};

struct inventory {
	enum inv_kind kind;
	const char *name;	/* "apps" */
	const char *table;	/* "inv_apps" */
	const char *title;	/* 政务应用程序 */
	const char *subject;	/* singular English noun for messages: "app" */
	const struct inv_column *cols;
	size_t ncols;
};

const struct inventory *inventory_get(enum inv_kind kind);
/* The reader's name for an inventory, as `status` and the TUI say it: the
 * contract's title (政务应用程序) under a Chinese catalogue, the CLI's name
 * (apps) else; "" for a kind out of range. */
const char *inventory_title_word(int kind);
/* By name ("apps", "accounts", "groups"), or NULL. */
const struct inventory *inventory_by_name(const char *name);
/* Index of the column whose key (ASCII case-insensitive) or Chinese header
 * equals the trimmed name, or -1. */
int inventory_find_column(const struct inventory *inv, const char *name);
/* Canonical enum value for s (trimmed, matched against values and aliases),
 * or NULL. */
const char *inventory_enum_value(const struct inv_column *col, const char *s, size_t len);
/* "运行, 停用, 已注销": the accepted values for messages; static buffer. */
const char *inventory_enum_list(const struct inv_column *col);
/* CREATE TABLE statement for the inventory; static storage. */
const char *inventory_ddl(const struct inventory *inv);

#endif
