#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The service's CPU time for one background health round over 1000 enabled apps, against
1000 DiagnoseApp calls, and the worst Peer.Ping during a round, against the worst Ping during
diagnose_flood.py's DiagnoseAll flood, measured the same way in the same run.

The real service runs on a private bus of its own (a dbus-daemon; PLINTH_TEST_BUS=dbus-broker
for a dbus-broker, as for the flood) against the tests' sandboxed systemd --user, with 1000
apps, each a Daemon of its own: an instance of one template unit (`sleep infinity`), enabled
and running before the service starts, declaring one tcp4 port that this script listens on
(the port check reads the socket table, whoever holds the socket), so every app is healthy and
the machine has 1000 more sockets to read. CPU time is the service process's
utime + stime from /proc/PID/stat, every thread included.

- A round: the service itself, every `[health] interval` seconds. Its CPU is the difference
  between two consecutive ends of a round (each end seen as the PropertiesChanged that
  carries app 0's new LastDiagnosed), less the service's idle CPU over as long.
- The baseline: DiagnoseApp of each of the 1000 apps, one call after another, as a client
  that checks every app would make them, on a service that makes no round meanwhile.
- Ping: diagnose_flood.py's pinger (one Ping after another from a process of its own) while
  rounds are made, against its figure during 400 DiagnoseAll calls.

Needs root and unshare, like the integration tests; run it in a network namespace of its own
(meson does: tests/own-network), since it listens on 1000 loopback ports:
    meson test -C build --benchmark health-round
"""

import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from gi.repository import Gio, GLib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'service'))
import diagnose_flood  # noqa: E402
import generated_apps  # noqa: E402
import harness  # noqa: E402
from object_client import APP_INTERFACE, app_path  # noqa: E402

APPS = 1000
FLOOD_CALLS = 400
# utime and stime count in clock ticks (10 ms): the mean of many rounds is finer than one.
ROUNDS = 10
# Seconds between two rounds: a round over 1000 apps takes well under one.
INTERVAL_S = 3
FIRST_PORT = 20000
TEMPLATE = 'plinth-health-round'
TICK_MS = 1000 / os.sysconf('SC_CLK_TCK')
CONNECTION_FLAGS = (Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
                    Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION)


def app_id(index):
    return f'health-{index}'


def unit(index):
    return f'{TEMPLATE}@{index}.service'


def write_apps(directory):
    for i in range(APPS):
        generated_apps.write_app(directory, app_id(i), i, unit(i), [(FIRST_PORT + i, 'tcp4')])


def listen_on_every_port():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, APPS + 256)), hard))
    sockets = []
    for i in range(APPS):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(('127.0.0.1', FIRST_PORT + i))
        listener.listen()
        sockets.append(listener)
    return sockets


def cpu_ms(pid):
    """utime + stime of the whole process."""
    with open(f'/proc/{pid}/stat', encoding='utf-8') as stat:
        fields = stat.read().rsplit(')', 1)[1].split()
    # Fields 14 and 15 of proc(5); the split starts at field 3.
    return (int(fields[11]) + int(fields[12])) * TICK_MS


def start_service(sandbox, bus, work, name, config):
    path = os.path.join(work, f'{name}.toml')
    with open(path, 'w', encoding='utf-8') as out:
        out.write(config)
    service = harness.Service(sandbox, [os.path.join(work, 'apps.d')],
                              os.path.join(work, 'state'),
                              extra=['--config', path, '--log-level', 'warn'],
                              bus=bus.address)
    # Answered once every state is known.
    harness.busctl_call(service.bus, 'ListApps')
    return service


def idle_cpu_ms(service, seconds):
    before = cpu_ms(service.process.pid)
    time.sleep(seconds)
    return cpu_ms(service.process.pid) - before


def diagnose_each_app(service):
    """CPU (ms) and wall time (s) of DiagnoseApp of every app, one after another."""
    bus = Gio.DBusConnection.new_for_address_sync(service.bus, CONNECTION_FLAGS, None, None)
    try:
        start_cpu, start = cpu_ms(service.process.pid), time.monotonic()
        for i in range(APPS):
            bus.call_sync(harness.BUS_NAME, harness.OBJECT_PATH, harness.INTERFACE,
                          'DiagnoseApp', GLib.Variant('(s)', (app_id(i),)), None,
                          Gio.DBusCallFlags.NONE, 120_000, None)
        return cpu_ms(service.process.pid) - start_cpu, time.monotonic() - start
    finally:
        bus.close_sync(None)


class RoundEnds:
    """Notes (time, service CPU) whenever a round gives app 0 a new LastDiagnosed."""

    def __init__(self, service):
        self.pid = service.process.pid
        self.ends = []
        self.bus = Gio.DBusConnection.new_for_address_sync(service.bus, CONNECTION_FLAGS,
                                                           None, None)
        self.subscription = self.bus.signal_subscribe(
            None, 'org.freedesktop.DBus.Properties', 'PropertiesChanged', app_path(app_id(0)),
            APP_INTERFACE, Gio.DBusSignalFlags.NONE, self.changed)
        self.context = GLib.MainContext.default()
        # Wakes the loop to look at the clock.
        self.ticker = GLib.timeout_add(100, lambda: True)

    def changed(self, _bus, _sender, _path, _interface, _member, parameters):
        if 'LastDiagnosed' in parameters.unpack()[1]:
            self.ends.append((time.monotonic(), cpu_ms(self.pid)))

    def wait(self, count, timeout):
        """Until count more rounds have ended."""
        want = len(self.ends) + count
        deadline = time.monotonic() + timeout
        while len(self.ends) < want:
            if time.monotonic() > deadline:
                raise TimeoutError(f'{want - len(self.ends)} rounds did not end in {timeout} s')
            self.context.iteration(True)

    def close(self):
        GLib.source_remove(self.ticker)
        self.bus.signal_unsubscribe(self.subscription)
        self.bus.close_sync(None)


def measure_rounds(service, idle_per_s):
    """CPU (ms) of each of ROUNDS rounds, less the idle CPU between them, and the Pings
    made while two more rounds were."""
    ends = RoundEnds(service)
    try:
        ends.wait(1, 60)
        ends.wait(ROUNDS, 60 + ROUNDS * INTERVAL_S * 10)
        marks = ends.ends[-ROUNDS - 1:]
        rounds = [(b[1] - a[1]) - idle_per_s * (b[0] - a[0]) for a, b in zip(marks, marks[1:])]
        pinger = diagnose_flood.pinger(service.bus, 0, stdin=subprocess.PIPE)
        pinger.stdout.readline()
        ends.wait(2, 60 + 2 * INTERVAL_S * 10)
        pinger.stdin.close()
        pings = json.loads(pinger.stdout.read())
        pinger.wait()
    finally:
        ends.close()
    return rounds, pings


def main():
    harness.exit_if_sandbox_unavailable()
    try:
        flooded = diagnose_flood.flood(FLOOD_CALLS)[1]
    except RuntimeError as error:
        print(f'the flood: {error}', file=sys.stderr)
        return 1

    work = tempfile.mkdtemp(prefix='pd-hr-', dir='/tmp')
    listeners = listen_on_every_port()
    bus = None
    try:
        write_apps(os.path.join(work, 'apps.d'))
        bus = harness.PrivateBus(work)
        sandbox = harness.Sandbox([generated_apps.write_unit(os.path.join(work, 'units'),
                                                                f'{TEMPLATE}@.service')])
        try:
            units = [unit(i) for i in range(APPS)]
            sandbox.systemctl('enable', *units, check=True)
            sandbox.systemctl('start', *units, check=True)

            # No round: the idle service, then the client's way.
            service = start_service(sandbox, bus, work, 'no-rounds',
                                    '[health]\nsettle-delay = 3600\n')
            try:
                idle = idle_cpu_ms(service, 5)
                each_cpu, each_s = diagnose_each_app(service)
                health = harness.busctl_call(service.bus, 'GetAppHealth', 's', app_id(APPS - 1))
            finally:
                service.stop()
            if health[0] != 'ok':
                print(f'app {app_id(APPS - 1)} is {health}, not ok', file=sys.stderr)
                return 1

            service = start_service(sandbox, bus, work, 'rounds',
                                    f'[health]\ninterval = {INTERVAL_S}\nsettle-delay = 1\n')
            try:
                rounds, round_pings = measure_rounds(service, idle / 5)
            finally:
                service.stop()
        finally:
            sandbox.stop()
    finally:
        if bus:
            bus.stop()
        for listener in listeners:
            listener.close()
        shutil.rmtree(work, ignore_errors=True)

    round_cpu = statistics.mean(rounds)
    flood_worst = max(flooded)
    round_worst = max(round_pings)
    print(f'{APPS} enabled apps, one Daemon and one tcp4 port each; service CPU '
          f'(utime + stime), ratios to {APPS} DiagnoseApp calls of this run')
    print(f'{APPS} DiagnoseApp, one after another:     {each_cpu:8.0f} ms CPU '
          f'({each_s:.1f} s wall)   baseline')
    print(f'one background round (mean of {ROUNDS}):    {round_cpu:8.1f} ms CPU   '
          f'{round_cpu / each_cpu:.4f}x (1/{each_cpu / max(round_cpu, TICK_MS):.0f})   '
          f'goal: <= 1/20')
    print(f'  rounds: {", ".join(f"{r:.0f}" for r in rounds)} ms; the idle service: '
          f'{idle / 5:.1f} ms CPU a second, taken off')
    print(f'worst Ping, ratio to the worst during {FLOOD_CALLS} DiagnoseAll '
          f'(diagnose_flood.py, this run)')
    print(f'during {FLOOD_CALLS} DiagnoseAll:  median {statistics.median(flooded):7.3f} '
          f'ms, worst {flood_worst:7.3f} ms   baseline')
    print(f'during 2 rounds:       median {statistics.median(round_pings):7.3f} ms, '
          f'worst {round_worst:7.3f} ms   {round_worst / flood_worst:.2f}x   '
          f'goal: <= 1x ({len(round_pings)} pings)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
