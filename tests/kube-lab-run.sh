#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The deskrun authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# kube-lab-run.sh KUBE-LAB PROGRAM [ARG…]
#
# Starts a real API server (../shared/kube-lab: etcd, kube-apiserver, kube-controller-manager)
# in a fresh temporary folder, runs PROGRAM (a TAP test) with KUBE_LAB, KUBE_LAB_DIR,
# KUBE_LAB_KUBECONFIG and the lab's other KUBE_LAB_* variables set, and stops the lab when
# PROGRAM ends, whether it passed, failed, crashed or was interrupted. Without kube-lab the
# whole program is skipped, saying why.
set -uo pipefail

kube_lab=$1
shift

if [ ! -f "$kube_lab" ]; then
  echo "1..0 # SKIP needs ../shared/kube-lab (a real API server), absent beside this checkout"
  exit 0
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/deskrun-kube-lab.XXXXXX")
stop_lab() {
  bash "$kube_lab" stop "$dir" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop_lab EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ~6 s on an idle machine; much longer while other builds run (its own limit is 90 s).
if ! kubeconfig=$(bash "$kube_lab" start "$dir" 2>"$dir.start.log"); then
  echo "Bail out! kube-lab did not start: $(tail -n 5 "$dir.start.log" | tr '\n' ' ')"
  rm -f "$dir.start.log"
  exit 1
fi
rm -f "$dir.start.log"
eval "$(bash "$kube_lab" env "$dir")"
export KUBE_LAB="$kube_lab" KUBE_LAB_DIR KUBE_LAB_KUBECONFIG="$kubeconfig" KUBE_LAB_SERVER \
  KUBE_LAB_ETCD KUBE_LAB_CA KUBE_LAB_CLIENT_CERT KUBE_LAB_CLIENT_KEY

# Not exec: the trap must outlive the program.
"$@"
