import { z } from 'zod';
import { ActionParseError } from '../../core/errors.ts';

/** The typed edits of a report. Sections are named by title (or id); text forms are in formatReportAction. */
export const reportActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('add_section'), topic: z.string().min(1) }),
  z.object({ type: z.literal('expand_section'), section: z.string().min(1), aspect: z.string().min(1) }),
  z.object({ type: z.literal('remove_section'), section: z.string().min(1) }),
  z.object({ type: z.literal('merge_sections'), first: z.string().min(1), second: z.string().min(1) }),
  z.object({ type: z.literal('move_section'), section: z.string().min(1), position: z.number().int().min(1) }),
  z.object({ type: z.literal('add_table'), section: z.string().min(1) }),
  z.object({ type: z.literal('add_evidence'), section: z.string().min(1) }),
  /** `section` null rewrites the whole report. */
  z.object({ type: z.literal('rewrite'), section: z.string().nullable(), audience: z.string().min(1) }),
  z.object({ type: z.literal('free_text'), instruction: z.string().min(1) }),
]);

export type ReportAction = z.infer<typeof reportActionSchema>;
export type ReportActionType = ReportAction['type'];
export const REPORT_ACTION_TYPES: readonly ReportActionType[] = reportActionSchema.options.map((o) => o.shape.type.value);

const q = (text: string) => `"${text}"`;

export function formatReportAction(action: ReportAction): string {
  switch (action.type) {
    case 'add_section':
      return `Add a section on ${action.topic}`;
    case 'expand_section':
      return `Expand ${q(action.section)} with ${action.aspect}`;
    case 'remove_section':
      return `Remove the section ${q(action.section)}`;
    case 'merge_sections':
      return `Merge ${q(action.first)} and ${q(action.second)}`;
    case 'move_section':
      return `Move ${q(action.section)} to position ${action.position}`;
    case 'add_table':
      return `Add a comparison table to ${q(action.section)}`;
    case 'add_evidence':
      return `Add evidence to ${q(action.section)}`;
    case 'rewrite':
      return action.section === null ? `Rewrite the report for ${action.audience}` : `Rewrite ${q(action.section)} for ${action.audience}`;
    case 'free_text':
      return action.instruction;
  }
}

const SECTION = String.raw`["“']([^"”']+)["”']`;
const PATTERNS: [RegExp, (m: RegExpExecArray) => ReportAction][] = [
  [/^add (?:a |an )?(?:new )?section (?:on|about) (.+?)\.?$/i, (m) => ({ type: 'add_section', topic: m[1].trim() })],
  [new RegExp(`^expand (?:the section )?${SECTION} (?:with|on|by adding) (.+?)\\.?$`, 'i'), (m) => ({ type: 'expand_section', section: m[1], aspect: m[2].trim() })],
  [new RegExp(`^(?:remove|delete|drop) (?:the )?(?:section )?${SECTION}\\.?$`, 'i'), (m) => ({ type: 'remove_section', section: m[1] })],
  [new RegExp(`^merge ${SECTION} (?:and|with|into) ${SECTION}\\.?$`, 'i'), (m) => ({ type: 'merge_sections', first: m[1], second: m[2] })],
  [new RegExp(`^move ${SECTION} to (?:position )?(\\d+)\\.?$`, 'i'), (m) => ({ type: 'move_section', section: m[1], position: Number(m[2]) })],
  [new RegExp(`^add (?:a )?comparison table (?:to|in) ${SECTION}\\.?$`, 'i'), (m) => ({ type: 'add_table', section: m[1] })],
  [new RegExp(`^add (?:evidence|citations) (?:to|in|for) ${SECTION}\\.?$`, 'i'), (m) => ({ type: 'add_evidence', section: m[1] })],
  [/^rewrite the (?:whole )?report for (.+?)\.?$/i, (m) => ({ type: 'rewrite', section: null, audience: m[1].trim() })],
  [new RegExp(`^rewrite ${SECTION} for (.+?)\\.?$`, 'i'), (m) => ({ type: 'rewrite', section: m[1], audience: m[2].trim() })],
];

/** Reads the text forms above; any other non-empty text is a free-text instruction, so a person can type anything. */
export function parseReportAction(text: string): ReportAction {
  const trimmed = text.trim();
  for (const [pattern, build] of PATTERNS) {
    const match = pattern.exec(trimmed);
    if (match) return build(match);
  }
  if (trimmed === '') throw new ActionParseError('an empty line is not a report edit', { hint: 'write an edit such as: Add a section on datasets' });
  return { type: 'free_text', instruction: trimmed };
}

/** The section (or sections) an action edits, for checks and for judging. */
export function targetSections(action: ReportAction): string[] {
  switch (action.type) {
    case 'add_section':
    case 'free_text':
      return [];
    case 'merge_sections':
      return [action.first, action.second];
    case 'rewrite':
      return action.section === null ? [] : [action.section];
    default:
      return [action.section];
  }
}

/** The aspect or topic an action is about, when it names one (a feature for predictors and simulated users). */
export function actionTopic(action: ReportAction): string | null {
  if (action.type === 'add_section') return action.topic;
  if (action.type === 'expand_section') return action.aspect;
  if (action.type === 'rewrite') return action.audience;
  return null;
}
