/* dr-yaml.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <yaml.h>

#include "dr-error.h"
#include "dr-yaml.h"

/* Alias expansion copies nodes, so a few lines of anchors can describe billions of them.
 * Every node built, including every copied one, counts against a budget: generous for any
 * real file (a 1.2 MB CRD holds well under 100 000 nodes), fatal for an alias bomb. */
#define MIN_NODE_BUDGET (1 << 20)
/* Nesting deeper than this is not a real config, and the tree is freed recursively. */
#define MAX_DEPTH 512

#define TAG_PREFIX "tag:yaml.org,2002:"

typedef struct
{
  JsonNode *node;
  gsize     n_nodes;      /* nodes in the subtree, charged again at every alias */
  char     *key_text;     /* the scalar text, when the anchored node is a scalar */
} Anchor;

typedef struct
{
  yaml_parser_t  parser;
  const char    *data;
  gsize          length;
  const char    *origin;
  GHashTable    *anchors;  /* anchor name -> Anchor */
  gsize          n_nodes;
  gsize          max_nodes;
  guint          depth;
} Parser;

static void
anchor_free (gpointer data)
{
  Anchor *anchor = data;

  json_node_unref (anchor->node);
  g_free (anchor->key_text);
  g_free (anchor);
}

static void
set_error_at (Parser            *p,
              const yaml_mark_t *mark,
              GError           **error,
              const char        *message)
{
  g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG, "%s:%zu:%zu: %s",
               p->origin, (size_t) mark->line + 1, (size_t) mark->column + 1, message);
}

static void
set_parser_error (Parser  *p,
                  GError **error)
{
  const yaml_parser_t *yp = &p->parser;
  const char *problem = yp->problem != NULL ? yp->problem : _("invalid YAML");

  if (yp->error == YAML_MEMORY_ERROR)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG, _("%s: out of memory while reading YAML"),
                   p->origin);
    }
  else if (yp->error == YAML_READER_ERROR)
    {
      /* The reader reports a byte offset, not a line. */
      gsize offset = MIN (yp->problem_offset, p->length);
      gsize line = 1;
      gsize line_start = 0;

      for (gsize i = 0; i < offset; i++)
        if (p->data[i] == '\n')
          {
            line++;
            line_start = i + 1;
          }
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG, "%s:%zu:%zu: %s",
                   p->origin, (size_t) line, (size_t) (offset - line_start + 1), problem);
    }
  else if (yp->context != NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG, "%s:%zu:%zu: %s (%s, %zu:%zu)",
                   p->origin,
                   (size_t) yp->problem_mark.line + 1, (size_t) yp->problem_mark.column + 1,
                   problem, yp->context,
                   (size_t) yp->context_mark.line + 1, (size_t) yp->context_mark.column + 1);
    }
  else
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG, "%s:%zu:%zu: %s",
                   p->origin,
                   (size_t) yp->problem_mark.line + 1, (size_t) yp->problem_mark.column + 1,
                   problem);
    }
}

