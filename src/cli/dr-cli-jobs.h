/* dr-cli-jobs.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * deskrunctl's GitHub commands (dr-cli-jobs.c), and the jobs part of the JSON documents.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "dr-cli.h"

G_BEGIN_DECLS

int   dr_cli_workflows         (DrCli *cli, int argc, char **argv);
int   dr_cli_dispatch          (DrCli *cli, int argc, char **argv);
int   dr_cli_jobs              (DrCli *cli, int argc, char **argv);
int   dr_cli_job_logs          (DrCli *cli, int argc, char **argv);
int   dr_cli_credential        (DrCli *cli, int argc, char **argv);

/* Members "repositories", "error", "rate_limit" and "jobs" of the jobs document (README,
 * "jobs --json"), into the object @builder is building. */
void  dr_cli_add_job_feed_json (JsonBuilder *builder,
                                DrJobFeed   *feed);

/* status --json: reads each configured runner's jobs once and adds a "jobs" object (the
 * members above) to its object in @status's "runners" (same order as @runners). */
void  dr_cli_add_status_jobs   (DrCli       *cli,
                                JsonNode    *status,
                                GPtrArray   *runners);

G_END_DECLS
