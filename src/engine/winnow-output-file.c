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

#include "winnow-csv-writer.h"

G_DEFINE_QUARK (winnow-output-error-quark, winnow_output_error)

#define TEMP_MARK ".winnow-"

struct _WinnowOutputFile {
  char *path;
  char *temp_path;
  char *display_name;
  int fd;
  WinnowDiskSync *sync;  /* its syncs while it is written */
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

/* A regular file may be replaced, and a symbolic link (the rename replaces
 * the link, never what it points to); nothing else. */
static gboolean
replaceable (mode_t mode)
{
  return S_ISREG (mode) || S_ISLNK (mode);
}

#define NOT_REGULAR(error, format, name) \
  g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_NOT_REGULAR, format, name)

static gboolean
not_regular (GError **error, const char *display_name, mode_t mode)
{
  if (S_ISDIR (mode))
    /* Translators: %s is a file name */
    NOT_REGULAR (error, _("the output %s is a folder"), display_name);
  else if (S_ISCHR (mode) || S_ISBLK (mode))
    /* Translators: %s is a file name */
    NOT_REGULAR (error, _("the output %s is a device; Winnow replaces only regular files"),
                 display_name);
  else if (S_ISFIFO (mode))
    /* Translators: %s is a file name; a FIFO is a named pipe */
    NOT_REGULAR (error, _("the output %s is a FIFO; Winnow replaces only regular files"),
                 display_name);
  else if (S_ISSOCK (mode))
    /* Translators: %s is a file name */
    NOT_REGULAR (error, _("the output %s is a socket; Winnow replaces only regular files"),
                 display_name);
  else
    /* Translators: %s is a file name */
    NOT_REGULAR (error, _("the output %s is not a regular file; Winnow replaces only regular "
                          "files"), display_name);
  return FALSE;
}

/* Does the link at @path lead through /proc (/proc/self/fd/1, what
 * /dev/stdout points to) or /dev/fd? Those name an open descriptor of
 * whichever process looks, not a file. */
static gboolean
leads_to_descriptor (const char *path)
{
  g_autofree char *at = g_strdup (path);

  for (guint hops = 0; hops < 40; hops++)
    {
      g_autofree char *text = g_file_read_link (at, NULL);
      g_autofree char *dir = NULL;

      if (text == NULL)
        return FALSE;
      dir = g_path_get_dirname (at);
      g_free (at);
      at = g_canonicalize_filename (text, dir);
      if (g_str_has_prefix (at, "/proc/") || g_str_has_prefix (at, "/dev/fd/"))
        return TRUE;
    }
  return FALSE;
}

/* A link to a device, a pipe, a terminal or a descriptor (/dev/stdout)
 * is not replaced either: whoever names it means the thing it leads to,
 * and replacing the link with a file would print nothing and break the
 * link for everyone. */
static gboolean
leads_to_special (const char *path, const char *display_name, GError **error)
{
  struct stat st;

  if (leads_to_descriptor (path))
    {
      NOT_REGULAR (error, _("the output %s leads to an open file descriptor, such as the "
                            "terminal’s; Winnow writes only regular files"), display_name);
      return TRUE;
    }
  if (stat (path, &st) != 0 || S_ISREG (st.st_mode))
    return FALSE;  /* a link to nothing, or to a regular file */
  not_regular (error, display_name, st.st_mode);
  return TRUE;
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
  int found;

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
  /* Early, to fail before the work; commit checks again, for real. */
  if (lstat (path, &st) == 0)
    {
      if (!replaceable (st.st_mode))
        {
          not_regular (error, file->display_name, st.st_mode);
          return NULL;
        }
      if (S_ISLNK (st.st_mode) && leads_to_special (path, file->display_name, error))
        return NULL;
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
  if ((found = stat (dir, &st)) != 0 || !S_ISDIR (st.st_mode))
    {
      int saved = errno;
      g_autofree char *name = g_filename_display_name (dir);

      if (found == 0)
        g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_FOLDER,
                     /* Translators: %s is a path that should be a folder */
                     _("the output folder %s is a file, not a folder"), name);
      else if (saved == ENOTDIR)
        g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_FOLDER,
                     /* Translators: %s is a folder */
                     _("the output folder %s does not exist: a part of its path is a file"),
                     name);
      else if (saved == ENOENT)
        g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_FOLDER,
                     _("the output folder %s does not exist"), name);
      else
        g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_FOLDER,
                     /* Translators: a folder, then the system's reason */
                     _("cannot reach the output folder %s: %s"), name, g_strerror (saved));
      return NULL;
    }

  for (guint attempt = 1;; attempt++)
    {
      struct stat made;

      g_free (file->temp_path);
      file->temp_path = g_strconcat (prefix, "XXXXXX", NULL);
      file->fd = g_mkstemp_full (file->temp_path, O_RDWR | O_CLOEXEC, 0600);
      if (file->fd < 0)
        break;
      /* Held until the file is committed or removed: a free lock marks a
       * temporary file whose writer is gone. A cleaner of those
       * (winnow_output_file_remove_stale(), run for a dead worker's
       * output, maybe this very path) may have taken it for one between
       * its making and its lock, and removed it: made again. */
      flock (file->fd, LOCK_EX | LOCK_NB);
      if (attempt == 10 || fstat (file->fd, &made) != 0 || made.st_nlink > 0)
        break;
      close (file->fd);
    }
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
  file->sync = winnow_disk_sync_new (file->fd);
  return g_steal_pointer (&file);
}

