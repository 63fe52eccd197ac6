/* dr-kube-line-reader.h
 *
 * SPDX-FileCopyrightText: 2026 The deskrun authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internal to kube/: the read-line loop of watches and log streams, with a bound.
 *
 * It is the GDataInputStream read_line_async loop of STYLE.md §8.7, except that
 * g_data_input_stream_read_line_async() keeps buffering until it sees a newline, so a server
 * that never sends one would make us hold everything it sends. This reader reads what has
 * arrived (g_input_stream_read_bytes_async), hands out every complete line at once, and never
 * holds more than @max_line bytes of an unfinished line: a longer line is either handed out
 * in pieces of at most @max_line bytes, cut between UTF-8 characters (logs), or ends the
 * reading with an error (watch events, where a piece is worth nothing).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  DR_KUBE_LINE_SPLIT,    /* a longer line is handed out in pieces */
  DR_KUBE_LINE_FAIL,     /* a longer line ends the reading with G_IO_ERROR_MESSAGE_TOO_LARGE */
} DrKubeLineOverflow;

typedef struct _DrKubeLineReader DrKubeLineReader;

/* @line is NUL-terminated, without its newline, valid until the function returns. @complete
 * is FALSE for a piece of a longer line (every piece but the last). */
typedef void (*DrKubeLineFunc)    (const char   *line,
                                   gsize         length,
                                   gboolean      complete,
                                   gpointer      user_data);
/* The end: @error is NULL when the stream ended cleanly (an unfinished last line has been
 * handed out before). Never called after dr_kube_line_reader_free(). */
typedef void (*DrKubeLineEndFunc) (const GError *error,
                                   gpointer      user_data);

/* Starts reading @stream at once (it keeps a reference). */
DrKubeLineReader *dr_kube_line_reader_new  (GInputStream       *stream,
                                            gsize               max_line,
                                            DrKubeLineOverflow  overflow,
                                            DrKubeLineFunc      line_func,
                                            DrKubeLineEndFunc   end_func,
                                            gpointer            user_data);
/* Stops: no function is called any more, even from inside one of them, and the pending read
 * is cancelled. */
void              dr_kube_line_reader_free (DrKubeLineReader   *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrKubeLineReader, dr_kube_line_reader_free)

G_END_DECLS
