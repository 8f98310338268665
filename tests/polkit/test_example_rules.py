#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The sample rules of data/examples grant what the README says they grant, to a group: enable
and disable the app, start, stop, restart and reload its daemon, read the logs of its own units,
and nothing more.

The sample names the group web-admins, which no test machine has; the tests load it with uid
1's own group (daemon) in its place. ExampleRulesTest asks polkitd directly, with the details
the service sends, ahead of the test rules; ExampleRulesServiceTest calls the real service,
with the sample's app and unit renamed to the test app web and its daemon, and a rule after
the sample that refuses everything else.
"""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from polkit_sandbox import (AUTHORIZED, GRANTED_UID, NOT_AUTHORIZED, RULES,  # noqa: E402
                            UNGRANTED_UID, PolkitSandbox, PolkitServiceTestCase,
                            exit_unless_runnable)
import harness  # noqa: E402  (found through polkit_sandbox's path)

SAMPLE = os.environ.get('PLINTH_EXAMPLE_RULES')
WEB = 'plinth-example-web.service'
GRANTED_VERBS = ('start', 'stop', 'restart', 'reload')
REFUSED_VERBS = ('try-restart', 'try-reload-or-restart', 'enable', 'disable', 'mask', 'unmask',
                 'reset-failed', 'ensure-running')
REFUSE_THE_REST = '''
polkit.addRule(function(action, subject) {
	if (action.id.indexOf("org.freedesktop.Plinth.Daemons.") === 0)
		return polkit.Result.NO;
	return polkit.Result.NOT_HANDLED;
});
'''


def write_sample(directory, **renames):
    """The sample with the group daemon for web-admins and each renamed word replaced."""
    with open(SAMPLE, encoding='utf-8') as sample:
        text = sample.read()
    renames['web-admins'] = 'daemon'
    for old, new in renames.items():
        if f'"{old}"' not in text:
            raise RuntimeError(f'{SAMPLE} no longer names "{old}"')
        text = text.replace(f'"{old}"', f'"{new}"')
    path = os.path.join(directory, os.path.basename(SAMPLE))
    with open(path, 'w', encoding='utf-8') as out:
        out.write(text)
    return path


class ExampleRulesTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.TemporaryDirectory()
        cls.sandbox = PolkitSandbox([write_sample(cls.work.name), RULES])

    @classmethod
    def tearDownClass(cls):
        cls.sandbox.stop()
        cls.work.cleanup()

    def assertAnswer(self, expected, uid, action, **details):
        self.assertEqual(self.sandbox.pkcheck(uid, action, **details), expected,
                         f'uid {uid} {action} {details}')

    def test_a_member_enables_and_disables_the_app_only(self):
        for verb in ('enable', 'disable'):
            self.assertAnswer(AUTHORIZED, GRANTED_UID, 'manage-apps', app='webserver',
                              verb=verb)
            self.assertAnswer(NOT_AUTHORIZED, GRANTED_UID, 'manage-apps', app='wiki',
                              verb=verb)
        self.assertAnswer(NOT_AUTHORIZED, GRANTED_UID, 'manage-apps', app='webserver',
                          verb='repair')
        self.assertAnswer(NOT_AUTHORIZED, GRANTED_UID, 'manage-apps', app='webserver')

    def test_a_member_operates_the_apps_daemon_only(self):
        for verb in GRANTED_VERBS:
            self.assertAnswer(AUTHORIZED, GRANTED_UID, 'manage-units', unit=WEB, verb=verb)
        for verb in REFUSED_VERBS:
            self.assertAnswer(NOT_AUTHORIZED, GRANTED_UID, 'manage-units', unit=WEB, verb=verb)
        self.assertAnswer(NOT_AUTHORIZED, GRANTED_UID, 'manage-units',
                          unit='plinth-example-db.service', verb='start')

    def test_others_gain_nothing(self):
        self.assertAnswer(NOT_AUTHORIZED, UNGRANTED_UID, 'manage-apps', app='webserver',
                          verb='enable')
        self.assertAnswer(NOT_AUTHORIZED, UNGRANTED_UID, 'manage-units', unit=WEB,
                          verb='start')
        self.assertAnswer(NOT_AUTHORIZED, UNGRANTED_UID, 'read-logs', app='webserver',
                          shared='false')

    def test_a_member_reads_the_logs_of_the_apps_own_units_only(self):
        # The details the service sends: GetAppLogs asks for the app's own units, then for its
        # shared ones; GetUnitLogs names the unit's app when the unit is that app's own.
        self.assertAnswer(AUTHORIZED, GRANTED_UID, 'read-logs', app='webserver', shared='false')
        self.assertAnswer(AUTHORIZED, GRANTED_UID, 'read-logs', unit=WEB, app='webserver',
                          shared='false')
        self.assertAnswer(NOT_AUTHORIZED, GRANTED_UID, 'read-logs', app='webserver',
                          shared='true')
        self.assertAnswer(NOT_AUTHORIZED, GRANTED_UID, 'read-logs',
                          unit='plinth-example-db.service', shared='true')
        self.assertAnswer(NOT_AUTHORIZED, GRANTED_UID, 'read-logs', app='wiki', shared='false')
        self.assertAnswer(NOT_AUTHORIZED, GRANTED_UID, 'read-logs', app='webserver')


GRANTED_APP = 'web'
GRANTED_UNIT = 'plinth-test-http.service'


class ExampleRulesServiceTest(PolkitServiceTestCase):

    UNITS = [GRANTED_UNIT, 'plinth-test-udp.service']
    APPS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'service', 'apps')

    @classmethod
    def setUpClass(cls):
        rules_dir = tempfile.TemporaryDirectory()
        # Class cleanups run after tearDownClass, and also when setUpClass fails.
        cls.addClassCleanup(rules_dir.cleanup)
        refuse = os.path.join(rules_dir.name, '90-refuse-the-rest.rules')
        with open(refuse, 'w', encoding='utf-8') as out:
            out.write(REFUSE_THE_REST)
        cls.POLKIT_RULES = (write_sample(rules_dir.name, webserver=GRANTED_APP,
                                         **{WEB: GRANTED_UNIT}), refuse)
        super().setUpClass()

    def test_a_member_enables_and_disables_the_app(self):
        self.call('EnableApp', 's', GRANTED_APP, user=GRANTED_UID)
        self.addCleanup(self.call, 'DisableApp', 's', GRANTED_APP)
        self.assertEqual(self.sandbox.systemctl('is-active', GRANTED_UNIT), 'active')
        self.call('DisableApp', 's', GRANTED_APP, user=GRANTED_UID)
        self.assertEqual(self.call('IsAppEnabled', 's', GRANTED_APP), [False])

    def test_a_member_may_not_repair_the_app(self):
        self.assertBusError('NotAuthorized', 'RepairApp', GRANTED_APP, user=GRANTED_UID)

    def test_a_member_starts_stops_restarts_and_reloads_the_daemon_only(self):
        self.addCleanup(self.call, 'StopUnit', 's', GRANTED_UNIT)
        for method in ('StartUnit', 'RestartUnit', 'StopUnit'):
            self.call(method, 's', GRANTED_UNIT, user=GRANTED_UID)
        # The unit cannot reload; what matters is that polkit let the call through to systemd.
        _, _, err = harness.gdbus_call(self.service.bus, 'ReloadUnit', GRANTED_UNIT,
                                       user=GRANTED_UID)
        self.assertNotIn('NotAuthorized', err)
        for method in ('TryRestartUnit', 'TryReloadOrRestartUnit', 'EnableUnit', 'MaskUnit',
                       'ResetFailedUnit'):
            self.assertBusError('NotAuthorized', method, GRANTED_UNIT, user=GRANTED_UID)
        self.assertBusError('NotAuthorized', 'StartUnit', 'plinth-test-udp.service',
                            user=GRANTED_UID)

    def test_others_gain_nothing(self):
        self.assertBusError('NotAuthorized', 'EnableApp', GRANTED_APP, user=UNGRANTED_UID)
        self.assertBusError('NotAuthorized', 'StartUnit', GRANTED_UNIT, user=UNGRANTED_UID)


LOGS_APPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'service',
                         'apps-logs')
# App chat's own daemon, and crashy's daemon that chat declares as a related daemon: shared.
CHAT_UNIT = 'plinth-test-chatty.service'
SHARED_UNIT = 'plinth-test-exit3.service'
UNIT, MESSAGE = 1, 5
INTERACTIVE_AUTHORIZATION_REQUIRED = 'org.freedesktop.DBus.Error.InteractiveAuthorizationRequired'


class ExampleRulesLogsTest(PolkitServiceTestCase):
    """The sample alone, as an administrator installs it, with webserver renamed to chat."""

    UNITS = [CHAT_UNIT, SHARED_UNIT]
    APPS_DIR = LOGS_APPS
    JOURNALD = True

    @classmethod
    def setUpClass(cls):
        rules_dir = tempfile.TemporaryDirectory()
        cls.addClassCleanup(rules_dir.cleanup)
        cls.POLKIT_RULES = (write_sample(rules_dir.name, webserver='chat'),)
        super().setUpClass()
        # Both units leave lines in the journal: chatty five, exit3 one per run.
        cls.sandbox.systemctl('start', CHAT_UNIT, SHARED_UNIT)
        units = {CHAT_UNIT, SHARED_UNIT}
        if not harness.wait_until(lambda: cls.units_logged('chat') == units, 10):
            raise AssertionError(f'no lines of {units} in the journal: '
                                 f'{cls.units_logged("chat")}')

    @classmethod
    def units_logged(cls, app, user=None):
        entries = harness.busctl_call(cls.service.bus, 'GetAppLogs', 'sus', app, 0, '',
                                      user=user)[0]
        return {entry[UNIT] for entry in entries}

    def assertRefused(self, method, *args, user=GRANTED_UID):
        """Refused as the action's default refuses a caller who gave no password."""
        _, out, err = harness.gdbus_call(self.service.bus, method, *args, user=user)
        self.assertEqual(harness.gdbus_error_name(err), INTERACTIVE_AUTHORIZATION_REQUIRED,
                         f'{method} {args} by uid {user}: {out}')

    def test_a_member_reads_the_apps_own_unit(self):
        entries = self.call('GetUnitLogs', 'sus', CHAT_UNIT, 0, '', user=GRANTED_UID)[0]
        self.assertIn('line 5', [entry[MESSAGE] for entry in entries])

    def test_a_member_may_not_read_a_unit_the_app_shares(self):
        self.assertRefused('GetUnitLogs', SHARED_UNIT, 0, '')
        self.assertRefused('FollowUnitLogs', SHARED_UNIT, '')

    def test_the_apps_logs_hold_its_own_units_alone_for_a_member(self):
        self.assertEqual(self.units_logged('chat', user=GRANTED_UID), {CHAT_UNIT})
        self.assertEqual(self.units_logged('chat', user=0), {CHAT_UNIT, SHARED_UNIT})

    def test_others_read_nothing(self):
        self.assertRefused('GetAppLogs', 'chat', 0, '', user=UNGRANTED_UID)
        self.assertRefused('GetUnitLogs', CHAT_UNIT, 0, '', user=UNGRANTED_UID)
        self.assertRefused('GetAppLogs', 'crashy', 0, '')


if __name__ == '__main__':
    exit_unless_runnable(harness.SANDBOX)
    unittest.main()
