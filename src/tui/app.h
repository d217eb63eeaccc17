/*
 * app.h: what the TUI's views share: the app state, the view table, the
 * drawing widgets and the modal editor.  Internal to src/tui/.
 *
 * The screen is one curses stdscr: row 0 is the title bar, the last row the
 * status line, the rows between belong to the view on top of the stack.
 * Every frame is drawn whole from the views' state (erase, draw, refresh);
 * curses sends only what changed.
 *
 * A view is a singleton with a small ops table, as tig's view_ops: open
 * (first time shown), draw, key (a request from keys.h, or the raw key for
 * text), reload (re-read the workspace) and done.  Adding a view is its
 * view_*.c with the ops, a line in VIEW_INFO below, and a REQ_VIEW_*
 * request with its help and key (keys.[ch]).
 */
#ifndef ZJ_TUI_APP_H
#define ZJ_TUI_APP_H

/* The wide-character curses API (get_wch, cchar_t) whatever the flags. */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stdarg.h>
#include <stdint.h>
#include <sqlite3.h>
#include <time.h>

#include "core/assess.h"
#include "util/fmt.h"
#include "tui/keys.h"

#define TUI_MIN_COLS 60
#define TUI_MIN_ROWS 20

/* The views, once: each is its id, its ops (defined in its view_*.c) and
 * the request that shows it (keys.h binds a key to that). */
#define VIEW_INFO(X) \
	X(DASHBOARD, tui_dashboard_ops, REQ_VIEW_DASHBOARD) \
	X(CHECKLIST, tui_checklist_ops, REQ_VIEW_CHECKLIST) \
	X(INVENTORY, tui_inventory_ops, REQ_VIEW_INVENTORY) \
	X(FINDINGS, tui_findings_ops, REQ_VIEW_FINDINGS) \
	X(LEDGER, tui_ledger_ops, REQ_VIEW_LEDGER) \
	X(SUBMISSIONS, tui_submissions_ops, REQ_VIEW_SUBMISSIONS) \
	X(IMPORT, tui_import_ops, REQ_NONE)	/* opened from the inventories, on a file */ \
	X(REPORT, tui_report_ops, REQ_VIEW_REPORT) \
	X(HELP, tui_help_ops, REQ_HELP)

enum view_id {
#define VIEW_ENUM(id, ops, req) VIEW_##id,
	VIEW_INFO(VIEW_ENUM)
#undef VIEW_ENUM
	VIEW_COUNT
};

struct app;
struct view;

struct view_ops {
	const char *name;	/* "checklist": internal, for the trace */
	const char *title;	/* N_(): the title bar */
	struct tui_hint hints;	/* the status line's reminder of the main keys */
	enum keymap keymap;
	/* Sets up v->state; -1 is fatal (the app shows the message and quits). */
	int (*open)(struct app *app, struct view *v);
	/* Draws rows [top, top + height) of the screen, all columns. */
	void (*draw)(struct app *app, struct view *v, int top, int height);
	/* Handles a request; 1 if handled, 0 to let the app handle it. */
	int (*key)(struct app *app, struct view *v, enum request req, int key);
	/* Re-reads what it shows from the workspace. */
	void (*reload)(struct app *app, struct view *v);
	/* Frees v->state. */
	void (*done)(struct app *app, struct view *v);
	/* Right side of the status line (position), into buf; may be NULL. */
	void (*where)(struct app *app, struct view *v, char *buf, size_t size);
	/* The status line's hint for what the view shows now, when a mode of
	 * it takes other keys than its list (a unit's file looked inside);
	 * NULL, or returning NULL: hints. */
	const struct tui_hint *(*mode_hints)(struct app *app, struct view *v);
};

struct view {
	const struct view_ops *ops;
	void *state;
	int opened;
	int height;		/* rows the view had at its last draw */
};

enum tui_attr {
	AT_NORMAL, AT_TITLE, AT_STATUS, AT_SELECT, AT_CURSOR_DIM, AT_HEADER, AT_BOLD, AT_DIM,
	AT_GOOD, AT_WARN, AT_BAD, AT_ERROR, AT_BAR, AT_BAR_EMPTY, AT_TAB, AT_TAB_ACTIVE, AT_COUNT
};

