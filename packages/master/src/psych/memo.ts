/**
 * `compute`, remembered for the last few thousand texts: a `state` document writes the same keys,
 * symbols and paths on every dump. The memory is bounded (it starts over when full).
 */
export function memoizeText<T>(compute: (text: string) => T, max = 2048): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    let value = known.get(text);
    if (value === undefined) {
      value = compute(text);
      if (known.size >= max) known.clear();
      known.set(text, value);
    }
    return value;
  };
}
