/* test-json.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The readers for JSON from outside: paths through objects, and NULL or the fallback for
 * whatever is missing or of another type.
 */
#include "config.h"

#include <string.h>

#include "dr-json.h"
#include "dr-test-utils.h"

static void
test_readers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string ("{\"metadata\": {\"name\": \"x\", \"generation\": 3,"
                                               " \"labels\": {\"a.b/c\": \"d\"}},"
                                               " \"items\": [1, 2], \"status\": null,"
                                               " \"spec\": \"text\", \"ratio\": 1.5}", &error);

  g_assert_no_error (error);

  g_assert_cmpstr (dr_json_get_string (node, "metadata", "name", NULL), ==, "x");
  g_assert_cmpstr (dr_json_get_string (node, "metadata", "labels", "a.b/c", NULL), ==, "d");
  g_assert_cmpint (dr_json_get_int (node, -1, "metadata", "generation", NULL), ==, 3);
  g_assert_cmpuint (json_array_get_length (dr_json_get_array (node, "items", NULL)), ==, 2);
  g_assert_nonnull (dr_json_get_object (node, "metadata", "labels", NULL));
  g_assert_true (dr_json_get_member (node, "status", NULL) != NULL);

  /* Missing, or of another type. */
  g_assert_null (dr_json_get_string (node, "metadata", "generation", NULL));
  g_assert_null (dr_json_get_string (node, "metadata", "missing", NULL));
  g_assert_null (dr_json_get_string (node, "spec", "name", NULL));
  g_assert_null (dr_json_get_string (node, "status", "name", NULL));
  g_assert_null (dr_json_get_string (node, "items", NULL));
  g_assert_null (dr_json_get_object (node, "spec", NULL));
  g_assert_null (dr_json_get_array (node, "metadata", NULL));
  g_assert_cmpint (dr_json_get_int (node, -1, "metadata", "name", NULL), ==, -1);
  g_assert_cmpint (dr_json_get_int (node, 7, "ratio", NULL), ==, 7);
  g_assert_null (dr_json_get_member (NULL, "metadata", NULL));
  g_assert_null (dr_json_get_string (NULL, "metadata", NULL));
}

/* dr_json_member_string() answers NULL for every member that is not text — an object or an
 * array used to raise a CRITICAL (fatal in tests). */
static void
test_member_string_any_type (void)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"o\": {}, \"a\": [1], \"n\": null, \"i\": 1,"
                                               " \"b\": true, \"s\": \"x\"}", NULL);
  JsonObject *object = json_node_get_object (node);

  g_assert_null (dr_json_member_string (object, "o"));
  g_assert_null (dr_json_member_string (object, "a"));
  g_assert_null (dr_json_member_string (object, "n"));
  g_assert_null (dr_json_member_string (object, "i"));
  g_assert_null (dr_json_member_string (object, "b"));
  g_assert_null (dr_json_member_string (object, "missing"));
  g_assert_null (dr_json_member_string (NULL, "s"));
  g_assert_cmpstr (dr_json_member_string (object, "s"), ==, "x");
}

static char *
nested (guint       depth,
        const char *open,
        const char *close)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (text, open);
  for (guint i = 0; i < depth; i++)
    g_string_append (text, close);
  return g_string_free (text, FALSE);
}

/* 100,000 levels of "[" overflowed json-glib's recursive parser (a crash); the bound refuses
 * them first, and the bound itself is still accepted. */
