/* dr-kube-line-reader.c
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dr-kube-line-reader.h"

/* What one read asks for; a chunk of a watch or log stream is usually much smaller. */
#define READ_SIZE (16 * 1024)

struct _DrKubeLineReader
{
  guint               ref_count;      /* the owner's, and one per pending read */
  gboolean            stopped;        /* freed by the owner, or ended */

  GInputStream       *stream;
  GCancellable       *cancellable;
  GByteArray         *pending;        /* what has arrived of the unfinished line */
  gsize               scanned;        /* pending[0, scanned) holds no newline */
  gsize               max_line;
  DrKubeLineOverflow  overflow;

  DrKubeLineFunc      line_func;
  DrKubeLineEndFunc   end_func;
  gpointer            user_data;
};

static DrKubeLineReader *
reader_ref (DrKubeLineReader *reader)
{
  reader->ref_count++;
  return reader;
}

static void
reader_unref (DrKubeLineReader *reader)
{
  if (--reader->ref_count > 0)
    return;

  g_clear_object (&reader->stream);
  g_clear_object (&reader->cancellable);
  g_clear_pointer (&reader->pending, g_byte_array_unref);
  g_free (reader);
}

/* The length of a piece of at most @max bytes of @data that does not end inside a UTF-8
 * character (when @data is UTF-8 at all). */
static gsize
utf8_cut (const guint8 *data,
          gsize         max)
{
  gsize cut = max;

  /* A continuation byte (10xxxxxx) cannot start the next piece; a character has at most three
   * of them. */
  while (cut > 0 && cut + 3 > max && (data[cut] & 0xc0) == 0x80)
    cut--;
  if (cut == 0 || (data[cut] & 0xc0) == 0x80)
    return max;
  return cut;
}

/* Hands out @length bytes at @data; data[length] is ours to borrow for the terminator. */
static void
emit (DrKubeLineReader *reader,
      guint8           *data,
      gsize             length,
      gboolean          complete)
{
  guint8 saved = data[length];

  data[length] = '\0';
  reader->line_func ((const char *) data, length, complete, reader->user_data);
  data[length] = saved;
}

static void
end (DrKubeLineReader *reader,
     const GError     *error)
{
  if (reader->stopped)
    return;
  reader->stopped = TRUE;
  reader->end_func (error, reader->user_data);
}

/* Hands out every complete line in pending, and pieces of what is too long. FALSE when the
 * reader has stopped (freed from a callback, or failed). */
static gboolean
process (DrKubeLineReader *reader)
{
  gsize start = 0;
  gsize scan = reader->scanned;

  while (!reader->stopped)
    {
      guint8 *data = reader->pending->data;
      gsize length = reader->pending->len;
      guint8 *newline = scan < length ? memchr (data + scan, '\n', length - scan) : NULL;
      gsize stop = newline != NULL ? (gsize) (newline - data) : length;

      if (stop - start > reader->max_line)
        {
          gsize cut;

          if (reader->overflow == DR_KUBE_LINE_FAIL)
            {
              g_autoptr(GError) error = NULL;

              error = g_error_new (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                                   _("The server sent a line longer than %u bytes"),
                                   (guint) MIN (reader->max_line, G_MAXUINT));
              end (reader, error);
              return FALSE;
            }
          cut = utf8_cut (data + start, reader->max_line);
          emit (reader, data + start, cut, FALSE);
          start += cut;
          scan = MAX (scan, start);
          continue;
        }
      if (newline == NULL)
        {
          scan = length;
          break;
        }
      emit (reader, data + start, stop - start, TRUE);
      start = stop + 1;
      scan = start;
    }

  if (reader->stopped)
    return FALSE;
  g_byte_array_remove_range (reader->pending, 0, start);
  reader->scanned = scan - start;
  return TRUE;
}

static void read_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);

static void
read_next (DrKubeLineReader *reader)
{
  g_input_stream_read_bytes_async (reader->stream, READ_SIZE, G_PRIORITY_DEFAULT,
                                   reader->cancellable, read_cb, reader_ref (reader));
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  DrKubeLineReader *reader = user_data;    /* the reference of this read */
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (reader->stopped)
    ;
  else if (bytes == NULL)
    end (reader, error);
  else if (g_bytes_get_size (bytes) == 0)
    {
      /* The last line had no newline; process() left at most max_line bytes of it. */
      if (reader->pending->len > 0)
        {
          g_byte_array_append (reader->pending, (const guint8 *) "", 1);
          emit (reader, reader->pending->data, reader->pending->len - 1, TRUE);
        }
      end (reader, NULL);
    }
  else
    {
      g_byte_array_append (reader->pending, g_bytes_get_data (bytes, NULL),
                           g_bytes_get_size (bytes));
      if (process (reader))
        read_next (reader);
    }

  reader_unref (reader);
}

DrKubeLineReader *
dr_kube_line_reader_new (GInputStream       *stream,
                         gsize               max_line,
                         DrKubeLineOverflow  overflow,
                         DrKubeLineFunc      line_func,
                         DrKubeLineEndFunc   end_func,
                         gpointer            user_data)
{
  DrKubeLineReader *reader;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (max_line >= 4, NULL);
  g_return_val_if_fail (line_func != NULL && end_func != NULL, NULL);

  reader = g_new0 (DrKubeLineReader, 1);
  reader->ref_count = 1;
  reader->stream = g_object_ref (stream);
  reader->cancellable = g_cancellable_new ();
  reader->pending = g_byte_array_new ();
  reader->max_line = max_line;
  reader->overflow = overflow;
  reader->line_func = line_func;
  reader->end_func = end_func;
  reader->user_data = user_data;

  read_next (reader);
  return reader;
}

void
dr_kube_line_reader_free (DrKubeLineReader *reader)
{
  if (reader == NULL)
    return;

  reader->stopped = TRUE;
  g_cancellable_cancel (reader->cancellable);
  reader_unref (reader);
}
