/* test-legacy-config.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fixtures are written the way the deskrun Go CLI wrote its ~/.deskrun/config.json
 * (encoding/json with Go field names, FACTS.md §2.11).
 */
#include "config.h"

#include <string.h>

#include "dr-error.h"
#include "dr-legacy-config.h"
#include "dr-test-utils.h"

#define TOKEN_A "ghp_AAAAaaaaAAAAaaaaAAAAaaaaAAAAaaaa0001"
#define TOKEN_B "github_pat_BBBBbbbbBBBBbbbbBBBB_bbbbBBBBbbbb0002"

static GPtrArray *
parse_ok (const char  *contents,
          char       **out_cluster_name,
          GPtrArray  **out_warnings)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *installations;

  installations = dr_legacy_config_parse (contents, -1, out_cluster_name, out_warnings, &error);
  g_assert_no_error (error);
  g_assert_nonnull (installations);
  if (out_warnings != NULL)
    {
      g_assert_nonnull (*out_warnings);
      for (guint i = 0; i < (*out_warnings)->len; i++)
        g_test_message ("warning: %s", (char *) g_ptr_array_index (*out_warnings, i));
    }
  return installations;
}

static DrLegacyInstallation *
get (GPtrArray *installations,
     guint      index)
{
  g_assert_cmpuint (index, <, installations->len);
  return g_ptr_array_index (installations, index);
}

static void
assert_no_warning_contains (GPtrArray  *warnings,
                            const char *needle)
{
  for (guint i = 0; i < warnings->len; i++)
    g_assert_null (strstr (g_ptr_array_index (warnings, i), needle));
}

static void
test_pat_installations (void)
{
  const char *contents =
    "{\n"
    "  \"cluster_name\": \"my-cluster\",\n"
    "  \"installations\": {\n"
    "    \"zeta\": {\n"
    "      \"Name\": \"zeta\",\n"
    "      \"Repository\": \"https://github.com/octo/zeta\",\n"
    "      \"ContainerMode\": \"kubernetes\",\n"
    "      \"MinRunners\": 1,\n"
    "      \"MaxRunners\": 5,\n"
    "      \"Instances\": 1,\n"
    "      \"Mounts\": null,\n"
    "      \"CachePaths\": [],\n"
    "      \"AuthType\": \"pat\",\n"
    "      \"AuthValue\": \"" TOKEN_A "\"\n"
    "    },\n"
    "    \"alpha\": {\n"
    "      \"Name\": \"alpha\",\n"
    "      \"Repository\": \"https://github.com/octo/\",\n"
    "      \"ContainerMode\": \"dind\",\n"
    "      \"MinRunners\": 0,\n"
    "      \"MaxRunners\": 2,\n"
    "      \"Instances\": 1,\n"
    "      \"Mounts\": null,\n"
    "      \"CachePaths\": null,\n"
    "      \"AuthType\": \"pat\",\n"
    "      \"AuthValue\": \"" TOKEN_B "\"\n"
    "    }\n"
    "  },\n"
    "  \"cluster_hosts\": {\"box\": {\"name\": \"box\", \"image\": \"x\", \"disk_size\": \"50GiB\","
    " \"created_at\": \"2025-01-01T00:00:00Z\"}}\n"
    "}\n";
  g_autofree char *cluster_name = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) installations = parse_ok (contents, &cluster_name, &warnings);
  DrLegacyInstallation *alpha;
  DrLegacyInstallation *zeta;

  g_assert_cmpstr (cluster_name, ==, "my-cluster");
  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_cmpuint (installations->len, ==, 2);

  /* Sorted by name. */
  alpha = get (installations, 0);
  zeta = get (installations, 1);

  g_assert_cmpstr (alpha->spec->name, ==, "alpha");
  /* Normalized: no trailing slash. An organization URL. */
  g_assert_cmpstr (alpha->spec->repository_url, ==, "https://github.com/octo");
  g_assert_cmpint (alpha->spec->mode, ==, DR_CONTAINER_MODE_DIND);
  g_assert_cmpuint (alpha->spec->min_runners, ==, 0);
  g_assert_cmpuint (alpha->spec->max_runners, ==, 2);
  g_assert_cmpuint (alpha->spec->instances, ==, 1);
  g_assert_cmpuint (alpha->spec->mounts->len, ==, 0);
  g_assert_cmpint (alpha->spec->credential_kind, ==, DR_CREDENTIAL_KIND_PAT);
  g_assert_null (alpha->spec->credential_id);
  g_assert_cmpint (alpha->credential->kind, ==, DR_CREDENTIAL_KIND_PAT);
  g_assert_cmpstr (alpha->credential->token, ==, TOKEN_B);

  g_assert_cmpstr (zeta->spec->name, ==, "zeta");
  g_assert_cmpstr (zeta->spec->repository_url, ==, "https://github.com/octo/zeta");
  g_assert_cmpint (zeta->spec->mode, ==, DR_CONTAINER_MODE_KUBERNETES);
  g_assert_cmpuint (zeta->spec->min_runners, ==, 1);
  g_assert_cmpuint (zeta->spec->max_runners, ==, 5);
  g_assert_cmpstr (zeta->credential->token, ==, TOKEN_A);
  g_assert_null (zeta->spec->credential_id);
}

