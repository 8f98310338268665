#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Cockpit page in a real browser: headless Chromium, Cockpit's own web server and bridge,
the real service authorized by the real polkitd, and a real systemd --user with a journald."""

import json
import os
import pwd
import re
import signal
import socket
import subprocess
import sys
import tempfile
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


class BusMonitor:
    """dbus-monitor of the calls to the service, as a context manager."""

    def __init__(self, bus):
        self.bus = bus
        self.path = None
        self.process = None

    def __enter__(self):
        fd, self.path = tempfile.mkstemp(prefix='pd-monitor-', dir='/tmp')
        match = f"type='method_call',destination='{harness.BUS_NAME}'"
        self.process = subprocess.Popen(['dbus-monitor', '--address', self.bus, '--monitor',
                                         match], stdout=fd, stderr=subprocess.DEVNULL)
        os.close(fd)
        # A monitor starts by losing the unique name it had.
        if not harness.wait_until(lambda: 'NameLost' in self.text(), 10):
            raise RuntimeError('dbus-monitor did not start: ' + self.text())
        return self

    def text(self):
        with open(self.path, encoding='utf-8', errors='replace') as out:
            return out.read()

    def calls(self):
        """The methods called on the service so far, in order."""
        return re.findall(r'^method call .* member=(\w+)$', self.text(), re.MULTILINE)

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait()
        os.unlink(self.path)


def js(value):
    return json.dumps(value)


class CockpitPageTest(PolkitServiceTestCase):
    """One browser for the class; each test opens the page it needs."""

    UNITS = sorted(os.path.join(EXAMPLES, 'units', u)
                   for u in os.listdir(os.path.join(EXAMPLES, 'units')))
    APPS_DIR = os.path.join(EXAMPLES, 'apps.d')
    # The sandbox takes bus policy (.conf) along with the rules: monitor.conf lets root watch.
    POLKIT_RULES = (os.path.join(HERE, 'monitor.conf'),
                    os.path.join(HERE, '30-plinth-cockpit.rules'), RULES)
    JOURNALD = True
    # An app's checks come 2 s after its daemons run again, not the default 10 s.
    CONFIG = '[health]\nsettle-delay = 2\n'

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

    def open(self, ws, fragment='', language='en'):
        # From a blank page, so that a URL differing only in its fragment loads afresh too.
        self.browser.open('about:blank')
        self.browser.wait('document.readyState === "complete" && !document.body.dataset.ready')
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

    def test_1_lists_every_example_app_with_its_state_from_one_call(self):
        with BusMonitor(self.service.bus) as monitor:
            self.open(self.root_ws)
            loaded = monitor.calls()
            time.sleep(2)
            idle = monitor.calls()[len(loaded):]
        # One GetManagedObjects, then only signals: nothing asks again, nothing polls.
        self.assertEqual(loaded.count('GetManagedObjects'), 1, loaded)
        for method in ('ListApps', 'GetAll', 'Get', 'IsAppEnabled', 'IsAppRunning'):
            self.assertNotIn(method, loaded)
        self.assertEqual(idle, [])
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


    def request_wiki(self, path):
        """One HTTP request to the wiki, which logs it to the journal."""
        with socket.create_connection(('127.0.0.1', WIKI_PORT), timeout=5) as conn:
            conn.sendall(f'HEAD {path} HTTP/1.0\r\n\r\n'.encode())
            conn.recv(1024)

    def logs_show(self, text, timeout=10):
        self.browser.wait(f'document.getElementById("logs").textContent.includes({js(text)})',
                          timeout)

    def test_4_details_show_units_diagnosis_and_logs_that_follow(self):
        self.sandbox.systemctl('start', WIKI_UNIT, check=True)
        self.assertTrue(harness.wait_until(self.wiki_listens, 10))
        self.request_wiki('/before-the-page')
        self.open(self.root_ws)
        self.browser.evaluate('document.querySelector(\'tr[data-app="wiki"] .app-open\').click()')
        self.browser.wait('!document.getElementById("detail").hidden')
        self.assertEqual(self.browser.evaluate('document.activeElement.id'), 'detail-title')

        running_check = f'daemon-running-{WIKI_UNIT}'
        mark = self.browser.wait(
            f'(e => e && e.dataset.result) (document.querySelector('
            f'\'#diagnosis li[data-check={js(running_check)}]\'))', 20)
        self.assertEqual(mark, 'passed')
        self.assertIn('Passed', self.browser.evaluate(
            f'document.querySelector(\'#diagnosis li[data-check={js(running_check)}]\')'
            '.textContent'))

        units = self.browser.evaluate(
            '[...document.querySelectorAll("#units tbody tr")].map(r => r.dataset.unit)')
        self.assertEqual(units, ['plinth-example-wiki.service', 'plinth-example-db.service',
                                 'plinth-example-web.service'])
        self.browser.wait(f'document.querySelector(\'tr[data-unit={js(WIKI_UNIT)}] '
                          '.unit-restarts\').textContent === "0"')
        self.assertTrue(self.browser.evaluate(
            f'document.querySelector(\'tr[data-unit={js(WIKI_UNIT)}] .unit-state\')'
            '.textContent.startsWith("active")'))

        self.logs_show('HEAD /before-the-page')
        self.browser.evaluate('document.getElementById("follow").click()')
        self.browser.wait('document.getElementById("logs-status").textContent'
                          ' === "Following new entries."')
        self.request_wiki('/while-following')
        self.logs_show('HEAD /while-following', timeout=5)
        self.screenshot('details')

    def test_5_a_unit_button_stops_the_unit_and_repair_starts_it_again(self):
        self.sandbox.systemctl('start', WIKI_UNIT, check=True)
        self.open(self.root_ws, '#/wiki')
        button = f'document.querySelector(\'button[aria-label={js("Stop " + WIKI_UNIT)}]\')'
        self.browser.wait(f"!!{button}")
        self.browser.evaluate(f'{button}.click()')
        self.assertTrue(harness.wait_until(
            lambda: self.sandbox.systemctl('is-active', WIKI_UNIT) == 'inactive', 20))
        self.browser.wait(f'document.querySelector(\'tr[data-unit={js(WIKI_UNIT)}] '
                          '.unit-state\').dataset.active === "inactive"')

        # The wiki is enabled (test 2): Repair starts its stopped daemon and diagnoses again.
        self.assertEqual(self.sandbox.systemctl('is-enabled', WIKI_UNIT), 'enabled')
        self.browser.evaluate('document.getElementById("repair").click()')
        self.browser.wait('document.getElementById("diagnosis-status").textContent'
                          ' === "Repair done."', 30)
        self.assertEqual(self.sandbox.systemctl('is-active', WIKI_UNIT), 'active')
        self.assertEqual(self.browser.evaluate(
            f'document.querySelector(\'#diagnosis li[data-check="daemon-running-{WIKI_UNIT}"]\')'
            '.dataset.result'), 'passed')

    def test_6_speaks_german_to_a_german_browser(self):
        self.open(self.root_ws, language='de')
        self.assertEqual(self.browser.evaluate('document.querySelector("h1").textContent'),
                         'Anwendungen')
        self.assertEqual(self.row_text('wiki', '.app-open'), 'Details')
        self.assertIn(self.row_text('wiki', '.app-running'), ('Läuft', 'Läuft nicht'))
        self.assertIn(self.row_text('wiki', '.health'),
                      ('In Ordnung', 'Beeinträchtigt', 'Fehlgeschlagen', 'Deaktiviert',
                       'Noch nicht geprüft'))
        self.assertEqual(self.browser.evaluate(
            'document.querySelector(\'tr[data-app="wiki"] input[role=switch]\')'
            '.getAttribute("aria-label")'), 'Example Wiki aktivieren')
        self.screenshot('german')

    def test_7_an_unauthorized_user_reads_but_is_told_why_actions_are_refused(self):
        enabled_before = self.sandbox.systemctl('is-enabled', WIKI_UNIT)
        self.open(self.nobody_ws)
        self.assertEqual(len(self.browser.evaluate(
            '[...document.querySelectorAll("#apps tbody tr")]')), len(self.call('ListApps')[0]))

        # polkit would let nobody enable the wiki after a password: the page allows
        # interactive authorization, so it hears polkit's verdict, not "call again".
        expected = self.refusal_of_nobody('EnableApp', 'wiki')
        self.browser.evaluate(
            'document.querySelector(\'tr[data-app="wiki"] input[role=switch]\').click()')
        alert = self.browser.wait('(a => !a.hidden && a.textContent)'
                                  '(document.getElementById("alert"))')
        self.assertIn('Could not', alert)
        self.assertIn(expected, alert)
        self.assertNotIn('InteractiveAuthorization', alert)
        self.browser.wait('!document.querySelector(\'tr[data-app="wiki"] input[role=switch]\')'
                          '.disabled')
        self.assertEqual(self.browser.evaluate(
            'document.querySelector(\'tr[data-app="wiki"] input[role=switch]\').checked'),
            enabled_before == 'enabled')
        self.assertEqual(self.sandbox.systemctl('is-enabled', WIKI_UNIT), enabled_before)
        self.screenshot('refused')

        # Logs need read-logs, which nobody lacks: the page says so where the logs would be.
        self.browser.evaluate('document.querySelector(\'tr[data-app="wiki"] .app-open\').click()')
        expected = self.refusal_of_nobody('GetAppLogs', 'wiki', '10', '')
        self.browser.wait(f'document.getElementById("logs-status").textContent === {js(expected)}')

    def test_8_a_failed_enable_names_the_units_that_failed(self):
        notes = 'plinth-example-notes.service'
        self.sandbox.systemctl('mask', notes, check=True)
        self.addCleanup(self.sandbox.systemctl, 'unmask', notes)
        self.open(self.root_ws)
        switch = 'document.querySelector(\'tr[data-app="notes"] input[role=switch]\')'
        self.browser.evaluate(f'{switch}.click()')
        alert = self.browser.wait('(a => !a.hidden && a.textContent)'
                                  '(document.getElementById("alert"))', 30)
        self.assertTrue(alert.startswith('Could not enable Example Notes: '), alert)
        self.assertIn(notes, alert)
        self.browser.wait(f'!{switch}.disabled')
        self.assertFalse(self.browser.evaluate(f'{switch}.checked'))
        self.assertEqual(self.row_text('notes', '.app-running'), 'Not running')
        self.screenshot('failed')

    def test_9_follow_switched_off_and_on_while_its_call_waits_opens_one_stream(self):
        self.sandbox.systemctl('start', WIKI_UNIT, check=True)
        self.assertTrue(harness.wait_until(self.wiki_listens, 10))
        self.open(self.root_ws, '#/wiki')
        self.browser.wait('document.getElementById("logs-status").textContent !== '
                          '"Loading logs…"', 20)
        follow = 'document.getElementById("follow").click()'
        # The service held still: the first FollowLogs waits while Follow goes off and on.
        os.kill(self.service.process.pid, signal.SIGSTOP)
        try:
            self.browser.evaluate(follow)
            self.browser.evaluate(follow)
            self.browser.evaluate(follow)
        finally:
            os.kill(self.service.process.pid, signal.SIGCONT)
        self.browser.wait('document.getElementById("logs-status").textContent'
                          ' === "Following new entries."')
        self.request_wiki('/followed-once')
        self.logs_show('HEAD /followed-once', timeout=5)
        # A second stream would deliver the same entry as quickly.
        time.sleep(1)
        self.assertEqual(self.browser.evaluate(
            'document.getElementById("logs").textContent.split("HEAD /followed-once").length'),
            2)

        # Switched off, nothing follows: no stream was left behind.
        self.browser.evaluate(follow)
        self.request_wiki('/after-follow')
        self.assertTrue(harness.wait_until(
            lambda: 'HEAD /after-follow' in subprocess.run(
                ['journalctl', '-D', self.sandbox.journal_dir(), '-u', WIKI_UNIT, '-o', 'cat'],
                capture_output=True, text=True, check=False).stdout, 10))
        time.sleep(1)
        self.assertNotIn('HEAD /after-follow', self.browser.evaluate(
            'document.getElementById("logs").textContent'))

    def health_badge(self, app):
        return self.browser.evaluate(
            f'(b => b && [b.dataset.health, b.textContent])'
            f'(document.querySelector(\'tr[data-app={js(app)}] .health\'))')

    def test_9a_a_failed_app_is_named_in_a_banner_whose_repair_brings_it_back(self):
        self.call('EnableApp', 's', 'wiki')
        self.assertTrue(harness.wait_until(
            lambda: self.sandbox.systemctl('is-active', WIKI_UNIT) == 'active', 20))
        self.open(self.root_ws)
        self.browser.wait('!!document.querySelector(\'tr[data-app="wiki"] .health\')')
        banner = 'document.getElementById("attention")'
        self.assertTrue(self.browser.evaluate(f'{banner}.hidden'))

        self.sandbox.systemctl('kill', '--signal=SIGKILL', WIKI_UNIT, check=True)
        named = self.browser.wait(
            f'!{banner}.hidden && [...{banner}.querySelectorAll("li")]'
            '.map(li => [li.dataset.app, li.querySelector(".attention-name").textContent])',
            10)
        self.assertEqual(named, [['wiki', 'Example Wiki']])
        # In words, not only in colour.
        self.assertEqual(self.health_badge('wiki'), ['failed', 'Failed'])
        self.assertEqual(self.browser.evaluate(
            f'{banner}.querySelector("li .health").textContent'), 'Failed')
        self.screenshot('attention')

        self.browser.evaluate(
            f'{banner}.querySelector(\'li[data-app="wiki"] button\').click()')
        self.browser.wait('document.getElementById("status").textContent'
                          ' === "Repair of Example Wiki done."', 30)
        self.assertEqual(self.sandbox.systemctl('is-active', WIKI_UNIT), 'active')
        # The checks right after the repair may find the port not open yet; the ones made
        # once the daemon settled clear the banner.
        badge = 'document.querySelector(\'tr[data-app="wiki"] .health\')'
        self.browser.wait(f'{banner}.hidden && {badge}.dataset.health === "ok"', 30)
        self.assertEqual(self.health_badge('wiki'), ['ok', 'OK'])
        self.assertEqual(self.call('GetAppHealth', 's', 'wiki')[0], 'ok')

    def test_9b_an_ignored_check_does_not_call_for_attention_and_is_marked_ignored(self):
        running_check = f'daemon-running-{WIKI_UNIT}'
        self.call('EnableApp', 's', 'wiki')
        self.assertTrue(harness.wait_until(
            lambda: self.sandbox.systemctl('is-active', WIKI_UNIT) == 'active', 20))
        self.call('IgnoreCheck', 'ss', 'wiki', running_check)
        self.addCleanup(self.call, 'UnignoreCheck', 'ss', 'wiki', running_check)
        self.sandbox.systemctl('kill', '--signal=SIGKILL', WIKI_UNIT, check=True)
        self.addCleanup(self.sandbox.systemctl, 'start', WIKI_UNIT)
        self.assertTrue(harness.wait_until(
            lambda: [running_check, 'ignored'] in
            [issue[:2] for issue in self.call('GetAppHealth', 's', 'wiki')[1]], 10))

        self.open(self.root_ws)
        self.assertTrue(self.browser.evaluate('document.getElementById("attention").hidden'))
        self.assertEqual(self.health_badge('wiki'), ['ok', 'OK'])

        # The details diagnose the app again: the daemon still does not run, and says so.
        self.browser.evaluate('document.querySelector(\'tr[data-app="wiki"] .app-open\').click()')
        item = f'document.querySelector(\'#diagnosis li[data-check={js(running_check)}]\')'
        self.assertEqual(self.browser.wait(f'(i => i && [i.dataset.result, i.dataset.ignored])'
                                           f'({item})', 20), ['failed', 'true'])
        self.assertIn('Ignored', self.browser.evaluate(f'{item}.textContent'))
        self.screenshot('ignored')

    def wiki_listens(self):
        try:
            socket.create_connection(('127.0.0.1', WIKI_PORT), timeout=1).close()
            return True
        except OSError:
            return False

    def refusal_of_nobody(self, method, *args):
        """The service's NotAuthorized message to nobody, asking as the page does."""
        uid = str(pwd.getpwnam(NOBODY).pw_uid)
        cmd = ['gdbus', 'call', '--address', self.service.bus, '--dest', harness.BUS_NAME,
               '--object-path', harness.OBJECT_PATH, '--method',
               f'{harness.INTERFACE}.{method}', '--interactive'] + list(args)
        result = subprocess.run(harness.as_user(cmd, uid), capture_output=True, text=True,
                                check=False)
        name = harness.ERROR_PREFIX + 'NotAuthorized'
        self.assertEqual(harness.gdbus_error_name(result.stderr), name, result.stderr)
        return result.stderr.split(name + ': ', 1)[1].strip()

if __name__ == '__main__':
    exit_unless_runnable(harness.SANDBOX)
    skip_unless_installed()
    unittest.main(verbosity=2)
