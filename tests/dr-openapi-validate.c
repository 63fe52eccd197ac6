/* dr-openapi-validate.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dr-openapi-validate.h"

/* The part of ObjectMeta a client may send, with the API server's own syntax rules for names
 * (RFC 1123 subdomain / label) and label values (≤ 63 characters, alphanumeric ends). */
static const char object_meta_schema_json[] =
  "{\"type\": \"object\", \"properties\": {"
  "  \"name\": {\"type\": \"string\", \"maxLength\": 253,"
  "    \"pattern\": \"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$\"},"
  "  \"generateName\": {\"type\": \"string\"},"
  "  \"namespace\": {\"type\": \"string\", \"maxLength\": 63,"
  "    \"pattern\": \"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$\"},"
  "  \"labels\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"string\","
  "    \"maxLength\": 63, \"pattern\": \"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$\"}},"
  "  \"annotations\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"string\"}},"
  "  \"finalizers\": {\"type\": \"array\", \"items\": {\"type\": \"string\"},"
  "    \"x-kubernetes-list-type\": \"set\"},"
  "  \"ownerReferences\": {\"type\": \"array\", \"items\": {\"type\": \"object\","
  "    \"x-kubernetes-preserve-unknown-fields\": true}},"
  "  \"uid\": {\"type\": \"string\"},"
  "  \"resourceVersion\": {\"type\": \"string\"},"
  "  \"generation\": {\"type\": \"integer\", \"format\": \"int64\"},"
  "  \"creationTimestamp\": {\"type\": \"string\", \"nullable\": true},"
  "  \"deletionTimestamp\": {\"type\": \"string\"},"
  "  \"deletionGracePeriodSeconds\": {\"type\": \"integer\", \"format\": \"int64\"},"
  "  \"managedFields\": {\"type\": \"array\", \"items\": {\"type\": \"object\","
  "    \"x-kubernetes-preserve-unknown-fields\": true}},"
  "  \"selfLink\": {\"type\": \"string\"}"
  "}}";

typedef struct
{
  GPtrArray  *errors;
  GHashTable *regexes;       /* pattern → GRegex, shared with branch validators */
  JsonObject *object_meta;   /* non-NULL with DR_OPENAPI_VALIDATE_OBJECT_ROOT */
  gboolean    in_branch;     /* inside anyOf/allOf/oneOf: no unknown-field rule */
} Validator;

static void validate (Validator  *v,
                      JsonObject *schema,
                      JsonNode   *value,
                      const char *path);

static void G_GNUC_PRINTF (3, 4)
add_error (Validator  *v,
           const char *path,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (v->errors, g_strdup_printf ("%s: %s", *path ? path : ".", message));
}

static char *
node_to_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static gboolean
is_integer (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
is_number (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_INT64 ||
          json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

static gboolean
is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static const char *
kind_of (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "object";
    case JSON_NODE_ARRAY:
      return "array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return "string";
        case G_TYPE_INT64:
          return "integer";
        case G_TYPE_DOUBLE:
          return "number";
        case G_TYPE_BOOLEAN:
          return "boolean";
        default:
          return "unknown";
        }
    }
}

