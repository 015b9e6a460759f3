import { createInterface } from 'node:readline/promises';
import { z } from 'zod';
import type { Environment, Problem, Task } from '../core/environment.ts';
import { ActionParseError } from '../core/errors.ts';
import type { StepContext } from '../core/step.ts';
import type { ModelClient } from '../models/types.ts';

/** The action of asking the user a question. */
export interface AskAction {
  ask: string;
}

/** A state of an environment with asking: the inner state and what the user answered so far. */
export interface AskState<S> {
  inner: S;
  answers: { question: string; answer: string }[];
}

/** Who answers the agent's questions: a person, a simulated user with a hidden goal, a model playing the user, a script. */
export type Answerer = (question: string, ctx: { task: Task; step?: StepContext<any, any> }) => Promise<string>;

export interface AskOptions {
  /** Who answers, per task (a simulated user built from the task's hidden goal, or the same person for every task). */
  answererFor: (task: Task) => Answerer;
  /** Reward of an ask step (default −0.05): asking when it is not needed costs. */
  cost?: number;
  /** Questions allowed per trajectory (default 3). */
  maxQuestions?: number;
}

const ASK_PREFIX = /^\s*(?:ask(?:\s+the\s+user)?\s*[:：]|ask_user\s*[:(]|question\s*:)\s*/i;

export function isAsk(action: unknown): action is AskAction {
  return typeof action === 'object' && action !== null && typeof (action as AskAction).ask === 'string';
}

/**
 * Any environment, plus an `ask` action: the agent asks the user a question and the answer becomes the
 * step's observation and part of the state (so prompts, credit and evaluation see it). The task's goal
 * may leave out what only the user knows (a hidden goal); asking costs `cost` in reward.
 */
export function withAsk<S, A, P>(env: Environment<S, A, P>, options: AskOptions): Environment<AskState<S>, A | AskAction, P> {
  const cost = options.cost ?? -0.05;
  const maxQuestions = options.maxQuestions ?? 3;
  const askSchema = z.object({ ask: z.string().min(1) }).strict();
  return {
    name: `${env.name}+ask`,
    version: `${env.version}+ask1`,
    actionSchema: z.union([askSchema, env.actionSchema as z.ZodType<A>]) as z.ZodType<A | AskAction>,
    formatAction: (action) => (isAsk(action) ? `ask: ${action.ask}` : env.formatAction(action)),
    parseAction(text) {
      if (ASK_PREFIX.test(text)) {
        const question = text.replace(ASK_PREFIX, '').replace(/\)\s*$/, '').trim();
        if (!question) throw new ActionParseError('an ask action needs a question, e.g. "ask: which size do you want?"');
        return { ask: question };
      }
      return env.parseAction(text);
    },
    load(task) {
      const inner = env.load(task) as Problem<S, A>;
      const answerer = options.answererFor(task);
      const answersText = (state: AskState<S>) => state.answers.map((a) => `You asked: ${a.question}\nThe user answered: ${a.answer}`).join('\n');
      const problem: Problem<AskState<S>, A | AskAction> = {
        initialState: { inner: inner.initialState, answers: [] },
        goalText: `${inner.goalText}\n(You may ask the user a question with "ask: <question>" when the task leaves something open.)`,
        async step(state, action, ctx) {
          if (!isAsk(action)) {
            const t = await inner.step(state.inner, action, ctx as StepContext<S, A> | undefined);
            return { ...t, state: { inner: t.state, answers: state.answers } };
          }
          if (state.answers.length >= maxQuestions) {
            return { state, observation: `no more questions: the user answered ${maxQuestions} already`, reward: 0, done: false, success: false, check: { valid: false, reason: `at most ${maxQuestions} questions per trajectory` } };
          }
          const answer = (await answerer(action.ask, { task, step: ctx })).trim() || '(no answer)';
          return { state: { inner: state.inner, answers: [...state.answers, { question: action.ask, answer }] }, observation: `user: ${answer}`, reward: cost, done: false, success: false, check: { valid: true } };
        },
        render: (state) => [inner.render(state.inner), answersText(state)].filter(Boolean).join('\n'),
        stateKey: (state) => `${inner.stateKey(state.inner)}\u0000${state.answers.map((a) => `${a.question}\u0001${a.answer}`).join('\u0000')}`,
        ...(inner.legalActions ? { legalActions: async (state: AskState<S>) => (await inner.legalActions!(state.inner)) as (A | AskAction)[] } : {}),
        ...(inner.heuristic ? { heuristic: (state: AskState<S>) => inner.heuristic!(state.inner) } : {}),
        ...(inner.close ? { close: () => inner.close!() } : {}),
      };
      return problem;
    },
  };
}

/** Answers from a script, in order or by question (tests). */
export function scriptedAnswers(answers: readonly string[] | ((question: string) => string)): Answerer {
  let next = 0;
  return async (question) => (typeof answers === 'function' ? answers(question) : (answers[next++] ?? '(no answer)'));
}

/**
 * A rule-based simulated user with a hidden goal (`{ size: 'large', milk: 'oat' }`): a question that names a
 * field (or one of its synonyms) gets that field's value; one that names none gets "Whatever you think is best."
 */
export function hiddenGoalUser(goal: Readonly<Record<string, string>>, synonyms: Readonly<Record<string, readonly string[]>> = {}): Answerer {
  return async (question) => {
    const q = question.toLowerCase();
    const told = Object.entries(goal).filter(([field]) => [field, ...(synonyms[field] ?? [])].some((word) => q.includes(word.toLowerCase())));
    return told.length ? told.map(([field, value]) => `${field}: ${value}`).join('; ') : 'Whatever you think is best.';
  };
}

/** A model plays the user: the hidden goal is in its system prompt, and it answers questions as that user would. */
export function modelUser(options: { client: ModelClient; hiddenGoal: string }): Answerer {
  return async (question, { step }) => {
    const messages = [
      { role: 'system' as const, content: `You are the user of an assistant. What you want (the assistant does not know it unless it asks): ${options.hiddenGoal}\nAnswer the assistant's question briefly, as that user, without adding anything it did not ask.` },
      { role: 'user' as const, content: question },
    ];
    if (!step) throw new Error('modelUser answers inside a search step, where its call is recorded');
    return (await options.client.generate({ messages, temperature: 0 }, step)).text;
  };
}

/** A person at the terminal answers. */
export function terminalUser(): Answerer {
  return async (question) => {
    const terminal = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await terminal.question(`The agent asks: ${question}\nyour answer: `);
    } finally {
      terminal.close();
    }
  };
}
