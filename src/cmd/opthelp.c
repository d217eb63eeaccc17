/* One line of explanation per option, for `zhijian COMMAND --help`: the
 * options listed are the command's own getopt table, so the help cannot
 * name an option the command does not take. */
#include "cmd/cmd.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "util/utf8.h"

/* cmd NULL: the same option means the same in every command. */
static const struct opt_help {
	const char *cmd, *opt, *arg, *help;
} helps[] = {
	{ NULL, "help", NULL, N_("show this help and exit") },
	{ NULL, "format", "FMT", N_("output format (the choices are in the usage above)") },
	{ NULL, "article", "N", N_("only article N (1 to 16)") },
	{ NULL, "output", "FILE", N_("write to FILE (not over an existing one unless said)") },
	{ NULL, "passphrase-file", "FILE", N_("read the key's passphrase from FILE (mode 0600), never from the command line") },
	{ NULL, "crl", "FILE_OR_DIR", N_("revocation lists published by the issuing levels") },
	{ NULL, "trust", "FILE_OR_DIR", N_("trust anchors: a CA certificate (PEM) or a directory of them; else $ZHIJIAN_TRUST") },
	{ NULL, "days", "N", N_("days the certificate is valid") },
	{ NULL, "code", "CODE", N_("the unit's code (统一社会信用代码 or the office's code)") },
	{ NULL, "ca", NULL, N_("a CA: a certificate that certifies the units below") },
	{ "init", "unit", "NAME", N_("the unit's name, whole, as its certificate will name it") },
	{ "init", "level", "LEVEL", N_("unit, county, city, province or central") },
	{ "init", "parent", "NAME", N_("the level the report goes to (主送机关)") },
	{ "init", "as-of", "DATE", N_("the assessment's as-of date (default: today)") },
	{ "init", "period", "TEXT", N_("the period inspected, as the level above names it (2026年度)") },
	{ "init", "checklist", "FILE", N_("the checklist to pin (default: the installed one, or $ZHIJIAN_CHECKLIST)") },
	{ "checklist", "file", "FILE", N_("read this checklist file rather than the workspace's") },
	{ "import", "sheet", "NAME|N", N_("the workbook's sheet to read (default: the first)") },
	{ "import", "map", "MAP", N_("a file mapping the file's headers to the contract's columns") },
	{ "import", "encoding", "ENC", N_("auto (the default), utf-8 or gb18030") },
	{ "import", "replace", NULL, N_("replace the inventory instead of updating it row by row") },
	{ "import", "skip-invalid", NULL, N_("store the valid rows and write the invalid ones to FILE.rejected.csv") },
	{ "import", "dry-run", NULL, N_("check the file and report, store nothing") },
	{ "score", "as-of", "DATE", N_("measure ages against DATE and make it the workspace's as-of date") },
	{ "score", "quiet", NULL, N_("print only the total") },
	{ "findings", "inventory", "INV", N_("only apps, accounts or groups") },
	{ "findings", "severity", "SEV", N_("only rules of this severity: high, medium or low") },
	{ "findings", "state", "STATE", N_("only violated, or only unknown (needs verification)") },
	{ "findings", "by", "type", N_("count the findings by the campaign's four problem types") },
	{ "answer", "note", "TEXT", N_("a note or the evidence for the verdict") },
	{ "answer", "reason", "TEXT", N_("why the verdict departs from the rules' proposal (required then)") },
	{ "answer", "all", NULL, N_("with 'proposed': confirm every unanswered proposal") },
	{ "answer", "article", "N", N_("with 'proposed': confirm the unanswered proposals of article N") },
	{ "tui", "list-keys", NULL, N_("print every key binding and exit") },
	{ "rectify", "finding", "SUBJECT", N_("add: a finding of this subject (an inventory id)") },
	{ "rectify", "inventory", "INV", N_("add: the subject's inventory, if its id is in more than one") },
	{ "rectify", "rule", "RULE", N_("add: one rule of the finding (else all of --article)") },
	{ "rectify", "item", "ITEM", N_("add: a check item") },
	{ "rectify", "article", "N", N_("add: an article, or the finding's article; list: only article N") },
	{ "rectify", "measure", "TEXT", N_("the measure taken (整改措施)") },
	{ "rectify", "unit", "UNIT", N_("the responsible unit") },
	{ "rectify", "owner", "NAME", N_("the responsible person; list: only theirs") },
	{ "rectify", "deadline", "DATE", N_("the deadline (整改时限), judged against today") },
	{ "rectify", "status", "S", N_("the new status; list: only this status") },
	{ "rectify", "reason", "TEXT", N_("why it is cancelled (required to cancel)") },
	{ "rectify", "note", "TEXT", N_("a dated progress note") },
	{ "rectify", "evidence", "FILE", N_("an evidence file, recorded with its SHA-256 (repeatable)") },
	{ "rectify", "overdue", NULL, N_("list: only the overdue ones") },
	{ "rectify", "apply", NULL, N_("plan: create the proposed rectifications") },
	{ "log", "verify", NULL, N_("check the audit log's hash chain") },
	{ "merge", "replace", NULL, N_("a later report of the same unit supersedes the accepted one") },
	{ "merge", "accept-expired", "REASON", N_("accept a certificate expired by the time of receipt, saying why") },
	{ "report", "draft", NULL, N_("a draft: unanswered items and a stale score allowed, marked 草稿") },
	{ "report", "accept-generated", NULL, N_("print the body's generated text where the inspector wrote none") },
	{ "report", "sign", NULL, N_("sign the report with the unit's key when it is written") },
	{ "report", "key", "KEY", N_("the signing key (PEM)") },
	{ "report", "cert", "CERT", N_("the signer's certificate") },
	{ "report", "chain", "FILE", N_("the CA certificates between the signer and the anchor") },
	{ "report", "name", "NAME", N_("the person who signs, when the certificate names only the unit") },
	{ "sign", "key", "KEY", N_("the signing key (PEM)") },
	{ "sign", "cert", "CERT", N_("the signer's certificate") },
	{ "sign", "chain", "FILE", N_("the CA certificates between the signer and the anchor") },
	{ "sign", "reason", "TEXT", N_("the signature's reason") },
	{ "sign", "location", "TEXT", N_("the signature's location") },
	{ "sign", "force", NULL, N_("sign even what does not look like a zhijian report") },
	{ "verify", "at", "DATE", N_("judge the certificates at DATE (a recorded receipt) rather than now") },
	{ "verify", "scope", NULL, N_("also check the signer is certified within this workspace's part of the tree") },
	{ "keygen", "unit", "NAME", N_("the unit's name, whole (the certificate's O)") },
	{ "keygen", "name", "SIGNER", N_("the person who signs (the certificate's CN)") },
	{ "keygen", "algo", "ALG", N_("ecdsa (P-256, the default) or rsa (3072 bits)") },
	{ "keygen", "csr", NULL, N_("write a certificate request for the level above instead of a self-signed certificate") },
	{ "keygen", "no-passphrase", NULL, N_("store the key unencrypted (warned about)") },
	{ "ca", "key", "CAKEY", N_("the CA's key") },
	{ "ca", "cert", "CACERT", N_("the CA's certificate") },
	{ "ca", "start", "DATE", N_("the certificate is valid from DATE (default: now)") },
	{ "ca", "date", "DATE", N_("revoke: the date of revocation (default: now)") },
	{ "ca", "reason", "TEXT", N_("revoke: why") },
	{ "config", "unset", NULL, N_("forget the value") },
	{ "narrative", "generated", NULL, N_("show the text generated from the data, not the inspector's") },
};

