// GR201 lock-without-defer: x.Lock()/RLock() not followed by defer x.Unlock()/RUnlock().
import type { Node } from 'web-tree-sitter';
import {
  BREAKABLE_TYPES,
  blockStatements,
  calleeOf,
  compactText,
  isFunctionBody,
  owningBlock,
  statementCall,
  statementContainer,
  walkDescendants,
} from '../engine/syntax';
import { deletionRange, insertLineAfter } from '../fixes/statementEdits';
import type { Rule, TextEdit } from '../engine/types';
import { isCallOn, lockInFunction, lockStatementAnchors, UNLOCK_FOR } from './lockSyntax';
import { links, proverbs } from './proverbs';

const LOOPS = new Set(['for_statement']);

export const lockWithoutDefer: Rule = {
  meta: {
    code: 'GR201',
    name: 'lock-without-defer',
    phase: 'concurrency',
    severity: 'information',
    summary: 'A Lock or RLock is released by an explicit Unlock instead of a deferred one; a warning when an early exit skips the Unlock.',
    proverb: proverbs.deferUnlock,
    fixable: true,
    example: {
      bad: 'c.mu.Lock()\nif c.closed {\n\treturn ErrClosed // still locked\n}\nc.n++\nc.mu.Unlock()\nreturn nil',
      good: 'c.mu.Lock()\ndefer c.mu.Unlock()\nif c.closed {\n\treturn ErrClosed\n}\nc.n++\nreturn nil',
    },
    docs: `## What it flags
A statement \`x.Lock()\` (or \`x.RLock()\`) whose critical section ends with an explicit \`x.Unlock()\` at the same level
instead of a deferred one.
- **Warning** when a path out of the section skips the Unlock: a \`return\`, or a \`break\`/\`continue\`/\`goto\` whose
  target lies outside it, with no Unlock before it on its way out.
- **Information** when the code is correct today and \`defer x.Unlock()\` would be a drop-in replacement (the
  section runs to the end of the function, or to a plain \`return\`), so the next early return added cannot leak
  the lock. A \`panic\` with the lock held is information too: it matters only where the panic is recovered.

## Why
A mutex left locked deadlocks the next caller, usually far from the bug and only under load. \`defer x.Unlock()\`
right after the Lock releases it on every path out of the function, panics included, and puts the pairing where a
reader sees it. Since Go 1.14 a defer costs next to nothing.

## Bad
\`\`\`go
c.mu.Lock()
if c.closed {
	return ErrClosed // returns with c.mu held
}
c.n++
c.mu.Unlock()
return nil
\`\`\`

## Good
\`\`\`go
c.mu.Lock()
defer c.mu.Unlock()
if c.closed {
	return ErrClosed
}
c.n++
return nil
\`\`\`

## Fix
Inserts \`defer x.Unlock()\` on the line after the Lock, with its indentation, and removes the explicit Unlocks
that the defer replaces. It is offered only where that is a drop-in change: the Lock is in the function's own body
(a defer inside a loop or branch would hold the lock until the function returns), the function locks \`x\` once,
every explicit Unlock is the function's last statement or comes right before a \`return\` whose values call
nothing, and no other \`defer\` is registered inside the section (it would then run with the lock held). On a
warning the fix changes behaviour on purpose (the early exit now unlocks), so it is offered as a quick fix but not
applied by fix-all. Where no fix is offered, move the critical section into its own function
(or a closure) with a deferred Unlock.

## Left alone
- Sections whose end has no Unlock at the Lock's level: locks handed to the caller or to a closure, and locks
  released in every branch of an \`if\`/\`switch\`. These are protocols the syntax cannot judge.
- Short sections in the middle of a function or in a loop body, with nothing that skips the Unlock: there the
  explicit Unlock keeps the lock from being held during the work that follows.
- Functions that never unlock \`x\` (lock helpers; GR202 is about Locks never released), a re-lock in a function
  entered with the lock held (\`Unlock(); callback(); Lock()\`), and a second Lock with no Unlock between.
- A deferred Unlock anywhere in the function, including \`defer func() { x.Unlock() }()\`.
- \`Lock()\` immediately followed by \`Unlock()\` (an empty critical section is GR203's concern).
- Package functions named Lock (\`pkg.Lock()\`) and receivers computed by a call (\`get().Lock()\`).

## Approximations
Receivers are matched by their text (\`s.mu\`), and any type with Lock/Unlock methods counts, as with
\`sync.Locker\`. Paths are read from the syntax of the function body; calls that never return (\`log.Fatal\`) are
treated as ordinary calls.

## Links
- [Effective Go: Defer](${links.effectiveGo}#defer)
- [sync.Mutex](https://pkg.go.dev/sync#Mutex)
- peer: no vet or staticcheck check; staticcheck SA2001 only flags empty critical sections`,
  },
  anchors: lockStatementAnchors(),
  visit(statement: Node, ctx) {
    const found = lockInFunction(statement, ctx.file);
    if (!found) return;
    const { lock, body } = found;

    const ops = collectLockOps(body, lock.key, lock.method);
    if (ops.deferred.length > 0 || !ops.anyUnlock) return;
    // A re-lock (`Unlock(); callback(); Lock()` in a function entered with the lock held) or a
    // second Lock with no Unlock between belongs to a locking protocol this rule cannot judge.
    // Sequential sections (Lock..Unlock, later Lock..Unlock) are judged one by one.
    const earlier = [...ops.locks, ...ops.unlocks].filter((n) => n.startIndex < statement.startIndex).sort((a, b) => a.startIndex - b.startIndex);
    const enteredLocked = earlier.length > 0 && ops.unlocks.includes(earlier[0]!);
    const lockedTwice = earlier.length > 0 && ops.locks.includes(earlier[earlier.length - 1]!);
    if (enteredLocked || lockedTwice) return;

    const place = statementContainer(statement);
    if (!place) return;
    // The critical section ends at the Unlock at the Lock's own level. Without one, the lock is
    // handed off (returned locked, released by a closure or another method) or released in
    // branches: a protocol, not a slip, and left alone.
    const unlockIndex = place.statements.findIndex((s, i) => i > place.index && isCallOn(s, lock.key, lock.unlock));
    if (unlockIndex < 0) return;
    // Lock immediately followed by Unlock is an empty critical section: GR203's concern.
    if (unlockIndex === place.index + 1) return;

    const exits = uncoveredExits(place.statements, place.index, unlockIndex, lock.key, lock.unlock);
    const escape = exits.find((e) => describeExit(e) !== 'panic') ?? exits[0];
    const call = `${lock.key}.${lock.method}()`;
    const deferText = `defer ${lock.key}.${lock.unlock}()`;
    const edits = deferFix(statement, place.container, ops, ctx.file.text, deferText);
    // Information findings are worth showing only where the defer is a drop-in replacement:
    // elsewhere a short explicit section (in a loop, or before slow work) is the right code.
    if (!escape && !edits) return;
    const skipsUnlock = escape !== undefined && describeExit(escape) !== 'panic';
    const message = escape
      ? `${call} is not followed by ${deferText}: the ${describeExit(escape)} on line {line} leaves with the lock held`
      : `${call} is not followed by ${deferText}; defer the ${lock.unlock} so that no future return can skip it`;
    ctx.report({
      node: statement,
      message,
      // A panic with the lock held matters only where the panic is recovered: information.
      severity: skipsUnlock ? 'warning' : 'information',
      // With an exit that skips the Unlock, the defer changes behaviour (it fixes the bug), so it
      // is offered but never applied in bulk.
      ...(edits ? { fix: { title: `Add ${deferText}`, edits, safe: exits.length === 0 } } : {}),
      ...(escape ? { related: [{ start: escape.startIndex, end: escape.endIndex, message: `this ${describeExit(escape)} leaves with ${call} held` }] } : {}),
    });
  },
};

