// SPDX-License-Identifier: LGPL-2.1-or-later
// The "Apps" page: the list of apps, and the one whose details are open (#/ID).

import { Client, errorText, pageLocale } from "./client.js";
import { AppList } from "./app-list.js";
import { AttentionBanner } from "./health.js";
import { AppDetail } from "./app-detail.js";
import { AppLogs } from "./app-logs.js";
import * as frame from "./frame.js";

const _ = cockpit.gettext;
const byId = id => document.getElementById(id);

cockpit.translate();
const client = new Client();
// Apps in the order of the page's language, in the table and in the banner alike.
const collator = new Intl.Collator(pageLocale(), { numeric: true });

const list = new AppList(client, {
    tbody: document.querySelector("#apps tbody"),
    status: byId("status"),
    alert: byId("alert"),
    collator,
    onOpen: id => { window.location.hash = "#/" + encodeURIComponent(id) },
});
const attention = new AttentionBanner(client, {
    banner: byId("attention"),
    list: byId("attention-apps"),
    status: byId("status"),
    alert: byId("alert"),
    collator,
});
const detail = new AppDetail(client, {
    title: byId("detail-title"),
    alert: byId("detail-alert"),
    units: document.querySelector("#units tbody"),
    diagnose: byId("diagnose"),
    repair: byId("repair"),
    diagnosis: byId("diagnosis"),
    diagnosisStatus: byId("diagnosis-status"),
});
const logs = new AppLogs(client, {
    logs: byId("logs"),
    status: byId("logs-status"),
    follow: byId("follow"),
});

let shown = null;

function route() {
    const id = decodeURIComponent(window.location.hash.replace(/^#\/?/, ""));
    const app = id ? client.appById(id) : null;
    byId("detail").hidden = !app;
    if (app === shown)
        return;
    shown = app;
    if (!app) {
        logs.hide();
        return;
    }
    detail.show(app);
    logs.show(app);
    byId("detail-title").focus();
}

byId("detail-title").tabIndex = -1;
byId("status").textContent = _("Loading apps…");
client.ready().then(() => {
    byId("status").textContent = "";
    list.render();
    attention.render();
    // Every app drawn before the page says it is ready.
    frame.now();
    route();
    document.body.dataset.ready = "true";
}).catch(error => {
    byId("status").textContent = "";
    byId("alert").textContent = errorText(error);
    byId("alert").hidden = false;
});
window.addEventListener("hashchange", route);
// An app removed on Reload closes its details; one added may be the one asked for. Looked at
// once a frame: loading brings an event for every app.
for (const event of ["added", "removed"])
    client.apps.addEventListener(event, () => frame.inNextFrame(route));
