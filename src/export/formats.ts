import { createRegistry, NO_OPTIONS, type PluginRef } from '../registry/registry.ts';
import { dpoFormat } from './dpo.ts';
import { feedbackFormat } from './feedback.ts';
import type { ExportFormat } from './format.ts';
import { jsonlFormat } from './jsonl.ts';
import { prmFormat } from './prm.ts';
import { sftFormat } from './sft.ts';

/** The export formats by name: the built-ins, and those plug-ins register. */
export const exportFormats = createRegistry<ExportFormat, void>('export format');

/** Adds a format to the registry (its options are the export command's: success-only, min-gap). */
export function registerExportFormat(format: ExportFormat, from?: PluginRef): void {
  exportFormats.register({ name: format.name, describe: format.describe, options: NO_OPTIONS, create: () => format }, from);
}

/** The built-in export formats: a new format is one file and one line here. */
export const EXPORT_FORMATS: Record<string, ExportFormat> = {
  dpo: dpoFormat,
  prm: prmFormat,
  sft: sftFormat,
  jsonl: jsonlFormat,
  feedback: feedbackFormat,
};
for (const format of Object.values(EXPORT_FORMATS)) registerExportFormat(format);
