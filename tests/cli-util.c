/* cli-util.c: see cli-util.h. */
#include "config.h"

#include <string.h>

#include "cli-util.h"

const char sample[] = "id,name,city\n1,Ana,Berlin\n2,Ben,NA\n1,Ana,Berlin\n3,,\n";

void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

/* Extra NAME=VALUE environment for the next run, or NULL. */
static const char * const *next_env;
static GSpawnChildSetupFunc next_setup;

void
set_next_env (const char * const *env)
{
  next_env = env;
}

/* The next winnow started runs @setup in its process before it starts
 * (a signal ignored, as nohup does). */
void
set_next_child_setup (GSpawnChildSetupFunc setup)
{
  next_setup = setup;
}

/* Starts winnow with the arguments in @dir; its history goes beside the
 * folder (@dir + ".db"), never into the user's data. */
static GSubprocess *
spawn_winnow (const char *dir, va_list args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *db = g_strconcat (dir, ".db", NULL);
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("WINNOW_BINARY");
  const char *arg;
  GSubprocess *process;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_cwd (launcher, dir);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "WINNOW_DB", db, TRUE);
  for (guint i = 0; next_env != NULL && next_env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (next_env[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  next_env = NULL;
  if (next_setup != NULL)
    g_subprocess_launcher_set_child_setup (launcher, next_setup, NULL, NULL);
  next_setup = NULL;
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

void
finish_run (Run *run, GSubprocess *process)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

/* Runs winnow with the arguments (NULL-terminated) in @dir. */
void
run_winnow (Run *run, const char *dir, ...)
{
  g_autoptr(GSubprocess) process = NULL;
  va_list args;

  va_start (args, dir);
  process = spawn_winnow (dir, args);
  va_end (args);
  finish_run (run, process);
}

/* The same, left running. */
GSubprocess *
start_winnow (const char *dir, ...)
{
  GSubprocess *process;
  va_list args;

  va_start (args, dir);
  process = spawn_winnow (dir, args);
  va_end (args);
  return process;
}

void
assert_contains (const char *haystack, const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("expected “%s” in “%s”", needle, haystack);
}
