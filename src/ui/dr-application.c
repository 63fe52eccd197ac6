/* dr-application.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "dr-application.h"
#include "dr-ui-resources.h"
#include "dr-window.h"

struct _DrApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (DrApplication, dr_application, ADW_TYPE_APPLICATION)

static void
dr_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (dr_window_new (DR_APPLICATION (app)));
  gtk_window_present (window);
}

static void
dr_application_class_init (DrApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = dr_application_activate;

  /* Before startup, so GtkApplication finds gtk/help-overlay.ui and style.css. */
  dr_ui_ensure_resources ();
}

static void
dr_application_init (DrApplication *self)
{
}

DrApplication *
dr_application_new (void)
{
  return g_object_new (DR_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}
