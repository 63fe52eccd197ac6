/* dr-fake-host.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fake host tools (docker, podman, kind, flatpak-spawn) for tests: shell scripts in a
 * temporary bin folder that becomes the whole PATH, so a real tool on the developer's machine
 * is never run. Every call is recorded in its own folder, numbered in call order: its argv
 * (one argument a line), its stdin, and $KIND_EXPERIMENTAL_PROVIDER.
 *
 * What a call does is set through the environment, per KEY: the tool and its first word, and
 * for kind its second word too, upper-cased, other characters as "_" — KIND_CREATE_CLUSTER,
 * KIND_GET_CLUSTERS, DOCKER_INSPECT, DOCKER___VERSION (for `docker --version`); and
 * DOCKER_INSPECT_MOUNTS for `docker inspect -f {{json .Mounts}} …` when FAKE_DOCKER_INSPECT_
 * MOUNTS_STDOUT is set (otherwise that call is DOCKER_INSPECT too):
 *   FAKE_KEY_STDOUT, FAKE_KEY_STDERR  printed with printf %b (so "\n" separates lines)
 *   FAKE_KEY_EXIT                     the exit status (default 0)
 *   FAKE_KEY_SLOW                     "1": start `sleep 30` as a child, record both pids, print
 *                                     "started" and wait; "stubborn": the same, ignoring SIGTERM
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _DrFakeHost DrFakeHost;

/* Makes the bin folder, points PATH at it alone and clears every FAKE_* variable. */
DrFakeHost *dr_fake_host_new          (void);
/* Restores PATH and removes the folder. */
void        dr_fake_host_free         (DrFakeHost  *fake);

const char *dr_fake_host_get_dir      (DrFakeHost  *fake);
/* Installs fake @tool ("docker", "podman", "kind" or "flatpak-spawn"; the last one drops its
 * options, exports its --env=NAME=VALUE arguments and runs the rest, or fails as the real one
 * does when the program does not exist). */
void        dr_fake_host_add_tool     (DrFakeHost  *fake,
                                       const char  *tool);
/* Makes the real @program (e.g. "ls") reachable through the fake PATH. */
void        dr_fake_host_link_real    (DrFakeHost  *fake,
                                       const char  *program);
/* Sets FAKE_@key_@what to @value. */
void        dr_fake_host_set          (DrFakeHost  *fake,
                                       const char  *key,
                                       const char  *what,
                                       const char  *value);

guint       dr_fake_host_n_calls      (DrFakeHost  *fake);
/* The tool of call @index (0-based). */
char       *dr_fake_host_call_tool    (DrFakeHost  *fake,
                                       guint        index);
/* The arguments of call @index (argv[1..]). */
GStrv       dr_fake_host_call_args    (DrFakeHost  *fake,
                                       guint        index);
/* A recorded file of call @index ("stdin", "provider", "pid", "child-pid"), or NULL. */
char       *dr_fake_host_call_file    (DrFakeHost  *fake,
                                       guint        index,
                                       const char  *name);
/* Fails unless call @index was @tool with exactly the NULL-terminated arguments. */
void        dr_fake_host_assert_call  (DrFakeHost  *fake,
                                       guint        index,
                                       const char  *tool,
                                       ...) G_GNUC_NULL_TERMINATED;

/* Spins the default main context until process @pid is gone (or a zombie), failing after
 * @timeout_ms. */
void        dr_fake_host_wait_for_exit (int          pid,
                                        guint        timeout_ms);
gboolean    dr_fake_host_pid_is_gone   (int          pid);

G_END_DECLS
