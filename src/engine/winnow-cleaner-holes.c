/* winnow-cleaner-holes.c: the fills that wait for the end of the write
 * pass (docs/ARCHITECTURE.md, "statistics pass"): the statistics become
 * values, bfill's runs give theirs, and they go into the holes the pass
 * left, the profile, the counts and the preview. */
#include "config.h"

#include "winnow-cleaner-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "winnow-user-text.h"

/* The statistics become fill values (bfill keeps its runs): after the
 * statistics pass, or the write pass that left holes. */
gboolean
winnow_cleaner_finish_stats (Cleaner *c, GError **error)
{
  for (guint k = 0; k < c->plan->n_kept; k++)
    {
      WinnowColumnFill *fill = &c->plan->fills[k];
      g_autofree char *name = NULL;
      const char *strategy;

      if (c->stats[k] != NULL && winnow_fill_stats_get_error (c->stats[k]) != NULL)
        {
          g_propagate_error (error, g_error_copy (winnow_fill_stats_get_error (c->stats[k])));
          return FALSE;
        }
      if (c->stats[k] == NULL || fill->strategy == WINNOW_FILL_BFILL)
        continue;
      g_free (fill->value);
      fill->value = winnow_fill_stats_finish (c->stats[k]);
      if (fill->value != NULL)
        continue;
      name = winnow_user_text_excerpt (g_ptr_array_index (c->plan->kept_names, k));
      strategy = winnow_fill_strategy_to_string (fill->strategy);
      if (fill->strategy == WINNOW_FILL_MODE)
        /* Translators: a column name, then the fill strategy "mode" as the
         * recipe spells it */
        winnow_result_add_warning (c->result, _("fill: column \"%s\" has no values, so its "
                                                "%s fill left it empty"), name, strategy);
      else
        /* Translators: a column name, then a fill strategy as the recipe
         * spells it (mean or median) */
        winnow_result_add_warning (c->result, _("fill: column \"%s\" has no numbers, so its "
                                                "%s fill left it empty"), name, strategy);
    }
  return TRUE;
}

/* The bytes of @text as the writer writes a field, appended to @pool (a
 * GString: its length is not limited to 4 GiB, as a GByteArray's is);
 * their place there noted in @value (made a pointer once @pool is whole). */
static void
encode_value (Cleaner *c, const char *text, gsize length, GString *pool,
              WinnowHoleValue *value)
{
  gsize start = pool->len;

  winnow_csv_writer_encode (c->writer, text, length, pool);
  value->data = GSIZE_TO_POINTER (start);
  value->length = pool->len - start;
}

static gboolean
is_bfill (const Cleaner *c, guint k)
{
  return c->stats[k] != NULL && c->plan->fills[k].strategy == WINNOW_FILL_BFILL;
}

G_DEFINE_QUARK (winnow-cleaner-dense-holes-quark, winnow_cleaner_dense_holes)

/* Holes cost per hole (noted, resolved, moved into place); a pass of
 * statistics costs per byte of input (parsed once more). Once the write
 * pass has left HOLES_WEIGHED_AT holes, it weighs them against the input
 * read so far: past one per BYTES_PER_HOLE bytes, a bfill hole counting
 * twice (its run is kept too), the pass stops and the attempt is made
 * again with a pass of statistics. On files of 2 million rows
 * (build-bench/bench/fill-bench) the two ways cost the same at about one
 * mean or mode hole in 50 to 80 bytes, one bfill hole in twice as many;
 * with 60 % of two bfill columns missing, holes took 1.3 times as long
 * and 2.4 times the memory. A file that never leaves so many holes pays
 * a few milliseconds for them at most.
 *
 * Each time their number doubles the holes are weighed again (a file
 * sparse at its start may be dense later), but only within the first
 * quarter of the input, give or take a read (256 KiB; in a small file
 * that may be all of it): past it, starting again throws away more work
 * than dense holes cost in the rest of the pass (at most about a third
 * more time). */
#define HOLES_WEIGHED_AT 65536
#define BYTES_PER_HOLE 64

/* winnow_clean_set_holes_weighed_at() */
static gsize holes_weighed_at = HOLES_WEIGHED_AT;

/* For tests, while no task runs: weigh the holes first at @holes (0: the
 * default), so that a small file can be sparse, then dense. */
void
winnow_clean_set_holes_weighed_at (gsize holes)
{
  holes_weighed_at = holes > 0 ? holes : HOLES_WEIGHED_AT;
}

