/*
 * editor.h: the person's own text editor on a file, as git runs it.
 *
 * The editor is $VISUAL, else $EDITOR, else "editor" (Debian's
 * alternative), else vi; it is run through /bin/sh so that a value with
 * arguments ("emacs -nw", "code --wait") works, with the file as its one
 * argument, never interpolated into the command.  The caller owns the
 * terminal: a curses program leaves curses mode first.
 */
#ifndef ZJ_UTIL_EDITOR_H
#define ZJ_UTIL_EDITOR_H

#include "util/err.h"

/* The command that editor_run would run (static or the environment's). */
const char *editor_command(void);

/* Runs the editor on path and waits for it.  Returns 0 when it exited with
 * status 0, else -1 with err saying how it ended. */
int editor_run(const char *path, struct zj_error *err);

#endif
