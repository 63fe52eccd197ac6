/* dr-window-private.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What dr-window.c and dr-window-actions.c share, and what tests look at as a user would.
 */
#pragma once

#include "dr-add-runner-window.h"
#include "dr-cluster-page.h"
#include "dr-cluster-row.h"
#include "dr-operations-button.h"
#include "dr-runner-page.h"
#include "dr-window.h"

G_BEGIN_DECLS

struct _DrWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toasts;
  GtkRevealer          *problem_revealer;         /* below the header bar of the empty page */
  GtkLabel             *problem_label;
  GtkRevealer          *problem_revealer_detail;  /* and of the runner detail */
  GtkLabel             *problem_label_detail;
  GtkStack             *main_stack;
  GtkWidget            *empty_import_button;
  GtkLabel             *empty_import_label;
  AdwLeaflet           *leaflet;
  GtkWidget            *content;
  GtkListBox           *runner_list;
  GtkListBox           *cluster_list;
  DrClusterRow         *cluster_row;
  GtkStack             *content_stack;
  DrClusterPage        *setup_page;    /* the steps on the empty page */
  DrClusterPage        *cluster_page;  /* the same, in the detail pane */
  AdwWindowTitle       *detail_title;
  DrRunnerPage         *runner_page;
  DrOperationsButton   *operations_button;        /* in the sidebar */
  DrOperationsButton   *operations_button_empty;  /* on the empty page */

  /* Owned references */
  DrEngine             *engine;
  GSettings            *settings;
  GCancellable         *cancellable;   /* cancelled when the window closes */
  GSignalGroup         *runner_signals; /* the selected runner, for what enables actions */
  GHashTable           *log_windows;    /* what a log window shows ("pod/NAME") -> the window */

  /* Borrowed references: the dialogs this window has open */
  DrAddRunnerWindow    *add_runner_window;
  AdwMessageDialog     *dialog;
};


/* dr-window-actions.c */
void               _dr_window_class_actions_init   (DrWindowClass *klass);
/* Enables the actions that make sense for the selected runner and the cluster connection. */
void               _dr_window_update_actions       (DrWindow    *self);
void               _dr_window_toast                (DrWindow    *self,
                                                    const char  *title);
/* Presents @dialog as the window's open dialog (_dr_window_get_dialog()). */
void               _dr_window_present_dialog       (DrWindow         *self,
                                                    AdwMessageDialog *dialog);

/* dr-window-credentials.c: offers to remove keyring items no runner refers to */
void               _dr_window_class_credentials_init  (DrWindowClass *klass);
void               _dr_window_check_stray_credentials (DrWindow      *self);

/* Says how @operation ended, with @success_message or a toast pointing to the details. */
void               _dr_window_track_operation      (DrWindow    *self,
                                                    DrOperation *operation,
                                                    const char  *success_message);

/* dr-window.c; for tests too */
void               _dr_window_select_runner        (DrWindow   *self,
                                                    const char *name);

/* For tests */
/* "empty" or "runners" */
const char        *_dr_window_get_visible_page     (DrWindow *self);
GtkListBox        *_dr_window_get_runner_list      (DrWindow *self);
DrRunnerPage      *_dr_window_get_runner_page      (DrWindow *self);
AdwLeaflet        *_dr_window_get_leaflet          (DrWindow *self);
/* The Add Runner window or confirmation dialog currently open, if any. */
DrAddRunnerWindow *_dr_window_get_add_runner_window (DrWindow *self);
AdwMessageDialog  *_dr_window_get_dialog           (DrWindow *self);
const char        *_dr_window_get_problem          (DrWindow *self);
/* Whether the empty page offers the deskrun CLI import. */
gboolean           _dr_window_offers_import        (DrWindow *self);

DrClusterPage     *_dr_window_get_cluster_page     (DrWindow   *self,
                                                    gboolean    on_empty_page);
DrClusterRow      *_dr_window_get_cluster_row      (DrWindow   *self);
/* Selects the sidebar's cluster row, as a click does. */
void               _dr_window_show_cluster         (DrWindow   *self);

G_END_DECLS
