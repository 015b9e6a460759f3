import { fileURLToPath } from 'node:url';

/** Prompt families by name with the folder of their built-in templates; `generic` serves every environment without its own. */
const FOLDERS = new Map<string, string>();

/** Called by the environment registry for each plug-in's `promptFolders`. */
export function registerPromptFolder(family: string, folder: string): void {
  FOLDERS.set(family, folder.endsWith('/') ? folder : `${folder}/`);
}

/** The families there are: the environments' in registration order, then `generic`. */
export function promptFamilies(): string[] {
  return [...FOLDERS.keys(), 'generic'];
}

export function promptFolder(family: string): string | undefined {
  return family === 'generic' ? GENERIC_DIR : FOLDERS.get(family);
}

const GENERIC_DIR = fileURLToPath(new URL('./builtin/generic/', import.meta.url));
