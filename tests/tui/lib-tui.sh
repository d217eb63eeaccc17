# tests/tui/lib-tui.sh: sourced by tests/tui/tNNN-*.sh after tests/lib.sh.
# Drives the real binary inside a private tmux server: start it at a size,
# send keys, poll the screen until the expected text appears (bounded, no
# fixed sleeps), and stop it.  Each start gets its own tmux socket, named
# in $SCRATCH/.tui-sock so that later checks (subshells) find it; the
# servers are killed when the script ends.
#
#   tui_start COLS ROWS [VAR=VALUE...] [-- ARGS...]
#       runs "zhijian ARGS" (default: tui) in $SCRATCH under
#       LC_ALL=$TUI_LC (default C.UTF-8) with the built catalogues; its
#       stderr goes to $SCRATCH/tui.err and its exit status to tui.rc
#   tui_keys KEY...          tmux send-keys (use -l for literal text)
#   tui_screen [-e]          the screen as text (-e: with attributes)
#   tui_wait TEXT [SECONDS]  until the screen contains TEXT (default 10 s)
#   tui_wait_gone TEXT       until it no longer does
#   tui_wait_title TEXT      until the title line names the view TEXT
#                            (" · TEXT "), after a key that changes view
#   tui_exited               until the program has exited with status 0 and
#                            printed nothing on stderr (ASan reports go there)
#   tui_resize COLS ROWS

BUILD=${BUILD:-$(dirname "$ZHIJIAN")}
export BUILD

tui_sock() { cat "$SCRATCH/.tui-sock" 2>/dev/null || echo "zjtest-$$-none"; }

tui_stop() {
	for s in $(cat "$SCRATCH/.tui-socks" 2>/dev/null); do
		tmux -L "$s" kill-server 2>/dev/null
	done
	rm -f "$SCRATCH/.tui-socks"
}
# (KEEP_SCRATCH=DIR leaves the scratch directory to look at, as tests/lib.sh.)
if [ -n "${KEEP_SCRATCH:-}" ]; then trap 'tui_stop' EXIT; else trap 'tui_stop; rm -rf "$SCRATCH"' EXIT; fi

tui_start() {
	cols=$1 rows=$2
	shift 2
	envs= args=tui
	while [ $# -gt 0 ]; do
		case $1 in
		--) shift; args=$*; break ;;
		*) envs="$envs $1" ;;
		esac
		shift
	done
	n=$(($(wc -l <"$SCRATCH/.tui-socks" 2>/dev/null || echo 0) + 1))
	sock="zjtest-$$-$n"
	echo "$sock" >>"$SCRATCH/.tui-socks"
	echo "$sock" >"$SCRATCH/.tui-sock"
	rm -f "$SCRATCH/tui.rc" "$SCRATCH/tui.err"
	tmux -L "$sock" -f /dev/null new-session -d -x "$cols" -y "$rows" \
		"cd '$SCRATCH' && env LANGUAGE= LC_ALL=${TUI_LC:-C.UTF-8} ZHIJIAN_LOCALEDIR='$BUILD/locale' TERM=screen $envs '$ZHIJIAN' $args 2>'$SCRATCH/tui.err'; echo \$? >'$SCRATCH/tui.rc'; sleep 60"
}

tui_keys() { tmux -L "$(tui_sock)" send-keys "$@"; }
tui_screen() { tmux -L "$(tui_sock)" capture-pane -p "$@"; }
tui_resize() { tmux -L "$(tui_sock)" resize-window -x "$1" -y "$2"; }

tui_wait() {
	i=0 limit=$(( ${2:-10} * 20 ))
	while [ $i -lt $limit ]; do
		tui_screen >"$SCRATCH/.screen" 2>/dev/null
		grep -qF -- "$1" "$SCRATCH/.screen" && return 0
		[ -f "$SCRATCH/tui.rc" ] && break
		sleep 0.05
		i=$((i + 1))
	done
	echo "the screen never showed: $1"
	echo "--- screen"; cat "$SCRATCH/.screen"
	echo "--- stderr"; cat "$SCRATCH/tui.err" 2>/dev/null
	return 1
}

tui_wait_title() {
	i=0
	while [ $i -lt 200 ]; do
		tui_screen 2>/dev/null | head -n 1 >"$SCRATCH/.title"
		grep -qF -- "· $1 " "$SCRATCH/.title" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	echo "the title never named: $1"
	cat "$SCRATCH/.title"
	return 1
}

tui_wait_gone() {
	i=0
	while [ $i -lt 200 ]; do
		tui_screen >"$SCRATCH/.screen" 2>/dev/null
		grep -qF -- "$1" "$SCRATCH/.screen" || return 0
		sleep 0.05
		i=$((i + 1))
	done
	echo "the screen still shows: $1"
	cat "$SCRATCH/.screen"
	return 1
}

tui_exited() {
	i=0
	while [ ! -f "$SCRATCH/tui.rc" ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	if [ ! -f "$SCRATCH/tui.rc" ]; then
		echo "zhijian tui did not exit"; tui_screen; return 1
	fi
	if [ "$(cat "$SCRATCH/tui.rc")" != 0 ] || [ -s "$SCRATCH/tui.err" ]; then
		echo "zhijian tui exited with status $(cat "$SCRATCH/tui.rc")"
		cat "$SCRATCH/tui.err"
		return 1
	fi
}


# seps LINE: the display columns at which LINE has a '│', space-separated.
seps() {
	line=$1 out= pre=
	while :; do
		case $line in *│*) ;; *) break ;; esac
		pre="$pre${line%%│*}"
		out="$out $(dwidth "$pre")"
		pre="$pre|"
		line=${line#*│}
	done
	echo "$out"
}

