/* dr-json.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "dr-json.h"

/* Safe parsing */

typedef struct
{
  const char *data;
  gsize       length;
  gsize       pos;
  guint       line;
  const char *line_start;
} Scan;

/* The column of @at on its line, counted in characters as json-glib does. */
static guint
scan_column (Scan       *scan,
             const char *at)
{
  guint column = 1;

  for (const char *p = scan->line_start; p < at; p++)
    if (((guchar) *p & 0xc0) != 0x80)
      column++;
  return column;
}

static void G_GNUC_PRINTF (4, 5)
set_scan_error (GError    **error,
                Scan       *scan,
                const char *at,
                const char *format,
                ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
               "<data>:%u:%u: Parse error: %s", scan->line, scan_column (scan, at), what);
}

static int
hex4 (const char *p,
      const char *end)
{
  int value = 0;

  if (end - p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* Checks one string from its opening quote at scan->pos; leaves pos after the closing one (or
 * at the end, for json-glib to report the unterminated string). */
static gboolean
scan_string (Scan    *scan,
             GError **error)
{
  const char *end = scan->data + scan->length;
  const char *p = scan->data + scan->pos + 1;

  while (p < end && *p != '"')
    {
      int code;

      if (*p != '\\')
        {
          p++;
          continue;
        }
      if (p + 1 >= end)
        break;
      if (p[1] != 'u')
        {
          p += 2;
          continue;
        }

      code = hex4 (p + 2, end);
      if (code < 0)
        {
          p += 2;   /* json-glib says what is wrong with the escape */
          continue;
        }
      if (code == 0)
        {
          set_scan_error (error, scan, p,
                          _("the text holds the character U+0000 (\\u0000), which deskrun "
                            "cannot keep"));
          return FALSE;
        }
      if (code >= 0xdc00 && code <= 0xdfff)
        {
          set_scan_error (error, scan, p,
                          _("the escape \\u%04x is half of a UTF-16 pair without its first "
                            "half"), (guint) code);
          return FALSE;
        }
      if (code >= 0xd800 && code <= 0xdbff)
        {
          int low = (end - p >= 12 && p[6] == '\\' && p[7] == 'u') ? hex4 (p + 8, end) : -1;

          if (low < 0xdc00 || low > 0xdfff)
            {
              set_scan_error (error, scan, p,
                              _("the escape \\u%04x is half of a UTF-16 pair without its "
                                "second half"), (guint) code);
              return FALSE;
            }
          p += 12;
          continue;
        }
      p += 6;
    }

  scan->pos = (p < end ? p + 1 : end) - scan->data;
  return TRUE;
}

/* Checks one number token starting at scan->pos and moves past it. */
static gboolean
scan_number (Scan    *scan,
             GError **error)
{
  const char *start = scan->data + scan->pos;
  const char *end = scan->data + scan->length;
  const char *p = start;
  gboolean whole = TRUE;
  g_autofree char *token = NULL;

  while (p < end && (g_ascii_isdigit (*p) || *p == '-' || *p == '+' || *p == '.' ||
                     *p == 'e' || *p == 'E'))
    {
      if (*p == '.' || *p == 'e' || *p == 'E')
        whole = FALSE;
      p++;
    }
  scan->pos = p - scan->data;

  /* Bounded, so a number of a million digits costs no more than its scan. */
  if (p - start > 400)
    {
      set_scan_error (error, scan, start, _("a number is too long"));
      return FALSE;
    }

  token = g_strndup (start, p - start);
  errno = 0;
  if (whole)
    {
      char *rest = NULL;

      (void) g_ascii_strtoll (token, &rest, 10);
      if (errno == ERANGE)
        {
          set_scan_error (error, scan, start,
                          _("the whole number %s is out of range (at most %" G_GINT64_FORMAT
                            ")"), token, G_MAXINT64);
          return FALSE;
        }
    }
  else
    {
      double value = g_ascii_strtod (token, NULL);

      if (isinf (value) || isnan (value))
        {
          set_scan_error (error, scan, start, _("the number %s is too large"), token);
          return FALSE;
        }
    }
  return TRUE;
}

/* The checks of dr_json_parse_data() that json-glib does not make, in one pass. Grammar is
 * json-glib's business: this only counts brackets outside strings. */
static gboolean
scan_document (Scan    *scan,
               GError **error)
{
  const char *invalid = NULL;
  guint depth = 0;

  if (!g_utf8_validate (scan->data, scan->length, &invalid))
    {
      /* Count lines up to the bad byte for the message. */
      for (const char *p = scan->data; p < invalid; p++)
        if (*p == '\n')
          {
            scan->line++;
            scan->line_start = p + 1;
          }
      set_scan_error (error, scan, invalid, _("the text is not valid UTF-8"));
      return FALSE;
    }

  while (scan->pos < scan->length)
    {
      const char *p = scan->data + scan->pos;

      switch (*p)
        {
        case '\n':
          scan->line++;
          scan->line_start = p + 1;
          scan->pos++;
          break;
        case '"':
          if (!scan_string (scan, error))
            return FALSE;
          break;
        case '[':
        case '{':
          if (++depth > DR_JSON_MAX_DEPTH)
            {
              set_scan_error (error, scan, p,
                              _("arrays and objects are nested more than %d levels deep"),
                              DR_JSON_MAX_DEPTH);
              return FALSE;
            }
          scan->pos++;
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          scan->pos++;
          break;
        case '-':
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
          if (!scan_number (scan, error))
            return FALSE;
          break;
        default:
          scan->pos++;
          break;
        }
    }

  return TRUE;
}

static gboolean
only_white_space (const char *data,
                  gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r' && data[i] != '\n')
      return FALSE;
  return TRUE;
}

static void
set_empty_error (GError **error)
{
  g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
               "<data>:1:1: Parse error: %s", _("there is nothing but white space"));
}

JsonNode *
dr_json_parse_data (const char  *data,
                    gssize       length,
                    GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  Scan scan = { 0, };
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (data);

  scan.data = data != NULL ? data : "";
  scan.length = length;
  scan.line = 1;
  scan.line_start = scan.data;
  if (!scan_document (&scan, error))
    return NULL;
  if (only_white_space (scan.data, length))
    {
      set_empty_error (error);
      return NULL;
    }

  /* Not the immutable parser: the config changes the document it read and writes it back. */
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, scan.data, length, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      set_empty_error (error);
      return NULL;
    }

  return json_node_ref (root);
}

