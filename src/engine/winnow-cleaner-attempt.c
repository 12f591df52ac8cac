/* winnow-cleaner-attempt.c: winnow_clean_file(): one attempt at the
 * whole file (open, resolve the recipe, run the passes, make the result),
 * again as Windows-1252 when "auto" met bytes that are not UTF-8, and the
 * output put in place only when everything succeeded. The passes are in
 * winnow-cleaner.c. */
#include "config.h"

#include "winnow-cleaner-private.h"

#include <glib/gi18n.h>

/* What a task keeps until the end of its write pass, each list in memory
 * up to this many bytes before it moves to a file beside the output
 * (winnow-spill-array.c): the places of the cells a statistic fills (16
 * bytes each), a median's numbers (8 bytes each). */
#define SPILL_MEMORY ((gsize) 64 << 20)

static gsize spill_memory = SPILL_MEMORY;
static gint fill_holes = -1;  /* atomic: read by worker threads */

/* For tests: keep @bytes of each such list in memory (0: the default). */
void
winnow_clean_set_spill_memory (gsize bytes)
{
  spill_memory = bytes > 0 ? bytes : SPILL_MEMORY;
}

/* For tests: @mode 0 gives fills by a statistic or bfill a pass of
 * their own before the write pass, as they had before holes (the same
 * bytes and result either way); 1 holes, however dense; -1 (the default)
 * holes unless they are too dense (winnow_cleaner_weigh_holes()). */
void
winnow_clean_set_fill_holes (gint mode)
{
  g_atomic_int_set (&fill_holes, mode);
}

static void
cleaner_clear (Cleaner *c)
{
  g_clear_pointer (&c->reader, winnow_csv_reader_free);
  g_clear_pointer (&c->column_names, g_ptr_array_unref);
  if (c->plan != NULL)
    {
      for (guint k = 0; k < c->plan->n_kept; k++)
        {
          if (c->stats)
            winnow_fill_stats_free (c->stats[k]);
          if (c->last)
            g_free (c->last[k].text);
        }
    }
  g_clear_pointer (&c->stats, g_free);
  g_clear_pointer (&c->last, g_free);
  g_clear_pointer (&c->plan, winnow_plan_free);
  g_clear_pointer (&c->seen, winnow_digest_set_free);
  g_clear_pointer (&c->digests, g_free);
  g_clear_pointer (&c->is_new, g_free);
  g_clear_pointer (&c->key, g_byte_array_unref);
  g_clear_pointer (&c->fields, g_free);
  g_clear_pointer (&c->keep.words, g_free);
  g_clear_pointer (&c->unique.words, g_free);
  c->keep.n_words = c->unique.n_words = 0;
  g_clear_pointer (&c->filled, g_free);
  g_clear_pointer (&c->replaced, g_free);
  g_clear_pointer (&c->missing_before, g_free);
  g_clear_pointer (&c->holes, winnow_spill_array_free);
  g_clear_error (&c->hole_error);
  g_clear_pointer (&c->hole_counts, g_free);
  g_clear_pointer (&c->preview_holes, g_array_unref);
  if (c->ffill_pool != NULL)
    g_string_free (g_steal_pointer (&c->ffill_pool), TRUE);
  g_clear_pointer (&c->ffill_values, g_array_unref);
  c->defer_fills = c->holes_dense = FALSE;
  c->holes_weigh_at = 0;
  g_clear_pointer (&c->writer, winnow_csv_writer_free);
  g_clear_pointer (&c->profiler, winnow_profiler_free);
  g_clear_pointer (&c->result, winnow_result_free);
  c->have_keep = FALSE;
  c->duplicates = c->missing_dropped = c->rows_written = 0;
  c->pass_index = 0;
}

