// GR205 loop-var-capture: a `go` or `defer` closure in a loop uses the loop variable, which before
// Go 1.22 is one variable shared by every iteration. Only where go.mod says `go` 1.21 or older.
import type { Node } from 'web-tree-sitter';
import { mentionsName } from '../engine/controlFlow';
import { goAtLeast } from '../engine/goVersion';
import type { ImportTable } from '../engine/imports';
import { blockStatements, FUNCTION_TYPES, walkDescendants } from '../engine/syntax';
import { insertLinesBefore } from '../fixes/statementEdits';
import type { Rule, TextEdit } from '../engine/types';
import { isTestingType, parametersOf, testingParameterOwner } from './contextSyntax';
import { declaresName } from './declarations';
import { isErrgroup } from './waitGroupSyntax';
import { proverbs } from './proverbs';

/** The variables a for statement declares for the whole loop: `for i, v := range`, `for i := 0; ...`. */
function loopVariables(loop: Node): Node[] {
  const clause = loop.namedChildren.find((c) => c?.type === 'range_clause' || c?.type === 'for_clause');
  if (!clause) return [];
  if (clause.type === 'range_clause') {
    const left = clause.childForFieldName('left');
    const right = clause.childForFieldName('right');
    // `for k, v = range m` assigns variables declared outside: one variable for the whole loop in
    // every Go version, shared by the goroutines as much as `:=` ones are before 1.22.
    if (!left || !right) return [];
    return left.namedChildren.filter((n): n is Node => n?.type === 'identifier' && n.text !== '_');
  }
  const init = clause.childForFieldName('initializer');
  if (init?.type !== 'short_var_declaration') return [];
  return (init.childForFieldName('left')?.namedChildren ?? []).filter((n): n is Node => n?.type === 'identifier' && n.text !== '_');
}

/**
 * Whether `name` at `node` is declared again somewhere between it and `stop` (a block it is in):
 * a parameter of a function literal, a loop or if/switch header, or an earlier declaration in an
 * enclosing block, `stop`'s own statements included.
 */
function declaredBetween(node: Node, name: string, stop: Node): boolean {
  let child: Node = node;
  for (let a = node.parent; a; child = a, a = a.parent) {
    if (a.type === 'func_literal' && parametersOf(a).some((p) => p.name?.text === name)) return true;
    if (a.type === 'for_statement' && loopVariables(a).some((v) => v.text === name)) return true;
    if (a.type === 'if_statement' || a.type === 'expression_switch_statement' || a.type === 'type_switch_statement') {
      const init = a.childForFieldName('initializer');
      if (init && init.id !== child.id && declaresName(init, name)) return true;
      if (a.type === 'type_switch_statement' && a.childForFieldName('alias')?.namedChildren.some((n) => n?.text === name)) return true;
    }
    if (a.type === 'statement_list' || a.type === 'block') {
      for (let s = child.previousNamedSibling; s; s = s.previousNamedSibling) if (declaresName(s, name)) return true;
    }
    if (a.id === stop.id) return false;
  }
  return false;
}

/** Whether the closure body uses the loop variable `name` (not a field, a string, a comment, or its own `name`). */
function usesLoopVariable(closureBody: Node, name: string, from = 0): boolean {
  if (!mentionsName(name)(closureBody.text)) return false;
  let found = false;
  walkDescendants(
    closureBody,
    (n) => {
      if (!found && n.startIndex >= from && n.text === name && !declaredBetween(n, name, closureBody)) found = true;
      return !found;
    },
    IDENTIFIERS,
  );
  return found;
}

const IDENTIFIERS = new Set(['identifier']);

/**
 * Whether the loop body waits for the goroutine before the next iteration: after the go
 * statement, a statement of the body receives from a channel (`<-done`) or calls Wait(), or
 * reads the pipe whose writer the goroutine closes.
 */
function awaitedInIteration(body: Node, go: Node): boolean {
  const statements = blockStatements(body);
  if (statements.some((s) => s.startIndex > go.endIndex && (/<-/.test(s.text) || /\.Wait\(\)/.test(s.text)))) return true;
  // `r, w := io.Pipe()` in the iteration, the goroutine closes w, and the iteration reads r after it:
  // reading to the end waits for the Close, the goroutine's last act.
  for (const s of statements) {
    const pipe = /^(\w+),\s*(\w+)\s*:=\s*\w+\.Pipe\(\)$/.exec(s.text);
    if (!pipe || s.startIndex > go.startIndex) continue;
    const [, reader, writer] = pipe;
    if (new RegExp(`\\b${writer}\\.Close(?:WithError)?\\(`).test(go.text) && statements.some((t) => t.startIndex > go.endIndex && new RegExp(`\\b${reader}\\b`).test(t.text))) return true;
  }
  return false;
}

/**
 * How a function literal runs after the iteration that made it, if it does: started with `go`,
 * deferred, handed to an errgroup's `Go`, or a subtest (`t.Run(name, func(t *testing.T) {...})`)
 * that calls `t.Parallel()` (then only what follows that call runs later). `statement` is the
 * statement of the loop body it is in; `from` the offset after which uses count.
 */
