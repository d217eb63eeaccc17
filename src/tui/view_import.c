/* The import screen: an inventory file as `zhijian import --dry-run` sees
 * it (its sheet, where its header was found, each column with the contract
 * column it was matched to and how, the first rows as they will be stored),
 * where the inspector fixes a match or maps a value, saves the mapping for
 * the next file of the same shape, and imports.
 *
 * Everything is core's: import_run with no database reads and matches the
 * file (nothing is stored), import_save_map writes the mapping.  The
 * inspector's fixes are kept as a map file of their own (in a private
 * temporary directory) that every re-read passes as --map would, so what
 * the screen previews is exactly what the import will do. */
#include "tui/app.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/import.h"
#include "core/inventory.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/utf8.h"

#define IMP_PREVIEW 8		/* rows previewed */
#define IMP_MAX_VALUES 200	/* value mappings one screen keeps */

struct imp {
	char *path;
	enum inv_kind kind;
	char *sheet;			/* NULL: the first with a header */
	char **sheets;			/* the workbook's, as the first read found them */
	size_t nsheets;
	char tmpdir[1024];		/* the fixes' map file lives here */
	char *tmpmap;			/* NULL until the first fix */
	char *values[IMP_MAX_VALUES];	/* "KEY VALUE = TEXT" */
	size_t nvalues;
	struct import_result res;
	int rc;				/* import_run's answer on the last read */
	char problem[ZJ_ERROR_MAX];	/* a problem with the file as a whole */
	size_t sel, top;		/* the selected column, the first shown */
	int picking;			/* choosing the contract column for sel */
	size_t pick_sel, pick_top;
};

static struct imp *pending;	/* set by tui_import_file for open() */

static const char *how_word(enum colmap_how how)
{
	switch (how) {
	case MATCH_MAP: return _("by the map");
	case MATCH_ALIAS: return _("alias");
	case MATCH_NORMALIZED: return _("normalised");
	case MATCH_EXACT: return _("exact");
	default: return "";
	}
}

/* Re-reads the file with the fixes so far; the screen shows the outcome,
 * a problem with the file included (then the columns are the best header
 * candidate, for fixing the matches that are missing). */
static void imp_read(struct imp *s)
{
	struct import_opts o = {
		.path = s->path, .kind = s->kind, .sheet = s->sheet, .map = s->tmpmap, .preview = IMP_PREVIEW,
	};
	struct zj_error err = { 0 };

	import_result_release(&s->res);
	memset(&s->res, 0, sizeof(s->res));
	s->problem[0] = '\0';
	s->rc = import_run(NULL, &o, &s->res, &err);
	if (!s->sheets && s->res.nsheets && (s->sheets = calloc(s->res.nsheets, sizeof(*s->sheets)))) {
		for (size_t i = 0; i < s->res.nsheets; i++)
			if ((s->sheets[i] = strdup(s->res.sheets[i])))
				s->nsheets = i + 1;
			else
				break;
	}
	if (s->rc < 0)
		snprintf(s->problem, sizeof(s->problem), "%s", err.msg);
	if (s->sel >= s->res.ncolumns)
		s->sel = s->res.ncolumns ? s->res.ncolumns - 1 : 0;
}

/* Writes the fixes (the columns as now matched, col of column `fix`
 * replaced by `col` when fix is not SIZE_MAX) into the private map, then
 * re-reads.  -1 with a message when the map cannot be written. */