/* Opens the file, resolves the recipe against its header. */
static gboolean
prepare (Cleaner *c, GError **error)
{
  g_autofree char *output_dir = g_path_get_dirname (c->output_path);
  guint n_kept;
  gsize expected_rows;

  c->result = winnow_result_new ();
  c->reader = winnow_csv_reader_open (c->input_path, &c->options, c->cancellable, error);
  if (c->reader == NULL)
    return FALSE;
  /* Made again (dense holes, Windows-1252), an attempt reads the file the
   * first one read, as each pass reads the one the first pass read. */
  if (c->attempts++ > 0 && !winnow_cleaner_same_file (c, error))
    return FALSE;
  c->size = winnow_csv_reader_get_size (c->reader);
  c->mtime = winnow_csv_reader_get_mtime (c->reader);

  c->column_names = g_ptr_array_new ();
  for (guint i = 0; i < winnow_csv_reader_get_n_columns (c->reader); i++)
    g_ptr_array_add (c->column_names, (gpointer) winnow_csv_reader_get_column (c->reader, i));
  c->plan = winnow_plan_new (c->recipe, c->column_names, error);
  if (c->plan == NULL)
    return FALSE;
  n_kept = c->plan->n_kept;

  c->fields = g_new0 (const char *, n_kept);
  c->key = g_byte_array_new ();
  c->digests = g_new (WinnowDigest, WINNOW_ROW_BATCH_ROWS);
  c->is_new = g_new (guint8, WINNOW_ROW_BATCH_ROWS);
  c->filled = g_new0 (guint64, n_kept);
  c->replaced = g_new0 (guint64, n_kept);
  c->missing_before = g_new0 (guint64, n_kept);
  /* Per-column fill state only for a recipe that fills that way: a wide
   * file pays a few words per column, not a statistics block. */
  c->stats = g_new0 (WinnowFillStats *, n_kept);
  for (guint k = 0; k < n_kept; k++)
    {
      WinnowColumnFill *fill = &c->plan->fills[k];
      if (!fill->active)
        continue;
      if (fill->strategy == WINNOW_FILL_FFILL && c->last == NULL)
        c->last = g_new0 (LastValue, n_kept);
      else if (fill->strategy != WINNOW_FILL_VALUE && fill->strategy != WINNOW_FILL_FFILL)
        {
          c->stats[k] = winnow_fill_stats_new (fill->strategy);
          winnow_fill_stats_set_spill (c->stats[k], output_dir, spill_memory);
        }
    }
  /* Mean, median, mode and bfill need no statistics pass: the write pass
   * leaves holes, filled at its end (winnow_cleaner_fill_holes()), a
   * bfill hole with the value that ended its run (in a file of one
   * column, a hole left empty gets "", as a row of one empty field). */
  c->defer_fills = g_atomic_int_get (&fill_holes) != 0 && !c->holes_refused &&
                   c->plan->needs_statistics;
  c->holes_always = g_atomic_int_get (&fill_holes) == 1;
  /* (ffill leaves holes too, when the write pass is pipelined) */
  if (c->defer_fills || c->last != NULL)
    {
      c->holes = winnow_spill_array_new (sizeof (WinnowOutputHole), spill_memory, output_dir,
                                         _("the places of the cells to fill"));
      c->hole_counts = g_new0 (guint64, n_kept);
      c->preview_holes = g_array_new (FALSE, FALSE, sizeof (guint64));
    }
  c->n_passes = 1 + (c->plan->needs_selection_pass ? 1 : 0) +
                (c->plan->needs_statistics && !c->defer_fills ? 1 : 0);
  if (c->recipe->drop_duplicates && c->selection == NULL)
    {
      /* Sized for the whole file up front: growing a table of millions of
       * digests costs more time and peak memory than a guess. Values: the
       * row kept, for keep=last/none and for rejected rows; and its line,
       * for rejected rows. The row, not the line, tells the kept copy
       * apart: after a lone CR two rows share a line. */
      expected_rows = (gsize) MIN (winnow_csv_reader_estimate_rows (c->reader), 32u << 20);
      c->seen = winnow_digest_set_new (expected_rows, c->recipe->rejects               ? 2
                                                      : c->plan->needs_selection_pass ? 1
                                                                                      : 0);
    }
  if (!(c->flags & WINNOW_CLEAN_NO_PROFILE))
    c->profiler = winnow_profiler_new (n_kept);
  return TRUE;
}

