/* winnow-csv-sniffer.c: see winnow-csv-sniffer.h. */
#include "config.h"

#include "winnow-csv-sniffer.h"

#include <string.h>

static const char candidates[] = { ',', ';', '\t', '|' };
#define N_CANDIDATES G_N_ELEMENTS (candidates)
#define MAX_RECORDS 2000
#define MAX_COUNT 256

static gboolean
is_candidate (char c)
{
  return memchr (candidates, c, N_CANDIDATES) != NULL;
}

/**
 * winnow_sniff_delimiter:
 *
 * Counts each candidate (`,` `;` TAB `|`) outside quotes in every complete
 * record of the sample, and picks the one whose most common non-zero count
 * is shared by the most records: a delimiter splits every row the same
 * way, a comma inside free text does not. Ties go to the earlier candidate.
 *
 * A quote opens a quoted field only at the start of a field (the start of
 * a record, or just after a candidate), as the parser reads it; anywhere
 * else it is a character of the text (`size";w;h` is one field `size"`
 * and two more). Inside a quoted field, a doubled quote is a quote and a
 * single one closes the field.
 *
 * Returns: the delimiter; `,` when no candidate appears at all.
 */
char
winnow_sniff_delimiter (const char *text, gsize length, char quote)
{
  g_autofree guint16 *counts = g_new0 (guint16, MAX_RECORDS * N_CANDIDATES);
  guint n_records = 0;
  guint row[N_CANDIDATES] = { 0 };
  gboolean quoted = FALSE, any = FALSE, field_start = TRUE, blank = TRUE;
  gsize end = MIN (length, WINNOW_SNIFF_BYTES);
  guint best_score = 0;
  char best = ',';

  for (gsize i = 0; i < end && n_records < MAX_RECORDS; i++)
    {
      char c = text[i];

      if (quoted)
        {
          if (c != quote)
            continue;
          if (i + 1 < end && text[i + 1] == quote)
            i++;
          else
            quoted = FALSE;
        }
      else if (c == quote)
        quoted = field_start;
      else if (c == '\n' || c == '\r')
        {
          /* A blank line (only spaces and tabs, which the reader skips)
           * or the LF of a CRLF pair ends nothing. */
          if (!blank)
            {
              for (guint k = 0; k < N_CANDIDATES; k++)
                counts[n_records * N_CANDIDATES + k] = (guint16) MIN (row[k], MAX_COUNT - 1);
              n_records++;
            }
          memset (row, 0, sizeof row);
          blank = TRUE;
        }
      else
        for (guint k = 0; k < N_CANDIDATES; k++)
          if (c == candidates[k])
            {
              row[k]++;
              any = TRUE;
            }
      field_start = !quoted && (c == '\n' || c == '\r' || is_candidate (c));
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        blank = FALSE;
    }
  /* A sample without a line end is one record. */
  if (n_records == 0 && !blank)
    {
      for (guint k = 0; k < N_CANDIDATES; k++)
        counts[k] = (guint16) MIN (row[k], MAX_COUNT - 1);
      n_records = 1;
    }
  if (!any)
    return ',';

  for (guint k = 0; k < N_CANDIDATES; k++)
    {
      guint histogram[MAX_COUNT] = { 0 };
      guint score = 0;

      for (guint r = 0; r < n_records; r++)
        histogram[counts[r * N_CANDIDATES + k]]++;
      for (guint n = 1; n < MAX_COUNT; n++)
        score = MAX (score, histogram[n]);
      if (score > best_score)
        {
          best_score = score;
          best = candidates[k];
        }
    }
  return best;
}

/**
 * winnow_sniff_line_end:
 *
 * Returns: `\r` for old Mac files (CR and no LF in the sample), else `\n`
 * (which covers CRLF: the parser treats the CR as the end of the row).
 */
char
winnow_sniff_line_end (const char *text, gsize length)
{
  gsize end = MIN (length, WINNOW_SNIFF_BYTES);

  if (memchr (text, '\n', end) == NULL && memchr (text, '\r', end) != NULL)
    return '\r';
  return '\n';
}
