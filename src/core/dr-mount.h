/* dr-mount.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One cache mount of a runner: a host path (or an automatic cache directory) seen at a path
 * inside the job container. Its text form, "target", "source:target" or
 * "source:target:type", is what deskrunctl takes and prints; dr_mount_to_string() of any
 * mount dr_mount_parse() accepted parses back to the same mount.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  DR_MOUNT_TYPE_DIRECTORY_OR_CREATE,
  DR_MOUNT_TYPE_DIRECTORY,
  DR_MOUNT_TYPE_SOCKET,
} DrMountType;

typedef struct
{
  char        *source;  /* host path; NULL means an automatic per-runner cache directory */
  char        *target;  /* absolute path inside the job container */
  DrMountType  type;
} DrMount;

/* "target", "src:target" or "src:target:type" (type DirectoryOrCreate | Directory | Socket). */
DrMount         *dr_mount_parse                   (const char         *text,
                                                   GError            **error);
DrMount         *dr_mount_new                     (const char         *source,
                                                   const char         *target,
                                                   DrMountType         type);
DrMount         *dr_mount_copy                    (const DrMount      *mount);
/* Field by field; a NULL and an empty source are the same (no source). */
gboolean         dr_mount_equal                   (const DrMount      *a,
                                                   const DrMount      *b);
void             dr_mount_free                    (DrMount            *mount);
char            *dr_mount_to_string               (const DrMount      *mount);

const char      *dr_mount_type_to_string          (DrMountType         type);
gboolean         dr_mount_type_from_string        (const char         *text,
                                                   DrMountType        *out_type,
                                                   GError            **error);

/* For dr-runner-spec.c's checks of a whole spec: the rules for one path (a source or a
 * target), and the canonical form targets are compared in. */
gboolean         _dr_mount_check_path             (const char         *path,
                                                   gboolean            is_target,
                                                   GError            **error);
char            *_dr_mount_canonical_path         (const char         *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrMount, dr_mount_free)

G_END_DECLS
