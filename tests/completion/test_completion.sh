#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The bash completion offers plinthctl's commands and options, and stays quiet (no error on
# the terminal) when it cannot reach the service for app ids and units.
#
# usage: test_completion.sh COMPLETION_SCRIPT PLINTHCTL

set -u

script=$1
PATH=$(dirname "$2"):$PATH
# shellcheck source=/dev/null
. "$script"

status=0

# complete WORD... : the completions of the last word.
complete_line() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_plinthctl
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}

expect() {
	local want=$1
	shift
	local got
	got=$(complete_line "$@" 2>&1)
	if [ "$got" != "$want" ]; then
		echo "FAIL: '$*' completes to '$got', not '$want'"
		status=1
	fi
}

expect 'start status stop ' plinthctl st
expect 'diagnose disable disable-unit ' plinthctl di
expect 'is-enabled is-running ' plinthctl --json is
expect '--json ' plinthctl status --js
expect 'unmask ' plinthctl --address unix:path=/nonexistent/bus unm
expect 'ensure-running ' plinthctl ens
# After the unit, the command to run: the shell's commands.
expect 'truncate ' plinthctl ensure-running a.service truncat
# No service on that bus: nothing to offer, and nothing on stderr.
expect ' ' plinthctl --address unix:path=/nonexistent/bus enable w
expect ' ' plinthctl --address ''

[ $status -eq 0 ] && echo "ok: commands and options complete; a missing service stays quiet"
exit $status
