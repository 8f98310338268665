#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The real plinth-daemons, driven by busctl and gdbus, against a real systemd --user."""

import os
import signal
import socket
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import BusError, ServiceTestCase  # noqa: E402
from gi.repository import Gio, GLib  # noqa: E402

APPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'apps')
UNITS = ['plinth-test-http.service', 'plinth-test-udp.service', 'plinth-test-slow@.service',
         'plinth-test-renamed.service', 'plinth-test-echo.socket', 'plinth-test-echo.service',
         'plinth-test-fail.service', 'plinth-test-never-ready.service']


class ServiceTest(ServiceTestCase):
    """Each test leaves every app disabled, as it found them."""

    UNITS = UNITS
    APPS_DIR = APPS

    def enable(self, app):
        self.call('EnableApp', 's', app)
        self.addCleanup(self.call, 'DisableApp', 's', app)

    def is_active(self, unit):
        return self.sandbox.systemctl('is-active', unit)

    def is_enabled(self, unit):
        return self.sandbox.systemctl('is-enabled', unit)


class QueryTest(ServiceTest):

    def test_list_apps_in_dependency_order_with_states(self):
        apps = self.call('ListApps')[0]
        # File-name order, except that blog waits for web, which it depends on.
        self.assertEqual([a[0] for a in apps],
                         ['broken', 'echo', 'feeds', 'slow', 'tools', 'web', 'blog'])
        self.assertIn(['web', 'Web Site', False, False], apps)
        self.assertIn(['feeds', 'feeds', False, False], apps)

    def test_a_malformed_file_is_skipped_and_logged(self):
        apps = [a[0] for a in self.call('ListApps')[0]]
        self.assertNotIn('malformed', apps)
        self.assertRegex(self.service.log(), r'zz-malformed\.toml:\d+:\d+: .*no/such unit')

    def test_get_app_components(self):
        self.assertEqual(self.call('GetAppComponents', 's', 'web')[0], [
            ['daemon-web', 'daemon', 'plinth-test-http.service', False, '',
             [[19471, 'tcp4', '']]],
            ['shared-daemon-web-db', 'shared-daemon', 'plinth-test-udp.service', False, '',
             [[19472, 'udp4', '127.0.0.1']]],
        ])

    def test_list_managed_units(self):
        units = self.call('ListManagedUnits')[0]
        self.assertIn(['plinth-test-oldname.service', 'feeds', 'daemon-feeds'], units)
        self.assertIn(['plinth-test-http.service', 'blog', 'related-daemon-blog-web'], units)
        self.assertEqual(len(units), 12)

    def test_version_property(self):
        result = subprocess.run(
            ['busctl', f'--address={self.service.bus}', 'get-property', harness.BUS_NAME,
             harness.OBJECT_PATH, harness.INTERFACE, 'Version'],
            capture_output=True, text=True, check=True)
        self.assertRegex(result.stdout.strip(), r'^s "\d+\.\d+\.\d+"$')

    def test_errors_have_names_and_say_what_to_do(self):
        err = self.assertBusError('NoSuchApp', 'IsAppEnabled', 'nope')
        self.assertIn("No app 'nope'", err)
        self.assertBusError('NoSuchApp', 'GetAppComponents', 'nope')
        self.assertBusError('InvalidArgument', 'IsAppRunning', 'Not An Id')
        err = self.assertBusError('InvalidUnitName', 'IsUnitRunning', 'no suffix')
        self.assertIn('not a valid unit name', err)
        err = self.assertBusError('NotManaged', 'IsUnitEnabled', 'ssh.service')
        self.assertIn('not declared by any app', err)

    def test_unit_queries(self):
        self.assertEqual(self.call('IsUnitRunning', 's', 'plinth-test-http.service'), [False])
        self.sandbox.systemctl('start', 'plinth-test-http.service', check=True)
        self.addCleanup(self.sandbox.systemctl, 'stop', 'plinth-test-http.service')
        self.assertTrue(self.wait_for(lambda: self.call(
            'IsUnitRunning', 's', 'plinth-test-http.service') == [True]))
        self.assertEqual(self.call('IsUnitEnabled', 's', 'plinth-test-http.service'), [False])

    def wait_for(self, predicate, timeout=10):
        return harness.wait_until(predicate, timeout)


