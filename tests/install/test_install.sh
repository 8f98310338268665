#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Installs the build into a scratch DESTDIR and checks that every system-integration file lands
# where D-Bus, systemd, polkit and gettext look for it, with the build's paths filled in. A file
# in the wrong directory is silently ignored by the system, so only this kind of test sees it.
#
# usage: test_install.sh MESON BUILD_ROOT DATADIR LIBEXECDIR LOCALEDIR UNITDIR BINDIR MANDIR
#        BASH_COMPLETIONS_DIR COCKPIT_DIR SYSUSERSDIR CATALOGDIR
# Directories are absolute, as the build configured them; UNITDIR is empty when no unit is
# installed, COCKPIT_DIR when the Cockpit page is not, CATALOGDIR when the catalog is not.

set -eu

meson=$1
build_root=$2
datadir=$3
libexecdir=$4
localedir=$5
unitdir=$6
bindir=$7
mandir=$8
completionsdir=$9
cockpitdir=${10}
sysusersdir=${11}
catalogdir=${12}

. "$(dirname "$0")/../skip.sh"

for tool in xmllint msgunfmt systemd-analyze; do
	command -v "$tool" >/dev/null || skip "$tool is not installed"
done

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

# --no-rebuild: the test must not race the build it is part of; meson test has built it already.
"$meson" install -C "$build_root" --destdir "$dest" --no-rebuild --quiet

failures=0
fail() {
	echo "FAIL: $1"
	failures=$((failures + 1))
}

# expect_file PATH: the file was installed (PATH without the DESTDIR).
expect_file() {
	if [ -f "$dest$1" ]; then
		echo "ok: $1"
		return 0
	fi
	fail "$1 was not installed"
	return 1
}

# expect_line FILE LINE: FILE has exactly this line.
expect_line() {
	grep -qxF "$2" "$dest$1" || fail "$1 lacks the line '$2'"
}

policy_conf=$datadir/dbus-1/system.d/org.freedesktop.Plinth.Daemons.conf
if expect_file "$policy_conf"; then
	xmllint --noout "$dest$policy_conf" || fail "$policy_conf is not well-formed XML"
	grep -qF '<allow own="org.freedesktop.Plinth.Daemons"/>' "$dest$policy_conf" ||
		fail "$policy_conf does not let the service own the name"
	grep -qF '<policy user="plinth-daemons">' "$dest$policy_conf" ||
		fail "$policy_conf does not name the service's user"
fi

activation=$datadir/dbus-1/system-services/org.freedesktop.Plinth.Daemons.service
if expect_file "$activation"; then
	expect_line "$activation" "[D-BUS Service]"
	expect_line "$activation" "Name=org.freedesktop.Plinth.Daemons"
	expect_line "$activation" "Exec=$libexecdir/plinth-daemons"
	expect_line "$activation" "User=plinth-daemons"
	expect_line "$activation" "SystemdService=plinth-daemons.service"
fi

if [ -n "$unitdir" ]; then
	unit=$unitdir/plinth-daemons.service
	if expect_file "$unit"; then
		expect_line "$unit" "Type=dbus"
		expect_line "$unit" "BusName=org.freedesktop.Plinth.Daemons"
		expect_line "$unit" "ExecStart=$libexecdir/plinth-daemons"
		expect_line "$unit" "StateDirectory=plinth-daemons"
		expect_line "$unit" "ExecReload=/bin/kill -HUP \$MAINPID"
		# Its own user, who reads the journal as a member of systemd-journal.
		expect_line "$unit" "User=plinth-daemons"
		expect_line "$unit" "SupplementaryGroups=systemd-journal"

		# systemd-analyze verify insists that ExecStart= exists; the binary is not what is
		# checked here, so point a copy at one that does. Any complaint about the unit
		# (unknown key, bad value) is a failure even though verify still exits 0.
		mkdir "$dest/verify"
		sed "s|^ExecStart=.*|ExecStart=/bin/true|" "$dest$unit" >"$dest/verify/plinth-daemons.service"
		# Only lines naming the unit count: verify may also grumble about the machine it
		# runs on (a container without systemd as PID 1).
		if ! report=$(systemd-analyze verify --man=no "$dest/verify/plinth-daemons.service" 2>&1) ||
			echo "$report" | grep -qF plinth-daemons.service; then
			fail "systemd-analyze verify rejects the unit: $report"
		fi

		# The sandbox, setting by setting: dropping any one of them moves the exposure score
		# below by only 0.2 or so, too little for a threshold to notice.
		for setting in CapabilityBoundingSet= NoNewPrivileges=yes ProtectSystem=strict \
			ProtectHome=yes PrivateTmp=yes PrivateDevices=yes ProtectKernelTunables=yes \
			ProtectKernelModules=yes ProtectKernelLogs=yes ProtectControlGroups=yes \
			ProtectClock=yes ProtectHostname=yes RestrictNamespaces=yes RestrictRealtime=yes \
			RestrictSUIDSGID=yes LockPersonality=yes MemoryDenyWriteExecute=yes \
			SystemCallArchitectures=native SystemCallFilter=@system-service \
			"SystemCallFilter=~@privileged @resources" ProcSubset=pid PrivateMounts=yes \
			"RestrictAddressFamilies=AF_UNIX AF_NETLINK AF_INET AF_INET6" UMask=0077 \
			RemoveIPC=yes PrivateUsers=yes; do
			expect_line "$unit" "$setting"
		done
		# The sandbox scores 1.1 with systemd 252 (1.6 as root), below systemd's own hostnamed
		# (1.5) and timesyncd (2.3).
		systemd-analyze security --offline=yes --threshold=11 "$dest$unit" >/dev/null 2>&1 ||
			fail "the unit's exposure is above 1.1: $(systemd-analyze security --offline=yes \
				"$dest$unit" 2>&1 | tail -1)"
	fi
