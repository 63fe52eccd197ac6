/* test-config.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "dr-config.h"
#include "dr-config-file.h"
#include "dr-error.h"
#include "dr-legacy-config.h"
#include "dr-test-utils.h"
#include "dr-versions.h"

#define TOKEN "ghp_TESTtokenTESTtokenTESTtokenTESTtoken1"

static char *
config_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "deskrun", "config.json", NULL);
}

static DrRunnerSpec *
make_spec (const char *name)
{
  DrRunnerSpec *spec = dr_runner_spec_new ();

  g_free (spec->name);
  spec->name = g_strdup (name);
  g_free (spec->repository_url);
  spec->repository_url = g_strdup ("https://github.com/octo/hello");
  spec->credential_id = g_strdup ("0b6c3c43-5f0e-4c39-9a53-5f9d1d0c6a11");
  return spec;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The names of the files in @dir, sorted. */
static GStrv
list_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_steal (names, NULL);
}

/* The one file in the config directory named config.json.broken-…, or fails. */
static char *
find_broken_copy (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_auto(GStrv) names = list_dir (dir);
  char *found = NULL;

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_prefix (names[i], "config.json.broken-"))
      {
        g_assert_null (found);
        found = g_build_filename (dir, names[i], NULL);
      }

  g_assert_nonnull (found);
  return found;
}

static JsonNode *
parse_file (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
count_cb (DrConfig *config,
          guint    *count)
{
  (*count)++;
}

static void
test_missing_file (void)
{
  g_autofree char *path = config_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DrConfig) config = dr_config_load (path, &error);
  g_auto(GStrv) problems = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (config);
  g_assert_cmpstr (dr_config_get_path (config), ==, path);
  g_assert_cmpuint (dr_config_get_n_runners (config), ==, 0);
  g_assert_null (dr_config_get_runner (config, 0));
  g_assert_cmpint (dr_config_get_cluster_kind (config), ==, DR_CLUSTER_KIND_KIND);
  g_assert_cmpstr (dr_config_get_cluster_name (config), ==, DR_DEFAULT_KIND_CLUSTER);
  g_assert_cmpstr (dr_config_get_runner_namespace (config), ==, DR_DEFAULT_RUNNER_NAMESPACE);
  g_assert_cmpstr (dr_config_get_controller_namespace (config), ==,
                   DR_DEFAULT_CONTROLLER_NAMESPACE);
  g_assert_false (dr_config_is_read_only (config));
  problems = dr_config_dup_problems (config);
  g_assert_cmpuint (g_strv_length (problems), ==, 0);

  /* Loading creates nothing. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_defaults_when_absent (void)
{
  g_autofree char *path = config_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DrConfig) config = NULL;

  /* No version either: a hand-written file. */
  dr_test_write_file (path, "{\"cluster\": {}}", 0600);
  config = dr_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dr_config_get_cluster_kind (config), ==, DR_CLUSTER_KIND_KIND);
  g_assert_cmpstr (dr_config_get_cluster_name (config), ==, DR_DEFAULT_KIND_CLUSTER);
  g_assert_cmpstr (dr_config_get_runner_namespace (config), ==, DR_DEFAULT_RUNNER_NAMESPACE);
  g_assert_cmpstr (dr_config_get_controller_namespace (config), ==,
                   DR_DEFAULT_CONTROLLER_NAMESPACE);
  g_assert_cmpuint (dr_config_get_n_runners (config), ==, 0);
}

static void
test_round_trip (void)
{
  g_autofree char *path = config_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DrConfig) config = dr_config_new (path);
  g_autoptr(DrConfig) loaded = NULL;
  g_autoptr(DrRunnerSpec) plain = make_spec ("plain");
  g_autoptr(DrRunnerSpec) full = make_spec ("full");
  g_autoptr(DrRunnerSpec) many = make_spec ("many");
  g_autofree char *contents = NULL;

  g_ptr_array_add (full->mounts, dr_mount_new (NULL, "/cache", DR_MOUNT_TYPE_DIRECTORY_OR_CREATE));
  g_ptr_array_add (full->mounts, dr_mount_new ("/var/run/docker.sock", "/var/run/docker.sock",
                                               DR_MOUNT_TYPE_SOCKET));
  g_ptr_array_add (full->mounts, dr_mount_new ("/srv/data", "/data", DR_MOUNT_TYPE_DIRECTORY));
  g_ptr_array_add (full->labels, g_strdup ("gpu"));
  g_ptr_array_add (full->labels, g_strdup ("linux-x64"));
  full->mode = DR_CONTAINER_MODE_PRIVILEGED;
  full->min_runners = 0;
  full->max_runners = 3;
  full->runner_group = g_strdup ("Build farm");
  full->credential_kind = DR_CREDENTIAL_KIND_GITHUB_APP;
  g_free (full->repository_url);
  full->repository_url = g_strdup ("https://github.com/octo");

  many->mode = DR_CONTAINER_MODE_DIND;
  many->instances = 3;
  many->min_runners = 1;
  many->max_runners = 1;
  g_clear_pointer (&many->credential_id, g_free);

  g_assert_true (dr_config_put_runner (config, plain, &error));
  g_assert_no_error (error);
  g_assert_true (dr_config_put_runner (config, full, &error));
  g_assert_no_error (error);
  g_assert_true (dr_config_put_runner (config, many, &error));
  g_assert_no_error (error);
  dr_config_set_cluster (config, DR_CLUSTER_KIND_CONTEXT, "k3s-lab");

  g_assert_true (dr_config_save (config, &error));
  g_assert_no_error (error);

  contents = dr_test_read_file (path);
  g_assert_true (g_str_has_suffix (contents, "}\n"));
  g_assert_nonnull (strstr (contents, "\n  \"version\" : 1"));

  loaded = dr_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpuint (dr_config_get_n_runners (loaded), ==, 3);
  /* In the order they were added. */
  g_assert_true (dr_runner_spec_equal (dr_config_get_runner (loaded, 0), plain));
  g_assert_true (dr_runner_spec_equal (dr_config_get_runner (loaded, 1), full));
  g_assert_true (dr_runner_spec_equal (dr_config_get_runner (loaded, 2), many));
  g_assert_null (dr_config_get_runner (loaded, 3));
  g_assert_true (dr_runner_spec_equal (dr_config_lookup_runner (loaded, "full"), full));
  g_assert_null (dr_config_lookup_runner (loaded, "nope"));
  g_assert_cmpint (dr_config_get_cluster_kind (loaded), ==, DR_CLUSTER_KIND_CONTEXT);
  g_assert_cmpstr (dr_config_get_cluster_name (loaded), ==, "k3s-lab");
  g_assert_cmpstr (dr_config_get_runner_namespace (loaded), ==, DR_DEFAULT_RUNNER_NAMESPACE);
  g_assert_cmpstr (dr_config_get_controller_namespace (loaded), ==,
                   DR_DEFAULT_CONTROLLER_NAMESPACE);

  /* Saving again without changes gives the same bytes. */
  g_assert_true (dr_config_save (loaded, &error));
  g_assert_no_error (error);
  {
    g_autofree char *again = dr_test_read_file (path);

    g_assert_cmpstr (again, ==, contents);
  }
}