static void
test_container_modes (void)
{
  const struct
  {
    const char      *json;
    DrContainerMode  mode;
  } cases[] = {
    { "\"kubernetes\"", DR_CONTAINER_MODE_KUBERNETES },
    { "\"dind\"", DR_CONTAINER_MODE_DIND },
    { "\"cached-privileged-kubernetes\"", DR_CONTAINER_MODE_PRIVILEGED },
    /* Files from before ContainerMode existed, and Go's zero value. */
    { "\"\"", DR_CONTAINER_MODE_KUBERNETES },
    { "null", DR_CONTAINER_MODE_KUBERNETES },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *contents = g_strdup_printf (
        "{\"installations\": {\"r\": {\"Name\": \"r\", \"Repository\": "
        "\"https://github.com/o/r\", \"ContainerMode\": %s, \"MinRunners\": 1, "
        "\"MaxRunners\": 1, \"AuthType\": \"pat\", \"AuthValue\": \"" TOKEN_A "\"}}}",
        cases[i].json);
      g_autoptr(GPtrArray) warnings = NULL;
      g_autoptr(GPtrArray) installations = parse_ok (contents, NULL, &warnings);

      g_test_message ("ContainerMode %s", cases[i].json);
      g_assert_cmpuint (warnings->len, ==, 0);
      g_assert_cmpuint (installations->len, ==, 1);
      g_assert_cmpint (get (installations, 0)->spec->mode, ==, cases[i].mode);
    }
}

static void
assert_mount (DrRunnerSpec *spec,
              guint         index,
              const char   *source,
              const char   *target,
              DrMountType   type)
{
  const DrMount *mount;

  g_assert_cmpuint (index, <, spec->mounts->len);
  mount = g_ptr_array_index (spec->mounts, index);
  g_assert_cmpstr (mount->source, ==, source);
  g_assert_cmpstr (mount->target, ==, target);
  g_assert_cmpint (mount->type, ==, type);
}