static void
test_parse_depth (void)
{
  g_autofree char *deep = nested (100000, "[", "]");
  g_autofree char *deep_objects = nested (100000, "{\"a\":", "}");
  g_autofree char *at_bound = nested (DR_JSON_MAX_DEPTH, "[", "]");
  g_autofree char *over_bound = nested (DR_JSON_MAX_DEPTH + 1, "[", "]");
  g_autofree char *unclosed = nested (100000, "[", "");
  g_autoptr(GBytes) bytes = g_bytes_new_static (deep, strlen (deep));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = dr_json_parse_bytes (bytes, &error);
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
  g_assert_null (node);
  g_assert_nonnull (strstr (error->message, "512 levels"));
  g_assert_true (g_str_has_prefix (error->message, "<data>:1:513: Parse error: "));
  g_clear_error (&error);

  g_assert_null (dr_json_parse_data (deep_objects, -1, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_null (dr_json_parse_data (unclosed, -1, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_null (dr_json_parse_data (over_bound, -1, &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
  g_clear_error (&error);

  node = dr_json_parse_data (at_bound, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  g_clear_pointer (&node, json_node_unref);

  /* Brackets inside strings are text, not nesting. */
  {
    g_autofree char *brackets = nested (1000, "[", "");
    g_autofree char *in_string = g_strdup_printf ("{\"a\": \"%s\\\"\", \"b\": [1]}", brackets);

    node = dr_json_parse_data (in_string, -1, &error);
    g_assert_no_error (error);
    g_assert_cmpint (json_array_get_length (dr_json_get_array (node, "b", NULL)), ==, 1);
  }
}

/* What json-glib would read but not write back, or read wrongly, is refused with the place. */
static void
test_parse_refuses (void)
{
  static const struct
  {
    const char *text;
    const char *message;
  } cases[] = {
    { "{\"version\": 1e999}", "<data>:1:13: Parse error: the number 1e999 is too large" },
    { "[-1e999]", "<data>:1:2: Parse error: the number -1e999 is too large" },
    { "{\n  \"version\": 18446744073709551617\n}",
      "<data>:2:14: Parse error: the whole number 18446744073709551617 is out of range" },
    { "[-9223372036854775809]", "<data>:1:2: Parse error: the whole number" },
    { "[\"\\ud800x\"]", "<data>:1:3: Parse error: the escape \\ud800 is half of a UTF-16 "
                          "pair without its second half" },
    { "[\"\\udc00\"]", "<data>:1:3: Parse error: the escape \\udc00 is half" },
    { "[\"\\ud800\\u0041\"]", "<data>:1:3: Parse error: the escape \\ud800 is half" },
    { "{\"name\": \"ab\\u0000cd\"}", "<data>:1:13: Parse error: the text holds the "
                                       "character U+0000" },
    { "{\"a\": \"\xed\xa0\x80\"}", "<data>:1:8: Parse error: the text is not valid UTF-8" },
    { "\n\n[\"\xff\"]", "<data>:3:3: Parse error: the text is not valid UTF-8" },
    { "", "Parse error: there is nothing but white space" },
    { "  \n ", "Parse error: " },
    { "[1,", "Parse error" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = dr_json_parse_data (cases[i].text, -1, &error);

      g_test_message ("%s", cases[i].text);
      g_assert_null (node);
      g_assert_nonnull (error);
      g_assert_true (error->domain == JSON_PARSER_ERROR);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

static void
test_parse_accepts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = dr_json_parse_data ("{\"s\": \"\\ud83d\\ude00 \\u00e9 \\\\u0000\","
                                                 " \"big\": 9223372036854775807,"
                                                 " \"small\": -9223372036854775808,"
                                                 " \"tiny\": 1e-999, \"d\": 1.5e300,"
                                                 " \"t\": \"é\"}", -1, &error);
  g_autoptr(GBytes) list = g_bytes_new_static ("[1]", 3);
  g_autoptr(JsonNode) array = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (dr_json_get_string (node, "s", NULL), ==, "\xf0\x9f\x98\x80 \xc3\xa9 \\u0000");
  g_assert_cmpint (dr_json_get_int (node, 0, "big", NULL), ==, G_MAXINT64);
  g_assert_cmpint (dr_json_get_int (node, 0, "small", NULL), ==, G_MININT64);
  g_assert_cmpstr (dr_json_get_string (node, "t", NULL), ==, "é");

  array = dr_json_parse_object_bytes (list, &error);
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
  g_assert_null (array);
  g_clear_error (&error);
  array = dr_json_parse_bytes (list, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (array));
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/json/readers", test_readers);
  g_test_add_func ("/json/member-string-any-type", test_member_string_any_type);
  g_test_add_func ("/json/parse/depth", test_parse_depth);
  g_test_add_func ("/json/parse/refuses", test_parse_refuses);
  g_test_add_func ("/json/parse/accepts", test_parse_accepts);

  return g_test_run ();
}
