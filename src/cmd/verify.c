/* zhijian verify: is this report signed, whole, trusted, in time, and ours? */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/rollup.h"
#include "core/submission.h"
#include "sign/keys.h"
#include "sign/verify.h"
#include "util/i18n.h"
#include "util/utf8.h"
#include "util/when.h"

static const char usage[] =
	"zhijian verify FILE.pdf... [--trust FILE_OR_DIR] [--crl FILE_OR_DIR] [--at DATE] [--scope]";

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
	[VERIFY_BAD_DATA] = { 17, N_("embedded data refused") },
	[VERIFY_REVOKED] = { 18, N_("certificate revoked") },
	[VERIFY_OUT_OF_SCOPE] = { 19, N_("issued outside this level's part of the tree") },
};

static void detail(const char *label, const char *value)
{
	char safe[1024];

	if (value && *value) {
		/* Padded by display width: 签名者 is six columns, nine bytes. */
		fputs("  ", stdout);
		put_cell(stdout, label, 12, 0);
		printf(" %s\n", utf8_sanitize_copy(value, safe, sizeof(safe)));
	}
}

/* sign/verify's "2026-12-03 06:52:11 UTC" in local time with the zone, as
 * every other time is shown; anything else as it is. */
static const char *local_time(const char *utc, char buf[WHEN_TIME_SIZE])
{
	char iso[32];

	if (strlen(utc) != 23 || strcmp(utc + 19, " UTC"))
		return utc;
	snprintf(iso, sizeof(iso), "%.10sT%.8sZ", utc, utc + 11);
	return when_local(iso, 1, buf);
}

/* Where the signing time came from, for the reader. */
static const char *time_source(const char *s)
{
	if (!s)
		return "?";
	if (!strcmp(s, "/M"))
		return _("the signature dictionary's /M");
	if (!strcmp(s, "signing-time attribute"))
		return _("the signing-time attribute");
	return s;
}

/* With --scope: was the signer certified within the workspace's part of
 * the tree, as merge would judge it? */
static enum verify_status check_scope(struct cmd_ctx *ctx, struct verify_result *r)
{
	struct rollup_ca chain[VERIFY_MAX_CHAIN];
	struct zj_error err;
	int in;

	for (size_t i = 0; i < r->nca; i++) {
		chain[i].unit = r->ca[i].unit[0] ? r->ca[i].unit : NULL;
		chain[i].code = r->ca[i].code[0] ? r->ca[i].code : NULL;
		chain[i].subject = r->ca[i].subject;
		chain[i].fingerprint = r->ca[i].fingerprint;
	}
	in = rollup_scope(ctx->db, &ctx->ws, r->data_unit, r->data_code[0] ? r->data_code : NULL, chain, r->nca,
			  r->reason, sizeof(r->reason), &err);
	if (in < 0) {
		snprintf(r->reason, sizeof(r->reason), "%s", err.msg);
		return r->status = VERIFY_ERROR;
	}
	return in ? VERIFY_OK : (r->status = VERIFY_OUT_OF_SCOPE);
}

static int verify_one(const char *path, const struct verify_opts *o, struct cmd_ctx *ctx, int scope)
{
	struct verify_result r;
	enum verify_status st = verify_file(path, o, &r);
	char buf[1024], safe_path[512], when[WHEN_TIME_SIZE];

	utf8_sanitize_copy(path, safe_path, sizeof(safe_path));
	if (st == VERIFY_OK && scope)
		st = check_scope(ctx, &r);
	utf8_sanitize(r.reason);
	if (st == VERIFY_ERROR) {
		error_msg("%s", r.reason);
		return verdicts[st].code;
	}
	/* A valid signature over a draft is still a draft: say so first,
	 * since the level above will refuse to merge it. */
	if (st == VERIFY_OK && r.draft)
		printf(_("%s: valid signature, but a DRAFT (%lld items not confirmed): the level above will not merge it\n"),
		       safe_path, r.unconfirmed);
	else if (st == VERIFY_OK)
		printf(_("%s: valid\n"), safe_path);
	else
		printf(_("%s: NOT VALID (%s)\n"), safe_path, _(verdicts[st].what));
	detail(_("signed by"), r.signer);
	detail(_("issued by"), r.issuer);
	detail(_("sha256"), r.fingerprint);
	if (r.signed_at[0]) {
		snprintf(buf, sizeof(buf), _("%s (from %s)"), local_time(r.signed_at, when), time_source(r.time_source));
		detail(_("signed at"), buf);
	}
	if (r.judged_at[0]) {
		snprintf(buf, sizeof(buf), r.expired_overridden ? _("%s (expired by then; accepted as asked)") : "%s",
			 local_time(r.judged_at, when));
		detail(_("judged at"), buf);
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
		error_msg("'%s': %s", safe_path, r.reason);
	return verdicts[st].code;
}

int cmd_verify(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "trust", required_argument, NULL, 't' },
		{ "crl", required_argument, NULL, 'c' },
		{ "at", required_argument, NULL, 'a' },
		{ "scope", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct verify_opts o = { .trust = getenv("ZHIJIAN_TRUST") };
	int c, status = EXIT_OK, scope = 0;

	if (o.trust && !*o.trust)
		o.trust = NULL;
	optind = 1;
	while ((c = cmd_getopt(argc, argv, "h", opts, "verify", usage)) != -1) {
		switch (c) {
		case 't': o.trust = optarg; break;
		case 'c': o.crl = optarg; break;
		case 'a':
			if (time_parse(optarg, &o.at) < 0)
				return usage_error(usage, _("--at: '%s' is not a date (2026-06-30 or 2026-06-30T08:00:00Z)"),
						   optarg);
			break;
		case 's': scope = 1; break;
		case 'h': printf("%s%s\n", _("usage: "), _(usage)); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	if (optind >= argc)
		return usage_error(usage, "%s", _("which PDF? (FILE.pdf)"));
	if (scope && cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;
	for (int i = optind; i < argc; i++) {
		int rc = verify_one(argv[i], &o, ctx, scope);

		if (status == EXIT_OK)
			status = rc;
	}
	return status;
}
