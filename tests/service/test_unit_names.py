#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Unit names as systemctl takes them, not-found units and ResetFailedUnit, against the real
service and a real systemd --user. The definitions in apps-unitnames/ write their units the
way FreedomBox's catalogue does: bare, instances without a suffix, and suffixed."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import BusError, ServiceTestCase  # noqa: E402
import test_service  # noqa: E402

APPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'apps-unitnames')
UNITS = ['plinth-test-http.service', 'plinth-test-udp.service', 'plinth-test-slow@.service',
         'plinth-test-echo.socket', 'plinth-test-echo.service', 'plinth-test-fail.service',
         'plinth-test-legacy.service']
WEB_UNITS = ['plinth-test-http.service', 'plinth-test-slow@worker.service',
             'plinth-test-echo.socket', 'plinth-test-udp.service']


class UnitNameTest(ServiceTestCase):
    """Each test leaves every app disabled and every unit stopped, as it found them."""

    UNITS = UNITS
    APPS_DIR = APPS

    monitor = test_service.SignalTest.monitor
    expect_line = test_service.SignalTest.expect_line

    def enable(self, app):
        self.call('EnableApp', 's', app)
        self.addCleanup(self.call, 'DisableApp', 's', app)

    def is_active(self, unit):
        return self.sandbox.systemctl('is-active', unit)

    def test_everything_reported_uses_the_full_name(self):
        units = self.call('ListManagedUnits')[0]
        self.assertEqual(sorted(units), sorted([
            ['plinth-test-http.service', 'web', 'daemon-web'],
            ['plinth-test-slow@worker.service', 'web', 'daemon-web-worker'],
            ['plinth-test-echo.socket', 'web', 'daemon-web-echo'],
            ['plinth-test-udp.service', 'web', 'shared-daemon-web-db'],
            ['plinth-test-udp.service', 'db', 'shared-daemon-db'],
            ['plinth-test-missing.service', 'gone', 'daemon-gone'],
            ['plinth-test-fail.service', 'gone', 'related-daemon-gone-fail'],
            ['plinth-test-newname.service', 'legacy', 'daemon-legacy'],
            ['plinth-test-legacy.service', 'legacy', 'daemon-legacy'],
        ]))
        components = self.call('GetAppComponents', 's', 'web')[0]
        self.assertEqual([c[2] for c in components], WEB_UNITS)

    def test_bare_names_enable_start_and_diagnose(self):
        self.enable('web')
        for unit in WEB_UNITS:
            self.assertEqual(self.is_active(unit), 'active', unit)
            self.assertEqual(self.sandbox.systemctl('is-enabled', unit), 'enabled', unit)
        self.assertEqual(self.call('IsAppRunning', 's', 'web'), [True])

        checks = {row[0]: row for row in self.call('DiagnoseApp', 's', 'web')[0]}
        self.assertEqual(list(checks), [
            'daemon-running-plinth-test-http.service',
            'daemon-listening-tcp4-19471',
            'daemon-running-plinth-test-slow@worker.service',
            'daemon-running-plinth-test-echo.socket',
            'daemon-running-plinth-test-udp.service',
        ])
        self.assertEqual({row[2] for row in checks.values()}, {'passed'})
        self.assertEqual(checks['daemon-running-plinth-test-http.service'][4],
                         {'service_name': {'type': 's', 'data': 'plinth-test-http.service'}})

    def test_methods_take_bare_names(self):
        self.addCleanup(self.sandbox.systemctl, 'stop', 'plinth-test-http.service')
        proc = self.monitor()
        self.call('StartUnit', 's', 'plinth-test-http')
        self.assertEqual(self.is_active('plinth-test-http.service'), 'active')
        self.assertEqual(self.call('IsUnitRunning', 's', 'plinth-test-http'), [True])
        self.assertEqual(self.call('IsUnitEnabled', 's', 'plinth-test-http'), [False])
        self.expect_line(
            proc, "UnitStateChanged ('plinth-test-http.service', 'active', 'running')")

        self.addCleanup(self.sandbox.systemctl, 'stop', 'plinth-test-slow@worker.service')
        self.call('RestartUnit', 's', 'plinth-test-slow@worker')
        self.assertEqual(self.is_active('plinth-test-slow@worker.service'), 'active')

        self.call('StopUnit', 's', 'plinth-test-http')
        self.assertEqual(self.is_active('plinth-test-http.service'), 'inactive')

    def test_one_unit_written_both_ways_is_shared(self):
        # web writes "plinth-test-udp", db "plinth-test-udp.service": one shared daemon.
        self.enable('web')
        self.enable('db')
        self.call('DisableApp', 's', 'web')
        self.assertEqual(self.is_active('plinth-test-udp.service'), 'active')
        self.call('DisableApp', 's', 'db')
        self.assertEqual(self.is_active('plinth-test-udp.service'), 'inactive')

    def test_names_still_invalid_once_mangled_are_refused_with_the_reason(self):
        err = self.assertBusError('InvalidUnitName', 'StartUnit', 'no suffix')
        self.assertIn("'no\\x20suffix.service'", err)
        err = self.assertBusError('InvalidUnitName', 'IsUnitRunning', 'plinth-test-slow@')
        self.assertIn("name an instance such as 'plinth-test-slow@NAME.service'", err)
        err = self.assertBusError('InvalidUnitName', 'StopUnit', 'plinth-test-*')
        self.assertIn('patterns are not taken', err)
        err = self.assertBusError('InvalidUnitName', 'ResetFailedUnit', '/srv')
        self.assertIn('a path is not a unit name', err)
        err = self.assertBusError('NotManaged', 'StartUnit', 'ssh')
        self.assertIn("'ssh.service' is not declared by any app", err)

    def test_a_unit_systemd_does_not_know_fails_its_running_check(self):
        checks = self.call('DiagnoseApp', 's', 'gone')[0]
        self.assertEqual(checks, [[
            'daemon-running-plinth-test-missing.service', 'daemon-gone', 'failed',
            'Service {service_name} is running',
            {'service_name': {'type': 's', 'data': 'plinth-test-missing.service'},
             'reason': {'type': 's', 'data': 'the unit does not exist'}},
            'Service plinth-test-missing.service is running: the unit does not exist']])

    def test_a_daemon_known_only_by_its_alias_is_run_and_checked_under_it(self):
        # Only the old name, plinth-test-legacy, has a unit file.
        check_id = 'daemon-running-plinth-test-newname.service'
        old_name = {'service_name': {'type': 's', 'data': 'plinth-test-legacy.service'}}
        self.assertEqual(self.call('DiagnoseApp', 's', 'legacy')[0], [[
            check_id, 'daemon-legacy', 'failed', 'Service {service_name} is running',
            old_name, 'Service plinth-test-legacy.service is running']])

        self.enable('legacy')
        self.assertEqual(self.is_active('plinth-test-legacy.service'), 'active')
        self.assertEqual(self.call('IsAppEnabled', 's', 'legacy'), [True])
        self.assertEqual(self.call('IsAppRunning', 's', 'legacy'), [True])
        self.assertEqual(self.call('DiagnoseApp', 's', 'legacy')[0], [[
            check_id, 'daemon-legacy', 'passed', 'Service {service_name} is running',
            old_name, 'Service plinth-test-legacy.service is running']])

        self.call('DisableApp', 's', 'legacy')
        self.assertEqual(self.is_active('plinth-test-legacy.service'), 'inactive')
        self.assertEqual(self.call('IsAppRunning', 's', 'legacy'), [False])

    def test_reset_failed_unit_clears_a_failed_unit(self):
        unit = 'plinth-test-fail.service'
        self.addCleanup(self.sandbox.systemctl, 'reset-failed', unit)
        with self.assertRaises(BusError):
            self.call('StartUnit', 's', 'plinth-test-fail')
        self.assertEqual(self.is_active(unit), 'failed')

        proc = self.monitor()
        self.call('ResetFailedUnit', 's', 'plinth-test-fail')
        self.assertEqual(self.is_active(unit), 'inactive')
        self.expect_line(proc, f"UnitStateChanged ('{unit}', 'inactive', 'dead')")

    def test_reset_failed_unit_refuses_an_undeclared_unit(self):
        err = self.assertBusError('NotManaged', 'ResetFailedUnit', 'ssh.service')
        self.assertIn('not declared by any app', err)


if __name__ == '__main__':
    harness.run_under_private_bus(os.path.abspath(__file__))
    unittest.main(verbosity=2)
