/* dr-routing.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dr-routing.h"
#include "dr-runner-spec.h"

/* GitHub connects at most ten levels of workflows, the top-level caller included; a loop of
 * calls stops here too. */
#define MAX_CALL_DEPTH 10

DrScaleSet *
dr_scale_set_new (const char         *name,
                  const char         *runner_group,
                  const char * const *labels)
{
  DrScaleSet *ss = g_new0 (DrScaleSet, 1);
  static const char * const none[] = { NULL };

  ss->name = g_strdup (name);
  ss->runner = g_strdup (name);
  ss->instances = 1;
  ss->runner_group = g_strdup (runner_group != NULL && *runner_group != '\0' ? runner_group
                                                                              : "Default");
  ss->labels = g_strdupv ((GStrv) (labels != NULL ? labels : none));
  return ss;
}

void
dr_scale_set_free (DrScaleSet *ss)
{
  if (ss == NULL)
    return;
  g_free (ss->name);
  g_free (ss->runner);
  g_strfreev (ss->labels);
  g_free (ss->runner_group);
  g_free (ss);
}

GPtrArray *
dr_routing_scale_sets_from_specs (GPtrArray *specs)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_scale_set_free);

  for (guint i = 0; specs != NULL && i < specs->len; i++)
    {
      const DrRunnerSpec *spec = g_ptr_array_index (specs, i);
      g_auto(GStrv) names = dr_runner_spec_dup_scale_set_names (spec);
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();
      guint n = g_strv_length (names);

      for (guint l = 0; spec->labels != NULL && l < spec->labels->len; l++)
        g_ptr_array_add (labels, g_ptr_array_index (spec->labels, l));
      g_ptr_array_add (labels, NULL);

      for (guint k = 0; names[k] != NULL; k++)
        {
          DrScaleSet *ss = dr_scale_set_new (names[k], spec->runner_group,
                                             (const char * const *) labels->pdata);

          g_free (ss->runner);
          ss->runner = g_strdup (spec->name);
          ss->instances = n;
          ss->instance = n > 1 ? k + 1 : 0;
          g_ptr_array_add (out, ss);
        }
    }
  return out;
}

void
dr_route_free (DrRoute *route)
{
  if (route == NULL)
    return;
  g_free (route->job);
  g_free (route->file);
  g_clear_pointer (&route->runs_on, json_node_unref);
  g_strfreev (route->scale_sets);
  g_free (route->reason);
  g_free (route->fix);
  g_free (route);
}

const char *
dr_route_verdict_to_string (DrRouteVerdict verdict)
{
  switch (verdict)
    {
    case DR_ROUTE_ROUTES:
      return "routes";
    case DR_ROUTE_NEVER:
      return "never";
    case DR_ROUTE_HOSTED:
      return "hosted";
    case DR_ROUTE_RUNTIME:
      return "runtime";
    case DR_ROUTE_UNSURE:
      return "unsure";
    case DR_ROUTE_CALLED:
      return "called";
    case DR_ROUTE_INVALID:
      return "invalid";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
dr_label_is_github_hosted (const char *label)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (label != NULL, FALSE);

  lower = g_ascii_strdown (label, -1);
  return g_str_has_prefix (lower, "ubuntu-") || g_str_has_prefix (lower, "windows-") ||
         g_str_has_prefix (lower, "macos-");
}

/* Labels */

static gboolean
same_label (const char *a,
            const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);

  return g_str_equal (fa, fb);
}

static gboolean
has_label (const DrScaleSet *ss,
           const char       *label)
{
  if (same_label (ss->name, label))
    return TRUE;
  for (guint i = 0; ss->labels[i] != NULL; i++)
    if (same_label (ss->labels[i], label))
      return TRUE;
  return FALSE;
}

static gboolean
has_all (const DrScaleSet   *ss,
         const char * const *labels)
{
  for (guint i = 0; labels[i] != NULL; i++)
    if (!has_label (ss, labels[i]))
      return FALSE;
  return TRUE;
}

static gboolean
in_group (const DrScaleSet *ss,
          const char       *group)
{
  return group == NULL || same_label (ss->runner_group, group);
}

