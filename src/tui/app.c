/* The TUI's app loop: the view stack, the title and status lines, colours,
 * keys, resizes, the trace, and the way out on a fatal error. */
#include "tui/app.h"
#include "tui/tui.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "core/inventory.h"
#include "core/store.h"
#include "util/i18n.h"
#include "util/utf8.h"

/* The view table and the request that shows each view, from VIEW_INFO
 * (app.h). */
static const struct view_ops *const view_table[VIEW_COUNT] = {
#define VIEW_OPS(id, ops, req) [VIEW_##id] = &ops,
	VIEW_INFO(VIEW_OPS)
#undef VIEW_OPS
};

static const enum request view_request[VIEW_COUNT] = {
#define VIEW_REQ(id, ops, req) [VIEW_##id] = req,
	VIEW_INFO(VIEW_REQ)
#undef VIEW_REQ
};

/* The die path must find the screen from anywhere, as tig's die() does:
 * the one piece of state kept outside struct app. */
static SCREEN *the_screen;

static double ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

static void restore_terminal(void)
{
	if (the_screen && !isendwin())
		endwin();
}

void tui_die(struct app *app, const char *fmt, ...)
{
	va_list ap;

	(void)app;
	restore_terminal();
	fflush(stdout);
	fputs("zhijian: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

const char *tui_part_number(int n)
{
	static const char *const nums[] = { "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十" };

	return n >= 0 && n <= 10 ? nums[n] : "?";
}

const char *tui_severity(enum severity s)
{
	switch (s) {
	case SEV_HIGH: return _("high");
	case SEV_MEDIUM: return _("medium");
	default: return _("low");
	}
}

struct view *tui_view(struct app *app, enum view_id id)
{
	return &app->views[id];
}

static struct view *top_view(struct app *app)
{
	return &app->views[app->stack[app->depth - 1]];
}

int tui_view_open(struct app *app, enum view_id id)
{
	struct view *v = &app->views[id];

	if (!v->opened) {
		if (v->ops->open && v->ops->open(app, v) < 0)
			return -1;
		v->opened = 1;
	}
	return 0;
}

int tui_show(struct app *app, enum view_id id)
{
	if (tui_view_open(app, id) < 0)
		return -1;
	/* The dashboard is the root: going there is going home.  Any other
	 * view comes to the top, so q goes back to where the user came from
	 * (a subject opened from the findings returns to the findings). */
	if (id == VIEW_DASHBOARD) {
		app->stack[0] = id;
		app->depth = 1;
		return 0;
	}
	for (int i = 0; i < app->depth; i++)
		if (app->stack[i] == id) {
			memmove(app->stack + i, app->stack + i + 1, (size_t)(app->depth - i - 1) * sizeof(app->stack[0]));
			app->depth--;
			break;
		}
	app->stack[app->depth++] = id;
	return 0;
}

void tui_reload_assessment(struct app *app)
{
	struct assessment a;
	struct zj_error err;

	if (assessment_load(app->db, app->ws->cl, &a, &err) < 0) {
		tui_error(app, "%s", err.msg);
		return;
	}
	assessment_release(&app->a);
	app->a = a;
}

void tui_reload(struct app *app)
{
	tui_reload_assessment(app);
	for (int i = 0; i < VIEW_COUNT; i++)
		if (app->views[i].opened && app->views[i].ops->reload)
			app->views[i].ops->reload(app, &app->views[i]);
}

void tui_reload_view(struct app *app, enum view_id id)
{
	struct view *v = &app->views[id];

	if (v->opened && v->ops->reload)
		v->ops->reload(app, v);
}

static void vmessage(struct app *app, int error, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));
static void vmessage(struct app *app, int error, const char *fmt, va_list ap)
{
	vsnprintf(app->msg, sizeof(app->msg), fmt, ap);
	app->msg_error = error;
}

void tui_message(struct app *app, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(app, 0, fmt, ap);
	va_end(ap);
}

void tui_error(struct app *app, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(app, 1, fmt, ap);
	va_end(ap);
}

static void draw_too_small(struct app *app)
{
	char text[256];

	snprintf(text, sizeof(text), _("terminal too small: %d×%d; zhijian needs at least %d×%d"),
		 app->cols, app->rows, TUI_MIN_COLS, TUI_MIN_ROWS);
	if (app->rows < 1 || app->cols < 2)
		return;
	{
		int n = tui_wrapped(app->rows > 3 ? app->rows / 2 - 1 : 0, 0, text, app->cols, 0,
				     app->rows > 2 ? app->rows - 2 : 1, app->attr[AT_BOLD]);

		if (app->rows > n + 1)
			tui_wrapped(app->rows > 3 ? app->rows / 2 - 1 + n : n, 0,
				     _("enlarge the window, or press q to quit"), app->cols, 0,
				     app->rows - n - 1, A_NORMAL);
	}
}

static void draw_title(struct app *app)
{
	const struct view *v = top_view(app);
	char left[512], right[128];
	int rw, lw;

	tui_fill(0, 0, app->cols, app->attr[AT_TITLE]);
	/* TRANSLATORS: the title bar: program, unit (level), view; Chinese takes full-width brackets. */
	snprintf(left, sizeof(left), _(" %s · %s (%s) · %s"), _("zhijian 指尖"), app->ws->unit, level_word(app->ws->level),
		 _(v->ops->title));
	snprintf(right, sizeof(right), _("as of %s "), app->ws->as_of);
	rw = (int)utf8_width(right);
	lw = (int)utf8_width(left);
	/* When narrow, the program's name goes first, then the date: the
	 * unit and the view always show. */
	if (lw + rw + 1 > app->cols) {
		/* TRANSLATORS: the title bar when narrow: unit (level), view. */
		snprintf(left, sizeof(left), _(" %s (%s) · %s"), app->ws->unit, level_word(app->ws->level), _(v->ops->title));
		lw = (int)utf8_width(left);
	}
	if (lw + rw + 1 > app->cols)
		rw = 0;
	tui_text(0, 0, left, app->cols - rw - 1, app->attr[AT_TITLE]);
	if (rw)
		tui_text(0, app->cols - rw, right, rw, app->attr[AT_TITLE]);
}

/* A hint wider than room loses pieces (" · "-separated) from its middle;
 * the first and the last two stay, so "? help" and the dashboard's "q quit"
 * are never what is cut. */
static void fit_hint(char *hint, int room)
{
	static const char sep[] = " · ";

	while ((int)utf8_width(hint) > room) {
		char *at[64];
		int n = 0;

		for (char *p = strstr(hint, sep); p && n < 64; p = strstr(p + 1, sep))
			at[n++] = p;
		if (n < 2)
			return;	/* nothing left to drop: cut as it is */
		/* Drop the piece before the last two (back, help); with three
		 * left, the middle one: the view's first key and help stay. */
		if (n == 2)
			memmove(at[0], at[1], strlen(at[1]) + 1);
		else
			memmove(at[n - 3], at[n - 2], strlen(at[n - 2]) + 1);
	}
}

static void draw_status(struct app *app)
{
	struct view *v = top_view(app);
	char where[128] = "", hint[600];
	int y = app->rows - 1, ww, room;

	tui_fill(y, 0, app->cols, app->attr[AT_STATUS]);
	if (v->ops->where)
		v->ops->where(app, v, where, sizeof(where));
	ww = (int)utf8_width(where);
	room = app->cols - (ww ? ww + 2 : 0);
	if (app->msg[0] && (int)utf8_width(app->msg) + 1 > room) {
		/* A message too long for the line (a refusal that says why)
		 * takes up to four lines above it rather than losing its end. */
		struct tui_wrap w = { 0 };
		attr_t at = app->msg_error ? app->attr[AT_ERROR] : app->attr[AT_SELECT];
		int n = tui_wrap(&w, app->msg, app->cols - 2), shown = n > 4 ? 4 : n;

		for (int i = 0; i < shown; i++) {
			const struct tui_wrap_line *l = &w.line[i];
			size_t len = i + 1 == shown ? strlen(app->msg) - l->off : l->len;
			char line[sizeof(app->msg)];

			memcpy(line, app->msg + l->off, len);
			line[len] = '\0';
			tui_fill(y - shown + 1 + i, 0, app->cols, at);
			tui_cell(y - shown + 1 + i, 1, line, app->cols - 2, 0, at);
		}
		tui_wrap_release(&w);
		if (shown > 0)
			return;
	}
	if (app->msg[0]) {
		snprintf(hint, sizeof(hint), " %s", app->msg);
		tui_cell(y, 0, hint, room, 0, app->msg_error ? app->attr[AT_ERROR] : app->attr[AT_STATUS]);
	} else {
		hint[0] = ' ';
		const struct tui_hint *h = v->ops->mode_hints ? v->ops->mode_hints(app, v) : NULL;

		tui_hint_format(v->ops->keymap, h ? h : &v->ops->hints, hint + 1, sizeof(hint) - 1);
		fit_hint(hint, room - 1);
		/* A hint of few pieces that still does not fit takes the
		 * position's room: "? help" matters more than "1 of 5"
		 * (inside a unit's file at 60 columns it read "? …"). */
		if (ww && (int)utf8_width(hint) > room - 1) {
			ww = 0;
			room = app->cols;
			fit_hint(hint, room - 1);
		}
		tui_cell(y, 0, hint, room, 0, app->attr[AT_STATUS]);
	}
	if (ww && ww + 1 < app->cols)
		tui_text(y, app->cols - ww - 1, where, ww, app->attr[AT_STATUS]);
}

void tui_draw(struct app *app)
{
	struct view *v;

	getmaxyx(stdscr, app->rows, app->cols);
	erase();
	if (app->rows < TUI_MIN_ROWS || app->cols < TUI_MIN_COLS) {
		draw_too_small(app);
		wnoutrefresh(stdscr);
		return;
	}
	v = top_view(app);
	draw_title(app);
	v->height = app->rows - 2;
	v->ops->draw(app, v, 1, app->rows - 2);
	draw_status(app);
	wnoutrefresh(stdscr);
}

int tui_read_key(struct app *app)
{
	wint_t ch;
	int r;

	for (;;) {
		r = get_wch(&ch);
		if (r == ERR) {
			/* Blocking reads fail only when the terminal is gone:
			 * quit rather than spin. */
			if (++app->read_errors > 5) {
				app->quit = 1;
				return -1;
			}
			continue;
		}
		app->read_errors = 0;
		if (r == KEY_CODE_YES) {
			if (ch == KEY_ENTER)
				return KEY_RET;
			if (ch == KEY_BACKSPACE)
				return KEY_BS;
			if (ch == KEY_RESIZE)
				getmaxyx(stdscr, app->rows, app->cols);
			return KEY_FN((int)ch);
		}
		if (ch == '\n')
			return KEY_RET;
		if (ch == 8)
			return KEY_BS;
		return (int)ch;
	}
}

int tui_ask_key(struct app *app, const char *prompt)
{
	int key;

	for (;;) {
		tui_draw(app);
		if (app->rows >= TUI_MIN_ROWS && app->cols >= TUI_MIN_COLS) {
			tui_prompt_title(app, prompt, 0);
			wnoutrefresh(stdscr);
		}
		doupdate();
		key = tui_read_key(app);
		if (key != KEY_FN(KEY_RESIZE))
			return key;
	}
}

int tui_answer(struct app *app, const char *item, enum verdict v, const char *note, const char *reason)
{
	const struct cl_item *it = checklist_item(app->ws->cl, item);
	struct zj_error err;
	char sbuf[16], tbuf[16];
	const char *grade;

	if (!it)
		return -1;
	if (answer_record(app->db, app->ws, item, v, note, reason, &err) < 0) {
		tui_error(app, "%s", err.msg);
		return -1;
	}
	tui_reload_assessment(app);
	grade = scoring_grade(app->ws->cl, app->a.total);
	tui_message(app, _("saved %s %s; article %d %s, total %s%s%s"), item, checklist_answer_text(it, v), it->article,
		    fmt_score(app->a.article_score[it->article - 1], sbuf), fmt_score(app->a.total, tbuf),
		    grade ? " " : "", grade ? grade : "");
	return 0;
}

int tui_confirm_proposals(struct app *app, int article)
{
	const struct checklist *cl = app->ws->cl;
	struct zj_error err;
	char prompt[256], tbuf[16];
	long long want = 0, done;
	const char *grade;
	int key;

	for (size_t i = 0; i < cl->nitems; i++)
		want += (!article || cl->items[i].article == article) && app->a.items[i].answer == VERDICT_NONE &&
			app->a.items[i].proposal != VERDICT_NONE;
	if (!want) {
		if (article)
			tui_message(app, _("article %d has no unanswered proposal to accept"), article);
		else
			tui_message(app, "%s", _("no unanswered proposal to accept"));
		return 0;
	}
	/* Asked once for the lot; each is then recorded and logged as if
	 * answered one by one. */
	if (article)
		snprintf(prompt, sizeof(prompt), _("Accept the %lld unanswered proposals of article %d? (y/n)"), want,
			 article);
	else
		snprintf(prompt, sizeof(prompt), _("Accept the %lld unanswered proposals of every article? (y/n)"), want);
	key = tui_ask_key(app, prompt);
	if (key != 'y' && key != 'Y') {
		tui_message(app, "%s", _("nothing accepted"));
		return 0;
	}
	if (answer_confirm_proposals(app->db, app->ws, article, NULL, NULL, &done, &err) < 0) {
		tui_error(app, "%s", err.msg);
		return -1;
	}
	tui_reload_assessment(app);
	grade = scoring_grade(cl, app->a.total);
	tui_message(app, _("%lld proposals accepted; total %s%s%s, answered %zu/%zu"), done,
		    fmt_score(app->a.total, tbuf), grade ? " " : "", grade ? grade : "", app->a.answered, cl->nitems);
	return 1;
}

/* SQLite calls this while another process holds the lock it needs (an
 * import or score committing): say so on the screen and keep waiting, up
 * to the store's timeout, instead of freezing silently. */
static int busy_wait(void *p, int count)
{
	struct app *app = p;

	if (app->busy_nowait)
		return 0;
	if (count * 20 >= STORE_BUSY_TIMEOUT_MS)
		return 0;
	if (count == 10 && app->rows >= TUI_MIN_ROWS && app->cols >= TUI_MIN_COLS) {
		tui_fill(app->rows - 1, 0, app->cols, app->attr[AT_SELECT]);
		tui_text(app->rows - 1, 1, _("waiting for another zhijian process to finish writing the workspace…"),
			  app->cols - 2, app->attr[AT_SELECT]);
		wnoutrefresh(stdscr);
		doupdate();
	}
	napms(20);
	return 1;
}

static void setup_attrs(struct app *app)
{
	const char *nc = getenv("NO_COLOR");
	attr_t *at = app->attr;

	app->colors = has_colors() && !(nc && *nc);
	for (int i = 0; i < AT_COUNT; i++)
		at[i] = A_NORMAL;
	if (app->colors && start_color() != ERR) {
		short bg = use_default_colors() == OK ? -1 : COLOR_BLACK;

		init_pair(1, COLOR_WHITE, COLOR_BLUE);
		init_pair(2, COLOR_BLACK, COLOR_CYAN);
		init_pair(3, COLOR_GREEN, bg);
		init_pair(4, COLOR_YELLOW, bg);
		init_pair(5, COLOR_RED, bg);
		init_pair(6, COLOR_WHITE, COLOR_RED);
		init_pair(7, COLOR_CYAN, bg);
		at[AT_TITLE] = COLOR_PAIR(1) | A_BOLD;
		at[AT_STATUS] = COLOR_PAIR(1);
		at[AT_SELECT] = COLOR_PAIR(2);
		at[AT_CURSOR_DIM] = A_REVERSE;
		at[AT_HEADER] = A_BOLD | A_UNDERLINE;
		at[AT_BOLD] = A_BOLD;
		at[AT_DIM] = A_DIM;
		at[AT_GOOD] = COLOR_PAIR(3);
		at[AT_WARN] = COLOR_PAIR(4);
		at[AT_BAD] = COLOR_PAIR(5) | A_BOLD;
		at[AT_ERROR] = COLOR_PAIR(6) | A_BOLD;
		at[AT_BAR] = COLOR_PAIR(3);
		at[AT_BAR_EMPTY] = A_DIM;
		at[AT_TAB] = COLOR_PAIR(7);
		at[AT_TAB_ACTIVE] = COLOR_PAIR(2) | A_BOLD;
	} else {
		/* Monochrome: what reverse, bold and underline can say. */
		app->colors = 0;
		at[AT_TITLE] = A_REVERSE | A_BOLD;
		at[AT_STATUS] = A_REVERSE;
		at[AT_SELECT] = A_REVERSE;
		at[AT_CURSOR_DIM] = A_UNDERLINE;
		at[AT_HEADER] = A_BOLD | A_UNDERLINE;
		at[AT_BOLD] = A_BOLD;
		at[AT_DIM] = A_DIM;
		at[AT_WARN] = A_BOLD;
		at[AT_BAD] = A_BOLD;
		at[AT_ERROR] = A_REVERSE | A_BOLD;
		at[AT_BAR_EMPTY] = A_DIM;
		at[AT_TAB_ACTIVE] = A_REVERSE | A_BOLD;
	}
	/* Box characters only where the terminal's idea of their width is
	 * ours (1); otherwise plain ASCII keeps the columns straight. */
	app->vline = wcwidth(L'│') == 1 ? "│" : "|";
	app->bar_full = wcwidth(L'█') == 1 ? "█" : "#";
	app->bar_empty = wcwidth(L'░') == 1 ? "░" : ".";
	app->ellipsis = "…";
}

static int utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}