fi

actions=$datadir/polkit-1/actions/org.freedesktop.Plinth.Daemons.policy
if expect_file "$actions"; then
	xmllint --noout "$dest$actions" || fail "$actions is not well-formed XML"
	for action in manage-apps manage-units reload read-logs ignore-checks; do
		grep -qF "<action id=\"org.freedesktop.Plinth.Daemons.$action\">" "$dest$actions" ||
			fail "$actions does not declare $action"
	done
	# Each action's description and message, in German.
	german=$(grep -c 'xml:lang="de"' "$dest$actions" || true)
	[ "$german" -eq 10 ] || fail "$actions has $german German strings, expected 10"
	# The service's user owns each action, so that it may check them for its callers.
	owned=$(grep -c '<annotate key="org.freedesktop.policykit.owner">unix-user:plinth-daemons</annotate>' \
		"$dest$actions" || true)
	[ "$owned" -eq 5 ] || fail "$actions names plinth-daemons the owner of $owned actions, expected 5"
	grep -qF '<message xml:lang="de">Authentifizierung ist erforderlich, um die App-Definitionen neu zu laden</message>' \
		"$dest$actions" || fail "$actions lacks the German message of reload"
fi

# What journalctl -x says of the health entries.
if [ -n "$catalogdir" ] && expect_file "$catalogdir/plinth-daemons.catalog"; then
	grep -q '^-- 16a09d725b694083879ea8bd2d01d587$' "$dest$catalogdir/plinth-daemons.catalog" ||
		fail "$catalogdir/plinth-daemons.catalog does not explain the health entries"
fi

# The service's user, and what polkit lets it ask of systemd.
if expect_file "$sysusersdir/plinth-daemons.conf"; then
	grep -q '^u plinth-daemons - ' "$dest$sysusersdir/plinth-daemons.conf" ||
		fail "$sysusersdir/plinth-daemons.conf does not create the user plinth-daemons"
fi
rules=$datadir/polkit-1/rules.d/plinth-daemons.rules
if expect_file "$rules"; then
	grep -qF 'subject.user != "plinth-daemons"' "$dest$rules" ||
		fail "$rules does not grant to the user plinth-daemons only"
fi

catalogue=$localedir/de/LC_MESSAGES/plinth-daemons.mo
if expect_file "$catalogue"; then
	msgunfmt "$dest$catalogue" | grep -qxF 'msgstr "Dienst {service_name} läuft"' ||
		fail "$catalogue lacks the German diagnostic templates"
fi

expect_file "$libexecdir/plinth-daemons" && [ -x "$dest$libexecdir/plinth-daemons" ] ||
	fail "$libexecdir/plinth-daemons is not executable"
for name in org.freedesktop.Plinth.Daemons org.freedesktop.Plinth.Daemons.App \
	    org.freedesktop.Plinth.Daemons.Unit; do
	interface=$datadir/dbus-1/interfaces/$name.xml
	if expect_file "$interface"; then
		xmllint --noout "$dest$interface" || fail "$interface is not well-formed XML"
		grep -qF "<interface name=\"$name\">" "$dest$interface" ||
			fail "$interface does not describe $name"
	fi
done

expect_file "$bindir/plinthctl" && [ -x "$dest$bindir/plinthctl" ] ||
	fail "$bindir/plinthctl is not executable"
if expect_file "$completionsdir/plinthctl"; then
	grep -q '^complete -F _plinthctl plinthctl$' "$dest$completionsdir/plinthctl" ||
		fail "$completionsdir/plinthctl does not register the completion"
fi
for page in man1/plinthctl.1 man8/plinth-daemons.8 man5/plinth-daemons.apps.5; do
	if expect_file "$mandir/$page"; then
		# The pages name this build's paths, not the placeholders of their sources.
		! grep -q '@[A-Z_]*@' "$dest$mandir/$page" || fail "$mandir/$page has a placeholder left"
	fi
done
grep -qF "$libexecdir/plinth\\-daemons" "$dest$mandir/man8/plinth-daemons.8" ||
	fail "plinth-daemons(8) does not name $libexecdir/plinth-daemons"

# Cockpit finds a page by its manifest; po.js asks for the German catalogue by this name.
if [ -n "$cockpitdir" ]; then
	for file in manifest.json index.html index.js po.de.js; do
		expect_file "$cockpitdir/$file" >/dev/null
	done
	grep -q '"Anwendungen"' "$dest$cockpitdir/po.de.js" ||
		fail "$cockpitdir/po.de.js lacks the German strings"
fi

[ "$failures" -eq 0 ] || exit 1
echo "all integration files are installed in place"
