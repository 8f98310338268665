// SPDX-License-Identifier: LGPL-2.1-or-later
// One app: its units with their state and actions, its diagnosis and Repair.

import { UNIT, errorText, timeText } from "./client.js";
import { inNextFrame } from "./frame.js";

const _ = cockpit.gettext;

// The unit verbs the page offers, as the Unit object names them.
const VERBS = [
    { method: "Start", label: () => _("Start") },
    { method: "Stop", label: () => _("Stop") },
    { method: "Restart", label: () => _("Restart") },
    { method: "Reload", label: () => _("Reload") },
];

const KINDS = {
    "daemon": () => _("Daemon"),
    "shared-daemon": () => _("Shared daemon"),
    "related-daemon": () => _("Related daemon"),
};

const RESULTS = {
    passed: () => _("Passed"),
    failed: () => _("Failed"),
    error: () => _("Error"),
    warning: () => _("Warning"),
    not_done: () => _("Not done"),
    skipped: () => _("Skipped"),
};

function sameMembers(list, map) {
    return list.length === map.size && list.every(item => map.has(item));
}

export class AppDetail {
    constructor(client, elements) {
        this.client = client;
        this.el = elements;
        this.app = null;
        this.rows = new Map();
        // Counts diagnoses and repairs: only the latest one's checks are shown.
        this.generation = 0;
        // Units whose rows are out of date, and whether the rows themselves are: both drawn
        // in the next frame, however many events came.
        this.dirty = new Set();
        this.stale = false;
        this.drawDirty = () => this.draw();
        elements.diagnose.addEventListener("click", () => this.diagnose());
        elements.repair.addEventListener("click", () => this.repair());
        client.units.addEventListener("changed", (event, unit) => {
            if (this.rows.has(unit.path))
                this.update(unit.path);
        });
        // A unit's object may arrive after its app's (a unit starting while the page loads,
        // a Reload): its row appears then, as does a unit the app newly declares.
        client.units.addEventListener("added", (event, unit) => {
            if (this.app && !this.rows.has(unit.path) && this.app.Units.includes(unit.path))
                this.restale();
        });
        client.apps.addEventListener("changed", (event, app) => {
            if (app === this.app && !sameMembers(app.Units, this.rows))
                this.restale();
        });
    }

    update(path) {
        this.dirty.add(path);
        inNextFrame(this.drawDirty);
    }

    restale() {
        this.stale = true;
        inNextFrame(this.drawDirty);
    }

    draw() {
        if (this.stale && this.app) {
            // Every row drawn anew, each with its unit's state.
            this.dirty.clear();
            this.renderUnits();
        }
        for (const path of this.dirty) {
            const unit = this.client.unitProxy(path);
            if (unit && this.rows.has(path))
                this.refreshUnit(unit);
        }
        this.dirty.clear();
    }

    show(app) {
        this.app = app;
        this.el.title.textContent = app.Name;
        this.el.alert.hidden = true;
        this.el.diagnosis.replaceChildren();
        this.el.diagnosisStatus.textContent = "";
        this.renderUnits();
        this.diagnose();
    }

    renderUnits() {
        const { client, app } = this;
        this.stale = false;
        this.rows.clear();
        const rows = [];
        for (const path of app.Units) {
            const unit = client.unitProxy(path);
            if (!unit)
                continue;
            const row = this.makeRow(unit);
            this.rows.set(path, row);
            rows.push(row.tr);
            this.refreshUnit(unit);
        }
        this.el.units.replaceChildren(...rows);
    }

