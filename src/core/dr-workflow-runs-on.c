/* dr-workflow-runs-on.c — what a job's runs-on asks for, with expressions evaluated
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GitHub evaluates runs-on when the run starts. deskrun evaluates only what the file itself
 * decides: property paths into a literal strategy.matrix, inputs with a default (or passed by
 * a calling job), string literals, "||" and fromJSON(). Every other expression is left to the
 * run, and said so.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dr-json.h"
#include "dr-workflow.h"

/* GitHub refuses a matrix of more than 256 jobs. */
#define MAX_COMBINATIONS 256

typedef struct
{
  JsonNode *value;   /* NULL: unknown until the run */
  char     *source;  /* why it has this value, for a person */
} InputValue;

typedef struct
{
  JsonObject *combo;      /* matrix combination, nullable */
  GHashTable *inputs;     /* casefolded name -> InputValue */
  GPtrArray  *used;       /* "matrix.os = x" notes, in order of use */
  gboolean    unknown;    /* some value is only known at run time */
  gboolean    unsupported;/* syntax deskrun does not evaluate */
} Ctx;

void
dr_runs_on_target_free (DrRunsOnTarget *target)
{
  if (target == NULL)
    return;
  g_strfreev (target->labels);
  g_free (target->group);
  g_free (target->evaluated_with);
  g_free (target->detail);
  g_free (target);
}

static void
input_value_free (gpointer data)
{
  InputValue *v = data;

  g_clear_pointer (&v->value, json_node_unref);
  g_free (v->source);
  g_free (v);
}

static JsonNode *
string_node (const char *text)
{
  return json_node_init_string (json_node_alloc (), text);
}

static void
add_used (Ctx        *ctx,
          const char *note)
{
  for (guint i = 0; i < ctx->used->len; i++)
    if (g_str_equal (g_ptr_array_index (ctx->used, i), note))
      return;
  g_ptr_array_add (ctx->used, g_strdup (note));
}

/* Scalars as GitHub turns them into text. */
static char *
node_to_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? "true" : "false");
      if (type == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (type == G_TYPE_DOUBLE)
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
        }
    }
  return NULL;  /* an array or object has no text form that runs-on can use */
}

/* Everything the evaluator produces is a string, so fromJSON's numbers become text too. */
static JsonNode *
normalize (JsonNode *node)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *in = json_node_get_array (node);
      g_autoptr(JsonArray) out = json_array_new ();

      for (guint i = 0; i < json_array_get_length (in); i++)
        json_array_add_element (out, normalize (json_array_get_element (in, i)));
      return json_node_init_array (json_node_alloc (), out);
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *in = json_node_get_object (node);
      g_autoptr(JsonObject) out = json_object_new ();
      JsonObjectIter iter;
      const char *key;
      JsonNode *member;

      json_object_iter_init (&iter, in);
      while (json_object_iter_next (&iter, &key, &member))
        json_object_set_member (out, key, normalize (member));
      return json_node_init_object (json_node_alloc (), out);
    }
  if (JSON_NODE_HOLDS_NULL (node))
    return json_node_new (JSON_NODE_NULL);
  {
    g_autofree char *text = node_to_text (node);

    return string_node (text != NULL ? text : "");
  }
}

static gboolean
truthy (JsonNode *node)
{
  const char *text;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return TRUE;
  text = json_node_get_string (node);
  /* Scalars are kept as written: "false" and "0" are what a boolean or number input gives. */
  return text != NULL && *text != '\0' && !g_str_equal (text, "false") &&
         !g_str_equal (text, "0");
}

static JsonNode *
member_ci (JsonObject *object,
           const char *name)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;

  if (object == NULL)
    return NULL;
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &member))
    if (g_ascii_strcasecmp (key, name) == 0)
      return member;
  return NULL;
}

/* Expressions: a small recursive-descent reader over the text between ${{ and }}. */

typedef struct
{
  const char *p;
  Ctx        *ctx;
} Lexer;

static void
skip_space (Lexer *lx)
{
  while (g_ascii_isspace (*lx->p))
    lx->p++;
}

static gboolean
ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-';
}

static char *
read_ident (Lexer *lx)
{
  const char *start = lx->p;

  if (!(g_ascii_isalpha (*lx->p) || *lx->p == '_'))
    return NULL;
  while (ident_char (*lx->p))
    lx->p++;
  return g_strndup (start, lx->p - start);
}

