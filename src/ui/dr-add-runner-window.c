/* dr-add-runner-window.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-add-runner-window-private.h"
#include "dr-error.h"
#include "dr-ui-resources.h"

struct _DrAddRunnerWindow
{
  AdwWindow      parent_instance;

  /* Template widgets */
  GtkStack      *add_button_stack;
  GtkSpinner    *spinner;
  GtkRevealer   *error_revealer;
  GtkLabel      *error_label;
  AdwPreferencesPage *form;
  AdwEntryRow   *name_row;
  AdwEntryRow   *repository_row;
  GtkLabel      *runner_message;
  AdwComboRow   *credential_kind_row;
  AdwPasswordEntryRow *token_row;
  AdwEntryRow   *app_id_row;
  AdwEntryRow   *installation_id_row;
  AdwActionRow  *private_key_row;
  GtkLabel      *credential_message;
  AdwPreferencesGroup *credential_group;
  GtkLabel      *add_button_label;
  AdwComboRow   *mode_row;
  GtkSpinButton *min_spin;
  GtkSpinButton *max_spin;
  GtkSpinButton *instances_spin;
  GtkLabel      *runners_message;
  AdwEntryRow   *group_row;
  AdwEntryRow   *labels_row;
  AdwEntryRow   *mounts_row;
  GtkLabel      *advanced_message;

  /* Owned references */
  DrEngine      *engine;
  GCancellable  *cancellable;   /* the running add; cancelled when the window closes */
  char          *private_key;   /* PEM text: a secret, wiped when replaced or freed */
  GHashTable    *touched;       /* widgets the user has changed: only those show messages */
  gboolean       show_all_messages;
  DrRunnerSpec  *editing;       /* the runner being edited, or NULL when adding one */
};

G_DEFINE_FINAL_TYPE (DrAddRunnerWindow, dr_add_runner_window, ADW_TYPE_WINDOW)

enum {
  RUNNER_ADDED,
  RUNNER_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_private_key (DrAddRunnerWindow *self)
{
  if (self->private_key != NULL)
    {
      memset (self->private_key, 0, strlen (self->private_key));
      g_clear_pointer (&self->private_key, g_free);
    }
}

static char *
dup_trimmed (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* Splits "a, b ,c" into its non-empty, trimmed parts. */
static GPtrArray *
split_list (AdwEntryRow *row)
{
  g_auto(GStrv) parts = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (row)), ",", -1);
  GPtrArray *items = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *item = g_strstrip (parts[i]);

      if (*item != '\0')
        g_ptr_array_add (items, g_strdup (item));
    }
  return items;
}

static DrCredentialKind
selected_credential_kind (DrAddRunnerWindow *self)
{
  return adw_combo_row_get_selected (self->credential_kind_row) == 1
           ? DR_CREDENTIAL_KIND_GITHUB_APP : DR_CREDENTIAL_KIND_PAT;
}

/* Builds the spec the form describes. Mount texts that do not parse are reported through
 * @mounts_error rather than dropped, so the user sees why. */
static DrRunnerSpec *
build_spec (DrAddRunnerWindow  *self,
            GError            **mounts_error)
{
  g_autoptr(DrRunnerSpec) spec = dr_runner_spec_new ();
  g_autoptr(GPtrArray) labels = split_list (self->labels_row);
  g_autoptr(GPtrArray) mounts = split_list (self->mounts_row);
  g_autofree char *repository = dup_trimmed (self->repository_row);
  g_autofree char *normalized = NULL;
  guint mode = adw_combo_row_get_selected (self->mode_row);

  g_free (spec->name);
  spec->name = dup_trimmed (self->name_row);

  normalized = dr_normalize_repository_url (repository, NULL, NULL);
  g_free (spec->repository_url);
  spec->repository_url = normalized ? g_steal_pointer (&normalized) : g_steal_pointer (&repository);

  spec->mode = mode == 1 ? DR_CONTAINER_MODE_PRIVILEGED
             : mode == 2 ? DR_CONTAINER_MODE_DIND
             : DR_CONTAINER_MODE_KUBERNETES;
  spec->instances = gtk_spin_button_get_value_as_int (self->instances_spin);
  spec->min_runners = gtk_spin_button_get_value_as_int (self->min_spin);
  spec->max_runners = gtk_spin_button_get_value_as_int (self->max_spin);

  g_free (spec->runner_group);
  spec->runner_group = dup_trimmed (self->group_row);
  if (*spec->runner_group == '\0')
    g_clear_pointer (&spec->runner_group, g_free);

  for (guint i = 0; i < labels->len; i++)
    g_ptr_array_add (spec->labels, g_strdup (g_ptr_array_index (labels, i)));

  for (guint i = 0; i < mounts->len; i++)
    {
      g_autoptr(GError) error = NULL;
      DrMount *mount = dr_mount_parse (g_ptr_array_index (mounts, i), &error);

      if (mount == NULL)
        {
          if (mounts_error != NULL && *mounts_error == NULL)
            *mounts_error = g_steal_pointer (&error);
          continue;
        }
      g_ptr_array_add (spec->mounts, mount);
    }

  spec->credential_kind = selected_credential_kind (self);
  return g_steal_pointer (&spec);
}

