// Lock and Unlock statements as the lock rules (GR201-GR203) read them: receivers matched by their
// text (`s.mu`, `c` for an embedded mutex), any type with Lock/Unlock methods counting, as with sync.Locker.
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from '../engine/fileFacts';
import type { Rule } from '../engine/types';
import { callArguments, calleeOf, compactText, enclosingFunction, isImportedPackageName, statementCall } from '../engine/syntax';

/** The Unlock that releases each Lock method. */
export const UNLOCK_FOR: Readonly<Record<string, string>> = { Lock: 'Unlock', RLock: 'RUnlock' };

/** A statement `x.Lock()` or `x.RLock()`: the receiver as compact text, the method and its Unlock. */
export interface LockCall {
  key: string;
  method: string;
  unlock: string;
}

/** The Lock or RLock a statement makes, when it is `x.Lock()`/`x.RLock()` on a receiver that is not a package or a call. */
export function lockCall(statement: Node, file: FileFacts, callReceivers = false): LockCall | undefined {
  const call = statementCall(statement);
  if (!call || callArguments(call).length !== 0) return undefined;
  const callee = calleeOf(call);
  if (!callee?.operand) return undefined;
  const unlock = UNLOCK_FOR[callee.name];
  if (!unlock) return undefined;
  if (isImportedPackageName(callee.operand, file.imports)) return undefined;
  // A receiver computed by a call may be a different lock each time: nothing to pair it with
  // (unless the caller pairs statements side by side, where the same call text is the same intent).
  if (!callReceivers && (callee.operand.type === 'call_expression' || callee.operand.descendantsOfType('call_expression').length > 0)) return undefined;
  return { key: compactText(callee.operand), method: callee.name, unlock };
}

/** The Lock a statement makes (see lockCall) and the function whose body it is in, the function's body with it. */
export function lockInFunction(statement: Node, file: FileFacts): { lock: LockCall; fn: Node; body: Node } | undefined {
  const lock = lockCall(statement, file);
  const fn = lock && enclosingFunction(statement);
  const body = fn?.childForFieldName('body');
  return lock && fn && body ? { lock, fn, body } : undefined;
}

/** Whether a statement is `key.<name>()`. */
export function isCallOn(statement: Node, key: string, name: string): boolean {
  const call = statementCall(statement);
  if (!call || callArguments(call).length !== 0) return false;
  const callee = calleeOf(call);
  return callee?.name === name && callee.operand !== undefined && compactText(callee.operand) === key;
}


/** `x.<name>()` at an anchor: a method call with no arguments, read from the text before the tree. */
function acceptsCall(text: string, at: number, anchor: string): boolean {
  return text[at - 1] === '.' && /^\s*\(\s*\)/.test(text.slice(at + anchor.length, at + anchor.length + 8));
}

/**
 * Anchors at the statements of each `.Lock()` / `.RLock()` (or, with `unlocks`, `.Unlock()` /
 * `.RUnlock()`) in the text; visit() checks the shape. Cheaper than a query whose name predicate
 * would run in JavaScript for every method call.
 */
export function lockStatementAnchors(unlocks = false): NonNullable<Rule['anchors']> {
  return { text: () => (unlocks ? ['Unlock', 'RUnlock'] : ['Lock', 'RLock']), accept: acceptsCall, nodeTypes: ['expression_statement'] };
}
