#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Health kept without being asked: the real service against a real systemd --user, read
through GetAppHealth, the App objects and the manager's properties."""

import json
import os
import subprocess
import sys
import time
import tomllib
import unittest

from gi.repository import Gio

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import ServiceTestCase  # noqa: E402
from object_client import APP_INTERFACE, ObjectClient, app_path  # noqa: E402

HTTP = 'plinth-test-http.service'
UDP = 'plinth-test-udp.service'
APPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'apps-health')


class HealthTest(ServiceTestCase):

    UNITS = [HTTP, UDP]
    APPS_DIR = APPS
    # Nothing is checked in the background while these run: only what they ask for.
    CONFIG = '[health]\nsettle-delay = 600\n'

    def setUp(self):
        self.client = ObjectClient(self.service.bus)
        self.addCleanup(self.client.close)
        self.manager_changes = []
        self.manager = Gio.DBusProxy.new_sync(
            self.client.connection, Gio.DBusProxyFlags.NONE, None, harness.BUS_NAME,
            harness.OBJECT_PATH, harness.BUS_NAME, None)
        self.manager.connect('g-properties-changed', lambda _p, changed, _i:
                             self.manager_changes.append(changed.unpack()))
        self.call('ListApps')

    def health(self, app):
        return self.call('GetAppHealth', 's', app)

    def manager_property(self, name):
        return self.manager.get_cached_property(name).unpack()

    def enable_web(self):
        self.call('EnableApp', 's', 'web')
        self.addCleanup(self.call, 'DisableApp', 's', 'web')
        self.assertTrue(self.client.pump(lambda: self.client.property(
            app_path('web'), APP_INTERFACE, 'Running') is True))

    def test_disabled_apps_are_disabled_and_nothing_needs_attention(self):
        self.assertEqual(self.health('web'), ['disabled', [], 0])
        self.assertEqual(self.client.property(app_path('web'), APP_INTERFACE, 'Health'),
                         'disabled')
        self.assertEqual(self.manager_property('Health'), 'ok')
        self.assertEqual(self.manager_property('AppsNeedingAttention'), [])
        self.assertIn('NoSuchApp', harness.gdbus_error_name(harness.gdbus_call(
            self.service.bus, 'GetAppHealth', 'no-such-app')[2]))

    def test_killed_daemon_fails_at_once_and_repair_brings_ok_back(self):
        web = app_path('web')
        self.enable_web()
        # Its daemons run; the ports were never checked.
        self.assertEqual(self.health('web')[0], 'unknown')

        self.client.changes.clear()
        self.sandbox.systemctl('kill', '--signal=SIGKILL', HTTP, check=True)
        self.assertTrue(self.client.pump(
            lambda: self.client.property(web, APP_INTERFACE, 'Running') is False))
        # One signal says both: the daemon is down and the app has failed.
        down = [c for path, _, c in self.client.changes if path == web and 'Running' in c]
        self.assertEqual(down[0]['Health'], 'failed')
        # The state change that says the daemon is down brought the health with it.
        health, issues, last = self.health('web')
        self.assertEqual(health, 'failed')
        self.assertEqual(last, 0)
        self.assertEqual([(i[0], i[1]) for i in issues], [('daemon-running-' + HTTP, 'failed')])
        self.assertEqual(issues[0][2], f'Service {HTTP} is running')
        self.assertTrue(self.client.pump(
            lambda: self.client.property(web, APP_INTERFACE, 'Health') == 'failed'
            and self.manager_property('Health') == 'degraded'))
        self.assertEqual([list(i) for i in
                          self.client.property(web, APP_INTERFACE, 'HealthIssues')], issues)
        self.assertEqual(self.manager_property('AppsNeedingAttention'), ['web'])
        self.assertIn({'Health': 'degraded', 'AppsNeedingAttention': ['web']},
                      self.manager_changes)

        self.manager_changes.clear()
        self.call('RepairApp', 's', 'web')
        health, issues, last = self.health('web')
        self.assertEqual((health, issues), ('ok', []))
        self.assertGreater(last, 0)
        self.assertTrue(self.client.pump(
            lambda: self.client.property(web, APP_INTERFACE, 'Health') == 'ok'
            and self.manager_property('Health') == 'ok'))
        self.assertEqual(self.client.property(web, APP_INTERFACE, 'LastDiagnosed'), last)
        self.assertEqual(self.manager_property('AppsNeedingAttention'), [])
        self.assertIn({'Health': 'ok', 'AppsNeedingAttention': []}, self.manager_changes)

    def test_a_port_nobody_listens_on_degrades_once_diagnosed(self):
        deaf = app_path('deaf')
        self.call('EnableApp', 's', 'deaf')
        self.addCleanup(self.call, 'DisableApp', 's', 'deaf')
        self.assertEqual(self.health('deaf')[0], 'unknown')
        self.call('DiagnoseApp', 's', 'deaf')
        health, issues, last = self.health('deaf')
        self.assertEqual(health, 'degraded')
        self.assertEqual(issues, [['daemon-listening-tcp4-19473', 'failed',
                                   'Listening on tcp4 port 19473']])
        self.assertGreater(last, 0)
        self.assertTrue(self.client.pump(
            lambda: self.client.property(deaf, APP_INTERFACE, 'Health') == 'degraded'
            and self.manager_property('AppsNeedingAttention') == ['deaf']))

        # Disabled, nothing is expected of it any more.
        self.call('DisableApp', 's', 'deaf')
        self.assertEqual(self.health('deaf')[0], 'disabled')
        self.assertTrue(self.client.pump(
            lambda: self.manager_property('AppsNeedingAttention') == []))

    def test_an_ignored_check_is_shown_but_does_not_count(self):
        check = 'daemon-listening-tcp4-19473'
        self.call('EnableApp', 's', 'deaf')
        self.addCleanup(self.call, 'DisableApp', 's', 'deaf')
        self.call('DiagnoseApp', 's', 'deaf')
        self.assertEqual(self.health('deaf')[0], 'degraded')

        self.call('IgnoreCheck', 'ss', 'deaf', check)
        self.addCleanup(self.call, 'UnignoreCheck', 'ss', 'deaf', check)
        health, issues, _ = self.health('deaf')
        self.assertEqual((health, issues),
                         ('ok', [[check, 'ignored', 'Listening on tcp4 port 19473']]))
        self.assertEqual(self.get_manager_property('AppsNeedingAttention'), [])
        self.call('IgnoreCheck', 'ss', 'deaf', check)
        self.assertEqual(self.health('deaf')[0], 'ok')

        self.call('UnignoreCheck', 'ss', 'deaf', check)
        self.assertEqual(self.health('deaf')[0], 'degraded')
        self.call('UnignoreCheck', 'ss', 'deaf', check)
        self.assertBusError('InvalidArgument', 'IgnoreCheck', 'deaf', 'has space')
        self.assertBusError('InvalidArgument', 'IgnoreCheck', 'deaf', '')
        self.assertBusError('NoSuchApp', 'IgnoreCheck', 'no-such-app', check)

    def test_a_restart_keeps_the_last_checks(self):
        self.call('EnableApp', 's', 'deaf')
        self.addCleanup(self.call, 'DisableApp', 's', 'deaf')
        self.call('DiagnoseApp', 's', 'deaf')
        before = self.health('deaf')
        self.assertEqual(before[0], 'degraded')

        self.assertEqual(self.service.stop(), 0)
        self.service.start()
        # Nothing diagnoses it now (settle delay 600 s): what it knows, it read back.
        self.assertEqual(self.health('deaf'), before)
        self.assertEqual(self.get_manager_property('AppsNeedingAttention'), ['deaf'])

    def kept_apps(self):
        """The apps whose last checks health.toml keeps."""
        try:
            with open(os.path.join(self.state_dir, 'health.toml'), 'rb') as kept:
                return set(tomllib.load(kept))
        except FileNotFoundError:
            return set()

    def test_a_reload_that_removes_an_app_forgets_its_last_checks(self):
        self.call('EnableApp', 's', 'deaf')
        self.addCleanup(self.call, 'DisableApp', 's', 'deaf')
        self.call('DiagnoseApp', 's', 'deaf')
        # Written off the event loop: soon after the reply, not before it.
        self.assertTrue(harness.wait_until(lambda: 'deaf' in self.kept_apps(), 5))

        definition = os.path.join(self.apps_dir, 'deaf.toml')
        os.rename(definition, definition + '.away')
        self.addCleanup(self.call, 'Reload')
        self.addCleanup(os.rename, definition + '.away', definition)
        self.call('Reload')
        self.assertTrue(harness.wait_until(lambda: 'deaf' not in self.kept_apps(), 5))

    def get_manager_property(self, name):
        """Asks the service now, unlike the proxy's cache."""
        result = subprocess.run(
            ['busctl', f'--address={self.service.bus}', '--json=short', 'get-property',
             harness.BUS_NAME, harness.OBJECT_PATH, harness.BUS_NAME, name],
            capture_output=True, text=True, check=True)
        return json.loads(result.stdout)['data']

