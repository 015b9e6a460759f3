import { compare, toString, type Rational } from './rational.ts';

/** Numbers in ascending numeric order, as canonical strings: the form states and keys use. */
export function sortedNumberTexts(values: readonly Rational[]): string[] {
  return [...values].sort(compare).map(toString);
}

/** What `actual` lacks and what it has too much of, compared with `expected` (canonical strings, with multiplicity). */
export function multisetDifference(
  expected: readonly string[],
  actual: readonly string[],
): { missing: string[]; extra: string[] } {
  const counts = new Map<string, number>();
  for (const text of expected) counts.set(text, (counts.get(text) ?? 0) + 1);
  const extra: string[] = [];
  for (const text of actual) {
    const left = counts.get(text) ?? 0;
    if (left > 0) counts.set(text, left - 1);
    else extra.push(text);
  }
  const missing: string[] = [];
  for (const text of expected) {
    const left = counts.get(text) ?? 0;
    if (left > 0) {
      missing.push(text);
      counts.set(text, left - 1);
    }
  }
  return { missing, extra };
}

/** Describes a multiset difference in words, e.g. `missing 12; unexpected 10`. */
export function describeDifference(difference: { missing: string[]; extra: string[] }): string {
  const parts: string[] = [];
  if (difference.missing.length > 0) parts.push(`missing ${difference.missing.join(' ')}`);
  if (difference.extra.length > 0) parts.push(`unexpected ${difference.extra.join(' ')}`);
  return parts.join('; ');
}
