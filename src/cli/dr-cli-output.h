/* dr-cli-output.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How deskrunctl prints: aligned tables for people, and the versioned JSON of
 * `deskrunctl status --json` for scripts (its shape is documented in README.md; change it
 * only together with DR_CLI_STATUS_JSON_VERSION).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dr-cli.h"

G_BEGIN_DECLS

#define DR_CLI_STATUS_JSON_VERSION 1

typedef struct _DrCliTable DrCliTable;

/* @headers: NULL-terminated; the number of headers is the number of columns. */
DrCliTable *dr_cli_table_new           (const char * const *headers);
/* Takes @n_columns cells (NULL prints as empty). */
void        dr_cli_table_add_row       (DrCliTable         *table,
                                        const char * const *cells);
void        dr_cli_table_print         (DrCliTable         *table);
void        dr_cli_table_free          (DrCliTable         *table);

/* "1–5 runners", "3 instances of 1 runner". */
char       *dr_cli_describe_scaling    (const DrRunnerSpec *spec);

/* {"version": 1, "cluster": {…}, "runners": [{…}, …]} for @runners (DrRunner). */
JsonNode   *dr_cli_status_to_json      (const DrCliClusterInfo *cluster,
                                        GPtrArray              *runners);
/* One runner's object of the "runners" array. */
JsonNode   *dr_cli_runner_to_json      (DrRunner               *runner,
                                        gboolean                connected);
/* Compact (one line, for --watch) or pretty, with a final newline. */
char       *dr_cli_json_to_string      (JsonNode               *node,
                                        gboolean                pretty);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrCliTable, dr_cli_table_free)

G_END_DECLS
