# SPDX-License-Identifier: LGPL-2.1-or-later
"""Cockpit's web server with a local session, serving the page from the build tree."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time

import processes

COCKPIT_WS = '/usr/lib/cockpit/cockpit-ws'
PACKAGE = 'plinth-daemons'
STARTUP_TIMEOUT_S = 20


def free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


class CockpitWs:
    """cockpit-ws on 127.0.0.1 without TLS or login, its bridge as user on system_bus.

    The page's files (package_dir) are copied into the bridge's XDG_DATA_HOME, where Cockpit
    finds a user's own packages."""

    def __init__(self, package_dir, system_bus, user='root'):
        entry = pwd.getpwnam(user)
        self.dir = tempfile.mkdtemp(prefix='pd-ws-', dir='/tmp')
        os.chmod(self.dir, 0o755)
        data = os.path.join(self.dir, 'data')
        shutil.copytree(package_dir, os.path.join(data, 'cockpit', PACKAGE))
        # Readable by the bridge's user whatever the umask made of the copies.
        for root, dirs, files in os.walk(data):
            for name in dirs:
                os.chmod(os.path.join(root, name), 0o755)
            for name in files:
                os.chmod(os.path.join(root, name), 0o644)
        os.chmod(data, 0o755)
        runtime = self.runtime = os.path.join(self.dir, 'run')
        os.mkdir(runtime, 0o700)
        os.chown(runtime, entry.pw_uid, entry.pw_gid)
        self.port = free_port()
        env = {
            'PATH': '/usr/sbin:/usr/bin:/sbin:/bin',
            'HOME': self.dir,
            'USER': user,
            'LANG': 'C.UTF-8',
            'XDG_DATA_HOME': data,
            'XDG_RUNTIME_DIR': runtime,
            'DBUS_SYSTEM_BUS_ADDRESS': system_bus,
        }
        command = [COCKPIT_WS, '--no-tls', '--address', '127.0.0.1', '--port', str(self.port),
                   '--local-session=cockpit-bridge']
        if entry.pw_uid != 0:
            command = ['setpriv', f'--reuid={entry.pw_uid}', f'--regid={entry.pw_gid}',
                       '--clear-groups'] + command
        self.log_path = os.path.join(self.dir, 'cockpit-ws.log')
        with open(self.log_path, 'w', encoding='utf-8') as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
        self._wait_listening()

    def _wait_listening(self):
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                socket.create_connection(('127.0.0.1', self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError('cockpit-ws did not listen:\n' + self.log())

    def url(self, fragment=''):
        return f'http://127.0.0.1:{self.port}/cockpit/@localhost/{PACKAGE}/index.html{fragment}'

    def log(self):
        with open(self.log_path, encoding='utf-8', errors='replace') as log:
            return log.read()

    def stop(self):
        processes.end(self.process)
        processes.end_all_with('XDG_RUNTIME_DIR', self.runtime)
        shutil.rmtree(self.dir, ignore_errors=True)