static const char unknown_keys_doc[] =
  "{\n"
  "  \"future\": {\"nested\": [1, 2, {\"deep\": true}]},\n"
  "  \"version\": 1,\n"
  "  \"cluster\": {\"comment\": \"mine\", \"type\": \"kind\", \"name\": \"lab\"},\n"
  "  \"namespaces\": {\"runners\": \"ci-runners\", \"extra\": 7, \"controller\": \"ci-arc\"},\n"
  "  \"runners\": [\n"
  "    {\"name\": \"one\", \"x-note\": \"keep me\", \"repository\": \"https://github.com/o/r\",\n"
  "     \"mode\": \"kubernetes\", \"min_runners\": 1, \"max_runners\": 5, \"instances\": 1,\n"
  "     \"mounts\": [], \"runner_group\": null, \"labels\": [],\n"
  "     \"credential\": {\"kind\": \"pat\", \"id\": \"abc\", \"hint\": \"work\"},\n"
  "     \"x-after\": {\"a\": null}}\n"
  "  ],\n"
  "  \"zz-last\": \"end\"\n"
  "}\n";

static GStrv
member_names (JsonObject *object)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    g_strv_builder_add (builder, name);
  return g_strv_builder_end (builder);
}

static void
test_unknown_keys (void)
{
  g_autofree char *path = config_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DrConfig) config = NULL;
  g_autoptr(DrRunnerSpec) changed = NULL;
  g_autoptr(JsonNode) saved = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonObject *original_root;
  JsonObject *runner;
  JsonObject *original_runner;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) original_names = NULL;
  const char * const root_names[] = {
    "future", "version", "cluster", "namespaces", "runners", "zz-last", NULL
  };

  dr_test_write_file (path, unknown_keys_doc, 0600);
  config = dr_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dr_config_get_cluster_name (config), ==, "lab");
  g_assert_cmpstr (dr_config_get_runner_namespace (config), ==, "ci-runners");
  g_assert_cmpstr (dr_config_get_controller_namespace (config), ==, "ci-arc");
  g_assert_cmpuint (dr_config_get_n_runners (config), ==, 1);

  changed = dr_runner_spec_copy (dr_config_lookup_runner (config, "one"));
  changed->max_runners = 9;
  g_assert_true (dr_config_put_runner (config, changed, &error));
  g_assert_no_error (error);
  dr_config_set_cluster (config, DR_CLUSTER_KIND_KIND, "lab2");
  g_assert_true (dr_config_save (config, &error));
  g_assert_no_error (error);

  json_parser_load_from_data (parser, unknown_keys_doc, -1, &error);
  g_assert_no_error (error);
  original_root = json_node_get_object (json_parser_get_root (parser));
  saved = parse_file (path);
  root = json_node_get_object (saved);

  /* Top level: the unknown members, with their values, in their places. */
  names = member_names (root);
  g_assert_cmpstrv (names, root_names);
  g_assert_true (json_node_equal (json_object_get_member (root, "future"),
                                  json_object_get_member (original_root, "future")));
  g_assert_cmpstr (json_object_get_string_member (root, "zz-last"), ==, "end");

  /* Nested. */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root,
                                                                                 "cluster"),
                                                  "comment"), ==, "mine");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root,
                                                                                 "cluster"),
                                                  "name"), ==, "lab2");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root,
                                                                              "namespaces"),
                                               "extra"), ==, 7);

  /* Per runner: same members in the same order, the changed one changed. */
  runner = json_array_get_object_element (json_object_get_array_member (root, "runners"), 0);
  original_runner = json_array_get_object_element (
    json_object_get_array_member (original_root, "runners"), 0);
  g_clear_pointer (&names, g_strfreev);
  names = member_names (runner);
  original_names = member_names (original_runner);
  g_assert_cmpstrv (names, original_names);
  g_assert_cmpstr (json_object_get_string_member (runner, "x-note"), ==, "keep me");
  g_assert_true (json_node_equal (json_object_get_member (runner, "x-after"),
                                  json_object_get_member (original_runner, "x-after")));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (runner,
                                                                                 "credential"),
                                                  "hint"), ==, "work");
  g_assert_cmpint (json_object_get_int_member (runner, "max_runners"), ==, 9);
}

static const char broken_entries_doc[] =
  "{\"version\": 1, \"runners\": [\n"
  "  {\"name\": \"good\", \"repository\": \"https://github.com/o/r\",\n"
  "   \"credential\": {\"kind\": \"pat\", \"id\": \"abc\"}},\n"
  "  {\"name\": \"bad\", \"repository\": \"https://github.com/o/r\", \"max_runners\": \"lots\",\n"
  "   \"odd\": [true, {\"x\": 1.5}]},\n"
  "  42,\n"
  "  {\"name\": \"good\", \"repository\": \"https://github.com/o/other\"},\n"
  "  {\"name\": \"Not A Name\", \"repository\": \"https://github.com/o/r\"}\n"
  "]}\n";

