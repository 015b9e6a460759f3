// The feedback page: reads the open prompt, shows it, posts the answer. Every piece of record text
// goes into the DOM through textContent, never as markup.
const main = document.getElementById('main');
const statusLine = document.getElementById('status');
let shownPrompt = 0;
let finished = false;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'text') node.textContent = value;
    else if (key === 'on') for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

async function post(answer) {
  const response = await fetch('/api/feedback/answer', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer) });
  if (!response.ok) {
    const body = await response.json().catch(() => ({ error: response.statusText }));
    throw new Error(body.error);
  }
  main.replaceChildren(el('section', { 'data-testid': 'working' }, el('p', { text: 'Working…' })));
  statusLine.textContent = 'executing';
}

function reportPanel(title, text) {
  return el('section', { class: 'report-panel' }, el('h2', { text: title }), el('pre', { class: 'report', 'data-testid': 'report', text }));
}

function showChoice(prompt) {
  const { view } = prompt;
  statusLine.textContent = `${view.userId} · ${view.taskId} · turn ${view.turn}`;
  const boxes = view.shown.map((action) =>
    el('li', {}, el('label', {}, el('input', { type: 'checkbox', value: String(action.position), 'data-testid': `pick-${action.position}` }), el('span', { class: 'text', text: action.text }), el('span', { class: 'type', text: action.actionType }))),
  );
  const own = el('textarea', { rows: '3', placeholder: 'Your own actions, one a line (e.g. Add a section on costs)', 'data-testid': 'own' });
  const error = el('p', { class: 'error', 'data-testid': 'error' });
  const answer = (stop) => async () => {
    const picked = [...main.querySelectorAll('input[type=checkbox]:checked')].map((box) => Number(box.value));
    const custom = own.value.split('\n').map((line) => line.trim()).filter(Boolean);
    try {
      await post({ promptId: prompt.id, choice: { picked, custom, stop } });
    } catch (e) {
      error.textContent = e.message;
    }
  };
  main.replaceChildren(
    reportPanel(view.goal, view.stateText),
    el('section', { 'data-testid': 'proposals' },
      el('h2', { text: 'Proposed actions' }),
      el('ul', { class: 'actions' }, ...boxes),
      own,
      el('button', { class: 'primary', 'data-testid': 'execute', on: { click: answer(false) }, text: 'Execute selected' }),
      el('button', { 'data-testid': 'stop', on: { click: answer(true) }, text: 'End session' }),
      error),
  );
}

function changedLines(before, after) {
  const old = new Set(before.split('\n'));
  return after.split('\n').filter((line) => line.trim() !== '' && !old.has(line));
}

function showJudgment(prompt) {
  const { view } = prompt;
  statusLine.textContent = `${view.userId} · ${view.taskId} · turn ${view.turn} · judging`;
  const radios = [['applied', 'Applied'], ['partly', 'Partly'], ['not_applied', 'Not applied']].map(([value, label]) =>
    el('label', {}, el('input', { type: 'radio', name: 'verdict', value, 'data-testid': `verdict-${value}` }), document.createTextNode(` ${label}`)),
  );
  const comment = el('input', { type: 'text', placeholder: 'Comment (optional)', 'data-testid': 'comment' });
  const error = el('p', { class: 'error', 'data-testid': 'error' });
  const submit = async () => {
    const chosen = main.querySelector('input[name=verdict]:checked');
    if (!chosen) {
      error.textContent = 'Choose applied, partly or not applied.';
      return;
    }
    try {
      await post({ promptId: prompt.id, judgment: { verdict: chosen.value, ...(comment.value.trim() ? { comment: comment.value.trim() } : {}) } });
    } catch (e) {
      error.textContent = e.message;
    }
  };
  main.replaceChildren(
    reportPanel('Report after the action', view.after),
    el('section', { 'data-testid': 'judgment' },
      el('h2', { text: 'Was this applied?' }),
      el('p', { 'data-testid': 'judged-action', text: view.actionText }),
      el('p', { class: view.check.valid ? 'ok' : 'bad', text: `${view.check.valid ? '✓' : '✗'} ${view.observation}` }),
      ...changedLines(view.before, view.after).slice(0, 12).map((line) => el('ins', { text: line })),
      el('div', { class: 'verdicts' }, ...radios),
      comment,
      el('button', { class: 'primary', 'data-testid': 'submit-judgment', on: { click: submit }, text: 'Submit judgment' }),
      error),
  );
}

async function poll() {
  if (finished) return;
  try {
    const response = await fetch('/api/feedback/prompt', { cache: 'no-store' });
    const state = await response.json();
    if (state.done) {
      finished = true;
      statusLine.textContent = 'session ended';
      main.replaceChildren(el('section', { 'data-testid': 'done' }, el('h2', { text: 'Session ended' }), el('p', { text: state.error ?? state.summary ?? '' })));
      return;
    }
    if (state.prompt && state.prompt.id !== shownPrompt) {
      shownPrompt = state.prompt.id;
      if (state.prompt.kind === 'choose') showChoice(state.prompt);
      else showJudgment(state.prompt);
    }
  } catch {
    statusLine.textContent = 'disconnected';
  }
  setTimeout(poll, 250);
}
poll();