static void
finish_result (Cleaner *c)
{
  WinnowResult *r = c->result;
  const GArray *bad = winnow_csv_reader_get_bad_line_list (c->reader);

  r->rows_read = winnow_csv_reader_get_rows (c->reader);
  r->rows_written = c->rows_written;
  r->counts[WINNOW_STEP_DROP_DUPLICATES] = c->duplicates;
  r->counts[WINNOW_STEP_DROP_MISSING] = c->missing_dropped;
  r->bad_lines_skipped = winnow_csv_reader_get_bad_lines (c->reader);
  r->bytes_in = c->size;
  r->bytes_out = c->writer->bytes_written;
  r->passes = c->n_passes;
  g_free (r->encoding);
  r->encoding = g_strdup (winnow_csv_reader_get_encoding (c->reader));
  r->delimiter = winnow_csv_reader_get_delimiter (c->reader);
  for (guint i = 0; i < c->recipe->drop_columns->len; i++)
    g_ptr_array_add (r->columns_dropped, g_strdup (g_ptr_array_index (c->recipe->drop_columns, i)));
  r->counts[WINNOW_STEP_DROP_COLUMNS] = r->columns_dropped->len;

  for (guint i = 0; i < bad->len; i++)
    {
      const WinnowBadLine *line = &g_array_index (bad, WinnowBadLine, i);
      WinnowResultBadLine copy = { line->line, line->fields };
      g_array_append_val (r->bad_lines, copy);
      /* Translators: the line number, then two counts of fields */
      winnow_result_add_warning (r, ngettext ("line %llu: expected %u field, saw %u; "
                                              "the line was skipped",
                                              "line %llu: expected %u fields, saw %u; "
                                              "the line was skipped", c->plan->n_input),
                                 (unsigned long long) line->line, c->plan->n_input, line->fields);
    }
  if (c->recipe->bad_lines == WINNOW_BAD_LINES_WARN && r->bad_lines_skipped > bad->len)
    winnow_result_add_warning (r, ngettext ("%llu more bad line was skipped",
                                            "%llu more bad lines were skipped",
                                            (gulong) (r->bad_lines_skipped - bad->len)),
                               (unsigned long long) (r->bad_lines_skipped - bad->len));

  for (guint k = 0; k < c->plan->n_kept; k++)
    {
      WinnowColumnProfile *profile;

      r->counts[WINNOW_STEP_FILL] += c->filled[k];
      r->counts[WINNOW_STEP_REPLACE] += c->replaced[k];
      if (c->profiler == NULL)
        continue;
      profile = winnow_profiler_finish_column (c->profiler, k,
                                               g_ptr_array_index (c->plan->kept_names, k));
      profile->missing_before = c->missing_before[k];
      profile->cells[WINNOW_STEP_FILL] = c->filled[k];
      profile->cells[WINNOW_STEP_REPLACE] = c->replaced[k];
      g_ptr_array_add (r->columns, profile);
    }
}

/* The output's temporary file and the rejected rows' (kept by a second
 * attempt, emptied for it). */
static gboolean
open_outputs (Cleaner *c, GError **error)
{
  gboolean replace = (c->flags & WINNOW_CLEAN_REPLACE) != 0;
  gunichar delimiter = winnow_recipe_output_delimiter (c->recipe,
                                                       winnow_csv_reader_get_delimiter (c->reader));

  if (c->output == NULL)
    {
      winnow_output_file_remove_stale (c->output_path);
      c->output = winnow_output_file_create (c->output_path, c->input_path, replace, error);
      if (c->output == NULL)
        return FALSE;
    }
  else if (!winnow_output_file_truncate (c->output, error))
    return FALSE;
  if (c->recipe->rejects && c->rejects == NULL)
    {
      g_autofree char *path = winnow_output_file_rejects_path (c->output_path);
      c->rejects = winnow_rejects_new (path, c->input_path, replace, delimiter,
                                       c->recipe->crlf, c->recipe->formula_guard, error);
      if (c->rejects == NULL)
        return FALSE;
    }
  if (c->rejects != NULL)
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      for (guint i = 0; i < winnow_csv_reader_get_n_columns (c->reader); i++)
        g_ptr_array_add (names, (gpointer) winnow_csv_reader_get_column (c->reader, i));
      if (!winnow_rejects_begin (c->rejects, names, error))
        return FALSE;
    }
  c->writer = winnow_csv_writer_new (winnow_output_file_get_fd (c->output), delimiter,
                                     c->recipe->crlf,
                                     c->recipe->formula_guard);
  winnow_csv_writer_write_back (c->writer, winnow_output_file_get_sync (c->output));
  return TRUE;
}