static void
test_broken_entries (void)
{
  g_autofree char *path = config_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DrConfig) config = NULL;
  g_autoptr(DrRunnerSpec) fixed = make_spec ("bad");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) saved = NULL;
  g_auto(GStrv) problems = NULL;
  JsonArray *original;
  JsonArray *runners;

  dr_test_write_file (path, broken_entries_doc, 0600);
  config = dr_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dr_config_get_n_runners (config), ==, 1);
  g_assert_nonnull (dr_config_lookup_runner (config, "good"));
  g_assert_null (dr_config_lookup_runner (config, "bad"));

  problems = dr_config_dup_problems (config);
  g_assert_cmpuint (g_strv_length (problems), ==, 4);
  for (guint i = 0; problems[i] != NULL; i++)
    g_test_message ("problem: %s", problems[i]);
  g_assert_nonnull (strstr (problems[0], "2"));
  g_assert_nonnull (strstr (problems[0], "“bad”"));
  g_assert_nonnull (strstr (problems[0], "max_runners"));
  g_assert_nonnull (strstr (problems[0], path));
  g_assert_nonnull (strstr (problems[1], "3"));
  g_assert_nonnull (strstr (problems[2], "4"));
  g_assert_nonnull (strstr (problems[2], "“good”"));
  g_assert_nonnull (strstr (problems[3], "“Not A Name”"));

  /* Saved back as they were. */
  g_assert_true (dr_config_save (config, &error));
  g_assert_no_error (error);
  json_parser_load_from_data (parser, broken_entries_doc, -1, &error);
  g_assert_no_error (error);
  original = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "runners");
  saved = parse_file (path);
  runners = json_object_get_array_member (json_node_get_object (saved), "runners");
  g_assert_cmpuint (json_array_get_length (runners), ==, 5);
  for (guint i = 1; i < 5; i++)
    g_assert_true (json_node_equal (json_array_get_element (runners, i),
                                    json_array_get_element (original, i)));

  /* Fixing one by name replaces it where it was. */
  g_assert_true (dr_config_put_runner (config, fixed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dr_config_get_n_runners (config), ==, 2);
  g_assert_true (dr_runner_spec_equal (dr_config_get_runner (config, 1), fixed));
  g_clear_pointer (&problems, g_strfreev);
  problems = dr_config_dup_problems (config);
  g_assert_cmpuint (g_strv_length (problems), ==, 3);

  /* The unusable duplicate of "good" goes when "good" is put again. */
  {
    g_autoptr(DrRunnerSpec) good = make_spec ("good");

    good->max_runners = 2;
    g_assert_true (dr_config_put_runner (config, good, &error));
    g_assert_no_error (error);
    g_clear_pointer (&problems, g_strfreev);
    problems = dr_config_dup_problems (config);
    g_assert_cmpuint (g_strv_length (problems), ==, 2);
  }

  /* remove_runner() can discard an unusable entry by its name. */
  g_assert_true (dr_config_remove_runner (config, "Not A Name"));
  g_clear_pointer (&problems, g_strfreev);
  problems = dr_config_dup_problems (config);
  g_assert_cmpuint (g_strv_length (problems), ==, 1);
  g_assert_nonnull (strstr (problems[0], "3"));
}

