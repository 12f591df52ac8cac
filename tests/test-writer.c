/* test-writer.c: the CSV writer: which fields need quotes, and its early
 * disk writes (every 8 MiB of whole pages, none past a hole, given up on
 * a device) and background syncs (every 16 MiB of those, their errors
 * kept). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "winnow-csv-writer.h"

static void
test_writer_quotes (void)
{
  g_autoptr(WinnowCsvWriter) writer = winnow_csv_writer_new (-1, ';', FALSE, FALSE);
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  static const char alphabet[] = "ab;\",\n\rxyz";

  for (guint i = 0; i < 5000; i++)
    {
      char text[40];
      gsize length = (gsize) g_rand_int_range (rand, 0, sizeof text);
      gboolean expected = FALSE;

      for (gsize k = 0; k < length; k++)
        {
          /* mostly plain letters, so that many fields need no quotes */
          text[k] = g_rand_int_range (rand, 0, 20) == 0
                      ? alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)]
                      : 'q';
          expected = expected || text[k] == ';' || text[k] == '"' || text[k] == '\n' ||
                     text[k] == '\r';
        }
      g_assert_cmpint (winnow_csv_writer_needs_quotes (writer, text, length), ==, expected);
    }
  g_assert_true (winnow_csv_writer_needs_guard ("=A1", 3));
  g_assert_true (winnow_csv_writer_needs_guard ("\t5", 2));
  g_assert_false (winnow_csv_writer_needs_guard ("-2.5", 4));
  g_assert_false (winnow_csv_writer_needs_guard ("plain", 5));
}

/* Written bytes: through the buffer and whole (a batch's), the same in
 * the file; disk writes started every 8 MiB, never past the limit. */
static void
write_pieces (WinnowCsvWriter *writer, GChecksum *sum, gsize total)
{
  g_autofree guint8 *piece = g_malloc (300 * 1024);

  for (gsize done = 0, i = 0; done < total; i++)
    {
      gsize length = i % 3 == 0 ? 300 * 1024 : 1000 + i % 7;  /* whole, or copied */

      memset (piece, 'a' + (int) (i % 26), length);
      piece[length - 1] = '\n';
      winnow_csv_writer_write_raw (writer, piece, length);
      g_checksum_update (sum, piece, (gssize) length);
      done += length;
    }
  g_assert_true (winnow_csv_writer_flush (writer));
}

static void
test_writer_write_back (void)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("winnow-writer-XXXXXX", &path, NULL);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GChecksum) read_sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *contents = NULL;
  gsize length;
  WinnowCsvWriter *writer;
  WinnowDiskSync *sync;
  guint syncs;
  int error_number;

  g_assert_cmpint (fd, >=, 0);
  sync = winnow_disk_sync_new (fd);
  syncs = winnow_disk_sync_get_count ();
  writer = winnow_csv_writer_new (fd, ',', FALSE, FALSE);
  winnow_csv_writer_write_back (writer, sync);
  write_pieces (writer, sum, 20u << 20);
  g_assert_cmpuint (writer->written_back, >=, 16u << 20);
  /* 16 MiB started: made durable in the background once */
  g_assert_true (winnow_disk_sync_wait (sync, &error_number));
  g_assert_cmpint (error_number, ==, 0);
  g_assert_cmpuint (winnow_disk_sync_get_count (), ==, syncs + 1);
  g_assert_cmpuint (writer->synced_to, >=, 16u << 20);
  g_assert_cmpuint (writer->written_back % 4096, ==, 0);  /* whole pages */
  g_assert_cmpuint (writer->written_back, <=, writer->bytes_written);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, ==, writer->bytes_written);
  g_checksum_update (read_sum, (const guchar *) contents, (gssize) length);
  g_assert_cmpstr (g_checksum_get_string (read_sum), ==, g_checksum_get_string (sum));
  g_checksum_reset (sum);
  winnow_csv_writer_free (writer);

  /* bytes that will move (a hole before them) are not started */
  g_assert_cmpint (ftruncate (fd, 0), ==, 0);
  g_assert_cmpint (lseek (fd, 0, SEEK_SET), ==, 0);
  syncs = winnow_disk_sync_get_count ();
  writer = winnow_csv_writer_new (fd, ',', FALSE, FALSE);
  winnow_csv_writer_write_back (writer, sync);
  winnow_csv_writer_write_back_before (writer, 10u << 20);
  write_pieces (writer, sum, 30u << 20);
  g_assert_cmpuint (writer->written_back, ==, 10u << 20);
  /* nor synced: not 16 MiB of final bytes */
  g_assert_true (winnow_disk_sync_wait (sync, &error_number));
  g_assert_cmpuint (winnow_disk_sync_get_count (), ==, syncs);
  winnow_csv_writer_free (writer);
  winnow_disk_sync_free (sync);
  close (fd);
  g_unlink (path);

  /* where it cannot be done (not a file), it is given up, no error */
  fd = open ("/dev/null", O_WRONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  writer = winnow_csv_writer_new (fd, ',', FALSE, FALSE);
  winnow_csv_writer_write_back (writer, NULL);
  write_pieces (writer, sum, 9u << 20);
  g_assert_cmpuint (writer->write_back_limit, ==, 0);
  g_assert_cmpint (writer->error_number, ==, 0);
  winnow_csv_writer_free (writer);
  close (fd);
}

/* A background sync that fails is told to whoever waits next, and stays
 * told: the file's own fdatasync() would not report that error again. */
static void
test_disk_sync_error (void)
{
  int fds[2];
  WinnowDiskSync *sync;
  int error_number = 0;

  g_assert_cmpint (pipe (fds), ==, 0);
  sync = winnow_disk_sync_new (fds[1]);  /* fdatasync() of a pipe: EINVAL */
  g_assert_true (winnow_disk_sync_wait (sync, &error_number));
  g_assert_cmpint (error_number, ==, 0);
  g_assert_true (winnow_disk_sync_drop (sync, &error_number));
  g_assert_cmpint (error_number, ==, 0);
  winnow_disk_sync_soon (sync);
  winnow_disk_sync_soon (sync);  /* asked again: at most one more */
  g_assert_false (winnow_disk_sync_wait (sync, &error_number));
  g_assert_cmpint (error_number, ==, EINVAL);
  g_assert_false (winnow_disk_sync_wait (sync, &error_number));
  g_assert_cmpint (error_number, ==, EINVAL);
  /* nor forgotten by a file emptied to be written again */
  g_assert_false (winnow_disk_sync_drop (sync, &error_number));
  g_assert_cmpint (error_number, ==, EINVAL);
  winnow_disk_sync_free (sync);
  close (fds[0]);
  close (fds[1]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/writer/quotes", test_writer_quotes);
  g_test_add_func ("/writer/write-back", test_writer_write_back);
  g_test_add_func ("/writer/disk-sync-error", test_disk_sync_error);
  return g_test_run ();
}