/* “a”, “b” and “c” — quoted, for sentences. */
static char *
quote_list (const char * const *items)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n = items != NULL ? g_strv_length ((GStrv) items) : 0;

  for (guint i = 0; i < n; i++)
    {
      if (i > 0 && i == n - 1)
        /* Translators: between the last two items of a list */
        g_string_append (out, _(" and "));
      else if (i > 0)
        g_string_append (out, ", ");
      g_string_append_printf (out, "“%s”", items[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GStrv
names_of (GPtrArray *scale_sets)
{
  GStrv names = g_new0 (char *, scale_sets->len + 1);

  for (guint i = 0; i < scale_sets->len; i++)
    names[i] = g_strdup (((DrScaleSet *) g_ptr_array_index (scale_sets, i))->name);
  return names;
}

/* "deskrunctl add NAME … --label a --label b" */
static char *
add_command (const char         *name,
             const char * const *labels,
             const char         *group)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_string_append_printf (out, "deskrunctl add %s --repository URL", name);
  if (group != NULL)
    g_string_append_printf (out, " --runner-group %s", group);
  for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
    g_string_append_printf (out, " --label %s", labels[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The runs-on: line for the first scale set, naming the others when there are several. */
static char *
runs_on_line (GPtrArray *scale_sets)
{
  const DrScaleSet *first = g_ptr_array_index (scale_sets, 0);

  if (scale_sets->len == 1)
    return g_strdup_printf ("runs-on: %s", first->name);
  {
    g_auto(GStrv) names = names_of (scale_sets);
    g_autofree char *others = quote_list ((const char * const *) names + 1);

    /* Translators: %s is a runs-on line, then a list of other scale-set names */
    return g_strdup_printf (_("runs-on: %s (or another of your scale sets: %s)"), first->name,
                            others);
  }
}

static DrRoute *
route_new (DrRouteVerdict verdict)
{
  DrRoute *route = g_new0 (DrRoute, 1);

  route->verdict = verdict;
  route->scale_sets = g_new0 (char *, 1);
  return route;
}

static void
set_scale_sets (DrRoute   *route,
                GPtrArray *scale_sets)
{
  g_strfreev (route->scale_sets);
  route->scale_sets = names_of (scale_sets);
}

/* "any of its 3 instances build-1…build-3" when every match is one runner's instances. */
static char *
describe_matches (GPtrArray *matches)
{
  const DrScaleSet *first = g_ptr_array_index (matches, 0);
  gboolean one_runner = TRUE;

  for (guint i = 1; i < matches->len; i++)
    if (g_strcmp0 (((DrScaleSet *) g_ptr_array_index (matches, i))->runner, first->runner) != 0)
      one_runner = FALSE;

  if (matches->len == 1 && first->instance == 0)
    return g_strdup_printf (_("the local scale set “%s”"), first->name);
  if (matches->len == 1)
    return g_strdup_printf (_("“%s”, instance %u of runner “%s”"), first->name,
                            first->instance, first->runner);
  if (one_runner && first->instance > 0 && matches->len == first->instances)
    {
      const DrScaleSet *last = g_ptr_array_index (matches, matches->len - 1);

      return g_strdup_printf (_("any of the %u instances of runner “%s” (%s…%s); GitHub gives "
                                "it to a free one"), first->instances, first->runner,
                              first->name, last->name);
    }
  {
    g_auto(GStrv) names = names_of (matches);
    g_autofree char *list = quote_list ((const char * const *) names);

    return g_strdup_printf (_("any of the scale sets %s; GitHub gives it to a free one"),
                            list);
  }
}

static DrRoute *
check_group_only (const char *group,
                  GPtrArray  *scale_sets)
{
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  DrRoute *route;

  for (guint i = 0; i < scale_sets->len; i++)
    if (in_group (g_ptr_array_index (scale_sets, i), group))
      g_ptr_array_add (matches, g_ptr_array_index (scale_sets, i));

  if (matches->len > 0)
    {
      g_autofree char *where = describe_matches (matches);

      route = route_new (DR_ROUTE_ROUTES);
      set_scale_sets (route, matches);
      route->reason = g_strdup_printf (_("It asks for runner group “%s” only, so it runs on %s."),
                                       group, where);
      return route;
    }

  route = route_new (DR_ROUTE_NEVER);
  if (scale_sets->len == 0)
    {
      g_autofree char *add = add_command ("NAME", NULL, group);

      route->reason = g_strdup_printf (_("It asks for runner group “%s”, and no runner is "
                                         "configured here."), group);
      route->fix = g_strdup_printf (_("Add a runner in that group (%s), then write runs-on: "
                                      "NAME"), add);
      return route;
    }
  route->reason = g_strdup_printf (_("It asks for runner group “%s”, and none of your scale "
                                     "sets is in it (they are in “%s”), so it waits for a "
                                     "runner of that group elsewhere."), group,
                                   ((DrScaleSet *) g_ptr_array_index (scale_sets, 0))->runner_group);
  route->fix = runs_on_line (scale_sets);
  return route;
}

static DrRoute *
check_labels (const char * const *labels,
              const char         *group,
              GPtrArray          *scale_sets)
{
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  g_autoptr(GPtrArray) named = g_ptr_array_new ();
  g_autoptr(GPtrArray) other_group = g_ptr_array_new ();
  g_autofree char *asked = quote_list (labels);
  guint n_labels = g_strv_length ((GStrv) labels);
  DrRoute *route;

  for (guint i = 0; i < scale_sets->len; i++)
    {
      DrScaleSet *ss = g_ptr_array_index (scale_sets, i);

      if (has_all (ss, labels))
        g_ptr_array_add (in_group (ss, group) ? matches : other_group, ss);
      else if (in_group (ss, group))
        for (guint l = 0; labels[l] != NULL; l++)
          if (same_label (ss->name, labels[l]))
            {
              g_ptr_array_add (named, ss);
              break;
            }
    }

  if (matches->len > 0)
    {
      const DrScaleSet *first = g_ptr_array_index (matches, 0);
      g_autofree char *where = describe_matches (matches);
      g_autoptr(GPtrArray) extra = g_ptr_array_new ();
      g_autofree char *extra_text = NULL;

      /* The labels beyond the name are the ones that depend on how it was created. */
      for (guint l = 0; labels[l] != NULL; l++)
        if (!same_label (labels[l], first->name))
          g_ptr_array_add (extra, (gpointer) labels[l]);
      g_ptr_array_add (extra, NULL);
      extra_text = quote_list ((const char * const *) extra->pdata);

      route = route_new (DR_ROUTE_ROUTES);
      set_scale_sets (route, matches);
      if (extra->len == 1)
        route->reason = g_strdup_printf (_("It runs on %s: runs-on names it."), where);
      else
        route->reason = g_strdup_printf (_("It runs on %s, whose labels include %s. Labels are "
                                           "fixed when a scale set is created and honoured on "
                                           "GitHub's side on a best-effort basis; the route "
                                           "GitHub documents is the bare name."), where,
                                         extra_text);
      return route;
    }

  if (group == NULL && n_labels == 1 && dr_label_is_github_hosted (labels[0]))
    {
      route = route_new (DR_ROUTE_HOSTED);
      route->reason = g_strdup_printf (_("“%s” is a GitHub-hosted runner: GitHub runs this "
                                         "job on its own machines, not on this computer."),
                                       labels[0]);
      return route;
    }

  if (named->len > 0)
    {
      const DrScaleSet *ss = g_ptr_array_index (named, 0);
      g_autoptr(GPtrArray) missing = g_ptr_array_new ();
      g_autofree char *missing_text = NULL;

      for (guint l = 0; labels[l] != NULL; l++)
        if (!has_label (ss, labels[l]))
          g_ptr_array_add (missing, (gpointer) labels[l]);
      g_ptr_array_add (missing, NULL);
      missing_text = quote_list ((const char * const *) missing->pdata);

      route = route_new (DR_ROUTE_UNSURE);
      set_scale_sets (route, named);
      route->reason = g_strdup_printf (_("“%s” is a local scale set, but it was not created "
                                         "with %s: a scale set is registered under its name "
                                         "and the labels it was created with, and nothing "
                                         "adds “self-hosted”. GitHub may still give it this "
                                         "job, but the route GitHub documents is the bare "
                                         "name."), ss->name, missing_text);
      route->fix = g_strdup_printf ("runs-on: %s", ss->name);
      return route;
    }

  route = route_new (DR_ROUTE_NEVER);

  if (other_group->len > 0)
    {
      const DrScaleSet *ss = g_ptr_array_index (other_group, 0);

      route->reason = g_strdup_printf (_("The scale set “%s” answers to %s, but it is in runner "
                                         "group “%s”, not “%s”, so it never gets this job."),
                                       ss->name, asked, ss->runner_group, group);
      route->fix = g_strdup_printf ("runs-on: %s", ss->name);
      return route;
    }

  /* A runner with instances is N scale sets NAME-1…N: none of them is called NAME. */
  for (guint i = 0; i < scale_sets->len; i++)
    {
      const DrScaleSet *ss = g_ptr_array_index (scale_sets, i);

      if (ss->instance == 0)
        continue;
      for (guint l = 0; labels[l] != NULL; l++)
        if (same_label (ss->runner, labels[l]))
          {
            g_autofree char *add = add_command (ss->runner, labels, NULL);

            route->reason = g_strdup_printf (_("“%s” is a runner with %u instances, registered "
                                               "as the scale sets %s-1…%s-%u; none of them "
                                               "answers to “%s” itself."), ss->runner,
                                             ss->instances, ss->runner, ss->runner,
                                             ss->instances, labels[l]);
            route->fix = g_strdup_printf (_("runs-on: %s-1 (one instance), or re-create the "
                                            "runner with that label so any instance takes it "
                                            "(%s)"), ss->runner, add);
            return route;
          }
    }

  if (scale_sets->len == 0)
    {
      g_autofree char *add = n_labels == 1 ? add_command (labels[0], NULL, group)
                                           : add_command ("NAME", labels, group);

      route->reason = g_strdup_printf (_("No runner is configured here, so nothing on this "
                                         "computer answers to %s."), asked);
      if (n_labels == 1)
        route->fix = g_strdup_printf (_("Add a runner named “%s” (%s)"), labels[0], add);
      else
        route->fix = g_strdup_printf (_("Add a runner and write runs-on: NAME, or create it "
                                        "with these labels (%s; ARC 0.14 and later, "
                                        "best-effort on GitHub's side)"), add);
      return route;
    }

  {
    g_autofree char *line = runs_on_line (scale_sets);
    g_autofree char *add = add_command ("NAME", labels, group);
    gboolean self_hosted = FALSE;

    for (guint l = 0; labels[l] != NULL; l++)
      if (same_label (labels[l], "self-hosted"))
        self_hosted = TRUE;

    if (self_hosted)
      route->reason = g_strdup_printf (_("No scale set answers to %s: a scale set is registered "
                                         "under its name and the labels it was created with, "
                                         "and nothing adds “self-hosted”. The job waits in the "
                                         "queue forever."), asked);
    else
      route->reason = g_strdup_printf (_("No scale set here or on GitHub's side answers to %s, "
                                         "so the job waits in the queue forever (unless a "
                                         "runner elsewhere has those labels)."), asked);
    route->fix = g_strdup_printf (_("%s — or create a scale set with those labels (%s; ARC "
                                    "0.14 and later, best-effort on GitHub's side)"), line, add);
  }
  return route;
}

DrRoute *
dr_routing_check_target (const DrRunsOnTarget *target,
                         GPtrArray            *scale_sets)
{
  DrRoute *route;

  g_return_val_if_fail (target != NULL, NULL);
  g_return_val_if_fail (scale_sets != NULL, NULL);

  switch (target->kind)
    {
    case DR_RUNS_ON_RUNTIME:
      route = route_new (DR_ROUTE_RUNTIME);
      route->reason = g_strdup_printf (_("runs-on is %s, decided when the run starts; deskrun "
                                         "cannot tell from the file which runner that is."),
                                       target->detail);
      break;

    case DR_RUNS_ON_INVALID:
      route = route_new (DR_ROUTE_INVALID);
      route->reason = g_strdup_printf (_("GitHub rejects this job: %s."), target->detail);
      if (scale_sets->len > 0)
        route->fix = runs_on_line (scale_sets);
      break;

    case DR_RUNS_ON_LABELS:
    default:
      if (target->labels == NULL || target->labels[0] == NULL)
        route = check_group_only (target->group, scale_sets);
      else
        route = check_labels ((const char * const *) target->labels, target->group, scale_sets);
      break;
    }

  if (target->evaluated_with != NULL)
    {
      char *reason = g_strdup_printf (_("With %s: %s"), target->evaluated_with, route->reason);

      g_free (route->reason);
      route->reason = reason;
    }
  return route;
}

/* Workflows */

typedef struct
{
  GPtrArray          *scale_sets;
  DrWorkflowReadFunc  read;
  gpointer            user_data;
  GPtrArray          *routes;
} Check;

static DrRoute *
job_route (DrRouteVerdict       verdict,
           DrWorkflow          *workflow,
           const DrWorkflowJob *job,
           const char          *prefix)
{
  DrRoute *route = route_new (verdict);

  route->job = prefix != NULL ? g_strdup_printf ("%s / %s", prefix, job->id) : g_strdup (job->id);
  route->file = g_strdup (dr_workflow_get_file_name (workflow));
  route->line = job->runs_on != NULL ? job->runs_on_line : job->line;
  route->column = job->runs_on != NULL ? job->runs_on_column : job->column;
  if (job->runs_on != NULL)
    route->runs_on = json_node_copy (job->runs_on);
  return route;
}

static char *
job_error_fix (const DrWorkflowJob *job,
               GPtrArray           *scale_sets)
{
  const char *name = scale_sets->len > 0
                     ? ((DrScaleSet *) g_ptr_array_index (scale_sets, 0))->name : "NAME";

  if (job->runs_on != NULL && job->uses != NULL)
    return g_strdup_printf (_("Remove runs-on: from job “%s”"), job->id);
  if (job->uses == NULL && (job->runs_on == NULL || JSON_NODE_HOLDS_NULL (job->runs_on)))
    return g_strdup_printf (_("Add “runs-on: %s” to job “%s”"), name, job->id);
  return NULL;
}

static void check_jobs (Check      *check,
                        DrWorkflow *workflow,
                        JsonObject *caller_with,
                        const char *prefix,
                        guint       depth);

static void
check_call (Check               *check,
            DrWorkflow          *workflow,
            const DrWorkflowJob *job,
            const char          *prefix,
            guint                depth)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DrWorkflow) called = NULL;
  g_autofree char *text = NULL;
  g_autofree char *job_name = prefix != NULL ? g_strdup_printf ("%s / %s", prefix, job->id)
                                             : g_strdup (job->id);
  DrRoute *route;

  if (!g_str_has_prefix (job->uses, "./"))
    {
      route = job_route (DR_ROUTE_CALLED, workflow, job, prefix);
      route->reason = g_strdup_printf (_("It calls the reusable workflow %s, whose jobs choose "
                                         "their own runners; deskrun reads only workflows of "
                                         "this repository (uses: ./…)."), job->uses);
      g_ptr_array_add (check->routes, route);
      return;
    }

  if (depth + 1 >= MAX_CALL_DEPTH)
    {
      route = job_route (DR_ROUTE_INVALID, workflow, job, prefix);
      route->reason = g_strdup_printf (_("It calls %s, but that makes more than %d levels "
                                         "of workflows (the first caller included), which "
                                         "GitHub refuses."), job->uses,
                                       MAX_CALL_DEPTH);
      g_ptr_array_add (check->routes, route);
      return;
    }

  if (check->read != NULL)
    text = check->read (job->uses, check->user_data, &error);
  if (text == NULL)
    {
      route = job_route (DR_ROUTE_CALLED, workflow, job, prefix);
      route->reason = g_strdup_printf (_("It calls the reusable workflow %s, whose jobs choose "
                                         "their own runners, and deskrun could not read it%s%s."),
                                       job->uses, error != NULL ? ": " : "",
                                       error != NULL ? error->message : "");
      g_ptr_array_add (check->routes, route);
      return;
    }

  called = dr_workflow_parse (job->uses, text, -1, &error);
  if (called == NULL)
    {
      route = job_route (DR_ROUTE_INVALID, workflow, job, prefix);
      route->reason = g_strdup_printf (_("It calls %s, which GitHub rejects: %s"), job->uses,
                                       error->message);
      g_ptr_array_add (check->routes, route);
      return;
    }
  if (!dr_workflow_has_trigger (called, "workflow_call"))
    {
      route = job_route (DR_ROUTE_INVALID, workflow, job, prefix);
      route->reason = g_strdup_printf (_("It calls %s, which is not a reusable workflow: its on: "
                                         "has no workflow_call."), job->uses);
      route->fix = g_strdup_printf (_("Add workflow_call to the on: of %s"), job->uses);
      g_ptr_array_add (check->routes, route);
      return;
    }
  check_jobs (check, called, job->with, job_name, depth + 1);
}

static void
check_jobs (Check      *check,
            DrWorkflow *workflow,
            JsonObject *caller_with,
            const char *prefix,
            guint       depth)
{
  GPtrArray *jobs = dr_workflow_get_jobs (workflow);

  for (guint i = 0; i < jobs->len; i++)
    {
      const DrWorkflowJob *job = g_ptr_array_index (jobs, i);
      g_autoptr(GPtrArray) targets = NULL;

      if (job->error != NULL)
        {
          DrRoute *route = job_route (DR_ROUTE_INVALID, workflow, job, prefix);

          route->reason = g_strdup (job->error);
          route->fix = job_error_fix (job, check->scale_sets);
          g_ptr_array_add (check->routes, route);
          continue;
        }
      if (job->uses != NULL)
        {
          check_call (check, workflow, job, prefix, depth);
          continue;
        }

      targets = dr_workflow_job_expand_runs_on (workflow, job, caller_with);
      for (guint t = 0; t < targets->len; t++)
        {
          DrRoute *checked = dr_routing_check_target (g_ptr_array_index (targets, t),
                                                      check->scale_sets);
          DrRoute *route = job_route (checked->verdict, workflow, job, prefix);

          g_strfreev (route->scale_sets);
          route->scale_sets = g_steal_pointer (&checked->scale_sets);
          route->reason = g_steal_pointer (&checked->reason);
          route->fix = g_steal_pointer (&checked->fix);
          if (prefix != NULL)
            {
              char *reason = g_strdup_printf (_("In %s, called by job “%s”: %s"),
                                              dr_workflow_get_file_name (workflow), prefix,
                                              route->reason);

              g_free (route->reason);
              route->reason = reason;
            }
          dr_route_free (checked);
          g_ptr_array_add (check->routes, route);
        }
    }
}

GPtrArray *
dr_routing_check_workflow (DrWorkflow         *workflow,
                           GPtrArray          *scale_sets,
                           DrWorkflowReadFunc  read,
                           gpointer            user_data)
{
  Check check = { scale_sets, read, user_data, NULL };

  g_return_val_if_fail (workflow != NULL, NULL);
  g_return_val_if_fail (scale_sets != NULL, NULL);

  check.routes = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_route_free);
  check_jobs (&check, workflow, NULL, NULL, 0);
  return check.routes;
}

JsonNode *
dr_routing_report_to_json (const char   *file,
                           const GError *error,
                           GPtrArray    *routes)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, file);
  json_builder_set_member_name (b, "error");
  if (error != NULL)
    json_builder_add_string_value (b, error->message);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "jobs");
  json_builder_begin_array (b);
  for (guint i = 0; routes != NULL && i < routes->len; i++)
    {
      const DrRoute *route = g_ptr_array_index (routes, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "job");
      json_builder_add_string_value (b, route->job);
      json_builder_set_member_name (b, "runs_on");
      if (route->runs_on != NULL)
        json_builder_add_value (b, json_node_copy (route->runs_on));
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "verdict");
      json_builder_add_string_value (b, dr_route_verdict_to_string (route->verdict));
      json_builder_set_member_name (b, "scale_sets");
      json_builder_begin_array (b);
      for (guint s = 0; route->scale_sets[s] != NULL; s++)
        json_builder_add_string_value (b, route->scale_sets[s]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, route->reason);
      json_builder_set_member_name (b, "fix");
      if (route->fix != NULL)
        json_builder_add_string_value (b, route->fix);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Label offers */

