#include "util/i18n.h"

#include <string.h>

int i18n_chinese_labels(void)
{
	/* TRANSLATORS: not shown.  Translate as "field-labels:header" to
	 * label inventory fields by their Chinese CSV headers (名称, 主办单位)
	 * and levels and inventories by their Chinese names, instead of their
	 * English keys (name, host_unit, county, apps). */
	return !strcmp(_("field-labels:key"), "field-labels:header");
}
