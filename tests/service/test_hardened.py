#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The real plinth-daemons run by a real systemd with every sandboxing setting of the shipped
unit: it still serves, records state, drives systemd and diagnoses its apps."""

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import dbus

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

UNIT_TEMPLATE = os.environ.get('PLINTH_UNIT_TEMPLATE')
APPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'apps')
UNITS = ['plinth-test-http.service', 'plinth-test-udp.service']
UNIT = 'plinth-daemons-hardened.service'
PARENT = '/var/lib'
# Settings of the shipped unit that are about how systemd supervises the service, not what it
# may do: the test watches for the name itself, on a bus the sandbox's manager is not on.
SUPERVISION = {'Type', 'BusName', 'ExecStart', 'ExecReload', 'Restart'}
# Who it runs as: a user manager runs everything as its own user, and the user plinth-daemons
# exists only where the package is installed (the system test runs the unit as it is).
IDENTITY = {'User', 'Group', 'SupplementaryGroups'}
# The shipped unit's watchdog, shortened so that a loop that stops telling systemd it is alive
# gets killed while the tests run.
WATCHDOG_S = 5


def sandbox_settings():
    """The [Service] settings of the shipped unit, as systemd-run properties."""
    settings = []
    section = None
    with open(UNIT_TEMPLATE, encoding='utf-8') as unit:
        for line in unit:
            line = line.strip()
            if line.startswith('['):
                section = line
            elif section == '[Service]' and line and not line.startswith('#'):
                key = line.split('=', 1)[0]
                if key not in SUPERVISION | IDENTITY:
                    settings.append(line)
    return settings


class HardenedServiceTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        # PrivateTmp= hides /tmp and /var/tmp from the service, ProtectHome= /home, /root and
        # /run/user, and its API file systems replace /run where /run is no mount of its own,
        # as on this kind of machine: what the service reaches lives under /var/lib.
        cls.sandbox = harness.Sandbox([os.path.join(harness.UNITS_DIR, u) for u in UNITS],
                                      parent=PARENT)
        cls.work = tempfile.mkdtemp(prefix='pd-hard-', dir=PARENT)
        try:
            cls.start_service()
        except BaseException:
            cls.clean_up()
            raise

    @classmethod
    def start_service(cls):
        cls.bus = harness.PrivateBus(cls.work)
        # The service's own copy, as an installed one, outside the build tree /tmp may hide.
        cls.binary = os.path.join(cls.work, 'plinth-daemons')
        shutil.copy(harness.SERVICE, cls.binary)
        cls.apps_dir = os.path.join(cls.work, 'apps.d')
        shutil.copytree(APPS, cls.apps_dir)
        cls.log_path = os.path.join(cls.work, 'service.log')
        # StateDirectory= of a user manager's unit is under its XDG_CONFIG_HOME.
        cls.state_dir = os.path.join(cls.sandbox.env['HOME'], '.config', 'plinth-daemons')
        # A soft limit on open files below the hard one, as services get on a booted system:
        # the service raises it itself, whatever its unit says.
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        properties = [s for s in sandbox_settings() if not s.startswith('WatchdogSec=')]
        properties += [f'WatchdogSec={WATCHDOG_S}s', f'StandardOutput=append:{cls.log_path}',
                       f'StandardError=append:{cls.log_path}', f'LimitNOFILE=1024:{hard}']
        # The sanitizers' leak check stops the process with ptrace, and their core-dump limit
        # is a setrlimit: the unit's system call filter forbids both, rightly.
        for name in ('ASAN_OPTIONS', 'UBSAN_OPTIONS'):
            if name in os.environ:
                properties.append(f'Environment={name}={os.environ[name]}'
                                  ':detect_leaks=0:disable_coredump=0')
        command = [cls.binary, '--bus', cls.bus.address, '--systemd-bus', cls.sandbox.bus,
                   '--state-dir', cls.state_dir, '--apps-dir', cls.apps_dir,
                   '--authorization', 'uid0', '--config', '/dev/null']
        subprocess.run([harness.SANDBOX, 'run', cls.sandbox.dir, 'systemd-run', '--user',
                        f'--unit={UNIT}'] + [arg for p in properties for arg in ('-p', p)] +
                       command, check=True, capture_output=True, text=True)
        cls.wait_for_name()

    @classmethod
    def clean_up(cls):
        try:
            cls.sandbox.stop()
        finally:
            if hasattr(cls, 'bus'):
                cls.bus.stop()
            shutil.rmtree(cls.work, ignore_errors=True)

    @classmethod
    def wait_for_name(cls):
        deadline = time.monotonic() + harness.STARTUP_TIMEOUT_S
        while True:
            owned = subprocess.run(
                ['busctl', f'--address={cls.bus.address}', 'call', 'org.freedesktop.DBus',
                 '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'NameHasOwner', 's',
                 harness.BUS_NAME], capture_output=True, text=True, check=False)
            if owned.stdout.strip() == 'b true':
                return
            if time.monotonic() > deadline:
                raise RuntimeError('the hardened service did not own its name:\n' + cls.log()
                                   + cls.sandbox.systemctl('status', UNIT))
            time.sleep(0.05)

    @classmethod
    def log(cls):
        with open(cls.log_path, encoding='utf-8', errors='replace') as log:
            return log.read()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.sandbox.systemctl('stop', UNIT)
        finally:
            cls.clean_up()

    def call(self, method, signature='', *args):
        return harness.busctl_call(self.bus.address, method, signature, *args)

    def process_status(self):
        pid = self.sandbox.systemctl('show', '--value', '-p', 'MainPID', UNIT)
        with open(f'/proc/{pid}/status', encoding='utf-8') as status:
            return dict(line.rstrip('\n').split(':\t', 1) for line in status if ':\t' in line)

    def test_1_the_sandbox_is_in_force(self):
        status = self.process_status()
        self.assertEqual(status['CapEff'], '0' * 16)
        self.assertEqual(status['NoNewPrivs'], '1')
        self.assertEqual(status['Seccomp'], '2')

    def test_1_its_limit_on_open_files_is_raised_to_the_hard_one(self):
        pid = self.sandbox.systemctl('show', '--value', '-p', 'MainPID', UNIT)
        with open(f'/proc/{pid}/limits', encoding='utf-8') as limits:
            line = next(line for line in limits if line.startswith('Max open files'))
        soft, hard = line.split()[3:5]
        self.assertEqual(int(hard), resource.getrlimit(resource.RLIMIT_NOFILE)[1], line)
        self.assertEqual(soft, hard, line)

    def test_1b_the_watchdog_keeps_hearing_from_the_loop(self):
        self.assertIn('WatchdogSec=1min', sandbox_settings())
        pid = self.sandbox.systemctl('show', '--value', '-p', 'MainPID', UNIT)
        time.sleep(2 * WATCHDOG_S + 1)
        self.assertEqual(self.sandbox.systemctl('show', '--value', '-p', 'MainPID', UNIT), pid,
                         self.log())
        self.assertEqual(self.sandbox.systemctl('is-active', UNIT), 'active', self.log())

    def test_2_it_records_state_drives_systemd_and_diagnoses(self):
        self.addCleanup(self.sandbox.systemctl, 'stop', *UNITS)
        self.call('EnableApp', 's', 'tools')
        self.assertTrue(os.path.exists(os.path.join(self.state_dir, 'leaderless-apps.toml')))
        self.call('EnableApp', 's', 'web')
        self.assertEqual(self.sandbox.systemctl('is-active', *UNITS), 'active\nactive')
        # Netlink for the listening sockets, TCP for the connect checks.
        results = {check[0]: check[2] for check in self.call('DiagnoseApp', 's', 'web')[0]}
        self.assertEqual(set(results.values()), {'passed'}, results)
        self.assertIn('daemon-listening-tcp4-19471', results)
        self.call('DisableApp', 's', 'web')
        self.call('DisableApp', 's', 'tools')

    def lease_state(self):
        return (self.sandbox.systemctl('is-enabled', UNITS[0]),
                self.sandbox.systemctl('is-active', UNITS[0]))

    def test_3_a_lease_survives_a_restart_of_the_service(self):
        self.addCleanup(self.sandbox.systemctl, 'disable', '--now', *UNITS)
        holder = dbus.bus.BusConnection(self.bus.address)
        self.addCleanup(holder.close)
        _, lease = holder.call_blocking(harness.BUS_NAME, harness.OBJECT_PATH,
                                        harness.INTERFACE, 'EnsureUnitRunning', 's',
                                        [UNITS[0]], timeout=60)
        fd = lease.take()
        self.assertEqual(self.lease_state(), ('enabled-runtime', 'active'))
        self.assertEqual(self.sandbox.systemctl('show', '--value', '-p', 'NFileDescriptorStore',
                                                UNIT), '1')

        before = self.sandbox.systemctl('show', '--value', '-p', 'MainPID', UNIT)
        self.sandbox.systemctl('restart', UNIT, check=True)
        self.assertNotEqual(self.sandbox.systemctl('show', '--value', '-p', 'MainPID', UNIT),
                            before)
        self.wait_for_name()
        self.assertTrue(harness.wait_until(lambda: 'took back the lease' in self.log(), 10),
                        self.log())
        # Taken back, the lease ends only with its descriptor: not when its holder leaves.
        holder.close()
        self.assertFalse(harness.wait_until(
            lambda: self.lease_state() != ('enabled-runtime', 'active'), 2),
            f'the lease ended early: {self.lease_state()}')
        os.close(fd)
        self.assertTrue(harness.wait_until(
            lambda: self.lease_state() == ('disabled', 'inactive'), 10),
            f'{UNITS[0]} is {self.lease_state()}:\n{self.log()}')
        self.assertTrue(harness.wait_until(
            lambda: self.sandbox.systemctl('show', '--value', '-p', 'NFileDescriptorStore',
                                           UNIT) == '0', 10),
            'the ended lease stayed in the store')

    def test_4_sigterm_still_ends_it_cleanly(self):
        self.sandbox.systemctl('stop', UNIT)
        self.assertEqual(self.sandbox.systemctl('show', '--value', '-p', 'Result', UNIT),
                         'success', self.log())


if __name__ == '__main__':
    harness.exit_if_sandbox_unavailable()
    unittest.main(verbosity=2)
