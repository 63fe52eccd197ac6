/* dr-config.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desired state on disk: $XDG_CONFIG_HOME/deskrun/config.json. Versioned, mode 0600 in a
 * 0700 directory, written atomically, unknown keys preserved on rewrite (top level and per
 * runner), and it never holds a secret — only credential references.
 *
 * Signals: "changed" (no arguments) is emitted after dr_config_put_runner(),
 * dr_config_remove_runner(), dr_config_set_cluster() and dr_config_set_chart_registry()
 * changed something, so views can refresh. It is not emitted by loading or saving.
 */
#pragma once

#include <glib-object.h>

#include "dr-runner-spec.h"

G_BEGIN_DECLS

#define DR_CONFIG_VERSION 1

typedef enum
{
  DR_CLUSTER_KIND_KIND,     /* a local kind cluster deskrun manages (default "deskrun") */
  DR_CLUSTER_KIND_CONTEXT,  /* any kubeconfig context; no kind actions are offered */
} DrClusterKind;

#define DR_TYPE_CONFIG (dr_config_get_type ())
G_DECLARE_FINAL_TYPE (DrConfig, dr_config, DR, CONFIG, GObject)

/* The default path, $XDG_CONFIG_HOME/deskrun/config.json. */
char          *dr_config_default_path        (void);

/* An empty config that will be saved to @path. Does no I/O. */
DrConfig      *dr_config_new                 (const char    *path);

/* What to use after dr_config_load() failed: an empty config for @path. When a file is still
 * at @path (one from a newer deskrun, or a broken one that could not be moved aside) the
 * config is read-only, so that file is never overwritten; when the broken file was moved
 * aside it saves normally. */
DrConfig      *dr_config_new_fallback        (const char    *path);

/* TRUE for a config that must not be saved; dr_config_save() then fails with
 * DR_ERROR_BAD_CONFIG and a message saying why. Changes in memory are still allowed. */
gboolean       dr_config_is_read_only        (DrConfig      *self);

/* A missing file gives an empty config. A file that cannot be read or parsed gives NULL and
 * DR_ERROR_BAD_CONFIG with a message naming the file and the problem; the broken file is
 * left exactly as it was, and is moved aside (renamed to config.json.broken-TIMESTAMP in the
 * same directory) so that later saves cannot replace it — the message says where it went.
 * A file with a newer "version" gives DR_ERROR_NEWER_CONFIG and is left in place. So is a
 * broken file that cannot be moved (the message says so). After any failure, continue with
 * dr_config_new_fallback(). */
DrConfig      *dr_config_load                (const char    *path,
                                              GError       **error);

/* Atomic: writes a temporary file in the same directory (0600), fsyncs it, and renames it
 * over the old one, so a crash mid-write leaves the old file whole. Creates the directory
 * with 0700 when needed. The file is 0600 even if the old one was not. Fails on a read-only
 * config. */
gboolean       dr_config_save                (DrConfig      *self,
                                              GError       **error);

const char    *dr_config_get_path            (DrConfig      *self);

/* Runners, in the order the user added them. The returned specs are borrowed: they stay
 * valid until that runner is replaced or removed, or the config is finalized (take a
 * reference with dr_runner_spec_ref() to keep one longer). Treat them as immutable. */
guint          dr_config_get_n_runners       (DrConfig      *self);
DrRunnerSpec  *dr_config_get_runner          (DrConfig      *self,
                                              guint          position);
DrRunnerSpec  *dr_config_lookup_runner       (DrConfig      *self,
                                              const char    *name);
/* Adds or replaces (by name) a validated spec; fails with DR_ERROR_INVALID otherwise. A
 * replaced runner keeps the unknown keys it had in the file. Stores a copy of @spec. A
 * runner entry that could not be used (see dr_config_dup_problems()) and has the same name
 * is replaced by it. */
gboolean       dr_config_put_runner          (DrConfig      *self,
                                              DrRunnerSpec  *spec,
                                              GError       **error);
/* Removes every entry of that name, unusable ones included; FALSE when there was none. */
gboolean       dr_config_remove_runner       (DrConfig      *self,
                                              const char    *name);

DrClusterKind  dr_config_get_cluster_kind    (DrConfig      *self);
/* The kind cluster name (kind) or the kubeconfig context name (context). Defaults to kind
 * and DR_DEFAULT_KIND_CLUSTER. */
const char    *dr_config_get_cluster_name    (DrConfig      *self);
/* @name may be NULL for kind (meaning DR_DEFAULT_KIND_CLUSTER); a context needs one. */
void           dr_config_set_cluster         (DrConfig      *self,
                                              DrClusterKind  kind,
                                              const char    *name);

/* "chart_registry": the OCI registry (a mirror) ARC's chart is pulled from, as a URL such
 * as "https://mirror.example:5000"; NULL (absent or null in the file) means the default
 * registry. Only the text is kept here: the host layer knows the default.
 *
 * A usable address is https, or http on a loopback host (127.0.0.0/8, ::1, localhost) for
 * local mirrors and tests, with a host, and without user info, query or fragment: a password
 * never belongs in the config. dr_config_check_chart_registry() tells whether @url is one;
 * its messages never repeat the address, so a password in it is not echoed. */
gboolean       dr_config_check_chart_registry (const char   *url,
                                               GError      **error);
const char    *dr_config_get_chart_registry  (DrConfig      *self);
/* Fails with DR_ERROR_INVALID for an unusable @url and changes nothing. NULL means the
 * default; either replaces an unusable value read from the file. */
gboolean       dr_config_set_chart_registry  (DrConfig      *self,
                                              const char    *url,
                                              GError       **error);

/* Runner entries in the file that do not parse or break a rule (a hand edit, an older
 * deskrun) are not runners here, but they are never dropped: they are written back verbatim
 * on save. The same holds for an unusable "chart_registry", which counts as unset. One
 * message per such entry or value, naming it and the problem; empty when all is well. */
GStrv          dr_config_dup_problems        (DrConfig      *self);

/* From "namespaces" in the file, else DR_DEFAULT_RUNNER_NAMESPACE and
 * DR_DEFAULT_CONTROLLER_NAMESPACE. */
const char    *dr_config_get_runner_namespace     (DrConfig *self);
const char    *dr_config_get_controller_namespace (DrConfig *self);

/* For tests of atomic saving: when set, dr_config_save() fails after writing the temporary
 * file and before the rename, as a crash there would. */
void           _dr_config_set_fail_before_rename (DrConfig *self,
                                                  gboolean  fail);

G_END_DECLS
