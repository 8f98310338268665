#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""plinth-daemons as installed, on a booted system: the build installed with `meson install`
into a container whose PID 1 is the real systemd, reached only through the system bus and the
installed files (bus activation, the shipped unit and its sandbox, the bus policy, the polkit
actions and rules, the system journal).

usage: test_system.py MESON BUILD_ROOT LOG_DIR PREFIX COCKPIT
COCKPIT is "true" where the build installs the Cockpit page."""

import json
import os
import re
import signal
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import container  # noqa: E402
import terminal  # noqa: E402
from waiting import WAIT_S, LineReader, wait_until  # noqa: E402

MESON, BUILD_ROOT, LOG_DIR, PREFIX, COCKPIT = sys.argv[1:6]
FILES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'root')
SERVICE = 'plinth-daemons.service'
SERVICE_USER = 'plinth-daemons'
USER = 'plinth-test'
PASSWORD = 'plinth-test-password'
BUS_NAME = 'org.freedesktop.Plinth.Daemons'
OBJECT_PATH = '/org/freedesktop/Plinth/Daemons'
NOT_AUTHORIZED = 5  # plinthctl's exit code
UNSET = 2**64 - 1  # a counter the cgroup does not account

# What the test's polkit rules grant the non-root user: one app, and another one only with the
# user's own password.
GRANT_RULES = """
polkit.addRule(function(action, subject) {
    if (subject.user != "%(user)s" || action.id != "org.freedesktop.Plinth.Daemons.manage-apps")
        return polkit.Result.NOT_HANDLED;
    if (action.lookup("app") == "sys-granted")
        return polkit.Result.YES;
    if (action.lookup("app") == "sys-slow")
        return polkit.Result.AUTH_SELF;
    return polkit.Result.NOT_HANDLED;
});
""" % {'user': USER}

# Holds a lease on the unit given until its stdin closes.
LEASE_HOLDER = """
import sys, dbus
bus = dbus.SystemBus()
_, lease = bus.call_blocking('%(name)s', '%(path)s', '%(name)s', 'EnsureUnitRunning', 's',
                             [sys.argv[1]], timeout=60)