static gboolean
next_event (Parser       *p,
            yaml_event_t *event,
            GError      **error)
{
  if (!yaml_parser_parse (&p->parser, event))
    {
      set_parser_error (p, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
charge_nodes (Parser            *p,
              gsize              n,
              const yaml_mark_t *mark,
              GError           **error)
{
  if (n > p->max_nodes - p->n_nodes)
    {
      set_error_at (p, mark, error,
                    _("the document expands to too many nodes (an alias bomb?)"));
      return FALSE;
    }
  p->n_nodes += n;
  return TRUE;
}

/* Scalar resolution, YAML 1.2 core schema. */

static gboolean
is_null_text (const char *s)
{
  return s[0] == '\0' || g_str_equal (s, "~") || g_str_equal (s, "null") ||
         g_str_equal (s, "Null") || g_str_equal (s, "NULL");
}

static gboolean
parse_bool_text (const char *s,
                 gboolean   *value)
{
  if (g_str_equal (s, "true") || g_str_equal (s, "True") || g_str_equal (s, "TRUE"))
    *value = TRUE;
  else if (g_str_equal (s, "false") || g_str_equal (s, "False") || g_str_equal (s, "FALSE"))
    *value = FALSE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
all_chars_in (const char *s,
              const char *set)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (strchr (set, *s) == NULL)
      return FALSE;
  return TRUE;
}

typedef enum
{
  INT_NO,
  INT_YES,
  INT_OVERFLOW,
} IntResult;

static IntResult
parse_int_text (const char *s,
                gint64     *value,
                gboolean   *decimal)
{
  const char *digits = s;
  guint base = 10;
  guint64 magnitude;
  gboolean negative = FALSE;
  char *end = NULL;

  *decimal = FALSE;
  if (g_str_has_prefix (s, "0x"))
    {
      digits = s + 2;
      base = 16;
      if (!all_chars_in (digits, "0123456789abcdefABCDEF"))
        return INT_NO;
    }
  else if (g_str_has_prefix (s, "0o"))
    {
      digits = s + 2;
      base = 8;
      if (!all_chars_in (digits, "01234567"))
        return INT_NO;
    }
  else
    {
      if (*digits == '-' || *digits == '+')
        {
          negative = *digits == '-';
          digits++;
        }
      if (!all_chars_in (digits, "0123456789"))
        return INT_NO;
      *decimal = TRUE;
    }

  errno = 0;
  magnitude = g_ascii_strtoull (digits, &end, base);
  if (errno == ERANGE || *end != '\0')
    return INT_OVERFLOW;
  if (negative)
    {
      if (magnitude > (guint64) G_MAXINT64 + 1)
        return INT_OVERFLOW;
      *value = magnitude == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) magnitude;
    }
  else
    {
      if (magnitude > (guint64) G_MAXINT64)
        return INT_OVERFLOW;
      *value = (gint64) magnitude;
    }
  return INT_YES;
}

static gboolean
parse_float_text (const char *s,
                  double     *value)
{
  const char *c = s;
  gboolean negative = FALSE;
  gboolean mantissa_digits = FALSE;

  if (*c == '-' || *c == '+')
    {
      negative = *c == '-';
      c++;
    }
  if (g_str_equal (c, ".inf") || g_str_equal (c, ".Inf") || g_str_equal (c, ".INF"))
    {
      *value = negative ? -INFINITY : INFINITY;
      return TRUE;
    }
  if (c == s && (g_str_equal (c, ".nan") || g_str_equal (c, ".NaN") || g_str_equal (c, ".NAN")))
    {
      *value = NAN;
      return TRUE;
    }

  /* [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
  while (g_ascii_isdigit (*c))
    {
      c++;
      mantissa_digits = TRUE;
    }
  if (*c == '.')
    {
      gboolean fraction_digits = FALSE;

      c++;
      while (g_ascii_isdigit (*c))
        {
          c++;
          fraction_digits = TRUE;
        }
      if (!mantissa_digits && !fraction_digits)
        return FALSE;
    }
  else if (!mantissa_digits)
    return FALSE;
  if (*c == 'e' || *c == 'E')
    {
      c++;
      if (*c == '-' || *c == '+')
        c++;
      if (!g_ascii_isdigit (*c))
        return FALSE;
      while (g_ascii_isdigit (*c))
        c++;
    }
  if (*c != '\0')
    return FALSE;

  *value = g_ascii_strtod (s, NULL);
  return TRUE;
}

static JsonNode *
new_string_node (const char *s)
{
  return json_node_init_string (json_node_alloc (), s);
}

/* Resolves a plain scalar. Never fails: what is not null, bool, int or float is a string. */
static JsonNode *
resolve_plain (const char *s)
{
  gboolean b;
  gint64 i;
  gboolean decimal;
  double d;

  if (is_null_text (s))
    return json_node_init_null (json_node_alloc ());
  if (parse_bool_text (s, &b))
    return json_node_init_boolean (json_node_alloc (), b);
  switch (parse_int_text (s, &i, &decimal))
    {
    case INT_YES:
      return json_node_init_int (json_node_alloc (), i);
    case INT_OVERFLOW:
      /* A decimal too big for int64 is still a number, as in JSON; 0x/0o ones stay text. */
      if (decimal)
        return json_node_init_double (json_node_alloc (), g_ascii_strtod (s, NULL));
      return new_string_node (s);
    case INT_NO:
    default:
      break;
    }
  if (parse_float_text (s, &d))
    return json_node_init_double (json_node_alloc (), d);
  return new_string_node (s);
}

static JsonNode *
resolve_tagged (Parser             *p,
                const yaml_event_t *event,
                const char         *tag,
                const char         *s,
                GError            **error)
{
  const char *name = g_str_has_prefix (tag, TAG_PREFIX) ? tag + strlen (TAG_PREFIX) : NULL;
  gboolean b;
  gint64 i;
  gboolean decimal;
  double d;

  if (name == NULL || g_str_equal (name, "str") || g_str_equal (name, "binary") ||
      g_str_equal (name, "timestamp"))
    {
      /* "!" (non-specific), local tags and string-like standard tags keep the text, except
       * that an unknown tag on a plain scalar leaves ordinary resolution in place. */
      if (name == NULL && !g_str_equal (tag, "!") &&
          event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
        return resolve_plain (s);
      return new_string_node (s);
    }
  if (g_str_equal (name, "null"))
    {
      if (is_null_text (s))
        return json_node_init_null (json_node_alloc ());
      set_error_at (p, &event->start_mark, error, _("a value tagged !!null is not null"));
      return NULL;
    }
  if (g_str_equal (name, "bool"))
    {
      if (parse_bool_text (s, &b))
        return json_node_init_boolean (json_node_alloc (), b);
      set_error_at (p, &event->start_mark, error,
                    _("a value tagged !!bool is not true or false"));
      return NULL;
    }
  if (g_str_equal (name, "int"))
    {
      switch (parse_int_text (s, &i, &decimal))
        {
        case INT_YES:
          return json_node_init_int (json_node_alloc (), i);
        case INT_OVERFLOW:
          set_error_at (p, &event->start_mark, error,
                        _("a value tagged !!int is out of range"));
          return NULL;
        case INT_NO:
        default:
          set_error_at (p, &event->start_mark, error,
                        _("a value tagged !!int is not an integer"));
          return NULL;
        }
    }
  if (g_str_equal (name, "float"))
    {
      if (parse_float_text (s, &d))
        return json_node_init_double (json_node_alloc (), d);
      if (parse_int_text (s, &i, &decimal) == INT_YES)
        return json_node_init_double (json_node_alloc (), (double) i);
      set_error_at (p, &event->start_mark, error,
                    _("a value tagged !!float is not a number"));
      return NULL;
    }
  if (g_str_equal (name, "map") || g_str_equal (name, "seq"))
    {
      set_error_at (p, &event->start_mark, error,
                    _("a scalar is tagged as a mapping or a sequence"));
      return NULL;
    }

  /* Other standard tags (!!merge, !!value, ...): resolve by content. */
  if (event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
    return resolve_plain (s);
  return new_string_node (s);
}

static JsonNode *
resolve_scalar (Parser             *p,
                const yaml_event_t *event,
                GError            **error)
{
  const char *s = (const char *) event->data.scalar.value;
  const char *tag = (const char *) event->data.scalar.tag;

  /* json-glib strings are C strings: a "\0" escape cannot be represented. */
  if (strlen (s) != event->data.scalar.length)
    {
      set_error_at (p, &event->start_mark, error, _("a string contains a NUL character"));
      return NULL;
    }

  if (tag != NULL)
    return resolve_tagged (p, event, tag, s, error);
  if (event->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
    return new_string_node (s);
  return resolve_plain (s);
}

/* json_node_copy() shares objects and arrays; an alias must be an independent tree. */
static JsonNode *
node_deep_copy (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *src = json_node_get_object (node);
        g_autoptr(JsonObject) dst = json_object_new ();
        g_autoptr(GList) members = json_object_get_members (src);

        for (GList *l = members; l != NULL; l = l->next)
          json_object_set_member (dst, l->data,
                                  node_deep_copy (json_object_get_member (src, l->data)));
        return json_node_init_object (json_node_alloc (), dst);
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *src = json_node_get_array (node);
        guint n = json_array_get_length (src);
        g_autoptr(JsonArray) dst = json_array_sized_new (n);

        for (guint i = 0; i < n; i++)
          json_array_add_element (dst, node_deep_copy (json_array_get_element (src, i)));
        return json_node_init_array (json_node_alloc (), dst);
      }
    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

static void
remember_anchor (Parser        *p,
                 const char    *name,
                 JsonNode      *node,
                 gsize          n_nodes,
                 const char    *key_text)
{
  Anchor *anchor;

  if (name == NULL)
    return;
  anchor = g_new0 (Anchor, 1);
  anchor->node = node_deep_copy (node);
  anchor->n_nodes = n_nodes;
  anchor->key_text = g_strdup (key_text);
  /* A later anchor of the same name replaces the earlier one, as the spec says. */
  g_hash_table_replace (p->anchors, g_strdup (name), anchor);
}

static JsonNode *parse_node (Parser        *p,
                             yaml_event_t  *event,
                             gsize         *n_nodes,
                             GError       **error);

static JsonNode *
expand_alias (Parser        *p,
              yaml_event_t  *event,
              gsize         *n_nodes,
              GError       **error)
{
  const char *name = (const char *) event->data.alias.anchor;
  Anchor *anchor = g_hash_table_lookup (p->anchors, name);

  if (anchor == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("unknown anchor “%s”"), name);

      set_error_at (p, &event->start_mark, error, message);
      return NULL;
    }
  if (!charge_nodes (p, anchor->n_nodes, &event->start_mark, error))
    return NULL;
  *n_nodes = anchor->n_nodes;
  return node_deep_copy (anchor->node);
}

/* Reads one mapping key and returns its text. */
static char *
parse_key (Parser        *p,
           yaml_event_t  *event,
           GError       **error)
{
  if (event->type == YAML_SCALAR_EVENT)
    {
      const char *text = (const char *) event->data.scalar.value;
      g_autoptr(JsonNode) node = NULL;

      /* Resolving checks tags and NUL bytes even though the key becomes its text. */
      node = resolve_scalar (p, event, error);
      if (node == NULL)
        return NULL;
      if (!charge_nodes (p, 1, &event->start_mark, error))
        return NULL;
      remember_anchor (p, (const char *) event->data.scalar.anchor, node, 1, text);
      return g_strdup (text);
    }
  if (event->type == YAML_ALIAS_EVENT)
    {
      Anchor *anchor = g_hash_table_lookup (p->anchors, event->data.alias.anchor);

      if (anchor != NULL && anchor->key_text != NULL)
        return g_strdup (anchor->key_text);
      if (anchor == NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("unknown anchor “%s”"), (const char *) event->data.alias.anchor);

          set_error_at (p, &event->start_mark, error, message);
          return NULL;
        }
    }
  set_error_at (p, &event->start_mark, error,
                _("a mapping key must be a scalar, not a mapping or a sequence"));
  return NULL;
}

static JsonNode *
parse_mapping (Parser        *p,
               gsize         *n_nodes,
               GError       **error)
{
  g_autoptr(JsonObject) object = json_object_new ();

  for (;;)
    {
      yaml_event_t event;
      g_autofree char *key = NULL;
      yaml_mark_t key_mark;
      JsonNode *value;
      gsize n_value = 0;

      if (!next_event (p, &event, error))
        return NULL;
      if (event.type == YAML_MAPPING_END_EVENT)
        {
          yaml_event_delete (&event);
          break;
        }
      key_mark = event.start_mark;
      key = parse_key (p, &event, error);
      yaml_event_delete (&event);
      if (key == NULL)
        return NULL;
      if (json_object_has_member (object, key))
        {
          g_autofree char *message = g_strdup_printf (_("duplicate key “%s”"), key);

          set_error_at (p, &key_mark, error, message);
          return NULL;
        }

      if (!next_event (p, &event, error))
        return NULL;
      value = parse_node (p, &event, &n_value, error);
      yaml_event_delete (&event);
      if (value == NULL)
        return NULL;
      json_object_set_member (object, key, value);
      /* Keys are not charged to the subtree: an alias copies only values. */
      *n_nodes += n_value;
    }

  return json_node_init_object (json_node_alloc (), object);
}

static JsonNode *
parse_sequence (Parser        *p,
                gsize         *n_nodes,
                GError       **error)
{
  g_autoptr(JsonArray) array = json_array_new ();

  for (;;)
    {
      yaml_event_t event;
      JsonNode *value;
      gsize n_value = 0;

      if (!next_event (p, &event, error))
        return NULL;
      if (event.type == YAML_SEQUENCE_END_EVENT)
        {
          yaml_event_delete (&event);
          break;
        }
      value = parse_node (p, &event, &n_value, error);
      yaml_event_delete (&event);
      if (value == NULL)
        return NULL;
      json_array_add_element (array, value);
      *n_nodes += n_value;
    }

  return json_node_init_array (json_node_alloc (), array);
}

/* Builds the node that starts with @event (owned by the caller) and consumes the events up
 * to its end. *@n_nodes receives the number of nodes in the subtree. */
static JsonNode *
parse_node (Parser        *p,
            yaml_event_t  *event,
            gsize         *n_nodes,
            GError       **error)
{
  JsonNode *node = NULL;
  const char *anchor = NULL;

  *n_nodes = 0;
  switch (event->type)
    {
    case YAML_ALIAS_EVENT:
      return expand_alias (p, event, n_nodes, error);

    case YAML_SCALAR_EVENT:
      if (!charge_nodes (p, 1, &event->start_mark, error))
        return NULL;
      node = resolve_scalar (p, event, error);
      *n_nodes = 1;
      anchor = (const char *) event->data.scalar.anchor;
      if (node != NULL)
        remember_anchor (p, anchor, node, 1, (const char *) event->data.scalar.value);
      return node;

    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT:
      if (p->depth >= MAX_DEPTH)
        {
          set_error_at (p, &event->start_mark, error, _("the document is nested too deeply"));
          return NULL;
        }
      if (!charge_nodes (p, 1, &event->start_mark, error))
        return NULL;
      p->depth++;
      *n_nodes = 1;
      if (event->type == YAML_MAPPING_START_EVENT)
        {
          node = parse_mapping (p, n_nodes, error);
          anchor = (const char *) event->data.mapping_start.anchor;
        }
      else
        {
          node = parse_sequence (p, n_nodes, error);
          anchor = (const char *) event->data.sequence_start.anchor;
        }
      p->depth--;
      if (node != NULL)
        remember_anchor (p, anchor, node, *n_nodes, NULL);
      return node;

    case YAML_NO_EVENT:
    case YAML_STREAM_START_EVENT:
    case YAML_STREAM_END_EVENT:
    case YAML_DOCUMENT_START_EVENT:
    case YAML_DOCUMENT_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
    default:
      set_error_at (p, &event->start_mark, error, _("unexpected YAML event"));
      return NULL;
    }
}

/* Every non-null document of the stream; @marks (optional) receives where each starts. */
static GPtrArray *
parse_stream (const char  *data,
              gssize       length,
              const char  *origin,
              GArray      *marks,
              GError     **error)
{
  g_autoptr(GPtrArray) documents =
    g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GHashTable) anchors = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                         g_free, anchor_free);
  Parser p = { 0 };
  gboolean ok = FALSE;
  yaml_event_t event;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (data);
  if (origin == NULL)
    origin = "<yaml>";

  if (!yaml_parser_initialize (&p.parser))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG, _("%s: out of memory while reading YAML"),
                   origin);
      return NULL;
    }
  yaml_parser_set_input_string (&p.parser, (const unsigned char *) (data ? data : ""), length);
  p.data = data ? data : "";
  p.length = length;
  p.origin = origin;
  p.anchors = anchors;
  p.max_nodes = MAX ((gsize) MIN_NODE_BUDGET, (gsize) length);

  if (!next_event (&p, &event, error))
    goto out;
  yaml_event_delete (&event);   /* STREAM-START */

  for (;;)
    {
      yaml_mark_t mark;
      JsonNode *root;
      gsize n_nodes = 0;

      if (!next_event (&p, &event, error))
        goto out;
      if (event.type == YAML_STREAM_END_EVENT)
        {
          yaml_event_delete (&event);
          break;
        }
      yaml_event_delete (&event);   /* DOCUMENT-START */

      if (!next_event (&p, &event, error))
        goto out;
      mark = event.start_mark;
      root = parse_node (&p, &event, &n_nodes, error);
      yaml_event_delete (&event);
      if (root == NULL)
        goto out;

      if (!next_event (&p, &event, error))
        {
          json_node_unref (root);
          goto out;
        }
      yaml_event_delete (&event);   /* DOCUMENT-END */

      /* Anchors belong to their document. */
      g_hash_table_remove_all (anchors);

      if (JSON_NODE_HOLDS_NULL (root))
        {
          json_node_unref (root);
          continue;
        }
      g_ptr_array_add (documents, root);
      if (marks != NULL)
        g_array_append_val (marks, mark);
    }
  ok = TRUE;

out:
  yaml_parser_delete (&p.parser);
  return ok ? g_steal_pointer (&documents) : NULL;
}

