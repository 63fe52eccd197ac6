/* test-kubeconfig.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/stat.h>

#include <glib/gstdio.h>
#include <string.h>

#include "dr-error.h"
#include "dr-kubeconfig-file.h"
#include "dr-test-utils.h"

#define CA_PEM "-----BEGIN CERTIFICATE-----\nTESTCA\n-----END CERTIFICATE-----\n"
#define CERT_PEM "-----BEGIN CERTIFICATE-----\nTESTCLIENT\n-----END CERTIFICATE-----\n"
#define KEY_PEM "-----BEGIN RSA PRIVATE KEY-----\nTESTKEY\n-----END RSA PRIVATE KEY-----\n"
#define SECRET_TOKEN "s3cr3t-t0ken-value"

static char *
home_path (const char *relative)
{
  return g_build_filename (g_get_home_dir (), relative, NULL);
}

static char *
write_home_file (const char *relative,
                 const char *contents)
{
  char *path = home_path (relative);

  dr_test_write_file (path, contents, 0600);
  return path;
}

static void
assert_bytes_str (GBytes     *bytes,
                  const char *expected)
{
  gsize length = 0;
  const char *data;

  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &length);
  g_assert_cmpmem (data, length, expected, strlen (expected));
}

static void
assert_message_contains (const GError *error,
                         const char   *needle)
{
  g_assert_nonnull (error);
  if (strstr (error->message, needle) == NULL)
    g_error ("error “%s” does not mention “%s”", error->message, needle);
}

static void
assert_message_lacks (const GError *error,
                      const char   *needle)
{
  g_assert_nonnull (error);
  if (strstr (error->message, needle) != NULL)
    g_error ("error “%s” must not contain “%s”", error->message, needle);
}

/* A kubeconfig as `kind get kubeconfig` prints it. */
static char *
kind_kubeconfig (const char *name,
                 const char *port)
{
  g_autofree char *ca = g_base64_encode ((const guchar *) CA_PEM, strlen (CA_PEM));
  g_autofree char *cert = g_base64_encode ((const guchar *) CERT_PEM, strlen (CERT_PEM));
  g_autofree char *key = g_base64_encode ((const guchar *) KEY_PEM, strlen (KEY_PEM));

  return g_strdup_printf ("apiVersion: v1\n"
                          "clusters:\n"
                          "- cluster:\n"
                          "    certificate-authority-data: %s\n"
                          "    server: https://127.0.0.1:%s\n"
                          "  name: kind-%s\n"
                          "contexts:\n"
                          "- context:\n"
                          "    cluster: kind-%s\n"
                          "    user: kind-%s\n"
                          "  name: kind-%s\n"
                          "current-context: kind-%s\n"
                          "kind: Config\n"
                          "preferences: {}\n"
                          "users:\n"
                          "- name: kind-%s\n"
                          "  user:\n"
                          "    client-certificate-data: %s\n"
                          "    client-key-data: %s\n",
                          ca, port, name, name, name, name, name, name, cert, key);
}

