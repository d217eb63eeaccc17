#include "tui/keys.h"

#include <curses.h>
#include <string.h>

#include "util/i18n.h"

static const char *const keymap_title[KM_COUNT] = {
	[KM_GENERIC] = N_("Everywhere"),
	[KM_DASHBOARD] = N_("Dashboard"),
	[KM_CHECKLIST] = N_("Checklist walk"),
	[KM_INVENTORY] = N_("Inventories"),
	[KM_FINDINGS] = N_("Findings"),
	[KM_LEDGER] = N_("Rectification ledger"),
	[KM_IMPORT] = N_("Importing a file"),
	[KM_REPORT] = N_("Report body"),
	[KM_EDITOR] = N_("Editing a note, reason or filter"),
};

/* Each help text reads after the key names in the help view. */
static const char *const request_help[REQ_COUNT] = {
	[REQ_UP] = N_("move up"),
	[REQ_DOWN] = N_("move down"),
	[REQ_PAGE_UP] = N_("page up"),
	[REQ_PAGE_DOWN] = N_("page down"),
	[REQ_FIRST] = N_("jump to the first entry"),
	[REQ_LAST] = N_("jump to the last entry"),
	[REQ_ENTER] = N_("open the selected entry"),
	[REQ_BACK] = N_("back out of the view; quit from the dashboard"),
	[REQ_QUIT] = N_("quit"),
	[REQ_HELP] = N_("show this help"),
	[REQ_REFRESH] = N_("re-read the workspace (after an import or score elsewhere)"),
	[REQ_REDRAW] = N_("redraw the screen"),
	[REQ_VIEW_DASHBOARD] = N_("dashboard"),
	[REQ_VIEW_CHECKLIST] = N_("checklist walk"),
	[REQ_VIEW_INVENTORY] = N_("inventory browser"),
	[REQ_VIEW_FINDINGS] = N_("findings"),
	[REQ_VIEW_LEDGER] = N_("rectification ledger"),
	[REQ_VIEW_SUBMISSIONS] = N_("submissions received from the units below"),
	[REQ_VIEW_REPORT] = N_("the report's body: its four sections in your own words"),
	[REQ_VERDICT_COMPLIANT] = N_("verdict 符合 (compliant)"),
	[REQ_VERDICT_PARTIAL] = N_("verdict 基本符合 (partially compliant)"),
	[REQ_VERDICT_NONCOMPLIANT] = N_("verdict 不符合 (non-compliant)"),
	[REQ_VERDICT_NA] = N_("verdict 不适用 (not applicable)"),
	[REQ_ACCEPT] = N_("accept the rules' proposal"),
	[REQ_ACCEPT_ARTICLE] = N_("accept every unanswered proposal of the article, asking once"),
	[REQ_ACCEPT_ALL] = N_("accept every unanswered proposal of every article, asking once"),
	[REQ_NOTE] = N_("write the item's note"),
	[REQ_REASON] = N_("write the reason for overriding the proposal"),
	[REQ_NEXT_ARTICLE] = N_("next article"),
	[REQ_PREV_ARTICLE] = N_("previous article"),
	[REQ_NEXT_OPEN] = N_("next item without an answer"),
	[REQ_FULL_TEXT] = N_("read the article's full text"),
	[REQ_ARTICLE_FINDINGS] = N_("findings of this article"),
	[REQ_FOCUS_LIST] = N_("move to the list of articles"),
	[REQ_FOCUS_ITEMS] = N_("move to the check items"),
	[REQ_NEXT_TAB] = N_("next inventory"),
	[REQ_PREV_TAB] = N_("previous inventory"),
	[REQ_FILTER] = N_("filter by text in id, name or host unit"),
	[REQ_IMPORT_FILE] = N_("import a file (CSV, .xlsx, .xls) into this inventory, matching its columns first"),
	[REQ_FILTER_ARTICLE] = N_("filter by article"),
	[REQ_CYCLE_INVENTORY] = N_("cycle the inventory filter"),
	[REQ_CYCLE_SEVERITY] = N_("cycle the severity filter"),
	[REQ_CYCLE_STATE] = N_("cycle violated / needs verification"),
	[REQ_CLEAR_FILTERS] = N_("clear the filters"),
	[REQ_RECTIFY] = N_("create a rectification from the selected finding"),
	[REQ_CYCLE_STATUS] = N_("cycle the status filter"),
	[REQ_TOGGLE_OVERDUE] = N_("show only the overdue, or all"),
	[REQ_STATUS_PENDING] = N_("status 待整改 (pending)"),
	[REQ_STATUS_IN_PROGRESS] = N_("status 整改中 (in progress)"),
	[REQ_STATUS_DONE] = N_("status 已整改 (done)"),
	[REQ_STATUS_VERIFIED] = N_("status 已验证 (verified)"),
	[REQ_STATUS_CANCELLED] = N_("status 已取消 (cancelled), with a reason"),
	[REQ_PROGRESS_NOTE] = N_("add a dated progress note"),
	[REQ_SET_DEADLINE] = N_("change the deadline"),
	[REQ_SET_OWNER] = N_("change the responsible person"),
	[REQ_SET_UNIT] = N_("change the responsible unit"),
	[REQ_SET_MEASURE] = N_("change the measure"),
	[REQ_ADD_EVIDENCE] = N_("record an evidence file (its SHA-256 is kept)"),
	[REQ_IMPORT_VALUE] = N_("map a value the file writes its own way (在用 → 运行)"),
	[REQ_IMPORT_SAVE_MAP] = N_("save the mapping as a map file for the next file of this shape"),
	[REQ_IMPORT_NEXT_SHEET] = N_("read the workbook's next sheet"),
	[REQ_IMPORT_RUN] = N_("import the file with these matches"),
	[REQ_PARA_EDIT] = N_("edit the selected paragraph"),
	[REQ_PARA_ADD] = N_("add a paragraph after the selected one"),
	[REQ_PARA_DELETE] = N_("remove the selected paragraph"),
	[REQ_SECTION_EDITOR] = N_("edit the whole section in $VISUAL or $EDITOR"),
	[REQ_SECTION_RESET] = N_("go back to the text generated from the data"),
	[REQ_SECTION_CONFIRM] = N_("confirm your words after the figures changed"),
	[REQ_EDIT_SAVE] = N_("save"),
	[REQ_EDIT_CANCEL] = N_("cancel"),
	[REQ_EDIT_LEFT] = N_("cursor left"),
	[REQ_EDIT_RIGHT] = N_("cursor right"),
	[REQ_EDIT_HOME] = N_("cursor to the start"),
	[REQ_EDIT_END] = N_("cursor to the end"),
	[REQ_EDIT_BACKSPACE] = N_("delete the character before the cursor"),
	[REQ_EDIT_DELETE] = N_("delete the character under the cursor"),
	[REQ_EDIT_KILL_START] = N_("delete to the start"),
	[REQ_EDIT_KILL_END] = N_("delete to the end"),
};

