# SPDX-License-Identifier: LGPL-2.1-or-later
"""Headless Chromium driven over the DevTools protocol, with python3-websocket only."""

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket

import processes

CHROMIUM = os.environ.get('PLINTH_CHROMIUM', '/usr/bin/chromium')
STARTUP_TIMEOUT_S = 30


class JavaScriptError(Exception):
    """An exception thrown by script evaluated in the page."""


class ProtocolError(Exception):
    """Chromium refused a command, such as an evaluation while the page was replaced."""


class Browser:
    """One headless Chromium with one page; stop() ends it."""

    def __init__(self, width=1200, height=900):
        self.profile = tempfile.mkdtemp(prefix='pd-chromium-', dir='/tmp')
        self.process = subprocess.Popen(
            [CHROMIUM, '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run',
             '--disable-extensions', '--disable-background-networking', '--mute-audio',
             f'--user-data-dir={self.profile}', f'--window-size={width},{height}',
             '--remote-debugging-port=0', '--remote-allow-origins=*', 'about:blank'],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            port = self._devtools_port()
            self.socket = websocket.create_connection(self._page_socket(port),
                                                      suppress_origin=True)
        except BaseException:
            self.stop()
            raise
        self.next_id = 0

    def _devtools_port(self):
        """Chromium writes the port it chose into its profile once it listens."""
        active = os.path.join(self.profile, 'DevToolsActivePort')
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline and self.process.poll() is None:
            if os.path.exists(active):
                with open(active, encoding='utf-8') as port_file:
                    port = port_file.readline().strip()
                if port:
                    return int(port)
            time.sleep(0.05)
        raise RuntimeError(f'chromium did not start (exit {self.process.poll()})')

    @staticmethod
    def _page_socket(port):
        with urllib.request.urlopen(f'http://127.0.0.1:{port}/json/list', timeout=10) as reply:
            targets = json.load(reply)
        return next(t['webSocketDebuggerUrl'] for t in targets if t['type'] == 'page')

    def send(self, method, **params):
        """Sends one command and returns its result (no events are enabled to arrive)."""
        self.next_id += 1
        self.socket.send(json.dumps({'id': self.next_id, 'method': method, 'params': params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get('id') == self.next_id:
                if 'error' in message:
                    raise ProtocolError(f"{method}: {message['error']}")
                return message['result']

    def evaluate(self, expression):
        """The value of expression (a promise is awaited) in the page."""
        result = self.send('Runtime.evaluate', expression=expression, returnByValue=True,
                           awaitPromise=True)
        if 'exceptionDetails' in result:
            raise JavaScriptError(result['exceptionDetails'].get('exception', {})
                                  .get('description', result['exceptionDetails']['text']))
        return result['result'].get('value')

    def wait(self, expression, timeout=10):
        """Evaluates expression until it is truthy; returns that value or raises TimeoutError."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.evaluate(expression)
            except (JavaScriptError, ProtocolError):
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f'{expression} did not hold within {timeout} s')
            time.sleep(0.05)

    def open(self, url, language=None):
        """Loads url; language sets the browser's Accept-Language and navigator.language."""
        if language:
            agent = self.send('Browser.getVersion')['userAgent']
            self.send('Network.setUserAgentOverride', userAgent=agent, acceptLanguage=language)
            self.send('Emulation.setLocaleOverride', locale=language)
        self.send('Page.navigate', url=url)

    def press(self, key, code, text=''):
        """One key pressed and released in the focused element, as a person would."""
        for kind in ('keyDown', 'keyUp'):
            self.send('Input.dispatchKeyEvent', type=kind, key=key, code=code,
                      text=text if kind == 'keyDown' else '')

    def screenshot(self, path):
        """The whole page, beyond the window too, as a PNG."""
        size = self.send('Page.getLayoutMetrics')['cssContentSize']
        data = self.send('Page.captureScreenshot', format='png', captureBeyondViewport=True,
                         clip={'x': 0, 'y': 0, 'width': size['width'],
                               'height': size['height'], 'scale': 1})['data']
        with open(path, 'wb') as out:
            out.write(base64.b64decode(data))

    def stop(self):
        if getattr(self, 'socket', None):
            self.socket.close()
        processes.end(self.process)
        shutil.rmtree(self.profile, ignore_errors=True)