class EnableDisableTest(ServiceTest):

    def test_enable_app_enables_and_starts_its_daemons(self):
        self.enable('web')
        self.assertEqual(self.is_active('plinth-test-http.service'), 'active')
        self.assertEqual(self.is_enabled('plinth-test-http.service'), 'enabled')
        self.assertEqual(self.is_active('plinth-test-udp.service'), 'active')
        self.assertEqual(self.call('IsAppEnabled', 's', 'web'), [True])
        self.assertEqual(self.call('IsAppRunning', 's', 'web'), [True])
        with socket.create_connection(('127.0.0.1', 19471), timeout=5):
            pass

        self.call('DisableApp', 's', 'web')
        self.assertEqual(self.is_active('plinth-test-http.service'), 'inactive')
        self.assertEqual(self.is_enabled('plinth-test-http.service'), 'disabled')
        self.assertEqual(self.is_active('plinth-test-udp.service'), 'inactive')
        self.assertEqual(self.call('IsAppEnabled', 's', 'web'), [False])

    def test_alias_is_enabled_with_its_unit(self):
        self.enable('feeds')
        self.assertEqual(self.is_enabled('plinth-test-renamed.service'), 'enabled')
        self.assertEqual(self.is_enabled('plinth-test-oldname.service'), 'alias')
        self.assertEqual(self.is_active('plinth-test-renamed.service'), 'active')
        self.assertEqual(self.call('IsAppEnabled', 's', 'feeds'), [True])

    def test_shared_daemon_stays_while_another_enabled_app_has_it(self):
        self.enable('web')
        self.enable('blog')
        self.call('DisableApp', 's', 'blog')
        self.assertEqual(self.is_active('plinth-test-slow@blog.service'), 'inactive')
        self.assertEqual(self.is_active('plinth-test-udp.service'), 'active')
        self.assertEqual(self.is_enabled('plinth-test-udp.service'), 'enabled')
        self.assertEqual(self.is_active('plinth-test-http.service'), 'active',
                         'a related daemon is never touched by its app')

        self.call('DisableApp', 's', 'web')
        self.assertEqual(self.is_active('plinth-test-udp.service'), 'inactive')
        self.assertEqual(self.is_enabled('plinth-test-udp.service'), 'disabled')

    def test_socket_unit_stop_also_stops_its_service(self):
        self.enable('echo')
        self.assertEqual(self.is_active('plinth-test-echo.socket'), 'active')
        with socket.create_connection(('127.0.0.1', 19473), timeout=5) as conn:
            conn.sendall(b'ping\n')
            conn.recv(16)
        self.assertEqual(self.is_active('plinth-test-echo.service'), 'active')
        self.call('StopUnit', 's', 'plinth-test-echo.socket')
        self.assertEqual(self.is_active('plinth-test-echo.socket'), 'inactive')
        self.assertEqual(self.is_active('plinth-test-echo.service'), 'inactive')

    def test_unit_verbs_reach_systemd(self):
        unit = 'plinth-test-http.service'
        self.call('StartUnit', 's', unit)
        self.assertEqual(self.is_active(unit), 'active')
        self.call('RestartUnit', 's', unit)
        self.call('TryRestartUnit', 's', unit)
        self.call('TryReloadOrRestartUnit', 's', unit)
        self.assertEqual(self.is_active(unit), 'active')
        self.call('StopUnit', 's', unit)
        self.assertEqual(self.is_active(unit), 'inactive')
        self.call('EnableUnit', 's', unit)
        self.assertEqual((self.is_enabled(unit), self.is_active(unit)), ('enabled', 'active'))
        self.call('DisableUnit', 's', unit)
        self.assertEqual((self.is_enabled(unit), self.is_active(unit)), ('disabled', 'inactive'))
        self.call('MaskUnit', 's', unit)
        self.assertEqual(self.is_enabled(unit), 'masked')
        self.call('UnmaskUnit', 's', unit)
        self.assertEqual(self.is_enabled(unit), 'disabled')

    def test_failed_job_names_the_unit_and_result(self):
        err = self.assertBusError('JobFailed', 'EnableApp', 'broken')
        self.assertIn('plinth-test-fail.service', err)
        self.assertIn('failed', err)
        self.call('DisableApp', 's', 'broken')

    def test_undeclared_unit_is_refused_before_systemd(self):
        unit = 'plinth-test-slow@undeclared.service'
        err = self.assertBusError('NotManaged', 'StartUnit', unit)
        self.assertIn(unit, err)
        self.assertBusError('NotManaged', 'MaskUnit', unit)
        self.assertEqual(self.is_active(unit), 'inactive')
        self.assertNotEqual(self.is_enabled(unit), 'masked')

    def test_changes_need_authorization(self):
        nobody = 65534
        err = self.assertBusError('NotAuthorized', 'EnableApp', 'web', user=nobody)
        self.assertIn('Only root', err)
        self.assertBusError('NotAuthorized', 'StartUnit', 'plinth-test-http.service',
                            user=nobody)
        self.assertBusError('NotAuthorized', 'Reload', user=nobody)
        self.assertEqual(self.is_active('plinth-test-http.service'), 'inactive')
        self.assertEqual(self.call('IsAppRunning', 's', 'web', user=nobody), [False])

    def test_app_without_daemon_keeps_its_state_across_restarts(self):
        self.assertEqual(self.call('IsAppEnabled', 's', 'tools'), [False])
        self.call('EnableApp', 's', 'tools')
        self.assertEqual(self.call('IsAppEnabled', 's', 'tools'), [True])
        self.assertEqual(self.is_active('plinth-test-udp.service'), 'active')
        self.service.stop()
        self.service.start()
        self.assertEqual(self.call('IsAppEnabled', 's', 'tools'), [True])
        self.call('DisableApp', 's', 'tools')
        self.service.stop()
        self.service.start()
        self.assertEqual(self.call('IsAppEnabled', 's', 'tools'), [False])
        self.assertEqual(self.is_active('plinth-test-udp.service'), 'inactive')


