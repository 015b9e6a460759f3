/**
 * A simulated user's hidden goal: how much they want each kind of edit and each aspect or topic.
 * The proposer and predictors never see it; they see only what the user picks.
 */
export interface HiddenGoal {
  /** Weight in [0, 1] per action type (`add_section`, `rewrite` …); missing types weigh `otherType`. */
  types: Record<string, number>;
  /** Weight in [0, 1] per aspect name (`datasets`, `limitations` …) or topic word (`robot`). */
  topics: Record<string, number>;
  otherType: number;
  /** Weight of an action that names no topic, or one the goal does not mention. */
  otherTopic: number;
}

export interface SimulatedUserSpec {
  id: string;
  goal: HiddenGoal;
  /** What the user says about themselves when asked: true but partial, as self-descriptions are. */
  profile: string;
}

/** Five users who differ on the same queries because of unstated goals (DRACULA's finding 2). */
export const SAMPLE_USERS: readonly SimulatedUserSpec[] = [
  {
    id: 'data-diana',
    goal: { types: { add_section: 1, expand_section: 0.9, add_table: 0.6 }, topics: { datasets: 1, evaluation: 0.7, benchmark: 0.9 }, otherType: 0.3, otherTopic: 0.15 },
    profile: 'I build benchmarks.',
  },
  {
    id: 'limits-lee',
    goal: { types: { add_section: 0.9, expand_section: 1, add_evidence: 0.8 }, topics: { limitations: 1, 'future work': 0.8, efficiency: 0.5 }, otherType: 0.2, otherTopic: 0.1 },
    profile: 'I review papers and look for what does not work yet.',
  },
  {
    id: 'methods-mo',
    goal: { types: { add_table: 1, expand_section: 0.8, add_section: 0.7 }, topics: { methods: 1, efficiency: 0.8, learning: 0.7 }, otherType: 0.25, otherTopic: 0.35 },
    profile: 'I implement methods.',
  },
  {
    id: 'novice-nia',
    goal: { types: { rewrite: 1, add_section: 0.8, move_section: 0.5 }, topics: { beginners: 1, background: 1, applications: 0.7 }, otherType: 0.2, otherTopic: 0.15 },
    profile: 'I am new to this field.',
  },
  {
    id: 'robot-rae',
    goal: { types: { add_section: 1, expand_section: 0.9, add_evidence: 0.6 }, topics: { robot: 1, robotic: 1, manipulation: 1, applications: 0.8, embodied: 0.9 }, otherType: 0.3, otherTopic: 0.1 },
    profile: 'I work on robots.',
  },
];

/** Queries over the sample corpus (../shared/data/papers), one per session. */
export const SAMPLE_QUERIES: readonly string[] = [
  'which intermediate actions do users want deep research agents to take?',
  'how do process reward models score intermediate steps?',
  'how do web and GUI agents remember long interactions?',
  'what do robot policies learn from videos without action labels?',
  'how are step-level values estimated for agent search?',
  'how do agents learn from human feedback during a task?',
  'what intermediate representations help vision-language-action models?',
  'how is reinforcement learning used to train tool-using agents?',
];
