/* dr-host-command.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dr-error.h"
#include "dr-host-command-private.h"

#define DEFAULT_KILL_GRACE_MS 2000

struct _DrHostCommand
{
  GObject             parent_instance;

  GStrv               argv;
  GPtrArray          *env;             /* "NAME=VALUE", in the order set */
  GBytes             *input;
  DrHostCommandFlags  flags;
  char               *title;
  GStrv               spawned_argv;    /* cache for dr_host_command_get_spawned_argv() */
  guint               kill_grace_ms;

  /* One run */
  gboolean            started;
  GTask              *task;
  GSubprocess        *subprocess;
  pid_t               pid;             /* also the process group */
  GCancellable       *cancellable;
  gulong              cancelled_id;
  gboolean            cancel_requested;
  guint               kill_source_id;
  guint               n_pending;       /* stdout, stderr, wait */
  GQueue              tail;            /* char *, at most DR_HOST_COMMAND_TAIL_LINES */
  GOutputStream      *output_stream;   /* GMemoryOutputStream when capturing stdout */
  GBytes             *output;
  int                 exit_status;
};

G_DEFINE_FINAL_TYPE (DrHostCommand, dr_host_command, G_TYPE_OBJECT)

enum {
  LINE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static int in_flatpak = -1;

gboolean
dr_host_command_in_flatpak (void)
{
  int value = g_atomic_int_get (&in_flatpak);

  if (value < 0)
    {
      /* DR_FLATPAK_INFO lets tests stand in a fake /.flatpak-info for the whole program. */
      const char *info = g_getenv ("DR_FLATPAK_INFO");

      value = g_file_test (info != NULL && *info != '\0' ? info : "/.flatpak-info",
                           G_FILE_TEST_EXISTS) ? 1 : 0;
      g_atomic_int_set (&in_flatpak, value);
    }
  return value == 1;
}

void
_dr_host_command_override_in_flatpak (int value)
{
  g_atomic_int_set (&in_flatpak, value < 0 ? -1 : (value ? 1 : 0));
}

static void
dr_host_command_finalize (GObject *object)
{
  DrHostCommand *self = DR_HOST_COMMAND (object);

  g_assert (self->task == NULL);
  g_assert (self->kill_source_id == 0);

  g_clear_pointer (&self->argv, g_strfreev);
  g_clear_pointer (&self->env, g_ptr_array_unref);
  g_clear_pointer (&self->input, g_bytes_unref);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->spawned_argv, g_strfreev);
  g_clear_object (&self->subprocess);
  g_clear_object (&self->cancellable);
  g_queue_clear_full (&self->tail, g_free);
  g_clear_object (&self->output_stream);
  g_clear_pointer (&self->output, g_bytes_unref);

  G_OBJECT_CLASS (dr_host_command_parent_class)->finalize (object);
}

static void
dr_host_command_class_init (DrHostCommandClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  struct sigaction action;

  object_class->finalize = dr_host_command_finalize;

  /**
   * DrHostCommand::line:
   * @line: one line of output, valid UTF-8, without its line ending
   * @is_stderr: whether it came from stderr
   */
  signals[LINE] =
    g_signal_new ("line",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  /* A tool that exits before reading all of its stdin would otherwise kill us with SIGPIPE
   * when we write the rest; the write fails with EPIPE instead. Children get the default
   * back in child_setup(). */
  if (sigaction (SIGPIPE, NULL, &action) == 0 && action.sa_handler == SIG_DFL)
    signal (SIGPIPE, SIG_IGN);
}

static void
dr_host_command_init (DrHostCommand *self)
{
  self->env = g_ptr_array_new_with_free_func (g_free);
  self->kill_grace_ms = DEFAULT_KILL_GRACE_MS;
  self->exit_status = -1;
  g_queue_init (&self->tail);
}

static char *
make_title (const char * const *argv)
{
  g_autoptr(GString) title = g_string_new (NULL);
  g_autofree char *program = g_path_get_basename (argv[0]);

  g_string_append (title, program);
  for (guint i = 1; argv[i] != NULL && i <= 3; i++)
    {
      if (argv[i][0] == '-' || strchr (argv[i], '{') != NULL)
        break;
      g_string_append_c (title, ' ');
      g_string_append (title, argv[i]);
    }
  return g_string_free (g_steal_pointer (&title), FALSE);
}

DrHostCommand *
dr_host_command_new (const char * const *argv)
{
  DrHostCommand *self;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL && argv[0][0] != '\0', NULL);

  self = g_object_new (DR_TYPE_HOST_COMMAND, NULL);
  self->argv = g_strdupv ((char **)argv);
  self->title = make_title (argv);
  return self;
}

