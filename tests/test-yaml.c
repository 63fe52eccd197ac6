/* test-yaml.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "dr-error.h"
#include "dr-test-utils.h"
#include "dr-yaml.h"

static JsonNode *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = dr_yaml_parse (text, -1, "test.yaml", &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static char *
to_json (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

static void
assert_json (const char *yaml,
             const char *expected_json)
{
  g_autoptr(JsonNode) node = parse_ok (yaml);
  g_autofree char *json = to_json (node);

  if (g_strcmp0 (json, expected_json) != 0)
    g_error ("YAML:\n%s\nparsed to %s, expected %s", yaml, json, expected_json);
}

static void
assert_error (const char *yaml,
              const char *expected_substring)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = dr_yaml_parse (yaml, -1, "bad.yaml", &error);

  g_assert_null (node);
  g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
  if (strstr (error->message, expected_substring) == NULL)
    g_error ("error “%s” does not contain “%s”", error->message, expected_substring);
}

typedef enum
{
  T_NULL,
  T_BOOL,
  T_INT,
  T_DOUBLE,
  T_STRING,
} ScalarType;

static const struct
{
  const char *text;
  ScalarType  type;
  const char *value;   /* expected value as text: "1", "true", "1.5", the string */
} scalars[] = {
  { "", T_NULL, NULL },
  { "~", T_NULL, NULL },
  { "null", T_NULL, NULL },
  { "Null", T_NULL, NULL },
  { "NULL", T_NULL, NULL },
  { "nULL", T_STRING, "nULL" },
  { "true", T_BOOL, "true" },
  { "True", T_BOOL, "true" },
  { "TRUE", T_BOOL, "true" },
  { "false", T_BOOL, "false" },
  { "FALSE", T_BOOL, "false" },
  { "yes", T_STRING, "yes" },
  { "no", T_STRING, "no" },
  { "on", T_STRING, "on" },
  { "0", T_INT, "0" },
  { "123", T_INT, "123" },
  { "-17", T_INT, "-17" },
  { "+17", T_INT, "17" },
  { "007", T_INT, "7" },
  { "0x1F", T_INT, "31" },
  { "0xff", T_INT, "255" },
  { "0o17", T_INT, "15" },
  { "0o18", T_STRING, "0o18" },
  { "0x", T_STRING, "0x" },
  { "-0x10", T_STRING, "-0x10" },
  { "9223372036854775807", T_INT, "9223372036854775807" },
  { "-9223372036854775808", T_INT, "-9223372036854775808" },
  { "99999999999999999999", T_DOUBLE, "1e+20" },
  { "1.5", T_DOUBLE, "1.5" },
  { "-1.5", T_DOUBLE, "-1.5" },
  { ".5", T_DOUBLE, "0.5" },
  { "1.", T_DOUBLE, "1" },
  { "1e3", T_DOUBLE, "1000" },
  { "1.5E-2", T_DOUBLE, "0.015" },
  { ".inf", T_DOUBLE, "inf" },
  { "-.Inf", T_DOUBLE, "-inf" },
  { ".NaN", T_DOUBLE, "nan" },
  { ".", T_STRING, "." },
  { "1e", T_STRING, "1e" },
  { "1_000", T_STRING, "1_000" },
  { "1:20", T_STRING, "1:20" },
  { "2001-12-14", T_STRING, "2001-12-14" },
  { "v1.2.3", T_STRING, "v1.2.3" },
  { "hello world", T_STRING, "hello world" },
  { "https://example.com:6443", T_STRING, "https://example.com:6443" },
  { "\"true\"", T_STRING, "true" },
  { "'123'", T_STRING, "123" },
  { "\"\"", T_STRING, "" },
  { "''", T_STRING, "" },
  { "'it''s'", T_STRING, "it's" },
  { "\"a\\tb\\u00e9\"", T_STRING, "a\tb\xc3\xa9" },
  { "!!str 123", T_STRING, "123" },
  { "!!str true", T_STRING, "true" },
  { "!!str", T_STRING, "" },
  { "! 123", T_STRING, "123" },
  { "!!int \"42\"", T_INT, "42" },
  { "!!int 0x10", T_INT, "16" },
  { "!!float 1", T_DOUBLE, "1" },
  { "!!float \"2.5\"", T_DOUBLE, "2.5" },
  { "!!bool \"true\"", T_BOOL, "true" },
  { "!!null ''", T_NULL, NULL },
  { "!local 12", T_INT, "12" },
  { "!local '12'", T_STRING, "12" },
  { "|\n  line one\n  line two\n", T_STRING, "line one\nline two\n" },
  { "|-\n  123\n", T_STRING, "123" },
  { ">\n  folded\n  text\n", T_STRING, "folded text\n" },
};