static void
test_mounts (void)
{
  const char *contents =
    "{\"installations\": {\n"
    /* Current: Mounts with a type; an empty Type is DirectoryOrCreate. */
    "  \"current\": {\"Name\": \"current\", \"Repository\": \"https://github.com/o/r\",\n"
    "    \"ContainerMode\": \"cached-privileged-kubernetes\", \"MinRunners\": 1,\n"
    "    \"MaxRunners\": 2, \"Instances\": 1,\n"
    "    \"Mounts\": [\n"
    "      {\"Source\": \"\", \"Target\": \"/cache\", \"Type\": \"\"},\n"
    "      {\"Source\": \"/var/run/docker.sock\", \"Target\": \"/var/run/docker.sock\",\n"
    "       \"Type\": \"Socket\"},\n"
    "      {\"Source\": \"/srv/data\", \"Target\": \"/data\", \"Type\": \"Directory\"}],\n"
    "    \"CachePaths\": [{\"Target\": \"/cache\", \"Source\": \"\"},\n"
    "                     {\"Target\": \"/root/.cache\", \"Source\": \"\"}],\n"
    "    \"AuthType\": \"pat\", \"AuthValue\": \"" TOKEN_A "\"},\n"
    /* Deprecated: CachePaths with Target and Source. */
    "  \"deprecated\": {\"Name\": \"deprecated\", \"Repository\": \"https://github.com/o/r\",\n"
    "    \"ContainerMode\": \"cached-privileged-kubernetes\", \"MinRunners\": 1,\n"
    "    \"MaxRunners\": 1, \"Instances\": 1, \"Mounts\": null,\n"
    "    \"CachePaths\": [{\"Target\": \"/var/lib/docker\", \"Source\": \"\"},\n"
    "                     {\"Target\": \"/root/.npm\", \"Source\": \"/home/me/npm\"}],\n"
    "    \"AuthType\": \"pat\", \"AuthValue\": \"" TOKEN_A "\"},\n"
    /* Oldest: CachePaths with MountPath and HostPath, no Instances. */
    "  \"oldest\": {\"Name\": \"oldest\", \"Repository\": \"https://github.com/o/r\",\n"
    "    \"ContainerMode\": \"cached-privileged-kubernetes\", \"MinRunners\": 1,\n"
    "    \"MaxRunners\": 1,\n"
    "    \"CachePaths\": [{\"MountPath\": \"/nix-cache\", \"HostPath\": \"\"},\n"
    "                     {\"MountPath\": \"/go\", \"HostPath\": \"/home/me/go\"}],\n"
    "    \"AuthType\": \"pat\", \"AuthValue\": \"" TOKEN_A "\"}\n"
    "}}\n";
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) installations = parse_ok (contents, NULL, &warnings);
  DrRunnerSpec *spec;

  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_cmpuint (installations->len, ==, 3);

  spec = get (installations, 0)->spec;
  g_assert_cmpstr (spec->name, ==, "current");
  g_assert_cmpint (spec->mode, ==, DR_CONTAINER_MODE_PRIVILEGED);
  /* /cache is in both lists: one mount. */
  g_assert_cmpuint (spec->mounts->len, ==, 4);
  assert_mount (spec, 0, NULL, "/cache", DR_MOUNT_TYPE_DIRECTORY_OR_CREATE);
  assert_mount (spec, 1, "/var/run/docker.sock", "/var/run/docker.sock", DR_MOUNT_TYPE_SOCKET);
  assert_mount (spec, 2, "/srv/data", "/data", DR_MOUNT_TYPE_DIRECTORY);
  assert_mount (spec, 3, NULL, "/root/.cache", DR_MOUNT_TYPE_DIRECTORY_OR_CREATE);

  spec = get (installations, 1)->spec;
  g_assert_cmpstr (spec->name, ==, "deprecated");
  g_assert_cmpuint (spec->mounts->len, ==, 2);
  assert_mount (spec, 0, NULL, "/var/lib/docker", DR_MOUNT_TYPE_DIRECTORY_OR_CREATE);
  assert_mount (spec, 1, "/home/me/npm", "/root/.npm", DR_MOUNT_TYPE_DIRECTORY_OR_CREATE);

  spec = get (installations, 2)->spec;
  g_assert_cmpstr (spec->name, ==, "oldest");
  g_assert_cmpuint (spec->instances, ==, 1);
  g_assert_cmpuint (spec->mounts->len, ==, 2);
  assert_mount (spec, 0, NULL, "/nix-cache", DR_MOUNT_TYPE_DIRECTORY_OR_CREATE);
  assert_mount (spec, 1, "/home/me/go", "/go", DR_MOUNT_TYPE_DIRECTORY_OR_CREATE);
}

static void
test_instances (void)
{
  const char *contents =
    "{\"installations\": {\n"
    "  \"none\": {\"Name\": \"none\", \"Repository\": \"https://github.com/o/r\",\n"
    "    \"MinRunners\": 1, \"MaxRunners\": 3, \"AuthType\": \"pat\",\n"
    "    \"AuthValue\": \"" TOKEN_A "\"},\n"
    "  \"zero\": {\"Name\": \"zero\", \"Repository\": \"https://github.com/o/r\",\n"
    "    \"MinRunners\": 1, \"MaxRunners\": 3, \"Instances\": 0, \"AuthType\": \"pat\",\n"
    "    \"AuthValue\": \"" TOKEN_A "\"},\n"
    "  \"three\": {\"Name\": \"three\", \"Repository\": \"https://github.com/o/r\",\n"
    "    \"MinRunners\": 1, \"MaxRunners\": 1, \"Instances\": 3, \"AuthType\": \"pat\",\n"
    "    \"AuthValue\": \"" TOKEN_A "\"}\n"
    "}}\n";
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) installations = parse_ok (contents, NULL, &warnings);

  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_cmpuint (installations->len, ==, 3);
  g_assert_cmpstr (get (installations, 0)->spec->name, ==, "none");
  g_assert_cmpuint (get (installations, 0)->spec->instances, ==, 1);
  g_assert_cmpstr (get (installations, 1)->spec->name, ==, "three");
  g_assert_cmpuint (get (installations, 1)->spec->instances, ==, 3);
  g_assert_cmpuint (get (installations, 1)->spec->min_runners, ==, 1);
  g_assert_cmpuint (get (installations, 1)->spec->max_runners, ==, 1);
  g_assert_cmpstr (get (installations, 2)->spec->name, ==, "zero");
  g_assert_cmpuint (get (installations, 2)->spec->instances, ==, 1);
}

