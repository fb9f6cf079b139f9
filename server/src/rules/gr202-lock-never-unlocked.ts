// GR202 lock-never-unlocked: a Lock (or RLock) in a function that never releases that lock, in any
// way: no Unlock call, deferred or not, no Unlock handed on as a method value.
import type { Node } from 'web-tree-sitter';
import { compactText, isFunctionBody, owningBlock } from '../engine/syntax';
import type { Rule } from '../engine/types';
import { insertLineAfter } from '../fixes/statementEdits';
import { lockInFunction, lockStatementAnchors } from './lockSyntax';
import { links, proverbs } from './proverbs';

/**
 * Words of a function name that say it takes a lock for its caller: `lock`, `rlockShard`, `acquire`, `Lock`,
 * `mustHold`. Whole words only: `updateThreshold`, `readBlock`, `clockTick` and `recenter` say nothing about locking.
 */
const LOCKING_WORD = /^(?:(?:r|w|re|try|must)?lock(?:s|ed|ing)?|acquire[sd]?|acquiring|enter(?:s|ed|ing)?|begin(?:s|ning)?|hold(?:s|ing)?|grab(?:s|bed|bing)?)$/i;

/** Whether a function's name has a word that says it takes a lock for its caller (camelCase or snake_case words). */
function isLockingName(name: string): boolean {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').split(/[\s_]+/).some((w) => LOCKING_WORD.test(w));
}

/** Result types a locked value cannot travel in: a function returning only these hands nothing on. */
const PLAIN_RESULTS = new Set(['error', 'bool', 'string', 'int', 'int64', 'int32', 'uint', 'uint64', 'uint32', 'float64', 'byte', 'rune']);

/**
 * Whether a later statement of the same block replaces what holds the mutex (`file.rcache = nil`
 * after `file.rcache.wait.Lock()`, or `mu = sync.Mutex{}`): the lock is not a critical section
 * but a wait (for a goroutine that unlocks it when its work is done), and the locked value is
 * dropped, never locked again.
 */
function dropsLockOwner(statement: Node, key: string): boolean {
  for (let s = statement.nextNamedSibling; s; s = s.nextNamedSibling) {
    if (s.type !== 'assignment_statement') continue;
    const targets = s.childForFieldName('left')?.namedChildren ?? [];
    if (targets.some((t) => t !== null && (key === t.text || key.startsWith(`${t.text}.`)))) return true;
  }
  return false;
}

/**
 * Whether the function keeps the lock on purpose: it returns a value the lock may travel with (a
 * transaction, a locked state: any result but errors and basic values), a comment on the Lock's
 * line or just above it talks about the unlocking ("will be unlocked by the caller", "no need to
 * unlock"), or the program ends while holding it (os.Exit, log.Fatal after the Lock).
 */
