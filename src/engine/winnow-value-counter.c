/* winnow-value-counter.c: see winnow-value-counter.h. */
#include "config.h"

#include "winnow-value-counter.h"

#include <math.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#define HLL_BITS 12
#define HLL_REGISTERS (1u << HLL_BITS)

/* A counter starts small and doubles: a file of 100,000 columns has
 * 100,000 of them (one per profiled column), most holding a few values. */
#define FIRST_SLOTS 8
#define FIRST_POOL 64

typedef struct {
  guint64 hash;
  gsize offset;   /* of the text in the pool */
  gsize length;
  guint64 count;  /* 0: empty slot */
} Entry;

struct _WinnowValueCounter {
  Entry *entries;
  gsize mask;
  gsize n_entries;
  gsize cap;
  char *pool;
  gsize pool_length;
  gsize pool_capacity;
  guint8 *registers;  /* HyperLogLog, once past the cap */
};

static void overflow (WinnowValueCounter *counter);

/* @size zeroed bytes, written rather than calloc()ed: fresh pages that
 * calloc() leaves untouched are read first by a lookup (the kernel's zero
 * page), then written, and that second fault flushes the TLB of every
 * core running the process (2 % of R0's time on the 1M file). */
static gpointer
alloc_zeroed (gsize size)
{
  gpointer p = g_malloc (size);

  memset (p, 0, size);
  return p;
}

/**
 * winnow_value_counter_new:
 * @cap: the most distinct values to count exactly; 0 for no limit
 */
WinnowValueCounter *
winnow_value_counter_new (gsize cap)
{
  WinnowValueCounter *counter = g_new0 (WinnowValueCounter, 1);

  counter->cap = cap;
  counter->mask = FIRST_SLOTS - 1;
  counter->entries = g_new0 (Entry, FIRST_SLOTS);
  return counter;
}

void
winnow_value_counter_free (WinnowValueCounter *counter)
{
  if (counter == NULL)
    return;
  g_free (counter->entries);
  g_free (counter->pool);
  g_free (counter->registers);
  g_free (counter);
}

void
winnow_top_value_free (WinnowTopValue *value)
{
  g_free (value->value);
  g_free (value);
}

static void
hll_add (WinnowValueCounter *counter, guint64 hash)
{
  guint index = (guint) (hash >> (64 - HLL_BITS));
  guint64 rest = (hash << HLL_BITS) | (G_GUINT64_CONSTANT (1) << (HLL_BITS - 1));
  guint8 rank = (guint8) (__builtin_clzll (rest) + 1);

  if (rank > counter->registers[index])
    counter->registers[index] = rank;
}

static void
overflow (WinnowValueCounter *counter)
{
  counter->registers = alloc_zeroed (HLL_REGISTERS);
  for (gsize i = 0; i <= counter->mask; i++)
    if (counter->entries[i].count != 0)
      hll_add (counter, counter->entries[i].hash);
  g_clear_pointer (&counter->entries, g_free);
  g_clear_pointer (&counter->pool, g_free);
}

static void
grow (WinnowValueCounter *counter)
{
  Entry *old = counter->entries;
  gsize old_size = counter->mask + 1;

  counter->mask = old_size * 2 - 1;
  counter->entries = alloc_zeroed ((counter->mask + 1) * sizeof (Entry));
  for (gsize i = 0; i < old_size; i++)
    if (old[i].count != 0)
      {
        gsize j = old[i].hash & counter->mask;
        while (counter->entries[j].count != 0)
          j = (j + 1) & counter->mask;
        counter->entries[j] = old[i];
      }
  g_free (old);
}

/* Adds @count occurrences of a text whose XXH3 is @hash. */
static void
add_hashed (WinnowValueCounter *counter, const char *text, gsize length, guint64 hash,
            guint64 count)
{
  gsize i;

  if (counter->registers != NULL)
    {
      hll_add (counter, hash);
      return;
    }
  for (i = hash & counter->mask; counter->entries[i].count != 0; i = (i + 1) & counter->mask)
    {
      Entry *e = &counter->entries[i];
      /* A capped counter (the profile) trusts its 64-bit hash: a collision
       * among 10,000 values has odds of about 1 in 10^11 and would only
       * blur a count. The mode fill compares the text. */
      if (e->hash == hash && e->length == length &&
          (counter->cap != 0 || memcmp (counter->pool + e->offset, text, length) == 0))
        {
          e->count += count;
          return;
        }
    }

  if (counter->cap != 0 && counter->n_entries >= counter->cap)
    {
      overflow (counter);
      hll_add (counter, hash);
      return;
    }
  if (counter->pool == NULL || counter->pool_length + length > counter->pool_capacity)
    {
      gsize capacity = MAX (counter->pool_capacity, FIRST_POOL);
      while (counter->pool_length + length > capacity)
        capacity *= 2;
      counter->pool = g_realloc (counter->pool, capacity);
      counter->pool_capacity = capacity;
    }
  memcpy (counter->pool + counter->pool_length, text, length);
  counter->entries[i] = (Entry) { hash, counter->pool_length, length, count };
  counter->pool_length += length;
  counter->n_entries++;
  if (counter->n_entries * 4 >= (counter->mask + 1) * 3)
    grow (counter);
}

