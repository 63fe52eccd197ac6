/* dr-run-workflow-window.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-run-workflow-window.h"
#include "dr-ui-resources.h"

struct _DrRunWorkflowWindow
{
  AdwWindow            parent_instance;

  /* Template widgets */
  GtkWidget           *run_button;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  AdwComboRow         *workflow_row;
  AdwComboRow         *ref_row;
  AdwPreferencesGroup *inputs_group;
  AdwPreferencesGroup *routes_group;

  /* Owned references */
  DrEngine            *engine;
  DrRunner            *runner;
  DrDispatchTargets   *targets;
  GCancellable        *cancellable;
  GPtrArray           *input_rows;  /* GtkWidget: the row of each input, in declared order */
  GPtrArray           *route_rows;
  GHashTable          *input_widgets;  /* name -> the widget holding the value */
  char                *problem;
  gboolean             can_run;
  DrOperation         *operation;
};

G_DEFINE_FINAL_TYPE (DrRunWorkflowWindow, dr_run_workflow_window, ADW_TYPE_WINDOW)

static DrDispatchWorkflow *
selected_workflow (DrRunWorkflowWindow *self)
{
  guint position;

  if (self->targets == NULL || self->targets->workflows->len == 0)
    return NULL;
  position = adw_combo_row_get_selected (self->workflow_row);
  if (position >= self->targets->workflows->len)
    return NULL;
  return g_ptr_array_index (self->targets->workflows, position);
}

static const char *
selected_ref (DrRunWorkflowWindow *self)
{
  guint position = adw_combo_row_get_selected (self->ref_row);

  if (self->targets == NULL || position >= g_strv_length (self->targets->refs))
    return NULL;
  return self->targets->refs[position];
}

/* The value of one input as its widget holds it, or NULL when left empty. */
static char *
input_value (DrRunWorkflowWindow   *self,
             const DrWorkflowInput *input)
{
  GtkWidget *widget = g_hash_table_lookup (self->input_widgets, input->name);

  if (widget == NULL)
    return NULL;
  if (GTK_IS_SWITCH (widget))
    return g_strdup (gtk_switch_get_active (GTK_SWITCH (widget)) ? "true" : "false");
  if (GTK_IS_SPIN_BUTTON (widget))
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (widget));

      return *text ? g_strdup (text) : NULL;
    }
  if (ADW_IS_COMBO_ROW (widget))
    {
      guint position = adw_combo_row_get_selected (ADW_COMBO_ROW (widget));

      if (input->options == NULL || position >= g_strv_length (input->options))
        return NULL;
      return g_strdup (input->options[position]);
    }
  if (GTK_IS_EDITABLE (widget))
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (widget));

      return *text ? g_strdup (text) : NULL;
    }
  return NULL;
}

static GHashTable *
collect_values (DrRunWorkflowWindow *self,
                DrDispatchWorkflow  *workflow)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  GPtrArray *inputs = dr_workflow_get_dispatch_inputs (workflow->workflow);

  for (guint i = 0; i < inputs->len; i++)
    {
      const DrWorkflowInput *input = g_ptr_array_index (inputs, i);
      char *value = input_value (self, input);

      if (value != NULL)
        g_hash_table_insert (values, input->name, value);
    }
  return values;
}

/* The action, not the button: an actionable button follows its action's state. */
static void
set_can_run (DrRunWorkflowWindow *self,
             gboolean             can_run)
{
  self->can_run = can_run;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "run-workflow.run", can_run);
}

/* Checks every input as the user types: the first problem goes under the inputs, the row
 * that has it is marked, and Run waits until there is none. */