static char *
read_string (Lexer *lx)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert (*lx->p == '\'');
  lx->p++;
  for (;;)
    {
      if (*lx->p == '\0')
        return NULL;
      if (*lx->p == '\'')
        {
          if (lx->p[1] != '\'')
            break;
          lx->p++;
        }
      g_string_append_c (out, *lx->p);
      lx->p++;
    }
  lx->p++;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static JsonNode *parse_or (Lexer *lx);

/* A property path: matrix.X[.Y], inputs.X, github.event.inputs.X. */
static JsonNode *
eval_path (Lexer      *lx,
           const char *root)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) path = g_string_new (root);
  JsonNode *node = NULL;
  gboolean is_matrix = g_ascii_strcasecmp (root, "matrix") == 0;
  gboolean is_inputs = g_ascii_strcasecmp (root, "inputs") == 0;

  for (;;)
    {
      skip_space (lx);
      if (*lx->p == '.')
        {
          char *part;

          lx->p++;
          skip_space (lx);
          part = read_ident (lx);
          if (part == NULL)
            {
              lx->ctx->unsupported = TRUE;
              return NULL;
            }
          g_ptr_array_add (parts, part);
          g_string_append_printf (path, ".%s", part);
        }
      else if (*lx->p == '[')
        {
          char *part;

          lx->p++;
          skip_space (lx);
          if (*lx->p != '\'' || (part = read_string (lx)) == NULL)
            {
              lx->ctx->unsupported = TRUE;
              return NULL;
            }
          skip_space (lx);
          if (*lx->p != ']')
            {
              g_free (part);
              lx->ctx->unsupported = TRUE;
              return NULL;
            }
          lx->p++;
          g_ptr_array_add (parts, part);
          g_string_append_printf (path, ".%s", part);
        }
      else
        break;
    }

  /* github.event.inputs.X is the older spelling of inputs.X. */
  if (g_ascii_strcasecmp (root, "github") == 0 && parts->len == 3 &&
      g_ascii_strcasecmp (g_ptr_array_index (parts, 0), "event") == 0 &&
      g_ascii_strcasecmp (g_ptr_array_index (parts, 1), "inputs") == 0)
    {
      g_free (g_ptr_array_steal_index (parts, 0));
      g_free (g_ptr_array_steal_index (parts, 0));
      is_inputs = TRUE;
    }

  if (is_matrix && lx->ctx->combo != NULL && parts->len > 0)
    {
      node = member_ci (lx->ctx->combo, g_ptr_array_index (parts, 0));
      for (guint i = 1; node != NULL && i < parts->len; i++)
        node = JSON_NODE_HOLDS_OBJECT (node)
               ? member_ci (json_node_get_object (node), g_ptr_array_index (parts, i)) : NULL;
      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        {
          g_autofree char *note = g_strdup_printf (_("%s is not set"), path->str);

          add_used (lx->ctx, note);
          return json_node_new (JSON_NODE_NULL);
        }
      {
        g_autofree char *text = node_to_text (node);
        g_autofree char *json = text == NULL ? json_to_string (node, FALSE) : NULL;
        g_autofree char *note = g_strdup_printf ("%s = %s", path->str,
                                                 text != NULL ? text : json);

        add_used (lx->ctx, note);
      }
      return json_node_copy (node);
    }

  if (is_inputs && parts->len == 1)
    {
      g_autofree char *key = g_utf8_casefold (g_ptr_array_index (parts, 0), -1);
      InputValue *v = g_hash_table_lookup (lx->ctx->inputs, key);

      if (v != NULL && v->value != NULL)
        {
          g_autofree char *text = node_to_text (v->value);
          g_autofree char *note = g_strdup_printf ("%s = %s (%s)", path->str,
                                                   text != NULL ? text : "…", v->source);

          add_used (lx->ctx, note);
          return json_node_copy (v->value);
        }
    }

  lx->ctx->unknown = TRUE;
  return NULL;
}

