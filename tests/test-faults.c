/* test-faults.c: tasks that meet a fault. Each runs through the scheduler
 * and the store, as the window and the batch mode do, and asserts the
 * promise of README.md and docs/ARCHITECTURE.md: the task ends FAILED with a message a user
 * can act on, no partial output and no temporary file are left, the
 * process does not crash or hang, and the store is still consistent. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "winnow-cleaner.h"
#include "winnow-output-file.h"
#include "winnow-scheduler.h"
#include "winnow-test-util.h"

typedef struct {
  WinnowTestDir dir;
  WinnowTaskStore *store;
  WinnowScheduler *scheduler;
  gint64 finished;       /* id of the task that finished last */
  gint64 progress_task;  /* id of the task that reported progress */
} Fixture;

static void
on_finished (WinnowScheduler *scheduler, WinnowTask *task, Fixture *f)
{
  f->finished = winnow_task_get_id (task);
}

static void
on_progress (WinnowScheduler *scheduler, WinnowTask *task, double fraction, guint64 rows,
             gint phase, Fixture *f)
{
  f->progress_task = winnow_task_get_id (task);
}

/* @db: the store's path, or NULL for one in the test's folder */
static void
open_engine (Fixture *f, const char *db)
{
  g_autofree char *path = db ? g_strdup (db) : g_build_filename (f->dir.dir, "history.db", NULL);
  g_autoptr(GError) error = NULL;

  f->store = winnow_task_store_new (path, &error);
  g_assert_no_error (error);
  f->scheduler = winnow_scheduler_new (f->store, 1, WINNOW_SCHEDULER_ALL_TASKS);
  g_signal_connect (f->scheduler, "task-finished", G_CALLBACK (on_finished), f);
  g_signal_connect (f->scheduler, "task-progress", G_CALLBACK (on_progress), f);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  winnow_test_dir_setup (&f->dir, NULL);
  f->finished = 0;
  f->progress_task = 0;
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->scheduler != NULL)
    {
      g_signal_handlers_disconnect_by_data (f->scheduler, f);
      winnow_scheduler_shutdown (f->scheduler, WINNOW_SHUTDOWN_CANCEL);
      g_clear_object (&f->scheduler);
    }
  g_clear_object (&f->store);
  winnow_test_dir_teardown (&f->dir, NULL);
}

static void
iterate_until_finished (Fixture *f, gint64 id)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (f->finished != id)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("task %" G_GINT64_FORMAT " did not finish", id);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gint64
add_task (Fixture *f, const char *input, const char *output, const char *recipe_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WinnowTask) task = winnow_scheduler_add (f->scheduler, input, output,
                                                     recipe_json ? recipe_json
                                                                 : "{\"winnow_recipe\": 1}",
                                                     FALSE, &error);
  g_assert_no_error (error);
  return winnow_task_get_id (task);
}

static WinnowTask *
run_task (Fixture *f, const char *input, const char *output, const char *recipe_json)
{
  gint64 id = add_task (f, input, output, recipe_json);
  g_autoptr(GError) error = NULL;
  WinnowTask *task;

  iterate_until_finished (f, id);
  task = winnow_task_store_get (f->store, id, &error);
  g_assert_no_error (error);
  return task;
}

/* Nothing of the output in its folder: neither the file nor a temporary one. */
static void
assert_no_output (const char *output)
{
  g_autofree char *folder = g_path_get_dirname (output);
  g_autofree char *base = g_path_get_basename (output);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (strstr (name, base) != NULL)
      g_error ("%s left behind in %s", name, folder);
}

