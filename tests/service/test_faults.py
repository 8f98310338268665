#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The real plinth-daemons when things around it fail: systemd, the bus, the state directory,
and under load from many clients at once."""

import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import load  # noqa: E402
from harness import BusError, ServiceTestCase  # noqa: E402

APPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'apps')
UNITS = ['plinth-test-http.service', 'plinth-test-udp.service', 'plinth-test-slow@.service',
         'plinth-test-renamed.service', 'plinth-test-echo.socket', 'plinth-test-echo.service',
         'plinth-test-fail.service', 'plinth-test-never-ready.service']
HTTP = 'plinth-test-http.service'
UDP = 'plinth-test-udp.service'
SLOW = 'plinth-test-slow@slow.service'
# Bounds on waiting for recovery or exit, not measurements: a hang fails instead of blocking.
RECOVERY_TIMEOUT_S = 20
EXIT_TIMEOUT_S = 10
SANITIZED = os.environ.get('PLINTH_SANITIZED') == '1'


class SystemdKilledTest(ServiceTestCase):
    UNITS = UNITS
    APPS_DIR = APPS

    def test_a_job_in_flight_fails_and_later_calls_work_on_the_new_manager(self):
        self.addCleanup(self.sandbox.systemctl, 'stop', SLOW, HTTP)
        slow = subprocess.Popen(
            ['gdbus', 'call', '--address', self.service.bus, '--dest', harness.BUS_NAME,
             '--object-path', harness.OBJECT_PATH, '--method',
             f'{harness.INTERFACE}.StartUnit', SLOW],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertTrue(harness.wait_until(
            lambda: self.sandbox.systemctl('is-active', SLOW) == 'activating', 10))

        self.sandbox.kill_manager()
        _, err = slow.communicate(timeout=RECOVERY_TIMEOUT_S)
        self.assertNotEqual(slow.returncode, 0)
        self.assertIn(harness.gdbus_error_name(err),
                      [harness.ERROR_PREFIX + 'JobFailed',
                       harness.ERROR_PREFIX + 'SystemdUnavailable'], err)
        self.assertIn(SLOW, err)

        # While systemd is gone, callers hear so at once instead of waiting.
        self.assertBusError('SystemdUnavailable', 'StartUnit', HTTP)

        self.sandbox.start_manager()

        def started():
            try:
                self.call('StartUnit', 's', HTTP)
                return True
            except BusError:
                return False
        self.assertTrue(harness.wait_until(started, RECOVERY_TIMEOUT_S), self.service.log())
        self.assertEqual(self.sandbox.systemctl('is-active', HTTP), 'active')
        self.assertEqual(self.call('IsUnitRunning', 's', HTTP), [True])


class SystemdBusyAtStartTest(ServiceTestCase):
    """systemd frozen while the service starts, as one busy loading a thousand units is."""
    UNITS = UNITS
    APPS_DIR = APPS

    def test_the_name_is_owned_at_once_and_state_queries_wait_for_systemd(self):
        self.addCleanup(self.sandbox.systemctl, 'stop', HTTP, UDP)
        self.sandbox.systemctl('start', HTTP, UDP, check=True)
        self.assertEqual(self.service.stop(), 0)

        self.sandbox.freeze_manager()
        self.addCleanup(self.sandbox.thaw_manager)
        self.service.start()

        # The definitions need nothing from systemd.
        self.assertIn([HTTP, 'web', 'daemon-web'], self.call('ListManagedUnits')[0])
        self.assertBusError('NoSuchApp', 'GetAppComponents', 'nonexistent')
        running = subprocess.Popen(
            ['busctl', f'--address={self.service.bus}', 'call', harness.BUS_NAME,
             harness.OBJECT_PATH, harness.INTERFACE, 'IsAppRunning', 's', 'web'],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1)
        if running.poll() is not None:
            self.fail('answered before systemd did: ' + running.communicate()[0])

        self.sandbox.thaw_manager()
        out, err = running.communicate(timeout=RECOVERY_TIMEOUT_S)
        self.assertEqual((running.returncode, out.strip()), (0, 'b true'),
                         err + self.service.log())
        running_by_app = {row[0]: row[3] for row in self.call('ListApps')[0]}
        self.assertTrue(running_by_app['web'])


class BusGoneTest(unittest.TestCase):
    """The service on a bus daemon of the test's own, which the test kills."""

    def test_the_service_exits_non_zero_and_says_why(self):
        bus, service = harness.service_on_own_bus(self, APPS, [HTTP])
        bus.stop()
        # Exit status 1, not a signal or a sanitizer's abort: systemd restarts it.
        self.assertEqual(service.process.wait(timeout=EXIT_TIMEOUT_S), 1, service.log())
        self.assertIn('lost the connection to the bus it serves on', service.log())


