/* dr-runner-spec.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dr-error.h"
#include "dr-runner-spec.h"
#include "dr-versions.h"

G_DEFINE_BOXED_TYPE (DrRunnerSpec, dr_runner_spec, dr_runner_spec_ref, dr_runner_spec_unref)

/* The defaults of the deskrun CLI, so an imported runner and a new one behave alike. */
#define DEFAULT_MIN_RUNNERS 1
#define DEFAULT_MAX_RUNNERS 5

/* Sanity limits, not GitHub's: a desktop cannot run more, and a typo should not try. */
#define MAX_RUNNERS_LIMIT   1000
#define MAX_INSTANCES       99
/* GitHub's own limits. */
#define RUNNER_GROUP_MAX    100
#define LABEL_MAX           255

DrRunnerSpec *
dr_runner_spec_new (void)
{
  DrRunnerSpec *self = g_atomic_rc_box_new0 (DrRunnerSpec);

  /* Empty strings rather than NULL, so code that serializes a fresh spec needs no checks. */
  self->name = g_strdup ("");
  self->repository_url = g_strdup ("");
  self->mode = DR_CONTAINER_MODE_KUBERNETES;
  self->min_runners = DEFAULT_MIN_RUNNERS;
  self->max_runners = DEFAULT_MAX_RUNNERS;
  self->instances = 1;
  self->mounts = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_mount_free);
  self->labels = g_ptr_array_new_with_free_func (g_free);
  self->credential_kind = DR_CREDENTIAL_KIND_PAT;

  return self;
}

DrRunnerSpec *
dr_runner_spec_ref (DrRunnerSpec *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

static void
dr_runner_spec_clear (DrRunnerSpec *self)
{
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->repository_url, g_free);
  g_clear_pointer (&self->mounts, g_ptr_array_unref);
  g_clear_pointer (&self->runner_group, g_free);
  g_clear_pointer (&self->labels, g_ptr_array_unref);
  g_clear_pointer (&self->credential_id, g_free);
}

void
dr_runner_spec_unref (DrRunnerSpec *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) dr_runner_spec_clear);
}

DrRunnerSpec *
dr_runner_spec_copy (const DrRunnerSpec *self)
{
  DrRunnerSpec *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_atomic_rc_box_new0 (DrRunnerSpec);
  copy->name = g_strdup (self->name);
  copy->repository_url = g_strdup (self->repository_url);
  copy->mode = self->mode;
  copy->min_runners = self->min_runners;
  copy->max_runners = self->max_runners;
  copy->instances = self->instances;
  copy->runner_group = g_strdup (self->runner_group);
  copy->credential_kind = self->credential_kind;
  copy->credential_id = g_strdup (self->credential_id);

  /* The struct is public, so a caller may have left an array NULL; the copy always has one. */
  copy->mounts = g_ptr_array_new_with_free_func ((GDestroyNotify) dr_mount_free);
  for (guint i = 0; self->mounts != NULL && i < self->mounts->len; i++)
    g_ptr_array_add (copy->mounts, dr_mount_copy (g_ptr_array_index (self->mounts, i)));

  copy->labels = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; self->labels != NULL && i < self->labels->len; i++)
    g_ptr_array_add (copy->labels, g_strdup (g_ptr_array_index (self->labels, i)));

  return copy;
}

static guint
array_len (const GPtrArray *array)
{
  return array != NULL ? array->len : 0;
}