DrHostCommand *
dr_host_command_new_va (const char *program,
                        ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  const char *arg;
  va_list args;

  g_return_val_if_fail (program != NULL, NULL);

  g_strv_builder_add (builder, program);
  va_start (args, program);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_strv_builder_add (builder, arg);
  va_end (args);
  argv = g_strv_builder_end (builder);

  return dr_host_command_new ((const char * const *)argv);
}

void
dr_host_command_set_flags (DrHostCommand      *self,
                           DrHostCommandFlags  flags)
{
  g_return_if_fail (DR_IS_HOST_COMMAND (self));
  g_return_if_fail (!self->started);

  self->flags = flags;
}

void
dr_host_command_set_stdin (DrHostCommand *self,
                           GBytes        *input)
{
  g_return_if_fail (DR_IS_HOST_COMMAND (self));
  g_return_if_fail (!self->started);

  g_clear_pointer (&self->input, g_bytes_unref);
  if (input != NULL)
    self->input = g_bytes_ref (input);
}

void
dr_host_command_setenv (DrHostCommand *self,
                        const char    *name,
                        const char    *value)
{
  g_return_if_fail (DR_IS_HOST_COMMAND (self));
  g_return_if_fail (name != NULL && *name != '\0' && strchr (name, '=') == NULL);
  g_return_if_fail (value != NULL);
  g_return_if_fail (!self->started);

  g_ptr_array_add (self->env, g_strdup_printf ("%s=%s", name, value));
  g_clear_pointer (&self->spawned_argv, g_strfreev);
}

void
_dr_host_command_set_kill_grace (DrHostCommand *self,
                                 guint          milliseconds)
{
  g_return_if_fail (DR_IS_HOST_COMMAND (self));

  self->kill_grace_ms = milliseconds;
}

const char * const *
dr_host_command_get_argv (DrHostCommand *self)
{
  g_return_val_if_fail (DR_IS_HOST_COMMAND (self), NULL);

  return (const char * const *)self->argv;
}

const char * const *
dr_host_command_get_spawned_argv (DrHostCommand *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (DR_IS_HOST_COMMAND (self), NULL);

  /* Flatpak mode can be overridden by tests, so do not trust a cache made in the other. */
  g_clear_pointer (&self->spawned_argv, g_strfreev);

  builder = g_strv_builder_new ();
  if (dr_host_command_in_flatpak ())
    {
      g_strv_builder_add_many (builder, "flatpak-spawn", "--host", "--watch-bus", NULL);
      for (guint i = 0; i < self->env->len; i++)
        {
          g_autofree char *arg = g_strconcat ("--env=", g_ptr_array_index (self->env, i), NULL);

          g_strv_builder_add (builder, arg);
        }
    }
  g_strv_builder_addv (builder, (const char **)self->argv);
  self->spawned_argv = g_strv_builder_end (builder);

  return (const char * const *)self->spawned_argv;
}

const char *
dr_host_command_get_title (DrHostCommand *self)
{
  g_return_val_if_fail (DR_IS_HOST_COMMAND (self), NULL);

  return self->title;
}

int
dr_host_command_get_exit_status (DrHostCommand *self)
{
  g_return_val_if_fail (DR_IS_HOST_COMMAND (self), -1);

  return self->exit_status;
}

