/* winnow-output-file.h: an output file that appears whole or not at all.
 *
 * Rows go to a temporary file beside the destination (same folder, so the
 * final rename is atomic), created with O_EXCL and mode 0600 and locked
 * while it is written. Commit syncs it, gives it the usual permissions and
 * renames it into place; anything else removes it. A temporary file left
 * by a process that died is recognised by its lock being free and removed
 * by winnow_output_file_remove_stale() (docs/BEHAVIOUR.md 8.2).
 *
 * Only a regular file (or a symbolic link, which is replaced, never
 * followed) is ever replaced: a folder, a device, a FIFO or a socket at
 * the destination is refused, whatever the caller allows. The replacing
 * rename is an exchange, checked after the fact, so a device put there
 * after the check is put back, not replaced.
 *
 * A task that keeps its rejected rows writes two such files, and commits
 * them together (winnow_output_file_commit_with()): both appear, or
 * neither does.
 */
#pragma once

#include <gio/gio.h>

#include "winnow-disk-sync.h"

G_BEGIN_DECLS

#define WINNOW_OUTPUT_ERROR (winnow_output_error_quark ())
GQuark winnow_output_error_quark (void);

typedef enum {
  WINNOW_OUTPUT_ERROR_EXISTS,     /* the destination exists and may not be replaced */
  WINNOW_OUTPUT_ERROR_IS_INPUT,   /* the destination is the input file */
  WINNOW_OUTPUT_ERROR_FOLDER,     /* the folder is missing or not writable */
  WINNOW_OUTPUT_ERROR_WRITE,      /* writing failed (disk full, ...) */
  WINNOW_OUTPUT_ERROR_NOT_REGULAR, /* the destination is a folder, device, FIFO or socket */
} WinnowOutputError;

typedef struct _WinnowOutputFile WinnowOutputFile;

WinnowOutputFile *winnow_output_file_create  (const char *path,
                                              const char *input_path,
                                              gboolean replace,
                                              GError **error);
int               winnow_output_file_get_fd  (WinnowOutputFile *file);
WinnowDiskSync   *winnow_output_file_get_sync (WinnowOutputFile *file);
const char       *winnow_output_file_get_display_name (WinnowOutputFile *file);
gboolean          winnow_output_file_get_identity (WinnowOutputFile *file,
                                                  guint64 *device,
                                                  guint64 *inode);
gboolean          winnow_output_file_truncate (WinnowOutputFile *file,
                                              GError **error);
gboolean          winnow_output_file_commit  (WinnowOutputFile *file,
                                              GError **error);
gboolean          winnow_output_file_commit_with (WinnowOutputFile *file,
                                                  WinnowOutputFile *sidecar,
                                                  GError **error);
void              winnow_output_file_free    (WinnowOutputFile *file);

/* A place in the written file where value number @value goes. */
typedef struct {
  guint64 offset;
  guint32 value;
} WinnowOutputHole;

/* The bytes a hole gets (none when @length is 0). */
typedef struct {
  const guint8 *data;
  gsize length;
} WinnowHoleValue;

gboolean          winnow_output_file_fill_holes (WinnowOutputFile *file,
                                                 guint64 size,
                                                 const WinnowOutputHole *holes,
                                                 gsize n_holes,
                                                 const WinnowHoleValue *values,
                                                 guint64 *inserted,
                                                 GError **error);
void              winnow_output_file_set_split  (gint mode);
guint             winnow_output_file_get_split_fills (void);

guint             winnow_output_file_remove_stale (const char *path);
char             *winnow_output_file_default_path (const char *input_path,
                                                   const char *output_dir,
                                                   gunichar out_delimiter);
char             *winnow_output_file_numbered_path (const char *path,
                                                    guint n);
char             *winnow_output_file_rejects_path (const char *output_path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowOutputFile, winnow_output_file_free)

G_END_DECLS
