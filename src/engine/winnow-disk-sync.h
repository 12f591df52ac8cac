/* winnow-disk-sync.h: a file's final bytes made durable while more are
 * written.
 *
 * An output is committed with fdatasync(), which waits for every byte
 * written since the last one to reach stable storage. On a virtual disk
 * whose host caches writes, starting the writes early
 * (winnow_write_back_pages()) does not help: the host stores them only at
 * the flush, about 0.4 ms a MiB here, so committing a 250 MB output waited
 * ~100 ms with both cores idle. A WinnowDiskSync runs fdatasync() now
 * and then while the task writes, on a thread of its own with a
 * descriptor of its own, so the commit waits for the last few MiB only
 * (docs/ARCHITECTURE.md, "Output"). Giving it up never waits: a cancelled
 * task's file goes at once (though a process that exits then ends only
 * when the kernel has finished the sync on its way).
 *
 * The thread waits on the disk and hardly uses a core, so it is not
 * counted in the thread budget.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bytes written between two background syncs of a file, at least. */
#define WINNOW_DISK_SYNC_STEP ((guint64) 16 << 20)

typedef struct _WinnowDiskSync WinnowDiskSync;

WinnowDiskSync *winnow_disk_sync_new  (int fd);
void            winnow_disk_sync_soon (WinnowDiskSync *sync);
gboolean        winnow_disk_sync_wait (WinnowDiskSync *sync,
                                       int *error_number);
gboolean        winnow_disk_sync_drop (WinnowDiskSync *sync,
                                       int *error_number);
void            winnow_disk_sync_free (WinnowDiskSync *sync);
guint           winnow_disk_sync_get_count (void);

G_END_DECLS
