import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** One element an agent can act on, from the pruned DOM. */
export interface PageElement {
  /** Stable while the element lives: `e` + the order in which the page first showed it. */
  id: string;
  tag: string;
  /** ARIA role, explicit or implied by the tag (button, link, textbox, combobox, checkbox, …). */
  role: string;
  /** What a person reads on or beside it: text, label, placeholder, aria-label. */
  name: string;
  /** Current value of form fields. */
  value?: string;
  /** A select's options (a placeholder without a value left out). */
  options?: string[];
  checked?: boolean;
  /** A CSS selector naming it (`#buyer`, or a tag:nth-of-type chain), for WebCanvas's element key nodes. */
  path: string;
}

/** What the page shows after a step. */
export interface PageObservation {
  /** Path, query and hash on the task server (`/shop/results.html?q=mug`); the full URL for a page elsewhere. */
  url: string;
  title: string;
  focused: string | null;
  elements: PageElement[];
  /** The page's visible text, trimmed and capped. */
  text: string;
  /** MiniWoB++'s globals. */
  reward: number;
  rawReward: number;
  done: boolean;
  ready: boolean;
  /** A digest of the page's sessionStorage: state a multi-page task keeps off screen (a cart). */
  storage: string;
}

const TEXT_LIMIT = 1200;
const READ_PAGE = readFileSync(new URL('./read-page.js', import.meta.url), 'utf8');

/** Reads the page's pruned DOM, URL, focus and MiniWoB++ globals. */
export async function observePage(page: Page): Promise<PageObservation> {
  return (await page.evaluate(`(${READ_PAGE})(${TEXT_LIMIT})`)) as PageObservation;
}