interface LockOps {
  locks: Node[];
  /** Explicit unlock statements directly in the function (not in nested function literals). */
  unlocks: Node[];
  deferred: Node[];
  /** Whether the function unlocks key anywhere, nested function literals included. */
  anyUnlock: boolean;
  /** Whether a nested function literal unlocks key (the fix cannot see when that runs). */
  unlockInClosure: boolean;
}

function collectLockOps(body: Node, key: string, method: string): LockOps {
  const unlock = UNLOCK_FOR[method]!;
  const ops: LockOps = { locks: [], unlocks: [], deferred: [], anyUnlock: false, unlockInClosure: false };
  const visit = (node: Node, inClosure: boolean): boolean | void => {
    if (node.type === 'defer_statement') {
      const deferred = node.namedChildren.find((c) => c?.type !== 'comment');
      if (deferred && deferredUnlocks(deferred, key, unlock)) {
        ops.deferred.push(node);
        return false;
      }
    }
    if (node.type !== 'expression_statement') return;
    if (isCallOn(node, key, unlock)) {
      ops.anyUnlock = true;
      if (inClosure) ops.unlockInClosure = true;
      else ops.unlocks.push(node);
    } else if (!inClosure && isCallOn(node, key, method)) {
      ops.locks.push(node);
    }
  };
  walkDescendants(
    body,
    (node) => {
      if (node.type === 'func_literal') {
        walkDescendants(node, (inner) => visit(inner, true), STATEMENTS_SEEN);
        return false;
      }
      return visit(node, false);
    },
    NODES_SEEN,
  );
  return ops;
}

