/* dr-error.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-error.h"

G_DEFINE_QUARK (dr-error-quark, dr_error)