class BackgroundHealthTest(ServiceTestCase):
    """Checks made without being asked: after daemons settle, and on a schedule."""

    UNITS = [HTTP, UDP]
    APPS_DIR = APPS
    SETTLE = 1
    CONFIG = f'[health]\nsettle-delay = {SETTLE}\ninterval = 3\n'

    def setUp(self):
        self.client = ObjectClient(self.service.bus)
        self.addCleanup(self.client.close)
        self.call('ListApps')

    def test_daemon_that_runs_but_does_not_listen_degrades_once_settled(self):
        deaf = app_path('deaf')
        # Checked while disabled by the first round: that does not count once enabled.
        time.sleep(self.SETTLE * 1.5)
        started = time.monotonic()
        self.call('EnableApp', 's', 'deaf')
        self.addCleanup(self.call, 'DisableApp', 's', 'deaf')
        self.assertTrue(self.client.pump(
            lambda: self.client.property(deaf, APP_INTERFACE, 'Health') == 'degraded'))
        # Not before the settle delay (less the event loop's timer slack).
        self.assertGreaterEqual(time.monotonic() - started, self.SETTLE * 0.75)
        self.assertLess(time.monotonic() - started, 3)
        self.assertEqual([list(i) for i in self.client.property(deaf, APP_INTERFACE,
                                                                 'HealthIssues')],
                         [['daemon-listening-tcp4-19473', 'failed',
                           'Listening on tcp4 port 19473']])

    def test_every_app_is_checked_again_on_schedule(self):
        web = app_path('web')
        self.call('EnableApp', 's', 'web')
        self.addCleanup(self.call, 'DisableApp', 's', 'web')
        self.assertTrue(self.client.pump(
            lambda: self.client.property(web, APP_INTERFACE, 'Health') == 'ok'))
        # Checked once after settling; every other check is a round's, one each 3 s.
        seen = [self.client.property(web, APP_INTERFACE, 'LastDiagnosed')]

        def advanced():
            now = self.client.property(web, APP_INTERFACE, 'LastDiagnosed')
            if now != seen[-1]:
                seen.append(now)
            return len(seen) >= 4
        self.assertTrue(self.client.pump(advanced, timeout=20))
        # Among three checks at most one is the settled app's: two rounds are 3 s apart.
        gaps = [later - earlier for earlier, later in zip(seen, seen[1:])]
        self.assertGreaterEqual(max(gaps), 2.5 * 1000 * 1000)
        self.assertEqual(self.client.property(web, APP_INTERFACE, 'Health'), 'ok')


