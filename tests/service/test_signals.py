#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Signals forged by other peers: on a system bus any peer may send a signal to one connection
(Debian's system.conf allows every signal), and sd-bus hands it to a match that names a
well-known sender. The real service must trust systemd's and the bus driver's signals only
from their real senders: forged ones, well-typed or not, sent to each of its connections or to
everyone, change nothing a user would notice and never end it."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import unittest

import dbus

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import ServiceTestCase, wait_until  # noqa: E402

APPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'apps-signals')
HTTP = 'plinth-test-http.service'
CHATTY = 'plinth-test-chatty.service'
LEASED = 'plinth-test-legacy.service'
SLOW = 'plinth-test-slow-start.service'
NOBODY = 65534
SYSTEMD = 'org.freedesktop.systemd1'
DRIVER = 'org.freedesktop.DBus'
# Bounds on waiting, not measurements: a forged signal the service took would act within them.
SETTLE_S = 1
WAIT_S = 20

# Sends every signal the service listens to, forged: argv is the bus address, the destinations
# (a unique name each, or '' for a broadcast), then a JSON object of what to forge with.
FORGER = r'''
import json, sys, dbus, dbus.lowlevel
address, destinations, what = sys.argv[1], sys.argv[2].split(','), json.loads(sys.argv[3])
bus = dbus.bus.BusConnection(address)
MANAGER = ('/org/freedesktop/systemd1', 'org.freedesktop.systemd1.Manager')
PROPERTIES = 'org.freedesktop.DBus.Properties'
UNIT = 'org.freedesktop.systemd1.Unit'
failed = dbus.Dictionary({'ActiveState': 'failed', 'SubState': 'failed',
                          'LoadState': 'not-found'}, signature='sv')
ill_typed_states = dbus.Dictionary({'ActiveState': dbus.UInt32(3), 'SubState': True},
                                   signature='sv')
signals = []
for name in what['names']:
    signals.append(('/org/freedesktop/DBus', 'org.freedesktop.DBus', 'NameOwnerChanged',
                    'sss', (name, what['owners'].get(name, name), '')))
signals += [
    ('/org/freedesktop/DBus', 'org.freedesktop.DBus', 'NameOwnerChanged', 'sss',
     ('org.freedesktop.systemd1', '', ':1.9999')),
    ('/org/freedesktop/DBus', 'org.freedesktop.DBus', 'NameOwnerChanged', 'u', (7,)),
    ('/org/freedesktop/DBus', 'org.freedesktop.DBus', 'NameOwnerChanged', 's', ('x',)),
]
for job in what['jobs']:
    signals += [
        MANAGER + ('JobRemoved', 'uoss', (int(job.rsplit('/', 1)[1]), job, what['slow'], 'failed')),
        MANAGER + ('JobRemoved', 'suus', ('x', 1, 2, 'failed')),
        MANAGER + ('JobRemoved', 'uo', (1, job)),
    ]
signals += [
    MANAGER + ('JobRemoved', 'uuss', (1, 2, 'x', 'failed')),
    MANAGER + ('UnitNew', 'so', (what['unit'], what['unit_path'])),
    MANAGER + ('UnitNew', 'ub', (1, True)),
    MANAGER + ('UnitRemoved', 'so', (what['unit'], what['unit_path'])),
    MANAGER + ('UnitRemoved', 'ii', (1, 2)),
    MANAGER + ('UnitFilesChanged', '', ()),
    MANAGER + ('UnitFilesChanged', 'as', (['x'],)),
    MANAGER + ('Reloading', 'b', (True,)),
    MANAGER + ('Reloading', 'b', (False,)),
    MANAGER + ('Reloading', 's', ('no',)),
    MANAGER + ('Reloading', '', ()),
    (what['unit_path'], PROPERTIES, 'PropertiesChanged', 'sa{sv}as', (UNIT, failed, [])),
    (what['unit_path'], PROPERTIES, 'PropertiesChanged', 'sa{sv}as',
     (UNIT, ill_typed_states, ['ActiveState'])),
    (what['unit_path'], PROPERTIES, 'PropertiesChanged', 'su', (UNIT, 5)),
    (what['unit_path'], PROPERTIES, 'PropertiesChanged', 's', (UNIT,)),
    (MANAGER[0], PROPERTIES, 'PropertiesChanged', 'sa{sv}as',
     (MANAGER[1], dbus.Dictionary({'Version': 'forged'}, signature='sv'), [])),
    (MANAGER[0], PROPERTIES, 'PropertiesChanged', 'ab', ([True],)),
]
for destination in destinations:
    for path, interface, member, signature, args in signals:
        message = dbus.lowlevel.SignalMessage(path, interface, member)
        if destination:
            message.set_destination(destination)
        if signature:
            message.append(*args, signature=signature)
        bus.send_message(message)
bus.flush()
print(len(signals) * len(destinations))
'''


