/** Escapes text for HTML content and double-quoted attributes; every piece of record text goes through it. */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

export const DEFAULT_VIEWER_URL = 'http://127.0.0.1:4173';

/**
 * A link into `stepwise view` (its hash routes): a run, `<viewer>/#/run/<run>`, or one task's tree,
 * `<viewer>/#/tree/<run>/<task>?node=<node>`. An empty base links within the viewer itself.
 */
export function viewerLink(base: string, target: { run: string; task?: string; node?: string }): string {
  const root = `${base.replace(/\/+$/, '')}/#/`;
  if (!target.task) return `${root}run/${encodeURIComponent(target.run)}`;
  const node = target.node ? `?node=${encodeURIComponent(target.node)}` : '';
  return `${root}tree/${encodeURIComponent(target.run)}/${encodeURIComponent(target.task)}${node}`;
}
