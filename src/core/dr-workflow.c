/* dr-workflow.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads a workflow with libyaml's document API: the loader resolves anchors and aliases to
 * shared nodes and keeps every node's mark, so each message can name a line and column.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdarg.h>
#include <string.h>
#include <yaml.h>

#include "dr-error.h"
#include "dr-workflow.h"

/* An alias shares its node, so walking a few lines of aliases can visit billions of nodes,
 * and an alias inside its own anchor loops. Every walk charges a budget far above any real
 * workflow and stops at a depth no workflow reaches. */
#define NODE_BUDGET (1 << 20)
#define MAX_DEPTH 128

struct _DrWorkflow
{
  grefcount  ref_count;
  char      *file_name;
  char      *name;
  GPtrArray *triggers;         /* utf8, NULL-terminated for get_triggers */
  GPtrArray *dispatch_inputs;  /* DrWorkflowInput */
  GPtrArray *call_inputs;      /* DrWorkflowInput */
  GPtrArray *jobs;             /* DrWorkflowJob */
};

G_DEFINE_BOXED_TYPE (DrWorkflow, dr_workflow, dr_workflow_ref, dr_workflow_unref)

typedef struct
{
  const char      *file_name;
  yaml_document_t  doc;
  gsize            budget;
} Reader;

static void
input_free (gpointer data)
{
  DrWorkflowInput *input = data;

  g_free (input->name);
  g_free (input->description);
  g_free (input->default_value);
  g_strfreev (input->options);
  g_free (input);
}

static void
job_free (gpointer data)
{
  DrWorkflowJob *job = data;

  g_free (job->id);
  g_free (job->name);
  g_clear_pointer (&job->runs_on, json_node_unref);
  g_free (job->uses);
  g_clear_pointer (&job->with, json_object_unref);
  g_clear_pointer (&job->matrix, json_node_unref);
  g_free (job->error);
  g_free (job);
}

DrWorkflow *
dr_workflow_ref (DrWorkflow *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_ref_count_inc (&self->ref_count);
  return self;
}

void
dr_workflow_unref (DrWorkflow *self)
{
  g_return_if_fail (self != NULL);

  if (!g_ref_count_dec (&self->ref_count))
    return;
  g_free (self->file_name);
  g_free (self->name);
  g_ptr_array_unref (self->triggers);
  g_ptr_array_unref (self->dispatch_inputs);
  g_ptr_array_unref (self->call_inputs);
  g_ptr_array_unref (self->jobs);
  g_free (self);
}

/* Messages */

static char *
message_at (const char        *file_name,
            const yaml_mark_t *mark,
            const char        *format,
            va_list            args) G_GNUC_PRINTF (3, 0);

static char *
message_at (const char        *file_name,
            const yaml_mark_t *mark,
            const char        *format,
            va_list            args)
{
  g_autofree char *text = g_strdup_vprintf (format, args);

  return g_strdup_printf ("%s:%zu:%zu: %s", file_name,
                          (size_t) mark->line + 1, (size_t) mark->column + 1, text);
}

