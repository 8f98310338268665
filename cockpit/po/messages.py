#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The page's translatable strings: _("...") in its JavaScript, and in its HTML the text of
elements marked translate and the attributes named by translate="attr ...".

    messages.py pot OUTPUT SOURCE...       writes the template (.pot)
    messages.py check PO SOURCE...         fails naming every string PO does not translate
"""

import html.parser
import json
import re
import sys

GETTEXT_CALL = re.compile(r'\b_\(\s*("(?:[^"\\]|\\.)*")\s*\)')


class MarkedText(html.parser.HTMLParser):
    """Collects what cockpit.translate() translates."""

    def __init__(self):
        super().__init__()
        self.found = []
        self.open_marks = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if 'translate' not in attrs:
            return
        for mark in (attrs['translate'] or 'yes').split():
            if mark in ('yes', 'translate'):
                self.open_marks.append(tag)
            elif attrs.get(mark):
                self.found.append(attrs[mark])

    def handle_data(self, data):
        if self.open_marks and data.strip():
            self.found.append(data)

    def handle_endtag(self, tag):
        if self.open_marks and self.open_marks[-1] == tag:
            self.open_marks.pop()


def messages(sources):
    found = []
    for path in sources:
        with open(path, encoding='utf-8') as source:
            text = source.read()
        if path.endswith('.html'):
            parser = MarkedText()
            parser.feed(text)
            found += [(path, message) for message in parser.found]
        else:
            found += [(path, json.loads(m.group(1))) for m in GETTEXT_CALL.finditer(text)]
    unique = {}
    for path, message in found:
        unique.setdefault(message, path)
    return unique


def po_string(text):
    return json.dumps(text, ensure_ascii=False)


def write_pot(output, sources):
    with open(output, 'w', encoding='utf-8') as pot:
        pot.write('# The Cockpit page of plinth-daemons.\n'
                  '# SPDX-License-Identifier: LGPL-2.1-or-later\n'
                  'msgid ""\nmsgstr ""\n'
                  '"Project-Id-Version: plinth-daemons-cockpit\\n"\n'
                  '"MIME-Version: 1.0\\n"\n'
                  '"Content-Type: text/plain; charset=UTF-8\\n"\n'
                  '"Content-Transfer-Encoding: 8bit\\n"\n\n')
        for message, path in messages(sources).items():
            pot.write(f'#: {path.rsplit("/", 1)[-1]}\nmsgid {po_string(message)}\n'
                      'msgstr ""\n\n')


def check(po_path, sources):
    sys.path.insert(0, sys.path[0])
    from po2js import read_po  # noqa: E402 (next to this script)
    translated = {msgid for msgid, msgstr in read_po(po_path).items() if msgid and msgstr}
    missing = [m for m in messages(sources) if m not in translated]
    for message in missing:
        print(f'{po_path}: not translated: {po_string(message)}')
    return 1 if missing else 0


def main():
    command, target, sources = sys.argv[1], sys.argv[2], sys.argv[3:]
    if command == 'pot':
        write_pot(target, sources)
        return 0
    return check(target, sources)


if __name__ == '__main__':
    sys.exit(main())
