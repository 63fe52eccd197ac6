/* dr-host-command.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One run of a host tool (docker, podman, kind) on this machine, outside our process. The
 * command is an argv — never a shell string — so nothing a user typed is ever parsed by a
 * shell. Output is read line by line and emitted as it arrives; the last lines are kept so a
 * failure can quote them. Inside Flatpak (/.flatpak-info exists) the same argv runs on the
 * host through `flatpak-spawn --host --watch-bus`.
 *
 * Cancelling ends the whole process group: the tool is spawned as the leader of a new group
 * and the group gets SIGTERM, then SIGKILL after a short grace period, so a tool's own
 * children (kind runs docker) end with it. Inside Flatpak the signal reaches flatpak-spawn,
 * which forwards it to the host process; --watch-bus ends the host process if we die.
 *
 * Errors from dr_host_command_run_finish():
 *  - G_IO_ERROR_CANCELLED when cancelled (after the process has exited).
 *  - DR_ERROR_NOT_FOUND when the program is not installed (not on the PATH; inside Flatpak,
 *    when flatpak-spawn reports that it could not start it). The message names the tool.
 *  - DR_ERROR_HOST_COMMAND when the tool ran and failed: "“kind create cluster” failed (exit
 *    status 1):" followed by its last lines of output, or when it could not be started.
 *
 * Secrets never belong on a command line or in the environment of a command: inside Flatpak
 * environment variables become --env=NAME=VALUE arguments, visible to every local user.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How many lines of output a failure quotes at most. */
#define DR_HOST_COMMAND_TAIL_LINES 20

typedef enum
{
  DR_HOST_COMMAND_FLAGS_NONE           = 0,
  /* Collect stdout whole into dr_host_command_get_output() instead of emitting it as lines,
   * and keep it out of the lines an error quotes. For output that is data (a kubeconfig with
   * a client key) rather than progress. stderr is still emitted line by line. */
  DR_HOST_COMMAND_FLAGS_CAPTURE_STDOUT = 1 << 0,
} DrHostCommandFlags;

#define DR_TYPE_HOST_COMMAND (dr_host_command_get_type ())

G_DECLARE_FINAL_TYPE (DrHostCommand, dr_host_command, DR, HOST_COMMAND, GObject)

/* Whether this process runs inside Flatpak; decided once, on first use. */
gboolean            dr_host_command_in_flatpak          (void);

DrHostCommand      *dr_host_command_new                 (const char * const  *argv);
DrHostCommand      *dr_host_command_new_va              (const char          *program,
                                                         ...) G_GNUC_NULL_TERMINATED;

/* Setters must be called before dr_host_command_run_async(). */
void                dr_host_command_set_flags           (DrHostCommand       *self,
                                                         DrHostCommandFlags   flags);
/* @input is written to the tool's stdin, which is then closed. Without it stdin is
 * /dev/null. */
void                dr_host_command_set_stdin           (DrHostCommand       *self,
                                                         GBytes              *input);
/* Adds NAME=VALUE to the tool's environment, which otherwise is ours (on the host: the
 * host session's). Never pass a secret (see above). */
void                dr_host_command_setenv              (DrHostCommand       *self,
                                                         const char          *name,
                                                         const char          *value);

/* The argv as given. */
const char * const *dr_host_command_get_argv            (DrHostCommand       *self);
/* The argv that is (or would be) spawned: the same argv outside Flatpak; inside,
 * "flatpak-spawn --host --watch-bus --env=NAME=VALUE… argv…", since flatpak-spawn does not
 * forward our environment. */
const char * const *dr_host_command_get_spawned_argv    (DrHostCommand       *self);
/* A short name for messages: the program and its leading words before the first option,
 * e.g. "kind create cluster" or "docker inspect". */
const char         *dr_host_command_get_title           (DrHostCommand       *self);

/* Runs the command once. While it runs, ::line is emitted for every line of output (stdout
 * and stderr are read separately, so their relative order is kept only within each). All
 * ::line emissions happen before @callback runs. */
void                dr_host_command_run_async           (DrHostCommand       *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean            dr_host_command_run_finish          (DrHostCommand       *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* After the run: the exit status, or -1 when the tool did not exit normally (not started,
 * killed by a signal). Set on failure too, so a caller can accept a tool's non-zero exit. */
int                 dr_host_command_get_exit_status     (DrHostCommand       *self);
/* After the run with DR_HOST_COMMAND_FLAGS_CAPTURE_STDOUT: everything the tool wrote to
 * stdout (also after a failure); NULL otherwise. */
GBytes             *dr_host_command_get_output          (DrHostCommand       *self);
/* The last DR_HOST_COMMAND_TAIL_LINES lines of output, joined with newlines ("" when there
 * was none). Captured stdout is not part of it. */
char               *dr_host_command_dup_tail            (DrHostCommand       *self);

G_END_DECLS
