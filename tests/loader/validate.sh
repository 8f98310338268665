#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# plinth-daemons --validate as an administrator runs it after editing definitions.
# Usage: validate.sh PLINTH_DAEMONS examples|broken|usage|config EXAMPLES_APPS_DIR

set -u
exe=$1 mode=$2 examples=$3

tmp=$(mktemp -d "${TMPDIR:-/tmp}/plinth-validate-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
# An empty configuration file keeps whatever the host has in /etc out of the test.
: >"$tmp/empty.toml"

fail() {
	echo "FAIL: $*"
	echo "--- stdout"; cat "$tmp/out"
	echo "--- stderr"; cat "$tmp/err"
	exit 1
}

# expect STATUS COMMAND...: runs the command, keeping its output in $tmp/out and $tmp/err.
expect() {
	want=$1; shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want"
}

contains() { # FILE TEXT
	grep -qF -- "$2" "$1" || fail "$1 lacks: $2"
}

case $mode in
examples)
	expect 0 "$exe" --config "$tmp/empty.toml" --validate --apps-dir "$examples"
	contains "$tmp/out" 'app wiki "Example Wiki"'
	contains "$tmp/out" "alias: plinth-example-rss.service"
	contains "$tmp/out" "listen-ports: 18053/tcp4, 18053/udp4, 127.0.0.1:18053/udp"
	contains "$tmp/out" "connect 127.0.0.1:18081, sends 19 bytes"
	contains "$tmp/out" "cannot-connect [::1]:18543"
	contains "$tmp/out" "plinth-example-db.service     backup-client  shared-daemon-backup-client-db"
	[ ! -s "$tmp/err" ] || fail "warnings or errors on stderr"
	;;
broken)
	mkdir "$tmp/apps"
	cp "$examples/wiki.toml" "$examples/webserver.toml" "$tmp/apps/"
	printf '[app]\nid = "broken"\n\n[[components]]\nkind = "daemon"\nid = "daemon-broken"\nunit = "broken@"\n' \
		>"$tmp/apps/broken.toml"
	expect 1 "$exe" --config "$tmp/empty.toml" --validate --apps-dir "$tmp/apps"
	contains "$tmp/err" "error: $tmp/apps/broken.toml:7:8: invalid unit: 'broken@' is a template"
	contains "$tmp/err" "1 definition file(s) rejected"
	[ ! -s "$tmp/out" ] || fail "registry printed although a file was rejected"
	;;
usage)
	expect 2 "$exe" --validate --no-such-option
	contains "$tmp/err" "unknown option '--no-such-option'"
	expect 2 "$exe" --log-level loud
	contains "$tmp/err" "--log-level must be trace, debug, info, warn or error, not 'loud'"
	expect 0 "$exe" --help
	for option in --config --bus --systemd-bus --apps-dir --state-dir --authorization \
		--log-level --validate --help --version; do
		contains "$tmp/out" "$option"
	done
	expect 0 "$exe" --version
	contains "$tmp/out" "plinth-daemons 0.1.0"
	# Without a bus to serve on, the service says so and fails instead of waiting.
	expect 1 "$exe" --config "$tmp/empty.toml" --bus "unix:path=$tmp/no-bus" \
		--systemd-bus "unix:path=$tmp/no-bus"
	contains "$tmp/err" "cannot use the bus"
	;;
config)
	printf 'apps-dirs = ["%s"]\nlog_level = "debug"\n' "$examples" >"$tmp/typo.toml"
	expect 1 "$exe" --config "$tmp/typo.toml" --validate
	contains "$tmp/err" "error: $tmp/typo.toml:2:1: unknown key 'log_level' in the configuration; did you mean 'log-level'?"
	expect 1 "$exe" --config "$tmp/missing.toml" --validate
	contains "$tmp/err" "$tmp/missing.toml: cannot open"
	# The configuration's directories apply, and --apps-dir wins over them.
	printf 'apps-dirs = ["%s"]\n' "$examples" >"$tmp/good.toml"
	expect 0 "$exe" --config "$tmp/good.toml" --validate
	contains "$tmp/out" "app wiki"
	expect 0 "$exe" --config "$tmp/good.toml" --validate --apps-dir "$tmp/nothing"
	contains "$tmp/out" "managed units:"
	grep -q "app wiki" "$tmp/out" && fail "--apps-dir did not replace apps-dirs"
	;;
*)
	echo "unknown mode $mode"
	exit 1
	;;
esac
echo "ok: $mode"