/** The statements collectLockOps looks at, and the function literals whose bodies it tells apart. */
const STATEMENTS_SEEN = new Set(['defer_statement', 'expression_statement']);
const NODES_SEEN = new Set([...STATEMENTS_SEEN, 'func_literal']);
/** The nodes the fix's look for a defer inside the section reads. */
const DEFERS_SEEN = new Set(['defer_statement', 'func_literal']);

/** `defer key.Unlock()` or `defer func() { ... key.Unlock() ... }()`. */
function deferredUnlocks(expr: Node, key: string, unlock: string): boolean {
  if (expr.type !== 'call_expression') return false;
  const callee = calleeOf(expr);
  if (callee?.operand && callee.name === unlock && compactText(callee.operand) === key) return true;
  const fn = expr.childForFieldName('function');
  if (fn?.type !== 'func_literal') return false;
  let found = false;
  walkDescendants(fn, (node) => {
    if (found) return false;
    if (node.type === 'expression_statement' && isCallOn(node, key, unlock)) found = true;
  }, STATEMENTS_SEEN);
  return found;
}

/**
 * The exits (return, panic, break/continue/goto leaving the section) between the Lock at
 * statements[lockIndex] and the Unlock at statements[unlockIndex] that are not preceded, in their
 * own block or an enclosing one within the section, by an Unlock of the same lock.
 */
function uncoveredExits(statements: Node[], lockIndex: number, unlockIndex: number, key: string, unlock: string): Node[] {
  const lock = statements[lockIndex]!;
  const exits: Node[] = [];
  for (let i = lockIndex + 1; i < unlockIndex; i++) {
    const statement = statements[i]!;
    const leaves = (node: Node) => isExit(node, statement, key, unlock) && !coveredBy(node, lock, key, unlock);
    if (leaves(statement)) exits.push(statement);
    walkDescendants(statement, (node) => {
      if (node.type === 'func_literal') return false;
      if (leaves(node)) exits.push(node);
    });
  }
  return exits;
}

/**
 * Whether `node` leaves the section whose statement at the Lock's level is `top` without the lock
 * being released on the way: a break out of a loop that the Unlock follows is not an exit.
 */
function isExit(node: Node, top: Node, key: string, unlock: string): boolean {
  const inside = (n: Node) => n.startIndex >= top.startIndex && n.endIndex <= top.endIndex;
  switch (node.type) {
    case 'return_statement':
      return true;
    case 'goto_statement': {
      const label = node.namedChildren.find((c) => c?.type === 'label_name')?.text;
      return !top.descendantsOfType('labeled_statement').some((l) => l && labelOf(l) === label && inside(l));
    }
    case 'expression_statement': {
      const call = statementCall(node);
      const fn = call?.childForFieldName('function');
      return fn?.type === 'identifier' && fn.text === 'panic';
    }
    case 'break_statement':
    case 'continue_statement': {
      const label = node.namedChildren.find((c) => c?.type === 'label_name')?.text;
      let target: Node | undefined;
      const targets = node.type === 'break_statement' ? BREAKABLE_TYPES : LOOPS;
      for (let n = node.parent; n && !target; n = n.parent) {
        // A labelled break/continue goes to its label; a plain one to the nearest loop (or switch/select).
        if (label !== undefined ? n.type === 'labeled_statement' && labelOf(n) === label : targets.has(n.type)) target = n;
      }
      if (!target) return true;
      if (inside(target)) return false;
      // Breaking out of a loop whose next statements unlock: the lock is carried out and released there.
      return !(node.type === 'break_statement' && unlockFollows(target, key, unlock));
    }
    default:
      return false;
  }
}

