// SPDX-License-Identifier: LGPL-2.1-or-later
// Work the proxies' events ask for, done once per animation frame however many events arrive:
// loading 1000 apps brings thousands of events in one go, and the page draws once.

const tasks = new Set();
let requested = null;

function run() {
    requested = null;
    const due = [...tasks];
    tasks.clear();
    for (const task of due)
        task();
}

// Runs task (a function, compared by identity: asking twice runs it once) before the next
// frame is drawn.
export function inNextFrame(task) {
    tasks.add(task);
    if (requested === null)
        requested = window.requestAnimationFrame(run);
}

// Runs what is due now, for a caller that needs the page drawn before it goes on.
export function now() {
    if (requested === null)
        return;
    window.cancelAnimationFrame(requested);
    run();
}