static void
label_offer_free (gpointer data)
{
  DrLabelOffer *offer = data;

  g_strfreev (offer->labels);
  g_ptr_array_unref (offer->jobs);
  g_free (offer);
}

void
dr_label_suggestion_free (DrLabelSuggestion *suggestion)
{
  if (suggestion == NULL)
    return;
  g_ptr_array_unref (suggestion->by_name);
  g_ptr_array_unref (suggestion->offers);
  g_ptr_array_unref (suggestion->names);
  g_free (suggestion);
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The casefolded, sorted set: two spellings of one label set are one offer. */
static char *
label_set_key (const char * const *labels)
{
  g_autoptr(GPtrArray) folded = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;

  for (guint i = 0; labels[i] != NULL; i++)
    g_ptr_array_add (folded, g_utf8_casefold (labels[i], -1));
  g_ptr_array_sort (folded, compare_strings);
  g_ptr_array_add (folded, NULL);
  return g_strjoinv ("\n", (GStrv) folded->pdata);
}

static void
add_unique (GPtrArray  *list,
            const char *text)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (g_ptr_array_index (list, i), text))
      return;
  g_ptr_array_add (list, g_strdup (text));
}

static gint
compare_offers (gconstpointer a,
                gconstpointer b)
{
  const DrLabelOffer *x = *(DrLabelOffer * const *) a;
  const DrLabelOffer *y = *(DrLabelOffer * const *) b;

  return (gint) y->jobs->len - (gint) x->jobs->len;
}