/** Whether, after `statement` in its block, an Unlock of the lock comes before any return. */
function unlockFollows(statement: Node, key: string, unlock: string): boolean {
  const place = statementContainer(statement.parent?.type === 'labeled_statement' ? statement.parent : statement);
  if (!place) return false;
  for (const next of place.statements.slice(place.index + 1)) {
    if (isCallOn(next, key, unlock)) return true;
    if (next.type === 'return_statement' || next.descendantsOfType('return_statement').length > 0) return false;
  }
  return false;
}

function labelOf(labeled: Node): string | undefined {
  return labeled.childForFieldName('label')?.text ?? labeled.namedChildren.find((c) => c?.type === 'label_name')?.text;
}

/** Whether an Unlock after `lock` precedes `exit` in its own block or any enclosing block up to the Lock's. */
function coveredBy(exit: Node, lock: Node, key: string, unlock: string): boolean {
  const sectionContainer = lock.parent;
  for (let n: Node | null = exit; n && n.id !== sectionContainer?.id; n = n.parent) {
    const place = statementContainer(n);
    if (!place) continue;
    for (let i = 0; i < place.index; i++) {
      const before = place.statements[i]!;
      if (before.startIndex > lock.startIndex && isCallOn(before, key, unlock)) return true;
    }
  }
  return false;
}

function describeExit(exit: Node): string {
  switch (exit.type) {
    case 'return_statement':
      return 'return';
    case 'expression_statement':
      return 'panic';
    case 'break_statement':
      return 'break';
    case 'continue_statement':
      return 'continue';
    default:
      return 'goto';
  }
}

/**
 * The edits that insert the defer and remove the explicit Unlocks it replaces, or undefined when
 * that would change behaviour or leave code gofmt would rewrite.
 */
function deferFix(lockStmt: Node, container: Node, ops: LockOps, text: string, deferText: string): TextEdit[] | undefined {
  const block = owningBlock(container);
  if (!block || !isFunctionBody(block)) return undefined;
  if (ops.locks.length !== 1 || ops.unlockInClosure) return undefined;
  // The defer goes on its own line after the Lock; the Lock's line must hold nothing else but a comment.
  const insert = insertLineAfter(text, lockStmt, deferText);
  if (!insert) return undefined;
  const edits: TextEdit[] = [insert];

  // A defer registered inside the section runs today after the explicit Unlock. Defers run last
  // in, first out, so after the fix it would run before the deferred Unlock, with the lock held.
  const lastUnlock = Math.max(...ops.unlocks.map((u) => u.endIndex));
  let deferInSection = false;
  walkDescendants(block, (node) => {
    if (deferInSection || node.type === 'func_literal') return false;
    if (node.type === 'defer_statement' && node.startIndex > lockStmt.endIndex && node.startIndex < lastUnlock) deferInSection = true;
  }, DEFERS_SEEN);
  if (deferInSection) return undefined;

  const bodyStatements = blockStatements(block);
  for (const unlock of ops.unlocks) {
    if (unlock.startIndex < lockStmt.startIndex) return undefined;
    const place = statementContainer(unlock);
    if (!place) return undefined;
    const next = place.statements[place.index + 1];
    const isLastOfBody = place.container.id === container.id && unlock.id === bodyStatements[bodyStatements.length - 1]?.id;
    const beforePlainReturn = next?.type === 'return_statement' && next.descendantsOfType('call_expression').length === 0;
    if (!isLastOfBody && !beforePlainReturn) return undefined;
    const range = deletionRange(text, unlock);
    if (!range) return undefined;
    edits.push({ start: range.start, end: range.end, newText: '' });
  }
  return edits;
}