# Runs the service with /run/systemd/journal/socket, where sd_journal_send writes, leading to
# the sandbox's journald (whose files --journal-dir names), in a mount namespace of its own.
TO_SANDBOX_JOURNALD = (
    'unshare', '--mount', '--propagation', 'private', 'sh', '-ec',
    'for a; do [ "${prev:-}" = --journal-dir ] && root=${a%/run/log/journal}; prev=$a; done; '
    'mount -t tmpfs tmpfs /run/systemd; mkdir /run/systemd/journal; '
    'ln -s "$root/run/systemd/journal/socket" /run/systemd/journal/socket; exec "$@"', 'sh')
HEALTH_CHANGED = '16a09d725b694083879ea8bd2d01d587'


class HealthJournalTest(ServiceTestCase):
    """Each change of health is one structured journal entry, read back from journald."""

    UNITS = [HTTP, UDP]
    APPS_DIR = APPS
    CONFIG = '[health]\nsettle-delay = 600\n'
    JOURNALD = True
    WRAPPER = TO_SANDBOX_JOURNALD

    def entries(self):
        result = subprocess.run(
            ['journalctl', '-D', self.sandbox.journal_dir(), '-o', 'json',
             f'MESSAGE_ID={HEALTH_CHANGED}'], capture_output=True, text=True, check=True)
        return [json.loads(line) for line in result.stdout.splitlines()]

    def test_killed_daemon_is_one_entry_naming_app_and_check(self):
        self.call('EnableApp', 's', 'web')
        self.addCleanup(self.call, 'DisableApp', 's', 'web')
        self.sandbox.systemctl('kill', '--signal=SIGKILL', HTTP, check=True)
        self.assertTrue(harness.wait_until(
            lambda: any(e.get('PLINTH_HEALTH') == 'failed' for e in self.entries()), 10))
        failed = [e for e in self.entries() if e.get('PLINTH_HEALTH') == 'failed']
        # Enabling it was no change of health: disabled, then unknown once it ran.
        self.assertEqual(len(failed), 1, [e['MESSAGE'] for e in self.entries()])
        entry = failed[0]
        self.assertEqual(entry['PLINTH_APP'], 'web')
        self.assertEqual(entry['PLINTH_PREVIOUS_HEALTH'], 'unknown')
        self.assertEqual(entry['PLINTH_CHECK'], 'daemon-running-' + HTTP)
        self.assertEqual(entry['PRIORITY'], '3')
        self.assertEqual(entry['MESSAGE'],
                         f"App 'web' is failed, was unknown (Service {HTTP} is running: failed)")

        self.call('RepairApp', 's', 'web')
        self.assertTrue(harness.wait_until(
            lambda: any(e.get('PLINTH_HEALTH') == 'ok' for e in self.entries()), 10))
        # Running again, then checked: each change an entry of its own, in order.
        after = self.entries()[[e['MESSAGE'] for e in self.entries()].index(
            entry['MESSAGE']) + 1:]
        self.assertEqual([(e['PLINTH_PREVIOUS_HEALTH'], e['PLINTH_HEALTH']) for e in after],
                         [('failed', 'unknown'), ('unknown', 'ok')])
        self.assertEqual({e['PLINTH_APP'] for e in after}, {'web'})
        self.assertNotIn('PLINTH_CHECK', after[-1])

if __name__ == '__main__':
    harness.run_under_private_bus(__file__)
    unittest.main()
