/* dr-cli-output.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-cli-output.h"
#include "dr-ephemeral-runner.h"
#include "dr-runner-instance.h"

/* Tables */

struct _DrCliTable
{
  guint      n_columns;
  GPtrArray *rows;   /* GStrv, the headers first */
};

DrCliTable *
dr_cli_table_new (const char * const *headers)
{
  DrCliTable *table = g_new0 (DrCliTable, 1);

  table->n_columns = g_strv_length ((GStrv) headers);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_ptr_array_add (table->rows, g_strdupv ((GStrv) headers));
  return table;
}

void
dr_cli_table_add_row (DrCliTable         *table,
                      const char * const *cells)
{
  GStrv row = g_new0 (char *, table->n_columns + 1);

  for (guint i = 0; i < table->n_columns; i++)
    row[i] = g_strdup (cells[i] != NULL ? cells[i] : "");
  g_ptr_array_add (table->rows, row);
}

void
dr_cli_table_print (DrCliTable *table)
{
  g_autofree glong *widths = g_new0 (glong, table->n_columns);

  for (guint r = 0; r < table->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < table->n_columns; c++)
        widths[c] = MAX (widths[c], g_utf8_strlen (row[c], -1));
    }

  for (guint r = 0; r < table->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (table->rows, r);
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < table->n_columns; c++)
        {
          g_string_append (line, row[c]);
          if (c + 1 < table->n_columns)
            for (glong pad = g_utf8_strlen (row[c], -1); pad < widths[c] + 2; pad++)
              g_string_append_c (line, ' ');
        }
      /* The last column may be empty: no trailing blanks. */
      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      g_print ("%s\n", line->str);
    }
}

void
dr_cli_table_free (DrCliTable *table)
{
  if (table == NULL)
    return;
  g_ptr_array_unref (table->rows);
  g_free (table);
}

char *
dr_cli_describe_scaling (const DrRunnerSpec *spec)
{
  if (spec->instances > 1)
    /* Translators: how a runner with cache-isolated instances scales. */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u instance of 1 runner",
                                         "%u instances of 1 runner", spec->instances),
                            spec->instances);
  /* Translators: minimum–maximum number of runners. */
  return g_strdup_printf (_("%u–%u runners"), spec->min_runners, spec->max_runners);
}

/* JSON */

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *found = g_enum_get_value (klass, value);

  return found != NULL ? found->value_nick : "unknown";
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL && value[0] != '\0')
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_counts (JsonBuilder *builder,
            guint        current,
            guint        pending,
            guint        running,
            guint        failed)
{
  json_builder_set_member_name (builder, "runners");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "current");
  json_builder_add_int_value (builder, current);
  json_builder_set_member_name (builder, "pending");
  json_builder_add_int_value (builder, pending);
  json_builder_set_member_name (builder, "running");
  json_builder_add_int_value (builder, running);
  json_builder_set_member_name (builder, "failed");
  json_builder_add_int_value (builder, failed);
  json_builder_end_object (builder);
}

static void
add_listener (JsonBuilder     *builder,
              DrListenerState  state,
              const char      *pod)
{
  json_builder_set_member_name (builder, "listener");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, enum_nick (DR_TYPE_LISTENER_STATE, state));
  add_string_or_null (builder, "pod", pod);
  json_builder_end_object (builder);
}

