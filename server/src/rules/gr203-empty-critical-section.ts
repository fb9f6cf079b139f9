// GR203 empty-critical-section: x.Lock() immediately followed by x.Unlock() (or RLock/RUnlock):
// nothing is protected, and what was meant to be inside usually ended up after the Unlock.
import type { Node } from 'web-tree-sitter';
import type { PackageLookup } from '../engine/packageView';
import { previousStatement, topLevelDeclaration } from '../engine/syntax';
import type { Rule } from '../engine/types';
import { localVariableType } from './declarations';
import { isCallOn, lockCall, lockStatementAnchors } from './lockSyntax';
import { links, proverbs } from './proverbs';

/**
 * Whether the comment just above the Lock (or above the statement before it) names the lock: an
 * empty section written on purpose, as a barrier, and explained ("acquire sigMu to wait for any
 * active signal call to complete").
 */
function documentedBarrier(lock: Node, key: string): boolean {
  const name = key.slice(key.lastIndexOf('.') + 1);
  const mentions = new RegExp(`(?<![\\p{L}\\p{N}_])${name}(?![\\p{L}\\p{N}_])`, 'u');
  let statements = 0;
  for (let s = lock.previousNamedSibling; s && statements < 2; s = s.previousNamedSibling) {
    if (s.type !== 'comment') {
      statements++;
      continue;
    }
    if (mentions.test(s.text)) return true;
  }
  return false;
}

/**
 * Whether the receiver is a variable of a package type whose Lock method returns something: not a
 * sync.Locker (whose Lock returns nothing), so "Lock" names something else (`var t T; t.Lock()`).
 */
function notALock(statement: Node, key: string, method: string, pkg: PackageLookup): boolean {
  if (!/^\w+$/.test(key)) return false;
  const type = localVariableType(topLevelDeclaration(statement), key);
  const results = type === undefined ? undefined : pkg.get(`m:${type}.${method}`);
  return results !== undefined && results !== '';
}

export const emptyCriticalSection: Rule = {
  meta: {
    code: 'GR203',
    name: 'empty-critical-section',
    phase: 'concurrency',
    severity: 'warning',
    summary: 'A Lock is immediately followed by the matching Unlock: the critical section is empty.',
    proverb: proverbs.syncPrimitives,
    fixable: false,
    example: {
      bad: 'c.mu.Lock()\nc.mu.Unlock()\nc.hits++',
      good: 'c.mu.Lock()\nc.hits++\nc.mu.Unlock()',
    },
    docs: `## What it flags
A statement \`x.Lock()\` directly followed, in the same block, by \`x.Unlock()\` (or \`x.RLock()\` by \`x.RUnlock()\`),
with nothing between them but comments. The finding is on the Unlock (where staticcheck's SA2001 puts it), with
the Lock as its related place. The receiver may be a call written the same way twice (\`lock().Lock()\` then
\`lock().Unlock()\`).

## Why
A critical section protects what runs inside it. An empty one protects nothing: usually the statement meant to be
inside was written after the Unlock, or the Unlock was moved up during an edit. Where it is meant as a barrier
(wait until whoever holds the lock lets go) it is a subtle way to synchronise that a channel, a \`sync.WaitGroup\`
or a \`sync.Cond\` says plainly.

## Bad
\`\`\`go
c.mu.Lock()
c.mu.Unlock()
c.hits++ // meant to be protected
\`\`\`

## Good
\`\`\`go
c.mu.Lock()
c.hits++
c.mu.Unlock()
\`\`\`

## Fix
None: which statements belong inside the section is for the author to say.

## Left alone
- A barrier written on purpose and explained: a comment just above the Lock, or above the statement before it,
  that names the lock (\`// Acquire sigMu to wait for any active signal call to complete.\`). The standard library's
  three empty sections are of this kind.
- \`_test.go\` files: tests of locking code lock and unlock on purpose (to check that a lock is free, or to time it).
- \`defer x.Unlock()\` right after the Lock (the usual pattern: the section runs to the end of the function).
- A Lock and an Unlock of different receivers, or of different kinds (\`Lock\` then \`RUnlock\`).
- Package functions named Lock, as for GR201.
- A variable of a package type whose \`Lock\` method returns something (\`func (T) Lock() int\`): not a sync.Locker.
- Generated files, as for every rule.

## Approximations
Receivers are matched by their text (\`s.mu\`), and any type with Lock and Unlock methods counts, unless the
declaration shows the variable's type and the package gives that type's Lock a result.

## Links
- [sync.Mutex](https://pkg.go.dev/sync#Mutex)
- [Go Proverbs: Channels orchestrate; mutexes serialize](${links.goProverbs})
- peer: staticcheck SA2001`,
  },
  // Tests of locking code lock and unlock on purpose (to see that the lock is free, or to time it).
  appliesTo: (file) => !file.isTestFile,
  // Each `.Unlock()` / `.RUnlock()` statement; visit() looks at the statement before it.
  anchors: lockStatementAnchors(true),
  visit(unlock: Node, ctx) {
    const before = previousStatement(unlock);
    if (!before) return;
    const lock = lockCall(before, ctx.file, true);
    if (!lock || !isCallOn(unlock, lock.key, lock.unlock)) return;
    if (documentedBarrier(before, lock.key) || notALock(before, lock.key, lock.method, ctx.pkg)) return;
    // On the Unlock, where staticcheck's SA2001 reports it too, with the Lock as the related place.
    ctx.report({
      node: unlock,
      related: [{ start: before.startIndex, end: before.endIndex, message: `${lock.key}.${lock.method}() here` }],
      message: `${lock.key}.${lock.method}() is followed directly by ${lock.key}.${lock.unlock}(): the critical section is empty; move the statements it should protect between them`,
    });
  },
};
