#!/bin/sh
# SPDX-FileCopyrightText: 2026 The deskrun authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: expect-fail.sh TEXT COMMAND [ARG...]
# Passes when COMMAND fails and says TEXT: a negative test that cannot pass for the wrong
# reason. When COMMAND skips (exit status 77), so does this.
text=$1
shift
out=$("$@" 2>&1)
rc=$?
printf '%s\n' "$out"
[ $rc -eq 77 ] && exit 77
if [ $rc -eq 0 ]; then
  echo "expect-fail: exit status $rc, expected a failure" >&2
  exit 1
fi
case $out in
  *"$text"*) echo "expect-fail: failed as expected (status $rc)" ;;
  *) echo "expect-fail: failed, but without saying: $text" >&2; exit 1 ;;
esac
