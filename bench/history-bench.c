/* history-bench.c: the window over a shared history under load (issue
 * goal: the main loop's 99th percentile gap under 16 ms, its longest under
 * 100 ms). The window shows a history of 100,000 tasks while three
 * `winnow --batch` processes add and run tasks on it in a loop and a
 * fourth connection takes the write lock for 3 s at a time; meanwhile the
 * window is used: scrolled, filtered, sorted, a task's page opened. A
 * 5 ms timer on the main loop notes how long each turn took to come.
 *
 * usage: xvfb-run -a history-bench DB [SECONDS]
 *   DB: filled with 100,000 tasks if it has fewer (as store-bench does);
 *   the batch runs use $WINNOW_BINARY, else build/src/winnow beside this
 *   program.
 * WINNOW_BENCH_VERBOSE=1: each gap over 100 ms (=MS: over MS ms), with what the user did
 *   just before, how much of it the frame clock spent laying out and
 *   painting (the rest is the work of signal handlers and idles), and how
 *   much of it the main thread ran and waited for a core (the kernel's
 *   schedstat; the run ends with the wait in all).
 * WINNOW_BENCH_STALLS=MS: a backtrace of the main thread when a turn is MS ms late.
 * WINNOW_BENCH_TASK=ID: the task page opened is always task ID (say, one
 *   a batch run added of a file with many columns) instead of one of the
 *   100,000.
 * WINNOW_BENCH_NO_LOAD=1: no batch runs and no lock, to tell the window's
 *   own costs from the load's.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <execinfo.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "bench-history-fill.h"
#include "winnow-application.h"
#include "winnow-task-store.h"
#include "winnow-task-table-private.h"
#include "winnow-window-private.h"

#define N_TASKS BENCH_HISTORY_TASKS
#define TICK_MS 5
#define LOCK_MS 3000
#define UNLOCKED_MS 1000

/* ---- the history ---- */

