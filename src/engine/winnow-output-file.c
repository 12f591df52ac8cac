/* winnow-output-file.c: see winnow-output-file.h. */
#include "config.h"

#include "winnow-output-file.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK (winnow-output-error-quark, winnow_output_error)

#define TEMP_MARK ".winnow-"

struct _WinnowOutputFile {
  char *path;
  char *temp_path;
  char *display_name;
  int fd;
  gboolean replace;
  gboolean committed;
};

static char *
temp_prefix (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = g_strconcat (".", base, TEMP_MARK, NULL);
  return g_build_filename (dir, name, NULL);
}

/* The process umask, read without changing it (umask() would race with
 * other threads creating files). */
static mode_t
current_umask (void)
{
  static gsize once = 0;
  static mode_t mask = 022;

  if (g_once_init_enter (&once))
    {
      g_autofree char *status = NULL;
      if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
        {
          const char *line = strstr (status, "\nUmask:");
          if (line != NULL)
            mask = (mode_t) strtoul (line + 7, NULL, 8);
        }
      g_once_init_leave (&once, 1);
    }
  return mask;
}

static gboolean
same_file (const char *a, const char *b)
{
  struct stat sa, sb;
  return a != NULL && b != NULL && stat (a, &sa) == 0 && stat (b, &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/**
 * winnow_output_file_create:
 * @path: where the output will be
 * @input_path: (nullable): the input, which is never overwritten
 * @replace: whether an existing file at @path may be replaced
 *
 * Returns: (transfer full): the open temporary file
 */
WinnowOutputFile *
winnow_output_file_create (const char *path, const char *input_path, gboolean replace,
                           GError **error)
{
  g_autoptr(WinnowOutputFile) file = g_new0 (WinnowOutputFile, 1);
  g_autofree char *prefix = temp_prefix (path);
  g_autofree char *dir = g_path_get_dirname (path);
  struct stat st;

  file->fd = -1;
  file->path = g_strdup (path);
  file->display_name = g_filename_display_name (path);
  file->replace = replace;

  if (same_file (path, input_path))
    {
      g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_IS_INPUT,
                   /* Translators: %s is a file name */
                   _("the output %s is the input file; Winnow never overwrites its input"),
                   file->display_name);
      return NULL;
    }
  if (lstat (path, &st) == 0)
    {
      if (S_ISDIR (st.st_mode))
        {
          g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_EXISTS,
                       /* Translators: %s is a file name */
                       _("the output %s is a folder"), file->display_name);
          return NULL;
        }
      if (!replace)
        {
          g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_EXISTS,
                       /* Translators: %s is a file name; --force is an option of
                        * winnow --batch and stays as it is */
                       _("the output %s already exists (replace it with --force)"),
                       file->display_name);
          return NULL;
        }
    }
  if (stat (dir, &st) != 0 || !S_ISDIR (st.st_mode))
    {
      g_autofree char *name = g_filename_display_name (dir);
      g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_FOLDER,
                   _("the output folder %s does not exist"), name);
      return NULL;
    }

  file->temp_path = g_strconcat (prefix, "XXXXXX", NULL);
  file->fd = g_mkstemp_full (file->temp_path, O_RDWR | O_CLOEXEC, 0600);
  if (file->fd < 0)
    {
      int saved = errno;
      g_autofree char *name = g_filename_display_name (dir);
      g_clear_pointer (&file->temp_path, g_free);
      g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_FOLDER,
                   /* Translators: a folder, then the system's reason */
                   _("cannot write in the folder %s: %s"), name, g_strerror (saved));
      return NULL;
    }
  /* Held until the file is committed or removed: a free lock marks a
   * temporary file whose writer is gone. */
  flock (file->fd, LOCK_EX | LOCK_NB);
  return g_steal_pointer (&file);
}

int
winnow_output_file_get_fd (WinnowOutputFile *file)
{
  return file->fd;
}

const char *
winnow_output_file_get_temp_path (WinnowOutputFile *file)
{
  return file->temp_path;
}