static void
validate (DrRunWorkflowWindow *self)
{
  DrDispatchWorkflow *workflow = selected_workflow (self);
  g_autoptr(GError) first = NULL;
  GPtrArray *inputs;

  g_clear_pointer (&self->problem, g_free);
  if (workflow == NULL || selected_ref (self) == NULL)
    {
      set_can_run (self, FALSE);
      return;
    }

  inputs = dr_workflow_get_dispatch_inputs (workflow->workflow);
  for (guint i = 0; i < inputs->len && i < self->input_rows->len; i++)
    {
      const DrWorkflowInput *input = g_ptr_array_index (inputs, i);
      GtkWidget *row = g_ptr_array_index (self->input_rows, i);
      g_autofree char *value = input_value (self, input);
      g_autoptr(GError) error = NULL;

      if (!dr_dispatch_check_input (input, value, &error))
        {
          gtk_widget_add_css_class (row, "error");
          if (first == NULL)
            first = g_steal_pointer (&error);
        }
      else
        gtk_widget_remove_css_class (row, "error");
    }

  if (first != NULL)
    self->problem = g_strdup (first->message);
  adw_preferences_group_set_description (self->inputs_group,
                                         self->problem != NULL ? self->problem
                                         : inputs->len == 0
                                           ? _("This workflow takes no inputs")
                                           : NULL);
  set_can_run (self, self->problem == NULL && self->operation == NULL);
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static GtkWidget *
input_row (DrRunWorkflowWindow   *self,
           const DrWorkflowInput *input)
{
  g_autofree char *title = NULL;
  GtkWidget *row;
  GtkWidget *value;

  /* GitHub's own form shows the description when there is one, else the name. */
  title = g_strdup_printf ("%s%s", input->description && *input->description
                                     ? input->description : input->name,
                           input->required ? " *" : "");

  switch (input->type)
    {
    case DR_WORKFLOW_INPUT_BOOLEAN:
      row = adw_action_row_new ();
      value = gtk_switch_new ();
      gtk_widget_set_valign (value, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (value), g_strcmp0 (input->default_value, "true") == 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), value);
      g_signal_connect_object (value, "notify::active", G_CALLBACK (validate), self,
                               G_CONNECT_SWAPPED);
      break;

    case DR_WORKFLOW_INPUT_CHOICE:
      {
        g_autoptr(GtkStringList) options =
          gtk_string_list_new ((const char * const *) input->options);
        guint selected = 0;

        row = adw_combo_row_new ();
        value = row;
        adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (options));
        for (guint i = 0; input->options != NULL && input->options[i] != NULL; i++)
          if (g_strcmp0 (input->options[i], input->default_value) == 0)
            selected = i;
        adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
        g_signal_connect_object (row, "notify::selected", G_CALLBACK (validate), self,
                                 G_CONNECT_SWAPPED);
        break;
      }

    case DR_WORKFLOW_INPUT_NUMBER:
      {
        double initial = input->default_value != NULL
                           ? g_ascii_strtod (input->default_value, NULL) : 0;

        row = adw_action_row_new ();
        value = gtk_spin_button_new_with_range (-1e9, 1e9, 1);
        gtk_spin_button_set_digits (GTK_SPIN_BUTTON (value), 0);
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (value), initial);
        gtk_widget_set_valign (value, GTK_ALIGN_CENTER);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
        g_signal_connect_object (value, "changed", G_CALLBACK (validate), self,
                                 G_CONNECT_SWAPPED);
        break;
      }

    case DR_WORKFLOW_INPUT_STRING:
    case DR_WORKFLOW_INPUT_ENVIRONMENT:
    default:
      row = adw_entry_row_new ();
      value = row;
      if (input->default_value != NULL)
        gtk_editable_set_text (GTK_EDITABLE (row), input->default_value);
      g_signal_connect_object (row, "changed", G_CALLBACK (validate), self, G_CONNECT_SWAPPED);
      break;
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (ADW_IS_ACTION_ROW (row))
    {
      /* Translators: an input's name and type, e.g. "count · number" */
      g_autofree char *subtitle =
        g_strdup_printf (_("%s · %s"), input->name, dr_workflow_input_type_to_string (input->type));

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
  gtk_widget_set_tooltip_text (row, input->name);
  g_hash_table_insert (self->input_widgets, input->name, value);
  return row;
}