/* While editing, empty credential fields of an unchanged type keep the stored credential. */
static gboolean
keeps_stored_credential (DrAddRunnerWindow *self)
{
  if (self->editing == NULL || selected_credential_kind (self) != self->editing->credential_kind)
    return FALSE;
  if (selected_credential_kind (self) == DR_CREDENTIAL_KIND_PAT)
    return *gtk_editable_get_text (GTK_EDITABLE (self->token_row)) == '\0';
  return *gtk_editable_get_text (GTK_EDITABLE (self->app_id_row)) == '\0' &&
         *gtk_editable_get_text (GTK_EDITABLE (self->installation_id_row)) == '\0' &&
         self->private_key == NULL;
}

static DrCredential *
build_credential (DrAddRunnerWindow *self)
{
  g_autofree char *app_id = NULL;
  g_autofree char *installation_id = NULL;

  if (keeps_stored_credential (self))
    return NULL;

  if (selected_credential_kind (self) == DR_CREDENTIAL_KIND_PAT)
    return dr_credential_new_pat (gtk_editable_get_text (GTK_EDITABLE (self->token_row)));

  app_id = dup_trimmed (self->app_id_row);
  installation_id = dup_trimmed (self->installation_id_row);
  return dr_credential_new_app (app_id, installation_id,
                                self->private_key ? self->private_key : "");
}

static gboolean
is_touched (DrAddRunnerWindow *self,
            gpointer           widget)
{
  return self->show_all_messages || g_hash_table_contains (self->touched, widget);
}

/* Shows @error (if any) under its group, and marks the rows it concerns. */
static void
show_message (GtkLabel     *label,
              const GError *error)
{
  gtk_label_set_text (label, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), error != NULL);
}

