/*
 * i18n.h: gettext for every user-visible string of the CLI and the TUI.
 *
 * Wrap messages in _() where they are printed and N_() where they sit in a
 * static table.  Library code fills struct zj_error with _() text too, so a
 * zh_CN catalogue translates errors as well.  The PDF report is Chinese by
 * design and does not go through gettext.
 */
#ifndef ZJ_I18N_H
#define ZJ_I18N_H

#include <libintl.h>

#define ZJ_TEXTDOMAIN "zhijian"
#define _(s) gettext(s)
#define N_(s) (s)

/* Whether the catalogue in use names fields, levels and inventories in
 * Chinese (a zh_CN catalogue does): the CLI and the TUI then show 名称 and
 * 县级 where the C locale shows the keys name and county. */
int i18n_chinese_labels(void);

#endif