/* Empties the temporary file, to write it again from the start. */
gboolean
winnow_output_file_truncate (WinnowOutputFile *file, GError **error)
{
  if (ftruncate (file->fd, 0) != 0 || lseek (file->fd, 0, SEEK_SET) != 0)
    {
      int saved = errno;
      g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_WRITE,
                   /* Translators: a file name, then the system's reason */
                   _("could not write %s: %s"), file->display_name, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
rename_into_place (WinnowOutputFile *file, GError **error)
{
  int r;

  if (file->replace)
    r = rename (file->temp_path, file->path);
  else
    {
      r = renameat2 (AT_FDCWD, file->temp_path, AT_FDCWD, file->path, RENAME_NOREPLACE);
      if (r != 0 && (errno == EINVAL || errno == ENOSYS))
        {
          /* A file system without RENAME_NOREPLACE: link() refuses to
           * replace too. */
          r = link (file->temp_path, file->path);
          if (r == 0)
            unlink (file->temp_path);
        }
    }
  if (r != 0)
    {
      int saved = errno;
      if (saved == EEXIST)
        g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_EXISTS,
                     /* Translators: %s is a file name */
                     _("the output %s appeared while it was being written; it was left alone"),
                     file->display_name);
      else
        g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_WRITE,
                     /* Translators: a file name, then the system's reason */
                     _("could not put %s in place: %s"), file->display_name, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* Makes the written data durable, with the usual permissions. */
static gboolean
make_durable (WinnowOutputFile *file, GError **error)
{
  if (fdatasync (file->fd) != 0 ||
      fchmod (file->fd, 0666 & ~current_umask ()) != 0)
    {
      int saved = errno;
      g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_WRITE,
                   _("could not write %s: %s"), file->display_name, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static void
mark_committed (WinnowOutputFile *file)
{
  file->committed = TRUE;
  close (file->fd);
  file->fd = -1;
}

/**
 * winnow_output_file_commit:
 *
 * Makes the written data durable and renames it into place. On failure the
 * temporary file is removed when @file is freed.
 */
gboolean
winnow_output_file_commit (WinnowOutputFile *file, GError **error)
{
  return winnow_output_file_commit_with (file, NULL, error);
}

/**
 * winnow_output_file_commit_with:
 * @sidecar: (nullable): a second file that must appear with @file
 *
 * Commits @file and @sidecar together: both are made durable first, then
 * the sidecar is renamed into place, then @file; if @file cannot be, the
 * sidecar just put in place is removed again. So a failure (a full disk,
 * a file that appeared meanwhile) leaves neither. One case is left: with
 * replacing allowed, an old sidecar that the new one replaced is gone even
 * when @file then fails to be renamed, which in one folder of one file
 * system happens only if the folder changes under the task.
 */
gboolean
winnow_output_file_commit_with (WinnowOutputFile *file, WinnowOutputFile *sidecar, GError **error)
{
  g_return_val_if_fail (file != NULL && !file->committed, FALSE);

  if (!make_durable (file, error) || (sidecar != NULL && !make_durable (sidecar, error)))
    return FALSE;
  if (sidecar != NULL && !rename_into_place (sidecar, error))
    return FALSE;
  if (!rename_into_place (file, error))
    {
      if (sidecar != NULL)
        unlink (sidecar->path);
      return FALSE;
    }
  mark_committed (file);
  if (sidecar != NULL)
    mark_committed (sidecar);
  return TRUE;
}

/* Frees @file; an uncommitted temporary file is removed. */
void
winnow_output_file_free (WinnowOutputFile *file)
{
  if (file == NULL)
    return;
  if (!file->committed && file->temp_path != NULL)
    unlink (file->temp_path);
  if (file->fd >= 0)
    close (file->fd);
  g_free (file->temp_path);
  g_free (file->display_name);
  g_free (file->path);
  g_free (file);
}

/**
 * winnow_output_file_remove_stale:
 * @path: an output path
 *
 * Removes the temporary files of earlier attempts at @path whose writers
 * are gone (their lock is free).
 *
 * Returns: how many were removed
 */
guint
winnow_output_file_remove_stale (const char *path)
{
  g_autofree char *dir_path = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (".", base, TEMP_MARK, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint removed = 0;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *full = NULL;
      int fd;

      if (!g_str_has_prefix (name, prefix) || strlen (name) != strlen (prefix) + 6)
        continue;
      full = g_build_filename (dir_path, name, NULL);
      fd = open (full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
      if (fd < 0)
        continue;
      if (flock (fd, LOCK_EX | LOCK_NB) == 0 && unlink (full) == 0)
        removed++;
      close (fd);
    }
  return removed;
}

/**
 * winnow_output_file_rejects_path:
 * @output_path: a task's output
 *
 * Where the task's rejected rows go when its recipe keeps them: beside the
 * output, with ".rejected" before its extension (`data.cleaned.csv` ->
 * `data.cleaned.rejected.csv`, `out.tsv` -> `out.rejected.tsv`); an output
 * without an extension gets `.rejected.csv`.
 *
 * Returns: (transfer full): the path
 */
char *
winnow_output_file_rejects_path (const char *output_path)
{
  g_autofree char *dir = g_path_get_dirname (output_path);
  g_autofree char *base = g_path_get_basename (output_path);
  g_autofree char *name = NULL;
  char *dot = strrchr (base, '.');

  g_return_val_if_fail (output_path != NULL, NULL);

  if (dot != NULL && dot != base)
    {
      g_autofree char *extension = g_strdup (dot);
      *dot = '\0';
      name = g_strconcat (base, ".rejected", extension, NULL);
    }
  else
    name = g_strconcat (base, ".rejected.csv", NULL);
  if (strchr (output_path, G_DIR_SEPARATOR) == NULL)
    return g_steal_pointer (&name);
  return g_build_filename (dir, name, NULL);
}

/**
 * winnow_output_file_default_path:
 * @output_dir: (nullable): the folder, or %NULL for the input's own
 *
 * Returns: (transfer full): `<dir>/<stem>.cleaned.csv` (SPEC section 4)
 */
char *
winnow_output_file_default_path (const char *input_path, const char *output_dir)
{
  g_autofree char *base = g_path_get_basename (input_path);
  g_autofree char *dir = output_dir ? g_strdup (output_dir) : g_path_get_dirname (input_path);
  g_autofree char *name = NULL;
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  name = g_strconcat (base, ".cleaned.csv", NULL);
  return g_build_filename (dir, name, NULL);
}
