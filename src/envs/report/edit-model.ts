import type { StepContext } from '../../core/step.ts';
import type { ModelClient } from '../../models/types.ts';
import { formatReportAction } from './action.ts';
import type { EditOutcome, ReportExecutor } from './edit-offline.ts';
import { retrieveFor } from './extract.ts';
import { reportSchema } from './report.ts';

const SYSTEM = `You edit research reports. You receive a report as JSON, papers from a corpus, and one edit to make.
Make exactly that edit, where it asks, and change nothing else. Cite papers only by their ids, as [id] in the text,
and list every cited id in the paragraph's "citations". Cite only the papers given. Reply with the whole edited report
as one JSON object of the same shape, and nothing else.`;

function isStepContext(value: unknown): value is StepContext<any, any> {
  return typeof value === 'object' && value !== null && 'runId' in value && 'nodeId' in value && 'charge' in value;
}

/** The first JSON object in a reply, with or without a ```json fence around it. */
function jsonIn(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const body = fenced ? fenced[1] : text;
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error('the reply holds no JSON object');
  return JSON.parse(body.slice(start, end + 1));
}

/**
 * Carries out report edits with a model: the report, the edit and the papers retrieved for it go
 * in; the edited report comes back as JSON. The environment then checks it like any other edit.
 */
export function modelExecutor(options: { client: ModelClient; papers?: number; temperature?: number }): ReportExecutor {
  const { client, papers = 8, temperature = 0 } = options;
  return {
    name: `model:${client.spec}`,
    async execute(report, action, corpus, context) {
      if (!isStepContext(context)) return { ok: false, reason: 'a model executes report edits only inside a run (no step context was given)' };
      const edit = formatReportAction(action);
      const retrieved = retrieveFor(corpus, report.query, action.type === 'free_text' ? action.instruction : edit, papers);
      const cited = new Set(report.sections.flatMap((s) => s.paragraphs.flatMap((p) => p.citations)));
      const shown = [...retrieved, ...[...cited].flatMap((id) => (retrieved.some((p) => p.id === id) ? [] : [corpus.get(id)!].filter(Boolean)))];
      const user = [
        `Report:\n${JSON.stringify(report)}`,
        `Papers:\n${shown.map((p) => `[${p.id}] ${p.title}: ${p.abstract}`).join('\n')}`,
        `Edit: ${edit}`,
      ].join('\n\n');
      let reply;
      try {
        reply = await client.generate({ messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: user }], temperature }, context);
      } catch (error) {
        return { ok: false, reason: `the model call failed: ${error instanceof Error ? error.message : String(error)}` };
      }
      let parsed: unknown;
      try {
        parsed = jsonIn(reply.text);
      } catch (error) {
        return { ok: false, reason: `the model's reply is not a JSON report (${(error as Error).message})` };
      }
      const checked = reportSchema.safeParse(parsed);
      if (!checked.success) {
        return { ok: false, reason: `the model's report does not have the report's shape: ${checked.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
      }
      const outcome: EditOutcome = { ok: true, report: { ...checked.data, query: report.query }, observation: `${edit}: edited by ${client.spec}` };
      return outcome;
    },
  };
}
