#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""What one caller may hold: follow streams and leases up to a limit, then Busy; the service's
open files stay bounded however many streams there are; a reply too large for the bus is an
error that says what to ask for instead. Against a real systemd --user and journald."""

import glob
import json
import os
import socket
import sys
import unittest

import dbus

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import ServiceTestCase, wait_until  # noqa: E402

APPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'apps-log-bounds')
CHATTY = 'plinth-test-chatty.service'
BULKY = 'plinth-test-bulky.service'
BULKY_LINES = 450
# Requests::kMaxStreamsPerCaller and kMaxLeasesPerCaller, as the README documents them.
STREAMS_PER_CALLER = 16
LEASES_PER_CALLER = 16
BUSY = harness.ERROR_PREFIX + 'Busy'
MESSAGE, CURSOR = 5, 6


class LogBoundsTest(ServiceTestCase):

    UNITS = [CHATTY, BULKY]
    APPS_DIR = APPS
    JOURNALD = True

    def connect(self):
        connection = dbus.bus.BusConnection(self.service.bus)
        self.addCleanup(connection.close)
        return dbus.Interface(connection.get_object(harness.BUS_NAME, harness.OBJECT_PATH),
                              harness.INTERFACE)

    def service_fds(self):
        return len(os.listdir(f'/proc/{self.service.process.pid}/fd'))

    def journal_files(self):
        return len(glob.glob(os.path.join(self.sandbox.journal_dir(), '*', '*.journal')))

    def follow_until_busy(self, daemons, limit=100):
        """The streams one caller gets before Busy, and the Busy error."""
        streams = []
        for _ in range(limit):
            try:
                streams.append(daemons.FollowUnitLogs(CHATTY, '').take())
            except dbus.exceptions.DBusException as error:
                return streams, error
        self.fail(f'{limit} streams and no Busy')
        return streams, None

    def test_a_caller_gets_busy_at_its_stream_limit_and_the_services_fds_stay_bounded(self):
        # Its first lines are written, so that the streams see only what comes next: this
        # run's lines, after whatever an earlier test's run of the unit left in the journal.
        last = self.call('GetUnitLogs', 'sus', CHATTY, 1, '')[0]
        after = last[-1][CURSOR] if last else ''
        self.sandbox.systemctl('start', CHATTY)
        self.addCleanup(self.sandbox.systemctl, 'stop', CHATTY)
        self.assertTrue(wait_until(lambda: 'line 5' in [
            e[MESSAGE] for e in self.call('GetUnitLogs', 'sus', CHATTY, 0, after)[0]], 10))
        before = self.service_fds()

        first = self.connect()
        streams, busy = self.follow_until_busy(first)
        self.assertEqual(len(streams), STREAMS_PER_CALLER)
        self.assertEqual(busy.get_dbus_name(), BUSY)
        self.assertIn('close the file descriptor of one', busy.get_dbus_message())

        # Every stream costs the service its end of the socket; the journal they share
        # costs one fd per journal file and an inotify instance, once.
        held = self.service_fds() - before
        self.assertLessEqual(held, len(streams) + self.journal_files() + 2,
                             f'{held} fds for {len(streams)} streams')

        # Another caller is not refused for the first one's streams.
        other = socket.socket(fileno=self.connect().FollowUnitLogs(CHATTY, '').take())
        self.addCleanup(other.close)

        # Each of them sees a new line.
        readers = [socket.socket(fileno=fd) for fd in streams] + [other]
        self.sandbox.systemctl('kill', '--signal=SIGUSR1', CHATTY)
        for reader in readers:
            reader.settimeout(5.0)
            self.assertEqual(json.loads(reader.makefile().readline())['message'], 'ping 1')

        # Closing the streams frees the caller's slots and the service's fds, the shared
        # journal's with the last one.
        for reader in readers:
            reader.close()
        self.assertTrue(wait_until(lambda: self.service_fds() <= before, 5),
                        f'{self.service_fds()} fds, {before} before')
        again, busy = self.follow_until_busy(first)
        for fd in again:
            os.close(fd)
        self.assertEqual(len(again), STREAMS_PER_CALLER)

    def test_a_caller_gets_busy_at_its_lease_limit(self):
        def lease(connection):
            return connection.EnsureUnitRunning(CHATTY, timeout=60)[1].take()

        self.addCleanup(self.sandbox.systemctl, 'stop', CHATTY)
        first = self.connect()
        leases = [lease(first) for _ in range(LEASES_PER_CALLER)]
        with self.assertRaises(dbus.exceptions.DBusException) as busy:
            lease(first)
        self.assertEqual(busy.exception.get_dbus_name(), BUSY)
        self.assertIn('leases held', busy.exception.get_dbus_message())
        leases.append(lease(self.connect()))

        os.close(leases.pop(0))
        self.assertTrue(wait_until(lambda: self.try_lease(first, lease, leases), 5))
        for fd in leases:
            os.close(fd)
        # The last lease's end stops the unit it started; a test after this one that starts
        # the unit again must not meet that stop.
        self.assertTrue(wait_until(
            lambda: self.sandbox.systemctl('is-active', CHATTY) == 'inactive', 10))

    @staticmethod
    def try_lease(connection, lease, leases):
        try:
            leases.append(lease(connection))
            return True
        except dbus.exceptions.DBusException:
            return False

    def start_bulky(self):
        self.sandbox.systemctl('start', BULKY)
        self.addCleanup(self.sandbox.systemctl, 'stop', BULKY)
        last = f'bulk {BULKY_LINES} '
        self.assertTrue(wait_until(
            lambda: [e[MESSAGE] for e in self.call('GetUnitLogs', 'sus', BULKY, 1, '')[0]
                     if e[MESSAGE].startswith(last)], 20))

    def test_logs_larger_than_one_reply_are_an_error_that_says_what_fits(self):
        self.start_bulky()
        code, _, err = harness.gdbus_call(self.service.bus, 'GetUnitLogs', BULKY, 1000, '')
        self.assertNotEqual(code, 0)
        self.assertEqual(harness.gdbus_error_name(err),
                         harness.ERROR_PREFIX + 'InvalidArgument', err)
        self.assertIn('Ask for at most', err)
        fitting = int(err.split('Ask for at most ')[1].split()[0])
        self.assertLess(fitting, BULKY_LINES)
        entries = self.call('GetUnitLogs', 'sus', BULKY, fitting, '')[0]
        self.assertEqual(len(entries), fitting)

    def test_a_follow_from_an_old_cursor_catches_up_page_by_page_in_order(self):
        self.start_bulky()
        # More entries follow the cursor than one page of catching up reads.
        cursor = self.call('GetUnitLogs', 'sus', BULKY, 300, '')[0][0][6]
        stream = self.connect().FollowUnitLogs(BULKY, cursor)
        with socket.socket(fileno=stream.take()) as reader:
            reader.settimeout(10.0)
            lines = reader.makefile()
            numbers = [int(json.loads(lines.readline())['message'].split()[1])
                       for _ in range(299)]
        self.assertEqual(numbers, list(range(BULKY_LINES - 298, BULKY_LINES + 1)))


if __name__ == '__main__':
    harness.run_under_private_bus(__file__)
    unittest.main()
