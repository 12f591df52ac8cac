/* winnow-json.c: see winnow-json.h. */
#include "config.h"

#include "winnow-json.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

G_DEFINE_QUARK (winnow-json-error-quark, winnow_json_error)

/* ---- the check: a recursive descent over RFC 8259, depth bounded ---- */

typedef struct {
  const char *p;
  const char *end;
  const char *start;
  guint max_depth;
  GError **error;
} Scan;

static gboolean
fail (Scan *s, WinnowJsonError code, const char *what)
{
  guint line = 1, column = 1;

  if (s->error == NULL)
    return FALSE;
  for (const char *q = s->start; q < s->p && q < s->end; q++)
    if (*q == '\n')
      {
        line++;
        column = 1;
      }
    else if (((guchar) *q & 0xc0) != 0x80)
      column++;
  if (code == WINNOW_JSON_ERROR_TOO_DEEP)
    g_set_error (s->error, WINNOW_JSON_ERROR, code,
                 /* Translators: a line number, then the most levels of [ and { allowed */
                 _("line %u: nested more than %u levels deep"), line, s->max_depth);
  else
    g_set_error (s->error, WINNOW_JSON_ERROR, code,
                 /* Translators: a line and a column, then what is wrong there */
                 _("line %u, column %u: %s"), line, column, what);
  return FALSE;
}

static void
skip_space (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
expect (Scan *s, char c)
{
  skip_space (s);
  if (s->p >= s->end)
    return fail (s, WINNOW_JSON_ERROR_SYNTAX, _("the text ends too early"));
  if (*s->p != c)
    return fail (s, WINNOW_JSON_ERROR_SYNTAX, _("unexpected character"));
  s->p++;
  return TRUE;
}

/* Reads the four hex digits after the 'u' at s->p into *unit, and leaves
 * s->p on the last of them. */
static gboolean
scan_unit (Scan     *s,
           gunichar *unit)
{
  *unit = 0;
  for (int i = 1; i <= 4; i++)
    {
      if (s->p + i >= s->end || !g_ascii_isxdigit (s->p[i]))
        return fail (s, WINNOW_JSON_ERROR_SYNTAX, _("an invalid \\u escape"));
      *unit = *unit * 16 + (gunichar) g_ascii_xdigit_value (s->p[i]);
    }
  s->p += 4;
  return TRUE;
}

static gboolean
scan_string (Scan *s)
{
  s->p++;  /* the opening quote */
  while (s->p < s->end)
    {
      guchar c = (guchar) *s->p;

      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return fail (s, WINNOW_JSON_ERROR_SYNTAX, _("a control character inside a string"));
      if (c == '\\')
        {
          s->p++;
          if (s->p >= s->end)
            break;
          if (*s->p == 'u')
            {
              gunichar unit;

              if (!scan_unit (s, &unit))
                return FALSE;
              /* UTF-16 surrogates come in pairs, a high one then a low one,
               * and json-glib refuses (or misreads) any other use of them. */
              if (unit >= 0xdc00 && unit <= 0xdfff)
                return fail (s, WINNOW_JSON_ERROR_SYNTAX, _("a \\u escape of half a character"));
              if (unit >= 0xd800 && unit <= 0xdbff)
                {
                  if (s->p + 2 >= s->end || s->p[1] != '\\' || s->p[2] != 'u')
                    return fail (s, WINNOW_JSON_ERROR_SYNTAX, _("a \\u escape of half a character"));
                  s->p += 2;
                  if (!scan_unit (s, &unit))
                    return FALSE;
                  if (unit < 0xdc00 || unit > 0xdfff)
                    return fail (s, WINNOW_JSON_ERROR_SYNTAX, _("a \\u escape of half a character"));
                }
            }
          else if (strchr ("\"\\/bfnrt", *s->p) == NULL || *s->p == '\0')
            return fail (s, WINNOW_JSON_ERROR_SYNTAX, _("an invalid \\ escape"));
        }
      s->p++;
    }
  return fail (s, WINNOW_JSON_ERROR_SYNTAX, _("a string that is never closed"));
}

static gboolean
digits (Scan *s)
{
  const char *first = s->p;

  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return s->p > first || fail (s, WINNOW_JSON_ERROR_SYNTAX, _("a malformed number"));
}

static gboolean
scan_number (Scan *s)
{
  if (*s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (!digits (s))
    return FALSE;
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (!digits (s))
        return FALSE;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!digits (s))
        return FALSE;
    }
  return TRUE;
}

static gboolean
scan_word (Scan *s, const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return fail (s, WINNOW_JSON_ERROR_SYNTAX, _("unexpected character"));
  s->p += n;
  return TRUE;
}

static gboolean scan_value (Scan *s, guint depth);

