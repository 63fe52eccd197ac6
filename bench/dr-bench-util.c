/* dr-bench-util.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "dr-bench-util.h"

extern char **environ;

void
dr_bench_run_clear (DrBenchRun *run)
{
  g_clear_pointer (&run->out, g_free);
}

static pid_t
spawn_with_stdout (const char * const *argv,
                   const char * const *envp,
                   int                *out_fd,
                   GError            **error)
{
  posix_spawn_file_actions_t actions;
  int fds[2];
  pid_t pid;
  int res;

  if (pipe (fds) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "pipe: %s",
                   g_strerror (errno));
      return -1;
    }
  fcntl (fds[0], F_SETFD, FD_CLOEXEC);
  fcntl (fds[1], F_SETFD, FD_CLOEXEC);
  posix_spawn_file_actions_init (&actions);
  if (out_fd != NULL)
    posix_spawn_file_actions_adddup2 (&actions, fds[1], 1);
  else
    posix_spawn_file_actions_addopen (&actions, 1, "/dev/null", O_WRONLY, 0);
  res = posix_spawnp (&pid, argv[0], &actions, NULL, (char * const *) argv,
                      envp ? (char * const *) envp : environ);
  posix_spawn_file_actions_destroy (&actions);
  close (fds[1]);
  if (res != 0)
    {
      close (fds[0]);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (res), "%s: %s", argv[0],
                   g_strerror (res));
      return -1;
    }
  if (out_fd)
    *out_fd = fds[0];
  else
    close (fds[0]);
  return pid;
}

gboolean
dr_bench_run (const char * const  *argv,
              const char * const  *envp,
              double               timeout_s,
              DrBenchRun          *out_run,
              GError             **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  struct rusage usage = { 0, };
  gint64 deadline;
  int fd = -1;
  pid_t pid;
  int status = 0;

  memset (out_run, 0, sizeof *out_run);
  out_run->started_us = g_get_monotonic_time ();
  pid = spawn_with_stdout (argv, envp, &fd, error);
  if (pid < 0)
    return FALSE;
  deadline = out_run->started_us + (gint64) (timeout_s * G_USEC_PER_SEC);

  /* Read until the child closes its end, then reap it with its resource usage. */
  fcntl (fd, F_SETFL, O_NONBLOCK);
  for (;;)
    {
      char buf[4096];
      ssize_t n = read (fd, buf, sizeof buf);

      if (n > 0)
        {
          g_string_append_len (out, buf, n);
          continue;
        }
      if (n == 0)
        break;
      if (errno != EAGAIN && errno != EINTR)
        break;
      if (g_get_monotonic_time () > deadline)
        {
          out_run->timed_out = TRUE;
          kill (pid, SIGKILL);
          break;
        }
      g_usleep (2000);
    }
  close (fd);
  while (wait4 (pid, &status, 0, &usage) < 0 && errno == EINTR)
    ;
  out_run->ended_us = g_get_monotonic_time ();
  out_run->max_rss_kib = usage.ru_maxrss;
  out_run->exit_status = status;
  out_run->out = g_string_free (g_steal_pointer (&out), FALSE);
  return TRUE;
}

GPid
dr_bench_spawn (const char * const  *argv,
                const char * const  *envp,
                GError             **error)
{
  return spawn_with_stdout (argv, envp, NULL, error);
}

void
dr_bench_stop (GPid pid)
{
  int status;

  if (pid <= 0)
    return;
  kill (pid, SIGTERM);
  for (int i = 0; i < 100; i++)
    {
      if (waitpid (pid, &status, WNOHANG) == pid)
        return;
      g_usleep (50000);
    }
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
}

static char *
proc_read (GPid        pid,
           const char *file)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/%s", (int) pid, file);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GFile) gfile = g_file_new_for_path (path);

  bytes = g_file_load_bytes (gfile, NULL, NULL, NULL);
  return bytes ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)) : NULL;
}

static gint64
status_field (GPid        pid,
              const char *field)
{
  char *status = proc_read (pid, "status");
  const char *line = status ? strstr (status, field) : NULL;
  gint64 value = line ? g_ascii_strtoll (line + strlen (field), NULL, 10) : -1;

  g_free (status);
  return value;
}

gint64
dr_bench_proc_rss_kib (GPid pid)
{
  return status_field (pid, "VmRSS:");
}

gint64
dr_bench_proc_switches (GPid pid)
{
  gint64 voluntary = status_field (pid, "\nvoluntary_ctxt_switches:");
  gint64 forced = status_field (pid, "nonvoluntary_ctxt_switches:");

  return voluntary < 0 || forced < 0 ? -1 : voluntary + forced;
}

