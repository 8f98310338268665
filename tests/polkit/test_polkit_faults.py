#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""polkitd killed while the real service waits for its answer: the caller is refused, saying
why, nothing reaches systemd, and the service asks the next polkitd as before."""

import os
import signal
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from polkit_sandbox import (GRANTED_UID, RULES, PolkitServiceTestCase,  # noqa: E402
                            exit_unless_runnable)
import harness  # noqa: E402  (found through polkit_sandbox's path)

UNIT = 'plinth-test-http.service'
SLOW_RULES = os.path.join(HERE, 'rules', '40-plinth-slow.rules')
# A bound on waiting for the slow rule to run, not a measurement.
CHECK_START_TIMEOUT_S = 10


class PolkitKilledTest(PolkitServiceTestCase):

    UNITS = [UNIT]
    APPS_DIR = os.path.join(HERE, '..', 'service', 'apps')
    POLKIT_RULES = (RULES, SLOW_RULES)

    def polkitd_pid(self):
        with open(os.path.join(self.polkit.dir, 'polkitd.pid'), encoding='utf-8') as pid:
            return int(pid.read())

    def slow_rule_pid(self):
        """The pid of the slow rule's sleep, once polkitd runs it."""
        found = subprocess.run(['pgrep', '-P', str(self.polkitd_pid()), '-x', 'sleep'],
                               capture_output=True, text=True, check=False).stdout.split()
        return int(found[0]) if found else None

    def test_a_check_cut_short_refuses_and_the_next_polkitd_decides(self):
        self.addCleanup(self.sandbox.systemctl, 'stop', UNIT)
        caller = subprocess.Popen(harness.as_user(
            ['gdbus', 'call', '--address', self.service.bus, '--dest', harness.BUS_NAME,
             '--object-path', harness.OBJECT_PATH, '--method',
             f'{harness.INTERFACE}.RestartUnit', UNIT], GRANTED_UID),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertTrue(harness.wait_until(lambda: self.slow_rule_pid() is not None,
                                           CHECK_START_TIMEOUT_S), self.polkit.polkit_log())
        sleeper = self.slow_rule_pid()
        os.kill(self.polkitd_pid(), signal.SIGKILL)
        os.kill(sleeper, signal.SIGKILL)

        _, err = caller.communicate(timeout=60)
        self.assertNotEqual(caller.returncode, 0)
        self.assertEqual(harness.gdbus_error_name(err),
                         harness.ERROR_PREFIX + 'NotAuthorized', err)
        self.assertIn('polkit', err.lower())
        self.assertEqual(self.sandbox.systemctl('is-active', UNIT), 'inactive')
        self.assertIsNone(self.service.process.poll())

        self.polkit.start_polkit()
        self.call('StartUnit', 's', UNIT, user=GRANTED_UID)
        self.assertEqual(self.sandbox.systemctl('is-active', UNIT), 'active')


if __name__ == '__main__':
    exit_unless_runnable(harness.SANDBOX)
    unittest.main(verbosity=2)