static void
test_scalars (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (scalars); i++)
    {
      g_autofree char *doc = g_strdup_printf ("value: %s\n", scalars[i].text);
      g_autoptr(JsonNode) root = NULL;
      JsonNode *node;
      g_autofree char *got = NULL;

      g_test_message ("scalar %s", scalars[i].text);
      root = parse_ok (doc);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
      node = json_object_get_member (json_node_get_object (root), "value");
      g_assert_nonnull (node);

      switch (scalars[i].type)
        {
        case T_NULL:
          g_assert_true (JSON_NODE_HOLDS_NULL (node));
          continue;
        case T_BOOL:
          g_assert_cmpuint (json_node_get_value_type (node), ==, G_TYPE_BOOLEAN);
          got = g_strdup (json_node_get_boolean (node) ? "true" : "false");
          break;
        case T_INT:
          g_assert_cmpuint (json_node_get_value_type (node), ==, G_TYPE_INT64);
          got = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case T_DOUBLE:
          {
            double d;

            g_assert_cmpuint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
            d = json_node_get_double (node);
            if (isnan (d))
              got = g_strdup ("nan");
            else if (isinf (d))
              got = g_strdup (d > 0 ? "inf" : "-inf");
            else
              got = g_strdup_printf ("%g", d);
          }
          break;
        case T_STRING:
        default:
          g_assert_cmpuint (json_node_get_value_type (node), ==, G_TYPE_STRING);
          got = g_strdup (json_node_get_string (node));
          break;
        }
      g_assert_cmpstr (got, ==, scalars[i].value);
    }
}

static void
test_collections (void)
{
  assert_json ("a: 1\nb:\n  c: [1, two, 3.5]\n  d:\n  - x: y\n  - - nested\n  - {}\n  - []\n",
               "{\"a\":1,\"b\":{\"c\":[1,\"two\",3.5],\"d\":[{\"x\":\"y\"},[\"nested\"],{},[]]}}");
  /* Member order is the file's order, not sorted. */
  assert_json ("zebra: 1\napple: 2\nmango: 3\n", "{\"zebra\":1,\"apple\":2,\"mango\":3}");
  /* Keys are the text as written, whatever it would resolve to. */
  assert_json ("1: a\ntrue: b\n~: c\n\"q\": d\n",
               "{\"1\":\"a\",\"true\":\"b\",\"~\":\"c\",\"q\":\"d\"}");
  assert_json ("- 1\n- - 2\n  - 3\n", "[1,[2,3]]");
  assert_json ("plain\n", "\"plain\"");
  assert_json ("{a: [b, {c: d}]}", "{\"a\":[\"b\",{\"c\":\"d\"}]}");
  assert_json ("", "null");
  assert_json ("# only a comment\n", "null");
}

static void
test_anchors (void)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonObject *first;
  JsonObject *second;

  assert_json ("base: &b {x: 1, y: [2]}\ncopy: *b\nscalar: &s hi\nagain: *s\n",
               "{\"base\":{\"x\":1,\"y\":[2]},\"copy\":{\"x\":1,\"y\":[2]},"
               "\"scalar\":\"hi\",\"again\":\"hi\"}");
  /* A scalar anchor can be used as a key. */
  assert_json ("k: &key name\n*key : v\n", "{\"k\":\"name\",\"name\":\"v\"}");
  /* Redefining an anchor: later aliases see the new one. */
  assert_json ("- &a 1\n- *a\n- &a 2\n- *a\n", "[1,1,2,2]");

  /* An alias is a copy, not a shared object. */
  root = parse_ok ("a: &x {k: 1}\nb: *x\n");
  object = json_node_get_object (root);
  first = json_object_get_object_member (object, "a");
  second = json_object_get_object_member (object, "b");
  g_assert_true (first != second);
  json_object_set_int_member (first, "k", 2);
  g_assert_cmpint (json_object_get_int_member (second, "k"), ==, 1);

  assert_error ("a: *nope\n", "bad.yaml:1:4: unknown anchor “nope”");
  /* Anchors do not cross documents. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) docs = dr_yaml_parse_all ("a: &x 1\n---\nb: *x\n", -1, "m.yaml",
                                                   &error);

    g_assert_null (docs);
    g_assert_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG);
    g_assert_nonnull (strstr (error->message, "m.yaml:3:4:"));
  }
}

static void
test_alias_bomb (void)
{
  GString *bomb = g_string_new ("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
  g_autofree char *text = NULL;

  for (guint i = 1; i <= 9; i++)
    {
      g_string_append_printf (bomb, "a%u: &a%u [", i, i);
      for (guint j = 0; j < 10; j++)
        g_string_append_printf (bomb, "%s*a%u", j ? ", " : "", i - 1);
      g_string_append (bomb, "]\n");
    }
  text = g_string_free (bomb, FALSE);
  assert_error (text, "too many nodes");

  /* Deep nesting fails cleanly instead of overflowing the stack. */
  {
    g_autofree char *open = g_strnfill (100000, '[');
    g_autofree char *close = g_strnfill (100000, ']');
    g_autofree char *deep = g_strconcat (open, close, NULL);

    assert_error (deep, "nested too deeply");
  }
}

