# SPDX-License-Identifier: LGPL-2.1-or-later
"""Runs the real plinth-daemons on a private bus against a real systemd --user sandbox.

Tests use it through ServiceTestCase: each test class gets a fresh systemd sandbox with the
test units, the service started on the private system bus of dbus-test-runner, and helpers
that drive it through the real clients busctl and gdbus. With PLINTH_TEST_BUS=dbus-broker,
every bus (the system bus, the sandbox's, a test's own) is a dbus-broker instead.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

BUS_NAME = 'org.freedesktop.Plinth.Daemons'
OBJECT_PATH = '/org/freedesktop/Plinth/Daemons'
INTERFACE = 'org.freedesktop.Plinth.Daemons'
ERROR_PREFIX = 'org.freedesktop.Plinth.Daemons.Error.'

SERVICE = os.environ.get('PLINTH_DAEMONS')
SANDBOX = os.environ.get('PLINTH_SANDBOX')
UNITS_DIR = os.environ.get('PLINTH_TEST_UNITS')
# Which bus implementation runs every bus of the test: dbus-daemon or dbus-broker.
BUS = os.environ.get('PLINTH_TEST_BUS', 'dbus-daemon')
PRIVATE_BUS = os.path.join(os.path.dirname(SANDBOX or ''), 'private-bus')
BUS_CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'system-bus.conf')
STARTUP_TIMEOUT_S = 20
SKIP = 77


def wait_until(predicate, timeout):
    """Polls predicate until it holds (True) or timeout seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def exit_if_sandbox_unavailable():
    """Exits with the sandbox's own verdict (77 and why) where it cannot run."""
    check = subprocess.run([SANDBOX, 'check'], check=False)
    if check.returncode != 0:
        sys.exit(check.returncode)


def run_under_private_bus(script):
    """Re-runs script with a private system bus: a task of dbus-test-runner, or on a
    dbus-broker of its own (PLINTH_TEST_BUS=dbus-broker).

    A sandbox that cannot run here is a skip (exit 77, with the reason); tools/run-tests
    turns a skip into a failure under CI.
    """
    if os.environ.get('PLINTH_UNDER_TEST_RUNNER'):
        return
    exit_if_sandbox_unavailable()
    env = dict(os.environ, PLINTH_UNDER_TEST_RUNNER='1')
    if BUS == 'dbus-broker':
        work = tempfile.mkdtemp(prefix='pd-sysbus-', dir='/tmp')
        # Tests call as unprivileged users too: the socket must be reachable.
        os.chmod(work, 0o755)
        bus = PrivateBus(work)
        try:
            env['DBUS_SYSTEM_BUS_ADDRESS'] = bus.address
            code = subprocess.run(['/usr/bin/python3', script], env=env,
                                  check=False).returncode
        finally:
            bus.stop()
            shutil.rmtree(work, ignore_errors=True)
        sys.exit(code)
    runner = ['dbus-test-runner', '--bus-type=system', f'--dbus-config={BUS_CONFIG}',
              '--max-wait=600',
              '--task', '/usr/bin/python3', '--parameter', script]
    sys.exit(subprocess.run(runner, env=env, check=False).returncode)


class BusError(Exception):
    """A D-Bus error reply, with the message busctl printed."""


