import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, type TreeOpening } from '../api.ts';
import { formatNumber } from '../format.ts';
import { useLive } from '../live.ts';
import { href, navigate, type Route } from '../route.ts';
import { NodePanel } from '../node/node-panel.tsx';
import { ValueHistogramChart } from '../charts/svg-charts.tsx';
import type { ColorBy } from './colors.ts';
import { drawTree, hitTest, rowY, depthX, ROW_HEIGHT, type ViewTransform } from './tree-canvas.ts';
import { createTreeModel, isOpen, layoutRows, loadedChildren, mergeItems, type TreeModel } from './tree-model.ts';

const CHILD_PAGE = 500;

declare global {
  interface Window {
    /** performance.now() of the first frame that drew tree rows (read by bench/viewer-100k.ts). */
    stepwiseTreePainted?: number;
  }
}

/** A task's tree on a canvas (only visible rows drawn), loaded lazily, with the selected node's detail beside it. */
export function TreeView({ route }: { route: Route }) {
  const [runId = '', taskId = ''] = route.segments;
  const selectedId = route.query.get('node');
  const { data: firstLook, error } = useLive(() => {
    const rows = modelRef.current ? Math.min(20_000, modelRef.current.items.size + 500) : undefined;
    return api.tree(runId, taskId, rows);
  }, [runId, taskId]);
  // A first look at a tree not indexed yet is followed by the whole tree's opening as soon as the server has it.
  const [whole, setWhole] = useState<TreeOpening | undefined>(undefined);
  useEffect(() => {
    setWhole(undefined);
    if (!firstLook?.partial) return;
    let current = true;
    api.tree(runId, taskId, undefined, true).then((opening) => current && setWhole(opening), () => undefined);
    return () => {
      current = false;
    };
  }, [firstLook]);
  const opening = whole ?? firstLook;
  const modelRef = useRef<TreeModel | null>(null);
  const keyRef = useRef('');
  const [version, setVersion] = useState(0);
  const [colorBy, setColorBy] = useState<ColorBy>('value');
  const [openedId, setOpenedId] = useState<string | null>(selectedId);
  const bump = useCallback(() => setVersion((v) => v + 1), []);

  // A new task starts a new model; a live refresh of the same task merges into it.
  if (opening) {
    const key = `${runId}\u0000${taskId}`;
    if (!modelRef.current || keyRef.current !== key) {
      modelRef.current = createTreeModel(opening.rootId);
      keyRef.current = key;
    }
  }
  const model = modelRef.current;
  useEffect(() => {
    if (!opening || !modelRef.current) return;
    modelRef.current.rootId = opening.rootId;
    mergeItems(modelRef.current, opening.items);
    layoutRows(modelRef.current);
    bump();
  }, [opening]);

  const loadChildren = useCallback(async (id: string) => {
    const current = modelRef.current;
    if (!current) return;
    const page = await api.children(runId, taskId, id, loadedChildren(current, id), CHILD_PAGE);
    mergeItems(current, page.items);
    current.closed.delete(id);
    layoutRows(current);
    bump();
  }, [runId, taskId]);

  // Keyboard moves select without opening; any other change of the URL's node (a link, a reload) opens it.
  const quietSelect = useRef(false);
  const detailOf = (id: string | null) => {
    // An unexecuted candidate has no node of its own: its detail is in its parent's candidate table.
    const item = id ? modelRef.current?.items.get(id) : undefined;
    return item?.kind === 'candidate' ? item.parentId : id;
  };
  const select = useCallback((id: string, openDetail: boolean) => {
    if (openDetail) setOpenedId(detailOf(id));
    if (id === selectedId) return;
    quietSelect.current = true;
    navigate(['tree', runId, taskId], { node: id }, true);
  }, [runId, taskId, selectedId]);
  useEffect(() => {
    if (quietSelect.current) {
      quietSelect.current = false;
      return;
    }
    setOpenedId(detailOf(selectedId));
  }, [selectedId, runId, taskId]);

  // A node named in the URL but not loaded yet: load the families along its path.
  useEffect(() => {
    if (!selectedId || !model || model.items.has(selectedId) || !opening) return;
    let cancelled = false;
    void (async () => {
      const detail = await api.node(runId, selectedId).catch(() => null);
      for (const id of detail?.path.slice(0, -1) ?? []) {
        if (cancelled || !modelRef.current) return;
        let guard = 0;
        while (!modelRef.current.items.has(detail!.path[detail!.path.indexOf(id) + 1]) && guard++ < 200) await loadChildren(id);
        modelRef.current.closed.delete(id);
      }
      if (modelRef.current) layoutRows(modelRef.current);
      bump();
    })();
    return () => {
      cancelled = true;
    };
  }, [selectedId, opening, model]);

  if (error && !opening) return <p class="error">{error}</p>;
  if (!opening || !model) return <p class="muted">Loading the tree of {taskId}…</p>;
  return (
    <section class="tree-page">
      <TreeHeader opening={opening} runId={runId} colorBy={colorBy} setColorBy={setColorBy} loaded={model.items.size} />
      <div class="tree-split">
        <TreeCanvas model={model} version={version} opening={opening} selectedId={selectedId} colorBy={colorBy}
          onSelect={select} onToggle={(id) => {
            if (isOpen(model, id)) {
              model.closed.add(id);
              layoutRows(model);
              bump();
            } else if (loadedChildren(model, id) > 0) {
              model.closed.delete(id);
              layoutRows(model);
              bump();
            } else void loadChildren(id);
          }} onMore={(id) => void loadChildren(id)} />
        <aside class="detail">
          {openedId
            ? <NodePanel runId={runId} nodeId={openedId} onPick={(id) => select(id, true)} />
            : <p class="muted">Click a node (or select one with the arrow keys and press Enter) to see its state, candidates, scores and model calls.</p>}
        </aside>
      </div>
    </section>
  );
}

