#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Thousands of random calls at the real plinth-daemons: random methods, signatures and values
(huge strings, garbage, wrong types). It must answer every one, stay up, and still answer good
calls rightly afterwards. PLINTH_FUZZ_SEED repeats a run; the seed is printed."""

import os
import random
import sys
import unittest

from gi.repository import GLib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import load  # noqa: E402
from harness import ServiceTestCase  # noqa: E402

APPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'apps')
UNITS = ['plinth-test-http.service', 'plinth-test-udp.service']
CALLS = 3000
CLIENTS = 8
OUR_METHODS = ['ListApps', 'GetAppComponents', 'IsAppEnabled', 'IsAppRunning', 'EnableApp',
               'DisableApp', 'DiagnoseApp', 'DiagnoseAll', 'ListManagedUnits', 'IsUnitEnabled',
               'IsUnitRunning', 'StartUnit', 'StopUnit', 'RestartUnit', 'TryRestartUnit',
               'ReloadUnit', 'TryReloadOrRestartUnit', 'EnableUnit', 'DisableUnit', 'MaskUnit',
               'UnmaskUnit', 'Reload', 'GetUnitStatus', 'GetUnitLogs', 'GetAppLogs',
               'FollowUnitLogs', 'FollowAppLogs', 'RepairApp']
INTERFACES = [harness.INTERFACE, 'org.freedesktop.DBus.Properties',
              'org.freedesktop.DBus.Introspectable', 'org.freedesktop.DBus.Peer',
              'org.freedesktop.Plinth.Nope']
BASIC_TYPES = 'sbyqiuxtdog'
# Answers a dropped or hung call would get instead of the service's own.
NOT_ANSWERED = {'org.freedesktop.DBus.Error.NoReply', 'org.freedesktop.DBus.Error.Timeout',
                'org.freedesktop.DBus.Error.ServiceUnknown',
                'org.freedesktop.DBus.Error.Disconnected'}


class Generator:
    """Random D-Bus call parameters, from one seed."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def string(self):
        kind = self.rng.randrange(6)
        if kind == 0:
            # Huge: far past any id or unit name.
            return self.rng.choice('ax.@-') * self.rng.choice([256, 4096, 1 << 20])
        if kind == 1:
            return ''
        if kind == 2:
            # Near-misses of what the service accepts; nothing that names a real app or
            # unit, so the random calls change nothing.
            return self.rng.choice(['Web', 'tools ', 'plinth-test-http.service ',
                                    'plinth-test-slow@.service', 'a@b@c.service',
                                    'x.socket', '../etc/passwd', 'web\n', ' web'])
        # Any characters but NUL, which a D-Bus string cannot hold.
        return ''.join(chr(self.rng.choice([self.rng.randrange(1, 128),
                                            self.rng.randrange(128, 0xD800)]))
                       for _ in range(self.rng.randrange(1, 64)))

    def basic(self, code):
        if code == 's':
            return self.string()
        if code == 'b':
            return self.rng.random() < 0.5
        if code == 'd':
            return self.rng.uniform(-1e308, 1e308)
        if code == 'o':
            return self.rng.choice(['/', '/org/freedesktop/Plinth/Daemons', '/a/b_c/d1'])
        if code == 'g':
            return self.rng.choice(['', 's', 'a{sv}', '(ii)'])
        bits = {'y': 8, 'q': 16, 'i': 32, 'u': 32, 'x': 64, 't': 64}[code]
        value = self.rng.getrandbits(bits)
        return value - (1 << (bits - 1)) if code in 'ix' else value

    def typed(self, depth=0):
        """A (signature, value) pair of any shape."""
        shape = self.rng.randrange(5) if depth < 2 else 0
        if shape <= 1:
            code = self.rng.choice(BASIC_TYPES)
            return code, self.basic(code)
        if shape == 2:
            code = self.rng.choice(BASIC_TYPES)
            return f'a{code}', [self.basic(code) for _ in range(self.rng.randrange(4))]
        if shape == 3:
            return 'a{sv}', {self.string(): GLib.Variant(*self.typed(depth + 1))
                             for _ in range(self.rng.randrange(3))}
        members = [self.typed(depth + 1) for _ in range(self.rng.randrange(1, 4))]
        return '(' + ''.join(s for s, _ in members) + ')', tuple(v for _, v in members)

    def member(self):
        if self.rng.random() < 0.7:
            return self.rng.choice(OUR_METHODS)
        first = self.rng.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_')
        rest = ''.join(self.rng.choice('abcdefghijklmnopqrstuvwxyzXYZ0123456789_')
                       for _ in range(self.rng.randrange(40)))
        return first + rest

    def call(self, _):
        interface = self.rng.choice(INTERFACES) if self.rng.random() < 0.3 else INTERFACES[0]
        arguments = [self.typed() for _ in range(self.rng.randrange(4))]
        if arguments and self.rng.random() < 0.5:
            # The right shape for most of our methods, with a wrong value.
            arguments = [('s', self.string())]
        signature = '(' + ''.join(s for s, _ in arguments) + ')'
        return interface, self.member(), GLib.Variant(signature, tuple(v for _, v in arguments))


class BusFuzzTest(ServiceTestCase):
    UNITS = UNITS
    APPS_DIR = APPS

    def good_answers(self):
        return [self.call('ListApps'), self.call('GetAppComponents', 's', 'web'),
                self.call('ListManagedUnits'), self.call('IsAppEnabled', 's', 'tools')]

    def test_random_calls_are_all_answered_and_change_nothing(self):
        seed = int(os.environ.get('PLINTH_FUZZ_SEED', random.SystemRandom().randrange(1 << 32)))
        print(f'PLINTH_FUZZ_SEED={seed}', file=sys.stderr)
        before = self.good_answers()

        generator = Generator(seed)
        replies = load.call_concurrently(self.service.bus, CLIENTS, range(CALLS),
                                         method_call=generator.call)

        self.assertIsNone(self.service.process.poll(), self.service.log())
        unanswered = [str(r) for r in replies
                      if isinstance(r, load.Error) and r.name in NOT_ANSWERED]
        self.assertEqual(unanswered, [], f'seed {seed}')
        # The calls reached the service and its checks, not only the bus's.
        names = {r.name for r in replies if isinstance(r, load.Error)}
        print(f'error replies: {sorted(names)}', file=sys.stderr)
        for name in ('InvalidArgument', 'InvalidUnitName'):
            self.assertIn(harness.ERROR_PREFIX + name, names, f'seed {seed}')
        self.assertIn('org.freedesktop.DBus.Error.UnknownMethod', names, f'seed {seed}')
        self.assertEqual(self.good_answers(), before, f'seed {seed}')


if __name__ == '__main__':
    harness.run_under_private_bus(os.path.abspath(__file__))
    unittest.main(verbosity=2)