function startedLater(literal: Node, imports: ImportTable): { statement: Node; kind: string; from: number } | undefined {
  const parent = literal.parent;
  if (parent?.type === 'call_expression' && parent.childForFieldName('function')?.id === literal.id) {
    const statement = parent.parent;
    if (statement?.type === 'go_statement') return { statement, kind: 'goroutine', from: 0 };
    if (statement?.type === 'defer_statement') return { statement, kind: 'deferred call', from: 0 };
    return undefined;
  }
  const call = parent?.type === 'argument_list' ? parent.parent : undefined;
  const callee = call?.type === 'call_expression' ? call.childForFieldName('function') : undefined;
  if (callee?.type !== 'selector_expression' || call!.parent?.type !== 'expression_statement') return undefined;
  const method = callee.childForFieldName('field')?.text;
  const operand = callee.childForFieldName('operand');
  const statement = call!.parent;
  if (operand?.type !== 'identifier') return undefined;
  if (method === 'Go') return isErrgroup(literal, operand.text, imports) ? { statement, kind: 'goroutine', from: 0 } : undefined;
  if (method !== 'Run' || !testingParameterOwner(literal, operand.text, imports)) return undefined;
  // A subtest runs later only from its t.Parallel() on, called on its own *testing.T (not one
  // redeclared before it).
  const body = literal.childForFieldName('body');
  const param = parametersOf(literal)[0];
  if (!body || !param?.name || !isTestingType(param.type, imports)) return undefined;
  // The last top-level t.Parallel() (a labeled one too, as the target of a goto): what follows it
  // runs in parallel on every path that gets there, unless a goto can jump past it to a label after it.
  const statements = blockStatements(body);
  const parallel = `${param.name.text}.Parallel()`;
  let at = -1;
  statements.forEach((s, i) => {
    if (unlabeled(s).text.replace(/\s+/g, '') === parallel) at = i;
  });
  if (at < 0) return undefined;
  const before = statements.slice(0, at + 1);
  if (before.some((s) => s.type === 'short_var_declaration' && (s.childForFieldName('left')?.namedChildren ?? []).some((n) => n?.text === param.name!.text))) return undefined;
  if (statements.slice(at + 1).some((s) => s.type === 'labeled_statement')) return undefined;
  return { statement, kind: 'parallel subtest', from: statements[at]!.endIndex };
}

/** The statement a label marks (`Test: t.Parallel()` -> `t.Parallel()`), or the statement itself. */
function unlabeled(statement: Node): Node {
  let s = statement;
  while (s.type === 'labeled_statement') {
    const inner = s.namedChildren.find((c) => c !== null && c.type !== 'label_name' && c.type !== 'comment');
    if (!inner) break;
    s = inner;
  }
  return s;
}