    makeRow(unit) {
        const tr = document.createElement("tr");
        tr.dataset.unit = unit.Name;
        const cell = () => document.createElement("td");
        const name = document.createElement("th");
        name.scope = "row";
        name.textContent = unit.Name;
        const kind = cell();
        const declaration = unit.Declarations.find(d => d[0] === this.app.path);
        kind.textContent = declaration ? (KINDS[declaration[2]] || (() => declaration[2]))() : "";
        const state = cell();
        state.className = "unit-state";
        const since = cell();
        const restarts = cell();
        restarts.className = "unit-restarts";
        const memory = cell();
        memory.className = "unit-memory";
        const actions = cell();
        actions.className = "unit-actions";
        for (const verb of VERBS) {
            const button = document.createElement("button");
            button.type = "button";
            button.textContent = verb.label();
            button.setAttribute("aria-label", cockpit.format("$0 $1", verb.label(), unit.Name));
            button.addEventListener("click", () => this.act(unit, verb, button));
            actions.appendChild(button);
        }
        tr.append(name, kind, state, since, restarts, memory, actions);
        return { tr, state, since, restarts, memory };
    }

    // States come from the proxy; restarts and memory, which systemd does not signal, are
    // asked for whenever the unit's state changes.
    refreshUnit(unit) {
        const row = this.rows.get(unit.path);
        row.state.textContent = unit.ActiveState ? `${unit.ActiveState} (${unit.SubState})` : "";
        row.state.dataset.active = unit.ActiveState;
        const since = unit.StateChangeTimestamp;
        row.since.textContent = since ? timeText(since) : "";
        this.client.unitStatus(unit.path).then(status => {
            row.restarts.textContent = status.restarts === undefined ? "" : String(status.restarts);
            row.memory.textContent = status.memory === null
                ? "—"
                : cockpit.format_bytes(status.memory);
        }).catch(error => this.fail(error));
    }

    act(unit, verb, button) {
        button.disabled = true;
        this.el.alert.hidden = true;
        const status = this.el.diagnosisStatus;
        status.textContent = cockpit.format(_("$0: $1…"), unit.Name, verb.label());
        this.client.act(unit.path, UNIT, verb.method)
                .then(() => {
                    status.textContent = cockpit.format(_("$0: $1 done."), unit.Name, verb.label());
                })
                .catch(error => this.fail(error))
                .finally(() => { button.disabled = false });
    }

    diagnose() {
        const generation = ++this.generation;
        this.el.diagnosisStatus.textContent = _("Diagnosing…");
        this.client.diagnose(this.app.path)
                .then(checks => this.showChecks(generation, checks, _("Diagnosis done.")))
                .catch(error => this.fail(error));
    }

    repair() {
        const generation = ++this.generation;
        this.el.repair.disabled = true;
        this.el.alert.hidden = true;
        this.el.diagnosisStatus.textContent = cockpit.format(_("Repairing $0…"), this.app.Name);
        this.client.repair(this.app.path)
                .then(checks => this.showChecks(generation, checks, _("Repair done.")))
                .catch(error => this.fail(error))
                .finally(() => { this.el.repair.disabled = false });
    }

    // checks: (check_id, component_id, result, description, parameters, message). A check
    // an admin ignores is marked so: the app's HealthIssues list it with the result "ignored".
    showChecks(generation, checks, done) {
        if (generation !== this.generation)
            return;
        const ignored = new Set((this.app.HealthIssues || [])
                .filter(([, result]) => result === "ignored").map(([id]) => id));
        const items = checks.map(([id, , result, , , message]) => {
            const li = document.createElement("li");
            li.dataset.check = id;
            li.dataset.result = result;
            const mark = document.createElement("span");
            mark.className = "mark mark-" + result;
            mark.textContent = (RESULTS[result] || (() => result))();
            const text = document.createElement("span");
            text.textContent = " " + message;
            li.append(mark);
            if (ignored.has(id)) {
                li.dataset.ignored = "true";
                const note = document.createElement("span");
                note.className = "mark mark-ignored";
                note.textContent = _("Ignored");
                li.append(" ", note);
            }
            li.append(text);
            return li;
        });
        this.el.diagnosis.replaceChildren(...items);
        this.el.diagnosisStatus.textContent = done;
    }

    fail(error) {
        this.el.diagnosisStatus.textContent = "";
        this.el.alert.textContent = errorText(error);
        this.el.alert.hidden = false;
    }
}