/* FAILED, saying @words, nothing left, and the store in order. */
static void
assert_failed_cleanly (Fixture *f, WinnowTask *task, const char *output, const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *check = NULL;
  gint64 counts[WINNOW_TASK_N_STATUSES] = { 0 };

  g_assert_cmpint (winnow_task_get_status (task), ==, WINNOW_TASK_FAILED);
  g_assert_nonnull (winnow_task_get_error (task));
  g_test_message ("task %" G_GINT64_FORMAT ": %s", winnow_task_get_id (task),
                  winnow_task_get_error (task));
  if (words != NULL && strstr (winnow_task_get_error (task), words) == NULL)
    g_error ("“%s” does not say “%s”", winnow_task_get_error (task), words);
  assert_no_output (output);

  check = winnow_task_store_check (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (check, ==, "ok");
  g_assert_true (winnow_task_store_count_by_status (f->store, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpint (counts[WINNOW_TASK_PROCESSING], ==, 0);
  g_assert_cmpint (counts[WINNOW_TASK_PENDING], ==, 0);
}

/* A CSV of @rows rows, about 40 bytes each. */
static char *
write_rows (Fixture *f, const char *name, guint rows)
{
  g_autoptr(GString) text = g_string_new ("id,name,city,amount\n");

  for (guint i = 0; i < rows; i++)
    g_string_append_printf (text, "%u,name %u,city %u,%u.%02u\n", i, i % 977, i % 89, i % 5000,
                            i % 100);
  return winnow_test_write_file (f->dir.dir, name, text->str, (gssize) text->len);
}

/* ---- the output ---- */

/* As root, a folder's mode does not stop writes: the child gives up root
 * first, keeping access to the test's folder. The folder (the child's own
 * fixture's) becomes nobody's, so that the child's teardown can remove it
 * from a sticky /tmp. */
static void
drop_root (Fixture *f)
{
  if (getuid () != 0)
    return;
  g_assert_cmpint (chown (f->dir.dir, 65534, 65534), ==, 0);
  g_assert_cmpint (chmod (f->dir.dir, 0777), ==, 0);
  g_assert_cmpint (setgid (65534), ==, 0);
  g_assert_cmpint (setuid (65534), ==, 0);
}

static void
test_output_not_writable (Fixture *f, gconstpointer data)
{
  g_autofree char *input = NULL;
  g_autofree char *folder = g_build_filename (f->dir.dir, "read-only", NULL);
  g_autofree char *output = g_build_filename (folder, "out.csv", NULL);
  g_autoptr(WinnowTask) task = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  drop_root (f);
  input = write_rows (f, "in.csv", 100);
  g_assert_cmpint (g_mkdir (folder, 0555), ==, 0);
  open_engine (f, NULL);
  task = run_task (f, input, output, NULL);
  assert_failed_cleanly (f, task, output, "read-only");
  g_assert_cmpuint (winnow_test_count_files (folder), ==, 0);
}

/* A full disk: the file size limit makes writes fail the same way, and
 * the store lives in memory so that only the output meets it. */
static void
test_disk_full (Fixture *f, gconstpointer data)
{
  g_autofree char *input = NULL;
  g_autofree char *output = g_build_filename (f->dir.dir, "out.csv", NULL);
  g_autoptr(WinnowTask) task = NULL;
  struct rlimit limit = { 256 * 1024, 256 * 1024 };

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  input = write_rows (f, "in.csv", 50000);  /* about 1.5 MB */
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  open_engine (f, ":memory:");
  task = run_task (f, input, output, NULL);
  assert_failed_cleanly (f, task, output, "out.csv");
}

/* A full disk while the rejected rows are written: the output is small
 * (100 rows), the rejected rows are not, and neither file appears. */
static void
test_disk_full_rejects (Fixture *f, gconstpointer data)
{
  g_autofree char *input = NULL;
  g_autofree char *output = g_build_filename (f->dir.dir, "out.csv", NULL);
  g_autofree char *rejects = winnow_output_file_rejects_path (output);
  g_autoptr(GString) text = g_string_new ("id,name\n");
  g_autoptr(WinnowTask) task = NULL;
  struct rlimit limit = { 256 * 1024, 256 * 1024 };

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  for (guint i = 0; i < 50000; i++)
    g_string_append_printf (text, "%u,a name long enough to fill the disk %u\n", i % 100, i);
  input = winnow_test_write_file (f->dir.dir, "in.csv", text->str, (gssize) text->len);
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  open_engine (f, ":memory:");
  task = run_task (f, input, output,
                   "{\"winnow_recipe\": 1, \"drop_duplicates\": {\"subset\": [\"id\"]},"
                   " \"output\": {\"rejects\": true}}");
  assert_failed_cleanly (f, task, output, "out.rejected.csv");
  assert_no_output (rejects);
}

/* ---- the input ---- */

static void
delete_input (const char *input)
{
  g_assert_cmpint (g_unlink (input), ==, 0);
}

static void
truncate_input (const char *input)
{
  g_assert_cmpint (truncate (input, 1000), ==, 0);
}

/* Starts a two-pass task (keep last) on a large file, does @disturb to
 * the file once the task reports progress, and expects a clean failure;
 * on Linux a pass that has the file open may read on, so a task that
 * finished first is a skip, not a pass. */
static void
disturb_running_task (Fixture *f, void (*disturb) (const char *input))
{
  g_autofree char *input = write_rows (f, "in.csv", 600000);
  g_autofree char *output = g_build_filename (f->dir.dir, "out.csv", NULL);
  g_autoptr(WinnowTask) task = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  open_engine (f, NULL);
  id = add_task (f, input, output,
                 "{\"winnow_recipe\": 1, \"drop_duplicates\": {\"keep\": \"last\"}}");
  while (f->progress_task != id && f->finished != id)
    g_main_context_iteration (NULL, TRUE);
  disturb (input);
  iterate_until_finished (f, id);
  task = winnow_task_store_get (f->store, id, &error);
  g_assert_no_error (error);
  if (winnow_task_get_status (task) == WINNOW_TASK_COMPLETED)
    g_test_skip ("the task finished before the file was changed");
  else
    assert_failed_cleanly (f, task, output, "in.csv");
}

/* Deleted after the first pass began: the second pass cannot open it. */
static void
test_input_deleted (Fixture *f, gconstpointer data)
{
  disturb_running_task (f, delete_input);
}

/* Cut short while it is read: the rows before the cut are not passed off
 * as the whole file. */
static void
test_input_truncated (Fixture *f, gconstpointer data)
{
  disturb_running_task (f, truncate_input);
}

static void
test_input_not_a_file (Fixture *f, gconstpointer data)
{
  g_autofree char *folder = g_build_filename (f->dir.dir, "folder.csv", NULL);
  g_autofree char *fifo = g_build_filename (f->dir.dir, "fifo.csv", NULL);
  g_autofree char *output = g_build_filename (f->dir.dir, "out.csv", NULL);
  g_autoptr(WinnowTask) dir_task = NULL;
  g_autoptr(WinnowTask) fifo_task = NULL;

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  open_engine (f, NULL);
  dir_task = run_task (f, folder, output, NULL);
  assert_failed_cleanly (f, dir_task, output, "folder.csv");
  /* a pipe with no writer: refused at once, not waited on */
  fifo_task = run_task (f, fifo, output, NULL);
  assert_failed_cleanly (f, fifo_task, output, "not a regular file");
}

static void
test_input_binary (Fixture *f, gconstpointer data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (8);
  g_autofree char *input = NULL;
  g_autofree char *output = g_build_filename (f->dir.dir, "out.csv", NULL);
  g_autoptr(WinnowTask) task = NULL;
  guint8 bytes[65536];

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8) g_rand_int (rand);
  input = winnow_test_write_file (f->dir.dir, "image.csv", (const char *) bytes, sizeof bytes);
  open_engine (f, NULL);
  task = run_task (f, input, output, NULL);
  /* not a CSV file, and said so; never a crash or an output of garbage */
  assert_failed_cleanly (f, task, output, NULL);
}

/* One line of 1 GB with no newline: the field cap stops it with a clear
 * error long before memory runs out. */
static void
test_input_huge_line (Fixture *f, gconstpointer data)
{
  g_autofree char *input = g_build_filename (f->dir.dir, "line.csv", NULL);
  g_autofree char *output = g_build_filename (f->dir.dir, "out.csv", NULL);
  g_autoptr(WinnowTask) task = NULL;
  g_autofree char *block = g_malloc (8 << 20);
  int fd = open (input, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  g_assert_cmpint (fd, >=, 0);
  memset (block, 'a', 8 << 20);
  g_assert_cmpint (write (fd, "a\n", 2), ==, 2);
  for (guint i = 0; i < 128; i++)
    g_assert_cmpint (write (fd, block, 8 << 20), ==, 8 << 20);
  close (fd);

  open_engine (f, NULL);
  task = run_task (f, input, output, NULL);
  assert_failed_cleanly (f, task, output, "line 2");
  g_unlink (input);
}

/* ---- the store ---- */

/* The history replaced by garbage between two runs: the next run says so,
 * keeps the damaged file aside and cleans on a fresh one. */
static void
test_store_garbage (Fixture *f, gconstpointer data)
{
  g_autofree char *db = g_build_filename (f->dir.dir, "history.db", NULL);
  g_autofree char *input = write_rows (f, "in.csv", 100);
  g_autofree char *output = g_build_filename (f->dir.dir, "out.csv", NULL);
  g_autofree char *moved = NULL;
  g_autoptr(WinnowTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);
  guint8 garbage[16384];

  open_engine (f, db);
  task = run_task (f, input, output, NULL);
  g_assert_cmpint (winnow_task_get_status (task), ==, WINNOW_TASK_COMPLETED);
  g_signal_handlers_disconnect_by_data (f->scheduler, f);
  winnow_scheduler_shutdown (f->scheduler, WINNOW_SHUTDOWN_FINISH);
  g_clear_object (&f->scheduler);
  g_clear_object (&f->store);

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = (guint8) g_rand_int (rand);
  g_assert_true (g_file_set_contents (db, (const char *) garbage, sizeof garbage, NULL));
  g_unlink (output);

  f->store = winnow_task_store_new_or_replace_damaged (db, &moved, &error);
  g_assert_no_error (error);
  g_assert_nonnull (moved);
  g_assert_true (g_file_test (moved, G_FILE_TEST_EXISTS));
  f->scheduler = winnow_scheduler_new (f->store, 1, WINNOW_SCHEDULER_ALL_TASKS);
  g_signal_connect (f->scheduler, "task-finished", G_CALLBACK (on_finished), f);
  f->finished = 0;  /* the fresh store numbers from 1 again */
  g_clear_object (&task);
  task = run_task (f, input, output, NULL);
  g_assert_cmpint (winnow_task_get_status (task), ==, WINNOW_TASK_COMPLETED);
  g_assert_true (g_file_test (output, G_FILE_TEST_EXISTS));
}


/* A history row whose recipe would crash a recursive JSON parser (nested
 * 100,000 deep): the task fails saying why, and whoever runs it stays up
 * (the window used to crash a second after every start). */
static void
test_hostile_recipe_row (Fixture *f, gconstpointer data)
{
  g_autofree char *input = write_rows (f, "in.csv", 10);
  g_autofree char *output = g_build_filename (f->dir.dir, "out.csv", NULL);
  g_autoptr(GString) recipe = g_string_new ("{\"winnow_recipe\": 1, \"x\": ");
  g_autoptr(WinnowTask) task = NULL;
  g_autoptr(WinnowTask) next = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (recipe, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (recipe, ']');
  g_string_append_c (recipe, '}');
  open_engine (f, NULL);
  task = run_task (f, input, output, recipe->str);
  g_assert_cmpint (winnow_task_get_status (task), ==, WINNOW_TASK_FAILED);
  g_assert_true (g_str_has_prefix (winnow_task_get_error (task), "the task's recipe is not valid: "));
  assert_no_output (output);
  /* and the next task runs */
  next = run_task (f, input, output, NULL);
  g_assert_cmpint (winnow_task_get_status (next), ==, WINNOW_TASK_COMPLETED);
}

/* ---- a batch process killed ---- */

static GSubprocess *
spawn_batch (Fixture *f, const char *db, const char *out, char **inputs)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, (gpointer) g_getenv ("WINNOW_BINARY"));
  g_ptr_array_add (argv, "--batch");
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, (gpointer) db);
  g_ptr_array_add (argv, "--output-dir");
  g_ptr_array_add (argv, (gpointer) out);
  g_ptr_array_add (argv, "--force");
  g_ptr_array_add (argv, "--jobs");
  g_ptr_array_add (argv, "2");
  g_ptr_array_add (argv, "--drop-duplicates");
  for (guint i = 0; inputs[i] != NULL; i++)
    g_ptr_array_add (argv, inputs[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  return process;
}

/* Every output that exists is whole and right; the others may be absent. */
static guint
check_outputs (const char *out, GHashTable *expected)
{
  g_autoptr(GDir) dir = g_dir_open (out, 0, NULL);
  const char *name;
  guint whole = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      const char *want = g_hash_table_lookup (expected, name);
      g_autofree char *path = NULL;
      g_autofree char *text = NULL;

      if (want == NULL)
        continue;  /* a temporary file of the write that was killed */
      path = g_build_filename (out, name, NULL);
      text = winnow_test_read_file (path);
      g_assert_cmpstr (text, ==, want);
      whole++;
    }
  return whole;
}

static gboolean
all_completed (Fixture *f)
{
  gint64 counts[WINNOW_TASK_N_STATUSES] = { 0 };

  g_assert_true (winnow_task_store_count_by_status (f->store, counts, NULL));
  return counts[WINNOW_TASK_PENDING] == 0 && counts[WINNOW_TASK_PROCESSING] == 0;
}

/* 50 runs of winnow --batch, each killed at a random moment. Afterwards
 * every output file that exists is complete and correct; once the runs
 * are gone, a window that opens the history ends every task
 * the killed runs left: FAILED ("the run that queued this task ended
 * before it finished"), never run by surprise; every task is in one final
 * state, and no temporary file remains. */
/* Every FAILED task failed because its run ended. */
static void
assert_failed_interrupted (Fixture *f)
{
  WinnowTaskQuery failed = { .statuses = 1u << WINNOW_TASK_FAILED, .sort = WINNOW_TASK_SORT_ID };
  g_autoptr(GPtrArray) tasks = winnow_task_store_query (f->store, &failed, 0, 1000, NULL);

  for (guint i = 0; i < tasks->len; i++)
    g_assert_cmpstr (winnow_task_get_error (g_ptr_array_index (tasks, i)), ==,
                     WINNOW_STORE_INTERRUPTED_MESSAGE);
}

static void
test_sigkill_loop (Fixture *f, gconstpointer data)
{
  g_autofree char *db = g_build_filename (f->dir.dir, "history.db", NULL);
  g_autofree char *out = g_build_filename (f->dir.dir, "out", NULL);
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (50);
  char *inputs[4] = { NULL };
  gint64 counts[WINNOW_TASK_N_STATUSES] = { 0 };
  gint64 deadline;
  guint whole = 0;

  g_assert_cmpint (g_mkdir (out, 0755), ==, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("part-%u.csv", i);
      g_autofree char *reference = g_strdup_printf ("%s/reference-%u.csv", f->dir.dir, i);
      g_autoptr(WinnowRecipe) recipe = winnow_recipe_new_default ();
      g_autoptr(WinnowResult) result = NULL;
      g_autoptr(GError) error = NULL;

      inputs[i] = write_rows (f, name, 120000 + i * 20000);
      result = winnow_clean_file (recipe, inputs[i], reference, WINNOW_CLEAN_NONE, NULL, NULL,
                                  NULL, &error);
      g_assert_no_error (error);
      g_hash_table_insert (expected, g_strdup_printf ("part-%u.cleaned.csv", i),
                           winnow_test_read_file (reference));
    }

  for (guint round = 0; round < 50; round++)
    {
      g_autoptr(GSubprocess) batch = spawn_batch (f, db, out, inputs);
      /* a random moment of the run: starting, reading, writing, renaming */
      g_usleep (g_rand_int_range (rand, 0, 400000));
      g_subprocess_send_signal (batch, SIGKILL);
      g_subprocess_wait (batch, NULL, NULL);
      whole = check_outputs (out, expected);
    }
  g_test_message ("after the last kill, %u of 3 outputs were there, all whole", whole);

  /* the next start takes over what the killed runs left */
  open_engine (f, db);
  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (!all_completed (f))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the tasks of the killed runs were not recovered");
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_true (winnow_task_store_count_by_status (f->store, counts, NULL));
  g_test_message ("%" G_GINT64_FORMAT " tasks completed, %" G_GINT64_FORMAT " interrupted",
                  counts[WINNOW_TASK_COMPLETED], counts[WINNOW_TASK_FAILED]);
  g_assert_cmpint (counts[WINNOW_TASK_CANCELLED], ==, 0);
  assert_failed_interrupted (f);
  whole = check_outputs (out, expected);
  /* no temporary file left: the window removed what the killed runs left */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (winnow_test_count_files (out) != whole)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("temporary files of the killed runs were left");
      g_main_context_iteration (NULL, TRUE);
    }
  for (guint i = 0; i < 3; i++)
    g_free (inputs[i]);
}


/* SIGTERM (a session ending), SIGINT (Ctrl+C in the terminal that
 * started it) or SIGHUP (that terminal closed) to the window while it
 * cleans: it quits as its Quit does,
 * at once: the running task goes back to the queue for the next start,
 * its temporary file is removed, no output is left. */
static void
test_window_signal (Fixture *f, gconstpointer data)
{
  int signal_number = GPOINTER_TO_INT (data);
  g_autofree char *db = g_build_filename (f->dir.dir, "history.db", NULL);
  g_autofree char *input = write_rows (f, "big.csv", 2500000);
  g_autofree char *output = g_build_filename (f->dir.dir, "big.cleaned.csv", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) window = NULL;
  g_autoptr(WinnowTask) task = NULL;
  g_autoptr(WinnowTask) after = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  if (g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("needs a display (build-aux/test.sh runs the tests under Xvfb)");
      return;
    }
  f->store = winnow_task_store_new (db, &error);
  g_assert_no_error (error);
  task = winnow_task_store_add (f->store, input, output,
                                "{\"winnow_recipe\": 1, \"drop_duplicates\": {\"keep\": \"last\"}}",
                                FALSE, &error);
  g_assert_no_error (error);
  g_subprocess_launcher_setenv (launcher, "WINNOW_DB", db, TRUE);
  window = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("WINNOW_BINARY"), NULL);
  g_assert_no_error (error);

  /* the window starts on its queue */
  for (;;)
    {
      g_autoptr(WinnowTask) now = winnow_task_store_get (f->store, winnow_task_get_id (task), NULL);
      if (now != NULL && winnow_task_get_status (now) == WINNOW_TASK_PROCESSING)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("the window did not start the task");
      g_usleep (20000);  /* another process: nothing to wait on but the file */
    }
  g_subprocess_send_signal (window, signal_number);
  g_subprocess_wait (window, NULL, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_if_signaled (window))
    g_error ("the window died of signal %d", g_subprocess_get_term_sig (window));
  g_assert_true (g_subprocess_get_if_exited (window));
  g_assert_cmpint (g_subprocess_get_exit_status (window), ==, 0);

  after = winnow_task_store_get (f->store, winnow_task_get_id (task), &error);
  g_assert_no_error (error);
  g_assert_cmpint (winnow_task_get_status (after), ==, WINNOW_TASK_PENDING);
  g_assert_null (winnow_task_get_lease_owner (after));
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
  /* big.csv, the history and its two WAL files: no temporary file */
  g_assert_cmpuint (winnow_test_count_files (f->dir.dir), <=, 4);
  {
    g_autoptr(GDir) dir = g_dir_open (f->dir.dir, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_null (strstr (name, ".winnow-"));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/faults/output-not-writable", test_output_not_writable);
  ADD ("/faults/disk-full", test_disk_full);
  ADD ("/faults/disk-full-rejects", test_disk_full_rejects);
  ADD ("/faults/input-deleted", test_input_deleted);
  ADD ("/faults/input-truncated", test_input_truncated);
  ADD ("/faults/input-not-a-file", test_input_not_a_file);
  ADD ("/faults/input-binary", test_input_binary);
  ADD ("/faults/input-huge-line", test_input_huge_line);
  ADD ("/faults/store-garbage", test_store_garbage);
  ADD ("/faults/hostile-recipe-row", test_hostile_recipe_row);
  ADD ("/faults/sigkill-loop", test_sigkill_loop);
  g_test_add ("/faults/window-sigterm", Fixture, GINT_TO_POINTER (SIGTERM), fixture_setup,
              test_window_signal, fixture_teardown);
  g_test_add ("/faults/window-sigint", Fixture, GINT_TO_POINTER (SIGINT), fixture_setup,
              test_window_signal, fixture_teardown);
  g_test_add ("/faults/window-sighup", Fixture, GINT_TO_POINTER (SIGHUP), fixture_setup,
              test_window_signal, fixture_teardown);
#undef ADD
  return g_test_run ();
}
