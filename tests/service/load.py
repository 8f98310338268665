# SPDX-License-Identifier: LGPL-2.1-or-later
"""Many calls in flight at once, from several connections, with GDBus's asynchronous calls."""

from gi.repository import Gio, GLib

from harness import BUS_NAME, INTERFACE, OBJECT_PATH

# A bound on one call, not a measurement: an unanswered call shows as a timeout error.
CALL_TIMEOUT_MS = 120_000


class Error:
    """An error reply: its D-Bus name and message."""

    def __init__(self, name, message):
        self.name = name
        self.message = message

    def __str__(self):
        return f'{self.name}: {self.message}'


def plain(value):
    """A reply's value as lists, strings, numbers and booleans, as busctl --json gives them."""
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def call_concurrently(address, clients, calls, method_call=None):
    """Sends every (method, (signature, *args) or None) of calls at once, spread over
    clients connections; returns each call's reply (a list) or Error, in the order of calls.

    method_call, if given, builds the (interface, method, parameters) of one call instead.
    """
    flags = (Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
             Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION)
    connections = [Gio.DBusConnection.new_for_address_sync(address, flags, None, None)
                   for _ in range(clients)]
    loop = GLib.MainLoop()
    replies = [None] * len(calls)
    pending = [len(calls)]

    def answered(connection, result, index):
        try:
            replies[index] = plain(connection.call_finish(result).unpack())
        except GLib.Error as error:
            name = Gio.DBusError.get_remote_error(error) or error.message
            Gio.DBusError.strip_remote_error(error)
            replies[index] = Error(name, error.message)
        pending[0] -= 1
        if pending[0] == 0:
            loop.quit()

    for index, call in enumerate(calls):
        if method_call:
            interface, method, parameters = method_call(call)
        else:
            method, arguments = call
            interface = INTERFACE
            parameters = (GLib.Variant(f'({arguments[0]})', tuple(arguments[1:]))
                          if arguments else None)
        connections[index % clients].call(BUS_NAME, OBJECT_PATH, interface, method,
                                          parameters, None, Gio.DBusCallFlags.NONE,
                                          CALL_TIMEOUT_MS, None, answered, index)
    if calls:
        loop.run()
    for connection in connections:
        connection.close_sync(None)
    return replies
