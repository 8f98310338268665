# SPDX-License-Identifier: LGPL-2.1-or-later
"""The polkit sandbox for the tests: a private system bus with the real polkitd on it.

The bus carries the project's bus policy; polkitd knows the project's built actions and the
test rules (rules/50-plinth-test.rules), and nothing of the host's.
"""

import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'service'))
from harness import ServiceTestCase, as_user  # noqa: E402

SANDBOX = os.environ.get('PLINTH_POLKIT_SANDBOX')
BUS_POLICY = os.environ.get('PLINTH_BUS_POLICY')
POLKIT_POLICY = os.environ.get('PLINTH_POLKIT_POLICY')
RULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'rules',
                     '50-plinth-test.rules')

ACTION_PREFIX = 'org.freedesktop.Plinth.Daemons.'

# pkcheck's exit codes; any other is an error.
AUTHORIZED = 0
NOT_AUTHORIZED = 1

# What the test rules grant: uid 1 one unit and one app; uid 65534 nothing.
GRANTED_UID = 1
UNGRANTED_UID = 65534


def exit_unless_runnable(*other_sandboxes):
    """Exits with a sandbox's own verdict (77 = skip) when it cannot run here."""
    for sandbox in (SANDBOX,) + other_sandboxes:
        check = subprocess.run([sandbox, 'check'], check=False)
        if check.returncode != 0:
            sys.exit(check.returncode)


class PolkitSandbox:
    """One private system bus and one polkitd, stopped by stop()."""

    def __init__(self, rules=(RULES,)):
        # Socket paths under the directory must stay short.
        self.dir = tempfile.mkdtemp(prefix='pk-', dir='/tmp')
        try:
            subprocess.run([SANDBOX, 'start', self.dir, BUS_POLICY, POLKIT_POLICY] + list(rules),
                           check=True)
        except subprocess.CalledProcessError:
            shutil.rmtree(self.dir, ignore_errors=True)
            raise
        with open(os.path.join(self.dir, 'env'), encoding='utf-8') as env:
            self.bus = env.read().strip().partition('=')[2]

    def pkcheck(self, uid, action, **details):
        """pkcheck's exit code for a live process of uid asking for one of our actions."""
        # The process says "ready" only once setpriv has switched to uid: checked earlier, it
        # would still be root's and always authorized.
        with subprocess.Popen(as_user(['sh', '-c', 'echo ready; exec sleep 60'], uid),
                              stdout=subprocess.PIPE, text=True) as process:
            try:
                if process.stdout.readline().strip() != 'ready':
                    raise RuntimeError(f'no process of uid {uid} to check')
                cmd = ['pkcheck', '--action-id', ACTION_PREFIX + action,
                       '--process', str(process.pid)]
                for key, value in details.items():
                    cmd += ['--detail', key, value]
                env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.bus)
                return subprocess.run(cmd, env=env, capture_output=True,
                                      check=False).returncode
            finally:
                process.kill()

    def stop_polkit(self):
        subprocess.run([SANDBOX, 'stop-polkit', self.dir], check=True)

    def start_polkit(self):
        subprocess.run([SANDBOX, 'start-polkit', self.dir], check=True)

    def polkit_log(self):
        with open(os.path.join(self.dir, 'polkitd.log'), encoding='utf-8',
                  errors='replace') as log:
            return log.read()

    def stop(self):
        subprocess.run([SANDBOX, 'stop', self.dir], check=True)
        shutil.rmtree(self.dir, ignore_errors=True)


class PolkitServiceTestCase(ServiceTestCase):
    """The real service with --authorization polkit, on a polkit sandbox's bus with RULES."""

    AUTHORIZATION = 'polkit'
    POLKIT_RULES = (RULES,)

    @classmethod
    def setUpClass(cls):
        cls.polkit = PolkitSandbox(cls.POLKIT_RULES)
        # The polkit sandbox's bus is this test's system bus: the service owns its name there.
        os.environ['DBUS_SYSTEM_BUS_ADDRESS'] = cls.polkit.bus
        try:
            super().setUpClass()
        except Exception:
            cls.polkit.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls.polkit.stop()
