/* Words for the reader: Chinese terms under a Chinese catalogue, English
 * words (the keys the options take) otherwise; see cmd.h. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>

#include "core/checklist.h"
#include "core/inventory.h"
#include "core/rectify.h"
#include "util/i18n.h"

const char *label_inventory(int kind)
{
	/* The TUI's short names (应用程序, not 政务应用程序): they fit a
	 * table's column; the msgids are the keys, so C shows "apps". */
	static const char *const names[INV_COUNT] = { N_("apps"), N_("accounts"), N_("groups") };

	return kind >= 0 && kind < INV_COUNT ? _(names[kind]) : "";
}

const char *label_field(const struct inventory *inv, int col)
{
	/* The header of the contract is what a unit's spreadsheet says. */
	return i18n_chinese_labels() ? inv->cols[col].header : inv->cols[col].key;
}

const char *label_severity(int sev)
{
	return i18n_chinese_labels() ? severity_label((enum severity)sev) : severity_key((enum severity)sev);
}

const char *label_state(int violated)
{
	return violated ? _("violated") : _("unknown");
}

const char *label_rect_status(int status, int narrow)
{
	static char buf[RS_COUNT][64];
	static const char *const words[RS_COUNT] = {
		N_("pending"), N_("in progress"), N_("done"), N_("verified"), N_("cancelled"),
	};

	if (status < 0 || status >= RS_COUNT)
		return "";
	if (i18n_chinese_labels())
		return rect_status_label((enum rect_status)status);
	if (narrow)
		return _(words[status]);
	return rect_status_text((enum rect_status)status, buf[status], sizeof(buf[status]));
}

const char *label_problem_type(int type, int narrow)
{
	static char buf[PT_COUNT][64];

	if (type < 0 || type >= PT_COUNT)
		return "";
	if (i18n_chinese_labels())
		return problem_type_label(type);
	if (narrow)
		return problem_type_key(type);
	snprintf(buf[type], sizeof(buf[type]), "%s (%s)", problem_type_label(type), problem_type_key(type));
	return buf[type];
}

const char *label_rect_status_key(const char *key, int narrow)
{
	int s = key ? rect_status_parse(key) : -1;

	return s < 0 ? (key ? key : "") : label_rect_status(s, narrow);
}
