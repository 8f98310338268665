#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Cockpit page at 100 and 1000 apps, in headless Chromium behind cockpit-ws.

The browser test's harness (tests/browser): the real service, authorized by the real polkitd
on a private system bus, against a real systemd --user holding one generated unit per app
(`sleep infinity`), Cockpit's own web server and bridge, and Chromium driven over DevTools.
For 100 and then 1000 apps, each app a Daemon of its own:

- page load: from navigation until every app's row is in the table (a MutationObserver
  installed before the page's scripts notes the time), the median of several loads;
- an outside change: `systemctl --user stop` of a running app's unit in the sandbox, from
  the unit's ActiveExitTimestamp in systemd (the moment it stopped being active) until the
  row says "Not running", the median over several units;
- CPU while idle: the page's main thread busy, its script and its layouts (DevTools
  Performance.getMetrics: TaskDuration, ScriptDuration, LayoutCount), and the CPU time of
  its renderer process (every thread's schedstat in /proc), over idle seconds, against the
  same measured with no wait between (the floor: what the measuring costs).

Every figure is also given as a ratio to the 100-app page load of the same run. Needs root
and unshare, like the integration tests:

    meson test -C build --benchmark page-bench
    PLINTH_COCKPIT_PACKAGE=DIR ... bench/page_bench.py [loads]    (another build of the page)
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import dbus

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'browser'))
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'polkit'))
from polkit_sandbox import PolkitSandbox, exit_unless_runnable  # noqa: E402
import harness  # noqa: E402  (found through polkit_sandbox's path)
from cockpit_ws import COCKPIT_WS, CockpitWs  # noqa: E402
from devtools import CHROMIUM, Browser  # noqa: E402
import generated_apps  # noqa: E402

PACKAGE_DIR = os.environ.get('PLINTH_COCKPIT_PACKAGE')
SIZES = (100, 1000)
# The units stopped from outside, one after another, at each size.
CHANGED_UNITS = 7
IDLE_S = 5
# main's page took 19 s for 1000 apps: room for a page many times slower than that.
LOAD_TIMEOUT_S = int(os.environ.get('PLINTH_LOAD_TIMEOUT', 180))

UNIT_PREFIX = 'plinth-page-bench-'

# Installed before the page's own scripts: notes when the table first holds `want` rows. It
# watches the table's own children only, so that a page that redraws every row pays little
# for being watched.
SHOWN = '''
window.__benchShown = null;
document.addEventListener("DOMContentLoaded", () => {
    const body = document.querySelector("#apps tbody");
    new MutationObserver((records, observer) => {
        if (body.childElementCount >= %d) {
            window.__benchShown = performance.now();
            observer.disconnect();
        }
    }).observe(body, { childList: true });
});
'''

# Notes the wall-clock time at which the running mark of row `app` first reads "false".
STOP_SHOWN = '''
(() => {
    window.__benchStopped = null;
    const cell = document.querySelector('tr[data-app="%s"] .app-running');
    new MutationObserver((records, observer) => {
        if (cell.dataset.running === "false") {
            window.__benchStopped = Date.now();
            observer.disconnect();
        }
    }).observe(cell, { attributes: true, childList: true, subtree: true });
})()
'''


def unit_name(index):
    return f'{UNIT_PREFIX}{index}.service'


def app_id(index):
    return f'page-{index}'


def write_units(directory, count):
    return [generated_apps.write_unit(directory, unit_name(i)) for i in range(count)]


def write_apps(directory, count):
    for i in range(count):
        generated_apps.write_app(directory, app_id(i), i, unit_name(i))