function TreeHeader({ opening, runId, colorBy, setColorBy, loaded }: { opening: TreeOpening; runId: string; colorBy: ColorBy; setColorBy(c: ColorBy): void; loaded: number }) {
  return (
    <div class="toolbar tree-toolbar">
      <h1><a href={href(['run', runId])}>{runId}</a> / {opening.task.taskId}</h1>
      <span class={`outcome outcome-${opening.result?.outcome ?? 'running'}`}>{opening.result?.outcome ?? 'running'}</span>
      <span class="muted" data-testid="tree-counts">{formatNumber(opening.nodeCount)} nodes · {opening.partial ? 'indexing the whole tree…' : `${formatNumber(opening.candidateCount)} unexecuted candidates`} · {formatNumber(loaded)} loaded</span>
      <label>colour by <select value={colorBy} onChange={(e) => setColorBy(e.currentTarget.value as ColorBy)}>
        <option value="value">value</option>
        <option value="verdict">verdict</option>
        {opening.hasCredit && <option value="credit">credit (Monte Carlo value)</option>}
      </select></label>
      <span class="legend-inline muted">{colorBy === 'credit'
        ? <><span class="scale" /> Monte Carlo value 0 → 1 (share of finished leaves below that succeed) · grey: no finished leaf below</>
        : colorBy === 'value'
        ? <><span class="scale" /> low → high value · gold: solution path · hollow: not executed</>
        : <><i class="dot ok" />success <i class="dot bad" />dead end <i class="dot warn" />invalid <i class="dot open" />open <i class="dot muted" />pruned or duplicate</>}</span>
      <ValueHistogramChart histogram={opening.values} width={180} height={36} />
      <span class="muted goal" title={opening.task.goalText}>goal: {opening.task.goalText}</span>
    </div>
  );
}

interface TreeCanvasProps {
  model: TreeModel;
  version: number;
  opening: TreeOpening;
  selectedId: string | null;
  colorBy: ColorBy;
  onSelect(id: string, openDetail: boolean): void;
  onToggle(id: string): void;
  onMore(parentId: string): void;
}