GBytes *
dr_host_command_get_output (DrHostCommand *self)
{
  g_return_val_if_fail (DR_IS_HOST_COMMAND (self), NULL);

  return self->output;
}

char *
dr_host_command_dup_tail (DrHostCommand *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (DR_IS_HOST_COMMAND (self), NULL);

  for (GList *l = self->tail.head; l != NULL; l = l->next)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, l->data);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
tail_contains (DrHostCommand *self,
               const char    *needle)
{
  for (GList *l = self->tail.head; l != NULL; l = l->next)
    if (strstr (l->data, needle) != NULL)
      return TRUE;
  return FALSE;
}

static void
child_setup (gpointer data)
{
  /* Runs in the child between fork and exec: async-signal-safe calls only. A new process
   * group lets a cancel reach the tool's own children as well. */
  setpgid (0, 0);
  signal (SIGPIPE, SIG_DFL);
}

static void
signal_group (DrHostCommand *self,
              int            signum)
{
  if (self->pid > 0 && kill (-self->pid, signum) != 0 && errno != ESRCH)
    g_debug ("Could not signal process group %d: %s", (int)self->pid, g_strerror (errno));
}

static gboolean
kill_timeout_cb (gpointer data)
{
  DrHostCommand *self = data;

  self->kill_source_id = 0;
  g_debug ("“%s” did not end within %u ms of SIGTERM; sending SIGKILL",
           self->title, self->kill_grace_ms);
  signal_group (self, SIGKILL);
  return G_SOURCE_REMOVE;
}

static gboolean
cancel_in_main_cb (gpointer data)
{
  DrHostCommand *self = data;
  g_autoptr(GSource) source = NULL;

  if (self->task == NULL || self->cancel_requested)
    return G_SOURCE_REMOVE;

  self->cancel_requested = TRUE;
  signal_group (self, SIGTERM);

  source = g_timeout_source_new (self->kill_grace_ms);
  g_source_set_callback (source, kill_timeout_cb, self, NULL);
  g_source_set_static_name (source, "[deskrun] host command kill");
  self->kill_source_id = g_source_attach (source, g_task_get_context (self->task));
  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable  *cancellable,
              DrHostCommand *self)
{
  /* May run in whichever thread cancelled; do the work in the task's context. */
  g_main_context_invoke_full (g_task_get_context (self->task), G_PRIORITY_DEFAULT,
                              cancel_in_main_cb, g_object_ref (self), g_object_unref);
}

static GError *
make_failure (DrHostCommand *self)
{
  g_autofree char *tail = dr_host_command_dup_tail (self);

  if (g_subprocess_get_if_signaled (self->subprocess))
    {
      int signum = g_subprocess_get_term_sig (self->subprocess);

      if (*tail == '\0')
        return g_error_new (DR_ERROR, DR_ERROR_HOST_COMMAND,
                            _("“%s” was ended by signal %d (%s)."),
                            self->title, signum, g_strsignal (signum));
      return g_error_new (DR_ERROR, DR_ERROR_HOST_COMMAND,
                          _("“%s” was ended by signal %d (%s):\n%s"),
                          self->title, signum, g_strsignal (signum), tail);
    }

  /* flatpak-spawn reports a program missing on the host as a failure to start it. */
  if (dr_host_command_in_flatpak () &&
      tail_contains (self, "Failed to start command") &&
      tail_contains (self, "No such file or directory"))
    {
      g_autofree char *program = g_path_get_basename (self->argv[0]);

      return g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                          _("%s is not installed on this computer (outside the Flatpak "
                            "sandbox), or not on the PATH."),
                          program);
    }

  if (*tail == '\0')
    return g_error_new (DR_ERROR, DR_ERROR_HOST_COMMAND,
                        _("“%s” failed (exit status %d) without saying why."),
                        self->title, self->exit_status);
  return g_error_new (DR_ERROR, DR_ERROR_HOST_COMMAND,
                      _("“%s” failed (exit status %d):\n%s"),
                      self->title, self->exit_status, tail);
}

