import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ToolSpec } from '../core/world.ts';

/** Why a tool call's arguments do not fit its tool's JSON Schema, or null when they do. */
export type ArgumentCheck = (name: string, args: unknown) => string | null;

// One compiler per dialect: tool schemas from zod are draft 2020-12, MCP servers' are mostly draft-07.
// Formats are not checked (no format vocabulary is loaded); unknown keywords are allowed, as servers use their own.
const compilers = {
  draft7: new Ajv({ strict: false, allErrors: true, validateFormats: false }),
  draft2020: new Ajv2020({ strict: false, allErrors: true, validateFormats: false }),
};

const checkers = new WeakMap<readonly ToolSpec[], Map<string, ValidateFunction | string>>();

function compile(spec: ToolSpec): ValidateFunction | string {
  const dialect = String(spec.parameters.$schema ?? '');
  const compiler = /draft-0[4-7]/.test(dialect) ? compilers.draft7 : compilers.draft2020;
  const { $schema: _dialect, $id: _id, ...schema } = spec.parameters;
  try {
    return compiler.compile(schema);
  } catch (error) {
    return `the tool ${spec.name} has an input schema that cannot be compiled: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Checks tool-call arguments against the offered tools' input schemas (ajv), compiling each schema once. */
export function argumentCheckFor(specs: readonly ToolSpec[]): ArgumentCheck {
  let compiled = checkers.get(specs);
  if (!compiled) checkers.set(specs, (compiled = new Map()));
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  return (name, args) => {
    const spec = byName.get(name);
    if (!spec) return `no tool is named "${name}"`;
    let validate = compiled.get(name);
    if (validate === undefined) compiled.set(name, (validate = compile(spec)));
    if (typeof validate === 'string') return validate;
    if (validate(args)) return null;
    return (validate.errors ?? []).map((error) => `${error.instancePath || '(arguments)'} ${error.message ?? 'is invalid'}${paramsText(error.params)}`).join('; ');
  };
}

function paramsText(params: Record<string, unknown>): string {
  if (typeof params.additionalProperty === 'string') return `: ${params.additionalProperty}`;
  if (Array.isArray(params.allowedValues)) return `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return '';
}
