/* winnow-hangup.h: SIGHUP (the terminal that started Winnow closed),
 * handled by both programs as they handle SIGTERM, unless it is ignored:
 * a run started with `nohup` goes on after its terminal has gone. */
#pragma once

#include <glib-unix.h>
#include <signal.h>

/* Calls @func (on the main context) on SIGHUP, as g_unix_signal_add()
 * does; 0, and nothing, when SIGHUP was ignored when the process began. */
static inline guint
winnow_hangup_add (GSourceFunc func, gpointer data)
{
  struct sigaction old;

  if (sigaction (SIGHUP, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
    return 0;
  return g_unix_signal_add (SIGHUP, func, data);
}
