// The public API of stepwise. Everything a user composes is re-exported from here.
export type { Environment, MaybePromise, Problem, StepCheck, Task, Transition } from './core/environment.ts';
export { defineEnvironment } from './core/environment.ts';
export type { World, WorldSnapshot, ToolSpec, ToolCallAction, ToolCallTiming } from './core/world.ts';
export { asToolCall, toolCallTimingOf } from './core/world.ts';
export type {
  Candidate,
  Guard,
  GuardDecision,
  ProposalBatch,
  ProposeContext,
  Proposer,
  ScoreContext,
  Scorer,
  StepContext,
  TrajectoryStep,
} from './core/step.ts';
export { defineGuard, defineProposer, defineScorer } from './core/step.ts';
export { ActionParseError, QueueError, ReplayError, RunOwnedError, StepwiseError, StoreError, TaskError, UsageError } from './core/errors.ts';
export { createRng, type Rng } from './core/rng.ts';
export { STEPWISE_VERSION } from './core/version.ts';

// Environments: PDDL (STRIPS), Game of 24; the report environment is with people in the loop below.
export { stripsEnvironment, loadPddlTasks, generateBlocksworldTasks, parsePlanText } from './envs/strips/index.ts';
export type { StripsAction, StripsSpec, StripsState } from './envs/strips/index.ts';
export { game24Environment, loadTotCsv, generateGame24Tasks, checkAnswer, allSolvablePuzzles } from './envs/game24/index.ts';
export type { Game24Action, Game24Spec, Game24State } from './envs/game24/index.ts';
export { ENVIRONMENTS, environments, getEnvironment, registerEnvironment, type EnvironmentEntry, type EnvironmentRegistryEntry } from './envs/registry.ts';

// Plug-ins: one typed registry per kind of component; the built-ins register into the same ones.
export { definePlugin, registerPlugin, registries, loadedPlugins, type StepwisePlugin } from './registry/plugin.ts';
export { defineEnvironmentPlugin, type EnvironmentPlugin, type EnvironmentContext, type ActionParsers, type TaskLoadOptions } from './registry/environment-plugin.ts';
export { createRegistry, defineEntry, OptionError, NO_OPTIONS, type Registry, type RegistryEntry, type Registered, type PluginRef } from './registry/registry.ts';
export { numberOption, choiceOption } from './registry/options.ts';
export { loadPluginModule, loadConfigFile, ensurePlugins, CONFIG_FILES, type StepwiseConfig } from './registry/load.ts';
export type { KeyNodeMatcher, KeyNodeMatcherEntry } from './eval/matchers.ts';
export type { PromptView } from './prompts/view.ts';

// In-process proposers and scorers (no model needed).
export { enumerateProposer } from './propose/enumerate.ts';
export { scriptedProposer } from './propose/scripted.ts';
export { heuristicScorer } from './score/heuristic.ts';

// Search: one tree per task, strategies, budgets.
export { runSearch, type RunOptions, type RunResult, type RunStats, type TaskResult, type RunEvent, type ResumePoint } from './search/run.ts';
export { defineStrategy, type Strategy } from './search/strategy.ts';
export { beam, bestOfK, bfs, dfs, greedy, mcts, createStrategy, strategies, type StrategyEntry } from './search/strategies/index.ts';
export type { SearchTree, TreeNode, ExpandedCandidate } from './search/tree.ts';
export type { BudgetLimits } from './search/budget.ts';

// The store: every run, node, candidate, model call and annotation.
export { openStore, openSqliteStore, openPostgresStore, connectPostgresStore, createMemoryStore, defineStore, DEFAULT_STORE_PATH } from './store/index.ts';
export { holdRunLease, RUN_LEASE_TTL_MS, type HeldRunLease, type HoldRunLeaseOptions, type RunLease, type RunLeaseClaim } from './store/lease.ts';
export { copyRun, readRunRecords, runContent, type RunContent, type RunCopy } from './store/copy.ts';
export type { StoreOpenOptions, PostgresStoreOptions } from './store/index.ts';
export type {
  Store, StoreBackend, StoreQueries, ListRunsOptions, StoredTree, StoredNode, TreeOutline, NodeOutline, CandidateOutline, ModelCallTotals,
} from './store/store.ts';
export type * from './store/records.ts';

// Models, model-backed proposers and judges, prompt templates.
export { createModelClient, parseModelSpec, resolveModelSpec, ModelError, summarizeModelCalls } from './models/index.ts';
export type { ChatMessage, ModelClient, ModelReply, ModelRequest, ModelSpec, ModelClientOptions } from './models/index.ts';
export { llmProposer, type LlmProposerOptions } from './propose/llm.ts';
export type { ModelToolCall, ResponseFormat, ToolResultMessage } from './models/types.ts';

