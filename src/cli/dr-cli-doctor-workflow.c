/* dr-cli-doctor-workflow.c — deskrunctl doctor --workflow FILE [--json]
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads one workflow file from disk and tells, job by job, where it will run against the
 * configured runners. No network and no cluster: only the file, the files it calls with
 * "uses: ./…", and the config.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dr-cli.h"
#include "dr-cli-output.h"
#include "dr-config.h"
#include "dr-routing.h"
#include "dr-workflow.h"

/* Reason and fix lines are wrapped to this many columns after their indentation. */
#define TEXT_WIDTH 78
#define INDENT 10

/* The repository a workflow file belongs to: the folder holding its .github, else the
 * file's own folder. "uses: ./PATH" is relative to it. */
static char *
repository_root (const char *file)
{
  g_autofree char *absolute = g_canonicalize_filename (file, NULL);
  g_autofree char *dir = g_path_get_dirname (absolute);

  for (char *probe = g_strdup (dir); ; )
    {
      g_autofree char *base = g_path_get_basename (probe);
      char *parent;

      if (g_str_equal (base, ".github"))
        {
          parent = g_path_get_dirname (probe);
          g_free (probe);
          return parent;
        }
      parent = g_path_get_dirname (probe);
      if (g_str_equal (parent, probe))
        {
          g_free (parent);
          g_free (probe);
          return g_steal_pointer (&dir);
        }
      g_free (probe);
      probe = parent;
    }
}

static char *
read_called (const char  *path,
             gpointer     user_data,
             GError     **error)
{
  const char *root = user_data;
  g_autofree char *full = NULL;
  char *text = NULL;
  const char *relative = path + 2;

  /* Only "./…" reaches here; a path that climbs out of the repository is not one GitHub
   * would read either. */
  if (*relative == '\0' || g_path_is_absolute (relative) || strstr (relative, "..") != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                   _("“%s” is not a path inside the repository"), path);
      return NULL;
    }
  full = g_build_filename (root, relative, NULL);
  if (!g_file_get_contents (full, &text, NULL, error))
    return NULL;
  return text;
}

/* runs-on as a person writes it in YAML: a, [a, b], {group: g, labels: [a]}. */
static void
append_yaml (GString  *out,
             JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    g_string_append (out, "null");
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          append_yaml (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *member;
      gboolean first = TRUE;

      g_string_append_c (out, '{');
      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &key, &member))
        {
          g_string_append_printf (out, "%s%s: ", first ? "" : ", ", key);
          append_yaml (out, member);
          first = FALSE;
        }
      g_string_append_c (out, '}');
    }
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    g_string_append (out, json_node_get_string (node));
  else
    {
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append (out, text);
    }
}

/* Prints TEXT word-wrapped, every line indented, the first prefixed with LEAD if given. */
static void
print_wrapped (const char *lead,
               const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  g_autofree char *indent = dr_cli_pad ("", INDENT);
  g_autoptr(GString) line = g_string_new (lead);
  guint width = lead != NULL ? g_utf8_strlen (lead, -1) : 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      guint len = g_utf8_strlen (words[i], -1);

      if (width > 0 && width + 1 + len > TEXT_WIDTH)
        {
          g_print ("%s%s\n", indent, line->str);
          g_string_truncate (line, 0);
          width = 0;
        }
      if (width > 0)
        {
          g_string_append_c (line, ' ');
          width++;
        }
      g_string_append (line, words[i]);
      width += len;
    }
  if (line->len > 0)
    g_print ("%s%s\n", indent, line->str);
}

