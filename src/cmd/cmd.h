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
#include <time.h>
#include <sqlite3.h>

#include "core/assess.h"
#include "util/fmt.h"

enum exit_status {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* the command could not do its work */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_DATA = 65,		/* invalid input data (rows, files); nothing stored */
};

struct cmd_ctx {
	const char *db_path;
	sqlite3 *db;		/* NULL unless the workspace is open */
	struct workspace ws;
};

/* One row of main.c's command table.  There is no "needs a workspace" flag:
 * a command opens the workspace itself (cmd_need_workspace) once its
 * options are parsed, so --help and usage errors work without one, and
 * `checklist` works with or without one. */
struct cmd_struct {
	const char *name;
	int (*fn)(int argc, char **argv, struct cmd_ctx *ctx);
	const char *summary;	/* N_() */
};

int cmd_init(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_config(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_narrative(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_checklist(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_answer(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_status(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_import(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_template(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_score(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_findings(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_tui(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_rectify(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_log(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_merge(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_submissions(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_report(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_submission(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_keygen(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_ca(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_sign(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_verify(int argc, char **argv, struct cmd_ctx *ctx);

/* zhijian report --sign (cmd/sign.c): options for getopt_long, and the
 * signer loaded before the report is made (it fills the page's signature
 * block) and used after it is written. */
struct report_signer;
struct sign_args {
	int sign;
	const char *key, *cert, *chain, *passfile;
	const char *name;	/* --name: the signer, when the certificate names only the unit */
	void *signer;		/* struct signer */
	time_t when;
	char time[40];		/* for the terminal: 2026-12-02 12:35:05 +0800 */
	char time_cn[80];	/* for the page: 2026年12月2日 12:35:05（UTC+08:00） */
};
enum { SIGN_OPT_SIGN = 0x100, SIGN_OPT_KEY, SIGN_OPT_CERT, SIGN_OPT_CHAIN, SIGN_OPT_PASSFILE, SIGN_OPT_NAME };
#define SIGN_LONG_OPTIONS \
	{ "sign", no_argument, NULL, SIGN_OPT_SIGN }, \
	{ "key", required_argument, NULL, SIGN_OPT_KEY }, \
	{ "cert", required_argument, NULL, SIGN_OPT_CERT }, \
	{ "chain", required_argument, NULL, SIGN_OPT_CHAIN }, \
	{ "passphrase-file", required_argument, NULL, SIGN_OPT_PASSFILE }, \
	{ "name", required_argument, NULL, SIGN_OPT_NAME }
/* Refuses a passphrase on the command line: returns EXIT_USAGE, or 0. */
int sign_args_refuse(int argc, char **argv, const char *usage);
/* 1 if c was one of SIGN_LONG_OPTIONS. */
int sign_args_option(struct sign_args *a, int c, const char *arg);
/* With --sign: loads the signer (asking for the passphrase) and fills rs.
 * Returns 0, or the exit status after printing why. */
int sign_args_prepare(struct sign_args *a, struct report_signer *rs, const char *usage);
/* Signs path in place; on failure removes it, prints why, returns -1. */
int sign_args_finish(struct sign_args *a, const char *path);
/* "  signed by …" after the report's own lines, if it was signed. */
void sign_args_print(const struct sign_args *a);
void sign_args_release(struct sign_args *a);

/* Opens ctx->db_path and loads ctx->ws; on failure prints why and returns
 * -1 (the command then returns EXIT_FAIL).  With `optional`, a missing
 * workspace is not an error: returns 0 with ctx->db NULL. */
int cmd_need_workspace(struct cmd_ctx *ctx, int optional);

/* Warnings (never errors) about a key or passphrase file that others can
 * read, and a key stored unencrypted (cmd/ca.c). */
void warn_key_files(const char *keypath, const char *passfile);

/* getopt_long for commands: "zhijian: unknown option '--x'" rather than
 * getopt's own message, and --help (or -h, or 'h' returned) prints the
 * usage with one line per option of longopts (cmd/opthelp.c) and exits 0.
 * cmd names the command for the option texts ("rectify"). */
struct option;
int cmd_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts, const char *cmd,
	       const char *usage);
void cmd_print_help(const char *cmd, const char *usage, const struct option *opts);

/* "zhijian: MESSAGE" on stderr. */
void error_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the usage line(s) to stderr and returns EXIT_USAGE. */
int usage_error(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* --format table|csv: sets *csv (1 for csv) and returns 0, else says so
 * with the usage and returns EXIT_USAGE. */
int format_table_csv(const char *arg, const char *usage, int *csv);

/* Writes s padded (or cut with "…") to exactly `width` display columns. */
void put_cell(FILE *f, const char *s, int width, int right);

/*
 * Words for the reader (labels.c).  Under a Chinese catalogue
 * (i18n_chinese_labels) the official Chinese term alone: 县级, 应用程序,
 * 高, 违反, 待整改.  Otherwise the English word, which for levels,
 * inventories, severities and states is also the key the options take
 * (county, apps, high, violated); a rectification's status is said as
 * "待整改 (pending)" where there is room and "pending" alone in a table's
 * narrow column.  Static strings.
 */
const char *label_inventory(int kind);		/* "apps" / 应用程序 */
struct inventory;
const char *label_field(const struct inventory *inv, int col);	/* "host_unit" / 主办单位 */
const char *label_severity(int sev);		/* "high" / 高 */
const char *label_state(int violated);		/* "violated" or "unknown" / 违反, 待核实 */
const char *label_rect_status(int status, int narrow);
/* The campaign's problem types: 过多过滥, "过多过滥 (excess)" or "excess". */
const char *label_problem_type(int type, int narrow);
/* A status as stored ("in_progress"), said as label_rect_status would;
 * an unknown word is returned as it is. */
const char *label_rect_status_key(const char *key, int narrow);

#endif
