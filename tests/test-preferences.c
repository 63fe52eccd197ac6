/* test-preferences.c — the Preferences window, used as a user would
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-config-file.h"
#include "dr-preferences-window.h"
#include "dr-test-gtk-utils.h"
#include "dr-test-utils.h"

static DrPreferencesWindow *
open_preferences (DrEngine **engine)
{
  DrPreferencesWindow *preferences;

  *engine = dr_engine_new (NULL, NULL);
  dr_engine_load (*engine);
  preferences = dr_preferences_window_new (NULL, *engine, NULL);
  gtk_window_present (GTK_WINDOW (preferences));
  dr_test_gtk_flush (GTK_WIDGET (preferences));
  return preferences;
}

static GtkWidget *
find_switch_in_row (GtkWidget  *widget,
                    const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_ACTION_ROW (child) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        return adw_action_row_get_activatable_widget (ADW_ACTION_ROW (child));
      if ((found = find_switch_in_row (child, title)) != NULL)
        return found;
    }
  return NULL;
}

static void
test_settings (void)
{
  g_autoptr(DrEngine) engine = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  DrPreferencesWindow *preferences = open_preferences (&engine);
  GtkWidget *background = find_switch_in_row (GTK_WIDGET (preferences), "Run in _Background");
  GtkWidget *jobs = find_switch_in_row (GTK_WIDGET (preferences), "_Jobs");
  AdwComboRow *polling = NULL;

  /* Without a panel item the window says what it takes to have one. */
  g_assert_nonnull (strstr (_dr_preferences_window_get_tray_text (preferences),
                            "StatusNotifierItems"));

  g_assert_nonnull (background);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (background)));
  gtk_widget_activate (background);
  g_assert_false (g_settings_get_boolean (settings, "run-in-background"));
  gtk_widget_activate (background);
  g_assert_true (g_settings_get_boolean (settings, "run-in-background"));

  g_assert_nonnull (jobs);
  gtk_widget_activate (jobs);
  g_assert_false (g_settings_get_boolean (settings, "notify-jobs"));
  g_settings_reset (settings, "notify-jobs");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (jobs)));

  /* The polling choice is the key the GitHub work reads, both ways. */
  {
    GtkWidget *group_child = GTK_WIDGET (preferences);
    GQueue queue = G_QUEUE_INIT;

    g_queue_push_tail (&queue, group_child);
    while (!g_queue_is_empty (&queue) && polling == NULL)
      {
        GtkWidget *w = g_queue_pop_head (&queue);

        if (ADW_IS_COMBO_ROW (w))
          polling = ADW_COMBO_ROW (w);
        for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
          g_queue_push_tail (&queue, c);
      }
    g_queue_clear (&queue);
  }
  g_assert_nonnull (polling);
  g_assert_cmpuint (adw_combo_row_get_selected (polling), ==, 0);
  adw_combo_row_set_selected (polling, 1);
  g_assert_cmpstr (g_settings_get_string (settings, "github-polling"), ==, "frugal");
  g_settings_set_string (settings, "github-polling", "normal");
  g_assert_cmpuint (adw_combo_row_get_selected (polling), ==, 0);

  dr_test_gtk_screenshots (GTK_WINDOW (preferences), "preferences");
  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* The mirror lives in the config file; a bad address is refused and changes nothing. */
static void
test_registry (void)
{
  g_autoptr(DrEngine) engine = NULL;
  DrPreferencesWindow *preferences = open_preferences (&engine);
  AdwEntryRow *row = _dr_preferences_window_get_registry_row (preferences);
  DrConfig *config = dr_engine_get_config (engine);
  g_autofree char *contents = NULL;
  g_autofree char *path = dr_config_default_path ();

  gtk_editable_set_text (GTK_EDITABLE (row), "http://mirror.example.com");
  g_signal_emit_by_name (row, "apply");
  g_assert_null (dr_config_get_chart_registry (config));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  gtk_widget_grab_focus (GTK_WIDGET (row));
  dr_test_gtk_flush (GTK_WIDGET (preferences));
  dr_test_gtk_screenshots (GTK_WINDOW (preferences), "preferences-registry-error");

  gtk_editable_set_text (GTK_EDITABLE (row), " https://mirror.example.com:5000 ");
  g_signal_emit_by_name (row, "apply");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_assert_cmpstr (dr_config_get_chart_registry (config), ==, "https://mirror.example.com:5000");
  g_assert_cmpstr (dr_cluster_get_chart_registry (dr_engine_get_cluster (engine)), ==,
                   "https://mirror.example.com:5000");
  contents = dr_test_read_file (path);
  g_assert_nonnull (strstr (contents, "\"chart_registry\""));
  g_assert_nonnull (strstr (contents, "https://mirror.example.com:5000"));

  /* Empty: back to ghcr.io. */
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  g_signal_emit_by_name (row, "apply");
  g_assert_null (dr_config_get_chart_registry (config));

  gtk_window_destroy (GTK_WINDOW (preferences));
}

int
main (int   argc,
      char *argv[])
{
  dr_test_gtk_init (&argc, &argv);

  g_test_add_func ("/deskrun/preferences/settings", test_settings);
  g_test_add_func ("/deskrun/preferences/registry", test_registry);

  return g_test_run ();
}
