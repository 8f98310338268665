#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The polkit sandbox answers as its rules say, and its bus enforces the project's bus policy.

Authorization is asked with pkcheck, polkit's own client, for real processes of the users the
rules name; the bus policy is probed with busctl.
"""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from polkit_sandbox import (AUTHORIZED, GRANTED_UID, NOT_AUTHORIZED,  # noqa: E402
                            UNGRANTED_UID, PolkitSandbox, exit_unless_runnable)
from harness import as_user  # noqa: E402

BUS_NAME = 'org.freedesktop.Plinth.Daemons'


class PolkitSandboxTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.sandbox = PolkitSandbox()

    @classmethod
    def tearDownClass(cls):
        cls.sandbox.stop()

    def request_name(self, uid):
        """RequestName of our bus name as uid; busctl's (exit code, output)."""
        cmd = ['busctl', f'--address={self.sandbox.bus}', 'call', 'org.freedesktop.DBus',
               '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'RequestName', 'su',
               BUS_NAME, '4']
        result = subprocess.run(as_user(cmd, uid or None), capture_output=True, text=True, check=False)
        return result.returncode, (result.stdout + result.stderr).strip()

    def assertAnswer(self, expected, uid, action, **details):
        self.assertEqual(self.sandbox.pkcheck(uid, action, **details), expected,
                         f'uid {uid} {action} {details}')

    def test_granted_unit_only(self):
        http, udp = 'plinth-test-http.service', 'plinth-test-udp.service'
        self.assertAnswer(AUTHORIZED, GRANTED_UID, 'manage-units', unit=http, verb='start')
        self.assertAnswer(NOT_AUTHORIZED, GRANTED_UID, 'manage-units', unit=http, verb='mask')
        self.assertAnswer(NOT_AUTHORIZED, GRANTED_UID, 'manage-units', unit=udp, verb='start')

    def test_granted_app_only(self):
        self.assertAnswer(AUTHORIZED, GRANTED_UID, 'manage-apps', app='web')
        self.assertAnswer(NOT_AUTHORIZED, GRANTED_UID, 'manage-apps', app='blog')
        self.assertAnswer(NOT_AUTHORIZED, GRANTED_UID, 'reload')

    def test_ungranted_user_is_refused_everything(self):
        self.assertAnswer(NOT_AUTHORIZED, UNGRANTED_UID, 'manage-units',
                          unit='plinth-test-http.service', verb='start')
        self.assertAnswer(NOT_AUTHORIZED, UNGRANTED_UID, 'manage-apps', app='web')
        self.assertAnswer(NOT_AUTHORIZED, UNGRANTED_UID, 'reload')

    def test_root_is_authorized(self):
        self.assertAnswer(AUTHORIZED, 0, 'reload')

    def test_stopped_polkit_answers_nothing_until_started_again(self):
        self.sandbox.stop_polkit()
        try:
            self.assertNotIn(self.sandbox.pkcheck(GRANTED_UID, 'manage-apps', app='web'),
                             (AUTHORIZED, NOT_AUTHORIZED))
        finally:
            self.sandbox.start_polkit()
        self.assertAnswer(AUTHORIZED, GRANTED_UID, 'manage-apps', app='web')

    def test_only_root_may_own_our_name(self):
        for uid in (GRANTED_UID, UNGRANTED_UID):
            code, output = self.request_name(uid)
            self.assertNotEqual(code, 0, f'uid {uid} owned {BUS_NAME}: {output}')
            self.assertIn('denied', output.lower())
        # busctl's connection, and the name with it, ends with busctl: root may own it again.
        self.assertEqual(self.request_name(0), (0, 'u 1'))


if __name__ == '__main__':
    exit_unless_runnable()
    unittest.main()