function TreeCanvas({ model, version, opening, selectedId, colorBy, onSelect, onToggle, onMore }: TreeCanvasProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const viewRef = useRef<ViewTransform>({ x: 8, y: 8, k: 1 });
  const frame = useRef(0);
  const solution = useRef(new Set<string>());
  solution.current = new Set(opening.solutionPath);
  const range = opening.values.high > opening.values.low
    ? { min: opening.values.low, max: opening.values.high }
    : { min: opening.values.min, max: opening.values.max };

  const redraw = useCallback(() => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const canvas = canvasRef.current;
      if (!canvas) return;
      const ratio = window.devicePixelRatio || 1;
      const width = canvas.clientWidth;
      const height = canvas.clientHeight;
      if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
        canvas.width = Math.round(width * ratio);
        canvas.height = Math.round(height * ratio);
      }
      const ctx = canvas.getContext('2d')!;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      drawTree(ctx, { model, view: viewRef.current, width, height, selectedId, colorBy, range, solution: solution.current });
      if (model.rows.length > 0 && window.stepwiseTreePainted === undefined) window.stepwiseTreePainted = performance.now();
      canvas.dataset.rows = String(model.rows.length);
    });
  }, [model, selectedId, colorBy, opening]);

  useEffect(redraw, [redraw, version]);
  useEffect(() => {
    const observer = new ResizeObserver(redraw);
    if (canvasRef.current) observer.observe(canvasRef.current);
    return () => observer.disconnect();
  }, [redraw]);

  // Keeps the selected row on screen after keyboard moves.
  const reveal = (id: string) => {
    const canvas = canvasRef.current;
    const row = model.rowOf.get(id);
    if (!canvas || row === undefined) return;
    const view = viewRef.current;
    const y = rowY(row, view);
    const x = depthX(model.rows[row].depth, view);
    if (y < 0 || y > canvas.clientHeight) view.y += canvas.clientHeight / 2 - y;
    if (x < 20 || x > canvas.clientWidth - 80) view.x += canvas.clientWidth / 3 - x;
  };
  useEffect(() => {
    if (selectedId) {
      reveal(selectedId);
      redraw();
    }
  }, [selectedId, version]);

  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const onPointerDown = (event: PointerEvent) => {
    drag.current = { x: event.clientX, y: event.clientY, moved: false };
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent) => {
    const start = drag.current;
    if (!start) return;
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    if (!start.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    start.moved = true;
    viewRef.current.x += dx;
    viewRef.current.y += dy;
    start.x = event.clientX;
    start.y = event.clientY;
    redraw();
  };
  const onPointerUp = (event: PointerEvent) => {
    const start = drag.current;
    drag.current = null;
    if (!start || start.moved) return;
    const rect = (event.currentTarget as HTMLElement).getBoundingClientRect();
    const hit = hitTest(model, viewRef.current, event.clientX - rect.left, event.clientY - rect.top);
    if (!hit) return;
    const row = model.rows[hit.row];
    if (row.type === 'more') onMore(row.parentId);
    else if (hit.onGlyph && (model.items.get(row.id)?.childCount ?? 0) > 0) onToggle(row.id);
    else onSelect(row.id, true);
    canvasRef.current?.focus();
  };
  const zoomAt = (factor: number, sx: number, sy: number) => {
    const view = viewRef.current;
    const k = Math.max(0.08, Math.min(4, view.k * factor));
    view.x = sx - ((sx - view.x) * k) / view.k;
    view.y = sy - ((sy - view.y) * k) / view.k;
    view.k = k;
    redraw();
  };
  const onWheel = (event: WheelEvent) => {
    event.preventDefault();
    const rect = (event.currentTarget as HTMLElement).getBoundingClientRect();
    if (event.ctrlKey || event.metaKey) zoomAt(Math.exp(-event.deltaY / 300), event.clientX - rect.left, event.clientY - rect.top);
    else {
      viewRef.current.x -= event.shiftKey ? event.deltaY : event.deltaX;
      viewRef.current.y -= event.shiftKey ? 0 : event.deltaY;
      redraw();
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const current = selectedId && model.items.has(selectedId) ? selectedId : model.rootId;
    if (!current) return;
    const item = model.items.get(current)!;
    const row = model.rowOf.get(current);
    // The previous / next visible row (a "… more" row stands for its family's unloaded children: skipped).
    const visibleRow = (step: number): string | undefined => {
      if (row === undefined) return undefined;
      for (let r = row + step; r >= 0 && r < model.rows.length; r += step) {
        const candidate = model.rows[r];
        if (candidate.type === 'item') return candidate.id;
      }
      return undefined;
    };
    const move = (id: string | undefined) => {
      if (id === undefined) return;
      event.preventDefault();
      onSelect(id, false);
    };
    switch (event.key) {
      case 'ArrowLeft':
        if (item.parentId !== null) move(item.parentId);
        break;
      case 'ArrowRight':
        event.preventDefault();
        if (!isOpen(model, current) && item.childCount > 0) onToggle(current);
        else move(model.children.get(current)?.[0]);
        break;
      case 'ArrowUp':
        move(visibleRow(-1));
        break;
      case 'ArrowDown':
        move(visibleRow(1));
        break;
      case 'Enter':
        event.preventDefault();
        onSelect(current, true);
        break;
      case ' ':
        event.preventDefault();
        if (item.childCount > 0) onToggle(current);
        break;
      case '+':
      case '=':
        zoomAt(1.25, canvasRef.current!.clientWidth / 2, canvasRef.current!.clientHeight / 2);
        break;
      case '-':
        zoomAt(0.8, canvasRef.current!.clientWidth / 2, canvasRef.current!.clientHeight / 2);
        break;
    }
  };

  const selectedItem = selectedId ? model.items.get(selectedId) : undefined;
  return (
    <div class="tree-pane">
      <div class="tree-controls">
        <button type="button" onClick={() => zoomAt(1.25, 200, 200)} title="zoom in (+, or Ctrl + wheel)">+</button>
        <button type="button" onClick={() => zoomAt(0.8, 200, 200)} title="zoom out (-)">−</button>
        <button type="button" onClick={() => {
          viewRef.current = { x: 8, y: 8, k: 1 };
          redraw();
        }}>reset view</button>
        <span class="muted">drag to pan · wheel scrolls · Ctrl+wheel zooms · ←→ parent/child · ↑↓ rows · Enter opens · Space folds</span>
      </div>
      <canvas ref={canvasRef} class="tree-canvas" tabIndex={0} aria-label="search tree; use the arrow keys to move and Enter to open a node"
        onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerUp} onWheel={onWheel} onKeyDown={onKeyDown} />
      <p class="tree-status" aria-live="polite" data-testid="tree-selected">
        {selectedItem ? `selected: ${selectedItem.kind === 'node' ? (selectedItem.actionText ?? 'root') : selectedItem.text} (${selectedItem.id}, depth ${selectedItem.depth})` : 'no node selected'}
        {' · '}{formatNumber(model.rows.length)} rows open · {ROW_HEIGHT}px rows
      </p>
    </div>
  );
}
