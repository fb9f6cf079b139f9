// GR301 not-table-driven: a Test that checks the same function the same way three times or more,
// one copied block per case, with no table. A table of cases and one loop say the check once: a new
// case is one line, and every case is checked alike.
import type { Node } from 'web-tree-sitter';
import { blockStatements, callArguments, calleeOf, topLevelDeclaration, walkDescendants } from '../engine/syntax';
import type { ImportTable } from '../engine/imports';
import type { Rule } from '../engine/types';
import { bindsName } from './declarations';
import { proverbs } from './proverbs';
import { callsOn, caseTable, codeText, FAILING_METHODS, methodCallPattern, testParameter } from './testingSyntax';

/** How many copies of one check make a table worth writing. */
const MIN_CHECKS = 3;

/** Comparison helpers: the function under test is what they are given, not they themselves. */
const COMPARERS = /^(?:DeepEqual|Equal|EqualFold|EqualValues|Compare|Diff|Is|As|Contains|HasPrefix|HasSuffix|len|cap|string|ErrorContains)$/;

/** Names of expected values: a binding of one prepares the comparison, it does not run what is tested. */
const EXPECTED_NAME = /^(?:want|wanted|expected|expect|exp|golden)(?:[A-Z_0-9]|$)/i;

/** Literal node types: what changes from one copied case to the next. */
const LITERALS = new Set(['int_literal', 'float_literal', 'imaginary_literal', 'rune_literal', 'interpreted_string_literal', 'raw_string_literal', 'composite_literal', 'true', 'false', 'nil', 'iota']);

/**
 * A node's text with every literal replaced by `L` (and `-L` read as `L`): two copies of a check
 * that differ only in their inputs and expected values have the same shape.
 */
function shapeOf(node: Node): string {
  const out: string[] = [];
  const cursor = node.walk();
  try {
    let depth = 0;
    for (;;) {
      const n = cursor.currentNode;
      const literal = LITERALS.has(n.type) && n.type !== 'nil' || (n.type === 'unary_expression' && LITERALS.has(n.namedChildren[0]?.type ?? '') && n.namedChildren[0]?.type !== 'nil');
      if (literal) out.push('L');
      else if (n.childCount === 0) out.push(n.text);
      if (!literal && cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (depth === 0 || !cursor.gotoParent()) return out.join(' ');
        depth--;
      }
      if (depth === 0) return out.join(' ');
    }
  } finally {
    cursor.delete();
  }
}

/** One copied check: the call it checks, its shape, and where it starts. */
interface Check {
  key: string;
  call: Node;
  start: Node;
}

/** `if err != nil { t.Fatal(err) }`: a guard after a step, not a check. */
function isErrorGuard(statement: Node, t: string): boolean {
  const condition = statement.childForFieldName('condition');
  const consequence = statement.childForFieldName('consequence');
  return statement.type === 'if_statement' && !statement.childForFieldName('initializer') && !statement.childForFieldName('alternative') && condition !== null && consequence !== null && /^\w+ != nil$/.test(shapeOf(condition)) && onlyFails(consequence, t);
}

/** Whether a block only reports a failure on t (and maybe returns): the consequence of a check. */
function onlyFails(block: Node, t: string): boolean {
  const statements = blockStatements(block);
  return (
    statements.length > 0 &&
    callsOn(block, t) &&
    statements.every((s) => s.type === 'return_statement' || (s.type === 'expression_statement' && methodCallPattern(t, FAILING_METHODS).test(s.text) && s.text.trim().startsWith(t)))
  );
}

/** The single call a binding's right side is (`got := f(x)`, `got, err = pkg.F(x)`). */
function boundCall(statement: Node | null | undefined): Node | undefined {
  if (statement?.type !== 'short_var_declaration' && statement?.type !== 'assignment_statement') return undefined;
  const right = statement.childForFieldName('right');
  const values = right?.namedChildren.filter((c) => c?.type !== 'comment') ?? [];
  return values.length === 1 && values[0]?.type === 'call_expression' ? values[0] : undefined;
}

/** The one call in a condition that is not a comparison helper (`Abs(-1) != 1`, `!reflect.DeepEqual(Split(s), want)`). */
function checkedCall(condition: Node): Node | undefined {
  const calls: Node[] = [];
  walkDescendants(
    condition,
    (n) => {
      const callee = calleeOf(n);
      if (callee && !COMPARERS.test(callee.name)) calls.push(n);
      return n.type !== 'func_literal';
    },
    CALL_TYPES,
  );
  if (condition.type === 'call_expression' && !COMPARERS.test(calleeOf(condition)?.name ?? '')) calls.unshift(condition);
  return calls.length === 1 ? calls[0] : undefined;
}

const CALL_TYPES = new Set(['call_expression', 'func_literal']);

/**
 * The function a call checks, when it is a function of the package or of an imported package
 * (`Abs`, `strings.Split`): a method on a local value is a sequence of steps on one state, which a
 * table does not fit.
 */