static void
test_file_modes (void)
{
  g_autofree char *path = config_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(DrConfig) config = dr_config_new (path);
  g_autoptr(DrRunnerSpec) spec = make_spec ("one");

  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_true (dr_config_put_runner (config, spec, &error));
  g_assert_true (dr_config_save (config, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dr_test_file_mode (dir), ==, 0700);
  g_assert_cmpint (dr_test_file_mode (path), ==, 0600);

  /* A file someone loosened becomes private again on the next save. */
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_assert_true (dr_config_save (config, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dr_test_file_mode (path), ==, 0600);
}

static void
test_atomic_save (void)
{
  g_autofree char *path = config_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(DrConfig) config = dr_config_new (path);
  g_autoptr(DrRunnerSpec) one = make_spec ("one");
  g_autoptr(DrRunnerSpec) two = make_spec ("two");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto(GStrv) names = NULL;
  const char * const only_config[] = { "config.json", NULL };

  g_assert_true (dr_config_put_runner (config, one, &error));
  g_assert_true (dr_config_save (config, &error));
  g_assert_no_error (error);
  before = dr_test_read_file (path);

  g_assert_true (dr_config_put_runner (config, two, &error));
  _dr_config_set_fail_before_rename (config, TRUE);
  g_assert_false (dr_config_save (config, &error));
  g_assert_nonnull (error);
  g_test_message ("save error: %s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  after = dr_test_read_file (path);
  g_assert_cmpstr (after, ==, before);
  names = list_dir (dir);
  g_assert_cmpstrv (names, only_config);

  /* And it works again once nothing fails. */
  _dr_config_set_fail_before_rename (config, FALSE);
  g_assert_true (dr_config_save (config, &error));
  g_assert_no_error (error);
  g_clear_pointer (&after, g_free);
  after = dr_test_read_file (path);
  g_assert_nonnull (strstr (after, "\"two\""));
}

static void
check_moved_aside (const char *path,
                   const char *contents,
                   GError     *error)
{
  g_autofree char *aside = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *basename = NULL;
  g_autoptr(DrConfig) fallback = NULL;
  g_autoptr(DrRunnerSpec) spec = make_spec ("fresh");
  g_autoptr(GError) save_error = NULL;

  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  g_test_message ("load error: %s", error->message);
  g_assert_nonnull (strstr (error->message, path));

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  aside = find_broken_copy (path);
  basename = g_path_get_basename (aside);
  g_assert_nonnull (strstr (error->message, aside));
  /* config.json.broken-YYYYMMDD-HHMMSS */
  g_assert_cmpuint (strlen (basename), ==, strlen ("config.json.broken-") + 15);

  kept = dr_test_read_file (aside);
  g_assert_cmpstr (kept, ==, contents);

  /* The broken file is out of the way: a fresh config saves without touching it. */
  fallback = dr_config_new_fallback (path);
  g_assert_false (dr_config_is_read_only (fallback));
  g_assert_true (dr_config_put_runner (fallback, spec, &save_error));
  g_assert_true (dr_config_save (fallback, &save_error));
  g_assert_no_error (save_error);
  g_clear_pointer (&kept, g_free);
  kept = dr_test_read_file (aside);
  g_assert_cmpstr (kept, ==, contents);
}

static void
test_corrupt_file (void)
{
  g_autofree char *path = config_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DrConfig) config = NULL;
  const char *contents = "{\"version\": 1,\n \"runners\": [ oops ]}\n";

  dr_test_write_file (path, contents, 0600);
  config = dr_config_load (path, &error);
  g_assert_null (config);
  /* json-glib's position, said for a person. */
  g_assert_nonnull (strstr (error->message, "line 2"));
  check_moved_aside (path, contents, error);
}

/* Documents that parse as JSON but are not a config this version can use. */
static void
test_bad_documents (void)
{
  const char *docs[] = {
    "",
    "[]",
    "\"text\"",
    "{\"version\": \"1\"}",
    "{\"version\": 1.5}",
    "{\"version\": 0}",
    "{\"cluster\": \"kind\"}",
    "{\"cluster\": {\"type\": \"k3s\"}}",
    "{\"cluster\": {\"type\": \"context\"}}",
    "{\"namespaces\": {\"runners\": \"Not_Valid\"}}",
    "{\"namespaces\": {\"controller\": 5}}",
    "{\"runners\": {}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "bad", NULL);
      g_autofree char *sub = g_strdup_printf ("%u", i);
      g_autofree char *path = g_build_filename (dir, sub, "config.json", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(DrConfig) config = NULL;

      g_test_message ("document: %s", docs[i]);
      dr_test_write_file (path, docs[i], 0600);
      config = dr_config_load (path, &error);
      g_assert_null (config);
      check_moved_aside (path, docs[i], error);
    }
}

/* JSON that json-glib reads but cannot write back the same way, or reads wrongly: refused at
 * load with the line and column, and moved aside untouched. (1e999 used to load and be saved
 * as "inf.0", a lone surrogate as CESU bytes, \u0000 cut a name short, and a version of
 * 2^64+1 read as -1.) */
static void
test_unwritable_documents (void)
{
  g_autofree char *deep = NULL;
  const struct
  {
    const char *doc;
    const char *message;
  } docs[] = {
    { "{\"version\": 1,\n \"runners\": [{\"name\": \"a\", \"min_runners\": 1e999}]}",
      "line 2, column 43: the number 1e999 is too large" },
    { "{\"version\": 1, \"extra\": -1e400}", "line 1, column 25: the number -1e400" },
    { "{\"runners\": [{\"name\": \"\\ud800x\"}]}",
      "line 1, column 24: the escape \\ud800 is half of a UTF-16 pair" },
    { "{\"note\": \"\xed\xa0\x80\"}", "line 1, column 11: the text is not valid UTF-8" },
    { "{\"runners\": [{\"name\": \"ci\\u0000evil\"}]}",
      "line 1, column 26: the text holds the character U+0000" },
    { "{\"version\": 18446744073709551617}",
      "line 1, column 13: the whole number 18446744073709551617 is out of range" },
    { NULL, "line 1, column 513: arrays and objects are nested more than 512 levels deep" },
  };

  {
    GString *text = g_string_new ("");

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (text, '[');
    deep = g_string_free (text, FALSE);
  }

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "unwritable", NULL);
      g_autofree char *sub = g_strdup_printf ("%u", i);
      g_autofree char *path = g_build_filename (dir, sub, "config.json", NULL);
      const char *doc = docs[i].doc != NULL ? docs[i].doc : deep;
      g_autoptr(GError) error = NULL;
      g_autoptr(DrConfig) config = NULL;

      g_test_message ("document %u", i);
      dr_test_write_file (path, doc, 0600);
      config = dr_config_load (path, &error);
      g_assert_null (config);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, docs[i].message));
      check_moved_aside (path, doc, error);
    }
}

/* What would be written is parsed again before the rename; text that would not read back
 * (here a context name that is not UTF-8, which nothing checks on the way in) fails the save
 * and leaves the old file as it was. */
static void
test_save_checks_output (void)
{
  g_autofree char *path = config_path ();
  g_autoptr(DrConfig) config = dr_config_new (path);
  g_autoptr(DrConfig) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *dir = NULL;
  g_auto(GStrv) names = NULL;

  dr_config_set_cluster (config, DR_CLUSTER_KIND_CONTEXT, "good");
  g_assert_true (dr_config_save (config, &error));
  g_assert_no_error (error);
  before = dr_test_read_file (path);

  dr_config_set_cluster (config, DR_CLUSTER_KIND_CONTEXT, "bad\xff");
  g_assert_false (dr_config_save (config, &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "does not read back"));
  g_assert_nonnull (strstr (error->message, "is unchanged"));

  after = dr_test_read_file (path);
  g_assert_cmpstr (after, ==, before);
  dir = g_path_get_dirname (path);
  names = list_dir (dir);
  g_assert_cmpuint (g_strv_length (names), ==, 1);

  g_clear_error (&error);
  again = dr_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dr_config_get_cluster_name (again), ==, "good");
}

static gboolean
can_read (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return FALSE;
  close (fd);
  return TRUE;
}

