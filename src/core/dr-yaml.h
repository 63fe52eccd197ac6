/* dr-yaml.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small YAML <-> JSON bridge (libyaml + json-glib) for kubeconfig files, CRDs and
 * manifests. Plain scalars resolve per the YAML 1.2 core schema (null, bool, int, float,
 * else string); quoted and block scalars are strings; explicit tags (!!str, !!int, !!float,
 * !!bool, !!null) are honoured. Anchors and aliases are expanded into copies, within a node
 * budget so that an alias bomb fails instead of eating the machine. Mapping keys must be
 * scalars and become strings (their text as written); a duplicate key is an error.
 *
 * Errors are DR_ERROR_BAD_CONFIG with messages "ORIGIN:LINE:COLUMN: problem" (1-based). They
 * never quote scalar values, so a secret in a broken file does not reach a log.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Parses a stream holding at most one non-empty document. An empty stream (or one holding
 * only empty documents) gives a JSON null node. @length may be -1 for a NUL-terminated
 * string. @origin names the input in error messages (a path, "kind get kubeconfig"). */
JsonNode  *dr_yaml_parse      (const char  *data,
                               gssize       length,
                               const char  *origin,
                               GError     **error);

/* Every document of a stream, in order, as JsonNode; documents that are empty (or null)
 * are skipped. Free with g_ptr_array_unref. */
GPtrArray *dr_yaml_parse_all  (const char  *data,
                               gssize       length,
                               const char  *origin,
                               GError     **error);

/* Block-style YAML for @node (NULL is treated as JSON null), ending in a newline. Object
 * members keep their order; strings are quoted whenever they would otherwise read back as
 * another type or contain YAML syntax, so dr_yaml_parse (dr_yaml_emit (x)) equals x. Strings
 * that are not valid UTF-8 are repaired (U+FFFD) first. */
char      *dr_yaml_emit       (JsonNode    *node);

G_END_DECLS
