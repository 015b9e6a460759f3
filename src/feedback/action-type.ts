/** The kind of an action for statistics and predictors: a typed action's `type`, else the first word of its text. */
export function actionTypeOf(action: unknown, text: string): string {
  if (typeof action === 'object' && action !== null && typeof (action as { type?: unknown }).type === 'string') return (action as { type: string }).type;
  return (/^[\p{L}-]+/u.exec(text.trim())?.[0] ?? 'other').toLowerCase();
}

/** The aspect or topic an action names (a report edit's topic, aspect or audience), else null. */
export function actionTopicOf(action: unknown): string | null {
  if (typeof action !== 'object' || action === null) return null;
  const a = action as Record<string, unknown>;
  for (const key of ['topic', 'aspect', 'audience']) if (typeof a[key] === 'string') return a[key] as string;
  return null;
}