static gboolean
has_warning (GPtrArray  *warnings,
             const char *first,
             const char *second)
{
  for (guint i = 0; i < warnings->len; i++)
    {
      const char *warning = g_ptr_array_index (warnings, i);

      if (strstr (warning, first) != NULL && (second == NULL || strstr (warning, second)))
        return TRUE;
    }

  return FALSE;
}

static void
test_invalid_skipped (void)
{
  const char *contents =
    "{\"installations\": {\n"
    "  \"good\": {\"Name\": \"good\", \"Repository\": \"https://github.com/o/r\",\n"
    "    \"MinRunners\": 1, \"MaxRunners\": 2, \"AuthType\": \"pat\",\n"
    "    \"AuthValue\": \"" TOKEN_A "\"},\n"
    "  \"Bad_Name\": {\"Name\": \"Bad_Name\", \"Repository\": \"https://github.com/o/r\",\n"
    "    \"MinRunners\": 1, \"MaxRunners\": 2, \"AuthType\": \"pat\",\n"
    "    \"AuthValue\": \"" TOKEN_A "\"},\n"
    "  \"bad-url\": {\"Name\": \"bad-url\", \"Repository\": \"not a url\",\n"
    "    \"MinRunners\": 1, \"MaxRunners\": 2, \"AuthType\": \"pat\",\n"
    "    \"AuthValue\": \"" TOKEN_A "\"},\n"
    "  \"bad-mode\": {\"Name\": \"bad-mode\", \"Repository\": \"https://github.com/o/r\",\n"
    "    \"ContainerMode\": \"podman\", \"MaxRunners\": 2, \"AuthType\": \"pat\",\n"
    "    \"AuthValue\": \"" TOKEN_A "\"},\n"
    "  \"bad-counts\": {\"Name\": \"bad-counts\", \"Repository\": \"https://github.com/o/r\",\n"
    "    \"MinRunners\": 4, \"MaxRunners\": 2, \"AuthType\": \"pat\",\n"
    "    \"AuthValue\": \"" TOKEN_A "\"},\n"
    "  \"no-token\": {\"Name\": \"no-token\", \"Repository\": \"https://github.com/o/r\",\n"
    "    \"MinRunners\": 1, \"MaxRunners\": 2, \"AuthType\": \"pat\", \"AuthValue\": \"\"},\n"
    "  \"bad-token\": {\"Name\": \"bad-token\", \"Repository\": \"https://github.com/o/r\",\n"
    "    \"MinRunners\": 1, \"MaxRunners\": 2, \"AuthType\": \"pat\",\n"
    "    \"AuthValue\": \"ghp_secret with spaces in it 12345\"},\n"
    "  \"bad-auth\": {\"Name\": \"bad-auth\", \"Repository\": \"https://github.com/o/r\",\n"
    "    \"MinRunners\": 1, \"MaxRunners\": 2, \"AuthType\": \"oauth\",\n"
    "    \"AuthValue\": \"" TOKEN_A "\"},\n"
    "  \"bad-mount\": {\"Name\": \"bad-mount\", \"Repository\": \"https://github.com/o/r\",\n"
    "    \"MinRunners\": 1, \"MaxRunners\": 2, \"AuthType\": \"pat\",\n"
    "    \"Mounts\": [{\"Source\": \"\", \"Target\": \"relative/path\", \"Type\": \"\"}],\n"
    "    \"AuthValue\": \"" TOKEN_A "\"},\n"
    "  \"not-an-object\": 12\n"
    "}}\n";
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) installations = parse_ok (contents, NULL, &warnings);

  g_assert_cmpuint (installations->len, ==, 1);
  g_assert_cmpstr (get (installations, 0)->spec->name, ==, "good");

  g_assert_cmpuint (warnings->len, ==, 9);
  /* Each names the installation and gives the reason from the spec rules. */
  g_assert_true (has_warning (warnings, "“Bad_Name”", "name"));
  g_assert_true (has_warning (warnings, "“bad-url”", "not a url"));
  g_assert_true (has_warning (warnings, "“bad-mode”", "podman"));
  g_assert_true (has_warning (warnings, "“bad-counts”", "minimum"));
  g_assert_true (has_warning (warnings, "“no-token”", "token"));
  g_assert_true (has_warning (warnings, "“bad-token”", "token"));
  g_assert_true (has_warning (warnings, "“bad-auth”", "oauth"));
  g_assert_true (has_warning (warnings, "“bad-mount”", "relative/path"));
  g_assert_true (has_warning (warnings, "“not-an-object”", NULL));

  /* The skipped token is never echoed. */
  assert_no_warning_contains (warnings, "secret with spaces");
  assert_no_warning_contains (warnings, TOKEN_A);
}

