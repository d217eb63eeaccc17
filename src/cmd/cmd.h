/*
 * cmd.h: the subcommands and what they share.
 *
 * Every command has one shape: parse options, open the workspace if it
 * needs one (cmd_need_workspace), do the work through core/, print, and
 * return an exit status.  main() closes the workspace and checks stdout.
 */
#ifndef ZJ_CMD_H
#define ZJ_CMD_H

#include <stdio.h>
#include <sqlite3.h>

#include "core/assess.h"

enum exit_status {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* the command could not do its work */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_DATA = 65,		/* invalid input data (rows, files); nothing stored */
};

#define NEEDS_DB 0x1		/* documents that the command works on a workspace */

struct cmd_ctx {
	const char *db_path;
	sqlite3 *db;		/* NULL unless the workspace is open */
	struct workspace ws;
};

struct cmd_struct {
	const char *name;
	int (*fn)(int argc, char **argv, struct cmd_ctx *ctx);
	unsigned flags;
	const char *summary;	/* N_() */
};

int cmd_init(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_checklist(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_answer(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_status(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_tui(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_import(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_score(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_findings(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_rectify(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_log(int argc, char **argv, struct cmd_ctx *ctx);

/* Opens ctx->db_path and loads ctx->ws; on failure prints why and returns
 * -1 (the command then returns EXIT_FAIL).  With `optional`, a missing
 * workspace is not an error: returns 0 with ctx->db NULL. */
int cmd_need_workspace(struct cmd_ctx *ctx, int optional);

/* "zhijian: MESSAGE" on stderr. */
void error_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the usage line(s) to stderr and returns EXIT_USAGE. */
int usage_error(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes s padded (or cut with "…") to exactly `width` display columns. */
void put_cell(FILE *f, const char *s, int width, int right);
/* A score for humans: "87.5" or "—". */
const char *fmt_score(double score, char buf[16]);

#endif