JsonNode *
dr_yaml_parse (const char  *data,
               gssize       length,
               const char  *origin,
               GError     **error)
{
  g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (yaml_mark_t));
  g_autoptr(GPtrArray) documents = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  documents = parse_stream (data, length, origin, marks, error);
  if (documents == NULL)
    return NULL;
  if (documents->len == 0)
    return json_node_init_null (json_node_alloc ());
  if (documents->len > 1)
    {
      const yaml_mark_t *mark = &g_array_index (marks, yaml_mark_t, 1);

      g_set_error (error, DR_ERROR, DR_ERROR_BAD_CONFIG, "%s:%zu:%zu: %s",
                   origin != NULL ? origin : "<yaml>",
                   (size_t) mark->line + 1, (size_t) mark->column + 1,
                   _("expected a single YAML document, found another one"));
      return NULL;
    }
  return json_node_ref (g_ptr_array_index (documents, 0));
}

GPtrArray *
dr_yaml_parse_all (const char  *data,
                   gssize       length,
                   const char  *origin,
                   GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return parse_stream (data, length, origin, NULL, error);
}

/* Emitting. */

static void
append_indent (GString *out,
               guint    indent)
{
  for (guint i = 0; i < indent; i++)
    g_string_append_c (out, ' ');
}

/* Characters libyaml accepts unescaped (its "printable" set), minus the ones it reads as
 * line breaks (NEL, LS, PS) and the BOM. */
