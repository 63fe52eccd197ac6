/* dr-engine.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one facade the window, the tray and deskrunctl talk to (DESIGN.md). It holds the
 * desired state (the config, secrets in the keyring) and exposes runners as a GListModel of
 * DrRunner; every verb is asynchronous and cancellable.
 */
#pragma once

#include <gio/gio.h>

#include "dr-config.h"
#include "dr-credential.h"
#include "dr-runner.h"
#include "dr-runner-spec.h"

G_BEGIN_DECLS

#define DR_TYPE_ENGINE (dr_engine_get_type ())
G_DECLARE_FINAL_TYPE (DrEngine, dr_engine, DR, ENGINE, GObject)

typedef struct
{
  GStrv  imported;     /* names of the runners that were added */
  GStrv  warnings;     /* one sentence per installation that was skipped, and why */
  char  *legacy_path;  /* the old file, which still holds the tokens in plain text */
} DrImportReport;

void            dr_import_report_free            (DrImportReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrImportReport, dr_import_report_free)

/* NULL paths mean the defaults ($XDG_CONFIG_HOME/deskrun/config.json, ~/.deskrun/config.json). */
DrEngine       *dr_engine_new                    (const char      *config_path,
                                                  const char      *legacy_config_path);

/* Reads the config. When it cannot be used the engine still starts, with no runners, and
 * dr_engine_get_config_problem() says what happened; the broken file is never overwritten. */
void            dr_engine_load                   (DrEngine        *self);
const char     *dr_engine_get_config_problem     (DrEngine        *self);
DrConfig       *dr_engine_get_config             (DrEngine        *self);

/* DrRunner items, in configuration order. */
GListModel     *dr_engine_get_runners            (DrEngine        *self);
DrRunner       *dr_engine_lookup_runner          (DrEngine        *self,
                                                  const char      *name);

/* Validates, stores the credential in the keyring, then saves the runner to the config.
 * Nothing is left behind on failure: a stored credential is deleted again. */
void            dr_engine_add_runner_async       (DrEngine            *self,
                                                  DrRunnerSpec        *spec,
                                                  const DrCredential  *credential,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
DrRunner       *dr_engine_add_runner_finish      (DrEngine            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Removes the runner from the config, then its credential from the keyring. */
void            dr_engine_remove_runner_async    (DrEngine            *self,
                                                  const char          *name,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        dr_engine_remove_runner_finish   (DrEngine            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* The deskrun CLI's config (FACTS.md §2.11): whether it exists, and importing it. */
gboolean        dr_engine_has_legacy_config      (DrEngine            *self);
const char     *dr_engine_get_legacy_config_path (DrEngine            *self);
void            dr_engine_import_legacy_async    (DrEngine            *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
DrImportReport *dr_engine_import_legacy_finish   (DrEngine            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
