#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The real plinth-daemons flooded with diagnoses: hundreds in flight from several connections
while a unit starts and stops, a caller past its limit, and the bus lost mid-diagnosis."""

import os
import socket
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import load  # noqa: E402
from harness import ServiceTestCase  # noqa: E402

APPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'flood-apps')
HTTP = 'plinth-test-http.service'
# The port of app stuck's connect check (flood-apps/stuck.toml).
STUCK_PORT = 19491
# The threads the README states: the event loop, the diagnosis worker, the name resolver,
# the journal reader; ThreadSanitizer's runtime adds a background thread of its own.
MAX_THREADS = 4 + (os.environ.get('PLINTH_TSAN') == '1')
# DaemonsAdaptor::kMaxDiagnosesPerCaller; with the 20 more the test sends, still below
# dbus-daemon's 128 pending replies per connection.
MAX_DIAGNOSES_PER_CALLER = 100
# Bounds on waiting, not measurements: a hang fails instead of blocking.
EXIT_TIMEOUT_S = 10
PING_TIMEOUT_S = 10
FLOOD_CHECKS = (['daemon-running-' + HTTP, 'daemon-listening-tcp4-19471'] +
                ['daemon-netcat-127.0.0.1-19471', 'daemon-netcat-localhost-19471',
                 'daemon-netcat-negate-::1-19471', 'daemon-netcat-negate-127.0.0.1-19479',
                 'daemon-netcat-negate-127.0.0.1-19478', 'daemon-netcat-negate-::1-19479',
                 'daemon-netcat-negate-127.0.0.1-19477', 'daemon-netcat-negate-127.0.0.1-19476'])


class UnansweringListener:
    """A loopback listener whose accept queue is full: the kernel drops further SYNs, so a
    connect to it neither succeeds nor fails until the client gives up."""

    def __init__(self, port):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(('127.0.0.1', port))
        self.listener.listen(0)
        self.filler = socket.create_connection(('127.0.0.1', port))

    def close(self):
        self.filler.close()
        self.listener.close()


def thread_count(pid):
    return len(os.listdir(f'/proc/{pid}/task'))


def ping(bus):
    """Peer.Ping of the service; True when answered."""
    return subprocess.run(
        ['busctl', f'--address={bus}', f'--timeout={PING_TIMEOUT_S}', 'call', harness.BUS_NAME,
         harness.OBJECT_PATH, 'org.freedesktop.DBus.Peer', 'Ping'],
        capture_output=True, check=False).returncode == 0


class Watcher(threading.Thread):
    """Until stopped: the service's peak thread count, and Pings sent one after another."""

    def __init__(self, service):
        super().__init__()
        self.service = service
        self.stopped = threading.Event()
        self.peak_threads = 0
        self.pings = []

    def run(self):
        while not self.stopped.is_set():
            self.peak_threads = max(self.peak_threads, thread_count(self.service.process.pid))
            self.pings.append(ping(self.service.bus))

    def stop(self):
        self.stopped.set()
        self.join()


class FloodTest(ServiceTestCase):
    UNITS = [HTTP]
    APPS_DIR = APPS

    @classmethod
    def setUpClass(cls):
        cls.stuck = UnansweringListener(STUCK_PORT)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls.stuck.close()

    def assertFloodAnswer(self, checks):
        self.assertEqual([c[0] for c in checks], FLOOD_CHECKS)
        for check in checks:
            self.assertIn(check[2], ('passed', 'failed'), check)
            if 'negate' in check[0]:
                self.assertEqual(check[2], 'passed', check)

    def test_hundreds_of_diagnoses_are_all_answered_on_a_fixed_number_of_threads(self):
        self.addCleanup(self.sandbox.systemctl, 'stop', HTTP)
        stop_flapping = threading.Event()

        def flap():
            while not stop_flapping.is_set():
                self.sandbox.systemctl('start', HTTP)
                self.sandbox.systemctl('stop', HTTP)
        flapper = threading.Thread(target=flap)
        watcher = Watcher(self.service)
        calls = [('DiagnoseAll', None) if i % 2 else ('DiagnoseApp', ('s', 'flood'))
                 for i in range(400)]
        flapper.start()
        watcher.start()
        try:
            replies = load.call_concurrently(self.service.bus, 4, calls)
        finally:
            watcher.stop()
            stop_flapping.set()
            flapper.join()

        self.assertEqual(len(replies), len(calls))
        for (method, _), reply in zip(calls, replies):
            self.assertNotIsInstance(reply, load.Error, f'{method}: {reply}')
            if method == 'DiagnoseAll':
                self.assertEqual(sorted(reply[0]), ['flood', 'stuck'])
                self.assertFloodAnswer(reply[0]['flood'])
            else:
                self.assertFloodAnswer(reply[0])
        self.assertLessEqual(watcher.peak_threads, MAX_THREADS)
        self.assertTrue(watcher.pings, 'no Ping was sent during the flood')
        self.assertTrue(all(watcher.pings), f'Pings unanswered: {watcher.pings}')
        print(f'peak threads {watcher.peak_threads}, {len(watcher.pings)} Pings answered',
              file=sys.stderr)

    def test_a_caller_past_its_limit_is_busy_while_another_is_served(self):
        calls = [('DiagnoseApp', ('s', 'stuck'))] * (MAX_DIAGNOSES_PER_CALLER + 20)
        replies = []
        flooder = threading.Thread(
            target=lambda: replies.extend(load.call_concurrently(self.service.bus, 1, calls)))
        flooder.start()
        # Another connection is served while the first one's diagnoses wait.
        checks = self.call('DiagnoseApp', 's', 'flood')[0]
        self.assertFloodAnswer(checks)
        flooder.join()

        busy = [r for r in replies if isinstance(r, load.Error)]
        self.assertEqual(len(busy), 20, [str(r) for r in busy])
        for reply in busy:
            self.assertEqual(reply.name, harness.ERROR_PREFIX + 'Busy', str(reply))
            self.assertIn('wait for their answers', reply.message)
        answered = [r for r in replies if not isinstance(r, load.Error)]
        self.assertEqual(len(answered), MAX_DIAGNOSES_PER_CALLER)
        for reply in answered:
            self.assertEqual([(c[0], c[2]) for c in reply[0]],
                             [(f'daemon-netcat-127.0.0.1-{STUCK_PORT}', 'failed')])


class BusLostMidDiagnosisTest(unittest.TestCase):
    """The service's bus goes away while a diagnosis waits on a connect: it exits 1, cleanly
    (in a sanitizer build: without a report of a reply sent on a freed connection)."""

    def test_the_service_exits_cleanly(self):
        stuck = UnansweringListener(STUCK_PORT)
        self.addCleanup(stuck.close)
        bus, service = harness.service_on_own_bus(self, APPS, [HTTP])

        callers = [subprocess.Popen(
            ['gdbus', 'call', '--address', bus.address, '--dest', harness.BUS_NAME,
             '--object-path', harness.OBJECT_PATH, '--method',
             f'{harness.INTERFACE}.{method}'] + args,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for method, args in [('DiagnoseApp', ['stuck']), ('DiagnoseAll', [])]]
        # Far less than the connect timeout the stuck check waits out.
        time.sleep(1)
        bus.stop()
        for caller in callers:
            caller.wait(timeout=EXIT_TIMEOUT_S)
        self.assertEqual(service.process.wait(timeout=EXIT_TIMEOUT_S), 1, service.log())
        self.assertIn('lost the connection to the bus it serves on', service.log())


if __name__ == '__main__':
    harness.run_under_private_bus(os.path.abspath(__file__))
    unittest.main(verbosity=2)
