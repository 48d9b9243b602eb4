// What the staff dashboard and the public results board count alike.

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The sections a count is listed under: the notice's numbered sections and any
 * other that holds opinions, in order, then the notice as a whole (0) last.
 */
export function listedSections(defined: Iterable<number>, counted: Iterable<number>): number[] {
  const numbers = [...new Set([...defined, ...counted])].filter((n) => n !== 0).sort((a, b) => a - b);
  return [...numbers, 0];
}
