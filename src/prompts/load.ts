import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/errors.ts';
import { TEMPLATE_ROLES, type TemplateRole } from './placeholders.ts';
import { checkTemplateRole, parseTemplate, type Template } from './template.ts';

/** Environment families with their own built-in prompts; `generic` serves every other environment. */
export type PromptFamily = 'blocksworld' | 'game24' | 'generic';

export const PROMPT_FAMILIES: readonly PromptFamily[] = ['blocksworld', 'game24', 'generic'];

const BUILTIN_DIR = fileURLToPath(new URL('./builtin/', import.meta.url));
const builtins = new Map<string, Template>();

/** Names of the built-in templates, e.g. `game24/propose-list`. */
export function builtinTemplateNames(): string[] {
  return PROMPT_FAMILIES.flatMap((family) => TEMPLATE_ROLES.map((role) => `${family}/${role}`));
}

/** A built-in template by name; parsed once. */
export function builtinTemplate(name: string): Template {
  let template = builtins.get(name);
  if (!template) {
    const [family, role] = name.split('/');
    if (!PROMPT_FAMILIES.includes(family as PromptFamily) || !TEMPLATE_ROLES.includes(role as TemplateRole)) {
      throw new UsageError(`there is no built-in prompt template "${name}"`, { hint: `built-in templates: ${builtinTemplateNames().join(', ')}` });
    }
    template = checkTemplateRole(parseTemplate(readFileSync(`${BUILTIN_DIR}${family}/${role}.prompt`, 'utf8'), name), role as TemplateRole);
    builtins.set(name, template);
  }
  return template;
}

/**
 * Loads a template by built-in name (`game24/propose-list`) or from a file path. With a role, it
 * also checks the template fits that role. Throws UsageError for a missing file or a bad template.
 */
export function loadTemplate(pathOrName: string, role?: TemplateRole): Template {
  let template: Template;
  if (builtinTemplateNames().includes(pathOrName)) template = builtinTemplate(pathOrName);
  else {
    const path = resolve(pathOrName);
    if (!existsSync(path)) {
      throw new UsageError(`no prompt template file at ${pathOrName}${path === pathOrName ? '' : ` (looked in ${path})`}`, {
        hint: `give a path to a template file, or a built-in name: ${builtinTemplateNames().join(', ')}`,
      });
    }
    template = parseTemplate(readFileSync(path, 'utf8'), pathOrName, path);
  }
  return role === undefined ? template : checkTemplateRole(template, role);
}

/** The built-in template a role uses for an environment family when the user gives none. */
export function defaultTemplate(family: PromptFamily, role: TemplateRole): Template {
  return builtinTemplate(`${family}/${role}`);
}
