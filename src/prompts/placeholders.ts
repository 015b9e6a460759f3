/** What a template is for; decides which placeholders it may use and which it must use. */
export type TemplateRole = 'propose' | 'propose-list' | 'value' | 'pick';

export const TEMPLATE_ROLES: readonly TemplateRole[] = ['propose', 'propose-list', 'value', 'pick'];

/** Every placeholder a template may use, with what it is filled with. */
export const PLACEHOLDERS: Readonly<Record<string, string>> = {
  goal: 'the task in words (the problem goal)',
  state: 'the state in the environment\'s prompt words (for a value judge: the state the candidate leads to)',
  initial_state: 'the task\'s initial state in the same words',
  history: 'the actions taken so far, one per line (empty at the root)',
  observation: 'what the last step reported (empty at the root)',
  depth: 'how many steps were taken so far',
  k: 'how many candidates are asked for',
  legal_actions: 'up to 20 allowed actions, one per line (empty when the environment cannot list them)',
  candidates: 'the candidate actions, numbered from 1, one per line',
  count: 'how many candidates there are',
  action: 'the candidate action being judged',
};

const COMMON = ['goal', 'state', 'initial_state', 'history', 'observation', 'depth', 'legal_actions'];

/** Placeholders each role fills. */
export const ROLE_PLACEHOLDERS: Readonly<Record<TemplateRole, readonly string[]>> = {
  propose: [...COMMON, 'k'],
  'propose-list': [...COMMON, 'k'],
  value: [...COMMON, 'action'],
  pick: [...COMMON, 'candidates', 'count'],
};

/** Placeholders a template of each role must contain, or the model would not see what it is asked about. */
export const REQUIRED_PLACEHOLDERS: Readonly<Record<TemplateRole, readonly string[]>> = {
  propose: ['state'],
  'propose-list': ['state'],
  value: ['state'],
  pick: ['candidates'],
};
