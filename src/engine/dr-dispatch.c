/* dr-dispatch.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "dr-dispatch.h"
#include "dr-error.h"

static void
dr_dispatch_job_free (DrDispatchJob *job)
{
  g_free (job->id);
  g_free (job->name);
  g_free (job->runs_on);
  g_free (job->scale_set);
  g_free (job);
}

DrDispatchWorkflow *
dr_dispatch_workflow_new (const char *path,
                          const char *name,
                          gint64      id,
                          const char *html_url)
{
  DrDispatchWorkflow *self = g_new0 (DrDispatchWorkflow, 1);

  self->path = g_strdup (path);
  self->name = g_strdup (name != NULL && *name != '\0' ? name : path);
  self->id = id;
  self->html_url = g_strdup (html_url);
  self->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_dispatch_job_free);
  return self;
}

void
dr_dispatch_workflow_free (DrDispatchWorkflow *self)
{
  if (self == NULL)
    return;
  g_free (self->path);
  g_free (self->name);
  g_free (self->html_url);
  g_clear_pointer (&self->workflow, dr_workflow_unref);
  g_free (self->error);
  g_ptr_array_unref (self->jobs);
  g_free (self);
}

static gboolean
is_expression (const char *text)
{
  return text != NULL && strstr (text, "${{") != NULL;
}

/* runs-on as labels: a string, a list of strings, or {group, labels}. NULL when it holds an
 * expression (or something we cannot read), with @out_text for a person either way. */
static GStrv
runs_on_labels (JsonNode  *node,
                gboolean  *out_expression,
                char     **out_text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *array = NULL;
  gboolean expression = FALSE;

  *out_expression = FALSE;
  if (node == NULL)
    {
      *out_text = NULL;
      return NULL;
    }

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *label = json_node_get_string (node);

      *out_text = g_strdup (label);
      *out_expression = is_expression (label);
      if (*out_expression)
        return NULL;
      g_strv_builder_add (builder, label);
      return g_strv_builder_end (builder);
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    array = json_node_get_array (node);
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonNode *labels = json_object_get_member (object, "labels");

      if (json_object_has_member (object, "group"))
        {
          /* A runner group with no labels asks for any runner of the group: not a scale set
           * name, so not ours. */
          g_string_append_printf (text, "group: %s ",
                                  json_object_get_string_member_with_default (object, "group",
                                                                               "?"));
        }
      if (labels != NULL && JSON_NODE_HOLDS_ARRAY (labels))
        array = json_node_get_array (labels);
      else if (labels != NULL && JSON_NODE_HOLDS_VALUE (labels) &&
               json_node_get_value_type (labels) == G_TYPE_STRING)
        {
          g_string_append (text, json_node_get_string (labels));
          expression = is_expression (json_node_get_string (labels));
          if (!expression)
            g_strv_builder_add (builder, json_node_get_string (labels));
        }
    }

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *label;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        continue;
      label = json_node_get_string (element);
      g_string_append_printf (text, "%s%s", i == 0 ? "[" : ", ", label);
      expression = expression || is_expression (label);
      g_strv_builder_add (builder, label);
    }
  if (array != NULL)
    g_string_append (text, json_array_get_length (array) > 0 ? "]" : "[]");

  *out_text = g_strdup (g_strstrip (text->str));
  *out_expression = expression;
  if (expression)
    return NULL;
  return g_strv_builder_end (builder);
}

void
dr_dispatch_workflow_set_text (DrDispatchWorkflow     *self,
                               const char             *text,
                               gssize                  length,
                               const DrJobJoinContext *context)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *jobs;

  g_return_if_fail (self != NULL);
  g_return_if_fail (context != NULL);

  g_clear_pointer (&self->workflow, dr_workflow_unref);
  g_clear_pointer (&self->error, g_free);
  g_ptr_array_set_size (self->jobs, 0);

  self->workflow = dr_workflow_parse (self->path, text, length, &error);
  if (self->workflow == NULL)
    {
      self->error = g_strdup (error->message);
      return;
    }

  jobs = dr_workflow_get_jobs (self->workflow);
  for (guint i = 0; i < jobs->len; i++)
    {
      DrWorkflowJob *wjob = g_ptr_array_index (jobs, i);
      DrDispatchJob *job = g_new0 (DrDispatchJob, 1);
      g_auto(GStrv) labels = NULL;
      gboolean expression = FALSE;

      job->id = g_strdup (wjob->id);
      job->name = g_strdup (wjob->name != NULL ? wjob->name : wjob->id);
      if (wjob->uses != NULL)
        {
          job->route = DR_DISPATCH_ROUTE_CALLS;
          job->runs_on = g_strdup (wjob->uses);
        }
      else
        {
          labels = runs_on_labels (wjob->runs_on, &expression, &job->runs_on);
          if (expression)
            job->route = DR_DISPATCH_ROUTE_RUNTIME;
          else if (dr_job_join (context, DR_JOB_STATUS_QUEUED, (const char * const *) labels,
                                NULL, NULL, &job->scale_set) == DR_JOB_PLACEMENT_WAITING_HERE)
            job->route = DR_DISPATCH_ROUTE_HERE;
          else
            job->route = DR_DISPATCH_ROUTE_ELSEWHERE;
        }
      g_ptr_array_add (self->jobs, job);
    }
}

