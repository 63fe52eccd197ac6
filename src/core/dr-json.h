/* dr-json.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading JSON that comes from outside (an API server, a chart): members found by a path of
 * names, and anything missing or of another type gives NULL or the fallback — never an
 * assertion (STYLE.md §8.14).
 *
 * Everything that reads JSON from outside — the config, the keyring's credential entries, every
 * reply of an API server or registry — parses it with dr_json_parse_data() or
 * dr_json_parse_bytes(), never with json-glib's parser directly: json-glib recurses once per
 * level of nesting and overflows the stack on deep input (100,000 "[" are 100 KB), and it
 * accepts what it cannot write back. These refuse, before json-glib sees the text:
 *  - nesting deeper than DR_JSON_MAX_DEPTH;
 *  - bytes that are not UTF-8, and "\u" escapes of a lone surrogate or of U+0000 (json-glib
 *    would make invalid UTF-8 of the first and cut the text at the second);
 *  - numbers that do not fit a double (1e999 would read as infinity) or, written as whole
 *    numbers, a gint64 (2^64+1 would wrap).
 * Their errors are JSON_PARSER_ERROR in json-glib's own form, "<data>:LINE:COLUMN: Parse error:
 * WHAT", and never quote the input (a credential entry is a secret).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The deepest nesting of arrays and objects accepted; the YAML side stops at the same depth.
 * Kubernetes objects are a few dozen levels deep at most. */
#define DR_JSON_MAX_DEPTH 512

/* The root of the one JSON document in @data, or NULL with @error (see above). Empty input
 * (or only white space) is an error too. @length may be -1 for a NUL-terminated @data. */
JsonNode    *dr_json_parse_data  (const char  *data,
                                  gssize       length,
                                  GError     **error);
JsonNode    *dr_json_parse_bytes (GBytes      *bytes,
                                  GError     **error);
/* Like dr_json_parse_bytes(), but a root that is not an object is an error too. */
JsonNode    *dr_json_parse_object_bytes (GBytes  *bytes,
                                         GError **error);

/* The one JSON writer: members in insertion order, so the same input always gives the same
 * bytes (golden files and the chart's values hash rely on it). @pretty: two-space indent,
 * "key": value, "{}" and "[]" for empty ones, and a final newline; otherwise one line. */
char        *dr_json_to_string   (JsonNode    *node,
                                  gboolean     pretty);

/* The node at the path of member names after @node, or NULL. */
JsonNode    *dr_json_get_member (JsonNode    *node,
                                 const char  *first,
                                 ...) G_GNUC_NULL_TERMINATED;
JsonObject  *dr_json_get_object (JsonNode    *node,
                                 const char  *first,
                                 ...) G_GNUC_NULL_TERMINATED;
JsonArray   *dr_json_get_array  (JsonNode    *node,
                                 const char  *first,
                                 ...) G_GNUC_NULL_TERMINATED;
const char  *dr_json_get_string (JsonNode    *node,
                                 const char  *first,
                                 ...) G_GNUC_NULL_TERMINATED;
/* An integer member, or @fallback. */
gint64       dr_json_get_int    (JsonNode    *node,
                                 gint64       fallback,
                                 const char  *first,
                                 ...) G_GNUC_NULL_TERMINATED;

/* The same one level at a time, from a JsonObject: anything may be missing or of another type, and
 * json-glib's getters warn about that, so these answer NULL (or @fallback) instead. */
static inline JsonObject *
dr_json_member_object (JsonObject *object,
                       const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static inline JsonArray *
dr_json_member_array (JsonObject *object,
                      const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* json_object_get_string_member_with_default() raises a CRITICAL for a member that is an
 * object or an array, so the type is checked here first. */
static inline const char *
dr_json_member_string (JsonObject *object,
                       const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static inline gint64
dr_json_member_int (JsonObject *object,
                    const char *member,
                    gint64      fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return fallback;
}

static inline gboolean
dr_json_member_bool (JsonObject *object,
                     const char *member,
                     gboolean    fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

/* The object of @node, or NULL. */
static inline JsonObject *
dr_json_node_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

G_END_DECLS
