import { api } from '../api.ts';
import { useLive } from '../live.ts';

/** The evals in the store; each opens its report (rebuilt from the store) as a page of its own. */
export function EvalsView() {
  const { data, error } = useLive(() => api.evals(), []);
  return (
    <section class="evals">
      <div class="toolbar">
        <h1>Evals</h1>
        <span class="muted">suites run with <code>stepwise eval</code>; a report links back into the runs here</span>
      </div>
      {error && <p class="error">{error}</p>}
      {data && data.evals.length === 0 && <p class="muted">No evals in this store yet. Try <code>npx stepwise eval examples/suites/planbench-24.yaml</code>.</p>}
      <table class="grid">
        <thead><tr><th>eval</th><th>suite</th><th>started</th><th class="num">runs</th><th class="num">completed</th></tr></thead>
        <tbody>
          {(data?.evals ?? []).map((e) => (
            <tr key={e.evalId}>
              <td><a href={`/evals/${encodeURIComponent(e.evalId)}`}>{e.evalId}</a></td>
              <td>{e.suite}</td>
              <td>{e.startedAt.replace('T', ' ').slice(0, 19)}</td>
              <td class="num">{e.runs}</td>
              <td class="num">{e.completedRuns}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