DrLabelSuggestion *
dr_routing_suggest_labels (GPtrArray  *workflows,
                           GPtrArray  *scale_sets,
                           const char *new_name)
{
  DrLabelSuggestion *out = g_new0 (DrLabelSuggestion, 1);
  g_autoptr(GHashTable) offers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) name_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  out->by_name = g_ptr_array_new_with_free_func (g_free);
  out->offers = g_ptr_array_new_with_free_func (label_offer_free);
  out->names = g_ptr_array_new_with_free_func (g_free);

  for (guint w = 0; workflows != NULL && w < workflows->len; w++)
    {
      DrWorkflow *workflow = g_ptr_array_index (workflows, w);
      GPtrArray *jobs = dr_workflow_get_jobs (workflow);

      for (guint j = 0; j < jobs->len; j++)
        {
          const DrWorkflowJob *job = g_ptr_array_index (jobs, j);
          g_autoptr(GPtrArray) targets = dr_workflow_job_expand_runs_on (workflow, job, NULL);
          g_autofree char *where = g_strdup_printf ("%s: %s",
                                                    dr_workflow_get_file_name (workflow),
                                                    job->id);

          for (guint t = 0; t < targets->len; t++)
            {
              const DrRunsOnTarget *target = g_ptr_array_index (targets, t);
              g_autoptr(DrRoute) route = NULL;
              g_autoptr(GPtrArray) wanted = NULL;
              const char * const *labels;
              guint n;

              if (target->kind != DR_RUNS_ON_LABELS || target->labels == NULL ||
                  target->labels[0] == NULL)
                continue;
              labels = (const char * const *) target->labels;
              n = g_strv_length (target->labels);

              if (new_name != NULL && n == 1 && same_label (labels[0], new_name))
                {
                  add_unique (out->by_name, where);
                  continue;
                }
              route = dr_routing_check_target (target, scale_sets);
              if (route->verdict != DR_ROUTE_NEVER && route->verdict != DR_ROUTE_UNSURE)
                continue;

              /* A single label is a name to give the runner; its own name needs no label. */
              if (n == 1)
                {
                  g_autofree char *key = g_utf8_casefold (labels[0], -1);
                  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (name_counts, key));

                  if (count == 0)
                    g_ptr_array_add (names, g_strdup (labels[0]));
                  g_hash_table_replace (name_counts, g_steal_pointer (&key),
                                        GUINT_TO_POINTER (count + 1));
                  continue;
                }

              wanted = g_ptr_array_new ();
              for (guint l = 0; labels[l] != NULL; l++)
                if (new_name == NULL || !same_label (labels[l], new_name))
                  g_ptr_array_add (wanted, (gpointer) labels[l]);
              g_ptr_array_add (wanted, NULL);
              {
                g_autofree char *key = label_set_key ((const char * const *) wanted->pdata);
                DrLabelOffer *offer = g_hash_table_lookup (offers, key);

                if (offer == NULL)
                  {
                    offer = g_new0 (DrLabelOffer, 1);
                    offer->labels = g_strdupv ((GStrv) wanted->pdata);
                    offer->jobs = g_ptr_array_new_with_free_func (g_free);
                    g_ptr_array_add (out->offers, offer);
                    g_hash_table_insert (offers, g_steal_pointer (&key), offer);
                  }
                add_unique (offer->jobs, where);
              }
            }
        }
    }

  /* Most asked for first; ties keep the order of the files. */
  g_ptr_array_sort (out->offers, compare_offers);
  while (names->len > 0)
    {
      guint best = 0, best_count = 0;

      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *key = g_utf8_casefold (g_ptr_array_index (names, i), -1);
          guint count = GPOINTER_TO_UINT (g_hash_table_lookup (name_counts, key));

          if (count > best_count)
            {
              best = i;
              best_count = count;
            }
        }
      g_ptr_array_add (out->names, g_ptr_array_steal_index (names, best));
    }
  return out;
}
