/* test-prerequisites.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dr-error.h"
#include "dr-fake-host.h"
#include "dr-host-command-private.h"
#include "dr-prerequisites-private.h"
#include "dr-test-utils.h"

#define DEBIAN_12 "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n" \
                  "VERSION_ID=\"12\"\nID=debian\n"
#define UBUNTU    "NAME=\"Ubuntu\"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"24.04\"\n"
#define FEDORA    "NAME=\"Fedora Linux\"\nID=fedora\nVERSION_ID=41\n"
#define ARCH      "NAME=\"Arch Linux\"\nID=arch\nBUILD_ID=rolling\n"
#define MANJARO   "NAME=\"Manjaro Linux\"\nID=manjaro\nID_LIKE=arch\n"
#define ALPINE    "NAME=\"Alpine Linux\"\nID=alpine\n"

typedef struct
{
  DrFakeHost      *fake;
  char            *os_release;
  gboolean         done;
  DrPrerequisites *result;
  GError          *error;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->fake = dr_fake_host_new ();
  fixture->os_release = g_build_filename (dr_fake_host_get_dir (fixture->fake), "os-release",
                                          NULL);
  dr_test_write_file (fixture->os_release, DEBIAN_12, 0644);
  _dr_prerequisites_set_os_release (fixture->os_release);
  /* Whatever this disk has free is enough, unless a test says otherwise. */
  _dr_prerequisites_set_min_free (1);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  _dr_prerequisites_set_os_release (NULL);
  _dr_prerequisites_set_min_free (0);
  g_clear_pointer (&fixture->result, dr_prerequisites_free);
  g_clear_error (&fixture->error);
  g_free (fixture->os_release);
  dr_fake_host_free (fixture->fake);
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  Fixture *fixture = data;

  fixture->result = dr_prerequisites_check_finish (result, &fixture->error);
  fixture->done = TRUE;
}

static void
run_check (Fixture      *fixture,
           GCancellable *cancellable)
{
  g_clear_pointer (&fixture->result, dr_prerequisites_free);
  fixture->done = FALSE;
  dr_prerequisites_check_async (NULL, cancellable, check_cb, fixture);
  dr_test_wait_for_flag (&fixture->done, 10000);
}

static const DrPrerequisite *
item (Fixture    *fixture,
      const char *id)
{
  const DrPrerequisite *found;

  g_assert_no_error (fixture->error);
  g_assert_nonnull (fixture->result);
  found = dr_prerequisites_lookup (fixture->result, id);
  g_assert_nonnull (found);
  return found;
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("“%s” lacks “%s”", text, needle);
}

static void
set_up_docker_and_kind (Fixture *fixture)
{
  DrFakeHost *fake = fixture->fake;

  dr_fake_host_add_tool (fake, "docker");
  dr_fake_host_add_tool (fake, "kind");
  dr_fake_host_set (fake, "DOCKER___VERSION", "STDOUT", "Docker version 24.0.7, build afdd53b");
  dr_fake_host_set (fake, "DOCKER_VERSION", "STDOUT", "24.0.7");
  dr_fake_host_set (fake, "KIND_VERSION", "STDOUT", "kind v0.32.0 go1.24.2 linux/amd64");
}

static void
test_all_ok (Fixture       *fixture,
             gconstpointer  data)
{
  const char *ids[] = { "container", "daemon", "kind", "disk" };

  set_up_docker_and_kind (fixture);
  run_check (fixture, NULL);

  g_assert_cmpuint (fixture->result->items->len, ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const DrPrerequisite *it = g_ptr_array_index (fixture->result->items, i);

      g_assert_cmpstr (it->id, ==, ids[i]);
      g_assert_true (it->ok);
      g_assert_null (it->fix);
      g_assert_nonnull (it->title);
      g_assert_nonnull (it->detail);
    }
  g_assert_true (dr_prerequisites_all_ok (fixture->result));
  g_assert_cmpint (fixture->result->provider, ==, DR_CONTAINER_PROVIDER_DOCKER);
  g_assert_cmpstr (fixture->result->kind_version, ==, "v0.32.0");
  g_assert_cmpstr (item (fixture, "container")->detail, ==, "Docker version 24.0.7, build afdd53b");
  g_assert_cmpstr (item (fixture, "container")->title, ==, "Docker");
  assert_contains (item (fixture, "daemon")->detail, "24.0.7");
  g_assert_cmpstr (item (fixture, "kind")->detail, ==, "kind v0.32.0");

  g_assert_cmpuint (dr_fake_host_n_calls (fixture->fake), ==, 3);
  dr_fake_host_assert_call (fixture->fake, 0, "docker", "--version", NULL);
  dr_fake_host_assert_call (fixture->fake, 1, "docker", "version", "--format",
                            "{{.Server.Version}}", NULL);
  dr_fake_host_assert_call (fixture->fake, 2, "kind", "version", NULL);

  /* A copy is deep and equal. */
  {
    g_autoptr(DrPrerequisites) copy = dr_prerequisites_copy (fixture->result);

    g_assert_cmpuint (copy->items->len, ==, 4);
    g_assert_cmpstr (dr_prerequisites_lookup (copy, "kind")->detail, ==, "kind v0.32.0");
    g_assert_cmpstr (copy->kind_version, ==, "v0.32.0");
  }
}