static int imp_apply(struct app *app, struct imp *s, size_t fix, int col)
{
	struct import_column *cols = s->res.columns;
	struct zj_error err = { 0 };
	int old = 0;
	enum colmap_how old_how = MATCH_NONE;

	if (!s->tmpmap) {
		const char *td = getenv("TMPDIR");

		if (!td || !*td)
			td = "/tmp";
		int e = 0;

		if ((size_t)snprintf(s->tmpdir, sizeof(s->tmpdir), "%s/zhijian-map.XXXXXX", td) >= sizeof(s->tmpdir))
			e = ENAMETOOLONG;
		else if (!mkdtemp(s->tmpdir))
			e = errno;
		if (e) {
			tui_error(app, _("cannot make a temporary directory: %s"), strerror(e));
			s->tmpdir[0] = '\0';
			return -1;
		}
		if (!(s->tmpmap = malloc(strlen(s->tmpdir) + 16))) {
			tui_error(app, "%s", _("out of memory"));
			return -1;
		}
		sprintf(s->tmpmap, "%s/fixes.zjm", s->tmpdir);
	}
	if (fix != SIZE_MAX) {
		old = cols[fix].col;
		old_how = cols[fix].how;
		cols[fix].col = col;
		cols[fix].how = MATCH_MAP;
	}
	if (import_save_map(s->tmpmap, s->kind, cols, s->res.ncolumns, s->values, s->nvalues, &err) < 0) {
		if (fix != SIZE_MAX)
			cols[fix].col = old, cols[fix].how = old_how;
		tui_error(app, "%s", err.msg);
		return -1;
	}
	imp_read(s);
	return 0;
}

static void imp_free(struct imp *s)
{
	if (!s)
		return;
	import_result_release(&s->res);
	if (s->tmpmap) {
		unlink(s->tmpmap);
		rmdir(s->tmpdir);
	}
	for (size_t i = 0; i < s->nvalues; i++)
		free(s->values[i]);
	for (size_t i = 0; i < s->nsheets; i++)
		free(s->sheets[i]);
	free(s->sheets);
	free(s->tmpmap);
	free(s->path);
	free(s->sheet);
	free(s);
}

static int import_open(struct app *app, struct view *v)
{
	(void)app;
	if (!pending)
		return -1;
	v->state = pending;
	pending = NULL;
	return 0;
}

static void import_done(struct app *app, struct view *v)
{
	(void)app;
	imp_free(v->state);
	v->state = NULL;
}

static void import_reload(struct app *app, struct view *v)
{
	(void)app;
	if (v->state)
		imp_read(v->state);
}

/* What column c was matched to, as the table shows it. */
static void match_text(const struct inventory *inv, const struct import_column *c, char *buf, size_t size)
{
	if (c->reason)
		snprintf(buf, size, "%s", _("our own reasons column: ignored"));
	else if (c->blank)
		snprintf(buf, size, "%s", _("no header: kept as extra data if it holds anything"));
	else if (c->col >= 0)
		snprintf(buf, size, "%s (%s)", inv->cols[c->col].header, inv->cols[c->col].key);
	else if (c->suggest >= 0)
		snprintf(buf, size, _("not in the contract; may be '%s' (%s)"), inv->cols[c->suggest].header,
			 inv->cols[c->suggest].key);
	else
		snprintf(buf, size, "%s", _("not in the contract: kept as extra data"));
}

/* "apps.xlsx (xlsx) · sheet '摸排表' (2 in the workbook…)", and on a line
 * of its own where the header was found. */
static void where_read(const struct imp *s, struct strbuf *b, struct strbuf *h)
{
	const struct import_result *r = &s->res;

	if (r->format)
		sb_addf(b, " (%s)", r->format);
	if (!r->sheet && s->sheet)
		sb_addf(b, _(" · sheet '%s' (%zu in the workbook; s for the next)"), s->sheet, s->nsheets);
	else if (r->sheet)
		sb_addf(b, _(" · sheet '%s' (%zu in the workbook; s for the next)"), r->sheet, s->nsheets);
	if (r->header_row)
		sb_addf(h, r->sheet ? _("header on row %ld") : _("header on line %ld"), r->header_row);
	if (r->header_row && r->skipped_above)
		sb_addf(h, _(" (titles and groups above it skipped: %ld)"), r->skipped_above);
}

