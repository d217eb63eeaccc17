#!/bin/sh
# Installs the Debian packages named on the command line that are missing:
# with apt-get when root, otherwise prints the exact command and fails.
missing=
for p in "$@"; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case "$s" in
	*" installed") ;;
	*) case " $missing " in *" $p "*) ;; *) missing="$missing $p" ;; esac ;;
	esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "installing Debian packages:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1 ||
	{ apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $missing >/dev/null; } ||
	{ echo "error: apt-get could not install:$missing" >&2; exit 1; }
	exit 0
fi
echo "error: missing Debian packages:$missing" >&2
echo "run as root:  apt-get install -y$missing" >&2
exit 1
