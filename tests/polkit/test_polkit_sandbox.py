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
from polkit_sandbox import (ACTION_PREFIX, GRANTED_UID, UNGRANTED_UID,  # noqa: E402
                            PolkitSandbox, as_user, exit_unless_runnable)

BUS_NAME = 'org.freedesktop.Plinth.Daemons'
AUTHORIZED = 0
NOT_AUTHORIZED = 1


class PolkitSandboxTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.sandbox = PolkitSandbox()

    @classmethod
    def tearDownClass(cls):
        cls.sandbox.stop()

    def pkcheck(self, uid, action, **details):
        """pkcheck's exit code for a live process of uid asking for our action."""
        # The process says "ready" only once setpriv has switched to uid: checked earlier, it
        # would still be root's and always authorized.
        process = subprocess.Popen(as_user(uid, ['sh', '-c', 'echo ready; exec sleep 60']),
                                   stdout=subprocess.PIPE, text=True)
        try:
            self.assertEqual(process.stdout.readline().strip(), 'ready')
            cmd = ['pkcheck', '--action-id', ACTION_PREFIX + action,
                   '--process', str(process.pid)]
            for key, value in details.items():
                cmd += ['--detail', key, value]
            env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.sandbox.bus)
            return subprocess.run(cmd, env=env, capture_output=True, check=False).returncode
        finally:
            process.kill()
            process.wait()
            process.stdout.close()

    def request_name(self, uid):
        """RequestName of our bus name as uid; busctl's (exit code, output)."""
        cmd = ['busctl', f'--address={self.sandbox.bus}', 'call', 'org.freedesktop.DBus',
               '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'RequestName', 'su',
               BUS_NAME, '4']
        if uid != 0:
            cmd = as_user(uid, cmd)
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        return result.returncode, (result.stdout + result.stderr).strip()

    def test_granted_unit_only(self):
        self.assertEqual(self.pkcheck(GRANTED_UID, 'manage-units',
                                      unit='plinth-test-http.service', verb='start'),
                         AUTHORIZED)
        self.assertEqual(self.pkcheck(GRANTED_UID, 'manage-units',
                                      unit='plinth-test-http.service', verb='mask'),
                         AUTHORIZED)
        self.assertEqual(self.pkcheck(GRANTED_UID, 'manage-units',
                                      unit='plinth-test-udp.service', verb='start'),
                         NOT_AUTHORIZED)

    def test_granted_app_only(self):
        self.assertEqual(self.pkcheck(GRANTED_UID, 'manage-apps', app='web'), AUTHORIZED)
        self.assertEqual(self.pkcheck(GRANTED_UID, 'manage-apps', app='blog'), NOT_AUTHORIZED)
        self.assertEqual(self.pkcheck(GRANTED_UID, 'reload'), NOT_AUTHORIZED)

    def test_ungranted_user_is_refused_everything(self):
        self.assertEqual(self.pkcheck(UNGRANTED_UID, 'manage-units',
                                      unit='plinth-test-http.service', verb='start'),
                         NOT_AUTHORIZED)
        self.assertEqual(self.pkcheck(UNGRANTED_UID, 'manage-apps', app='web'), NOT_AUTHORIZED)
        self.assertEqual(self.pkcheck(UNGRANTED_UID, 'reload'), NOT_AUTHORIZED)

    def test_root_is_authorized(self):
        self.assertEqual(self.pkcheck(0, 'reload'), AUTHORIZED)

    def test_stopped_polkit_answers_nothing_until_started_again(self):
        self.sandbox.stop_polkit()
        try:
            self.assertNotIn(self.pkcheck(GRANTED_UID, 'manage-apps', app='web'),
                             (AUTHORIZED, NOT_AUTHORIZED))
        finally:
            self.sandbox.start_polkit()
        self.assertEqual(self.pkcheck(GRANTED_UID, 'manage-apps', app='web'), AUTHORIZED)

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
