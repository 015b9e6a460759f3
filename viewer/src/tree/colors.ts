import type { TreeItem } from '../api.ts';

export type ColorBy = 'value' | 'verdict' | 'credit';

export const MUTED = '#9aa3ad';

/** Red (low) to green (high) through amber, for a value scaled into [0, 1]. */
export function valueColor(t: number): string {
  const clamped = Math.max(0, Math.min(1, t));
  return `hsl(${Math.round(clamped * 125)}, 62%, 45%)`;
}

/** Invalid, pruned, duplicate and unexecuted entries are drawn muted whatever the colouring. */
export function isMuted(item: TreeItem): boolean {
  return item.kind === 'candidate' || !item.valid || item.pruned !== null || item.duplicateOf !== null;
}

export function itemColor(item: TreeItem, colorBy: ColorBy, range: { min: number; max: number }): string {
  if (item.kind === 'candidate') return item.invalidReason ? '#c9a2a2' : '#c2c8cf';
  if (colorBy === 'verdict') {
    if (item.success) return '#1a9e4b';
    if (!item.valid) return '#d98c1f';
    if (item.duplicateOf !== null || item.pruned !== null) return MUTED;
    if (item.terminal) return '#c83a3a';
    return '#3b6fd1';
  }
  if (colorBy === 'credit') {
    // The Monte Carlo value is already a success rate in [0, 1]: no rescaling, so colours compare across trees.
    if (item.mc === null) return MUTED;
    return valueColor(item.mc);
  }
  if (item.success) return '#1a9e4b';
  // A finished step that failed is a failure whatever its score (issue 17: value-0 dead ends were drawn green).
  if (item.terminal) return valueColor(0);
  const value = item.value ?? item.searchValue;
  if (value === null) return item.parentId === null ? '#3b6fd1' : MUTED;
  const span = range.max - range.min;
  // With one value in the whole tree there is no scale: the value itself (already in [0, 1]) places it.
  return valueColor(span > 0 ? (value - range.min) / span : value);
}
