/* test-openapi-validate.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The schema validator the render tests trust: every rule must reject what it exists to
 * reject, with the JSON path of the offending value. A validator that cannot fail proves
 * nothing.
 */
#include "config.h"

#include "dr-openapi-validate.h"
#include "dr-test-utils.h"

/* JSON written with ' instead of " so the tables stay readable. */
static JsonNode *
parse (const char *text)
{
  g_autofree char *json = g_strdup (text);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_strdelimit (json, "'", '"');
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Validates @value against @schema and asserts the exact list of errors (NULL-terminated;
 * none means valid). */
static void G_GNUC_NULL_TERMINATED
expect (const char             *schema,
        const char             *value,
        DrOpenapiValidateFlags  flags,
        ...)
{
  g_autoptr(JsonNode) schema_node = parse (schema);
  g_autoptr(JsonNode) value_node = parse (value);
  g_autoptr(GPtrArray) errors = dr_openapi_validate (schema_node, value_node, flags);
  g_autofree char *got = dr_openapi_format_errors (errors);
  g_autoptr(GString) want = g_string_new (NULL);
  const char *line;
  va_list args;

  va_start (args, flags);
  while ((line = va_arg (args, const char *)) != NULL)
    g_string_append_printf (want, "%s\n", line);
  va_end (args);

  g_assert_cmpstr (got, ==, want->str);
}

static void
test_types (void)
{
  expect ("{'type':'object'}", "{}", 0, NULL);
  expect ("{'type':'object'}", "[]", 0, ".: expected object, got array", NULL);
  expect ("{'type':'array'}", "{}", 0, ".: expected array, got object", NULL);
  expect ("{'type':'string'}", "1", 0, ".: expected string, got integer", NULL);
  expect ("{'type':'integer'}", "'1'", 0, ".: expected integer, got string", NULL);
  /* 1.5 and even 1.0 are floats to the API server, never integers. */
  expect ("{'type':'integer'}", "1.5", 0, ".: expected integer, got number", NULL);
  expect ("{'type':'integer'}", "1.0", 0, ".: expected integer, got number", NULL);
  expect ("{'type':'number'}", "1", 0, NULL);
  expect ("{'type':'number'}", "1.5", 0, NULL);
  expect ("{'type':'number'}", "true", 0, ".: expected number, got boolean", NULL);
  expect ("{'type':'boolean'}", "'true'", 0, ".: expected boolean, got string", NULL);
  expect ("{'type':'boolean'}", "false", 0, NULL);
  expect ("{'type':'date'}", "'x'", 0, ".: the schema has an unsupported type \"date\"", NULL);
}

static void
test_nullable (void)
{
  expect ("{'type':'string'}", "null", 0, ".: null, but the schema is not nullable", NULL);
  expect ("{'type':'string','nullable':true}", "null", 0, NULL);
  expect ("{'type':'object','properties':{'a':{'type':'string'}}}", "{'a':null}", 0,
          ".a: null, but the schema is not nullable", NULL);
}

static void
test_required (void)
{
  const char *schema = "{'type':'object','required':['a','b'],"
                       "'properties':{'a':{'type':'string'},'b':{'type':'string'}}}";

  expect (schema, "{'a':'x','b':'y'}", 0, NULL);
  expect (schema, "{'a':'x'}", 0, ".b: required field missing", NULL);
  expect (schema, "{}", 0, ".a: required field missing", ".b: required field missing", NULL);
}

static void
test_enum (void)
{
  const char *schema = "{'type':'string','enum':['Never','Always']}";

  expect (schema, "'Never'", 0, NULL);
  expect (schema, "'never'", 0, ".: \"never\" is not one of [\"Never\",\"Always\"]", NULL);
  expect ("{'type':'integer','enum':[1,2]}", "3", 0, ".: 3 is not one of [1,2]", NULL);
}

static void
test_minimum_maximum (void)
{
  const char *schema = "{'type':'integer','minimum':0,'maximum':10}";

  expect (schema, "0", 0, NULL);
  expect (schema, "10", 0, NULL);
  expect (schema, "-1", 0, ".: -1 is below the minimum 0", NULL);
  expect (schema, "11", 0, ".: 11 is above the maximum 10", NULL);
  expect ("{'type':'integer','minimum':0,'exclusiveMinimum':true}", "0", 0,
          ".: 0 is below the minimum 0 (exclusive)", NULL);
  expect ("{'type':'number','maximum':1.5,'exclusiveMaximum':true}", "1.5", 0,
          ".: 1.5 is above the maximum 1.5 (exclusive)", NULL);
}

static void
test_formats (void)
{
  const char *int32 = "{'type':'integer','format':'int32'}";

  expect (int32, "2147483647", 0, NULL);
  expect (int32, "-2147483648", 0, NULL);
  expect (int32, "2147483648", 0, ".: 2147483648 is out of the int32 range", NULL);
  expect (int32, "-2147483649", 0, ".: -2147483649 is out of the int32 range", NULL);
  expect ("{'type':'integer','format':'int64'}", "9007199254740993", 0, NULL);
  expect ("{'type':'number','format':'int64'}", "1.5", 0,
          ".: format int64 needs an integer, got number", NULL);
}

static void
test_strings (void)
{
  const char *schema = "{'type':'string','minLength':2,'maxLength':4,'pattern':'^[a-z]+$'}";

  expect (schema, "'abc'", 0, NULL);
  expect (schema, "'a'", 0, ".: \"a\" is shorter than 2 characters", NULL);
  expect (schema, "'abcde'", 0, ".: \"abcde\" is longer than 4 characters", NULL);
  expect (schema, "'aB'", 0, ".: \"aB\" does not match the pattern ^[a-z]+$", NULL);
}

static void
test_unknown_fields (void)
{
  const char *schema = "{'type':'object','properties':{'a':{'type':'string'}}}";

  expect (schema, "{'a':'x'}", 0, NULL);
  expect (schema, "{'a':'x','b':1}", 0, ".b: unknown field", NULL);
  /* An object schema without properties prunes everything: every member is unknown. */
  expect ("{'type':'object'}", "{'x':1}", 0, ".x: unknown field", NULL);
  expect ("{'type':'object','x-kubernetes-preserve-unknown-fields':true,"
          "'properties':{'a':{'type':'string'}}}", "{'a':'x','b':{'c':1}}", 0, NULL);
  /* Known fields are still checked when unknown ones are preserved. */
  expect ("{'type':'object','x-kubernetes-preserve-unknown-fields':true,"
          "'properties':{'a':{'type':'string'}}}", "{'a':1}", 0,
          ".a: expected string, got integer", NULL);
}

static void
test_additional_properties (void)
{
  const char *map = "{'type':'object','additionalProperties':{'type':'string'}}";

  expect (map, "{'k':'v','l':'w'}", 0, NULL);
  expect (map, "{'k':'v','l':2}", 0, ".l: expected string, got integer", NULL);
  expect ("{'type':'object','additionalProperties':true}", "{'k':[1]}", 0, NULL);
  expect ("{'type':'object','additionalProperties':false}", "{'k':1}", 0,
          ".k: unknown field", NULL);
  /* Keys that are not identifiers (label keys) are quoted in the path. */
  expect (map, "{'app.kubernetes.io/name':3}", 0,
          "[\"app.kubernetes.io/name\"]: expected string, got integer", NULL);
}

static void
test_items (void)
{
  const char *schema = "{'type':'array','minItems':1,'maxItems':3,'items':{'type':'string'}}";

  expect (schema, "['a','b']", 0, NULL);
  expect (schema, "['a',2,'c',true]", 0, ".: 4 items, more than 3",
          "[1]: expected string, got integer", "[3]: expected string, got boolean", NULL);
  expect (schema, "[]", 0, ".: 0 items, fewer than 1", NULL);
}

static void
test_list_types (void)
{
  const char *map = "{'type':'array','x-kubernetes-list-type':'map',"
                    "'x-kubernetes-list-map-keys':['name'],"
                    "'items':{'type':'object','properties':{'name':{'type':'string'},"
                    "'value':{'type':'string'}}}}";
  const char *set = "{'type':'array','x-kubernetes-list-type':'set','items':{'type':'string'}}";

  expect (map, "[{'name':'A','value':'1'},{'name':'B','value':'1'}]", 0, NULL);
  expect (map, "[{'name':'A','value':'1'},{'name':'A','value':'2'}]", 0,
          "[1]: duplicate entry (name=\"A\") in a list of type map", NULL);
  expect (set, "['a','b']", 0, NULL);
  expect (set, "['a','b','a']", 0, "[2]: duplicate entry (\"a\") in a list of type set", NULL);
  /* atomic lists may repeat */
  expect ("{'type':'array','x-kubernetes-list-type':'atomic','items':{'type':'string'}}",
          "['a','a']", 0, NULL);
}

static void
test_int_or_string (void)
{
  const char *schema = "{'anyOf':[{'type':'integer'},{'type':'string'}],"
                       "'x-kubernetes-int-or-string':true,"
                       "'pattern':'^[0-9]+(Gi|Mi)?$'}";

  expect (schema, "1", 0, NULL);
  expect (schema, "'1Gi'", 0, NULL);
  expect (schema, "'1 GB'", 0, ".: \"1 GB\" does not match the pattern ^[0-9]+(Gi|Mi)?$",
          NULL);
  expect (schema, "true", 0, ".: expected an integer or a string, got boolean", NULL);
  expect (schema, "1.5", 0, ".: expected an integer or a string, got number", NULL);
}

static void
test_combinators (void)
{
  expect ("{'anyOf':[{'type':'integer'},{'type':'boolean'}]}", "'x'", 0,
          ".: string matches none of the anyOf schemas", NULL);
  expect ("{'oneOf':[{'type':'integer'},{'type':'number'}]}", "1", 0,
          ".: integer matches 2 of the oneOf schemas, not exactly one", NULL);
  expect ("{'oneOf':[{'type':'integer'},{'type':'string'}]}", "1", 0, NULL);
  expect ("{'allOf':[{'type':'integer'},{'minimum':5}]}", "3", 0,
          ".: 3 is below the minimum 5", NULL);
}

/* Several violations at several depths, each reported with its own path. */
static void
test_nested_paths (void)
{
  const char *schema =
    "{'type':'object','properties':{'spec':{'type':'object','required':['template'],"
    "'properties':{'template':{'type':'object','properties':{'spec':{'type':'object',"
    "'properties':{'containers':{'type':'array','items':{'type':'object','required':['name'],"
    "'properties':{'name':{'type':'string'},'image':{'type':'string'}}}}}}}},"
    "'minRunners':{'type':'integer','minimum':0}}}}}";

  expect (schema,
          "{'spec':{'minRunners':-1,'template':{'spec':{'containers':["
          "{'name':'runner','foo':1},{'image':'x'}]}}}}", 0,
          ".spec.minRunners: -1 is below the minimum 0",
          ".spec.template.spec.containers[0].foo: unknown field",
          ".spec.template.spec.containers[1].name: required field missing", NULL);
}

static void
test_object_root (void)
{
  const char *schema = "{'type':'object','properties':{'kind':{'type':'string'},"
                       "'metadata':{'type':'object'}}}";
  g_autofree char *long_value = g_strnfill (64, 'a');
  g_autofree char *object = g_strdup_printf ("{'kind':'X','metadata':{'name':'ok',"
                                             "'labels':{'v':'%s'}}}", long_value);
  g_autofree char *too_long = g_strdup_printf (".metadata.labels.v: \"%s\" is longer than "
                                               "63 characters", long_value);

  /* A CRD says only `metadata: {type: object}`: without the flag, that prunes everything. */
  expect (schema, "{'kind':'X','metadata':{'name':'ok'}}", 0,
          ".metadata.name: unknown field", NULL);
  expect (schema, "{'kind':'X','metadata':{'name':'ok','namespace':'arc-runners',"
          "'labels':{'a.b/c':'v-1'},'annotations':{'k':'any thing'},"
          "'finalizers':['x/y']}}", DR_OPENAPI_VALIDATE_OBJECT_ROOT, NULL);
  expect (schema, "{'kind':'X','metadata':{'name':'Not_Valid'}}",
          DR_OPENAPI_VALIDATE_OBJECT_ROOT,
          ".metadata.name: \"Not_Valid\" does not match the pattern "
          "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", NULL);
  expect (schema, object, DR_OPENAPI_VALIDATE_OBJECT_ROOT, too_long, NULL);
  expect (schema, "{'kind':'X','metadata':{'name':'ok','labels':{'v':'-x'},'bogus':1,"
          "'finalizers':['a','a']}}", DR_OPENAPI_VALIDATE_OBJECT_ROOT,
          ".metadata.labels.v: \"-x\" does not match the pattern "
          "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$",
          ".metadata.bogus: unknown field",
          ".metadata.finalizers[1]: duplicate entry (\"a\") in a list of type set", NULL);
}

static void
test_crd_lookup (void)
{
  g_autoptr(JsonNode) crd = parse ("{'spec':{'versions':[{'name':'v1alpha1','schema':"
                                   "{'openAPIV3Schema':{'type':'object','properties':{'spec':"
                                   "{'type':'object','properties':{'template':{'type':'object',"
                                   "'properties':{'spec':{'type':'string'}}}}}}}}}]}}");
  JsonNode *schema = dr_openapi_crd_schema (crd, NULL);
  JsonNode *leaf;

  g_assert_nonnull (schema);
  g_assert_true (dr_openapi_crd_schema (crd, "v1alpha1") == schema);
  g_assert_null (dr_openapi_crd_schema (crd, "v2"));
  leaf = dr_openapi_subschema (schema, "spec", "template", "spec", NULL);
  g_assert_nonnull (leaf);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (leaf), "type"), ==,
                   "string");
  g_assert_null (dr_openapi_subschema (schema, "spec", "nope", NULL));
}