static const char *
route_label (const DrDispatchJob *job)
{
  switch (job->route)
    {
    case DR_DISPATCH_ROUTE_HERE: return _("Runs on this runner");
    case DR_DISPATCH_ROUTE_RUNTIME: return _("Decided when the run starts");
    case DR_DISPATCH_ROUTE_CALLS: return _("Calls another workflow, whose jobs decide");
    case DR_DISPATCH_ROUTE_ELSEWHERE:
    default: return _("For another runner");
    }
}

static void
rebuild (DrRunWorkflowWindow *self)
{
  DrDispatchWorkflow *workflow = selected_workflow (self);
  GPtrArray *inputs;
  g_autofree char *description = NULL;
  guint here;

  clear_rows (self->inputs_group, self->input_rows);
  clear_rows (self->routes_group, self->route_rows);
  g_hash_table_remove_all (self->input_widgets);
  if (workflow == NULL)
    {
      validate (self);
      return;
    }

  inputs = dr_workflow_get_dispatch_inputs (workflow->workflow);
  for (guint i = 0; i < inputs->len; i++)
    {
      GtkWidget *row = input_row (self, g_ptr_array_index (inputs, i));

      adw_preferences_group_add (self->inputs_group, row);
      g_ptr_array_add (self->input_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->inputs_group), TRUE);

  for (guint i = 0; i < workflow->jobs->len; i++)
    {
      const DrDispatchJob *job = g_ptr_array_index (workflow->jobs, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("media-record-symbolic");
      g_autofree char *subtitle = g_strdup_printf ("%s · runs-on: %s", route_label (job),
                                                   job->runs_on ?: "?");

      gtk_widget_add_css_class (icon, "dr-status");
      gtk_widget_add_css_class (icon, job->route == DR_DISPATCH_ROUTE_HERE ? "success"
                                      : "dim-label");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), job->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_group_add (self->routes_group, row);
      g_ptr_array_add (self->route_rows, row);
    }
  here = dr_dispatch_workflow_count_here (workflow);
  if (here == 0)
    description = g_strdup (_("None of its jobs asks for this runner: they will run elsewhere "
                              "or wait for another runner"));
  else
    description = g_strdup_printf (ngettext ("%u of %u jobs will run on this runner",
                                             "%u of %u jobs will run on this runner",
                                             workflow->jobs->len),
                                   here, workflow->jobs->len);
  adw_preferences_group_set_description (self->routes_group, description);
  validate (self);
}

void
_dr_run_workflow_window_set_targets (DrRunWorkflowWindow *self,
                                     DrDispatchTargets   *targets)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) refs = NULL;

  g_return_if_fail (DR_IS_RUN_WORKFLOW_WINDOW (self));
  g_return_if_fail (targets != NULL);

  g_clear_pointer (&self->targets, dr_dispatch_targets_unref);
  self->targets = dr_dispatch_targets_ref (targets);
  gtk_spinner_stop (self->spinner);

  if (targets->workflows->len == 0)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      g_string_append_printf (text, _("%s has no workflow with a workflow_dispatch trigger "
                                      "on its default branch."), targets->repository);
      for (guint i = 0; i < targets->skipped->len; i++)
        g_string_append_printf (text, "\n%s", (char *) g_ptr_array_index (targets->skipped, i));
      adw_status_page_set_description (self->error_page, text->str);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  for (guint i = 0; i < targets->workflows->len; i++)
    gtk_string_list_append (names,
                            ((DrDispatchWorkflow *) g_ptr_array_index (targets->workflows,
                                                                       i))->name);
  refs = gtk_string_list_new ((const char * const *) targets->refs);
  adw_combo_row_set_model (self->workflow_row, G_LIST_MODEL (names));
  adw_combo_row_set_model (self->ref_row, G_LIST_MODEL (refs));
  adw_combo_row_set_selected (self->workflow_row, 0);
  adw_combo_row_set_selected (self->ref_row, 0);
  rebuild (self);
  gtk_stack_set_visible_child_name (self->stack, "form");
}

