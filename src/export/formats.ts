import { dpoFormat } from './dpo.ts';
import type { ExportFormat } from './format.ts';
import { jsonlFormat } from './jsonl.ts';
import { prmFormat } from './prm.ts';
import { sftFormat } from './sft.ts';

/** Every export format by name: a new format is one file and one line here. */
export const EXPORT_FORMATS: Record<string, ExportFormat> = {
  dpo: dpoFormat,
  prm: prmFormat,
  sft: sftFormat,
  jsonl: jsonlFormat,
};
