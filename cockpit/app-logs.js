// SPDX-License-Identifier: LGPL-2.1-or-later
// An app's recent journal lines, and new ones as they are written while "Follow" is on.

import { errorText } from "./client.js";

const _ = cockpit.gettext;
const RECENT_LINES = 100;
// The view keeps this many lines while following, dropping the oldest.
const KEPT_LINES = 1000;

export class AppLogs {
    constructor(client, { logs, status, follow }) {
        this.client = client;
        this.logs = logs;
        this.status = status;
        this.follow = follow;
        this.app = null;
        this.lastCursor = "";
        this.channel = null;
        follow.addEventListener("change", () => this.followChanged());
    }

    show(app) {
        this.stopFollowing();
        this.app = app;
        this.lastCursor = "";
        this.logs.replaceChildren();
        this.status.textContent = _("Loading logs…");
        this.client.appLogs(app.path, RECENT_LINES).then(entries => {
            if (this.app !== app)
                return;
            entries.forEach(entry => this.append(entry));
            this.status.textContent = entries.length ? "" : _("No log entries.");
            this.followChanged();
        }).catch(error => this.fail(app, error));
    }

    hide() {
        this.stopFollowing();
        this.app = null;
    }

    // entry: (realtime, unit, priority, identifier, pid, message, cursor)
    append([realtime, unit, priority, identifier, pid, message, cursor]) {
        const line = document.createElement("span");
        line.className = "log-line" + (priority <= 3 ? " log-error" : "");
        const when = new Date(realtime / 1000).toLocaleString(cockpit.language);
        const who = pid ? `${identifier}[${pid}]` : identifier;
        line.textContent = `${when} ${unit} ${who}: ${message}\n`;
        this.logs.appendChild(line);
        while (this.logs.childElementCount > KEPT_LINES)
            this.logs.firstElementChild.remove();
        this.lastCursor = cursor;
    }

    followChanged() {
        if (!this.follow.checked || !this.app) {
            this.stopFollowing();
            return;
        }
        if (this.channel)
            return;
        const app = this.app;
        this.client.followAppLogs(app.path, this.lastCursor).then(channel => {
            if (this.app !== app || !this.follow.checked) {
                channel.close();
                return;
            }
            this.channel = channel;
            this.status.textContent = _("Following new entries.");
            let pending = "";
            channel.addEventListener("message", (event, data) => {
                const lines = (pending + data).split("\n");
                pending = lines.pop();
                for (const line of lines.filter(l => l)) {
                    const e = JSON.parse(line);
                    this.append([e.realtime, e.unit, e.priority, e.identifier, e.pid, e.message,
                        e.cursor]);
                }
                this.logs.scrollTop = this.logs.scrollHeight;
            });
            channel.addEventListener("close", () => {
                if (this.channel === channel)
                    this.channel = null;
            });
        }).catch(error => this.fail(app, error));
    }

    stopFollowing() {
        if (this.channel)
            this.channel.close();
        this.channel = null;
        if (this.app)
            this.status.textContent = "";
    }

    fail(app, error) {
        if (this.app === app)
            this.status.textContent = errorText(error);
    }
}