gboolean
dr_dispatch_workflow_is_dispatchable (const DrDispatchWorkflow *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->workflow != NULL && dr_workflow_has_trigger (self->workflow, "workflow_dispatch");
}

guint
dr_dispatch_workflow_count_here (const DrDispatchWorkflow *self)
{
  guint count = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->jobs->len; i++)
    if (((DrDispatchJob *) g_ptr_array_index (self->jobs, i))->route == DR_DISPATCH_ROUTE_HERE)
      count++;
  return count;
}

/* Targets */

typedef struct
{
  DrDispatchTargets public;
  gatomicrefcount   ref_count;
} DrDispatchTargetsReal;

G_DEFINE_BOXED_TYPE (DrDispatchTargets, dr_dispatch_targets,
                     dr_dispatch_targets_ref, dr_dispatch_targets_unref)

DrDispatchTargets *
dr_dispatch_targets_new (const char *repository,
                         const char *default_branch)
{
  DrDispatchTargetsReal *real = g_new0 (DrDispatchTargetsReal, 1);
  DrDispatchTargets *self = &real->public;

  g_atomic_ref_count_init (&real->ref_count);
  self->repository = g_strdup (repository);
  self->default_branch = g_strdup (default_branch);
  self->refs = g_new0 (char *, 1);
  if (default_branch != NULL)
    {
      g_strfreev (self->refs);
      self->refs = g_strdupv ((char *[]) { (char *) default_branch, NULL });
    }
  self->workflows =
    g_ptr_array_new_with_free_func ((GDestroyNotify) dr_dispatch_workflow_free);
  self->skipped = g_ptr_array_new_with_free_func (g_free);
  return self;
}

DrDispatchTargets *
dr_dispatch_targets_ref (DrDispatchTargets *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&((DrDispatchTargetsReal *) self)->ref_count);
  return self;
}

void
dr_dispatch_targets_unref (DrDispatchTargets *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&((DrDispatchTargetsReal *) self)->ref_count))
    return;
  g_free (self->repository);
  g_free (self->default_branch);
  g_strfreev (self->refs);
  g_ptr_array_unref (self->workflows);
  g_ptr_array_unref (self->skipped);
  g_free (self);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

void
dr_dispatch_targets_set_refs (DrDispatchTargets  *self,
                              const char * const *branches)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_if_fail (self != NULL);

  for (guint i = 0; branches != NULL && branches[i] != NULL; i++)
    if (g_strcmp0 (branches[i], self->default_branch) != 0 &&
        !g_ptr_array_find_with_equal_func (sorted, branches[i], g_str_equal, NULL))
      g_ptr_array_add (sorted, (gpointer) branches[i]);
  g_ptr_array_sort (sorted, compare_strings);

  if (self->default_branch != NULL)
    g_strv_builder_add (builder, self->default_branch);
  for (guint i = 0; i < sorted->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (sorted, i));
  g_strfreev (self->refs);
  self->refs = g_strv_builder_end (builder);
}

static int
compare_workflows (gconstpointer a,
                   gconstpointer b)
{
  const DrDispatchWorkflow *x = *(DrDispatchWorkflow **) a;
  const DrDispatchWorkflow *y = *(DrDispatchWorkflow **) b;

  return g_utf8_collate (x->name, y->name);
}

