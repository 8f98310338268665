#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Every catalogue in LINGUAS translates every string the sources mark, keeps the {placeholders}
# of each one, and compiles. A placeholder renamed in a translation would show users the raw
# template or lose a value; an untranslated string falls back to English without a word.
#
# usage: test_translations.sh SOURCE_ROOT XGETTEXT_ARG...
# The xgettext arguments are the ones po/meson.build extracts the catalogue with.

set -eu

source_root=$1
shift

. "$(dirname "$0")/../skip.sh"

for tool in xgettext msgfmt msgcmp msgexec; do
	command -v "$tool" >/dev/null || skip "$tool is not installed"
done

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Extract afresh rather than trusting a checked-in template that may be stale.
xgettext --from-code=UTF-8 -k_ "$@" -D "$source_root" -f "$source_root/po/POTFILES.in" \
	-o "$scratch/current.pot"

failures=0
# LINGUAS may list several languages on one line.
# shellcheck disable=SC2013
for lang in $(grep -v '^#' "$source_root/po/LINGUAS"); do
	po=$source_root/po/$lang.po

	if ! msgcmp --use-untranslated "$po" "$scratch/current.pot" 2>"$scratch/msgcmp"; then
		echo "FAIL: $lang.po misses strings the sources mark:"
		cat "$scratch/msgcmp"
		failures=$((failures + 1))
	fi

	stats=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1) || {
		echo "FAIL: $lang.po does not compile: $stats"
		failures=$((failures + 1))
	}
	case $stats in
	*fuzzy* | *untranslated*)
		echo "FAIL: $lang.po is incomplete: $stats"
		failures=$((failures + 1))
		;;
	esac

	# msgexec runs the check once per message, with the translation on stdin and the
	# original in MSGEXEC_MSGID; the header (empty msgid) has no placeholders to keep.
	# shellcheck disable=SC2016 # expanded by the inner shell
	if ! msgexec -i "$po" sh -c '
		[ -z "$MSGEXEC_MSGID" ] && exit 0
		want=$(printf "%s" "$MSGEXEC_MSGID" | grep -o "{[A-Za-z_][A-Za-z0-9_]*}" | sort -u)
		have=$(grep -o "{[A-Za-z_][A-Za-z0-9_]*}" | sort -u)
		[ "$want" = "$have" ] && exit 0
		echo "placeholders differ in \"$MSGEXEC_MSGID\": want [$want], have [$have]"
		exit 1'; then
		echo "FAIL: $lang.po changes placeholders"
		failures=$((failures + 1))
	fi
done

[ "$failures" -eq 0 ] || exit 1
echo "every catalogue is complete and keeps its placeholders"