class StateDirectoryTest(ServiceTestCase):
    """The service in a mount namespace of its own, where the test can make its state
    directory read-only or full without touching the host's mounts."""

    UNITS = UNITS
    APPS_DIR = APPS
    WRAPPER = ('unshare', '--mount', '--propagation', 'private')

    def in_service_namespace(self, *cmd):
        subprocess.run(['nsenter', '-t', str(self.service.process.pid), '-m', '--'] +
                       list(cmd), check=True)

    def state_file(self):
        with open(os.path.join(self.state_dir, 'leaderless-apps.toml'), encoding='utf-8') as state:
            return state.read()

    def check_enable_fails_and_keeps_the_state_file(self):
        before = self.state_file()
        code, _, err = harness.gdbus_call(self.service.bus, 'EnableApp', 'tools')
        self.assertNotEqual(code, 0)
        self.assertEqual(harness.gdbus_error_name(err), 'org.freedesktop.DBus.Error.Failed', err)
        self.assertIn('could not be recorded in ' + self.state_dir, err)
        self.assertEqual(self.state_file(), before)
        self.assertEqual(self.call('IsAppEnabled', 's', 'tools'), [False])

    def setUp(self):
        self.addCleanup(self.sandbox.systemctl, 'stop', UDP)
        self.addCleanup(self.sandbox.systemctl, 'disable', UDP)
        # A state file to keep: tools recorded as disabled.
        self.call('EnableApp', 's', 'tools')
        self.call('DisableApp', 's', 'tools')

    def test_a_read_only_state_directory(self):
        self.in_service_namespace('mount', '--bind', self.state_dir, self.state_dir)
        self.addCleanup(self.in_service_namespace, 'umount', self.state_dir)
        self.in_service_namespace('mount', '-o', 'remount,bind,ro', self.state_dir)
        self.check_enable_fails_and_keeps_the_state_file()

    def test_a_full_state_directory(self):
        self.in_service_namespace('sh', '-c', f'''
            cp -a {self.state_dir} {self.work}/copy &&
            mount -t tmpfs -o size=64k tmpfs {self.state_dir} &&
            cp -a {self.work}/copy/. {self.state_dir}/ &&
            (dd if=/dev/zero of={self.state_dir}/filler bs=4k 2>/dev/null || true)''')
        self.addCleanup(self.in_service_namespace, 'umount', self.state_dir)
        self.check_enable_fails_and_keeps_the_state_file()


