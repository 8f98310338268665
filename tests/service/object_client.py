# SPDX-License-Identifier: LGPL-2.1-or-later
"""A toolkit client of the service's objects: GLib's GDBusObjectManagerClient, as a GTK app
uses it, recording the signals it sees."""

import time

from gi.repository import Gio, GLib

import harness

APP_INTERFACE = 'org.freedesktop.Plinth.Daemons.App'
UNIT_INTERFACE = 'org.freedesktop.Plinth.Daemons.Unit'
APP_PREFIX = harness.OBJECT_PATH + '/app/'
UNIT_PREFIX = harness.OBJECT_PATH + '/unit/'


def escape(name):
    """sd_bus_path_encode()'s escaping, written out independently of the service."""
    if not name:
        return '_'
    out = []
    for index, char in enumerate(name):
        if char.isascii() and (char.isalpha() or (index > 0 and char.isdigit())):
            out.append(char)
        else:
            out.extend(f'_{byte:02x}' for byte in char.encode())
    return ''.join(out)


def app_path(app_id):
    return APP_PREFIX + escape(app_id)


def unit_path(unit):
    return UNIT_PREFIX + escape(unit)


class ObjectClient:
    """One connection with one object manager client; signals land in lists."""

    def __init__(self, address):
        flags = (Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
                 Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION)
        self.connection = Gio.DBusConnection.new_for_address_sync(address, flags, None, None)
        self.changes = []   # (object path, interface, {property: value})
        self.added = []     # object paths
        self.removed = []
        # All of them in the order they came: ('added' | 'removed', path) or
        # ('changed', path, {property: value}).
        self.events = []
        self.manager = Gio.DBusObjectManagerClient.new_sync(
            self.connection, Gio.DBusObjectManagerClientFlags.NONE, harness.BUS_NAME,
            harness.OBJECT_PATH, None, None, None)
        self.manager.connect('interface-proxy-properties-changed', self._changed)
        self.manager.connect('object-added', lambda _m, obj: self._came('added', obj))
        self.manager.connect('object-removed', lambda _m, obj: self._came('removed', obj))

    def _changed(self, _manager, obj, interface, changed, _invalidated):
        self.changes.append((obj.get_object_path(), interface.get_interface_name(),
                             changed.unpack()))
        self.events.append(('changed', obj.get_object_path(), changed.unpack()))

    def _came(self, what, obj):
        getattr(self, what).append(obj.get_object_path())
        self.events.append((what, obj.get_object_path()))

    def forget(self):
        """Clears what was seen so far."""
        for seen in (self.changes, self.added, self.removed, self.events):
            seen.clear()

    def paths(self, prefix):
        return sorted(o.get_object_path() for o in self.manager.get_objects()
                      if o.get_object_path().startswith(prefix))

    def proxy(self, path, interface):
        return self.manager.get_interface(path, interface)

    def property(self, path, interface, name):
        proxy = self.proxy(path, interface)
        value = proxy.get_cached_property(name) if proxy else None
        return value.unpack() if value is not None else None

    def call(self, path, interface, method, parameters=None):
        """Calls a method without interactive authorization, as GLib does by default;
        parameters is a GLib.Variant tuple or None."""
        reply = self.connection.call_sync(harness.BUS_NAME, path, interface, method,
                                          parameters, None, Gio.DBusCallFlags.NONE, 120000,
                                          None)
        return reply.unpack() if reply else None

    def call_for_fd(self, path, interface, method, parameters=None):
        """Calls a method that answers with one file descriptor; returns it, ours to close."""
        reply, fds = self.connection.call_with_unix_fd_list_sync(
            harness.BUS_NAME, path, interface, method, parameters, None,
            Gio.DBusCallFlags.NONE, 120000, None, None)
        return fds.get(reply.unpack()[0])

    def pump(self, predicate, timeout=10):
        """Dispatches GLib's events until predicate holds (True) or timeout passes."""
        context = GLib.MainContext.default()
        deadline = time.monotonic() + timeout
        while True:
            while context.iteration(False):
                pass
            if predicate():
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)

    def close(self):
        self.connection.close_sync(None)
