#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The sample rules of data/examples grant what the README says they grant, to a group: enable
and disable the app, start, stop, restart and reload its daemon, and nothing more.

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


if __name__ == '__main__':
    exit_unless_runnable(harness.SANDBOX)
    unittest.main()