void
dr_dispatch_targets_add_workflow (DrDispatchTargets  *self,
                                  DrDispatchWorkflow *workflow)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (workflow != NULL);

  if (workflow->error != NULL)
    g_ptr_array_add (self->skipped, g_strdup (workflow->error));
  else if (!dr_dispatch_workflow_is_dispatchable (workflow))
    {
      /* Only worth a word for a file that parsed: those are the ones a person may wonder
       * about. Most workflows are push or pull_request ones, on purpose. */
      dr_dispatch_workflow_free (workflow);
      return;
    }
  else
    {
      g_ptr_array_add (self->workflows, workflow);
      g_ptr_array_sort (self->workflows, compare_workflows);
      return;
    }
  dr_dispatch_workflow_free (workflow);
}

DrDispatchWorkflow *
dr_dispatch_targets_find (DrDispatchTargets *self,
                          const char        *workflow)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (workflow == NULL)
    return NULL;
  for (guint pass = 0; pass < 3; pass++)
    for (guint i = 0; i < self->workflows->len; i++)
      {
        DrDispatchWorkflow *w = g_ptr_array_index (self->workflows, i);
        const char *base = strrchr (w->path, '/');

        if ((pass == 0 && g_strcmp0 (w->path, workflow) == 0) ||
            (pass == 1 && g_strcmp0 (base != NULL ? base + 1 : w->path, workflow) == 0) ||
            (pass == 2 && g_strcmp0 (w->name, workflow) == 0))
          return w;
      }
  return NULL;
}

/* Inputs */

gboolean
dr_dispatch_check_input (const DrWorkflowInput  *input,
                         const char             *value,
                         GError                **error)
{
  g_return_val_if_fail (input != NULL, FALSE);

  if (value == NULL || *value == '\0')
    {
      if (input->required && (input->default_value == NULL || *input->default_value == '\0') &&
          input->type != DR_WORKFLOW_INPUT_BOOLEAN)
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("The input “%s” is required"), input->name);
          return FALSE;
        }
      return TRUE;
    }

  switch (input->type)
    {
    case DR_WORKFLOW_INPUT_BOOLEAN:
      if (g_strcmp0 (value, "true") != 0 && g_strcmp0 (value, "false") != 0)
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("The input “%s” is a boolean: true or false, not “%s”"),
                       input->name, value);
          return FALSE;
        }
      return TRUE;

    case DR_WORKFLOW_INPUT_NUMBER:
      {
        char *end = NULL;

        errno = 0;
        g_ascii_strtod (value, &end);
        if (errno != 0 || end == value || *end != '\0')
          {
            g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                         _("The input “%s” is a number, not “%s”"), input->name, value);
            return FALSE;
          }
        return TRUE;
      }

    case DR_WORKFLOW_INPUT_CHOICE:
      if (input->options == NULL ||
          !g_strv_contains ((const char * const *) input->options, value))
        {
          g_autofree char *options = input->options != NULL
                                       ? g_strjoinv (", ", input->options) : g_strdup ("");

          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("The input “%s” is one of %s, not “%s”"), input->name, options, value);
          return FALSE;
        }
      return TRUE;

    case DR_WORKFLOW_INPUT_STRING:
    case DR_WORKFLOW_INPUT_ENVIRONMENT:
    default:
      return TRUE;
    }
}

JsonObject *
dr_dispatch_build_inputs (DrWorkflow  *workflow,
                          GHashTable  *values,
                          GError     **error)
{
  g_autoptr(JsonObject) inputs = json_object_new ();
  GPtrArray *declared;

  g_return_val_if_fail (workflow != NULL, NULL);

  declared = dr_workflow_get_dispatch_inputs (workflow);
  if (values != NULL)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, values);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          gboolean known = FALSE;

          for (guint i = 0; i < declared->len && !known; i++)
            known = g_str_equal (((DrWorkflowInput *) g_ptr_array_index (declared, i))->name,
                                 key);
          if (!known)
            {
              /* GitHub refuses the whole dispatch for one unexpected input (422). */
              g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                           _("The workflow has no input “%s”"), (const char *) key);
              return NULL;
            }
        }
    }

  for (guint i = 0; i < declared->len; i++)
    {
      const DrWorkflowInput *input = g_ptr_array_index (declared, i);
      const char *value = values != NULL ? g_hash_table_lookup (values, input->name) : NULL;

      if (!dr_dispatch_check_input (input, value, error))
        return NULL;
      if (value != NULL && *value != '\0')
        json_object_set_string_member (inputs, input->name, value);
    }
  return g_steal_pointer (&inputs);
}