static void draw_picker(struct app *app, struct imp *s, int top, int height)
{
	const struct inventory *inv = inventory_get(s->kind);
	size_t n = inv->ncols;
	int rows = height - 1;

	int chinese = i18n_chinese_labels(), nw = 0, hrows;
	char head[256];

	/* The heading over two rows when one is too narrow: its end says
	 * how to go back. */
	snprintf(head, sizeof(head), _("The contract column for this file column (%s chooses, %s goes back)"),
		 tui_key_first(KM_IMPORT, REQ_ENTER), tui_key_first(KM_IMPORT, REQ_BACK));
	hrows = (int)utf8_width(head) > app->cols - 2 && height > 4 ? 2 : 1;
	for (int r = 0; r < hrows; r++)
		tui_fill(top + r, 0, app->cols, app->attr[AT_HEADER]);
	tui_wrapped(top, 1, head, app->cols - 2, 0, hrows, app->attr[AT_HEADER]);
	top += hrows - 1;
	rows -= hrows - 1;
	if (rows < 1)
		return;
	/* Each column by its name in the UI's language first: the contract's
	 * Chinese header under zh_CN, its key (the map file's word) else. */
	for (size_t i = 0; i < n; i++) {
		int w = (int)utf8_width(chinese ? inv->cols[i].header : inv->cols[i].key);

		nw = w > nw ? w : nw;
	}
	if (s->pick_sel < s->pick_top)
		s->pick_top = s->pick_sel;
	if (s->pick_sel >= s->pick_top + (size_t)rows)
		s->pick_top = s->pick_sel - (size_t)rows + 1;
	for (int y = 0; y < rows && s->pick_top + (size_t)y < n; y++) {
		size_t i = s->pick_top + (size_t)y;
		attr_t at = i == s->pick_sel ? app->attr[AT_SELECT] : app->attr[AT_NORMAL];
		char line[256];

		const char *first = chinese ? inv->cols[i].header : inv->cols[i].key;
		const char *second = chinese ? inv->cols[i].key : inv->cols[i].header;
		int fw = (int)utf8_width(first);

		snprintf(line, sizeof(line), "%s%*s  %s", first, nw > fw ? nw - fw : 0, "", second);
		tui_fill(top + 1 + y, 0, app->cols, at);
		tui_text(top + 1 + y, 2, line, app->cols - 3, at);
	}
}

