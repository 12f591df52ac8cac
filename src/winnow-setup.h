/* winnow-setup.h: what both programs (main.c, main-gui.c) set up the
 * same way before anything else: the translations, and signals. */
#pragma once

#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>

static inline void
winnow_setup_locale (void)
{
  /* a build run in place finds its translations through this
   * (meson devenv and build-aux/run.sh set it to the build's po/) */
  const char *localedir = g_getenv ("WINNOW_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/* A write past the file size limit (RLIMIT_FSIZE, `ulimit -f`) would
 * kill the process with SIGXFSZ, leaving its temporary file and its task
 * running in the history until another process took it back. Ignored,
 * the write fails with EFBIG, which fails the task as a full disk does. */
static inline void
winnow_setup_signals (void)
{
  signal (SIGXFSZ, SIG_IGN);
}