static const struct opt_help *find(const char *cmd, const char *opt)
{
	const struct opt_help *any = NULL;

	for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++) {
		if (strcmp(helps[i].opt, opt))
			continue;
		if (helps[i].cmd && cmd && !strcmp(helps[i].cmd, cmd))
			return &helps[i];
		if (!helps[i].cmd)
			any = &helps[i];
	}
	return any;
}

void cmd_print_help(const char *cmd, const char *usage, const struct option *opts)
{
	int w = 0;

	printf("%s%s\n", _("usage: "), _(usage));
	for (const struct option *o = opts; o && o->name; o++) {
		const struct opt_help *h = find(cmd, o->name);
		int ow = (int)strlen(o->name) + 2 + (h && h->arg ? (int)strlen(h->arg) + 1 : 0);

		if (ow > w)
			w = ow;
	}
	if (!opts || !opts->name)
		return;
	printf("\n%s\n", _("options:"));
	for (const struct option *o = opts; o->name; o++) {
		const struct opt_help *h = find(cmd, o->name);
		char left[96];

		snprintf(left, sizeof(left), "--%s%s%s", o->name, h && h->arg ? " " : "", h && h->arg ? h->arg : "");
		printf("  %-*s  %s\n", w, left, h ? _(h->help) : "");
	}
	printf("\n%s\n", _("Global options --db PATH and --today DATE go before or after the command; see zhijian(1)."));
}

int cmd_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts, const char *cmd,
	       const char *usage)
{
	char so[64];
	int c;

	/* getopt's own messages would name the subcommand ("add: …"); ours
	 * say "zhijian:" as every other error does. */
	opterr = 0;
	snprintf(so, sizeof(so), ":%s", shortopts);
	c = getopt_long(argc, argv, so, longopts, NULL);
	if (c == '?' || c == ':') {
		const char *bad = optind > 0 && optind <= argc ? argv[optind - 1] : "?";

		if (!strcmp(bad, "--help") || !strcmp(bad, "-h")) {
			cmd_print_help(cmd, usage, longopts);
			fflush(stdout);
			exit(ferror(stdout) ? EXIT_FAIL : EXIT_OK);
		}
		if (c == ':')
			error_msg(_("option '%s' needs a value"), bad);
		else
			error_msg(_("unknown option '%s'"), bad);
		return '?';
	}
	if (c == 'h') {
		cmd_print_help(cmd, usage, longopts);
		fflush(stdout);
		exit(ferror(stdout) ? EXIT_FAIL : EXIT_OK);
	}
	return c;
}