static void
test_unreadable_file (void)
{
  g_autofree char *path = config_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DrConfig) config = NULL;
  const char *contents = "{\"version\": 1}\n";

  dr_test_write_file (path, contents, 0000);
  if (can_read (path))
    {
      /* Running as root (or with CAP_DAC_OVERRIDE): mode 000 does not stop reading, so test
       * the other kind of unreadable path instead of passing without testing anything. */
      g_test_message ("mode 000 does not prevent reading here (root?); testing a directory "
                      "in place of the file instead");
      g_assert_cmpint (g_unlink (path), ==, 0);
      g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
      config = dr_config_load (path, &error);
      g_assert_null (config);
      g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
      g_test_message ("load error: %s", error->message);
      g_assert_nonnull (strstr (error->message, path));
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      {
        g_autofree char *aside = find_broken_copy (path);

        g_assert_true (g_file_test (aside, G_FILE_TEST_IS_DIR));
        g_assert_nonnull (strstr (error->message, aside));
      }
      return;
    }

  config = dr_config_load (path, &error);
  g_assert_null (config);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "permission"));
  {
    g_autofree char *aside = find_broken_copy (path);

    /* Kept as it was, mode included; make it readable to compare the bytes. */
    g_assert_cmpint (dr_test_file_mode (aside), ==, 0000);
    g_assert_cmpint (g_chmod (aside, 0600), ==, 0);
    check_moved_aside (path, contents, error);
  }
}

static void
test_directory_in_place (void)
{
  g_autofree char *path = config_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DrConfig) config = NULL;
  g_autofree char *aside = NULL;

  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  config = dr_config_load (path, &error);
  g_assert_null (config);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  g_test_message ("load error: %s", error->message);
  g_assert_nonnull (strstr (error->message, "directory"));
  aside = find_broken_copy (path);
  g_assert_true (g_file_test (aside, G_FILE_TEST_IS_DIR));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

typedef struct
{
  char     *path;
  GError   *error;
  DrConfig *config;
  gboolean  done;
} LoadInThread;

static gpointer
load_thread (gpointer data)
{
  LoadInThread *load = data;

  load->config = dr_config_load (load->path, &load->error);
  g_atomic_int_set (&load->done, TRUE);
  return NULL;
}

/* Loads @path in a thread, so that a load that blocks (it used to, on a FIFO, for ever) fails
 * the test instead of hanging it. */
static DrConfig *
load_without_hanging (const char  *path,
                      GError     **error)
{
  LoadInThread load = { .path = (char *) path };
  GThread *thread = g_thread_new ("load", load_thread, &load);

  for (guint i = 0; i < 1000 && !g_atomic_int_get (&load.done); i++)
    g_usleep (10 * 1000);
  if (!g_atomic_int_get (&load.done))
    g_error ("dr_config_load (%s) did not return within 10 s", path);
  g_thread_join (thread);
  g_propagate_error (error, load.error);
  return load.config;
}

/* A FIFO at the path, or a link to /dev/zero (or a device), is not a config: refused at once
 * and moved aside, never waited on or read for ever. */
static void
test_not_a_regular_file (void)
{
  g_autofree char *path = config_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(DrConfig) config = NULL;
  g_autoptr(DrConfig) fallback = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *target = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  config = load_without_hanging (path, &error);
  g_assert_null (config);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  g_test_message ("load error: %s", error->message);
  g_assert_nonnull (strstr (error->message, "not a regular file"));
  aside = find_broken_copy (path);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_unlink (aside), ==, 0);
  g_clear_pointer (&aside, g_free);
  g_clear_error (&error);

  g_assert_cmpint (symlink ("/dev/zero", path), ==, 0);
  config = load_without_hanging (path, &error);
  g_assert_null (config);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  g_assert_nonnull (strstr (error->message, "not a regular file"));
  /* The link itself went aside; what it points at is untouched. */
  aside = find_broken_copy (path);
  target = g_file_read_link (aside, NULL);
  g_assert_cmpstr (target, ==, "/dev/zero");
  g_assert_cmpint (g_unlink (aside), ==, 0);

  /* The user carries on with a config that saves normally. */
  fallback = dr_config_new_fallback (path);
  g_assert_false (dr_config_is_read_only (fallback));
}

/* A file far larger than any config (here a sparse one of 17 MB) is refused without reading
 * it into memory. */
static void
test_too_large (void)
{
  g_autofree char *path = config_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(DrConfig) config = NULL;
  int fd;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 17 * 1024 * 1024), ==, 0);
  close (fd);

  config = dr_config_load (path, &error);
  g_assert_null (config);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  g_assert_nonnull (strstr (error->message, "larger than 16 MB"));
  g_free (find_broken_copy (path));
}

static void
write_with_age (const char *path,
                gint64      age_seconds)
{
  struct utimbuf times;

  dr_test_write_file (path, "{\"version\": 1", 0600);
  times.actime = times.modtime = time (NULL) - age_seconds;
  g_assert_cmpint (g_utime (path, &times), ==, 0);
}

/* A save killed between writing its temporary file and the rename leaves .config.json.XXXXXX
 * behind; the next load removes those that are stale, and only those. */
