/* dr-cli-cluster.c — deskrunctl doctor
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-cli.h"
#include "dr-prerequisites.h"

static void
print_check (gboolean    ok,
             const char *title,
             const char *detail,
             const char *fix)
{
  /* Translators: the first column of `deskrunctl doctor`, keep both equally short. */
  const char *mark = ok ? C_("doctor", "ok") : C_("doctor", "FAIL");

  g_print ("%-6s %-18s %s\n", mark, title, detail != NULL ? detail : "");
  if (fix != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (fix, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        g_print ("%-6s %-18s %s\n", "", "", lines[i]);
    }
}

int
dr_cli_doctor (DrCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DrPrerequisites) prerequisites = NULL;
  g_autoptr(GError) error = NULL;
  const char *problem;
  guint failed = 0;
  int status;

  context = dr_cli_option_context_new (cli, NULL,
                                       _("Checks what deskrun needs on this computer (a "
                                         "container engine, kind, disk space) and its "
                                         "configuration, and says how to fix what is "
                                         "missing."),
                                       NULL);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return dr_cli_usage (cli, _("Unexpected argument “%s”."), argv[1]);

  dr_prerequisites_check_async (NULL, cli->cancellable, dr_cli_async_cb, cli);
  result = dr_cli_wait (cli);
  prerequisites = dr_prerequisites_check_finish (result, &error);
  if (prerequisites == NULL)
    return dr_cli_fail_error (cli, error);

  for (guint i = 0; i < prerequisites->items->len; i++)
    {
      const DrPrerequisite *item = g_ptr_array_index (prerequisites->items, i);

      print_check (item->ok, item->title, item->detail, item->fix);
      if (!item->ok)
        failed++;
    }

  dr_engine_load (cli->engine);
  problem = dr_engine_get_config_problem (cli->engine);
  print_check (problem == NULL, _("Configuration"),
               problem != NULL ? problem
                               : dr_config_get_path (dr_engine_get_config (cli->engine)),
               NULL);
  if (problem != NULL)
    failed++;

  if (failed > 0)
    return dr_cli_fail (cli, g_dngettext (GETTEXT_PACKAGE,
                                          "%u check failed; see above for how to fix it.",
                                          "%u checks failed; see above for how to fix them.",
                                          failed),
                        failed);
  return DR_CLI_EXIT_OK;
}

/* up, down */

int
dr_cli_up (DrCli  *cli,
           int     argc,
           char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DrOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  context = dr_cli_option_context_new (cli, NULL,
                                       _("Brings every configured runner to its desired state "
                                         "in the cluster."),
                                       NULL);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return dr_cli_usage (cli, _("Unexpected argument “%s”."), argv[1]);

  dr_cli_load_config (cli);
  if (!dr_cli_connect (cli, &error))
    return dr_cli_fail_error (cli, error);
  operation = dr_engine_apply_all (cli->engine);
  return dr_cli_run_operation (cli, operation);
}

int
dr_cli_down (DrCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DrOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  context = dr_cli_option_context_new (cli, NULL,
                                       _("Removes every runner's scale sets from the cluster "
                                         "and keeps the configuration; “deskrunctl up” brings "
                                         "them back."),
                                       NULL);
  if (!dr_cli_parse (cli, context, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return dr_cli_usage (cli, _("Unexpected argument “%s”."), argv[1]);

  dr_cli_load_config (cli);
  if (!dr_cli_connect (cli, &error))
    return dr_cli_fail_error (cli, error);
  operation = dr_engine_remove_all_from_cluster (cli->engine);
  return dr_cli_run_operation (cli, operation);
}