static void
test_kind_data (void)
{
  g_autofree char *text = kind_kubeconfig ("deskrun", "40123");
  g_autoptr(GError) error = NULL;
  g_autoptr(DrKubeconfig) kc = NULL;
  g_autoptr(DrKubeContext) ctx = NULL;
  g_autoptr(DrKubeContext) copy = NULL;
  g_auto(GStrv) names = NULL;

  kc = dr_kubeconfig_load_data (text, -1, "kind get kubeconfig --name deskrun", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dr_kubeconfig_get_current_context (kc), ==, "kind-deskrun");
  names = dr_kubeconfig_dup_context_names (kc);
  g_assert_cmpstrv (names, ((const char *[]) { "kind-deskrun", NULL }));

  ctx = dr_kubeconfig_resolve (kc, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ctx->context_name, ==, "kind-deskrun");
  g_assert_cmpstr (ctx->cluster_name, ==, "kind-deskrun");
  g_assert_cmpstr (ctx->user_name, ==, "kind-deskrun");
  g_assert_cmpstr (ctx->server, ==, "https://127.0.0.1:40123");
  g_assert_null (ctx->namespace_);
  assert_bytes_str (ctx->certificate_authority, CA_PEM);
  assert_bytes_str (ctx->client_certificate, CERT_PEM);
  assert_bytes_str (ctx->client_key, KEY_PEM);
  g_assert_null (ctx->token);
  g_assert_false (ctx->insecure_skip_tls_verify);

  copy = dr_kube_context_copy (ctx);
  g_assert_cmpstr (copy->server, ==, ctx->server);
  g_assert_true (g_bytes_equal (copy->client_key, ctx->client_key));

  /* By name, too; and base64 wrapped over lines (as some tools write it) still decodes. */
  g_clear_pointer (&ctx, dr_kube_context_free);
  ctx = dr_kubeconfig_resolve (kc, "kind-deskrun", &error);
  g_assert_no_error (error);
  g_clear_pointer (&ctx, dr_kube_context_free);
  g_clear_pointer (&kc, dr_kubeconfig_free);
  {
    g_autofree char *ca = g_base64_encode ((const guchar *) CA_PEM, strlen (CA_PEM));
    g_autofree char *wrapped = g_strdup_printf ("clusters:\n- name: c\n  cluster:\n"
                                                "    server: https://k.example\n"
                                                "    certificate-authority-data: |\n"
                                                "      %.*s\n      %s\n"
                                                "contexts:\n- name: x\n  context: {cluster: c}\n",
                                                8, ca, ca + 8);

    kc = dr_kubeconfig_load_data (wrapped, -1, "wrapped", &error);
    g_assert_no_error (error);
    ctx = dr_kubeconfig_resolve (kc, "x", &error);
    g_assert_no_error (error);
    assert_bytes_str (ctx->certificate_authority, CA_PEM);
    /* No user: anonymous, as kubectl allows. */
    g_assert_null (ctx->user_name);
    g_assert_null (ctx->client_certificate);
  }
}

static void
test_relative_files (void)
{
  g_autofree char *ca = write_home_file ("kube/certs/ca.pem", CA_PEM);
  g_autofree char *cert = write_home_file ("kube/certs/client.crt", CERT_PEM);
  g_autofree char *key = write_home_file ("secrets/client.key", KEY_PEM);
  g_autofree char *config = NULL;
  g_autofree char *old_cwd = g_get_current_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DrKubeconfig) kc = NULL;
  g_autoptr(DrKubeContext) ctx = NULL;
  g_autofree char *text = g_strdup_printf ("clusters:\n"
                                           "- name: c\n"
                                           "  cluster:\n"
                                           "    server: https://10.0.0.1:6443\n"
                                           "    certificate-authority: certs/ca.pem\n"
                                           "- name: missing-ca\n"
                                           "  cluster:\n"
                                           "    server: https://10.0.0.1:6443\n"
                                           "    certificate-authority: certs/nope.pem\n"
                                           "users:\n"
                                           "- name: u\n"
                                           "  user:\n"
                                           "    client-certificate: ./certs/client.crt\n"
                                           "    client-key: %s\n"
                                           "- name: rel-key\n"
                                           "  user:\n"
                                           "    client-certificate: certs/client.crt\n"
                                           "    client-key: ../secrets/client.key\n"
                                           "contexts:\n"
                                           "- name: abs\n"
                                           "  context: {cluster: c, user: u}\n"
                                           "- name: rel\n"
                                           "  context: {cluster: c, user: rel-key}\n"
                                           "- name: broken\n"
                                           "  context: {cluster: missing-ca, user: u}\n",
                                           key);

  config = write_home_file ("kube/config", text);
  /* The kubeconfig is named relative to the working directory; the files it names are
   * relative to its own directory, not to the working directory. */
  g_assert_cmpint (g_chdir (g_get_home_dir ()), ==, 0);
  kc = dr_kubeconfig_load_files ((const char *[]) { "kube/config", NULL }, &error);
  g_assert_cmpint (g_chdir ("/"), ==, 0);
  g_assert_no_error (error);

  ctx = dr_kubeconfig_resolve (kc, "abs", &error);
  g_assert_no_error (error);
  assert_bytes_str (ctx->certificate_authority, CA_PEM);
  assert_bytes_str (ctx->client_certificate, CERT_PEM);
  assert_bytes_str (ctx->client_key, KEY_PEM);
  g_clear_pointer (&ctx, dr_kube_context_free);

  ctx = dr_kubeconfig_resolve (kc, "rel", &error);
  g_assert_no_error (error);
  assert_bytes_str (ctx->client_key, KEY_PEM);
  g_clear_pointer (&ctx, dr_kube_context_free);

  ctx = dr_kubeconfig_resolve (kc, "broken", &error);
  g_assert_null (ctx);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  assert_message_contains (error, "“kube/config”");
  assert_message_contains (error, "clusters[1].cluster.certificate-authority");
  assert_message_contains (error, "kube/certs/nope.pem");

  g_assert_cmpint (g_chdir (old_cwd), ==, 0);
}

