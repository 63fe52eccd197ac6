/* dr-json.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading JSON that comes from outside (an API server, a chart): members found by a path of
 * names, and anything missing or of another type gives NULL or the fallback — never an
 * assertion (STYLE.md §8.14).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

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

static inline const char *
dr_json_member_string (JsonObject *object,
                       const char *member)
{
  return object != NULL ? json_object_get_string_member_with_default (object, member, NULL)
                        : NULL;
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