/* An object or an array, after its opening bracket. */
static gboolean
scan_container (Scan *s, guint depth, char close)
{
  s->p++;
  if (depth > s->max_depth)
    return fail (s, WINNOW_JSON_ERROR_TOO_DEEP, NULL);
  skip_space (s);
  if (s->p < s->end && *s->p == close)
    {
      s->p++;
      return TRUE;
    }
  for (;;)
    {
      if (close == '}')
        {
          skip_space (s);
          if (s->p >= s->end || *s->p != '"')
            return s->p >= s->end ? fail (s, WINNOW_JSON_ERROR_SYNTAX, _("the text ends too early"))
                                  : fail (s, WINNOW_JSON_ERROR_SYNTAX, _("expected a key in quotes"));
          if (!scan_string (s) || !expect (s, ':'))
            return FALSE;
        }
      if (!scan_value (s, depth))
        return FALSE;
      skip_space (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          continue;
        }
      return expect (s, close);
    }
}

static gboolean
scan_value (Scan *s, guint depth)
{
  skip_space (s);
  if (s->p >= s->end)
    return fail (s, WINNOW_JSON_ERROR_SYNTAX, _("the text ends too early"));
  switch (*s->p)
    {
    case '{': return scan_container (s, depth + 1, '}');
    case '[': return scan_container (s, depth + 1, ']');
    case '"': return scan_string (s);
    case 't': return scan_word (s, "true");
    case 'f': return scan_word (s, "false");
    case 'n': return scan_word (s, "null");
    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return scan_number (s);
      return fail (s, WINNOW_JSON_ERROR_SYNTAX, _("unexpected character"));
    }
}

/**
 * winnow_json_check:
 * @max_depth: the most levels of objects and arrays allowed
 *
 * Checks that @text is one strict JSON value (RFC 8259: no comments, no
 * single quotes, valid UTF-8) nested at most @max_depth levels deep. Text
 * that passes can be given to json-glib without risk to its stack, and
 * spliced into a larger document without changing its structure. The
 * recursion here is bounded by @max_depth too.
 *
 * Returns: %TRUE if it is, else %FALSE with a WINNOW_JSON_ERROR that gives
 *   the line (and column)
 */
gboolean
winnow_json_check (const char *text, gsize length, guint max_depth, GError **error)
{
  Scan s = { text, text + length, text, max_depth, error };
  const char *bad = NULL;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);

  if (!g_utf8_validate_len (text, length, &bad))
    {
      s.p = bad;
      return fail (&s, WINNOW_JSON_ERROR_SYNTAX, _("the text is not valid UTF-8"));
    }
  if (!scan_value (&s, 0))
    return FALSE;
  skip_space (&s);
  if (s.p < s.end)
    return fail (&s, WINNOW_JSON_ERROR_SYNTAX, _("text after the end"));
  return TRUE;
}

/**
 * winnow_json_foreach:
 * @text: one JSON object or array
 * @func: called with each member's key (as written, without its quotes;
 *   %NULL in an array) and the text of its value
 *
 * Walks the members of an object, or the elements of an array, without
 * parsing them: a caller can give each value to json-glib on its own, so
 * that a list of 100,000 objects never becomes one tree. Stops when @func
 * returns %FALSE.
 *
 * Returns: %FALSE if @text is not a strict JSON object or array (nested
 *   at most WINNOW_JSON_MAX_DEPTH deep), or @func stopped
 */
gboolean
winnow_json_foreach (const char *text, gsize length, WinnowJsonFunc func, gpointer data)
{
  Scan s = { text, text + length, text, WINNOW_JSON_MAX_DEPTH, NULL };
  char close;

  g_return_val_if_fail (text != NULL && func != NULL, FALSE);

  skip_space (&s);
  if (s.p >= s.end || (*s.p != '{' && *s.p != '['))
    return FALSE;
  close = *s.p == '{' ? '}' : ']';
  s.p++;
  skip_space (&s);
  if (s.p < s.end && *s.p == close)
    return TRUE;
  for (;;)
    {
      const char *key = NULL, *value;
      gsize key_length = 0;

      skip_space (&s);
      if (close == '}')
        {
          if (s.p >= s.end || *s.p != '"')
            return FALSE;
          key = s.p + 1;
          if (!scan_string (&s))
            return FALSE;
          key_length = (gsize) (s.p - 1 - key);
          if (!expect (&s, ':'))
            return FALSE;
        }
      skip_space (&s);
      value = s.p;
      if (!scan_value (&s, 1))
        return FALSE;
      if (!func (key, key_length, value, (gsize) (s.p - value), data))
        return FALSE;
      skip_space (&s);
      if (s.p < s.end && *s.p == ',')
        {
          s.p++;
          continue;
        }
      return expect (&s, close);
    }
}

/* ---- writing ---- */

/**
 * winnow_json_append_string:
 *
 * Appends @text as a JSON string, quoted and escaped. Bytes that are not
 * UTF-8 become U+FFFD, so the output is always valid JSON; callers that
 * must keep such bytes escape them first.
 */
void
winnow_json_append_string (GString *out, const char *text)
{
  g_autofree char *valid = NULL;

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      guchar c = (guchar) *p;
      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

/* A finite double as a JSON number that reads back the same; otherwise null. */
void
winnow_json_append_double (GString *out, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append (out, g_ascii_dtostr (buf, sizeof buf, value));
}
