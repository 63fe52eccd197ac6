#!/bin/sh
# SPDX-FileCopyrightText: 2026 The deskrun authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: check-no-gtk.sh BINARY
# Fails when BINARY needs GTK or libadwaita (its ELF NEEDED entries): deskrunctl must link
# libdeskrun only, which proves that nothing below ui/ pulls GTK in (DESIGN.md).
set -eu

binary=$1
if ! command -v readelf >/dev/null 2>&1; then
  echo "check-no-gtk: readelf (binutils) is not installed" >&2
  exit 77
fi

needed=$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
if [ -z "$needed" ]; then
  echo "check-no-gtk: $binary has no NEEDED entries; is it an ELF executable?" >&2
  exit 1
fi

status=0
for lib in $needed; do
  case $lib in
    libgtk-*|libgtk4*|libadwaita-*|libgdk-*|libgdk_pixbuf-*|libgraphene-*|libpango*|libcairo*)
      echo "check-no-gtk: $binary links $lib" >&2
      status=1
      ;;
  esac
done
[ $status -eq 0 ] && echo "check-no-gtk: $(basename "$binary") needs only:" $needed
exit $status
