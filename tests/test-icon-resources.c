/* test-icon-resources.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "dr-ui-resources.h"

/* GtkApplication adds RESOURCE_BASE "/icons" to the icon theme's search path; an icon placed
 * anywhere else in the bundle is silently never found by name. */
#define ICON_DIR RESOURCE_BASE "/icons/scalable/actions/"

static const char * const icon_names[] = {
  "dr-cluster-symbolic",
  "dr-import-symbolic",
  "dr-runner-symbolic",
  "dr-scale-symbolic",
};

static void
test_icons_found_by_name (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (icon_names); i++)
    {
      g_autofree char *path = g_strconcat (ICON_DIR, icon_names[i], ".svg", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, &error);
      const char *svg;

      g_test_message ("%s", path);
      g_assert_no_error (error);
      svg = g_bytes_get_data (bytes, NULL);
      g_assert_nonnull (strstr (svg, "<svg"));
      g_assert_nonnull (strstr (svg, "viewBox=\"0 0 16 16\""));
    }
}

static void
test_only_symbolic_icons (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) children = g_resources_enumerate_children (ICON_DIR, 0, &error);

  g_assert_no_error (error);
  /* GTK recolours only icons whose names end in -symbolic. */
  for (guint i = 0; children[i] != NULL; i++)
    g_assert_true (g_str_has_suffix (children[i], "-symbolic.svg"));
  g_assert_cmpuint (g_strv_length (children), ==, G_N_ELEMENTS (icon_names));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  dr_ui_ensure_resources ();

  g_test_add_func ("/deskrun/icon-resources/found-by-name", test_icons_found_by_name);
  g_test_add_func ("/deskrun/icon-resources/only-symbolic", test_only_symbolic_icons);

  return g_test_run ();
}
