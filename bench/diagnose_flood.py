#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Peer.Ping latency of the real service while 400 DiagnoseAll calls are in flight from four
connections, against Ping with nothing in flight, and the service's peak thread count: once
with every bus a dbus-daemon, once with every bus a dbus-broker.

The service runs on a private bus against the sandboxed systemd --user of the tests, with one
app declaring eight connect checks (tests/service/flood-apps/flood.toml) and its daemon
running. Pings come from a process of their own, one after another, so that neither the flood
nor this script's interpreter delays them. Needs root and unshare, like the integration tests.
Usage: diagnose_flood.py [calls] (400 by default); PLINTH_DAEMONS picks the service binary.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.join(HERE, '..', 'tests', 'service')
sys.path.insert(0, TESTS)
import harness  # noqa: E402
import load  # noqa: E402

HTTP = 'plinth-test-http.service'
BUSES = ('dbus-daemon', 'dbus-broker')
IDLE_PINGS = 200
CONNECTIONS = 4
# Pings one after another over one connection until stdin closes; prints their latencies (ms).
PINGER = '''
import json, sys, threading, time
from gi.repository import Gio
flags = (Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
         Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION)
bus = Gio.DBusConnection.new_for_address_sync(sys.argv[1], flags, None, None)
count = int(sys.argv[2])
done = threading.Event()
if count == 0:
    print('ready', flush=True)
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
latencies = []
while (count == 0 and not done.is_set()) or len(latencies) < count:
    start = time.perf_counter()
    bus.call_sync('org.freedesktop.Plinth.Daemons', '/org/freedesktop/Plinth/Daemons',
                  'org.freedesktop.DBus.Peer', 'Ping', None, None, 0, 30000, None)
    latencies.append((time.perf_counter() - start) * 1000)
    time.sleep(0.002)
print(json.dumps(latencies))
'''


def pinger(bus, count, **kwargs):
    return subprocess.Popen(['/usr/bin/python3', '-c', PINGER, bus, str(count)],
                            stdout=subprocess.PIPE, text=True, **kwargs)


def summary(latencies):
    return statistics.median(latencies), max(latencies)


def flood(calls):
    """Pings idle and during the flood on buses of PLINTH_TEST_BUS's implementation; returns
    (idle latencies, flooded latencies, the flood's seconds, peak threads)."""
    sandbox = harness.Sandbox([os.path.join(harness.UNITS_DIR, HTTP)])
    work = tempfile.mkdtemp(prefix='pd-bench-', dir='/tmp')
    try:
        apps = os.path.join(work, 'apps.d')
        os.makedirs(apps)
        shutil.copy(os.path.join(TESTS, 'flood-apps', 'flood.toml'), apps)
        bus = harness.PrivateBus(work)
        service = harness.Service(sandbox, [apps], os.path.join(work, 'state'),
                                  extra=['--config', '/dev/null', '--log-level', 'warn'],
                                  bus=bus.address)
        try:
            sandbox.systemctl('start', HTTP, check=True)
            idle = json.loads(pinger(service.bus, IDLE_PINGS).communicate()[0])

            peak = [0]
            sampling = threading.Event()

            def sample():
                while not sampling.is_set():
                    peak[0] = max(peak[0], len(os.listdir(f'/proc/{service.process.pid}/task')))
                    time.sleep(0.005)
            sampler = threading.Thread(target=sample)
            sampler.start()
            during = pinger(service.bus, 0, stdin=subprocess.PIPE)
            during.stdout.readline()
            start = time.monotonic()
            replies = load.call_concurrently(service.bus, CONNECTIONS,
                                             [('DiagnoseAll', None)] * calls)
            flood_s = time.monotonic() - start
            during.stdin.close()
            flooded = json.loads(during.stdout.read())
            during.wait()
            sampling.set()
            sampler.join()
        finally:
            service.stop()
            bus.stop()
    finally:
        sandbox.stop()
        shutil.rmtree(work, ignore_errors=True)

    failed = [str(r) for r in replies if isinstance(r, load.Error)]
    if failed:
        raise RuntimeError(f'{len(failed)} calls failed, first: {failed[0]}')
    return idle, flooded, flood_s, peak[0]


def main():
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    harness.exit_if_sandbox_unavailable()
    idle_medians, worst = {}, {}
    # Every bus of a run, the sandbox's included, is of one implementation.
    for bus in BUSES:
        os.environ['PLINTH_TEST_BUS'] = harness.BUS = bus
        try:
            idle, flooded, flood_s, peak = flood(calls)
        except RuntimeError as error:
            print(f'on {bus}: {error}', file=sys.stderr)
            return 1
        idle_median, idle_worst = summary(idle)
        flood_median, flood_worst = summary(flooded)
        idle_medians[bus], worst[bus] = idle_median, flood_worst
        print(f'{bus}: {calls} DiagnoseAll from {CONNECTIONS} connections, '
              f'8 connect checks: all answered in {flood_s * 1000:.0f} ms')
        print(f'Ping idle:         median {idle_median:7.3f} ms, worst {idle_worst:7.3f} ms '
              f'({len(idle)} pings)')
        print(f'Ping during flood: median {flood_median:7.3f} ms, worst {flood_worst:7.3f} ms '
              f'({len(flooded)} pings)')
        print(f'ratio to idle:     median {flood_median / idle_median:.1f}x, '
              f'worst {flood_worst / idle_worst:.1f}x (goal: worst <= 250 ms)')
        print(f'peak threads: {peak} (stated constant: 3)\n')
    print(f'dbus-broker against dbus-daemon: idle Ping median '
          f'{idle_medians[BUSES[1]] / idle_medians[BUSES[0]]:.2f}x, worst Ping during the '
          f'flood {worst[BUSES[1]] / worst[BUSES[0]]:.2f}x')
    return 0


if __name__ == '__main__':
    sys.exit(main())
