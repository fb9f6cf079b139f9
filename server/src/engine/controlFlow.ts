// A small, honest view of the paths through a Go function body, read from its syntax alone: from a
// statement, which exits (return statements, or falling off the end of a function without
// results) can be reached without passing a statement that "covers" the path (calls a cancel
// function, unlocks a mutex...). The flow-sensitive rules ask it "can this path skip that call?".
//
// What it models: statement sequences; if/else chains; for loops (a loop with a condition or a
// range may run zero times, an endless `for {}` is left only by a break); switch and select
// (without a default a switch may match nothing); break and continue (they leave the innermost
// switch/select or loop, and a loop's end is followed by what comes after it); return; panic and
// the calls that end the program (os.Exit, log.Fatal..., runtime.Goexit, t.Fatal...); nested
// blocks and labeled statements. What it approximates: goto, labeled break/continue and
// fallthrough end the path they are on (no exit is reported through them); a path that leaves a
// loop body goes on after the loop, never around it again; a function literal is a separate
// function (its body is not a path of the enclosing one); covering is decided per statement by
// the caller (a statement that covers anywhere inside it covers all of it, except compound
// statements, whose headers and branches are read separately).
//
// Nesting is followed to MAX_NESTING levels; deeper code gives no answer (undefined), so a
// pathological file cannot overflow the stack.
import type { Node } from 'web-tree-sitter';
import { blockStatements, BREAKABLE_TYPES, FUNCTION_TYPES, walkDescendants } from './syntax';

/** Statement nesting followed before giving up (real code nests a few dozen levels at most). */
const MAX_NESTING = 200;

/** Whether a statement or header expression uses what the caller looks for. */
export type Covers = (node: Node) => boolean;

interface PathResult {
  /** Exits reached without covering. */
  exits: Node[];
  /** A path reaches the end of the sequence without covering. */
  falls: boolean;
  /** A path reaches a break (leaving the innermost loop, switch or select) without covering. */
  breaks: boolean;
  /** A path reaches a continue (leaving the innermost loop's body) without covering. */
  continues: boolean;
}

class TooDeep extends Error {}

const ENDS = (falls: boolean): PathResult => ({ exits: [], falls, breaks: false, continues: false });

/** Calls after which control never comes back, as written with their usual package names. */
const TERMINATING_CALLS = /^(?:panic|os\.Exit|runtime\.Goexit|log\.(?:Panic|Panicf|Panicln)|\w+\.(?:Fatal|Fatalf|Fatalln)|(?:t|b|f|tb|new\(testing\.\w+\))\.(?:FailNow|Skip|Skipf|SkipNow))$/;

/** Whether an expression statement is a call that does not return (panic(...), os.Exit(1), t.Fatal(...)). */
export function isTerminatingStatement(statement: Node): boolean {
  if (statement.type !== 'expression_statement') return false;
  const call = statement.namedChildren[0];
  if (call?.type !== 'call_expression') return false;
  const fn = call.childForFieldName('function');
  return fn !== null && TERMINATING_CALLS.test(fn.text.replace(/\s+/g, ''));
}

/**
 * The exits of `statement`'s function reachable from just after `statement` without passing a
 * node that `covers`, in source order (the function's body stands for falling off its end).
 * Undefined when the statement is not in a statement list of a function body, or nests too deep.
 */
export function uncoveredExitsAfter(statement: Node, covers: Covers): Node[] | undefined {
  try {
    return exitsAfter(statement, covers);
  } catch (error) {
    if (error instanceof TooDeep) return undefined;
    throw error;
  }
}

