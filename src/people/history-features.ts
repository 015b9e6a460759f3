import { contentWords } from '../envs/report/aspects.ts';
import type { PreferenceRecord } from '../feedback/records.ts';
import { aspectOf, ASPECT_VALUES, type ActionDescription } from './action-features.ts';

const SMOOTHING = 2;

/** Pick rates over a set of preference records: overall, by action type, by aspect and by topic word. */
export interface PickRates {
  overall: number;
  rate(kind: 'type' | 'aspect' | 'word', key: string, prior: number): number;
  count(kind: 'type' | 'aspect' | 'word', key: string): number;
}

export function pickRates(records: readonly PreferenceRecord[]): PickRates {
  const tallies = new Map<string, { shown: number; picked: number }>();
  const add = (key: string, picked: boolean) => {
    const t = tallies.get(key) ?? { shown: 0, picked: 0 };
    t.shown++;
    if (picked) t.picked++;
    tallies.set(key, t);
  };
  let picked = 0;
  const proposed = records.filter((r) => !r.custom);
  for (const r of proposed) {
    if (r.picked) picked++;
    add(`type:${r.actionType}`, r.picked);
    add(`aspect:${aspectOf(r)}`, r.picked);
    for (const w of new Set(wordsOf(r))) add(`word:${w}`, r.picked);
  }
  const overall = proposed.length ? picked / proposed.length : 0.25;
  return {
    overall,
    rate(kind, key, prior) {
      const t = tallies.get(`${kind}:${key}`);
      return t ? (t.picked + SMOOTHING * prior) / (t.shown + SMOOTHING) : prior;
    },
    count: (kind, key) => tallies.get(`${kind}:${key}`)?.shown ?? 0,
  };
}

export function wordsOf(action: ActionDescription): string[] {
  return contentWords(`${action.topic ?? ''} ${action.text}`).filter((w) => !['section', 'add', 'expand', 'evidence', 'comparison', 'table', 'rewrite', 'report'].includes(w));
}

export const TYPE_VALUES: readonly string[] = ['add_section', 'expand_section', 'remove_section', 'merge_sections', 'move_section', 'add_table', 'add_evidence', 'rewrite', 'free_text'];

/** Features any predictor may use: the action's type and aspect (one-hot), and where it was shown. */
export function actionFeatures(action: ActionDescription & { position: number; shownCount: number }): number[] {
  const aspect = aspectOf(action);
  return [
    ...TYPE_VALUES.map((t) => (action.actionType === t ? 1 : 0)),
    ...ASPECT_VALUES.map((a) => (aspect === a ? 1 : 0)),
    action.shownCount > 1 ? (action.position - 1) / (action.shownCount - 1) : 0,
  ];
}

/** Features of a user's past picks: how often they picked this type, this aspect, and actions sharing a topic word. */
export function historyFeatures(action: ActionDescription, user: PickRates, global: PickRates): number[] {
  const typePrior = global.rate('type', action.actionType, global.overall);
  const aspectPrior = global.rate('aspect', aspectOf(action), global.overall);
  const words = wordsOf(action);
  const wordRate = words.length === 0 ? user.overall : Math.max(...words.map((w) => user.rate('word', w, user.overall)));
  const minWordSupport = words.length === 0 ? 0 : Math.max(...words.map((w) => user.count('word', w)));
  return [
    user.rate('type', action.actionType, typePrior) - typePrior,
    user.rate('aspect', aspectOf(action), aspectPrior) - aspectPrior,
    minWordSupport > 0 ? wordRate - user.overall : 0,
    user.overall - global.overall,
  ];
}