#define B(map, req, key, name) { KM_##map, REQ_##req, key, name }
static const struct binding bindings[] = {
	B(GENERIC, UP, KEY_FN(KEY_UP), N_("Up")),
	B(GENERIC, UP, 'k', "k"),
	B(GENERIC, DOWN, KEY_FN(KEY_DOWN), N_("Down")),
	B(GENERIC, DOWN, 'j', "j"),
	B(GENERIC, PAGE_UP, KEY_FN(KEY_PPAGE), N_("PgUp")),
	B(GENERIC, PAGE_UP, KEY_CTRL('b'), "Ctrl-B"),
	B(GENERIC, PAGE_DOWN, KEY_FN(KEY_NPAGE), N_("PgDn")),
	B(GENERIC, PAGE_DOWN, KEY_CTRL('f'), "Ctrl-F"),
	B(GENERIC, PAGE_DOWN, ' ', N_("Space")),
	B(GENERIC, FIRST, KEY_FN(KEY_HOME), N_("Home")),
	B(GENERIC, FIRST, 'g', "g"),
	B(GENERIC, LAST, KEY_FN(KEY_END), N_("End")),
	B(GENERIC, LAST, 'G', "G"),
	B(GENERIC, ENTER, KEY_RET, N_("Enter")),
	B(GENERIC, BACK, 'q', "q"),
	B(GENERIC, BACK, KEY_ESC, "Esc"),
	B(GENERIC, QUIT, 'Q', "Q"),
	B(GENERIC, HELP, '?', "?"),
	B(GENERIC, HELP, KEY_FN(KEY_F(1)), "F1"),
	B(GENERIC, REFRESH, 'R', "R"),
	B(GENERIC, REFRESH, KEY_FN(KEY_F(5)), "F5"),
	B(GENERIC, REDRAW, KEY_CTRL('l'), "Ctrl-L"),
	B(GENERIC, VIEW_DASHBOARD, 'D', "D"),
	B(GENERIC, VIEW_CHECKLIST, 'C', "C"),
	B(GENERIC, VIEW_INVENTORY, 'I', "I"),
	B(GENERIC, VIEW_FINDINGS, 'F', "F"),
	B(GENERIC, VIEW_LEDGER, 'L', "L"),
	B(GENERIC, VIEW_SUBMISSIONS, 'S', "S"),
	B(GENERIC, VIEW_REPORT, 'W', "W"),

	B(DASHBOARD, VIEW_CHECKLIST, 'c', "c"),
	B(DASHBOARD, VIEW_INVENTORY, 'i', "i"),
	B(DASHBOARD, VIEW_FINDINGS, 'f', "f"),
	B(DASHBOARD, VIEW_LEDGER, 'l', "l"),
	B(DASHBOARD, VIEW_SUBMISSIONS, 's', "s"),
	B(DASHBOARD, VIEW_REPORT, 'w', "w"),
	B(DASHBOARD, ACCEPT_ARTICLE, 'P', "P"),
	B(DASHBOARD, ACCEPT_ALL, 'A', "A"),

	B(CHECKLIST, VERDICT_COMPLIANT, '1', "1"),
	B(CHECKLIST, VERDICT_PARTIAL, '2', "2"),
	B(CHECKLIST, VERDICT_NONCOMPLIANT, '3', "3"),
	B(CHECKLIST, VERDICT_NA, '4', "4"),
	B(CHECKLIST, ACCEPT, 'p', "p"),
	B(CHECKLIST, ACCEPT_ARTICLE, 'P', "P"),
	B(CHECKLIST, ACCEPT_ALL, 'A', "A"),
	B(CHECKLIST, NOTE, 'n', "n"),
	B(CHECKLIST, REASON, 'r', "r"),
	B(CHECKLIST, NEXT_ARTICLE, ']', "]"),
	B(CHECKLIST, NEXT_ARTICLE, 'J', "J"),
	B(CHECKLIST, PREV_ARTICLE, '[', "["),
	B(CHECKLIST, PREV_ARTICLE, 'K', "K"),
	B(CHECKLIST, NEXT_OPEN, 'u', "u"),
	B(CHECKLIST, FULL_TEXT, 't', "t"),
	B(CHECKLIST, ARTICLE_FINDINGS, 'f', "f"),
	B(CHECKLIST, FOCUS_LIST, KEY_FN(KEY_LEFT), N_("Left")),
	B(CHECKLIST, FOCUS_LIST, 'h', "h"),
	B(CHECKLIST, FOCUS_ITEMS, KEY_FN(KEY_RIGHT), N_("Right")),
	B(CHECKLIST, FOCUS_ITEMS, 'l', "l"),

	B(INVENTORY, NEXT_TAB, '\t', "Tab"),
	B(INVENTORY, NEXT_TAB, KEY_FN(KEY_RIGHT), N_("Right")),
	B(INVENTORY, NEXT_TAB, 'l', "l"),
	B(INVENTORY, PREV_TAB, KEY_FN(KEY_BTAB), "Shift-Tab"),
	B(INVENTORY, PREV_TAB, KEY_FN(KEY_LEFT), N_("Left")),
	B(INVENTORY, PREV_TAB, 'h', "h"),
	B(INVENTORY, FILTER, '/', "/"),
	B(INVENTORY, RECTIFY, '+', "+"),
	B(INVENTORY, IMPORT_FILE, 'o', "o"),

	B(FINDINGS, FILTER_ARTICLE, 'a', "a"),
	B(FINDINGS, CYCLE_INVENTORY, 'i', "i"),
	B(FINDINGS, CYCLE_SEVERITY, 's', "s"),
	B(FINDINGS, CYCLE_STATE, 't', "t"),
	B(FINDINGS, CLEAR_FILTERS, 'x', "x"),
	B(FINDINGS, RECTIFY, '+', "+"),

	B(LEDGER, STATUS_PENDING, '1', "1"),
	B(LEDGER, STATUS_IN_PROGRESS, '2', "2"),
	B(LEDGER, STATUS_DONE, '3', "3"),
	B(LEDGER, STATUS_VERIFIED, '4', "4"),
	B(LEDGER, STATUS_CANCELLED, '5', "5"),
	B(LEDGER, PROGRESS_NOTE, 'n', "n"),
	B(LEDGER, SET_DEADLINE, 'd', "d"),
	B(LEDGER, SET_OWNER, 'o', "o"),
	B(LEDGER, SET_UNIT, 'u', "u"),
	B(LEDGER, SET_MEASURE, 'm', "m"),
	B(LEDGER, ADD_EVIDENCE, 'e', "e"),
	B(LEDGER, CYCLE_STATUS, 's', "s"),
	B(LEDGER, TOGGLE_OVERDUE, '!', "!"),
	B(LEDGER, CLEAR_FILTERS, 'x', "x"),

	B(IMPORT, IMPORT_VALUE, 'v', "v"),
	B(IMPORT, IMPORT_SAVE_MAP, 'w', "w"),
	B(IMPORT, IMPORT_NEXT_SHEET, 's', "s"),
	B(IMPORT, IMPORT_RUN, 'i', "i"),
	B(REPORT, NEXT_TAB, '\t', "Tab"),
	B(REPORT, NEXT_TAB, KEY_FN(KEY_RIGHT), N_("Right")),
	B(REPORT, PREV_TAB, KEY_FN(KEY_BTAB), "Shift-Tab"),
	B(REPORT, PREV_TAB, KEY_FN(KEY_LEFT), N_("Left")),
	B(REPORT, PARA_EDIT, 'e', "e"),
	B(REPORT, PARA_ADD, 'a', "a"),
	B(REPORT, PARA_DELETE, 'x', "x"),
	B(REPORT, PARA_DELETE, KEY_FN(KEY_DC), N_("Delete")),
	B(REPORT, SECTION_EDITOR, 'E', "E"),
	B(REPORT, SECTION_RESET, 'r', "r"),
	B(REPORT, SECTION_CONFIRM, 'c', "c"),

	B(EDITOR, EDIT_SAVE, KEY_RET, N_("Enter")),
	B(EDITOR, EDIT_CANCEL, KEY_ESC, "Esc"),
	B(EDITOR, EDIT_CANCEL, KEY_CTRL('g'), "Ctrl-G"),
	B(EDITOR, EDIT_LEFT, KEY_FN(KEY_LEFT), N_("Left")),
	B(EDITOR, EDIT_LEFT, KEY_CTRL('b'), "Ctrl-B"),
	B(EDITOR, EDIT_RIGHT, KEY_FN(KEY_RIGHT), N_("Right")),
	B(EDITOR, EDIT_RIGHT, KEY_CTRL('f'), "Ctrl-F"),
	B(EDITOR, EDIT_HOME, KEY_FN(KEY_HOME), N_("line|Home")),
	B(EDITOR, EDIT_HOME, KEY_CTRL('a'), "Ctrl-A"),
	B(EDITOR, EDIT_END, KEY_FN(KEY_END), N_("line|End")),
	B(EDITOR, EDIT_END, KEY_CTRL('e'), "Ctrl-E"),
	B(EDITOR, EDIT_BACKSPACE, KEY_BS, N_("Backspace")),
	B(EDITOR, EDIT_DELETE, KEY_FN(KEY_DC), N_("Delete")),
	B(EDITOR, EDIT_DELETE, KEY_CTRL('d'), "Ctrl-D"),
	B(EDITOR, EDIT_KILL_START, KEY_CTRL('u'), "Ctrl-U"),
	B(EDITOR, EDIT_KILL_END, KEY_CTRL('k'), "Ctrl-K"),
};
#undef B