int
main (int   argc,
      char *argv[])
{
  dr_test_init (&argc, &argv);

  g_test_add_func ("/deskrun/openapi-validate/types", test_types);
  g_test_add_func ("/deskrun/openapi-validate/nullable", test_nullable);
  g_test_add_func ("/deskrun/openapi-validate/required", test_required);
  g_test_add_func ("/deskrun/openapi-validate/enum", test_enum);
  g_test_add_func ("/deskrun/openapi-validate/minimum-maximum", test_minimum_maximum);
  g_test_add_func ("/deskrun/openapi-validate/formats", test_formats);
  g_test_add_func ("/deskrun/openapi-validate/strings", test_strings);
  g_test_add_func ("/deskrun/openapi-validate/unknown-fields", test_unknown_fields);
  g_test_add_func ("/deskrun/openapi-validate/additional-properties",
                   test_additional_properties);
  g_test_add_func ("/deskrun/openapi-validate/items", test_items);
  g_test_add_func ("/deskrun/openapi-validate/list-types", test_list_types);
  g_test_add_func ("/deskrun/openapi-validate/int-or-string", test_int_or_string);
  g_test_add_func ("/deskrun/openapi-validate/combinators", test_combinators);
  g_test_add_func ("/deskrun/openapi-validate/nested-paths", test_nested_paths);
  g_test_add_func ("/deskrun/openapi-validate/object-root", test_object_root);
  g_test_add_func ("/deskrun/openapi-validate/crd-lookup", test_crd_lookup);

  return g_test_run ();
}