static void
test_github_app (void)
{
  /* The CLI stored only the App's private key: no App ID, no installation ID. */
  const char *contents =
    "{\"installations\": {\n"
    "  \"app-runner\": {\"Name\": \"app-runner\", \"Repository\": \"https://github.com/o/r\",\n"
    "    \"ContainerMode\": \"kubernetes\", \"MinRunners\": 1, \"MaxRunners\": 2,\n"
    "    \"Instances\": 1, \"AuthType\": \"github-app\",\n"
    "    \"AuthValue\": \"-----BEGIN RSA PRIVATE KEY-----\\nMIIEsecretKEY\\n"
    "-----END RSA PRIVATE KEY-----\\n\"},\n"
    "  \"pat-runner\": {\"Name\": \"pat-runner\", \"Repository\": \"https://github.com/o/r\",\n"
    "    \"MinRunners\": 1, \"MaxRunners\": 2, \"AuthType\": \"pat\",\n"
    "    \"AuthValue\": \"" TOKEN_A "\"}\n"
    "}}\n";
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) installations = parse_ok (contents, NULL, &warnings);

  g_assert_cmpuint (installations->len, ==, 1);
  g_assert_cmpstr (get (installations, 0)->spec->name, ==, "pat-runner");

  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_true (has_warning (warnings, "“app-runner”", "App ID"));
  g_assert_true (has_warning (warnings, "“app-runner”", "installation ID"));
  assert_no_warning_contains (warnings, "secretKEY");
}

static void
test_malformed (void)
{
  const char *cases[] = {
    "{\"installations\": {",
    "{\"installations\": {\"a\": {\"Name\": \"a\",}}}",
    "[1, 2]",
    "\"installations\"",
    "{\"installations\": [1]}",
    "{\"cluster_name\": 5}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) warnings = NULL;
      g_autofree char *cluster_name = NULL;
      g_autoptr(GPtrArray) installations = NULL;

      installations = dr_legacy_config_parse (cases[i], -1, &cluster_name, &warnings, &error);
      g_assert_null (installations);
      g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
      g_test_message ("%s → %s", cases[i], error->message);
      g_assert_null (cluster_name);
      g_assert_null (warnings);
    }
}

static void
test_empty (void)
{
  const struct
  {
    const char *contents;
    const char *cluster_name;
  } cases[] = {
    { "", NULL },
    { "  \n", NULL },
    { "{}", NULL },
    { "{\"cluster_name\": \"deskrun\", \"installations\": {}}", "deskrun" },
    { "{\"cluster_name\": \"\", \"installations\": null, \"cluster_hosts\": {}}", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *cluster_name = NULL;
      g_autoptr(GPtrArray) warnings = NULL;
      g_autoptr(GPtrArray) installations = parse_ok (cases[i].contents, &cluster_name, &warnings);

      g_assert_cmpuint (installations->len, ==, 0);
      g_assert_cmpuint (warnings->len, ==, 0);
      g_assert_cmpstr (cluster_name, ==, cases[i].cluster_name);
    }
}

static void
test_length_and_nullable_outs (void)
{
  /* @length bounds the text; the outputs are optional. */
  const char *contents =
    "{\"installations\": {\"r\": {\"Name\": \"r\", \"Repository\": \"https://github.com/o/r\","
    " \"MaxRunners\": 2, \"AuthType\": \"pat\", \"AuthValue\": \"" TOKEN_A "\"}}}trailing junk";
  gssize length = strstr (contents, "trailing") - contents;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) installations = NULL;

  installations = dr_legacy_config_parse (contents, length, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (installations->len, ==, 1);
}

static void
test_go_key_case (void)
{
  /* Go's encoding/json matches keys to fields ignoring case, so hand edits like these
   * worked with the CLI. */
  const char *contents =
    "{\"installations\": {\"r\": {\"name\": \"r\", \"repository\": \"https://github.com/o/r\","
    " \"containerMode\": \"dind\", \"maxRunners\": 2, \"authType\": \"pat\","
    " \"authValue\": \"" TOKEN_A "\"}}}";
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) installations = parse_ok (contents, NULL, &warnings);

  g_assert_cmpuint (installations->len, ==, 1);
  g_assert_cmpint (get (installations, 0)->spec->mode, ==, DR_CONTAINER_MODE_DIND);
  g_assert_cmpstr (get (installations, 0)->credential->token, ==, TOKEN_A);
}

