#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs a real system-type dbus-daemon with Debian's own system.conf plus our policy, and checks
# what the policy promises: only the service's user owns the name, not even root; anyone may call
# our interface and the standard Properties, Introspectable and Peer interfaces, and receive our
# signals; nothing else of ours is reachable by an unprivileged caller.
#
# The service's user, plinth-daemons, exists only where the package is installed (the system test
# proves the policy with it): here the system user daemon (uid 1) stands in for it, in a copy of
# the policy that differs in that name only.
#
# usage: test_bus_policy.sh POLICY_FILE PEER_SCRIPT

set -eu

policy=$1
peer=$2
python=/usr/bin/python3
system_conf=/usr/share/dbus-1/system.conf
nobody=65534
service_user=daemon

. "$(dirname "$0")/../skip.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root to own the name and to act as another user"
command -v dbus-daemon >/dev/null || skip "dbus-daemon is not installed"
command -v setpriv >/dev/null || skip "setpriv is not installed"
[ -f "$system_conf" ] || skip "$system_conf is missing"
id messagebus >/dev/null 2>&1 || skip "the system bus user messagebus does not exist"
id "$service_user" >/dev/null 2>&1 || skip "the system user $service_user does not exist"
grep -qF '<policy user="plinth-daemons">' "$policy" || {
	echo "FAIL: $policy does not name the user plinth-daemons"
	exit 1
}
"$python" -c 'import dbus, gi' 2>/dev/null || skip "$python lacks the dbus or gi module"

scratch=$(mktemp -d)
# The bus drops to messagebus and the callers run as nobody: both must reach the socket.
chmod 755 "$scratch"
bus_pid=
serve_pid=
cleanup() {
	[ -z "$serve_pid" ] || kill "$serve_pid" 2>/dev/null || true
	[ -z "$bus_pid" ] || kill "$bus_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$scratch"
}
trap cleanup EXIT

# The callers run as nobody, who may not be able to read the source tree.
cp "$peer" "$scratch/peer.py"
peer=$scratch/peer.py
sed "s/<policy user=\"plinth-daemons\">/<policy user=\"$service_user\">/" "$policy" >"$scratch/policy.conf"
policy=$scratch/policy.conf

cat >"$scratch/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <include>$system_conf</include>
  <include>$policy</include>
</busconfig>
CONF

address=unix:path=$scratch/bus
dbus-daemon --config-file="$scratch/bus.conf" --address="$address" --nofork --nopidfile \
	--nosyslog 2>"$scratch/bus.log" &
bus_pid=$!
for _ in $(seq 100); do
	[ -S "$scratch/bus" ] && break
	sleep 0.05
done
[ -S "$scratch/bus" ] || {
	cat "$scratch/bus.log"
	echo "FAIL: dbus-daemon did not start"
	exit 1
}

as_nobody() {
	setpriv --reuid=$nobody --regid=$nobody --clear-groups "$@"
}

as_service_user() {
	setpriv --reuid="$service_user" --regid="$service_user" --clear-groups "$@"
}

failures=0
expect() {
	if [ "$2" = "$3" ]; then
		echo "ok: $1"
	else
		echo "FAIL: $1: expected '$3', got '$2'"
		failures=$((failures + 1))
	fi
}

expect "an unprivileged user may not own the name" \
	"$(as_nobody "$python" "$peer" own "$address")" org.freedesktop.DBus.Error.AccessDenied
expect "root may not own the name" \
	"$("$python" "$peer" own "$address")" org.freedesktop.DBus.Error.AccessDenied

as_service_user "$python" "$peer" serve "$address" >"$scratch/serve.out" 2>&1 &
serve_pid=$!
for _ in $(seq 100); do
	[ -s "$scratch/serve.out" ] && break
	sleep 0.05
done
expect "the service's user may own the name" "$(cat "$scratch/serve.out")" owned

as_nobody "$python" "$peer" call "$address" >"$scratch/call.out" 2>&1 || true
result() {
	sed -n "s/^$1: //p" "$scratch/call.out"
}
expect "anyone may call our interface" "$(result interface)" ok
expect "anyone may introspect" "$(result introspectable)" ok
expect "anyone may read properties" "$(result properties)" ok
expect "anyone may ping" "$(result peer)" ok
expect "other interfaces stay closed" "$(result other-interface)" \
	org.freedesktop.DBus.Error.AccessDenied
expect "anyone receives our signals" "$(result signal)" received

if [ "$failures" -ne 0 ]; then
	cat "$scratch/call.out" "$scratch/bus.log"
	exit 1
fi
echo "the bus policy holds"