static const char merge_a[] =
  "current-context: a-ctx\n"
  "contexts:\n"
  "- name: shared\n"
  "  context: {cluster: shared-cluster, user: shared-user, namespace: from-a}\n"
  "- name: a-ctx\n"
  "  context: {cluster: shared-cluster}\n"
  "clusters:\n"
  "- name: shared-cluster\n"
  "  cluster: {server: \"https://a.example:6443\"}\n"
  "users:\n"
  "- name: shared-user\n"
  "  user: {token: token-a}\n";

static const char merge_b[] =
  "current-context: b-ctx\n"
  "contexts:\n"
  "- name: shared\n"
  "  context: {cluster: b-cluster, user: shared-user, namespace: from-b}\n"
  "- name: b-ctx\n"
  "  context: {cluster: shared-cluster, user: b-user}\n"
  "clusters:\n"
  "- name: shared-cluster\n"
  "  cluster: {server: \"https://b.example:6443\"}\n"
  "- name: b-cluster\n"
  "  cluster: {server: \"https://b-only.example:6443\"}\n"
  "users:\n"
  "- name: shared-user\n"
  "  user: {token: token-b}\n"
  "- name: b-user\n"
  "  user: {token: token-b-user}\n";

static void
test_merge (void)
{
  g_autofree char *a = write_home_file ("a/config", merge_a);
  g_autofree char *b = write_home_file ("b/config", merge_b);
  g_autofree char *missing = home_path ("missing/config");
  g_autofree char *empty_current = write_home_file ("c/config", "current-context: \"\"\n");
  g_autofree char *list = g_strjoin (":", "", a, "", missing, b, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DrKubeconfig) kc = NULL;
  g_autoptr(DrKubeContext) ctx = NULL;
  g_auto(GStrv) names = NULL;

  g_setenv ("KUBECONFIG", list, TRUE);
  kc = dr_kubeconfig_load_default (&error);
  g_assert_no_error (error);

  /* The first file's current-context wins; names keep file order, each once. */
  g_assert_cmpstr (dr_kubeconfig_get_current_context (kc), ==, "a-ctx");
  names = dr_kubeconfig_dup_context_names (kc);
  g_assert_cmpstrv (names, ((const char *[]) { "shared", "a-ctx", "b-ctx", NULL }));

  /* "shared" comes from a (namespace from-a), its user too (token-a). */
  ctx = dr_kubeconfig_resolve (kc, "shared", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ctx->namespace_, ==, "from-a");
  g_assert_cmpstr (ctx->server, ==, "https://a.example:6443");
  g_assert_cmpstr (ctx->token, ==, "token-a");
  g_clear_pointer (&ctx, dr_kube_context_free);

  /* b-ctx exists only in b, but the cluster it names was first defined by a. */
  ctx = dr_kubeconfig_resolve (kc, "b-ctx", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ctx->server, ==, "https://a.example:6443");
  g_assert_cmpstr (ctx->token, ==, "token-b-user");
  g_clear_pointer (&ctx, dr_kube_context_free);

  ctx = dr_kubeconfig_resolve (kc, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ctx->context_name, ==, "a-ctx");
  g_assert_null (ctx->token);
  g_clear_pointer (&ctx, dr_kube_context_free);
  g_clear_pointer (&kc, dr_kubeconfig_free);
  g_clear_pointer (&names, g_strfreev);

  /* The other order: b wins everything it defines. */
  kc = dr_kubeconfig_load_files ((const char *[]) { b, a, NULL }, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dr_kubeconfig_get_current_context (kc), ==, "b-ctx");
  names = dr_kubeconfig_dup_context_names (kc);
  g_assert_cmpstrv (names, ((const char *[]) { "shared", "b-ctx", "a-ctx", NULL }));
  ctx = dr_kubeconfig_resolve (kc, "shared", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ctx->namespace_, ==, "from-b");
  g_assert_cmpstr (ctx->server, ==, "https://b-only.example:6443");
  g_assert_cmpstr (ctx->token, ==, "token-b");
  g_clear_pointer (&ctx, dr_kube_context_free);
  g_clear_pointer (&kc, dr_kubeconfig_free);

  /* An empty current-context does not count as set. */
  kc = dr_kubeconfig_load_files ((const char *[]) { empty_current, b, NULL }, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dr_kubeconfig_get_current_context (kc), ==, "b-ctx");
  g_clear_pointer (&kc, dr_kubeconfig_free);

  /* Only missing files: an empty kubeconfig, no error. */
  g_setenv ("KUBECONFIG", missing, TRUE);
  kc = dr_kubeconfig_load_default (&error);
  g_assert_no_error (error);
  g_assert_null (dr_kubeconfig_get_current_context (kc));
  g_unsetenv ("KUBECONFIG");
}