static void
test_stale_temp_files (void)
{
  g_autofree char *path = config_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *stale = g_build_filename (dir, ".config.json.Ab3xY9", NULL);
  g_autofree char *stale2 = g_build_filename (dir, ".config.json.000000", NULL);
  g_autofree char *fresh = g_build_filename (dir, ".config.json.Qw7eR2", NULL);
  g_autofree char *other_name = g_build_filename (dir, ".config.json.toolong", NULL);
  g_autofree char *other_file = g_build_filename (dir, ".other.json.Ab3xY9", NULL);
  g_autofree char *link = g_build_filename (dir, ".config.json.LnK123", NULL);
  g_autoptr(DrConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  write_with_age (stale, 3600);
  write_with_age (stale2, 120);
  write_with_age (fresh, 0);
  write_with_age (other_name, 3600);
  write_with_age (other_file, 3600);
  g_assert_cmpint (symlink (other_file, link), ==, 0);
  dr_test_write_file (path, "{\"version\": 1}", 0600);

  config = dr_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (config);

  names = list_dir (dir);
  g_assert_false (g_strv_contains ((const char * const *) names, ".config.json.Ab3xY9"));
  g_assert_false (g_strv_contains ((const char * const *) names, ".config.json.000000"));
  /* Perhaps a save of another deskrun that is running now. */
  g_assert_true (g_strv_contains ((const char * const *) names, ".config.json.Qw7eR2"));
  g_assert_true (g_strv_contains ((const char * const *) names, ".config.json.toolong"));
  g_assert_true (g_strv_contains ((const char * const *) names, ".other.json.Ab3xY9"));
  g_assert_true (g_strv_contains ((const char * const *) names, ".config.json.LnK123"));
  g_assert_true (g_strv_contains ((const char * const *) names, "config.json"));

  /* A missing config.json is no reason to keep them either. */
  g_clear_object (&config);
  g_assert_cmpint (g_unlink (path), ==, 0);
  write_with_age (stale, 3600);
  config = dr_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
}

/* 100,000 runners and one duplicate: the check that names are unique is a hash lookup per
 * entry (it was a search of the whole list, minutes for this file). Asserts the outcome, not
 * the time. */
static void
test_many_runners (void)
{
  g_autofree char *path = config_path ();
  g_autoptr(GString) doc = g_string_new ("{\"version\": 1, \"runners\": [");
  g_autoptr(DrConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) problems = NULL;
  const guint n = 100000;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (doc, "{\"name\": \"r%u\", \"repository\": "
                            "\"https://github.com/octo/hello\"},", i);
  g_string_append (doc, "{\"name\": \"r4242\", \"repository\": "
                   "\"https://github.com/octo/other\"}]}");
  dr_test_write_file (path, doc->str, 0600);

  config = dr_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dr_config_get_n_runners (config), ==, n);
  g_assert_cmpstr (dr_config_lookup_runner (config, "r4242")->repository_url, ==,
                   "https://github.com/octo/hello");
  problems = dr_config_dup_problems (config);
  g_assert_cmpuint (g_strv_length (problems), ==, 1);
  g_assert_nonnull (strstr (problems[0], "Runner entry 100001 (“r4242”)"));
  g_assert_nonnull (strstr (problems[0], "An earlier entry already uses the name “r4242”."));
}

