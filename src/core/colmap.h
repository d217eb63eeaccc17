/*
 * colmap.h: how a file's own headers and values are matched to the
 * inventory contract (DESIGN.md "Inventory contract").
 *
 * A header is compared after colmap_normalize(): all whitespace removed
 * (line breaks, full-width and no-break spaces), full-width ASCII and
 * brackets folded to half-width, ASCII lower-cased, '_' dropped, then a
 * leading 是否, '*' markers, a trailing ':'/'：' and trailing bracketed
 * remarks ("（是/否）", "(个)", "【必填】") dropped.  It matches a column's
 * Chinese header, its English key, or an alias.
 *
 * Aliases and value mappings are data, in files of one format (zhijian(1),
 * "MAP FILES"): the aliases file beside the checklist (every import), and a
 * --map file (one import, ahead of everything else):
 *
 *	[apps]
 *	name = 应用名称 | 程序名称
 *	status 运行 = 在用 | 使用中
 *
 * Lines before any [section] belong to the inventory being imported.  A
 * struct colmap holds the entries of one inventory; everything it returns
 * is owned by it, valid until colmap_free.
 */
#ifndef ZJ_COLMAP_H
#define ZJ_COLMAP_H

#include <stddef.h>

#include "core/inventory.h"
#include "util/err.h"

/* How a header was matched, strongest first. */
enum colmap_how {
	MATCH_NONE,
	MATCH_MAP,		/* the --map file */
	MATCH_EXACT,		/* the Chinese header or the key as written */
	MATCH_NORMALIZED,	/* the same after normalisation */
	MATCH_ALIAS,		/* the aliases file */
};

struct colmap_entry {
	int col;		/* index into inv->cols */
	char *norm;		/* normalised header, or the value as compared */
	char *value;		/* value mappings: what the file's value means */
	const char *file;	/* where it was defined (owned by the map) */
	long line;
	int from_map;		/* from the --map file, not the aliases file */
};

struct colmap {
	const struct inventory *inv;
	struct colmap_entry *headers, *values;
	size_t nheaders, nvalues;
	char **files;		/* the files loaded, for messages */
	size_t nfiles;
	char **contract_norm;	/* normalised Chinese header per column */
	char **key_norm;	/* normalised key per column */
};

/* The longest normalised header kept; longer ones are cut (at a character). */
#define COLMAP_MAX_HEADER 256

/* Normalises s[0..len) into out (NUL-terminated, at most COLMAP_MAX_HEADER
 * bytes); returns its length. */
size_t colmap_normalize(const char *s, size_t len, char out[COLMAP_MAX_HEADER + 1]);

/* Normalises a value for a value mapping: trimmed, full-width ASCII folded,
 * ASCII lower-cased. */
size_t colmap_normalize_value(const char *s, size_t len, char out[COLMAP_MAX_HEADER + 1]);

/* An empty map for inv (the contract's own headers and keys). */
int colmap_init(struct colmap *m, const struct inventory *inv, struct zj_error *err);

/*
 * Adds the entries of a map or aliases file: its sections for other
 * inventories are checked but not kept.  from_map gives them precedence
 * over the contract itself.  Errors: "FILE:LINE: why" (an unknown section
 * or column, a value that the column would not accept, an alias given to
 * two columns), or "cannot open 'FILE': why".
 */
int colmap_load(struct colmap *m, const char *path, int from_map, struct zj_error *err);

/* The aliases file: $ZHIJIAN_ALIASES (set and empty: "", none), else
 * aliases.zjm beside the default checklist; NULL when there is none
 * (static storage). */
const char *colmap_default_aliases(void);

/* The column a header matches (-1 for none) and how; *via is the file and
 * line of the alias or mapping used, or NULL.  header need not be trimmed. */
int colmap_match(const struct colmap *m, const char *header, size_t len,
		 enum colmap_how *how, const struct colmap_entry **via);

/* What the value s[0..len) of column col means by a value mapping, or
 * NULL when none applies. */
const char *colmap_value(const struct colmap *m, int col, const char *s, size_t len);

/*
 * The known header closest to an unmatched one, for "'应用名' may be '名称'
 * (name)": the column (-1 if nothing is close enough) and the header or
 * alias text it resembles most (owned by the map, or static).
 */
int colmap_suggest(const struct colmap *m, const char *header, size_t len,
		   const char **resembles);

void colmap_free(struct colmap *m);

#endif
