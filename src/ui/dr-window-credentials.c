/* dr-window-credentials.c — offering to remove credentials no runner refers to
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An add or a remove interrupted between the keyring and the config leaves a secret behind
 * that no runner uses. When the window opens it looks for such credentials and, if there are
 * any, says so in a toast whose button opens a dialog naming them; only there are they
 * removed. Nothing is removed without that answer.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-stray-credentials.h"
#include "dr-window-private.h"

static void
removed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(DrWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint removed = 0;

  if (!dr_engine_remove_stray_credentials_finish (DR_ENGINE (object), result, &removed, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _dr_window_toast (self, error->message);
      return;
    }

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Removed %u credential from the keyring",
                                          "Removed %u credentials from the keyring", removed),
                             removed);
  _dr_window_toast (self, message);
}

/* What the dialog is about; freed with its "response" handler. */
typedef struct
{
  DrWindow *window;  /* a reference */
  GStrv     ids;
} Offer;

static void
offer_free (gpointer  data,
            GClosure *closure)
{
  Offer *offer = data;

  g_object_unref (offer->window);
  g_strfreev (offer->ids);
  g_free (offer);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             Offer            *offer)
{
  DrWindow *self = offer->window;

  if (g_strcmp0 (response, "remove") != 0)
    return;
  dr_engine_remove_stray_credentials_async (self->engine, (const char * const *) offer->ids,
                                            self->cancellable, removed_cb,
                                            g_object_ref (self));
}

/* win.remove-stray-credentials, a(ss): the id and the label of each, as the toast found them. */
static void
remove_strays_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DrWindow *self = DR_WINDOW (widget);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GString) body = g_string_new (NULL);
  AdwMessageDialog *dialog;
  GVariantIter iter;
  const char *id;
  const char *label;
  Offer *offer;
  gsize n = g_variant_n_children (parameter);

  g_string_append (body, g_dngettext (GETTEXT_PACKAGE,
                                      "This credential in the keyring belongs to no runner. An "
                                      "add or a remove of a runner was interrupted before it "
                                      "was finished.",
                                      "These credentials in the keyring belong to no runner. "
                                      "An add or a remove of a runner was interrupted before it "
                                      "was finished.", n));
  g_string_append_c (body, '\n');
  g_variant_iter_init (&iter, parameter);
  while (g_variant_iter_next (&iter, "(&s&s)", &id, &label))
    {
      g_string_append_printf (body, "\n%s", label);
      g_strv_builder_add (ids, id);
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       g_dngettext (GETTEXT_PACKAGE,
                                                                    "Remove Credential?",
                                                                    "Remove Credentials?", n),
                                                       body->str));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  offer = g_new0 (Offer, 1);
  offer->window = g_object_ref (self);
  offer->ids = g_strv_builder_end (ids);
  g_signal_connect_data (dialog, "response", G_CALLBACK (response_cb), offer, offer_free, 0);
  _dr_window_present_dialog (self, dialog);
}

static void
found_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GWeakRef *window_ref = user_data;
  g_autoptr(DrWindow) self = g_weak_ref_get (window_ref);
  g_autoptr(GPtrArray) strays = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  GVariantBuilder builder;
  AdwToast *toast;

  g_weak_ref_clear (window_ref);
  g_free (window_ref);
  strays = dr_engine_find_stray_credentials_finish (DR_ENGINE (object), result, &error);
  /* Closed meanwhile: nobody to tell. */
  if (self == NULL || gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  /* No keyring, or a locked one: nothing to offer, and the runners say what is wrong. */
  if (strays == NULL)
    {
      g_debug ("Could not look for stray credentials: %s", error->message);
      return;
    }
  if (strays->len == 0)
    return;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ss)"));
  for (guint i = 0; i < strays->len; i++)
    {
      DrStrayCredential *stray = g_ptr_array_index (strays, i);

      g_variant_builder_add (&builder, "(ss)", stray->id, stray->label);
    }

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%u credential in the keyring belongs to no runner",
                                        "%u credentials in the keyring belong to no runner",
                                        strays->len),
                           strays->len);
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_button_label (toast, _("_Review…"));
  adw_toast_set_action_name (toast, "win.remove-stray-credentials");
  adw_toast_set_action_target_value (toast, g_variant_builder_end (&builder));
  adw_toast_overlay_add_toast (self->toasts, toast);
}

void
_dr_window_check_stray_credentials (DrWindow *self)
{
  GWeakRef *window_ref = g_new0 (GWeakRef, 1);

  /* A weak reference: the search runs whenever a window opens, and a strong one would keep a
   * closed window (and the log windows that close with it) alive until the keyring answers. */
  g_weak_ref_init (window_ref, self);
  dr_engine_find_stray_credentials_async (self->engine, self->cancellable, found_cb,
                                          window_ref);
}

void
_dr_window_class_credentials_init (DrWindowClass *klass)
{
  gtk_widget_class_install_action (GTK_WIDGET_CLASS (klass), "win.remove-stray-credentials",
                                   "a(ss)", remove_strays_action);
}