const struct binding *tui_keys_table(size_t *n)
{
	*n = sizeof(bindings) / sizeof(bindings[0]);
	return bindings;
}

static enum request lookup_in(enum keymap map, int key)
{
	for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
		if (bindings[i].map == map && bindings[i].key == key)
			return bindings[i].req;
	return REQ_NONE;
}

enum request tui_key_lookup(enum keymap map, int key)
{
	enum request r = lookup_in(map, key);

	if (r == REQ_NONE && map != KM_EDITOR && map != KM_GENERIC)
		r = lookup_in(KM_GENERIC, key);
	return r;
}

/* A request whose meaning depends on the view: the report's Tab goes to
 * the next section, not the next inventory. */
static const struct {
	enum keymap map;
	enum request req;
	const char *help;
} help_in_map[] = {
	{ KM_REPORT, REQ_NEXT_TAB, N_("next section") },
	{ KM_REPORT, REQ_PREV_TAB, N_("previous section") },
};

const char *tui_request_help(enum keymap map, enum request req)
{
	for (size_t i = 0; i < sizeof(help_in_map) / sizeof(help_in_map[0]); i++)
		if (help_in_map[i].map == map && help_in_map[i].req == req)
			return help_in_map[i].help;
	return req > REQ_NONE && req < REQ_COUNT && request_help[req] ? request_help[req] : "";
}

