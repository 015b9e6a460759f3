import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/core/errors.ts';
import { builtinTemplateNames, loadTemplate } from '../../src/prompts/load.ts';
import { checkTemplateRole, parseTemplate, renderTemplate } from '../../src/prompts/template.ts';

const SAMPLE = `### system
You plan. Goal: {{goal}}

### user
Input: {{state}}

### assistant
4 * 6 = 24

### user
{{#history}}
Done so far:
{{history}}
{{/history}}
{{^history}}
Nothing done yet.
{{/history}}
Now: {{ state }}
`;

function throwsUsage(fn: () => unknown, ...fragments: (string | RegExp)[]) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${error}`);
    const said = `${error.message} (${error.hint})`;
    for (const fragment of fragments) {
      if (typeof fragment === 'string') assert.ok(said.includes(fragment), `"${said}" should mention ${fragment}`);
      else assert.match(said, fragment);
    }
    return true;
  });
}

describe('prompt templates', () => {
  it('splits messages at the headings, in order, and inserts the values', () => {
    const template = parseTemplate(SAMPLE, 'sample');
    const messages = renderTemplate(template, { goal: 'reach 24', state: '4 6', history: '' });
    assert.deepEqual(messages.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
    assert.equal(messages[0].content, 'You plan. Goal: reach 24');
    assert.equal(messages[1].content, 'Input: 4 6');
    assert.equal(messages[2].content, '4 * 6 = 24');
    assert.deepEqual([...template.placeholders].sort(), ['goal', 'history', 'state']);
  });

  it('keeps a section only when its value is non-empty, and tag-only lines leave no blank lines', () => {
    const template = parseTemplate(SAMPLE, 'sample');
    const empty = renderTemplate(template, { goal: 'g', state: 'S', history: '  ' })[3].content;
    assert.equal(empty, 'Nothing done yet.\nNow: S');
    const full = renderTemplate(template, { goal: 'g', state: 'S', history: 'a\nb' })[3].content;
    assert.equal(full, 'Done so far:\na\nb\nNow: S');
  });

  it('reads a file without headings as one user message', () => {
    const messages = renderTemplate(parseTemplate('\nInput: {{state}}\nPossible next steps:\n', 'plain'), { state: '1 2 3 4' });
    assert.deepEqual(messages, [{ role: 'user', content: 'Input: 1 2 3 4\nPossible next steps:' }]);
  });

  it('names the line of an unknown placeholder and lists the known ones', () => {
    throwsUsage(() => parseTemplate('### user\nhello\nState: {{stat}}\n', 'mine.prompt'), 'mine.prompt line 3', '{{stat}}', 'state', 'history');
  });

  it('rejects stray braces, unclosed and crossed sections, and text before the first heading', () => {
    throwsUsage(() => parseTemplate('### user\n{{state}} and {{ oops\n', 't'), 'line 2', '"{{"');
    throwsUsage(() => parseTemplate('### user\n{{#history}}\n{{history}}\n', 't'), 'line 2', 'never closed');
    throwsUsage(() => parseTemplate('### user\n{{#history}}{{#goal}}x{{/history}}{{/goal}}\n', 't'), 'closes {{#goal}}');
    throwsUsage(() => parseTemplate('### user\n{{/goal}}\n', 't'), 'never opened');
    throwsUsage(() => parseTemplate('intro\n### user\n{{state}}\n', 't'), 'line 1', 'before the first');
    throwsUsage(() => parseTemplate('### user\n{{State}}\n', 't'), 'lower case');
  });

  it('JSON-like closing braces in a prompt are plain text', () => {
    const messages = renderTemplate(parseTemplate('Reply as {"next": {"action": "…"}}\n{{state}}', 't'), { state: 's' });
    assert.equal(messages[0].content, 'Reply as {"next": {"action": "…"}}\ns');
  });

  it('checks a template against its role: required and foreign placeholders', () => {
    throwsUsage(() => checkTemplateRole(parseTemplate('### user\nWhich is best? {{state}}\n', 'judge.prompt'), 'pick'), 'judge.prompt', 'must contain {{candidates}}');
    throwsUsage(() => checkTemplateRole(parseTemplate('### user\n{{state}}\n{{candidates}}\n', 'p.prompt'), 'propose'), '{{candidates}} is not filled in a propose prompt');
    assert.doesNotThrow(() => checkTemplateRole(parseTemplate('### user\n{{state}}\n{{candidates}}\n', 'ok'), 'pick'));
  });

  it('hashes the exact text with sha256, so any edit changes the hash', () => {
    const text = '### user\nInput: {{state}}\n';
    const template = parseTemplate(text, 'a');
    assert.equal(template.hash, createHash('sha256').update(text).digest('hex'));
    assert.equal(parseTemplate(text, 'b').hash, template.hash);
    assert.notEqual(parseTemplate(text.replace('Input', 'input'), 'a').hash, template.hash);
    assert.notEqual(parseTemplate(`${text}\n`, 'a').hash, template.hash);
  });
});

describe('loadTemplate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-prompts-'));

  it('loads a user file, named by its path, and checks it against a role', () => {
    const path = join(dir, 'judge.prompt');
    writeFileSync(path, '### system\nPick the best.\n### user\n{{candidates}}\n');
    const template = loadTemplate(path, 'pick');
    assert.equal(template.name, path);
    assert.equal(template.source, path);
    assert.equal(template.messages.length, 2);
    throwsUsage(() => loadTemplate(path, 'propose'), '{{candidates}} is not filled in a propose prompt');
    const goalOnly = join(dir, 'goal-only.prompt');
    writeFileSync(goalOnly, 'Goal: {{goal}}\n');
    throwsUsage(() => loadTemplate(goalOnly, 'value'), 'must contain {{state}}');
  });

  it('says where it looked for a missing file and names the built-in templates', () => {
    throwsUsage(() => loadTemplate(join(dir, 'nope.prompt')), 'no prompt template file', 'nope.prompt', 'game24/propose-list');
  });

  it('loads every built-in template by name, each fitting the role its name says', () => {
    for (const name of builtinTemplateNames()) {
      const role = name.split('/')[1] as 'propose';
      const template = loadTemplate(name, role);
      assert.equal(template.name, name);
      assert.equal(template.source, 'builtin');
      assert.match(template.hash, /^[0-9a-f]{64}$/);
    }
    assert.equal(new Set(builtinTemplateNames().map((n) => loadTemplate(n).hash)).size, builtinTemplateNames().length);
  });
});