class DiagnosisTest(ServiceTest):
    """DiagnoseApp and DiagnoseAll over real units, real sockets and real connects."""

    CONFIG = 'locale = "de_DE.UTF-8"\n'

    def diagnose(self, app):
        return {row[0]: row for row in self.call('DiagnoseApp', 's', app)[0]}

    def test_a_running_app_passes_every_check(self):
        self.enable('web')
        checks = self.diagnose('web')
        self.assertEqual(list(checks), [
            'daemon-running-plinth-test-http.service',
            'daemon-listening-tcp4-19471',
            'daemon-running-plinth-test-udp.service',
            'daemon-listening-address-udp4-19472-127.0.0.1',
            'daemon-netcat-127.0.0.1-19471',
            'daemon-netcat-negate-127.0.0.1-19479',
        ])
        self.assertEqual({c[2] for c in checks.values()}, {'passed'})
        running = checks['daemon-running-plinth-test-http.service']
        self.assertEqual(running[1], 'daemon-web')
        self.assertEqual(running[3], 'Service {service_name} is running')
        self.assertEqual(running[4], {'service_name': {'type': 's',
                                                       'data': 'plinth-test-http.service'}})

    def test_a_stopped_app_fails_its_running_port_and_connect_checks(self):
        checks = self.diagnose('web')
        results = {check: row[2] for check, row in checks.items()}
        self.assertEqual(results, {
            'daemon-running-plinth-test-http.service': 'failed',
            'daemon-listening-tcp4-19471': 'failed',
            'daemon-running-plinth-test-udp.service': 'failed',
            'daemon-listening-address-udp4-19472-127.0.0.1': 'failed',
            'daemon-netcat-127.0.0.1-19471': 'failed',
            'daemon-netcat-negate-127.0.0.1-19479': 'passed',
        })

    def test_messages_are_in_the_configured_language(self):
        checks = self.diagnose('web')
        self.assertEqual(checks['daemon-listening-tcp4-19471'][5],
                         'Lauscht auf tcp4-Port 19471')

    def test_diagnose_all_covers_every_app(self):
        everything = self.call('DiagnoseAll')[0]
        self.assertEqual(set(everything),
                         {'web', 'blog', 'broken', 'echo', 'feeds', 'slow', 'tools'})
        self.assertEqual([row[0] for row in everything['web']], list(self.diagnose('web')))
        self.assertEqual([row[0] for row in everything['tools']],
                         ['daemon-running-plinth-test-udp.service'])

    def test_an_unknown_app_is_an_error(self):
        self.assertBusError('NoSuchApp', 'DiagnoseApp', 'nope')