static void
test_older_kind (Fixture       *fixture,
                 gconstpointer  data)
{
  set_up_docker_and_kind (fixture);
  dr_fake_host_set (fixture->fake, "KIND_VERSION", "STDOUT", "kind v0.20.0 go1.20.4 linux/amd64");
  run_check (fixture, NULL);

  g_assert_true (item (fixture, "kind")->ok);
  g_assert_cmpstr (item (fixture, "kind")->detail, ==,
                   "kind v0.20.0 (deskrun is tested with v0.32.0)");
  g_assert_cmpstr (fixture->result->kind_version, ==, "v0.20.0");
}

typedef struct
{
  const char *os_release;
  const char *container_fix;
  const char *kind_fix;
} DistroCase;

static void
test_nothing_installed (Fixture       *fixture,
                        gconstpointer  data)
{
  const DistroCase cases[] = {
    { DEBIAN_12, "sudo apt install docker.io", "kind is not packaged for Debian or Ubuntu" },
    { UBUNTU, "sudo apt install podman", "go install sigs.k8s.io/kind@v0.32.0" },
    { FEDORA, "sudo dnf install moby-engine", "sudo dnf install kind" },
    { ARCH, "sudo pacman -S docker", "sudo pacman -S kind" },
    { MANJARO, "sudo pacman -S podman", "sudo pacman -S kind" },
    { ALPINE, "https://docs.docker.com/engine/install/",
      "curl -Lo kind https://kind.sigs.k8s.io/dl/v0.32.0/kind-linux-" },
  };

  /* The fake PATH holds no tool at all. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const DrPrerequisite *container, *daemon, *kind;

      dr_test_write_file (fixture->os_release, cases[i].os_release, 0644);
      run_check (fixture, NULL);

      container = item (fixture, "container");
      g_assert_false (container->ok);
      g_assert_cmpstr (container->detail, ==, "Neither Docker nor Podman is installed.");
      assert_contains (container->fix, cases[i].container_fix);

      daemon = item (fixture, "daemon");
      g_assert_false (daemon->ok);
      g_assert_null (daemon->fix);

      kind = item (fixture, "kind");
      g_assert_false (kind->ok);
      assert_contains (kind->detail, "kind is not installed");
      assert_contains (kind->fix, cases[i].kind_fix);

      g_assert_true (item (fixture, "disk")->ok);
      g_assert_false (dr_prerequisites_all_ok (fixture->result));
      g_assert_cmpint (fixture->result->provider, ==, DR_CONTAINER_PROVIDER_NONE);
      g_assert_null (fixture->result->kind_version);
    }

  /* Debian's kind fix offers both ways, with the pinned version. */
  dr_test_write_file (fixture->os_release, DEBIAN_12, 0644);
  run_check (fixture, NULL);
  assert_contains (item (fixture, "kind")->fix, "https://kind.sigs.k8s.io/dl/v0.32.0/");
  assert_contains (item (fixture, "kind")->fix, "\n  go install sigs.k8s.io/kind@v0.32.0");
  assert_contains (item (fixture, "kind")->fix,
                   "\n  sudo install -m 0755 kind /usr/local/bin/kind");
}

static void
test_podman_fallback (Fixture       *fixture,
                      gconstpointer  data)
{
  DrFakeHost *fake = fixture->fake;

  dr_fake_host_add_tool (fake, "podman");
  dr_fake_host_add_tool (fake, "kind");
  dr_fake_host_set (fake, "PODMAN___VERSION", "STDOUT", "podman version 4.3.1");
  dr_fake_host_set (fake, "PODMAN_INFO", "STDOUT", "4.3.1");
  dr_fake_host_set (fake, "KIND_VERSION", "STDOUT", "kind v0.32.0 go1.24.2 linux/amd64");
  run_check (fixture, NULL);

  g_assert_true (dr_prerequisites_all_ok (fixture->result));
  g_assert_cmpint (fixture->result->provider, ==, DR_CONTAINER_PROVIDER_PODMAN);
  g_assert_cmpstr (item (fixture, "container")->title, ==, "Podman");
  g_assert_cmpstr (item (fixture, "container")->detail, ==, "podman version 4.3.1");
  /* docker was looked for but is not there, so the first call is podman's. */
  dr_fake_host_assert_call (fake, 0, "podman", "--version", NULL);
  dr_fake_host_assert_call (fake, 1, "podman", "info", "--format", "{{.Version.Version}}", NULL);
  dr_fake_host_assert_call (fake, 2, "kind", "version", NULL);
}