/**
 * winnow_cleaner_weigh_holes:
 * @bytes_consumed: the input read up to the end of the batch just written
 *
 * After each batch of the write pass: decides whether its holes are too
 * dense (then holes_dense; the pass stops).
 */
void
winnow_cleaner_weigh_holes (Cleaner *c, guint64 bytes_consumed)
{
  guint64 weight = 0;

  if (!c->defer_fills || c->holes_always ||
      c->holes->len < (c->holes_weigh_at > 0 ? c->holes_weigh_at : holes_weighed_at))
    return;
  c->holes_weigh_at = c->holes->len * 2;
  /* (the batch ends up to a read before bytes_consumed: judged by where
   * it may end, a small file is weighed too) */
  if (c->size > 0 && bytes_consumed > c->size / 4 + WINNOW_CSV_READ_AHEAD)
    {
      c->holes_weigh_at = G_MAXSIZE;  /* kept, however dense */
      g_debug ("%" G_GSIZE_FORMAT " holes past a quarter of the input: kept", c->holes->len);
      return;
    }
  for (guint k = 0; k < c->plan->n_kept; k++)
    weight += c->hole_counts[k] * (is_bfill (c, k) ? 2 : 1);
  c->holes_dense = weight * BYTES_PER_HOLE > bytes_consumed;
  g_debug ("%" G_GSIZE_FORMAT " holes in %" G_GUINT64_FORMAT " bytes read: %s",
           c->holes->len, bytes_consumed,
           c->holes_dense ? "too many, a pass of statistics instead" : "kept");
}

/* The holes of the bfill columns, in file order, each take the value of
 * the run of missing cells it belongs to (winnow_fill_stats_next_bfill_run(),
 * as the write pass of a statistics pass asked it): value number
 * @base[k] + the run, or stay empty (their column's own number, which
 * has no value). The profile, the counts and the preview take each. */
static void
resolve_bfill (Cleaner *c, const guint32 *base)
{
  WinnowOutputHole *holes = (WinnowOutputHole *) c->holes->data;
  guint n = c->plan->n_kept;
  g_autofree guint *preview_at = g_new0 (guint, n);

  for (gsize i = 0; i < c->holes->len; i++)
    {
      guint k = holes[i].value;
      const char *text = NULL;
      gsize length = 0;
      gint64 run;

      if (k >= n || !is_bfill (c, k))
        continue;
      run = winnow_fill_stats_next_bfill_run (c->stats[k], c->plan->fills[k].limit);
      if (run >= 0)
        {
          winnow_fill_stats_get_run (c->stats[k], (guint) run, &text, &length);
          holes[i].value = base[k] + (guint32) run;
          winnow_cleaner_profile (c, k, text, length, 1);
          c->filled[k]++;
        }
      else
        winnow_cleaner_profile (c, k, NULL, 0, 1);
      /* the preview's holes of a column are its first ones, in order */
      while (preview_at[k] < c->preview_holes->len &&
             (g_array_index (c->preview_holes, guint64, preview_at[k]) & G_MAXUINT32) != k)
        preview_at[k]++;
      if (preview_at[k] < c->preview_holes->len)
        {
          guint64 at = g_array_index (c->preview_holes, guint64, preview_at[k]++);
          char **row = g_ptr_array_index (c->result->preview, (guint) (at >> 32));

          if (text != NULL)
            {
              g_free (row[k]);
              row[k] = g_strndup (text, length);
            }
        }
    }
}

/**
 * winnow_cleaner_fill_holes:
 *
 * After the write pass, with the writer flushed: the statistics become
 * fill values, which go into the holes, the profile, the counts and the
 * preview; so do the values that ended each bfill column's runs of
 * missing cells.
 */
