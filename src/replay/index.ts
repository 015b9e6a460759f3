// Replay, resume and fork: every run can be redone exactly, continued after a crash, and branched at any step.
export { runRecipe, type RecipeRunOptions } from '../recipe/run-recipe.ts';
export { replayRun, type ReplayReport } from './replay.ts';
export type { Divergence } from './compare-trees.ts';
export { planResume, resumeRun, type ResumePlan, type ResumeResult } from './resume.ts';
export { forkRun, type ForkChanges, type ForkResult } from './fork.ts';
export { loadRunTree, runFamily } from './family.ts';
export { collectProvenance } from './provenance.ts';
