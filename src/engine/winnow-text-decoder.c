/* winnow-text-decoder.c: see winnow-text-decoder.h. */
#include "config.h"

#include "winnow-text-decoder.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

struct _WinnowTextDecoder {
  WinnowTextKind kind;
  char *name;
  GIConv conv;
};

/* Windows-1252 bytes 0x80-0x9F. The five bytes Microsoft leaves undefined
 * map to the C1 controls of the same value, as the WHATWG Encoding
 * Standard does, so that no byte is ever refused. */
static const guint16 cp1252_high[32] = {
  0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
  0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

#define HIGH_BITS G_GUINT64_CONSTANT (0x8080808080808080)
#define LOW_BITS G_GUINT64_CONSTANT (0x0101010101010101)

static inline gboolean
word_is_plain_ascii (guint64 w)
{
  /* No byte with the high bit set, and no zero byte. */
  return ((w | ((w - LOW_BITS) & ~w)) & HIGH_BITS) == 0;
}

/**
 * winnow_text_check_utf8:
 * @good: (out): on return, the length of the valid prefix
 *
 * Checks that @data is UTF-8 without NUL bytes, eight bytes at a time
 * while it is plain ASCII.
 */
WinnowTextStatus
winnow_text_check_utf8 (const guint8 *data, gsize length, gsize *good)
{
  gsize i = 0;

  while (i < length)
    {
      guint8 c;
      guint32 cp;
      gsize need;

      if (i + 32 <= length)
        {
          guint64 w[4];
          memcpy (w, data + i, 32);
          if (word_is_plain_ascii (w[0]) & word_is_plain_ascii (w[1]) &
              word_is_plain_ascii (w[2]) & word_is_plain_ascii (w[3]))
            {
              i += 32;
              continue;
            }
        }
      if (i + 8 <= length)
        {
          guint64 w;
          memcpy (&w, data + i, 8);
          if (word_is_plain_ascii (w))
            {
              i += 8;
              continue;
            }
        }
      c = data[i];
      if (c == 0)
        {
          *good = i;
          return WINNOW_TEXT_NUL;
        }
      if (c < 0x80)
        {
          i++;
          continue;
        }
      if (c >= 0xC2 && c <= 0xDF)
        need = 1, cp = c & 0x1F;
      else if (c >= 0xE0 && c <= 0xEF)
        need = 2, cp = c & 0x0F;
      else if (c >= 0xF0 && c <= 0xF4)
        need = 3, cp = c & 0x07;
      else
        {
          *good = i;
          return WINNOW_TEXT_INVALID;
        }
      for (gsize k = 1; k <= need; k++)
        {
          if (i + k >= length)
            {
              *good = i;
              return WINNOW_TEXT_INCOMPLETE;
            }
          if ((data[i + k] & 0xC0) != 0x80)
            {
              *good = i;
              return WINNOW_TEXT_INVALID;
            }
          cp = (cp << 6) | (data[i + k] & 0x3F);
        }
      /* overlong forms, surrogates, beyond U+10FFFF */
      if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
          (cp >= 0xD800 && cp <= 0xDFFF))
        {
          *good = i;
          return WINNOW_TEXT_INVALID;
        }
      i += need + 1;
    }
  *good = length;
  return WINNOW_TEXT_OK;
}

static char *
normalize_name (const char *name)
{
  GString *s = g_string_new (NULL);
  for (const char *p = name; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (s, g_ascii_tolower (*p));
  return g_string_free (s, FALSE);
}

/**
 * winnow_text_decoder_new:
 * @encoding: an encoding name, not "auto"
 * Returns: (transfer full): a decoder, or %NULL when the system does not
 *   know @encoding
 */
WinnowTextDecoder *
winnow_text_decoder_new (const char *encoding, GError **error)
{
  g_autofree char *key = normalize_name (encoding);
  WinnowTextDecoder *decoder = g_new0 (WinnowTextDecoder, 1);

  decoder->conv = (GIConv) -1;
  if (g_str_equal (key, "utf8"))
    {
      decoder->kind = WINNOW_TEXT_UTF8;
      decoder->name = g_strdup ("UTF-8");
    }
  else if (g_str_equal (key, "cp1252") || g_str_equal (key, "windows1252"))
    {
      decoder->kind = WINNOW_TEXT_CP1252;
      decoder->name = g_strdup ("Windows-1252");
    }
  else if (g_str_equal (key, "latin1") || g_str_equal (key, "iso88591"))
    {
      decoder->kind = WINNOW_TEXT_LATIN1;
      decoder->name = g_strdup ("ISO-8859-1");
    }
  else
    {
      decoder->kind = WINNOW_TEXT_ICONV;
      decoder->name = g_strdup (encoding);
      decoder->conv = g_iconv_open ("UTF-8", encoding);
      if (decoder->conv == (GIConv) -1)
        {
          g_set_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_NO_CONVERSION,
                       /* Translators: %s is the name of an encoding, such as latin1 */
                       _("\"%s\" is not an encoding this system knows"), encoding);
          winnow_text_decoder_free (decoder);
          return NULL;
        }
    }
  return decoder;
}

void
winnow_text_decoder_free (WinnowTextDecoder *decoder)
{
  if (decoder == NULL)
    return;
  if (decoder->conv != (GIConv) -1)
    g_iconv_close (decoder->conv);
  g_free (decoder->name);
  g_free (decoder);
}

WinnowTextKind
winnow_text_decoder_kind (WinnowTextDecoder *decoder)
{
  return decoder->kind;
}

const char *
winnow_text_decoder_name (WinnowTextDecoder *decoder)
{
  return decoder->name;
}

