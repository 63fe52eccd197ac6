/* dr-fake-host.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "dr-fake-host.h"
#include "dr-test-utils.h"

struct _DrFakeHost
{
  char *dir;
  char *bin;
  char *calls;
  char *saved_path;
  /* Absolute paths of the real utilities the scripts use: PATH holds only the fakes. */
  char *cat;
  char *ls;
  char *mkdir;
  char *sleep;
  char *tr;
  char *wc;
};

/* Records the call; @READ_STDIN@ is empty for flatpak-spawn, whose stdin belongs to the
 * program it runs. */
static const char record_script[] =
  "#!/bin/sh\n"
  "# Fake @TOOL@ for deskrun's tests (tests/dr-fake-host.c).\n"
  "tool='@TOOL@'\n"
  "calls=\"$FAKE_HOST_DIR/calls\"\n"
  "n=$(@LS@ \"$calls\" | @WC@ -l)\n"
  "call=\"$calls/$(printf '%03d' \"$n\")-$tool\"\n"
  "@MKDIR@ -p \"$call\"\n"
  ": > \"$call/argv\"\n"
  "for arg in \"$@\"; do printf '%s\\n' \"$arg\" >> \"$call/argv\"; done\n"
  "printf '%s' \"${KIND_EXPERIMENTAL_PROVIDER-}\" > \"$call/provider\"\n"
  "@READ_STDIN@\n";

static const char behave_script[] =
  "key=$tool\n"
  "[ $# -gt 0 ] && key=\"${key}_$1\"\n"
  "if [ \"$tool\" = kind ] && [ $# -gt 1 ]; then\n"
  "  case \"$2\" in -*) ;; *) key=\"${key}_$2\" ;; esac\n"
  "fi\n"
  "key=$(printf '%s' \"$key\" | @TR@ 'a-z' 'A-Z' | @TR@ -c 'A-Z0-9' '_')\n"
  "if [ \"$tool\" != kind ] && [ \"${3-}\" = '{{json .Mounts}}' ]; then\n"
  "  eval \"mounts=\\${FAKE_${key}_MOUNTS_STDOUT+set}\"\n"
  "  if [ -n \"$mounts\" ]; then key=\"${key}_MOUNTS\"; fi\n"
  "fi\n"
  "eval \"out=\\${FAKE_${key}_STDOUT-}; err=\\${FAKE_${key}_STDERR-}\"\n"
  "eval \"code=\\${FAKE_${key}_EXIT-0}; slow=\\${FAKE_${key}_SLOW-}\"\n"
  "if [ -n \"$out\" ]; then printf '%b\\n' \"$out\"; fi\n"
  "if [ -n \"$err\" ]; then printf '%b\\n' \"$err\" >&2; fi\n"
  "if [ -n \"$slow\" ]; then\n"
  "  if [ \"$slow\" = stubborn ]; then trap '' TERM; fi\n"
  "  @SLEEP@ 30 &\n"
  "  echo $! > \"$call/child-pid\"\n"
  "  echo $$ > \"$call/pid\"\n"
  "  echo started\n"
  "  wait\n"
  "fi\n"
  "exit \"$code\"\n";

static const char flatpak_spawn_script[] =
  "while [ $# -gt 0 ]; do\n"
  "  case \"$1\" in\n"
  "    --env=*) export \"${1#--env=}\" ;;\n"
  "    --*) ;;\n"
  "    *) break ;;\n"
  "  esac\n"
  "  shift\n"
  "done\n"
  "if ! command -v \"$1\" > /dev/null 2>&1; then\n"
  "  printf 'Failed to start command: Failed to execute child process “%s” "
  "(No such file or directory)\\n' \"$1\" >&2\n"
  "  exit 1\n"
  "fi\n"
  "exec \"$@\"\n";

static char *
real_program (const char *name)
{
  char *path = g_find_program_in_path (name);

  if (path == NULL)
    g_error ("The tests need %s", name);
  return path;
}

static void
clear_fake_env (void)
{
  g_auto(GStrv) names = g_listenv ();

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_prefix (names[i], "FAKE_"))
      g_unsetenv (names[i]);
  g_unsetenv ("KIND_EXPERIMENTAL_PROVIDER");
}

