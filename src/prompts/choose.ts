import { promptFamilies } from './families.ts';
import { defaultTemplate, loadTemplate, type PromptFamily } from './load.ts';
import type { TemplateRole } from './placeholders.ts';
import { checkTemplateRole, type Template } from './template.ts';

/** Which template a proposer or judge uses, and how a run records it. */
export interface TemplateChoice {
  /** The template for a task's prompt family. */
  templateFor(family: PromptFamily): Template;
  /**
   * For the run record: the chosen template's name and hash, or for `auto` (the built-in template
   * of each family) every built-in the role may use, so the record names the exact prompt texts.
   */
  readonly record: { template: string; templateHash: string } | { template: 'auto'; templates: Record<string, string> };
}

/**
 * Resolves a template option now, so a missing file or a bad template fails before the run starts.
 * `undefined` picks the built-in template of each task's family (blocksworld, game24, generic).
 */
export function chooseTemplate(option: Template | string | undefined, role: TemplateRole): TemplateChoice {
  if (option === undefined) {
    const templates = Object.fromEntries(promptFamilies().map((family) => {
      const template = defaultTemplate(family, role);
      return [template.name, template.hash];
    }));
    return { templateFor: (family) => defaultTemplate(family, role), record: { template: 'auto', templates } };
  }
  const template = typeof option === 'string' ? loadTemplate(option, role) : checkTemplateRole(option, role);
  return { templateFor: () => template, record: { template: template.name, templateHash: template.hash } };
}
