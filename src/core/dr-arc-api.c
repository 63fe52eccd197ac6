/* dr-arc-api.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-arc-api.h"

const char *
dr_arc_api_plural (const char *kind)
{
  static const struct
  {
    const char *kind;
    const char *plural;
  } plurals[] = {
    { DR_ARC_KIND_SCALE_SET, DR_ARC_PLURAL_SCALE_SETS },
    { DR_ARC_KIND_LISTENER, DR_ARC_PLURAL_LISTENERS },
    { DR_ARC_KIND_EPHEMERAL_RUNNER_SET, DR_ARC_PLURAL_EPHEMERAL_RUNNER_SETS },
    { DR_ARC_KIND_EPHEMERAL_RUNNER, DR_ARC_PLURAL_EPHEMERAL_RUNNERS },
    { "Namespace", "namespaces" },
    { "Secret", "secrets" },
    { "ServiceAccount", "serviceaccounts" },
    { "ConfigMap", "configmaps" },
    { "Pod", "pods" },
    { "Role", "roles" },
    { "RoleBinding", "rolebindings" },
    { "ClusterRole", "clusterroles" },
    { "ClusterRoleBinding", "clusterrolebindings" },
    { "Deployment", "deployments" },
    { "CustomResourceDefinition", "customresourcedefinitions" },
  };

  g_return_val_if_fail (kind != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (plurals); i++)
    if (g_str_equal (plurals[i].kind, kind))
      return plurals[i].plural;
  return NULL;
}