static void import_draw(struct app *app, struct view *v, int top, int height)
{
	struct imp *s = v->state;
	const struct inventory *inv = inventory_get(s->kind);
	struct tui_col cols[] = {
		{ _("Col"), 3, 4, 0, 0, 0, 0 },
		{ _("File header"), 8, 24, 2, 0, 0, 0 },
		{ _("Contract column"), 10, 48, 4, 0, 0, 0 },
		{ _("How"), 4, 10, 1, 0, 1, 0 },
	};
	size_t ncol = sizeof(cols) / sizeof(cols[0]);
	struct strbuf b = { 0 }, h = { 0 };
	int y = top, list_h, prev_h;

	if (s->picking) {
		draw_picker(app, s, top, height);
		return;
	}
	sb_addf(&b, "%s", s->path);
	where_read(s, &b, &h);
	tui_text(y++, 1, b.p ? b.p : "", app->cols - 2, app->attr[AT_BOLD]);
	if (h.p)
		tui_text(y++, 1, h.p, app->cols - 2, app->attr[AT_NORMAL]);
	sb_release(&b);
	sb_release(&h);
	/* What is wrong, or what the import will do, over two rows when one
	 * is too narrow ("43 columns matched, 1 k" at 60 columns). */
	if (s->problem[0]) {
		int n = tui_wrapped(y, 1, s->problem, app->cols - 2, 0, 2, app->attr[AT_ERROR]);

		y += n < 1 ? 1 : n > 2 ? 2 : n;
	} else {
		char line[256];
		int n;

		snprintf(line, sizeof(line), _("ready to import into %s: %zu columns matched, %zu kept as extra data"),
			 inventory_title_word(s->kind), s->res.ncolumns - s->res.nunknown, s->res.nunknown);
		n = tui_wrapped(y, 1, line, app->cols - 2, 0, 2, app->attr[AT_GOOD]);
		y += n < 1 ? 1 : n > 2 ? 2 : n;
	}
	prev_h = height / 3;
	if (prev_h > IMP_PREVIEW + 1)
		prev_h = IMP_PREVIEW + 1;
	list_h = top + height - y - prev_h - 1;
	if (list_h < 2)
		list_h = 2, prev_h = top + height - y - list_h - 1;

	/* Every column as wide as its title at least ("对应…" at 60). */
	for (size_t c = 0; c < ncol; c++)
		if (cols[c].min < (int)utf8_width(cols[c].title))
			cols[c].min = (int)utf8_width(cols[c].title);
	tui_table_layout(cols, ncol, app->cols);
	{
		const char *hdr[] = { cols[0].title, cols[1].title, cols[2].title, cols[3].title };

		tui_table_row(app, y++, cols, ncol, hdr, NULL, app->attr[AT_HEADER]);
	}
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + (size_t)list_h)
		s->top = s->sel - (size_t)list_h + 1;
	for (int r = 0; r < list_h && s->top + (size_t)r < s->res.ncolumns; r++) {
		size_t i = s->top + (size_t)r;
		const struct import_column *c = &s->res.columns[i];
		char match[320];
		const char *cells[4];
		attr_t cat[4] = { 0, 0, 0, 0 };

		match_text(inv, c, match, sizeof(match));
		cells[0] = c->letter;
		cells[1] = c->header ? c->header : "";
		cells[2] = match;
		cells[3] = c->col >= 0 ? how_word(c->how) : "";
		if (c->col < 0 && !c->blank && !c->reason)
			cat[2] = app->attr[AT_WARN];
		tui_table_row(app, y++, cols, ncol, cells, cat,
			      i == s->sel ? app->attr[AT_SELECT] : app->attr[AT_NORMAL]);
	}
	y = top + height - prev_h;
	if (prev_h < 2 || !s->res.ncolumns)
		return;
	{
		const struct import_column *c = &s->res.columns[s->sel];
		char line[512];

		tui_fill(y, 0, app->cols, app->attr[AT_HEADER]);
		snprintf(line, sizeof(line), _("The first rows as they will be stored: column %s"), c->letter);
		tui_text(y++, 1, line, app->cols - 2, app->attr[AT_HEADER]);
		for (size_t r = 0; r < s->res.npreview && (int)r < prev_h - 1; r++) {
			const struct import_preview *p = &s->res.preview[r];
			const char *stored = c->col >= 0 && (size_t)c->col < p->ncols ? p->stored[c->col] : NULL;
			const char *source = c->col >= 0 && (size_t)c->col < p->ncols ? p->source[c->col] : NULL;

			/* The row's value in this column, then its first problem
			 * (which may be another column's: the row is refused whole). */
			if (c->col < 0)
				snprintf(line, sizeof(line), "%-24s %s", p->where, _("(not stored in a contract column)"));
			else if (source && !stored && p->error)
				snprintf(line, sizeof(line), "%-24s %s", p->where, source);
			else if (source)
				snprintf(line, sizeof(line), "%-24s %s → %s", p->where, source, stored ? stored : _("(empty)"));
			else
				snprintf(line, sizeof(line), "%-24s %s", p->where, stored ? stored : _("(empty)"));
			if (p->error) {
				size_t l = strlen(line);

				snprintf(line + l, sizeof(line) - l, "  ✗ %s", p->error);
			}
			tui_text(y++, 1, line, app->cols - 2, p->error ? app->attr[AT_ERROR] : app->attr[AT_NORMAL]);
		}
	}
}

/* Adds "KEY VALUE = TEXT" for the selected column: the file's text, then
 * the contract value it means (for enumerated and yes/no columns). */
