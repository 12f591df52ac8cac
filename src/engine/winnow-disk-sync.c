/* winnow-disk-sync.c: see winnow-disk-sync.h. */
#include "config.h"

#include "winnow-disk-sync.h"

#include <errno.h>
#include <unistd.h>

/* The threads all files share: a sync is mostly a wait on the disk. */
#define MAX_THREADS 4

struct _WinnowDiskSync {
  int fd;
  GMutex lock;
  GCond done;
  gboolean queued;     /* a sync is queued or running */
  int error_number;    /* the first error a sync met, 0 if none */
};

static gint count;

static void
run_sync (gpointer data, gpointer user_data)
{
  WinnowDiskSync *sync = data;
  int error_number = 0;

  (void) user_data;
  while (fdatasync (sync->fd) != 0)
    if (errno != EINTR)
      {
        error_number = errno;
        break;
      }
  g_atomic_int_inc (&count);
  g_mutex_lock (&sync->lock);
  /* Told once: a later fdatasync() on the same descriptor does not report
   * a write error this one reported. */
  if (sync->error_number == 0)
    sync->error_number = error_number;
  sync->queued = FALSE;
  g_cond_broadcast (&sync->done);
  g_mutex_unlock (&sync->lock);
}

static GThreadPool *
shared_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (run_sync, NULL, MAX_THREADS, FALSE, NULL));
  return pool;
}

/**
 * winnow_disk_sync_new:
 * @fd: an open file, which must stay open until winnow_disk_sync_free()
 */
WinnowDiskSync *
winnow_disk_sync_new (int fd)
{
  WinnowDiskSync *sync = g_new0 (WinnowDiskSync, 1);

  sync->fd = fd;
  g_mutex_init (&sync->lock);
  g_cond_init (&sync->done);
  return sync;
}

/**
 * winnow_disk_sync_soon:
 *
 * Makes what has been written to the file so far durable, in the
 * background; nothing if a sync is already on its way (the next call
 * after it will do).
 */
void
winnow_disk_sync_soon (WinnowDiskSync *sync)
{
  gboolean start;

  g_mutex_lock (&sync->lock);
  start = !sync->queued;
  sync->queued = TRUE;
  g_mutex_unlock (&sync->lock);
  if (start)
    g_thread_pool_push (shared_pool (), sync, NULL);
}

/**
 * winnow_disk_sync_wait:
 * @error_number: (out): the error of the first sync that failed
 *
 * Waits for the sync on its way, if any. Before the file is synced,
 * truncated or closed by its owner.
 *
 * Returns: FALSE if any sync of the file failed
 */
gboolean
winnow_disk_sync_wait (WinnowDiskSync *sync, int *error_number)
{
  int found;

  g_mutex_lock (&sync->lock);
  while (sync->queued)
    g_cond_wait (&sync->done, &sync->lock);
  found = sync->error_number;
  g_mutex_unlock (&sync->lock);
  *error_number = found;
  return found == 0;
}

/* Waits for the sync on its way, if any, and frees @sync. */
void
winnow_disk_sync_free (WinnowDiskSync *sync)
{
  int ignored;

  if (sync == NULL)
    return;
  winnow_disk_sync_wait (sync, &ignored);
  g_mutex_clear (&sync->lock);
  g_cond_clear (&sync->done);
  g_free (sync);
}

/* For tests: the syncs done in this process. */
guint
winnow_disk_sync_get_count (void)
{
  return (guint) g_atomic_int_get (&count);
}
