/*
 * tui.h: the terminal user interface, as src/cmd/tui.c runs it.
 *
 * The TUI works on a workspace the caller has opened and loaded; it never
 * closes it.  Every change the user makes goes through core/ in its own
 * transaction at once (answer_record, rectify_add, rectify_update), so
 * quitting, a crash or a killed terminal loses nothing that the screen
 * showed as saved.
 */
#ifndef ZJ_TUI_H
#define ZJ_TUI_H

#include <stdio.h>
#include <time.h>
#include <sqlite3.h>

#include "core/assess.h"

/* Runs the TUI on the terminal until the user quits.  t0 is when the
 * command started (CLOCK_MONOTONIC), for the trace: with
 * $ZHIJIAN_TUI_TRACE set to a file, the TUI appends "first-frame MS" and
 * "first-frame-at EPOCH_NS" (CLOCK_REALTIME) once, and "key VIEW KEY MS"
 * per key (from reading the key to the frame being on the terminal).  Returns 0, or 1 when the terminal cannot be used (the
 * message is printed).  Fatal errors inside restore the terminal first,
 * then print and exit 1. */
int tui_run(sqlite3 *db, const struct workspace *ws, const char *db_path, const struct timespec *t0);

/* The key bindings, one per line: "KEYMAP<TAB>KEY<TAB>HELP". */
void tui_list_keys(FILE *f);

#endif
