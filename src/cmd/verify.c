/* zhijian verify: is this report signed, whole, trusted, in time, and ours? */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/submission.h"
#include "sign/verify.h"
#include "util/i18n.h"

static const char usage[] = "zhijian verify FILE.pdf... [--trust FILE_OR_DIR]";

/* One exit status per verdict, so scripts can tell them apart. */
static const struct {
	int code;
	const char *what;	/* N_() */
} verdicts[] = {
	[VERIFY_OK] = { EXIT_OK, N_("valid") },
	[VERIFY_NO_SIGNATURE] = { 10, N_("no signature") },
	[VERIFY_MODIFIED] = { 11, N_("modified after signing") },
	[VERIFY_NOT_COVERED] = { 12, N_("not covered by the signature") },
	[VERIFY_UNTRUSTED] = { 13, N_("untrusted or unknown issuer") },
	[VERIFY_EXPIRED] = { 14, N_("certificate not valid at the signing time") },
	[VERIFY_UNIT_MISMATCH] = { 15, N_("unit mismatch") },
	[VERIFY_NO_DATA] = { 16, N_("no embedded data") },
	[VERIFY_MALFORMED] = { EXIT_DATA, N_("not a readable PDF") },
	[VERIFY_ERROR] = { EXIT_FAIL, N_("cannot verify") },
};

static void detail(const char *label, const char *value)
{
	if (value && *value)
		printf("  %-12s %s\n", label, value);
}

static int verify_one(const char *path, const struct verify_opts *o)
{
	struct verify_result r;
	enum verify_status st = verify_file(path, o, &r);
	char buf[512];

	if (st == VERIFY_ERROR) {
		error_msg("%s", r.reason);
		return verdicts[st].code;
	}
	if (st == VERIFY_OK)
		printf(_("%s: valid\n"), path);
	else
		printf(_("%s: NOT VALID (%s)\n"), path, _(verdicts[st].what));
	detail(_("signed by"), r.signer);
	detail(_("issued by"), r.issuer);
	detail(_("sha256"), r.fingerprint);
	if (r.signed_at[0]) {
		snprintf(buf, sizeof(buf), "%s (%s)", r.signed_at, r.time_source ? r.time_source : "?");
		detail(_("signed at"), buf);
	}
	if (r.anchor[0]) {
		if (r.chain_len == 1)
			snprintf(buf, sizeof(buf), _("the certificate is itself the anchor '%s'"), r.anchor);
		else
			snprintf(buf, sizeof(buf), _("through %zu certificates to '%s'"), r.chain_len, r.anchor);
		detail(_("trusted"), buf);
	}
	if (r.covered && st != VERIFY_NOT_COVERED && st != VERIFY_MODIFIED) {
		snprintf(buf, sizeof(buf), _("the whole file, %zu bytes"), r.file_size);
		detail(_("covers"), buf);
	}
	if (r.data_unit[0]) {
		snprintf(buf, sizeof(buf), "%s: %s%s%s%s", SUBMISSION_NAME, r.data_unit, r.data_code[0] ? " (" : "",
			 r.data_code, r.data_code[0] ? ")" : "");
		detail(_("data"), buf);
	}
	if (st != VERIFY_OK)
		error_msg("'%s': %s", path, r.reason);
	return verdicts[st].code;
}

int cmd_verify(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "trust", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct verify_opts o = { .trust = getenv("ZHIJIAN_TRUST") };
	int c, status = EXIT_OK;

	(void)ctx;
	if (o.trust && !*o.trust)
		o.trust = NULL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't': o.trust = optarg; break;
		case 'h': printf("%s%s\n", _("usage: "), usage); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	if (optind >= argc)
		return usage_error(usage, "%s", _("which PDF? (FILE.pdf)"));
	for (int i = optind; i < argc; i++) {
		int rc = verify_one(argv[i], &o);

		if (status == EXIT_OK)
			status = rc;
	}
	return status;
}
