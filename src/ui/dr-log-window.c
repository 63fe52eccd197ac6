/* dr-log-window.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A little over 900 lines, and one coherent class: following, search, the line cap, timestamps
 * and saving all work on the same text buffer and its list of lines, and splitting them
 * would only move that state into a private header for no reader's benefit.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dr-log-window-private.h"
#include "dr-ui-resources.h"

/* One line as it came, so that showing or hiding timestamps re-renders without asking the
 * cluster again. Pieces of an overlong line have no prefix of their own. */
typedef struct
{
  char  *raw;
  guint  text_offset;  /* where the text after the timestamp starts; 0 without one */
} LogLine;

struct _DrLogWindow
{
  AdwWindow          parent_instance;

  /* Template widgets */
  AdwWindowTitle    *title_widget;
  GtkSearchBar      *search_bar;
  GtkSearchEntry    *search_entry;
  GtkLabel          *matches_label;
  GtkRevealer       *dropped_revealer;
  GtkLabel          *dropped_label;
  AdwToastOverlay   *toasts;
  GtkScrolledWindow *scroller;
  GtkTextView       *text_view;

  /* Owned references */
  DrKubeLogStream   *stream;
  GQueue             lines;         /* of LogLine, oldest first: buffer line i is lines[i] */
  GCancellable      *cancellable;   /* a save in progress; cancelled when the window closes */
  char              *end_message;   /* why the stream ended, once it has */

  /* Borrowed from the buffer */
  GtkTextBuffer     *buffer;
  GtkTextTag        *timestamp_tag;
  GtkTextTag        *match_tag;
  GtkTextTag        *current_tag;   /* the match jumped to, over match_tag */

  DrKubeLogEnd       end_reason;
  guint              max_lines;
  guint              n_matches;
  guint              scroll_idle_id;
  double             last_value;    /* of the vertical adjustment: tells the user's scrolling */
  double             last_upper;
  gboolean           follow;
  gboolean           timestamps;
  gboolean           wrap;
  gboolean           dropped;
};

G_DEFINE_FINAL_TYPE (DrLogWindow, dr_log_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_FOLLOW,
  PROP_TIMESTAMPS,
  PROP_WRAP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
log_line_free (gpointer data)
{
  LogLine *line = data;

  g_free (line->raw);
  g_free (line);
}

static void
toast (DrLogWindow *self,
       const char  *title)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (title));
}

/* ---- Following ---------------------------------------------------------------------------- */

static gboolean
scroll_to_end_cb (gpointer data)
{
  DrLogWindow *self = data;

  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->scroll_idle_id = 0;
  /* The adjustment rather than the end mark, so that the bottom margin shows too. While the
   * view is still measuring new lines the upper bound grows, and "changed" comes back here. */
  if (self->follow)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                          gtk_adjustment_get_page_size (adjustment));
  return G_SOURCE_REMOVE;
}

/* Lines come in bursts (the tail of a log arrives at once): scroll once per burst. */
static void
queue_scroll_to_end (DrLogWindow *self)
{
  if (self->follow && self->scroll_idle_id == 0)
    self->scroll_idle_id = g_idle_add (scroll_to_end_cb, self);
}

static void
set_follow (DrLogWindow *self,
            gboolean     follow)
{
  follow = !!follow;
  if (self->follow == follow)
    return;
  self->follow = follow;
  queue_scroll_to_end (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
}

static gboolean
adjustment_at_end (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)
         >= gtk_adjustment_get_upper (adjustment) - 1.0;
}

/* Scrolling up stops following. Only a move up over the same content is the user's: the
 * view also lowers its value itself when the text gets shorter (re-rendering, unwrapping),
 * which must not stop anything. */
static void
vadjustment_value_changed_cb (DrLogWindow   *self,
                              GtkAdjustment *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);
  double upper = gtk_adjustment_get_upper (adjustment);

  if (self->follow && value < self->last_value && upper == self->last_upper &&
      !adjustment_at_end (adjustment))
    set_follow (self, FALSE);
  self->last_value = value;
  self->last_upper = upper;
}

/* The text grew or the view was resized: stay at the end while following. */
static void
vadjustment_changed_cb (DrLogWindow   *self,
                        GtkAdjustment *adjustment)
{
  self->last_value = gtk_adjustment_get_value (adjustment);
  self->last_upper = gtk_adjustment_get_upper (adjustment);
  if (self->follow && !adjustment_at_end (adjustment))
    queue_scroll_to_end (self);
}