static gint64
count_tasks (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;
  gint64 n = 0;

  if (sqlite3_open (path, &db) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT count(*) FROM tasks", -1, &s, NULL) == SQLITE_OK &&
      sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  sqlite3_close (db);
  return n;
}

/* ---- the load ----
 *
 * It runs in a process of its own, forked before this one starts GTK: a
 * window that forks the batch runs itself pays for copying its page
 * tables at each fork and then for a fault at every page it writes (a
 * fifth of its main thread's time here), which no user's window pays. */

typedef struct {
  const char *db;
  const char *binary;
  char *dir;
  pid_t pid;             /* the load's process, or 0 */
  guint *runs;           /* batch runs ended, shared with it */
} Load;

static volatile sig_atomic_t load_stop;

static void
on_load_stop (int sig)
{
  load_stop = 1;
}

static pid_t
start_batch (const Load *load, guint slot)
{
  char input[4096], out[4096];
  pid_t pid;

  snprintf (input, sizeof input, "%s/in-%u.csv", load->dir, slot);
  snprintf (out, sizeof out, "%s/out-%u", load->dir, slot);
  pid = fork ();
  if (pid == 0)
    {
      int null = open ("/dev/null", O_WRONLY);
      dup2 (null, STDOUT_FILENO);
      dup2 (null, STDERR_FILENO);
      execl (load->binary, load->binary, "--batch", "--db", load->db, "--output-dir", out,
             "--force", "--drop-duplicates", input, input, (char *) NULL);
      _exit (127);
    }
  return pid;
}

/* Another program: the write lock for 3 s, then 1 s free, and again. */
static void *
locker (void *data)
{
  const Load *load = data;
  sqlite3 *db = NULL;

  sqlite3_open (load->db, &db);
  sqlite3_busy_timeout (db, 60000);
  while (!load_stop)
    {
      sqlite3_exec (db, "BEGIN IMMEDIATE; UPDATE tasks SET attempts = attempts WHERE id = 1",
                    NULL, NULL, NULL);
      usleep (LOCK_MS * 1000);
      sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
      usleep (UNLOCKED_MS * 1000);
    }
  sqlite3_close (db);
  return NULL;
}

/* The load's process: three batch runs in a loop, and the locker, until
 * SIGTERM (or this program's end). */
static void G_GNUC_NORETURN
run_load (const Load *load)
{
  pid_t batches[3] = { 0 };
  pthread_t lock_thread;
  struct sigaction stop = { .sa_handler = on_load_stop };

  sigset_t term, before;

  sigaction (SIGTERM, &stop, NULL);
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
  /* SIGTERM for the loop, never for the locker */
  sigemptyset (&term);
  sigaddset (&term, SIGTERM);
  pthread_sigmask (SIG_BLOCK, &term, &before);
  pthread_create (&lock_thread, NULL, locker, (void *) load);
  pthread_sigmask (SIG_SETMASK, &before, NULL);
  while (!load_stop)
    {
      pid_t ended;
      int status = 0;

      for (guint i = 0; i < G_N_ELEMENTS (batches); i++)
        if (batches[i] <= 0)
          batches[i] = start_batch (load, i);
      /* a SIGTERM between the test above and this wait waits for a batch
       * run to end, a second or two */
      ended = waitpid (-1, &status, 0);
      if (ended > 0 && WIFEXITED (status) && WEXITSTATUS (status) == 127)
        {
          fprintf (stderr, "could not run %s\n", load->binary);
          load_stop = 1;
        }
      for (guint i = 0; ended > 0 && i < G_N_ELEMENTS (batches); i++)
        if (batches[i] == ended)
          {
            batches[i] = 0;
            __atomic_add_fetch (load->runs, 1, __ATOMIC_SEQ_CST);
          }
    }
  for (guint i = 0; i < G_N_ELEMENTS (batches); i++)
    if (batches[i] > 0)
      {
        kill (batches[i], SIGKILL);
        waitpid (batches[i], NULL, 0);
      }
  pthread_join (lock_thread, NULL);
  _exit (0);
}

static void
start_load (Load *load)
{
  load->dir = g_dir_make_tmp ("winnow-history-bench-XXXXXX", NULL);
  load->runs = mmap (NULL, sizeof (guint), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (load->runs == MAP_FAILED)
    {
      perror ("mmap");
      exit (1);
    }
  *load->runs = 0;
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *input = g_strdup_printf ("%s/in-%u.csv", load->dir, i);
      g_autoptr(GString) text = g_string_new ("id,name\n");
      for (guint r = 0; r < 20000; r++)
        g_string_append_printf (text, "%u,name %u\n", r % 15000, r);
      g_file_set_contents (input, text->str, (gssize) text->len, NULL);
    }
  if (g_getenv ("WINNOW_BENCH_NO_LOAD") != NULL)
    return;
  fflush (stdout);
  load->pid = fork ();
  if (load->pid == 0)
    run_load (load);
}

static void
stop_load (Load *load)
{
  if (load->pid > 0)
    {
      kill (load->pid, SIGTERM);
      waitpid (load->pid, NULL, 0);
    }
}

/* ---- the main loop ---- */

typedef struct {
  gint64 last;
  GArray *gaps;          /* double, ms */
} Ticks;

/* WINNOW_BENCH_VERBOSE: each gap longer than this many ms (100 if it is
 * not a number) is told on stderr, with what the user did last */
static double verbose_ms;

/* what the user did last, said with each long gap when
 * WINNOW_BENCH_VERBOSE is set */
static const char *last_use = "starting";

/* where the frame clock's time went since the last tick, in µs: its
 * update phase (tick callbacks, animations), layout phase (measuring and
 * allocating) and paint phase (snapshot and rendering). Each phase ends
 * with this program's handler, the last one connected. */
static gint64 phase_end, update_us, layout_us, paint_us;
/* and over the whole run: frames painted, time laying out and painting */
static guint n_frames;
static gint64 all_layout_us, all_paint_us;
/* and the time the user's own actions took (a scroll binds rows at once) */
static gint64 use_us;

static void
phase_done (GdkFrameClock *clock, gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (data == &layout_us)
    all_layout_us += now - phase_end;
  else if (data == &paint_us)
    {
      all_paint_us += now - phase_end;
      n_frames++;
    }
  if (data != NULL)
    *(gint64 *) data += now - phase_end;
  phase_end = now;
}

static void
watch_phases (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (clock, "before-paint", G_CALLBACK (phase_done), NULL);
  g_signal_connect (clock, "update", G_CALLBACK (phase_done), &update_us);
  g_signal_connect (clock, "layout", G_CALLBACK (phase_done), &layout_us);
  g_signal_connect (clock, "paint", G_CALLBACK (phase_done), &paint_us);
}

/* WINNOW_BENCH_STALLS: where the main thread is when it has not come back
 * to its loop for STALL_MS (=MS: for MS ms), a backtrace on stderr (a
 * watcher thread signals it); for finding what a long gap is made of. */
#define STALL_MS 120
static gint64 stall_ms = STALL_MS;
static pthread_t main_thread;
static gint64 last_tick;   /* read by the watcher: __atomic */

static void
on_stall_signal (int signo)
{
  void *frames[64];
  int n = backtrace (frames, G_N_ELEMENTS (frames));
  static const char line[] = "---- stall:\n";

  if (write (STDERR_FILENO, line, sizeof line - 1) < 0)
    return;
  backtrace_symbols_fd (frames, n, STDERR_FILENO);
}

static gpointer
watch_stalls (gpointer data)
{
  gint64 sampled = 0;

  for (;;)
    {
      gint64 tick = __atomic_load_n (&last_tick, __ATOMIC_RELAXED);

      g_usleep (MIN (10000, stall_ms * 250));
      if (tick != 0 && tick != sampled && g_get_monotonic_time () - tick > stall_ms * 1000)
        {
          sampled = tick;
          pthread_kill (main_thread, SIGUSR2);
        }
    }
  return NULL;
}

static void
start_stall_watch (void)
{
  void *frames[4];

  backtrace (frames, G_N_ELEMENTS (frames));  /* loads what backtrace needs, not in the handler */
  main_thread = pthread_self ();
  signal (SIGUSR2, on_stall_signal);
  g_thread_unref (g_thread_new ("stalls", watch_stalls, NULL));
}

/* the main thread's time on a CPU and waiting for one, in ns, from
 * /proc (schedstat, opened once by the main thread and read again at each
 * turn: no file opened on the thread measured); FALSE where the kernel
 * does not tell */
static gboolean
read_schedstat (guint64 *ran, guint64 *waited)
{
  static int fd = -2;
  char text[128];
  gssize n;

  if (fd == -2)
    fd = open ("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
  if (fd < 0 || (n = pread (fd, text, sizeof text - 1, 0)) <= 0)
    return FALSE;
  text[n] = '\0';
  return sscanf (text, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, ran, waited) == 2;
}

static guint64 all_waited_ns;

static gboolean
tick (gpointer data)
{
  Ticks *ticks = data;
  gint64 now = g_get_monotonic_time ();
  double gap = (now - ticks->last) / 1000.0;
  static guint64 last_ran, last_waited;
  static gboolean last_read;
  guint64 ran = 0, waited = 0;
  gboolean read = read_schedstat (&ran, &waited);

  if (!read || !last_read)
    {
      /* nothing to tell for this turn */
      last_ran = ran;
      last_waited = waited;
    }
  if (ticks->last != 0)
    {
      g_array_append_val (ticks->gaps, gap);
      all_waited_ns += waited - last_waited;
    }
  if (ticks->last != 0 && verbose_ms > 0 && gap > verbose_ms)
    fprintf (stderr, "gap %.0f ms after: %s (the action %.0f ms; frames: update %.0f ms, "
             "layout %.0f ms, paint %.0f ms; on a CPU %.0f ms, waiting for one %.0f ms) "
             "ending at %.6f s\n",
             gap, last_use, use_us / 1000.0, update_us / 1000.0, layout_us / 1000.0,
             paint_us / 1000.0, (ran - last_ran) / 1e6, (waited - last_waited) / 1e6,
             now / 1e6);
  last_ran = ran;
  last_waited = waited;
  last_read = read;
  ticks->last = now;
  __atomic_store_n (&last_tick, now, __ATOMIC_RELAXED);
  update_us = layout_us = paint_us = use_us = 0;
  return G_SOURCE_CONTINUE;
}

typedef struct {
  WinnowWindow *window;
  WinnowTaskTable *table;
  GtkAdjustment *adjustment;
  guint step;
  gint64 task;           /* the task page to open, or 0 for any */
} User;

/* What a person does with the window, one thing every 200 ms. */
static void
act (gpointer data)
{
  User *user = data;
  GtkColumnView *view = winnow_task_table_get_column_view (user->table);
  guint step = user->step++;

  if (step % 10 == 0)
    {
      static const guint filters[] = { 0, 1u << WINNOW_TASK_FAILED, 1u << WINNOW_TASK_COMPLETED,
                                       (1u << WINNOW_TASK_PENDING) | (1u << WINNOW_TASK_PROCESSING) };
      winnow_task_table_set_filter (user->table, filters[(step / 10) % G_N_ELEMENTS (filters)],
                                    (step / 10) % 3 == 1 ? "orders_1" : NULL);
      last_use = "filter";
    }
  else if (step % 25 == 0)
    {
      g_autoptr(GtkColumnViewColumn) column =
        g_list_model_get_item (gtk_column_view_get_columns (view), (step / 25) % 4);
      gtk_column_view_sort_by_column (view, column, step % 2 ? GTK_SORT_ASCENDING : GTK_SORT_DESCENDING);
      last_use = "sort";
    }
  else if (step % 15 == 0)
    {
      winnow_window_show_task (user->window, user->task > 0 ? user->task
                                                            : 1 + (step * 7919) % N_TASKS);
      last_use = "task page";
    }
  else if (step % 15 == 1)
    {
      winnow_window_show_list (user->window);
      last_use = "back to the list";
    }
  else if (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view))) > 0)
    {
      /* (an empty list has nothing to scroll: GTK warns that it cannot) */
      double upper = gtk_adjustment_get_upper (user->adjustment);
      double value = step % 7 == 0 ? upper * ((step * 37) % 100) / 100.0
                                   : gtk_adjustment_get_value (user->adjustment) + 300;
      gtk_adjustment_set_value (user->adjustment, value);
      last_use = step % 7 == 0 ? "jump" : "scroll";
    }
}

