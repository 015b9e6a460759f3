import { ChangeMark, useChangeMarkSource } from './live.ts';
import { href, useRoute } from './route.ts';
import { TABS } from './tabs.ts';

export function App() {
  const route = useRoute();
  const mark = useChangeMarkSource();
  const tab = TABS.find((candidate) => candidate.id === route.tab);
  const View = tab?.view;
  return (
    <ChangeMark.Provider value={mark}>
      <header class="topbar">
        <a class="brand" href={href(['runs'])}>stepwise</a>
        <nav>
          {TABS.filter((t) => t.inNav).map((t) => (
            <a key={t.id} href={href([t.id])} class={t.id === route.tab ? 'active' : ''}>{t.title}</a>
          ))}
        </nav>
        <span class="live" title="The page follows the store: new runs and nodes appear as they are written.">● live</span>
      </header>
      <main>{View ? <View route={route} /> : <p class="error">No page “{route.tab}”. <a href={href(['runs'])}>Back to the runs</a>.</p>}</main>
    </ChangeMark.Provider>
  );
}