static void
test_multi_doc (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(JsonNode) single = NULL;

  docs = dr_yaml_parse_all ("---\n---\nkind: A\n---\n# nothing\n---\nkind: B\n...\n---\n- 1\n",
                            -1, "multi.yaml", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (docs->len, ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (docs->pdata[0]), "kind"),
                   ==, "A");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (docs->pdata[1]), "kind"),
                   ==, "B");
  g_assert_true (JSON_NODE_HOLDS_ARRAY (docs->pdata[2]));
  g_clear_pointer (&docs, g_ptr_array_unref);

  docs = dr_yaml_parse_all ("", 0, "empty.yaml", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (docs->len, ==, 0);

  /* A single document may be surrounded by empty ones. */
  single = dr_yaml_parse ("---\na: 1\n---\n", -1, "one.yaml", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (single));

  assert_error ("a: 1\n---\nb: 2\n", "bad.yaml:3:1: expected a single YAML document");
}

static void
test_errors (void)
{
  assert_error ("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml:");
  assert_error ("a:\n  b: 1\n c: 2\n", "bad.yaml:3:");
  assert_error ("a: 1\nb: 2\na: 3\n", "bad.yaml:3:1: duplicate key “a”");
  assert_error ("x:\n  k: 1\n  \"k\": 2\n", "bad.yaml:3:3: duplicate key “k”");
  assert_error ("? [a, b]\n: c\n", "bad.yaml:1:3: a mapping key must be a scalar");
  assert_error ("? {a: b}\n: c\n", "a mapping key must be a scalar");
  assert_error ("a: !!int abc\n", "bad.yaml:1:4: a value tagged !!int is not an integer");
  assert_error ("a: !!int 99999999999999999999\n", "out of range");
  assert_error ("a: !!bool yes\n", "!!bool");
  assert_error ("a: !!null x\n", "!!null");
  assert_error ("a: !!float x\n", "!!float");
  assert_error ("a: \"nul\\0here\"\n", "NUL");
  assert_error ("a: \x01\n", "bad.yaml:1:4:");
  assert_error ("ok: 1\nbad: \xff\xfe\n", "bad.yaml:2:6:");
  assert_error ("\tkey: 1\n", "bad.yaml:1:");

  /* The problem never quotes a value (it might be a secret). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = dr_yaml_parse ("token: !!int s3cr3t-value\n", -1, "t.yaml",
                                              &error);

    g_assert_null (node);
    g_assert_null (strstr (error->message, "s3cr3t"));
  }

  /* Length is honoured: what follows is not read. */
  {
    g_autoptr(JsonNode) node = NULL;
    g_autofree char *json = NULL;

    node = dr_yaml_parse ("a: 1\nb: [", 5, "short.yaml", NULL);
    g_assert_nonnull (node);
    json = to_json (node);
    g_assert_cmpstr (json, ==, "{\"a\":1}");
  }
}

/* json_node_equal() ignores member order, says 1 == 1.0 and NaN != NaN; a round trip must
 * keep all of that exactly. */