static JsonNode *
parse_primary (Lexer *lx)
{
  g_autofree char *ident = NULL;

  skip_space (lx);
  if (*lx->p == '\'')
    {
      g_autofree char *text = read_string (lx);

      if (text == NULL)
        {
          lx->ctx->unsupported = TRUE;
          return NULL;
        }
      return string_node (text);
    }
  if (*lx->p == '(')
    {
      JsonNode *inner;

      lx->p++;
      inner = parse_or (lx);
      skip_space (lx);
      if (*lx->p != ')')
        {
          g_clear_pointer (&inner, json_node_unref);
          lx->ctx->unsupported = TRUE;
          return NULL;
        }
      lx->p++;
      return inner;
    }
  if (g_ascii_isdigit (*lx->p) || *lx->p == '-')
    {
      const char *start = lx->p;
      g_autofree char *number = NULL;

      lx->p++;
      while (g_ascii_isalnum (*lx->p) || *lx->p == '.')
        lx->p++;
      number = g_strndup (start, lx->p - start);
      return string_node (number);
    }

  ident = read_ident (lx);
  if (ident == NULL)
    {
      lx->ctx->unsupported = TRUE;
      return NULL;
    }
  if (g_str_equal (ident, "true") || g_str_equal (ident, "false"))
    return string_node (ident);
  if (g_str_equal (ident, "null"))
    return json_node_new (JSON_NODE_NULL);

  skip_space (lx);
  if (*lx->p == '(')
    {
      g_autoptr(JsonNode) arg = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      /* fromJSON(x) turns a JSON text (typically an input's default) into a list of labels. */
      if (g_ascii_strcasecmp (ident, "fromJSON") != 0)
        {
          lx->ctx->unsupported = TRUE;
          return NULL;
        }
      lx->p++;
      arg = parse_or (lx);
      skip_space (lx);
      if (*lx->p != ')')
        {
          lx->ctx->unsupported = TRUE;
          return NULL;
        }
      lx->p++;
      if (arg == NULL)
        return NULL;
      text = node_to_text (arg);
      /* The bounded parser (core/dr-json.h): normalize() recurses too. */
      if (text == NULL || (root = dr_json_parse_data (text, -1, NULL)) == NULL)
        {
          lx->ctx->unsupported = TRUE;
          return NULL;
        }
      return normalize (root);
    }
  return eval_path (lx, ident);
}

static JsonNode *
parse_or (Lexer *lx)
{
  JsonNode *left = parse_primary (lx);

  for (;;)
    {
      JsonNode *right;

      skip_space (lx);
      if (lx->p[0] != '|' || lx->p[1] != '|')
        return left;
      lx->p += 2;
      right = parse_primary (lx);
      /* GitHub's || gives the first truthy operand. An unknown left side decides nothing. */
      if (left != NULL && truthy (left))
        g_clear_pointer (&right, json_node_unref);
      else if (left != NULL)
        {
          json_node_unref (left);
          left = right;
        }
      else
        g_clear_pointer (&right, json_node_unref);
    }
}

/* Evaluates one ${{ }} body; NULL when it is unknown or not something deskrun evaluates. */
static JsonNode *
eval_expression (Ctx        *ctx,
                 const char *body)
{
  Lexer lx = { body, ctx };
  gboolean was_unknown = ctx->unknown;
  JsonNode *value;

  ctx->unknown = FALSE;
  value = parse_or (&lx);
  skip_space (&lx);
  if (*lx.p != '\0')
    ctx->unsupported = TRUE;
  if (ctx->unknown || ctx->unsupported)
    g_clear_pointer (&value, json_node_unref);
  ctx->unknown = ctx->unknown || was_unknown;
  return value;
}

/* Finds the end of "${{ … }}" starting at P (which points after "${{"), skipping literals. */
static const char *
expression_end (const char *p)
{
  gboolean quoted = FALSE;

  for (; *p != '\0'; p++)
    {
      if (*p == '\'')
        quoted = !quoted;
      else if (!quoted && p[0] == '}' && p[1] == '}')
        return p;
    }
  return NULL;
}

/* A string with expressions: the value itself when it is one whole expression, else text. */
static JsonNode *
eval_string (Ctx        *ctx,
             const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = text;
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  if (strstr (text, "${{") == NULL)
    return string_node (text);

  if (g_str_has_prefix (trimmed, "${{"))
    {
      const char *end = expression_end (trimmed + 3);

      if (end != NULL && end[2] == '\0')
        {
          g_autofree char *body = g_strndup (trimmed + 3, end - (trimmed + 3));

          return eval_expression (ctx, body);
        }
    }

  while (*p != '\0')
    {
      const char *start = strstr (p, "${{");
      const char *end;
      g_autofree char *body = NULL;
      g_autoptr(JsonNode) value = NULL;
      g_autofree char *value_text = NULL;

      if (start == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, start - p);
      end = expression_end (start + 3);
      if (end == NULL)
        {
          ctx->unsupported = TRUE;
          return NULL;
        }
      body = g_strndup (start + 3, end - (start + 3));
      value = eval_expression (ctx, body);
      if (value == NULL)
        return NULL;
      value_text = node_to_text (value);
      if (value_text == NULL)
        {
          ctx->unsupported = TRUE;
          return NULL;
        }
      g_string_append (out, value_text);
      p = end + 2;
    }
  return string_node (out->str);
}

