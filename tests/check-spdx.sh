#!/bin/sh
# SPDX-FileCopyrightText: 2026 The deskrun authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: check-spdx.sh SRCROOT [FILE...]
# Every source file carries an SPDX licence line near its top: GPL-3.0-or-later, except the
# metainfo, whose metadata is CC0-1.0. Without FILEs it checks the tracked files (git ls-files)
# or, outside a git checkout, what find sees; it prints each file that lacks the line.
set -eu

root=$1
shift
cd "$root"

if [ $# -eq 0 ]; then
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    set -- $(git ls-files -- '*.c' '*.h' '*.ui' '*.xml' '*.in' '*.svg' '*.sh' '*meson.build' \
               'meson.options' 'meson_options.txt' 'build-aux/*' '.ci/*' | grep -v '\.json$')
  else
    set -- $(find . \( -name .git -o -name '_build*' -o -name build -o -name node_modules \) \
               -prune -o -type f \( -name '*.c' -o -name '*.h' -o -name '*.ui' -o -name '*.xml' \
               -o -name '*.in' -o -name '*.svg' -o -name '*.sh' -o -name meson.build \
               -o -name meson.options -o -name meson_options.txt -o -path './build-aux/*' \
               -o -path './.ci/*' \) ! -name '*.json' -print | sed 's|^\./||' | sort)
  fi
fi

status=0
for f in "$@"; do
  case $f in
    *.metainfo.xml.in | *.metainfo.xml) licence=CC0-1.0 ;;
    *) licence=GPL-3.0-or-later ;;
  esac
  if ! head -n 12 "$f" | grep -q "SPDX-License-Identifier: $licence\$"; then
    echo "check-spdx: $f lacks 'SPDX-License-Identifier: $licence'" >&2
    status=1
  fi
done

if ! grep -q 'GNU GENERAL PUBLIC LICENSE' LICENSE 2>/dev/null \
   || ! grep -q 'Version 3, 29 June 2007' LICENSE; then
  echo "check-spdx: LICENSE does not hold the GPL-3 text" >&2
  status=1
fi

[ $status -eq 0 ] && echo "check-spdx: $# files carry their SPDX licence line"
exit $status
