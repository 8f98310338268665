# SPDX-License-Identifier: LGPL-2.1-or-later
"""Generated apps for the Python benchmarks, as generated_apps.cpp writes them for the C++ ones:
one definition per app, each a Daemon of its own, and units that really run (`sleep
infinity`) and can be enabled."""

import os

UNIT_TEXT = ('[Unit]\nDescription=Bench unit %n\n\n[Service]\n'
             'ExecStart=/bin/sleep infinity\n\n[Install]\nWantedBy=default.target\n')


def write_unit(directory, name):
    """Writes the unit file name (a template name@.service too); returns its path."""
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, name)
    with open(path, 'w', encoding='utf-8') as unit:
        unit.write(UNIT_TEXT)
    return path


def write_app(directory, app_id, index, unit, ports=()):
    """Writes app_id's definition: its name "Bench ID", one Daemon on unit, listening on
    ports ([port, kind] each)."""
    os.makedirs(directory, exist_ok=True)
    listed = ', '.join(f'[{port}, "{kind}"]' for port, kind in ports)
    listen = f'listen-ports = [{listed}]\n' if ports else ''
    with open(os.path.join(directory, app_id + '.toml'), 'w', encoding='utf-8') as app:
        app.write(f'[app]\nid = "{app_id}"\nname = "Bench {app_id}"\n\n'
                  f'[[components]]\nkind = "daemon"\nid = "daemon-{index}"\n'
                  f'unit = "{unit}"\n{listen}')
