/* winnow-text-decoder.h: turns a file's bytes into UTF-8 for the parser.
 *
 * UTF-8 input is only checked, never copied. Windows-1252 (the fallback of
 * encoding "auto", docs/BEHAVIOUR.md 1.2) and Latin-1 go through a table; any
 * other encoding through GIConv. Every kind also refuses NUL bytes: a CSV
 * file has none, a binary file nearly always does.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  WINNOW_TEXT_UTF8,
  WINNOW_TEXT_CP1252,
  WINNOW_TEXT_LATIN1,
  WINNOW_TEXT_ICONV,
} WinnowTextKind;

typedef enum {
  WINNOW_TEXT_OK,          /* all of it is good */
  WINNOW_TEXT_INCOMPLETE,  /* good up to *good; the rest is the start of a character */
  WINNOW_TEXT_INVALID,     /* a bad sequence at *good */
  WINNOW_TEXT_NUL,         /* a NUL byte at *good */
} WinnowTextStatus;

typedef struct _WinnowTextDecoder WinnowTextDecoder;

WinnowTextStatus   winnow_text_check_utf8     (const guint8 *data,
                                               gsize         length,
                                               gsize        *good);

WinnowTextDecoder *winnow_text_decoder_new    (const char   *encoding,
                                               GError      **error);
void               winnow_text_decoder_free   (WinnowTextDecoder *decoder);
WinnowTextKind     winnow_text_decoder_kind   (WinnowTextDecoder *decoder);
const char        *winnow_text_decoder_name   (WinnowTextDecoder *decoder);
gboolean           winnow_text_decoder_is_single_byte (WinnowTextDecoder *decoder);
WinnowTextStatus   winnow_text_decoder_convert (WinnowTextDecoder *decoder,
                                               const guint8 *input,
                                               gsize         length,
                                               GByteArray   *output,
                                               gsize        *consumed);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowTextDecoder, winnow_text_decoder_free)

G_END_DECLS
