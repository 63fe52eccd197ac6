#!/bin/sh
# SPDX-FileCopyrightText: 2026 The deskrun authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: check-flatpak-manifest.sh SRCROOT MANIFEST
# Validates MANIFEST against flatpak-builder's JSON schema from ../shared (DR_SHARED_DIR) with
# ajv-cli from the project's node_modules (npm ci). flatpak-builder --show-manifest only catches
# JSON syntax errors; the schema rejects misspelt keys and unknown build systems.
set -eu

root=$1
manifest=$2
schema=${DR_SHARED_DIR:-$root/../shared}/fixtures/flatpak-manifest.schema.json
ajv=$root/node_modules/.bin/ajv

if [ ! -f "$schema" ]; then
  echo "SKIP: no flatpak-builder schema at $schema (../shared is absent)"
  exit 77
fi
if [ ! -x "$ajv" ]; then
  echo "SKIP: $ajv is missing; run 'npm ci --no-audit --no-fund' at the top of the project"
  exit 77
fi
exec "$ajv" validate --spec=draft7 --strict=false -s "$schema" -d "$manifest"