static gboolean
is_plain_printable (gunichar c)
{
  if (c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0xFEFF)
    return FALSE;
  return (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

static gboolean
all_printable (const char *s,
               gboolean    allow_newline)
{
  for (const char *c = s; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);

      if (u == '\n' && allow_newline)
        continue;
      if (!is_plain_printable (u))
        return FALSE;
    }
  return TRUE;
}

static gboolean
ascii_case_equal_any (const char         *s,
                      const char * const *words)
{
  for (guint i = 0; words[i] != NULL; i++)
    if (g_ascii_strcasecmp (s, words[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Whether @s can be written as a plain scalar and read back as the same string, by us and
 * by YAML 1.1 readers (which take yes/no/on/off as booleans and 1:20 as a number). */
static gboolean
can_be_plain (const char *s)
{
  static const char * const yaml11_words[] = {
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "<<", "=", NULL
  };
  g_autoptr(JsonNode) resolved = NULL;
  size_t len = strlen (s);

  if (len == 0 || len > 1000)
    return FALSE;
  if (strchr ("-?:,[]{}#&*!|>'\"%@` \t", s[0]) != NULL)
    {
      /* "-foo" and "--flag" are fine; "- x", "-" and "---" are not. */
      if (s[0] != '-' || s[1] == '\0' || s[1] == ' ' || g_str_has_prefix (s, "---"))
        return FALSE;
    }
  if (g_str_has_prefix (s, "..."))
    return FALSE;
  if (s[len - 1] == ' ' || s[len - 1] == ':')
    return FALSE;
  if (strstr (s, ": ") != NULL || strstr (s, " #") != NULL || strchr (s, '\t') != NULL)
    return FALSE;
  if (!all_printable (s, FALSE))
    return FALSE;
  if (ascii_case_equal_any (s, yaml11_words))
    return FALSE;
  /* Anything that starts like a number might be one to some reader (1.1 octal, 1_000,
   * 1:20, dates); quoting it costs nothing. */
  if (g_ascii_isdigit (s[0]) ||
      ((s[0] == '-' || s[0] == '+' || s[0] == '.') && (g_ascii_isdigit (s[1]) || s[1] == '.')))
    return FALSE;

  resolved = resolve_plain (s);
  return JSON_NODE_HOLDS_VALUE (resolved) &&
         json_node_get_value_type (resolved) == G_TYPE_STRING;
}

static void
append_double_quoted (GString    *out,
                      const char *s)
{
  g_string_append_c (out, '"');
  for (const char *c = s; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);

      switch (u)
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
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        default:
          if (is_plain_printable (u))
            g_string_append_len (out, c, g_utf8_next_char (c) - c);
          else if (u <= 0xFF)
            g_string_append_printf (out, "\\x%02X", u);
          else if (u <= 0xFFFF)
            g_string_append_printf (out, "\\u%04X", u);
          else
            g_string_append_printf (out, "\\U%08X", u);
          break;
        }
    }
  g_string_append_c (out, '"');
}

/* Multi-line text reads best as a literal block; it is used only when the block would read
 * back exactly (no escapes needed, indentation detectable from the first line). */
static gboolean
can_be_literal_block (const char *s)
{
  if (strchr (s, '\n') == NULL)
    return FALSE;
  if (s[0] == ' ' || s[0] == '\t' || s[0] == '\n')
    return FALSE;
  /* Trailing blanks would be significant but invisible. */
  if (strstr (s, " \n") != NULL || g_str_has_suffix (s, " "))
    return FALSE;
  return all_printable (s, TRUE) && strchr (s, '\t') == NULL;
}

static void
append_literal_block (GString    *out,
                      const char *s,
                      guint       indent)
{
  size_t len = strlen (s);
  const char *chomp;
  g_auto(GStrv) lines = NULL;
  guint n_lines;

  if (s[len - 1] != '\n')
    chomp = "-";
  else if (len >= 2 && s[len - 2] == '\n')
    chomp = "+";
  else
    chomp = "";
  g_string_append_printf (out, "|%s\n", chomp);

  lines = g_strsplit (s, "\n", -1);
  n_lines = g_strv_length (lines);
  /* A trailing newline leaves one empty string after the last break: not a line. */
  if (s[len - 1] == '\n')
    n_lines--;
  for (guint i = 0; i < n_lines; i++)
    {
      if (lines[i][0] != '\0')
        {
          append_indent (out, indent);
          g_string_append (out, lines[i]);
        }
      g_string_append_c (out, '\n');
    }
}

static void
append_string_scalar (GString    *out,
                      const char *s,
                      guint       block_indent)
{
  g_autofree char *valid = NULL;

  if (!g_utf8_validate (s, -1, NULL))
    s = valid = g_utf8_make_valid (s, -1);

  if (can_be_plain (s))
    {
      g_string_append (out, s);
      g_string_append_c (out, '\n');
    }
  else if (can_be_literal_block (s))
    append_literal_block (out, s, block_indent);
  else
    {
      append_double_quoted (out, s);
      g_string_append_c (out, '\n');
    }
}

static void
append_double (GString *out,
               double   d)
{
  static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (d))
    {
      g_string_append (out, ".nan");
      return;
    }
  if (isinf (d))
    {
      g_string_append (out, d < 0 ? "-.inf" : ".inf");
      return;
    }

  /* The shortest form that reads back as the same double. */
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], d);
      if (g_ascii_strtod (buf, NULL) == d)
        break;
    }
  g_string_append (out, buf);
  /* "1" would read back as an integer. */
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

