/* test-json.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The readers for JSON from outside: paths through objects, and NULL or the fallback for
 * whatever is missing or of another type.
 */
#include "config.h"

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

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/json/readers", test_readers);

  return g_test_run ();
}
