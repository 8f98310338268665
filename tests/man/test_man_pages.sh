#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Every man page renders without a warning from groff (a broken macro shows readers raw
# markup or loses text), and plinthctl(1) documents every command plinthctl knows.
#
# usage: test_man_pages.sh PLINTHCTL PAGE...

set -eu

plinthctl=$1
shift

. "$(dirname "$0")/../skip.sh"

command -v man >/dev/null || skip "man (man-db) is not installed"
command -v groff >/dev/null || skip "groff (groff-base) is not installed"

status=0
for page in "$@"; do
	for width in 80 60; do
		warnings=$(LC_ALL=C.UTF-8 MANWIDTH=$width man --warnings -l "$page" 2>&1 >/dev/null)
		if [ -n "$warnings" ]; then
			echo "FAIL: $(basename "$page") at $width columns:"
			echo "$warnings"
			status=1
		fi
	done
done

for page in "$@"; do
	case $page in
	*plinthctl.1) ctl_page=$page ;;
	esac
done
rendered=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$ctl_page" 2>/dev/null)
commands=$("$plinthctl" __complete commands)
[ "$(printf '%s\n' "$commands" | wc -l)" -ge 20 ] || {
	echo "FAIL: plinthctl lists too few commands: $commands"
	exit 1
}
for command in $commands; do
	if ! printf '%s\n' "$rendered" | grep -Eq "^ +$command( |$)"; then
		echo "FAIL: plinthctl(1) does not document '$command'"
		status=1
	fi
done

[ $status -eq 0 ] && echo "ok: $# pages render cleanly; plinthctl(1) documents every command"
exit $status
