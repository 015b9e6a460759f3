import type { Problem } from '../../core/environment.ts';
import { UsageError } from '../../core/errors.ts';
import type { ReportAction } from './action.ts';
import type { Corpus } from './corpus.ts';
import type { Report } from './report.ts';

/** A loaded report task: the dynamics plus the corpus, which proposers and predictors read. */
export interface ReportProblem extends Problem<Report, ReportAction> {
  readonly corpus: Corpus;
  readonly query: string;
}

export function corpusOf(problem: Problem<any, any>): Corpus {
  const corpus = (problem as Partial<ReportProblem>).corpus;
  if (!corpus) throw new UsageError('this proposer works on report tasks only', { hint: 'use it with `stepwise run report` or `stepwise feedback report`' });
  return corpus;
}