static void
test_same_name_twice (void)
{
  /* Two map keys whose Name is the same: only one can be imported. */
  const char *contents =
    "{\"installations\": {\n"
    "  \"b\": {\"Name\": \"same\", \"Repository\": \"https://github.com/o/b\",\n"
    "    \"MaxRunners\": 2, \"AuthType\": \"pat\", \"AuthValue\": \"" TOKEN_A "\"},\n"
    "  \"a\": {\"Name\": \"same\", \"Repository\": \"https://github.com/o/a\",\n"
    "    \"MaxRunners\": 2, \"AuthType\": \"pat\", \"AuthValue\": \"" TOKEN_A "\"}\n"
    "}}\n";
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) installations = parse_ok (contents, NULL, &warnings);

  g_assert_cmpuint (installations->len, ==, 1);
  g_assert_cmpstr (get (installations, 0)->spec->repository_url, ==, "https://github.com/o/a");
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_true (has_warning (warnings, "“b”", "“same”"));
}

/* 100,000 installations and one name twice: found with a hash set, not a search of the list
 * per entry (quadratic: minutes). Asserts the outcome, not the time. */
static void
test_many_installations (void)
{
  g_autoptr(GString) contents = g_string_new ("{\"installations\": {");
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) installations = NULL;
  g_autoptr(GError) error = NULL;
  const guint n = 100000;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (contents, "\"k%06u\": {\"Name\": \"r%u\", \"Repository\": "
                            "\"https://github.com/o/r\", \"MaxRunners\": 1, \"AuthType\": "
                            "\"pat\", \"AuthValue\": \"" TOKEN_A "\"},", i, i);
  g_string_append (contents, "\"zz\": {\"Name\": \"r77\", \"Repository\": "
                   "\"https://github.com/o/r\", \"MaxRunners\": 1, \"AuthType\": \"pat\", "
                   "\"AuthValue\": \"" TOKEN_A "\"}}}");

  installations = dr_legacy_config_parse (contents->str, contents->len, NULL, &warnings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (installations->len, ==, n);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_true (has_warning (warnings, "“zz”", "“r77”"));
}

static void
test_default_path (void)
{
  g_autofree char *path = dr_legacy_config_default_path ();
  g_autofree char *expected = g_build_filename (g_get_home_dir (), ".deskrun", "config.json",
                                                NULL);

  g_assert_cmpstr (path, ==, expected);
}

int
main (int    argc,
      char **argv)
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/deskrun/legacy-config/pat-installations", test_pat_installations);
  g_test_add_func ("/deskrun/legacy-config/container-modes", test_container_modes);
  g_test_add_func ("/deskrun/legacy-config/mounts", test_mounts);
  g_test_add_func ("/deskrun/legacy-config/instances", test_instances);
  g_test_add_func ("/deskrun/legacy-config/invalid-skipped", test_invalid_skipped);
  g_test_add_func ("/deskrun/legacy-config/github-app", test_github_app);
  g_test_add_func ("/deskrun/legacy-config/malformed", test_malformed);
  g_test_add_func ("/deskrun/legacy-config/empty", test_empty);
  g_test_add_func ("/deskrun/legacy-config/length-and-nullable-outs",
                   test_length_and_nullable_outs);
  g_test_add_func ("/deskrun/legacy-config/go-key-case", test_go_key_case);
  g_test_add_func ("/deskrun/legacy-config/same-name-twice", test_same_name_twice);
  g_test_add_func ("/deskrun/legacy-config/many-installations", test_many_installations);
  g_test_add_func ("/deskrun/legacy-config/default-path", test_default_path);

  return g_test_run ();
}