/* Evaluates every string in NODE; NULL when any part is unknown. */
static JsonNode *
eval_node (Ctx      *ctx,
           JsonNode *node)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *in = json_node_get_array (node);
      g_autoptr(JsonArray) out = json_array_new ();

      for (guint i = 0; i < json_array_get_length (in); i++)
        {
          JsonNode *child = eval_node (ctx, json_array_get_element (in, i));

          if (child == NULL)
            return NULL;
          json_array_add_element (out, child);
        }
      return json_node_init_array (json_node_alloc (), out);
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *in = json_node_get_object (node);
      g_autoptr(JsonObject) out = json_object_new ();
      JsonObjectIter iter;
      const char *key;
      JsonNode *member;

      json_object_iter_init (&iter, in);
      while (json_object_iter_next (&iter, &key, &member))
        {
          JsonNode *child = eval_node (ctx, member);

          if (child == NULL)
            return NULL;
          json_object_set_member (out, key, child);
        }
      return json_node_init_object (json_node_alloc (), out);
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return eval_string (ctx, json_node_get_string (node));
  return json_node_copy (node);
}

/* Turning a value into a target */

static DrRunsOnTarget *
target_new (DrRunsOnKind kind,
            char        *detail)
{
  DrRunsOnTarget *target = g_new0 (DrRunsOnTarget, 1);

  target->kind = kind;
  target->detail = detail;
  return target;
}

static gboolean
add_label (GPtrArray  *labels,
           JsonNode   *node)
{
  g_autofree char *text = NULL;
  g_autofree char *folded = NULL;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  text = g_strstrip (g_strdup (json_node_get_string (node)));
  if (*text == '\0')
    return FALSE;
  folded = g_utf8_casefold (text, -1);
  for (guint i = 0; i < labels->len; i++)
    {
      g_autofree char *other = g_utf8_casefold (g_ptr_array_index (labels, i), -1);

      if (g_str_equal (other, folded))
        return TRUE;
    }
  g_ptr_array_add (labels, g_steal_pointer (&text));
  return TRUE;
}

static gboolean
add_labels (GPtrArray *labels,
            JsonNode  *node)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!add_label (labels, json_array_get_element (array, i)))
          return FALSE;
      return json_array_get_length (array) > 0;
    }
  return add_label (labels, node);
}

static DrRunsOnTarget *
interpret (JsonNode *value)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  DrRunsOnTarget *target;
  char *group = NULL;

  if (JSON_NODE_HOLDS_OBJECT (value))
    {
      JsonObject *object = json_node_get_object (value);
      JsonObjectIter iter;
      const char *key;
      JsonNode *member;
      gboolean any = FALSE;

      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &key, &member))
        {
          if (g_str_equal (key, "group"))
            {
              g_autofree char *text = node_to_text (member);

              if (text == NULL || *g_strstrip (text) == '\0')
                {
                  g_free (group);
                  return target_new (DR_RUNS_ON_INVALID,
                                     g_strdup (_("group: must name a runner group")));
                }
              g_free (group);
              group = g_steal_pointer (&text);
              any = TRUE;
            }
          else if (g_str_equal (key, "labels"))
            {
              if (!add_labels (labels, member))
                {
                  g_free (group);
                  return target_new (DR_RUNS_ON_INVALID,
                                     g_strdup (_("labels: must be a label or a list of "
                                                 "labels, none of them empty")));
                }
              any = TRUE;
            }
          else
            {
              g_free (group);
              return target_new (DR_RUNS_ON_INVALID,
                                 g_strdup_printf (_("runs-on: takes group: and labels:, not "
                                                    "“%s:”"), key));
            }
        }
      if (!any)
        return target_new (DR_RUNS_ON_INVALID,
                           g_strdup (_("runs-on: names neither a group nor labels")));
    }
  else if (JSON_NODE_HOLDS_NULL (value))
    return target_new (DR_RUNS_ON_INVALID, g_strdup (_("runs-on: is empty")));
  else if (!add_labels (labels, value))
    return target_new (DR_RUNS_ON_INVALID,
                       g_strdup (JSON_NODE_HOLDS_ARRAY (value)
                                 ? _("runs-on: must list labels, none of them empty")
                                 : _("runs-on: is empty")));

  target = target_new (DR_RUNS_ON_LABELS, NULL);
  target->group = group;
  g_ptr_array_add (labels, NULL);
  target->labels = (GStrv) g_ptr_array_free (g_steal_pointer (&labels), FALSE);
  return target;
}

