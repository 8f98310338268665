#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The shipped journal catalog is one systemd reads: journalctl builds its database from it in
# a scratch root and lists the health entry's MESSAGE_ID with its subject.
set -eu
catalog=$1
message_id=$2
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/lib/systemd/catalog"
cp "$catalog" "$root/usr/lib/systemd/catalog/"
journalctl --root="$root" --update-catalog
listed=$(journalctl --root="$root" --list-catalog "$message_id")
echo "$listed"
case $listed in
"$message_id plinth-daemons: App @PLINTH_APP@ is @PLINTH_HEALTH@"*) ;;
*) echo "the catalog does not explain $message_id" >&2; exit 1 ;;
esac
journalctl --root="$root" --dump-catalog "$message_id" | grep -q 'plinthctl repair @PLINTH_APP@'
