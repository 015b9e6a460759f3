// The run recipe moved to src/recipe/; this path stays for code written against it.
export { buildRun, modelSettingsOf, recipeModelOf, runRecipe, type BuiltRun, type RecipeRunOptions } from '../recipe/run-recipe.ts';
