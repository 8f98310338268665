// SPDX-License-Identifier: LGPL-2.1-or-later
// The table of apps: name, enabled switch, running mark, health; kept current from the
// proxies' events.

import { APP, errorText } from "./client.js";
import { inNextFrame } from "./frame.js";
import { fillHealthBadge } from "./health.js";

const _ = cockpit.gettext;

export class AppList {
    constructor(client, { tbody, status, alert, collator, onOpen }) {
        this.client = client;
        this.tbody = tbody;
        this.status = status;
        this.alert = alert;
        this.onOpen = onOpen;
        this.rows = new Map();
        // The rows in the table's order, by name and then path: a row changes place only
        // when its own name changes, and finds its place by bisection.
        this.order = [];
        this.collator = collator;
        // The apps whose rows are out of date: drawn together in the next frame.
        this.dirty = new Set();
        this.drawDirty = () => this.draw();
        // An app whose switch waits for the service: its row keeps the switch busy.
        this.busy = new Set();
        const changed = (event, app) => this.update(app.path);
        for (const event of ["added", "changed", "removed"])
            client.apps.addEventListener(event, changed);
    }

    update(path) {
        this.dirty.add(path);
        inNextFrame(this.drawDirty);
    }

    // Every app the client knows and the table lacks, drawn in the next frame: the events
    // have brought the others.
    render() {
        for (const path of Object.keys(this.client.apps)) {
            if (!this.rows.has(path))
                this.update(path);
        }
    }

    // Reload may replace the proxy at a path, or remove it: the row follows what is there now.
    draw() {
        for (const path of this.dirty) {
            const app = this.client.apps[path];
            let row = this.rows.get(path);
            if (!app) {
                if (row) {
                    this.unplace(row);
                    this.rows.delete(path);
                }
                continue;
            }
            if (!row) {
                row = this.makeRow(path);
                this.rows.set(path, row);
            } else if (row.key !== app.Name) {
                this.unplace(row);
            }
            this.fill(row, app);
            if (row.key === null)
                this.place(row, app.Name);
        }
        this.dirty.clear();
    }

    compare(a, b) {
        return this.collator.compare(a.key, b.key) ||
            (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    }

    // The index of the first row that sorts after row.
    indexAfter(row) {
        let low = 0;
        let high = this.order.length;
        while (low < high) {
            const middle = (low + high) >>> 1;
            if (this.compare(this.order[middle], row) <= 0)
                low = middle + 1;
            else
                high = middle;
        }
        return low;
    }

    place(row, name) {
        row.key = name;
        const index = this.indexAfter(row);
        const next = this.order[index];
        this.order.splice(index, 0, row);
        this.tbody.insertBefore(row.tr, next ? next.tr : null);
    }

    unplace(row) {
        // The row itself is the last one not after it.
        this.order.splice(this.indexAfter(row) - 1, 1);
        row.tr.remove();
        row.key = null;
    }

    // The handlers look the app up when they run: Reload may replace the proxy at path.
    makeRow(path) {
        const tr = document.createElement("tr");

        const name = document.createElement("th");
        name.scope = "row";
        name.className = "app-name";

        const switchCell = document.createElement("td");
        const label = document.createElement("label");
        label.className = "switch";
        const toggle = document.createElement("input");
        toggle.type = "checkbox";
        toggle.setAttribute("role", "switch");
        toggle.className = "app-enabled";
        toggle.addEventListener("change", () => this.toggle(this.client.apps[path], toggle));
        const text = document.createElement("span");
        text.className = "switch-text";
        label.append(toggle, text);
        switchCell.appendChild(label);

        const running = document.createElement("td");
        running.className = "app-running";

        const healthCell = document.createElement("td");
        const health = document.createElement("span");
        healthCell.appendChild(health);

        const detailCell = document.createElement("td");
        const open = document.createElement("button");
        open.type = "button";
        open.className = "app-open";
        open.textContent = _("Details");
        open.addEventListener("click", () => this.onOpen(this.client.apps[path].Id));
        detailCell.appendChild(open);

        tr.append(name, switchCell, running, healthCell, detailCell);
        return { path, key: null, tr, name, toggle, text, running, health, open };
    }

    fill(row, app) {
        row.tr.dataset.app = app.Id;
        row.name.textContent = app.Name;
        const busy = this.busy.has(app.path);
        if (!busy)
            row.toggle.checked = app.Enabled;
        row.toggle.disabled = busy;
        row.toggle.setAttribute("aria-busy", String(busy));
        row.toggle.setAttribute("aria-label", cockpit.format(_("Enable $0"), app.Name));
        row.text.textContent = row.toggle.checked ? _("On") : _("Off");
        row.running.dataset.running = String(app.Running);
        row.running.textContent = app.Running ? _("Running") : _("Not running");
        row.running.className = "app-running " + (app.Running ? "is-running" : "is-stopped");
        fillHealthBadge(row.health, app.Health);
        row.open.setAttribute("aria-label", cockpit.format(_("Details of $0"), app.Name));
    }

    toggle(app, input) {
        const enable = input.checked;
        this.busy.add(app.path);
        this.alert.hidden = true;
        const progress = enable ? _("Enabling $0…") : _("Disabling $0…");
        this.status.textContent = cockpit.format(progress, app.Name);
        this.update(app.path);
        this.client.act(app.path, APP, enable ? "Enable" : "Disable")
                .then(() => {
                    this.status.textContent = cockpit.format(
                        enable ? _("$0 is enabled.") : _("$0 is disabled."), app.Name);
                })
                .catch(error => {
                    this.status.textContent = "";
                    this.alert.textContent = cockpit.format(
                        enable ? _("Could not enable $0: $1") : _("Could not disable $0: $1"),
                        app.Name, errorText(error));
                    this.alert.hidden = false;
                })
                .finally(() => {
                    this.busy.delete(app.path);
                    this.update(app.path);
                });
    }
}
