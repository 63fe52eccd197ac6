/* dr-test-gtk-utils.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "dr-test-gtk-utils.h"
#include "dr-ui-resources.h"

/* What gtk_test_init() does, except that it drops its varargs: GTK 4.8 calls g_test_init()
 * without options, so G_TEST_OPTION_ISOLATE_DIRS would silently not apply and tests would
 * write into the real ~/.config. */
void
dr_test_gtk_init (int    *argc,
                  char ***argv)
{
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");
  /* gdk-pixbuf tells image formats apart through GIO's MIME database, which the isolated
   * XDG_DATA_DIRS would hide: without this, no SVG icon loads. */
  g_content_type_set_mime_dirs (NULL);
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_init ();
  adw_init ();

  /* Isolated XDG_DATA_DIRS hide the system icon themes, which every desktop has: give them
   * back so the screenshots show what a user sees. */
  gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                  "/usr/share/icons");
  /* GtkApplication adds our resource icons itself; tests have no application. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    RESOURCE_BASE "/icons");
  /* GtkApplication also loads the app's style.css; without it the screenshots would show
   * a problem banner without its colour and padding, and status dots at the wrong size. */
  {
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

    dr_ui_ensure_resources ();
    gtk_css_provider_load_from_resource (provider, RESOURCE_BASE "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  /* Screenshots must show where a transition ends, not a frame in the middle of it. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* Without a window manager, focus moves between toplevels without focus-out events, and
   * GtkText's blink timer then warns (fatally here). Users have a window manager. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
}

void
dr_test_gtk_flush (GtkWidget *widget)
{
  gtk_test_widget_wait_for_draw (widget);
  gdk_display_sync (gtk_widget_get_display (widget));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
dr_test_gtk_wait_until (gboolean (*predicate) (gpointer data),
                        gpointer   data,
                        guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!predicate (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out after %u ms", timeout_ms);
  g_source_remove (id);
}

/* Counts distinct colours, stopping early: a real window has far more than a few. */
static guint
count_colours (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint32 *pixels = g_new (guint32, (gsize) width * height);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  gdk_texture_download (texture, (guchar *) pixels, (gsize) width * 4);
  for (gsize i = 0; i < (gsize) width * height && g_hash_table_size (seen) < 16; i++)
    g_hash_table_add (seen, GUINT_TO_POINTER (pixels[i]));
  return g_hash_table_size (seen);
}

static void
save_one (GtkWindow  *window,
          const char *name,
          const char *variant)
{
  GtkWidget *widget = GTK_WIDGET (window);
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "screenshots",
                                           NULL);
  g_autofree char *file = g_strdup_printf ("%s-%s.png", name, variant);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width, height;

  dr_test_gtk_flush (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  /* The paintable draws nothing while a relayout is pending; wait for a settled frame. */
  paintable = gtk_widget_paintable_new (widget);
  for (guint attempt = 0; node == NULL && attempt < 20; attempt++)
    {
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (node == NULL)
        dr_test_gtk_flush (widget);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  g_assert_cmpuint (count_colours (texture), >, 2);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

void
dr_test_gtk_screenshots (GtkWindow  *window,
                         const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  int width, height;

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  save_one (window, name, "light");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  save_one (window, name, "dark");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_window_get_default_size (window, &width, &height);
  gtk_window_set_default_size (window, 360, height);
  dr_test_gtk_flush (GTK_WIDGET (window));
  dr_test_gtk_flush (GTK_WIDGET (window));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 400);
  save_one (window, name, "narrow");
  gtk_window_set_default_size (window, width, height);
  dr_test_gtk_flush (GTK_WIDGET (window));
}
