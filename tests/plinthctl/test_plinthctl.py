#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""plinthctl against the real plinth-daemons on a private bus and a real systemd --user.

Every command in both output forms on real states, the exit codes a script relies on, a call
refused for a non-root user, unknown apps and units, and watch seeing a unit stopped behind
the service's back.
"""

import json
import os
import select
import shutil
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.environ['PLINTH_HARNESS_DIR'])
import harness  # noqa: E402
from harness import ServiceTestCase, wait_until  # noqa: E402

PLINTHCTL = os.environ['PLINTHCTL']
COMPLETION = os.environ['PLINTHCTL_COMPLETION']
APPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'apps')
UNITS = ['plinth-test-http.service', 'plinth-test-udp.service', 'plinth-test-echo.socket',
         'plinth-test-echo.service', 'plinth-test-fail.service']
# A bound on waiting for a signal, not a measurement: a lost signal fails instead of hanging.
SIGNAL_WAIT_S = 30
NOBODY = 65534
# Declared by app broken; systemd knows no such unit.
MISSING = 'plinth-test-missing.service'


class PlinthctlTestCase(ServiceTestCase):
    UNITS = UNITS
    APPS_DIR = APPS

    def plinthctl(self, *args, user=None):
        """Runs plinthctl on the service's bus; returns (exit status, stdout, stderr)."""
        cmd = [PLINTHCTL, '--address', self.service.bus, '--no-ask-password'] + list(args)
        if user is not None:
            cmd = ['setpriv', f'--reuid={user}', f'--regid={user}', '--clear-groups'] + cmd
        # NO_COLOR unset on purpose: a pipe alone must keep the output plain.
        env = {k: v for k, v in os.environ.items() if k != 'NO_COLOR'}
        result = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env,
                                timeout=300)
        return result.returncode, result.stdout, result.stderr

    def ok(self, *args):
        code, out, err = self.plinthctl(*args)
        self.assertEqual(code, 0, f'plinthctl {args}: {err}')
        self.assertEqual(err, '')
        return out

    def json(self, *args):
        return json.loads(self.ok('--json', *args))

    def assertFails(self, code, args, message_part, user=None):
        """Exit status code, nothing on stdout, the service's words on stderr."""
        got, out, err = self.plinthctl(*args, user=user)
        self.assertEqual(got, code, f'plinthctl {args}: {out} {err}')
        self.assertEqual(out, '')
        self.assertTrue(err.startswith('plinthctl: '), err)
        self.assertIn(message_part, err)
        # People read the message; the D-Bus error name is for programs.
        self.assertNotIn('org.freedesktop', err)
        return err

    def enable(self, app):
        self.ok('enable', app)
        self.addCleanup(self.plinthctl, 'disable', app)