static gboolean
fail_at (Reader            *r,
         const yaml_node_t *node,
         GError           **error,
         const char        *format,
         ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail_at (Reader            *r,
         const yaml_node_t *node,
         GError           **error,
         const char        *format,
         ...)
{
  va_list args;
  yaml_mark_t start = { 0, 0, 0 };
  char *message;

  va_start (args, format);
  message = message_at (r->file_name, node != NULL ? &node->start_mark : &start, format, args);
  va_end (args);
  g_set_error_literal (error, DR_ERROR, DR_ERROR_INVALID, message);
  g_free (message);
  return FALSE;
}

static char *
job_error_at (Reader            *r,
              const yaml_node_t *node,
              const char        *format,
              ...) G_GNUC_PRINTF (3, 4);

static char *
job_error_at (Reader            *r,
              const yaml_node_t *node,
              const char        *format,
              ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = message_at (r->file_name, &node->start_mark, format, args);
  va_end (args);
  return message;
}

/* Nodes */

static yaml_node_t *
node_get (Reader *r,
          int     index)
{
  return yaml_document_get_node (&r->doc, index);
}

static const char *
scalar (const yaml_node_t *node)
{
  if (node == NULL || node->type != YAML_SCALAR_NODE)
    return NULL;
  return (const char *) node->data.scalar.value;
}

static gboolean
is_null (const yaml_node_t *node)
{
  const char *text = scalar (node);

  if (text == NULL || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
    return FALSE;
  return *text == '\0' || g_str_equal (text, "~") || g_str_equal (text, "null") ||
         g_str_equal (text, "Null") || g_str_equal (text, "NULL");
}

static gboolean
is_mapping (const yaml_node_t *node)
{
  return node != NULL && node->type == YAML_MAPPING_NODE;
}

static gboolean
is_sequence (const yaml_node_t *node)
{
  return node != NULL && node->type == YAML_SEQUENCE_NODE;
}

/* The value of KEY in MAPPING (first match), or NULL; OUT_KEY gets the key node. */
static yaml_node_t *
lookup (Reader       *r,
        yaml_node_t  *mapping,
        const char   *key,
        yaml_node_t **out_key)
{
  if (!is_mapping (mapping))
    return NULL;
  for (yaml_node_pair_t *pair = mapping->data.mapping.pairs.start;
       pair < mapping->data.mapping.pairs.top; pair++)
    {
      yaml_node_t *k = node_get (r, pair->key);

      if (g_strcmp0 (scalar (k), key) == 0)
        {
          if (out_key != NULL)
            *out_key = k;
          return node_get (r, pair->value);
        }
    }
  return NULL;
}

static gboolean
charge (Reader            *r,
        const yaml_node_t *node,
        guint              depth,
        GError           **error)
{
  if (depth > MAX_DEPTH)
    return fail_at (r, node, error, _("The YAML nests deeper than %d levels (an alias inside "
                                      "its own anchor?)"), MAX_DEPTH);
  if (r->budget == 0)
    return fail_at (r, node, error, _("The YAML expands to too many nodes (aliases repeated "
                                      "too often)"));
  r->budget--;
  return TRUE;
}

/* GitHub rejects a mapping that repeats a key; so does deskrun, everywhere in the file, so
 * that what it reports is what GitHub runs. Merge keys ("<<") are not YAML GitHub accepts. */
static gboolean
check_tree (Reader      *r,
            yaml_node_t *node,
            guint        depth,
            GError     **error)
{
  if (!charge (r, node, depth, error))
    return FALSE;

  if (node->type == YAML_SEQUENCE_NODE)
    {
      for (yaml_node_item_t *item = node->data.sequence.items.start;
           item < node->data.sequence.items.top; item++)
        if (!check_tree (r, node_get (r, *item), depth + 1, error))
          return FALSE;
    }
  else if (node->type == YAML_MAPPING_NODE)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      for (yaml_node_pair_t *pair = node->data.mapping.pairs.start;
           pair < node->data.mapping.pairs.top; pair++)
        {
          yaml_node_t *key = node_get (r, pair->key);
          const char *text = scalar (key);

          if (text == NULL)
            return fail_at (r, key, error, _("A key must be a plain string, not a list or a "
                                             "mapping"));
          if (g_str_equal (text, "<<") && key->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
            return fail_at (r, key, error, _("GitHub Actions does not support YAML merge keys "
                                             "(“<<”); repeat the keys or use an alias for the "
                                             "whole value"));
          if (!g_hash_table_add (seen, (gpointer) text))
            return fail_at (r, key, error, _("“%s” is already defined in this mapping"), text);
          if (!check_tree (r, node_get (r, pair->value), depth + 1, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* The subtree as JSON: every scalar a string (as written), plain nulls null. */
static JsonNode *
to_json (Reader      *r,
         yaml_node_t *node,
         guint        depth,
         GError     **error)
{
  if (!charge (r, node, depth, error))
    return NULL;

  switch (node->type)
    {
    case YAML_SCALAR_NODE:
      if (is_null (node))
        return json_node_new (JSON_NODE_NULL);
      return json_node_init_string (json_node_alloc (), scalar (node));

    case YAML_SEQUENCE_NODE:
      {
        g_autoptr(JsonArray) array = json_array_new ();

        for (yaml_node_item_t *item = node->data.sequence.items.start;
             item < node->data.sequence.items.top; item++)
          {
            JsonNode *child = to_json (r, node_get (r, *item), depth + 1, error);

            if (child == NULL)
              return NULL;
            json_array_add_element (array, child);
          }
        return json_node_init_array (json_node_alloc (), array);
      }

    case YAML_MAPPING_NODE:
      {
        g_autoptr(JsonObject) object = json_object_new ();

        for (yaml_node_pair_t *pair = node->data.mapping.pairs.start;
             pair < node->data.mapping.pairs.top; pair++)
          {
            const char *key = scalar (node_get (r, pair->key));
            JsonNode *child;

            if (key == NULL)
              {
                fail_at (r, node_get (r, pair->key), error, _("A key must be a plain string"));
                return NULL;
              }
            child = to_json (r, node_get (r, pair->value), depth + 1, error);
            if (child == NULL)
              return NULL;
            json_object_set_member (object, key, child);
          }
        return json_node_init_object (json_node_alloc (), object);
      }

    case YAML_NO_NODE:
    default:
      fail_at (r, node, error, _("Unexpected YAML node"));
      return NULL;
    }
}

static gboolean
parse_bool (Reader      *r,
            yaml_node_t *node,
            const char  *what,
            gboolean    *out,
            GError     **error)
{
  const char *text = scalar (node);

  if (text != NULL && (g_str_equal (text, "true") || g_str_equal (text, "True") ||
                       g_str_equal (text, "TRUE")))
    *out = TRUE;
  else if (text != NULL && (g_str_equal (text, "false") || g_str_equal (text, "False") ||
                            g_str_equal (text, "FALSE")))
    *out = FALSE;
  else
    return fail_at (r, node, error, _("%s must be true or false"), what);
  return TRUE;
}

static gboolean
is_number (const char *text)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0';
}

/* Triggers and inputs */

static gboolean
parse_inputs (Reader      *r,
              yaml_node_t *inputs,
              gboolean     dispatch,
              GPtrArray   *out,
              GError     **error)
{
  if (inputs == NULL || is_null (inputs))
    return TRUE;
  if (!is_mapping (inputs))
    return fail_at (r, inputs, error, _("inputs must be a mapping of input names to their "
                                        "settings"));

  for (yaml_node_pair_t *pair = inputs->data.mapping.pairs.start;
       pair < inputs->data.mapping.pairs.top; pair++)
    {
      yaml_node_t *key = node_get (r, pair->key);
      yaml_node_t *value = node_get (r, pair->value);
      yaml_node_t *type_node, *node;
      g_autoptr(GPtrArray) options = NULL;
      DrWorkflowInput *input;
      const char *type_text = "string";

      if (!is_null (value) && !is_mapping (value))
        return fail_at (r, value, error, _("Input “%s” must be a mapping (description, type, "
                                           "required, default)"), scalar (key));

      input = g_new0 (DrWorkflowInput, 1);
      input->name = g_strdup (scalar (key));
      input->line = key->start_mark.line + 1;
      input->column = key->start_mark.column + 1;
      g_ptr_array_add (out, input);

      type_node = lookup (r, value, "type", NULL);
      if (type_node != NULL && !is_null (type_node))
        {
          type_text = scalar (type_node);
          if (type_text == NULL)
            return fail_at (r, type_node, error, _("The type of input “%s” must be a word"),
                            input->name);
        }
      if (g_str_equal (type_text, "string"))
        input->type = DR_WORKFLOW_INPUT_STRING;
      else if (g_str_equal (type_text, "boolean"))
        input->type = DR_WORKFLOW_INPUT_BOOLEAN;
      else if (g_str_equal (type_text, "number"))
        input->type = DR_WORKFLOW_INPUT_NUMBER;
      else if (dispatch && g_str_equal (type_text, "choice"))
        input->type = DR_WORKFLOW_INPUT_CHOICE;
      else if (dispatch && g_str_equal (type_text, "environment"))
        input->type = DR_WORKFLOW_INPUT_ENVIRONMENT;
      else if (dispatch)
        return fail_at (r, type_node, error, _("Input “%s” has type “%s”; a workflow_dispatch "
                                               "input is a string, boolean, choice, number or "
                                               "environment"), input->name, type_text);
      else
        return fail_at (r, type_node, error, _("Input “%s” has type “%s”; a workflow_call "
                                               "input is a string, boolean or number"),
                        input->name, type_text);

      node = lookup (r, value, "description", NULL);
      if (node != NULL && !is_null (node))
        {
          if (scalar (node) == NULL)
            return fail_at (r, node, error, _("The description of input “%s” must be text"),
                            input->name);
          input->description = g_strdup (scalar (node));
        }

      node = lookup (r, value, "required", NULL);
      if (node != NULL && !is_null (node) &&
          !parse_bool (r, node, "required", &input->required, error))
        return FALSE;

      node = lookup (r, value, "options", NULL);
      if (input->type == DR_WORKFLOW_INPUT_CHOICE)
        {
          if (!is_sequence (node) || node->data.sequence.items.top ==
                                     node->data.sequence.items.start)
            return fail_at (r, node != NULL ? node : key, error,
                            _("Choice input “%s” needs options: a list of the values to "
                              "choose from"), input->name);
          options = g_ptr_array_new_with_free_func (g_free);
          for (yaml_node_item_t *item = node->data.sequence.items.start;
               item < node->data.sequence.items.top; item++)
            {
              yaml_node_t *option = node_get (r, *item);

              if (scalar (option) == NULL)
                return fail_at (r, option, error, _("Each option of input “%s” must be a "
                                                    "single value"), input->name);
              g_ptr_array_add (options, g_strdup (scalar (option)));
            }
          g_ptr_array_add (options, NULL);
          input->options = (GStrv) g_ptr_array_free (g_steal_pointer (&options), FALSE);
        }
      else if (node != NULL)
        return fail_at (r, node, error, _("Only a choice input has options; input “%s” is a "
                                          "%s"), input->name, type_text);

      node = lookup (r, value, "default", NULL);
      if (node != NULL && !is_null (node))
        {
          const char *text = scalar (node);
          gboolean b;

          if (text == NULL)
            return fail_at (r, node, error, _("The default of input “%s” must be a single "
                                              "value"), input->name);
          if (input->type == DR_WORKFLOW_INPUT_BOOLEAN &&
              !parse_bool (r, node, "A boolean input's default", &b, error))
            return FALSE;
          if (input->type == DR_WORKFLOW_INPUT_NUMBER && !is_number (text))
            return fail_at (r, node, error, _("The default of number input “%s” is “%s”, "
                                              "which is not a number"), input->name, text);
          if (input->type == DR_WORKFLOW_INPUT_CHOICE &&
              !g_strv_contains ((const char * const *) input->options, text))
            return fail_at (r, node, error, _("The default of choice input “%s” is “%s”, "
                                              "which is not one of its options"),
                            input->name, text);
          input->default_value = g_strdup (text);
        }
    }
  return TRUE;
}

static gboolean
add_trigger (Reader      *r,
             DrWorkflow  *self,
             yaml_node_t *node,
             GError     **error)
{
  const char *event = scalar (node);

  if (event == NULL || *event == '\0')
    return fail_at (r, node, error, _("An event under on: must be a name such as push or "
                                      "workflow_dispatch"));
  g_ptr_array_insert (self->triggers, self->triggers->len - 1, g_strdup (event));
  return TRUE;
}

static gboolean
parse_on (Reader      *r,
          DrWorkflow  *self,
          yaml_node_t *on,
          GError     **error)
{
  if (on->type == YAML_SCALAR_NODE)
    return add_trigger (r, self, on, error);

  if (on->type == YAML_SEQUENCE_NODE)
    {
      for (yaml_node_item_t *item = on->data.sequence.items.start;
           item < on->data.sequence.items.top; item++)
        if (!add_trigger (r, self, node_get (r, *item), error))
          return FALSE;
      if (self->triggers->len == 1)
        return fail_at (r, on, error, _("on: lists no events"));
      return TRUE;
    }

  for (yaml_node_pair_t *pair = on->data.mapping.pairs.start;
       pair < on->data.mapping.pairs.top; pair++)
    {
      yaml_node_t *key = node_get (r, pair->key);
      yaml_node_t *value = node_get (r, pair->value);
      const char *event = scalar (key);
      gboolean dispatch = g_strcmp0 (event, "workflow_dispatch") == 0;
      gboolean call = g_strcmp0 (event, "workflow_call") == 0;

      if (!add_trigger (r, self, key, error))
        return FALSE;
      if ((dispatch || call) && !is_null (value))
        {
          if (!is_mapping (value))
            return fail_at (r, value, error, _("%s: must be empty or a mapping (inputs: …)"),
                            event);
          if (!parse_inputs (r, lookup (r, value, "inputs", NULL), dispatch,
                             dispatch ? self->dispatch_inputs : self->call_inputs, error))
            return FALSE;
        }
    }
  if (self->triggers->len == 1)
    return fail_at (r, on, error, _("on: lists no events"));
  return TRUE;
}

/* Jobs */

static gboolean
valid_job_id (const char *id)
{
  if (id == NULL || !(g_ascii_isalpha (*id) || *id == '_'))
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

/* A key of JOB that a person meant as runs-on: run-on, runs_on, Runs-On, runson… */
static yaml_node_t *
misspelt_runs_on (Reader      *r,
                  yaml_node_t *job)
{
  for (yaml_node_pair_t *pair = job->data.mapping.pairs.start;
       pair < job->data.mapping.pairs.top; pair++)
    {
      yaml_node_t *key = node_get (r, pair->key);
      g_autoptr(GString) folded = g_string_new (NULL);

      for (const char *p = scalar (key); p != NULL && *p != '\0'; p++)
        if (g_ascii_isalpha (*p))
          g_string_append_c (folded, g_ascii_tolower (*p));
      if (g_str_equal (folded->str, "runson") || g_str_equal (folded->str, "runon") ||
          g_str_equal (folded->str, "runsone") || g_str_equal (folded->str, "runningon"))
        return key;
    }
  return NULL;
}

static gboolean
parse_job (Reader        *r,
           yaml_node_t   *key,
           yaml_node_t   *value,
           DrWorkflowJob *job,
           GError       **error)
{
  yaml_node_t *runs_on_key = NULL;
  yaml_node_t *node, *runs_on, *uses;

  job->id = g_strdup (scalar (key));
  job->line = key->start_mark.line + 1;
  job->column = key->start_mark.column + 1;

  if (!valid_job_id (job->id))
    {
      job->error = job_error_at (r, key, _("“%s” is not a valid job id: it must start with a "
                                           "letter or “_” and hold only letters, digits, "
                                           "“-” and “_”"), job->id);
      return TRUE;
    }
  if (!is_mapping (value))
    {
      job->error = job_error_at (r, value, _("Job “%s” must be a mapping (runs-on:, steps:, "
                                             "…)"), job->id);
      return TRUE;
    }

  node = lookup (r, value, "name", NULL);
  if (scalar (node) != NULL && !is_null (node))
    job->name = g_strdup (scalar (node));

  runs_on = lookup (r, value, "runs-on", &runs_on_key);
  uses = lookup (r, value, "uses", NULL);

  if (runs_on != NULL)
    {
      job->runs_on = to_json (r, runs_on, 0, error);
      if (job->runs_on == NULL)
        return FALSE;
      /* The key's mark: an alias's value node sits where its anchor was written. */
      job->runs_on_line = runs_on_key->start_mark.line + 1;
      job->runs_on_column = runs_on_key->start_mark.column + 1;
    }
  if (uses != NULL && !is_null (uses))
    {
      if (scalar (uses) == NULL)
        {
          job->error = job_error_at (r, uses, _("uses: of job “%s” must be the path of a "
                                                "workflow file"), job->id);
          return TRUE;
        }
      job->uses = g_strdup (scalar (uses));
      node = lookup (r, value, "with", NULL);
      if (node != NULL && !is_null (node))
        {
          g_autoptr(JsonNode) with = NULL;

          if (!is_mapping (node))
            {
              job->error = job_error_at (r, node, _("with: of job “%s” must be a mapping of "
                                                    "input names to values"), job->id);
              return TRUE;
            }
          with = to_json (r, node, 0, error);
          if (with == NULL)
            return FALSE;
          job->with = json_node_dup_object (with);
        }
    }

  node = lookup (r, lookup (r, value, "strategy", NULL), "matrix", NULL);
  if (node != NULL && !is_null (node))
    {
      job->matrix = to_json (r, node, 0, error);
      if (job->matrix == NULL)
        return FALSE;
    }

  if (job->runs_on != NULL && job->uses != NULL)
    job->error = job_error_at (r, runs_on_key, _("Job “%s” calls a reusable workflow (uses:), "
                                                 "so it cannot have runs-on: — the called "
                                                 "workflow's jobs choose their runners"),
                               job->id);
  else if (job->runs_on == NULL && job->uses == NULL)
    {
      yaml_node_t *typo = misspelt_runs_on (r, value);

      if (typo != NULL)
        job->error = job_error_at (r, key, _("Job “%s” has neither runs-on: nor uses:, so "
                                             "GitHub cannot run it (“%s:” on line %zu looks "
                                             "like a misspelt runs-on:)"), job->id,
                                   scalar (typo), (size_t) typo->start_mark.line + 1);
      else
        job->error = job_error_at (r, key, _("Job “%s” has neither runs-on: nor uses:, so "
                                             "GitHub cannot run it"), job->id);
    }
  else if (job->runs_on != NULL && JSON_NODE_HOLDS_NULL (job->runs_on))
    job->error = job_error_at (r, runs_on_key, _("runs-on: of job “%s” is empty"), job->id);
  return TRUE;
}

static gboolean
parse_jobs (Reader      *r,
            DrWorkflow  *self,
            yaml_node_t *jobs,
            GError     **error)
{
  if (!is_mapping (jobs))
    return fail_at (r, jobs, error, _("jobs: must be a mapping of job ids to jobs"));
  if (jobs->data.mapping.pairs.top == jobs->data.mapping.pairs.start)
    return fail_at (r, jobs, error, _("jobs: holds no job"));

  for (yaml_node_pair_t *pair = jobs->data.mapping.pairs.start;
       pair < jobs->data.mapping.pairs.top; pair++)
    {
      DrWorkflowJob *job = g_new0 (DrWorkflowJob, 1);

      g_ptr_array_add (self->jobs, job);
      if (!parse_job (r, node_get (r, pair->key), node_get (r, pair->value), job, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
yaml_failed (Reader        *r,
             yaml_parser_t *parser,
             GError       **error)
{
  const char *problem = parser->problem != NULL ? parser->problem : _("invalid YAML");
  yaml_node_t fake = { 0 };

  fake.start_mark = parser->problem_mark;
  if (parser->context != NULL && (parser->context_mark.line != parser->problem_mark.line ||
                                  parser->context_mark.column != parser->problem_mark.column))
    return fail_at (r, &fake, error, _("Not valid YAML: %s %s (from line %zu, column %zu)"),
                    problem, parser->context, (size_t) parser->context_mark.line + 1,
                    (size_t) parser->context_mark.column + 1);
  if (parser->context != NULL)
    return fail_at (r, &fake, error, _("Not valid YAML: %s %s"), problem, parser->context);
  return fail_at (r, &fake, error, _("Not valid YAML: %s"), problem);
}

static gboolean
read_workflow (Reader      *r,
               DrWorkflow  *self,
               GError     **error)
{
  yaml_node_t *root = yaml_document_get_root_node (&r->doc);
  yaml_node_t *node, *key = NULL;

  if (root == NULL)
    return fail_at (r, NULL, error, _("The file is empty; a workflow needs on: and jobs:"));
  if (!check_tree (r, root, 0, error))
    return FALSE;
  r->budget = NODE_BUDGET;
  if (!is_mapping (root))
    return fail_at (r, root, error, _("A workflow must be a mapping with on: and jobs:"));

  node = lookup (r, root, "name", NULL);
  if (node != NULL && !is_null (node))
    {
      if (scalar (node) == NULL)
        return fail_at (r, node, error, _("name: must be text"));
      self->name = g_strdup (scalar (node));
    }

  node = lookup (r, root, "on", &key);
  if (node == NULL)
    return fail_at (r, root, error, _("The workflow has no on: — GitHub needs the events that "
                                      "start it"));
  if (is_null (node))
    return fail_at (r, node, error, _("on: lists no events"));
  if (!parse_on (r, self, node, error))
    return FALSE;

  node = lookup (r, root, "jobs", NULL);
  if (node == NULL)
    return fail_at (r, root, error, _("The workflow has no jobs:"));
  return parse_jobs (r, self, node, error);
}

DrWorkflow *
dr_workflow_parse (const char  *file_name,
                   const char  *text,
                   gssize       length,
                   GError     **error)
{
  g_autoptr(DrWorkflow) self = NULL;
  yaml_parser_t parser;
  yaml_document_t extra;
  Reader r = { 0 };
  gboolean ok;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (file_name == NULL)
    file_name = "workflow.yml";
  if (length < 0)
    length = strlen (text);

  r.file_name = file_name;
  r.budget = NODE_BUDGET;

  self = g_new0 (DrWorkflow, 1);
  g_ref_count_init (&self->ref_count);
  self->file_name = g_strdup (file_name);
  self->triggers = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->triggers, NULL);
  self->dispatch_inputs = g_ptr_array_new_with_free_func (input_free);
  self->call_inputs = g_ptr_array_new_with_free_func (input_free);
  self->jobs = g_ptr_array_new_with_free_func (job_free);

  if (!g_utf8_validate (text, length, NULL))
    {
      fail_at (&r, NULL, error, _("The file is not UTF-8 text"));
      return NULL;
    }

  yaml_parser_initialize (&parser);
  yaml_parser_set_input_string (&parser, (const unsigned char *) (text != NULL ? text : ""),
                                length);
  if (!yaml_parser_load (&parser, &r.doc))
    {
      yaml_failed (&r, &parser, error);
      yaml_parser_delete (&parser);
      return NULL;
    }

  ok = read_workflow (&r, self, error);

  /* A second document would be ignored by deskrun but rejected by GitHub. */
  if (ok)
    {
      if (!yaml_parser_load (&parser, &extra))
        ok = yaml_failed (&r, &parser, error);
      else
        {
          yaml_node_t *extra_root = yaml_document_get_root_node (&extra);

          if (extra_root != NULL)
            ok = fail_at (&r, extra_root, error, _("The file holds more than one YAML "
                                                   "document; a workflow is one"));
          yaml_document_delete (&extra);
        }
    }

  yaml_document_delete (&r.doc);
  yaml_parser_delete (&parser);
  if (!ok)
    return NULL;
  return g_steal_pointer (&self);
}

const char *
dr_workflow_get_file_name (DrWorkflow *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->file_name;
}

const char *
dr_workflow_get_name (DrWorkflow *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

const char * const *
dr_workflow_get_triggers (DrWorkflow *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->triggers->pdata;
}

gboolean
dr_workflow_has_trigger (DrWorkflow *self,
                         const char *event)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (event != NULL, FALSE);
  return g_strv_contains (dr_workflow_get_triggers (self), event);
}

GPtrArray *
dr_workflow_get_dispatch_inputs (DrWorkflow *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->dispatch_inputs;
}

GPtrArray *
dr_workflow_get_call_inputs (DrWorkflow *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->call_inputs;
}

GPtrArray *
dr_workflow_get_jobs (DrWorkflow *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->jobs;
}

DrWorkflowJob *
dr_workflow_get_job (DrWorkflow *self,
                     const char *id)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->jobs->len; i++)
    {
      DrWorkflowJob *job = g_ptr_array_index (self->jobs, i);

      if (g_strcmp0 (job->id, id) == 0)
        return job;
    }
  return NULL;
}

const char *
dr_workflow_input_type_to_string (DrWorkflowInputType type)
{
  switch (type)
    {
    case DR_WORKFLOW_INPUT_STRING:
      return "string";
    case DR_WORKFLOW_INPUT_BOOLEAN:
      return "boolean";
    case DR_WORKFLOW_INPUT_CHOICE:
      return "choice";
    case DR_WORKFLOW_INPUT_NUMBER:
      return "number";
    case DR_WORKFLOW_INPUT_ENVIRONMENT:
      return "environment";
    default:
      g_return_val_if_reached (NULL);
    }
}