static void
test_move_aside_fails (void)
{
  g_autofree char *path = config_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *probe = g_build_filename (dir, "probe", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) save_error = NULL;
  g_autoptr(DrConfig) config = NULL;
  g_autoptr(DrConfig) fallback = NULL;
  g_autoptr(DrRunnerSpec) spec = make_spec ("one");
  g_autofree char *kept = NULL;
  const char *contents = "not json at all";

  dr_test_write_file (path, contents, 0600);
  g_assert_cmpint (g_chmod (dir, 0500), ==, 0);
  if (g_file_set_contents (probe, "", 0, NULL))
    {
      g_unlink (probe);
      g_assert_cmpint (g_chmod (dir, 0700), ==, 0);
      g_test_skip ("a read-only directory does not stop renames here (root?), so a failing "
                   "move cannot be arranged");
      return;
    }

  config = dr_config_load (path, &error);
  g_assert_cmpint (g_chmod (dir, 0700), ==, 0);
  g_assert_null (config);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  g_test_message ("load error: %s", error->message);
  g_assert_nonnull (strstr (error->message, "left in place"));
  kept = dr_test_read_file (path);
  g_assert_cmpstr (kept, ==, contents);

  fallback = dr_config_new_fallback (path);
  g_assert_true (dr_config_is_read_only (fallback));
  g_assert_true (dr_config_put_runner (fallback, spec, &save_error));
  g_assert_false (dr_config_save (fallback, &save_error));
  g_assert_error (save_error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  g_clear_pointer (&kept, g_free);
  kept = dr_test_read_file (path);
  g_assert_cmpstr (kept, ==, contents);
}

static void
test_newer_version (void)
{
  g_autofree char *path = config_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(DrConfig) config = NULL;
  g_autoptr(DrConfig) fallback = NULL;
  g_autoptr(DrRunnerSpec) spec = make_spec ("one");
  g_autofree char *kept = NULL;
  g_auto(GStrv) names = NULL;
  const char * const only_config[] = { "config.json", NULL };
  const char *contents = "{\"version\": 2, \"runners\": [{\"name\": \"future\"}]}\n";

  dr_test_write_file (path, contents, 0644);
  config = dr_config_load (path, &error);
  g_assert_null (config);
  g_assert_error (error, DR_ERROR, DR_ERROR_NEWER_CONFIG);
  g_test_message ("load error: %s", error->message);
  g_assert_nonnull (strstr (error->message, "newer"));
  g_assert_nonnull (strstr (error->message, path));

  /* Left in place, untouched. */
  names = list_dir (dir);
  g_assert_cmpstrv (names, only_config);
  kept = dr_test_read_file (path);
  g_assert_cmpstr (kept, ==, contents);
  g_assert_cmpint (dr_test_file_mode (path), ==, 0644);

  fallback = dr_config_new_fallback (path);
  g_assert_true (dr_config_is_read_only (fallback));
  g_clear_error (&error);
  g_assert_true (dr_config_put_runner (fallback, spec, &error));
  g_assert_false (dr_config_save (fallback, &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  g_test_message ("save error: %s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_pointer (&kept, g_free);
  kept = dr_test_read_file (path);
  g_assert_cmpstr (kept, ==, contents);
}

static void
test_put_invalid (void)
{
  g_autofree char *path = config_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DrConfig) config = dr_config_new (path);
  g_autoptr(DrRunnerSpec) good = make_spec ("good");
  g_autoptr(DrRunnerSpec) bad_name = make_spec ("Bad Name!");
  g_autoptr(DrRunnerSpec) bad_change = make_spec ("good");
  guint changes = 0;

  g_assert_true (dr_config_put_runner (config, good, &error));
  g_assert_no_error (error);
  g_signal_connect (config, "changed", G_CALLBACK (count_cb), &changes);

  g_assert_false (dr_config_put_runner (config, bad_name, &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (dr_config_get_n_runners (config), ==, 1);
  g_assert_null (dr_config_lookup_runner (config, "Bad Name!"));

  /* An invalid replacement leaves the runner as it was. */
  bad_change->min_runners = 4;
  bad_change->max_runners = 2;
  g_assert_false (dr_config_put_runner (config, bad_change, &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  g_assert_true (dr_runner_spec_equal (dr_config_lookup_runner (config, "good"), good));
  g_assert_cmpuint (changes, ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_put_stores_copy (void)
{
  g_autofree char *path = config_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DrConfig) config = dr_config_new (path);
  g_autoptr(DrRunnerSpec) spec = make_spec ("one");

  g_assert_true (dr_config_put_runner (config, spec, &error));
  g_assert_true (dr_config_lookup_runner (config, "one") != spec);
  spec->max_runners = 7;
  g_assert_cmpuint (dr_config_lookup_runner (config, "one")->max_runners, ==, 5);
}

static void
test_remove (void)
{
  g_autofree char *path = config_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DrConfig) config = dr_config_new (path);
  g_autoptr(DrConfig) loaded = NULL;
  g_autoptr(DrRunnerSpec) one = make_spec ("one");
  g_autoptr(DrRunnerSpec) two = make_spec ("two");

  g_assert_true (dr_config_put_runner (config, one, &error));
  g_assert_true (dr_config_put_runner (config, two, &error));
  g_assert_true (dr_config_remove_runner (config, "one"));
  g_assert_false (dr_config_remove_runner (config, "one"));
  g_assert_cmpuint (dr_config_get_n_runners (config), ==, 1);
  g_assert_cmpstr (dr_config_get_runner (config, 0)->name, ==, "two");

  g_assert_true (dr_config_save (config, &error));
  g_assert_no_error (error);
  loaded = dr_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dr_config_get_n_runners (loaded), ==, 1);
  g_assert_null (dr_config_lookup_runner (loaded, "one"));
}

static void
test_changed_signal (void)
{
  g_autofree char *path = config_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DrConfig) config = dr_config_new (path);
  g_autoptr(DrRunnerSpec) one = make_spec ("one");
  g_autoptr(DrRunnerSpec) other = make_spec ("one");
  guint changes = 0;

  g_signal_connect (config, "changed", G_CALLBACK (count_cb), &changes);

  g_assert_true (dr_config_put_runner (config, one, &error));
  g_assert_cmpuint (changes, ==, 1);
  /* The same spec again changes nothing. */
  g_assert_true (dr_config_put_runner (config, one, &error));
  g_assert_cmpuint (changes, ==, 1);
  other->max_runners = 2;
  g_assert_true (dr_config_put_runner (config, other, &error));
  g_assert_cmpuint (changes, ==, 2);

  dr_config_set_cluster (config, DR_CLUSTER_KIND_CONTEXT, "ctx");
  g_assert_cmpuint (changes, ==, 3);
  dr_config_set_cluster (config, DR_CLUSTER_KIND_CONTEXT, "ctx");
  g_assert_cmpuint (changes, ==, 3);
  dr_config_set_cluster (config, DR_CLUSTER_KIND_KIND, NULL);
  g_assert_cmpuint (changes, ==, 4);
  g_assert_cmpstr (dr_config_get_cluster_name (config), ==, DR_DEFAULT_KIND_CLUSTER);

  g_assert_true (dr_config_remove_runner (config, "one"));
  g_assert_cmpuint (changes, ==, 5);
  g_assert_false (dr_config_remove_runner (config, "one"));
  g_assert_cmpuint (changes, ==, 5);

  /* Saving is not a change. */
  g_assert_true (dr_config_save (config, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 5);
}

/* The path a token takes on import: legacy file → keyring (not here) → a spec with only a
 * credential reference → the config. The token must never reach a file deskrun writes. */
static void
test_no_token_in_file (void)
{
  g_autofree char *path = config_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *legacy = g_strdup_printf (
    "{\"cluster_name\": \"deskrun\", \"installations\": {\"imported\": {"
    "\"Name\": \"imported\", \"Repository\": \"https://github.com/o/r\", "
    "\"ContainerMode\": \"kubernetes\", \"MinRunners\": 1, \"MaxRunners\": 2, "
    "\"AuthType\": \"pat\", \"AuthValue\": \"%s\"}}}", TOKEN);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) installations = NULL;
  g_autoptr(DrConfig) config = dr_config_new (path);
  DrLegacyInstallation *installation;

  installations = dr_legacy_config_parse (legacy, -1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (installations->len, ==, 1);
  installation = g_ptr_array_index (installations, 0);
  g_assert_cmpstr (installation->credential->token, ==, TOKEN);
  installation->spec->credential_id = g_strdup ("5e0d9a55-0000-4000-8000-000000000001");

  g_assert_true (dr_config_put_runner (config, installation->spec, &error));
  g_assert_no_error (error);
  g_assert_true (dr_config_save (config, &error));
  g_assert_no_error (error);

  dr_test_assert_no_file_contains (dir, TOKEN);
  dr_test_assert_no_file_contains (dir, "ghp_");
}

/* "chart_registry": checked on set and on load, kept as text, written back; a value that
 * cannot be used is reported, counts as unset, and stays in the file as it was. */
static void
test_chart_registry (void)
{
  g_autofree char *path = config_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DrConfig) config = dr_config_new (path);
  g_autoptr(DrConfig) loaded = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) problems = NULL;
  guint changes = 0;
  static const char * const bad[] = {
    "http://example.com",
    "http://mirror.example.com:5000",
    "https://user:s3cret@mirror.example.com",
    "https://:s3cret@mirror.example.com",
    "https://mirror.example.com/?s3cret=1",
    "https://mirror.example.com/#s3cret",
    "ftp://mirror.example.com",
    "mirror.example.com",
    "https://",
    "",
  };
  static const char * const good[] = {
    "https://mirror.example.com",
    "https://mirror.example:5000/",
    "https://mirror.example/charts",
    "http://127.0.0.1:5000",
    "http://localhost:5000",
    "http://[::1]:5000",
  };

  g_signal_connect (config, "changed", G_CALLBACK (count_cb), &changes);
  g_assert_null (dr_config_get_chart_registry (config));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (dr_config_set_chart_registry (config, bad[i], &error));
      g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
      g_test_message ("%s: %s", bad[i], error->message);
      g_assert_null (strstr (error->message, "s3cret"));
      g_clear_error (&error);
    }
  g_assert_null (dr_config_get_chart_registry (config));
  g_assert_cmpuint (changes, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_assert_true (dr_config_check_chart_registry (good[i], &error));
      g_assert_no_error (error);
    }

  g_assert_true (dr_config_set_chart_registry (config, "https://mirror.example:5000", &error));
  g_assert_no_error (error);
  g_assert_true (dr_config_set_chart_registry (config, "https://mirror.example:5000", &error));
  g_assert_cmpuint (changes, ==, 1);
  g_assert_true (dr_config_save (config, &error));
  g_assert_no_error (error);

  loaded = dr_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dr_config_get_chart_registry (loaded), ==, "https://mirror.example:5000");
  problems = dr_config_dup_problems (loaded);
  g_assert_cmpuint (g_strv_length (problems), ==, 0);
  g_clear_pointer (&problems, g_strfreev);

  /* Back to the default: the member goes. */
  g_assert_true (dr_config_set_chart_registry (loaded, NULL, &error));
  g_assert_true (dr_config_save (loaded, &error));
  g_assert_no_error (error);
  g_clear_object (&loaded);
  root = parse_file (path);
  g_assert_false (json_object_has_member (json_node_get_object (root), "chart_registry"));
  g_clear_pointer (&root, json_node_unref);
  loaded = dr_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_null (dr_config_get_chart_registry (loaded));
  g_clear_object (&loaded);

  /* Unusable values in the file: reported without the password, unset, saved unchanged. */
  for (guint i = 0; i < 2; i++)
    {
      const char *doc = i == 0
        ? "{\"version\": 1, \"chart_registry\": \"https://me:s3cret@mirror.example.com\"}"
        : "{\"version\": 1, \"chart_registry\": 5000}";

      dr_test_write_file (path, doc, 0600);
      loaded = dr_config_load (path, &error);
      g_assert_no_error (error);
      g_assert_null (dr_config_get_chart_registry (loaded));
      problems = dr_config_dup_problems (loaded);
      g_assert_cmpuint (g_strv_length (problems), ==, 1);
      g_test_message ("problem: %s", problems[0]);
      g_assert_nonnull (strstr (problems[0], "chart_registry"));
      g_assert_nonnull (strstr (problems[0], path));
      g_assert_null (strstr (problems[0], "s3cret"));
      g_clear_pointer (&problems, g_strfreev);

      g_assert_true (dr_config_save (loaded, &error));
      g_assert_no_error (error);
      root = parse_file (path);
      if (i == 0)
        g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root),
                                                        "chart_registry"),
                         ==, "https://me:s3cret@mirror.example.com");
      else
        g_assert_cmpint (json_object_get_int_member (json_node_get_object (root),
                                                     "chart_registry"), ==, 5000);
      g_clear_pointer (&root, json_node_unref);
      g_clear_object (&loaded);
    }

  /* Setting a value replaces the unusable one, and the problem with it. */
  loaded = dr_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (dr_config_set_chart_registry (loaded, "https://mirror.example.com", &error));
  g_assert_no_error (error);
  problems = dr_config_dup_problems (loaded);
  g_assert_cmpuint (g_strv_length (problems), ==, 0);
  g_assert_true (dr_config_save (loaded, &error));
  g_assert_no_error (error);
  root = parse_file (path);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root),
                                                  "chart_registry"),
                   ==, "https://mirror.example.com");
}

