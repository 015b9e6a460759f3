/**
 * The aspects a report section can be about, DRACULA-style ("Add a section on datasets"), each
 * with the words that mark a sentence as being about it. Topics outside this list are mined
 * from the corpus (topics.ts) and matched by their own words.
 */
export interface Aspect {
  name: string;
  title: string;
  /** Lower-case word stems; a sentence containing one is about the aspect. */
  stems: string[];
}

export const ASPECTS: readonly Aspect[] = [
  { name: 'background', title: 'Background', stems: ['motivat', 'problem', 'challeng', 'important', 'increasingly', 'existing'] },
  { name: 'methods', title: 'Methods', stems: ['propose', 'method', 'approach', 'framework', 'algorithm', 'introduce', 'architecture', 'train'] },
  { name: 'datasets', title: 'Datasets and benchmarks', stems: ['dataset', 'benchmark', 'corpus', 'collect', 'annotat', 'data ', 'suite'] },
  { name: 'evaluation', title: 'Evaluation and results', stems: ['evaluat', 'outperform', 'accuracy', 'result', 'experiment', 'improv', 'state-of-the-art', 'success rate'] },
  { name: 'limitations', title: 'Limitations', stems: ['limitation', 'fail', 'struggle', 'however', 'bottleneck', 'error', 'costly', 'brittle', 'remain'] },
  { name: 'applications', title: 'Applications', stems: ['application', 'real-world', 'deploy', 'robot', 'web', 'user', 'gui', 'tool'] },
  { name: 'future work', title: 'Open problems and future work', stems: ['future', 'open question', 'direction', 'promising', 'step toward', 'motivat'] },
  { name: 'efficiency', title: 'Efficiency and cost', stems: ['cost', 'efficien', 'compute', 'latency', 'scal', 'budget', 'token', 'faster'] },
];

export function aspectNamed(name: string): Aspect | undefined {
  const wanted = name.trim().toLowerCase();
  return ASPECTS.find((a) => a.name === wanted || a.title.toLowerCase() === wanted || (wanted.length > 3 && a.name.startsWith(wanted.replace(/s$/, ''))));
}

/** The stems a topic is recognised by: an aspect's, or the topic's own words. */
export function topicStems(topic: string): string[] {
  const aspect = aspectNamed(topic);
  if (aspect) return aspect.stems;
  return contentWords(topic).map((w) => (w.length > 5 ? w.slice(0, w.length - 1) : w));
}

export function mentions(text: string, stems: readonly string[]): number {
  const lower = ` ${text.toLowerCase()} `;
  return stems.reduce((n, stem) => n + (lower.includes(stem) ? 1 : 0), 0);
}

const STOP = new Set(
  ('a an the and or of to in on for with by from as at is are was were be been being this that these those it its we our their they them ' +
    'which who whom whose what when where how why can could may might will would should do does did not no nor but if than then so such ' +
    'into over under about between across after before during both each more most other some any all also only own same very via using use used ' +
    'https http www com github org io code codes release released available publicly gap gaps bridge introduce introduces present presents demonstrate demonstrates enable enables achieve achieves' +
    ' based new two one first show shows shown paper work works study studies model models task tasks approach method methods propose proposed results ' +
    'while however thus further well large many much often without within per up out make makes made set sets given across toward towards').split(' '),
);

/** Lower-case words of a text without stop words or numbers. */
export function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[a-z][a-z-]{2,}/g) ?? []).filter((w) => !STOP.has(w));
}