JsonNode *
dr_json_parse_bytes (GBytes  *bytes,
                     GError **error)
{
  gsize length = 0;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &length);
  return dr_json_parse_data (data, length, error);
}

JsonNode *
dr_json_parse_object_bytes (GBytes  *bytes,
                            GError **error)
{
  g_autoptr(JsonNode) root = dr_json_parse_bytes (bytes, error);

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                   "<data>:1:1: Parse error: %s", _("it is not a JSON object in curly braces"));
      return NULL;
    }
  return g_steal_pointer (&root);
}

/* Writing. json-glib 1.6's pretty generator writes empty objects as "{        }", so the
 * output is written here: two-space indent, members in insertion order, "key": value. */

static void
write_string (GString    *out,
              const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
write_indent (GString *out,
              int      depth)
{
  if (depth < 0)
    return;
  g_string_append_c (out, '\n');
  for (int i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

/* @depth < 0 writes compact JSON on one line. */
static void
write_node (GString  *out,
            JsonNode *node,
            int       depth)
{
  int inner = depth < 0 ? depth : depth + 1;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        if (members == NULL)
          {
            g_string_append (out, "{}");
            break;
          }
        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            write_indent (out, inner);
            write_string (out, l->data);
            g_string_append (out, depth < 0 ? ":" : ": ");
            write_node (out, json_object_get_member (object, l->data), inner);
            if (l->next != NULL)
              g_string_append_c (out, ',');
          }
        write_indent (out, depth);
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint length = json_array_get_length (array);

        if (length == 0)
          {
            g_string_append (out, "[]");
            break;
          }
        g_string_append_c (out, '[');
        for (guint i = 0; i < length; i++)
          {
            write_indent (out, inner);
            write_node (out, json_array_get_element (array, i), inner);
            if (i + 1 < length)
              g_string_append_c (out, ',');
          }
        write_indent (out, depth);
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          write_string (out, json_node_get_string (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        default:
          {
            char buffer[G_ASCII_DTOSTR_BUF_SIZE];

            g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer,
                                                  json_node_get_double (node)));
          }
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

char *
dr_json_to_string (JsonNode *node,
                   gboolean  pretty)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, NULL);

  write_node (out, node, pretty ? 0 : -1);
  if (pretty)
    g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

/* Readers */

static JsonNode *
walk (JsonNode   *node,
      const char *first,
      va_list     args)
{
  for (const char *name = first; name != NULL && node != NULL; name = va_arg (args, const char *))
    node = JSON_NODE_HOLDS_OBJECT (node) ? json_object_get_member (json_node_get_object (node),
                                                                   name)
                                         : NULL;
  return node;
}

JsonNode *
dr_json_get_member (JsonNode   *node,
                    const char *first,
                    ...)
{
  va_list args;

  va_start (args, first);
  node = walk (node, first, args);
  va_end (args);
  return node;
}

JsonObject *
dr_json_get_object (JsonNode   *node,
                    const char *first,
                    ...)
{
  va_list args;

  va_start (args, first);
  node = walk (node, first, args);
  va_end (args);
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
dr_json_get_array (JsonNode   *node,
                   const char *first,
                   ...)
{
  va_list args;

  va_start (args, first);
  node = walk (node, first, args);
  va_end (args);
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

const char *
dr_json_get_string (JsonNode   *node,
                    const char *first,
                    ...)
{
  va_list args;

  va_start (args, first);
  node = walk (node, first, args);
  va_end (args);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gint64
dr_json_get_int (JsonNode   *node,
                 gint64      fallback,
                 const char *first,
                 ...)
{
  va_list args;

  va_start (args, first);
  node = walk (node, first, args);
  va_end (args);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}