static void
mark_row (gpointer  row,
          gboolean  invalid)
{
  if (invalid)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/* Checks every field and updates the messages. Returns the first invalid widget (for
 * focusing), or NULL when the form is valid. */
static GtkWidget *
validate (DrAddRunnerWindow *self)
{
  g_autoptr(GError) mounts_parse_error = NULL;
  g_autoptr(DrRunnerSpec) spec = build_spec (self, &mounts_parse_error);
  g_autoptr(DrCredential) credential = build_credential (self);
  g_autoptr(GError) name_error = NULL;
  g_autoptr(GError) repository_error = NULL;
  g_autoptr(GError) credential_error = NULL;
  g_autoptr(GError) runners_error = NULL;
  g_autoptr(GError) instances_error = NULL;
  g_autoptr(GError) group_error = NULL;
  g_autoptr(GError) labels_error = NULL;
  g_autoptr(GError) mounts_error = NULL;
  g_autofree char *repository = dup_trimmed (self->repository_row);
  g_autofree char *normalized = NULL;
  DrRepositoryScope scope = DR_REPOSITORY_SCOPE_REPOSITORY;
  gboolean app = selected_credential_kind (self) == DR_CREDENTIAL_KIND_GITHUB_APP;
  GtkWidget *first_invalid = NULL;
  GtkWidget *credential_widget;

  dr_runner_spec_check_field (spec, DR_SPEC_FIELD_NAME, &name_error);
  normalized = dr_normalize_repository_url (repository, &scope, &repository_error);
  if (credential != NULL &&
      !dr_credential_validate (credential, scope, &credential_error) && credential_error == NULL)
    credential_error = g_error_new_literal (DR_ERROR, DR_ERROR_INVALID, _("Invalid credential"));
  dr_runner_spec_check_field (spec, DR_SPEC_FIELD_RUNNERS, &runners_error);
  dr_runner_spec_check_field (spec, DR_SPEC_FIELD_INSTANCES, &instances_error);
  dr_runner_spec_check_field (spec, DR_SPEC_FIELD_RUNNER_GROUP, &group_error);
  dr_runner_spec_check_field (spec, DR_SPEC_FIELD_LABELS, &labels_error);
  if (mounts_parse_error != NULL)
    mounts_error = g_steal_pointer (&mounts_parse_error);
  else if (dr_runner_spec_check_field (spec, DR_SPEC_FIELD_MOUNTS, &mounts_error) &&
           self->engine != NULL)
    /* Said here, not only when deploying: a folder the cluster does not share. */
    dr_engine_check_mounts (self->engine, spec, &mounts_error);

  credential_widget = app ? (self->private_key == NULL ? GTK_WIDGET (self->private_key_row)
                                                       : GTK_WIDGET (self->app_id_row))
                          : GTK_WIDGET (self->token_row);

#define CHECK(err, widget)                                                  \
  G_STMT_START {                                                            \
    gboolean shown = (err) != NULL && is_touched (self, (widget));          \
    mark_row ((widget), shown);                                             \
    if ((err) != NULL && first_invalid == NULL)                             \
      first_invalid = GTK_WIDGET (widget);                                  \
  } G_STMT_END

  CHECK (name_error, self->name_row);
  CHECK (repository_error, self->repository_row);
  CHECK (credential_error, credential_widget);
  CHECK (runners_error, self->max_spin);
  CHECK (instances_error, self->instances_spin);
  CHECK (group_error, self->group_row);
  CHECK (labels_error, self->labels_row);
  CHECK (mounts_error, self->mounts_row);
#undef CHECK

  show_message (self->runner_message,
                name_error && is_touched (self, self->name_row) ? name_error
                : repository_error && is_touched (self, self->repository_row) ? repository_error
                : NULL);
  show_message (self->credential_message,
                credential_error && is_touched (self, credential_widget) ? credential_error : NULL);
  show_message (self->runners_message,
                runners_error && is_touched (self, self->max_spin) ? runners_error
                : instances_error && is_touched (self, self->instances_spin) ? instances_error
                : NULL);
  show_message (self->advanced_message,
                group_error && is_touched (self, self->group_row) ? group_error
                : labels_error && is_touched (self, self->labels_row) ? labels_error
                : mounts_error && is_touched (self, self->mounts_row) ? mounts_error
                : NULL);

  return first_invalid;
}

static void
update_credential_rows (DrAddRunnerWindow *self)
{
  gboolean app = selected_credential_kind (self) == DR_CREDENTIAL_KIND_GITHUB_APP;

  gtk_widget_set_visible (GTK_WIDGET (self->token_row), !app);
  gtk_widget_set_visible (GTK_WIDGET (self->app_id_row), app);
  gtk_widget_set_visible (GTK_WIDGET (self->installation_id_row), app);
  gtk_widget_set_visible (GTK_WIDGET (self->private_key_row), app);
}

/* Several instances are separate scale sets of exactly one runner each (FACTS.md §2.10), so
 * min and max are fixed at 1 rather than left for the user to get wrong. */
static void
update_instances (DrAddRunnerWindow *self)
{
  gboolean several = gtk_spin_button_get_value_as_int (self->instances_spin) > 1;

  if (several)
    {
      gtk_spin_button_set_value (self->min_spin, 1);
      gtk_spin_button_set_value (self->max_spin, 1);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->min_spin), !several);
  gtk_widget_set_sensitive (GTK_WIDGET (self->max_spin), !several);
}

static void
field_changed_cb (DrAddRunnerWindow *self,
                  GtkWidget         *widget)
{
  /* The min and max spins are one rule: touching either shows its message. */
  if (widget == GTK_WIDGET (self->min_spin))
    widget = GTK_WIDGET (self->max_spin);
  g_hash_table_add (self->touched, widget);

  if (widget == GTK_WIDGET (self->credential_kind_row))
    update_credential_rows (self);
  if (widget == GTK_WIDGET (self->instances_spin))
    update_instances (self);
  if (widget == GTK_WIDGET (self->app_id_row) || widget == GTK_WIDGET (self->installation_id_row))
    g_hash_table_add (self->touched, self->private_key_row);

  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  validate (self);
}

