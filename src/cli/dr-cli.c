/* dr-cli.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dr-cli.h"

char *
dr_cli_printable (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return NULL;
  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f || (c >= 0x80 && c < 0xa0) ||
          (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
        continue;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* One line, whatever the message holds: scripts read the last line of stderr. */
static char *
one_line (const char *message)
{
  g_autoptr(GString) line = g_string_new (message);

  g_strstrip (line->str);
  line->len = strlen (line->str);
  for (gsize i = 0; i < line->len; i++)
    if (line->str[i] == '\n' || line->str[i] == '\r' || line->str[i] == '\t')
      line->str[i] = ' ';
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static void
print_line (const char *message)
{
  g_autofree char *printable = dr_cli_printable (message);
  g_autofree char *line = one_line (printable);

  fflush (stdout);
  g_printerr ("%s: %s\n", DR_CLI_PROGRAM, line);
}

int
dr_cli_fail (DrCli      *cli,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  print_line (message);
  return DR_CLI_EXIT_FAILURE;
}

int
dr_cli_fail_error (DrCli        *cli,
                   const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return dr_cli_fail (cli, "%s", _("Cancelled."));
  return dr_cli_fail (cli, "%s", error->message);
}

int
dr_cli_usage (DrCli      *cli,
              const char *format,
              ...)
{
  g_autofree char *message = NULL;
  g_autofree char *hint = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (cli->command != NULL)
    /* Translators: the end of a usage error; %s is "deskrunctl add --help". */
    hint = g_strdup_printf (_("See “%s %s --help”."), DR_CLI_PROGRAM, cli->command);
  else
    hint = g_strdup_printf (_("See “%s --help”."), DR_CLI_PROGRAM);

  {
    g_autofree char *line = g_strdup_printf ("%s %s", message, hint);
    print_line (line);
  }
  return DR_CLI_EXIT_USAGE;
}

void
dr_cli_warn (DrCli      *cli,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: a warning printed by deskrunctl; it goes on. */
  line = g_strdup_printf (_("warning: %s"), message);
  print_line (line);
}

GOptionContext *
dr_cli_option_context_new (DrCli              *cli,
                           const char         *parameters,
                           const char         *summary,
                           const GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (summary != NULL)
    g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return context;
}

gboolean
dr_cli_parse (DrCli            *cli,
              GOptionContext   *context,
              int              *argc,
              char           ***argv,
              int              *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("%s %s", DR_CLI_PROGRAM, cli->command);

  /* The usage line of --help reads "deskrunctl add [OPTION…] NAME". */
  g_set_prgname (prgname);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = dr_cli_usage (cli, "%s.", error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
dr_cli_parse_uint (DrCli      *cli,
                   const char *option,
                   const char *text,
                   guint       max,
                   guint      *out_value,
                   int        *status)
{
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 0, max, &value, NULL))
    {
      *status = dr_cli_usage (cli, _("%s wants a whole number from 0 to %u, not “%s”."),
                              option, max, text);
      return FALSE;
    }
  *out_value = (guint) value;
  return TRUE;
}

char *
dr_cli_pad (const char *text,
            guint       width)
{
  glong length = g_utf8_strlen (text, -1);
  GString *padded = g_string_new (text);

  for (glong i = length; i < (glong) width; i++)
    g_string_append_c (padded, ' ');
  return g_string_free (padded, FALSE);
}

/* Runners */

GPtrArray *
dr_cli_dup_runners (DrCli *cli)
{
  GListModel *model = dr_engine_get_runners (cli->engine);
  GPtrArray *runners = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (runners, g_list_model_get_item (model, i));
  return runners;
}

int
dr_cli_fail_no_runner (DrCli      *cli,
                       const char *name)
{
  return dr_cli_fail (cli, _("There is no runner named “%s”. “%s list” shows the runners."),
                      name, DR_CLI_PROGRAM);
}

gboolean
dr_cli_take_name (DrCli       *cli,
                  int          argc,
                  char       **argv,
                  gboolean     optional,
                  const char **out_name,
                  int         *status)
{
  if (argc > 2)
    {
      *status = dr_cli_usage (cli, _("Unexpected argument “%s”."), argv[2]);
      return FALSE;
    }
  if (argc < 2 && !optional)
    {
      *status = dr_cli_usage (cli, _("Name the runner."));
      return FALSE;
    }
  *out_name = argc == 2 ? argv[1] : NULL;
  return TRUE;
}

/* Waiting */

void
dr_cli_async_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DrCli *cli = user_data;

  g_assert (cli->result == NULL);
  cli->result = g_object_ref (result);
  g_main_loop_quit (cli->loop);
}

