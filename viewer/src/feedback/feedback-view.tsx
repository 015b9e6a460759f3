import { useEffect, useState } from 'preact/hooks';
import type { FeedbackSessionStatus, WebAnswer, WebPrompt } from '../../../src/feedback/web-prompt.ts';
import { getJson } from '../api.ts';
import { href } from '../route.ts';

type PromptState = FeedbackSessionStatus & { prompt: WebPrompt | null };

const POLL_MS = 250;

/** Posts an answer to the open prompt: the only write the viewer makes, and only under `stepwise feedback --web`. */
async function postAnswer(answer: WebAnswer): Promise<void> {
  const response = await fetch('/api/feedback/answer', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer) });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    throw new Error(body.error ?? `HTTP ${response.status}`);
  }
}

function changedLines(before: string, after: string): string[] {
  const old = new Set(before.split('\n'));
  return after.split('\n').filter((line) => line.trim() !== '' && !old.has(line));
}

/** The feedback page: pick among proposed actions (or write your own), then judge each execution. */
export function FeedbackView() {
  const [state, setState] = useState<PromptState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<number | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const poll = async () => {
      try {
        const next = await getJson<PromptState>('/api/feedback/prompt');
        if (!live) return;
        setState(next);
        setError(null);
        if (next.done) return;
      } catch (e) {
        if (!live) return;
        setError(e instanceof Error ? e.message : String(e));
      }
      timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, []);
  const answer = async (value: WebAnswer) => {
    try {
      setSent(value.promptId);
      await postAnswer(value);
    } catch (e) {
      setSent(null);
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  if (!state) return <p class={error ? 'error' : 'muted'}>{error ?? 'Connecting to the session…'}</p>;
  if (state.done) {
    return (
      <section class="feedback-page" data-testid="done">
        <h1>Session ended</h1>
        <p class={state.error ? 'error' : ''}>{state.error ?? state.summary}</p>
        {state.runId && <p>{state.taskIds.map((taskId) => <a key={taskId} href={href(['tree', state.runId!, taskId])}>Open the tree of {taskId}</a>)}</p>}
      </section>
    );
  }
  const prompt = state.prompt;
  if (!prompt || prompt.id === sent) return <section class="feedback-page" data-testid="working"><p class="muted">Working…</p>{error && <p class="error">{error}</p>}</section>;
  return prompt.kind === 'choose'
    ? <ChooseActions key={prompt.id} prompt={prompt} error={error} onAnswer={answer} />
    : <JudgeExecution key={prompt.id} prompt={prompt} error={error} onAnswer={answer} />;
}

function ChooseActions({ prompt, error, onAnswer }: { prompt: Extract<WebPrompt, { kind: 'choose' }>; error: string | null; onAnswer(answer: WebAnswer): void }) {
  const { view } = prompt;
  const [picked, setPicked] = useState<number[]>([]);
  const [own, setOwn] = useState('');
  const submit = (stop: boolean) => onAnswer({ promptId: prompt.id, choice: { picked, custom: own.split('\n').map((l) => l.trim()).filter(Boolean), stop } });
  const toggle = (position: number, on: boolean) => setPicked((old) => (on ? [...old, position].sort((a, b) => a - b) : old.filter((p) => p !== position)));
  return (
    <section class="feedback-page">
      <div class="toolbar"><h1>{view.goal}</h1><span class="muted">{view.userId} · {view.taskId} · turn {view.turn}</span></div>
      <div class="feedback-split">
        <pre class="feedback-report" data-testid="report">{view.stateText}</pre>
        <div class="feedback-side" data-testid="proposals">
          <h2>Proposed actions</h2>
          <ul class="proposals">
            {view.shown.map((action) => (
              <li key={action.position}>
                <label>
                  <input type="checkbox" data-testid={`pick-${action.position}`} checked={picked.includes(action.position)} onChange={(e) => toggle(action.position, (e.currentTarget as HTMLInputElement).checked)} />
                  <span class="text">{action.text}</span> <span class="badge">{action.actionType}</span>
                </label>
              </li>
            ))}
          </ul>
          <textarea data-testid="own" rows={3} placeholder="Your own actions, one a line (e.g. Add a section on costs)" value={own} onInput={(e) => setOwn((e.currentTarget as HTMLTextAreaElement).value)} />
          <div class="actions">
            <button class="primary" data-testid="execute" onClick={() => submit(false)}>Execute selected</button>
            <button data-testid="stop" onClick={() => submit(true)}>End session</button>
          </div>
          {error && <p class="error" data-testid="error">{error}</p>}
        </div>
      </div>
    </section>
  );
}

const VERDICT_LABELS = [['applied', 'Applied'], ['partly', 'Partly'], ['not_applied', 'Not applied']] as const;

function JudgeExecution({ prompt, error, onAnswer }: { prompt: Extract<WebPrompt, { kind: 'judge' }>; error: string | null; onAnswer(answer: WebAnswer): void }) {
  const { view } = prompt;
  const [verdict, setVerdict] = useState<(typeof VERDICT_LABELS)[number][0] | null>(null);
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const submit = () => {
    if (!verdict) return setMissing(true);
    onAnswer({ promptId: prompt.id, judgment: { verdict, ...(comment.trim() ? { comment: comment.trim() } : {}) } });
  };
  return (
    <section class="feedback-page">
      <div class="toolbar"><h1>Was this applied?</h1><span class="muted">{view.userId} · {view.taskId} · turn {view.turn}</span></div>
      <div class="feedback-split">
        <pre class="feedback-report" data-testid="report">{view.after}</pre>
        <div class="feedback-side" data-testid="judgment">
          <p data-testid="judged-action"><strong>{view.actionText}</strong>{view.custom ? ' (your own)' : ''}</p>
          <p class={view.check.valid ? 'ok' : 'bad'}>{view.check.valid ? '✓' : '✗'} {view.observation}</p>
          {changedLines(view.before, view.after).slice(0, 12).map((line, i) => <pre key={i} class="added">{line}</pre>)}
          <div class="verdicts">
            {VERDICT_LABELS.map(([value, label]) => (
              <label key={value}><input type="radio" name="verdict" data-testid={`verdict-${value}`} checked={verdict === value} onChange={() => setVerdict(value)} /> {label}</label>
            ))}
          </div>
          <input type="text" data-testid="comment" placeholder="Comment (optional)" value={comment} onInput={(e) => setComment((e.currentTarget as HTMLInputElement).value)} />
          <div class="actions"><button class="primary" data-testid="submit-judgment" onClick={submit}>Submit judgment</button></div>
          {missing && <p class="error">Choose applied, partly or not applied.</p>}
          {error && <p class="error" data-testid="error">{error}</p>}
        </div>
      </div>
    </section>
  );
}