/* Does this iconv encoding take one byte per character, ASCII as ASCII
 * and no state? Each byte alone, from the first state, must be one
 * character (or invalid wherever it is), and a byte under 0x80 itself. */
static gboolean
probe_single_byte (const char *encoding)
{
  GIConv conv = g_iconv_open ("UTF-8", encoding);
  gboolean single = conv != (GIConv) -1;

  for (guint b = 1; single && b < 256; b++)
    {
      char byte = (char) b;
      char *in = &byte;
      gsize in_left = 1;
      char buffer[16];
      char *out = buffer;
      gsize out_left = sizeof buffer;
      gsize r;

      g_iconv (conv, NULL, NULL, NULL, NULL);
      r = g_iconv (conv, &in, &in_left, &out, &out_left);
      if (r == (gsize) -1)
        {
          single = errno == EILSEQ && b >= 0x80;
          continue;
        }
      /* nothing held back for a later byte */
      if (g_iconv (conv, NULL, NULL, &out, &out_left) == (gsize) -1)
        {
          single = FALSE;
          continue;
        }
      if (b < 0x80)
        single = out - buffer == 1 && buffer[0] == byte;
      else
        single = out > buffer && g_utf8_validate (buffer, out - buffer, NULL) &&
                 g_utf8_strlen (buffer, out - buffer) == 1;
    }
  if (conv != (GIConv) -1)
    g_iconv_close (conv);
  return single;
}

/**
 * winnow_text_decoder_is_single_byte:
 *
 * Returns: %TRUE when every character is one byte, ASCII is ASCII and the
 *   decoder keeps no state from one byte to the next (Windows-1252,
 *   Latin-1, ISO-8859-15, KOI8-R…): then a file may be cut at any line end
 *   and its parts decoded apart, each by a decoder of its own
 */
gboolean
winnow_text_decoder_is_single_byte (WinnowTextDecoder *decoder)
{
  switch (decoder->kind)
    {
    case WINNOW_TEXT_CP1252:
    case WINNOW_TEXT_LATIN1:
      return TRUE;
    case WINNOW_TEXT_ICONV:
      return probe_single_byte (decoder->name);
    case WINNOW_TEXT_UTF8:
    default:
      return FALSE;
    }
}

static WinnowTextStatus
convert_table (WinnowTextDecoder *decoder, const guint8 *input, gsize length,
               GByteArray *output, gsize *consumed)
{
  gsize start = output->len;
  guint8 *out;
  gsize n = 0;

  g_byte_array_set_size (output, start + 3 * length);
  out = output->data + start;
  for (gsize i = 0; i < length; i++)
    {
      guint8 c = input[i];
      guint32 cp;

      if (c < 0x80)
        {
          if (G_UNLIKELY (c == 0))
            {
              g_byte_array_set_size (output, start + n);
              *consumed = i;
              return WINNOW_TEXT_NUL;
            }
          out[n++] = c;
          continue;
        }
      cp = (decoder->kind == WINNOW_TEXT_CP1252 && c < 0xA0) ? cp1252_high[c - 0x80] : c;
      if (cp < 0x800)
        {
          out[n++] = (guint8) (0xC0 | (cp >> 6));
          out[n++] = (guint8) (0x80 | (cp & 0x3F));
        }
      else
        {
          out[n++] = (guint8) (0xE0 | (cp >> 12));
          out[n++] = (guint8) (0x80 | ((cp >> 6) & 0x3F));
          out[n++] = (guint8) (0x80 | (cp & 0x3F));
        }
    }
  g_byte_array_set_size (output, start + n);
  *consumed = length;
  return WINNOW_TEXT_OK;
}

static WinnowTextStatus
convert_iconv (WinnowTextDecoder *decoder, const guint8 *input, gsize length,
               GByteArray *output, gsize *consumed)
{
  char *in = (char *) input;
  gsize in_left = length;
  WinnowTextStatus status = WINNOW_TEXT_OK;

  while (in_left > 0)
    {
      gsize start = output->len;
      gsize room = MAX (4 * in_left, 64);
      char *out;
      gsize out_left = room;
      gsize r;

      g_byte_array_set_size (output, start + room);
      out = (char *) output->data + start;
      r = g_iconv (decoder->conv, &in, &in_left, &out, &out_left);
      g_byte_array_set_size (output, start + (room - out_left));
      if (r != (gsize) -1)
        continue;
      if (errno == E2BIG)
        continue;
      status = errno == EINVAL ? WINNOW_TEXT_INCOMPLETE : WINNOW_TEXT_INVALID;
      break;
    }
  *consumed = length - in_left;
  if (status == WINNOW_TEXT_OK || status == WINNOW_TEXT_INCOMPLETE)
    {
      /* A decoded NUL is as binary as a raw one. */
      guint8 *nul = memchr (output->data, 0, output->len);
      if (nul != NULL)
        {
          g_byte_array_set_size (output, (guint) (nul - output->data));
          return WINNOW_TEXT_NUL;
        }
    }
  return status;
}

/**
 * winnow_text_decoder_convert:
 * @output: UTF-8 is appended here
 * @consumed: (out): how much of @input was used; on INCOMPLETE the rest is
 *   to be given again with more bytes after it
 *
 * Not for WINNOW_TEXT_UTF8, which needs no conversion.
 */
WinnowTextStatus
winnow_text_decoder_convert (WinnowTextDecoder *decoder, const guint8 *input, gsize length,
                             GByteArray *output, gsize *consumed)
{
  g_return_val_if_fail (decoder->kind != WINNOW_TEXT_UTF8, WINNOW_TEXT_INVALID);

  if (decoder->kind == WINNOW_TEXT_ICONV)
    return convert_iconv (decoder, input, length, output, consumed);
  return convert_table (decoder, input, length, output, consumed);
}