static gboolean
follow_shortcut_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  set_follow (DR_LOG_WINDOW (user_data), TRUE);
  return TRUE;
}

/* ---- Search ------------------------------------------------------------------------------- */

static const char *
search_text (DrLogWindow *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
}

/* Counts the matches between @start and @end, and tags them when @tag is set. */
static guint
search_range (DrLogWindow       *self,
              const GtkTextIter *start,
              const GtkTextIter *end,
              gboolean           tag)
{
  const char *needle = search_text (self);
  GtkTextIter iter = *start;
  GtkTextIter match_start, match_end;
  guint n = 0;

  if (*needle == '\0')
    return 0;
  while (gtk_text_iter_forward_search (&iter, needle, GTK_TEXT_SEARCH_CASE_INSENSITIVE,
                                       &match_start, &match_end, end))
    {
      if (tag)
        gtk_text_buffer_apply_tag (self->buffer, self->match_tag, &match_start, &match_end);
      n++;
      iter = match_end;
    }
  return n;
}

static void
update_matches_label (DrLogWindow *self)
{
  g_autofree char *text = NULL;

  if (*search_text (self) == '\0')
    text = g_strdup ("");
  else if (self->n_matches == 0)
    text = g_strdup (_("No matches"));
  else
    text = g_strdup_printf (ngettext ("%u match", "%u matches", self->n_matches),
                            self->n_matches);
  gtk_label_set_text (self->matches_label, text);
}

static void
search_all (DrLogWindow *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  gtk_text_buffer_remove_tag (self->buffer, self->match_tag, &start, &end);
  gtk_text_buffer_remove_tag (self->buffer, self->current_tag, &start, &end);
  self->n_matches = search_range (self, &start, &end, TRUE);
  update_matches_label (self);
}

static void
search_changed_cb (DrLogWindow *self)
{
  search_all (self);
}

/* Jumps from the current match, or from the part of the log in view when there is none,
 * and wraps around at either end. Jumping stops following: the match must stay in view. */
static void
jump_to_match (DrLogWindow *self,
               gboolean     forward)
{
  const char *needle = search_text (self);
  GtkTextIter from, end, match_start, match_end;
  gboolean found;

  if (*needle == '\0')
    return;

  if (!gtk_text_buffer_get_selection_bounds (self->buffer, &match_start, &match_end))
    {
      GdkRectangle visible;

      gtk_text_view_get_visible_rect (self->text_view, &visible);
      gtk_text_view_get_iter_at_location (self->text_view, &match_start, visible.x,
                                          forward ? visible.y : visible.y + visible.height);
      match_end = match_start;
    }
  from = forward ? match_end : match_start;

  if (forward)
    {
      found = gtk_text_iter_forward_search (&from, needle, GTK_TEXT_SEARCH_CASE_INSENSITIVE,
                                            &match_start, &match_end, NULL);
      if (!found)
        {
          gtk_text_buffer_get_start_iter (self->buffer, &from);
          found = gtk_text_iter_forward_search (&from, needle, GTK_TEXT_SEARCH_CASE_INSENSITIVE,
                                                &match_start, &match_end, NULL);
        }
    }
  else
    {
      found = gtk_text_iter_backward_search (&from, needle, GTK_TEXT_SEARCH_CASE_INSENSITIVE,
                                             &match_start, &match_end, NULL);
      if (!found)
        {
          gtk_text_buffer_get_end_iter (self->buffer, &from);
          found = gtk_text_iter_backward_search (&from, needle, GTK_TEXT_SEARCH_CASE_INSENSITIVE,
                                                 &match_start, &match_end, NULL);
        }
    }
  if (!found)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  set_follow (self, FALSE);
  /* Selected as well, so that Ctrl+C copies it. */
  gtk_text_buffer_get_bounds (self->buffer, &from, &end);
  gtk_text_buffer_remove_tag (self->buffer, self->current_tag, &from, &end);
  gtk_text_buffer_apply_tag (self->buffer, self->current_tag, &match_start, &match_end);
  gtk_text_buffer_select_range (self->buffer, &match_start, &match_end);
  gtk_text_view_scroll_to_mark (self->text_view, gtk_text_buffer_get_insert (self->buffer),
                                0.0, TRUE, 0.0, 0.5);
}

static void
next_match_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  jump_to_match (DR_LOG_WINDOW (widget), TRUE);
}

