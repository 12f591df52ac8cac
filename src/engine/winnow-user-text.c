/* winnow-user-text.c: see winnow-user-text.h. */
#include "config.h"

#include "winnow-user-text.h"

#include <string.h>

/* Appends the character at @p (valid UTF-8), escaping control characters
 * (C0, DEL and C1, which a terminal may obey) as \t, \n, \r or \xHH. */
static void
append_char (GString *out, const char *p, const char *next)
{
  gunichar c = g_utf8_get_char (p);

  if (c == '\t')
    g_string_append (out, "\\t");
  else if (c == '\n')
    g_string_append (out, "\\n");
  else if (c == '\r')
    g_string_append (out, "\\r");
  else if (c < 0x20 || c == 0x7f)
    g_string_append_printf (out, "\\x%02X", c);
  else if (c >= 0x80 && c < 0xa0)
    g_string_append_printf (out, "\\u%04X", c);
  else
    g_string_append_len (out, p, next - p);
}

/* Copies @text, every byte that is not part of a UTF-8 character written
 * as \xHH; with @controls, control characters escaped; with @backslashes,
 * backslashes doubled; with @max_chars, cut to that many characters. */
static char *
escape (const char *text, gboolean controls, gboolean backslashes, guint max_chars)
{
  GString *out = g_string_new (NULL);
  const char *p = text;
  const char *end = text + strlen (text);
  guint n = 0;

  while (p < end)
    {
      const char *bad = NULL;
      const char *stop;

      g_utf8_validate_len (p, end - p, &bad);
      stop = bad ? bad : end;
      while (p < stop)
        {
          const char *next = g_utf8_next_char (p);

          if (max_chars > 0 && n == max_chars - 1 && next < end)
            {
              g_string_append (out, "…");
              return g_string_free (out, FALSE);
            }
          if (backslashes && *p == '\\')
            g_string_append (out, "\\\\");
          else if (controls)
            append_char (out, p, next);
          else
            g_string_append_len (out, p, next - p);
          p = next;
          n++;
        }
      if (p < end)
        {
          if (max_chars > 0 && n == max_chars - 1 && p + 1 < end)
            {
              g_string_append (out, "…");
              return g_string_free (out, FALSE);
            }
          g_string_append_printf (out, "\\x%02X", (guchar) *p);
          p++;
          n++;
        }
    }
  return g_string_free (out, FALSE);
}

/**
 * winnow_user_text_excerpt:
 *
 * Returns: (transfer full): @text for a message: valid UTF-8, control
 *   characters and stray bytes escaped (\n, \xHH), at most
 *   WINNOW_EXCERPT_CHARS characters, the last one "…" when it was cut
 */
char *
winnow_user_text_excerpt (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);
  return escape (text, TRUE, FALSE, WINNOW_EXCERPT_CHARS);
}

/**
 * winnow_user_text_escape_line:
 *
 * Returns: (transfer full): @text for one field of a tab-separated line:
 *   a backslash becomes \\, tab, newline and carriage return \t, \n and
 *   \r, other control characters and bytes that are not UTF-8 \xHH (C1
 *   controls \u0080-\u009F). The result has no tab or line end, and
 *   reading the escapes back gives the bytes of @text.
 */
char *
winnow_user_text_escape_line (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);
  return escape (text, TRUE, TRUE, 0);
}

/**
 * winnow_user_text_to_utf8:
 *
 * Returns: (transfer full): @text unchanged if it is UTF-8; otherwise each
 *   byte that is not part of a UTF-8 character becomes the four
 *   characters \xHH (a file name on Linux is bytes, JSON is UTF-8)
 */
char *
winnow_user_text_to_utf8 (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);
  if (g_utf8_validate (text, -1, NULL))
    return g_strdup (text);
  return escape (text, FALSE, FALSE, 0);
}
