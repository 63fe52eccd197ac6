/* dr-runner-page.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "dr-engine.h"
#include "dr-runner.h"

G_BEGIN_DECLS

#define DR_TYPE_RUNNER_PAGE (dr_runner_page_get_type ())
G_DECLARE_FINAL_TYPE (DrRunnerPage, dr_runner_page, DR, RUNNER_PAGE, GtkWidget)

DrRunner *dr_runner_page_get_runner (DrRunnerPage *self);
void      dr_runner_page_set_runner (DrRunnerPage *self,
                                     DrRunner     *runner);
/* The engine measures the runner's cache folders; without one the cache row stays hidden. */
void      dr_runner_page_set_engine (DrRunnerPage *self,
                                     DrEngine     *engine);
/* What a workflow puts in runs-on to reach this runner. */
char     *dr_runner_page_dup_runs_on (DrRunnerPage *self);

/* What the live part of the page says, one line per row (for tests). */
char     *_dr_runner_page_dup_live_text (DrRunnerPage *self);
/* What the cache row says, or NULL while it is hidden (for tests). */
const char *_dr_runner_page_get_cache_text (DrRunnerPage *self);

G_END_DECLS
