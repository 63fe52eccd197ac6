/* dr-openapi-validate.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test helper (not product code): checks a JSON value against a CustomResourceDefinition's
 * openAPIV3Schema the way a strict API server would (TESTING.md "Real ARC schemas"), so
 * rendered objects are proven against ARC's real CRDs without a cluster.
 *
 * Rules: type (object, array, string, integer, number, boolean), nullable, required, enum,
 * minimum/maximum (and exclusive*), format int32/int64 ranges, minLength/maxLength, pattern,
 * minItems/maxItems, properties with unknown fields rejected unless
 * x-kubernetes-preserve-unknown-fields is true, additionalProperties (schema or boolean),
 * items, x-kubernetes-int-or-string, x-kubernetes-list-type map/set uniqueness, anyOf, allOf,
 * oneOf.
 *
 * Deliberately stricter than the API server in one place: a null where the schema is not
 * nullable is an error here, while the server would silently prune it — a renderer that emits
 * null has a bug either way.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  DR_OPENAPI_VALIDATE_DEFAULT     = 0,
  /* @value is a whole Kubernetes object: its .metadata is checked as ObjectMeta (name,
   * namespace, labels, annotations, finalizers... with Kubernetes' name and label-value
   * syntax), as the API server does itself — CRD schemas describe metadata only as
   * `type: object`. */
  DR_OPENAPI_VALIDATE_OBJECT_ROOT = 1 << 0,
} DrOpenapiValidateFlags;

/* Every violation as "<json path>: <message>", e.g.
 * ".spec.template.spec.containers[0].foo: unknown field"; an empty array when @value is
 * valid. Never NULL. */
GPtrArray  *dr_openapi_validate       (JsonNode               *schema,
                                       JsonNode               *value,
                                       DrOpenapiValidateFlags  flags);

/* spec.versions[] entry named @version (NULL: the first) → schema.openAPIV3Schema of a CRD
 * document, or NULL. Borrowed from @crd. */
JsonNode   *dr_openapi_crd_schema     (JsonNode               *crd,
                                       const char             *version);

/* Follows a path of property names through nested `properties` (NULL-terminated), e.g.
 * "spec", "template", "spec" → the PodSpec schema inside a CRD. Borrowed; NULL if absent. */
JsonNode   *dr_openapi_subschema      (JsonNode               *schema,
                                       ...) G_GNUC_NULL_TERMINATED;

/* One error per line, for test failure messages. */
char       *dr_openapi_format_errors  (GPtrArray              *errors);

G_END_DECLS