function exitsAfter(statement: Node, covers: Covers): Node[] | undefined {
  const exits: Node[] = [];
  let current = statement;
  let pending: PathResult | undefined;
  for (let level = 0; level < MAX_NESTING; level++) {
    const list = current.parent;
    if (!list) return undefined;
    const statements = list.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
    const index = statements.findIndex((s) => s.id === current.id);
    if (index < 0) return undefined;
    // What follows `current` in its list, reached when the path goes on past it.
    const goesOn = pending === undefined || pending.falls;
    const rest = goesOn ? sequence(statements, index + 1, covers, 0) : ENDS(false);
    exits.push(...rest.exits);
    pending = {
      exits: [],
      falls: rest.falls,
      breaks: (pending?.breaks ?? false) || rest.breaks,
      continues: (pending?.continues ?? false) || rest.continues,
    };
    // Up to the statement that owns the list: a block's owner, or the switch/select of a case.
    let owner: Node | null = list.type === 'statement_list' ? list.parent : list;
    if (owner?.type === 'block') {
      const up: Node | null = owner.parent;
      if (up && FUNCTION_TYPES.has(up.type)) {
        if (pending.falls && !up.childForFieldName('result')) exits.push(owner);
        return exits;
      }
      // A bare block statement is its own owner.
      if (up?.type !== 'statement_list' && up?.type !== 'block') owner = up;
    } else if (owner && isCaseClause(owner)) {
      owner = owner.parent;
    }
    if (!owner) return undefined;
    while (owner.parent?.type === 'if_statement') owner = owner.parent; // an else-if chain
    if (owner.parent?.type === 'labeled_statement') owner = owner.parent;
    const inner = owner.type === 'labeled_statement' ? owner.namedChildren.find((c) => c !== null && c.type !== 'label_name' && c.type !== 'comment') ?? owner : owner;
    if (inner.type === 'for_statement') {
      pending.falls ||= pending.breaks || pending.continues;
      pending.breaks = pending.continues = false;
    } else if (isSwitchOrSelect(inner)) {
      pending.falls ||= pending.breaks;
      pending.breaks = false;
    }
    if (!pending.falls && !pending.breaks && !pending.continues) return exits;
    current = owner;
  }
  throw new TooDeep();
}

function sequence(statements: readonly Node[], from: number, covers: Covers, depth: number): PathResult {
  const result: PathResult = { exits: [], falls: true, breaks: false, continues: false };
  for (let i = from; i < statements.length; i++) {
    const r = step(statements[i]!, covers, depth);
    result.exits.push(...r.exits);
    result.breaks ||= r.breaks;
    result.continues ||= r.continues;
    if (!r.falls) {
      result.falls = false;
      return result;
    }
  }
  return result;
}

function block(node: Node | null, covers: Covers, depth: number): PathResult {
  return node ? sequence(blockStatements(node), 0, covers, depth) : ENDS(true);
}

/** The paths through one statement. */
function step(s: Node, covers: Covers, depth: number): PathResult {
  if (depth > MAX_NESTING) throw new TooDeep();
  const d = depth + 1;
  switch (s.type) {
    case 'return_statement':
      return covers(s) ? ENDS(false) : { exits: [s], falls: false, breaks: false, continues: false };
    case 'break_statement':
      return { exits: [], falls: false, breaks: true, continues: false };
    case 'continue_statement':
      return { exits: [], falls: false, breaks: false, continues: true };
    case 'goto_statement':
    case 'fallthrough_statement':
      return ENDS(false);
    case 'block':
      return block(s, covers, d);
    case 'labeled_statement': {
      const inner = s.namedChildren.find((c) => c !== null && c.type !== 'label_name' && c.type !== 'comment');
      return inner ? step(inner, covers, d) : ENDS(true);
    }
    case 'if_statement': {
      if (coversAny([s.childForFieldName('initializer'), s.childForFieldName('condition')], covers)) return ENDS(false);
      const consequence = block(s.childForFieldName('consequence'), covers, d);
      const alt = s.childForFieldName('alternative');
      const alternative = !alt ? ENDS(true) : alt.type === 'block' ? block(alt, covers, d) : step(alt, covers, d);
      return merge([consequence, alternative]);
    }
    case 'for_statement': {
      const header = s.namedChildren.filter((c): c is Node => c !== null && c.type !== 'block' && c.type !== 'comment');
      if (coversAny(header, covers)) return ENDS(false);
      const body = block(s.childForFieldName('body'), covers, d);
      // `for {}` is left only by a break; any other loop may also end (or never start).
      return { exits: body.exits, falls: header.length > 0 || body.breaks, breaks: false, continues: false };
    }
    case 'expression_switch_statement':
    case 'type_switch_statement':
    case 'select_statement': {
      const cases: PathResult[] = [];
      let hasDefault = false;
      for (const child of s.namedChildren) {
        if (!child || child.type === 'comment') continue;
        if (!isCaseClause(child)) {
          // The switch's header: its initializer and value.
          if (covers(child)) return ENDS(false);
          continue;
        }
        if (child.type === 'default_case') hasDefault = true;
        cases.push(caseClause(child, covers, d));
      }
      const all = merge(cases);
      // A switch without a default may match no case; a select always runs one (`select {}` none, ever).
      const falls = all.falls || all.breaks || (s.type !== 'select_statement' && !hasDefault);
      return { exits: all.exits, falls, breaks: false, continues: all.continues };
    }
    default:
      if (covers(s)) return ENDS(false);
      return ENDS(!isTerminatingStatement(s));
  }
}