/* NULL and "" mean the same thing in the optional string fields (no group, no name yet). */
static gboolean
optional_str_equal (const char *a,
                    const char *b)
{
  return g_strcmp0 (a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* Mounts and labels compare in order: the order is what the user sees and what is rendered. */
gboolean
dr_runner_spec_equal (const DrRunnerSpec *a,
                      const DrRunnerSpec *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a == b)
    return TRUE;

  if (!optional_str_equal (a->name, b->name)
      || !optional_str_equal (a->repository_url, b->repository_url)
      || a->mode != b->mode
      || a->min_runners != b->min_runners
      || a->max_runners != b->max_runners
      || a->instances != b->instances
      || !optional_str_equal (a->runner_group, b->runner_group)
      || a->credential_kind != b->credential_kind
      || !optional_str_equal (a->credential_id, b->credential_id))
    return FALSE;

  if (array_len (a->mounts) != array_len (b->mounts)
      || array_len (a->labels) != array_len (b->labels))
    return FALSE;

  for (guint i = 0; i < array_len (a->mounts); i++)
    if (!dr_mount_equal (g_ptr_array_index (a->mounts, i), g_ptr_array_index (b->mounts, i)))
      return FALSE;

  for (guint i = 0; i < array_len (a->labels); i++)
    if (g_strcmp0 (g_ptr_array_index (a->labels, i), g_ptr_array_index (b->labels, i)) != 0)
      return FALSE;

  return TRUE;
}

/* Enum names */

const char *
dr_container_mode_to_string (DrContainerMode mode)
{
  switch (mode)
    {
    case DR_CONTAINER_MODE_KUBERNETES:
      return "kubernetes";
    case DR_CONTAINER_MODE_PRIVILEGED:
      return "privileged";
    case DR_CONTAINER_MODE_DIND:
      return "dind";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
dr_container_mode_from_string (const char       *text,
                               DrContainerMode  *out_mode,
                               GError          **error)
{
  DrContainerMode mode;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_ascii_strcasecmp (text, "kubernetes") == 0)
    mode = DR_CONTAINER_MODE_KUBERNETES;
  else if (g_ascii_strcasecmp (text, "privileged") == 0
           || g_ascii_strcasecmp (text, "cached-privileged-kubernetes") == 0)
    mode = DR_CONTAINER_MODE_PRIVILEGED;
  else if (g_ascii_strcasecmp (text, "dind") == 0)
    mode = DR_CONTAINER_MODE_DIND;
  else
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("Unknown container mode “%s”. Use kubernetes, privileged or dind."),
                   text);
      return FALSE;
    }

  if (out_mode != NULL)
    *out_mode = mode;

  return TRUE;
}

/* The deskrun CLI's AuthType values, so imported configs map one to one. */
const char *
dr_credential_kind_to_string (DrCredentialKind kind)
{
  switch (kind)
    {
    case DR_CREDENTIAL_KIND_PAT:
      return "pat";
    case DR_CREDENTIAL_KIND_GITHUB_APP:
      return "github-app";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
dr_credential_kind_from_string (const char        *text,
                                DrCredentialKind  *out_kind,
                                GError           **error)
{
  DrCredentialKind kind;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_ascii_strcasecmp (text, "pat") == 0)
    kind = DR_CREDENTIAL_KIND_PAT;
  else if (g_ascii_strcasecmp (text, "github-app") == 0)
    kind = DR_CREDENTIAL_KIND_GITHUB_APP;
  else
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("Unknown credential kind “%s”. Use pat or github-app."),
                   text);
      return FALSE;
    }

  if (out_kind != NULL)
    *out_kind = kind;

  return TRUE;
}

/* Field rules */

static gboolean
is_name_char (gunichar c)
{
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* A DNS-1123 label: the scale-set name becomes Kubernetes object names and a GitHub label. */
gboolean
dr_validate_runner_name (const char  *name,
                         GError     **error)
{
  glong length;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (name == NULL || name[0] == '\0')
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The name is empty. Use lowercase letters, digits and “-”."));
      return FALSE;
    }

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The name is not valid UTF-8 text. Use lowercase letters, digits and “-”."));
      return FALSE;
    }

  /* Characters that no change of case can fix come first, so the lowercase suggestion
   * below is always a name that passes this check. */
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      char utf8[7] = { 0 };

      if (is_name_char (c) || (c >= 'A' && c <= 'Z'))
        continue;

      if (c == ' ')
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The name contains a space. Use only lowercase letters, digits and “-”."));
      else if (!g_unichar_isprint (c))
        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The name contains the control character U+%04X. Use only lowercase "
                       "letters, digits and “-”."),
                     c);
      else
        {
          g_unichar_to_utf8 (c, utf8);
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("The name contains “%s”, which is not allowed. Use only lowercase "
                         "letters, digits and “-”."),
                       utf8);
        }
      return FALSE;
    }

  for (const char *p = name; *p != '\0'; p++)
    if (g_ascii_isupper (*p))
      {
        g_autofree char *lower = g_ascii_strdown (name, -1);

        g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                     _("The name contains uppercase letters, but names must be lowercase. "
                       "Use “%s” instead."),
                     lower);
        return FALSE;
      }

  if (name[0] == '-')
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The name starts with “-”. Names must start and end with a lowercase "
                     "letter or a digit."));
      return FALSE;
    }

  if (name[strlen (name) - 1] == '-')
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The name ends with “-”. Names must start and end with a lowercase "
                     "letter or a digit."));
      return FALSE;
    }

  /* Only ASCII is left, so bytes are characters. */
  length = (glong) strlen (name);
  if (length > DR_RUNNER_NAME_MAX)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   ngettext ("The name is %ld character long, but Actions Runner Controller "
                             "allows at most %d.",
                             "The name is %ld characters long, but Actions Runner Controller "
                             "allows at most %d.",
                             length),
                   length, DR_RUNNER_NAME_MAX);
      return FALSE;
    }

  return TRUE;
}

