import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';
import { ChangeMark, useChangeMarkSource } from './live.ts';
import { href, useRoute } from './route.ts';
import { TABS, type Tab } from './tabs.ts';

/** The GET routes this server has, asked once (they do not change while it runs); undefined until known. */
function useServedRoutes(): ReadonlySet<string> | undefined {
  const [served, setServed] = useState<ReadonlySet<string>>();
  useEffect(() => {
    api.endpoints().then((endpoints) => setServed(new Set(endpoints.get)), () => setServed(new Set()));
  }, []);
  return served;
}

export function App() {
  const route = useRoute();
  const mark = useChangeMarkSource();
  const served = useServedRoutes();
  const isServed = (t: Tab) => !t.needs || served?.has(t.needs.endpoint) === true;
  const tab = TABS.find((candidate) => candidate.id === route.tab);
  const View = tab?.view;
  return (
    <ChangeMark.Provider value={mark}>
      <header class="topbar">
        <a class="brand" href={href(['runs'])}>stepwise</a>
        <nav>
          {TABS.filter((t) => t.inNav && isServed(t)).map((t) => (
            <a key={t.id} href={href([t.id])} class={t.id === route.tab ? 'active' : ''}>{t.title}</a>
          ))}
        </nav>
        <span class="live" title="The page follows the store: new runs and nodes appear as they are written.">● live</span>
      </header>
      <main>
        {!tab || !View ? (
          <p class="error">No page “{route.tab}”. <a href={href(['runs'])}>Back to the runs</a>.</p>
        ) : isServed(tab) ? (
          <View route={route} />
        ) : served === undefined ? (
          <p class="muted">Loading…</p>
        ) : (
          <p class="error">{tab.needs?.elsewhere} <a href={href(['runs'])}>Back to the runs</a>.</p>
        )}
      </main>
    </ChangeMark.Provider>
  );
}