class Renderers:
    """The renderer processes of one Chromium, and their CPU time from /proc."""

    def __init__(self, profile):
        # Chromium rewrites its children's command lines into one string.
        self.marks = (b'--type=renderer', f'--user-data-dir={profile}'.encode())

    def pids(self):
        found = []
        for entry in os.listdir('/proc'):
            if not entry.isdigit():
                continue
            try:
                with open(f'/proc/{entry}/cmdline', 'rb') as cmdline:
                    text = cmdline.read()
            except OSError:
                continue
            if all(mark in text for mark in self.marks):
                found.append(int(entry))
        return found

    @staticmethod
    def cpu_ms(pid):
        """The CPU time of every thread of pid, from schedstat: nanoseconds, not clock ticks."""
        total = 0
        try:
            threads = os.listdir(f'/proc/{pid}/task')
        except OSError:
            return 0
        for thread in threads:
            try:
                with open(f'/proc/{pid}/task/{thread}/schedstat', encoding='utf-8') as stat:
                    total += int(stat.read().split()[0])
            except OSError:
                continue
        return total / 1e6

    def page_renderer(self):
        """The renderer that has worked most: the page's, not a spare or Chromium's own UI."""
        return max(self.pids(), key=self.cpu_ms)


class Bench:
    def __init__(self, browser, ws, sandbox):
        self.browser = browser
        self.ws = ws
        self.sandbox = sandbox
        self.systemd = dbus.bus.BusConnection(sandbox.bus)
        self.renderers = Renderers(browser.profile)
        # Scripts for new documents run only with the Page domain on.
        browser.send('Page.enable')

    def load_ms(self, count):
        """From navigation until the table holds every app's row."""
        browser = self.browser
        browser.open('about:blank')
        browser.wait('document.readyState === "complete"')
        script = browser.send('Page.addScriptToEvaluateOnNewDocument', source=SHOWN % count)
        try:
            browser.open(self.ws.url())
            try:
                return browser.wait('window.__benchShown', LOAD_TIMEOUT_S)
            except TimeoutError as error:
                shown = browser.evaluate('[location.href, typeof window.__benchShown, '
                                         'document.querySelectorAll("#apps tbody tr").length, '
                                         'document.getElementById("status").textContent, '
                                         'document.getElementById("alert").textContent]')
                raise TimeoutError(f'{error}: the page shows {shown}; cockpit-ws said:\n'
                                   + self.ws.log()) from error
        finally:
            browser.send('Page.removeScriptToEvaluateOnNewDocument',
                         identifier=script['identifier'])

    def running_shown(self, app, running):
        self.browser.wait(f'(c => c && c.dataset.running === "{str(running).lower()}")'
                          f'(document.querySelector(\'tr[data-app="{app}"] .app-running\'))',
                          30)

    def manager(self):
        return dbus.Interface(self.systemd.get_object('org.freedesktop.systemd1',
                                                      '/org/freedesktop/systemd1'),
                              'org.freedesktop.systemd1.Manager')

    def stopping_since_ms(self, unit):
        path = self.manager().GetUnit(unit)
        props = dbus.Interface(self.systemd.get_object('org.freedesktop.systemd1', path),
                               dbus.PROPERTIES_IFACE)
        return int(props.Get('org.freedesktop.systemd1.Unit', 'ActiveExitTimestamp')) / 1000

    def stop_shown_ms(self, index):
        """From systemd's stop of the app's unit until the row says so."""
        app, unit = app_id(index), unit_name(index)
        self.sandbox.systemctl('start', unit, check=True)
        # Held by this connection, the stopped unit is not unloaded, and keeps its timestamps.
        self.manager().RefUnit(unit)
        self.running_shown(app, True)
        self.browser.evaluate(STOP_SHOWN % app)
        self.sandbox.systemctl('stop', unit, check=True)
        shown = self.browser.wait('window.__benchStopped', 30)
        return shown - self.stopping_since_ms(unit)

    def idle_cpu_ms(self, seconds):
        """Over seconds of nothing: the page's main thread busy and running script (ms), its
        layouts, and the CPU of its renderer process (ms)."""
        self.browser.send('Performance.enable')
        time.sleep(1)
        renderer = self.renderers.page_renderer()

        def sample():
            metrics = {m['name']: m['value']
                       for m in self.browser.send('Performance.getMetrics')['metrics']}
            return (metrics['TaskDuration'] * 1000, metrics['ScriptDuration'] * 1000,
                    metrics['LayoutCount'], self.renderers.cpu_ms(renderer))
        before = sample()
        time.sleep(seconds)
        after = sample()
        self.browser.send('Performance.disable')
        return [b - a for a, b in zip(before, after)]