int
winnow_output_file_get_fd (WinnowOutputFile *file)
{
  return file->fd;
}

/**
 * winnow_output_file_get_sync:
 *
 * Returns: (transfer none): what makes the file's final bytes durable
 *   while the rest is written (winnow-disk-sync.h); the file waits for it
 *   before it is synced, and drops it before it is truncated
 */
WinnowDiskSync *
winnow_output_file_get_sync (WinnowOutputFile *file)
{
  return file->sync;
}

/* The output's name as messages show it. */
const char *
winnow_output_file_get_display_name (WinnowOutputFile *file)
{
  return file->display_name;
}

/* Empties the temporary file, to write it again from the start. */
gboolean
winnow_output_file_truncate (WinnowOutputFile *file, GError **error)
{
  int saved = 0;

  /* a sync's error fails the task now, not after it is written again: the
   * disk failed a write, and the commit would say so */
  if (!winnow_disk_sync_drop (file->sync, &saved) ||
      ftruncate (file->fd, 0) != 0 || lseek (file->fd, 0, SEEK_SET) != 0)
    {
      if (saved == 0)
        saved = errno;
      g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_WRITE,
                   /* Translators: a file name, then the system's reason */
                   _("could not write %s: %s"), file->display_name, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
rename_error (WinnowOutputFile *file, int saved, GError **error)
{
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

/* Puts the file in place where nothing is: never replaces anything. */
static gboolean
rename_new (WinnowOutputFile *file, GError **error)
{
  int r = renameat2 (AT_FDCWD, file->temp_path, AT_FDCWD, file->path, RENAME_NOREPLACE);

  if (r != 0 && (errno == EINVAL || errno == ENOSYS))
    {
      /* A file system without RENAME_NOREPLACE: link() refuses to
       * replace too. */
      r = link (file->temp_path, file->path);
      if (r == 0)
        unlink (file->temp_path);
    }
  return r == 0 || rename_error (file, errno, error);
}

/* Replaces what is at the destination, if it is a regular file or a
 * link. It is looked at through a descriptor (O_PATH opens no device),
 * then exchanged with the new file (RENAME_EXCHANGE), and what came out is
 * looked at again: if something else was put there in between, it goes
 * back where it was and the task fails. Where the file system cannot
 * exchange, a plain rename follows the first check. */
static gboolean
rename_replacing (WinnowOutputFile *file, GError **error)
{
  struct stat st;
  int fd = open (file->path, O_PATH | O_NOFOLLOW | O_CLOEXEC);

  if (fd < 0)
    return errno == ENOENT ? rename_new (file, error) : rename_error (file, errno, error);
  if (fstat (fd, &st) != 0)
    {
      int saved = errno;
      close (fd);
      return rename_error (file, saved, error);
    }
  close (fd);
  if (!replaceable (st.st_mode))
    return not_regular (error, file->display_name, st.st_mode);
  if (S_ISLNK (st.st_mode) && leads_to_special (file->path, file->display_name, error))
    return FALSE;

  if (renameat2 (AT_FDCWD, file->temp_path, AT_FDCWD, file->path, RENAME_EXCHANGE) != 0)
    {
      if (errno == ENOENT)
        return rename_new (file, error);  /* removed meanwhile */
      if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
        return rename_error (file, errno, error);
      return rename (file->temp_path, file->path) == 0 || rename_error (file, errno, error);
    }
  /* The temporary name now holds what was at the destination. */
  if (lstat (file->temp_path, &st) == 0 && !replaceable (st.st_mode))
    {
      if (renameat2 (AT_FDCWD, file->temp_path, AT_FDCWD, file->path, RENAME_EXCHANGE) != 0 &&
          rename (file->temp_path, file->path) != 0)
        g_clear_pointer (&file->temp_path, g_free);  /* not ours: never unlink it */
      return not_regular (error, file->display_name, st.st_mode);
    }
  unlink (file->temp_path);
  return TRUE;
}

static gboolean
rename_into_place (WinnowOutputFile *file, GError **error)
{
  return file->replace ? rename_replacing (file, error) : rename_new (file, error);
}

/* Makes the written data durable, with the usual permissions. */
static gboolean
make_durable (WinnowOutputFile *file, GError **error)
{
  int saved = 0;

  if (!winnow_disk_sync_wait (file->sync, &saved) ||
      fdatasync (file->fd) != 0 ||
      fchmod (file->fd, 0666 & ~current_umask ()) != 0)
    {
      if (saved == 0)
        saved = errno;
      g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_WRITE,
                   _("could not write %s: %s"), file->display_name, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/**
 * winnow_output_file_get_identity:
 *
 * The device and inode of @file's temporary file, which it keeps once
 * renamed into place: how a recovery knows it is there.
 *
 * Returns: FALSE when they cannot be read
 */
gboolean
winnow_output_file_get_identity (WinnowOutputFile *file, guint64 *device, guint64 *inode)
{
  struct stat st;

  g_return_val_if_fail (file != NULL, FALSE);
  if (file->fd < 0 || fstat (file->fd, &st) != 0)
    return FALSE;
  *device = (guint64) st.st_dev;
  *inode = (guint64) st.st_ino;
  return TRUE;
}

static void
mark_committed (WinnowOutputFile *file)
{
  file->committed = TRUE;
  g_clear_pointer (&file->sync, winnow_disk_sync_free);
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
  g_clear_pointer (&file->sync, winnow_disk_sync_free);
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
      struct stat before, opened;
      int fd;

      if (!g_str_has_prefix (name, prefix) || strlen (name) != strlen (prefix) + 6)
        continue;
      full = g_build_filename (dir_path, name, NULL);
      /* only a regular file, Winnow's kind: opening a device can do things */
      if (lstat (full, &before) != 0 || !S_ISREG (before.st_mode))
        continue;
      fd = open (full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
      if (fd < 0)
        continue;
      if (fstat (fd, &opened) == 0 && S_ISREG (opened.st_mode) &&
          opened.st_dev == before.st_dev && opened.st_ino == before.st_ino &&
          flock (fd, LOCK_EX | LOCK_NB) == 0 && unlink (full) == 0)
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
 * @out_delimiter: the recipe's output delimiter (0: the input's)
 *
 * Returns: (transfer full): `<dir>/<stem>.cleaned<ext>` (docs/BEHAVIOUR.md
 *   8.2): the input's extension when the output keeps its delimiter (an
 *   input without one gets `.csv`), else `.tsv` for tabs and `.csv`
 */
char *
winnow_output_file_default_path (const char *input_path, const char *output_dir,
                                 gunichar out_delimiter)
{
  g_autofree char *base = g_path_get_basename (input_path);
  g_autofree char *dir = output_dir ? g_strdup (output_dir) : g_path_get_dirname (input_path);
  g_autofree char *extension = NULL;
  g_autofree char *name = NULL;
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    {
      extension = g_strdup (dot);
      *dot = '\0';
    }
  if (out_delimiter != 0 || extension == NULL || extension[1] == '\0')
    {
      g_free (extension);
      extension = g_strdup (out_delimiter == '\t' ? ".tsv" : ".csv");
    }
  name = g_strconcat (base, ".cleaned", extension, NULL);
  return g_build_filename (dir, name, NULL);
}

/**
 * winnow_output_file_numbered_path:
 * @n: 2 or more
 *
 * Returns: (transfer full): @path with "-@n" before its extension (or at
 *   its end): name.cleaned-2.csv, as the window names a second output
 */
char *
winnow_output_file_numbered_path (const char *path, guint n)
{
  const char *base, *dot;

  g_return_val_if_fail (path != NULL && n >= 2, NULL);

  base = strrchr (path, G_DIR_SEPARATOR);
  base = base ? base + 1 : path;
  dot = strrchr (base, '.');
  if (dot == NULL || dot == base)
    return g_strdup_printf ("%s-%u", path, n);
  return g_strdup_printf ("%.*s-%u%s", (int) (dot - path), path, n, dot);
}
