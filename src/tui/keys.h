/*
 * keys.h: every key of the TUI in one table.
 *
 * Requests are one X-macro list (as tig's REQ_INFO); keys.c gives each its
 * help text (there, because xgettext reads only .c files) and binds keys to
 * them per keymap.  The dispatcher,
 * the help view and `zhijian tui --list-keys` all read the same table, so
 * the help cannot drift from what the keys do.
 *
 * Keys are ints: a character is its code point (control characters as
 * themselves, Enter as '\r', Backspace as 127); a curses function key is
 * KEY_FN(KEY_xxx), outside the range of code points.
 */
#ifndef ZJ_TUI_KEYS_H
#define ZJ_TUI_KEYS_H

#include <stdio.h>

#define KEY_FN(k) (0x1000000 | (k))
#define KEY_CTRL(c) ((c) & 0x1f)
#define KEY_ESC 27
#define KEY_RET '\r'
#define KEY_BS 127

/* Keymaps, in the order the help lists them.  A view's keymap is searched
 * first, then KM_GENERIC (except for the editor, which has only its own). */
#define KEYMAP_INFO(X) \
	X(GENERIC) \
	X(DASHBOARD) \
	X(CHECKLIST) \
	X(INVENTORY) \
	X(FINDINGS) \
	X(LEDGER) \
	X(IMPORT) \
	X(REPORT) \
	X(EDITOR)

enum keymap {
#define KM_ENUM(id) KM_##id,
	KEYMAP_INFO(KM_ENUM)
#undef KM_ENUM
	KM_COUNT
};

#define REQ_INFO(X) \
	/* movement, everywhere */ \
	X(UP) \
	X(DOWN) \
	X(PAGE_UP) \
	X(PAGE_DOWN) \
	X(FIRST) \
	X(LAST) \
	X(ENTER) \
	X(BACK) \
	X(QUIT) \
	X(HELP) \
	X(REFRESH) \
	X(REDRAW) \
	X(VIEW_DASHBOARD) \
	X(VIEW_CHECKLIST) \
	X(VIEW_INVENTORY) \
	X(VIEW_FINDINGS) \
	X(VIEW_LEDGER) \
	X(VIEW_SUBMISSIONS) \
	X(VIEW_REPORT) \
	/* checklist walk */ \
	X(VERDICT_COMPLIANT) \
	X(VERDICT_PARTIAL) \
	X(VERDICT_NONCOMPLIANT) \
	X(VERDICT_NA) \
	X(ACCEPT) \
	X(ACCEPT_ARTICLE) \
	X(ACCEPT_ALL) \
	X(NOTE) \
	X(REASON) \
	X(NEXT_ARTICLE) \
	X(PREV_ARTICLE) \
	X(NEXT_OPEN) \
	X(FULL_TEXT) \
	X(ARTICLE_FINDINGS) \
	X(FOCUS_LIST) \
	X(FOCUS_ITEMS) \
	/* inventories */ \
	X(NEXT_TAB) \
	X(PREV_TAB) \
	X(FILTER) \
	X(IMPORT_FILE) \
	/* findings */ \
	X(FILTER_ARTICLE) \
	X(CYCLE_INVENTORY) \
	X(CYCLE_SEVERITY) \
	X(CYCLE_STATE) \
	X(CLEAR_FILTERS) \
	X(RECTIFY) \
	/* the ledger */ \
	X(CYCLE_STATUS) \
	X(TOGGLE_OVERDUE) \
	X(STATUS_PENDING) \
	X(STATUS_IN_PROGRESS) \
	X(STATUS_DONE) \
	X(STATUS_VERIFIED) \
	X(STATUS_CANCELLED) \
	X(PROGRESS_NOTE) \
	X(SET_DEADLINE) \
	X(SET_OWNER) \
	X(SET_UNIT) \
	X(SET_MEASURE) \
	X(ADD_EVIDENCE) \
	/* the import screen */ \
	X(IMPORT_VALUE) \
	X(IMPORT_SAVE_MAP) \
	X(IMPORT_NEXT_SHEET) \
	X(IMPORT_RUN) \
	/* the report's body */ \
	X(PARA_EDIT) \
	X(PARA_ADD) \
	X(PARA_DELETE) \
	X(SECTION_EDITOR) \
	X(SECTION_RESET) \
	X(SECTION_CONFIRM) \
	/* the editor */ \
	X(EDIT_SAVE) \
	X(EDIT_CANCEL) \
	X(EDIT_LEFT) \
	X(EDIT_RIGHT) \
	X(EDIT_HOME) \
	X(EDIT_END) \
	X(EDIT_BACKSPACE) \
	X(EDIT_DELETE) \
	X(EDIT_KILL_START) \
	X(EDIT_KILL_END)