/* Writes a scalar (or an empty collection) followed by a newline. Block scalars put their
 * lines at @block_indent. */
static void
append_scalar (GString  *out,
               JsonNode *node,
               guint     block_indent)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      g_string_append (out, "{}\n");
      return;
    case JSON_NODE_ARRAY:
      g_string_append (out, "[]\n");
      return;
    case JSON_NODE_NULL:
      g_string_append (out, "null\n");
      return;
    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      append_string_scalar (out, json_node_get_string (node), block_indent);
      return;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true\n" : "false\n");
      return;
    case G_TYPE_DOUBLE:
    case G_TYPE_FLOAT:
      append_double (out, json_node_get_double (node));
      g_string_append_c (out, '\n');
      return;
    case G_TYPE_INT64:
    case G_TYPE_INT:
    default:
      g_string_append_printf (out, "%" G_GINT64_FORMAT "\n", json_node_get_int (node));
      return;
    }
}

static gboolean
is_nonempty_collection (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_size (json_node_get_object (node)) > 0;
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) > 0;
  return FALSE;
}

static void append_mapping  (GString    *out,
                             JsonObject *object,
                             guint       indent,
                             gboolean    first_inline);
static void append_sequence (GString    *out,
                             JsonArray  *array,
                             guint       indent,
                             gboolean    first_inline);

