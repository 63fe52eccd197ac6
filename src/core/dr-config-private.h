/* dr-config-private.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What dr-config.c (the model) and dr-config-json.c (the document) share.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dr-config.h"

G_BEGIN_DECLS

/* One element of the "runners" array, in file order. Entries that cannot be used are kept
 * exactly as they were read so that saving never loses what a hand edit or another deskrun
 * put there. */
typedef struct
{
  JsonNode     *node;     /* the element as read (an object for usable entries) */
  DrRunnerSpec *spec;     /* NULL when the entry cannot be used */
  char         *problem;  /* why it cannot be used, a sentence; NULL when spec is set */
} DrConfigEntry;

struct _DrConfig
{
  GObject        parent_instance;

  char          *path;
  JsonObject    *root;                  /* the whole document, unknown members included */
  GPtrArray     *entries;               /* element-type DrConfigEntry */

  DrClusterKind  cluster_kind;
  char          *cluster_name;
  char          *runner_namespace;
  char          *controller_namespace;
  char          *chart_registry;          /* NULL: the default registry */
  char          *chart_registry_problem;  /* why the file's value is not used, or NULL */

  gboolean       read_only;
  gboolean       fail_before_rename;
};

void           _dr_config_entry_free     (DrConfigEntry *entry);
/* The name an entry goes by, usable or not: what put_runner() and remove_runner() match. */
const char    *_dr_config_entry_get_name (DrConfigEntry *entry);
DrConfigEntry *_dr_config_find_entry     (DrConfig      *self,
                                          const char    *name,
                                          gboolean       usable_only,
                                          guint         *out_index);

G_END_DECLS
