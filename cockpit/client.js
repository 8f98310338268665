// SPDX-License-Identifier: LGPL-2.1-or-later
// The one connection to plinth-daemons: live App and Unit proxies and the calls the page makes.

export const BUS_NAME = "org.freedesktop.Plinth.Daemons";
export const ROOT = "/org/freedesktop/Plinth/Daemons";
export const APP = "org.freedesktop.Plinth.Daemons.App";
export const UNIT = "org.freedesktop.Plinth.Daemons.Unit";

// systemd says "not accounted" with the largest uint64, which reaches the page as a number
// past 2^63 or, through a signed 64-bit JSON integer, as -1.
const NOT_ACCOUNTED = 2 ** 63;

export class Client {
    constructor() {
        // "try": with administrative access on, calls come from root; without it, from the
        // user, and the allow-interactive flag lets polkit ask through Cockpit's agent.
        this.bus = cockpit.dbus(BUS_NAME, { bus: "system", superuser: "try" });
        // One watch of the object manager: one GetManagedObjects, then InterfacesAdded/Removed
        // and PropertiesChanged keep every proxy current. The proxies only read what it
        // brings (each would otherwise ask GetManagedObjects for itself).
        this.watch = this.bus.watch({ path_namespace: ROOT });
        this.apps = this.bus.proxies(APP, ROOT, { watch: false });
        this.units = this.bus.proxies(UNIT, ROOT, { watch: false });
    }

    ready() {
        return this.watch;
    }

    // Calls a method that changes something allowing interactive authorization ("i", which
    // cockpit.dbus also sets when no flags are given): where polkit would accept a password
    // it asks through Cockpit's agent instead of the call failing with
    // InteractiveAuthorizationRequired.
    act(path, iface, method, args = []) {
        return this.bus.call(path, iface, method, args, { flags: "i" });
    }

    read(path, iface, method, args = []) {
        return this.bus.call(path, iface, method, args).then(reply => reply[0]);
    }

    appById(id) {
        return Object.values(this.apps).find(app => app.Id === id);
    }

    unitProxy(path) {
        return this.units[path];
    }

    unitStatus(path) {
        return this.read(path, UNIT, "GetStatus").then(status => {
            const value = name => (status[name] ? status[name].v : undefined);
            const counter = name => {
                const v = value(name);
                return v === undefined || v < 0 || v >= NOT_ACCOUNTED ? null : v;
            };
            return {
                restarts: value("NRestarts"),
                memory: counter("MemoryCurrent"),
                description: value("Description"),
                result: value("Result"),
            };
        });
    }

    appLogs(path, lines) {
        return this.read(path, APP, "GetLogs", [lines, ""]);
    }

    // The reply's file descriptor arrives as the options of a stream channel.
    followAppLogs(path, afterCursor) {
        return this.bus.call(path, APP, "FollowLogs", [afterCursor])
                .then(reply => cockpit.channel(reply[0]));
    }

    repair(path) {
        return this.act(path, APP, "Repair").then(reply => reply[0]);
    }

    diagnose(path) {
        return this.read(path, APP, "Diagnose");
    }
}

// The page's language as a BCP 47 tag, as Intl wants it (a catalogue may say "pt_BR").
export function pageLocale() {
    return cockpit.language.replace("_", "-");
}

// A systemd or journal time (microseconds since the epoch) as the browser's language writes
// it. One formatter for every line: Date.toLocaleString builds one per call.
let timeFormat = null;
export function timeText(microseconds) {
    if (!timeFormat) {
        timeFormat = new Intl.DateTimeFormat(pageLocale(), {
            year: "numeric", month: "numeric", day: "numeric",
            hour: "numeric", minute: "numeric", second: "numeric",
        });
    }
    return timeFormat.format(new Date(microseconds / 1000));
}

// What a failed call says to a person: the service's own (translated) message.
export function errorText(error) {
    return error && error.message ? error.message : String(error);
}