/* What a selection pass chose (keep=last/none), kept by the attempt made
 * again for dense holes: the file is the same (prepare() makes sure), so
 * the same rows remain, and reading it once more to choose them would
 * only cost time. */
typedef struct _Selection {
  Bitset keep;
  WinnowDigestSet *seen;  /* with rejected rows: the kept copies */
  guint64 duplicates;
  guint64 missing_dropped;
} Selection;

static void
take_selection (Cleaner *c, Selection *s)
{
  s->keep = c->keep;
  c->keep = (Bitset) { NULL, 0 };
  s->seen = g_steal_pointer (&c->seen);
  s->duplicates = c->duplicates;
  s->missing_dropped = c->missing_dropped;
}

static void
selection_clear (Selection *s)
{
  g_clear_pointer (&s->keep.words, g_free);
  g_clear_pointer (&s->seen, winnow_digest_set_free);
}

/* The selection pass, done by the attempt before: its choice, as
 * finish_selection() left it. */
static void
restore_selection (Cleaner *c)
{
  Selection *s = c->selection;

  c->keep = s->keep;
  s->keep = (Bitset) { NULL, 0 };
  g_clear_pointer (&c->seen, winnow_digest_set_free);
  c->seen = g_steal_pointer (&s->seen);
  c->duplicates = s->duplicates;
  c->missing_dropped = s->missing_dropped;
  c->have_keep = TRUE;
  c->pass_index++;
}

static WinnowResult *
attempt (Cleaner *c, GError **error)
{
  if (!prepare (c, error))
    return NULL;
  if (!open_outputs (c, error))
    return NULL;

  if (c->plan->needs_selection_pass && c->selection != NULL)
    restore_selection (c);
  else if (c->plan->needs_selection_pass && !winnow_cleaner_run_pass (c, PASS_SELECT, error))
    return NULL;
  if (c->plan->needs_statistics && !c->defer_fills &&
      !winnow_cleaner_run_pass (c, PASS_STATS, error))
    return NULL;
  if (!winnow_cleaner_run_pass (c, PASS_WRITE, error))
    return NULL;

  if (!winnow_csv_writer_flush (c->writer))
    {
      g_autofree char *name = g_filename_display_name (c->output_path);
      g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_WRITE,
                   _("could not write %s: %s"), name, g_strerror (c->writer->error_number));
      return NULL;
    }
  /* (ffill's holes: any kept, or one that could not be) */
  if ((c->defer_fills ||
       (c->holes != NULL && (c->holes->len > 0 || c->hole_error != NULL))) &&
      !winnow_cleaner_fill_holes (c, error))
    return NULL;
  if (c->rejects != NULL && !winnow_rejects_finish (c->rejects, error))
    return NULL;
  /* Every byte is final: the disk takes the last ones while the result is
   * made and the memory freed, and the commit waits for what is left. */
  winnow_disk_sync_soon (winnow_output_file_get_sync (c->output));
  if (c->rejects != NULL)
    winnow_disk_sync_soon (winnow_output_file_get_sync (winnow_rejects_get_file (c->rejects)));
  finish_result (c);
  return g_steal_pointer (&c->result);
}

/* An attempt, made again with a pass of statistics if its write pass
 * found its holes too dense (winnow_cleaner_weigh_holes()). */
