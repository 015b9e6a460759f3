import type { TreeItem } from '../api.ts';
import { itemColor, isMuted, type ColorBy } from './colors.ts';
import type { TreeModel } from './tree-model.ts';

/** Pan and zoom: screen = offset + world × scale. */
export interface ViewTransform {
  x: number;
  y: number;
  k: number;
}

export const ROW_HEIGHT = 22;
export const COLUMN_WIDTH = 26;
const RADIUS = 6;

export interface DrawOptions {
  model: TreeModel;
  view: ViewTransform;
  width: number;
  height: number;
  selectedId: string | null;
  colorBy: ColorBy;
  range: { min: number; max: number };
  solution: Set<string>;
}

export function rowY(row: number, view: ViewTransform): number {
  return view.y + (row * ROW_HEIGHT + ROW_HEIGHT / 2) * view.k;
}

export function depthX(depth: number, view: ViewTransform): number {
  return view.x + (depth * COLUMN_WIDTH + 14) * view.k;
}

/** The rows that intersect the screen, so a frame draws only those whatever the tree's size. */
export function visibleRows(view: ViewTransform, height: number, rowCount: number): [number, number] {
  const first = Math.max(0, Math.floor(-view.y / (ROW_HEIGHT * view.k)) - 1);
  const last = Math.min(rowCount - 1, Math.ceil((height - view.y) / (ROW_HEIGHT * view.k)) + 1);
  return [first, last];
}

function label(item: TreeItem): string {
  if (item.kind === 'candidate') return `${item.text}${item.invalidReason ? `  ✗ ${item.invalidReason}` : '  (not executed)'}`;
  const text = item.actionText ?? 'root';
  const value = item.value ?? item.searchValue;
  const flags = [
    value !== null ? `v=${value.toFixed(2)}` : '',
    item.visits !== null && item.visits > 1 ? `n=${item.visits}` : '',
    item.success ? '✓ success' : item.terminal ? '■ terminal' : '',
    !item.valid ? '✗ invalid' : '',
    item.duplicateOf ? '≡ duplicate' : '',
    item.pruned ? `pruned: ${item.pruned}` : '',
  ].filter(Boolean);
  return flags.length > 0 ? `${text}   ${flags.join(' · ')}` : text;
}

export function drawTree(ctx: CanvasRenderingContext2D, options: DrawOptions): void {
  const { model, view, width, height, selectedId, colorBy, range, solution } = options;
  ctx.clearRect(0, 0, width, height);
  const [first, last] = visibleRows(view, height, model.rows.length);
  const radius = Math.max(2, RADIUS * Math.min(1.4, view.k));

  // Edges: each visible row draws the elbow from its parent, so a parent above the screen still links its children.
  ctx.lineWidth = 1;
  for (let i = first; i <= last; i++) {
    const row = model.rows[i];
    if (row.parentRow < 0) continue;
    const parent = model.rows[row.parentRow];
    const px = depthX(parent.depth, view);
    const py = rowY(row.parentRow, view);
    const cx = depthX(row.depth, view);
    const cy = rowY(i, view);
    const onPath = row.type === 'item' && solution.has(row.id);
    const item = row.type === 'item' ? model.items.get(row.id) : undefined;
    ctx.strokeStyle = onPath ? '#e0a800' : item && isMuted(item) ? '#d5dade' : '#aab3bc';
    ctx.lineWidth = onPath ? 3 : 1;
    ctx.beginPath();
    ctx.moveTo(px, Math.max(py, -10));
    ctx.lineTo(px, cy);
    ctx.lineTo(cx - radius, cy);
    ctx.stroke();
  }

  const fontSize = Math.round(12 * Math.min(1.3, view.k));
  ctx.font = `${fontSize}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  const showText = view.k >= 0.45;
  for (let i = first; i <= last; i++) {
    const row = model.rows[i];
    const x = depthX(row.depth, view);
    const y = rowY(i, view);
    if (row.type === 'more') {
      ctx.fillStyle = '#3b6fd1';
      if (showText) ctx.fillText(`… ${row.remaining.toLocaleString('en-US')} more (click to load)`, x - radius, y);
      continue;
    }
    const item = model.items.get(row.id)!;
    const muted = isMuted(item);
    const color = itemColor(item, colorBy, range);
    if (row.id === selectedId) {
      ctx.fillStyle = 'rgba(59, 111, 209, 0.14)';
      ctx.fillRect(0, y - (ROW_HEIGHT * view.k) / 2, width, ROW_HEIGHT * view.k);
    }
    ctx.beginPath();
    ctx.arc(x, y, radius, 0, Math.PI * 2);
    if (item.kind === 'candidate') {
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      ctx.stroke();
    } else {
      ctx.fillStyle = color;
      ctx.globalAlpha = muted ? 0.55 : 1;
      ctx.fill();
      ctx.globalAlpha = 1;
      if (solution.has(item.id) || (item.kind === 'node' && item.selected)) {
        ctx.strokeStyle = solution.has(item.id) ? '#e0a800' : '#1d3f86';
        ctx.lineWidth = 2;
        ctx.stroke();
      }
    }
    const hidden = item.childCount - (model.children.get(item.id)?.length ?? 0);
    const closed = item.childCount > 0 && (hidden === item.childCount || model.closed.has(item.id));
    if (closed) {
      ctx.fillStyle = '#fff';
      ctx.font = `bold ${Math.round(radius * 1.6)}px system-ui, sans-serif`;
      ctx.textAlign = 'center';
      ctx.fillText('+', x, y + 0.5);
      ctx.textAlign = 'left';
      ctx.font = `${fontSize}px system-ui, sans-serif`;
    }
    if (showText) {
      ctx.fillStyle = muted ? '#8a939c' : '#1f2a33';
      const suffix = closed ? `   [+${(item.subtreeSize - 1).toLocaleString('en-US')}]` : '';
      ctx.fillText(label(item) + suffix, x + radius + 6, y);
    }
  }
}

/** The row under a screen point, and whether the point is on the node's glyph (which toggles its family). */
export function hitTest(model: TreeModel, view: ViewTransform, sx: number, sy: number): { row: number; onGlyph: boolean } | null {
  const row = Math.floor((sy - view.y) / (ROW_HEIGHT * view.k));
  if (row < 0 || row >= model.rows.length) return null;
  const x = depthX(model.rows[row].depth, view);
  return { row, onGlyph: Math.abs(sx - x) <= RADIUS * Math.max(1, view.k) + 3 };
}
