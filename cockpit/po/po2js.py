#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""po2js.py LANG PO OUTPUT: a gettext catalogue as the po.LANG.js Cockpit loads for a page.

Cockpit's po.js asks the bridge for the package's po.<language>.js, which must call
cockpit.locale() with {msgid: [null, msgstr]} and a header giving the language and plural rule.
Only singular strings and one plural form pair are used by the page.
"""

import ast
import json
import sys


def unquote(line):
    """A .po string literal; C escapes as Python reads them."""
    return ast.literal_eval(line)


def read_po(path):
    """{msgid: msgstr} of the translated, not fuzzy, entries."""
    entries = {}
    msgid = msgstr = None
    current = None
    # A "#, fuzzy" comment comes before the msgid of the entry it marks.
    fuzzy = next_fuzzy = False

    def finish():
        if msgid is not None and not fuzzy:
            entries[msgid] = msgstr

    with open(path, encoding='utf-8') as po:
        for raw in po:
            line = raw.strip()
            if not line:
                continue
            if line.startswith('#,') and 'fuzzy' in line:
                next_fuzzy = True
            elif line.startswith('#'):
                continue
            elif line.startswith('msgid '):
                finish()
                fuzzy, next_fuzzy = next_fuzzy, False
                msgid, msgstr, current = unquote(line[6:]), '', 'id'
            elif line.startswith('msgstr '):
                msgstr, current = unquote(line[7:]), 'str'
            elif line.startswith('"'):
                if current == 'id':
                    msgid += unquote(line)
                else:
                    msgstr += unquote(line)
        finish()
    return entries


def plural_rule(header):
    for line in header.splitlines():
        if line.lower().startswith('plural-forms:'):
            rule = line.split('plural=', 1)[1].rstrip(';').strip()
            return f'(n) => {rule}'
    return '(n) => n != 1'


def main():
    language, po_path, output = sys.argv[1:]
    entries = read_po(po_path)
    header = entries.pop('', '')
    body = ','.join(f'{json.dumps(msgid, ensure_ascii=False)}:'
                    f'[null,{json.dumps(msgstr, ensure_ascii=False)}]'
                    for msgid, msgstr in sorted(entries.items()) if msgstr)
    with open(output, 'w', encoding='utf-8') as out:
        out.write(f'cockpit.locale({{"":{{"plural-forms":{plural_rule(header)},'
                  f'"language":{json.dumps(language)},"language-direction":"ltr"}},'
                  f'{body}}});\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
