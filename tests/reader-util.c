/* reader-util.c: see reader-util.h. */
#include "config.h"

#include "reader-util.h"

WinnowCsvReaderOptions
options_for (const ReadSetup *setup)
{
  WinnowCsvReaderOptions options = { ',', '"', "auto", TRUE, WINNOW_BAD_LINES_ERROR, 0, 0 };
  if (setup != NULL)
    {
      options.chunk_size = setup->chunk_size;
      options.n_threads = setup->n_threads;
      options.bad_lines = setup->bad_lines;
      if (setup->delimiter != 0)
        options.delimiter = setup->delimiter;
      options.budget = setup->budget;
      if (setup->encoding != NULL)
        options.encoding = setup->encoding;
      options.libcsv_only = setup->libcsv_only;
      options.extra_first = setup->extra_first;
      if (setup->quote != 0)
        options.quote = setup->quote;
      options.batches_per_thread = setup->batches_per_thread;
    }
  return options;
}

char *
dump (const char *path, const ReadSetup *setup)
{
  WinnowCsvReaderOptions options = options_for (setup);

  return winnow_test_read_rows (path, &options, setup != NULL && setup->trim);
}

char *
random_csv (guint32 seed, guint n_rows, gboolean long_rows)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GString *s = g_string_new ("a,b,c,d\n");

  for (guint i = 0; i < n_rows; i++)
    {
      guint n_fields = 4;
      int kind = g_rand_int_range (rand, 0, 100);

      if (kind < 5)
        n_fields = (guint) g_rand_int_range (rand, 1, 4);
      else if (kind < 8 && long_rows)
        n_fields = 5;
      for (guint f = 0; f < n_fields; f++)
        {
          int v = g_rand_int_range (rand, 0, 100);
          if (f > 0)
            g_string_append_c (s, ',');
          if (v < 40)
            g_string_append_printf (s, "w%u", g_rand_int_range (rand, 0, 1000));
          else if (v < 50)
            ;  /* empty */
          else if (v < 55)
            g_string_append (s, "NA");
          else if (v < 65)
            g_string_append (s, "\"x, y\"");
          else if (v < 72)
            g_string_append (s, "\"say \"\"hi\"\"\"");
          else if (v < 80)
            g_string_append (s, "\"two\n  \nlines\"");
          else if (v < 83)
            {
              /* a quoted field over many lines: it crosses chunk ends */
              g_string_append_c (s, '"');
              for (int l = g_rand_int_range (rand, 5, 60); l > 0; l--)
                g_string_append (s, "long,line\n");
              g_string_append_c (s, '"');
            }
          else if (v < 85)
            g_string_append (s, "  spaced  ");
          else
            g_string_append_printf (s, "%d", g_rand_int_range (rand, -50, 50));
        }
      g_string_append (s, g_rand_int_range (rand, 0, 10) == 0 ? "\r\n" : "\n");
      if (g_rand_int_range (rand, 0, 30) == 0)
        g_string_append_c (s, '\n');
      else if (g_rand_int_range (rand, 0, 30) == 0)
        g_string_append (s, " \t \n");  /* blank too */
    }
  return g_string_free (s, FALSE);
}
