#!/bin/sh
# SPDX-FileCopyrightText: 2026 The deskrun authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: expect-fail.sh TEXT COMMAND [ARG...]
# Passes when COMMAND fails (but is not skipped) and says TEXT: a negative test that cannot
# pass for the wrong reason.
text=$1
shift
out=$("$@" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then
  echo "expect-fail: exit status $rc, expected a failure" >&2
  exit 1
fi
case $out in
  *"$text"*) echo "expect-fail: failed as expected (status $rc)" ;;
  *) echo "expect-fail: failed, but without saying: $text" >&2; exit 1 ;;
esac
