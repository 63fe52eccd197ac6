#!/bin/sh
# SPDX-FileCopyrightText: 2026 The deskrun authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: check-pot.sh SRCROOT [POTFILES]
# Builds the translation template from POTFILES (default SRCROOT/po/POTFILES.in) with xgettext
# as the build does, and checks that every listed file exists and gives at least one string, and
# that every tracked file with translatable strings is listed.
set -eu

root=$1
potfiles=${2:-$root/po/POTFILES.in}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

grep -v '^#' "$potfiles" | grep -v '^[[:space:]]*$' > "$tmp/list"

while read -r f; do
  if [ ! -f "$root/$f" ]; then
    echo "check-pot: listed but missing: $f" >&2
    status=1
  fi
done < "$tmp/list"
[ $status -eq 0 ] || exit 1

xgettext --files-from="$tmp/list" --directory="$root" --from-code=UTF-8 --add-comments \
  -k_ -kN_ -kC_:1c,2 -kNC_:1c,2 -kg_dngettext:2,3 -o "$tmp/deskrun.pot"

while read -r f; do
  if ! grep -q "^#: .*$f:" "$tmp/deskrun.pot"; then
    echo "check-pot: listed but gives no string: $f" >&2
    status=1
  fi
done < "$tmp/list"

if ! grep -qx 'msgid "Deskrun"' "$tmp/deskrun.pot"; then
  echo "check-pot: the template lacks msgid \"Deskrun\"" >&2
  status=1
fi

# The other way round: sources that mark strings for translation must be listed.
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  files=$(git -C "$root" ls-files -- 'src/*.c' 'src/*.ui' 'data/*.in' 'data/*.gschema.xml')
else
  files=$(cd "$root" && find src data -name '*.c' -o -name '*.ui' -o -name '*.in' \
            -o -name '*.gschema.xml')
fi
for f in $files; do
  case $f in
    *.c) pattern='\(^\|[^[:alnum:]_]\)N\{0,1\}C\{0,1\}_ *(' ;;
    *.ui) pattern='translatable="yes"' ;;
    *) pattern='' ;;
  esac
  if [ -n "$pattern" ] && ! grep -q "$pattern" "$root/$f"; then
    continue
  fi
  if ! grep -qx "$f" "$tmp/list"; then
    echo "check-pot: has translatable strings but is not listed: $f" >&2
    status=1
  fi
done

[ $status -eq 0 ] && echo "check-pot: $(grep -c '^msgid ' "$tmp/deskrun.pot") msgids from $(wc -l < "$tmp/list") files"
exit $status