class AppCommandsTest(PlinthctlTestCase):

    def test_list_shows_every_app_with_its_states(self):
        out = self.ok('list')
        lines = out.splitlines()
        self.assertEqual(lines[0].split(), ['APP', 'NAME', 'ENABLED', 'RUNNING'])
        self.assertIn('site      Web Site  no       no', lines)
        self.assertEqual(lines[-1], '3 apps')
        self.assertNotIn('\033[', out)

        self.assertEqual(self.json('list'), {'apps': [
            {'id': 'broken', 'name': 'broken', 'enabled': False, 'running': False},
            {'id': 'resolver', 'name': 'resolver', 'enabled': False, 'running': False},
            {'id': 'site', 'name': 'Web Site', 'enabled': False, 'running': False},
        ]})
        self.assertEqual(self.ok(), out, 'without a command, plinthctl lists')

    def test_enable_starts_and_disable_stops_the_app(self):
        self.assertEqual(self.json('enable', 'site'), {'apps': [
            {'id': 'site', 'name': 'Web Site', 'enabled': True, 'running': True}]})
        self.assertEqual(self.sandbox.systemctl('is-active', 'plinth-test-http.service'),
                         'active')
        self.assertEqual(self.ok('is-enabled', 'site'), 'enabled\n')
        self.assertEqual(self.ok('is-running', 'site', 'plinth-test-http.service'),
                         'running\nrunning\n')

        out = self.ok('disable', 'site')
        self.assertIn('site  Web Site  no       no', out)
        self.assertEqual(self.sandbox.systemctl('is-active', 'plinth-test-http.service'),
                         'inactive')
        code, out, _ = self.plinthctl('is-running', 'site')
        self.assertEqual((code, out), (3, 'not running\n'))
        code, out, _ = self.plinthctl('--json', 'is-enabled', 'site', 'plinth-test-http.service')
        self.assertEqual(code, 3)
        self.assertEqual(json.loads(out), {'results': [
            {'name': 'site', 'type': 'app', 'enabled': False},
            {'name': 'plinth-test-http.service', 'type': 'unit', 'enabled': False}]})

    def test_status_shows_each_units_state(self):
        self.enable('site')
        out = self.ok('status', 'site')
        self.assertTrue(out.startswith('site (Web Site): enabled, running\n'), out)
        self.assertTrue(out.splitlines()[1].startswith('  health: '), out)
        rows = [line.split() for line in out.splitlines()[3:]]
        self.assertEqual(rows, [
            ['daemon-site', 'daemon', 'plinth-test-http.service', 'yes', 'yes'],
            ['related-daemon-site-echo', 'related-daemon', 'plinth-test-echo.socket', 'no',
             'no']])

        status = self.json('status')
        self.assertEqual([a['id'] for a in status['apps']], ['broken', 'resolver', 'site'])
        site = status['apps'][2]
        self.assertEqual((site['enabled'], site['running']), (True, True))
        self.assertEqual([(c['unit'], c['unit_enabled'], c['unit_running'])
                          for c in site['components']],
                         [('plinth-test-http.service', True, True),
                          ('plinth-test-echo.socket', False, False)])

    def test_health_exits_3_while_an_app_needs_attention(self):
        http = 'plinth-test-http.service'
        running = 'daemon-running-' + http
        self.enable('site')
        self.ok('diagnose', 'site')
        self.assertEqual(self.ok('health', 'site').split(',')[0], 'site: ok')

        self.sandbox.systemctl('stop', http, check=True)
        self.addCleanup(self.sandbox.systemctl, 'start', http)
        self.assertTrue(wait_until(lambda: self.plinthctl('health', 'site')[0] == 3, 10))
        code, out, _ = self.plinthctl('health')
        self.assertEqual(code, 3)
        self.assertIn('site: failed, checked ', out)
        self.assertIn(f'    {running}: failed (Service {http} is running)\n', out)
        self.assertIn('broken: disabled', out)
        [site] = json.loads(self.plinthctl('--json', 'health', 'site')[1])['apps']
        self.assertEqual((site['health'], site['issues'][0]['check_id']), ('failed', running))
        self.assertEqual(self.json('status', 'site')['apps'][0]['health'], 'failed')

        self.assertEqual(self.ok('ignore', 'site', running),
                         f'Check {running} of app site is ignored.\n')
        self.addCleanup(self.plinthctl, 'unignore', 'site', running)
        self.assertIn(f'{running}: ignored', self.ok('health', 'site'))
        self.ok('unignore', 'site', running)
        self.assertEqual(self.plinthctl('health', 'site')[0], 3)
        self.assertFails(4, ['ignore', 'nosuch', running], 'nosuch')
        self.assertFails(5, ['ignore', 'site', running], '', user=NOBODY)

    def test_show_gives_the_definition(self):
        out = self.ok('show', 'resolver')
        self.assertTrue(out.startswith('resolver: disabled, not running\n'), out)
        self.assertIn('udp4 127.0.0.1:19472', out)
        self.assertEqual(self.json('show', 'site'), {
            'id': 'site', 'name': 'Web Site', 'enabled': False, 'running': False,
            'components': [
                {'id': 'daemon-site', 'kind': 'daemon', 'unit': 'plinth-test-http.service',
                 'strict_check': False, 'alias': '',
                 'listen_ports': [{'port': 19471, 'kind': 'tcp4', 'address': ''}]},
                {'id': 'related-daemon-site-echo', 'kind': 'related-daemon',
                 'unit': 'plinth-test-echo.socket', 'strict_check': False, 'alias': '',
                 'listen_ports': []}]})

    def test_diagnose_marks_passed_and_failed_checks(self):
        code, out, _ = self.plinthctl('diagnose', 'site')
        self.assertEqual(code, 1, 'a stopped daemon fails its checks')
        self.assertIn('[failed] Service plinth-test-http.service is running', out)
        self.assertIn('[failed] Listening on tcp4 port 19471', out)

        self.enable('site')
        out = self.ok('diagnose', 'site')
        self.assertEqual(out, 'site\n'
                              '  [passed] Service plinth-test-http.service is running\n'
                              '  [passed] Listening on tcp4 port 19471\n')
        checks = self.json('diagnose', 'site')['apps'][0]['checks']
        self.assertEqual(checks[1], {
            'check_id': 'daemon-listening-tcp4-19471', 'component_id': 'daemon-site',
            'result': 'passed', 'description': 'Listening on {kind} port {port}',
            'parameters': {'kind': 'tcp4', 'port': 19471},
            'message': 'Listening on tcp4 port 19471'})

    def test_diagnose_all(self):
        self.enable('site')
        code, out, _ = self.plinthctl('--json', 'diagnose', '--all')
        self.assertEqual(code, 1, 'the resolver is not running')
        results = {a['id']: [c['result'] for c in a['checks']] for a in json.loads(out)['apps']}
        self.assertEqual(results, {'site': ['passed', 'passed'],
                                   'resolver': ['failed', 'failed'],
                                   'broken': ['failed']})

    def test_an_unknown_app_is_exit_4(self):
        for args in (['status', 'nosuch'], ['show', 'nosuch'], ['enable', 'nosuch'],
                     ['is-enabled', 'nosuch'], ['diagnose', 'nosuch'], ['--json', 'show', 'nosuch']):
            self.assertFails(4, args, 'nosuch')

    def test_a_refused_call_is_exit_5(self):
        self.assertFails(5, ['enable', 'site'], '', user=NOBODY)
        self.assertFails(5, ['start', 'plinth-test-udp.service'], '', user=NOBODY)
        self.assertEqual(self.sandbox.systemctl('is-active', 'plinth-test-http.service'),
                         'inactive')
        # Reading is open to everyone.
        code, out, _ = self.plinthctl('list', user=NOBODY)
        self.assertEqual(code, 0)
        self.assertIn('resolver', out)

    def test_usage_errors_are_exit_2(self):
        for args in (['frobnicate'], ['show'], ['list', '--all'], ['--json=1', 'list']):
            code, out, err = self.plinthctl(*args)
            self.assertEqual(code, 2, args)
            self.assertEqual(out, '')
            self.assertIn("Try 'plinthctl --help'", err)


