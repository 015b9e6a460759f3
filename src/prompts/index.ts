/** Prompt templates: the format, built-in templates per environment, and filling them from a step context. */
export { PLACEHOLDERS, REQUIRED_PLACEHOLDERS, ROLE_PLACEHOLDERS, TEMPLATE_ROLES, type TemplateRole } from './placeholders.ts';
export { checkTemplateRole, parseTemplate, renderTemplate, sha256, type Template } from './template.ts';
export { builtinTemplate, builtinTemplateNames, defaultTemplate, loadTemplate, type PromptFamily } from './load.ts';
export { promptViewFor, type PromptView } from './view.ts';
export { historyText, numberedLines, renderPrompt, type PromptValues } from './variables.ts';
