// SPDX-License-Identifier: LGPL-2.1-or-later
// The table of apps: name, enabled switch, running mark; redrawn from the proxies' events.

import { APP, errorText } from "./client.js";

const _ = cockpit.gettext;

export class AppList {
    constructor(client, { tbody, status, alert, onOpen }) {
        this.client = client;
        this.tbody = tbody;
        this.status = status;
        this.alert = alert;
        this.onOpen = onOpen;
        this.rows = new Map();
        // An app whose switch waits for the service: its row keeps the switch busy.
        this.busy = new Set();
        const redraw = () => this.render();
        for (const event of ["added", "changed", "removed"])
            client.apps.addEventListener(event, redraw);
    }

    render() {
        const apps = this.client.appsSorted();
        const seen = new Set();
        for (const app of apps) {
            seen.add(app.path);
            let row = this.rows.get(app.path);
            if (!row) {
                row = this.makeRow(app.path);
                this.rows.set(app.path, row);
            }
            this.fill(row, app);
            this.tbody.appendChild(row.tr);
        }
        for (const [path, row] of this.rows) {
            if (!seen.has(path)) {
                row.tr.remove();
                this.rows.delete(path);
            }
        }
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

        const detailCell = document.createElement("td");
        const open = document.createElement("button");
        open.type = "button";
        open.className = "app-open";
        open.textContent = _("Details");
        open.addEventListener("click", () => this.onOpen(this.client.apps[path].Id));
        detailCell.appendChild(open);

        tr.append(name, switchCell, running, detailCell);
        return { tr, name, toggle, text, running, open };
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
        row.open.setAttribute("aria-label", cockpit.format(_("Details of $0"), app.Name));
    }

    toggle(app, input) {
        const enable = input.checked;
        this.busy.add(app.path);
        this.alert.hidden = true;
        const progress = enable ? _("Enabling $0…") : _("Disabling $0…");
        this.status.textContent = cockpit.format(progress, app.Name);
        this.render();
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
                    this.render();
                });
    }
}