static gboolean
use (gpointer data)
{
  gint64 start = g_get_monotonic_time ();

  act (data);
  use_us += g_get_monotonic_time () - start;
  return G_SOURCE_CONTINUE;
}

/* The application's run, once the measuring is over: straight to its
 * shutdown, without a window. */
static void
quit_at_once (GApplication *app, gpointer data)
{
  g_signal_stop_emission_by_name (app, "activate");
  g_application_quit (app);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static gboolean
set_true (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  g_autoptr(WinnowApplication) app = NULL;
  g_autofree char *binary = NULL;
  Load load = { 0 };
  Ticks ticks = { 0 };
  User user = { 0 };
  gboolean done = FALSE;
  guint seconds = argc > 2 ? (guint) atoi (argv[2]) : 30;
  guint tick_source, use_source;

  if (argc < 2 || argc > 3 || argv[1][0] == '-')
    {
      fprintf (stderr, "usage: %s DB [SECONDS]   (under xvfb-run -a)\n", argv[0]);
      return 2;
    }
  load.db = argv[1];
  if (g_getenv ("WINNOW_BINARY") != NULL)
    binary = g_strdup (g_getenv ("WINNOW_BINARY"));
  else
    {
      g_autofree char *here = g_path_get_dirname (argv[0]);
      binary = g_build_filename (here, "..", "src", "winnow", NULL);
    }
  load.binary = binary;
  {
    g_autoptr(WinnowTaskStore) store = winnow_task_store_new (load.db, NULL);  /* the schema */
    if (store == NULL)
      return 1;
  }
  if (count_tasks (load.db) < N_TASKS)
    {
      g_autoptr(GError) error = NULL;

      printf ("filling %s with %d tasks...\n", load.db, N_TASKS);
      if (!bench_history_fill (load.db, N_TASKS, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
    }

  /* the load starts now, while this process is small; the window is
   * shown a second before the measuring starts */
  start_load (&load);
  gtk_init ();
  adw_init ();
  app = winnow_application_new (G_APPLICATION_NON_UNIQUE);
  winnow_application_set_store_path (app, load.db);
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    return 1;
  g_settings_set_boolean (winnow_application_get_settings (app), "notifications", FALSE);
  user.window = winnow_application_get_window (app);
  gtk_window_present (GTK_WINDOW (user.window));
  user.table = WINNOW_TASK_TABLE (winnow_window_get_table (user.window));
  user.adjustment = gtk_scrollable_get_vadjustment (
    GTK_SCROLLABLE (winnow_task_table_get_column_view (user.table)));
  {
    gboolean shown = FALSE;
    g_timeout_add (1000, set_true, &shown);
    while (!shown)
      g_main_context_iteration (NULL, TRUE);
  }

  watch_phases (GTK_WIDGET (user.window));
  ticks.gaps = g_array_new (FALSE, FALSE, sizeof (double));
  tick_source = g_timeout_add (TICK_MS, tick, &ticks);
  if (g_getenv ("WINNOW_BENCH_VERBOSE") != NULL)
    {
      verbose_ms = g_ascii_strtod (g_getenv ("WINNOW_BENCH_VERBOSE"), NULL);
      if (verbose_ms <= 1)
        verbose_ms = 100;
    }
  if (g_getenv ("WINNOW_BENCH_STALLS") != NULL)
    {
      double ms = g_ascii_strtod (g_getenv ("WINNOW_BENCH_STALLS"), NULL);
      if (ms > 1)
        stall_ms = (gint64) ms;
      start_stall_watch ();
    }
  if (g_getenv ("WINNOW_BENCH_TASK") != NULL &&
      (user.task = g_ascii_strtoll (g_getenv ("WINNOW_BENCH_TASK"), NULL, 10)) <= 0)
    {
      fprintf (stderr, "WINNOW_BENCH_TASK: not a task id\n");
      return 2;
    }
  use_source = g_timeout_add (200, use, &user);
  g_timeout_add_seconds (seconds, set_true, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick_source);
  g_source_remove (use_source);

  stop_load (&load);
  g_array_sort (ticks.gaps, compare_doubles);
  printf ("%u s, %u batch runs, %u main loop turns of %d ms: p50 %.1f ms, p99 %.1f ms, "
          "longest %.1f ms\n", seconds, *load.runs, ticks.gaps->len, TICK_MS,
          g_array_index (ticks.gaps, double, ticks.gaps->len / 2),
          g_array_index (ticks.gaps, double, ticks.gaps->len * 99 / 100),
          g_array_index (ticks.gaps, double, ticks.gaps->len - 1));
  printf ("%u frames (%.1f a second): layout %.1f ms and paint %.1f ms a frame\n", n_frames,
          n_frames / (double) seconds, n_frames ? all_layout_us / 1000.0 / n_frames : 0.0,
          n_frames ? all_paint_us / 1000.0 / n_frames : 0.0);
  printf ("the main thread waited %.0f ms in all for a CPU (the kernel's schedstat)\n",
          all_waited_ns / 1e6);
  remove_tree (load.dir);
  gtk_window_destroy (GTK_WINDOW (user.window));
  /* ends as a quit would, the history closed and its write-ahead log
   * folded in: the file alone is the whole history again (a copy of
   * another history over it would otherwise meet this run's log) */
  g_signal_connect (app, "activate", G_CALLBACK (quit_at_once), NULL);
  g_application_run (G_APPLICATION (app), 0, NULL);
  munmap (load.runs, sizeof (guint));
  g_free (load.dir);
  return 0;
}