class Sandbox:
    """One systemd --user manager in a private mount namespace, with the test units."""

    def __init__(self, units, parent='/tmp', journald=False):
        """journald: a journald of the sandbox's own takes the units' output."""
        # Socket paths under the directory must stay short.
        self.dir = tempfile.mkdtemp(prefix='pd-', dir=parent)
        subprocess.run([SANDBOX, 'start', self.dir] + (['--journald'] if journald else []) +
                       units, check=True)
        self.env = {}
        with open(os.path.join(self.dir, 'env'), encoding='utf-8') as env:
            for line in env:
                key, _, value = line.strip().partition('=')
                self.env[key] = value
        self.bus = self.env['DBUS_SESSION_BUS_ADDRESS']

    def journal_dir(self):
        """Where the sandbox's journald writes, seen from outside its mount namespace."""
        return f"/proc/{self.env['JOURNALD_PID']}/root/run/log/journal"

    def systemctl(self, *args, check=False):
        """systemctl --user in the sandbox; returns stripped stdout."""
        result = subprocess.run([SANDBOX, 'run', self.dir, 'systemctl', '--user'] +
                                list(args), capture_output=True, text=True, check=check)
        return result.stdout.strip()

    def kill_manager(self):
        """SIGKILLs systemd and the units it ran; its bus stays."""
        subprocess.run([SANDBOX, 'kill-manager', self.dir], check=True)

    def start_manager(self):
        subprocess.run([SANDBOX, 'start-manager', self.dir], check=True)

    def freeze_manager(self):
        """The manager keeps its name but answers nothing, as one busy loading units."""
        subprocess.run([SANDBOX, 'freeze-manager', self.dir], check=True)

    def thaw_manager(self):
        subprocess.run([SANDBOX, 'thaw-manager', self.dir], check=True)

    def stop(self):
        subprocess.run([SANDBOX, 'stop', self.dir], check=True)
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateBus:
    """A system-type bus (PLINTH_TEST_BUS's) of a test's own, with its socket in directory."""

    def __init__(self, directory):
        socket_path = os.path.join(directory, 'bus')
        self.address = f'unix:path={socket_path}'
        self.process = subprocess.Popen([PRIVATE_BUS, BUS, BUS_CONFIG, socket_path])
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not os.path.exists(socket_path):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f'{BUS} did not start')
            time.sleep(0.02)

    def stop(self):
        self.process.kill()
        self.process.wait()


class Service:
    """The real plinth-daemons binary on the private system bus."""

    def __init__(self, sandbox, apps_dirs, state_dir, authorization='uid0', extra=(),
                 bus=None, wrapper=()):
        """bus defaults to dbus-test-runner's; wrapper is a command that execs the service."""
        self.bus = bus or os.environ['DBUS_SYSTEM_BUS_ADDRESS']
        os.makedirs(state_dir, exist_ok=True)
        self.log_path = os.path.join(os.path.dirname(state_dir), 'service.log')
        self.args = list(wrapper) + [SERVICE, '--bus', self.bus, '--systemd-bus', sandbox.bus,
                     '--state-dir', state_dir, '--authorization', authorization,
                     '--log-level', 'debug'] + list(extra)
        for apps_dir in apps_dirs:
            self.args += ['--apps-dir', apps_dir]
        self.process = None
        self.start()

    def start(self):
        with open(self.log_path, 'a', encoding='utf-8') as log:
            self.process = subprocess.Popen(self.args, stdout=log, stderr=log)
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not self.owns_name():
            if self.process.poll() is not None:
                raise RuntimeError(f'plinth-daemons exited with {self.process.returncode}:\n'
                                   + self.log())
            if time.monotonic() > deadline:
                raise RuntimeError('plinth-daemons did not own its name:\n' + self.log())
            time.sleep(0.02)

    def owns_name(self):
        result = subprocess.run(
            ['busctl', f'--address={self.bus}', 'call', 'org.freedesktop.DBus',
             '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'NameHasOwner', 's', BUS_NAME],
            capture_output=True, text=True, check=False)
        return result.stdout.strip() == 'b true'

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=timeout)

    def log(self):
        with open(self.log_path, encoding='utf-8', errors='replace') as log:
            return log.read()


def service_on_own_bus(test, apps_dir, units):
    """The service on a bus daemon of the test's own (which the test may kill), against a
    sandbox with units; everything stops at the test's cleanup. Returns (bus, service)."""
    sandbox = Sandbox([os.path.join(UNITS_DIR, u) for u in units])
    test.addCleanup(sandbox.stop)
    work = tempfile.mkdtemp(prefix='pd-bus-', dir='/tmp')
    test.addCleanup(shutil.rmtree, work, ignore_errors=True)
    bus = PrivateBus(work)
    test.addCleanup(bus.stop)
    service = Service(sandbox, [apps_dir], os.path.join(work, 'state'),
                      extra=['--config', '/dev/null'], bus=bus.address)
    test.addCleanup(service.stop)
    return bus, service


