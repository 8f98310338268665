#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""What follow streams cost the real service: its open files and resident memory per stream.

A real journald in the systemd sandbox keeps its journal in several files (rotated, as a
host's is); 4 callers open 16 FollowUnitLogs streams each (the per-caller limit). The service
under test is $PLINTH_DAEMONS; with a second binary as argument (say the build of an older
commit), both run the same steps on the same journal and the second is the baseline the
ratios compare to. Needs root and unshare, like the integration tests:

    build/bench/stream-fds [BASELINE_BINARY]   (or: meson test -C build --benchmark stream-fds)
"""

import glob
import os
import shutil
import signal
import sys
import tempfile

import dbus

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests',
                                'service'))
import harness  # noqa: E402

UNIT = 'plinth-bench-streams.service'
CALLERS = 4
STREAMS_PER_CALLER = 16
ROTATIONS = 7


def fds(pid):
    return len(os.listdir(f'/proc/{pid}/fd'))


def rss_kib(pid):
    with open(f'/proc/{pid}/status', encoding='utf-8') as status:
        return int(next(line for line in status if line.startswith('VmRSS:')).split()[1])


def measure(binary, sandbox, work, tag):
    """(fds per stream, KiB per stream) of binary."""
    harness.SERVICE = binary
    directory = os.path.join(work, tag)
    os.makedirs(directory)
    private_bus = harness.PrivateBus(directory)
    config = os.path.join(directory, 'plinth-daemons.toml')
    with open(config, 'w', encoding='utf-8'):
        pass
    service = harness.Service(sandbox, [os.path.join(work, 'apps.d')],
                              os.path.join(directory, 'state'), 'none',
                              ['--config', config, '--journal-dir', sandbox.journal_dir(),
                               '--log-level', 'warn'], bus=private_bus.address)
    connections = []
    streams = []
    try:
        pid = service.process.pid
        daemons = []
        for _ in range(CALLERS):
            connection = dbus.bus.BusConnection(service.bus)
            connections.append(connection)
            daemons.append(dbus.Interface(connection.get_object(harness.BUS_NAME,
                                                                harness.OBJECT_PATH),
                                          harness.INTERFACE))
        # One stream first, so that what is shared is counted once, outside the per-stream
        # figures; its memory settles too.
        streams.append(daemons[0].FollowUnitLogs(UNIT, '').take())
        fds_before, rss_before = fds(pid), rss_kib(pid)
        for index, caller in enumerate(daemons):
            for _ in range(STREAMS_PER_CALLER - (1 if index == 0 else 0)):
                streams.append(caller.FollowUnitLogs(UNIT, '').take())
        opened = len(streams) - 1
        return ((fds(pid) - fds_before) / opened, (rss_kib(pid) - rss_before) / opened,
                opened)
    finally:
        for fd in streams:
            os.close(fd)
        for connection in connections:
            connection.close()
        service.stop()
        private_bus.stop()


def main():
    baseline = sys.argv[1] if len(sys.argv) > 1 else None
    binary = os.environ['PLINTH_DAEMONS']
    work = tempfile.mkdtemp(prefix='pd-sf-', dir='/tmp')
    unit = os.path.join(work, UNIT)
    with open(unit, 'w', encoding='utf-8') as out:
        out.write("[Service]\nExecStart=/bin/bash -c 'echo ready; exec sleep infinity'\n")
    os.makedirs(os.path.join(work, 'apps.d'))
    with open(os.path.join(work, 'apps.d', 'bench.toml'), 'w', encoding='utf-8') as app:
        app.write(f'[app]\nid = "bench"\n\n[[components]]\nkind = "daemon"\nid = "d"\n'
                  f'unit = "{UNIT}"\n')
    sandbox = harness.Sandbox([unit], journald=True)
    try:
        sandbox.systemctl('start', UNIT)
        journal = sandbox.journal_dir()
        for _ in range(ROTATIONS):
            before = len(glob.glob(os.path.join(journal, '*', '*.journal')))
            os.kill(int(sandbox.env['JOURNALD_PID']), signal.SIGUSR2)
            harness.wait_until(
                lambda: len(glob.glob(os.path.join(journal, '*', '*.journal'))) > before, 10)
        files = len(glob.glob(os.path.join(journal, '*', '*.journal')))

        per_fd, per_kib, opened = measure(binary, sandbox, work, 'after')
        print(f'journal: {files} files; {opened} streams from {CALLERS} callers')
        print(f'this build:  {per_fd:6.2f} fds and {per_kib:8.1f} KiB resident per stream')
        if baseline:
            base_fd, base_kib, _ = measure(baseline, sandbox, work, 'before')
            print(f'baseline:    {base_fd:6.2f} fds and {base_kib:8.1f} KiB resident per stream')
            print(f'fds per stream: {per_fd / base_fd:.3f}x the baseline\'s '
                  f'({base_fd / per_fd:.1f}x fewer)')
            # Resident memory a stream adds can be below a page: too small to divide by.
            print(f'memory per stream: {max(per_kib, 0) / base_kib:.5f}x the baseline\'s')
    finally:
        sandbox.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    harness.exit_if_sandbox_unavailable()
    main()