/** A case clause: its communication or values (a select's `case v := <-ch:` may cover), then its statements. */
function caseClause(clause: Node, covers: Covers, depth: number): PathResult {
  const statements: Node[] = [];
  for (const child of clause.namedChildren) {
    if (!child || child.type === 'comment') continue;
    if (child.type === 'statement_list') statements.push(...child.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment'));
    else if (covers(child)) return ENDS(false);
  }
  return sequence(statements, 0, covers, depth);
}

function merge(results: readonly PathResult[]): PathResult {
  return {
    exits: results.flatMap((r) => r.exits),
    falls: results.some((r) => r.falls),
    breaks: results.some((r) => r.breaks),
    continues: results.some((r) => r.continues),
  };
}

function coversAny(nodes: readonly (Node | null)[], covers: Covers): boolean {
  return nodes.some((n) => n !== null && covers(n));
}

function isCaseClause(node: Node): boolean {
  return node.type === 'expression_case' || node.type === 'default_case' || node.type === 'type_case' || node.type === 'communication_case';
}

function isSwitchOrSelect(node: Node): boolean {
  return node.type === 'expression_switch_statement' || node.type === 'type_switch_statement' || node.type === 'select_statement';
}

/**
 * Whether a text mentions the local name `name`: the identifier anywhere (function literals
 * included: a closure that calls cancel is a use), not as a field (`s.cancel`).
 */
export function mentionsName(name: string): (text: string) => boolean {
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_.])${name}(?![\\p{L}\\p{N}_])`, 'u');
  return (text) => pattern.test(text);
}

/** A Covers for uses of a local name (see mentionsName). */
export function usesName(name: string): Covers {
  const mentions = mentionsName(name);
  return (node) => mentions(node.text);
}

/**
 * Whether anything in a loop's body leaves the loop: a return, a goto, a labeled break (taken to
 * leave, wherever it points), or a break that is not inside a loop, switch or select nested in the
 * body; with `terminatingCalls`, also a statement that ends the goroutine or the program (panic,
 * os.Exit, runtime.Goexit, log.Fatal...). Function literals in the body are other functions.
 */
export function leavesLoop(body: Node, terminatingCalls = false): boolean {
  let leaves = false;
  walkDescendants(
    body,
    (n) => {
      if (leaves || n.type === 'func_literal') return false;
      if (n.type === 'break_statement') leaves = n.namedChildren.length > 0 || !insideBreakable(n, body);
      else if (n.type === 'return_statement' || n.type === 'goto_statement') leaves = true;
      else if (n.type === 'expression_statement') leaves = terminatingCalls && isTerminatingStatement(n);
      return !leaves;
    },
    terminatingCalls ? LOOP_EXITS_AND_CALLS : LOOP_EXITS,
  );
  return leaves;
}

const LOOP_EXITS = new Set(['func_literal', 'return_statement', 'break_statement', 'goto_statement']);
const LOOP_EXITS_AND_CALLS = new Set([...LOOP_EXITS, 'expression_statement']);

/** Whether a break statement sits in a loop, switch or select nested inside `body`. */
function insideBreakable(node: Node, body: Node): boolean {
  for (let n = node.parent; n && n.id !== body.id; n = n.parent) if (BREAKABLE_TYPES.has(n.type)) return true;
  return false;
}