/* The matrix, expanded the way GitHub does: the product of its lists, minus exclude:, then
 * include: entries extend every combination they do not contradict, or are added. */

static gboolean
matches_all (JsonObject *combo,
             JsonObject *entry,
             JsonObject *only_keys)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;

  json_object_iter_init (&iter, entry);
  while (json_object_iter_next (&iter, &key, &member))
    {
      JsonNode *have;

      if (only_keys != NULL && !json_object_has_member (only_keys, key))
        continue;
      have = json_object_get_member (combo, key);
      if (have == NULL)
        {
          if (only_keys == NULL)
            return FALSE;
          continue;
        }
      if (!json_node_equal (have, member))
        return FALSE;
    }
  return TRUE;
}

static gboolean
has_expression (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  return strstr (text, "${{") != NULL;
}

/* NULL and *OUT_DETAIL set when the matrix cannot be expanded here. */
static GPtrArray *
expand_matrix (JsonNode      *matrix,
               DrRunsOnKind  *out_kind,
               char         **out_detail)
{
  g_autoptr(GPtrArray) combos = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonObject) original_keys = json_object_new ();
  JsonObject *object;
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;
  JsonNode *include = NULL, *exclude = NULL;
  guint n_original;

  *out_kind = DR_RUNS_ON_RUNTIME;
  if (!JSON_NODE_HOLDS_OBJECT (matrix))
    {
      g_autofree char *text = node_to_text (matrix);

      *out_detail = g_strdup_printf (_("the matrix is %s, decided when the run starts"),
                                     text != NULL ? text : "…");
      return NULL;
    }

  object = json_node_get_object (matrix);
  g_ptr_array_add (combos, json_object_new ());
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &member))
    {
      g_autoptr(GPtrArray) next = NULL;
      JsonArray *values;

      if (g_str_equal (key, "include"))
        {
          include = member;
          continue;
        }
      if (g_str_equal (key, "exclude"))
        {
          exclude = member;
          continue;
        }
      if (!JSON_NODE_HOLDS_ARRAY (member))
        {
          g_autofree char *text = node_to_text (member);

          if (text != NULL && strstr (text, "${{") != NULL)
            *out_detail = g_strdup_printf (_("matrix.%s is %s, decided when the run starts"),
                                           key, text);
          else
            {
              *out_kind = DR_RUNS_ON_INVALID;
              *out_detail = g_strdup_printf (_("matrix.%s must be a list of values"), key);
            }
          return NULL;
        }
      if (has_expression (member))
        {
          *out_detail = g_strdup_printf (_("matrix.%s holds expressions, decided when the run "
                                           "starts"), key);
          return NULL;
        }
      json_object_set_boolean_member (original_keys, key, TRUE);
      values = json_node_get_array (member);
      next = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      for (guint c = 0; c < combos->len; c++)
        for (guint v = 0; v < json_array_get_length (values); v++)
          {
            JsonObject *base = g_ptr_array_index (combos, c);
            JsonObject *combo = json_object_new ();
            JsonObjectIter copy;
            const char *k;
            JsonNode *m;

            json_object_iter_init (&copy, base);
            while (json_object_iter_next (&copy, &k, &m))
              json_object_set_member (combo, k, json_node_copy (m));
            json_object_set_member (combo, key,
                                    json_node_copy (json_array_get_element (values, v)));
            g_ptr_array_add (next, combo);
            if (next->len > MAX_COMBINATIONS)
              {
                *out_kind = DR_RUNS_ON_INVALID;
                *out_detail = g_strdup_printf (_("the matrix makes more than %d jobs, which "
                                                 "GitHub refuses"), MAX_COMBINATIONS);
                return NULL;
              }
          }
      g_clear_pointer (&combos, g_ptr_array_unref);
      combos = g_steal_pointer (&next);
    }

  n_original = json_object_get_size (original_keys);
  if (n_original == 0)
    g_ptr_array_set_size (combos, 0);

  for (JsonNode *list = exclude; list != NULL; list = (list == exclude ? include : NULL))
    {
      if (has_expression (list))
        {
          *out_detail = g_strdup (list == exclude
                                  ? _("matrix.exclude holds expressions, decided when the run "
                                      "starts")
                                  : _("matrix.include holds expressions, decided when the run "
                                      "starts"));
          return NULL;
        }
      if (!JSON_NODE_HOLDS_ARRAY (list))
        {
          *out_kind = DR_RUNS_ON_INVALID;
          *out_detail = g_strdup (list == exclude
                                  ? _("matrix.exclude must be a list of combinations")
                                  : _("matrix.include must be a list of combinations"));
          return NULL;
        }
      for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
        if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (list), i)))
          {
            *out_kind = DR_RUNS_ON_INVALID;
            *out_detail = g_strdup (_("each entry of matrix.include and matrix.exclude must be "
                                      "a mapping"));
            return NULL;
          }
      if (list == include)
        break;
    }

  if (exclude != NULL)
    {
      JsonArray *entries = json_node_get_array (exclude);

      for (guint c = combos->len; c-- > 0;)
        for (guint e = 0; e < json_array_get_length (entries); e++)
          if (matches_all (g_ptr_array_index (combos, c),
                           json_array_get_object_element (entries, e), NULL))
            {
              g_ptr_array_remove_index (combos, c);
              break;
            }
    }

  if (include != NULL)
    {
      JsonArray *entries = json_node_get_array (include);
      guint n_product = combos->len;

      for (guint e = 0; e < json_array_get_length (entries); e++)
        {
          JsonObject *entry = json_array_get_object_element (entries, e);
          gboolean added = FALSE;

          for (guint c = 0; c < n_product; c++)
            {
              JsonObject *combo = g_ptr_array_index (combos, c);
              JsonObjectIter it;
              const char *k;
              JsonNode *m;

              if (!matches_all (combo, entry, original_keys))
                continue;
              json_object_iter_init (&it, entry);
              while (json_object_iter_next (&it, &k, &m))
                if (!json_object_has_member (original_keys, k))
                  json_object_set_member (combo, k, json_node_copy (m));
              added = TRUE;
            }
          if (!added)
            {
              JsonObject *combo = json_object_new ();
              JsonObjectIter it;
              const char *k;
              JsonNode *m;

              json_object_iter_init (&it, entry);
              while (json_object_iter_next (&it, &k, &m))
                json_object_set_member (combo, k, json_node_copy (m));
              g_ptr_array_add (combos, combo);
            }
        }
    }

  if (combos->len > MAX_COMBINATIONS)
    {
      *out_kind = DR_RUNS_ON_INVALID;
      *out_detail = g_strdup_printf (_("the matrix makes more than %d jobs, which GitHub "
                                       "refuses"), MAX_COMBINATIONS);
      return NULL;
    }
  if (combos->len == 0)
    {
      *out_kind = DR_RUNS_ON_INVALID;
      *out_detail = g_strdup (_("the matrix makes no job at all (exclude: removes every "
                                "combination)"));
      return NULL;
    }
  return g_steal_pointer (&combos);
}