static void
previous_match_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  jump_to_match (DR_LOG_WINDOW (widget), FALSE);
}

static void
search_activated_cb (DrLogWindow *self)
{
  jump_to_match (self, TRUE);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DrLogWindow *self = DR_LOG_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Escape closes the search first, the window only when there is nothing else to close. */
static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  DrLogWindow *self = DR_LOG_WINDOW (widget);

  if (gtk_search_bar_get_search_mode (self->search_bar))
    gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  else
    gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

/* ---- Lines -------------------------------------------------------------------------------- */

static void
insert_line (DrLogWindow *self,
             GtkTextIter *iter,
             LogLine     *line)
{
  const char *text = line->raw;

  if (line->text_offset > 0)
    {
      if (self->timestamps)
        gtk_text_buffer_insert_with_tags (self->buffer, iter, line->raw, line->text_offset,
                                          self->timestamp_tag, NULL);
      text += line->text_offset;
    }
  gtk_text_buffer_insert (self->buffer, iter, text, -1);
}

/* Keeps memory bounded on a chatty pod: the oldest line goes, and the window says once
 * that the start of the log is no longer all there. */
static void
drop_oldest_line (DrLogWindow *self)
{
  GtkTextIter start, end;

  log_line_free (g_queue_pop_head (&self->lines));
  gtk_text_buffer_get_start_iter (self->buffer, &start);
  if (!gtk_text_buffer_get_iter_at_line (self->buffer, &end, 1))
    gtk_text_buffer_get_end_iter (self->buffer, &end);
  self->n_matches -= MIN (self->n_matches, search_range (self, &start, &end, FALSE));
  gtk_text_buffer_delete (self->buffer, &start, &end);

  if (!self->dropped)
    {
      g_autofree char *text =
        g_strdup_printf (ngettext ("Older lines were dropped: the window keeps the last %u line",
                                   "Older lines were dropped: the window keeps the last %u lines",
                                   self->max_lines),
                         self->max_lines);

      self->dropped = TRUE;
      gtk_label_set_text (self->dropped_label, text);
      gtk_revealer_set_reveal_child (self->dropped_revealer, TRUE);
    }
}

static void
line_cb (DrLogWindow     *self,
         const char      *raw,
         DrKubeLogStream *stream)
{
  LogLine *line = g_new0 (LogLine, 1);
  GtkTextIter start, end;
  const char *text;
  int start_offset;

  line->raw = g_strdup (raw);
  if (dr_kube_log_parse_timestamp (line->raw, NULL, &text))
    line->text_offset = text - line->raw;
  g_queue_push_tail (&self->lines, line);

  gtk_text_buffer_get_end_iter (self->buffer, &end);
  if (self->lines.length > 1)
    gtk_text_buffer_insert (self->buffer, &end, "\n", 1);
  start_offset = gtk_text_iter_get_offset (&end);
  insert_line (self, &end, line);
  gtk_text_buffer_get_iter_at_offset (self->buffer, &start, start_offset);
  self->n_matches += search_range (self, &start, &end, TRUE);

  while (self->lines.length > self->max_lines)
    drop_oldest_line (self);
  update_matches_label (self);
  queue_scroll_to_end (self);
}

/* Everything again from the kept lines, after showing or hiding timestamps. */
static void
render_all (DrLogWindow *self)
{
  GtkTextIter iter;

  gtk_text_buffer_set_text (self->buffer, "", 0);
  gtk_text_buffer_get_start_iter (self->buffer, &iter);
  for (GList *l = self->lines.head; l != NULL; l = l->next)
    {
      if (l != self->lines.head)
        gtk_text_buffer_insert (self->buffer, &iter, "\n", 1);
      insert_line (self, &iter, l->data);
    }
  search_all (self);
  queue_scroll_to_end (self);
}

/* ---- Stream state ------------------------------------------------------------------------- */

static void
update_subtitle (DrLogWindow *self)
{
  const char *subtitle;
  const char *tooltip = NULL;

  if (self->stream == NULL)
    {
      /* A completed job's log from GitHub: whole, and it will not change. */
      adw_window_title_set_subtitle (self->title_widget, _("Completed job, from GitHub"));
      return;
    }

  switch (dr_kube_log_stream_get_state (self->stream))
    {
    case DR_KUBE_LOG_STREAM_CONNECTING:
      subtitle = _("Connecting…");
      break;
    case DR_KUBE_LOG_STREAM_STREAMING:
      subtitle = _("Following");
      break;
    case DR_KUBE_LOG_STREAM_RECONNECTING:
      subtitle = _("Reconnecting…");
      tooltip = dr_kube_log_stream_get_last_error (self->stream);
      break;
    case DR_KUBE_LOG_STREAM_ENDED:
      switch (self->end_reason)
        {
        case DR_KUBE_LOG_END_POD_GONE: subtitle = _("Ended: pod gone"); break;
        case DR_KUBE_LOG_END_POD_FINISHED: subtitle = _("Ended: pod finished"); break;
        case DR_KUBE_LOG_END_ERROR: subtitle = _("Ended: failed"); break;
        case DR_KUBE_LOG_END_COMPLETE:
        default: subtitle = _("Ended"); break;
        }
      tooltip = self->end_message;
      break;
    case DR_KUBE_LOG_STREAM_STOPPED:
    default:
      subtitle = _("Stopped");
      break;
    }
  adw_window_title_set_subtitle (self->title_widget, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_widget), tooltip);
}