static void
test_default_path (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DrKubeconfig) kc = NULL;
  g_autoptr(DrKubeContext) ctx = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;

  g_unsetenv ("KUBECONFIG");
  kc = dr_kubeconfig_load_default (&error);
  g_assert_no_error (error);
  g_assert_null (dr_kubeconfig_get_current_context (kc));
  names = dr_kubeconfig_dup_context_names (kc);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
  ctx = dr_kubeconfig_resolve (kc, NULL, &error);
  g_assert_null (ctx);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  assert_message_contains (error, ".kube/config");
  g_clear_error (&error);
  g_clear_pointer (&kc, dr_kubeconfig_free);

  text = kind_kubeconfig ("other", "6443");
  path = write_home_file (".kube/config", text);
  kc = dr_kubeconfig_load_default (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (dr_kubeconfig_get_current_context (kc), ==, "kind-other");

  /* KUBECONFIG set but empty means the default file. */
  g_clear_pointer (&kc, dr_kubeconfig_free);
  g_setenv ("KUBECONFIG", "", TRUE);
  kc = dr_kubeconfig_load_default (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (dr_kubeconfig_get_current_context (kc), ==, "kind-other");
  g_unsetenv ("KUBECONFIG");
}

static void
test_token (void)
{
  g_autofree char *token_file = write_home_file ("kube/token", "file-token\n");
  g_autofree char *empty_file = write_home_file ("kube/empty-token", "\n");
  g_autofree char *config = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DrKubeconfig) kc = NULL;
  g_autoptr(DrKubeContext) ctx = NULL;

  config = write_home_file ("kube/config",
                            "clusters:\n"
                            "- {name: c, cluster: {server: \"https://api.example\"}}\n"
                            "users:\n"
                            "- {name: inline, user: {token: " SECRET_TOKEN "}}\n"
                            "- {name: file, user: {tokenFile: token}}\n"
                            "- {name: both, user: {token: " SECRET_TOKEN ", tokenFile: token}}\n"
                            "- {name: empty, user: {tokenFile: empty-token}}\n"
                            "- {name: gone, user: {tokenFile: no-such-token}}\n"
                            "- {name: spaced, user: {token: \"" SECRET_TOKEN " x\"}}\n"
                            "- {name: numeric, user: {token: 12345}}\n"
                            "contexts:\n"
                            "- {name: inline, context: {cluster: c, user: inline}}\n"
                            "- {name: file, context: {cluster: c, user: file}}\n"
                            "- {name: both, context: {cluster: c, user: both}}\n"
                            "- {name: empty, context: {cluster: c, user: empty}}\n"
                            "- {name: gone, context: {cluster: c, user: gone}}\n"
                            "- {name: spaced, context: {cluster: c, user: spaced}}\n"
                            "- {name: numeric, context: {cluster: c, user: numeric}}\n");
  kc = dr_kubeconfig_load_files ((const char *[]) { config, NULL }, &error);
  g_assert_no_error (error);

  ctx = dr_kubeconfig_resolve (kc, "inline", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ctx->token, ==, SECRET_TOKEN);
  g_assert_null (ctx->client_certificate);
  g_clear_pointer (&ctx, dr_kube_context_free);

  ctx = dr_kubeconfig_resolve (kc, "file", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ctx->token, ==, "file-token");
  g_clear_pointer (&ctx, dr_kube_context_free);

  /* As in client-go, the token file wins over an inline token. */
  ctx = dr_kubeconfig_resolve (kc, "both", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ctx->token, ==, "file-token");
  g_clear_pointer (&ctx, dr_kube_context_free);

  ctx = dr_kubeconfig_resolve (kc, "empty", &error);
  g_assert_null (ctx);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  assert_message_contains (error, "users[3].user.tokenFile");
  assert_message_contains (error, config);
  g_clear_error (&error);

  ctx = dr_kubeconfig_resolve (kc, "gone", &error);
  g_assert_null (ctx);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  assert_message_contains (error, "users[4].user.tokenFile");
  assert_message_contains (error, config);
  assert_message_contains (error, "kube/no-such-token");
  g_clear_error (&error);

  ctx = dr_kubeconfig_resolve (kc, "spaced", &error);
  g_assert_null (ctx);
  assert_message_contains (error, "users[5].user.token");
  assert_message_lacks (error, SECRET_TOKEN);
  g_clear_error (&error);

  ctx = dr_kubeconfig_resolve (kc, "numeric", &error);
  g_assert_null (ctx);
  assert_message_contains (error, "users[6].user.token must be text");
  assert_message_lacks (error, "12345");
}