const char *tui_keymap_title(enum keymap map)
{
	return map < KM_COUNT ? keymap_title[map] : "";
}

/* The table's name as written ("PgDn"), without the "line|" that tells the
 * editor's Home and End from the lists' for the translator. */
static const char *plain_name(const char *name)
{
	const char *bar = strchr(name, '|');

	return bar ? bar + 1 : name;
}

const char *tui_key_label(const char *name)
{
	const char *t;

	/* A key printed on its cap as one character (q, ?, /) is never
	 * translated; a multi-letter name is when the catalogue has it
	 * (Esc, Tab, F1, Ctrl-B are not in it and stay as they are). */
	if (!name[0] || !name[1])
		return name;
	t = _(name);
	return t == name ? plain_name(name) : t;
}

const char *tui_key_names(enum keymap map, enum request req, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++) {
		if (bindings[i].map != map || bindings[i].req != req)
			continue;
		off += (size_t)snprintf(buf + off, size - off, "%s%s", off ? ", " : "", tui_key_label(bindings[i].name));
		if (off >= size)
			break;
	}
	return buf;
}

/* The first key of req in map (falling back as tui_key_lookup does), in
 * the UI's language. */
static const char *first_key(enum keymap map, enum request req)
{
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
			if (bindings[i].map == map && bindings[i].req == req)
				return tui_key_label(bindings[i].name);
		if (map == KM_EDITOR || map == KM_GENERIC)
			break;
		map = KM_GENERIC;
	}
	return "?";
}