struct app {
	sqlite3 *db;
	const struct workspace *ws;
	const char *db_path;
	struct assessment a;		/* answers, proposals and scores; tui_reload re-reads */
	struct view views[VIEW_COUNT];
	enum view_id stack[VIEW_COUNT];	/* the views the user came through; top is current */
	int depth;
	int rows, cols;
	int colors;			/* 0: monochrome (no colours, or NO_COLOR) */
	attr_t attr[AT_COUNT];
	const char *vline, *bar_full, *bar_empty, *ellipsis;	/* box characters or ASCII */
	char msg[512];			/* status line message until the next key */
	int msg_error;
	int quit;
	int read_errors;		/* failed reads in a row: the terminal is gone */
	int busy_nowait;		/* writes that may be skipped do not wait for a lock */
	FILE *trace;			/* ZHIJIAN_TUI_TRACE */
	struct timespec t0;
};

/* ---- app.c ---- */
struct view *tui_view(struct app *app, enum view_id id);
/* Opens view id without showing it (a view another one changes); 0 or -1. */
int tui_view_open(struct app *app, enum view_id id);
/* Shows view id on top of the others (the dashboard: alone, as home). */
int tui_show(struct app *app, enum view_id id);
/* Re-reads the assessment and every opened view. */
void tui_reload(struct app *app);
/* Re-reads the assessment only (after an answer). */
void tui_reload_assessment(struct app *app);
/* Re-reads one view, if it was opened (after a change that concerns it). */
void tui_reload_view(struct app *app, enum view_id id);
/* Status line message (printf format), shown until the next key. */
void tui_message(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_error(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Draws a whole frame (views, title, status) without refreshing. */
void tui_draw(struct app *app);
/* Reads one key (see keys.h), handling resizes; -1 on error. */
int tui_read_key(struct app *app);
/* Restores the terminal, prints "zhijian: MESSAGE" and exits 1. */
void tui_die(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
/* Asks a one-key question on the status line; returns the key. */
int tui_ask_key(struct app *app, const char *prompt);
/* Accepts every unanswered proposal of article (0: of every article) after
 * asking once; returns 1 if any were recorded. */
int tui_confirm_proposals(struct app *app, int article);
/* Records an answer through core (one transaction) and reports it; 0 or -1. */
int tui_answer(struct app *app, const char *item, enum verdict v, const char *note, const char *reason);

/* ---- draw.c: widgets ---- */
/* Text at (y, x) cut to at most width columns, never half a wide character;
 * control characters and invalid bytes show as '?'.  Returns the columns
 * written. */
int tui_text(int y, int x, const char *s, int width, attr_t attr);
/* Text of " · "-separated pieces at (y, x) in width columns: too wide, its
 * separators close up ("·"), then whole pieces go from the end ("…"),
 * rather than a word be cut ("功能异化" read "功能异" at 60 columns); what
 * still does not fit is cut with "…".  Returns the columns written. */
int tui_text_fit(int y, int x, const char *s, int width, attr_t attr);
/* Exactly width columns: s padded, or cut with "…"; right-aligned if right. */
void tui_cell(int y, int x, const char *s, int width, int right, attr_t attr);
void tui_fill(int y, int x, int width, attr_t attr);
/* A horizontal bar for fraction 0..1 (negative: no value) in width columns. */
void tui_bar(struct app *app, int y, int x, int width, double fraction, attr_t fill);
/* A prompt's title on the status row, leaving at least keep columns after
 * it for what is typed (0 for a key prompt).  A title that does not fit
 * goes whole, wrapped, on the rows just above, never cut: at 60 columns
 * "要导入…的文件（CSV、.xlsx 或 .xls）：" lost its end on one line.
 * Returns the column of the status row where the input starts. */
int tui_prompt_title(struct app *app, const char *title, int keep);

/* Lines of text wrapped to a width by display columns: breaks between CJK
 * characters, at spaces between words, never inside a character, and keeps
 * closing punctuation (，。、） …) off the start of a line. */
struct tui_wrap {
	struct tui_wrap_line { size_t off, len; } *line;
	size_t n, cap;
};
int tui_wrap(struct tui_wrap *w, const char *s, int width);
void tui_wrap_release(struct tui_wrap *w);
/* Draws lines [first, first + height) of s wrapped to width; returns the
 * total number of lines. */
int tui_wrapped(int y, int x, const char *s, int width, int first, int height, attr_t attr);

struct tui_col {
	const char *title;	/* translated */
	int min, max;		/* display columns of the content */
	int weight;		/* share of the spare width; 0 = fixed at min */
	int right;		/* right-aligned (numbers) */
	int drop;		/* order in which columns are dropped when narrow: higher first; 0 never */
	int width;		/* computed by tui_table_layout; 0 = not shown */
};
/* Fits the columns into width columns (each cell has a space before it and
 * a separator after it). */
void tui_table_layout(struct tui_col *cols, size_t n, int width);
/* One row: cells[i] for column i (NULL shows nothing). */
void tui_table_row(struct app *app, int y, const struct tui_col *cols, size_t n,
		    const char *const *cells, const attr_t *cell_attr, attr_t attr);

/* A detail pane (the inventories' record, the ledger's history): lines of
 * a label with a text wrapped beside it, or headings across the pane.  A
 * label too wide for the label column (a fifth of the screen) gets a line
 * of its own.  The lines scroll as a whole. */
struct tui_pane {
	struct tui_pane_line {
		char *label, *text;
		attr_t attr;
		int heading;
	} *v;
	size_t n, cap;
	int oom;		/* a line could not be added */
};
/* Adds a copy of label and text (NULL: ""). */
void tui_pane_add(struct tui_pane *p, const char *label, const char *text, attr_t attr, int heading);
void tui_pane_release(struct tui_pane *p);
/* Draws rows [y, y + height) from line *top, clamping *top so the pane
 * never scrolls past its end.  Line sel (SIZE_MAX: none) is drawn
 * selected and, when *follow is set, scrolled into view (*follow is then
 * cleared; follow may be NULL).  Returns the pane line sel starts at. */
int tui_pane_draw(struct app *app, const struct tui_pane *p, int y, int height, int *top, size_t sel,
		  int *follow);

/* ---- edit.c: the modal line editor ---- */
struct tui_edit_opts {
	const char *title;	/* shown above the text */
	const char *initial;	/* text to start from, or NULL */
	int lines;		/* 1: one line on the status row; more: a box of that many lines */
	size_t max_chars;
};
/* Edits until Enter (returns 1, *out a malloc'd UTF-8 string) or Esc /
 * Ctrl-G (returns 0, *out NULL).  Chinese arrives from get_wch as wide
 * characters, whatever input method composed it. */
int tui_edit(struct app *app, const struct tui_edit_opts *o, char **out);

/* ---- the views ---- */
#define VIEW_OPS_DECL(id, ops, req) extern const struct view_ops ops;
VIEW_INFO(VIEW_OPS_DECL)
#undef VIEW_OPS_DECL

/* Cross-view moves. */
/* Asks for a file and opens it on the import screen for inventory kind. */
void tui_import_file(struct app *app, int kind);
void tui_walk_article(struct app *app, int article);
/* The item the walk is at (NULL before it was opened). */
const char *tui_walk_position(struct app *app);
void tui_findings_article(struct app *app, int article);
/* Opens the inventory at a subject; rule (may be NULL) is the finding it
 * was reached from, which + then rectifies without asking which. */
void tui_inventory_subject(struct app *app, int inv, long long rowid, const char *rule);
/* Creates a rectification of one subject's violations of one article, as
 * the selected finding (of rule rule_id) names them: the measure starts as
 * the rule's suggested one and is edited before saving; refused, with a
 * message, when a live rectification already covers them.  Returns the new
 * id, or 0 when nothing was created. */
long long tui_rectify_finding(struct app *app, int inv, const char *subject_id, const char *subject_name,
			      const char *rule_id, int article);

/* Small formatting helpers (app.c). */
const char *tui_part_number(int n);			/* 一 … 十 */
const char *tui_severity(enum severity s);		/* translated: "high" / 高 */

#endif