static WinnowResult *
attempt_fills (Cleaner *c, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  WinnowResult *result = attempt (c, &local_error);

  if (result == NULL && g_error_matches (local_error, WINNOW_CLEANER_DENSE_HOLES, 0))
    {
      Selection selection = { 0 };
      gboolean selected = c->plan->needs_selection_pass && c->have_keep;

      g_clear_error (&local_error);
      if (selected)
        take_selection (c, &selection);
      cleaner_clear (c);
      c->holes_refused = TRUE;
      c->selection = selected ? &selection : NULL;
      result = attempt (c, &local_error);
      c->selection = NULL;
      selection_clear (&selection);
    }
  if (result == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return result;
}

/**
 * winnow_clean_file:
 * @recipe: a valid recipe
 * @output_path: where the cleaned file goes (see
 *   winnow_output_file_default_path())
 * @progress: (nullable) (scope call): called on this thread
 * @cancellable: (nullable): cancels within 64 KiB of input
 *
 * Runs @recipe over @input_path. On success the output is in place, and
 * with the recipe's output.rejects the rejected rows beside it
 * (winnow_output_file_rejects_path()); on any failure nothing is written
 * and no temporary file is left.
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
WinnowResult *
winnow_clean_file (const WinnowRecipe *recipe, const char *input_path, const char *output_path,
                   WinnowCleanFlags flags, WinnowProgressFunc progress, gpointer user_data,
                   GCancellable *cancellable, GError **error)
{
  Cleaner c = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *fallback_reason = NULL;
  gint64 start = g_get_monotonic_time ();
  WinnowResult *result;

  g_return_val_if_fail (recipe != NULL && input_path != NULL && output_path != NULL, NULL);

  c.recipe = recipe;
  c.input_path = input_path;
  c.output_path = output_path;
  c.flags = flags;
  c.cancellable = cancellable;
  c.progress = progress;
  c.progress_data = user_data;
  c.options.delimiter = recipe->delimiter;
  c.options.quote = recipe->quote;
  c.options.encoding = recipe->encoding;
  c.options.header = recipe->header;
  c.options.bad_lines = recipe->bad_lines;
  c.detail = g_string_new (NULL);

  result = attempt_fills (&c, &local_error);
  if (result == NULL && g_error_matches (local_error, WINNOW_CSV_ERROR, WINNOW_CSV_ERROR_NOT_UTF8))
    {
      /* encoding "auto" met a byte that is not UTF-8 after the first
       * 64 KiB: the whole file is read again as Windows-1252. */
      fallback_reason = g_strdup (local_error->message);
      g_clear_error (&local_error);
      cleaner_clear (&c);
      winnow_csv_reader_options_fall_back (&c.options);
      result = attempt_fills (&c, &local_error);
      if (result != NULL)
        {
          g_free (result->encoding);
          result->encoding = g_strdup ("Windows-1252");
        }
    }
  cleaner_clear (&c);  /* before the commit, while the disk works */

  if (result != NULL && fallback_reason != NULL)
    /* Translators: %s is why the file is not UTF-8, such as
     * "line 3: the file is not valid UTF-8 (byte 0xE9)" */
    winnow_result_add_warning (result, _("%s; it was read as Windows-1252"), fallback_reason);
  /* The last word before the output goes in place: whoever runs the
   * task may still cancel it (a cancel asked just now, in another
   * process); after this, it is too late. */
  if (result != NULL && progress != NULL)
    {
      WinnowCommit commit = { result, 0, 0 };
      WinnowProgress finishing = { 0.999, result->rows_read, WINNOW_PHASE_COMMITTING, &commit };

      result->elapsed = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
      if (!winnow_output_file_get_identity (c.output, &commit.device, &commit.inode))
        finishing.commit = NULL;
      progress (&finishing, user_data);
    }
  if (result != NULL && g_cancellable_set_error_if_cancelled (cancellable, &local_error))
    g_clear_pointer (&result, winnow_result_free);
  /* the output and its rejected rows: both, or neither */
  if (result != NULL &&
      !winnow_output_file_commit_with (c.output,
                                       c.rejects ? winnow_rejects_get_file (c.rejects) : NULL,
                                       &local_error))
    g_clear_pointer (&result, winnow_result_free);

  if (result != NULL)
    {
      result->elapsed = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
      if (progress != NULL)
        {
          WinnowProgress done = { 1.0, result->rows_read, WINNOW_PHASE_WRITING, NULL };
          progress (&done, user_data);
        }
    }
  else
    g_propagate_error (error, g_steal_pointer (&local_error));

  g_clear_pointer (&c.output, winnow_output_file_free);
  g_clear_pointer (&c.rejects, winnow_rejects_free);
  g_string_free (c.detail, TRUE);
  return result;
}