static void add_value_mapping(struct app *app, struct imp *s)
{
	const struct inventory *inv = inventory_get(s->kind);
	const struct import_column *c = &s->res.columns[s->sel];
	const struct inv_column *ic;
	struct tui_edit_opts eo = { .lines = 1, .max_chars = 100 };
	char *text = NULL, *value = NULL, *line;
	char title[256];

	if (c->col < 0) {
		tui_error(app, _("match this column to a contract column first (%s)"), tui_key_first(KM_IMPORT, REQ_ENTER));
		return;
	}
	ic = &inv->cols[c->col];
	if (ic->type != COL_ENUM && ic->type != COL_BOOL) {
		tui_error(app, _("'%s' takes any text: only enumerated and yes/no columns take value mappings"),
			  ic->header);
		return;
	}
	if (s->nvalues >= IMP_MAX_VALUES) {
		tui_error(app, "%s", _("too many value mappings on one screen; save them and start again"));
		return;
	}
	snprintf(title, sizeof(title), _("A value as the file writes it in '%s':"), c->header ? c->header : c->letter);
	eo.title = title;
	if (tui_edit(app, &eo, &text) != 1 || !text || !*text) {
		free(text);
		return;
	}
	if (ic->type == COL_BOOL) {
		int k = tui_ask_key(app, _("It means: 1 是 (yes), 2 否 (no), Esc cancels"));

		value = k == '1' ? strdup("是") : k == '2' ? strdup("否") : NULL;
	} else {
		struct strbuf q = { 0 };
		size_t n = 0;
		int k;

		for (const struct inv_enum_value *e = ic->values; e && e->value && n < 9; e++, n++)
			sb_addf(&q, "%zu %s  ", n + 1, e->value);
		sb_addf(&q, "%s", _("(Esc cancels)"));
		k = tui_ask_key(app, q.p ? q.p : "");
		sb_release(&q);
		if (k >= '1' && k < '1' + (int)n)
			value = strdup(ic->values[k - '1'].value);
	}
	if (!value) {
		free(text);
		return;
	}
	if (strchr(text, '|') || strchr(text, '#') || strchr(text, '=')) {
		tui_error(app, "%s", _("a value with '|', '#' or '=' cannot be mapped; change it in the file"));
		free(text), free(value);
		return;
	}
	if ((line = malloc(strlen(ic->key) + strlen(value) + strlen(text) + 8)))
		sprintf(line, "%s %s = %s", ic->key, value, text);
	free(text), free(value);
	if (!line) {
		tui_error(app, "%s", _("out of memory"));
		return;
	}
	s->values[s->nvalues++] = line;
	if (imp_apply(app, s, SIZE_MAX, 0) < 0) {
		free(s->values[--s->nvalues]);
		return;
	}
	tui_message(app, _("mapped: %s"), line);
}

/* Saves the mapping for the next file of the same shape. */
static void save_mapping(struct app *app, struct imp *s)
{
	struct tui_edit_opts eo = { .title = _("Save the mapping as (a map file for --map):"), .lines = 1,
				    .max_chars = 1024 };
	struct zj_error err = { 0 };
	char *def = malloc(strlen(s->path) + 8), *to = NULL, *dot;

	if (!def) {
		tui_error(app, "%s", _("out of memory"));
		return;
	}
	strcpy(def, s->path);
	if ((dot = strrchr(def, '.')) && !strchr(dot, '/'))
		*dot = '\0';
	strcat(def, ".zjm");
	eo.initial = def;
	if (tui_edit(app, &eo, &to) == 1 && to && *to) {
		if (import_save_map(to, s->kind, s->res.columns, s->res.ncolumns, s->values, s->nvalues, &err) < 0)
			tui_error(app, "%s", err.msg);
		else
			tui_message(app, _("saved the mapping to %s; use it with: zhijian import %s FILE --map %s"), to,
				    inventory_get(s->kind)->name, to);
	}
	free(to);
	free(def);
}

struct first_error {
	char msg[ZJ_ERROR_MAX];
	long long n;
};