static void tui_trace(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tui_trace(struct app *app, const char *fmt, ...)
{
	va_list ap;

	if (!app->trace)
		return;
	va_start(ap, fmt);
	vfprintf(app->trace, fmt, ap);
	va_end(ap);
	fflush(app->trace);
}

static void handle_key(struct app *app, int key)
{
	struct view *v = top_view(app);
	enum request req;

	if (key == KEY_FN(KEY_RESIZE))
		return;	/* the next frame is drawn at the new size */
	app->msg[0] = '\0';
	if (app->rows < TUI_MIN_ROWS || app->cols < TUI_MIN_COLS) {
		if (key == 'q' || key == 'Q')
			app->quit = 1;
		return;
	}
	req = tui_key_lookup(v->ops->keymap, key);
	if (v->ops->key && v->ops->key(app, v, req, key))
		return;
	switch (req) {
	case REQ_BACK:
		if (app->depth > 1)
			app->depth--;
		else
			app->quit = 1;
		break;
	case REQ_QUIT:
		app->quit = 1;
		break;
	case REQ_REFRESH:
		tui_reload(app);
		if (!app->msg[0])
			tui_message(app, "%s", _("re-read the workspace"));
		break;
	case REQ_REDRAW:
		clearok(curscr, TRUE);
		break;
	case REQ_NONE:
		if (key > ' ' && key < KEY_FN(0))
			tui_message(app, "%s", _("that key does nothing here; press ? for help"));
		break;
	default:
		for (int i = 0; i < VIEW_COUNT; i++)
			if (view_request[i] == req) {
				if (tui_show(app, (enum view_id)i) < 0)
					tui_die(app, "%s", app->msg);
				break;
			}
		break;
	}
}

int tui_run(sqlite3 *db, const struct workspace *ws, const char *db_path, const struct timespec *t0)
{
	struct app app;
	const char *tr = getenv("ZHIJIAN_TUI_TRACE");
	struct timespec tk = { 0 };
	char traced[64] = "";
	int first = 1;

	memset(&app, 0, sizeof(app));
	app.db = db;
	app.ws = ws;
	app.db_path = db_path;
	app.t0 = *t0;
	if (!utf8_locale() && (!setlocale(LC_CTYPE, "C.UTF-8") || !utf8_locale())) {
		fprintf(stderr, "zhijian: %s\n",
			_("the TUI needs a UTF-8 locale (for example LANG=zh_CN.UTF-8 or C.UTF-8)"));
		return 1;
	}
	if (tr && *tr && !(app.trace = fopen(tr, "a"))) {
		fputs("zhijian: ", stderr);
		fprintf(stderr, _("cannot open '%s': %s"), tr, strerror(errno));
		fputc('\n', stderr);
		return 1;
	}
	{
		struct zj_error err;

		if (assessment_load(db, ws->cl, &app.a, &err) < 0) {
			fprintf(stderr, "zhijian: %s\n", err.msg);
			if (app.trace)
				fclose(app.trace);
			return 1;
		}
	}
	for (int i = 0; i < VIEW_COUNT; i++)
		app.views[i].ops = view_table[i];

	the_screen = newterm(NULL, stdout, stdin);
	if (!the_screen) {
		fputs("zhijian: ", stderr);
		fprintf(stderr, _("cannot use the terminal '%s' (TERM)"), getenv("TERM") ? getenv("TERM") : "");
		fputc('\n', stderr);
		assessment_release(&app.a);
		if (app.trace)
			fclose(app.trace);
		return 1;
	}
	set_term(the_screen);
	atexit(restore_terminal);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	setup_attrs(&app);
	getmaxyx(stdscr, app.rows, app.cols);
	store_interactive(db, busy_wait, &app);

	if (tui_show(&app, VIEW_DASHBOARD) < 0)
		tui_die(&app, "%s", app.msg);
	while (!app.quit) {
		int key;

		tui_draw(&app);
		doupdate();
		if (first) {
			struct timespec now;

			/* And the wall clock, for a caller that timed the exec. */
			clock_gettime(CLOCK_REALTIME, &now);
			tui_trace(&app, "first-frame %.2f\nfirst-frame-at %lld%09ld\n", ms_since(&app.t0),
				  (long long)now.tv_sec, now.tv_nsec);
			first = 0;
		} else if (traced[0]) {
			/* From reading the key to the frame on the terminal. */
			tui_trace(&app, "key %s %.2f\n", traced, ms_since(&tk));
			traced[0] = '\0';
		}
		key = tui_read_key(&app);
		clock_gettime(CLOCK_MONOTONIC, &tk);
		if (key < 0)
			break;
		if (app.trace)
			snprintf(traced, sizeof(traced), "%s %s", top_view(&app)->ops->name, tui_key_name(key));
		handle_key(&app, key);
	}

	for (int i = 0; i < VIEW_COUNT; i++)
		if (app.views[i].opened && app.views[i].ops->done)
			app.views[i].ops->done(&app, &app.views[i]);
	store_interactive_end(db);
	endwin();
	delscreen(the_screen);
	the_screen = NULL;
	assessment_release(&app.a);
	if (app.trace)
		fclose(app.trace);
	return 0;
}

void tui_list_keys(FILE *f)
{
	tui_keys_list(f);
}
