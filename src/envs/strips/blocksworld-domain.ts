import { parseFact } from './facts.ts';

/** The 4-operator Blocksworld (one hand; pick up, put down, stack, unstack), in PlanBench's untyped form. */
export const BLOCKSWORLD_DOMAIN = `; Blocksworld with four operators: a single hand moves one clear block at a time.
(define (domain blocksworld-4ops)
  (:requirements :strips)
  (:predicates (clear ?x) (ontable ?x) (handempty) (holding ?x) (on ?x ?y))

  ; take a clear block from the table
  (:action pick-up
    :parameters (?ob)
    :precondition (and (clear ?ob) (ontable ?ob) (handempty))
    :effect (and (holding ?ob)
                 (not (clear ?ob)) (not (ontable ?ob)) (not (handempty))))

  ; set the held block on the table
  (:action put-down
    :parameters (?ob)
    :precondition (holding ?ob)
    :effect (and (clear ?ob) (ontable ?ob) (handempty)
                 (not (holding ?ob))))

  ; set the held block on a clear block
  (:action stack
    :parameters (?ob ?underob)
    :precondition (and (clear ?underob) (holding ?ob))
    :effect (and (handempty) (clear ?ob) (on ?ob ?underob)
                 (not (clear ?underob)) (not (holding ?ob))))

  ; take a clear block off the block it sits on
  (:action unstack
    :parameters (?ob ?underob)
    :precondition (and (on ?ob ?underob) (clear ?ob) (handempty))
    :effect (and (holding ?ob) (clear ?underob)
                 (not (on ?ob ?underob)) (not (clear ?ob)) (not (handempty)))))
`;

/**
 * A problem in PlanBench's layout: hand first, then where each block sits, then the clear
 * blocks; the goal is a conjunction of \`on\` facts.
 */
export function blocksworldProblemText(name: string, blocks: readonly string[], initFacts: readonly string[], goalFacts: readonly string[]): string {
  const facts = initFacts.map(parseFact);
  const position = (b: string): string => {
    const on = facts.find((f) => f.predicate === 'on' && f.args[0] === b);
    return on ? `(on ${b} ${on.args[1]})` : `(ontable ${b})`;
  };
  const init = [
    ...(initFacts.includes('(handempty)') ? ['(handempty)'] : []),
    ...blocks.map(position),
    ...blocks.filter((b) => initFacts.includes(`(clear ${b})`)).map((b) => `(clear ${b})`),
  ];
  return [
    `(define (problem ${name})`,
    '(:domain blocksworld-4ops)',
    `(:objects ${blocks.join(' ')} )`,
    '(:init',
    ...init,
    ')',
    '(:goal',
    '(and',
    `${goalFacts.join('\n')})`,
    ')',
    ')',
    '',
  ].join('\n');
}
