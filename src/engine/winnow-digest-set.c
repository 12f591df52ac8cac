/* winnow-digest-set.c: see winnow-digest-set.h. */
#include "config.h"

#include "winnow-digest-set.h"

#include <string.h>
#include <sys/mman.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

/* Tables past this size live in their own mapping with transparent huge
 * pages: a probe is a random access, and with 4 KiB pages nearly every
 * probe of a large table would also miss the TLB. The mapping starts and
 * ends on a huge page: a kernel gives huge pages only to the whole ones
 * within a mapping, so the ends of an unaligned one (up to 4 MiB) were
 * 4 KiB pages, hundreds of faults on the 1M file, each costing 10-15 us
 * on a virtual machine. */
#define HUGE_TABLE (4u << 20)
#define HUGE_PAGE ((gsize) 2 << 20)

static gsize
mapped_size (gsize size)
{
  return (size + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
}

/* Past this many expected rows the full tables are made on a thread of
 * their own, and a first table for FIRST_ROWS distinct rows serves
 * meanwhile (see WinnowDigestSetStage). The first table is small: it is
 * faulted in page by page on the cleaning thread, and on the 1M file the
 * full tables were mostly ready before 30,000 rows, often before the
 * first; a first table for 256 Ki rows (5 MiB) cost about 1,300 page
 * faults either way, the inserts' or the scan that moved them. It grows
 * on its own when the full tables are late. */
#define STAGED_ROWS (256u << 10)
#define FIRST_ROWS (32u << 10)

static gpointer
table_alloc (gsize size, gboolean small)
{
  gsize mapped = mapped_size (size);
  guint8 *p, *start;
  gsize head;

  if (small || size < HUGE_TABLE)
    return g_malloc0 (size);
  p = mmap (NULL, mapped + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    g_error ("out of memory: could not map %" G_GSIZE_FORMAT " bytes", size);
  /* keep the aligned part, give back what is before and after it */
  start = (guint8 *) (((guintptr) p + HUGE_PAGE - 1) & ~(guintptr) (HUGE_PAGE - 1));
  head = (gsize) (start - p);
  if (head > 0)
    munmap (p, head);
  munmap (start + mapped, HUGE_PAGE - head);  /* head < HUGE_PAGE: never empty */
  madvise (start, mapped, MADV_HUGEPAGE);
  return start;  /* anonymous mappings start zeroed */
}

static void
table_free (gpointer p, gsize size, gboolean small)
{
  if (p == NULL)
    return;
  if (small || size < HUGE_TABLE)
    g_free (p);
  else
    munmap (p, mapped_size (size));
}

/* 128 bits from XXH3: among 10^9 distinct rows the chance that two share a
 * digest is about 10^-21. */
WinnowDigest
winnow_digest_compute (const void *data, gsize length)
{
  XXH128_hash_t h = XXH3_128bits (data, length);
  WinnowDigest digest = { h.low64, h.high64 };

  if (G_UNLIKELY (digest.lo == 0 && digest.hi == 0))
    digest.lo = 1;  /* {0,0} is the empty-slot marker */
  return digest;
}

/* A load of 0.8 at the expected count; growing past 7/8 of it. */
static gsize
capacity_for (gsize expected)
{
  return MAX (expected / 4 * 5 + expected % 4 * 2, 1024);
}

static void
set_capacity (WinnowDigestSet *set, gsize capacity)
{
  set->capacity = capacity;
  set->grow_at = capacity / 8 * 7;
}

/* The full tables of a large set, made on a thread of their own while a
 * small first table serves: for the 20 MiB of the 1M file the kernel
 * may first have to compact memory to find huge pages (or a virtual
 * machine's host to back them), which took 10-55 ms that the cleaning
 * thread's first inserts paid while every other thread waited for it.
 * The pages are faulted in by writing a zero to each: nothing else sees
 * these tables yet. */
struct _WinnowDigestSetStage {
  GThread *thread;
  gint ready;            /* atomic: the tables below are made */
  gint abandoned;        /* atomic: the set is freed, stop touching pages */
  gsize capacity;
  guint n_values;
  WinnowDigest *slots;
  guint64 *values;
};

static void
touch_pages (WinnowDigestSetStage *stage, gpointer table, gsize size)
{
  volatile guint8 *p = table;

  for (gsize at = 0; at < size; at += 4096)
    {
      /* a huge page at a time: a task cancelled meanwhile waits no longer */
      if (at % HUGE_PAGE == 0 && g_atomic_int_get (&stage->abandoned))
        return;
      p[at] = 0;
    }
}

/* winnow_digest_set_hold_stages() */
static GMutex gate_lock;
static GCond gate_cond;
static gboolean gate_closed;

/**
 * winnow_digest_set_hold_stages:
 * @hold: whether full tables, once made, wait before they are taken
 *
 * For tests: holds the first table in use as long as they like. A set
 * freed meanwhile drops its full tables at once.
 */
void
winnow_digest_set_hold_stages (gboolean hold)
{
  g_mutex_lock (&gate_lock);
  gate_closed = hold;
  g_cond_broadcast (&gate_cond);
  g_mutex_unlock (&gate_lock);
}

static gpointer
stage_main (gpointer data)
{
  WinnowDigestSetStage *stage = data;

  stage->slots = table_alloc (stage->capacity * sizeof (WinnowDigest), FALSE);
  touch_pages (stage, stage->slots, stage->capacity * sizeof (WinnowDigest));
  if (stage->n_values > 0)
    {
      stage->values = table_alloc (stage->capacity * stage->n_values * sizeof (guint64), FALSE);
      touch_pages (stage, stage->values, stage->capacity * stage->n_values * sizeof (guint64));
    }
  g_mutex_lock (&gate_lock);
  while (gate_closed && !g_atomic_int_get (&stage->abandoned))
    g_cond_wait (&gate_cond, &gate_lock);
  g_atomic_int_set (&stage->ready, 1);
  g_cond_broadcast (&gate_cond);
  g_mutex_unlock (&gate_lock);
  return NULL;
}

/* Frees the full tables, not taken, and the stage. */
static void
stage_drop (WinnowDigestSetStage *stage)
{
  table_free (stage->slots, stage->capacity * sizeof (WinnowDigest), FALSE);
  table_free (stage->values, stage->capacity * stage->n_values * sizeof (guint64), FALSE);
  g_free (stage);
}

/* The stage's thread is done (waited for); NULL if there is none. */
static WinnowDigestSetStage *
stage_finish (WinnowDigestSet *set)
{
  WinnowDigestSetStage *stage = g_steal_pointer (&set->stage);

  if (stage != NULL)
    g_thread_join (stage->thread);
  return stage;
}

/**
 * winnow_digest_set_new:
 * @expected: how many distinct digests to size for (it grows past that)
 * @n_values: how many 64-bit values each digest carries (0 to 2)
 */
WinnowDigestSet *
winnow_digest_set_new (gsize expected, guint n_values)
{
  WinnowDigestSet *set = g_new0 (WinnowDigestSet, 1);
  gsize capacity = capacity_for (expected);

  g_return_val_if_fail (n_values <= 2, NULL);
  set->n_values = n_values;
  if (capacity * sizeof (WinnowDigest) >= HUGE_TABLE && expected > STAGED_ROWS)
    {
      WinnowDigestSetStage *stage = g_new0 (WinnowDigestSetStage, 1);

      stage->capacity = capacity;
      stage->n_values = n_values;
      stage->thread = g_thread_try_new ("winnow-digests", stage_main, stage, NULL);
      if (stage->thread != NULL)
        {
          set->stage = stage;
          set->small_tables = TRUE;
          capacity = capacity_for (FIRST_ROWS);
        }
      else
        g_free (stage);
    }
  set->slots = table_alloc (capacity * sizeof (WinnowDigest), set->small_tables);
  if (n_values > 0)
    set->values = table_alloc (capacity * n_values * sizeof (guint64), set->small_tables);
  set_capacity (set, capacity);
  return set;
}

void
winnow_digest_set_free (WinnowDigestSet *set)
{
  WinnowDigestSetStage *stage;

  if (set == NULL)
    return;
  if (set->stage != NULL)
    {
      g_mutex_lock (&gate_lock);
      g_atomic_int_set (&set->stage->abandoned, 1);
      g_cond_broadcast (&gate_cond);
      g_mutex_unlock (&gate_lock);
    }
  if ((stage = stage_finish (set)) != NULL)
    stage_drop (stage);
  table_free (set->slots, set->capacity * sizeof (WinnowDigest), set->small_tables);
  table_free (set->values, set->capacity * set->n_values * sizeof (guint64), set->small_tables);
  g_free (set);
}

static gsize
probe (const WinnowDigestSet *set, WinnowDigest digest, gboolean *found)
{
  gsize i = winnow_digest_set_home (set, digest);

  for (;;)
    {
      const WinnowDigest *slot = &set->slots[i];
      if (slot->lo == digest.lo && slot->hi == digest.hi)
        {
          *found = TRUE;
          return i;
        }
      if (slot->lo == 0 && slot->hi == 0)
        {
          *found = FALSE;
          return i;
        }
      if (++i == set->capacity)
        i = 0;
    }
}

/* Moves every digest (and its values) into the empty tables given. */
static void
move_to (WinnowDigestSet *set, WinnowDigest *slots, guint64 *values, gsize capacity,
         gboolean small)
{
  WinnowDigest *old_slots = set->slots;
  guint64 *old_values = set->values;
  gsize old_capacity = set->capacity;
  gboolean old_small = set->small_tables;
  gsize left = set->count;

  set->slots = slots;
  set->values = values;
  set->small_tables = small;
  set_capacity (set, capacity);
  /* up to the last digest: an empty table is not read at all */
  for (gsize i = 0; i < old_capacity && left > 0; i++)
    {
      gboolean found;
      gsize j;

      if (old_slots[i].lo == 0 && old_slots[i].hi == 0)
        continue;
      left--;
      j = probe (set, old_slots[i], &found);
      set->slots[j] = old_slots[i];
      if (old_values)
        memcpy (&set->values[j * set->n_values], &old_values[i * set->n_values],
                set->n_values * sizeof (guint64));
    }
  table_free (old_slots, old_capacity * sizeof (WinnowDigest), old_small);
  table_free (old_values, old_capacity * set->n_values * sizeof (guint64), old_small);
}

/* Into the full tables, once made, unless the first table already holds
 * more than they were made for (it kept growing meanwhile). */
static void
take_stage (WinnowDigestSet *set)
{
  WinnowDigestSetStage *stage = stage_finish (set);

  if (set->count < stage->capacity / 8 * 7)
    {
      move_to (set, stage->slots, stage->values, stage->capacity, FALSE);
      g_free (stage);
    }
  else
    stage_drop (stage);
}

/**
 * winnow_digest_set_settle:
 *
 * No more inserts for a while (the selection pass is over; lookups
 * follow): waits until the full tables are made, and takes them (or
 * drops them, if the first table has outgrown them), so that they do
 * not wait in memory unused.
 */
void
winnow_digest_set_settle (WinnowDigestSet *set)
{
  if (set->stage != NULL)
    take_stage (set);
}

/**
 * winnow_digest_set_wait_stage:
 *
 * For tests: waits until the full tables are made, without taking them
 * (the next insert does).
 */
void
winnow_digest_set_wait_stage (WinnowDigestSet *set)
{
  g_mutex_lock (&gate_lock);
  while (set->stage != NULL && !g_atomic_int_get (&set->stage->ready))
    g_cond_wait (&gate_cond, &gate_lock);
  g_mutex_unlock (&gate_lock);
}

/* Half as large again. While the full tables are being made, the first
 * table grows as it is (it never waits for them: they are taken by the
 * first insert after they are made); once they were dropped, it grows
 * into tables like them. */
static void
grow (WinnowDigestSet *set)
{
  gsize capacity = set->capacity + set->capacity / 2;
  gboolean small = set->stage != NULL;

  move_to (set, table_alloc (capacity * sizeof (WinnowDigest), small),
           set->n_values > 0 ? table_alloc (capacity * set->n_values * sizeof (guint64), small)
                             : NULL,
           capacity, small);
}

/**
 * winnow_digest_set_insert:
 * @value: (out) (optional): where the digest's values live (%NULL in a
 *   set without values), until the next insert; 0 for a new digest
 *
 * Returns: %TRUE when @digest was new, %FALSE when it was already there.
 */
gboolean
winnow_digest_set_insert (WinnowDigestSet *set, WinnowDigest digest, guint64 **value)
{
  gboolean found;
  gsize i;

  if (G_UNLIKELY (set->stage != NULL) && g_atomic_int_get (&set->stage->ready))
    take_stage (set);
  i = probe (set, digest, &found);

  if (!found)
    {
      if (G_UNLIKELY (set->count >= set->grow_at))
        {
          grow (set);
          i = probe (set, digest, &found);
        }
      set->slots[i] = digest;
      set->count++;
    }
  if (value)
    *value = set->values ? &set->values[i * set->n_values] : NULL;
  return !found;
}

/**
 * winnow_digest_set_lookup:
 *
 * Returns: (nullable): where the values of @digest live, or %NULL when it
 *   is not in @set (or @set has no values)
 */
guint64 *
winnow_digest_set_lookup (const WinnowDigestSet *set, WinnowDigest digest)
{
  gboolean found;
  gsize i = probe (set, digest, &found);

  return found && set->values ? &set->values[i * set->n_values] : NULL;
}

/* The bytes its table takes (slots and values). */
gsize
winnow_digest_set_get_bytes (const WinnowDigestSet *set)
{
  return set->capacity * (sizeof (WinnowDigest) + set->n_values * sizeof (guint64));
}
