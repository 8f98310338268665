# SPDX-License-Identifier: LGPL-2.1-or-later
"""Checks the systemd sandbox itself: the test units really do what their names promise, the bus
outlives a killed manager, and stop leaves no process, cgroup or mount behind.

usage: test_systemd_sandbox.py SANDBOX_SCRIPT UNITS_DIR
"""

import errno
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

from gi.repository import Gio, GLib

SANDBOX = sys.argv[1] if __name__ == '__main__' else None
UNITS_DIR = sys.argv[2] if __name__ == '__main__' else None
SIGNAL_WAIT_S = 20


class Sandbox:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='pd-sbx-', dir='/tmp')
        subprocess.run([SANDBOX, 'start', self.dir] + glob.glob(os.path.join(UNITS_DIR, '*')),
                       check=True)

    def env(self, key):
        """A value of the sandbox's env file, which start-manager rewrites."""
        with open(os.path.join(self.dir, 'env'), encoding='utf-8') as env:
            return dict(line.rstrip('\n').split('=', 1) for line in env)[key]

    def script(self, command):
        subprocess.run([SANDBOX, command, self.dir], check=True)

    def systemctl(self, *args):
        result = subprocess.run([SANDBOX, 'run', self.dir, 'systemctl', '--user'] + list(args),
                                capture_output=True, text=True, check=False)
        return result.returncode, result.stdout.strip()

    def log(self):
        with open(os.path.join(self.dir, 'systemd.log'), encoding='utf-8',
                  errors='replace') as log:
            return log.read()

    def remove(self):
        self.script('stop')
        shutil.rmtree(self.dir, ignore_errors=True)


def bus_connection(address):
    return Gio.DBusConnection.new_for_address_sync(
        address, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
        Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)


def manager_owner(connection):
    """The unique name owning org.freedesktop.systemd1, or None."""
    try:
        reply = connection.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
                                     'org.freedesktop.DBus', 'GetNameOwner',
                                     GLib.Variant('(s)', ('org.freedesktop.systemd1',)),
                                     None, Gio.DBusCallFlags.NONE, 2000, None)
    except GLib.Error:
        return None
    return reply.unpack()[0]


def processes_pointing_at(path):
    """PIDs whose command line or environment names path."""
    found = []
    needle = path.encode()
    for proc in glob.glob('/proc/[0-9]*'):
        try:
            with open(proc + '/cmdline', 'rb') as cmdline, open(proc + '/environ', 'rb') as env:
                if needle in cmdline.read() or needle in env.read():
                    found.append(int(os.path.basename(proc)))
        except OSError:
            continue
    return found


def running(pid):
    """Whether pid runs; a zombie does not, and here PID 1 reaps orphans only after a while."""
    try:
        with open(f'/proc/{pid}/stat', encoding='utf-8') as stat:
            return stat.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except FileNotFoundError:
        return False


def process_state(pid):
    """The state letter of a process and its parent's pid."""
    with open(f'/proc/{pid}/stat', encoding='utf-8') as stat:
        state, parent = stat.read().rsplit(')', 1)[1].split()[:2]
    return state, int(parent)


def top_cgroups(pid):
    with open(f'/proc/{pid}/cgroup', encoding='utf-8') as cgroups:
        return {line.rstrip('\n').split(':', 2)[2].split('/')[1] for line in cgroups} - {''}


def sandbox_cgroup_dirs(pid):
    """The top-level cgroups holding pid but not this test, in every cgroup hierarchy."""
    tops = top_cgroups(pid) - top_cgroups('self')
    mounts = []
    with open('/proc/self/mountinfo', encoding='utf-8') as mountinfo:
        for line in mountinfo:
            fields = line.split()
            if fields[fields.index('-') + 1] in ('cgroup', 'cgroup2'):
                mounts.append(fields[4])
    return [os.path.join(m, t) for m in mounts for t in tops if os.path.isdir(os.path.join(m, t))]


