#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The object manager and the App and Unit objects, seen by GLib's GDBusObjectManagerClient
(what a GTK app uses) against the real service and a real systemd --user."""

import json
import os
import socket
import sys
import textwrap
import unittest

from gi.repository import GLib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import ServiceTestCase, wait_until  # noqa: E402
from object_client import (APP_INTERFACE, APP_PREFIX, UNIT_INTERFACE,  # noqa: E402
                           UNIT_PREFIX, ObjectClient, app_path, unit_path)
from test_service import APPS, UNITS  # noqa: E402

HTTP = 'plinth-test-http.service'
UDP = 'plinth-test-udp.service'
LOG_APPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'apps-logs')
CHATTY = 'plinth-test-chatty.service'
EXIT3 = 'plinth-test-exit3.service'
# (realtime, unit, priority, identifier, pid, message, cursor)
UNIT, MESSAGE, CURSOR = 1, 5, 6


class ObjectTest(ServiceTestCase):

    UNITS = UNITS
    APPS_DIR = APPS

    def setUp(self):
        self.client = ObjectClient(self.service.bus)
        self.addCleanup(self.client.close)
        # Right after start-up systemd's first answers may still be coming; ListApps waits
        # for them, and the objects come with them (ObjectsAtStartTest).
        self.call('ListApps')
        self.assertTrue(self.client.pump(lambda: self.client.property(
            unit_path(HTTP), UNIT_INTERFACE, 'LoadState') == 'loaded'))
        self.client.forget()

    def test_every_app_and_unit_with_its_properties_in_one_call(self):
        apps = self.call('ListApps')[0]
        units = sorted({row[0] for row in self.call('ListManagedUnits')[0]})
        self.assertEqual(self.client.paths(APP_PREFIX),
                         sorted(app_path(app[0]) for app in apps))
        self.assertEqual(self.client.paths(UNIT_PREFIX), sorted(unit_path(u) for u in units))

        for app_id, name, enabled, running in apps:
            path = app_path(app_id)
            self.assertEqual(self.client.property(path, APP_INTERFACE, 'Id'), app_id)
            self.assertEqual(self.client.property(path, APP_INTERFACE, 'Name'), name)
            self.assertEqual(self.client.property(path, APP_INTERFACE, 'Enabled'), enabled)
            self.assertEqual(self.client.property(path, APP_INTERFACE, 'Running'), running)
            components = self.call('GetAppComponents', 's', app_id)[0]
            self.assertEqual([list(c[:5]) + [[list(p) for p in c[5]]] for c in
                              self.client.property(path, APP_INTERFACE, 'Components')],
                             components)

        web = app_path('web')
        self.assertEqual(self.client.property(web, APP_INTERFACE, 'Units'),
                         [unit_path(HTTP), unit_path(UDP)])
        self.assertEqual(self.client.property(app_path('blog'), APP_INTERFACE, 'Depends'),
                         ['web'])

        http = unit_path(HTTP)
        self.assertEqual(self.client.property(http, UNIT_INTERFACE, 'Name'), HTTP)
        self.assertEqual(self.client.property(http, UNIT_INTERFACE, 'Apps'),
                         [app_path('web'), app_path('blog')])
        self.assertEqual(self.client.property(http, UNIT_INTERFACE, 'Declarations'), [
            (app_path('web'), 'daemon-web', 'daemon', False),
            (app_path('blog'), 'related-daemon-blog-web', 'related-daemon', False),
        ])
        self.assertEqual(self.client.property(http, UNIT_INTERFACE, 'LoadState'), 'loaded')
        self.assertEqual(self.client.property(http, UNIT_INTERFACE, 'ActiveState'),
                         'inactive')
        self.assertEqual(self.client.property(http, UNIT_INTERFACE, 'UnitFileState'),
                         'disabled')
        self.assertFalse(self.client.property(http, UNIT_INTERFACE, 'Running'))
        self.assertGreater(self.client.property(http, UNIT_INTERFACE, 'StateChangeTimestamp'),
                           0)
        # Each object with its own interface and every property of it, nothing else.
        objects = self.client.call(harness.OBJECT_PATH, 'org.freedesktop.DBus.ObjectManager',
                                   'GetManagedObjects')[0]
        self.assertEqual(sorted(objects), sorted(self.client.paths(APP_PREFIX) +
                                                 self.client.paths(UNIT_PREFIX)))
        for path, interfaces in objects.items():
            interface = APP_INTERFACE if path.startswith(APP_PREFIX) else UNIT_INTERFACE
            self.assertEqual(list(interfaces), [interface])
            # App: seven states and three of health; Unit: ten states.
            self.assertEqual(len(interfaces[interface]), 10)
        self.assertEqual(objects[http][UNIT_INTERFACE]['Apps'],
                         [app_path('web'), app_path('blog')])
        with self.assertRaises(GLib.Error) as refused:
            self.client.call(harness.OBJECT_PATH, 'org.freedesktop.DBus.ObjectManager',
                             'GetManagedObjects', GLib.Variant('(s)', ('extra',)))
        self.assertIn('org.freedesktop.DBus.Error.InvalidArgs', refused.exception.message)

        old = unit_path('plinth-test-oldname.service')
        self.assertEqual(self.client.property(old, UNIT_INTERFACE, 'Declarations'),
                         [(app_path('feeds'), 'daemon-feeds', 'daemon', True)])

    def test_unit_stopped_behind_the_back_changes_the_unit_and_its_app(self):
        web, http = app_path('web'), unit_path(HTTP)
        self.sandbox.systemctl('start', HTTP, UDP, check=True)
        self.addCleanup(self.sandbox.systemctl, 'stop', HTTP, UDP)
        self.assertTrue(self.client.pump(
            lambda: self.client.property(web, APP_INTERFACE, 'Running') is True))
        self.assertEqual(self.client.property(http, UNIT_INTERFACE, 'SubState'), 'running')
        started_at = self.client.property(http, UNIT_INTERFACE, 'StateChangeTimestamp')

        self.client.changes.clear()
        self.sandbox.systemctl('stop', HTTP, check=True)
        self.assertTrue(self.client.pump(
            lambda: self.client.property(http, UNIT_INTERFACE, 'ActiveState') == 'inactive'
            and self.client.property(web, APP_INTERFACE, 'Running') is False))
        self.client.pump(lambda: False, timeout=0.5)

        on_unit = [c for path, _, c in self.client.changes if path == http]
        on_app = [c for path, _, c in self.client.changes if path == web]
        # One signal for the app's one change, never one per property or per listener.
        self.assertEqual(on_app, [{'Running': False}])
        # Every change of systemd's states arrives whole, in one signal: the states, Running
        # when it follows from them, and the time.
        final = on_unit[-1]
        self.assertEqual(final['ActiveState'], 'inactive')
        self.assertEqual(final['SubState'], 'dead')
        self.assertGreater(final['StateChangeTimestamp'], started_at)
        self.assertEqual([c['Running'] for c in on_unit if 'Running' in c], [False])
        for change in on_unit:
            self.assertIn('StateChangeTimestamp', change)
            if 'Running' in change:
                self.assertIn('ActiveState', change)
        # Other objects stay quiet.
        self.assertEqual({path for path, _, _ in self.client.changes}, {web, http})

    def test_reload_announces_objects_that_come_and_go(self):
        extra = os.path.join(self.apps_dir, 'extra.toml')
        with open(extra, 'w', encoding='utf-8') as out:
            out.write(textwrap.dedent('''\
                [app]
                id = "extra-app"

                [[components]]
                kind = "daemon"
                id = "daemon-extra"
                unit = "plinth-test-extra.service"

                [[components]]
                kind = "related-daemon"
                id = "related-daemon-extra-web"
                unit = "plinth-test-http.service"
                '''))
        app, unit, http = (app_path('extra-app'), unit_path('plinth-test-extra.service'),
                           unit_path(HTTP))
        try:
            self.call('Reload')
            self.assertTrue(self.client.pump(
                lambda: app in self.client.added and unit in self.client.added))
            self.assertEqual(self.client.property(app, APP_INTERFACE, 'Id'), 'extra-app')
            self.assertEqual(self.client.property(unit, UNIT_INTERFACE, 'LoadState'),
                             'not-found')
            self.assertTrue(self.client.pump(lambda: app in (
                self.client.property(http, UNIT_INTERFACE, 'Apps') or [])))
            self.assertEqual(sorted(self.client.added), sorted([app, unit]))
            self.assertEqual(self.client.removed, [])
            # The objects came before the change that names one of them.
            self.assertLess(self.client.events.index(('added', app)),
                            self.apps_change_on(http))
        finally:
            os.remove(extra)
            self.client.forget()
            self.call('Reload')
        self.assertTrue(self.client.pump(
            lambda: app in self.client.removed and unit in self.client.removed))
        self.assertEqual(sorted(self.client.removed), sorted([app, unit]))
        # Read at once: the change that stops naming the app came before the app went.
        self.assertEqual(self.client.property(http, UNIT_INTERFACE, 'Apps'),
                         [app_path('web'), app_path('blog')])
        self.assertLess(self.apps_change_on(http), self.client.events.index(('removed', app)))

    def apps_change_on(self, unit):
        """Where in the client's events the unit object's Apps changed."""
        return next(index for index, event in enumerate(self.client.events)
                    if event[:2] == ('changed', unit) and 'Apps' in event[2])

    def test_object_methods_act_like_the_flat_ones(self):
        web = app_path('web')
        self.client.call(web, APP_INTERFACE, 'Enable')
        self.addCleanup(self.call, 'DisableApp', 's', 'web')
        self.assertEqual(self.sandbox.systemctl('is-active', HTTP), 'active')
        self.assertTrue(self.client.pump(
            lambda: self.client.property(web, APP_INTERFACE, 'Enabled') is True))

        checks = self.client.call(web, APP_INTERFACE, 'Diagnose')[0]
        self.assertIn(('daemon-running-' + HTTP, 'passed'), [(c[0], c[2]) for c in checks])

        self.client.call(unit_path(HTTP), UNIT_INTERFACE, 'Stop')
        self.assertEqual(self.sandbox.systemctl('is-active', HTTP), 'inactive')
        with self.assertRaises(GLib.Error) as failed:
            self.client.call(unit_path('plinth-test-fail.service'), UNIT_INTERFACE, 'Start')
        self.assertIn(harness.ERROR_PREFIX + 'JobFailed', failed.exception.message)
        self.client.call(unit_path('plinth-test-fail.service'), UNIT_INTERFACE,
                         'ResetFailed')
        self.assertEqual(self.sandbox.systemctl('is-failed', 'plinth-test-fail.service'),
                         'inactive')
        self.client.call(web, APP_INTERFACE, 'Disable')
        self.assertEqual(self.sandbox.systemctl('is-enabled', HTTP), 'disabled')


class ObjectsAtStartTest(ServiceTestCase):
    """The objects while systemd has not told the states yet: frozen, as a systemd busy
    loading a thousand units is."""

    UNITS = UNITS
    APPS_DIR = APPS

    def test_no_object_says_a_state_before_systemd_has_told_it(self):
        self.call('EnableApp', 's', 'web')
        self.addCleanup(self.call, 'DisableApp', 's', 'web')
        self.assertEqual(self.service.stop(), 0)
        self.sandbox.freeze_manager()
        self.addCleanup(self.sandbox.thaw_manager)
        self.service.start()

        # Read as soon as the name is owned: nothing listed, so no false state.
        client = ObjectClient(self.service.bus)
        self.addCleanup(client.close)
        web, http = app_path('web'), unit_path(HTTP)
        self.assertEqual(client.paths(harness.OBJECT_PATH), [])

        def get(path, interface, name):
            return client.call(path, 'org.freedesktop.DBus.Properties', 'Get',
                               GLib.Variant('(ss)', (interface, name)))[0]
        # The objects are there for their methods; a state is refused, never guessed.
        self.assertEqual(get(web, APP_INTERFACE, 'Id'), 'web')
        for path, interface, name in ((web, APP_INTERFACE, 'Enabled'),
                                      (http, UNIT_INTERFACE, 'ActiveState')):
            with self.assertRaises(GLib.Error) as unknown:
                get(path, interface, name)
            self.assertIn(harness.ERROR_PREFIX + 'SystemdUnavailable',
                          unknown.exception.message)
        client.pump(lambda: False, timeout=1)
        self.assertEqual((client.added, client.changes), ([], []))

        self.sandbox.thaw_manager()
        self.assertTrue(client.pump(lambda: web in client.added and http in client.added, 30),
                        self.service.log())
        # Every object came with its true states: none needed a PropertiesChanged.
        self.assertEqual(client.property(web, APP_INTERFACE, 'Enabled'), True)
        self.assertEqual(client.property(web, APP_INTERFACE, 'Running'), True)
        self.assertEqual(client.property(http, UNIT_INTERFACE, 'ActiveState'), 'active')
        self.assertEqual(client.property(http, UNIT_INTERFACE, 'UnitFileState'), 'enabled')
        client.pump(lambda: False, timeout=0.5)
        self.assertEqual((client.changes, client.removed), ([], []))
        apps = self.call('ListApps')[0]
        units = {row[0] for row in self.call('ListManagedUnits')[0]}
        self.assertEqual(sorted(client.added), sorted([app_path(a[0]) for a in apps] +
                                                      [unit_path(u) for u in units]))
        self.assertTrue(get(web, APP_INTERFACE, 'Enabled'))


class ObjectLogsTest(ServiceTestCase):
    """The status, log and repair calls of the objects, against a real journald."""

    UNITS = [CHATTY, EXIT3, 'plinth-test-fail-loudly.service']
    APPS_DIR = LOG_APPS
    JOURNALD = True

    def setUp(self):
        self.client = ObjectClient(self.service.bus)
        self.addCleanup(self.client.close)

    def logs(self, path, interface, lines=0, after=''):
        return self.client.call(path, interface, 'GetLogs',
                                GLib.Variant('(us)', (lines, after)))[0]

    def start(self, unit, until):
        self.sandbox.systemctl('start', unit)
        self.addCleanup(self.sandbox.systemctl, 'reset-failed', unit)
        self.addCleanup(self.sandbox.systemctl, 'stop', unit)
        self.assertTrue(wait_until(until, 10))

    def start_chatty(self):
        # An earlier test's run left its lines in the journal: wait for this run's.
        earlier = self.logs(unit_path(CHATTY), UNIT_INTERFACE, 1)
        after = earlier[-1][CURSOR] if earlier else ''
        self.start(CHATTY, lambda: 'line 5' in [
            e[MESSAGE] for e in self.logs(unit_path(CHATTY), UNIT_INTERFACE, 0, after)])

    def test_unit_object_status_logs_and_follow_answer_as_the_flat_calls(self):
        self.start_chatty()
        unit = unit_path(CHATTY)
        status = self.client.call(unit, UNIT_INTERFACE, 'GetStatus')[0]
        self.assertEqual((status['ActiveState'], status['SubState']), ('active', 'running'))
        self.assertGreater(status['MainPID'], 0)

        entries = self.logs(unit, UNIT_INTERFACE, 2)
        self.assertEqual([e[MESSAGE] for e in entries], ['line 4', 'line 5'])
        flat = self.call('GetUnitLogs', 'sus', CHATTY, 2, '')[0]
        self.assertEqual([e[CURSOR] for e in entries], [e[CURSOR] for e in flat])

        fd = self.client.call_for_fd(unit, UNIT_INTERFACE, 'FollowLogs',
                                     GLib.Variant('(s)', (entries[0][CURSOR],)))
        with socket.socket(fileno=fd) as reader:
            reader.settimeout(5.0)
            lines = reader.makefile()
            self.assertEqual(json.loads(lines.readline())['message'], 'line 5')
            self.sandbox.systemctl('kill', '--signal=SIGUSR1', CHATTY)
            self.assertEqual(json.loads(lines.readline())['message'], 'ping 1')

    def test_app_object_logs_merge_its_units_and_repair_answers_checks(self):
        self.start_chatty()
        self.start(EXIT3, lambda: self.sandbox.systemctl('is-active', EXIT3) == 'failed')
        entries = self.logs(app_path('chat'), APP_INTERFACE)
        self.assertEqual({e[UNIT] for e in entries}, {CHATTY, EXIT3})
        times = [e[0] for e in entries]
        self.assertEqual(times, sorted(times))

        fd = self.client.call_for_fd(app_path('chat'), APP_INTERFACE, 'FollowLogs',
                                     GLib.Variant('(s)', ('',)))
        with socket.socket(fileno=fd) as reader:
            reader.settimeout(5.0)
            self.sandbox.systemctl('kill', '--signal=SIGUSR1', CHATTY)
            entry = json.loads(reader.makefile().readline())
        self.assertEqual((entry['unit'], entry['message']), (CHATTY, 'ping 1'))

        # crashy is disabled: Repair only diagnoses it, as RepairApp does.
        checks = self.client.call(app_path('crashy'), APP_INTERFACE, 'Repair')[0]
        self.assertEqual([(c[0], c[2]) for c in checks],
                         [('daemon-running-' + EXIT3, 'failed')])
        self.assertEqual(self.sandbox.systemctl('is-active', EXIT3), 'failed')

    def test_object_log_calls_are_refused_as_the_flat_ones(self):
        # --authorization uid0 here; tests/polkit has polkit's decisions.
        self.assertBusError('NotAuthorized', 'GetLogs', 0, '', user=65534,
                            path=unit_path(CHATTY), interface=UNIT_INTERFACE)
        self.assertBusError('NotAuthorized', 'FollowLogs', '', user=65534,
                            path=app_path('chat'), interface=APP_INTERFACE)
        self.assertBusError('InvalidArgument', 'GetLogs', 0, 'not-a-cursor',
                            path=unit_path(CHATTY), interface=UNIT_INTERFACE)


if __name__ == '__main__':
    harness.run_under_private_bus(__file__)
    unittest.main()