static void
set_busy (DrAddRunnerWindow *self,
          gboolean           busy)
{
  gtk_stack_set_visible_child_name (self->add_button_stack, busy ? "spinner" : "label");
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->form), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "add-runner.submit", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "add-runner.choose-private-key", !busy);
}

static void
show_error (DrAddRunnerWindow *self,
            const char        *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

static void
add_runner_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DrAddRunnerWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DrRunner) runner = NULL;

  runner = dr_engine_add_runner_finish (DR_ENGINE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (runner == NULL)
    {
      show_error (self, error->message);
      return;
    }

  g_signal_emit (self, signals[RUNNER_ADDED], 0, runner);
  gtk_window_close (GTK_WINDOW (self));
}

static void
update_runner_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DrAddRunnerWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DrRunner) runner = NULL;

  runner = dr_engine_update_runner_finish (DR_ENGINE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (runner == NULL)
    {
      show_error (self, error->message);
      return;
    }

  g_signal_emit (self, signals[RUNNER_CHANGED], 0, runner);
  gtk_window_close (GTK_WINDOW (self));
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DrAddRunnerWindow *self = DR_ADD_RUNNER_WINDOW (widget);
  g_autoptr(DrRunnerSpec) spec = NULL;
  g_autoptr(DrCredential) credential = NULL;
  GtkWidget *invalid;

  self->show_all_messages = TRUE;
  invalid = validate (self);
  if (invalid != NULL)
    {
      gtk_widget_grab_focus (invalid);
      return;
    }

  spec = build_spec (self, NULL);
  credential = build_credential (self);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  set_busy (self, TRUE);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  if (self->editing != NULL)
    dr_engine_update_runner_async (self->engine, spec, credential, self->cancellable,
                                   update_runner_cb, g_object_ref (self));
  else
    dr_engine_add_runner_async (self->engine, spec, credential, self->cancellable,
                                add_runner_cb, g_object_ref (self));
}

static void
private_key_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(DrAddRunnerWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (object));
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }

  _dr_add_runner_window_set_private_key (self, contents, name);
  memset (contents, 0, length);
}

static void
private_key_chosen_cb (GtkNativeDialog   *dialog,
                       int                response,
                       DrAddRunnerWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      g_file_load_contents_async (file, self->cancellable, private_key_loaded_cb,
                                  g_object_ref (self));
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_private_key_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  DrAddRunnerWindow *self = DR_ADD_RUNNER_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *dialog;

  /* GtkFileDialog needs GTK 4.10; the native chooser is what the 4.8 floor offers. */
  dialog = gtk_file_chooser_native_new (_("Choose the GitHub App’s Private Key"),
                                        GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Private keys (*.pem)"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_signal_connect (dialog, "response", G_CALLBACK (private_key_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
dr_add_runner_window_dispose (GObject *object)
{
  DrAddRunnerWindow *self = DR_ADD_RUNNER_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), DR_TYPE_ADD_RUNNER_WINDOW);

  G_OBJECT_CLASS (dr_add_runner_window_parent_class)->dispose (object);
}

static void
dr_add_runner_window_finalize (GObject *object)
{
  DrAddRunnerWindow *self = DR_ADD_RUNNER_WINDOW (object);

  clear_private_key (self);
  g_clear_pointer (&self->editing, dr_runner_spec_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->touched, g_hash_table_unref);

  G_OBJECT_CLASS (dr_add_runner_window_parent_class)->finalize (object);
}