function handsLockOn(fn: Node, lock: Node, text: string): boolean {
  const results = fn.childForFieldName('result');
  if (results) {
    const types = results.type === 'parameter_list' ? results.namedChildren.map((p) => p?.childForFieldName('type')?.text ?? '') : [results.text];
    if (types.some((t) => !PLAIN_RESULTS.has(t))) return true;
  }
  const lineStart = text.lastIndexOf('\n', lock.startIndex) + 1;
  const previousLine = text.slice(text.lastIndexOf('\n', lineStart - 2) + 1, lineStart);
  const lineEnd = text.indexOf('\n', lock.endIndex);
  const around = previousLine + text.slice(lock.endIndex, lineEnd < 0 ? text.length : lineEnd);
  if (/\/\/.*\b(unlock|unlocked|held|hold|holds|locked|caller)\b/i.test(around)) return true;
  return /\b(?:os\.Exit|log\.Fatal\w*|syscall\.Exit|syscall\.Kill)\s*\(/.test(text.slice(lock.endIndex, fn.endIndex));
}

export const lockNeverUnlocked: Rule = {
  meta: {
    code: 'GR202',
    name: 'lock-never-unlocked',
    phase: 'concurrency',
    severity: 'warning',
    summary: 'A function locks a mutex that it never unlocks, on any path.',
    proverb: proverbs.deferUnlock,
    fixable: true,
    example: {
      bad: 'func (c *Cache) Put(k, v string) {\n\tc.mu.Lock()\n\tc.items[k] = v\n}',
      good: 'func (c *Cache) Put(k, v string) {\n\tc.mu.Lock()\n\tdefer c.mu.Unlock()\n\tc.items[k] = v\n}',
    },
    docs: `## What it flags
A statement \`x.Lock()\` (or \`x.RLock()\`) in a function that contains no \`x.Unlock()\` (\`x.RUnlock()\`) at all:
not as a statement, not deferred, not in a closure, not handed on as a method value (\`return x.Unlock\`). The
finding is on the Lock.

## Why
A lock that is never released deadlocks the next caller of Lock, usually in another goroutine and far from the
mistake. The missing Unlock is most often a slip (the line was lost in an edit, or written for the wrong receiver);
\`defer x.Unlock()\` right after the Lock makes the pairing impossible to lose.

## Bad
\`\`\`go
func (c *Cache) Put(k, v string) {
	c.mu.Lock()
	c.items[k] = v
}
\`\`\`

## Good
\`\`\`go
func (c *Cache) Put(k, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[k] = v
}
\`\`\`

## Fix
Inserts \`defer x.Unlock()\` on the line after the Lock, when the Lock is a statement of the function's own body (not
in a loop or a branch). A quick fix, not applied by fix-all: releasing the lock changes behaviour, which is right
for a slip and wrong for a function meant to return with the lock held.

## Left alone
- Functions that hand the lock on: they return a value it may travel with (a transaction or a locked state; any
  result but errors and basic values), a comment on the Lock's line or the line above talks about the unlocking
  (\`// will be unlocked by the caller\`, \`// no need to unlock\`, \`// held until ...\`), or the program exits holding
  it (\`os.Exit\`, \`log.Fatal\` after the Lock).
- Hand-over-hand locking: an Unlock of the same field of another value (\`y.mu.Unlock(); l.mu.Lock(); y = l\`).
- A lock whose owner is dropped right after (\`file.rcache.wait.Lock(); file.rcache = nil\`): a mutex used to wait for
  a goroutine that unlocks it when its work is done, not a critical section.
- \`_test.go\` files: tests of locking code, and tests that order their steps with bare locks, hold locks on purpose.
- Functions whose name says they take a lock for their caller (\`lock\`, \`rlockShard\`, \`acquire\`, \`Lock\`,
  \`mustHold\`: a word lock, rlock, wlock, trylock, acquire, enter, begin, hold or grab, in any of its forms): locking
  protocols, where the Unlock is in another function by design. Whole words only: \`updateThreshold\`, \`readBlock\`
  and \`clockTick\` are read like any other name.
- Any mention of the Unlock for the same receiver in the function, including closures and method values.
- Package functions named Lock and receivers computed by a call, as for GR201.
- Generated files, as for every rule.

## Approximations
Receivers are matched by their text (\`s.mu\`); a lock released through another expression of the same mutex
(\`m := &s.mu; m.Unlock()\`) is taken for a different lock. A function that hands the lock to its caller on purpose
without saying so in its name is flagged: silence it with a directive that says so.

## Links
- [sync.Mutex](https://pkg.go.dev/sync#Mutex)
- [Effective Go: Defer](${links.effectiveGo}#defer)
- peer: none in go vet or staticcheck (staticcheck SA2001 covers empty sections only)`,
  },
  // Tests of locking code, and tests synchronising steps with bare locks, hold them on purpose.
  appliesTo: (file) => !file.isTestFile,
  anchors: lockStatementAnchors(),
  visit(statement: Node, ctx) {
    const found = lockInFunction(statement, ctx.file);
    if (!found) return;
    const { lock, fn, body } = found;
    const name = fn.childForFieldName('name')?.text;
    if (name && isLockingName(name)) return;
    // Any mention of the Unlock: a call, a defer, a closure, a method value. An Unlock of the same
    // field of another value (`y.mu.Unlock(); l.mu.Lock(); y = l`) is hand-over-hand locking.
    const compact = compactText(body);
    const field = lock.key.slice(lock.key.lastIndexOf('.') + 1);
    if (compact.includes(`${lock.key}.${lock.unlock}`) || (field !== lock.key && compact.includes(`.${field}.${lock.unlock}`))) return;
    if (handsLockOn(fn, statement, ctx.file.text) || dropsLockOwner(statement, lock.key)) return;
    const block = statement.parent && owningBlock(statement.parent);
    const deferText = `defer ${lock.key}.${lock.unlock}()`;
    const insert = block && isFunctionBody(block) ? insertLineAfter(ctx.file.text, statement, deferText) : undefined;
    ctx.report({
      node: statement,
      message: `${lock.key}.${lock.method}() is never released in ${name ?? 'this function'}: no ${lock.key}.${lock.unlock}() on any path, so the next ${lock.method} deadlocks; ${deferText} after it`,
      ...(insert ? { fix: { title: `Add ${deferText}`, edits: [insert], safe: false } } : {}),
    });
  },
};
