#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Cockpit page of the booted system, in headless Chromium: a password login at the
system's cockpit.socket, then one app's switch turned on (GRANTED, which polkit lets the user
enable) and another's flipped (REFUSED, which it does not). Run in the container's network
namespace only (nsenter -n), where 127.0.0.1:9090 is the container's cockpit.socket; prints
one JSON object saying what it saw.

usage: cockpit_page.py USER PASSWORD GRANTED REFUSED"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'browser'))
from devtools import Browser  # noqa: E402

COCKPIT = 'http://127.0.0.1:9090'
PAGE = f'{COCKPIT}/cockpit/@localhost/plinth-daemons/index.html'


def js(value):
    return json.dumps(value)


def main():
    user, password, granted, refused = sys.argv[1:5]
    browser = Browser()
    seen = {}
    try:
        browser.open(f'{COCKPIT}/')
        # The login form is hidden until the login page's script is ready for it.
        browser.wait('(e => !!e && !e.hidden)(document.getElementById("login"))', 30)
        # Typed, as a person logs in: the login page reads the fields on Enter.
        for field, text in (('login-user-input', user), ('login-password-input', password)):
            browser.evaluate(f'document.getElementById({js(field)}).focus()')
            browser.send('Input.insertText', text=text)
        browser.press('Enter', 'Enter', '\r')
        # Logged in: the shell replaces the login page and frames the pages.
        browser.wait('!!document.querySelector("iframe")', 30)
        browser.open(PAGE)
        browser.wait('document.body && document.body.dataset.ready === "true"', 30)
        seen['listed'] = browser.evaluate(
            '[...document.querySelectorAll("#apps tbody tr")].map(r => r.dataset.app)')
        row = f'document.querySelector(\'tr[data-app={js(granted)}]'
        browser.evaluate(f'{row} input[role=switch]\').click()')
        seen['granted running'] = browser.wait(
            f'{row} .app-running\').dataset.running === "true"', 30)
        row = f'document.querySelector(\'tr[data-app={js(refused)}]'
        browser.evaluate(f'{row} input[role=switch]\').click()')
        seen['refused message'] = browser.wait(
            'document.body.innerText.split("\\n").find(l => l.includes("Not authorized"))', 30)
    except Exception as error:  # noqa: BLE001: reported to the test, which fails
        seen['error'] = f'{type(error).__name__}: {error}'
        try:
            seen['page'] = browser.evaluate('document.body.innerText')[:2000]
        except Exception:  # noqa: BLE001
            pass
    finally:
        browser.stop()
    print(json.dumps(seen))


if __name__ == '__main__':
    main()
