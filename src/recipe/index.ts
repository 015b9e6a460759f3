/** One run recipe: a description of a run turned into components through the registries, and run. */
export { buildRun, modelSettingsOf, recipeModelOf, runRecipe, type BuiltRun, type RecipeRunOptions } from './run-recipe.ts';
export { buildComponents, guards, proposers, scorers, scorerOf, LEARNED_PREFIX, type ComponentContext, type ComponentRef, type ComponentRequest, type GuardEntry, type ModelSettings, type ProposerEntry, type ScorerEntry } from './components.ts';
export { parseRecipe, runRecipeSchema } from './schema.ts';
