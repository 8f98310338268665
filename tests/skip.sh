# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by the test scripts: skip TEXT ends a test that cannot run here. meson counts exit 77
# as a skip; under CI a skip would hide a missing tool, so there it fails instead.

skip() {
	if [ "${CI:-}" = true ]; then
		echo "FAIL (skips are failures in CI): $1"
		exit 1
	fi
	echo "SKIP: $1"
	exit 77
}
