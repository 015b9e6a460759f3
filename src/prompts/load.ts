import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';
// The built-in environments register their prompt folders (envs/<name>/prompts) when the registry loads.
import '../envs/registry.ts';
import { promptFamilies, promptFolder } from './families.ts';
import { TEMPLATE_ROLES, type TemplateRole } from './placeholders.ts';
import { checkTemplateRole, parseTemplate, type Template } from './template.ts';

/** A prompt family: `blocksworld`, `game24`, a plug-in's own, or `generic`, which serves every other environment. */
export type PromptFamily = string;

const builtins = new Map<string, Template>();

/** Names of the built-in templates, e.g. `game24/propose-list`. */
export function builtinTemplateNames(): string[] {
  return promptFamilies().flatMap((family) => TEMPLATE_ROLES.map((role) => `${family}/${role}`));
}

/** A built-in template by name; parsed once. */
export function builtinTemplate(name: string): Template {
  let template = builtins.get(name);
  if (!template) {
    const [family, role] = name.split('/');
    const folder = promptFolder(family);
    if (!folder || !TEMPLATE_ROLES.includes(role as TemplateRole)) {
      throw new UsageError(`there is no built-in prompt template "${name}"`, { hint: `built-in templates: ${builtinTemplateNames().join(', ')}` });
    }
    template = checkTemplateRole(parseTemplate(readFileSync(`${folder}${role}.prompt`, 'utf8'), name), role as TemplateRole);
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
