#!/bin/sh
# Makes sure the zh_CN.UTF-8 locale exists for the tests that run under it
# (Debian's locales package generates it from /etc/locale.gen).
locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$' && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "warning: no zh_CN.UTF-8 locale; as root: echo 'zh_CN.UTF-8 UTF-8' >>/etc/locale.gen && locale-gen" >&2
	exit 0
fi
grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null || echo 'zh_CN.UTF-8 UTF-8' >>/etc/locale.gen
locale-gen >/dev/null 2>&1 || { echo "error: locale-gen failed" >&2; exit 1; }
