import { useMemo, useState } from 'preact/hooks';
import { api, type RunRow } from '../api.ts';
import { formatDuration, formatNumber, formatPercent, originVerb } from '../format.ts';
import { useLive } from '../live.ts';
import { href } from '../route.ts';
import { RunComparison } from './run-comparison.tsx';

interface Column {
  key: string;
  title: string;
  sortValue(row: RunRow): number | string;
  cell(row: RunRow, forks: ReadonlyMap<string, number>): preact.ComponentChild;
  numeric?: boolean;
}

const COLUMNS: Column[] = [
  {
    key: 'id', title: 'run', sortValue: (r) => r.id,
    cell: (r, forks) => (
      <>
        <a href={href(['run', r.id])}>{r.id}</a>
        {(forks.get(r.id) ?? 0) > 0 && <> <a class="badge info family-badge" href={href(['run', r.id])} title="runs forked from this one: open the run to see its family">{forks.get(r.id)} fork{forks.get(r.id) === 1 ? '' : 's'}</a></>}
      </>
    ),
  },
  { key: 'started', title: 'started', sortValue: (r) => r.startedAt, cell: (r) => r.startedAt.replace('T', ' ').slice(0, 19) },
  { key: 'env', title: 'env', sortValue: (r) => r.env, cell: (r) => r.env },
  { key: 'strategy', title: 'strategy', sortValue: (r) => r.strategy, cell: (r) => r.strategy },
  { key: 'model', title: 'model', sortValue: (r) => r.model, cell: (r) => r.model },
  { key: 'tasks', title: 'tasks', numeric: true, sortValue: (r) => r.tasks, cell: (r) => formatNumber(r.tasks) },
  { key: 'success', title: 'success', numeric: true, sortValue: (r) => r.successRate ?? -1, cell: (r) => `${formatPercent(r.successRate)} (${r.solved}/${r.finished})` },
  { key: 'expansions', title: 'expansions', numeric: true, sortValue: (r) => r.expansions, cell: (r) => formatNumber(r.expansions) },
  { key: 'calls', title: 'model calls', numeric: true, sortValue: (r) => r.modelCalls, cell: (r) => formatNumber(r.modelCalls) },
  { key: 'tokens', title: 'tokens', numeric: true, sortValue: (r) => r.tokens, cell: (r) => formatNumber(r.tokens) },
  { key: 'cache', title: 'cache hits', numeric: true, sortValue: (r) => r.cacheHits, cell: (r) => formatNumber(r.cacheHits) },
  { key: 'wall', title: 'wall', numeric: true, sortValue: (r) => r.wallMs ?? -1, cell: (r) => formatDuration(r.wallMs) },
  { key: 'status', title: 'status', sortValue: (r) => r.status, cell: (r) => <span class={`status status-${r.status}`}>{r.status}</span> },
  {
    key: 'origin', title: 'origin', sortValue: (r) => r.origin?.runId ?? '',
    cell: (r) => r.origin
      ? r.origin.runId === r.id ? <span>{originVerb(r.origin.kind)}</span>
      : <span>{r.origin.kind} of <a href={href(['run', r.origin.runId])}>{r.origin.runId}</a>{r.origin.kind === 'fork' && <> · <a href={href(['fork', r.id])} title="this fork's figures and path beside its origin's">compare</a></>}</span>
      : '',
  },
];

function searchText(row: RunRow): string {
  return [row.id, row.env, row.strategy, row.model, row.status, ...Object.entries(row.tags).map(([k, v]) => `${k}=${v}`)].join(' ').toLowerCase();
}

export function RunsView() {
  const { data, error } = useLive(() => api.runs(), []);
  const [sort, setSort] = useState<{ key: string; descending: boolean }>({ key: 'started', descending: true });
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string[]>([]);

  const rows = useMemo(() => {
    const column = COLUMNS.find((c) => c.key === sort.key) ?? COLUMNS[1];
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    const kept = (data?.runs ?? []).filter((row) => words.every((word) => searchText(row).includes(word)));
    return kept.sort((a, b) => {
      const x = column.sortValue(a);
      const y = column.sortValue(b);
      const order = x < y ? -1 : x > y ? 1 : 0;
      return sort.descending ? -order : order;
    });
  }, [data, sort, filter]);

  // Forks per run, from every row's origin: the family badge.
  const forks = useMemo(() => {
    const counts = new Map<string, number>();
    for (const row of data?.runs ?? []) if (row.origin && row.origin.runId !== row.id) counts.set(row.origin.runId, (counts.get(row.origin.runId) ?? 0) + 1);
    return counts;
  }, [data]);
  const toggle = (id: string) => setSelected((old) => (old.includes(id) ? old.filter((x) => x !== id) : [...old, id]));
  const chosen = (data?.runs ?? []).filter((row) => selected.includes(row.id));

  return (
    <section class="runs">
      <div class="toolbar">
        <h1>Runs</h1>
        <input type="search" placeholder="filter: env, strategy, model, status, tag…" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} aria-label="filter runs" />
        <span class="muted">{rows.length} of {data?.runs.length ?? 0} runs · select two or more to compare</span>
      </div>
      {error && <p class="error">{error}</p>}
      {data && data.runs.length === 0 && <p class="muted">No runs in this store yet. Try <code>npx stepwise demo</code>.</p>}
      <table class="grid runs-table">
        <thead>
          <tr>
            <th />
            {COLUMNS.map((column) => (
              <th key={column.key} class={column.numeric ? 'num sortable' : 'sortable'} aria-sort={sort.key === column.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                onClick={() => setSort((old) => ({ key: column.key, descending: old.key === column.key ? !old.descending : column.numeric === true }))}>
                {column.title}{sort.key === column.key ? (sort.descending ? ' ▾' : ' ▴') : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-run={row.id} class={selected.includes(row.id) ? 'chosen' : ''}>
              <td><input type="checkbox" checked={selected.includes(row.id)} onChange={() => toggle(row.id)} aria-label={`select run ${row.id}`} /></td>
              {COLUMNS.map((column) => <td key={column.key} class={column.numeric ? 'num' : ''}>{column.cell(row, forks)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
      {chosen.length >= 2 && <RunComparison runs={chosen} />}
    </section>
  );
}
