/* dr-ui-resources.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-resources.h"
#include "dr-ui-resources.h"

void
dr_ui_ensure_resources (void)
{
  static gsize registered;

  if (g_once_init_enter (&registered))
    {
      dr_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}