class UnitCommandsTest(PlinthctlTestCase):

    def test_units_lists_every_managed_unit(self):
        out = self.ok('units')
        self.assertIn('plinth-test-echo.socket      site      related-daemon-site-echo       no       '
                      'no', out)
        self.assertEqual(out.splitlines()[-1], '5 units')
        units = sorted(self.json('units')['units'], key=lambda u: u['unit'])
        self.assertEqual(units, [
            {'unit': 'plinth-test-echo.socket', 'app': 'site',
             'component': 'related-daemon-site-echo', 'enabled': False, 'running': False},
            {'unit': 'plinth-test-fail.service', 'app': 'broken',
             'component': 'daemon-broken', 'enabled': False, 'running': False},
            {'unit': 'plinth-test-http.service', 'app': 'site', 'component': 'daemon-site',
             'enabled': False, 'running': False},
            {'unit': MISSING, 'app': 'broken', 'component': 'related-daemon-broken-missing',
             'enabled': False, 'running': False},
            {'unit': 'plinth-test-udp.service', 'app': 'resolver',
             'component': 'daemon-resolver', 'enabled': False, 'running': False}])

    def test_start_stop_restart_are_silent_and_act(self):
        unit = 'plinth-test-udp.service'
        self.addCleanup(self.plinthctl, 'stop', unit)
        self.assertEqual(self.ok('start', unit), '')
        self.assertEqual(self.sandbox.systemctl('is-active', unit), 'active')
        pid = self.sandbox.systemctl('show', '-P', 'MainPID', unit)
        self.assertEqual(self.ok('restart', unit), '')
        self.assertNotEqual(self.sandbox.systemctl('show', '-P', 'MainPID', unit), pid)
        self.assertEqual(self.ok('try-restart', unit), '')
        self.assertEqual(self.json('stop', unit),
                         {'units': [{'unit': unit, 'enabled': False, 'running': False}]})
        self.assertEqual(self.sandbox.systemctl('is-active', unit), 'inactive')

    def test_enable_unit_mask_and_unmask(self):
        unit = 'plinth-test-echo.socket'
        self.addCleanup(self.plinthctl, 'disable-unit', unit)
        self.assertEqual(self.json('enable-unit', unit),
                         {'units': [{'unit': unit, 'enabled': True, 'running': True}]})
        self.assertEqual(self.sandbox.systemctl('is-enabled', unit), 'enabled')
        self.ok('disable-unit', unit)
        self.assertEqual(self.sandbox.systemctl('is-enabled', unit), 'disabled')
        self.ok('mask', unit)
        self.assertEqual(self.sandbox.systemctl('is-enabled', unit), 'masked')
        self.ok('unmask', unit)
        self.assertEqual(self.sandbox.systemctl('is-enabled', unit), 'disabled')

    def test_a_bare_unit_name_is_its_service(self):
        unit = 'plinth-test-udp.service'
        self.addCleanup(self.plinthctl, 'stop', unit)
        self.assertEqual(self.json('start', 'plinth-test-udp'),
                         {'units': [{'unit': unit, 'enabled': False, 'running': True}]})
        self.assertEqual(self.sandbox.systemctl('is-active', unit), 'active')
        self.assertFails(4, ['stop', 'ssh'], "'ssh.service' is not declared by any app")

    def test_app_commands_take_a_bare_managed_unit_name_no_app_has(self):
        unit = 'plinth-test-udp.service'
        self.addCleanup(self.plinthctl, 'stop', unit)
        self.ok('start', unit)
        self.assertEqual(self.ok('is-running', 'plinth-test-udp'), 'running\n')
        code, out, _ = self.plinthctl('--json', 'is-enabled', 'plinth-test-udp')
        self.assertEqual((code, json.loads(out)), (3, {'results': [
            {'name': unit, 'type': 'unit', 'enabled': False}]}))
        out = self.ok('status', 'plinth-test-udp')
        self.assertTrue(out.startswith(f'● {unit} - '), out)
        self.assertIn('Active: active (running)', out)
        # An app's name stays the app's; a name that is neither is no app.
        self.assertEqual(self.json('is-running', 'resolver'),
                         {'results': [{'name': 'resolver', 'type': 'app', 'running': True}]})
        self.assertFails(4, ['is-running', 'plinth-test-nothing'], "No app 'plinth-test-nothing'")

    def test_status_of_a_unit_exits_as_systemctl_status(self):
        failed = 'plinth-test-fail.service'
        self.addCleanup(self.sandbox.systemctl, 'reset-failed', failed)
        self.assertFails(1, ['start', failed], failed)
        code, out, _ = self.plinthctl('status', failed)
        self.assertEqual(code, 3, out)
        self.assertIn('Active: failed (failed)', out)
        code, out, _ = self.plinthctl('status', MISSING)
        self.assertEqual(code, 4, out)
        self.assertIn('Loaded: not-found', out)
        # Starting it is a job that fails; an app id no app could have is a malformed argument.
        self.assertFails(1, ['start', MISSING], MISSING)
        self.assertFails(1, ['status', 'Not An Id'], "'Not An Id' is not an app id")

    def test_reset_failed_clears_a_failed_unit(self):
        unit = 'plinth-test-fail.service'
        self.addCleanup(self.sandbox.systemctl, 'reset-failed', unit)
        self.assertFails(1, ['start', unit], unit)
        self.assertEqual(self.sandbox.systemctl('is-active', unit), 'failed')
        self.assertFails(5, ['reset-failed', unit], '', user=NOBODY)
        self.assertEqual(self.sandbox.systemctl('is-active', unit), 'failed')
        self.assertEqual(self.ok('reset-failed', 'plinth-test-fail'), '')
        self.assertEqual(self.sandbox.systemctl('is-active', unit), 'inactive')
        self.assertFails(4, ['reset-failed', 'plinth-test-never-ready'],
                         'plinth-test-never-ready.service')

    def test_a_unit_no_app_declares_is_exit_4(self):
        self.assertFails(4, ['start', 'plinth-test-never-ready.service'],
                         'plinth-test-never-ready.service')
        self.assertFails(4, ['is-running', 'dbus.socket'], 'dbus.socket')
        self.assertFails(4, ['stop', 'no suffix.x'], '')

    def test_a_failed_job_is_exit_1_naming_the_unit(self):
        self.addCleanup(self.plinthctl, 'disable', 'broken')
        self.assertFails(1, ['enable', 'broken'], 'plinth-test-fail.service')
        self.assertFails(1, ['start', 'plinth-test-fail.service'], 'plinth-test-fail.service')


