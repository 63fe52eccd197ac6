/* dr-test-utils.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <signal.h>
#include <sys/stat.h>

#include "dr-keyring-private.h"
#include "dr-test-utils.h"

void
dr_test_init (int    *argc,
              char ***argv)
{
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
}

void
dr_test_write_file (const char *path,
                    const char *contents,
                    int         mode)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

char *
dr_test_read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

int
dr_test_file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

void
dr_test_assert_no_file_contains (const char *dir,
                                 const char *needle)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;

  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        dr_test_assert_no_file_contains (path, needle);
      else
        {
          g_autofree char *contents = NULL;
          gsize len = 0;

          if (g_file_get_contents (path, &contents, &len, NULL) &&
              g_strstr_len (contents, len, needle) != NULL)
            g_error ("%s contains a secret it must not hold", path);
        }
    }
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
dr_test_wait_for_flag (gboolean *flag,
                       guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("timed out after %u ms waiting for an asynchronous operation", timeout_ms);
  g_source_remove (id);
}

void
dr_test_wait_until (DrTestPredicate  predicate,
                    gpointer         data,
                    guint            timeout_ms,
                    const char      *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!predicate (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("timed out after %u ms waiting for %s", timeout_ms, what);
  g_source_remove (id);
}

struct _DrTestKeyring
{
  GTestDBus *bus;
  GSubprocess *daemon;
  char *home;
};

static void
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         data)
{
  *(gboolean *)data = TRUE;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

DrTestKeyring *
dr_test_keyring_start (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *daemon_path = g_find_program_in_path ("gnome-keyring-daemon");
  g_autoptr(GBytes) password = g_bytes_new_static ("test-password", 13);
  g_autofree char *runtime_dir = NULL;
  GOutputStream *stdin_pipe;
  DrTestKeyring *keyring;
  gboolean appeared = FALSE;
  guint watch;

  if (daemon_path == NULL)
    g_error ("gnome-keyring-daemon is not installed; `build-aux/dev test` installs it");

  keyring = g_new0 (DrTestKeyring, 1);

  /* The daemon gets a HOME and XDG directories of its own. G_TEST_OPTION_ISOLATE_DIRS only
   * takes effect while a test case runs, so at this point HOME and XDG_RUNTIME_DIR are still
   * the developer's: the daemon would write into their real keyrings and find their running
   * daemon's control socket. */
  keyring->home = g_dir_make_tmp ("deskrun-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  runtime_dir = g_build_filename (keyring->home, "runtime", NULL);
  g_assert_cmpint (g_mkdir (runtime_dir, 0700), ==, 0);

  keyring->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (keyring->bus);

  /* The daemon reads the unlock password from stdin. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                g_test_dbus_get_bus_address (keyring->bus), TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", keyring->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime_dir, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "XDG_DATA_HOME");
  g_subprocess_launcher_unsetenv (launcher, "XDG_CONFIG_HOME");
  g_subprocess_launcher_unsetenv (launcher, "XDG_CACHE_HOME");
  g_subprocess_launcher_unsetenv (launcher, "GNOME_KEYRING_CONTROL");
  /* G_DEBUG=fatal-warnings is for the code under test: gnome-keyring warns when it finds no
   * prompter, and must not abort for it. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  /* No prompts on the developer's screen. */
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  keyring->daemon = g_subprocess_launcher_spawn (launcher, &error, daemon_path, "--foreground",
                                                 "--unlock", "--components=secrets", NULL);
  g_assert_no_error (error);
  stdin_pipe = g_subprocess_get_stdin_pipe (keyring->daemon);
  g_output_stream_write_bytes (stdin_pipe, password, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (stdin_pipe, NULL, &error);
  g_assert_no_error (error);

  watch = g_bus_watch_name (G_BUS_TYPE_SESSION, "org.freedesktop.secrets",
                            G_BUS_NAME_WATCHER_FLAGS_NONE,
                            name_appeared_cb, NULL, &appeared, NULL);
  dr_test_wait_for_flag (&appeared, 10000);
  g_bus_unwatch_name (watch);

  return keyring;
}

void
dr_test_keyring_stop (DrTestKeyring *keyring)
{
  static GPtrArray *stopped_buses;
  g_autoptr(GDBusConnection) connection = NULL;

  if (keyring == NULL)
    return;

  secret_service_disconnect ();

  /* libsecret (0.20.5 here, and its current source) never drops the reference to its backend
   * that secret_password_lookup() and _search() take (see on_lookup_backend()), and the
   * backend holds the session bus connection. g_test_dbus_down() waits for that connection to
   * be finalized and fails after 30 s, so the bus is stopped without that check, and the
   * connection told not to exit the process when the bus goes away. */
  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (connection != NULL)
    g_dbus_connection_set_exit_on_close (connection, FALSE);

  g_subprocess_send_signal (keyring->daemon, SIGTERM);
  g_subprocess_wait (keyring->daemon, NULL, NULL);
  g_clear_object (&keyring->daemon);

  g_test_dbus_stop (keyring->bus);
  /* Finalizing a GTestDBus calls g_test_dbus_down(): keep it until the process exits. */
  if (stopped_buses == NULL)
    stopped_buses = g_ptr_array_new ();
  g_ptr_array_add (stopped_buses, g_steal_pointer (&keyring->bus));

  remove_tree (keyring->home);
  g_free (keyring->home);
  g_free (keyring);
}

GTestDBus *
dr_test_bus_without_keyring (void)
{
  GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);

  g_test_dbus_up (bus);
  return bus;
}

const char *
dr_test_fixtures_dir (void)
{
  static char *dir;

  if (dir == NULL)
    {
      const char *shared = g_getenv ("DR_SHARED_DIR");

      if (shared != NULL)
        dir = g_build_filename (shared, "fixtures", NULL);
    }

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("../shared/fixtures is not beside this checkout; nothing to validate against");
      return NULL;
    }
  return dir;
}

void
dr_test_store_result_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

DrKubeClient *
dr_test_kube_client_new (const char                  *url,
                         const DrTestKubeCredentials *credentials)
{
  static const DrTestKubeCredentials none = { 0, };
  g_autoptr(GError) error = NULL;
  DrKubeContext context = { 0, };
  DrKubeClient *client;

  if (credentials == NULL)
    credentials = &none;
  context.context_name = (char *) "kind-deskrun";
  context.cluster_name = (char *) "kind-deskrun";
  context.user_name = (char *) "kind-deskrun";
  context.server = (char *) url;
  context.token = (char *) credentials->token;
  context.certificate_authority = credentials->ca;
  context.client_certificate = credentials->cert;
  context.client_key = credentials->key;
  context.insecure_skip_tls_verify = credentials->insecure;
  client = dr_kube_client_new (&context, &error);
  g_assert_no_error (error);
  return client;
}

guint
dr_test_count_keyring_items (void)
{
  g_autoptr(GError) error = NULL;
  GList *items = secret_password_search_sync (_dr_keyring_get_schema (), SECRET_SEARCH_ALL, NULL,
                                              &error, NULL);
  guint n = g_list_length (items);

  g_assert_no_error (error);
  g_list_free_full (items, g_object_unref);
  return n;
}