static void on_error(void *ctx, const char *msg)
{
	struct first_error *fe = ctx;

	if (!fe->n++)
		snprintf(fe->msg, sizeof(fe->msg), "%s", msg);
}

static void do_import(struct app *app, struct imp *s)
{
	struct first_error fe = { .n = 0 };
	struct import_opts o = {
		.path = s->path, .kind = s->kind, .sheet = s->sheet, .map = s->tmpmap,
		.on_error = on_error, .ctx = &fe,
	};
	struct import_result res = { 0 };
	struct zj_error err = { 0 };
	char q[256];
	int rc, k;

	if (s->problem[0]) {
		tui_error(app, "%s", _("the file cannot be imported as it is matched; fix the matches first"));
		return;
	}
	snprintf(q, sizeof(q), _("Import %s into %s now? y/n"), s->path, inventory_title_word(s->kind));
	if ((k = tui_ask_key(app, q)) != 'y' && k != 'Y')
		return;
	tui_message(app, "%s", _("importing…"));
	tui_draw(app);
	doupdate();
	rc = import_run(app->db, &o, &res, &err);
	if (rc == IMPORT_OK) {
		tui_message(app, _("imported %lld rows (%lld new, %lld updated) into %s; the score is now out of date"),
			    res.rows, res.inserted, res.updated, inventory_title_word(s->kind));
		import_result_release(&res);
		tui_reload(app);
		return;
	}
	if (rc == IMPORT_INVALID)
		tui_error(app, _("%lld invalid rows, nothing imported; the first: %s"), fe.n, fe.msg);
	else
		tui_error(app, "%s", err.msg);
	import_result_release(&res);
}

/* The workbook's next sheet (after the one read, or the one asked for
 * when it could not be read), from the sheet list of the first read. */
static void next_sheet(struct app *app, struct imp *s)
{
	const char *cur = s->res.sheet ? s->res.sheet : s->sheet;
	size_t i = 0;
	char *name;

	if (s->nsheets < 2) {
		tui_message(app, "%s", _("the file has one sheet"));
		return;
	}
	for (; i < s->nsheets; i++)
		if (cur && !strcmp(s->sheets[i], cur))
			break;
	if (!(name = strdup(s->sheets[(i + 1) % s->nsheets])))
		return;
	free(s->sheet);
	s->sheet = name;
	s->sel = s->top = 0;
	imp_read(s);
}

static int import_key(struct app *app, struct view *v, enum request req, int key)
{
	struct imp *s = v->state;
	size_t n = s->picking ? inventory_get(s->kind)->ncols : s->res.ncolumns;
	size_t *sel = s->picking ? &s->pick_sel : &s->sel;
	size_t page = v->height > 6 ? (size_t)v->height - 6 : 1;

	(void)key;
	switch (req) {
	case REQ_UP: if (*sel) (*sel)--; return 1;
	case REQ_DOWN: if (*sel + 1 < n) (*sel)++; return 1;
	case REQ_PAGE_UP: *sel = *sel > page ? *sel - page : 0; return 1;
	case REQ_PAGE_DOWN: *sel = n && *sel + page < n ? *sel + page : (n ? n - 1 : 0); return 1;
	case REQ_FIRST: *sel = 0; return 1;
	case REQ_LAST: *sel = n ? n - 1 : 0; return 1;
	case REQ_ENTER:
		if (!s->res.ncolumns)
			return 1;
		if (!s->picking) {
			const struct import_column *c = &s->res.columns[s->sel];

			if (c->reason || c->blank || !c->header) {
				tui_error(app, "%s", _("this column has no header to match"));
				return 1;
			}
			s->picking = 1;
			s->pick_sel = c->col >= 0 ? (size_t)c->col : c->suggest >= 0 ? (size_t)c->suggest : 0;
			return 1;
		}
		s->picking = 0;
		if (imp_apply(app, s, s->sel, (int)s->pick_sel) == 0)
			tui_message(app, _("column %s now reads as %s"), s->res.columns[s->sel].letter,
				    inventory_get(s->kind)->cols[s->pick_sel].header);
		return 1;
	case REQ_BACK:
		if (s->picking) {
			s->picking = 0;
			return 1;
		}
		return 0;
	case REQ_IMPORT_VALUE: if (!s->picking && s->res.ncolumns) add_value_mapping(app, s); return 1;
	case REQ_IMPORT_SAVE_MAP: if (!s->picking) save_mapping(app, s); return 1;
	case REQ_IMPORT_NEXT_SHEET: if (!s->picking) next_sheet(app, s); return 1;
	case REQ_IMPORT_RUN: if (!s->picking) do_import(app, s); return 1;
	default: return 0;
	}
}

