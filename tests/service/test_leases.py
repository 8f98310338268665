#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""EnsureUnitRunning's leases on the real service and systemd, held by real clients."""

import os
import signal
import subprocess
import sys
import unittest

import dbus

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import ServiceTestCase  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
UNIT = 'plinth-test-http.service'
RUNNING = 'plinth-test-udp.service'
MISSING = 'plinth-test-missing.service'
PLINTHCTL = os.environ.get('PLINTHCTL')

# A holder in a process of its own: takes a lease, says so, and waits to be killed.
HOLDER = '''
import sys, time, dbus
bus = dbus.bus.BusConnection(sys.argv[1])
_, lease = bus.call_blocking(sys.argv[2], sys.argv[3], sys.argv[4], 'EnsureUnitRunning',
                             's', [sys.argv[5]], timeout=60)
fd = lease.take()
print('held', flush=True)
time.sleep(600)
'''


class LeaseTest(ServiceTestCase):
    UNITS = [UNIT, RUNNING]
    APPS_DIR = os.path.join(HERE, 'leases')

    def setUp(self):
        self.connections = []

    def tearDown(self):
        for connection in self.connections:
            connection.close()
        for unit in (UNIT, RUNNING):
            self.sandbox.systemctl('disable', '--now', unit)

    def lease(self, unit, connection=None):
        """(was_running, fd) of a new lease taken on a connection of its own."""
        if connection is None:
            connection = dbus.bus.BusConnection(self.service.bus)
            self.connections.append(connection)
        was_running, lease = connection.call_blocking(
            harness.BUS_NAME, harness.OBJECT_PATH, harness.INTERFACE, 'EnsureUnitRunning',
            's', [unit], timeout=60)
        return bool(was_running), lease.take()

    def state(self, unit):
        return (self.sandbox.systemctl('is-enabled', unit),
                self.sandbox.systemctl('is-active', unit))

    def assertBecomes(self, unit, state):
        self.assertTrue(harness.wait_until(lambda: self.state(unit) == state, 10),
                        f'{unit} is {self.state(unit)}, not {state}')

    def test_a_stopped_unit_runs_while_the_lease_is_held(self):
        was_running, fd = self.lease(UNIT)
        self.assertFalse(was_running)
        # Enabled until the next boot at most: a lease cannot outlive its holder's boot.
        self.assertEqual(self.state(UNIT), ('enabled-runtime', 'active'))
        os.close(fd)
        self.assertBecomes(UNIT, ('disabled', 'inactive'))

    def test_a_holder_killed_with_sigkill_ends_its_lease(self):
        holder = subprocess.Popen(
            ['/usr/bin/python3', '-c', HOLDER, self.service.bus, harness.BUS_NAME,
             harness.OBJECT_PATH, harness.INTERFACE, UNIT],
            stdout=subprocess.PIPE, text=True)
        self.assertEqual(holder.stdout.readline().strip(), 'held')
        self.assertEqual(self.state(UNIT), ('enabled-runtime', 'active'))
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        holder.stdout.close()
        self.assertBecomes(UNIT, ('disabled', 'inactive'))

    def test_leaving_the_bus_ends_the_lease_even_with_the_descriptor_open(self):
        connection = dbus.bus.BusConnection(self.service.bus)
        _, fd = self.lease(UNIT, connection)
        self.addCleanup(os.close, fd)
        connection.close()
        self.assertBecomes(UNIT, ('disabled', 'inactive'))

    def test_overlapping_leases_put_the_unit_back_when_the_last_ends(self):
        first_running, first = self.lease(UNIT)
        second_running, second = self.lease(UNIT)
        self.assertEqual((first_running, second_running), (False, True))
        os.close(first)
        self.assertEqual(self.state(UNIT), ('enabled-runtime', 'active'),
                         'the first lease to end stopped a unit still held')
        os.close(second)
        self.assertBecomes(UNIT, ('disabled', 'inactive'))

    def test_a_unit_the_service_saw_enabled_is_only_started_and_stopped(self):
        self.sandbox.systemctl('enable', UNIT)
        self.assertTrue(harness.wait_until(
            lambda: self.call('IsUnitEnabled', 's', UNIT) == [True], 10),
            'the service never saw the unit enabled')
        _, fd = self.lease(UNIT)
        self.assertEqual(self.state(UNIT), ('enabled', 'active'))
        os.close(fd)
        self.assertBecomes(UNIT, ('enabled', 'inactive'))

    def test_an_enable_the_service_has_not_seen_yet_outlives_the_lease(self):
        # No wait: the service's mirror may still show the unit disabled (a change behind
        # its back shows one refresh later), so the lease enables it too, for the runtime:
        # undoing that removes the lease's runtime links only, never the enable for good.
        # RUNNING is no app's daemon, so nothing else keeps it running.
        self.sandbox.systemctl('enable', RUNNING)
        _, fd = self.lease(RUNNING)
        self.assertEqual(self.state(RUNNING), ('enabled', 'active'))
        os.close(fd)
        self.assertBecomes(RUNNING, ('enabled', 'inactive'))

    def assertStays(self, unit, state):
        # Ending a lease is noticed within milliseconds; wait far longer for a wrong change.
        self.assertFalse(harness.wait_until(lambda: self.state(unit) != state, 2),
                         f'{unit} became {self.state(unit)}, not {state}')

    def test_a_leases_end_after_enable_app_leaves_the_unit_enabled_and_running(self):
        _, fd = self.lease(UNIT)
        self.assertEqual(self.state(UNIT), ('enabled-runtime', 'active'))
        self.call('EnableApp', 's', 'held')
        self.assertEqual(self.state(UNIT), ('enabled', 'active'))
        os.close(fd)
        self.assertStays(UNIT, ('enabled', 'active'))
        self.assertEqual(self.call('IsAppEnabled', 's', 'held'), [True])

    def test_a_leases_end_after_an_admins_enable_leaves_the_unit_enabled(self):
        _, fd = self.lease(UNIT)
        self.sandbox.systemctl('enable', UNIT)
        self.awaitSeenFileState(UNIT, 'enabled')
        os.close(fd)
        # The admin enabled the app's daemon, which enabled the app: it keeps running.
        self.assertStays(UNIT, ('enabled', 'active'))

    def test_a_leases_end_after_an_admins_enable_of_no_apps_daemon_only_stops_it(self):
        self.sandbox.systemctl('stop', RUNNING)
        _, fd = self.lease(RUNNING)
        self.assertEqual(self.state(RUNNING), ('enabled-runtime', 'active'))
        self.sandbox.systemctl('enable', RUNNING)
        os.close(fd)
        self.assertBecomes(RUNNING, ('enabled', 'inactive'))

    def test_a_lease_whose_descriptor_was_lost_is_restored_at_start(self):
        _, fd = self.lease(UNIT)
        self.assertEqual(self.state(UNIT), ('enabled-runtime', 'active'))
        # Killed while the lease is held; then its holder lets go while no one watches.
        self.service.stop(signal.SIGKILL)
        os.close(fd)
        self.assertStays(UNIT, ('enabled-runtime', 'active'))
        # Run by hand, the service has no descriptor store: nothing comes back, and the
        # records say what to put back.
        self.service.start()
        self.assertBecomes(UNIT, ('disabled', 'inactive'))
        self.assertNotIn('plinth-test-http', self.records())

    def awaitSeenFileState(self, unit, state):
        # A change behind the service's back shows one refresh later; an end of a lease
        # decided before that would see the unit as the lease left it.
        self.assertTrue(harness.wait_until(
            lambda: self.call('GetUnitStatus', 's', unit)[0]['UnitFileState']['data'] == state,
            10), f'the service never saw {unit} {state}')

    def records(self):
        path = os.path.join(self.state_dir, 'leases.toml')
        with open(path, encoding='utf-8') as records:
            return records.read()

    def test_a_running_unit_is_left_alone(self):
        self.sandbox.systemctl('start', RUNNING)
        # A start behind the service's back shows once systemd's signal arrives; a lease
        # taken before that would count the unit as one it started.
        self.assertTrue(harness.wait_until(
            lambda: self.call('IsUnitRunning', 's', RUNNING) == [True], 10),
            'the service never saw the unit running')
        was_running, fd = self.lease(RUNNING)
        self.assertTrue(was_running)
        os.close(fd)
        # Ending a lease is noticed within milliseconds; wait far longer for a wrong stop.
        self.assertFalse(harness.wait_until(lambda: self.state(RUNNING)[1] != 'active', 1),
                         'a lease on a unit that already ran stopped it')

    def test_a_unit_systemd_does_not_know_changes_nothing(self):
        was_running, fd = self.lease(MISSING)
        self.assertFalse(was_running)
        os.close(fd)
        self.assertEqual(self.sandbox.systemctl('show', '-P', 'LoadState', MISSING),
                         'not-found')

    def test_an_undeclared_unit_is_refused(self):
        with self.assertRaises(dbus.exceptions.DBusException) as raised:
            self.lease('plinth-test-undeclared.service')
        self.assertEqual(raised.exception.get_dbus_name(),
                         harness.ERROR_PREFIX + 'NotManaged')

    def test_plinthctl_runs_a_command_while_holding_the_lease(self):
        result = subprocess.run(
            [PLINTHCTL, '--address', self.service.bus, 'ensure-running', UNIT, '--',
             'sh', '-c', f'{harness.SANDBOX} run {self.sandbox.dir} systemctl --user '
             f'is-active {UNIT}; exit 7'],
            capture_output=True, text=True, check=False)
        self.assertEqual(result.returncode, 7, result.stderr)
        self.assertEqual(result.stdout.strip(), 'active')
        self.assertBecomes(UNIT, ('disabled', 'inactive'))


if __name__ == '__main__':
    harness.run_under_private_bus(os.path.abspath(__file__))
    unittest.main(verbosity=2)