// Tool-calling agents (src/tools) and any MCP server's tools as an environment (src/envs/mcp).
export { toolProposer, actionToolsFor, schemaTools, toolCallTools, agentMessages, argumentCheckFor, DEFAULT_AGENT_SYSTEM, DEFAULT_MEMORY_WINDOW } from './tools/index.ts';
export type { ToolProposerOptions, ActionTools, AgentMemoryOptions, ArgumentCheck } from './tools/index.ts';
export { mcpEnvironment, loadMcpTasks, openMcpWorld, McpServerError, FINAL_ANSWER_TOOL, MCP_TASK_FILE_EXAMPLE } from './envs/mcp/index.ts';
export type { McpTaskSpec, McpServerSpec, McpCheck, McpState, McpWorld } from './envs/mcp/index.ts';
export { pickJudge, valueJudge, type PickJudgeOptions, type ValueJudgeOptions } from './score/llm-judge.ts';
export { loadTemplate, renderTemplate, builtinTemplateNames, type Template } from './prompts/index.ts';

// Afterwards, from the store: step credit (docs/credit.md).
export { computeCredit, type CreditOptions, type NodeCredit, type TaskCredit, type TaskCreditSummary } from './credit/compute.ts';
export { monteCarloValues, advantages } from './credit/mc-value.ts';
export { storeCredit, loadStoredCredit, CREDIT_KIND } from './credit/annotations.ts';

// Training data from recorded trees: a format's `records(exportRun(…))` yields its lines.
export { EXPORT_FORMATS, exportFormats } from './export/formats.ts';
export { exportRun } from './export/source.ts';
export { defineExportFormat, type ExportFormat, type ExportRun, type ExportTask, type ExportOptions } from './export/format.ts';

// Other tools' logs as runs: parse a Tree of Thoughts log, judge each puzzle, write the run.
export { parseTotLog, type TotLog } from './import/tot-log.ts';
export { importBfsEntry, importCotEntry, type ImportedPuzzle } from './import/tot-import.ts';
export { writeImportedRun, type ImportedRun } from './import/tot-records.ts';
export { totImportReport, type TotImportReport } from './import/tot-report.ts';

// The learned value model (`stepwise train-value`) and its scorer.
export { fitValueModel, type FitValueOptions } from './learn/fit-value.ts';
export { loadValueModel, saveValueModel, type ValueModel, type ValueModelFile } from './learn/value-model.ts';
export { learnedScorer } from './score/learned.ts';

// Evaluation: suites, key nodes, statistics, reports (docs/eval.md).
export { runEval, type EvalOptions, type EvalEvent, type EvalRun, type EvalSample, loadSuite, parseSuite, type Suite, summarizeEval, type EvalSummary, renderEvalReport } from './eval/index.ts';
export { keyNodeHits, scoreTask, keyNodeMetrics, deriveKeyNodes, keyNodeFromWebCanvas, type KeyNode, type KeyNodeHit } from './eval/index.ts';
export { wilsonInterval, passAtK, pairedPermutationTest, bootstrapMeanInterval } from './eval/index.ts';

// Worlds: the bounded pool of live worlds for environments with side effects (src/worlds).
export { createWorldPool, DEFAULT_MAX_WORLDS, WorldDivergence, LookaheadRefused, positionOf, recordedStepsOf } from './worlds/index.ts';
export type { WorldPool, WorldPoolOptions, WorldPoolStats, RecordedSteps } from './worlds/index.ts';
// The workspace environment: files and commands in copy-on-branch folders, commands in bubblewrap.
export { workspaceEnvironment, loadWorkspaceTask, loadWorkspaceTasks, builtinTaskNames, workspaceTools, runSandboxed, SandboxError } from './envs/workspace/index.ts';
export type { WorkspaceSpec, WorkspaceState } from './envs/workspace/index.ts';
// The browser environment: web tasks in Chromium on MiniWoB++'s page protocol, GUI and tool actions, WebCanvas key nodes.
export { browserEnvironment, loadBrowserTasks, BUILTIN_TASKS as BUILTIN_BROWSER_TASKS, parseBrowserAction, formatBrowserAction, enumerateGuiActions, launchChromium } from './envs/browser/index.ts';
export type { BrowserAction, BrowserProblem, BrowserState, BrowserTaskSpec, BrowserWorld, PageElement } from './envs/browser/index.ts';
export { artifactsDirOf } from './store/artifacts.ts';

