#include "util/selfpath.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"

const char *self_dir(void)
{
	static char dir[PATH_MAX];
	static int done;
	ssize_t n;
	char *slash;

	if (done)
		return dir[0] ? dir : NULL;
	done = 1;
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	if (n <= 0) {
		dir[0] = '\0';
		return NULL;
	}
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (!slash) {
		dir[0] = '\0';
		return NULL;
	}
	*slash = '\0';
	return dir;
}

const char *data_file(const char *rel, const char *installed_rel, char *buf, size_t size)
{
	const char *dir = self_dir();
	int n;

	if (dir) {
		n = snprintf(buf, size, "%s/../%s", dir, rel);
		if (n > 0 && (size_t)n < size && access(buf, R_OK) == 0)
			return buf;
	}
	n = snprintf(buf, size, "%s/%s", ZJ_PKGDATADIR, installed_rel ? installed_rel : rel);
	if (n > 0 && (size_t)n < size && access(buf, R_OK) == 0)
		return buf;
	return NULL;
}

const char *locale_dir(void)
{
	static char path[PATH_MAX];
	const char *dir = self_dir();
	struct stat st;
	int n;

	if (dir) {
		n = snprintf(path, sizeof(path), "%s/locale", dir);
		if (n > 0 && (size_t)n < sizeof(path) && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return path;
	}
	return ZJ_LOCALEDIR;
}