static void
ended_cb (DrLogWindow     *self,
          DrKubeLogEnd     reason,
          const char      *message,
          DrKubeLogStream *stream)
{
  self->end_reason = reason;
  g_free (self->end_message);
  self->end_message = g_strdup (message);
  update_subtitle (self);
  /* A pod going away is the normal end of a runner; a failure needs saying out loud. */
  if (reason == DR_KUBE_LOG_END_ERROR)
    toast (self, message);
}

/* ---- Saving ------------------------------------------------------------------------------- */

static void
replace_contents_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
_dr_log_window_save_async (DrLogWindow         *self,
                           GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  g_return_if_fail (DR_IS_LOG_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _dr_log_window_save_async);
  /* What is shown is what is saved: with or without timestamps, as a text file ends. */
  text = _dr_log_window_dup_text (self);
  bytes = g_bytes_new_take (text, strlen (text));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE,
                                       cancellable, replace_contents_cb, g_steal_pointer (&task));
}

gboolean
_dr_log_window_save_finish (DrLogWindow   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  DrLogWindow *self = DR_LOG_WINDOW (object);
  g_autoptr(GError) error = NULL;

  if (!_dr_log_window_save_finish (self, result, &error))
    {
      g_autofree char *title = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      title = g_strdup_printf (_("Could not save the log: %s"), error->message);
      toast (self, title);
      return;
    }
  toast (self, _("Log saved"));
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  DrLogWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      _dr_log_window_save_async (self, file, self->cancellable, saved_cb, NULL);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DrLogWindow *self = DR_LOG_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;

  /* GtkFileDialog needs GTK 4.10; the native chooser is what the 4.8 floor offers. */
  dialog = gtk_file_chooser_native_new (_("Save Log"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  name = g_strdup_printf ("%s.log", gtk_window_get_title (GTK_WINDOW (self)));
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- GObject ------------------------------------------------------------------------------ */

static void
set_timestamps (DrLogWindow *self,
                gboolean     timestamps)
{
  timestamps = !!timestamps;
  if (self->timestamps == timestamps)
    return;
  self->timestamps = timestamps;
  render_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMESTAMPS]);
}

static void
set_wrap (DrLogWindow *self,
          gboolean     wrap)
{
  wrap = !!wrap;
  if (self->wrap == wrap)
    return;
  self->wrap = wrap;
  gtk_text_view_set_wrap_mode (self->text_view, wrap ? GTK_WRAP_WORD_CHAR : GTK_WRAP_NONE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRAP]);
}

static void
dr_log_window_dispose (GObject *object)
{
  DrLogWindow *self = DR_LOG_WINDOW (object);

  /* Closing the window is the end of watching: nobody else reads this stream. */
  if (self->stream != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->stream, self);
      dr_kube_log_stream_stop (self->stream);
      g_clear_object (&self->stream);
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->scroll_idle_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), DR_TYPE_LOG_WINDOW);

  G_OBJECT_CLASS (dr_log_window_parent_class)->dispose (object);
}

static void
dr_log_window_finalize (GObject *object)
{
  DrLogWindow *self = DR_LOG_WINDOW (object);

  g_queue_clear_full (&self->lines, log_line_free);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->end_message, g_free);

  G_OBJECT_CLASS (dr_log_window_parent_class)->finalize (object);
}