DrFakeHost *
dr_fake_host_new (void)
{
  g_autoptr(GError) error = NULL;
  DrFakeHost *fake = g_new0 (DrFakeHost, 1);

  fake->cat = real_program ("cat");
  fake->ls = real_program ("ls");
  fake->mkdir = real_program ("mkdir");
  fake->sleep = real_program ("sleep");
  fake->tr = real_program ("tr");
  fake->wc = real_program ("wc");

  fake->dir = g_dir_make_tmp ("deskrun-fake-host-XXXXXX", &error);
  g_assert_no_error (error);
  fake->bin = g_build_filename (fake->dir, "bin", NULL);
  fake->calls = g_build_filename (fake->dir, "calls", NULL);
  g_assert_cmpint (g_mkdir (fake->bin, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (fake->calls, 0700), ==, 0);

  clear_fake_env ();
  fake->saved_path = g_strdup (g_getenv ("PATH"));
  g_setenv ("PATH", fake->bin, TRUE);
  g_setenv ("FAKE_HOST_DIR", fake->dir, TRUE);
  return fake;
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
dr_fake_host_free (DrFakeHost *fake)
{
  if (fake == NULL)
    return;

  clear_fake_env ();
  g_unsetenv ("FAKE_HOST_DIR");
  if (fake->saved_path != NULL)
    g_setenv ("PATH", fake->saved_path, TRUE);
  else
    g_unsetenv ("PATH");

  remove_tree (fake->dir);
  g_free (fake->dir);
  g_free (fake->bin);
  g_free (fake->calls);
  g_free (fake->saved_path);
  g_free (fake->cat);
  g_free (fake->ls);
  g_free (fake->mkdir);
  g_free (fake->sleep);
  g_free (fake->tr);
  g_free (fake->wc);
  g_free (fake);
}

const char *
dr_fake_host_get_dir (DrFakeHost *fake)
{
  return fake->dir;
}

static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  return g_strjoinv (to, parts);
}

void
dr_fake_host_add_tool (DrFakeHost *fake,
                       const char *tool)
{
  gboolean is_flatpak_spawn = strcmp (tool, "flatpak-spawn") == 0;
  g_autofree char *read_stdin = NULL;
  g_autofree char *script = NULL;
  g_autofree char *path = g_build_filename (fake->bin, tool, NULL);
  struct { const char *from; const char *to; } subst[] = {
    { "@TOOL@", tool }, { "@LS@", fake->ls }, { "@WC@", fake->wc }, { "@MKDIR@", fake->mkdir },
    { "@TR@", fake->tr }, { "@SLEEP@", fake->sleep }, { "@READ_STDIN@", NULL },
  };

  read_stdin = is_flatpak_spawn ? g_strdup ("") : g_strdup_printf ("%s > \"$call/stdin\"",
                                                                    fake->cat);
  subst[G_N_ELEMENTS (subst) - 1].to = read_stdin;

  script = g_strconcat (record_script,
                        is_flatpak_spawn ? flatpak_spawn_script : behave_script, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (subst); i++)
    {
      char *next = replace (script, subst[i].from, subst[i].to);

      g_free (script);
      script = next;
    }
  dr_test_write_file (path, script, 0755);
}

void
dr_fake_host_link_real (DrFakeHost *fake,
                        const char *program)
{
  g_autofree char *path = g_build_filename (fake->bin, program, NULL);
  g_autofree char *real = NULL;
  g_autofree char *saved = g_strdup (g_getenv ("PATH"));

  g_setenv ("PATH", fake->saved_path, TRUE);
  real = real_program (program);
  g_setenv ("PATH", saved, TRUE);
  g_assert_cmpint (symlink (real, path), ==, 0);
}

void
dr_fake_host_set (DrFakeHost *fake,
                  const char *key,
                  const char *what,
                  const char *value)
{
  g_autofree char *name = g_strdup_printf ("FAKE_%s_%s", key, what);

  g_setenv (name, value, TRUE);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

static GPtrArray *
list_calls (DrFakeHost *fake)
{
  g_autoptr(GDir) dir = g_dir_open (fake->calls, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

guint
dr_fake_host_n_calls (DrFakeHost *fake)
{
  g_autoptr(GPtrArray) names = list_calls (fake);

  return names->len;
}

static char *
call_dir (DrFakeHost *fake,
          guint       index)
{
  g_autoptr(GPtrArray) names = list_calls (fake);

  if (index >= names->len)
    g_error ("There is no call %u; there were %u", index, names->len);
  return g_build_filename (fake->calls, g_ptr_array_index (names, index), NULL);
}

char *
dr_fake_host_call_tool (DrFakeHost *fake,
                        guint       index)
{
  g_autofree char *dir = call_dir (fake, index);
  g_autofree char *base = g_path_get_basename (dir);

  /* "NNN-tool" */
  return g_strdup (base + 4);
}

char *
dr_fake_host_call_file (DrFakeHost *fake,
                        guint       index,
                        const char *name)
{
  g_autofree char *dir = call_dir (fake, index);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return contents;
}

GStrv
dr_fake_host_call_args (DrFakeHost *fake,
                        guint       index)
{
  g_autofree char *text = dr_fake_host_call_file (fake, index, "argv");
  g_auto(GStrv) lines = NULL;
  guint n;

  g_assert_nonnull (text);
  lines = g_strsplit (text, "\n", -1);
  /* Each argument ends in a newline: the last piece is the empty rest. */
  n = g_strv_length (lines);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpstr (lines[n - 1], ==, "");
  g_clear_pointer (&lines[n - 1], g_free);
  return g_steal_pointer (&lines);
}

void
dr_fake_host_assert_call (DrFakeHost *fake,
                          guint       index,
                          const char *tool,
                          ...)
{
  g_autofree char *actual_tool = dr_fake_host_call_tool (fake, index);
  g_auto(GStrv) args = dr_fake_host_call_args (fake, index);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) expected = NULL;
  const char *arg;
  va_list ap;

  va_start (ap, tool);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_strv_builder_add (builder, arg);
  va_end (ap);
  expected = g_strv_builder_end (builder);

  g_assert_cmpstr (actual_tool, ==, tool);
  if (!g_strv_equal ((const char * const *)args, (const char * const *)expected))
    {
      g_autofree char *got = g_strjoinv ("⏎", args);
      g_autofree char *want = g_strjoinv ("⏎", expected);

      g_error ("call %u of %s: arguments “%s”, expected “%s”", index, tool, got, want);
    }
}

gboolean
dr_fake_host_pid_is_gone (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  const char *paren;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return TRUE;
  /* "pid (comm) S …": a zombie (Z) or dead (X) process has ended. */
  paren = strrchr (stat, ')');
  return paren != NULL && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X');
}

static gboolean
check_gone_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
dr_fake_host_wait_for_exit (int   pid,
                            guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  guint tick = g_timeout_add (5, check_gone_cb, NULL);

  while (!dr_fake_host_pid_is_gone (pid))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("process %d is still there after %u ms", pid, timeout_ms);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
}
