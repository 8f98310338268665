// SPDX-License-Identifier: LGPL-2.1-or-later
// An app's recent journal lines, and new ones as they are written while "Follow" is on.

import { errorText, timeText } from "./client.js";
import { inNextFrame } from "./frame.js";

const _ = cockpit.gettext;
const RECENT_LINES = 100;
// The view keeps this many lines, dropping the oldest: however fast a unit logs, the page
// holds and lays out no more.
const KEPT_LINES = 1000;

// A streamed entry (one JSON object a line) as GetLogs gives it.
function fromJson(line) {
    const e = JSON.parse(line);
    return [e.realtime, e.unit, e.priority, e.identifier, e.pid, e.message, e.cursor];
}

export class AppLogs {
    constructor(client, { logs, status, follow }) {
        this.client = client;
        this.logs = logs;
        this.status = status;
        this.follow = follow;
        this.app = null;
        this.lastCursor = "";
        // The follow stream wanted now, { channel } once it is open: a FollowLogs reply
        // arriving for any other is closed unread.
        this.following = null;
        // Entries (arrays, or streamed JSON lines) waiting for the next frame.
        this.queue = [];
        this.drawQueue = () => this.draw();
        follow.addEventListener("change", () => this.followChanged());
    }

    show(app) {
        this.stopFollowing();
        this.app = app;
        this.lastCursor = "";
        this.queue = [];
        this.logs.replaceChildren();
        this.status.textContent = _("Loading logs…");
        this.client.appLogs(app.path, RECENT_LINES).then(entries => {
            if (this.app !== app)
                return;
            this.add(entries);
            this.status.textContent = entries.length ? "" : _("No log entries.");
            this.followChanged();
        }).catch(error => this.fail(app, error));
    }

    hide() {
        this.stopFollowing();
        this.app = null;
        this.queue = [];
    }

    add(entries) {
        this.queue.push(...entries);
        // Lines past the bound would be dropped as soon as drawn.
        if (this.queue.length > 2 * KEPT_LINES)
            this.queue.splice(0, this.queue.length - KEPT_LINES);
        inNextFrame(this.drawQueue);
    }

    // Once a frame: the new lines in one go, the oldest dropped, and the view kept at its end
    // unless the reader scrolled up.
    draw() {
        const entries = this.queue.slice(-KEPT_LINES);
        this.queue = [];
        if (!entries.length)
            return;
        const logs = this.logs;
        const atEnd = logs.scrollTop + logs.clientHeight >= logs.scrollHeight - 2;
        const lines = document.createDocumentFragment();
        for (const entry of entries)
            lines.appendChild(this.line(typeof entry === "string" ? fromJson(entry) : entry));
        logs.appendChild(lines);
        let excess = logs.childElementCount - KEPT_LINES;
        while (excess-- > 0)
            logs.firstElementChild.remove();
        if (atEnd)
            logs.scrollTop = logs.scrollHeight;
    }

    // entry: (realtime, unit, priority, identifier, pid, message, cursor)
    line([realtime, unit, priority, identifier, pid, message, cursor]) {
        const line = document.createElement("span");
        line.className = "log-line" + (priority <= 3 ? " log-error" : "");
        const who = pid ? `${identifier}[${pid}]` : identifier;
        line.textContent = `${timeText(realtime)} ${unit} ${who}: ${message}\n`;
        this.lastCursor = cursor;
        return line;
    }

    followChanged() {
        if (!this.follow.checked || !this.app) {
            this.stopFollowing();
            return;
        }
        // A stream is open or on its way.
        if (this.following)
            return;
        const app = this.app;
        const request = this.following = { channel: null };
        this.client.followAppLogs(app.path, this.lastCursor).then(channel => {
            // Switched off, or to another app, while the call was on its way.
            if (this.following !== request) {
                channel.close();
                return;
            }
            request.channel = channel;
            this.status.textContent = _("Following new entries.");
            let pending = "";
            channel.addEventListener("message", (event, data) => {
                const lines = (pending + data).split("\n");
                pending = lines.pop();
                this.add(lines.filter(l => l));
            });
            channel.addEventListener("close", () => {
                if (this.following === request)
                    this.following = null;
            });
        }).catch(error => {
            if (this.following === request)
                this.following = null;
            this.fail(app, error);
        });
    }

    stopFollowing() {
        if (this.following && this.following.channel)
            this.following.channel.close();
        this.following = null;
        if (this.app)
            this.status.textContent = "";
    }

    fail(app, error) {
        if (this.app === app)
            this.status.textContent = errorText(error);
    }
}
