/* winnow-spill-array.c: a growing array of fixed-size records that moves
 * to a file once it is large.
 *
 * The write pass notes 16 bytes for every cell a statistic fills (a hole,
 * winnow-output-holes.c), and keeps them all until the values are known at
 * the end: a billion holes would be 16 GB of the process's own memory.
 * Past memory_max bytes the records move to an unlinked file beside the
 * output, mapped shared: the kernel writes its pages to disk and takes
 * them back when memory runs short, as it does any file's, and the array
 * stays one run of records for the hole pass to read. Its room on disk is
 * reserved (posix_fallocate()) before it is used, so a full disk is an
 * error here, not a SIGBUS at a write into the mapping.
 */
#include "config.h"

#include "winnow-spill-array.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/mman.h>
#include <unistd.h>

/* Each growth of the file is at most this much, and at least this much. */
#define FILE_STEP_MAX ((gsize) 256 << 20)
#define FILE_STEP_MIN ((gsize) 1 << 20)

/* How many arrays moved to a file (for tests) */
static gint n_moved;

guint
winnow_spill_array_get_n_moved (void)
{
  return (guint) g_atomic_int_get (&n_moved);
}

/* @what: what the records are, for a message ("the places of the cells
 * to fill") */
WinnowSpillArray *
winnow_spill_array_new (gsize record_size, gsize memory_max, const char *dir, const char *what)
{
  WinnowSpillArray *array;

  g_return_val_if_fail (record_size > 0 && what != NULL, NULL);
  array = g_new0 (WinnowSpillArray, 1);
  array->what = g_strdup (what);
  array->record_size = record_size;
  array->memory_max = memory_max;
  array->dir = g_strdup (dir);
  array->fd = -1;
  return array;
}

void
winnow_spill_array_free (WinnowSpillArray *array)
{
  if (array == NULL)
    return;
  if (array->fd >= 0)
    {
      if (array->file_bytes > 0)
        munmap (array->data, array->file_bytes);
      close (array->fd);
    }
  else
    g_free (array->data);
  g_free (array->dir);
  g_free (array->what);
  g_free (array);
}

gboolean
winnow_spill_array_in_file (const WinnowSpillArray *array)
{
  return array->fd >= 0;
}

/* An unlinked file in @dir, or -1. */
static int
open_unlinked (const char *dir)
{
  g_autofree char *template = NULL;
  int fd;

#ifdef O_TMPFILE
  fd = open (dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0)
    return fd;
#endif
  template = g_build_filename (dir, ".winnow-spill-XXXXXX", NULL);
  fd = g_mkstemp_full (template, O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0)
    g_unlink (template);
  return fd;
}

static gboolean
fail (WinnowSpillArray *array, int error_number, GError **error)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (error_number),
               /* Translators: what was to be kept (such as "the places of the
                * cells to fill"), a folder, then the system's reason */
               _("could not keep %s in %s: %s"), array->what,
               array->dir ? array->dir : _("memory"), g_strerror (error_number));
  return FALSE;
}

/* The file, @bytes long (reserved on disk), mapped at data. */
static gboolean
map_file (WinnowSpillArray *array, gsize bytes, GError **error)
{
  void *data;
  int rc;

  rc = posix_fallocate (array->fd, (off_t) array->file_bytes, (off_t) (bytes - array->file_bytes));
  if (rc != 0)
    return fail (array, rc, error);
  if (array->file_bytes == 0)
    data = mmap (NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, array->fd, 0);
  else
    {
#ifdef MREMAP_MAYMOVE
      data = mremap (array->data, array->file_bytes, bytes, MREMAP_MAYMOVE);
#else
      /* the new mapping first: the old one stays if it cannot be made */
      data = mmap (NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, array->fd, 0);
      if (data != MAP_FAILED)
        munmap (array->data, array->file_bytes);
#endif
    }
  if (data == MAP_FAILED)
    return fail (array, errno, error);
  array->data = data;
  array->file_bytes = bytes;
  array->capacity = bytes / array->record_size;
  return TRUE;
}

/* Moves the records to a file of @bytes, if there is a folder for it and
 * the file can be made there; FALSE if they stay in memory (as they
 * would without a folder: the file is a help, not a need). */
static gboolean
move_to_file (WinnowSpillArray *array, gsize bytes)
{
  g_autoptr(GError) error = NULL;
  guint8 *old = array->data;

  array->fd = open_unlinked (array->dir);
  if (array->fd >= 0 && map_file (array, bytes, &error))
    {
      if (array->len > 0)  /* (none yet when memory_max is below one record) */
        memcpy (array->data, old, array->len * array->record_size);
      g_free (old);
      g_atomic_int_inc (&n_moved);
      return TRUE;
    }
  g_debug ("records stay in memory: %s",
           error != NULL ? error->message : g_strerror (errno));
  if (array->fd >= 0)
    close (array->fd);
  array->fd = -1;
  array->file_bytes = 0;
  array->data = old;
  g_clear_pointer (&array->dir, g_free);
  return FALSE;
}

/**
 * winnow_spill_array_grow:
 *
 * Makes room for @more records past the ones there: in memory up to
 * memory_max bytes, in the file after that.
 */
gboolean
winnow_spill_array_grow (WinnowSpillArray *array, gsize more, GError **error)
{
  gsize size = array->record_size;
  gsize need, bytes;

  if (more > (G_MAXSIZE / size) - array->len)
    return fail (array, ENOMEM, error);
  need = (array->len + more) * size;
  if (array->fd >= 0)
    {
      gsize step = CLAMP (array->file_bytes, FILE_STEP_MIN, FILE_STEP_MAX);
      bytes = array->file_bytes + MAX (step, need - array->file_bytes);
      bytes = (bytes + size - 1) / size * size;
      return map_file (array, bytes, error);
    }

  /* doubled, without overflow */
  bytes = array->capacity <= G_MAXSIZE / size / 2 ? array->capacity * size * 2 : need;
  bytes = MAX (need, MAX (bytes, 64 * size));
  if (bytes > array->memory_max && array->dir != NULL &&
      move_to_file (array, (MAX (need, FILE_STEP_MIN) + size - 1) / size * size))
    return TRUE;
  array->data = g_realloc (array->data, bytes);
  array->capacity = bytes / size;
  return TRUE;
}