fd = lease.take()
print('held', flush=True)
sys.stdin.read()
""" % {'name': BUS_NAME, 'path': OBJECT_PATH}


class SystemTest(unittest.TestCase):
    """One booted system for every scenario, in the order of their names: each builds on the
    state the one before left."""

    @classmethod
    def setUpClass(cls):
        cls.system = container.Container(MESON, BUILD_ROOT, FILES, LOG_DIR)
        try:
            took = cls.system.wait_until_running()
            print(f'booted in {took:.1f} s, meson install included', file=sys.stderr)
            cls.system.run('useradd', '--create-home', USER)
            cls.system.run('chpasswd', input=f'{USER}:{PASSWORD}\n')
        except BaseException:
            cls.stop_system()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.stop_system()

    @classmethod
    def stop_system(cls):
        left, took = cls.system.stop()
        print(f'powered off in {took:.1f} s', file=sys.stderr)
        if left:
            raise AssertionError('the system test left behind:\n' + '\n'.join(left))

    def plinthctl(self, *args, user=None, check=True):
        return self.system.run('plinthctl', '--no-ask-password', *args, user=user,
                               check=check)

    def systemctl(self, *args):
        return self.system.run('systemctl', *args, check=False).stdout.strip()

    def service_status(self):
        pid = self.systemctl('show', '--value', '-p', 'MainPID', SERVICE)
        self.assertNotEqual(pid, '0', 'the service does not run')
        status = self.system.run('cat', f'/proc/{pid}/status').stdout
        return dict(line.split(':\t', 1) for line in status.splitlines() if ':\t' in line)

    def test_00_the_system_bus_is_the_one_asked_for(self):
        # The machine's /etc may alias dbus.service to another bus; the test says which runs.
        asked = os.environ.get('PLINTH_TEST_BUS', 'dbus-daemon')
        unit = {'dbus-daemon': 'dbus.service', 'dbus-broker': 'dbus-broker.service'}[asked]
        self.assertEqual(self.systemctl('show', '--value', '-p', 'Id', 'dbus.service'), unit)
        self.assertEqual(self.systemctl('is-active', unit), 'active')

    def test_01_a_users_first_call_activates_the_hardened_service(self):
        self.assertEqual(self.systemctl('is-active', SERVICE), 'inactive')
        listing = self.plinthctl('list', user=USER).stdout
        for app in ('sys-web', 'sys-granted', 'sys-slow'):
            self.assertIn(app, listing)
        self.assertEqual(self.systemctl('is-active', SERVICE), 'active')
        status = self.service_status()
        self.assertEqual(status['NoNewPrivs'], '1')
        self.assertEqual(status['CapEff'], '0' * 16)
        self.assertEqual(status['CapPrm'], '0' * 16)

        self.assertEqual(status['Uid'].split()[0],
                         self.system.run('id', '-u', SERVICE_USER).stdout.strip())
        journal_gid = self.system.run('getent', 'group', 'systemd-journal').stdout.split(':')[2]
        self.assertIn(journal_gid, status['Groups'].split())
        # The live unit's exposure, as the install test rates the file offline.
        exposure = self.system.run('systemd-analyze', 'security', '--threshold=11', SERVICE)
        print(exposure.stdout.splitlines()[-1], file=sys.stderr)

    def test_02_enable_and_disable_drive_real_system_units(self):
        self.plinthctl('enable', 'sys-web')
        self.assertEqual(self.systemctl('is-enabled', 'plinth-sys-web.service'), 'enabled')
        self.assertEqual(self.systemctl('is-active', 'plinth-sys-web.service'), 'active')
        self.plinthctl('disable', 'sys-web')
        self.assertEqual(self.systemctl('is-enabled', 'plinth-sys-web.service'), 'disabled')
        self.assertEqual(self.systemctl('is-active', 'plinth-sys-web.service'), 'inactive')
        # The next scenarios diagnose it, read its logs and its status.
        self.plinthctl('enable', 'sys-web')

    def busctl(self, method, signature='', *args, user=None, check=True):
        result = self.system.run('busctl', '--json=short', 'call', BUS_NAME, OBJECT_PATH,
                                 BUS_NAME, method, signature, *args, user=user, check=check)
        return json.loads(result.stdout)['data'] if result.returncode == 0 else result

    def test_03_diagnoses_see_the_port_and_connect(self):
        # Running, listening (netlink sock_diag) and two connect checks, one negated.
        checks = {check[0]: check[2] for check in self.busctl('DiagnoseApp', 's', 'sys-web')[0]}
        self.assertEqual(len(checks), 4, checks)
        self.assertEqual(set(checks.values()), {'passed'}, checks)
        self.assertIn('daemon-listening-tcp4-19571', checks)

    def test_04_logs_and_follow_read_the_system_journal(self):
        self.assertIn('plinth-sys-web starting',
                      self.plinthctl('logs', 'plinth-sys-web.service').stdout)
        follow = self.follow_web_log()
        follow.close()

    def follow_web_log(self):
        """`plinthctl logs --follow` of sys-web's daemon, once a line written after it began
        has come through the stream."""
        follow = LineReader(self.system.popen(
            'plinthctl', 'logs', '--follow', 'plinth-sys-web.service', stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True))
        try:
            self.assertIsNotNone(follow.wait_for('plinth-sys-web starting'),
                                 'no line of the past')
            self.system.run('systemctl', 'restart', 'plinth-sys-web.service')
            invocation = self.systemctl('show', '--value', '-p', 'InvocationID',
                                        'plinth-sys-web.service')
            self.assertIsNotNone(follow.wait_for(f'plinth-sys-web starting {invocation}'),
                                 'the restart\'s line did not follow')
        except BaseException:
            follow.close()
            raise
        return follow

    def test_05_unit_status_counts_what_the_cgroup_accounts(self):
        def systemd_counters():
            shown = self.system.run('systemctl', 'show', '-p', 'MemoryCurrent', '-p',
                                    'CPUUsageNSec', '-p', 'TasksCurrent',
                                    'plinth-sys-web.service').stdout
            return {k: UNSET if v == '[not set]' else int(v)
                    for k, v in (line.split('=', 1) for line in shown.splitlines())}

        before = systemd_counters()
        status = {k: v['data'] for k, v in
                  self.busctl('GetUnitStatus', 's', 'plinth-sys-web.service')[0].items()}
        after = systemd_counters()
        self.assertEqual(status['ActiveState'], 'active')
        self.assertEqual(status['MainPID'], int(self.systemctl(
            'show', '--value', '-p', 'MainPID', 'plinth-sys-web.service')))
        for counter in ('MemoryCurrent', 'CPUUsageNSec', 'TasksCurrent'):
            print(f'{counter}: systemd {before[counter]}, the service {status[counter]}',
                  file=sys.stderr)
            if before[counter] == UNSET:
                # No controller for it here: systemd and the service both say so.
                self.assertEqual(status[counter], UNSET, counter)
            elif counter == 'MemoryCurrent':
                self.assertGreater(status[counter], 0)
            else:
                self.assertLessEqual(before[counter], status[counter], counter)
                self.assertLessEqual(status[counter], after[counter], counter)
        # CPU usage is in cgroup2's cpu.stat whatever the controllers: it is always counted.
        self.assertNotEqual(status['CPUUsageNSec'], UNSET)

    def test_06_a_lease_keeps_a_unit_running_until_released(self):
        unit = 'plinth-sys-granted.service'
        held = self.plinthctl('ensure-running', unit, '--', 'systemctl', 'is-active', unit)
        self.assertEqual(held.stdout.strip().splitlines()[-1], 'active')
        wait_until(lambda: self.systemctl('is-active', unit) == 'inactive',
                   'the released unit stops')
        self.assertEqual(self.systemctl('is-enabled', unit), 'disabled')

    def test_07_reload_and_sighup_read_the_admins_apps(self):
        late = '/etc/plinth-daemons/apps.d/sys-late.toml'
        later = '/etc/plinth-daemons/apps.d/sys-later.toml'
        self.addCleanup(self.system.run, 'rm', '-f', late, later)
        app = '[app]\nid = "%s"\n\n[[components]]\nkind = "related-daemon"\n' \
              'id = "related-%s"\nunit = "plinth-sys-slow.service"\n'
        self.system.write(late, app % ('sys-late', 'sys-late'))
        self.assertIn('sys-late', self.plinthctl('reload').stdout)
        pid = self.systemctl('show', '--value', '-p', 'MainPID', SERVICE)
        self.system.write(later, app % ('sys-later', 'sys-later'))
        self.system.run('systemctl', 'reload', SERVICE)
        wait_until(lambda: 'sys-later' in self.plinthctl('list').stdout,
                   'SIGHUP reads the new app')
        self.assertEqual(self.systemctl('show', '--value', '-p', 'MainPID', SERVICE), pid)

    def test_08_polkit_decides_for_a_user(self):
        refused = self.plinthctl('enable', 'sys-web', user=USER, check=False)
        self.assertEqual(refused.returncode, NOT_AUTHORIZED, refused.stderr)
        # Allowed to ask for a password, with no agent to ask: polkit's answer is no.
        refused = self.system.run('gdbus', 'call', '--system', '--interactive', '--dest',
                                  BUS_NAME, '--object-path', OBJECT_PATH, '--method',
                                  f'{BUS_NAME}.EnableApp', 'sys-granted', user=USER, check=False)
        self.assertIn(f'{BUS_NAME}.Error.NotAuthorized', refused.stderr)
        refused = self.plinthctl('logs', 'plinth-sys-web.service', user=USER, check=False)
        self.assertEqual(refused.returncode, NOT_AUTHORIZED, refused.stderr)

        self.grant()
        self.assertEqual(self.systemctl('is-active', 'plinth-sys-granted.service'), 'active')
        refused = self.plinthctl('enable', 'sys-web', user=USER, check=False)
        self.assertEqual(refused.returncode, NOT_AUTHORIZED, refused.stderr)
        self.plinthctl('disable', 'sys-granted', user=USER)
        self.assertEqual(self.systemctl('is-active', 'plinth-sys-granted.service'), 'inactive')

    def grant(self):
        """Installs GRANT_RULES, removed after the test; returns once they are in force, with
        sys-granted enabled by the user."""
        rules = '/etc/polkit-1/rules.d/50-plinth-system-test.rules'
        self.addCleanup(self.system.run, 'rm', '-f', rules)
        self.system.write(rules, GRANT_RULES)
        # polkitd reads a changed rules directory again within moments.
        wait_until(lambda: self.plinthctl('enable', 'sys-granted', user=USER,
                                          check=False).returncode == 0,
                   'the rule grants the user sys-granted')

    def test_09_plinthctls_agent_asks_for_the_users_password(self):
        self.grant()
        self.plinthctl('disable', 'sys-granted', user=USER)
        # A terminal in a logind session (su - opens one; --pty keeps the terminal the
        # command's own), where plinthctl starts pkttyagent.
        output = terminal.run_answering_password(
            self.system.command('su', '--pty', '-', USER, '-c',
                                'plinthctl enable sys-slow; echo "exit $?"'),
            container.ENVIRONMENT, PASSWORD, until=b'exit ')
        # Without the spinner plinthctl draws while it waits.
        text = re.sub(r'\r[-|/\\] Enabling sys-slow\.\.\.', '', output.decode(errors='replace'))
        self.assertIn(f'Authenticating as: {USER}', text)
        self.assertIn('AUTHENTICATION COMPLETE', text)
        self.assertIn('exit 0', text)
        self.assertEqual(self.systemctl('is-active', 'plinth-sys-slow.service'), 'active')
        self.plinthctl('disable', 'sys-slow')

    def service_pid(self):
        return self.systemctl('show', '--value', '-p', 'MainPID', SERVICE)

    def test_10_a_restart_ends_a_follow_stream_cleanly(self):
        follow = self.follow_web_log()
        try:
            old = self.service_pid()
            self.system.run('systemctl', 'restart', SERVICE)
            # The stream's end, then plinthctl's: success, nothing on stderr.
            follow.wait_for_end()
            status = follow.process.wait(timeout=WAIT_S)
            self.assertEqual((status, follow.process.stderr.read()), (0, ''))
        finally:
            follow.close()
        self.assertNotIn(self.service_pid(), (old, '0'))
        self.assertIn('sys-web', self.plinthctl('list').stdout)

    def test_10a_a_lease_outlives_a_restart_and_a_kill_of_the_service(self):
        unit = 'plinth-sys-granted.service'
        # The holder keeps its lease until its stdin closes.
        holder = self.system.popen(
            '/usr/bin/python3', '-c', LEASE_HOLDER, unit, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            self.assertEqual(holder.stdout.readline().strip(), 'held')
            held = ('enabled-runtime', 'active')
            self.assertEqual(self.lease_state(unit), held)
            self.assertEqual(self.systemctl('show', '--value', '-p', 'NFileDescriptorStore',
                                            SERVICE), '1')
            for disturb in (lambda: self.system.run('systemctl', 'restart', SERVICE),
                            lambda: self.system.run('kill', '-9', self.service_pid())):
                old = self.service_pid()
                disturb()
                wait_until(lambda: self.service_pid() not in (old, '0'),
                           'systemd starts the service again')
                self.assertIn('sys-web', self.plinthctl('list').stdout)
                self.assertEqual(self.lease_state(unit), held)
                self.assertEqual(self.systemctl('show', '--value', '-p',
                                                'NFileDescriptorStore', SERVICE), '1')
            holder.stdin.close()
            self.assertEqual(holder.wait(timeout=WAIT_S), 0)
            wait_until(lambda: self.lease_state(unit) == ('disabled', 'inactive'),
                       'the lease taken back ends with its descriptor')
            self.assertEqual(self.systemctl('show', '--value', '-p', 'NFileDescriptorStore',
                                            SERVICE), '0')
        finally:
            holder.kill()
            holder.wait()
            for pipe in (holder.stdin, holder.stdout, holder.stderr):
                pipe.close()

    def lease_state(self, unit):
        return (self.systemctl('is-enabled', unit), self.systemctl('is-active', unit))

    def enable_while(self, disturb):
        """Enables sys-slow and calls disturb() while its daemon is starting; returns
        plinthctl's exit code and its stderr."""
        enable = self.system.popen('plinthctl', 'enable', 'sys-slow', stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        try:
            wait_until(lambda: self.systemctl('is-active', 'plinth-sys-slow.service') ==
                       'activating', 'sys-slow starts')
            disturb()
            _, stderr = enable.communicate(timeout=60)
        finally:
            enable.kill()
            enable.communicate()
        return enable.returncode, stderr

    def test_11_an_enable_outlives_a_daemon_reexec(self):
        status, stderr = self.enable_while(lambda: self.system.run('systemctl', 'daemon-reexec'))
        self.assertEqual(status, 0, stderr)
        self.assertEqual(self.systemctl('is-enabled', 'plinth-sys-slow.service'), 'enabled')
        self.assertEqual(self.systemctl('is-active', 'plinth-sys-slow.service'), 'active')
        self.plinthctl('disable', 'sys-slow')

    def test_12_after_a_kill_the_next_call_reactivates_and_a_repeat_fixes(self):
        killed = self.service_pid()
        status, stderr = self.enable_while(lambda: self.system.run('kill', '-9', killed))
        print(f'plinthctl enable when the service was killed: exit {status}: {stderr}',
              file=sys.stderr)
        self.assertNotEqual(status, 0)
        # Served by a new instance: systemd restarted it (Restart=on-failure) or the call
        # activated it.
        self.assertIn('sys-slow', self.plinthctl('list', user=USER).stdout)
        self.assertNotIn(self.service_pid(), (killed, '0'))
        self.plinthctl('enable', 'sys-slow')
        self.assertEqual(self.systemctl('is-enabled', 'plinth-sys-slow.service'), 'enabled')
        self.assertEqual(self.systemctl('is-active', 'plinth-sys-slow.service'), 'active')


    def test_13_the_shipped_rules_keep_the_services_user_to_app_units(self):
        def as_service_user(*args):
            return self.system.run('systemctl', '--no-ask-password', *args, user=SERVICE_USER,
                                   check=False)

        self.addCleanup(self.system.run, 'systemctl', 'stop', 'plinth-sys-granted.service')
        started = as_service_user('start', 'plinth-sys-granted.service')
        self.assertEqual(started.returncode, 0, started.stderr)
        for unit in ('systemd-journald.service', 'dbus.service', 'polkit.service',
                     'multi-user.target'):
            refused = as_service_user('restart', unit)
            self.assertIn('Access denied', refused.stderr, unit)

    @unittest.skipUnless(COCKPIT == 'true', 'the build installs no Cockpit page')
    def test_14_the_cockpit_page_after_a_password_login(self):
        for needed in ('/usr/bin/chromium', '/usr/lib/cockpit/cockpit-ws'):
            self.assertTrue(os.path.exists(needed), f'{needed} is not installed '
                            '(tools/install-deps installs it)')
        # Enabled on the machine, cockpit.socket is masked in the container like every other
        # enabled unit.
        self.system.run('rm', '-f', '/etc/systemd/system/cockpit.socket')
        self.system.run('systemctl', 'daemon-reload')
        self.system.run('systemctl', 'start', 'cockpit.socket')
        self.addCleanup(self.system.run, 'systemctl', 'stop', 'cockpit.socket')
        self.grant()
        self.plinthctl('disable', 'sys-granted', user=USER)
        # The browser runs on the machine, in the container's network namespace only.
        page = subprocess.run(
            ['nsenter', '-t', str(self.system.pid), '-n', '--', sys.executable,
             os.path.join(os.path.dirname(os.path.abspath(__file__)), 'cockpit_page.py'),
             USER, PASSWORD, 'sys-granted', 'sys-web'],
            capture_output=True, text=True, timeout=180, check=False)
        seen = json.loads(page.stdout or '{}')
        self.assertNotIn('error', seen, seen or page.stderr)
        self.assertEqual(sorted(seen['listed']), ['sys-granted', 'sys-slow', 'sys-web'])
        self.assertEqual(self.systemctl('is-active', 'plinth-sys-granted.service'), 'active')
        self.assertEqual(self.systemctl('is-enabled', 'plinth-sys-granted.service'), 'enabled')
        self.assertIn('Could not disable System Test Web', seen['refused message'])
        self.assertEqual(self.systemctl('is-active', 'plinth-sys-web.service'), 'active')
        self.plinthctl('disable', 'sys-granted')


def terminated(signo, frame):
    raise RuntimeError(f'terminated by signal {signo}')


if __name__ == '__main__':
    # meson's timeout sends SIGTERM: fail the running test, so that the system is powered off.
    signal.signal(signal.SIGTERM, terminated)
    missing = container.missing_tools()
    reason = None
    if os.geteuid() != 0:
        reason = 'needs root to boot a container'
    elif missing:
        reason = 'missing ' + ', '.join(missing) + ' (tools/install-deps installs them)'
    elif PREFIX != '/usr':
        reason = f'the build is for {PREFIX}, not /usr (meson setup --prefix=/usr)'
    if reason:
        # Under CI a skip would hide what did not run: there it fails.
        print(('FAIL (skips are failures in CI): ' if os.environ.get('CI') == 'true'
               else 'SKIP: ') + reason)
        sys.exit(1 if os.environ.get('CI') == 'true' else 77)
    unittest.main(argv=sys.argv[:1], verbosity=2)