static gboolean
has_control_character (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return TRUE;

  return FALSE;
}

gboolean
dr_validate_label (const char  *label,
                   GError     **error)
{
  glong length;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (label == NULL || label[0] == '\0')
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("A label is empty. Give it a name or remove it."));
      return FALSE;
    }

  if (!g_utf8_validate (label, -1, NULL))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("A label is not valid UTF-8 text. Use ordinary characters."));
      return FALSE;
    }

  if (has_control_character (label))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("A label contains a control character such as a line break. Use "
                     "ordinary characters."));
      return FALSE;
    }

  if (g_unichar_isspace (g_utf8_get_char (label))
      || g_unichar_isspace (g_utf8_get_char (g_utf8_find_prev_char (label,
                                                                    label + strlen (label)))))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The label “%s” starts or ends with a space. Remove the spaces around it."),
                   label);
      return FALSE;
    }

  if (strchr (label, ',') != NULL)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The label “%s” contains “,”, which separates labels in lists. Enter "
                     "each label on its own."),
                   label);
      return FALSE;
    }

  length = g_utf8_strlen (label, -1);
  if (length > LABEL_MAX)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   ngettext ("A label is %ld character long, but GitHub allows at most %d.",
                             "A label is %ld characters long, but GitHub allows at most %d.",
                             length),
                   length, LABEL_MAX);
      return FALSE;
    }

  return TRUE;
}

/* Spec checks */

static guint
count_digits (guint n)
{
  guint digits = 1;

  while (n >= 10)
    {
      n /= 10;
      digits++;
    }

  return digits;
}

static gboolean
check_name (const DrRunnerSpec  *self,
            GError             **error)
{
  guint room;

  if (!dr_validate_runner_name (self->name, error))
    return FALSE;

  if (self->instances <= 1)
    return TRUE;

  /* Instances are separate scale sets named NAME-1 .. NAME-N, and the longest of those is
   * what must fit ARC's limit. */
  room = DR_RUNNER_NAME_MAX - 1 - count_digits (self->instances);
  if (strlen (self->name) > room)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("With %u instances the scale sets are named “%s-1” to “%s-%u”, and "
                     "Actions Runner Controller allows at most %d characters. Shorten the "
                     "name to at most %u characters."),
                   self->instances, self->name, self->name, self->instances,
                   DR_RUNNER_NAME_MAX, room);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_repository (const DrRunnerSpec  *self,
                  GError             **error)
{
  g_autofree char *normalized = dr_normalize_repository_url (self->repository_url, NULL, error);

  return normalized != NULL;
}

static gboolean
check_runners (const DrRunnerSpec  *self,
               GError             **error)
{
  if (self->max_runners == 0)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The maximum number of runners is 0, so this runner would never run a "
                     "job. Allow at least 1 runner."));
      return FALSE;
    }

  if (self->max_runners > MAX_RUNNERS_LIMIT)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The maximum number of runners is %u, but at most %d are allowed."),
                   self->max_runners, MAX_RUNNERS_LIMIT);
      return FALSE;
    }

  if (self->min_runners > self->max_runners)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The minimum number of runners (%u) is greater than the maximum (%u). "
                     "The minimum must be between 0 and the maximum."),
                   self->min_runners, self->max_runners);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_instances (const DrRunnerSpec  *self,
                 GError             **error)
{
  if (self->instances == 0)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The number of instances is 0. Use at least 1."));
      return FALSE;
    }

  if (self->instances > MAX_INSTANCES)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The number of instances is %u, but at most %d are allowed."),
                   self->instances, MAX_INSTANCES);
      return FALSE;
    }

  /* FACTS.md §2.10: instances exist so that each runner has caches of its own, which only
   * holds when every instance is a scale set of exactly one runner. */
  if (self->instances > 1 && (self->min_runners != 1 || self->max_runners != 1))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("With %u instances each instance runs exactly one runner, so the minimum "
                     "and the maximum number of runners must both be 1. To scale one runner "
                     "between a minimum and a maximum, use a single instance."),
                   self->instances);
      return FALSE;
    }

  return TRUE;
}