double
dr_bench_proc_cpu_s (GPid pid)
{
  char *stat = proc_read (pid, "stat");
  const char *after_name = stat ? strrchr (stat, ')') : NULL;
  g_auto(GStrv) fields = NULL;
  double seconds = -1;

  /* Field 2 is "(comm)", which may hold spaces: count from the closing parenthesis. utime and
   * stime are fields 14 and 15, i.e. 11 and 12 after the state field. */
  if (after_name != NULL)
    fields = g_strsplit (after_name + 2, " ", 0);
  if (fields != NULL && g_strv_length (fields) >= 13)
    seconds = (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
              / sysconf (_SC_CLK_TCK);
  g_free (stat);
  return seconds;
}

GStrv
dr_bench_env_add (GStrv       env,
                  const char *name,
                  const char *value)
{
  char **result = g_environ_setenv (env, name, value, TRUE);

  return result;
}

GStrv
dr_bench_env (const char *first_name,
              ...)
{
  GStrv env = g_get_environ ();
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    env = dr_bench_env_add (env, name, va_arg (args, const char *));
  va_end (args);
  return env;
}

char *
dr_bench_make_home (void)
{
  g_autoptr(GError) error = NULL;
  char *home = g_dir_make_tmp ("deskrun-bench-XXXXXX", &error);
  const char *dirs[] = { ".config", ".cache", ".local/share", "runtime" };

  if (home == NULL)
    g_error ("bench: %s", error->message);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (home, dirs[i], NULL);

      g_mkdir_with_parents (dir, 0700);
    }
  return home;
}

GStrv
dr_bench_home_env (GStrv       env,
                   const char *home)
{
  g_autofree char *config = g_build_filename (home, ".config", NULL);
  g_autofree char *cache = g_build_filename (home, ".cache", NULL);
  g_autofree char *data = g_build_filename (home, ".local/share", NULL);
  g_autofree char *runtime = g_build_filename (home, "runtime", NULL);

  env = dr_bench_env_add (env, "HOME", home);
  env = dr_bench_env_add (env, "XDG_CONFIG_HOME", config);
  env = dr_bench_env_add (env, "XDG_CACHE_HOME", cache);
  env = dr_bench_env_add (env, "XDG_DATA_HOME", data);
  return dr_bench_env_add (env, "XDG_RUNTIME_DIR", runtime);
}

static void
rm_rf_file (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFileInfo *info;

      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

          rm_rf_file (child);
          g_object_unref (info);
        }
    }
  g_file_delete (file, NULL, NULL);
}

void
dr_bench_rm_rf (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  rm_rf_file (file);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

double
dr_bench_median (GArray *values)
{
  g_autoptr(GArray) sorted = NULL;
  guint n = values->len;

  if (n == 0)
    return -1;
  sorted = g_array_copy (values);
  g_array_sort (sorted, compare_doubles);
  if (n % 2 == 1)
    return g_array_index (sorted, double, n / 2);
  return (g_array_index (sorted, double, n / 2 - 1) + g_array_index (sorted, double, n / 2)) / 2;
}

double
dr_bench_max (GArray *values)
{
  double max = -1;

  for (guint i = 0; i < values->len; i++)
    max = MAX (max, g_array_index (values, double, i));
  return max;
}

typedef struct
{
  char   *figure;
  char   *unit;
  double  deskrun;
  double  anchor;
  char   *anchor_name;
} Row;

static GPtrArray *rows;
static GPtrArray *notes;

void
dr_bench_table_add (const char *figure,
                    const char *unit,
                    double      deskrun,
                    double      anchor,
                    const char *anchor_name)
{
  Row *row = g_new0 (Row, 1);

  if (rows == NULL)
    rows = g_ptr_array_new ();
  row->figure = g_strdup (figure);
  row->unit = g_strdup (unit);
  row->deskrun = deskrun;
  row->anchor = anchor;
  row->anchor_name = g_strdup (anchor_name);
  g_ptr_array_add (rows, row);
}

void
dr_bench_table_note (const char *format,
                     ...)
{
  va_list args;

  if (notes == NULL)
    notes = g_ptr_array_new_with_free_func (g_free);
  va_start (args, format);
  g_ptr_array_add (notes, g_strdup_vprintf (format, args));
  va_end (args);
}

static char *
format_value (double      value,
              const char *unit)
{
  if (value < 0)
    return g_strdup ("–");
  if (value >= 100 || value == (gint64) value)
    return g_strdup_printf ("%.0f %s", value, unit);
  if (value >= 10)
    return g_strdup_printf ("%.1f %s", value, unit);
  return g_strdup_printf ("%.2f %s", value, unit);
}

void
dr_bench_table_print (void)
{
  printf ("\n| figure | deskrun | anchor | deskrun / anchor |\n");
  printf ("|---|---:|---:|---:|\n");
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);
      g_autofree char *deskrun = format_value (row->deskrun, row->unit);
      g_autofree char *anchor = format_value (row->anchor, row->unit);
      g_autofree char *ratio = NULL;

      if (row->deskrun >= 0 && row->anchor > 0)
        ratio = g_strdup_printf ("%.2f", row->deskrun / row->anchor);
      printf ("| %s | %s | %s%s%s | %s |\n", row->figure, deskrun,
              row->anchor_name ? row->anchor_name : "", row->anchor_name ? ": " : "",
              anchor, ratio ? ratio : "–");
    }
  for (guint i = 0; notes != NULL && i < notes->len; i++)
    printf ("%s%s\n", i == 0 ? "\n" : "", (char *) g_ptr_array_index (notes, i));
  fflush (stdout);
}

void
dr_bench_say (const char *format,
              ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "bench: %s\n", text);
}