/* After "key:" (at column @indent) or "- " (at @indent): the value. */
static void
append_value (GString  *out,
              JsonNode *node,
              guint     indent,
              gboolean  after_dash)
{
  if (JSON_NODE_HOLDS_OBJECT (node) && is_nonempty_collection (node))
    {
      if (after_dash)
        append_mapping (out, json_node_get_object (node), indent + 2, TRUE);
      else
        {
          g_string_append_c (out, '\n');
          append_mapping (out, json_node_get_object (node), indent + 2, FALSE);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node) && is_nonempty_collection (node))
    {
      if (after_dash)
        append_sequence (out, json_node_get_array (node), indent + 2, TRUE);
      else
        {
          g_string_append_c (out, '\n');
          append_sequence (out, json_node_get_array (node), indent + 2, FALSE);
        }
    }
  else
    append_scalar (out, node, indent + 2);
}

static void
append_key (GString    *out,
            const char *key)
{
  g_autofree char *valid = NULL;

  if (!g_utf8_validate (key, -1, NULL))
    key = valid = g_utf8_make_valid (key, -1);
  if (can_be_plain (key))
    g_string_append (out, key);
  else
    append_double_quoted (out, key);
}

static void
append_mapping (GString    *out,
                JsonObject *object,
                guint       indent,
                gboolean    first_inline)
{
  g_autoptr(GList) members = json_object_get_members (object);
  gboolean first = TRUE;

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *value = json_object_get_member (object, key);
      gsize key_start;

      if (!(first && first_inline))
        append_indent (out, indent);
      first = FALSE;

      key_start = out->len;
      append_key (out, key);
      /* An implicit key is limited to 1024 characters; longer ones need "? key". */
      if (out->len - key_start > 1000)
        {
          g_autofree char *text = g_strndup (out->str + key_start, out->len - key_start);

          g_string_truncate (out, key_start);
          g_string_append (out, "? ");
          g_string_append (out, text);
          g_string_append_c (out, '\n');
          append_indent (out, indent);
        }
      g_string_append_c (out, ':');
      if (!is_nonempty_collection (value))
        g_string_append_c (out, ' ');
      append_value (out, value, indent, FALSE);
    }
}

static void
append_sequence (GString   *out,
                 JsonArray *array,
                 guint      indent,
                 gboolean   first_inline)
{
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      if (!(i == 0 && first_inline))
        append_indent (out, indent);
      g_string_append (out, "- ");
      append_value (out, json_array_get_element (array, i), indent, TRUE);
    }
}

char *
dr_yaml_emit (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    g_string_append (out, "null\n");
  else if (JSON_NODE_HOLDS_OBJECT (node) && is_nonempty_collection (node))
    append_mapping (out, json_node_get_object (node), 0, FALSE);
  else if (JSON_NODE_HOLDS_ARRAY (node) && is_nonempty_collection (node))
    append_sequence (out, json_node_get_array (node), 0, FALSE);
  else
    /* Block lines at column 2 so that "---" or "..." in the text is not a marker. */
    append_scalar (out, node, 2);

  return g_string_free (out, FALSE);
}