class SignalTest(ServiceTest):

    def monitor(self):
        proc = subprocess.Popen(
            ['gdbus', 'monitor', '--address', self.service.bus, '--dest', harness.BUS_NAME],
            stdout=subprocess.PIPE, text=True)
        self.addCleanup(proc.stdout.close)
        self.addCleanup(proc.wait)
        self.addCleanup(proc.terminate)
        # gdbus prints its first line once the match is in place.
        proc.stdout.readline()
        return proc

    def expect_line(self, proc, needle, timeout=10):
        deadline = time.monotonic() + timeout
        lines = []
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if needle in line:
                return
        self.fail(f'no {needle!r} among {lines}')

    def test_signals_follow_changes_made_behind_the_service(self):
        self.enable('web')
        proc = self.monitor()
        self.sandbox.systemctl('stop', 'plinth-test-http.service', check=True)
        self.expect_line(proc, "AppStateChanged ('web', true, false)")
        self.expect_line(proc, "UnitStateChanged ('plinth-test-http.service', 'inactive', 'dead')")

    def test_reload_reads_new_and_skips_broken_definitions(self):
        proc = self.monitor()
        extra = os.path.join(self.apps_dir, 'extra.toml')
        broken = os.path.join(self.apps_dir, 'also-broken.toml')
        with open(extra, 'w', encoding='utf-8') as out:
            out.write('[app]\nid = "extra"\n')
        with open(broken, 'w', encoding='utf-8') as out:
            out.write('[app]\nid = "also-broken"\nbogus = 1\n')
        self.addCleanup(os.remove, extra)
        self.addCleanup(os.remove, broken)

        self.call('Reload')
        self.expect_line(proc, 'AppsReloaded ()')
        apps = [a[0] for a in self.call('ListApps')[0]]
        self.assertIn('extra', apps)
        self.assertIn('web', apps)
        self.assertNotIn('also-broken', apps)
        self.assertRegex(self.service.log(), r"also-broken\.toml:3:1: .*'bogus'")

        os.remove(extra)
        self.service.process.send_signal(signal.SIGHUP)
        self.expect_line(proc, 'AppsReloaded ()')
        self.assertNotIn('extra', [a[0] for a in self.call('ListApps')[0]])
        open(extra, 'w', encoding='utf-8').close()