// Replay, resume and fork: a run rebuilt from its recorded recipe (docs/replay.md).
export { replayRun, resumeRun, planResume, forkRun, loadRunTree, runFamily, collectProvenance } from './replay/index.ts';
export type { ReplayReport, Divergence, ResumePlan, ResumeResult, ForkChanges, ForkResult } from './replay/index.ts';

// The run recipe: one description of a run, built into components through the registries and run.
export { runRecipe, buildRun, parseRecipe, runRecipeSchema, proposers, scorers, guards, type RecipeRunOptions, type BuiltRun, type ComponentContext, type ProposerEntry, type ScorerEntry, type GuardEntry } from './recipe/index.ts';

// The web viewer's server over a store (docs/viewer.md).
export { startViewServer, type ViewServer, type ViewServerOptions } from './view/server.ts';

// People in the loop: the report environment, feedback sessions, simulated users (docs/feedback.md).
export { reportEnvironment, reportProposer, loadReportTasks, loadCorpus, modelExecutor, extractiveExecutor, checkReportEdit, renderReport } from './envs/report/index.ts';
export type { Report, ReportAction, ReportSpec, Corpus, Paper, ReportExecutor } from './envs/report/index.ts';
export { runFeedbackSession, type FeedbackSessionOptions } from './feedback/session.ts';
export { definePerson, type Person, type Choice, type Judgment, type Verdict, type TurnView, type ExecutionView } from './feedback/types.ts';
export { terminalPerson } from './feedback/terminal-person.ts';
export { startWebFeedbackSession, type WebFeedbackSession } from './feedback/web-session.ts';
export { collectFeedback, feedbackRuns, type PreferenceRecord, type JudgmentRecord } from './feedback/records.ts';
export { feedbackStats, type FeedbackStats } from './feedback/stats.ts';
export { simulatedUser, goalUtility } from './people/simulated-user.ts';
export { modelSimulatedUser } from './people/model-user.ts';
export { SAMPLE_USERS, SAMPLE_QUERIES, type SimulatedUserSpec, type HiddenGoal } from './people/goals.ts';
export { noContextPredictor, profilePredictor, historyPredictor, type SelectionPredictor } from './people/predictors.ts';
export { llmSelectionJudge } from './people/llm-predictor.ts';
export { evaluateSelectionPredictors } from './people/evaluate.ts';
export { personalisedReportProposer } from './people/personalised-proposer.ts';
export { simulateStudy } from './people/simulate.ts';

// Guards over whole trajectories, approvals, and agents that ask (docs/guards.md).
export { policyGuard, flowGuard, policyViolation } from './guards/builtin.ts';
export { judgedGuard, parseGuardVerdict, type JudgedGuardOptions } from './guards/judged.ts';
export { compilePolicy, loadPolicy, DEFAULT_POLICY, policySchema, type CompiledPolicy, type Policy, type PolicyFile } from './guards/policy.ts';
export { effectsOf, shellEffects, toolEffects, type Effect } from './guards/effects.ts';
export { replayThroughGuards, runGuardChain, summarizeGuardEval, falseAlarms, type TrajectoryVerdict, type GuardEvalSummary, type StepLabel } from './guards/evaluate.ts';
export { approvalsOf, recordApproval, type PendingApproval } from './guards/approvals.ts';
export type { ApprovalDecision, GuardRecord } from './core/step.ts';
export { loadRecordedTrajectories, loadAgentHazardTasks, AGENTHAZARD_PROGRAMS, type RecordedTrajectory } from './import/agenthazard.ts';
export { withAsk, isAsk, hiddenGoalUser, modelUser, terminalUser, scriptedAnswers, type Answerer, type AskAction, type AskState, type AskOptions } from './people/ask.ts';

// Scale out: runs split into jobs on a BullMQ queue, searched by workers on any machine sharing the store.
export { runRecipeOnQueue, startQueueWorker, searchTaskJob, parseQueueAddress, describeQueueProgress, taskJobId } from './queue/index.ts';
export type { QueueAddress, QueuedRunOptions, QueueWorker, QueueWorkerOptions, QueueProgress, TaskJob, TaskJobResult } from './queue/index.ts';

// Trees as OpenTelemetry GenAI traces, sent to any OTLP/HTTP collector afterwards or live.
export { exportRunAsOtel, withLiveOtelExport, emitTaskSpans, startOtlpTracing, type OtelExportOptions, type OtlpTracing } from './otel/index.ts';
