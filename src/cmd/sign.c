/* zhijian sign: sign an existing report (or any PDF) with a unit's key. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "report/report.h"
#include "sign/keys.h"
#include "sign/sign.h"
#include "util/i18n.h"

static const char usage[] =
	"zhijian sign IN.pdf -o OUT.pdf --key KEY --cert CERT [--chain FILE]\n"
	"                    [--passphrase-file FILE] [--reason TEXT] [--location TEXT] [--force]";

int cmd_sign(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "cert", required_argument, NULL, 'c' },
		{ "chain", required_argument, NULL, 'C' },
		{ "passphrase-file", required_argument, NULL, 'p' },
		{ "reason", required_argument, NULL, 'r' },
		{ "location", required_argument, NULL, 'l' },
		{ "force", no_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *key = NULL, *cert = NULL, *chain = NULL, *passfile = NULL, *out = NULL, *bad;
	struct sign_opts so = { 0 };
	struct zj_error err = { "" };
	struct signer *s = NULL;
	int force = 0, c;
	char when[32];

	(void)ctx;
	if ((bad = passphrase_on_command_line(argc, argv)))
		return usage_error(usage, _("'%.*s': passphrases never go on the command line; use --passphrase-file FILE"),
				   (int)strcspn(bad, "="), bad);
	optind = 1;
	while ((c = cmd_getopt(argc, argv, "ho:", opts, "sign", usage)) != -1) {
		switch (c) {
		case 'k': key = optarg; break;
		case 'c': cert = optarg; break;
		case 'C': chain = optarg; break;
		case 'p': passfile = optarg; break;
		case 'r': so.reason = optarg; break;
		case 'l': so.location = optarg; break;
		case 'f': force = 1; break;
		case 'o': out = optarg; break;
		case 'h': printf("%s%s\n", _("usage: "), _(usage)); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	if (optind >= argc)
		return usage_error(usage, "%s", _("which PDF? (IN.pdf)"));
	if (optind + 1 < argc)
		return usage_error(usage, _("unexpected argument '%s'"), argv[optind + 1]);
	if (!out)
		return usage_error(usage, "%s", _("-o OUT.pdf is required"));
	if (!key || !cert)
		return usage_error(usage, "%s", _("--key and --cert are required"));
	so.when = time(NULL);
	warn_key_files(key, passfile);
	if (signer_load(&s, key, cert, chain, passfile, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	/* The level above checks the certificate at the signing time and
	 * would reject this; say so now, not after the upload. */
	if (signer_check_time(s, so.when, &err) < 0) {
		if (!force) {
			error_msg(_("%s; the level above would reject the signature (--force signs anyway)"), err.msg);
			signer_free(s);
			return EXIT_FAIL;
		}
		error_msg(_("warning: %s; signing anyway (--force)"), err.msg);
	}
	if (pdf_sign(argv[optind], out, s, &so, &err) < 0) {
		error_msg("%s", err.msg);
		signer_free(s);
		return EXIT_FAIL;
	}
	/* Local time with the zone, as report --sign says it. */
	{
		struct tm tm;

		localtime_r(&so.when, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %z", &tm);
	}
	printf(_("signed %s -> %s\n"), argv[optind], out);
	printf(_("  signer   %s\n"), s->subject ? s->subject : "?");
	printf(_("  time     %s\n"), when);
	printf(_("  sha256   %s\n"), s->fingerprint);
	signer_free(s);
	return EXIT_OK;
}

/* ---- zhijian report --sign ---------------------------------------------- */

int sign_args_refuse(int argc, char **argv, const char *u)
{
	const char *bad = passphrase_on_command_line(argc, argv);

	if (!bad)
		return 0;
	return usage_error(u, _("'%.*s': passphrases never go on the command line; use --passphrase-file FILE"),
			   (int)strcspn(bad, "="), bad);
}

int sign_args_option(struct sign_args *a, int c, const char *arg)
{
	switch (c) {
	case SIGN_OPT_SIGN: a->sign = 1; return 1;
	case SIGN_OPT_KEY: a->key = arg; return 1;
	case SIGN_OPT_CERT: a->cert = arg; return 1;
	case SIGN_OPT_CHAIN: a->chain = arg; return 1;
	case SIGN_OPT_PASSFILE: a->passfile = arg; return 1;
	case SIGN_OPT_NAME: a->name = arg; return 1;
	}
	return 0;
}

int sign_args_prepare(struct sign_args *a, struct report_signer *rs, const char *u)
{
	struct zj_error err = { "" };
	struct signer *s = NULL;
	struct tm tm;

	if (!a->sign) {
		if (a->key || a->cert || a->chain || a->passfile || a->name)
			return usage_error(u, "%s", _("--key, --cert, --chain, --passphrase-file and --name go with --sign"));
		return 0;
	}
	if (!a->key || !a->cert)
		return usage_error(u, "%s", _("--sign needs --key and --cert"));
	/* Before the report is made, so a wrong passphrase costs nothing and
	 * the page can show who signs, when, and with which certificate. */
	warn_key_files(a->key, a->passfile);
	if (signer_load(&s, a->key, a->cert, a->chain, a->passfile, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	a->when = time(NULL);
	if (signer_check_time(s, a->when, &err) < 0) {
		error_msg(_("%s; the level above would reject the signature"), err.msg);
		signer_free(s);
		return EXIT_FAIL;
	}
	/* The person who signs: the certificate's CN, unless it only repeats
	 * the unit's name (a certificate made without --name), when --name
	 * must say who; the page never names the unit as its signer. */
	if (s->name && *s->name && (!s->unit || strcmp(s->name, s->unit))) {
		if (a->name && strcmp(a->name, s->name)) {
			error_msg(_("--name '%s' is not the signer the certificate names ('%s')"), a->name, s->name);
			signer_free(s);
			return EXIT_USAGE;
		}
		rs->name = s->name;
	} else if (a->name && *a->name) {
		rs->name = a->name;
	} else {
		error_msg(_("the certificate names no person (its CN is the unit '%s'); say who signs with --name NAME"),
			  s->unit ? s->unit : "");
		signer_free(s);
		return EXIT_USAGE;
	}
	localtime_r(&a->when, &tm);
	strftime(a->time, sizeof(a->time), "%Y-%m-%d %H:%M:%S %z", &tm);
	{
		long off = tm.tm_gmtoff / 60;

		snprintf(a->time_cn, sizeof(a->time_cn), "%d年%d月%d日 %02d:%02d:%02d（UTC%c%02ld:%02ld）", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+', labs(off) / 60,
			 labs(off) % 60);
	}
	rs->unit = s->unit;
	rs->time = a->time_cn;
	rs->fingerprint = s->fingerprint;
	a->signer = s;
	return 0;
}

int sign_args_finish(struct sign_args *a, const char *path)
{
	struct sign_opts so = { .when = a->when };
	struct zj_error err = { "" };
	struct signer *s = a->signer;

	if (!s)
		return 0;
	if (pdf_sign(path, path, s, &so, &err) < 0) {
		/* No unsigned report where a signed one was asked for. */
		unlink(path);
		error_msg(_("%s; '%s' was not written"), err.msg, path);
		return -1;
	}
	return 0;
}

void sign_args_print(const struct sign_args *a)
{
	const struct signer *s = a->signer;

	if (s)
		printf(_("  signed by %s at %s\n  certificate sha256 %s\n"), s->subject ? s->subject : "?",
		       a->time, s->fingerprint);
}

void sign_args_release(struct sign_args *a)
{
	signer_free(a->signer);
	a->signer = NULL;
}
