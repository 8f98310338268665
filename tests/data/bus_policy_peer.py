# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Both ends of the bus policy test, on a bus given by address:
#   serve ADDRESS  own org.freedesktop.Plinth.Daemons and answer until killed; prints "owned"
#                  or the error and exits 1
#   own ADDRESS    try to own the name; prints "owned" or the D-Bus error name
#   call ADDRESS   call what a client calls; prints one "what: result" line each
# Runs under /usr/bin/python3, which has the dbus and gi modules.

import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

NAME = "org.freedesktop.Plinth.Daemons"
PATH = "/org/freedesktop/Plinth/Daemons"
HIDDEN = "org.example.NotInThePolicy"


def connect(address):
    return dbus.bus.BusConnection(address)


def request_name(bus):
    try:
        reply = bus.request_name(NAME, dbus.bus.NAME_FLAG_DO_NOT_QUEUE)
    except dbus.exceptions.DBusException as error:
        return error.get_dbus_name()
    return "owned" if reply == dbus.bus.REQUEST_NAME_REPLY_PRIMARY_OWNER else f"reply {reply}"


class Service(dbus.service.Object):
    @dbus.service.method(NAME, out_signature="s")
    def Ping(self):
        self.Pinged()
        return "pong"

    @dbus.service.signal(NAME)
    def Pinged(self):
        pass

    @dbus.service.method(HIDDEN, out_signature="s")
    def Secret(self):
        return "secret"

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature="ss", out_signature="v")
    def Get(self, interface, prop):
        return "0.1.0"


def serve(address):
    DBusGMainLoop(set_as_default=True)
    bus = connect(address)
    Service(bus, PATH)
    result = request_name(bus)
    print(result, flush=True)
    if result != "owned":
        return 1
    GLib.MainLoop().run()
    return 0


def call(address):
    DBusGMainLoop(set_as_default=True)
    bus = connect(address)
    loop = GLib.MainLoop()
    signals = []

    def on_pinged():
        signals.append("Pinged")
        loop.quit()

    bus.add_signal_receiver(on_pinged, "Pinged", NAME, NAME, PATH)
    proxy = bus.get_object(NAME, PATH, introspect=False)

    def attempt(what, method, interface, *args):
        try:
            getattr(proxy, method)(*args, dbus_interface=interface)
            print(f"{what}: ok")
        except dbus.exceptions.DBusException as error:
            print(f"{what}: {error.get_dbus_name()}")

    attempt("interface", "Ping", NAME)
    attempt("introspectable", "Introspect", dbus.INTROSPECTABLE_IFACE)
    attempt("properties", "Get", dbus.PROPERTIES_IFACE, NAME, "Version")
    attempt("peer", "Ping", "org.freedesktop.DBus.Peer")
    attempt("other-interface", "Secret", HIDDEN)

    # Blocking calls do not dispatch signals; the main loop delivers the queued one.
    GLib.timeout_add(2000, loop.quit)
    loop.run()
    print(f"signal: {'received' if signals else 'missing'}")
    return 0


def main():
    mode, address = sys.argv[1], sys.argv[2]
    if mode == "serve":
        return serve(address)
    if mode == "own":
        print(request_name(connect(address)))
        return 0
    if mode == "call":
        return call(address)
    print(f"unknown mode {mode}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