static void
dr_add_runner_window_class_init (DrAddRunnerWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dr_add_runner_window_dispose;
  object_class->finalize = dr_add_runner_window_finalize;

  signals[RUNNER_ADDED] =
    g_signal_new ("runner-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, DR_TYPE_RUNNER);
  signals[RUNNER_CHANGED] =
    g_signal_new ("runner-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, DR_TYPE_RUNNER);

  dr_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/dr-add-runner-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, DrAddRunnerWindow, name)
  BIND (add_button_stack);
  BIND (spinner);
  BIND (error_revealer);
  BIND (error_label);
  BIND (form);
  BIND (name_row);
  BIND (repository_row);
  BIND (runner_message);
  BIND (credential_kind_row);
  BIND (token_row);
  BIND (app_id_row);
  BIND (installation_id_row);
  BIND (private_key_row);
  BIND (credential_message);
  BIND (credential_group);
  BIND (add_button_label);
  BIND (mode_row);
  BIND (min_spin);
  BIND (max_spin);
  BIND (instances_spin);
  BIND (runners_message);
  BIND (group_row);
  BIND (labels_row);
  BIND (mounts_row);
  BIND (advanced_message);
#undef BIND

  gtk_widget_class_install_action (widget_class, "add-runner.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "add-runner.choose-private-key", NULL,
                                   choose_private_key_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  /* Ctrl+W closes every deskrun window, as the shortcuts window says. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "add-runner.submit", NULL);
}

static void
entry_activated_cb (DrAddRunnerWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "add-runner.submit", NULL);
}

static void
connect_field (DrAddRunnerWindow *self,
               gpointer           widget,
               const char        *signal)
{
  g_signal_connect_object (widget, signal, G_CALLBACK (field_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
dr_add_runner_window_init (DrAddRunnerWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->touched = g_hash_table_new (NULL, NULL);

  connect_field (self, self->name_row, "changed");
  connect_field (self, self->repository_row, "changed");
  connect_field (self, self->token_row, "changed");
  connect_field (self, self->app_id_row, "changed");
  connect_field (self, self->installation_id_row, "changed");
  connect_field (self, self->group_row, "changed");
  connect_field (self, self->labels_row, "changed");
  connect_field (self, self->mounts_row, "changed");
  connect_field (self, self->min_spin, "value-changed");
  connect_field (self, self->max_spin, "value-changed");
  connect_field (self, self->instances_spin, "value-changed");
  connect_field (self, self->credential_kind_row, "notify::selected");
  connect_field (self, self->mode_row, "notify::selected");

  /* Pressing Enter in a text row submits, as in any GNOME form. */
  {
    AdwEntryRow *rows[] = { self->name_row, self->repository_row, ADW_ENTRY_ROW (self->token_row),
                            self->app_id_row, self->installation_id_row, self->group_row,
                            self->labels_row, self->mounts_row };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      g_signal_connect_object (rows[i], "entry-activated", G_CALLBACK (entry_activated_cb),
                               self, G_CONNECT_SWAPPED);
  }

  update_credential_rows (self);
  validate (self);

  /* Ready for typing the moment it opens. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->name_row));
}

DrAddRunnerWindow *
dr_add_runner_window_new (GtkWindow *parent,
                          DrEngine  *engine)
{
  DrAddRunnerWindow *self;

  g_return_val_if_fail (DR_IS_ENGINE (engine), NULL);

  self = g_object_new (DR_TYPE_ADD_RUNNER_WINDOW, "transient-for", parent, NULL);
  self->engine = g_object_ref (engine);
  return self;
}

static char *
join_labels (DrRunnerSpec *spec)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < spec->labels->len; i++)
    g_string_append_printf (text, "%s%s", i ? ", " : "", (char *) spec->labels->pdata[i]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
join_mounts (DrRunnerSpec *spec)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < spec->mounts->len; i++)
    {
      g_autofree char *mount = dr_mount_to_string (spec->mounts->pdata[i]);

      g_string_append_printf (text, "%s%s", i ? ", " : "", mount);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

DrAddRunnerWindow *
dr_add_runner_window_new_for_edit (GtkWindow *parent,
                                   DrEngine  *engine,
                                   DrRunner  *runner)
{
  DrAddRunnerWindow *self;
  DrRunnerSpec *spec;
  g_autofree char *labels = NULL;
  g_autofree char *mounts = NULL;

  g_return_val_if_fail (DR_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (DR_IS_RUNNER (runner), NULL);

  self = dr_add_runner_window_new (parent, engine);
  spec = dr_runner_get_spec (runner);
  self->editing = dr_runner_spec_ref (spec);

  gtk_window_set_title (GTK_WINDOW (self), _("Edit Runner"));
  gtk_label_set_text_with_mnemonic (self->add_button_label, _("_Save"));
  adw_preferences_group_set_description (self->credential_group,
                                         _("Kept only in the system keyring. Leave the fields "
                                           "empty to keep the stored credential."));

  /* The name is the runner's identity in the cluster: it cannot change. */
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), spec->name);
  gtk_editable_set_editable (GTK_EDITABLE (self->name_row), FALSE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_row),
                               _("A runner keeps its name; add a new one to use another"));
  gtk_editable_set_text (GTK_EDITABLE (self->repository_row), spec->repository_url);
  adw_combo_row_set_selected (self->credential_kind_row,
                              spec->credential_kind == DR_CREDENTIAL_KIND_GITHUB_APP ? 1 : 0);
  adw_combo_row_set_selected (self->mode_row,
                              spec->mode == DR_CONTAINER_MODE_PRIVILEGED ? 1
                              : spec->mode == DR_CONTAINER_MODE_DIND ? 2 : 0);
  gtk_spin_button_set_value (self->instances_spin, spec->instances);
  gtk_spin_button_set_value (self->min_spin, spec->min_runners);
  gtk_spin_button_set_value (self->max_spin, spec->max_runners);
  gtk_editable_set_text (GTK_EDITABLE (self->group_row), spec->runner_group ? spec->runner_group
                                                                            : "");
  labels = join_labels (spec);
  gtk_editable_set_text (GTK_EDITABLE (self->labels_row), labels);
  mounts = join_mounts (spec);
  gtk_editable_set_text (GTK_EDITABLE (self->mounts_row), mounts);

  /* Filling in is not the user touching: start with no messages shown. */
  g_hash_table_remove_all (self->touched);
  validate (self);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->repository_row));
  return self;
}

