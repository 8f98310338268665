#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs one libFuzzer target for PLINTH_FUZZ_SECONDS (default 60), starting from its seed corpus,
# which it reads but never changes. A crashing input is kept in ARTIFACT_DIR for a person to turn
# into a fix and a new seed (a regression case).
#
# usage: run-fuzzer.sh FUZZER SEED_DIR ARTIFACT_DIR

set -eu

fuzzer=$1
seeds=$2
artifacts=$3
seconds=${PLINTH_FUZZ_SECONDS:-60}

corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
mkdir -p "$artifacts"

# New inputs go to the first directory, the scratch one.
# libFuzzer's own failure status, 77, would read as a skip to meson.
"$fuzzer" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
	-error_exitcode=1 -timeout_exitcode=1 \
	-artifact_prefix="$artifacts/$(basename "$fuzzer")-" "$corpus" "$seeds"
