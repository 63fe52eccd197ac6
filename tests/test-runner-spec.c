/* test-runner-spec.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dr-error.h"
#include "dr-runner-spec.h"
#include "dr-test-utils.h"
#include "dr-versions.h"

/* A case of a table: @text is the input; NULL @needle means the input is valid, otherwise the
 * error must be DR_ERROR_INVALID and its message must contain @needle and, when set, @needle2. */
typedef struct
{
  const char *text;
  const char *needle;
  const char *needle2;
} Case;

static void
assert_invalid (const GError *error,
                const char   *needle,
                const char   *needle2)
{
  g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
  g_test_message ("message: %s", error->message);
  if (strstr (error->message, needle) == NULL)
    g_error ("The message “%s” does not contain “%s”", error->message, needle);
  if (needle2 != NULL && strstr (error->message, needle2) == NULL)
    g_error ("The message “%s” does not contain “%s”", error->message, needle2);
}

static char *
repeat_char (char  c,
             guint n)
{
  char *text = g_malloc (n + 1);

  memset (text, c, n);
  text[n] = '\0';

  return text;
}

/* A spec that passes every rule, for tests that break one rule at a time. */
static DrRunnerSpec *
make_valid_spec (void)
{
  DrRunnerSpec *spec = dr_runner_spec_new ();

  g_free (spec->name);
  spec->name = g_strdup ("build");
  g_free (spec->repository_url);
  spec->repository_url = g_strdup ("https://github.com/octo/app");
  spec->mode = DR_CONTAINER_MODE_PRIVILEGED;
  spec->min_runners = 0;
  spec->max_runners = 3;
  g_ptr_array_add (spec->mounts, dr_mount_new (NULL, "/cache", DR_MOUNT_TYPE_DIRECTORY_OR_CREATE));
  g_ptr_array_add (spec->mounts, dr_mount_new ("/var/run/docker.sock", "/var/run/docker.sock",
                                               DR_MOUNT_TYPE_SOCKET));
  spec->runner_group = g_strdup ("Default");
  g_ptr_array_add (spec->labels, g_strdup ("linux"));
  g_ptr_array_add (spec->labels, g_strdup ("gpu"));
  spec->credential_kind = DR_CREDENTIAL_KIND_PAT;
  spec->credential_id = g_strdup ("deskrun:build");

  return spec;
}

static void
set_string (char       **field,
            const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static void
assert_field_invalid (const DrRunnerSpec *spec,
                      DrSpecField         field,
                      const char         *needle,
                      const char         *needle2)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (dr_runner_spec_check_field (spec, field, &error));
  assert_invalid (error, needle, needle2);
}

static void
assert_field_valid (const DrRunnerSpec *spec,
                    DrSpecField         field)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dr_runner_spec_check_field (spec, field, &error));
  g_assert_no_error (error);
}

static void
test_defaults (void)
{
  g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();
  g_auto(GStrv) names = NULL;

  g_assert_cmpstr (spec->name, ==, "");
  g_assert_cmpstr (spec->repository_url, ==, "");
  g_assert_cmpint (spec->mode, ==, DR_CONTAINER_MODE_KUBERNETES);
  g_assert_cmpuint (spec->min_runners, ==, 1);
  g_assert_cmpuint (spec->max_runners, ==, 5);
  g_assert_cmpuint (spec->instances, ==, 1);
  g_assert_nonnull (spec->mounts);
  g_assert_cmpuint (spec->mounts->len, ==, 0);
  g_assert_nonnull (spec->labels);
  g_assert_cmpuint (spec->labels->len, ==, 0);
  g_assert_null (spec->runner_group);
  g_assert_cmpint (spec->credential_kind, ==, DR_CREDENTIAL_KIND_PAT);
  g_assert_null (spec->credential_id);

  /* The defaults are valid apart from the two fields the user must fill in. */
  assert_field_invalid (spec, DR_SPEC_FIELD_NAME, "empty", NULL);
  assert_field_invalid (spec, DR_SPEC_FIELD_REPOSITORY, "empty", NULL);
  for (guint field = DR_SPEC_FIELD_RUNNERS; field < DR_SPEC_N_FIELDS; field++)
    assert_field_valid (spec, field);

  names = dr_runner_spec_dup_scale_set_names (spec);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
}

static void
test_ref_unref (void)
{
  DrRunnerSpec *spec = dr_runner_spec_new ();
  GType type = dr_runner_spec_get_type ();
  DrRunnerSpec *boxed;

  g_assert_true (G_TYPE_IS_BOXED (type));
  g_assert_true (type == DR_TYPE_RUNNER_SPEC);
  g_assert_true (dr_runner_spec_ref (spec) == spec);
  dr_runner_spec_unref (spec);

  /* A boxed copy is a reference: shared specs are immutable. */
  boxed = g_boxed_copy (type, spec);
  g_assert_true (boxed == spec);
  g_boxed_free (type, boxed);

  dr_runner_spec_unref (spec);
}

