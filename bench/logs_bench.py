#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""GetUnitLogs and GetUnitStatus of the real service against the reference's way.

A real journald in the systemd sandbox holds 100 000 entries written by 25 units; the bench
reads 200 lines of one of them with GetUnitLogs, against one
`journalctl --no-pager --lines=200 --unit U` process on the same journal (the reference's
get_logs()), and a unit's status with GetUnitStatus, against one `systemctl show U` process.
Each figure is the median of several runs of the same run of the bench; the ratio is what
counts. Needs root and unshare, like the integration tests:

    build/bench/logs-bench [runs]    (or: meson test -C build --benchmark logs-bench)
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import dbus

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests',
                                'service'))
import harness  # noqa: E402

UNITS = 25
LINES_PER_UNIT = 4000  # under journald's per-unit rate limit of 10 000 per 30 s
TARGET = 'plinth-bench-logs-7.service'


def write_units(directory):
    paths = []
    for i in range(UNITS):
        path = os.path.join(directory, f'plinth-bench-logs-{i}.service')
        with open(path, 'w', encoding='utf-8') as unit:
            # It stays alive: journald names the unit of a line from the cgroup of a
            # sender it can still see.
            unit.write('[Service]\n'
                       f"ExecStart=/bin/bash -c 'sleep 0.5; for ((i = 1; i <= {LINES_PER_UNIT}; "
                       f"i++)); do echo \"unit {i} line $$i\"; done; exec sleep infinity'\n")
        paths.append(path)
    return paths


def write_app(directory):
    os.makedirs(directory)
    with open(os.path.join(directory, 'bench.toml'), 'w', encoding='utf-8') as app:
        app.write('[app]\nid = "bench"\n')
        for i in range(UNITS):
            app.write(f'\n[[components]]\nkind = "related-daemon"\nid = "r{i}"\n'
                      f'unit = "plinth-bench-logs-{i}.service"\n')


# Prints the median milliseconds of running argv[2:] argv[1] times.
TIME_INSIDE = '''
import statistics, subprocess, sys, time
samples = []
for _ in range(int(sys.argv[1])):
    start = time.perf_counter()
    subprocess.run(sys.argv[2:], capture_output=True, check=True)
    samples.append((time.perf_counter() - start) * 1000)
print(statistics.median(samples))
'''


def median_ms(fn, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    work = tempfile.mkdtemp(prefix='pd-lb-', dir='/tmp')
    sandbox = harness.Sandbox(write_units(work), journald=True)
    service = None
    private_bus = None
    try:
        journal = sandbox.journal_dir()
        sandbox.systemctl('start', *[f'plinth-bench-logs-{i}.service' for i in range(UNITS)])

        def entries_written():
            # Like grep, journalctl --grep exits 1 while nothing matches yet.
            return subprocess.run(['journalctl', '-D', journal, '--no-pager', '-q', '-o', 'cat',
                                   '--grep', '^unit [0-9]+ line'], capture_output=True,
                                  text=True, check=False).stdout.count('\n')
        harness.wait_until(lambda: entries_written() >= UNITS * LINES_PER_UNIT, 60)
        count = entries_written()
        write_app(os.path.join(work, 'apps.d'))
        private_bus = harness.PrivateBus(work)
        with open(os.path.join(work, 'plinth-daemons.toml'), 'w', encoding='utf-8'):
            pass
        service = harness.Service(sandbox, [os.path.join(work, 'apps.d')],
                                  os.path.join(work, 'state'), 'none',
                                  ['--config', os.path.join(work, 'plinth-daemons.toml'),
                                   '--journal-dir', journal, '--log-level', 'warn'],
                                  bus=private_bus.address)
        bus = dbus.bus.BusConnection(service.bus)
        daemons = dbus.Interface(bus.get_object(harness.BUS_NAME, harness.OBJECT_PATH),
                                 harness.INTERFACE)

        entries = daemons.GetUnitLogs(TARGET, 200, '')
        if len(entries) != 200:
            last = subprocess.run(['journalctl', '-D', journal, '--no-pager', '-n', '2', '-o',
                                   'verbose'], capture_output=True, text=True, check=False)
            named = subprocess.run(['journalctl', '-D', journal, '--no-pager', '-q', '-o', 'cat',
                                    '-u', TARGET], capture_output=True, text=True,
                                   check=False).stdout.count('\n')
            with open(os.path.join(sandbox.dir, 'journald.log'), encoding='utf-8') as log:
                journald = log.read()[-2000:]
            sys.exit(f'journalctl -u finds {named}; journald said: {journald}\n'
                     f'GetUnitLogs gave {len(entries)} entries, not 200, of {count}; the '
                     f'journal ends with:\n{last.stdout}{last.stderr}\n' + service.log()[-3000:])
        reference = ['journalctl', '-D', journal, '--no-pager', '--lines=200', '--unit', TARGET]
        lines = subprocess.run(reference, capture_output=True, text=True, check=True).stdout
        assert lines.count(f'unit 7 line {LINES_PER_UNIT}') == 1

        logs = median_ms(lambda: daemons.GetUnitLogs(TARGET, 200, ''), runs * 10)
        ping = median_ms(lambda: bus.call_blocking(harness.BUS_NAME, harness.OBJECT_PATH,
                                                   'org.freedesktop.DBus.Peer', 'Ping',
                                                   '', ()), runs * 10)
        # Called as Ping is, without the proxy's Python on top: an answer from memory costs
        # about a round trip, so the proxy's own overhead would be a good part of it. Ten
        # times the runs: a call is a fraction of a millisecond, and the median steadier.
        status = median_ms(lambda: bus.call_blocking(harness.BUS_NAME, harness.OBJECT_PATH,
                                                     harness.INTERFACE, 'GetUnitStatus', 's',
                                                     (TARGET,)), runs * 10)
        # The processes last: each reads the whole journal, and what that evicts from the
        # caches slows the calls measured after it (Ping by half again, seen here).
        journalctl = median_ms(lambda: subprocess.run(reference, capture_output=True,
                                                      check=True), runs)
        # Timed inside the sandbox's namespaces: entering them (70 ms, and far noisier than
        # systemctl itself on a busy machine) is no part of what systemctl costs.
        show = ['systemctl', '--user', 'show', TARGET]
        systemctl = float(subprocess.run(
            [harness.SANDBOX, 'run', sandbox.dir, '/usr/bin/python3', '-c', TIME_INSIDE,
             str(runs)] + show, capture_output=True, text=True,
            check=True).stdout)

        print(f'journal: {count} entries from {UNITS} units; medians of {runs} runs '
              '(the bus calls: of ten times as many)')
        print(f'Peer.Ping from this client:           {ping:8.3f} ms')
        print(f'GetUnitLogs, 200 lines:               {logs:8.3f} ms')
        print(f'journalctl --lines=200 --unit:        {journalctl:8.3f} ms   '
              f'GetUnitLogs is {journalctl / logs:.1f}x faster')
        print(f'GetUnitStatus:                        {status:8.3f} ms')
        print(f'systemctl show, timed in the sandbox: {systemctl:8.3f} ms   GetUnitStatus is '
              f'{systemctl / status:.1f}x faster')
    finally:
        if service:
            service.stop()
        # Left running, its dbus-daemon would hold meson's output open until the timeout.
        if private_bus:
            private_bus.stop()
        sandbox.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    harness.exit_if_sandbox_unavailable()
    main()