static gboolean
schema_bool (JsonObject *schema,
             const char *name)
{
  JsonNode *node = json_object_get_member (schema, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static const char *
schema_string (JsonObject *schema,
               const char *name)
{
  JsonNode *node = json_object_get_member (schema, name);

  return node != NULL && is_string (node) ? json_node_get_string (node) : NULL;
}

static JsonObject *
schema_object (JsonObject *schema,
               const char *name)
{
  JsonNode *node = json_object_get_member (schema, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
schema_array (JsonObject *schema,
              const char *name)
{
  JsonNode *node = json_object_get_member (schema, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* A schema keyword holding a number, as a double; FALSE when absent. */
static gboolean
schema_number (JsonObject *schema,
               const char *name,
               double     *out)
{
  JsonNode *node = json_object_get_member (schema, name);

  if (node == NULL || !is_number (node))
    return FALSE;
  *out = json_node_get_double (node);
  return TRUE;
}

/* Kubernetes paths: .a.b[0]; keys that are not plain identifiers (label keys) in brackets. */
static char *
member_path (const char *path,
             const char *key)
{
  for (const char *p = key; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '$')
      return g_strdup_printf ("%s[\"%s\"]", path, key);
  return g_strdup_printf ("%s.%s", path, key);
}

static gboolean
type_matches (const char *type,
              JsonNode   *value,
              gboolean   *known)
{
  *known = TRUE;
  if (g_str_equal (type, "object"))
    return JSON_NODE_HOLDS_OBJECT (value);
  if (g_str_equal (type, "array"))
    return JSON_NODE_HOLDS_ARRAY (value);
  if (g_str_equal (type, "string"))
    return is_string (value);
  /* A JSON 1.0 is a number, not an integer: the API server decodes it as a float. */
  if (g_str_equal (type, "integer"))
    return is_integer (value);
  if (g_str_equal (type, "number"))
    return is_number (value);
  if (g_str_equal (type, "boolean"))
    return JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN;
  *known = FALSE;
  return FALSE;
}

static void
check_number (Validator  *v,
              JsonObject *schema,
              JsonNode   *value,
              const char *path)
{
  const char *format = schema_string (schema, "format");
  double number = json_node_get_double (value);
  double limit;
  g_autofree char *text = node_to_text (value);

  if (schema_number (schema, "minimum", &limit) &&
      (schema_bool (schema, "exclusiveMinimum") ? number <= limit : number < limit))
    add_error (v, path, "%s is below the minimum %g%s", text, limit,
               schema_bool (schema, "exclusiveMinimum") ? " (exclusive)" : "");
  if (schema_number (schema, "maximum", &limit) &&
      (schema_bool (schema, "exclusiveMaximum") ? number >= limit : number > limit))
    add_error (v, path, "%s is above the maximum %g%s", text, limit,
               schema_bool (schema, "exclusiveMaximum") ? " (exclusive)" : "");

  if (format != NULL && g_str_equal (format, "int32"))
    {
      if (!is_integer (value))
        add_error (v, path, "format int32 needs an integer, got %s", kind_of (value));
      else if (json_node_get_int (value) < G_MININT32 || json_node_get_int (value) > G_MAXINT32)
        add_error (v, path, "%" G_GINT64_FORMAT " is out of the int32 range",
                   json_node_get_int (value));
    }
  else if (format != NULL && g_str_equal (format, "int64") && !is_integer (value))
    {
      add_error (v, path, "format int64 needs an integer, got %s", kind_of (value));
    }
}

static GRegex *
get_regex (Validator  *v,
           const char *pattern,
           const char *path)
{
  GRegex *regex = g_hash_table_lookup (v->regexes, pattern);
  g_autoptr(GError) error = NULL;

  if (regex != NULL)
    return regex;

  regex = g_regex_new (pattern, 0, 0, &error);
  if (regex == NULL)
    {
      add_error (v, path, "the schema's pattern %s does not compile: %s", pattern,
                 error->message);
      return NULL;
    }
  g_hash_table_insert (v->regexes, g_strdup (pattern), regex);
  return regex;
}

static void
check_string (Validator  *v,
              JsonObject *schema,
              JsonNode   *value,
              const char *path)
{
  const char *s = json_node_get_string (value);
  const char *pattern = schema_string (schema, "pattern");
  glong length = g_utf8_strlen (s, -1);
  double limit;

  if (schema_number (schema, "minLength", &limit) && length < limit)
    add_error (v, path, "\"%s\" is shorter than %g characters", s, limit);
  if (schema_number (schema, "maxLength", &limit) && length > limit)
    add_error (v, path, "\"%s\" is longer than %g characters", s, limit);

  if (pattern != NULL)
    {
      GRegex *regex = get_regex (v, pattern, path);

      if (regex != NULL && !g_regex_match (regex, s, 0, NULL))
        add_error (v, path, "\"%s\" does not match the pattern %s", s, pattern);
    }
}

/* x-kubernetes-list-type: set (unique items) and map (unique list-map-keys tuples). The API
 * server rejects duplicates, e.g. two env entries or volumes with one name. */
static void
check_list_type (Validator  *v,
                 JsonObject *schema,
                 JsonArray  *array,
                 const char *path)
{
  const char *list_type = schema_string (schema, "x-kubernetes-list-type");
  JsonArray *map_keys = schema_array (schema, "x-kubernetes-list-map-keys");
  g_autoptr(GHashTable) seen = NULL;

  if (list_type == NULL || (!g_str_equal (list_type, "set") && !g_str_equal (list_type, "map")))
    return;

  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *element_path = g_strdup_printf ("%s[%u]", path, i);
      g_autofree char *key = NULL;

      if (g_str_equal (list_type, "set") || map_keys == NULL || !JSON_NODE_HOLDS_OBJECT (element))
        {
          key = node_to_text (element);
        }
      else
        {
          GString *tuple = g_string_new (NULL);

          for (guint k = 0; k < json_array_get_length (map_keys); k++)
            {
              const char *name = json_array_get_string_element (map_keys, k);
              JsonNode *member = json_object_get_member (json_node_get_object (element), name);
              g_autofree char *text = member ? node_to_text (member) : g_strdup ("(unset)");

              g_string_append_printf (tuple, "%s%s=%s", k ? ", " : "", name, text);
            }
          key = g_string_free (tuple, FALSE);
        }

      if (!g_hash_table_add (seen, g_strdup (key)))
        add_error (v, element_path, "duplicate entry (%s) in a list of type %s", key,
                   list_type);
    }
}

static void
check_array (Validator  *v,
             JsonObject *schema,
             JsonArray  *array,
             const char *path)
{
  JsonObject *items = schema_object (schema, "items");
  guint length = json_array_get_length (array);
  double limit;

  if (schema_number (schema, "minItems", &limit) && length < limit)
    add_error (v, path, "%u items, fewer than %g", length, limit);
  if (schema_number (schema, "maxItems", &limit) && length > limit)
    add_error (v, path, "%u items, more than %g", length, limit);

  for (guint i = 0; items != NULL && i < length; i++)
    {
      g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);

      validate (v, items, json_array_get_element (array, i), item_path);
    }

  check_list_type (v, schema, array, path);
}

static void
check_object (Validator  *v,
              JsonObject *schema,
              JsonObject *object,
              const char *path)
{
  JsonObject *properties = schema_object (schema, "properties");
  JsonNode *additional = json_object_get_member (schema, "additionalProperties");
  JsonArray *required = schema_array (schema, "required");
  gboolean preserve = schema_bool (schema, "x-kubernetes-preserve-unknown-fields");
  g_autoptr(GList) members = json_object_get_members (object);

  for (guint i = 0; required != NULL && i < json_array_get_length (required); i++)
    {
      const char *name = json_array_get_string_element (required, i);

      if (!json_object_has_member (object, name))
        {
          g_autofree char *missing = member_path (path, name);

          add_error (v, missing, "required field missing");
        }
    }

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *member = json_object_get_member (object, name);
      g_autofree char *member_p = member_path (path, name);
      JsonObject *sub = properties ? schema_object (properties, name) : NULL;

      /* The API server validates a resource's metadata itself, as ObjectMeta. */
      if (v->object_meta != NULL && *path == '\0' && g_str_equal (name, "metadata"))
        validate (v, v->object_meta, member, member_p);
      else if (sub != NULL)
        validate (v, sub, member, member_p);
      else if (additional != NULL && JSON_NODE_HOLDS_OBJECT (additional))
        validate (v, json_node_get_object (additional), member, member_p);
      else if (preserve || v->in_branch ||
               (additional != NULL && JSON_NODE_HOLDS_VALUE (additional) &&
                json_node_get_boolean (additional)))
        continue;
      else
        add_error (v, member_p, "unknown field");
    }
}

/* Validates @value against each schema of @branches, counting the ones it satisfies. */
static guint
count_branches (Validator  *v,
                JsonArray  *branches,
                JsonNode   *value,
                const char *path,
                GPtrArray  *first_errors)
{
  guint matched = 0;

  for (guint i = 0; i < json_array_get_length (branches); i++)
    {
      JsonNode *branch = json_array_get_element (branches, i);
      Validator sub = { g_ptr_array_new_with_free_func (g_free), v->regexes, NULL, TRUE };

      if (!JSON_NODE_HOLDS_OBJECT (branch))
        {
          add_error (v, path, "the schema has a combinator branch that is not a schema");
          g_ptr_array_unref (sub.errors);
          continue;
        }
      validate (&sub, json_node_get_object (branch), value, path);
      if (sub.errors->len == 0)
        matched++;
      else if (first_errors != NULL && first_errors->len == 0)
        for (guint e = 0; e < sub.errors->len; e++)
          g_ptr_array_add (first_errors, g_strdup (g_ptr_array_index (sub.errors, e)));
      g_ptr_array_unref (sub.errors);
    }

  return matched;
}

static void
check_combinators (Validator  *v,
                   JsonObject *schema,
                   JsonNode   *value,
                   const char *path)
{
  JsonArray *any_of = schema_array (schema, "anyOf");
  JsonArray *all_of = schema_array (schema, "allOf");
  JsonArray *one_of = schema_array (schema, "oneOf");

  if (any_of != NULL && count_branches (v, any_of, value, path, NULL) == 0)
    add_error (v, path, "%s matches none of the anyOf schemas", kind_of (value));

  if (all_of != NULL)
    {
      g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
      guint matched = count_branches (v, all_of, value, path, errors);

      if (matched < json_array_get_length (all_of))
        for (guint e = 0; e < errors->len; e++)
          g_ptr_array_add (v->errors, g_strdup (g_ptr_array_index (errors, e)));
    }

  if (one_of != NULL)
    {
      guint matched = count_branches (v, one_of, value, path, NULL);

      if (matched != 1)
        add_error (v, path, "%s matches %u of the oneOf schemas, not exactly one",
                   kind_of (value), matched);
    }
}

static void
validate (Validator  *v,
          JsonObject *schema,
          JsonNode   *value,
          const char *path)
{
  const char *type = schema_string (schema, "type");
  JsonArray *enum_values = schema_array (schema, "enum");

  if (JSON_NODE_HOLDS_NULL (value))
    {
      if (!schema_bool (schema, "nullable"))
        add_error (v, path, "null, but the schema is not nullable");
      return;
    }

  if (schema_bool (schema, "x-kubernetes-int-or-string"))
    {
      if (!is_integer (value) && !is_string (value))
        {
          add_error (v, path, "expected an integer or a string, got %s", kind_of (value));
          return;
        }
    }
  else if (type != NULL)
    {
      gboolean known;

      if (!type_matches (type, value, &known))
        {
          if (known)
            add_error (v, path, "expected %s, got %s", type, kind_of (value));
          else
            add_error (v, path, "the schema has an unsupported type \"%s\"", type);
          return;
        }
    }

  if (enum_values != NULL)
    {
      gboolean found = FALSE;

      for (guint i = 0; !found && i < json_array_get_length (enum_values); i++)
        found = json_node_equal (json_array_get_element (enum_values, i), value);
      if (!found)
        {
          g_autofree char *text = node_to_text (value);
          g_autofree char *allowed = node_to_text (json_object_get_member (schema, "enum"));

          add_error (v, path, "%s is not one of %s", text, allowed);
        }
    }

  if (is_number (value))
    check_number (v, schema, value, path);
  else if (is_string (value))
    check_string (v, schema, value, path);
  else if (JSON_NODE_HOLDS_ARRAY (value))
    check_array (v, schema, json_node_get_array (value), path);
  else if (JSON_NODE_HOLDS_OBJECT (value))
    check_object (v, schema, json_node_get_object (value), path);

  check_combinators (v, schema, value, path);
}

GPtrArray *
dr_openapi_validate (JsonNode               *schema,
                     JsonNode               *value,
                     DrOpenapiValidateFlags  flags)
{
  g_autoptr(JsonParser) meta_parser = NULL;
  Validator v = { 0, };

  g_return_val_if_fail (schema != NULL && JSON_NODE_HOLDS_OBJECT (schema), NULL);
  g_return_val_if_fail (value != NULL, NULL);

  v.errors = g_ptr_array_new_with_free_func (g_free);
  v.regexes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) g_regex_unref);

  if (flags & DR_OPENAPI_VALIDATE_OBJECT_ROOT)
    {
      g_autoptr(GError) error = NULL;

      meta_parser = json_parser_new ();
      json_parser_load_from_data (meta_parser, object_meta_schema_json, -1, &error);
      g_assert_no_error (error);
      v.object_meta = json_node_get_object (json_parser_get_root (meta_parser));
    }

  validate (&v, json_node_get_object (schema), value, "");

  g_hash_table_unref (v.regexes);
  return v.errors;
}

JsonNode *
dr_openapi_crd_schema (JsonNode   *crd,
                       const char *version)
{
  JsonObject *spec;
  JsonArray *versions;

  g_return_val_if_fail (crd != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (crd) ||
      (spec = schema_object (json_node_get_object (crd), "spec")) == NULL ||
      (versions = schema_array (spec, "versions")) == NULL)
    return NULL;

  for (guint i = 0; i < json_array_get_length (versions); i++)
    {
      JsonNode *entry = json_array_get_element (versions, i);
      JsonObject *schema;

      if (!JSON_NODE_HOLDS_OBJECT (entry))
        continue;
      if (version != NULL &&
          g_strcmp0 (schema_string (json_node_get_object (entry), "name"), version) != 0)
        continue;
      schema = schema_object (json_node_get_object (entry), "schema");
      return schema ? json_object_get_member (schema, "openAPIV3Schema") : NULL;
    }

  return NULL;
}

JsonNode *
dr_openapi_subschema (JsonNode *schema,
                      ...)
{
  JsonNode *node = schema;
  const char *name;
  va_list args;

  va_start (args, schema);
  while (node != NULL && (name = va_arg (args, const char *)) != NULL)
    {
      JsonObject *properties;

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          (properties = schema_object (json_node_get_object (node), "properties")) == NULL)
        node = NULL;
      else
        node = json_object_get_member (properties, name);
    }
  va_end (args);

  return node;
}

char *
dr_openapi_format_errors (GPtrArray *errors)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; errors != NULL && i < errors->len; i++)
    g_string_append_printf (out, "%s\n", (const char *) g_ptr_array_index (errors, i));
  return g_string_free (out, FALSE);
}
