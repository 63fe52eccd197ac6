/* dr-config-file.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The config file on disk, for core/dr-config.h's model: load, move a broken file aside,
 * atomic writes with mode 0600 in a 0700 directory.
 */
#pragma once

#include "dr-config.h"

G_BEGIN_DECLS

/* The default path, $XDG_CONFIG_HOME/deskrun/config.json. */
char          *dr_config_default_path        (void);

/* What to use after dr_config_load() failed: an empty config for @path. When a file is still
 * at @path (one from a newer deskrun, or a broken one that could not be moved aside) the
 * config is read-only, so that file is never overwritten; when the broken file was moved
 * aside it saves normally. */
DrConfig      *dr_config_new_fallback        (const char    *path);

/* A missing file gives an empty config. A file that cannot be read or parsed gives NULL and
 * DR_ERROR_BAD_CONFIG with a message naming the file and the problem; the broken file is
 * left exactly as it was, and is moved aside (renamed to config.json.broken-TIMESTAMP in the
 * same directory) so that later saves cannot replace it — the message says where it went.
 * A file with a newer "version" gives DR_ERROR_NEWER_CONFIG and is left in place. So is a
 * broken file that cannot be moved (the message says so). After any failure, continue with
 * dr_config_new_fallback().
 *
 * The file is opened without blocking and must be a regular file of at most 16 MB: a FIFO, a
 * device (a link to /dev/zero) or a socket at the path is refused like a broken file. Stale
 * temporary files of saves that never finished (".config.json.XXXXXX", older than a minute)
 * are removed from the directory first. */
DrConfig      *dr_config_load                (const char    *path,
                                              GError       **error);

/* Atomic: writes a temporary file in the same directory (0600), fsyncs it, and renames it
 * over the old one, so a crash mid-write leaves the old file whole. Creates the directory
 * with 0700 when needed. The file is 0600 even if the old one was not. Fails on a read-only
 * config. */
gboolean       dr_config_save                (DrConfig      *self,
                                              GError       **error);

G_END_DECLS
