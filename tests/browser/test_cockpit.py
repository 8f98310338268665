#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Cockpit page in a real browser: headless Chromium, Cockpit's own web server and bridge,
the real service authorized by the real polkitd, and a real systemd --user with a journald."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, '..', 'polkit'))
from polkit_sandbox import RULES, PolkitServiceTestCase, exit_unless_runnable  # noqa: E402
import harness  # noqa: E402  (found through polkit_sandbox's path)
from cockpit_ws import COCKPIT_WS, CockpitWs  # noqa: E402
from devtools import CHROMIUM, Browser  # noqa: E402

PACKAGE_DIR = os.environ.get('PLINTH_COCKPIT_PACKAGE')
EXAMPLES = os.environ.get('PLINTH_EXAMPLES')
ARTEFACTS = os.environ.get('PLINTH_ARTEFACTS', '/tmp')
WIKI_UNIT = 'plinth-example-wiki.service'
WIKI_PORT = 18081
NOBODY = 'nobody'


def skip_unless_installed():
    """Exits 77 (a skip, a failure under CI) without Cockpit's web server or Chromium."""
    for program in (COCKPIT_WS, CHROMIUM):
        if not os.access(program, os.X_OK):
            print(f'SKIP: {program} is not installed (tools/install-deps installs it)')
            sys.exit(1 if os.environ.get('CI') == 'true' else 77)


def js(value):
    return json.dumps(value)


class CockpitPageTest(PolkitServiceTestCase):
    """One browser for the class; each test opens the page it needs."""

    UNITS = sorted(os.path.join(EXAMPLES, 'units', u)
                   for u in os.listdir(os.path.join(EXAMPLES, 'units')))
    APPS_DIR = os.path.join(EXAMPLES, 'apps.d')
    POLKIT_RULES = (os.path.join(HERE, '30-plinth-cockpit.rules'), RULES)
    JOURNALD = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stack = []
        try:
            cls.root_ws = CockpitWs(PACKAGE_DIR, cls.service.bus)
            cls.stack.append(cls.root_ws.stop)
            cls.nobody_ws = CockpitWs(PACKAGE_DIR, cls.service.bus, user=NOBODY)
            cls.stack.append(cls.nobody_ws.stop)
            cls.browser = Browser()
            cls.stack.append(cls.browser.stop)
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            for stop in reversed(cls.stack):
                stop()
        finally:
            super().tearDownClass()

    def open(self, ws, fragment='', language=None):
        self.browser.open(ws.url(fragment), language=language)
        try:
            self.browser.wait('document.body && document.body.dataset.ready === "true"', 20)
        except TimeoutError:
            self.fail('the page did not load; cockpit-ws said:\n' + ws.log())

    def screenshot(self, name):
        self.browser.screenshot(os.path.join(ARTEFACTS, f'cockpit-{name}.png'))

    def row_text(self, app, selector):
        return self.browser.evaluate(
            f'document.querySelector(\'tr[data-app={js(app)}] {selector}\').textContent')

    def running_mark(self, app):
        return self.browser.evaluate(
            f'document.querySelector(\'tr[data-app={js(app)}] .app-running\').dataset.running')

    def test_1_lists_every_example_app_with_its_state(self):
        self.open(self.root_ws)
        shown = self.browser.evaluate(
            '[...document.querySelectorAll("#apps tbody tr")].map(r => '
            '[r.dataset.app, r.querySelector(".app-name").textContent, '
            'r.querySelector("input[role=switch]").checked, '
            'r.querySelector(".app-running").dataset.running === "true"])')
        listed = self.call('ListApps')[0]
        self.assertEqual(sorted(shown), sorted([list(app) for app in listed]))
        self.assertIn(['wiki', 'Example Wiki', False, False], shown)
        self.screenshot('apps')

    def test_2_the_switch_enables_the_app_in_systemd(self):
        self.open(self.root_ws)
        # By keyboard, as a person who cannot use a mouse would.
        self.browser.evaluate(
            'document.querySelector(\'tr[data-app="wiki"] input[role=switch]\').focus()')
        self.browser.press(' ', 'Space', ' ')
        self.browser.wait('document.getElementById("status").textContent.includes("Example Wiki")')
        self.assertTrue(harness.wait_until(
            lambda: self.sandbox.systemctl('is-active', WIKI_UNIT) == 'active', 20))
        self.assertEqual(self.sandbox.systemctl('is-enabled', WIKI_UNIT), 'enabled')
        self.browser.wait(
            'document.querySelector(\'tr[data-app="wiki"] .app-running\').dataset.running'
            ' === "true"')
        self.assertTrue(self.browser.evaluate(
            'document.querySelector(\'tr[data-app="wiki"] input[role=switch]\').checked'))
        self.screenshot('enabled')

    def test_3_a_stop_behind_the_pages_back_shows_within_a_second(self):
        self.open(self.root_ws)
        self.sandbox.systemctl('start', WIKI_UNIT, check=True)
        self.browser.wait(
            'document.querySelector(\'tr[data-app="wiki"] .app-running\').dataset.running'
            ' === "true"')
        self.sandbox.systemctl('stop', WIKI_UNIT, check=True)
        stopped = time.monotonic()
        self.browser.wait(
            'document.querySelector(\'tr[data-app="wiki"] .app-running\').dataset.running'
            ' === "false"', timeout=5)
        self.assertLess(time.monotonic() - stopped, 1.0)
        self.assertEqual(self.row_text('wiki', '.app-running'), 'Not running')


if __name__ == '__main__':
    exit_unless_runnable(harness.SANDBOX)
    skip_unless_installed()
    unittest.main(verbosity=2)