class ConcurrencyTest(ServiceTest):

    def start_in_background(self, unit):
        return subprocess.Popen(
            ['busctl', f'--address={self.service.bus}', 'call', harness.BUS_NAME,
             harness.OBJECT_PATH, harness.INTERFACE, 'StartUnit', 's', unit],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def wait_activating(self, unit):
        deadline = time.monotonic() + 10
        while self.is_active(unit) != 'activating':
            self.assertLess(time.monotonic(), deadline, f'{unit} never started activating')
            time.sleep(0.02)

    def test_a_slow_start_does_not_hold_up_other_callers(self):
        unit = 'plinth-test-slow@slow.service'
        self.addCleanup(self.sandbox.systemctl, 'stop', unit)
        slow = self.start_in_background(unit)
        self.wait_activating(unit)
        # Held where it is, the start cannot end before the queries, however loaded the
        # machine: what is tested is that they do not wait for it.
        self.sandbox.systemctl('kill', '--signal=SIGSTOP', unit, check=True)
        self.call('ListApps')
        self.call('IsAppRunning', 's', 'slow')
        self.assertIsNone(slow.poll(), 'the queries answered only after the slow start')
        self.sandbox.systemctl('kill', '--signal=SIGCONT', unit, check=True)
        _, err = slow.communicate(timeout=30)
        self.assertEqual(slow.returncode, 0, err)
        self.assertEqual(self.is_active(unit), 'active')

    def test_sigterm_answers_the_call_in_flight_then_exits_zero(self):
        unit = 'plinth-test-slow@slow.service'
        self.addCleanup(self.sandbox.systemctl, 'stop', unit)
        slow = self.start_in_background(unit)
        self.wait_activating(unit)
        self.assertEqual(self.service.stop(signal.SIGTERM), 0)
        _, err = slow.communicate(timeout=30)
        self.assertEqual(slow.returncode, 0, err)
        self.assertFalse(self.service.owns_name())
        self.service.start()


class ReloadOrderTest(ServiceTestCase):
    """Reloads that finish out of order: the older definitions are never served again."""

    APPS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'apps-reload')
    # No authorization step: Reload reads the definitions while it handles the call.
    AUTHORIZATION = 'none'

    def test_an_older_reload_finishing_last_does_not_bring_back_its_definitions(self):
        late = os.path.join(self.apps_dir, 'late.toml')
        with open(late, 'w', encoding='utf-8') as out:
            out.write('[app]\nid = "late"\n[[components]]\nkind = "daemon"\n'
                      'id = "daemon-late"\nunit = "plinth-test-late.service"\n')
        self.addCleanup(lambda: os.path.exists(late) and os.remove(late))
        # With the manager stopped, the first reload waits for systemd's view of its unit.
        manager = int(self.sandbox.env['MANAGER_PID'])
        os.kill(manager, signal.SIGSTOP)
        self.addCleanup(os.kill, manager, signal.SIGCONT)

        bus = Gio.DBusConnection.new_for_address_sync(
            self.service.bus, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
            Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
        self.addCleanup(bus.close_sync, None)
        loop = GLib.MainLoop()
        first = []

        def answered(connection, result):
            first.append(connection.call_finish(result))
            loop.quit()

        def call(method, callback=None):
            args = (harness.BUS_NAME, harness.OBJECT_PATH, harness.INTERFACE, method, None,
                    None, Gio.DBusCallFlags.NONE, 60000, None)
            if callback:
                return bus.call(*args, callback)
            return bus.call_sync(*args).unpack()

        call('Reload', answered)
        # Answered in order: once ListApps is, the first reload has read the definitions.
        self.assertEqual([a[0] for a in call('ListApps')[0]], ['plain'])

        # The second reads definitions without that unit: it needs nothing from systemd.
        os.remove(late)
        call('Reload')
        self.assertEqual([a[0] for a in call('ListApps')[0]], ['plain'])

        os.kill(manager, signal.SIGCONT)
        GLib.timeout_add_seconds(60, loop.quit)
        loop.run()
        self.assertEqual(len(first), 1, 'the first reload was never answered')
        self.assertEqual([a[0] for a in call('ListApps')[0]], ['plain'])


class TimeoutTest(ServiceTest):
    CONFIG = 'job-timeout-seconds = 1\n'

    def test_a_job_that_never_finishes_times_out(self):
        unit = 'plinth-test-never-ready.service'
        self.addCleanup(self.sandbox.systemctl, 'stop', unit)
        err = self.assertBusError('Timeout', 'StartUnit', unit)
        self.assertIn(unit, err)


if __name__ == '__main__':
    harness.run_under_private_bus(os.path.abspath(__file__))
    unittest.main(verbosity=2)