static void
list_targets_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DrRunWorkflowWindow) self = user_data;
  g_autoptr(DrDispatchTargets) targets = NULL;
  g_autoptr(GError) error = NULL;

  targets = dr_engine_list_dispatch_targets_finish (DR_ENGINE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (targets == NULL)
    {
      gtk_spinner_stop (self->spinner);
      adw_status_page_set_title (self->error_page, _("The Workflows Could Not Be Read"));
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  _dr_run_workflow_window_set_targets (self, targets);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  DrRunWorkflowWindow *self = DR_RUN_WORKFLOW_WINDOW (widget);
  DrDispatchWorkflow *workflow = selected_workflow (self);
  g_autoptr(JsonObject) inputs = NULL;

  if (workflow == NULL || self->engine == NULL || self->runner == NULL || !self->can_run)
    return;
  inputs = _dr_run_workflow_window_build_inputs (self);
  if (inputs == NULL)
    return;

  g_clear_object (&self->operation);
  self->operation = dr_engine_dispatch (self->engine, dr_runner_get_name (self->runner),
                                        self->targets->repository, workflow->path,
                                        selected_ref (self), inputs);
  /* The runner page follows the run from here; a failure stays readable in the operations
   * list and in the followed run's row. */
  gtk_window_close (GTK_WINDOW (self));
}

static void
dr_run_workflow_window_dispose (GObject *object)
{
  DrRunWorkflowWindow *self = DR_RUN_WORKFLOW_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->engine);
  g_clear_object (&self->runner);
  g_clear_object (&self->operation);
  g_clear_pointer (&self->targets, dr_dispatch_targets_unref);
  g_clear_pointer (&self->input_rows, g_ptr_array_unref);
  g_clear_pointer (&self->route_rows, g_ptr_array_unref);
  g_clear_pointer (&self->input_widgets, g_hash_table_unref);
  g_clear_pointer (&self->problem, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), DR_TYPE_RUN_WORKFLOW_WINDOW);

  G_OBJECT_CLASS (dr_run_workflow_window_parent_class)->dispose (object);
}

static void
dr_run_workflow_window_class_init (DrRunWorkflowWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dr_run_workflow_window_dispose;

  dr_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/dr-run-workflow-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DrRunWorkflowWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, DrRunWorkflowWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DrRunWorkflowWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, DrRunWorkflowWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, DrRunWorkflowWindow, workflow_row);
  gtk_widget_class_bind_template_child (widget_class, DrRunWorkflowWindow, ref_row);
  gtk_widget_class_bind_template_child (widget_class, DrRunWorkflowWindow, inputs_group);
  gtk_widget_class_bind_template_child (widget_class, DrRunWorkflowWindow, routes_group);

  gtk_widget_class_install_action (widget_class, "run-workflow.run", NULL, run_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "run-workflow.run", NULL);
}

