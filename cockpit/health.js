// SPDX-License-Identifier: LGPL-2.1-or-later
// Each app's health as the page words it, and the banner naming the apps that need attention,
// each with its Repair one click away.

import { errorText } from "./client.js";
import { inNextFrame } from "./frame.js";

const _ = cockpit.gettext;

const HEALTH = {
    ok: () => _("OK"),
    degraded: () => _("Degraded"),
    failed: () => _("Failed"),
    disabled: () => _("Disabled"),
    unknown: () => _("Not checked yet"),
};

// The App object's Health, as the manager counts it among AppsNeedingAttention.
export function needsAttention(health) {
    return health === "failed" || health === "degraded";
}

// A badge that says the health in words (colour only repeats it), as a span.
export function fillHealthBadge(badge, health) {
    badge.className = "health health-" + health;
    badge.dataset.health = health;
    badge.textContent = (HEALTH[health] || (() => health))();
}

export class AttentionBanner {
    constructor(client, { banner, list, status, alert, collator }) {
        this.client = client;
        this.banner = banner;
        this.list = list;
        this.status = status;
        this.alert = alert;
        this.collator = collator;
        // The apps named, by path: few, so the banner is drawn whole in the next frame.
        this.named = new Set();
        // Apps whose Repair waits for the service: their button stays busy across redraws.
        this.repairing = new Set();
        this.drawAll = () => this.draw();
        const changed = (event, app) => this.update(app.path);
        for (const event of ["added", "changed", "removed"])
            client.apps.addEventListener(event, changed);
    }

    // Reload may replace or remove the proxy at path: membership follows what is there now.
    update(path) {
        const app = this.client.apps[path];
        const wanted = !!app && needsAttention(app.Health);
        if (!wanted && !this.named.has(path))
            return;
        if (wanted)
            this.named.add(path);
        else
            this.named.delete(path);
        inNextFrame(this.drawAll);
    }

    render() {
        for (const path of Object.keys(this.client.apps))
            this.update(path);
    }

    draw() {
        const apps = [...this.named].map(path => this.client.apps[path]).filter(app => app);
        apps.sort((a, b) => this.collator.compare(a.Name, b.Name) ||
            (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        this.list.replaceChildren(...apps.map(app => this.makeItem(app)));
        this.banner.hidden = apps.length === 0;
    }

    makeItem(app) {
        const li = document.createElement("li");
        li.dataset.app = app.Id;
        const name = document.createElement("span");
        name.className = "attention-name";
        name.textContent = app.Name;
        const badge = document.createElement("span");
        fillHealthBadge(badge, app.Health);
        const repair = document.createElement("button");
        repair.type = "button";
        repair.className = "attention-repair";
        repair.textContent = _("Repair");
        repair.setAttribute("aria-label", cockpit.format(_("Repair $0"), app.Name));
        const busy = this.repairing.has(app.path);
        repair.disabled = busy;
        repair.setAttribute("aria-busy", String(busy));
        repair.addEventListener("click", () => this.repair(app.path));
        li.append(name, " ", badge, " ", repair);
        return li;
    }

    // Through the App object's Repair, as the details' button: the health that follows
    // clears the app from the banner.
    repair(path) {
        const app = this.client.apps[path];
        if (!app)
            return;
        this.repairing.add(path);
        this.alert.hidden = true;
        this.status.textContent = cockpit.format(_("Repairing $0…"), app.Name);
        inNextFrame(this.drawAll);
        this.client.repair(path)
                .then(() => {
                    this.status.textContent = cockpit.format(_("Repair of $0 done."), app.Name);
                })
                .catch(error => {
                    this.status.textContent = "";
                    this.alert.textContent = cockpit.format(_("Could not repair $0: $1"),
                                                            app.Name, errorText(error));
                    this.alert.hidden = false;
                })
                .finally(() => {
                    this.repairing.delete(path);
                    inNextFrame(this.drawAll);
                });
    }
}