function checkedFunction(call: Node, imports: ImportTable): string | undefined {
  const callee = calleeOf(call);
  if (!callee) return undefined;
  if (!callee.operand) return callee.name;
  // `fs := afero.NewMemMapFs()` hides the package `fs` in the test: `fs.Stat` is then a method.
  const local = callee.operand.type === 'identifier' && bindsName(topLevelDeclaration(call), callee.operand.text);
  const path = callee.operand.type === 'identifier' && !local ? imports.pathOf(callee.operand.text) : undefined;
  // unsafe.Sizeof and the like are answered at compile time, for a type each: no table holds them.
  return path !== undefined && path !== 'unsafe' ? `${callee.operand.text}.${callee.name}` : undefined;
}

/** The check a statement of the test's body ends, if it is one (with the statement before it for `got := f(x)`). */
function checkAt(statements: readonly Node[], index: number, t: string, imports: ImportTable): Check | undefined {
  const statement = statements[index]!;
  if (statement.type !== 'if_statement' || statement.childForFieldName('alternative')) return undefined;
  const condition = statement.childForFieldName('condition');
  const consequence = statement.childForFieldName('consequence');
  if (!condition || !consequence || !onlyFails(consequence, t)) return undefined;
  // `if err != nil { t.Fatal(err) }` guards a step of the set-up: it does not check a case.
  if (/^\w+ != nil$/.test(shapeOf(condition))) return undefined;
  const initializer = statement.childForFieldName('initializer');
  let call = boundCall(initializer);
  let start = statement;
  if (!initializer && !call) {
    // `got, err := f(x)`, maybe followed by `if err != nil { t.Fatal(err) }`, just before.
    let back = index - 1;
    while (back > 0 && back >= index - 2 && isErrorGuard(statements[back]!, t)) back--;
    const before = statements[back];
    const bound = boundCall(before);
    // `got := f(x)` just before, its result tested by the condition.
    const targets = before?.childForFieldName('left')?.namedChildren.filter((n) => n?.type === 'identifier' && n.text !== '_').map((n) => n!.text) ?? [];
    const own = checkedCall(condition);
    // The condition's own call is what it checks (`q := NewRat(3, 2)` then `if z.Cmp(q) != 0`: not NewRat).
    if (own) call = own;
    // `expected := strings.Join(...)` builds the value to compare with, it is not the result checked.
    else if (bound && !targets.some((name) => EXPECTED_NAME.test(name)) && targets.some((name) => new RegExp(`\\b${name}\\b`).test(condition.text))) {
      call = bound;
      start = before!;
    }
  }
  if (!call) return undefined;
  // `len(ivt.Stab(p))`: the function checked is the one whose result len measures.
  const inner = callArguments(call)[0];
  if (COMPARERS.test(calleeOf(call)?.name ?? '') && callArguments(call).length === 1 && inner?.type === 'call_expression') call = inner;
  const fn = checkedFunction(call, imports);
  // The inputs must be written in each copy: `f()` three times is a sequence, not cases.
  if (!fn || !callArgumentsHaveLiteral(call)) return undefined;
  const failure = blockStatements(consequence).map((s) => s.text.replace(/\(.*$/s, '')).join(';');
  return { key: `${fn}|${shapeOf(call)}|${shapeOf(condition)}|${failure}`, call, start };
}

/** Whether a call's arguments hold a literal: the case's input, written in place. */
function callArgumentsHaveLiteral(call: Node): boolean {
  return /L/.test(shapeOf(call.childForFieldName('arguments') ?? call));
}

/** Whether the function already loops over a table of cases. */
function hasTable(fn: Node, body: Node): boolean {
  let found = false;
  walkDescendants(
    body,
    (n) => {
      if (found) return false;
      const range = n.namedChildren.find((c) => c?.type === 'range_clause');
      if (range && caseTable(range, fn, n)) found = true;
      return !found;
    },
    LOOPS,
  );
  return found;
}

const LOOPS = new Set(['for_statement']);

export const notTableDriven: Rule = {
  meta: {
    code: 'GR301',
    name: 'not-table-driven',
    phase: 'testing',
    severity: 'information',
    summary: 'A Test that repeats the same check of the same function three times or more instead of looping over a table of cases.',
    proverb: proverbs.tableDriven,
    fixable: false,
    example: {
      bad: 'if got := Abs(2); got != 2 {\n\tt.Errorf("Abs(2) = %d, want 2", got)\n}\nif got := Abs(-3); got != 3 {\n\tt.Errorf("Abs(-3) = %d, want 3", got)\n}\nif got := Abs(0); got != 0 {\n\tt.Errorf("Abs(0) = %d, want 0", got)\n}',
      good: 'tests := []struct{ in, want int }{{2, 2}, {-3, 3}, {0, 0}}\nfor _, tc := range tests {\n\tif got := Abs(tc.in); got != tc.want {\n\t\tt.Errorf("Abs(%d) = %d, want %d", tc.in, got, tc.want)\n\t}\n}',
    },
    docs: `## What it flags
A \`TestXxx(t *testing.T)\` function in a \`_test.go\` file with no table of cases, whose body holds three or more copies
of one check: the same function (of the package, or of an imported package) called with literals, and an \`if\`
testing its result in the same way whose body only reports a failure on \`t\` (\`t.Error\`, \`t.Errorf\`, \`t.Fatal\`,
\`t.Fatalf\`...). Copies differ only in their literals:
\`if got := Abs(-3); got != 3 { t.Errorf(...) }\`, or \`got := Abs(-3)\` then \`if got != 3 { t.Errorf(...) }\`, or
\`if Abs(-3) != 3 { t.Errorf(...) }\`. The finding is on the first copy.

## Why
A table of cases and one loop say the check once. Adding a case is adding a line; every case is checked and reported
the same way (a copied block that was edited wrongly is a common silent bug); the cases read as data. The Go wiki
and the standard library's own tests recommend the form.

## Bad
\`\`\`go
if got := Abs(2); got != 2 {
	t.Errorf("Abs(2) = %d, want 2", got)
}
if got := Abs(-3); got != 3 {
	t.Errorf("Abs(-3) = %d, want 3", got)
}
if got := Abs(0); got != 0 {
	t.Errorf("Abs(0) = %d, want 0", got)
}
\`\`\`

## Good
\`\`\`go
tests := []struct{ in, want int }{{2, 2}, {-3, 3}, {0, 0}}
for _, tc := range tests {
	if got := Abs(tc.in); got != tc.want {
		t.Errorf("Abs(%d) = %d, want %d", tc.in, got, tc.want)
	}
}
\`\`\`

## Left alone
- Tests that already loop over a table of cases.
- Checks of methods on a value of the test (\`s.Push(1)\`, \`s.Len()\`): a sequence of steps on one state, which a table
  does not fit.
- Checks whose calls have no literal argument (\`f()\` three times), checks that differ in shape (another comparison,
  another failure call, an \`else\`), and fewer than three copies.
- Checks nested in other statements: only the statements of the test's body are compared.
- \`if err != nil { t.Fatal(err) }\` after each step: guards of the set-up, not checks of cases.
- Benchmarks, helpers, files that are not \`_test.go\` files, and generated files.

## Approximations
Copies are compared by their syntax with literals blanked out, so \`Abs(x)\` and \`Abs(y)\` with two variables are two
shapes, and the rule misses copies whose inputs are variables.

## Links
- [Go wiki: TableDrivenTests](https://go.dev/wiki/TableDrivenTests)
- peer: none in go vet, staticcheck or golangci-lint (dupl finds copied blocks of any kind)`,
  },
  appliesTo: (file) => file.isTestFile && file.imports.localNamesOf('testing').length > 0,
  anchors: { text: () => ['func'], atStart: true, accept: (text) => /^func\s+Test/.test(text), nodeTypes: ['function_declaration'] },
  visit(fn: Node, ctx) {
    const t = testParameter(fn, ctx.file.imports);
    const body = fn.childForFieldName('body');
    const name = fn.childForFieldName('name');
    if (!t || !body || !name) return;
    const failing = new RegExp(methodCallPattern(t, FAILING_METHODS).source, 'g');
    // Three failing calls at least, before any tree walk; counted first on the raw text (comments can
    // only add to the count), so that most tests skip stripping the comments of their whole body.
    const raw = ctx.file.text.slice(body.startIndex, body.endIndex);
    if ((raw.match(failing) ?? []).length < MIN_CHECKS) return;
    const text = codeText(ctx.file.text, body);
    if ((text.match(failing) ?? []).length < MIN_CHECKS || methodCallPattern(t, ['Run']).test(text)) return;
    const statements = blockStatements(body);
    const groups = new Map<string, Check[]>();
    for (let i = 0; i < statements.length; i++) {
      const check = checkAt(statements, i, t, ctx.file.imports);
      if (!check) continue;
      const group = groups.get(check.key) ?? [];
      group.push(check);
      groups.set(check.key, group);
    }
    const copies = [...groups.values()].filter((g) => g.length >= MIN_CHECKS && new Set(g.map((c) => c.call.text)).size === g.length);
    if (copies.length === 0 || hasTable(fn, body)) return;
    for (const group of copies) {
      const first = group[0]!;
      const callee = checkedFunction(first.call, ctx.file.imports) ?? 'the function';
      ctx.report({
        start: first.start.startIndex,
        end: first.start.startIndex + (/^[^\r\n]*/.exec(first.start.text)?.[0].length ?? 0),
        message: `${name.text} checks ${callee} the same way ${group.length} times, one copied block per case: put the cases in a table and loop over it, so the check is written once and a new case is one line`,
        related: group.slice(1).map((c) => ({ start: c.start.startIndex, end: c.start.endIndex, message: `another copy of the check of ${callee}` })),
      });
    }
  },
};
