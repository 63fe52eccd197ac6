/* dr-error.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "dr-error.h"

G_DEFINE_QUARK (dr-error-quark, dr_error)

DrError
dr_error_from_http_status (guint status)
{
  switch (status)
    {
    case 400: return DR_ERROR_INVALID;
    case 401: return DR_ERROR_UNAUTHORIZED;
    case 403: return DR_ERROR_FORBIDDEN;
    case 404: return DR_ERROR_NOT_FOUND;
    case 409: return DR_ERROR_CONFLICT;
    case 410: return DR_ERROR_GONE;
    case 422: return DR_ERROR_UNPROCESSABLE;
    case 429: return DR_ERROR_RATE_LIMITED;
    default:
      return status >= 500 && status <= 599 ? DR_ERROR_SERVER : DR_ERROR_FAILED;
    }
}