static void
test_insecure_namespace (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DrKubeconfig) kc = NULL;
  g_autoptr(DrKubeContext) ctx = NULL;

  kc = dr_kubeconfig_load_data ("clusters:\n"
                                "- name: c\n"
                                "  cluster:\n"
                                "    server: https://dev.example:6443\n"
                                "    insecure-skip-tls-verify: true\n"
                                "- name: bad\n"
                                "  cluster:\n"
                                "    server: https://dev.example:6443\n"
                                "    insecure-skip-tls-verify: \"yes\"\n"
                                "contexts:\n"
                                "- name: dev\n"
                                "  context:\n"
                                "    cluster: c\n"
                                "    namespace: arc-runners\n"
                                "- name: bad\n"
                                "  context: {cluster: bad}\n",
                                -1, "inline", &error);
  g_assert_no_error (error);

  ctx = dr_kubeconfig_resolve (kc, "dev", &error);
  g_assert_no_error (error);
  g_assert_true (ctx->insecure_skip_tls_verify);
  g_assert_cmpstr (ctx->namespace_, ==, "arc-runners");
  g_assert_null (ctx->certificate_authority);

  g_assert_null (dr_kubeconfig_resolve (kc, "bad", &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  assert_message_contains (error, "clusters[1].cluster.insecure-skip-tls-verify");
  assert_message_contains (error, "“inline”");
}

static void
test_unsupported (void)
{
  g_autofree char *config = write_home_file (".kube/config",
    "clusters:\n"
    "- {name: c, cluster: {server: \"https://eks.example\"}}\n"
    "users:\n"
    "- name: eks-user\n"
    "  user:\n"
    "    exec:\n"
    "      apiVersion: client.authentication.k8s.io/v1beta1\n"
    "      command: aws\n"
    "      args: [eks, get-token, --cluster-name, prod]\n"
    "- name: gke-user\n"
    "  user:\n"
    "    auth-provider:\n"
    "      name: gcp\n"
    "      config: {access-token: " SECRET_TOKEN "}\n"
    "- name: basic-user\n"
    "  user: {username: admin, password: " SECRET_TOKEN "}\n"
    "contexts:\n"
    "- {name: eks, context: {cluster: c, user: eks-user}}\n"
    "- {name: gke, context: {cluster: c, user: gke-user}}\n"
    "- {name: basic, context: {cluster: c, user: basic-user}}\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(DrKubeconfig) kc = NULL;

  kc = dr_kubeconfig_load_default (&error);
  g_assert_no_error (error);

  g_assert_null (dr_kubeconfig_resolve (kc, "eks", &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_UNSUPPORTED);
  assert_message_contains (error, "Context “eks” uses an exec credential plugin (aws), which "
                           "deskrun does not support yet; use a kubeconfig with a client "
                           "certificate or token");
  g_clear_error (&error);

  g_assert_null (dr_kubeconfig_resolve (kc, "gke", &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_UNSUPPORTED);
  assert_message_contains (error, "Context “gke”");
  assert_message_contains (error, "gcp");
  assert_message_lacks (error, SECRET_TOKEN);
  g_clear_error (&error);

  g_assert_null (dr_kubeconfig_resolve (kc, "basic", &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_UNSUPPORTED);
  assert_message_contains (error, "Context “basic”");
  assert_message_lacks (error, SECRET_TOKEN);
}

static void
test_bad_yaml (void)
{
  g_autofree char *config = write_home_file ("kube/config",
                                             "apiVersion: v1\n"
                                             "clusters:\n"
                                             "- name: c\n"
                                             "   cluster: {}\n");
  g_autofree char *expected = g_strdup_printf ("%s:4:", config);
  g_autoptr(GError) error = NULL;
  g_autoptr(DrKubeconfig) kc = NULL;

  kc = dr_kubeconfig_load_files ((const char *[]) { config, NULL }, &error);
  g_assert_null (kc);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  assert_message_contains (error, expected);
  g_clear_error (&error);

  /* Through KUBECONFIG as well. */
  g_setenv ("KUBECONFIG", config, TRUE);
  kc = dr_kubeconfig_load_default (&error);
  g_assert_null (kc);
  assert_message_contains (error, expected);
  g_unsetenv ("KUBECONFIG");
  g_clear_error (&error);

  /* Valid YAML, wrong shape. */
  kc = dr_kubeconfig_load_data ("- a\n- b\n", -1, "list.yaml", &error);
  g_assert_null (kc);
  assert_message_contains (error, "“list.yaml”");
  g_clear_error (&error);

  kc = dr_kubeconfig_load_data ("contexts: 5\n", -1, "shape.yaml", &error);
  g_assert_null (kc);
  assert_message_contains (error, "“contexts” must be a list");
  g_clear_error (&error);

  kc = dr_kubeconfig_load_data ("users:\n- name: u\n- name: u\n", -1, "dup.yaml", &error);
  g_assert_null (kc);
  assert_message_contains (error, "users[1] repeats the name “u”");
  g_clear_error (&error);

  kc = dr_kubeconfig_load_data ("clusters:\n- cluster: {}\n", -1, "noname.yaml", &error);
  g_assert_null (kc);
  assert_message_contains (error, "clusters[0].name");
  g_clear_error (&error);

  /* An empty file is an empty kubeconfig. */
  kc = dr_kubeconfig_load_data ("", 0, "empty.yaml", &error);
  g_assert_no_error (error);
  g_assert_nonnull (kc);
}

static void
test_bad_base64 (void)
{
  g_autofree char *cert = g_base64_encode ((const guchar *) CERT_PEM, strlen (CERT_PEM));
  g_autofree char *text = g_strdup_printf ("clusters:\n"
                                           "- {name: c, cluster: {server: \"https://x.example\"}}\n"
                                           "users:\n"
                                           "- name: u\n"
                                           "  user:\n"
                                           "    client-certificate-data: %s\n"
                                           "    client-key-data: \"S3cr3tKeyMaterial!!\"\n"
                                           "- name: cert-only\n"
                                           "  user:\n"
                                           "    client-certificate-data: %s\n"
                                           "contexts:\n"
                                           "- {name: x, context: {cluster: c, user: u}}\n"
                                           "- {name: y, context: {cluster: c, user: cert-only}}\n",
                                           cert, cert);
  g_autofree char *config = write_home_file ("kube/config", text);
  g_autoptr(GError) error = NULL;
  g_autoptr(DrKubeconfig) kc = NULL;

  kc = dr_kubeconfig_load_files ((const char *[]) { config, NULL }, &error);
  g_assert_no_error (error);

  g_assert_null (dr_kubeconfig_resolve (kc, "x", &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  assert_message_contains (error, "users[0].user.client-key-data");
  assert_message_contains (error, config);
  assert_message_lacks (error, "S3cr3t");
  g_clear_error (&error);

  g_assert_null (dr_kubeconfig_resolve (kc, "y", &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  assert_message_contains (error, "no client key");
  assert_message_contains (error, "users[1].user.client-key-data");
}

static void
test_missing_context (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DrKubeconfig) kc = NULL;

  kc = dr_kubeconfig_load_data ("clusters:\n"
                                "- {name: c, cluster: {server: \"https://x.example\"}}\n"
                                "contexts:\n"
                                "- {name: first, context: {cluster: c}}\n"
                                "- {name: no-cluster, context: {cluster: gone}}\n"
                                "- {name: no-user, context: {cluster: c, user: nobody}}\n"
                                "- {name: empty, context: {user: nobody}}\n",
                                -1, "ctx.yaml", &error);
  g_assert_no_error (error);
  g_assert_null (dr_kubeconfig_get_current_context (kc));

  /* No current-context: the message lists what there is. */
  g_assert_null (dr_kubeconfig_resolve (kc, NULL, &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  assert_message_contains (error, "current-context");
  assert_message_contains (error, "first, no-cluster, no-user, empty");
  assert_message_contains (error, "ctx.yaml");
  g_clear_error (&error);

  g_assert_null (dr_kubeconfig_resolve (kc, "nope", &error));
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  assert_message_contains (error, "“nope”");
  assert_message_contains (error, "first, no-cluster");
  g_clear_error (&error);

  g_assert_null (dr_kubeconfig_resolve (kc, "no-cluster", &error));
  assert_message_contains (error, "Context “no-cluster”");
  assert_message_contains (error, "contexts[1].context.cluster");
  assert_message_contains (error, "“gone”");
  g_clear_error (&error);

  g_assert_null (dr_kubeconfig_resolve (kc, "no-user", &error));
  assert_message_contains (error, "Context “no-user”");
  assert_message_contains (error, "contexts[2].context.user");
  assert_message_contains (error, "“nobody”");
  g_clear_error (&error);

  g_assert_null (dr_kubeconfig_resolve (kc, "empty", &error));
  assert_message_contains (error, "contexts[3].context.cluster");
  g_clear_error (&error);
  g_clear_pointer (&kc, dr_kubeconfig_free);

  /* A kubeconfig without contexts says so. */
  kc = dr_kubeconfig_load_data ("apiVersion: v1\nkind: Config\n", -1, "bare.yaml", &error);
  g_assert_no_error (error);
  g_assert_null (dr_kubeconfig_resolve (kc, NULL, &error));
  assert_message_contains (error, "bare.yaml");
  assert_message_contains (error, "no contexts");
}

static void
test_server (void)
{
  static const struct
  {
    const char *server;
    gboolean    ok;
  } servers[] = {
    { "https://127.0.0.1:6443", TRUE },
    { "https://api.example.com", TRUE },
    { "HTTPS://API.EXAMPLE.COM/k8s/clusters/c-1", TRUE },
    { "http://127.0.0.1:8080", TRUE },
    { "http://127.1.2.3:8080", TRUE },
    { "http://localhost:8080", TRUE },
    { "http://[::1]:8080", TRUE },
    { "http://api.example.com", FALSE },
    { "http://10.0.0.1:8080", FALSE },
    { "http://[::2]:8080", FALSE },
    { "ftp://127.0.0.1", FALSE },
    { "127.0.0.1:6443", FALSE },
    { "https://", FALSE },
    { "not a url", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    {
      g_autofree char *text = g_strdup_printf ("clusters:\n"
                                               "- {name: c, cluster: {server: \"%s\"}}\n"
                                               "contexts:\n"
                                               "- {name: x, context: {cluster: c}}\n"
                                               "current-context: x\n",
                                               servers[i].server);
      g_autoptr(GError) error = NULL;
      g_autoptr(DrKubeconfig) kc = dr_kubeconfig_load_data (text, -1, "srv", &error);
      g_autoptr(DrKubeContext) ctx = NULL;

      g_test_message ("server %s", servers[i].server);
      g_assert_no_error (error);
      ctx = dr_kubeconfig_resolve (kc, NULL, &error);
      if (servers[i].ok)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (ctx->server, ==, servers[i].server);
        }
      else
        {
          g_assert_null (ctx);
          g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
          assert_message_contains (error, "clusters[0].cluster.server");
        }
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DrKubeconfig) kc =
      dr_kubeconfig_load_data ("clusters: [{name: c, cluster: {}}]\n"
                               "contexts: [{name: x, context: {cluster: c}}]\n",
                               -1, "srv", &error);

    g_assert_no_error (error);
    g_assert_null (dr_kubeconfig_resolve (kc, "x", &error));
    assert_message_contains (error, "no server");
    assert_message_contains (error, "clusters[0].cluster.server");
  }
}

static void
test_load_data_origin (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DrKubeconfig) kc = NULL;

  kc = dr_kubeconfig_load_data ("apiVersion: v1\nclusters: [\n", -1,
                                "kind get kubeconfig --name deskrun", &error);
  g_assert_null (kc);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, "kind get kubeconfig --name deskrun:3:"));
  g_clear_error (&error);

  /* Length is honoured. */
  {
    g_autofree char *text = kind_kubeconfig ("deskrun", "1234");
    g_autofree char *padded = g_strconcat (text, "garbage: [", NULL);
    g_autoptr(DrKubeContext) ctx = NULL;

    kc = dr_kubeconfig_load_data (padded, strlen (text), "kind", &error);
    g_assert_no_error (error);
    ctx = dr_kubeconfig_resolve (kc, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (ctx->server, ==, "https://127.0.0.1:1234");
  }
}

static GBytes *
fake_read (const char  *path,
           gpointer     user_data,
           GError     **error)
{
  GHashTable *files = user_data;
  const char *text = g_hash_table_lookup (files, path);

  if (text == NULL)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "no such file");
      return NULL;
    }
  return g_bytes_new_static (text, strlen (text));
}

/* The parser reads every file through the caller's reader, the ones a kubeconfig names too;
 * none from the disk itself. */
static void
test_reader_callback (void)
{
  g_autoptr(GHashTable) files = g_hash_table_new (g_str_hash, g_str_equal);
  const char * const paths[] = { "/virtual/missing", "/virtual/config", NULL };
  g_autoptr(DrKubeconfig) kubeconfig = NULL;
  g_autoptr(DrKubeContext) context = NULL;
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (files, (gpointer) "/virtual/config",
                       (gpointer) "apiVersion: v1\n"
                       "kind: Config\n"
                       "clusters:\n"
                       "- name: c\n"
                       "  cluster: {server: \"https://127.0.0.1:6443\"}\n"
                       "users:\n"
                       "- name: u\n"
                       "  user: {tokenFile: token}\n"
                       "contexts:\n"
                       "- name: x\n"
                       "  context: {cluster: c, user: u}\n"
                       "current-context: x\n");
  g_hash_table_insert (files, (gpointer) "/virtual/token", (gpointer) "s3cr3t\n");

  kubeconfig = dr_kubeconfig_parse_files (paths, fake_read, files, &error);
  g_assert_no_error (error);
  context = dr_kubeconfig_resolve (kubeconfig, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (context->server, ==, "https://127.0.0.1:6443");
  g_assert_cmpstr (context->token, ==, "s3cr3t");
}

/* A kubeconfig path that is a FIFO is refused at once instead of waiting for a writer. */
static void
test_fifo (void)
{
  g_autofree char *path = g_build_filename (g_get_home_dir (), "fifo-kubeconfig", NULL);
  const char * const paths[] = { path, NULL };
  g_autoptr(DrKubeconfig) kubeconfig = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (g_get_home_dir (), 0700), ==, 0);
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  kubeconfig = dr_kubeconfig_load_files (paths, &error);
  g_assert_null (kubeconfig);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  g_assert_nonnull (strstr (error->message, "not a regular file"));
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/kubeconfig/kind-data", test_kind_data);
  g_test_add_func ("/kubeconfig/relative-files", test_relative_files);
  g_test_add_func ("/kubeconfig/merge", test_merge);
  g_test_add_func ("/kubeconfig/default-path", test_default_path);
  g_test_add_func ("/kubeconfig/token", test_token);
  g_test_add_func ("/kubeconfig/insecure-namespace", test_insecure_namespace);
  g_test_add_func ("/kubeconfig/unsupported", test_unsupported);
  g_test_add_func ("/kubeconfig/bad-yaml", test_bad_yaml);
  g_test_add_func ("/kubeconfig/bad-base64", test_bad_base64);
  g_test_add_func ("/kubeconfig/missing-context", test_missing_context);
  g_test_add_func ("/kubeconfig/server", test_server);
  g_test_add_func ("/kubeconfig/load-data-origin", test_load_data_origin);

  g_test_add_func ("/kubeconfig/reader-callback", test_reader_callback);
  g_test_add_func ("/kubeconfig/fifo", test_fifo);

  return g_test_run ();
}