static GHashTable *
inputs_table (DrWorkflow *self,
              JsonObject *caller_with)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, input_value_free);
  GPtrArray *lists[2] = { dr_workflow_get_dispatch_inputs (self),
                          dr_workflow_get_call_inputs (self) };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        DrWorkflowInput *input = g_ptr_array_index (lists[l], i);
        gboolean call = l == 1;
        InputValue *v = g_new0 (InputValue, 1);
        JsonNode *passed = call && caller_with != NULL ? member_ci (caller_with, input->name)
                                                       : NULL;

        if (passed != NULL)
          {
            if (!has_expression (passed))
              {
                v->value = normalize (passed);
                v->source = g_strdup (_("passed by the calling job"));
              }
          }
        else if (input->default_value != NULL)
          {
            v->value = string_node (input->default_value);
            v->source = g_strdup (call ? _("its default")
                                       : _("its default; a person dispatching the workflow "
                                           "may choose another"));
          }
        else if (call && caller_with != NULL)
          {
            /* Not passed and no default: GitHub gives the type's empty value. */
            v->value = string_node (input->type == DR_WORKFLOW_INPUT_BOOLEAN ? "false"
                                    : input->type == DR_WORKFLOW_INPUT_NUMBER ? "0" : "");
            v->source = g_strdup (_("not passed by the calling job"));
          }
        g_hash_table_replace (table, g_utf8_casefold (input->name, -1), v);
      }
  return table;
}

