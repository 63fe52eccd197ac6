/* dr-config.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desired state: what $XDG_CONFIG_HOME/deskrun/config.json holds. Versioned, unknown keys
 * preserved on rewrite (top level and per runner), and it never holds a secret — only
 * credential references. This is the model and its JSON document (bytes in, bytes out); the
 * file itself — mode 0600 in a 0700 directory, written atomically — is host/dr-config-file.h.
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

/* An empty config that will be saved to @path. Does no I/O. */
DrConfig      *dr_config_new                 (const char    *path);

/* TRUE for a config that must not be saved; dr_config_save() then fails with
 * DR_ERROR_BAD_CONFIG and a message saying why. Changes in memory are still allowed. */
gboolean       dr_config_is_read_only        (DrConfig      *self);

const char    *dr_config_get_path            (DrConfig      *self);

/* Bytes in: the config in the JSON document @data, to be saved to @path (nothing is read or
 * written here; host/dr-config-file.h does the file). Fails with DR_ERROR_NEWER_CONFIG and
 * *@out_newer_version set for a document of a newer format, or DR_ERROR_BAD_CONFIG with a
 * sentence saying what is wrong (it does not name the file). */
DrConfig      *dr_config_new_from_json       (const char    *path,
                                              const char    *data,
                                              gsize          length,
                                              gint64        *out_newer_version,
                                              GError       **error);
/* Bytes out: the document to write, unknown keys and unusable entries kept. It is parsed again
 * first: when it would not read back (text that is not UTF-8 somewhere) this fails with
 * DR_ERROR_FAILED and json-glib's description of the place. */
GBytes        *dr_config_to_json             (DrConfig      *self,
                                              GError       **error);

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

/* The keyring references ("credential" → "id") of every runner entry, the unusable ones too:
 * a secret one of them names is not a stray, even if that entry cannot be used now. */
GStrv          dr_config_dup_credential_ids  (DrConfig      *self);

/* From "namespaces" in the file, else DR_DEFAULT_RUNNER_NAMESPACE and
 * DR_DEFAULT_CONTROLLER_NAMESPACE. */
const char    *dr_config_get_runner_namespace     (DrConfig *self);
const char    *dr_config_get_controller_namespace (DrConfig *self);

/* For tests of atomic saving: when set, dr_config_save() fails after writing the temporary
 * file and before the rename, as a crash there would. */
void           _dr_config_set_fail_before_rename (DrConfig *self,
                                                  gboolean  fail);
gboolean       _dr_config_get_fail_before_rename (DrConfig *self);
/* For host/dr-config-file.c's fallback config. */
void           _dr_config_set_read_only          (DrConfig *self,
                                                  gboolean  read_only);

G_END_DECLS