def bus_call(address, method, signature='', *args):
    """One call to the bus driver with busctl; its JSON reply data."""
    result = subprocess.run(
        ['busctl', f'--address={address}', '--json=short', 'call', DRIVER,
         '/org/freedesktop/DBus', DRIVER, method] + ([signature] + list(args) if signature else []),
        capture_output=True, text=True, check=True)
    return json.loads(result.stdout)['data']


def connections_of(address, pid):
    """The unique names a process holds on a bus, found through the driver."""
    names = []
    for name in bus_call(address, 'ListNames')[0]:
        if not name.startswith(':'):
            continue
        try:
            if bus_call(address, 'GetConnectionUnixProcessID', 's', name)[0] == pid:
                names.append(name)
        except subprocess.CalledProcessError:
            pass  # gone meanwhile
    return names


def unit_object(unit):
    """systemd's object path for a unit: sd_bus_path_encode's escaping."""
    escaped = ''.join(c if c.isalnum() else f'_{ord(c):02x}' for c in unit)
    return '/org/freedesktop/systemd1/unit/' + escaped


class SignalForgeryTest(ServiceTestCase):

    UNITS = [HTTP, CHATTY, LEASED, SLOW]
    APPS_DIR = APPS
    JOURNALD = True

    def setUp(self):
        self.sandbox.systemctl('start', HTTP, CHATTY, check=True)
        self.addCleanup(self.sandbox.systemctl, 'stop', HTTP, CHATTY)
        self.addCleanup(self.sandbox.systemctl, 'disable', '--now', SLOW, LEASED)
        self.assertTrue(wait_until(lambda: self.call('IsAppRunning', 's', 'site') == [True],
                                   WAIT_S))

    def forge(self, address, destinations, what, user=None):
        """Runs the forger on a bus as user; the number of signals it sent."""
        cmd = harness.as_user(['/usr/bin/python3', '-c', FORGER, address,
                               ','.join(destinations), json.dumps(what)], user)
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        return int(result.stdout)

    def client(self):
        connection = dbus.bus.BusConnection(self.service.bus)
        self.addCleanup(connection.close)
        return connection, dbus.Interface(
            connection.get_object(harness.BUS_NAME, harness.OBJECT_PATH), harness.INTERFACE)

    def slow_job(self):
        """The path of the start job of SLOW, once systemd runs one."""
        for line in self.sandbox.systemctl('list-jobs', '--no-legend').splitlines():
            fields = line.split()
            if len(fields) >= 2 and fields[1] == SLOW:
                return f'/org/freedesktop/systemd1/job/{fields[0]}'
        return None

    def dropped(self, connection):
        """The members of the signals sent to connection that the service's gate dropped,
        from its debug lines."""
        return set(re.findall(r'Dropped the signal [\w.]+\.(\w+) on \S+ from :[\d.]+ to ' +
                              re.escape(connection) + ' ', self.service.log()))

    def property(self, path, interface, name):
        result = subprocess.run(
            ['busctl', f'--address={self.service.bus}', '--json=short', 'get-property',
             harness.BUS_NAME, path, interface, name], capture_output=True, text=True,
            check=True)
        return json.loads(result.stdout)['data']

    def assertNothingChanged(self):
        self.assertIsNone(self.service.process.poll(), self.service.log())
        self.assertEqual(self.call('IsAppRunning', 's', 'site'), [True])
        self.assertEqual(self.call('IsUnitRunning', 's', HTTP), [True])
        self.assertTrue(self.property(harness.OBJECT_PATH + '/app/site',
                                      harness.INTERFACE + '.App', 'Running'))
        unit = harness.OBJECT_PATH + '/unit/' + unit_object(HTTP).rsplit('/', 1)[1]
        self.assertEqual(self.property(unit, harness.INTERFACE + '.Unit', 'ActiveState'),
                         'active')
        self.assertEqual(self.sandbox.systemctl('is-active', LEASED), 'active')

    def test_forged_signals_change_nothing(self):
        holder, holder_daemons = self.client()
        was_running, lease = holder_daemons.EnsureUnitRunning(LEASED)
        lease_fd = lease.take()
        self.addCleanup(os.close, lease_fd)
        self.assertFalse(was_running)
        follower, follower_daemons = self.client()
        stream = socket.socket(fileno=follower_daemons.FollowUnitLogs(CHATTY, '').take())
        self.addCleanup(stream.close)
        stream.settimeout(WAIT_S)

        service_bus = connections_of(self.service.bus, self.service.process.pid)
        systemd_bus = connections_of(self.sandbox.bus, self.service.process.pid)
        self.assertEqual((len(service_bus), len(systemd_bus)), (1, 1))
        systemd_owner = bus_call(self.sandbox.bus, 'GetNameOwner', 's', SYSTEMD)[0]

        # An EnableApp whose start job runs while everything is forged.
        enabling = subprocess.Popen(
            ['gdbus', 'call', '--address', self.service.bus, '--dest', harness.BUS_NAME,
             '--object-path', harness.OBJECT_PATH, '--method',
             f'{harness.INTERFACE}.EnableApp', 'slow'],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertTrue(wait_until(lambda: self.slow_job() is not None, WAIT_S),
                        self.sandbox.systemctl('list-jobs'))
        what = {
            'names': [holder.get_unique_name(), follower.get_unique_name(), SYSTEMD],
            'owners': {SYSTEMD: systemd_owner},
            'jobs': [self.slow_job()],
            'slow': SLOW,
            'unit': HTTP,
            'unit_path': unit_object(HTTP),
        }
        # The service's own bus is a system bus: an unprivileged peer forges there. Only
        # root may connect to the sandbox's session-type bus, which stands in for the system
        # bus systemd is on elsewhere: a peer of root's forges there, which is no different to
        # the service: neither is the sender it trusts.
        sent = self.forge(self.service.bus, service_bus + [''], what, user=NOBODY)
        sent += self.forge(self.sandbox.bus, systemd_bus + [''], what)
        self.assertGreater(sent, 0)

        _, err = enabling.communicate(timeout=60)
        self.assertEqual(enabling.returncode, 0, err + self.service.log())
        self.assertEqual(self.sandbox.systemctl('is-active', SLOW), 'active')
        self.assertEqual(self.call('IsAppRunning', 's', 'slow'), [True])

        time.sleep(SETTLE_S)
        self.assertNothingChanged()
        # The stream still flows to its caller.
        self.sandbox.systemctl('kill', '--signal=SIGUSR1', CHATTY)
        self.assertIn(b'"ping ', stream.recv(4096))
        # The forged signals sent to one of the service's connections reached it, and were
        # dropped there; those sent to everyone never reach it: the bus daemon checks the
        # sender of a broadcast against the match.
        # The service follows only the driver's signals on the bus it serves on.
        expected = {service_bus[0]: {'NameOwnerChanged'},
                    systemd_bus[0]: {'NameOwnerChanged', 'JobRemoved', 'UnitNew', 'UnitRemoved',
                                     'UnitFilesChanged', 'Reloading', 'PropertiesChanged'}}
        for connection, members in expected.items():
            self.assertTrue(wait_until(lambda: self.dropped(connection) == members, WAIT_S),
                            f'{connection}: {self.dropped(connection)}\n{self.service.log()}')

        # A real change still counts: systemd's own signals pass the gate.
        self.sandbox.systemctl('stop', HTTP)
        self.assertTrue(wait_until(lambda: self.call('IsAppRunning', 's', 'site') == [False],
                                   WAIT_S))
        # And the lease ends when its holder really leaves.
        holder.close()
        self.assertTrue(wait_until(
            lambda: self.sandbox.systemctl('is-active', LEASED) == 'inactive', WAIT_S))


if __name__ == '__main__':
    harness.run_under_private_bus(__file__)
    unittest.main(verbosity=2)