static gboolean
mount_type_is_known (DrMountType type)
{
  return type == DR_MOUNT_TYPE_DIRECTORY_OR_CREATE
         || type == DR_MOUNT_TYPE_DIRECTORY
         || type == DR_MOUNT_TYPE_SOCKET;
}

static gboolean
check_mounts (const DrRunnerSpec  *self,
              GError             **error)
{
  g_autoptr(GHashTable) targets = NULL;

  if (self->mounts == NULL)
    return TRUE;

  targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < self->mounts->len; i++)
    {
      const DrMount *mount = g_ptr_array_index (self->mounts, i);
      g_autofree char *canonical = NULL;

      if (mount == NULL)
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("A mount is empty. Give it a target path or remove it."));
          return FALSE;
        }

      if (!_dr_mount_check_path (mount->target, TRUE, error))
        return FALSE;
      if (mount->source != NULL && mount->source[0] != '\0'
          && !_dr_mount_check_path (mount->source, FALSE, error))
        return FALSE;

      if (!mount_type_is_known (mount->type))
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("The mount “%s” has an unknown type. Use DirectoryOrCreate, Directory "
                         "or Socket."),
                       mount->target);
          return FALSE;
        }

      /* Without a source the runner gets a fresh cache directory: it cannot be an existing
       * directory or a socket. */
      if ((mount->source == NULL || mount->source[0] == '\0')
          && mount->type != DR_MOUNT_TYPE_DIRECTORY_OR_CREATE)
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("The mount “%s” has no source, so it gets an automatic cache "
                         "directory, which is always of type DirectoryOrCreate. Give a source "
                         "path to use type %s."),
                       mount->target, dr_mount_type_to_string (mount->type));
          return FALSE;
        }

      canonical = _dr_mount_canonical_path (mount->target);
      if (g_hash_table_contains (targets, canonical))
        {
          g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                       _("More than one mount uses the target “%s”. Each target can be used "
                         "only once."),
                       canonical);
          return FALSE;
        }
      g_hash_table_add (targets, g_steal_pointer (&canonical));
    }

  return TRUE;
}

static gboolean
check_runner_group (const DrRunnerSpec  *self,
                    GError             **error)
{
  const char *group = self->runner_group;
  g_autofree char *stripped = NULL;
  glong length;

  if (group == NULL || group[0] == '\0')
    return TRUE;

  if (!g_utf8_validate (group, -1, NULL))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The runner group name is not valid UTF-8 text. Use ordinary "
                     "characters."));
      return FALSE;
    }

  if (has_control_character (group))
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The runner group name contains a control character such as a line "
                     "break. Use ordinary characters."));
      return FALSE;
    }

  stripped = g_strstrip (g_strdup (group));
  if (stripped[0] == '\0')
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The runner group name is only spaces. Enter the name of a group, or "
                     "leave it empty to use the Default group."));
      return FALSE;
    }

  /* GitHub looks the group up by its exact name, so stray spaces would not find it. */
  if (strcmp (stripped, group) != 0)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The runner group name starts or ends with spaces. Use “%s” instead."),
                   stripped);
      return FALSE;
    }

  length = g_utf8_strlen (group, -1);
  if (length > RUNNER_GROUP_MAX)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   ngettext ("The runner group name is %ld character long, but GitHub allows "
                             "at most %d.",
                             "The runner group name is %ld characters long, but GitHub allows "
                             "at most %d.",
                             length),
                   length, RUNNER_GROUP_MAX);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_labels (const DrRunnerSpec  *self,
              GError             **error)
{
  g_autoptr(GHashTable) seen = NULL;

  if (self->labels == NULL)
    return TRUE;

  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < self->labels->len; i++)
    {
      const char *label = g_ptr_array_index (self->labels, i);
      g_autofree char *folded = NULL;
      const char *earlier;

      if (!dr_validate_label (label, error))
        return FALSE;

      /* GitHub matches labels without regard to case. */
      folded = g_utf8_casefold (label, -1);

      if (self->name != NULL && self->name[0] != '\0')
        {
          g_autofree char *folded_name = g_utf8_casefold (self->name, -1);

          if (strcmp (folded, folded_name) == 0)
            {
              g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                           _("The label “%s” is the runner's own name, which is added as a "
                             "label automatically. Remove it from the labels."),
                           label);
              return FALSE;
            }

          /* Parsed rather than compared with every NAME-i, so a huge (invalid) instance
           * count costs nothing here. */
          if (self->instances > 1
              && g_str_has_prefix (folded, folded_name)
              && folded[strlen (folded_name)] == '-')
            {
              const char *number = folded + strlen (folded_name) + 1;
              guint64 instance = 0;

              if (g_ascii_string_to_unsigned (number, 10, 1, self->instances, &instance, NULL)
                  && number[0] != '0')
                {
                  g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                               _("The label “%s” is the name of instance %u, which is added "
                                 "to that instance as a label automatically. Remove it from "
                                 "the labels."),
                               label, (guint) instance);
                  return FALSE;
                }
            }
        }

      earlier = g_hash_table_lookup (seen, folded);
      if (earlier != NULL)
        {
          if (strcmp (earlier, label) == 0)
            g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                         _("The label “%s” is listed more than once. Keep only one."),
                         label);
          else
            g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                         _("The labels “%s” and “%s” are the same to GitHub, which ignores "
                           "letter case. Keep only one."),
                         earlier, label);
          return FALSE;
        }
      g_hash_table_insert (seen, g_steal_pointer (&folded), (gpointer) label);
    }

  return TRUE;
}

