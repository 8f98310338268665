#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Who may change what, decided by the real polkitd.

The real service runs as root with --authorization polkit on the polkit sandbox's bus (which
carries the project's bus policy) against a real systemd --user. Its callers are two non-root
users the test rules treat differently: uid 1 may operate plinth-test-http.service and manage
the app web, nothing else; uid 65534 may change nothing.
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from polkit_sandbox import (GRANTED_UID, UNGRANTED_UID,  # noqa: E402
                            PolkitServiceTestCase, exit_unless_runnable)
import harness  # noqa: E402  (found through polkit_sandbox's path)
from object_client import APP_INTERFACE, UNIT_INTERFACE, app_path, unit_path  # noqa: E402

GRANTED_UNIT = 'plinth-test-http.service'
# Managed (app web's shared daemon, app tools' only one), but not granted to anyone.
OTHER_UNIT = 'plinth-test-udp.service'
GRANTED_APP = 'web'
OTHER_APP = 'tools'
UNIT_METHODS = ['StartUnit', 'StopUnit', 'RestartUnit', 'TryRestartUnit', 'ReloadUnit',
                'TryReloadOrRestartUnit', 'EnableUnit', 'DisableUnit', 'MaskUnit',
                'UnmaskUnit', 'ResetFailedUnit']
# What systemd records for a unit as soon as a job touches it, even one that failed at once.
UNIT_TRACES = ['ActiveState', 'SubState', 'UnitFileState', 'InactiveExitTimestampMonotonic',
               'ActiveEnterTimestampMonotonic', 'InactiveEnterTimestampMonotonic']


