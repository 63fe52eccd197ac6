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

G_END_DECLS