gboolean
winnow_cleaner_fill_holes (Cleaner *c, GError **error)
{
  guint n = c->plan->n_kept;
  g_autoptr(GString) pool = g_string_new (NULL);
  g_autoptr(GArray) values = g_array_new (FALSE, TRUE, sizeof (WinnowHoleValue));
  g_autofree guint32 *base = g_new0 (guint32, n);
  gboolean any_bfill = FALSE;
  guint64 inserted;

  /* (without deferred fills, the holes are ffill's: the statistics, if
   * any, were finished by their pass) */
  if (c->defer_fills && !winnow_cleaner_finish_stats (c, error))
    return FALSE;
  if (c->hole_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&c->hole_error));
      return FALSE;
    }
  g_array_set_size (values, n);
  for (guint k = 0; k < n; k++)
    {
      const char *value = c->stats[k] != NULL ? c->plan->fills[k].value : NULL;

      if (c->hole_counts[k] == 0 || is_bfill (c, k))
        continue;
      if (value != NULL)
        {
          encode_value (c, value, strlen (value), pool,
                        &g_array_index (values, WinnowHoleValue, k));
          winnow_cleaner_profile (c, k, value, strlen (value), c->hole_counts[k]);
          c->filled[k] += c->hole_counts[k];
        }
      else
        winnow_cleaner_profile (c, k, NULL, 0, c->hole_counts[k]);
    }
  /* In a file of one column, a row whose cell stays empty is written
   * "" (an empty line is no row): its hole gets those two bytes. */
  if (n == 1 && g_array_index (values, WinnowHoleValue, 0).length == 0)
    {
      WinnowHoleValue *empty = &g_array_index (values, WinnowHoleValue, 0);

      empty->data = GSIZE_TO_POINTER (pool->len);
      empty->length = 2;
      g_string_append (pool, "\"\"");
    }
  /* ffill: the values batches began with, after the columns' (their
   * holes are numbered so) */
  for (guint v = 0; c->ffill_values != NULL && v < c->ffill_values->len; v++)
    {
      const WinnowHoleValue *raw = &g_array_index (c->ffill_values, WinnowHoleValue, v);
      WinnowHoleValue value;

      encode_value (c, c->ffill_pool->str + GPOINTER_TO_SIZE (raw->data), raw->length, pool,
                    &value);
      /* in a file of one column an empty value is written "" */
      if (n == 1 && value.length == 0)
        {
          value.length = 2;
          g_string_append (pool, "\"\"");
        }
      g_array_append_val (values, value);
    }
  /* bfill: each run's value, after the columns' and ffill's */
  for (guint k = 0; k < n; k++)
    {
      guint runs;

      if (c->hole_counts[k] == 0 || !is_bfill (c, k))
        continue;
      runs = winnow_fill_stats_get_n_runs (c->stats[k]);
      if ((guint64) values->len + runs > G_MAXUINT32)
        {
          g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_WRITE,
                       _("too many runs of missing cells to fill backward (more than %u)"),
                       G_MAXUINT32 - n);
          return FALSE;
        }
      base[k] = values->len;
      g_array_set_size (values, values->len + runs);
      for (guint r = 0; r < runs; r++)
        {
          const char *text;
          gsize length;

          WinnowHoleValue *value = &g_array_index (values, WinnowHoleValue, base[k] + r);

          winnow_fill_stats_get_run (c->stats[k], r, &text, &length);
          encode_value (c, text, length, pool, value);
          /* a present value may be empty (not an NA token): in a file of
           * one column it is written "", as a row of one empty field */
          if (n == 1 && value->length == 0)
            {
              value->length = 2;
              g_string_append (pool, "\"\"");
            }
        }
      any_bfill = TRUE;
    }
  for (guint v = 0; v < values->len; v++)
    {
      WinnowHoleValue *value = &g_array_index (values, WinnowHoleValue, v);
      if (value->length > 0)
        value->data = (const guint8 *) pool->str + GPOINTER_TO_SIZE (value->data);
    }
  if (any_bfill)
    resolve_bfill (c, base);
  for (guint i = 0; i < c->preview_holes->len; i++)
    {
      guint64 at = g_array_index (c->preview_holes, guint64, i);
      char **row = g_ptr_array_index (c->result->preview, (guint) (at >> 32));
      guint k = (guint) (at & G_MAXUINT32);
      const char *value = c->plan->fills[k].value;

      if (value != NULL && !is_bfill (c, k))
        {
          g_free (row[k]);
          row[k] = g_strdup (value);
        }
    }
  g_debug ("filling %" G_GSIZE_FORMAT " holes%s", c->holes->len,
           winnow_spill_array_in_file (c->holes) ? " (their places in a file)" : "");
  if (!winnow_output_file_fill_holes (c->output, c->writer->bytes_written,
                                      (const WinnowOutputHole *) c->holes->data, c->holes->len,
                                      (const WinnowHoleValue *) values->data, &inserted, error))
    return FALSE;
  c->writer->bytes_written += inserted;
  g_debug ("filled: %" G_GUINT64_FORMAT " bytes inserted", inserted);
  c->holes->len = 0;
  return TRUE;
}