class TestUnits(unittest.TestCase):
    """Each test unit does what its name promises in a real manager."""

    @classmethod
    def setUpClass(cls):
        cls.sandbox = Sandbox()

    @classmethod
    def tearDownClass(cls):
        cls.sandbox.remove()

    def assertSystemctl(self, expected_output, *args):
        code, output = self.sandbox.systemctl(*args)
        self.assertEqual(output, expected_output, f'systemctl {args}:\n{self.sandbox.log()}')
        return code

    def test_http_unit_listens_once_started(self):
        self.assertEqual(self.sandbox.systemctl('start', 'plinth-test-http.service')[0], 0)
        self.assertSystemctl('active', 'is-active', 'plinth-test-http.service')
        socket.create_connection(('127.0.0.1', 19471), timeout=5).close()

    def test_udp_unit_holds_its_port_once_started(self):
        self.assertEqual(self.sandbox.systemctl('start', 'plinth-test-udp.service')[0], 0)
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        with self.assertRaises(OSError) as bound:
            probe.bind(('127.0.0.1', 19472))
        probe.close()
        self.assertEqual(bound.exception.errno, errno.EADDRINUSE)

    def test_echo_socket_activates_its_service(self):
        self.assertEqual(self.sandbox.systemctl('start', 'plinth-test-echo.socket')[0], 0)
        self.assertSystemctl('inactive', 'is-active', 'plinth-test-echo.service')
        with socket.create_connection(('127.0.0.1', 19473), timeout=5) as client:
            client.sendall(b'ping')
            self.assertEqual(client.recv(16), b'ping')
        self.assertSystemctl('active', 'is-active', 'plinth-test-echo.service')

    def test_slow_template_instance_starts(self):
        self.assertEqual(self.sandbox.systemctl('start', 'plinth-test-slow@a.service')[0], 0)
        self.assertSystemctl('active', 'is-active', 'plinth-test-slow@a.service')

    def test_failing_unit_ends_failed(self):
        self.assertNotEqual(self.sandbox.systemctl('start', 'plinth-test-fail.service')[0], 0)
        self.assertSystemctl('failed', 'is-active', 'plinth-test-fail.service')

    def test_never_ready_unit_stays_activating(self):
        self.assertEqual(
            self.sandbox.systemctl('start', '--no-block', 'plinth-test-never-ready.service')[0], 0)
        self.assertSystemctl('activating', 'is-active', 'plinth-test-never-ready.service')
        self.assertEqual(self.sandbox.systemctl('stop', 'plinth-test-never-ready.service')[0], 0)

    def test_enable_creates_the_alias(self):
        self.assertSystemctl('disabled', 'is-enabled', 'plinth-test-renamed.service')
        self.assertEqual(self.sandbox.systemctl('enable', 'plinth-test-renamed.service')[0], 0)
        self.assertSystemctl('enabled', 'is-enabled', 'plinth-test-renamed.service')
        self.assertSystemctl('alias', 'is-enabled', 'plinth-test-oldname.service')
        self.assertEqual(self.sandbox.systemctl('start', 'plinth-test-oldname.service')[0], 0)
        self.assertSystemctl('active', 'is-active', 'plinth-test-renamed.service')

    def test_systemd_log_is_written(self):
        self.assertNotEqual(self.sandbox.systemctl('start', 'plinth-test-fail.service')[0], 0)
        self.assertIn('plinth-test-fail.service', self.sandbox.log())

    def test_a_frozen_manager_keeps_its_name_and_answers_once_thawed(self):
        connection = bus_connection(self.sandbox.env('DBUS_SESSION_BUS_ADDRESS'))
        self.addCleanup(connection.close_sync, None)
        self.sandbox.script('freeze-manager')
        self.addCleanup(self.sandbox.script, 'thaw-manager')
        self.assertIsNotNone(manager_owner(connection))
        with self.assertRaises(GLib.Error):
            self.ping_manager(connection)

        self.sandbox.script('thaw-manager')
        self.ping_manager(connection)
        # The console relay stops itself with the manager; stopped, it would block its log.
        _, console = process_state(int(self.sandbox.env('MANAGER_PID')))
        self.assertNotIn(process_state(console)[0], ('T', 't'))

    @staticmethod
    def ping_manager(connection):
        connection.call_sync('org.freedesktop.systemd1', '/org/freedesktop/systemd1',
                             'org.freedesktop.DBus.Peer', 'Ping', None, None,
                             Gio.DBusCallFlags.NONE, 500, None)


class TestLifecycle(unittest.TestCase):
    """The bus outlives the manager; stop leaves nothing behind."""

    def test_restart_under_a_connected_client_then_stop_leaves_nothing(self):
        sandbox = Sandbox()
        self.addCleanup(shutil.rmtree, sandbox.dir, ignore_errors=True)
        try:
            self.restart_under_a_connected_client(sandbox)
            pids = {int(sandbox.env('BUS_PID')), int(sandbox.env('MANAGER_PID'))}
            cgroups = sandbox_cgroup_dirs(int(sandbox.env('MANAGER_PID')))
        finally:
            sandbox.script('stop')
        self.assertEqual(processes_pointing_at(sandbox.dir), [])
        self.assertEqual([pid for pid in pids if running(pid)], [])
        self.assertEqual([cg for cg in cgroups if os.path.exists(cg)], [])
        with open('/proc/self/mountinfo', encoding='utf-8') as mountinfo:
            self.assertNotIn(sandbox.dir, mountinfo.read())
        # stop is idempotent.
        sandbox.script('stop')

    def restart_under_a_connected_client(self, sandbox):
        self.assertEqual(sandbox.systemctl('start', 'plinth-test-http.service')[0], 0)
        connection = bus_connection(sandbox.env('DBUS_SESSION_BUS_ADDRESS'))
        first_owner = manager_owner(connection)
        self.assertIsNotNone(first_owner)
        changes = []
        connection.signal_subscribe(
            'org.freedesktop.DBus', 'org.freedesktop.DBus', 'NameOwnerChanged',
            '/org/freedesktop/DBus', 'org.freedesktop.systemd1', Gio.DBusSignalFlags.NONE,
            lambda *args: changes.append(args[5].unpack()), None)

        sandbox.script('kill-manager')
        self.assertIsNone(manager_owner(connection))
        with self.assertRaises(ConnectionRefusedError):
            socket.create_connection(('127.0.0.1', 19471), timeout=5).close()

        sandbox.script('start-manager')
        second_owner = manager_owner(connection)
        self.assertIsNotNone(second_owner)
        self.assertNotEqual(second_owner, first_owner)

        deadline = time.monotonic() + SIGNAL_WAIT_S
        context = GLib.MainContext.default()
        while len(changes) < 2 and time.monotonic() < deadline:
            context.iteration(False) or time.sleep(0.01)
        self.assertEqual(changes, [('org.freedesktop.systemd1', first_owner, ''),
                                   ('org.freedesktop.systemd1', '', second_owner)])
        connection.close_sync(None)


if __name__ == '__main__':
    check = subprocess.run([SANDBOX, 'check'], check=False)
    if check.returncode != 0:
        sys.exit(check.returncode)
    unittest.main(argv=sys.argv[:1], verbosity=2)
