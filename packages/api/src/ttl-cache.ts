/**
 * One answer per runtime (and key) for a while: the dashboard's many pollers share what costs a
 * Graph API call or a count over the whole table. A failed answer is forgotten at once.
 */
import type { PublishRuntime } from "@photo-relay/pipeline/api";

export function perRuntime<K, V>(ttlMs: number, compute: (rt: PublishRuntime, key: K) => Promise<V>) {
  const cache = new WeakMap<PublishRuntime, Map<K, { at: number; value: Promise<V> }>>();
  return (rt: PublishRuntime, key: K): Promise<V> => {
    let entries = cache.get(rt);
    if (!entries) {
      entries = new Map();
      cache.set(rt, entries);
    }
    const cached = entries.get(key);
    if (cached && Date.now() - cached.at < ttlMs) return cached.value;
    const value = compute(rt, key);
    const entry = { at: Date.now(), value };
    entries.set(key, entry);
    value.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
    return value;
  };
}