class AuthorizationTest(PolkitServiceTestCase):

    UNITS = [GRANTED_UNIT, OTHER_UNIT]
    APPS_DIR = os.path.join(HERE, '..', 'service', 'apps')

    def unit_traces(self, unit):
        return self.sandbox.systemctl('show', '--property=' + ','.join(UNIT_TRACES), unit)

    def assertRefused(self, uid, method, *args, **where):
        """method is refused as NotAuthorized, and systemd never hears of it.

        where may give the path and interface of an App or Unit object."""
        units = (GRANTED_UNIT, OTHER_UNIT)
        before = {unit: self.unit_traces(unit) for unit in units}
        error = self.assertBusError('NotAuthorized', method, *args, user=uid, **where)
        for unit in units:
            self.assertEqual(self.unit_traces(unit), before[unit],
                             f'{method} {args} by uid {uid} reached systemd for {unit}')
        self.assertEqual(self.sandbox.systemctl('list-jobs', '--no-legend'), '')
        return error

    def start_as(self, uid, unit):
        self.call('StartUnit', 's', unit, user=uid)
        self.addCleanup(self.call, 'StopUnit', 's', unit)

    def test_granted_user_operates_the_granted_unit(self):
        self.start_as(GRANTED_UID, GRANTED_UNIT)
        self.assertEqual(self.sandbox.systemctl('is-active', GRANTED_UNIT), 'active')
        self.call('StopUnit', 's', GRANTED_UNIT, user=GRANTED_UID)
        self.assertEqual(self.sandbox.systemctl('is-active', GRANTED_UNIT), 'inactive')

    def test_rules_see_the_full_name_of_a_bare_one(self):
        self.start_as(GRANTED_UID, 'plinth-test-http')
        self.assertEqual(self.sandbox.systemctl('is-active', GRANTED_UNIT), 'active')
        self.assertRefused(GRANTED_UID, 'MaskUnit', 'plinth-test-http')

    def test_granted_user_is_refused_another_managed_unit(self):
        self.assertRefused(GRANTED_UID, 'StartUnit', OTHER_UNIT)
        self.assertEqual(self.sandbox.systemctl('is-active', OTHER_UNIT), 'inactive')

    def test_rules_see_the_verb(self):
        self.assertRefused(GRANTED_UID, 'MaskUnit', GRANTED_UNIT)
        self.assertNotEqual(self.sandbox.systemctl('is-enabled', GRANTED_UNIT), 'masked')

    def test_granted_user_manages_the_granted_app(self):
        self.call('EnableApp', 's', GRANTED_APP, user=GRANTED_UID)
        self.addCleanup(self.call, 'DisableApp', 's', GRANTED_APP)
        self.assertEqual(self.call('IsAppEnabled', 's', GRANTED_APP), [True])
        self.assertEqual(self.sandbox.systemctl('is-active', GRANTED_UNIT), 'active')
        self.call('DisableApp', 's', GRANTED_APP, user=GRANTED_UID)
        self.assertEqual(self.call('IsAppEnabled', 's', GRANTED_APP), [False])

    def test_granted_user_is_refused_another_app(self):
        self.assertRefused(GRANTED_UID, 'EnableApp', OTHER_APP)
        self.assertEqual(self.call('IsAppEnabled', 's', OTHER_APP), [False])

    def test_ignoring_checks_needs_ignore_checks_for_that_app(self):
        check = 'daemon-listening-tcp4-19471'
        self.call('IgnoreCheck', 'ss', GRANTED_APP, check, user=GRANTED_UID)
        self.addCleanup(self.call, 'UnignoreCheck', 'ss', GRANTED_APP, check)
        ignored = os.path.join(self.state_dir, 'ignored-checks.toml')
        with open(ignored, encoding='utf-8') as kept:
            self.assertIn(check, kept.read())
        self.assertRefused(GRANTED_UID, 'IgnoreCheck', OTHER_APP, check)
        self.assertRefused(UNGRANTED_UID, 'IgnoreCheck', GRANTED_APP, check)
        self.assertRefused(UNGRANTED_UID, 'UnignoreCheck', GRANTED_APP, check)
        with open(ignored, encoding='utf-8') as kept:
            self.assertIn(check, kept.read())
        self.call('UnignoreCheck', 'ss', GRANTED_APP, check, user=GRANTED_UID)
        with open(ignored, encoding='utf-8') as kept:
            self.assertNotIn(check, kept.read())

    def test_ungranted_user_changes_nothing(self):
        self.assertRefused(UNGRANTED_UID, 'EnableApp', GRANTED_APP)
        self.assertRefused(UNGRANTED_UID, 'DisableApp', GRANTED_APP)
        for method in UNIT_METHODS:
            self.assertRefused(UNGRANTED_UID, method, GRANTED_UNIT)
        self.assertRefused(UNGRANTED_UID, 'Reload')

    def test_ungranted_user_still_reads_and_diagnoses(self):
        apps = self.call('ListApps', user=UNGRANTED_UID)[0]
        self.assertIn(GRANTED_APP, [app[0] for app in apps])
        components = self.call('GetAppComponents', 's', GRANTED_APP, user=UNGRANTED_UID)[0]
        self.assertEqual([c[2] for c in components], [GRANTED_UNIT, OTHER_UNIT])
        self.assertEqual(self.call('IsAppEnabled', 's', GRANTED_APP, user=UNGRANTED_UID),
                         [False])
        self.assertEqual(self.call('IsAppRunning', 's', GRANTED_APP, user=UNGRANTED_UID),
                         [False])
        self.assertEqual(self.call('IsUnitRunning', 's', GRANTED_UNIT, user=UNGRANTED_UID),
                         [False])
        status = self.call('GetUnitStatus', 's', GRANTED_UNIT, user=UNGRANTED_UID)[0]
        self.assertEqual(status['ActiveState']['data'], 'inactive')
        checks = self.call('DiagnoseApp', 's', GRANTED_APP, user=UNGRANTED_UID)[0]
        running = [c for c in checks if c[0] == f'daemon-running-{GRANTED_UNIT}']
        self.assertEqual([c[2] for c in running], ['failed'])

    def object_call(self, uid, path, interface, method, *args):
        code, out, err = harness.gdbus_call(self.service.bus, method, *args, user=uid,
                                            path=path, interface=interface)
        self.assertEqual(code, 0, f'{method} on {path} by uid {uid}: {err}')
        return out

    def test_object_methods_are_authorized_like_the_flat_ones(self):
        web, tools = app_path(GRANTED_APP), app_path(OTHER_APP)
        granted, other = unit_path(GRANTED_UNIT), unit_path(OTHER_UNIT)
        self.assertRefused(GRANTED_UID, 'Enable', path=tools, interface=APP_INTERFACE)
        self.assertRefused(GRANTED_UID, 'Start', path=other, interface=UNIT_INTERFACE)
        self.assertRefused(GRANTED_UID, 'Mask', path=granted, interface=UNIT_INTERFACE)
        for method in ('Enable', 'Disable'):
            self.assertRefused(UNGRANTED_UID, method, path=web, interface=APP_INTERFACE)
        for method in [m.removesuffix('Unit') for m in UNIT_METHODS] + ['ResetFailed']:
            self.assertRefused(UNGRANTED_UID, method, path=granted, interface=UNIT_INTERFACE)

        self.object_call(GRANTED_UID, granted, UNIT_INTERFACE, 'Start')
        self.addCleanup(self.call, 'StopUnit', 's', GRANTED_UNIT)
        self.assertEqual(self.sandbox.systemctl('is-active', GRANTED_UNIT), 'active')
        self.object_call(GRANTED_UID, granted, UNIT_INTERFACE, 'Stop')
        self.assertEqual(self.sandbox.systemctl('is-active', GRANTED_UNIT), 'inactive')
        self.object_call(GRANTED_UID, web, APP_INTERFACE, 'Enable')
        self.addCleanup(self.call, 'DisableApp', 's', GRANTED_APP)
        self.assertEqual(self.call('IsAppEnabled', 's', GRANTED_APP), [True])
        self.object_call(GRANTED_UID, web, APP_INTERFACE, 'Disable')
        self.assertEqual(self.call('IsAppEnabled', 's', GRANTED_APP), [False])
        # Reading needs no grant, through the objects as through the flat methods.
        self.assertIn('daemon-running-' + GRANTED_UNIT,
                      self.object_call(UNGRANTED_UID, web, APP_INTERFACE, 'Diagnose'))

    def test_logs_need_read_logs_for_that_unit_or_app(self):
        # The journal of this host may hold nothing of the sandbox's units: what counts is
        # the answer, not the lines.
        self.assertIsInstance(
            self.call('GetUnitLogs', 'sus', GRANTED_UNIT, 5, '', user=GRANTED_UID)[0], list)
        self.assertBusError('NotAuthorized', 'GetUnitLogs', OTHER_UNIT, 5, '',
                            user=GRANTED_UID)
        self.assertBusError('NotAuthorized', 'GetAppLogs', GRANTED_APP, 5, '',
                            user=GRANTED_UID)
        for uid in (GRANTED_UID, UNGRANTED_UID):
            self.assertBusError('NotAuthorized', 'FollowAppLogs', GRANTED_APP, '', user=uid)
        self.assertBusError('NotAuthorized', 'GetUnitLogs', GRANTED_UNIT, 5, '',
                            user=UNGRANTED_UID)
        self.assertBusError('NotAuthorized', 'FollowUnitLogs', GRANTED_UNIT, '',
                            user=UNGRANTED_UID)
        # The objects' log calls ask polkit the same: granted for the unit, not the app.
        self.assertIsInstance(self.object_call(GRANTED_UID, unit_path(GRANTED_UNIT),
                                               UNIT_INTERFACE, 'GetLogs', 5, ''), str)
        self.assertBusError('NotAuthorized', 'GetLogs', 5, '', user=GRANTED_UID,
                            path=app_path(GRANTED_APP), interface=APP_INTERFACE)
        self.assertBusError('NotAuthorized', 'FollowLogs', '', user=UNGRANTED_UID,
                            path=unit_path(GRANTED_UNIT), interface=UNIT_INTERFACE)

    def test_repair_is_managing_the_app(self):
        self.assertRefused(UNGRANTED_UID, 'RepairApp', GRANTED_APP)
        self.assertRefused(GRANTED_UID, 'RepairApp', OTHER_APP)
        self.assertRefused(GRANTED_UID, 'Repair', path=app_path(OTHER_APP),
                           interface=APP_INTERFACE)

    def test_root_passes_without_a_rule(self):
        self.start_as(0, OTHER_UNIT)
        self.assertEqual(self.sandbox.systemctl('is-active', OTHER_UNIT), 'active')

    def test_without_polkit_every_non_root_change_is_refused_saying_why(self):
        self.polkit.stop_polkit()
        try:
            error = self.assertRefused(GRANTED_UID, 'StartUnit', GRANTED_UNIT)
        finally:
            self.polkit.start_polkit()
        self.assertIn('polkit', error.lower())
        # Back with polkitd, the grant holds again: the refusal came from its absence.
        self.start_as(GRANTED_UID, GRANTED_UNIT)
        self.assertEqual(self.sandbox.systemctl('is-active', GRANTED_UNIT), 'active')


if __name__ == '__main__':
    exit_unless_runnable(harness.SANDBOX)
    unittest.main()