static void
dr_log_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DrLogWindow *self = DR_LOG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_FOLLOW:
      g_value_set_boolean (value, self->follow);
      break;
    case PROP_TIMESTAMPS:
      g_value_set_boolean (value, self->timestamps);
      break;
    case PROP_WRAP:
      g_value_set_boolean (value, self->wrap);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_log_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DrLogWindow *self = DR_LOG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_FOLLOW:
      set_follow (self, g_value_get_boolean (value));
      break;
    case PROP_TIMESTAMPS:
      set_timestamps (self, g_value_get_boolean (value));
      break;
    case PROP_WRAP:
      set_wrap (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dr_log_window_class_init (DrLogWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dr_log_window_dispose;
  object_class->finalize = dr_log_window_finalize;
  object_class->get_property = dr_log_window_get_property;
  object_class->set_property = dr_log_window_set_property;

  properties[PROP_FOLLOW] =
    g_param_spec_boolean ("follow", NULL, NULL, TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TIMESTAMPS] =
    g_param_spec_boolean ("timestamps", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_WRAP] =
    g_param_spec_boolean ("wrap", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  dr_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/dr-log-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DrLogWindow, title_widget);
  gtk_widget_class_bind_template_child (widget_class, DrLogWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, DrLogWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DrLogWindow, matches_label);
  gtk_widget_class_bind_template_child (widget_class, DrLogWindow, dropped_revealer);
  gtk_widget_class_bind_template_child (widget_class, DrLogWindow, dropped_label);
  gtk_widget_class_bind_template_child (widget_class, DrLogWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, DrLogWindow, scroller);
  gtk_widget_class_bind_template_child (widget_class, DrLogWindow, text_view);

  gtk_widget_class_install_property_action (widget_class, "log.follow", "follow");
  gtk_widget_class_install_property_action (widget_class, "log.timestamps", "timestamps");
  gtk_widget_class_install_property_action (widget_class, "log.wrap", "wrap");
  gtk_widget_class_install_action (widget_class, "log.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "log.next-match", NULL, next_match_action);
  gtk_widget_class_install_action (widget_class, "log.previous-match", NULL,
                                   previous_match_action);
  gtk_widget_class_install_action (widget_class, "log.save", NULL, save_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "log.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "log.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK,
                                       "log.next-match", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "log.previous-match", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);
}

static void
dr_log_window_init (DrLogWindow *self)
{
  GtkAdjustment *vadjustment;
  GtkEventController *shortcuts;
  GtkShortcutTrigger *trigger;
  GtkShortcutAction *action;

  /* Before the template: its Follow button reads the state of log.follow once, there. */
  self->follow = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->max_lines = DR_LOG_WINDOW_MAX_LINES;
  g_queue_init (&self->lines);

  self->buffer = gtk_text_view_get_buffer (self->text_view);
  self->timestamp_tag = gtk_text_buffer_create_tag (self->buffer, "timestamp",
                                                    "foreground-rgba",
                                                    &(GdkRGBA) { 0.5, 0.5, 0.5, 1.0 },
                                                    NULL);
  /* Yellow like other GNOME search highlights; dark text keeps it readable in dark mode. */
  self->match_tag = gtk_text_buffer_create_tag (self->buffer, "match",
                                                "background-rgba",
                                                &(GdkRGBA) { 0.97, 0.83, 0.29, 1.0 },
                                                "foreground-rgba",
                                                &(GdkRGBA) { 0.0, 0.0, 0.0, 1.0 },
                                                NULL);
  /* Made after match_tag, so it wins where both apply. */
  self->current_tag = gtk_text_buffer_create_tag (self->buffer, "current-match",
                                                  "background-rgba",
                                                  &(GdkRGBA) { 0.96, 0.47, 0.0, 1.0 },
                                                  NULL);

  vadjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (vadjustment, "value-changed",
                           G_CALLBACK (vadjustment_value_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (vadjustment, "changed",
                           G_CALLBACK (vadjustment_changed_cb), self, G_CONNECT_SWAPPED);

  /* End in the text view moves a cursor nobody sees; here it means "back to following".
   * The capture phase gets it before the text view does. */
  trigger = gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_End, 0),
                                         gtk_keyval_trigger_new (GDK_KEY_End, GDK_CONTROL_MASK));
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  action = gtk_callback_action_new (follow_shortcut_cb, self, NULL);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (trigger, action));
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), shortcuts);

  /* Enter goes to the next match (the entry's activate); Shift+Enter to the previous one. */
  trigger = gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_SHIFT_MASK),
                                         gtk_keyval_trigger_new (GDK_KEY_KP_Enter,
                                                                 GDK_SHIFT_MASK));
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  action = gtk_named_action_new ("log.previous-match");
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (trigger, action));
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), shortcuts);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "activate",
                           G_CALLBACK (search_activated_cb), self, G_CONNECT_SWAPPED);
}