class ServiceCommandsTest(PlinthctlTestCase):

    def test_version(self):
        out = self.ok('version')
        lines = out.splitlines()
        self.assertEqual(len(lines), 2)
        self.assertRegex(lines[0], r'^plinthctl \d+\.\d+\.\d+$')
        self.assertEqual(lines[1].split()[0], 'plinth-daemons')
        version = self.json('version')
        self.assertEqual(version['plinthctl'], lines[0].split()[1])
        self.assertEqual(version['service'], lines[1].split()[1])

    def test_reload_reads_a_new_definition(self):
        new = os.path.join(self.apps_dir, 'extra.toml')
        shutil.copy(os.path.join(APPS, 'resolver.toml'), new)
        with open(new, 'r+', encoding='utf-8') as definition:
            text = definition.read().replace('resolver', 'extra')
            definition.seek(0)
            definition.write(text)
            definition.truncate()
        self.addCleanup(self.ok, 'reload')
        self.addCleanup(os.remove, new)
        # extra's unit is resolver's: rejected as a duplicate or not, reload still answers
        # with the apps it now serves.
        ids = [a['id'] for a in self.json('reload')['apps']]
        self.assertIn('resolver', ids)
        self.assertIn('site', ids)

    def test_reload_is_refused_for_others(self):
        self.assertFails(5, ['reload'], '', user=NOBODY)

    def test_completion_asks_the_service(self):
        def complete(*words):
            script = (f'. {COMPLETION}; COMP_WORDS=(plinthctl --address "$BUS" {" ".join(words)});'
                      ' COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _plinthctl;'
                      ' printf "%s\\n" "${COMPREPLY[@]}"')
            env = dict(os.environ, BUS=self.service.bus,
                       PATH=os.path.dirname(PLINTHCTL) + ':' + os.environ['PATH'])
            out = subprocess.run(['bash', '-c', script], capture_output=True, text=True,
                                 env=env, check=True).stdout
            return sorted(out.split())

        self.assertEqual(complete('enable', 's'), ['site'])
        self.assertEqual(complete('stop', 'plinth-test-'),
                         ['plinth-test-echo.socket', 'plinth-test-fail.service',
                          'plinth-test-http.service', MISSING, 'plinth-test-udp.service'])
        self.assertEqual(complete('is-running', 'r'), ['resolver'])


