/** Per-task limits. Every limit is optional; an absent limit never stops a search. */
export interface BudgetLimits {
  /** Node expansions (one propose + score round each). */
  expansions?: number;
  /** Wall-clock milliseconds for one task. */
  wallMs?: number;
  /** Model calls, charged by model-backed proposers and scorers. */
  modelCalls?: number;
  /** Input + output tokens, charged by model-backed proposers and scorers. */
  tokens?: number;
}

export type BudgetResource = 'expansions' | 'modelCalls' | 'tokens';

/** The one place budgets are checked. */
export interface Budget {
  readonly limits: BudgetLimits;
  readonly used: Record<BudgetResource, number>;
  charge(resource: BudgetResource, amount?: number): void;
  /** Which limit is reached, as `expansions`, `wallMs`, …, or null while there is room. */
  exceeded(): string | null;
  elapsedMs(): number;
}

export function createBudget(limits: BudgetLimits, now: () => number = performance.now.bind(performance)): Budget {
  const started = now();
  const used: Record<BudgetResource, number> = { expansions: 0, modelCalls: 0, tokens: 0 };
  return {
    limits,
    used,
    charge(resource, amount = 1) {
      used[resource] += amount;
    },
    exceeded() {
      if (limits.expansions !== undefined && used.expansions >= limits.expansions) return 'expansions';
      if (limits.modelCalls !== undefined && used.modelCalls >= limits.modelCalls) return 'modelCalls';
      if (limits.tokens !== undefined && used.tokens >= limits.tokens) return 'tokens';
      if (limits.wallMs !== undefined && now() - started >= limits.wallMs) return 'wallMs';
      return null;
    },
    elapsedMs: () => now() - started,
  };
}