DrLogWindow *
dr_log_window_new (GtkWindow       *parent,
                   const char      *title,
                   DrKubeLogStream *stream)
{
  DrLogWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (DR_IS_KUBE_LOG_STREAM (stream), NULL);

  self = g_object_new (DR_TYPE_LOG_WINDOW, "transient-for", parent, "title", title, NULL);
  adw_window_title_set_title (self->title_widget, title);
  self->stream = g_object_ref (stream);
  g_signal_connect_object (stream, "line", G_CALLBACK (line_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (stream, "ended", G_CALLBACK (ended_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (stream, "notify::state", G_CALLBACK (update_subtitle), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (stream, "notify::last-error", G_CALLBACK (update_subtitle), self,
                           G_CONNECT_SWAPPED);
  update_subtitle (self);
  return self;
}

DrLogWindow *
dr_log_window_new_for_text (GtkWindow  *parent,
                            const char *title,
                            GBytes     *text)
{
  DrLogWindow *self;
  g_auto(GStrv) lines = NULL;
  g_autofree char *copy = NULL;
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  self = g_object_new (DR_TYPE_LOG_WINDOW, "transient-for", parent, "title", title, NULL);
  adw_window_title_set_title (self->title_widget, title);
  data = g_bytes_get_data (text, &size);
  copy = g_utf8_make_valid (data != NULL ? data : "", size);
  lines = g_strsplit (copy, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      gsize len = strlen (lines[i]);

      if (len > 0 && lines[i][len - 1] == '\r')
        lines[i][len - 1] = '\0';
      /* The final newline ends the last line; it does not start another. */
      if (lines[i + 1] == NULL && *lines[i] == '\0')
        break;
      line_cb (self, lines[i], NULL);
    }
  update_subtitle (self);
  return self;
}

DrKubeLogStream *
dr_log_window_get_stream (DrLogWindow *self)
{
  g_return_val_if_fail (DR_IS_LOG_WINDOW (self), NULL);
  return self->stream;
}

void
_dr_log_window_set_max_lines (DrLogWindow *self,
                              guint        max_lines)
{
  g_return_if_fail (max_lines > 0);

  self->max_lines = max_lines;
  while (self->lines.length > self->max_lines)
    drop_oldest_line (self);
  update_matches_label (self);
}

guint
_dr_log_window_get_n_lines (DrLogWindow *self)
{
  return self->lines.length;
}

char *
_dr_log_window_dup_text (DrLogWindow *self)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  text = gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
  return *text != '\0' ? g_strconcat (text, "\n", NULL) : g_steal_pointer (&text);
}

gboolean
_dr_log_window_get_dropped (DrLogWindow *self)
{
  return self->dropped && gtk_revealer_get_reveal_child (self->dropped_revealer);
}

const char *
_dr_log_window_get_subtitle (DrLogWindow *self)
{
  return adw_window_title_get_subtitle (self->title_widget);
}

GtkEditable *
_dr_log_window_get_search_entry (DrLogWindow *self)
{
  return GTK_EDITABLE (self->search_entry);
}

guint
_dr_log_window_get_n_matches (DrLogWindow *self)
{
  return self->n_matches;
}

gboolean
_dr_log_window_get_current_match (DrLogWindow *self,
                                  int         *start,
                                  int         *end)
{
  GtkTextIter match_start, match_end;

  if (!gtk_text_buffer_get_selection_bounds (self->buffer, &match_start, &match_end) ||
      !gtk_text_iter_has_tag (&match_start, self->current_tag))
    return FALSE;
  *start = gtk_text_iter_get_offset (&match_start);
  *end = gtk_text_iter_get_offset (&match_end);
  return TRUE;
}

gboolean
_dr_log_window_is_at_end (DrLogWindow *self)
{
  return adjustment_at_end (gtk_scrolled_window_get_vadjustment (self->scroller));
}

GtkAdjustment *
_dr_log_window_get_vadjustment (DrLogWindow *self)
{
  return gtk_scrolled_window_get_vadjustment (self->scroller);
}
