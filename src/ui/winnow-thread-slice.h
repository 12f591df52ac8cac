/* winnow-thread-slice.h: a thread's scheduling attributes (Linux's
 * struct sched_attr), through which the thread that draws asks for short
 * time slices (winnow-application.c) and its test reads them back. Where
 * the system has no such call, WINNOW_HAVE_THREAD_SLICE is not defined. */
#pragma once

#include <glib.h>

#ifdef __linux__
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

G_BEGIN_DECLS

#if defined(__linux__) && defined(SYS_sched_getattr) && defined(SYS_sched_setattr)
#define WINNOW_HAVE_THREAD_SLICE 1

#ifndef SCHED_FLAG_RESET_ON_FORK
#define SCHED_FLAG_RESET_ON_FORK 0x01
#endif

/* struct sched_attr of linux/sched/types.h, as its first version */
typedef struct {
  guint32 size;
  guint32 sched_policy;
  guint64 sched_flags;
  gint32 sched_nice;
  guint32 sched_priority;
  guint64 sched_runtime;    /* for the normal policy: the time slice, in ns */
  guint64 sched_deadline;
  guint64 sched_period;
} WinnowSchedAttr;

/* The calling thread's attributes into @attr; FALSE if they cannot be read. */
static inline gboolean
winnow_sched_attr_get (WinnowSchedAttr *attr)
{
  *attr = (WinnowSchedAttr) { 0 };
  return syscall (SYS_sched_getattr, 0, attr, sizeof *attr, 0) == 0;
}

/* Sets the calling thread's attributes; FALSE (and errno) if refused. */
static inline gboolean
winnow_sched_attr_set (WinnowSchedAttr *attr)
{
  attr->size = sizeof *attr;
  return syscall (SYS_sched_setattr, 0, attr, 0) == 0;
}
#endif

G_END_DECLS
