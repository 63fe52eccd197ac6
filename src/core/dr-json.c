/* dr-json.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-json.h"

static JsonNode *
walk (JsonNode   *node,
      const char *first,
      va_list     args)
{
  for (const char *name = first; name != NULL && node != NULL; name = va_arg (args, const char *))
    node = JSON_NODE_HOLDS_OBJECT (node) ? json_object_get_member (json_node_get_object (node),
                                                                   name)
                                         : NULL;
  return node;
}

JsonNode *
dr_json_get_member (JsonNode   *node,
                    const char *first,
                    ...)
{
  va_list args;

  va_start (args, first);
  node = walk (node, first, args);
  va_end (args);
  return node;
}

JsonObject *
dr_json_get_object (JsonNode   *node,
                    const char *first,
                    ...)
{
  va_list args;

  va_start (args, first);
  node = walk (node, first, args);
  va_end (args);
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
dr_json_get_array (JsonNode   *node,
                   const char *first,
                   ...)
{
  va_list args;

  va_start (args, first);
  node = walk (node, first, args);
  va_end (args);
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

const char *
dr_json_get_string (JsonNode   *node,
                    const char *first,
                    ...)
{
  va_list args;

  va_start (args, first);
  node = walk (node, first, args);
  va_end (args);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gint64
dr_json_get_int (JsonNode   *node,
                 gint64      fallback,
                 const char *first,
                 ...)
{
  va_list args;

  va_start (args, first);
  node = walk (node, first, args);
  va_end (args);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}
