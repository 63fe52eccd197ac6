/* dr-log-window-private.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For tests, which look at the log window as a user would.
 */
#pragma once

#include "dr-log-window.h"

G_BEGIN_DECLS

/* How many lines a window keeps before it drops the oldest. */
#define DR_LOG_WINDOW_MAX_LINES 20000

void        _dr_log_window_set_max_lines (DrLogWindow *self,
                                          guint        max_lines);
guint       _dr_log_window_get_n_lines   (DrLogWindow *self);
/* The text as shown (and as saved). */
char       *_dr_log_window_dup_text      (DrLogWindow *self);
/* Whether older lines were dropped and the window says so. */
gboolean    _dr_log_window_get_dropped   (DrLogWindow *self);
const char *_dr_log_window_get_subtitle  (DrLogWindow *self);
GtkEditable *_dr_log_window_get_search_entry (DrLogWindow *self);
/* Matches of the search text in the view, and the one jumped to (character offsets);
 * FALSE when none is. */
guint       _dr_log_window_get_n_matches (DrLogWindow *self);
gboolean    _dr_log_window_get_current_match (DrLogWindow *self,
                                              int         *start,
                                              int         *end);
/* Whether the last line is in view. */
gboolean    _dr_log_window_is_at_end     (DrLogWindow *self);
/* The view's, for scrolling as a user does. */
GtkAdjustment *_dr_log_window_get_vadjustment (DrLogWindow *self);

/* What Save… does once a file is chosen. */
void        _dr_log_window_save_async    (DrLogWindow          *self,
                                          GFile                *file,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean    _dr_log_window_save_finish   (DrLogWindow          *self,
                                          GAsyncResult         *result,
                                          GError              **error);

G_END_DECLS