static void import_where(struct app *app, struct view *v, char *buf, size_t size)
{
	struct imp *s = v->state;

	(void)app;
	if (s->picking)
		snprintf(buf, size, "%zu/%zu", s->pick_sel + 1, inventory_get(s->kind)->ncols);
	else
		snprintf(buf, size, _("column %zu of %zu"), s->res.ncolumns ? s->sel + 1 : 0, s->res.ncolumns);
}

/* Choosing a contract column: the import keys do nothing there. */
static const struct tui_hint pick_hints = {
	N_("%s choose this column · %s back · %s help"),
	{ HINT_KEY(REQ_ENTER), HINT_KEY(REQ_BACK), HINT_KEY(REQ_HELP) },
};

static const struct tui_hint *import_mode_hints(struct app *app, struct view *v)
{
	const struct imp *s = v->state;

	(void)app;
	return s && s->picking ? &pick_hints : NULL;
}

const struct view_ops tui_import_ops = {
	.name = "import",
	.title = N_("Import a file"),
	/* Import first: a narrow line drops hints from the end, and it is
	 * the step the view is for. */
	.hints = { N_("%s import · %s match · %s map a value · %s save map · %s back · %s help"),
		   { HINT_KEY(REQ_IMPORT_RUN), HINT_KEY(REQ_ENTER), HINT_KEY(REQ_IMPORT_VALUE), HINT_KEY(REQ_IMPORT_SAVE_MAP), HINT_KEY(REQ_BACK),
		     HINT_KEY(REQ_HELP) } },
	.keymap = KM_IMPORT,
	.open = import_open,
	.draw = import_draw,
	.key = import_key,
	.reload = import_reload,
	.done = import_done,
	.where = import_where,
	.mode_hints = import_mode_hints,
};

/* Asks for a file and shows it on the import screen for inventory kind. */
void tui_import_file(struct app *app, int kind)
{
	struct tui_edit_opts eo = { .lines = 1, .max_chars = 4096 };
	struct imp *s;
	char *path = NULL;
	char title[160];

	if (kind < 0 || kind >= INV_COUNT)
		return;
	snprintf(title, sizeof(title), _("The file to import into %s (CSV, .xlsx or .xls):"),
		 inventory_title_word(kind));
	eo.title = title;
	if (tui_edit(app, &eo, &path) != 1 || !path || !*path) {
		free(path);
		return;
	}
	if (!(s = calloc(1, sizeof(*s)))) {
		free(path);
		tui_error(app, "%s", _("out of memory"));
		return;
	}
	s->path = path;
	s->kind = kind;
	imp_read(s);
	if (s->rc < 0 && !s->res.ncolumns) {
		/* Nothing to match: a file that cannot be read at all. */
		tui_error(app, "%s", s->problem);
		imp_free(s);
		return;
	}
	if (tui_view(app, VIEW_IMPORT)->opened) {
		struct view *v = tui_view(app, VIEW_IMPORT);

		imp_free(v->state);
		v->state = s;
		tui_show(app, VIEW_IMPORT);
		return;
	}
	pending = s;
	if (tui_show(app, VIEW_IMPORT) < 0) {
		imp_free(pending);
		pending = NULL;
	}
}