void
winnow_value_counter_add (WinnowValueCounter *counter, const char *text, gsize length)
{
  add_hashed (counter, text, length, XXH3_64bits (text, length), 1);
}

/* The hash a counter keeps of @text: callers that hash on other threads
 * give it to winnow_value_counter_add_hashed(). */
guint64
winnow_value_counter_hash (const char *text, gsize length)
{
  return XXH3_64bits (text, length);
}

/* Adds @text, whose winnow_value_counter_hash() the caller made (on
 * another thread). */
void
winnow_value_counter_add_hashed (WinnowValueCounter *counter, const char *text, gsize length,
                                 guint64 hash)
{
  add_hashed (counter, text, length, hash, 1);
}

/* Adds @count occurrences of @text at once (@count > 0). */
void
winnow_value_counter_add_count (WinnowValueCounter *counter, const char *text, gsize length,
                                guint64 count)
{
  g_return_if_fail (count > 0);
  add_hashed (counter, text, length, XXH3_64bits (text, length), count);
}

/**
 * winnow_value_counter_merge:
 *
 * Adds what @other counted to @counter, which then holds what one counter
 * given both streams of values would, in any order: the same counts, and
 * past the cap the same HyperLogLog registers (a register is the maximum
 * over the distinct values' hashes), so the same estimate.
 */
void
winnow_value_counter_merge (WinnowValueCounter *counter, const WinnowValueCounter *other)
{
  g_return_if_fail (counter->cap == other->cap);

  if (other->registers != NULL)
    {
      if (counter->registers == NULL)
        overflow (counter);
      for (guint i = 0; i < HLL_REGISTERS; i++)
        counter->registers[i] = MAX (counter->registers[i], other->registers[i]);
      return;
    }
  for (gsize i = 0; i <= other->mask; i++)
    {
      const Entry *e = &other->entries[i];
      if (e->count != 0)
        add_hashed (counter, other->pool + e->offset, e->length, e->hash, e->count);
    }
}

/* The number of distinct values; *exact is FALSE past the cap. */
guint64
winnow_value_counter_distinct (WinnowValueCounter *counter, gboolean *exact)
{
  double m = HLL_REGISTERS, sum = 0, estimate;
  guint zeros = 0;

  if (counter->registers == NULL)
    {
      if (exact)
        *exact = TRUE;
      return counter->n_entries;
    }
  if (exact)
    *exact = FALSE;
  for (guint i = 0; i < HLL_REGISTERS; i++)
    {
      sum += ldexp (1.0, -counter->registers[i]);
      zeros += counter->registers[i] == 0;
    }
  estimate = (0.7213 / (1 + 1.079 / m)) * m * m / sum;
  if (estimate <= 2.5 * m && zeros > 0)
    estimate = m * log (m / zeros);
  return (guint64) llround (estimate);
}

static int
compare_text (const WinnowValueCounter *counter, const Entry *a, const Entry *b)
{
  int c = memcmp (counter->pool + a->offset, counter->pool + b->offset, MIN (a->length, b->length));
  if (c != 0)
    return c;
  return a->length < b->length ? -1 : a->length > b->length;
}

/* More frequent first; equal counts in byte order of their text. */
static gboolean
ranks_before (const WinnowValueCounter *counter, const Entry *a, const Entry *b)
{
  if (a->count != b->count)
    return a->count > b->count;
  return compare_text (counter, a, b) < 0;
}

/**
 * winnow_value_counter_top:
 * Returns: (transfer full): up to @n WinnowTopValue, the most frequent
 *   first; empty past the cap
 */
GPtrArray *
winnow_value_counter_top (WinnowValueCounter *counter, guint n)
{
  GPtrArray *top = g_ptr_array_new_with_free_func ((GDestroyNotify) winnow_top_value_free);
  g_autofree const Entry **best = g_new0 (const Entry *, n + 1);
  guint n_best = 0;

  if (counter->entries == NULL)
    return top;
  for (gsize i = 0; i <= counter->mask && n > 0; i++)
    {
      const Entry *e = &counter->entries[i];
      guint pos;

      if (e->count == 0 || (n_best == n && !ranks_before (counter, e, best[n - 1])))
        continue;
      /* Insert in order; when full, the last one falls off. */
      pos = n_best < n ? n_best++ : n - 1;
      for (; pos > 0 && ranks_before (counter, e, best[pos - 1]); pos--)
        best[pos] = best[pos - 1];
      best[pos] = e;
    }
  for (guint i = 0; i < n_best; i++)
    {
      WinnowTopValue *value = g_new0 (WinnowTopValue, 1);
      value->value = g_strndup (counter->pool + best[i]->offset, best[i]->length);
      value->count = best[i]->count;
      g_ptr_array_add (top, value);
    }
  return top;
}

/**
 * winnow_value_counter_mode:
 * Returns: (transfer full) (nullable): the most frequent text, ties going
 *   to the smallest in byte order; %NULL when nothing was counted
 */
char *
winnow_value_counter_mode (WinnowValueCounter *counter)
{
  g_autoptr(GPtrArray) top = winnow_value_counter_top (counter, 1);
  WinnowTopValue *first;

  if (top->len == 0)
    return NULL;
  first = g_ptr_array_index (top, 0);
  return g_steal_pointer (&first->value);
}