static void
print_route (const DrRoute *route)
{
  g_autofree char *verdict = dr_cli_pad (dr_route_verdict_to_string (route->verdict), INDENT - 1);
  g_autoptr(GString) written = g_string_new (NULL);

  if (route->runs_on != NULL)
    {
      g_string_append (written, "runs-on: ");
      append_yaml (written, route->runs_on);
    }
  /* Translators: a job in `deskrunctl doctor --workflow`: its id, where it is written */
  g_print (_("%s %s  (%s:%u)\n"), verdict, route->job, route->file, route->line);
  if (written->len > 0)
    print_wrapped (NULL, written->str);
  print_wrapped (NULL, route->reason);
  if (route->fix != NULL)
    {
      /* Translators: leads the fix in `deskrunctl doctor --workflow` */
      print_wrapped (_("Fix:"), route->fix);
    }
}

static int
print_json (const char   *file,
            const GError *error,
            GPtrArray    *routes)
{
  g_autoptr(JsonNode) report = dr_routing_report_to_json (file, error, routes);
  g_autofree char *text = dr_cli_json_to_string (report, TRUE);

  g_print ("%s", text);
  return DR_CLI_EXIT_OK;
}

int
dr_cli_doctor_workflow (DrCli      *cli,
                        const char *file,
                        gboolean    json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DrWorkflow) workflow = NULL;
  g_autoptr(GPtrArray) specs = NULL;
  g_autoptr(GPtrArray) scale_sets = NULL;
  g_autoptr(GPtrArray) routes = NULL;
  g_autofree char *text = NULL;
  g_autofree char *root = NULL;
  gsize length = 0;
  DrConfig *config;
  guint n_blocked = 0;

  dr_cli_load_config (cli);
  config = dr_engine_get_config (cli->engine);
  specs = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_runner_spec_unref);
  for (guint i = 0; config != NULL && i < dr_config_get_n_runners (config); i++)
    g_ptr_array_add (specs, dr_runner_spec_ref (dr_config_get_runner (config, i)));
  scale_sets = dr_routing_scale_sets_from_specs (specs);

  if (!g_file_get_contents (file, &text, &length, &error) ||
      (workflow = dr_workflow_parse (file, text, length, &error)) == NULL)
    {
      if (json)
        {
          print_json (file, error, NULL);
          return DR_CLI_EXIT_FAILURE;
        }
      return dr_cli_fail_error (cli, error);
    }

  root = repository_root (file);
  routes = dr_routing_check_workflow (workflow, scale_sets, read_called, root);
  for (guint i = 0; i < routes->len; i++)
    {
      const DrRoute *route = g_ptr_array_index (routes, i);

      if (route->verdict == DR_ROUTE_NEVER || route->verdict == DR_ROUTE_INVALID)
        n_blocked++;
    }

  if (json)
    {
      print_json (file, NULL, routes);
      return n_blocked > 0 ? DR_CLI_EXIT_FAILURE : DR_CLI_EXIT_OK;
    }

  {
    const char *name = dr_workflow_get_name (workflow);
    g_autoptr(GString) runners = g_string_new (NULL);

    for (guint i = 0; i < specs->len; i++)
      g_string_append_printf (runners, "%s%s", i > 0 ? ", " : "",
                              ((DrRunnerSpec *) g_ptr_array_index (specs, i))->name);
    if (name != NULL)
      /* Translators: %s: file, workflow name */
      g_print (_("%s — workflow “%s”\n"), file, name);
    else
      g_print ("%s\n", file);
    if (specs->len == 0)
      g_print (_("No runner is configured; every job is checked against none.\n"));
    else
      g_print (g_dngettext (GETTEXT_PACKAGE, "Checked against runner %s.\n",
                            "Checked against runners %s.\n", specs->len), runners->str);
  }
  for (guint i = 0; i < routes->len; i++)
    {
      g_print ("\n");
      print_route (g_ptr_array_index (routes, i));
    }

  if (n_blocked > 0)
    return dr_cli_fail (cli, g_dngettext (GETTEXT_PACKAGE,
                                          "%u job can never run as written; see its fix above.",
                                          "%u jobs can never run as written; see their fixes "
                                          "above.", n_blocked),
                        n_blocked);
  return DR_CLI_EXIT_OK;
}