export const loopVarCapture: Rule = {
  meta: {
    code: 'GR205',
    name: 'loop-var-capture',
    phase: 'concurrency',
    severity: 'warning',
    summary: 'A go or defer closure in a loop uses the loop variable, shared by every iteration before Go 1.22.',
    proverb: proverbs.loopVariables,
    fixable: true,
    goplsAnalyzer: 'loopclosure',
    example: {
      bad: 'for _, u := range urls {\n\tgo func() {\n\t\tfetch(u) // every goroutine may see the last url\n\t}()\n}',
      good: 'for _, u := range urls {\n\tu := u\n\tgo func() {\n\t\tfetch(u)\n\t}()\n}',
    },
    docs: `## What it flags
A function literal started with \`go\`, registered with \`defer\`, handed to an errgroup's \`Go\`, or run as a
parallel subtest (\`t.Run(name, func(t *testing.T) { t.Parallel(); ... })\`, uses after its last \`t.Parallel()\`) inside
a \`for\` loop, at any depth (an \`if\`, \`switch\` or \`select\` branch, an inner loop), whose body uses a variable
that loop or an enclosing one declares or assigns (\`for i, v := range xs\`, \`for i := 0; ...\`, \`for k = range m\`), when the module's
go.mod says \`go\` 1.21 or older.
The finding is on the first use and names the variable.

## Why
Until Go 1.22 the variables of a \`for\` clause are created once for the whole loop and updated by each iteration.
A goroutine that reads one runs later, concurrently with the loop: it usually sees a later iteration's value (often
the last one), and reading it races with the loop writing it. A deferred closure runs when the function returns,
after the loop is over, so every one of them sees the final value. Go 1.22 gives each iteration its own variables,
which is why the rule is off for modules that say \`go 1.22\` or later.

## Bad
\`\`\`go
for _, u := range urls {
	go func() {
		fetch(u) // every goroutine may see the last url
	}()
}
\`\`\`

## Good
\`\`\`go
for _, u := range urls {
	u := u
	go func() {
		fetch(u)
	}()
}
\`\`\`

## Fix
Declares a copy at the top of the loop body (\`u := u\`), which gives each iteration its own variable, as Go 1.22
does. A quick fix, not applied by fix-all: it changes what the closure sees, which is the point. Passing the value
as an argument (\`go func(u string) { ... }(u)\`) is the other way.

## Left alone
- Modules whose go.mod says \`go 1.22\` or later, and files with no go.mod above them (the version is not known).
- A variable the loop body copies before the closure (\`v := v\`), or that the closure takes as a parameter of its
  own name.
- A subtest where a \`goto\` could jump past its last \`t.Parallel()\` (a label after it).
- Closures that are called on the spot or stored: only \`go\` and \`defer\` run them after the iteration moved on.
- A goroutine the iteration waits for: after the \`go\` statement, the loop body receives from a channel, calls
  \`Wait()\`, or reads the reader of an \`io.Pipe()\` made in the iteration whose writer the goroutine closes (the
  goroutine is over, or about to be, before the variable changes).
- Uses of a name the closure declares itself: its own parameters, a nested literal's, a loop or \`if\` of its own,
  or an earlier \`:=\` in one of its blocks (\`for i := range a\` inside the closure is not the loop's \`i\`).
- Generated files, as for every rule.

## Approximations
Uses are identifiers of the name (fields, strings and comments do not count) not declared again inside the closure. go vet's loopclosure (before Go 1.22) looks only at the last statement of the loop
body (and of the branches that end it); this rule looks at every \`go\` and \`defer\` in it, so it also reports a
goroutine followed by other statements, which loopclosure's own tests list as a bug it misses. An errgroup
reached through a field (\`s.g.Go(...)\`) needs its type, which the syntax does not show: only a variable bound by
\`errgroup.WithContext\` or declared as \`errgroup.Group\` in the function counts.

## Links
- [Go Wiki: LoopvarExperiment](https://go.dev/wiki/LoopvarExperiment)
- [Fixing For Loops in Go 1.22](https://go.dev/blog/loopvar-preview)
- peer: go vet loopclosure (also shown by gopls; see the goRubric.deferToGopls setting)`,
  },
  appliesTo: (file) => file.goVersion !== undefined && !goAtLeast(file.goVersion, '1.22'),
  // The `func` of a literal that a go or defer statement calls.
  anchors: {
    text: () => ['func'],
    // After `go` or `defer`, or as an argument of `.Go(` (errgroup) or `.Run(` (a subtest that may call t.Parallel).
    accept: (text, at) => /(?:^|[^\w])(?:go|defer)\s+$|\.(?:Go|Run)\s*\([^()]*$/.test(text.slice(Math.max(0, at - 80), at)),
    nodeTypes: ['func_literal'],
  },
  visit(literal: Node, ctx) {
    const started = startedLater(literal, ctx.file.imports);
    if (!started) return;
    const { statement, kind, from } = started;
    // Every loop of the same function around the statement, innermost first: a closure in an inner
    // loop sees the outer loops' variables too.
    const own = new Set(parametersOf(literal).flatMap((p) => (p.name ? [p.name.text] : [])));
    const closureBody = literal.childForFieldName('body');
    if (!closureBody) return;
    const captured: string[] = [];
    let innermostBody: Node | undefined;
    for (let loop: Node | null = statement.parent; loop && !FUNCTION_TYPES.has(loop.type); loop = loop.parent) {
      if (loop.type !== 'for_statement') continue;
      const body = loop.childForFieldName('body');
      if (!body) return;
      innermostBody ??= body;
      if (kind !== 'deferred call' && awaitedInIteration(body, statement)) break;
      for (const v of loopVariables(loop)) {
        if (own.has(v.text) || captured.includes(v.text) || declaredBetween(statement, v.text, body)) continue;
        if (usesLoopVariable(closureBody, v.text, from)) captured.push(v.text);
      }
    }
    if (!innermostBody) return;
    if (captured.length === 0) return;
    const names = captured;
    const when = kind === 'deferred call' ? 'it runs after the loop, when the variable holds its last value' : 'by the time it runs, the loop may have moved on';
    ctx.report({
      node: literal.childForFieldName('parameters') ?? literal,
      message: `the ${kind} uses the loop variable${names.length > 1 ? 's' : ''} ${names.join(', ')}, shared by every iteration before Go 1.22: ${when}; copy ${names.length > 1 ? 'them' : 'it'} first (${names.map((n) => `${n} := ${n}`).join('; ')}) or pass ${names.length > 1 ? 'them' : 'it'} as arguments`,
      ...copyFix(innermostBody, names, ctx.file.text),
    });
  },
};

/**
 * `v := v` as the loop body's first statement, one line per variable, each its own edit: the
 * findings of two closures in one body then add the same line once when fixed together.
 */
function copyFix(body: Node, names: string[], text: string): { fix: { title: string; edits: TextEdit[]; safe: boolean } } | Record<string, never> {
  const first = blockStatements(body)[0];
  const edits = first ? names.map((n) => insertLinesBefore(text, first, [`${n} := ${n}`])) : [];
  return first && edits.every((e): e is TextEdit => e !== undefined) ? { fix: { title: `Copy ${names.join(', ')} for each iteration`, edits, safe: false } } : {};
}