static void
dr_run_workflow_window_init (DrRunWorkflowWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->input_rows = g_ptr_array_new ();
  self->route_rows = g_ptr_array_new ();
  self->input_widgets = g_hash_table_new (g_str_hash, g_str_equal);
  g_signal_connect_object (self->workflow_row, "notify::selected", G_CALLBACK (rebuild), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->ref_row, "notify::selected", G_CALLBACK (validate), self,
                           G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  set_can_run (self, FALSE);
}

DrRunWorkflowWindow *
dr_run_workflow_window_new (GtkWindow *parent,
                            DrEngine  *engine,
                            DrRunner  *runner)
{
  DrRunWorkflowWindow *self;

  g_return_val_if_fail (engine == NULL || DR_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (DR_IS_RUNNER (runner), NULL);

  self = g_object_new (DR_TYPE_RUN_WORKFLOW_WINDOW, "transient-for", parent, NULL);
  self->runner = g_object_ref (runner);
  if (engine != NULL)
    {
      self->engine = g_object_ref (engine);
      self->cancellable = g_cancellable_new ();
      gtk_spinner_start (self->spinner);
      dr_engine_list_dispatch_targets_async (engine, dr_runner_get_name (runner), NULL,
                                             self->cancellable, list_targets_cb,
                                             g_object_ref (self));
    }
  return self;
}

void
_dr_run_workflow_window_select (DrRunWorkflowWindow *self,
                                const char          *workflow,
                                const char          *ref)
{
  g_return_if_fail (DR_IS_RUN_WORKFLOW_WINDOW (self));

  for (guint i = 0; self->targets != NULL && workflow != NULL &&
                    i < self->targets->workflows->len; i++)
    if (dr_dispatch_targets_find (self->targets, workflow) ==
        g_ptr_array_index (self->targets->workflows, i))
      adw_combo_row_set_selected (self->workflow_row, i);
  for (guint i = 0; self->targets != NULL && ref != NULL && self->targets->refs[i]; i++)
    if (g_str_equal (self->targets->refs[i], ref))
      adw_combo_row_set_selected (self->ref_row, i);
}

void
_dr_run_workflow_window_set_input (DrRunWorkflowWindow *self,
                                   const char          *name,
                                   const char          *value)
{
  DrDispatchWorkflow *workflow = selected_workflow (self);
  GtkWidget *widget;

  g_return_if_fail (DR_IS_RUN_WORKFLOW_WINDOW (self));

  widget = g_hash_table_lookup (self->input_widgets, name);
  g_return_if_fail (widget != NULL && workflow != NULL);

  if (GTK_IS_SWITCH (widget))
    gtk_switch_set_active (GTK_SWITCH (widget), g_strcmp0 (value, "true") == 0);
  else if (ADW_IS_COMBO_ROW (widget))
    {
      GPtrArray *inputs = dr_workflow_get_dispatch_inputs (workflow->workflow);

      for (guint i = 0; i < inputs->len; i++)
        {
          const DrWorkflowInput *input = g_ptr_array_index (inputs, i);

          for (guint j = 0; g_str_equal (input->name, name) && input->options &&
                            input->options[j]; j++)
            if (g_str_equal (input->options[j], value))
              adw_combo_row_set_selected (ADW_COMBO_ROW (widget), j);
        }
    }
  else if (GTK_IS_SPIN_BUTTON (widget))
    {
      gtk_editable_set_text (GTK_EDITABLE (widget), value);
      gtk_spin_button_update (GTK_SPIN_BUTTON (widget));
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (widget), value);
}

const char *
_dr_run_workflow_window_get_problem (DrRunWorkflowWindow *self)
{
  g_return_val_if_fail (DR_IS_RUN_WORKFLOW_WINDOW (self), NULL);
  return self->problem;
}

gboolean
_dr_run_workflow_window_can_run (DrRunWorkflowWindow *self)
{
  g_return_val_if_fail (DR_IS_RUN_WORKFLOW_WINDOW (self), FALSE);
  return self->can_run;
}

JsonObject *
_dr_run_workflow_window_build_inputs (DrRunWorkflowWindow *self)
{
  DrDispatchWorkflow *workflow = selected_workflow (self);
  g_autoptr(GHashTable) values = NULL;

  g_return_val_if_fail (DR_IS_RUN_WORKFLOW_WINDOW (self), NULL);

  if (workflow == NULL)
    return NULL;
  values = collect_values (self, workflow);
  return dr_dispatch_build_inputs (workflow->workflow, values, NULL);
}

DrOperation *
_dr_run_workflow_window_get_operation (DrRunWorkflowWindow *self)
{
  g_return_val_if_fail (DR_IS_RUN_WORKFLOW_WINDOW (self), NULL);
  return self->operation;
}

const char *
_dr_run_workflow_window_get_error (DrRunWorkflowWindow *self)
{
  g_return_val_if_fail (DR_IS_RUN_WORKFLOW_WINDOW (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "error") != 0)
    return NULL;
  return adw_status_page_get_description (self->error_page);
}
