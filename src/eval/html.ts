/** Escapes text for HTML content and double-quoted attributes; every piece of record text goes through it. */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

export const DEFAULT_VIEWER_URL = 'http://127.0.0.1:4173';

/**
 * A link into `stepwise view` for a run, optionally one task (and node) of it:
 * `<viewer>/?run=<id>&task=<id>&node=<id>`. The viewer serves its app at every path and reads these parameters.
 */
export function viewerLink(base: string, target: { run: string; task?: string; node?: string }): string {
  const params = new URLSearchParams({ run: target.run });
  if (target.task) params.set('task', target.task);
  if (target.node) params.set('node', target.node);
  return `${base.replace(/\/+$/, '')}/?${params}`;
}
