#include "core/colmap.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/checklist.h"
#include "util/i18n.h"
#include "util/parse.h"
#include "util/utf8.h"

/* A map file is small: a line, and the whole file, are bounded. */
#define MAP_LINE_MAX 4096
#define MAP_ENTRIES_MAX 10000

static int is_space_cp(unsigned cp)
{
	return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x3000 ||
	       cp == 0xa0 || (cp >= 0x2000 && cp <= 0x200b) || cp == 0x202f ||
	       cp == 0x205f || cp == 0xfeff || cp == 0x85;
}

/* Full-width ASCII to ASCII; the other brackets offices use to '(' ')'. */
static unsigned fold_cp(unsigned cp)
{
	if (cp >= 0xff01 && cp <= 0xff5e)
		cp -= 0xfee0;
	switch (cp) {
	case '[': case '{': case 0x3010: case 0x3014: case 0x3016: case 0x3008:
		return '(';
	case ']': case '}': case 0x3011: case 0x3015: case 0x3017: case 0x3009:
		return ')';
	case 0xff1a:
		return ':';
	}
	return cp;
}

static size_t put_cp(char *out, size_t off, unsigned cp)
{
	if (cp < 0x80) {
		out[off] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[off] = (char)(0xc0 | cp >> 6);
		out[off + 1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[off] = (char)(0xe0 | cp >> 12);
		out[off + 1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[off + 2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[off] = (char)(0xf0 | cp >> 18);
	out[off + 1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[off + 2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[off + 3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Folds s into out: spaces dropped when drop_spaces (else only trimmed),
 * full-width folded, ASCII lower-cased; invalid bytes kept as they are. */
static size_t fold(const char *s, size_t len, char out[COLMAP_MAX_HEADER + 1],
		   int drop_spaces, int drop_underscore)
{
	size_t i = 0, o = 0, last_solid = 0;

	while (i < len) {
		unsigned cp;
		int n = utf8_decode(s + i, len - i, &cp);

		if (n < 0) {
			cp = (unsigned char)s[i];
			n = 1;
		}
		i += (size_t)n;
		if (is_space_cp(cp)) {
			if (drop_spaces || o == 0)
				continue;
			cp = ' ';
		} else {
			cp = fold_cp(cp);
		}
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		if (drop_underscore && cp == '_')
			continue;
		if (o + 4 > COLMAP_MAX_HEADER)
			break;
		o += put_cp(out, o, cp);
		if (cp != ' ')
			last_solid = o;
	}
	o = last_solid;
	out[o] = '\0';
	return o;
}

static int ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !memcmp(s + len - n, suffix, n);
}

size_t colmap_normalize(const char *s, size_t len, char out[COLMAP_MAX_HEADER + 1])
{
	size_t n = fold(s, len, out, 1, 1);
	int changed;

	do {
		changed = 0;
		/* A required-column marker: *编号, 编号*, ※编号 */
		while (n && out[n - 1] == '*') {
			n--;
			changed = 1;
		}
		while (n && out[0] == '*') {
			memmove(out, out + 1, n--);
			changed = 1;
		}
		if (ends_with(out, n, "\xe2\x80\xbb")) {
			n -= 3;
			changed = 1;
		}
		if (n >= 3 && !memcmp(out, "\xe2\x80\xbb", 3)) {
			memmove(out, out + 3, n - 2);
			n -= 3;
			changed = 1;
		}
		/* 名称: and 名称： (folded to ':') */
		while (n && out[n - 1] == ':') {
			n--;
			changed = 1;
		}
		/* A trailing remark: (是/否), (人), (YYYY-MM-DD), (必填) */
		if (n && out[n - 1] == ')') {
			size_t k = n - 1;
			int depth = 0;

			for (;;) {
				if (out[k] == ')')
					depth++;
				else if (out[k] == '(' && --depth == 0)
					break;
				if (k == 0)
					break;
				k--;
			}
			if (depth == 0 && k > 0) {
				n = k;
				changed = 1;
			}
		}
		out[n] = '\0';
	} while (changed && n);
	/* 是否纳入信息化规划 is 纳入信息化规划 */
	if (n > 6 && !memcmp(out, "\xe6\x98\xaf\xe5\x90\xa6", 6)) {
		memmove(out, out + 6, n - 5);
		n -= 6;
	}
	return n;
}

size_t colmap_normalize_value(const char *s, size_t len, char out[COLMAP_MAX_HEADER + 1])
{
	return fold(s, len, out, 0, 0);
}

static char *norm_dup(const char *s, size_t len)
{
	char buf[COLMAP_MAX_HEADER + 1];
	size_t n = colmap_normalize(s, len, buf);

	return strndup(buf, n);
}

int colmap_init(struct colmap *m, const struct inventory *inv, struct zj_error *err)
{
	memset(m, 0, sizeof(*m));
	m->inv = inv;
	m->contract_norm = calloc(inv->ncols, sizeof(char *));
	m->key_norm = calloc(inv->ncols, sizeof(char *));
	if (!m->contract_norm || !m->key_norm)
		goto nomem;
	for (size_t i = 0; i < inv->ncols; i++) {
		m->contract_norm[i] = norm_dup(inv->cols[i].header, strlen(inv->cols[i].header));
		m->key_norm[i] = norm_dup(inv->cols[i].key, strlen(inv->cols[i].key));
		if (!m->contract_norm[i] || !m->key_norm[i])
			goto nomem;
	}
	return 0;
nomem:
	colmap_free(m);
	return zj_err(err, "%s", _("out of memory"));
}

void colmap_free(struct colmap *m)
{
	if (m->inv) {
		for (size_t i = 0; i < m->inv->ncols; i++) {
			if (m->contract_norm)
				free(m->contract_norm[i]);
			if (m->key_norm)
				free(m->key_norm[i]);
		}
	}
	free(m->contract_norm);
	free(m->key_norm);
	for (size_t i = 0; i < m->nheaders; i++)
		free(m->headers[i].norm);
	for (size_t i = 0; i < m->nvalues; i++) {
		free(m->values[i].norm);
		free(m->values[i].value);
	}
	free(m->headers);
	free(m->values);
	for (size_t i = 0; i < m->nfiles; i++)
		free(m->files[i]);
	free(m->files);
	memset(m, 0, sizeof(*m));
}

/* The column whose key or Chinese header is name (normalised), or -1. */
static int contract_column(const struct inventory *inv, const char *name, size_t len)
{
	char want[COLMAP_MAX_HEADER + 1], have[COLMAP_MAX_HEADER + 1];

	colmap_normalize(name, len, want);
	for (size_t i = 0; i < inv->ncols; i++) {
		colmap_normalize(inv->cols[i].key, strlen(inv->cols[i].key), have);
		if (!strcmp(want, have))
			return (int)i;
		colmap_normalize(inv->cols[i].header, strlen(inv->cols[i].header), have);
		if (!strcmp(want, have))
			return (int)i;
	}
	return -1;
}

static int header_owner(const struct colmap *m, const char *norm, int from_map,
			const struct colmap_entry **e)
{
	for (size_t i = 0; i < m->nheaders; i++)
		if (m->headers[i].from_map == from_map && !strcmp(m->headers[i].norm, norm)) {
			*e = &m->headers[i];
			return m->headers[i].col;
		}
	return -1;
}

/* Is v[0..len) a value column c accepts (after any mapping)? */
static int value_fits(const struct inv_column *c, const char *v, size_t len)
{
	char date[11];
	long long n;
	int b;

	switch (c->type) {
	case COL_ENUM:
		return inventory_enum_value(c, v, len) != NULL;
	case COL_BOOL:
		return parse_bool(v, len, &b, NULL) == 1;
	case COL_INT:
		return parse_int(v, len, &n, NULL) == 1;
	case COL_DATE:
		return parse_date(v, len, date, NULL) == 1;
	default:
		return 1;
	}
}

static int push(struct colmap_entry **arr, size_t *n, struct colmap_entry e)
{
	struct colmap_entry *p = realloc(*arr, (*n + 1) * sizeof(*p));

	if (!p)
		return -1;
	p[*n] = e;
	*arr = p;
	(*n)++;
	return 0;
}

static char *trim_dup(const char *s, size_t len)
{
	const char *t;
	size_t tl;

	if (!parse_text(s, len, &t, &tl))
		return NULL;
	return strndup(t, tl);
}

/*
 * One line "COLUMN [VALUE] = A | B | …" of section inv (NULL: an inventory
 * that is not ours, checked and dropped).
 */
static int load_line(struct colmap *m, const struct inventory *inv, const char *file,
		     long line, char *s, int from_map, struct zj_error *err)
{
	char *eq = strchr(s, '='), *lhs, *sp, *value = NULL, *list;
	const struct inv_column *c;
	int col;

	if (!eq)
		return zj_err(err, _("%s:%ld: expected 'COLUMN = HEADER | HEADER' or 'COLUMN VALUE = VALUE | VALUE'"),
			      file, line);
	*eq = '\0';
	lhs = s;
	list = eq + 1;
	while (*lhs == ' ' || *lhs == '\t')
		lhs++;
	sp = lhs + strcspn(lhs, " \t");
	if (*sp) {
		*sp++ = '\0';
		value = trim_dup(sp, strlen(sp));
	}
	col = contract_column(inv, lhs, strlen(lhs));
	if (col < 0) {
		free(value);
		return zj_err(err, _("%s:%ld: '%s' is not a column of the %s inventory"), file, line, lhs, inv->name);
	}
	c = &inv->cols[col];
	if (value && !value_fits(c, value, strlen(value))) {
		zj_err(err, _("%s:%ld: '%s' is not a value that column '%s' (%s) accepts"),
		       file, line, value, c->header, c->key);
		free(value);
		return -1;
	}
	for (char *tok = list; tok;) {
		char *bar = strchr(tok, '|'), buf[COLMAP_MAX_HEADER + 1];
		struct colmap_entry e = { .col = col, .line = line, .from_map = from_map,
					  .file = m->files[m->nfiles - 1] };
		size_t n;

		if (bar)
			*bar = '\0';
		n = value ? colmap_normalize_value(tok, strlen(tok), buf) : colmap_normalize(tok, strlen(tok), buf);
		tok = bar ? bar + 1 : NULL;
		if (!n)
			continue;
		if (m->inv != inv)
			continue;	/* checked; another inventory's */
		if (m->nheaders + m->nvalues >= MAP_ENTRIES_MAX) {
			free(value);
			return zj_err(err, _("%s:%ld: more than %d entries"), file, line, MAP_ENTRIES_MAX);
		}
		if (!value) {
			const struct colmap_entry *other;
			int o = header_owner(m, buf, from_map, &other);

			if (o >= 0 && o != col) {
				zj_err(err, _("%s:%ld: '%s' is already an alias of '%s' (%s:%ld)"),
				       file, line, buf, inv->cols[o].header, other->file, other->line);
				return -1;
			}
			o = -1;
			for (size_t i = 0; i < inv->ncols && !from_map; i++)
				if (!strcmp(m->contract_norm[i], buf) || !strcmp(m->key_norm[i], buf))
					o = (int)i;
			if (o >= 0 && o != col)
				return zj_err(err, _("%s:%ld: '%s' is the header of column '%s' (%s)"),
					      file, line, buf, inv->cols[o].header, inv->cols[o].key);
			if (!(e.norm = strdup(buf)) || push(&m->headers, &m->nheaders, e) < 0) {
				free(e.norm);
				return zj_err(err, "%s", _("out of memory"));
			}
		} else {
			if (!(e.norm = strdup(buf)) || !(e.value = strdup(value)) ||
			    push(&m->values, &m->nvalues, e) < 0) {
				free(e.norm);
				free(e.value);
				free(value);
				return zj_err(err, "%s", _("out of memory"));
			}
		}
	}
	free(value);
	return 0;
}

int colmap_load(struct colmap *m, const char *path, int from_map, struct zj_error *err)
{
	const struct inventory *inv = m->inv;
	char line[MAP_LINE_MAX + 2];
	long lineno = 0;
	char **files;
	FILE *f;
	int rc = 0;

	f = fopen(path, "r");
	if (!f)
		return zj_err(err, _("cannot open '%s': %s"), path, strerror(errno));
	files = realloc(m->files, (m->nfiles + 1) * sizeof(*files));
	if (!files || !(files[m->nfiles] = strdup(path))) {
		if (files)
			m->files = files;
		fclose(f);
		return zj_err(err, "%s", _("out of memory"));
	}
	m->files = files;
	m->nfiles++;
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);
		char *s = line, *hash;

		lineno++;
		if (n > MAP_LINE_MAX && line[n - 1] != '\n') {
			rc = zj_err(err, _("%s:%ld: line longer than %d bytes"), path, lineno, MAP_LINE_MAX);
			break;
		}
		if (lineno == 1 && !memcmp(s, "\xef\xbb\xbf", 3))
			s += 3;
		if (!utf8_valid(s, strlen(s), NULL)) {
			rc = zj_err(err, _("%s:%ld: not valid UTF-8"), path, lineno);
			break;
		}
		if ((hash = strchr(s, '#')) != NULL)
			*hash = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		n = strlen(s);
		while (n && strchr(" \t\r\n", s[n - 1]))
			s[--n] = '\0';
		if (!n)
			continue;
		if (s[0] == '[') {
			char *close = strchr(s, ']');

			if (!close || close[1]) {
				rc = zj_err(err, _("%s:%ld: expected '[apps]', '[accounts]' or '[groups]'"), path, lineno);
				break;
			}
			*close = '\0';
			inv = inventory_by_name(s + 1);
			if (!inv) {
				rc = zj_err(err, _("%s:%ld: '%s' is not an inventory (apps, accounts, groups)"),
					    path, lineno, s + 1);
				break;
			}
			continue;
		}
		if ((rc = load_line(m, inv, path, lineno, s, from_map, err)) < 0)
			break;
	}
	if (!rc && ferror(f))
		rc = zj_err(err, _("cannot read '%s': %s"), path, strerror(errno));
	fclose(f);
	return rc;
}

const char *colmap_default_aliases(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("ZHIJIAN_ALIASES"), *cl;
	const char *slash;

	if (env)
		return env;	/* empty: no aliases */
	cl = checklist_default_path();
	if (!cl)
		return NULL;
	slash = strrchr(cl, '/');
	if (slash)
		snprintf(path, sizeof(path), "%.*s/aliases.zjm", (int)(slash - cl), cl);
	else
		snprintf(path, sizeof(path), "aliases.zjm");
	return access(path, R_OK) == 0 ? path : NULL;
}

int colmap_match(const struct colmap *m, const char *header, size_t len,
		 enum colmap_how *how, const struct colmap_entry **via)
{
	const struct inventory *inv = m->inv;
	char norm[COLMAP_MAX_HEADER + 1];
	const char *t;
	size_t tl;
	int col;

	*how = MATCH_NONE;
	*via = NULL;
	if (!parse_text(header, len, &t, &tl))
		return -1;
	colmap_normalize(t, tl, norm);
	if ((col = header_owner(m, norm, 1, via)) >= 0) {
		*how = MATCH_MAP;
		return col;
	}
	for (size_t i = 0; i < inv->ncols; i++)
		if ((strlen(inv->cols[i].header) == tl && !memcmp(inv->cols[i].header, t, tl)) ||
		    (strlen(inv->cols[i].key) == tl && !strncasecmp(inv->cols[i].key, t, tl))) {
			*how = MATCH_EXACT;
			return (int)i;
		}
	for (size_t i = 0; i < inv->ncols; i++)
		if (!strcmp(m->contract_norm[i], norm) || !strcmp(m->key_norm[i], norm)) {
			*how = MATCH_NORMALIZED;
			return (int)i;
		}
	if ((col = header_owner(m, norm, 0, via)) >= 0) {
		*how = MATCH_ALIAS;
		return col;
	}
	return -1;
}

const char *colmap_value(const struct colmap *m, int col, const char *s, size_t len)
{
	char norm[COLMAP_MAX_HEADER + 1];
	size_t n;
	int from_map;

	if (!m->nvalues || len > COLMAP_MAX_HEADER)
		return NULL;
	n = colmap_normalize_value(s, len, norm);
	if (!n)
		return NULL;
	/* The --map file's first. */
	for (from_map = 1; from_map >= 0; from_map--)
		for (size_t i = 0; i < m->nvalues; i++)
			if (m->values[i].col == col && m->values[i].from_map == from_map &&
			    !strcmp(m->values[i].norm, norm))
				return m->values[i].value;
	return NULL;
}

/* Code points of s, at most max of them. */
static size_t code_points(const char *s, unsigned *out, size_t max)
{
	size_t i = 0, n = 0, len = strlen(s);

	while (i < len && n < max) {
		int k = utf8_decode(s + i, len - i, &out[n]);

		if (k < 0) {
			out[n] = (unsigned char)s[i];
			k = 1;
		}
		i += (size_t)k;
		n++;
	}
	return n;
}

/* 2 × longest common subsequence / total length: 1 for equal strings. */
static double resemblance(const char *a, const char *b)
{
	unsigned ca[64], cb[64];
	size_t na = code_points(a, ca, 64), nb = code_points(b, cb, 64);
	unsigned short prev[65] = { 0 }, cur[65];

	if (!na || !nb)
		return 0;
	for (size_t i = 1; i <= na; i++) {
		cur[0] = 0;
		for (size_t j = 1; j <= nb; j++)
			cur[j] = ca[i - 1] == cb[j - 1] ? prev[j - 1] + 1 :
				 prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
		memcpy(prev, cur, sizeof(cur));
	}
	return 2.0 * prev[nb] / (double)(na + nb);
}

int colmap_suggest(const struct colmap *m, const char *header, size_t len,
		   const char **resembles)
{
	char norm[COLMAP_MAX_HEADER + 1];
	double best = 0.5;	/* below this, nothing is offered */
	int col = -1;

	*resembles = NULL;
	if (!colmap_normalize(header, len, norm))
		return -1;
	for (size_t i = 0; i < m->inv->ncols; i++) {
		double r = resemblance(norm, m->contract_norm[i]);

		if (r > best) {
			best = r;
			col = (int)i;
			*resembles = m->inv->cols[i].header;
		}
	}
	for (size_t i = 0; i < m->nheaders; i++) {
		double r = resemblance(norm, m->headers[i].norm);

		if (r > best) {
			best = r;
			col = m->headers[i].col;
			*resembles = m->headers[i].norm;
		}
	}
	return col;
}