GtkEditable *
_dr_add_runner_window_get_entry (DrAddRunnerWindow *self,
                                 DrAddField         field)
{
  switch (field)
    {
    case DR_ADD_FIELD_NAME: return GTK_EDITABLE (self->name_row);
    case DR_ADD_FIELD_REPOSITORY: return GTK_EDITABLE (self->repository_row);
    case DR_ADD_FIELD_TOKEN: return GTK_EDITABLE (self->token_row);
    case DR_ADD_FIELD_APP_ID: return GTK_EDITABLE (self->app_id_row);
    case DR_ADD_FIELD_INSTALLATION_ID: return GTK_EDITABLE (self->installation_id_row);
    case DR_ADD_FIELD_RUNNER_GROUP: return GTK_EDITABLE (self->group_row);
    case DR_ADD_FIELD_LABELS: return GTK_EDITABLE (self->labels_row);
    case DR_ADD_FIELD_MOUNTS: return GTK_EDITABLE (self->mounts_row);
    default: g_return_val_if_reached (NULL);
    }
}

GtkSpinButton *
_dr_add_runner_window_get_spin (DrAddRunnerWindow *self,
                                const char        *which)
{
  if (g_str_equal (which, "min"))
    return self->min_spin;
  if (g_str_equal (which, "max"))
    return self->max_spin;
  if (g_str_equal (which, "instances"))
    return self->instances_spin;
  g_return_val_if_reached (NULL);
}

AdwComboRow *
_dr_add_runner_window_get_combo (DrAddRunnerWindow *self,
                                 const char        *which)
{
  if (g_str_equal (which, "mode"))
    return self->mode_row;
  if (g_str_equal (which, "credential"))
    return self->credential_kind_row;
  g_return_val_if_reached (NULL);
}

const char *
_dr_add_runner_window_get_message (DrAddRunnerWindow *self,
                                   const char        *group)
{
  GtkLabel *label = g_str_equal (group, "runner") ? self->runner_message
                  : g_str_equal (group, "credential") ? self->credential_message
                  : g_str_equal (group, "runners") ? self->runners_message
                  : self->advanced_message;

  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_text (label) : NULL;
}

const char *
_dr_add_runner_window_get_error (DrAddRunnerWindow *self)
{
  return gtk_revealer_get_reveal_child (self->error_revealer)
           ? gtk_label_get_text (self->error_label) : NULL;
}

void
_dr_add_runner_window_set_private_key (DrAddRunnerWindow *self,
                                       const char        *pem,
                                       const char        *file_name)
{
  clear_private_key (self);
  self->private_key = g_strdup (pem);
  adw_action_row_set_subtitle (self->private_key_row, file_name);
  field_changed_cb (self, GTK_WIDGET (self->private_key_row));
}