GAsyncResult *
dr_cli_wait (DrCli *cli)
{
  while (cli->result == NULL)
    g_main_loop_run (cli->loop);
  return g_steal_pointer (&cli->result);
}

void
dr_cli_load_config (DrCli *cli)
{
  const char *problem;

  dr_engine_load (cli->engine);
  problem = dr_engine_get_config_problem (cli->engine);
  if (problem != NULL)
    dr_cli_warn (cli, "%s", problem);
}

/* Operations */

typedef struct
{
  DrCli       *cli;
  gboolean     tty;
  gboolean     drawn;   /* a progress line is on the terminal */
} OperationView;

static void
clear_progress (OperationView *view)
{
  if (!view->drawn)
    return;
  fputs ("\r\033[K", stderr);
  fflush (stderr);
  view->drawn = FALSE;
}

static void
draw_progress (OperationView *view,
               DrOperation   *operation)
{
  const char *step = dr_operation_get_step (operation);
  double fraction = dr_operation_get_fraction (operation);
  g_autofree char *printable = NULL;
  g_autofree char *text = NULL;

  if (!view->tty)
    return;

  if (step == NULL)
    step = dr_operation_get_title (operation);
  printable = dr_cli_printable (step != NULL ? step : "");
  if (fraction >= 0.0)
    text = g_strdup_printf ("[%3d%%] %s", (int) (fraction * 100.0 + 0.5), printable);
  else
    text = g_strdup_printf ("[ … ] %s", printable);

  /* Keep it on one line of a narrow terminal: a wrapped line cannot be redrawn with \r. */
  if (g_utf8_strlen (text, -1) > 72)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, 71);
      g_free (text);
      text = g_strconcat (cut, "…", NULL);
    }

  fprintf (stderr, "\r\033[K%s", text);
  fflush (stderr);
  view->drawn = TRUE;
}

static void
print_log_line (OperationView *view,
                const char    *text)
{
  g_autofree char *line = dr_cli_printable (text);

  clear_progress (view);
  if (view->cli->verbose)
    {
      g_print ("%s\n", line);
      fflush (stdout);
    }
  else
    g_printerr ("%s\n", line);
}

static void
operation_log_cb (DrOperation *operation,
                  const char  *line,
                  gpointer     user_data)
{
  OperationView *view = user_data;

  print_log_line (view, line);
  draw_progress (view, operation);
}

static void
operation_progress_cb (DrOperation *operation,
                       GParamSpec  *pspec,
                       gpointer     user_data)
{
  draw_progress (user_data, operation);
}

gboolean
dr_cli_wait_operation (DrCli        *cli,
                       DrOperation  *operation,
                       gboolean      show,
                       GError      **error)
{
  OperationView view = { cli, show && isatty (STDERR_FILENO), FALSE };
  g_autoptr(GAsyncResult) result = NULL;
  gulong log_id = 0, step_id = 0, fraction_id = 0;
  gboolean ok;

  if (show)
    {
      g_autofree char *so_far = dr_operation_dup_log (operation);

      /* What the operation logged before we got it (it may even have finished already). */
      if (so_far != NULL && so_far[0] != '\0')
        {
          g_auto(GStrv) lines = g_strsplit (so_far, "\n", -1);

          for (guint i = 0; lines[i] != NULL; i++)
            if (lines[i][0] != '\0')
              print_log_line (&view, lines[i]);
        }

      log_id = g_signal_connect (operation, "log", G_CALLBACK (operation_log_cb), &view);
      step_id = g_signal_connect (operation, "notify::step",
                                  G_CALLBACK (operation_progress_cb), &view);
      fraction_id = g_signal_connect (operation, "notify::fraction",
                                      G_CALLBACK (operation_progress_cb), &view);
      draw_progress (&view, operation);
    }

  cli->operation = operation;
  dr_operation_wait_async (operation, NULL, dr_cli_async_cb, cli);
  result = dr_cli_wait (cli);
  cli->operation = NULL;

  if (show)
    {
      g_signal_handler_disconnect (operation, log_id);
      g_signal_handler_disconnect (operation, step_id);
      g_signal_handler_disconnect (operation, fraction_id);
      clear_progress (&view);
    }

  ok = dr_operation_wait_finish (operation, result, error);
  return ok;
}

int
dr_cli_run_operation (DrCli       *cli,
                      DrOperation *operation)
{
  g_autoptr(GError) error = NULL;

  if (!dr_cli_wait_operation (cli, operation, TRUE, &error))
    return dr_cli_fail_error (cli, error);
  return DR_CLI_EXIT_OK;
}