static void
test_copy_equal (void)
{
  g_autoptr(DrRunnerSpec) spec = make_valid_spec ();
  g_autoptr(DrRunnerSpec) copy = dr_runner_spec_copy (spec);
  g_autoptr(DrRunnerSpec) other = NULL;

  g_assert_true (copy != spec);
  g_assert_true (dr_runner_spec_equal (spec, copy));
  g_assert_true (dr_runner_spec_equal (copy, spec));
  g_assert_true (dr_runner_spec_equal (spec, spec));

  /* Deep: nothing is shared, so editing the copy cannot change the original. */
  g_assert_true (copy->name != spec->name);
  g_assert_true (copy->mounts != spec->mounts);
  g_assert_cmpuint (copy->mounts->len, ==, 2);
  g_assert_true (g_ptr_array_index (copy->mounts, 0) != g_ptr_array_index (spec->mounts, 0));
  g_assert_true (copy->labels != spec->labels);
  g_assert_cmpuint (copy->labels->len, ==, 2);
  g_assert_true (g_ptr_array_index (copy->labels, 0) != g_ptr_array_index (spec->labels, 0));
  g_ptr_array_add (copy->labels, g_strdup ("extra"));
  g_assert_cmpuint (spec->labels->len, ==, 2);
  g_assert_false (dr_runner_spec_equal (spec, copy));

  /* Every field takes part in equality. */
  for (guint i = 0; i < 13; i++)
    {
      g_clear_pointer (&other, dr_runner_spec_unref);
      other = dr_runner_spec_copy (spec);
      g_assert_true (dr_runner_spec_equal (spec, other));

      switch (i)
        {
        case 0: set_string (&other->name, "other"); break;
        case 1: set_string (&other->repository_url, "https://github.com/octo/other"); break;
        case 2: other->mode = DR_CONTAINER_MODE_DIND; break;
        case 3: other->min_runners = 1; break;
        case 4: other->max_runners = 4; break;
        case 5: other->instances = 2; break;
        case 6: g_ptr_array_remove_index (other->mounts, 1); break;
        case 7:
          ((DrMount *) g_ptr_array_index (other->mounts, 1))->type = DR_MOUNT_TYPE_DIRECTORY;
          break;
        case 8: set_string (&other->runner_group, "gpu-machines"); break;
        case 9: set_string ((char **) &other->labels->pdata[1], "cuda"); break;
        case 10: other->credential_kind = DR_CREDENTIAL_KIND_GITHUB_APP; break;
        case 11: set_string (&other->credential_id, NULL); break;
        case 12: g_ptr_array_remove_index (other->labels, 0); break;
        default: g_assert_not_reached ();
        }

      g_assert_false (dr_runner_spec_equal (spec, other));
      g_assert_false (dr_runner_spec_equal (other, spec));
    }

  /* NULL and "" both mean the Default group. */
  g_clear_pointer (&other, dr_runner_spec_unref);
  other = dr_runner_spec_copy (spec);
  set_string (&other->runner_group, NULL);
  g_clear_pointer (&copy, dr_runner_spec_unref);
  copy = dr_runner_spec_copy (spec);
  set_string (&copy->runner_group, "");
  g_assert_true (dr_runner_spec_equal (other, copy));
}