static void
add_ephemeral_runner (JsonBuilder       *builder,
                      DrEphemeralRunner *ephemeral)
{
  json_builder_begin_object (builder);
  add_string_or_null (builder, "name", dr_ephemeral_runner_get_name (ephemeral));
  add_string_or_null (builder, "scale_set", dr_ephemeral_runner_get_scale_set (ephemeral));
  add_string_or_null (builder, "phase", dr_ephemeral_runner_get_phase (ephemeral));
  add_string_or_null (builder, "pod_phase", dr_ephemeral_runner_get_pod_phase (ephemeral));
  json_builder_set_member_name (builder, "ready");
  json_builder_add_boolean_value (builder, dr_ephemeral_runner_get_ready (ephemeral));
  json_builder_set_member_name (builder, "busy");
  json_builder_add_boolean_value (builder, dr_ephemeral_runner_get_busy (ephemeral));

  json_builder_set_member_name (builder, "job");
  if (dr_ephemeral_runner_get_job_display_name (ephemeral) != NULL ||
      dr_ephemeral_runner_get_workflow_run_id (ephemeral) != 0)
    {
      json_builder_begin_object (builder);
      add_string_or_null (builder, "name", dr_ephemeral_runner_get_job_display_name (ephemeral));
      add_string_or_null (builder, "repository",
                          dr_ephemeral_runner_get_job_repository (ephemeral));
      json_builder_set_member_name (builder, "workflow_run_id");
      if (dr_ephemeral_runner_get_workflow_run_id (ephemeral) != 0)
        json_builder_add_int_value (builder, dr_ephemeral_runner_get_workflow_run_id (ephemeral));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_end_object (builder);
}

static void
add_instance (JsonBuilder      *builder,
              DrRunnerInstance *instance)
{
  json_builder_begin_object (builder);
  add_string_or_null (builder, "scale_set", dr_runner_instance_get_scale_set (instance));
  json_builder_set_member_name (builder, "deployed");
  json_builder_add_boolean_value (builder, dr_runner_instance_get_deployed (instance));
  add_string_or_null (builder, "phase", dr_runner_instance_get_phase (instance));
  add_counts (builder,
              dr_runner_instance_get_current_runners (instance),
              dr_runner_instance_get_pending_runners (instance),
              dr_runner_instance_get_running_runners (instance),
              dr_runner_instance_get_failed_runners (instance));
  add_listener (builder, dr_runner_instance_get_listener_state (instance),
                dr_runner_instance_get_listener_pod (instance));
  json_builder_end_object (builder);
}

/* What the engine observes: "observed" is null when there is no cluster to observe. */
static void
add_observed (JsonBuilder *builder,
              DrRunner    *runner,
              gboolean     connected)
{
  GListModel *ephemeral_runners = dr_runner_get_ephemeral_runners (runner);
  GListModel *instances = dr_runner_get_instances (runner);
  guint n;

  add_string_or_null (builder, "detail", dr_runner_get_status_detail (runner));

  json_builder_set_member_name (builder, "observed");
  if (!connected)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "deployed");
  json_builder_add_boolean_value (builder, dr_runner_get_deployed (runner));
  add_string_or_null (builder, "phase", dr_runner_get_phase (runner));
  add_counts (builder,
              dr_runner_get_current_runners (runner),
              dr_runner_get_pending_runners (runner),
              dr_runner_get_running_runners (runner),
              dr_runner_get_failed_runners (runner));
  add_listener (builder, dr_runner_get_listener_state (runner),
                dr_runner_get_listener_pod (runner));

  json_builder_set_member_name (builder, "ephemeral_runners");
  json_builder_begin_array (builder);
  n = g_list_model_get_n_items (ephemeral_runners);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrEphemeralRunner) ephemeral = g_list_model_get_item (ephemeral_runners, i);
      add_ephemeral_runner (builder, ephemeral);
    }
  json_builder_end_array (builder);

  /* Each scale set on its own: with instances the numbers above are sums. */
  json_builder_set_member_name (builder, "scale_sets");
  json_builder_begin_array (builder);
  n = g_list_model_get_n_items (instances);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DrRunnerInstance) instance = g_list_model_get_item (instances, i);
      add_instance (builder, instance);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

JsonNode *
dr_cli_runner_to_json (DrRunner *runner,
                       gboolean  connected)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  DrRunnerSpec *spec = dr_runner_get_spec (runner);
  g_auto(GStrv) scale_sets = dr_runner_spec_dup_scale_set_names (spec);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, spec->name);
  json_builder_set_member_name (builder, "repository");
  json_builder_add_string_value (builder, spec->repository_url);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, dr_container_mode_to_string (spec->mode));
  json_builder_set_member_name (builder, "min_runners");
  json_builder_add_int_value (builder, spec->min_runners);
  json_builder_set_member_name (builder, "max_runners");
  json_builder_add_int_value (builder, spec->max_runners);
  json_builder_set_member_name (builder, "instances");
  json_builder_add_int_value (builder, spec->instances);

  /* Every scale set answers to its name: these are the `runs-on:` values. */
  json_builder_set_member_name (builder, "scale_sets");
  json_builder_begin_array (builder);
  for (guint i = 0; scale_sets[i] != NULL; i++)
    json_builder_add_string_value (builder, scale_sets[i]);
  json_builder_end_array (builder);

  add_string_or_null (builder, "runner_group", spec->runner_group);

  json_builder_set_member_name (builder, "labels");
  json_builder_begin_array (builder);
  for (guint i = 0; spec->labels != NULL && i < spec->labels->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (spec->labels, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "mounts");
  json_builder_begin_array (builder);
  for (guint i = 0; spec->mounts != NULL && i < spec->mounts->len; i++)
    {
      g_autofree char *text = dr_mount_to_string (g_ptr_array_index (spec->mounts, i));
      json_builder_add_string_value (builder, text);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "credential");
  json_builder_add_string_value (builder, dr_credential_kind_to_string (spec->credential_kind));

  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, enum_nick (DR_TYPE_RUNNER_STATUS,
                                                     dr_runner_get_status (runner)));

  add_observed (builder, runner, connected);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
dr_cli_status_to_json (const DrCliClusterInfo *cluster,
                       GPtrArray              *runners)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, DR_CLI_STATUS_JSON_VERSION);

  json_builder_set_member_name (builder, "cluster");
  json_builder_begin_object (builder);
  add_string_or_null (builder, "kind", cluster->kind);
  add_string_or_null (builder, "name", cluster->name);
  json_builder_set_member_name (builder, "connected");
  json_builder_add_boolean_value (builder, cluster->connected);
  add_string_or_null (builder, "server", cluster->server);
  add_string_or_null (builder, "error", cluster->error);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "runners");
  json_builder_begin_array (builder);
  for (guint i = 0; i < runners->len; i++)
    {
      JsonNode *runner = dr_cli_runner_to_json (g_ptr_array_index (runners, i),
                                                cluster->connected);

      /* Not seen is not "not deployed". */
      if (cluster->unreachable)
        json_object_set_string_member (json_node_get_object (runner), "status", "unknown");
      json_builder_add_value (builder, runner);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

char *
dr_cli_json_to_string (JsonNode *node,
                       gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}