static gboolean
check_credential (const DrRunnerSpec  *self,
                  GError             **error)
{
  g_autofree char *normalized = NULL;
  DrRepositoryScope scope;

  if (self->credential_kind != DR_CREDENTIAL_KIND_PAT
      && self->credential_kind != DR_CREDENTIAL_KIND_GITHUB_APP)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("The credential kind is unknown. Use a personal access token or a "
                     "GitHub App."));
      return FALSE;
    }

  /* A broken URL is the repository field's message, not this one's. */
  normalized = dr_normalize_repository_url (self->repository_url, &scope, NULL);
  if (normalized == NULL)
    return TRUE;

  /* FACTS.md §2.4 */
  if (self->credential_kind == DR_CREDENTIAL_KIND_GITHUB_APP
      && scope == DR_REPOSITORY_SCOPE_ENTERPRISE)
    {
      g_set_error (error, DR_ERROR, DR_ERROR_INVALID,
                   _("GitHub Apps cannot register runners for an enterprise. Use a personal "
                     "access token for enterprise runners, or register the runners for an "
                     "organization or a repository."));
      return FALSE;
    }

  return TRUE;
}

gboolean
dr_runner_spec_check_field (const DrRunnerSpec  *self,
                            DrSpecField          field,
                            GError             **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail ((guint) field < DR_SPEC_N_FIELDS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  switch (field)
    {
    case DR_SPEC_FIELD_NAME:
      return check_name (self, error);
    case DR_SPEC_FIELD_REPOSITORY:
      return check_repository (self, error);
    case DR_SPEC_FIELD_RUNNERS:
      return check_runners (self, error);
    case DR_SPEC_FIELD_INSTANCES:
      return check_instances (self, error);
    case DR_SPEC_FIELD_MOUNTS:
      return check_mounts (self, error);
    case DR_SPEC_FIELD_RUNNER_GROUP:
      return check_runner_group (self, error);
    case DR_SPEC_FIELD_LABELS:
      return check_labels (self, error);
    case DR_SPEC_FIELD_CREDENTIAL:
      return check_credential (self, error);
    case DR_SPEC_N_FIELDS:
    default:
      g_return_val_if_reached (FALSE);
    }
}

gboolean
dr_runner_spec_validate (const DrRunnerSpec  *self,
                         GError             **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint field = 0; field < DR_SPEC_N_FIELDS; field++)
    if (!dr_runner_spec_check_field (self, (DrSpecField) field, error))
      return FALSE;

  return TRUE;
}

GStrv
dr_runner_spec_dup_scale_set_names (const DrRunnerSpec *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  const char *name;

  g_return_val_if_fail (self != NULL, NULL);

  name = self->name != NULL ? self->name : "";
  builder = g_strv_builder_new ();

  if (self->instances <= 1)
    g_strv_builder_add (builder, name);
  else
    for (guint i = 1; i <= self->instances; i++)
      {
        g_autofree char *instance_name = g_strdup_printf ("%s-%u", name, i);

        g_strv_builder_add (builder, instance_name);
      }

  return g_strv_builder_end (builder);
}