def measure(bench, count, loads):
    bench.load_ms(count)  # a warm-up, not counted
    load = statistics.median(bench.load_ms(count) for _ in range(loads))
    # Units spread over the table, not only its first rows.
    step = count // CHANGED_UNITS
    change = statistics.median(bench.stop_shown_ms(i * step) for i in range(CHANGED_UNITS))
    return {'load': load, 'change': change, 'idle': bench.idle_cpu_ms(IDLE_S),
            # The same without the wait: what asking costs, the floor of the idle figures.
            'floor': bench.idle_cpu_ms(0)}


def report(figures, loads):
    base = figures[SIZES[0]]['load']

    def line(what, value, goal):
        print(f'{what:<46} {value:9.1f} ms {value / base:7.2f}x   {goal}')

    print(f'medians of {loads} page loads and {CHANGED_UNITS} outside stops; ratios to the '
          f'{SIZES[0]}-app page load of this run')
    for count in SIZES:
        f = figures[count]
        goal = ('baseline' if count == SIZES[0] else
                f'goal: <= 1000 ms and <= 6x ({f["load"] / base:.2f}x)')
        line(f'page load, {count} apps', f['load'], goal)
    for count in SIZES:
        line(f'outside stop until shown, {count} apps', figures[count]['change'],
             'goal: <= 100 ms')
    print(f'while idle for {IDLE_S} s: the page\'s main thread busy and running script, its '
          'layouts, and the CPU of its renderer process; the floor is the same with no wait')
    for count in SIZES:
        busy, script, layouts, cpu = figures[count]['idle']
        floor = figures[count]['floor']
        line(f'main thread busy, {count} apps', busy, f'floor {floor[0]:.1f} ms')
        line(f'script, {count} apps', script, f'floor {floor[1]:.1f} ms; goal: the floor')
        print(f'{"layouts, " + str(count) + " apps":<46} {layouts:9.0f}       '
              f'floor {floor[2]:.0f}; goal: the floor')
        line(f'renderer process CPU, {count} apps', cpu, f'floor {floor[3]:.1f} ms')


def main():
    loads = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    work = tempfile.mkdtemp(prefix='pd-pb-', dir='/tmp')
    stack = []
    try:
        polkit = PolkitSandbox()
        stack.append(polkit.stop)
        sandbox = harness.Sandbox(write_units(os.path.join(work, 'units'), max(SIZES)))
        stack.append(sandbox.stop)
        config = os.path.join(work, 'plinth-daemons.toml')
        with open(config, 'w', encoding='utf-8'):
            pass
        ws = CockpitWs(PACKAGE_DIR, polkit.bus)
        stack.append(ws.stop)
        browser = Browser()
        stack.append(browser.stop)
        bench = Bench(browser, ws, sandbox)
        figures = {}
        for count in SIZES:
            apps = os.path.join(work, f'apps-{count}')
            write_apps(apps, count)
            service = harness.Service(sandbox, [apps], os.path.join(work, f'state-{count}'),
                                      'polkit', ['--config', config, '--log-level', 'warn'],
                                      bus=polkit.bus)
            try:
                # The flat methods answer once every state is known: the page then shows
                # them all from its one GetManagedObjects.
                harness.busctl_call(polkit.bus, 'ListApps')
                figures[count] = measure(bench, count, loads)
            finally:
                service.stop()
        report(figures, loads)
    finally:
        for stop in reversed(stack):
            stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    exit_unless_runnable(harness.SANDBOX)
    for program in (COCKPIT_WS, CHROMIUM):
        if not os.access(program, os.X_OK):
            print(f'SKIP: {program} is not installed (tools/install-deps installs it)')
            sys.exit(77)
    main()
