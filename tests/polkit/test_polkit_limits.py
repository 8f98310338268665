#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Authorization under pressure, decided by the real polkitd: a caller polkit would let in only
after a password, asking without allowing that, hears InteractiveAuthorizationRequired; a caller
keeping many slow checks waiting is told Busy past its limit while others are served; a caller
that leaves has its checks cancelled, and another peer saying it left cancels nothing."""

import json
import os
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from polkit_sandbox import RULES, PolkitServiceTestCase, exit_unless_runnable  # noqa: E402
import harness  # noqa: E402  (found through polkit_sandbox's path)
import load  # noqa: E402  (found through polkit_sandbox's path)

UNIT = 'plinth-test-http.service'
# Managed too (app web's shared daemon); root operates it while uid 2 floods.
OTHER_UNIT = 'plinth-test-udp.service'
LIMITS_RULES = os.path.join(HERE, 'rules', '45-plinth-limits.rules')
# What the limits rules make of uid 2: start needs a password, try-restart is slow.
LIMITED_UID = 2
# Authority::kMaxPendingPerCaller
MAX_PENDING_PER_CALLER = 8
SERVICE_TESTS = os.path.join(HERE, '..', 'service')
# Sends the calls given as JSON in argv[2] at once over one connection, prints the replies.
FLOOD_CLIENT = '''
import json, sys
sys.path.insert(0, sys.argv[1])
import load
calls = [(method, tuple(args)) for method, args in json.loads(sys.argv[2])]
print(json.dumps([str(r) if isinstance(r, load.Error) else r
                  for r in load.call_concurrently(sys.argv[3], 1, calls)]))
'''

# Says it is on the bus, then asks for one slow check and prints the reply or the error's name.
WAITING_CLIENT = '''
import sys, dbus
bus = dbus.bus.BusConnection(sys.argv[1])
print(bus.get_unique_name(), flush=True)
try:
    bus.call_blocking(sys.argv[2], sys.argv[3], sys.argv[4], 'TryRestartUnit', 's', [sys.argv[5]],
                      timeout=60)
    print('done')
except dbus.exceptions.DBusException as e:
    print(e.get_dbus_name())
'''
# Forges the bus driver's NameOwnerChanged saying argv[2] left, to argv[3] and to everyone.
FORGER = '''
import sys, dbus, dbus.lowlevel
bus = dbus.bus.BusConnection(sys.argv[1])
for destination in (sys.argv[3], None):
    for signature, args in (('sss', (sys.argv[2], sys.argv[2], '')), ('u', (7,))):
        message = dbus.lowlevel.SignalMessage('/org/freedesktop/DBus', 'org.freedesktop.DBus',
                                              'NameOwnerChanged')
        if destination:
            message.set_destination(destination)
        message.append(*args, signature=signature)
        bus.send_message(message)
bus.flush()
'''
# Any other unprivileged user.
FORGER_UID = 65534


def gdbus(bus, method, *args, uid=None, interactive=False):
    cmd = ['gdbus', 'call', '--address', bus, '--dest', harness.BUS_NAME, '--object-path',
           harness.OBJECT_PATH, '--method', f'{harness.INTERFACE}.{method}']
    if interactive:
        cmd.append('--interactive')
    result = subprocess.run(harness.as_user(cmd + list(args), uid), capture_output=True,
                            text=True, check=False)
    return result.returncode, harness.gdbus_error_name(result.stderr), result.stderr


class PolkitLimitsTest(PolkitServiceTestCase):

    UNITS = [UNIT, OTHER_UNIT]
    APPS_DIR = os.path.join(HERE, '..', 'service', 'apps')
    POLKIT_RULES = (RULES, LIMITS_RULES)

    def flood_client(self, method, count):
        """A process of uid 2 with count calls of method in flight over one connection."""
        calls = json.dumps([[method, ['s', UNIT]]] * count)
        return subprocess.Popen(
            harness.as_user(['/usr/bin/python3', '-c', FLOOD_CLIENT, SERVICE_TESTS, calls,
                             self.service.bus], LIMITED_UID),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def test_a_password_needed_without_interaction_allowed_says_to_allow_it(self):
        code, name, err = gdbus(self.service.bus, 'StartUnit', UNIT, uid=LIMITED_UID)
        self.assertNotEqual(code, 0)
        self.assertEqual(name, 'org.freedesktop.DBus.Error.InteractiveAuthorizationRequired',
                         err)
        self.assertIn('--allow-interactive-authorization=yes', err)
        self.assertEqual(self.sandbox.systemctl('is-active', UNIT), 'inactive')

        # Allowed to interact, but with no agent to ask the password: refused as before.
        code, name, err = gdbus(self.service.bus, 'StartUnit', UNIT, uid=LIMITED_UID,
                                interactive=True)
        self.assertNotEqual(code, 0)
        self.assertEqual(name, harness.ERROR_PREFIX + 'NotAuthorized', err)
        self.assertEqual(self.sandbox.systemctl('is-active', UNIT), 'inactive')

    def test_a_caller_with_many_slow_checks_is_busy_while_others_are_served(self):
        client = self.flood_client('TryRestartUnit', MAX_PENDING_PER_CALLER + 4)
        # Give the flood time to reach the service.
        time.sleep(1)
        # Others go on meanwhile: reads, and changes by root, which polkit does not decide.
        self.assertIn('web', [app[0] for app in self.call('ListApps')[0]])
        self.call('StartUnit', 's', OTHER_UNIT)
        self.addCleanup(self.call, 'StopUnit', 's', OTHER_UNIT)
        self.assertEqual(self.sandbox.systemctl('is-active', OTHER_UNIT), 'active')

        out, err = client.communicate(timeout=120)
        self.assertEqual(client.returncode, 0, err)
        replies = json.loads(out)
        busy = [r for r in replies if isinstance(r, str)]
        self.assertEqual(len(busy), 4, replies)
        for reply in busy:
            self.assertTrue(reply.startswith(harness.ERROR_PREFIX + 'Busy: '), reply)
        # Granted after the slow rule: a try-restart of the stopped unit, which does nothing.
        self.assertEqual(replies.count([]), MAX_PENDING_PER_CALLER, replies)
        self.assertEqual(self.sandbox.systemctl('is-active', UNIT), 'inactive')

    def test_root_sending_many_changes_at_once_is_never_busy(self):
        self.maxDiff = None
        # polkit decides nothing for root: none of its calls waits, none counts.
        self.addCleanup(self.call, 'StopUnit', 's', OTHER_UNIT)
        replies = load.call_concurrently(self.service.bus, 1,
                                         [('StartUnit', ('s', OTHER_UNIT))] * 50)
        self.assertEqual([str(r) for r in replies], ['[]'] * 50)
        self.assertEqual(self.sandbox.systemctl('is-active', OTHER_UNIT), 'active')

    def test_the_checks_of_a_caller_that_leaves_are_cancelled(self):
        client = self.flood_client('TryRestartUnit', 3)
        # Long enough for the calls to reach polkit, far shorter than three slow checks.
        time.sleep(1.5)
        client.kill()
        client.wait()
        self.assertTrue(harness.wait_until(
            lambda: 'left the bus: cancelling its' in self.service.log(), 10),
            self.service.log())
        # The service goes on deciding for everyone else.
        self.assertIn('web', [app[0] for app in self.call('ListApps')[0]])
        code, name, err = gdbus(self.service.bus, 'StartUnit', UNIT, uid=LIMITED_UID)
        self.assertEqual(name, 'org.freedesktop.DBus.Error.InteractiveAuthorizationRequired',
                         err)

    def test_a_forged_name_owner_changed_cancels_no_check(self):
        client = subprocess.Popen(
            harness.as_user(['/usr/bin/python3', '-c', WAITING_CLIENT, self.service.bus,
                             harness.BUS_NAME, harness.OBJECT_PATH, harness.INTERFACE, UNIT],
                            LIMITED_UID),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        caller = client.stdout.readline().strip()
        service = subprocess.run(
            ['busctl', f'--address={self.service.bus}', 'call', 'org.freedesktop.DBus',
             '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'GetNameOwner', 's',
             harness.BUS_NAME], capture_output=True, text=True, check=True).stdout.split()[1]
        # Long enough for the call to reach polkit, shorter than its slow check.
        time.sleep(1)
        subprocess.run(harness.as_user(['/usr/bin/python3', '-c', FORGER, self.service.bus,
                                        caller, json.loads(service)], FORGER_UID), check=True)
        out, err = client.communicate(timeout=60)
        self.assertEqual(out.strip(), 'done', err + self.service.log())
        self.assertNotIn(f'{caller} left the bus', self.service.log())
        self.assertIsNone(self.service.process.poll())


if __name__ == '__main__':
    exit_unless_runnable(harness.SANDBOX)
    unittest.main(verbosity=2)
