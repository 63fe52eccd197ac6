/* dr-runner-spec.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desired state of one configured runner: what the user typed into the Add form or gave
 * deskrunctl, before anything touches a cluster. Pure data and validation, no I/O.
 */
#pragma once

#include <glib-object.h>

#include "dr-mount.h"
#include "dr-repository-url.h"

G_BEGIN_DECLS

typedef enum
{
  DR_CONTAINER_MODE_KUBERNETES,
  DR_CONTAINER_MODE_PRIVILEGED,  /* deskrun CLI's "cached-privileged-kubernetes" */
  DR_CONTAINER_MODE_DIND,
} DrContainerMode;

typedef enum
{
  DR_CREDENTIAL_KIND_PAT,
  DR_CREDENTIAL_KIND_GITHUB_APP,
} DrCredentialKind;

/* Which part of a spec a validation message belongs to, so the Add form can show it next to
 * the right field and deskrunctl can name the right option. */
typedef enum
{
  DR_SPEC_FIELD_NAME,
  DR_SPEC_FIELD_REPOSITORY,
  DR_SPEC_FIELD_RUNNERS,       /* min/max */
  DR_SPEC_FIELD_INSTANCES,
  DR_SPEC_FIELD_MOUNTS,
  DR_SPEC_FIELD_RUNNER_GROUP,
  DR_SPEC_FIELD_LABELS,
  DR_SPEC_FIELD_CREDENTIAL,
  DR_SPEC_N_FIELDS
} DrSpecField;

/* Reference-counted and, once shared, treated as immutable: copy before editing. */
typedef struct
{
  char             *name;
  char             *repository_url;  /* normalized: no trailing slash, no .git */
  DrContainerMode   mode;
  guint             min_runners;
  guint             max_runners;
  guint             instances;        /* >= 1; > 1 means N scale sets NAME-1..N, min = max = 1 */
  GPtrArray        *mounts;           /* element-type DrMount, owned */
  char             *runner_group;     /* NULL or "" means the Default group */
  GPtrArray        *labels;           /* element-type utf8: extra scale-set labels */
  DrCredentialKind  credential_kind;
  char             *credential_id;    /* keyring reference, never a secret; NULL until stored */
} DrRunnerSpec;

#define DR_TYPE_RUNNER_SPEC (dr_runner_spec_get_type ())

GType            dr_runner_spec_get_type          (void) G_GNUC_CONST;
DrRunnerSpec    *dr_runner_spec_new               (void);
DrRunnerSpec    *dr_runner_spec_ref               (DrRunnerSpec       *self);
void             dr_runner_spec_unref             (DrRunnerSpec       *self);
DrRunnerSpec    *dr_runner_spec_copy              (const DrRunnerSpec *self);
gboolean         dr_runner_spec_equal             (const DrRunnerSpec *a,
                                                   const DrRunnerSpec *b);

/* Checks one field (and the rules that tie it to others, e.g. instances and min/max). */
gboolean         dr_runner_spec_check_field       (const DrRunnerSpec *self,
                                                   DrSpecField         field,
                                                   GError            **error);
/* Checks every field; the error is the first failing field's message (DR_ERROR_INVALID). */
gboolean         dr_runner_spec_validate          (const DrRunnerSpec *self,
                                                   GError            **error);

/* The scale-set names this spec becomes: NAME, or NAME-1 .. NAME-N for instances. */
GStrv            dr_runner_spec_dup_scale_set_names (const DrRunnerSpec *self);

/* Field rules, usable on their own (the Add form checks as the user types). */
gboolean         dr_validate_runner_name          (const char         *name,
                                                   GError            **error);
gboolean         dr_validate_label                (const char         *label,
                                                   GError            **error);

/* Names as they appear in config files, the CLI and Kubernetes. */
const char      *dr_container_mode_to_string      (DrContainerMode     mode);
/* Accepts "kubernetes", "privileged", "dind" and the deskrun CLI's
 * "cached-privileged-kubernetes" (as privileged). */
gboolean         dr_container_mode_from_string    (const char         *text,
                                                   DrContainerMode    *out_mode,
                                                   GError            **error);
const char      *dr_credential_kind_to_string     (DrCredentialKind    kind);
gboolean         dr_credential_kind_from_string   (const char         *text,
                                                   DrCredentialKind   *out_kind,
                                                   GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrRunnerSpec, dr_runner_spec_unref)

G_END_DECLS
