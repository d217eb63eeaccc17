/*
 * selfpath.h: where the running binary's own files are.
 *
 * A build tree (`build/zhijian`, as a newcomer runs it) uses the checklist,
 * data files and message catalogues it was built with, even where an older
 * version is installed; an installed binary uses PKGDATADIR and LOCALEDIR.
 * So every lookup tries the binary's directory first, then the install
 * paths compiled in.
 */
#ifndef ZJ_UTIL_SELFPATH_H
#define ZJ_UTIL_SELFPATH_H

#include <stddef.h>

/* The directory holding the running binary (from /proc/self/exe), or NULL
 * when it cannot be read.  Static storage. */
const char *self_dir(void);

/* A readable data file: SELF_DIR/../REL (a build tree: checklists/…,
 * data/…) if there is one, else PKGDATADIR/INSTALLED_REL (REL when
 * INSTALLED_REL is NULL).  Written into buf; returns buf, or NULL when
 * neither is readable (buf then holds the installed path, for messages). */
const char *data_file(const char *rel, const char *installed_rel, char *buf, size_t size);

/* The message catalogues' directory: SELF_DIR/locale when the binary was
 * built with them beside it (make puts BUILD/locale next to BUILD/zhijian),
 * else LOCALEDIR.  Static storage. */
const char *locale_dir(void);

#endif