static gboolean
nodes_identical (JsonNode *a,
                 JsonNode *b)
{
  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return FALSE;
  switch (JSON_NODE_TYPE (a))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *oa = json_node_get_object (a);
        JsonObject *ob = json_node_get_object (b);
        g_autoptr(GList) ma = json_object_get_members (oa);
        g_autoptr(GList) mb = json_object_get_members (ob);
        GList *la, *lb;

        for (la = ma, lb = mb; la != NULL && lb != NULL; la = la->next, lb = lb->next)
          if (g_strcmp0 (la->data, lb->data) != 0 ||
              !nodes_identical (json_object_get_member (oa, la->data),
                                json_object_get_member (ob, lb->data)))
            return FALSE;
        return la == NULL && lb == NULL;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *aa = json_node_get_array (a);
        JsonArray *ab = json_node_get_array (b);

        if (json_array_get_length (aa) != json_array_get_length (ab))
          return FALSE;
        for (guint i = 0; i < json_array_get_length (aa); i++)
          if (!nodes_identical (json_array_get_element (aa, i), json_array_get_element (ab, i)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_NULL:
      return TRUE;
    case JSON_NODE_VALUE:
    default:
      if (json_node_get_value_type (a) != json_node_get_value_type (b))
        return FALSE;
      switch (json_node_get_value_type (a))
        {
        case G_TYPE_STRING:
          return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
        case G_TYPE_BOOLEAN:
          return json_node_get_boolean (a) == json_node_get_boolean (b);
        case G_TYPE_DOUBLE:
          return memcmp (&(double) { json_node_get_double (a) },
                         &(double) { json_node_get_double (b) }, sizeof (double)) == 0 ||
                 json_node_get_double (a) == json_node_get_double (b);
        default:
          return json_node_get_int (a) == json_node_get_int (b);
        }
    }
}

static void
assert_round_trip (JsonNode *node)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *yaml = dr_yaml_emit (node);
  g_autoptr(JsonNode) back = dr_yaml_parse (yaml, -1, "emitted.yaml", &error);

  if (error != NULL)
    g_error ("emitted YAML does not parse: %s\n%s", error->message, yaml);
  if (!nodes_identical (node, back))
    {
      g_autofree char *a = to_json (node);
      g_autofree char *b = to_json (back);

      g_error ("round trip changed the value:\n%s\nemitted:\n%s\nread back: %s", a, yaml, b);
    }
}

static const char *tricky_strings[] = {
  "", " ", "true", "True", "false", "yes", "no", "on", "off", "y", "n", "null", "Null", "~",
  "123", "-1", "+1", "0x10", "0o7", "1.5", ".5", "1e3", ".inf", "-.inf", ".nan", "007",
  "1_000", "1:20", "2001-12-14", ": ", ":", "a:", "a: b", "a:b", "#", "# comment", "a #b",
  "a#b", " leading", "trailing ", "  both  ", "-", "- item", "--flag=value", "---", "...",
  "--- x", "... x", "?", "? x", "?x", "[", "]", "{", "}", "[a, b]", "{a: b}", "a, b", "&anchor",
  "*alias", "!tag", "!!str", "|", ">", "'", "\"", "'quoted'", "\"quoted\"", "%YAML", "@at",
  "`tick", "back\\slash", "tab\there", "\ttab", "cr\rhere", "nul-free\x01" "control",
  "line one\nline two", "trailing newline\n", "two newlines\n\n", "\nleading newline",
  " space then\nnewline", "a\n  indented\nback", "a\n\n\nb", "last line spaces\n  ",
  "\n", "\n\n", "x\n#not a comment\n- not a list\n", "caf\xc3\xa9", "\xe2\x80\xa8" "ls",
  "nel\xc2\x85" "x", "bom\xef\xbb\xbf", "emoji \xf0\x9f\x9a\x80", "<<", "=",
  "https://127.0.0.1:6443", "kind-deskrun", "ghcr.io/actions/actions-runner:2.321.0",
};