static void
finish_run (DrHostCommand *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_clear_handle_id (&self->kill_source_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;

  if (self->output_stream != NULL)
    {
      self->output =
        g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (self->output_stream));
      g_clear_object (&self->output_stream);
    }

  if (g_subprocess_get_if_exited (self->subprocess))
    self->exit_status = g_subprocess_get_exit_status (self->subprocess);

  if (self->cancel_requested)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("“%s” was cancelled."), self->title);
  else if (self->exit_status == 0)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, make_failure (self));
}

static void
pending_done (DrHostCommand *self)
{
  g_assert (self->n_pending > 0);

  if (--self->n_pending == 0)
    finish_run (self);
}

static void
add_line (DrHostCommand *self,
          const char    *raw,
          gsize          length,
          gboolean       is_stderr)
{
  g_autofree char *line = g_utf8_make_valid (raw, length);

  g_queue_push_tail (&self->tail, g_strdup (line));
  while (self->tail.length > DR_HOST_COMMAND_TAIL_LINES)
    g_free (g_queue_pop_head (&self->tail));

  g_signal_emit (self, signals[LINE], 0, line, is_stderr);
}

typedef struct
{
  DrHostCommand    *self;
  GDataInputStream *stream;
  gboolean          is_stderr;
} LineReader;

static void read_next_line (LineReader *reader);

static void
line_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  LineReader *reader = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gsize length = 0;

  line = g_data_input_stream_read_line_finish (reader->stream, result, &length, &error);
  if (line != NULL)
    {
      add_line (reader->self, line, length, reader->is_stderr);
      read_next_line (reader);
      return;
    }

  if (error != NULL)
    g_debug ("Reading the output of “%s”: %s", reader->self->title, error->message);

  pending_done (reader->self);
  g_object_unref (reader->self);
  g_object_unref (reader->stream);
  g_free (reader);
}

static void
read_next_line (LineReader *reader)
{
  /* No cancellable: after a cancel we read until the killed group closes the pipes. */
  g_data_input_stream_read_line_async (reader->stream, G_PRIORITY_DEFAULT, NULL,
                                       line_read_cb, reader);
}

static void
start_line_reader (DrHostCommand *self,
                   GInputStream  *pipe,
                   gboolean       is_stderr)
{
  LineReader *reader = g_new0 (LineReader, 1);

  reader->self = g_object_ref (self);
  reader->stream = g_data_input_stream_new (pipe);
  reader->is_stderr = is_stderr;
  g_data_input_stream_set_newline_type (reader->stream, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  self->n_pending++;
  read_next_line (reader);
}

static void
splice_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(DrHostCommand) self = data;
  g_autoptr(GError) error = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (object), result, &error) < 0)
    g_debug ("Reading the output of “%s”: %s", self->title, error->message);
  pending_done (self);
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr(DrHostCommand) self = data;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_wait_finish (G_SUBPROCESS (object), result, &error))
    g_debug ("Waiting for “%s”: %s", self->title, error->message);

  /* After a cancel the leader is gone; whatever of its group ignored SIGTERM goes now. */
  if (self->cancel_requested)
    {
      g_clear_handle_id (&self->kill_source_id, g_source_remove);
      signal_group (self, SIGKILL);
    }
  pending_done (self);
}

static void
stdin_closed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr(DrHostCommand) self = data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error))
    g_debug ("Closing the stdin of “%s”: %s", self->title, error->message);
}

static void
stdin_written_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      data)
{
  g_autoptr(DrHostCommand) self = data;
  g_autoptr(GError) error = NULL;

  /* A tool may exit without reading its input; its exit status tells what happened. */
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    g_debug ("Writing the stdin of “%s”: %s", self->title, error->message);
  g_output_stream_close_async (G_OUTPUT_STREAM (object), G_PRIORITY_DEFAULT, NULL,
                               stdin_closed_cb, g_steal_pointer (&self));
}

