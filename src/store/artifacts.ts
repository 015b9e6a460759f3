/**
 * The folder beside a store where steps keep file artefacts (a browser's screenshots), which records name by a
 * path relative to it: `runs.db` → `runs.db.artifacts/`. Null for stores that are not a file (`:memory:`, a URL).
 */
export function artifactsDirOf(location: string): string | null {
  if (location === ':memory:' || location === '' || /^[a-z][\w+.-]*:\/\//i.test(location) || location.startsWith('memory:')) return null;
  return `${location}.artifacts`;
}
