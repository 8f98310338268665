#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Logs, unit status and repair from the real service, against a real systemd --user and a
real journald in the sandbox."""

import glob
import json
import os
import signal
import socket
import subprocess
import sys
import time
import unittest

import dbus

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import ServiceTestCase, wait_until  # noqa: E402

APPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'apps-logs')
CHATTY = 'plinth-test-chatty.service'
EXIT3 = 'plinth-test-exit3.service'
LOUD = 'plinth-test-fail-loudly.service'
HOSTILE = 'plinth-test-hostile.service'
# Fails to start; its name holds EXIT3's.
TWIN = 'twin-plinth-test-exit3.service'
# (realtime, unit, priority, identifier, pid, message, cursor)
UNIT, PRIORITY, MESSAGE, CURSOR = 1, 2, 5, 6


class LogsTest(ServiceTestCase):

    UNITS = [CHATTY, EXIT3, LOUD, HOSTILE, TWIN]
    APPS_DIR = APPS
    JOURNALD = True

    def setUp(self):
        self.bus = dbus.bus.BusConnection(self.service.bus)
        self.addCleanup(self.bus.close)
        self.daemons = dbus.Interface(
            self.bus.get_object(harness.BUS_NAME, harness.OBJECT_PATH), harness.INTERFACE)

    def unit_logs(self, unit, lines=0, after=''):
        return self.call('GetUnitLogs', 'sus', unit, lines, after)[0]

    def start_chatty(self):
        # Waits for this run's lines, not those an earlier test's run left in the journal.
        last = self.unit_logs(CHATTY, 1)
        after = last[-1][CURSOR] if last else ''
        self.sandbox.systemctl('start', CHATTY)
        self.addCleanup(self.sandbox.systemctl, 'stop', CHATTY)
        self.assertTrue(wait_until(
            lambda: 'line 5' in [e[MESSAGE] for e in self.unit_logs(CHATTY, 0, after)], 10),
            self.unit_logs(CHATTY, 5))

    def test_a_units_lines_come_back_in_order_with_cursors(self):
        self.start_chatty()
        entries = self.unit_logs(CHATTY)
        lines = [e[MESSAGE] for e in entries if e[MESSAGE].startswith('line ')]
        self.assertEqual(lines[-5:], [f'line {i}' for i in range(1, 6)])
        for entry in entries:
            self.assertEqual(entry[UNIT], CHATTY)
            self.assertTrue(entry[CURSOR])
        times = [e[0] for e in entries]
        self.assertEqual(times, sorted(times))
        self.assertEqual(entries[-1][PRIORITY], 6)

    def test_after_cursor_pages_forward(self):
        self.start_chatty()
        everything = self.unit_logs(CHATTY)
        first = [e for e in everything if e[MESSAGE] == 'line 1'][-1]
        page = self.unit_logs(CHATTY, 2, first[CURSOR])
        self.assertEqual([e[MESSAGE] for e in page], ['line 2', 'line 3'])
        page = self.unit_logs(CHATTY, 2, page[-1][CURSOR])
        self.assertEqual([e[MESSAGE] for e in page], ['line 4', 'line 5'])
        last = self.unit_logs(CHATTY, 1)
        self.assertEqual(len(last), 1)
        self.assertEqual(last[0][CURSOR], everything[-1][CURSOR])

    def test_follow_sees_a_new_line_within_a_second(self):
        self.start_chatty()
        stream = self.daemons.FollowUnitLogs(CHATTY, '')
        with socket.socket(fileno=stream.take()) as reader:
            reader.settimeout(1.0)
            time.sleep(0.2)
            sent = time.monotonic()
            self.sandbox.systemctl('kill', '--signal=SIGUSR1', CHATTY)
            entry = json.loads(reader.makefile().readline())
            self.assertLess(time.monotonic() - sent, 1.0)
        self.assertEqual(entry['message'], 'ping 1')
        self.assertEqual(entry['unit'], CHATTY)
        # The reader went: the service ends the stream and stays well.
        self.assertTrue(self.call('IsUnitRunning', 's', CHATTY)[0])

    def test_follow_ends_when_its_caller_leaves_the_bus(self):
        self.start_chatty()
        follower = dbus.bus.BusConnection(self.service.bus)
        daemons = dbus.Interface(
            follower.get_object(harness.BUS_NAME, harness.OBJECT_PATH), harness.INTERFACE)
        stream = daemons.FollowUnitLogs(CHATTY, '')
        with socket.socket(fileno=stream.take()) as reader:
            reader.settimeout(5.0)
            # The stream works while its caller is on the bus...
            self.sandbox.systemctl('kill', '--signal=SIGUSR1', CHATTY)
            self.assertIn(b'"ping ', reader.recv(4096))
            # ...and ends when it leaves, although this end stays open.
            follower.close()
            self.assertEqual(reader.recv(4096), b'')

    def test_follow_after_a_cursor_starts_with_what_followed_it(self):
        self.start_chatty()
        first = [e for e in self.unit_logs(CHATTY) if e[MESSAGE] == 'line 4'][-1]
        stream = self.daemons.FollowUnitLogs(CHATTY, first[CURSOR])
        with socket.socket(fileno=stream.take()) as reader:
            reader.settimeout(5.0)
            entry = json.loads(reader.makefile().readline())
        self.assertEqual(entry['message'], 'line 5')

    def test_reading_after_a_vacuumed_cursor_starts_with_what_followed_it(self):
        self.start_chatty()
        cursor = self.unit_logs(CHATTY)[-1][CURSOR]
        # Rotate (SIGUSR2), then vacuum the archived files, which hold the cursor's entry and
        # every one of the unit's before it.
        journal = glob.glob(os.path.join(self.sandbox.journal_dir(), '*'))[0]
        os.kill(int(self.sandbox.env['JOURNALD_PID']), signal.SIGUSR2)
        self.assertTrue(wait_until(lambda: glob.glob(os.path.join(journal, 'system@*')), 10))
        for archived in glob.glob(os.path.join(journal, 'system@*')):
            os.unlink(archived)
        self.assertFalse([e for e in self.unit_logs(CHATTY) if e[CURSOR] == cursor])

        self.sandbox.systemctl('kill', '--signal=SIGUSR1', CHATTY)
        self.assertTrue(wait_until(
            lambda: [e[MESSAGE] for e in self.unit_logs(CHATTY)] == ['ping 1'], 10),
            self.unit_logs(CHATTY))
        self.assertEqual([e[MESSAGE] for e in self.unit_logs(CHATTY, 0, cursor)], ['ping 1'])
        stream = self.daemons.FollowUnitLogs(CHATTY, cursor)
        with socket.socket(fileno=stream.take()) as reader:
            reader.settimeout(5.0)
            entry = json.loads(reader.makefile().readline())
        self.assertEqual(entry['message'], 'ping 1')

    def test_an_apps_logs_merge_its_units_in_time_order(self):
        self.start_chatty()
        self.start_exit3()
        entries = self.call('GetAppLogs', 'sus', 'chat', 0, '')[0]
        self.assertEqual({e[UNIT] for e in entries}, {CHATTY, EXIT3})
        times = [e[0] for e in entries]
        self.assertEqual(times, sorted(times))

    def start_exit3(self):
        """Starts the unit that fails twice, then for good with status 3."""
        self.sandbox.systemctl('start', EXIT3)
        self.addCleanup(self.sandbox.systemctl, 'reset-failed', EXIT3)
        self.assertTrue(wait_until(
            lambda: self.sandbox.systemctl('is-active', EXIT3) == 'failed', 10))

    def test_a_failing_unit_says_why_in_its_status(self):
        self.start_exit3()
        status = self.daemons.GetUnitStatus(EXIT3)
        self.assertEqual(status['Result'], 'exit-code')
        self.assertEqual(status['ExecMainStatus'], 3)
        self.assertEqual(status['ExecMainCode'], 1)
        self.assertEqual(status['NRestarts'], 2)
        self.assertEqual((status['ActiveState'], status['LoadState']), ('failed', 'loaded'))
        self.assertIn('exits with status 3', status['Description'])
        self.assertGreater(status['StateChangeTimestamp'], 0)

    def test_a_failed_job_says_why_and_shows_the_last_lines(self):
        self.addCleanup(self.sandbox.systemctl, 'reset-failed', LOUD)
        error = self.assertBusError('JobFailed', 'StartUnit', LOUD)
        # systemd's job result, the unit's result and exit status, its last lines: each once.
        self.assertIn(f"The job to start {LOUD} ended with result 'failed'", error)
        self.assertIn(f'{LOUD}: Result=exit-code, exit status 2. Its last lines:', error)
        self.assertEqual(error.count('exit-code'), 1, error)
        self.assertIn('cannot read /etc/plinth-test-loud.conf', error)

    def test_a_failure_explains_the_failed_unit_only_not_one_named_inside_it(self):
        # EXIT3 failed before and is a unit of the app too, but only TWIN failed now.
        self.start_exit3()
        self.addCleanup(self.sandbox.systemctl, 'reset-failed', TWIN)
        self.addCleanup(self.sandbox.systemctl, 'disable', TWIN)
        error = self.assertBusError('JobFailed', 'EnableApp', 'twins')
        self.assertIn(f"The job to start {TWIN} ended with result 'failed'", error)
        self.assertIn(f'{TWIN}: Result=exit-code, exit status 1.', error)
        self.assertNotIn(f' {EXIT3}: Result=', error)
        self.assertNotIn('exit status 3', error)

    def test_status_of_a_running_unit(self):
        self.start_chatty()
        status = self.daemons.GetUnitStatus(CHATTY)
        self.assertEqual((status['ActiveState'], status['SubState']), ('active', 'running'))
        self.assertGreater(status['MainPID'], 0)
        self.assertEqual(status['NRestarts'], 0)

    def test_status_follows_changes_made_behind_the_services_back(self):
        self.start_chatty()
        first = self.daemons.GetUnitStatus(CHATTY)
        self.sandbox.systemctl('restart', CHATTY)
        shown = dict(line.split('=', 1) for line in self.sandbox.systemctl(
            'show', '--property=MainPID,ActiveEnterTimestamp', '--timestamp=unix',
            CHATTY).splitlines())
        self.assertTrue(wait_until(
            lambda: self.daemons.GetUnitStatus(CHATTY)['MainPID'] == int(shown['MainPID']), 5))
        again = self.daemons.GetUnitStatus(CHATTY)
        self.assertNotEqual(again['MainPID'], first['MainPID'])
        self.assertGreater(again['ActiveEnterTimestamp'], first['ActiveEnterTimestamp'])
        self.assertEqual(again['ActiveEnterTimestamp'] // 1000000,
                         int(shown['ActiveEnterTimestamp'].lstrip('@')))

        self.sandbox.systemctl('stop', CHATTY)
        self.assertTrue(wait_until(
            lambda: self.daemons.GetUnitStatus(CHATTY)['MainPID'] == 0, 5))
        stopped = self.daemons.GetUnitStatus(CHATTY)
        self.assertEqual(stopped['ActiveState'], 'inactive')
        # No cgroup any more: what systemd says, "[not set]".
        for counter in ('MemoryCurrent', 'CPUUsageNSec', 'TasksCurrent'):
            self.assertEqual(stopped[counter], 2**64 - 1, counter)

    def test_a_status_request_costs_systemd_nothing(self):
        self.start_chatty()
        self.daemons.GetUnitStatus(CHATTY)  # The first one reads the unit.
        systemd_bus = f'--address={self.sandbox.bus}'
        seen = os.path.join(self.sandbox.dir, 'calls-to-systemd.txt')
        with open(seen, 'w', encoding='utf-8') as out:
            monitor = subprocess.Popen(
                ['busctl', systemd_bus, 'monitor', '--match',
                 "type='method_call',destination='org.freedesktop.systemd1'"],
                stdout=out, stderr=subprocess.STDOUT)

        def calls():
            with open(seen, encoding='utf-8') as text:
                return text.read()
        try:
            self.assertTrue(wait_until(lambda: 'Monitoring' in calls(), 5), calls())
            for _ in range(20):
                self.assertEqual(self.daemons.GetUnitStatus(CHATTY)['ActiveState'], 'active')
            # A call of the test's own, after the service's: the monitor saw them all once
            # it shows this one (it writes what it saw when it ends).
            subprocess.run(['busctl', systemd_bus, 'call', 'org.freedesktop.systemd1',
                            '/org/freedesktop/systemd1', 'org.freedesktop.DBus.Peer',
                            'GetMachineId'], check=True, capture_output=True)
            time.sleep(0.5)
        finally:
            monitor.terminate()
            monitor.wait()
        self.assertIn('Member=GetMachineId', calls())
        self.assertNotIn('Member=GetAll', calls())

    def test_logs_and_status_only_for_managed_units(self):
        self.assertBusError('NotManaged', 'GetUnitLogs', 'dbus.service', 0, '')
        self.assertBusError('NotManaged', 'GetUnitStatus', 'dbus.service')
        self.assertBusError('NoSuchApp', 'GetAppLogs', 'nope', 0, '')
        self.assertBusError('InvalidArgument', 'GetUnitLogs', CHATTY, 0, 'not-a-cursor')
        self.assertBusError('InvalidArgument', 'GetUnitLogs', CHATTY, 10001, '')

    def test_a_non_root_caller_may_not_read_logs(self):
        # --authorization uid0 here; tests/polkit has the polkit decisions.
        self.assertBusError('NotAuthorized', 'GetUnitLogs', CHATTY, 0, '', user=65534)
        self.assertBusError('NotAuthorized', 'FollowAppLogs', 'chat', '', user=65534)

    def plinthctl(self, *args):
        result = subprocess.run([os.environ['PLINTHCTL'], '--address', self.service.bus] +
                                list(args), capture_output=True, text=True, check=False)
        return result.returncode, result.stdout

    def test_plinthctl_logs_status_and_repair(self):
        self.start_chatty()
        code, out = self.plinthctl('logs', CHATTY, '-n', '2')
        self.assertEqual(code, 0)
        self.assertRegex(out, r'^\w{3} \d\d \d\d:\d\d:\d\d bash\[\d+\]: line 4\n'
                         r'\w{3} \d\d \d\d:\d\d:\d\d bash\[\d+\]: line 5\n$')
        code, out = self.plinthctl('--json', 'logs', 'chat', '-n', '1')
        self.assertEqual(json.loads(out)['message'], 'line 5')
        code, out = self.plinthctl('logs', 'chat', '--since', '-1d', '-n', '1')
        self.assertIn(f'{CHATTY} bash[', out)
        code, out = self.plinthctl('logs', 'chat', '--since', '2000-01-01 00:00:00', '-n', '1')
        self.assertIn('line 5', out)
        # A managed unit without its suffix, where no app has the name; nothing to show, said.
        code, out = self.plinthctl('logs', 'plinth-test-chatty', '-n', '1')
        self.assertRegex(out, r'^\w{3} \d\d \d\d:\d\d:\d\d bash\[\d+\]: line 5\n$')
        code, out = self.plinthctl('logs', 'chat', '--since', '2099-01-01')
        self.assertEqual((code, out), (0, '-- No entries --\n'))

        follower = subprocess.Popen(
            [os.environ['PLINTHCTL'], '--address', self.service.bus, 'logs', '-f', '-n', '1',
             CHATTY], stdout=subprocess.PIPE, text=True)
        try:
            self.assertIn('line 5', follower.stdout.readline())
            self.sandbox.systemctl('kill', '--signal=SIGUSR1', CHATTY)
            self.assertRegex(follower.stdout.readline(), r': ping \d+$')
        finally:
            follower.kill()
            follower.wait()

        code, out = self.plinthctl('status', CHATTY)
        self.assertEqual(code, 0)
        self.assertRegex(out, r'Active: active \(running\) since .*; 0 restarts')
        self.assertRegex(out, r'Main PID: \d+')

        self.start_exit3()
        code, out = self.plinthctl('status', EXIT3)
        self.assertEqual(code, 3)
        self.assertIn('Active: failed (failed)', out)
        self.assertIn('; 2 restarts', out)
        self.assertIn('Last failure: Result=exit-code, exit status 3', out)

        code, out = self.plinthctl('repair', 'crashy')
        self.assertEqual(code, 1)

    def test_plinthctl_escapes_control_characters_as_journalctl_does(self):
        self.addCleanup(self.sandbox.systemctl, 'reset-failed', HOSTILE)
        plinthctl = [os.environ['PLINTHCTL'], '--address', self.service.bus]
        # The failed job's error quotes the unit's last lines.
        result = subprocess.run(plinthctl + ['start', HOSTILE], capture_output=True,
                                check=False)
        self.assertEqual(result.returncode, 1, result)
        self.assertIn(rb'GET /\x1b[2J\x1b[H 404', result.stderr)
        self.assertIn(rb'\x1b]52;c;aGk=\x07 copied', result.stderr)
        self.assertNotIn(b'\x1b', result.stderr)
        self.assertNotIn(b'\x07', result.stderr)

        self.assertTrue(wait_until(
            lambda: len(self.unit_logs(HOSTILE)) >= 2, 10), self.unit_logs(HOSTILE))
        result = subprocess.run(plinthctl + ['logs', HOSTILE], capture_output=True,
                                check=True)
        self.assertRegex(result.stdout, rb': GET /\\x1b\[2J\\x1b\[H 404\n')
        self.assertRegex(result.stdout, rb': \\x1b\]52;c;aGk=\\x07 copied\n')
        self.assertNotIn(b'\x1b', result.stdout)
        self.assertNotIn(b'\x07', result.stdout)

        # JSON keeps the real text, for programs.
        result = subprocess.run(plinthctl + ['--json', 'logs', HOSTILE], capture_output=True,
                                text=True, check=True)
        messages = [json.loads(line)['message'] for line in result.stdout.splitlines()]
        self.assertIn('GET /\x1b[2J\x1b[H 404', messages)
        self.assertIn('\x1b]52;c;aGk=\x07 copied', messages)

    def test_repair_brings_a_killed_daemon_back(self):
        self.call('EnableApp', 's', 'chat')
        self.addCleanup(self.call, 'DisableApp', 's', 'chat')
        self.sandbox.systemctl('kill', '--signal=SIGKILL', CHATTY)
        self.assertTrue(wait_until(
            lambda: self.sandbox.systemctl('is-active', CHATTY) == 'failed', 10))
        before = self.call('DiagnoseApp', 's', 'chat')[0]
        self.assertEqual([c[2] for c in before], ['failed'])

        checks = self.call('RepairApp', 's', 'chat')[0]
        self.assertEqual([c[2] for c in checks], ['passed'])
        self.assertEqual(self.sandbox.systemctl('is-active', CHATTY), 'active')
        self.assertRegex(self.service.log(), r"repairing app 'chat': failed units to reset: "
                         r"1, units to start: 1")
        # The related daemon, which EnableApp never touches, stays as it was.
        self.assertEqual(self.sandbox.systemctl('is-active', EXIT3), 'inactive')

    def test_repair_leaves_a_disabled_app_alone(self):
        self.start_exit3()
        properties = '--property=ActiveState,UnitFileState,NRestarts,StateChangeTimestamp'
        before = self.sandbox.systemctl('show', properties, EXIT3)

        checks = self.call('RepairApp', 's', 'crashy')[0]
        self.assertEqual([c[2] for c in checks], ['failed'])
        self.assertEqual(self.sandbox.systemctl('show', properties, EXIT3), before)
        self.assertRegex(self.service.log(), r"repairing app 'crashy': nothing to do")


if __name__ == '__main__':
    harness.run_under_private_bus(__file__)
    unittest.main()