static char *
target_key (const DrRunsOnTarget *target)
{
  g_autofree char *labels = target->labels != NULL ? g_strjoinv ("\n", target->labels) : NULL;
  g_autofree char *folded = labels != NULL ? g_utf8_casefold (labels, -1) : NULL;

  return g_strdup_printf ("%d\v%s\v%s\v%s\v%s", target->kind, folded ? folded : "",
                          target->group ? target->group : "",
                          target->evaluated_with ? target->evaluated_with : "",
                          target->detail ? target->detail : "");
}

static gboolean
add_target (GPtrArray      *targets,
            GHashTable     *seen,
            DrRunsOnTarget *target)
{
  char *key = target_key (target);

  if (!g_hash_table_add (seen, key))
    {
      dr_runs_on_target_free (target);
      return FALSE;
    }
  g_ptr_array_add (targets, target);
  return TRUE;
}

static DrRunsOnTarget *
evaluate_once (JsonNode   *runs_on,
               JsonObject *combo,
               GHashTable *inputs,
               const char *written)
{
  g_autoptr(GPtrArray) used = g_ptr_array_new_with_free_func (g_free);
  Ctx ctx = { combo, inputs, used, FALSE, FALSE };
  g_autoptr(JsonNode) value = eval_node (&ctx, runs_on);
  DrRunsOnTarget *target;

  if (value == NULL)
    return target_new (DR_RUNS_ON_RUNTIME, g_strdup (written));

  target = interpret (value);
  if (used->len > 0)
    {
      g_ptr_array_add (used, NULL);
      target->evaluated_with = g_strjoinv (", ", (GStrv) used->pdata);
    }
  return target;
}

GPtrArray *
dr_workflow_job_expand_runs_on (DrWorkflow          *self,
                                const DrWorkflowJob *job,
                                JsonObject          *caller_with)
{
  GPtrArray *targets = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_runs_on_target_free);
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GHashTable) inputs = NULL;
  g_autoptr(GPtrArray) combos = NULL;
  g_autofree char *written = NULL;

  g_return_val_if_fail (self != NULL, targets);
  g_return_val_if_fail (job != NULL, targets);

  if (job->error != NULL || job->runs_on == NULL)
    return targets;

  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  inputs = inputs_table (self, caller_with);
  written = JSON_NODE_HOLDS_VALUE (job->runs_on) ? node_to_text (job->runs_on)
                                                 : json_to_string (job->runs_on, FALSE);

  /* Only a runs-on that reads the matrix is evaluated once per combination. */
  if (strstr (written, "${{") != NULL)
    {
      g_autofree char *folded = g_ascii_strdown (written, -1);

      if (strstr (folded, "matrix.") != NULL || strstr (folded, "matrix[") != NULL)
        {
          DrRunsOnKind kind;
          g_autofree char *detail = NULL;

          if (job->matrix != NULL)
            {
              combos = expand_matrix (job->matrix, &kind, &detail);
              if (combos == NULL)
                {
                  g_ptr_array_add (targets, target_new (kind, kind == DR_RUNS_ON_RUNTIME
                                                              ? g_strdup_printf ("%s (%s)",
                                                                                 written,
                                                                                 detail)
                                                              : g_steal_pointer (&detail)));
                  return targets;
                }
            }
        }
    }

  if (combos == NULL)
    {
      g_autoptr(JsonObject) empty = json_object_new ();

      /* No matrix: matrix.X is not set, as GitHub sees it. */
      add_target (targets, seen, evaluate_once (job->runs_on, empty, inputs, written));
      return targets;
    }

  for (guint c = 0; c < combos->len; c++)
    add_target (targets, seen, evaluate_once (job->runs_on, g_ptr_array_index (combos, c),
                                              inputs, written));
  return targets;
}