const char *tui_key_first(enum keymap map, enum request req)
{
	return first_key(map, req);
}

const char *tui_hint_format(enum keymap map, const struct tui_hint *h, char *buf, size_t size)
{
	const char *t = h->text ? _(h->text) : "";
	size_t off = 0, k = 0;

	buf[0] = '\0';
	/* %s by hand, not printf: a translation with the wrong number of
	 * them shows "?", never reads past the keys. */
	while (*t && off + 1 < size) {
		if (t[0] == '%' && t[1] == 's') {
			const struct tui_hint_keys *g = k < TUI_HINT_KEYS && h->keys[k].req != REQ_NONE ? &h->keys[k] : NULL;

			if (!g)
				off += (size_t)snprintf(buf + off, size - off, "?");
			else if (g->to != REQ_NONE)
				off += (size_t)snprintf(buf + off, size - off, "%s%c%s", first_key(map, g->req), g->join,
							first_key(map, g->to));
			else
				off += (size_t)snprintf(buf + off, size - off, "%s", first_key(map, g->req));
			k++;
			t += 2;
			continue;
		}
		buf[off++] = *t++;
		buf[off] = '\0';
	}
	if (off >= size)
		buf[size - 1] = '\0';
	return buf;
}

const char *tui_key_name(int key)
{
	static char buf[16];

	/* For the trace: the table's English name, whatever the locale. */
	for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
		if (bindings[i].key == key)
			return plain_name(bindings[i].name);
	if (key > 32 && key < 127)
		snprintf(buf, sizeof(buf), "%c", key);
	else
		snprintf(buf, sizeof(buf), "0x%x", (unsigned)key);
	return buf;
}

void tui_keys_list(FILE *f)
{
	static const char *const map_key[KM_COUNT] = {
		[KM_GENERIC] = "generic", [KM_DASHBOARD] = "dashboard", [KM_CHECKLIST] = "checklist",
		[KM_INVENTORY] = "inventory", [KM_FINDINGS] = "findings", [KM_LEDGER] = "ledger",
		[KM_IMPORT] = "import", [KM_REPORT] = "report", [KM_EDITOR] = "editor",
	};

	for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
		fprintf(f, "%s\t%s\t%s\n", map_key[bindings[i].map], tui_key_label(bindings[i].name),
			_(tui_request_help(bindings[i].map, bindings[i].req)));
}
