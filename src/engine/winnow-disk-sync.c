/* winnow-disk-sync.c: see winnow-disk-sync.h. */
#include "config.h"

#include "winnow-disk-sync.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

struct _WinnowDiskSync {
  int fd;              /* its own descriptor of the file, or -1 */
  GThread *thread;     /* started by the first request */
  GMutex lock;
  GCond changed;
  gboolean wanted;     /* a sync asked for and not begun */
  gboolean running;
  gboolean abandoned;  /* the owner is gone: the thread frees it */
  int error_number;    /* the first error a sync met, 0 if none */
};

static gint count;

static void
disk_sync_destroy (WinnowDiskSync *sync)
{
  if (sync->fd >= 0)
    close (sync->fd);
  g_mutex_clear (&sync->lock);
  g_cond_clear (&sync->changed);
  g_free (sync);
}

static gpointer
run_syncs (gpointer data)
{
  WinnowDiskSync *sync = data;

  g_mutex_lock (&sync->lock);
  for (;;)
    {
      int error_number = 0;

      while (!sync->wanted && !sync->abandoned)
        g_cond_wait (&sync->changed, &sync->lock);
      if (sync->abandoned)
        break;
      sync->wanted = FALSE;
      sync->running = TRUE;
      g_mutex_unlock (&sync->lock);

      while (fdatasync (sync->fd) != 0)
        if (errno != EINTR)
          {
            error_number = errno;
            break;
          }
      g_atomic_int_inc (&count);

      g_mutex_lock (&sync->lock);
      /* Told once: a later fdatasync() of the same open file does not
       * report a write error this one reported. */
      if (sync->error_number == 0)
        sync->error_number = error_number;
      sync->running = FALSE;
      g_cond_broadcast (&sync->changed);
    }
  g_mutex_unlock (&sync->lock);
  disk_sync_destroy (sync);
  return NULL;
}

/**
 * winnow_disk_sync_new:
 * @fd: an open file (the sync keeps a descriptor of its own)
 */
WinnowDiskSync *
winnow_disk_sync_new (int fd)
{
  WinnowDiskSync *sync = g_new0 (WinnowDiskSync, 1);

  sync->fd = fcntl (fd, F_DUPFD_CLOEXEC, 0);  /* -1: no syncs, the commit does it */
  g_mutex_init (&sync->lock);
  g_cond_init (&sync->changed);
  return sync;
}

/**
 * winnow_disk_sync_soon:
 *
 * Makes what has been written to the file so far durable, on a thread of
 * its own; nothing more if a sync is already asked for and not begun.
 * Where no thread or descriptor could be had, nothing: the owner's own
 * fdatasync() at the end does it all.
 */
void
winnow_disk_sync_soon (WinnowDiskSync *sync)
{
  g_mutex_lock (&sync->lock);
  if (sync->fd >= 0 && sync->thread == NULL)
    sync->thread = g_thread_try_new ("winnow-sync", run_syncs, sync, NULL);
  if (sync->thread != NULL)
    {
      sync->wanted = TRUE;
      g_cond_broadcast (&sync->changed);
    }
  g_mutex_unlock (&sync->lock);
}

/**
 * winnow_disk_sync_wait:
 * @error_number: (out): the error of the first sync that failed, or 0
 *
 * Waits for the syncs asked for: before the owner syncs the file itself.
 *
 * Returns: FALSE if any sync of the file failed
 */
gboolean
winnow_disk_sync_wait (WinnowDiskSync *sync, int *error_number)
{
  g_mutex_lock (&sync->lock);
  while (sync->wanted || sync->running)
    g_cond_wait (&sync->changed, &sync->lock);
  *error_number = sync->error_number;
  g_mutex_unlock (&sync->lock);
  return *error_number == 0;
}

/**
 * winnow_disk_sync_drop:
 * @error_number: (out): the error of the first sync that failed, or 0
 *
 * Before the file is emptied to be written again: a sync asked for and
 * not begun is not made, and one on its way is not waited for (its bytes
 * are thrown away; a cancel must not wait for the disk).
 *
 * Returns: FALSE if any sync of the file has failed
 */
gboolean
winnow_disk_sync_drop (WinnowDiskSync *sync, int *error_number)
{
  g_mutex_lock (&sync->lock);
  sync->wanted = FALSE;
  *error_number = sync->error_number;
  g_mutex_unlock (&sync->lock);
  return *error_number == 0;
}

/**
 * winnow_disk_sync_free:
 *
 * Gives @sync up without waiting: a sync on its way ends on its thread
 * (a cancelled task's file is removed at once, not after the disk has
 * stored it), one asked for and not begun is not made.
 */
void
winnow_disk_sync_free (WinnowDiskSync *sync)
{
  GThread *thread;

  if (sync == NULL)
    return;
  g_mutex_lock (&sync->lock);
  thread = sync->thread;
  sync->abandoned = TRUE;
  g_cond_broadcast (&sync->changed);
  g_mutex_unlock (&sync->lock);
  if (thread != NULL)
    g_thread_unref (thread);  /* it frees @sync */
  else
    disk_sync_destroy (sync);
}

/* For tests: the syncs made in this process. */
guint
winnow_disk_sync_get_count (void)
{
  return (guint) g_atomic_int_get (&count);
}