static void
test_emit_round_trip (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) doc = NULL;
  g_autofree char *long_key = g_strnfill (3000, 'k');

  for (guint i = 0; i < G_N_ELEMENTS (tricky_strings); i++)
    {
      g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), tricky_strings[i]);

      g_test_message ("string %u", i);
      /* Alone, as a value, as a key, and as a list item. */
      assert_round_trip (node);
      {
        g_autoptr(JsonObject) object = json_object_new ();
        g_autoptr(JsonNode) wrapped = NULL;
        g_autoptr(JsonArray) array = json_array_new ();
        g_autoptr(JsonNode) list = NULL;

        json_object_set_string_member (object, "value", tricky_strings[i]);
        json_object_set_string_member (object, tricky_strings[i], "as key");
        wrapped = json_node_init_object (json_node_alloc (), object);
        assert_round_trip (wrapped);

        json_array_add_string_element (array, tricky_strings[i]);
        json_array_add_string_element (array, "next");
        list = json_node_init_array (json_node_alloc (), array);
        assert_round_trip (list);
      }
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "zeta");
  json_builder_add_int_value (builder, G_MININT64);
  json_builder_set_member_name (builder, "alpha");
  json_builder_add_double_value (builder, 1.0);
  json_builder_set_member_name (builder, "pi");
  json_builder_add_double_value (builder, 3.141592653589793);
  json_builder_set_member_name (builder, "tiny");
  json_builder_add_double_value (builder, 1e-300);
  json_builder_set_member_name (builder, "big");
  json_builder_add_double_value (builder, 1e300);
  json_builder_set_member_name (builder, "flag");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "nothing");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "empty-object");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "empty-list");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, long_key);
  json_builder_add_string_value (builder, "long key");
  json_builder_set_member_name (builder, "nested");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "runner");
  json_builder_set_member_name (builder, "script");
  json_builder_add_string_value (builder, "#!/bin/sh\necho hi\n");
  json_builder_set_member_name (builder, "args");
  json_builder_begin_array (builder);
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "a");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "deep");
  json_builder_add_string_value (builder, "x\ny");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  doc = json_builder_get_root (builder);
  assert_round_trip (doc);
}

static void
test_emit_format (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{\"kind\": \"Pod\", \"spec\": {\"containers\": "
                                       "[{\"name\": \"c\", \"args\": [\"--x\", \"true\"]}], "
                                       "\"count\": 3, \"f\": 2.0, \"s\": \"a\\nb\\n\", "
                                       "\"e\": {}, \"l\": [], \"z\": null}}");
  g_autofree char *yaml = dr_yaml_emit (node);
  g_autofree char *null_yaml = dr_yaml_emit (NULL);

  g_assert_cmpstr (yaml, ==,
                   "kind: Pod\n"
                   "spec:\n"
                   "  containers:\n"
                   "    - name: c\n"
                   "      args:\n"
                   "        - --x\n"
                   "        - \"true\"\n"
                   "  count: 3\n"
                   "  f: 2.0\n"
                   "  s: |\n"
                   "    a\n"
                   "    b\n"
                   "  e: {}\n"
                   "  l: []\n"
                   "  z: null\n");
  g_assert_cmpstr (null_yaml, ==, "null\n");
}

static void
test_crd_fixture (void)
{
  const char *dir = dr_test_fixtures_dir ();
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *emitted = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(JsonNode) reparsed = NULL;
  JsonObject *crd;
  JsonObject *spec;
  JsonObject *names;
  gsize length;

  if (dir == NULL)
    return;

  path = g_build_filename (dir, "arc-crds-0.14.2", "actions.github.com_autoscalingrunnersets.yaml",
                           NULL);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  docs = dr_yaml_parse_all (contents, length, path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (docs->len, ==, 1);

  crd = json_node_get_object (docs->pdata[0]);
  g_assert_cmpstr (json_object_get_string_member (crd, "apiVersion"), ==,
                   "apiextensions.k8s.io/v1");
  g_assert_cmpstr (json_object_get_string_member (crd, "kind"), ==, "CustomResourceDefinition");
  spec = json_object_get_object_member (crd, "spec");
  g_assert_cmpstr (json_object_get_string_member (spec, "group"), ==, "actions.github.com");
  names = json_object_get_object_member (spec, "names");
  g_assert_cmpstr (json_object_get_string_member (names, "kind"), ==, "AutoscalingRunnerSet");
  g_assert_cmpstr (json_object_get_string_member (names, "plural"), ==, "autoscalingrunnersets");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (spec, "versions")), >,
                    0);

  /* The big real-world tree survives emit and re-parse unchanged. */
  emitted = dr_yaml_emit (docs->pdata[0]);
  reparsed = dr_yaml_parse (emitted, -1, "emitted CRD", &error);
  g_assert_no_error (error);
  g_assert_true (nodes_identical (docs->pdata[0], reparsed));
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/yaml/scalars", test_scalars);
  g_test_add_func ("/yaml/collections", test_collections);
  g_test_add_func ("/yaml/anchors", test_anchors);
  g_test_add_func ("/yaml/alias-bomb", test_alias_bomb);
  g_test_add_func ("/yaml/multi-doc", test_multi_doc);
  g_test_add_func ("/yaml/errors", test_errors);
  g_test_add_func ("/yaml/emit-round-trip", test_emit_round_trip);
  g_test_add_func ("/yaml/emit-format", test_emit_format);
  g_test_add_func ("/yaml/crd-fixture", test_crd_fixture);

  return g_test_run ();
}