static void
test_name (void)
{
  g_autofree char *max = repeat_char ('a', DR_RUNNER_NAME_MAX);
  g_autofree char *too_long = repeat_char ('a', DR_RUNNER_NAME_MAX + 1);
  const Case cases[] = {
    { "a", NULL, NULL },
    { "7", NULL, NULL },
    { "build", NULL, NULL },
    { "my-runner-2", NULL, NULL },
    { "0day", NULL, NULL },
    { "a--b", NULL, NULL },
    { max, NULL, NULL },
    { "", "empty", "lowercase letters, digits and “-”" },
    { too_long, "45", "46" },
    { "MyRunner", "uppercase", "“myrunner”" },
    { "BUILD-1", "uppercase", "“build-1”" },
    { "my_runner", "“_”", "lowercase letters, digits and “-”" },
    { "My_Runner", "“_”", NULL },  /* unfixable characters first, then case */
    { "my.runner", "“.”", NULL },
    { "my runner", "space", NULL },
    { "rünner", "“ü”", NULL },
    { "a\tb", "U+0009", NULL },
    { "-build", "starts with “-”", "letter or a digit" },
    { "build-", "ends with “-”", "letter or a digit" },
    { "-", "starts with “-”", NULL },
    { "\xff", "UTF-8", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *escaped = g_strescape (cases[i].text, NULL);
      gboolean ok;

      /* Escaped: TAP output must stay valid UTF-8. */
      g_test_message ("name “%s”", escaped);
      ok = dr_validate_runner_name (cases[i].text, &error);
      if (cases[i].needle == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          assert_invalid (error, cases[i].needle, cases[i].needle2);
        }
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (dr_validate_runner_name (NULL, &error));
    assert_invalid (error, "empty", NULL);
  }
}

static void
test_name_instances (void)
{
  const struct
  {
    guint       name_length;
    guint       instances;
    const char *needle;
    const char *needle2;
  } cases[] = {
    { 45, 1, NULL, NULL },
    { 43, 2, NULL, NULL },   /* NAME-2 is exactly 45 */
    { 43, 9, NULL, NULL },
    { 44, 2, "45", "at most 43 characters" },
    { 42, 10, NULL, NULL },  /* NAME-10 is exactly 45 */
    { 43, 10, "45", "at most 42 characters" },
    { 43, 99, "99 instances", "at most 42 characters" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DrRunnerSpec) spec = make_valid_spec ();

      g_free (spec->name);
      spec->name = repeat_char ('r', cases[i].name_length);
      spec->instances = cases[i].instances;
      spec->min_runners = spec->max_runners = 1;

      g_test_message ("name of %u characters, %u instances", cases[i].name_length,
                      cases[i].instances);
      if (cases[i].needle == NULL)
        assert_field_valid (spec, DR_SPEC_FIELD_NAME);
      else
        assert_field_invalid (spec, DR_SPEC_FIELD_NAME, cases[i].needle, cases[i].needle2);
    }
}

/* Short names keep the table readable. */
#define REPO DR_REPOSITORY_SCOPE_REPOSITORY
#define ORG  DR_REPOSITORY_SCOPE_ORGANIZATION
#define ENT  DR_REPOSITORY_SCOPE_ENTERPRISE

static void
test_repository (void)
{
  const struct
  {
    const char        *url;
    const char        *normalized;
    DrRepositoryScope  scope;
  } good[] = {
    { "https://github.com/octo/app", "https://github.com/octo/app", REPO },
    { "https://github.com/octo/app/", "https://github.com/octo/app", REPO },
    { "https://github.com/octo/app.git", "https://github.com/octo/app", REPO },
    { "https://github.com/o/r.git/", "https://github.com/o/r", REPO },
    { "  https://github.com/octo/app\n", "https://github.com/octo/app", REPO },
    { "https://GitHub.COM/Octo/App", "https://github.com/Octo/App", REPO },
    { "HTTPS://github.com/octo/app", "https://github.com/octo/app", REPO },
    { "https://github.com/octo/my_app.v2-x", "https://github.com/octo/my_app.v2-x", REPO },
    { "https://github.com/octo/app.js", "https://github.com/octo/app.js", REPO },
    { "https://github.com/octo/app.git.git", "https://github.com/octo/app", REPO },
    { "https://github.com/octo/.github", "https://github.com/octo/.github", REPO },
    { "https://github.com:443/octo/app", "https://github.com/octo/app", REPO },
    { "https://ghe.example.com/octo/app", "https://ghe.example.com/octo/app", REPO },
    { "https://ghe.example.com:8443/octo/app/", "https://ghe.example.com:8443/octo/app", REPO },
    { "https://[::1]:8443/octo/app", "https://[::1]:8443/octo/app", REPO },
    { "https://github.com/my-org", "https://github.com/my-org", ORG },
    { "https://github.com/my-org/", "https://github.com/my-org", ORG },
    { "https://ghe.example.com/Org2", "https://ghe.example.com/Org2", ORG },
    { "https://github.com/enterprises/acme", "https://github.com/enterprises/acme", ENT },
    { "https://github.com/Enterprises/acme-corp/",
      "https://github.com/enterprises/acme-corp", ENT },
  };
  const Case bad[] = {
    { "", "empty", "https://github.com/owner/repo" },
    { "   ", "empty", NULL },
    { "http://github.com/octo/app", "https://", "secure" },
    { "octo/app", "“https://github.com/octo/app”", NULL },
    { "octo/app.git", "“https://github.com/octo/app”", NULL },
    { "my-org", "“https://github.com/my-org”", NULL },
    { "github.com/octo/app/", "“https://github.com/octo/app”", NULL },
    { "git@github.com:octo/app.git", "“https://github.com/octo/app”", NULL },
    { "ssh://git@github.com/octo/app", "must start with https://", NULL },
    { "https://", "host", NULL },
    { "https:///octo/app", "host", NULL },
    { "https://github.com/octo/app?tab=readme", "“?”", NULL },
    { "https://github.com/octo/app#readme", "“#”", NULL },
    { "https://github.com/octo/app/tree/main", "repository URL",
      "“https://github.com/octo/app”" },
    { "https://github.com/octo/app/pulls", "“https://github.com/octo/app”", NULL },
    { "https://github.com/enterprises/acme/settings", "enterprise URL",
      "“https://github.com/enterprises/acme”" },
    { "https://github.com/enterprises", "no enterprise", "enterprises/NAME" },
    { "https://github.com/enterprises/", "no enterprise", NULL },
    { "https://github.com/enterprises/ac_me", "“ac_me”", "enterprise name" },
    { "https://github.com", "no repository or organization", "https://github.com/OWNER/REPO" },
    { "https://github.com/", "no repository or organization", NULL },
    { "https://github.com//app", "“//”", NULL },
    { "https://github.com/orgs/acme", "“https://github.com/acme”", NULL },
    { "https://github.com/oc_to/app", "“oc_to”", "letters, digits and “-”" },
    { "https://github.com/octo.x", "“octo.x”", "organization name" },
    { "https://github.com/octo/ap$p", "“ap$p”", "“-”, “_” and “.”" },
    { "https://github.com/octo/app%20x", "repository name", NULL },
    { "https://github.com/octo/.git", "“.git”", "repository name" },
    { "https://github_enterprise.local/octo/app", "host name", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = NULL;
      g_autofree char *again = NULL;
      DrRepositoryScope scope = (DrRepositoryScope) -1;
      DrRepositoryScope scope_again = (DrRepositoryScope) -1;

      g_test_message ("url “%s”", good[i].url);
      normalized = dr_normalize_repository_url (good[i].url, &scope, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (normalized, ==, good[i].normalized);
      g_assert_cmpint (scope, ==, good[i].scope);

      /* Normalizing is idempotent. */
      again = dr_normalize_repository_url (normalized, &scope_again, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (again, ==, normalized);
      g_assert_cmpint (scope_again, ==, scope);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = NULL;
      DrRepositoryScope scope = (DrRepositoryScope) -1;

      g_test_message ("url “%s”", bad[i].text);
      normalized = dr_normalize_repository_url (bad[i].text, &scope, &error);
      g_assert_null (normalized);
      g_assert_cmpint (scope, ==, (DrRepositoryScope) -1);
      assert_invalid (error, bad[i].needle, bad[i].needle2);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *normalized = dr_normalize_repository_url (NULL, NULL, &error);

    g_assert_null (normalized);
    assert_invalid (error, "empty", NULL);
  }
}

/* A token pasted with the URL must not end up in a message, which may be shown or logged. */
static void
test_repository_token (void)
{
  const char *urls[] = {
    "https://ghp_s3cr3tT0ken@github.com/octo/app",
    "https://x-access-token:ghp_s3cr3tT0ken@github.com/octo/app",
    "http://ghp_s3cr3tT0ken@github.com/octo/app",
    "ghp_s3cr3tT0ken@github.com/octo/app",
    "ssh://ghp_s3cr3tT0ken@github.com/octo/app",
  };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = dr_normalize_repository_url (urls[i], NULL, &error);

      g_assert_null (normalized);
      g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
      g_test_message ("message: %s", error->message);
      g_assert_null (strstr (error->message, "s3cr3t"));
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *normalized = dr_normalize_repository_url (urls[0], NULL, &error);

    assert_invalid (error, "token", "stored separately");
  }
}

static void
test_repository_field (void)
{
  g_autoptr(DrRunnerSpec) spec = make_valid_spec ();

  assert_field_valid (spec, DR_SPEC_FIELD_REPOSITORY);

  /* An unnormalized URL is still a valid one. */
  set_string (&spec->repository_url, "https://github.com/octo/app.git/");
  assert_field_valid (spec, DR_SPEC_FIELD_REPOSITORY);

  set_string (&spec->repository_url, "http://github.com/octo/app");
  assert_field_invalid (spec, DR_SPEC_FIELD_REPOSITORY, "https://", NULL);

  set_string (&spec->repository_url, NULL);
  assert_field_invalid (spec, DR_SPEC_FIELD_REPOSITORY, "empty", NULL);
}

static void
test_runners (void)
{
  const struct
  {
    guint       min;
    guint       max;
    const char *needle;
    const char *needle2;
  } cases[] = {
    { 0, 1, NULL, NULL },
    { 1, 5, NULL, NULL },
    { 3, 3, NULL, NULL },
    { 0, 1000, NULL, NULL },
    { 1000, 1000, NULL, NULL },
    { 0, 0, "never run a job", "at least 1" },
    { 1, 0, "never run a job", NULL },
    { 0, 1001, "1000", "1001" },
    { 6, 5, "(6)", "(5)" },
    { 2, 1, "minimum", "maximum" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DrRunnerSpec) spec = make_valid_spec ();

      spec->min_runners = cases[i].min;
      spec->max_runners = cases[i].max;
      g_test_message ("min %u, max %u", cases[i].min, cases[i].max);
      if (cases[i].needle == NULL)
        assert_field_valid (spec, DR_SPEC_FIELD_RUNNERS);
      else
        assert_field_invalid (spec, DR_SPEC_FIELD_RUNNERS, cases[i].needle, cases[i].needle2);
    }
}

static void
test_instances (void)
{
  const struct
  {
    guint       instances;
    guint       min;
    guint       max;
    const char *needle;
    const char *needle2;
  } cases[] = {
    { 1, 0, 5, NULL, NULL },
    { 1, 1, 1, NULL, NULL },
    { 2, 1, 1, NULL, NULL },
    { 99, 1, 1, NULL, NULL },
    { 0, 1, 1, "0", "at least 1" },
    { 100, 1, 1, "99", "100" },
    { 2, 0, 1, "exactly one runner", "both be 1" },
    { 3, 1, 5, "exactly one runner", "single instance" },
    { 2, 2, 2, "exactly one runner", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DrRunnerSpec) spec = make_valid_spec ();

      spec->instances = cases[i].instances;
      spec->min_runners = cases[i].min;
      spec->max_runners = cases[i].max;
      g_test_message ("%u instances, min %u, max %u", cases[i].instances, cases[i].min,
                      cases[i].max);
      if (cases[i].needle == NULL)
        {
          g_autoptr(GError) error = NULL;

          assert_field_valid (spec, DR_SPEC_FIELD_INSTANCES);
          g_assert_true (dr_runner_spec_validate (spec, &error));
          g_assert_no_error (error);
        }
      else
        {
          g_autoptr(GError) error = NULL;

          assert_field_invalid (spec, DR_SPEC_FIELD_INSTANCES, cases[i].needle, cases[i].needle2);
          /* The min/max rule belongs to instances, not to the runner counts. */
          if (cases[i].instances >= 1 && cases[i].instances <= 99)
            assert_field_valid (spec, DR_SPEC_FIELD_RUNNERS);
          g_assert_false (dr_runner_spec_validate (spec, &error));
          assert_invalid (error, cases[i].needle, cases[i].needle2);
        }
    }
}

static void
test_scale_set_names (void)
{
  g_autoptr(DrRunnerSpec) spec = make_valid_spec ();
  const char *one[] = { "build", NULL };
  const char *three[] = { "build-1", "build-2", "build-3", NULL };
  g_auto(GStrv) names = NULL;

  names = dr_runner_spec_dup_scale_set_names (spec);
  g_assert_cmpstrv (names, one);
  g_clear_pointer (&names, g_strfreev);

  spec->instances = 3;
  names = dr_runner_spec_dup_scale_set_names (spec);
  g_assert_cmpstrv (names, three);
  g_clear_pointer (&names, g_strfreev);

  spec->instances = 12;
  names = dr_runner_spec_dup_scale_set_names (spec);
  g_assert_cmpuint (g_strv_length (names), ==, 12);
  g_assert_cmpstr (names[0], ==, "build-1");
  g_assert_cmpstr (names[11], ==, "build-12");
}

static void
test_mount_parse (void)
{
  const struct
  {
    const char  *text;
    const char  *source;
    const char  *target;
    DrMountType  type;
    const char  *printed;
  } good[] = {
    { "/cache", NULL, "/cache", DR_MOUNT_TYPE_DIRECTORY_OR_CREATE, "/cache" },
    { "  /cache ", NULL, "/cache", DR_MOUNT_TYPE_DIRECTORY_OR_CREATE, "/cache" },
    { "/home/u/.cache/go:/root/go", "/home/u/.cache/go", "/root/go",
      DR_MOUNT_TYPE_DIRECTORY_OR_CREATE, "/home/u/.cache/go:/root/go" },
    { "/srv/data:/data:Directory", "/srv/data", "/data", DR_MOUNT_TYPE_DIRECTORY,
      "/srv/data:/data:Directory" },
    { "/srv/data:/data:directory", "/srv/data", "/data", DR_MOUNT_TYPE_DIRECTORY,
      "/srv/data:/data:Directory" },
    { "/var/run/docker.sock:/var/run/docker.sock:SOCKET", "/var/run/docker.sock",
      "/var/run/docker.sock", DR_MOUNT_TYPE_SOCKET,
      "/var/run/docker.sock:/var/run/docker.sock:Socket" },
    { "/a:/b:directoryorcreate", "/a", "/b", DR_MOUNT_TYPE_DIRECTORY_OR_CREATE, "/a:/b" },
    { "/a//b/:/c/./d/", "/a/b", "/c/d", DR_MOUNT_TYPE_DIRECTORY_OR_CREATE, "/a/b:/c/d" },
    { "/nix/store:/nix/store:Directory", "/nix/store", "/nix/store", DR_MOUNT_TYPE_DIRECTORY,
      "/nix/store:/nix/store:Directory" },
  };
  g_autofree char *home_x = g_build_filename (g_get_home_dir (), "x", NULL);
  const Case bad[] = {
    { "", "empty", "“source:target:type”" },
    { "   ", "empty", NULL },
    { ":", "empty part", NULL },
    { "/a:", "empty part", NULL },
    { ":/a", "empty part", NULL },
    { "/a::Socket", "empty part", NULL },
    { "/a:/b:Directory:x", "too many parts", NULL },
    { "/a:/b:File", "“File”", "DirectoryOrCreate, Directory or Socket" },
    { "cache", "“cache”", "not an absolute path" },
    { "/a:cache", "target “cache”", "not an absolute path" },
    { "src:/cache", "source “src”", "not an absolute path" },
    { "~/x:/cache", "not expanded", home_x },
    { "~:/cache", "not expanded", g_get_home_dir () },
    { "~bob/x:/cache", "not expanded", "starting with “/”" },
    { "~/cache", "target “~/cache”", "not expanded" },
    { "/", "cannot be “/”", NULL },
    { "//", "cannot be “/”", NULL },
    { "/host:/", "cannot be “/”", NULL },
    { "/host:/.", "cannot be “/”", NULL },
    { "/a/../b", "“..”", "“/a/../b”" },
    { "/host/..:/cache", "source “/host/..”", "“..”" },
    { "/cache/..", "“..”", NULL },
    /* Control characters and spaces around names were kept ("/ps\r/" stored as "/ps\r"),
     * and "/h:/  /  " printed as "/h:/  ", which reads back as a target of "/". */
    { "/ps\r/", "target contains a control character", NULL },
    { "/a\t:/b", "source contains a control character", NULL },
    { "/a:/b\n/c", "target contains a control character", NULL },
    { "/a:/b\x7f", "control character", NULL },
    { "/h:/  /  ", "target “/  /”", "starts or ends with a space" },
    { "/a :/b", "source “/a ”", "starts or ends with a space" },
    { "/a/ b/c", "target “/a/ b/c”", "starts or ends with a space" },
    { "/a:/b\xc2\xa0", "starts or ends with a space", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DrMount) mount = NULL;
      g_autoptr(DrMount) again = NULL;
      g_autoptr(DrMount) copy = NULL;
      g_autofree char *printed = NULL;

      g_test_message ("mount “%s”", good[i].text);
      mount = dr_mount_parse (good[i].text, &error);
      g_assert_no_error (error);
      g_assert_nonnull (mount);
      g_assert_cmpstr (mount->source, ==, good[i].source);
      g_assert_cmpstr (mount->target, ==, good[i].target);
      g_assert_cmpint (mount->type, ==, good[i].type);

      printed = dr_mount_to_string (mount);
      g_assert_cmpstr (printed, ==, good[i].printed);

      again = dr_mount_parse (printed, &error);
      g_assert_no_error (error);
      g_assert_true (dr_mount_equal (mount, again));

      copy = dr_mount_copy (mount);
      g_assert_true (copy != mount);
      g_assert_true (dr_mount_equal (mount, copy));
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DrMount) mount = NULL;

      g_test_message ("mount “%s”", bad[i].text);
      mount = dr_mount_parse (bad[i].text, &error);
      g_assert_null (mount);
      assert_invalid (error, bad[i].needle, bad[i].needle2);
    }
}

/* Whatever text dr_mount_parse() accepts, its printed form parses back to the same mount and
 * prints the same again: random texts from an alphabet of the characters that matter (the
 * separator, spaces, control characters, dots, "~", non-ASCII spaces), seeded by GTest so a
 * failure can be replayed with --seed. */
static void
test_mount_print_parse_property (void)
{
  static const char * const pieces[] = {
    "/", "/", "/", ":", ":", "a", "b", "c", ".", "..", " ", "  ", "\t", "\r", "\n", "~", "é",
    "\xc2\xa0", "Directory", "Socket", "DirectoryOrCreate", "socket", "x y", "\x01",
  };
  guint accepted = 0;

  for (guint i = 0; i < 50000; i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(DrMount) mount = NULL;
      g_autoptr(DrMount) again = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *printed = NULL;
      g_autofree char *printed_again = NULL;
      guint n = g_test_rand_int_range (1, 12);

      /* Most texts are shaped like mounts, so many are accepted. */
      if (g_test_rand_bit ())
        g_string_append_c (text, '/');
      for (guint j = 0; j < n; j++)
        g_string_append (text, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);

      mount = dr_mount_parse (text->str, &error);
      if (mount == NULL)
        {
          g_assert_error (error, DR_ERROR, DR_ERROR_INVALID);
          continue;
        }
      accepted++;

      printed = dr_mount_to_string (mount);
      again = dr_mount_parse (printed, &error);
      if (again == NULL)
        g_error ("“%s” was accepted and printed as “%s”, which is refused: %s",
                 g_strescape (text->str, NULL), g_strescape (printed, NULL), error->message);
      g_assert_true (dr_mount_equal (mount, again));
      printed_again = dr_mount_to_string (again);
      g_assert_cmpstr (printed_again, ==, printed);
    }

  /* The property was tested on something. */
  g_test_message ("%u of 50000 random texts were mounts", accepted);
  g_assert_cmpuint (accepted, >, 500);
}

static void
test_mount_equal (void)
{
  g_autoptr(DrMount) a = dr_mount_new ("/a", "/b", DR_MOUNT_TYPE_DIRECTORY);
  g_autoptr(DrMount) other_source = dr_mount_new ("/x", "/b", DR_MOUNT_TYPE_DIRECTORY);
  g_autoptr(DrMount) other_target = dr_mount_new ("/a", "/x", DR_MOUNT_TYPE_DIRECTORY);
  g_autoptr(DrMount) other_type = dr_mount_new ("/a", "/b", DR_MOUNT_TYPE_SOCKET);
  g_autoptr(DrMount) no_source = dr_mount_new (NULL, "/b", DR_MOUNT_TYPE_DIRECTORY);
  g_autoptr(DrMount) empty_source = dr_mount_new ("", "/b", DR_MOUNT_TYPE_DIRECTORY);

  g_assert_false (dr_mount_equal (a, other_source));
  g_assert_false (dr_mount_equal (a, other_target));
  g_assert_false (dr_mount_equal (a, other_type));
  g_assert_false (dr_mount_equal (a, no_source));
  g_assert_true (dr_mount_equal (no_source, empty_source));
  g_assert_null (empty_source->source);
}

static void
test_mounts_field (void)
{
  const struct
  {
    const char  *source;
    const char  *target;
    DrMountType  type;
    const char  *needle;
    const char  *needle2;
  } cases[] = {
    { "/srv", "/data", DR_MOUNT_TYPE_DIRECTORY, NULL, NULL },
    { NULL, "/go", DR_MOUNT_TYPE_DIRECTORY_OR_CREATE, NULL, NULL },
    { NULL, "/cache", DR_MOUNT_TYPE_DIRECTORY_OR_CREATE, "“/cache”", "only once" },
    { "/other", "/cache/", DR_MOUNT_TYPE_DIRECTORY, "“/cache”", "only once" },
    { "/other", "//cache", DR_MOUNT_TYPE_DIRECTORY, "“/cache”", "only once" },
    { "/run/docker.sock", "/var/run/docker.sock", DR_MOUNT_TYPE_SOCKET,
      "“/var/run/docker.sock”", "only once" },
    { NULL, "/sock", DR_MOUNT_TYPE_SOCKET, "“/sock”", "DirectoryOrCreate" },
    { NULL, "/dir", DR_MOUNT_TYPE_DIRECTORY, "no source", "Directory" },
    { "relative", "/data", DR_MOUNT_TYPE_DIRECTORY, "“relative”", "absolute" },
    { "/srv", "data", DR_MOUNT_TYPE_DIRECTORY, "“data”", "absolute" },
    { "/srv", "/", DR_MOUNT_TYPE_DIRECTORY, "cannot be “/”", NULL },
    { "/srv", "/a/../b", DR_MOUNT_TYPE_DIRECTORY, "“..”", NULL },
    { "/srv:x", "/data", DR_MOUNT_TYPE_DIRECTORY, "“:”", NULL },
    { "/srv", "/data", (DrMountType) 42, "unknown type", "Socket" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DrRunnerSpec) spec = make_valid_spec ();

      g_ptr_array_add (spec->mounts, dr_mount_new (cases[i].source, cases[i].target,
                                                   cases[i].type));
      g_test_message ("mount %s → %s", cases[i].source, cases[i].target);
      if (cases[i].needle == NULL)
        assert_field_valid (spec, DR_SPEC_FIELD_MOUNTS);
      else
        assert_field_invalid (spec, DR_SPEC_FIELD_MOUNTS, cases[i].needle, cases[i].needle2);
    }
}

static void
test_runner_group (void)
{
  g_autofree char *max = repeat_char ('g', 100);
  g_autofree char *too_long = repeat_char ('g', 101);
  const Case cases[] = {
    { NULL, NULL, NULL },
    { "", NULL, NULL },
    { "Default", NULL, NULL },
    { "GPU machines", NULL, NULL },
    { "Gruppe für Läufer", NULL, NULL },
    { max, NULL, NULL },
    { "   ", "only spaces", "Default group" },
    { " gpu", "starts or ends with spaces", "“gpu”" },
    { "gpu  ", "starts or ends with spaces", "“gpu”" },
    { "gpu\t", "control character", NULL },
    { "a\nb", "control character", NULL },
    { too_long, "100", "101" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DrRunnerSpec) spec = make_valid_spec ();

      set_string (&spec->runner_group, cases[i].text);
      g_test_message ("runner group “%s”", cases[i].text);
      if (cases[i].needle == NULL)
        assert_field_valid (spec, DR_SPEC_FIELD_RUNNER_GROUP);
      else
        assert_field_invalid (spec, DR_SPEC_FIELD_RUNNER_GROUP, cases[i].needle,
                              cases[i].needle2);
    }
}

static void
test_label (void)
{
  g_autofree char *max = repeat_char ('l', 255);
  g_autofree char *too_long = repeat_char ('l', 256);
  const Case cases[] = {
    { "linux", NULL, NULL },
    { "self-hosted", NULL, NULL },
    { "X64", NULL, NULL },
    { "gpu:a100", NULL, NULL },
    { "with inner space", NULL, NULL },
    { "größe", NULL, NULL },
    { max, NULL, NULL },
    { "", "empty", NULL },
    { " linux", "“ linux”", "starts or ends with a space" },
    { "linux ", "“linux ”", "starts or ends with a space" },
    { "linux,x64", "“,”", "“linux,x64”" },
    { too_long, "255", "256" },
    { "a\nb", "control character", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("label “%s”", cases[i].text);
      ok = dr_validate_label (cases[i].text, &error);
      if (cases[i].needle == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          assert_invalid (error, cases[i].needle, cases[i].needle2);
        }
    }
}

static void
test_labels_field (void)
{
  const struct
  {
    guint       instances;
    const char *labels[4];
    const char *needle;
    const char *needle2;
  } cases[] = {
    { 1, { "linux", "x64", NULL }, NULL, NULL },
    { 1, { "build-1", NULL }, NULL, NULL },    /* no instances: NAME-1 is just a label */
    { 3, { "build-4", "build-0", "build-01" }, NULL, NULL },
    { 1, { "linux", "linux", NULL }, "“linux”", "more than once" },
    { 1, { "Linux", "x64", "linux" }, "“Linux” and “linux”", "letter case" },
    { 1, { "build", NULL }, "“build”", "added as a label automatically" },
    { 1, { "Build", NULL }, "“Build”", "own name" },
    { 3, { "build", NULL }, "“build”", "own name" },
    { 3, { "linux", "build-2", NULL }, "“build-2”", "instance 2" },
    { 1, { "linux", "", NULL }, "empty", NULL },
    { 1, { "a,b", NULL }, "“,”", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DrRunnerSpec) spec = make_valid_spec ();

      spec->instances = cases[i].instances;
      if (spec->instances > 1)
        spec->min_runners = spec->max_runners = 1;
      g_ptr_array_set_size (spec->labels, 0);
      for (guint j = 0; j < G_N_ELEMENTS (cases[i].labels) && cases[i].labels[j] != NULL; j++)
        g_ptr_array_add (spec->labels, g_strdup (cases[i].labels[j]));

      g_test_message ("labels case %u", i);
      if (cases[i].needle == NULL)
        assert_field_valid (spec, DR_SPEC_FIELD_LABELS);
      else
        assert_field_invalid (spec, DR_SPEC_FIELD_LABELS, cases[i].needle, cases[i].needle2);
    }
}

static void
test_credential (void)
{
  const struct
  {
    DrCredentialKind  kind;
    const char       *url;
    const char       *needle;
  } cases[] = {
    { DR_CREDENTIAL_KIND_PAT, "https://github.com/octo/app", NULL },
    { DR_CREDENTIAL_KIND_PAT, "https://github.com/octo", NULL },
    { DR_CREDENTIAL_KIND_PAT, "https://github.com/enterprises/acme", NULL },
    { DR_CREDENTIAL_KIND_GITHUB_APP, "https://github.com/octo/app", NULL },
    { DR_CREDENTIAL_KIND_GITHUB_APP, "https://github.com/octo", NULL },
    { DR_CREDENTIAL_KIND_GITHUB_APP, "https://github.com/enterprises/acme", "GitHub Apps" },
    { DR_CREDENTIAL_KIND_GITHUB_APP, "https://ghe.example.com/enterprises/acme/", "enterprise" },
    /* A broken URL is reported by the repository field only. */
    { DR_CREDENTIAL_KIND_GITHUB_APP, "not a url", NULL },
    { (DrCredentialKind) 42, "https://github.com/octo/app", "unknown" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DrRunnerSpec) spec = make_valid_spec ();

      spec->credential_kind = cases[i].kind;
      set_string (&spec->repository_url, cases[i].url);
      g_test_message ("credential %d for %s", cases[i].kind, cases[i].url);
      if (cases[i].needle == NULL)
        assert_field_valid (spec, DR_SPEC_FIELD_CREDENTIAL);
      else
        assert_field_invalid (spec, DR_SPEC_FIELD_CREDENTIAL, cases[i].needle, NULL);
    }

  /* Not stored yet is not an error. */
  {
    g_autoptr(DrRunnerSpec) spec = make_valid_spec ();
    g_autoptr(GError) error = NULL;

    set_string (&spec->credential_id, NULL);
    g_assert_true (dr_runner_spec_validate (spec, &error));
    g_assert_no_error (error);
  }
}

static void
test_validate (void)
{
  g_autoptr(DrRunnerSpec) spec = make_valid_spec ();
  g_autoptr(GError) error = NULL;

  g_assert_true (dr_runner_spec_validate (spec, &error));
  g_assert_no_error (error);

  /* The first failing field in enum order wins. */
  set_string (&spec->runner_group, "   ");
  g_assert_false (dr_runner_spec_validate (spec, &error));
  assert_invalid (error, "runner group", NULL);
  g_clear_error (&error);

  spec->max_runners = 0;
  g_assert_false (dr_runner_spec_validate (spec, &error));
  assert_invalid (error, "never run a job", NULL);
  g_clear_error (&error);

  set_string (&spec->repository_url, "octo/app");
  g_assert_false (dr_runner_spec_validate (spec, &error));
  assert_invalid (error, "https://github.com/octo/app", NULL);
  g_clear_error (&error);

  set_string (&spec->name, "Build");
  g_assert_false (dr_runner_spec_validate (spec, &error));
  assert_invalid (error, "“build”", NULL);
  g_clear_error (&error);

  /* Labels come after mounts. */
  {
    g_autoptr(DrRunnerSpec) other = make_valid_spec ();

    g_ptr_array_add (other->labels, g_strdup ("linux"));
    g_ptr_array_add (other->mounts,
                     dr_mount_new (NULL, "/cache", DR_MOUNT_TYPE_DIRECTORY_OR_CREATE));
    g_assert_false (dr_runner_spec_validate (other, &error));
    assert_invalid (error, "“/cache”", NULL);
  }
}

static void
test_container_mode (void)
{
  const struct
  {
    const char      *text;
    DrContainerMode  mode;
  } good[] = {
    { "kubernetes", DR_CONTAINER_MODE_KUBERNETES },
    { "privileged", DR_CONTAINER_MODE_PRIVILEGED },
    { "dind", DR_CONTAINER_MODE_DIND },
    { "cached-privileged-kubernetes", DR_CONTAINER_MODE_PRIVILEGED },
    { "Kubernetes", DR_CONTAINER_MODE_KUBERNETES },
  };
  const char *bad[] = { "", "docker", "kubernetes-novolume", "privileged " };

  g_assert_cmpstr (dr_container_mode_to_string (DR_CONTAINER_MODE_KUBERNETES), ==, "kubernetes");
  g_assert_cmpstr (dr_container_mode_to_string (DR_CONTAINER_MODE_PRIVILEGED), ==, "privileged");
  g_assert_cmpstr (dr_container_mode_to_string (DR_CONTAINER_MODE_DIND), ==, "dind");

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      DrContainerMode mode = (DrContainerMode) -1;

      g_assert_true (dr_container_mode_from_string (good[i].text, &mode, &error));
      g_assert_no_error (error);
      g_assert_cmpint (mode, ==, good[i].mode);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      DrContainerMode mode = (DrContainerMode) -1;
      g_autofree char *quoted = g_strdup_printf ("“%s”", bad[i]);

      g_assert_false (dr_container_mode_from_string (bad[i], &mode, &error));
      g_assert_cmpint (mode, ==, (DrContainerMode) -1);
      assert_invalid (error, quoted, "kubernetes");
      assert_invalid (error, "privileged", "dind");
    }
}

static void
test_mount_type (void)
{
  const struct
  {
    const char  *text;
    DrMountType  type;
  } good[] = {
    { "DirectoryOrCreate", DR_MOUNT_TYPE_DIRECTORY_OR_CREATE },
    { "Directory", DR_MOUNT_TYPE_DIRECTORY },
    { "Socket", DR_MOUNT_TYPE_SOCKET },
    { "directoryorcreate", DR_MOUNT_TYPE_DIRECTORY_OR_CREATE },
    { "DIRECTORY", DR_MOUNT_TYPE_DIRECTORY },
    { "socket", DR_MOUNT_TYPE_SOCKET },
  };
  const char *bad[] = { "", "File", "dir", "CharDevice" };

  g_assert_cmpstr (dr_mount_type_to_string (DR_MOUNT_TYPE_DIRECTORY_OR_CREATE), ==,
                   "DirectoryOrCreate");
  g_assert_cmpstr (dr_mount_type_to_string (DR_MOUNT_TYPE_DIRECTORY), ==, "Directory");
  g_assert_cmpstr (dr_mount_type_to_string (DR_MOUNT_TYPE_SOCKET), ==, "Socket");

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      DrMountType type = (DrMountType) -1;

      g_assert_true (dr_mount_type_from_string (good[i].text, &type, &error));
      g_assert_no_error (error);
      g_assert_cmpint (type, ==, good[i].type);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      DrMountType type = (DrMountType) -1;
      g_autofree char *quoted = g_strdup_printf ("“%s”", bad[i]);

      g_assert_false (dr_mount_type_from_string (bad[i], &type, &error));
      g_assert_cmpint (type, ==, (DrMountType) -1);
      assert_invalid (error, quoted, "DirectoryOrCreate, Directory or Socket");
    }
}

static void
test_credential_kind (void)
{
  const char *bad[] = { "", "token", "app", "github_app" };
  DrCredentialKind kind = (DrCredentialKind) -1;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (dr_credential_kind_to_string (DR_CREDENTIAL_KIND_PAT), ==, "pat");
  g_assert_cmpstr (dr_credential_kind_to_string (DR_CREDENTIAL_KIND_GITHUB_APP), ==, "github-app");

  g_assert_true (dr_credential_kind_from_string ("pat", &kind, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kind, ==, DR_CREDENTIAL_KIND_PAT);
  g_assert_true (dr_credential_kind_from_string ("github-app", &kind, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kind, ==, DR_CREDENTIAL_KIND_GITHUB_APP);
  g_assert_true (dr_credential_kind_from_string ("PAT", &kind, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kind, ==, DR_CREDENTIAL_KIND_PAT);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *quoted = g_strdup_printf ("“%s”", bad[i]);

      kind = (DrCredentialKind) -1;
      g_assert_false (dr_credential_kind_from_string (bad[i], &kind, &error));
      g_assert_cmpint (kind, ==, (DrCredentialKind) -1);
      assert_invalid (error, quoted, "pat or github-app");
      g_clear_error (&error);
    }
}

int
main (int    argc,
      char **argv)
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/deskrun/runner-spec/defaults", test_defaults);
  g_test_add_func ("/deskrun/runner-spec/ref-unref", test_ref_unref);
  g_test_add_func ("/deskrun/runner-spec/copy-equal", test_copy_equal);
  g_test_add_func ("/deskrun/runner-spec/name", test_name);
  g_test_add_func ("/deskrun/runner-spec/name-instances", test_name_instances);
  g_test_add_func ("/deskrun/runner-spec/repository", test_repository);
  g_test_add_func ("/deskrun/runner-spec/repository-token", test_repository_token);
  g_test_add_func ("/deskrun/runner-spec/repository-field", test_repository_field);
  g_test_add_func ("/deskrun/runner-spec/runners", test_runners);
  g_test_add_func ("/deskrun/runner-spec/instances", test_instances);
  g_test_add_func ("/deskrun/runner-spec/scale-set-names", test_scale_set_names);
  g_test_add_func ("/deskrun/runner-spec/mount-parse", test_mount_parse);
  g_test_add_func ("/deskrun/runner-spec/mount-print-parse", test_mount_print_parse_property);
  g_test_add_func ("/deskrun/runner-spec/mount-equal", test_mount_equal);
  g_test_add_func ("/deskrun/runner-spec/mounts-field", test_mounts_field);
  g_test_add_func ("/deskrun/runner-spec/runner-group", test_runner_group);
  g_test_add_func ("/deskrun/runner-spec/label", test_label);
  g_test_add_func ("/deskrun/runner-spec/labels-field", test_labels_field);
  g_test_add_func ("/deskrun/runner-spec/credential", test_credential);
  g_test_add_func ("/deskrun/runner-spec/validate", test_validate);
  g_test_add_func ("/deskrun/runner-spec/container-mode", test_container_mode);
  g_test_add_func ("/deskrun/runner-spec/mount-type", test_mount_type);
  g_test_add_func ("/deskrun/runner-spec/credential-kind", test_credential_kind);

  return g_test_run ();
}
