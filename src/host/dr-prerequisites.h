/* dr-prerequisites.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What this computer needs before deskrun can run a local cluster, checked by running the
 * tools (inside Flatpak: on the host): a container engine's command line (Docker, else
 * Podman), its daemon reachable by this user, kind, and free disk space under the cache
 * root. Each item that is missing says what is wrong and how to fix it, with the commands for
 * the user's distribution (from os-release: apt on Debian and Ubuntu, dnf on Fedora, pacman
 * on Arch, a general hint elsewhere).
 */
#pragma once

#include "dr-kind.h"

G_BEGIN_DECLS

/* Item ids, in the order they are checked and listed. */
#define DR_PREREQUISITE_CONTAINER "container"  /* docker or podman command line */
#define DR_PREREQUISITE_DAEMON    "daemon"     /* its daemon answers this user */
#define DR_PREREQUISITE_KIND      "kind"
#define DR_PREREQUISITE_DISK      "disk"

/* Below this much free space under the cache root the disk item fails: the node image,
 * ARC's images, the runner image and job caches take several GiB. */
#define DR_PREREQUISITES_MIN_FREE_DISK (G_GUINT64_CONSTANT (10) << 30)   /* 10 GiB */

typedef struct
{
  char     *id;      /* one of DR_PREREQUISITE_* */
  char     *title;   /* "Docker", "Docker daemon", "kind", "Free disk space" */
  gboolean  ok;
  char     *detail;  /* what was found ("Docker version 24.0.7"), or what is wrong */
  char     *fix;     /* what to do, commands on lines of their own indented by two spaces;
                      * NULL when ok, or when another item's fix must come first */
} DrPrerequisite;

typedef struct
{
  GPtrArray           *items;        /* DrPrerequisite, one per DR_PREREQUISITE_* id */
  DrContainerProvider  provider;     /* what dr_kind_new() should use; NONE when neither */
  char                *kind_version; /* "v0.32.0", or NULL when kind is missing */
} DrPrerequisites;

#define DR_TYPE_PREREQUISITES (dr_prerequisites_get_type ())

GType                 dr_prerequisites_get_type  (void) G_GNUC_CONST;
DrPrerequisites      *dr_prerequisites_copy      (const DrPrerequisites *self);
void                  dr_prerequisites_free      (DrPrerequisites       *self);
/* Whether every item is ok. */
gboolean              dr_prerequisites_all_ok    (const DrPrerequisites *self);
const DrPrerequisite *dr_prerequisites_lookup    (const DrPrerequisites *self,
                                                  const char            *id);

/* @cache_root NULL means $XDG_CACHE_HOME/deskrun. Fails only when cancelled: everything
 * else that goes wrong is an item that is not ok. */
void                  dr_prerequisites_check_async  (const char          *cache_root,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
DrPrerequisites      *dr_prerequisites_check_finish (GAsyncResult        *result,
                                                     GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrPrerequisites, dr_prerequisites_free)

G_END_DECLS