static void
test_docker_is_podman (Fixture       *fixture,
                       gconstpointer  data)
{
  DrFakeHost *fake = fixture->fake;

  /* podman-docker: a `docker` command that is Podman. */
  set_up_docker_and_kind (fixture);
  dr_fake_host_add_tool (fake, "podman");
  dr_fake_host_set (fake, "DOCKER___VERSION", "STDOUT", "Emulate Docker CLI using podman.\\n"
                    "podman version 4.3.1");
  dr_fake_host_set (fake, "PODMAN___VERSION", "STDOUT", "podman version 4.3.1");
  dr_fake_host_set (fake, "PODMAN_INFO", "STDOUT", "4.3.1");
  run_check (fixture, NULL);

  g_assert_cmpint (fixture->result->provider, ==, DR_CONTAINER_PROVIDER_PODMAN);
  g_assert_true (dr_prerequisites_all_ok (fixture->result));
}

static void
test_daemon_problems (Fixture       *fixture,
                      gconstpointer  data)
{
  const struct {
    const char *stderr_text;
    const char *fix;
  } cases[] = {
    { "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker "
      "daemon running?", "\n  sudo systemctl enable --now docker" },
    { "permission denied while trying to connect to the Docker daemon socket at "
      "unix:///var/run/docker.sock: Get \"http://%2Fvar%2Frun%2Fdocker.sock/v1.24/version\": "
      "dial unix /var/run/docker.sock: connect: permission denied",
      "\n  sudo usermod -aG docker $USER" },
    { "something else entirely", "\n  docker version" },
  };

  set_up_docker_and_kind (fixture);
  dr_fake_host_set (fixture->fake, "DOCKER_VERSION", "EXIT", "1");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const DrPrerequisite *daemon;

      dr_fake_host_set (fixture->fake, "DOCKER_VERSION", "STDERR", cases[i].stderr_text);
      run_check (fixture, NULL);

      daemon = item (fixture, "daemon");
      g_assert_false (daemon->ok);
      g_assert_cmpstr (daemon->title, ==, "Docker daemon");
      /* The detail quotes what docker said. */
      assert_contains (daemon->detail, "“docker version” failed (exit status 1):\n");
      assert_contains (daemon->detail, cases[i].stderr_text);
      assert_contains (daemon->fix, cases[i].fix);
      g_assert_cmpint (fixture->result->provider, ==, DR_CONTAINER_PROVIDER_DOCKER);
      g_assert_true (item (fixture, "kind")->ok);
    }
}

static void
test_disk (Fixture       *fixture,
           gconstpointer  data)
{
  const DrPrerequisite *disk;
  g_autofree char *cache_root = g_build_filename (g_get_user_cache_dir (), "deskrun", NULL);

  set_up_docker_and_kind (fixture);
  _dr_prerequisites_set_min_free (G_MAXUINT64);
  run_check (fixture, NULL);

  disk = item (fixture, "disk");
  g_assert_false (disk->ok);
  assert_contains (disk->detail, cache_root);
  assert_contains (disk->fix, "Free up space");
  g_assert_false (dr_prerequisites_all_ok (fixture->result));
  /* The cache root was only looked at, not made. */
  g_assert_false (g_file_test (cache_root, G_FILE_TEST_EXISTS));
}

static void
test_flatpak (Fixture       *fixture,
              gconstpointer  data)
{
  _dr_host_command_override_in_flatpak (TRUE);
  dr_fake_host_add_tool (fixture->fake, "flatpak-spawn");
  run_check (fixture, NULL);

  /* flatpak-spawn could not start any of them on the host. */
  g_assert_cmpstr (item (fixture, "container")->detail, ==,
                   "Neither Docker nor Podman is installed.");
  assert_contains (item (fixture, "container")->fix, "outside its Flatpak sandbox");
  assert_contains (item (fixture, "kind")->fix, "outside its Flatpak sandbox");
  dr_fake_host_assert_call (fixture->fake, 0, "flatpak-spawn", "--host", "--watch-bus",
                            "docker", "--version", NULL);

  _dr_host_command_override_in_flatpak (FALSE);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  set_up_docker_and_kind (fixture);
  g_cancellable_cancel (cancellable);
  run_check (fixture, cancellable);

  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (fixture->result);
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  _dr_host_command_override_in_flatpak (FALSE);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/prerequisites/all-ok", test_all_ok);
  ADD ("/prerequisites/older-kind", test_older_kind);
  ADD ("/prerequisites/nothing-installed", test_nothing_installed);
  ADD ("/prerequisites/podman-fallback", test_podman_fallback);
  ADD ("/prerequisites/docker-is-podman", test_docker_is_podman);
  ADD ("/prerequisites/daemon-problems", test_daemon_problems);
  ADD ("/prerequisites/disk", test_disk);
  ADD ("/prerequisites/flatpak", test_flatpak);
  ADD ("/prerequisites/cancel", test_cancel);

#undef ADD

  return g_test_run ();
}