int
main (int    argc,
      char **argv)
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/deskrun/config/missing-file", test_missing_file);
  g_test_add_func ("/deskrun/config/defaults-when-absent", test_defaults_when_absent);
  g_test_add_func ("/deskrun/config/round-trip", test_round_trip);
  g_test_add_func ("/deskrun/config/unknown-keys", test_unknown_keys);
  g_test_add_func ("/deskrun/config/broken-entries", test_broken_entries);
  g_test_add_func ("/deskrun/config/file-modes", test_file_modes);
  g_test_add_func ("/deskrun/config/atomic-save", test_atomic_save);
  g_test_add_func ("/deskrun/config/corrupt-file", test_corrupt_file);
  g_test_add_func ("/deskrun/config/bad-documents", test_bad_documents);
  g_test_add_func ("/deskrun/config/unwritable-documents", test_unwritable_documents);
  g_test_add_func ("/deskrun/config/save-checks-output", test_save_checks_output);
  g_test_add_func ("/deskrun/config/unreadable-file", test_unreadable_file);
  g_test_add_func ("/deskrun/config/directory-in-place", test_directory_in_place);
  g_test_add_func ("/deskrun/config/move-aside-fails", test_move_aside_fails);
  g_test_add_func ("/deskrun/config/not-a-regular-file", test_not_a_regular_file);
  g_test_add_func ("/deskrun/config/too-large", test_too_large);
  g_test_add_func ("/deskrun/config/stale-temp-files", test_stale_temp_files);
  g_test_add_func ("/deskrun/config/many-runners", test_many_runners);
  g_test_add_func ("/deskrun/config/newer-version", test_newer_version);
  g_test_add_func ("/deskrun/config/put-invalid", test_put_invalid);
  g_test_add_func ("/deskrun/config/put-stores-copy", test_put_stores_copy);
  g_test_add_func ("/deskrun/config/remove", test_remove);
  g_test_add_func ("/deskrun/config/changed-signal", test_changed_signal);
  g_test_add_func ("/deskrun/config/no-token-in-file", test_no_token_in_file);
  g_test_add_func ("/deskrun/config/chart-registry", test_chart_registry);

  return g_test_run ();
}
