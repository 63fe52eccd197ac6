/* dr-arc-render.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turns one configured runner into the Kubernetes objects ARC 0.14.2 needs in scale-set mode,
 * the same objects the gha-runner-scale-set chart would make, but without helm (FACTS.md §2).
 * Pure and deterministic: the same input gives byte-identical JSON (fixed member order, no
 * timestamps, no random names), so the engine can diff and server-side apply it and the
 * tests can keep golden files.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dr-credential.h"
#include "dr-runner-spec.h"

G_BEGIN_DECLS

/* Where the objects go and whom they name. A NULL field takes the default given beside it;
 * dr_arc_render_options_init() fills in the defaults for deskrun's own kind cluster. */
typedef struct
{
  const char *runner_namespace;            /* NULL: DR_DEFAULT_RUNNER_NAMESPACE */
  const char *controller_namespace;        /* NULL: DR_DEFAULT_CONTROLLER_NAMESPACE */
  const char *controller_service_account;  /* NULL: DR_ARC_CONTROLLER_SA */
  /* The kubernetes-mode work volume (a generic ephemeral PVC). NULL or "": no
   * storageClassName, so the cluster's default class is used. kind: "standard". */
  const char *storage_class;
  const char *work_volume_size;            /* NULL: DR_ARC_WORK_VOLUME_SIZE */
} DrArcRenderOptions;

/* Defaults for deskrun's kind cluster (storage class DR_KIND_STORAGE_CLASS). Passing NULL
 * options to the functions below means the same. */
void        dr_arc_render_options_init (DrArcRenderOptions       *options);

/* All objects for one configured runner, every instance, in apply order: for each scale set
 * its namespace-scoped helpers (Secret, ServiceAccount, Roles, RoleBindings, ConfigMap), then
 * every AutoscalingRunnerSet last, because the controller reconciles an ARS at once and needs
 * the helpers to exist (FACTS.md §2.6). Element type: JsonNode (objects), owned.
 *
 * @credential NULL renders the GitHub Secret with every key of spec->credential_kind set to
 * "", for previews. With a real credential the Secret holds it, base64-encoded, in data:
 * callers must never print, log or save a rendered list that was given a credential.
 *
 * Fails with DR_ERROR_INVALID, with dr_runner_spec_validate()'s message, when the spec is
 * invalid, or when @credential is incomplete or of another kind than spec->credential_kind. */
GPtrArray  *dr_arc_render_runner       (const DrRunnerSpec       *spec,
                                        const DrCredential       *credential,
                                        const DrArcRenderOptions *options,
                                        GError                  **error);

/* @objects as a Kubernetes List (apiVersion v1, kind List, items), pretty-printed with a
 * final newline: what deskrunctl prints and the golden files hold. */
char       *dr_arc_render_to_json      (GPtrArray                *objects);

/* The scale set (= ARS name = runnerScaleSetName = the `runs-on:` label) of instance
 * @instance (1-based) of runner @runner_name: NAME when @instances is 1, else NAME-<instance>
 * (FACTS.md §2.10). */
char       *dr_arc_scale_set_name      (const char               *runner_name,
                                        guint                     instances,
                                        guint                     instance);

/* Label selectors (the `labelSelector` query value) for what deskrun renders: every object of
 * runner @runner_name, or of one scale set. Controller-made children (listener, ERS, runner
 * pods) may inherit the ARS labels, so filter by kind when that matters. */
char       *dr_arc_runner_selector     (const char               *runner_name);
char       *dr_arc_scale_set_selector  (const char               *scale_set);

/* The names of the objects of one scale set (FACTS.md §2.1), as rendered. Fields that the
 * mode does not create are NULL. */
typedef struct
{
  char *scale_set;                      /* the AutoscalingRunnerSet */
  char *github_secret;
  char *manager_role;
  char *manager_role_binding;
  char *kube_mode_service_account;      /* kubernetes, privileged */
  char *kube_mode_role;                 /* kubernetes, privileged */
  char *kube_mode_role_binding;         /* kubernetes, privileged */
  char *no_permission_service_account;  /* dind */
  char *hook_config_map;                /* privileged */
} DrArcScaleSetNames;

DrArcScaleSetNames *dr_arc_scale_set_names_new  (const char         *scale_set,
                                                 DrContainerMode     mode);
void                dr_arc_scale_set_names_free (DrArcScaleSetNames *names);

/* One object to delete. */
typedef struct
{
  char *api_version;
  char *kind;
  char *namespace_;
  char *name;
} DrArcObjectRef;

/* The objects of @objects (as dr_arc_render_runner() returned them) in the order that avoids
 * stuck finalizers (FACTS.md §2.8): every AutoscalingRunnerSet first — the engine deletes
 * them and waits for 404, so the controller can deregister the scale set and strip its
 * cleanup finalizers — then the helpers in reverse apply order. Element type:
 * DrArcObjectRef, owned. */
GPtrArray  *dr_arc_deletion_order      (GPtrArray                *objects);
void        dr_arc_object_ref_free     (DrArcObjectRef           *ref);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrArcScaleSetNames, dr_arc_scale_set_names_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrArcObjectRef, dr_arc_object_ref_free)

G_END_DECLS
