import { UsageError } from '../core/errors.ts';

/** A parsed model spec string: which provider, which model, and where an OpenAI-compatible server lives. */
export type ModelSpec =
  | { provider: 'openai'; model: string; text: string }
  | { provider: 'anthropic'; model: string; text: string }
  | { provider: 'openai-compatible'; baseURL: string; model: string; text: string };

/** The environment variable that names the model when `--model` is not given. */
export const MODEL_ENV_VARIABLE = 'STEPWISE_MODEL';

const ACCEPTED_FORMS = [
  'openai:<model>                          e.g. openai:gpt-4o-mini',
  'anthropic:<model>                       e.g. anthropic:claude-3-5-haiku-latest',
  'openai-compatible:<base URL>#<model>    e.g. openai-compatible:http://127.0.0.1:8000/v1#qwen2.5-7b',
];

/** Reads `provider:model` (or `openai-compatible:<base URL>#<model>`); `source` names where the text came from, for the error. */
export function parseModelSpec(spec: string, source = 'model spec'): ModelSpec {
  const text = spec.trim();
  const colon = text.indexOf(':');
  const provider = colon < 0 ? '' : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1).trim();
  const fail = (what: string): never => {
    throw new UsageError(`${source} "${spec}" ${what}; expected one of:\n  ${ACCEPTED_FORMS.join('\n  ')}`, {
      hint: `pass --model with one of these forms, or set ${MODEL_ENV_VARIABLE}`,
    });
  };
  if (colon < 0) fail('has no provider prefix');
  if (provider === 'openai' || provider === 'anthropic') {
    if (!rest) fail('names no model after the colon');
    if (/\s/.test(rest)) fail('has a space in the model name');
    return { provider, model: rest, text: `${provider}:${rest}` };
  }
  if (provider === 'openai-compatible') {
    const hash = rest.lastIndexOf('#');
    if (hash < 0) fail('names no model: put it after the base URL, following a #');
    const baseURL = rest.slice(0, hash).trim().replace(/\/+$/, '');
    const model = rest.slice(hash + 1).trim();
    if (!model) fail('names no model after the #');
    if (!isHttpUrl(baseURL)) fail(`has "${baseURL}" where an http(s) base URL belongs`);
    return { provider, baseURL, model, text: `${provider}:${baseURL}#${model}` };
  }
  return fail(`has an unknown provider "${provider}"`);
}

/** The model spec from the command line, else from STEPWISE_MODEL; null when neither names one. */
export function resolveModelSpec(cliValue?: string, env: Record<string, string | undefined> = process.env): ModelSpec | null {
  if (cliValue !== undefined && cliValue.trim() !== '') return parseModelSpec(cliValue, '--model');
  const fromEnv = env[MODEL_ENV_VARIABLE];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return parseModelSpec(fromEnv, MODEL_ENV_VARIABLE);
  return null;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '';
  } catch {
    return false;
  }
}