class Watch:
    """plinthctl watch running, its output read line by line without blocking forever."""

    def __init__(self, bus, options):
        self.process = subprocess.Popen([PLINTHCTL, '--address', bus, *options, 'watch'],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.pending = b''

    def stop(self):
        self.process.terminate()
        self.process.communicate()

    def next_line(self, until):
        """The next whole line, or None if none came before the monotonic time until."""
        while b'\n' not in self.pending:
            left = until - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.process.stdout], [], [], left)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 4096)
                if not chunk:
                    raise AssertionError('watch exited: ' +
                                         self.process.stderr.read().decode())
                self.pending += chunk
        line, _, self.pending = self.pending.partition(b'\n')
        return line.decode() + '\n'


class WatchTest(PlinthctlTestCase):

    def read_until(self, watch, predicate):
        """Lines of watch's output up to the first that predicate accepts."""
        lines = []
        deadline = time.monotonic() + SIGNAL_WAIT_S
        while (line := watch.next_line(deadline)) is not None:
            lines.append(line)
            if predicate(line):
                return lines
        self.fail(f'no such line within {SIGNAL_WAIT_S} s; got {lines}')

    def start_watch(self, *options):
        watch = Watch(self.service.bus, options)
        self.addCleanup(watch.stop)
        return watch

    def subscribed(self, watch, unit):
        """Starts unit until watch reports it: then its match rules are in place."""
        self.addCleanup(self.sandbox.systemctl, 'stop', unit)
        for _ in range(SIGNAL_WAIT_S):
            self.ok('start', unit)
            line = watch.next_line(time.monotonic() + 1)
            if line is not None:
                watch.pending = line.encode() + watch.pending
                return
            self.ok('stop', unit)
        self.fail('watch never reported anything')

    def test_watch_sees_an_external_stop(self):
        unit = 'plinth-test-udp.service'
        watch = self.start_watch('--json')
        self.subscribed(watch, unit)
        self.read_until(watch, lambda line: json.loads(line).get('active_state') == 'active')

        self.sandbox.systemctl('stop', unit)
        lines = self.read_until(watch, lambda line: json.loads(line) == {
            'signal': 'UnitStateChanged', 'unit': unit, 'active_state': 'inactive',
            'sub_state': 'dead'})
        for line in lines:
            self.assertIn(json.loads(line)['signal'],
                          ('UnitStateChanged', 'AppStateChanged', 'AppsReloaded'))

    def test_watch_prints_app_changes_for_people(self):
        unit = 'plinth-test-udp.service'
        watch = self.start_watch()
        self.subscribed(watch, unit)
        self.sandbox.systemctl('stop', unit)
        self.read_until(watch, lambda line: line == f'unit {unit}: inactive (dead)\n')

        self.enable('resolver')
        self.read_until(watch, lambda line: line == 'app resolver: enabled, running\n')


if __name__ == '__main__':
    harness.run_under_private_bus(os.path.abspath(__file__))
    unittest.main()