class LoadTest(ServiceTestCase):
    UNITS = UNITS
    APPS_DIR = APPS
    ROUNDS = 4
    CLIENTS = 16
    CALLS = 1000

    def resources(self):
        pid = self.service.process.pid
        fds = len(os.listdir(f'/proc/{pid}/fd'))
        with open(f'/proc/{pid}/status', encoding='utf-8') as status:
            rss_kb = next(int(line.split()[1]) for line in status if line.startswith('VmRSS:'))
        return fds, rss_kb

    def test_every_call_is_answered_and_resources_stay_bounded(self):
        self.addCleanup(self.sandbox.systemctl, 'stop', HTTP, UDP)
        calls = [('ListApps', None), ('IsAppRunning', ('s', 'web')),
                 ('DiagnoseApp', ('s', 'web')), ('ListManagedUnits', None),
                 ('IsUnitRunning', ('s', HTTP)), ('GetAppComponents', ('s', 'web')),
                 ('StartUnit', ('s', HTTP)), ('StopUnit', ('s', HTTP)),
                 ('RestartUnit', ('s', UDP)), ('IsAppEnabled', ('s', 'nope'))]
        usage = []
        for _ in range(self.ROUNDS):
            replies = load.call_concurrently(self.service.bus, self.CLIENTS,
                                             [calls[i % len(calls)] for i in range(self.CALLS)])
            self.assertEqual(len(replies), self.CALLS)
            for (method, _), reply in zip(calls * self.CALLS, replies):
                # Our own errors are answers (a start cancelled by a stop is a JobFailed);
                # a timeout or a dropped call is not.
                if isinstance(reply, load.Error):
                    self.assertTrue(reply.name.startswith(harness.ERROR_PREFIX),
                                    f'{method}: {reply}')
            self.assertEqual(self.call('IsAppEnabled', 's', 'web'), [False])
            usage.append(self.resources())

        # The first round warms caches and the allocator; later rounds must not grow.
        (fds_first, rss_first), (fds_last, rss_last) = usage[0], usage[-1]
        self.assertLessEqual(fds_last, fds_first, usage)
        if not SANITIZED:
            # AddressSanitizer's quarantine grows RSS by design; its leak check covers it.
            self.assertLessEqual(rss_last, rss_first + 4 * 1024, usage)
        print(f'fds and RSS (KiB) after each round: {usage}', file=sys.stderr)


class ReloadUnderLoadTest(ServiceTestCase):
    UNITS = UNITS
    APPS_DIR = APPS
    VERSIONS = {
        'a': [['daemon-flip-a', 'daemon', HTTP, False, '', []],
              ['related-daemon-flip-a', 'related-daemon', 'plinth-test-echo.service', False,
               '', []]],
        'b': [['daemon-flip-b', 'daemon', UDP, False, '', []],
              ['related-daemon-flip-b', 'related-daemon', 'plinth-test-fail.service', False,
               '', []]],
    }

    def define(self, version):
        path = os.path.join(self.apps_dir, 'flip.toml')
        text = '[app]\nid = "flip"\n'
        for component_id, kind, unit, _, _, _ in self.VERSIONS[version]:
            text += f'[[components]]\nkind = "{kind}"\nid = "{component_id}"\nunit = "{unit}"\n'
        # Written as an administrator's tools do: whole, then renamed into place.
        with open(path + '.new', 'w', encoding='utf-8') as out:
            out.write(text)
        os.rename(path + '.new', path)

    def test_answers_match_one_definition_or_the_other(self):
        self.define('a')
        self.call('Reload')
        self.addCleanup(self.call, 'Reload')
        self.addCleanup(os.remove, os.path.join(self.apps_dir, 'flip.toml'))

        calls = []
        for round_index in range(20):
            self.define('ab'[round_index % 2])
            calls += [('Reload', None)]
            calls += [('GetAppComponents', ('s', 'flip')), ('ListApps', None)] * 12
        replies = load.call_concurrently(self.service.bus, 16, calls)
        versions = [[v] for v in self.VERSIONS.values()]
        for (method, _), reply in zip(calls, replies):
            self.assertNotIsInstance(reply, load.Error, f'{method}: {reply}')
            if method == 'GetAppComponents':
                self.assertIn(reply, versions)
            elif method == 'ListApps':
                self.assertIn('flip', [app[0] for app in reply[0]])

        self.define('b')
        self.call('Reload')
        self.assertEqual(self.call('GetAppComponents', 's', 'flip')[0], self.VERSIONS['b'])


if __name__ == '__main__':
    harness.run_under_private_bus(os.path.abspath(__file__))
    unittest.main(verbosity=2)
