import { aspectNamed, ASPECTS } from '../envs/report/aspects.ts';

/** What predictors and simulated users know about an action: its type, topic and words. */
export interface ActionDescription {
  text: string;
  actionType: string;
  topic: string | null;
}

/** The aspect an action's topic names, `phrase` for a mined topic, `none` without a topic. */
export function aspectOf(action: ActionDescription): string {
  if (!action.topic) return 'none';
  return aspectNamed(action.topic)?.name ?? (['beginners', 'experts'].includes(action.topic) ? action.topic : 'phrase');
}

export const ASPECT_VALUES: readonly string[] = [...ASPECTS.map((a) => a.name), 'beginners', 'experts', 'phrase', 'none'];
