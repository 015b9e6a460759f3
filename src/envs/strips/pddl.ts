/** The parsed form of the PDDL subset stepwise supports: STRIPS with typing, negative preconditions and equality. */

/** A parameter reference (by position in the action's parameter list) or a named object/constant. */
export type Term = { kind: 'var'; index: number } | { kind: 'const'; name: string };

/** `(pred t1 t2)` or `(not (pred …))`. */
export interface AtomLiteral {
  kind: 'atom';
  positive: boolean;
  predicate: string;
  terms: Term[];
}

/** `(= t1 t2)` or `(not (= t1 t2))`. */
export interface EqualityLiteral {
  kind: 'equal';
  positive: boolean;
  terms: [Term, Term];
}

export type Literal = AtomLiteral | EqualityLiteral;

export interface Parameter {
  name: string;
  /** Any of these types is allowed (more than one only for `(either …)`). */
  types: string[];
}

export interface PredicateDecl {
  name: string;
  parameters: Parameter[];
}

export interface ActionSchema {
  name: string;
  parameters: Parameter[];
  /** In the order written, so unmet-precondition reasons follow the domain file. */
  preconditions: Literal[];
  adds: AtomLiteral[];
  deletes: AtomLiteral[];
}

export interface Domain {
  name: string;
  requirements: string[];
  /** Each declared type mapped to its parent (`object` is the root and maps to nothing). */
  typeParents: Map<string, string[]>;
  /** Constants and their types. */
  constants: Map<string, string>;
  predicates: Map<string, PredicateDecl>;
  actions: Map<string, ActionSchema>;
}

/** A ground atom: predicate plus object names. */
export interface GroundAtom {
  predicate: string;
  args: string[];
}

export type GroundLiteral =
  | { kind: 'atom'; positive: boolean; predicate: string; args: string[] }
  | { kind: 'equal'; positive: boolean; args: [string, string] };

export interface PddlProblem {
  name: string;
  domainName: string;
  /** Problem objects and domain constants with their declared type. */
  objects: Map<string, string>;
  init: GroundAtom[];
  goal: GroundLiteral[];
}
