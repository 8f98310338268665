#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The sample rules of data/examples grant what the README says they grant, to a group.

The sample names the group web-admins, which no test machine has; the test loads it with uid
1's own group (daemon) in its place, ahead of the test rules that refuse everything else.
"""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from polkit_sandbox import (AUTHORIZED, GRANTED_UID, NOT_AUTHORIZED, RULES,  # noqa: E402
                            UNGRANTED_UID, PolkitSandbox, exit_unless_runnable)

SAMPLE = os.environ.get('PLINTH_EXAMPLE_RULES')
WEB = 'plinth-example-web.service'


class ExampleRulesTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        with open(SAMPLE, encoding='utf-8') as sample:
            text = sample.read()
        if '"web-admins"' not in text:
            raise RuntimeError(f'{SAMPLE} no longer names the group web-admins')
        cls.work = tempfile.TemporaryDirectory()
        rules = os.path.join(cls.work.name, os.path.basename(SAMPLE))
        with open(rules, 'w', encoding='utf-8') as out:
            out.write(text.replace('"web-admins"', '"daemon"'))
        cls.sandbox = PolkitSandbox([rules, RULES])

    @classmethod
    def tearDownClass(cls):
        cls.sandbox.stop()
        cls.work.cleanup()

    def assertAnswer(self, expected, uid, action, **details):
        self.assertEqual(self.sandbox.pkcheck(uid, action, **details), expected,
                         f'uid {uid} {action} {details}')

    def test_a_member_manages_the_app(self):
        self.assertAnswer(AUTHORIZED, GRANTED_UID, 'manage-apps', app='webserver')
        self.assertAnswer(NOT_AUTHORIZED, GRANTED_UID, 'manage-apps', app='wiki')

    def test_a_member_operates_the_apps_daemon_only(self):
        for verb in ('start', 'stop', 'restart', 'try-restart', 'reload',
                     'try-reload-or-restart'):
            self.assertAnswer(AUTHORIZED, GRANTED_UID, 'manage-units', unit=WEB, verb=verb)
        for verb in ('enable', 'disable', 'mask', 'unmask'):
            self.assertAnswer(NOT_AUTHORIZED, GRANTED_UID, 'manage-units', unit=WEB, verb=verb)
        self.assertAnswer(NOT_AUTHORIZED, GRANTED_UID, 'manage-units',
                          unit='plinth-example-db.service', verb='start')

    def test_others_gain_nothing(self):
        self.assertAnswer(NOT_AUTHORIZED, UNGRANTED_UID, 'manage-apps', app='webserver')
        self.assertAnswer(NOT_AUTHORIZED, UNGRANTED_UID, 'manage-units', unit=WEB,
                          verb='start')


if __name__ == '__main__':
    exit_unless_runnable()
    unittest.main()
