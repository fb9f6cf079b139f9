// GR406 pool-no-reset: a buffer taken from a sync.Pool and put back without a Reset in between
// carries its old contents to the next user of the pool (and to this one, if the last user did the same).
import type { Node } from 'web-tree-sitter';
import { calleeOf, enclosingFunction } from '../engine/syntax';
import type { Rule, RuleContext } from '../engine/types';
import { proverbs } from './proverbs';

/** Standard types whose state a pooled value must clear with Reset (bufio and compressors: Reset(w) points them at a new stream). */
const RESETTABLE: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['bytes', new Set(['Buffer'])],
  ['strings', new Set(['Builder'])],
  ['bufio', new Set(['Reader', 'Writer'])],
  ['compress/gzip', new Set(['Reader', 'Writer'])],
  ['compress/flate', new Set(['Writer'])],
  ['compress/zlib', new Set(['Writer'])],
]);

/** Characters that a regular expression must escape in a pool's written expression (`s.pool`). */
const REGEXP_SPECIAL = /[.*+?^${}()|[\]\\]/g;

/** The type the assertion names, written as in the file (`bytes.Buffer`, `encoder`), when a pooled value of it must be Reset. */
function resettableType(assertion: Node, ctx: RuleContext): string | undefined {
  const type = assertion.childForFieldName('type');
  if (type?.type !== 'pointer_type') return undefined;
  const target = type.namedChildren.find((c) => c?.type !== 'comment');
  if (target?.type === 'qualified_type') {
    const pkg = target.childForFieldName('package')?.text;
    const name = target.childForFieldName('name')?.text;
    const path = pkg === undefined ? undefined : ctx.file.imports.pathOf(pkg);
    return path !== undefined && name !== undefined && RESETTABLE.get(path)?.has(name) ? target.text : undefined;
  }
  // The package's own type, when it declares a Reset method.
  return target?.type === 'type_identifier' && ctx.pkg.get(`m:${target.text}.Reset`) !== undefined ? target.text : undefined;
}

/** The variable `x := pool.Get().(*T)` (or `x, ok :=`, `x = ...`, `var x = ...`) binds the assertion to. */
function boundName(assertion: Node): string | undefined {
  const list = assertion.parent;
  if (list?.type !== 'expression_list') return undefined;
  const statement = list.parent;
  const targets =
    statement?.type === 'var_spec' ? statement.childrenForFieldName('name') : statement?.type === 'short_var_declaration' || statement?.type === 'assignment_statement' ? (statement.childForFieldName('left')?.namedChildren ?? []) : [];
  // `x := ...` or the comma-ok form `x, ok := ...`.
  const first = targets.length === 1 || targets.length === 2 ? targets[0] : undefined;
  return first?.type === 'identifier' && list.namedChildren.filter((c) => c?.type !== 'comment').length === 1 ? first.text : undefined;
}

export const poolNoReset: Rule = {
  meta: {
    code: 'GR406',
    name: 'pool-no-reset',
    phase: 'production',
    severity: 'information',
    summary: 'A buffer taken from a sync.Pool and put back by the same function without ever being Reset, so its old contents travel to the next user.',
    proverb: proverbs.poolReset,
    fixable: false,
    example: {
      bad: 'buf := bufPool.Get().(*bytes.Buffer)\ndefer bufPool.Put(buf)\nbuf.WriteString(prefix)\nbuf.Write(payload)',
      good: 'buf := bufPool.Get().(*bytes.Buffer)\nbuf.Reset()\ndefer bufPool.Put(buf)\nbuf.WriteString(prefix)\nbuf.Write(payload)',
    },
    docs: `## What it flags
\`x := pool.Get().(*T)\` where \`T\` is a \`bytes.Buffer\`, \`strings.Builder\`, \`bufio.Reader\` or \`Writer\`, a gzip,
flate or zlib writer (or gzip reader), or a type of the package that declares a \`Reset\` method, when the same
function puts \`x\` back with \`pool.Put(x)\` (directly or deferred) and never calls \`x.Reset(...)\` (nor
\`x.Truncate(0)\`) anywhere.

## Why
A pool hands out whatever was put back last. A \`bytes.Buffer\` put back without a Reset still holds what its last
user wrote: the next \`Get\` appends after it, and the output carries another request's bytes (a classic data leak
between users), or grows without bound. A \`bufio.Writer\` or a gzip writer still points at the previous stream until
\`Reset(w)\` points it at the new one. Whether the pool's convention is to Reset after \`Get\` or before \`Put\`, a
function that does neither breaks it for everyone.

## Bad
\`\`\`go
buf := bufPool.Get().(*bytes.Buffer)
defer bufPool.Put(buf)
buf.WriteString(prefix)
buf.Write(payload)
\`\`\`

## Good
\`\`\`go
buf := bufPool.Get().(*bytes.Buffer)
buf.Reset()
defer bufPool.Put(buf)
buf.WriteString(prefix)
buf.Write(payload)
\`\`\`

## Left alone
- A value that the function does not put back itself (returned to the caller, or handed to a helper that puts it
  back): the helper may Reset it.
- A \`Reset\` anywhere in the function, before use or before \`Put\`, deferred or in a function literal.
- Types without state to clear, or whose type the assertion does not name (\`pool.Get().([]byte)\`, a type of
  another package other than the standard ones above).
- Generated files, as for every rule.

## Approximations
The pool is recognised by the shape \`p.Get().(*T)\` and the same expression's \`p.Put(x)\`, not by its type; a
package type's \`Reset\` method is found through the package index (a method promoted from an embedded field is not
seen, and such types are left alone). The rule does not check that the Reset comes before the use or the Put on
every path.

## Links
- [sync.Pool](https://pkg.go.dev/sync#Pool)
- [bytes.Buffer.Reset](https://pkg.go.dev/bytes#Buffer.Reset)
- peer: none in go vet, staticcheck or golangci-lint (staticcheck SA6002 checks what is Put, not its state)`,
  },
  anchors: {
    text: () => ['Get'],
    // `.Get().(*T)`: the assertion of a pooled value, read on the text before the tree.
    accept: (text, at) => text[at - 1] === '.' && /^Get\s*\(\s*\)\s*\.\s*\(\s*\*/.test(text.slice(at, at + 16)),
    nodeTypes: ['type_assertion_expression'],
  },
  visit(assertion: Node, ctx) {
    const get = assertion.childForFieldName('operand');
    const callee = get?.type === 'call_expression' ? calleeOf(get) : undefined;
    if (callee?.name !== 'Get' || !callee.operand) return;
    const type = resettableType(assertion, ctx);
    const name = type && boundName(assertion);
    const fn = enclosingFunction(assertion);
    if (!name || !fn) return;
    const text = ctx.file.text.slice(fn.startIndex, fn.endIndex);
    if (new RegExp(`(?<![\\w.])${name}\\s*\\.\\s*(?:Reset\\s*\\(|Truncate\\s*\\(\\s*0\\s*\\))`).test(text)) return;
    const pool = callee.operand.text.replace(/\s+/g, '');
    const put = new RegExp(`(?<![\\w.])${pool.replace(REGEXP_SPECIAL, '\\$&').replace(/\\\./g, '\\s*\\.\\s*')}\\s*\\.\\s*Put\\s*\\(\\s*${name}\\s*\\)`);
    if (!put.test(text)) return;
    ctx.report({
      node: assertion,
      message: `${name} (a *${type} from ${pool}) goes back to the pool without a Reset: the next Get sees what was written to it here; call ${name}.Reset() after Get or before Put`,
    });
  },
};
