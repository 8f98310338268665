#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Changes sent together, by real concurrent clients, to the real service and systemd.

Changes that touch the same units run one after another, each planned when it starts; the
others run side by side.
"""

import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import load  # noqa: E402
from harness import ServiceTestCase  # noqa: E402

APPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'apps')
SHARED = 'plinth-test-udp.service'


class OperationsTest(ServiceTestCase):
    UNITS = ['plinth-test-http.service', 'plinth-test-udp.service',
             'plinth-test-slow@.service', 'plinth-test-never-ready.service']
    APPS_DIR = APPS

    def call_in_background(self, method, *args):
        return subprocess.Popen(
            ['busctl', f'--address={self.service.bus}', '--timeout=60', 'call',
             harness.BUS_NAME, harness.OBJECT_PATH, harness.INTERFACE, method,
             's' * len(args)] + list(args),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def assertSucceeds(self, call, what):
        _, err = call.communicate(timeout=60)
        self.assertEqual(call.returncode, 0, f'{what} failed: {err}')

    def state(self, unit):
        return (self.sandbox.systemctl('is-enabled', unit),
                self.sandbox.systemctl('is-active', unit))

    def wait_active_state(self, unit, state):
        self.assertTrue(harness.wait_until(
            lambda: self.sandbox.systemctl('is-active', unit) == state, 10),
            f'{unit} never became {state}')

    def test_root_sending_many_changes_at_once_is_never_busy(self):
        # No check of root's waits, so none counts against the limit of checks in flight
        # per caller (8): fifty starts sent at once over one connection all succeed.
        self.addCleanup(self.call, 'StopUnit', 's', SHARED)
        replies = load.call_concurrently(self.service.bus, 1,
                                         [('StartUnit', ('s', SHARED))] * 50)
        self.assertEqual([str(r) for r in replies], ['[]'] * 50)
        self.assertEqual(self.sandbox.systemctl('is-active', SHARED), 'active')

    def test_disable_and_enable_of_apps_sharing_a_daemon_sent_together(self):
        # web and blog share SHARED: whichever order they arrive in, blog ends enabled and
        # the shared daemon with it, and neither call fails because of the other.
        self.addCleanup(self.call, 'DisableApp', 's', 'blog')
        for first_disable in (True, False):
            for delay in (0, 0.02, 0.1, 0.3):
                with self.subTest(first_disable=first_disable, delay=delay):
                    self.call('EnableApp', 's', 'web')
                    self.call('DisableApp', 's', 'blog')
                    calls = [('DisableApp', 'web'), ('EnableApp', 'blog')]
                    if not first_disable:
                        calls.reverse()
                    first = self.call_in_background(*calls[0])
                    time.sleep(delay)
                    second = self.call_in_background(*calls[1])
                    self.assertSucceeds(first, calls[0])
                    self.assertSucceeds(second, calls[1])

                    self.assertEqual(self.state(SHARED), ('enabled', 'active'))
                    self.assertEqual(self.call('IsAppEnabled', 's', 'blog'), [True])
                    self.assertEqual(self.call('IsAppRunning', 's', 'blog'), [True])
                    self.assertEqual(self.call('IsAppEnabled', 's', 'web'), [False])
                    self.assertEqual(self.state('plinth-test-http.service'),
                                     ('disabled', 'inactive'))

    def test_a_stop_sent_during_a_start_waits_for_it(self):
        # Sent straight to systemd, the stop would replace the start job and fail it
        # with result 'canceled'.
        unit = 'plinth-test-slow@slow.service'
        self.addCleanup(self.sandbox.systemctl, 'stop', unit)
        start = self.call_in_background('StartUnit', unit)
        self.wait_active_state(unit, 'activating')
        stop = self.call_in_background('StopUnit', unit)
        self.assertSucceeds(start, 'StartUnit')
        self.assertSucceeds(stop, 'StopUnit')
        self.assertEqual(self.sandbox.systemctl('is-active', unit), 'inactive')

    def test_changes_to_unrelated_apps_run_side_by_side(self):
        # Each start takes a second: both units activating at once proves neither waited.
        units = ['plinth-test-slow@blog.service', 'plinth-test-slow@slow.service']
        for app in ('blog', 'slow'):
            self.addCleanup(self.call, 'DisableApp', 's', app)
        calls = [self.call_in_background('EnableApp', app) for app in ('blog', 'slow')]
        self.assertTrue(harness.wait_until(
            lambda: all(self.sandbox.systemctl('is-active', u) == 'activating'
                        for u in units), 10),
            'the two apps never started at the same time')
        for call, app in zip(calls, ('blog', 'slow')):
            self.assertSucceeds(call, f'EnableApp {app}')


if __name__ == '__main__':
    harness.run_under_private_bus(os.path.abspath(__file__))
    unittest.main(verbosity=2)