static GError *
spawn_error (DrHostCommand *self,
             GError        *error)
{
  g_autofree char *program = g_path_get_basename (self->argv[0]);

  if (g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
    return g_error_new (DR_ERROR, DR_ERROR_NOT_FOUND,
                        _("%s is not installed, or not on the PATH."), program);
  return g_error_new (DR_ERROR, DR_ERROR_HOST_COMMAND,
                      _("Could not start “%s”: %s"), self->title, error->message);
}

void
dr_host_command_run_async (DrHostCommand       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program_path = NULL;
  g_auto(GStrv) argv = NULL;
  GSubprocessFlags spawn_flags;
  const char *identifier;

  g_return_if_fail (DR_IS_HOST_COMMAND (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dr_host_command_run_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  argv = g_strdupv ((char **)dr_host_command_get_spawned_argv (self));

  /* Outside Flatpak we can tell a missing tool before spawning; inside, only flatpak-spawn
   * can (make_failure). */
  if (!dr_host_command_in_flatpak ())
    {
      program_path = g_find_program_in_path (argv[0]);
      if (program_path == NULL)
        {
          g_autofree char *program = g_path_get_basename (argv[0]);

          g_task_return_new_error (task, DR_ERROR, DR_ERROR_NOT_FOUND,
                                   _("%s is not installed, or not on the PATH."), program);
          return;
        }
      g_free (argv[0]);
      argv[0] = g_steal_pointer (&program_path);
    }

  spawn_flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;
  if (self->input != NULL)
    spawn_flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
  launcher = g_subprocess_launcher_new (spawn_flags);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  if (!dr_host_command_in_flatpak ())
    {
      for (guint i = 0; i < self->env->len; i++)
        {
          const char *pair = g_ptr_array_index (self->env, i);
          const char *eq = strchr (pair, '=');
          g_autofree char *name = g_strndup (pair, eq - pair);

          g_subprocess_launcher_setenv (launcher, name, eq + 1, TRUE);
        }
    }

  g_debug ("Running “%s”", self->title);
  self->subprocess = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv,
                                                   &error);
  if (self->subprocess == NULL)
    {
      g_task_return_error (task, spawn_error (self, error));
      return;
    }

  identifier = g_subprocess_get_identifier (self->subprocess);
  self->pid = identifier != NULL ? (pid_t)strtol (identifier, NULL, 10) : 0;
  self->task = g_steal_pointer (&task);

  if (self->flags & DR_HOST_COMMAND_FLAGS_CAPTURE_STDOUT)
    {
      self->output_stream = g_memory_output_stream_new_resizable ();
      self->n_pending++;
      g_output_stream_splice_async (self->output_stream,
                                    g_subprocess_get_stdout_pipe (self->subprocess),
                                    G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                    G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                    G_PRIORITY_DEFAULT, NULL, splice_cb, g_object_ref (self));
    }
  else
    start_line_reader (self, g_subprocess_get_stdout_pipe (self->subprocess), FALSE);
  start_line_reader (self, g_subprocess_get_stderr_pipe (self->subprocess), TRUE);

  self->n_pending++;
  g_subprocess_wait_async (self->subprocess, NULL, wait_cb, g_object_ref (self));

  if (self->input != NULL)
    {
      gsize size = 0;
      gconstpointer data = g_bytes_get_data (self->input, &size);

      g_output_stream_write_all_async (g_subprocess_get_stdin_pipe (self->subprocess),
                                       data, size, G_PRIORITY_DEFAULT, NULL,
                                       stdin_written_cb, g_object_ref (self));
    }

  if (cancellable != NULL)
    {
      self->cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb),
                                                  self, NULL);
    }
}

gboolean
dr_host_command_run_finish (DrHostCommand  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (DR_IS_HOST_COMMAND (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