def busctl_call(bus, method, signature='', *args, user=None, timeout=120):
    """Calls one of our methods with busctl; returns its JSON reply data or raises BusError.

    busctl reports only the error's message; assertBusError checks names through gdbus.
    """
    cmd = ['busctl', f'--address={bus}', '--json=short', f'--timeout={timeout}', 'call',
           BUS_NAME, OBJECT_PATH, INTERFACE, method]
    if signature:
        cmd += [signature] + [str(a) for a in args]
    result = subprocess.run(as_user(cmd, user), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BusError(result.stderr.strip().removeprefix('Call failed: '))
    return json.loads(result.stdout)['data'] if result.stdout.strip() else None


def as_user(cmd, user):
    """cmd run as another uid, without root's groups."""
    if user is None:
        return cmd
    return ['setpriv', f'--reuid={user}', f'--regid={user}', '--clear-groups'] + cmd


def gdbus_call(bus, method, *args, timeout=120, user=None, path=OBJECT_PATH,
               interface=INTERFACE):
    """Calls one of our methods with gdbus; returns (returncode, stdout, stderr).

    path and interface reach the methods of the App and Unit objects."""
    cmd = ['gdbus', 'call', '--address', bus, '--dest', BUS_NAME, '--object-path',
           path, '--method', f'{interface}.{method}', '--timeout', str(timeout)]
    cmd = as_user(cmd + [str(a) for a in args], user)
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return result.returncode, result.stdout.strip(), result.stderr.strip()


def gdbus_error_name(stderr):
    """gdbus prints 'GDBus.Error:NAME: message'."""
    marker = 'GDBus.Error:'
    start = stderr.find(marker)
    if start < 0:
        return None
    rest = stderr[start + len(marker):]
    return rest.split(':', 1)[0]


class ServiceTestCase(unittest.TestCase):
    """A sandbox and a running service per test class."""

    UNITS = []
    APPS_DIR = None
    AUTHORIZATION = 'uid0'
    # The service's configuration file; always given, so no file on the host leaks in.
    CONFIG = ''
    # A command that execs the service, such as one giving it a namespace of its own.
    WRAPPER = ()
    # Whether the sandbox runs a journald, which the service then reads the logs from.
    JOURNALD = False

    @classmethod
    def setUpClass(cls):
        cls.sandbox = Sandbox([os.path.join(UNITS_DIR, u) for u in cls.UNITS],
                              journald=cls.JOURNALD)
        cls.work = tempfile.mkdtemp(prefix='pd-svc-', dir='/tmp')
        cls.state_dir = os.path.join(cls.work, 'state')
        cls.apps_dir = os.path.join(cls.work, 'apps.d')
        shutil.copytree(cls.APPS_DIR, cls.apps_dir)
        config = os.path.join(cls.work, 'plinth-daemons.toml')
        with open(config, 'w', encoding='utf-8') as out:
            out.write(cls.CONFIG)
        extra = ['--config', config]
        if cls.JOURNALD:
            extra += ['--journal-dir', cls.sandbox.journal_dir()]
        try:
            cls.service = Service(cls.sandbox, [cls.apps_dir], cls.state_dir,
                                  cls.AUTHORIZATION, extra, wrapper=cls.WRAPPER)
        except BaseException:
            cls.sandbox.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            # A clean exit is part of every test: in a sanitizer build a leak or any other
            # report found up to here, or at exit, makes the service exit non-zero.
            code = cls.service.stop()
            if code != 0:
                raise AssertionError(f'plinth-daemons exited with {code} on SIGTERM:\n'
                                     + cls.service.log())
        finally:
            cls.sandbox.stop()
            shutil.rmtree(cls.work, ignore_errors=True)

    def call(self, method, signature='', *args, **kwargs):
        return busctl_call(self.service.bus, method, signature, *args, **kwargs)

    def assertBusError(self, name, method, *args, user=None, **where):
        """Calls through gdbus, which reports the error name, and checks it.

        where may give the path and interface of an App or Unit object."""
        code, out, err = gdbus_call(self.service.bus, method, *args, user=user, **where)
        self.assertNotEqual(code, 0, f'{method} {args} succeeded: {out}')
        self.assertEqual(gdbus_error_name(err), ERROR_PREFIX + name, err)
        return err