enum request {
	REQ_NONE,
#define REQ_ENUM(id) REQ_##id,
	REQ_INFO(REQ_ENUM)
#undef REQ_ENUM
	REQ_COUNT
};

struct binding {
	enum keymap map;
	enum request req;
	int key;
	const char *name;	/* "PgDn", "Ctrl-F", "q"; shown through tui_key_label.
				 * "line|Home": the editor's Home, apart for the
				 * translator (行首, where the lists' Home is 首行) */
};

/* The whole table, n entries, in help order. */
const struct binding *tui_keys_table(size_t *n);

/* The request bound to key in map (falling back to KM_GENERIC as said
 * above), or REQ_NONE. */
enum request tui_key_lookup(enum keymap map, int key);

/* What req does in map (the report's Tab is "next section"): untranslated
 * N_() text. */
const char *tui_request_help(enum keymap map, enum request req);
const char *tui_keymap_title(enum keymap map);	/* untranslated N_() text */

/* A key's name as the user reads it: a multi-letter name through the
 * catalogue (under zh_CN "PgDn" is 下页, "Up" ↑, "Enter" 回车), a key
 * printed on its cap (q, ?, Esc, Tab, F1, Ctrl-B) as it is.  name is a
 * binding's name; the result is static or name itself. */
const char *tui_key_label(const char *name);

/* The first key of req in map (then KM_GENERIC, as tui_key_lookup), as
 * tui_key_label gives it; "?" when none is bound. */
const char *tui_key_first(enum keymap map, enum request req);

/* The keys of req in map joined with ", " into buf: "PgDn, Ctrl-F", each as
 * tui_key_label gives it. */
const char *tui_key_names(enum keymap map, enum request req, char *buf, size_t size);

/* A printable name for any key, for the trace: the table's English name if
 * it has one, else the character.  Static storage. */
const char *tui_key_name(int key);

/* A status-line hint: text (N_(), translated when shown) with one %s for
 * each group of keys, filled from the bindings of the view's keymap, so a
 * hint names the key that dispatch will act on.  A group is the first key
 * of req, and with `to` the first key of to after join: "1-4", "[ ]". */
#define TUI_HINT_KEYS 8
struct tui_hint {
	const char *text;
	struct tui_hint_keys {
		enum request req, to;	/* to: REQ_NONE for one key */
		char join;
	} keys[TUI_HINT_KEYS];		/* up to the first req REQ_NONE */
};

/* A hint's key groups, written with every field named: a bare `{ REQ_X }`
 * leaves `to` and `join` to the zero default, which clang's -Wextra
 * (-Wmissing-field-initializers) reports once per group. */
#define HINT_KEY(r) { .req = (r), .to = REQ_NONE, .join = 0 }
#define HINT_SPAN(r, j, t) { .req = (r), .to = (t), .join = (j) }

/* The hint with its keys, into buf. */
const char *tui_hint_format(enum keymap map, const struct tui_hint *h, char *buf, size_t size);

/* One line per binding: "KEYMAP<TAB>KEY<TAB>HELP", help translated. */
void tui_keys_list(FILE *f);

#endif
