// GR302 table-without-subtests: a Test that loops over a table of cases and reports failures on t
// directly, without t.Run. Each case then has no name of its own: a failure cannot be re-run alone
// (go test -run 'TestX/case'), a t.Fatal stops every later case, and the output does not say which
// case failed unless each message repeats it.
import type { Node } from 'web-tree-sitter';
import { BREAKABLE_TYPES, blockStatements, walkDescendants } from '../engine/syntax';
import type { Rule, RuleContext, TextEdit } from '../engine/types';
import { lineEnd } from '../fixes/statementEdits';
import { proverbs } from './proverbs';
import { callsOn, caseTable, codeText, FAILING_METHODS, methodCallPattern, testParameter } from './testingSyntax';

/** The calls on t that stop the test: in a loop over cases, every later case with it. */
const STOPPING = ['Fatal', 'Fatalf', 'FailNow'];

/** Struct fields that name a case, in the order they are preferred. */
const NAME_FIELDS = ['name', 'Name', 'desc', 'Desc', 'description', 'Description', 'title', 'Title', 'testName', 'scenario'];

/** The expression naming a case: the map's string key variable, or `v.name` for a string name field. */
function caseName(literal: Node, range: Node): string | undefined {
  const left = range.childForFieldName('left')?.namedChildren.filter((c): c is Node => c !== null && c.type === 'identifier') ?? [];
  if (left.length !== 2 || !range.children.some((c) => c?.type === ':=')) return undefined;
  const [key, value] = left as [Node, Node];
  const type = literal.childForFieldName('type')!;
  if (type.type === 'map_type') {
    return type.childForFieldName('key')?.text === 'string' && key.text !== '_' ? key.text : undefined;
  }
  if (value.text === '_') return undefined;
  const element = type.childForFieldName('element');
  const field = element?.type === 'struct_type' ? structNameField(element) : keyedNameField(literal);
  return field && `${value.text}.${field}`;
}

/** The name field of a struct type written in the literal: a string field named as NAME_FIELDS says. */
function structNameField(struct: Node): string | undefined {
  const fields = new Set<string>();
  walkDescendants(
    struct,
    (n) => {
      if (n.childForFieldName('type')?.text !== 'string') return false;
      for (const name of n.childrenForFieldName('name')) if (name) fields.add(name.text);
      return false;
    },
    FIELDS,
  );
  return NAME_FIELDS.find((f) => fields.has(f));
}

const FIELDS = new Set(['field_declaration']);

/** A name field every element of the literal sets to a string literal (`{name: "empty", ...}`), for a named element type. */
function keyedNameField(literal: Node): string | undefined {
  const elements = literal.childForFieldName('body')?.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment') ?? [];
  const keysOf = (element: Node): Map<string, Node> => {
    const keys = new Map<string, Node>();
    const value = element.namedChildren[0];
    for (const kv of value?.type === 'literal_value' ? value.namedChildren : []) {
      if (kv?.type !== 'keyed_element') continue;
      const key = kv.childForFieldName('key')?.text;
      const v = kv.childForFieldName('value')?.namedChildren[0];
      if (key && v) keys.set(key, v);
    }
    return keys;
  };
  const all = elements.map(keysOf);
  return NAME_FIELDS.find((f) => all.every((keys) => {
    const v = keys.get(f);
    return v?.type === 'interpreted_string_literal' || v?.type === 'raw_string_literal';
  }));
}

/**
 * The loop body wrapped in `t.Run(name, func(t *testing.T) {...})`, re-indented, with the loop's
 * own `continue`s made `return`s; undefined when the body does what a closure cannot keep: a
 * `return` (it would end only the case), a `break` of the loop, labels and goto, or a multi-line
 * raw string or comment (their lines must not be re-indented).
 */
function wrapEdit(ctx: RuleContext, body: Node, t: string, testingType: string, name: string): TextEdit | undefined {
  const text = ctx.file.text;
  const statements = blockStatements(body);
  if (statements.length === 0) return undefined;
  const open = body.startIndex;
  const close = body.endIndex - 1;
  const interiorStart = text.indexOf('\n', open) + 1;
  const closeLineStart = text.lastIndexOf('\n', close - 1) + 1;
  // `{` must end its line (but for a comment) and `}` start its own.
  if (!/^\s*(?:\/\/.*)?$/.test(text.slice(open + 1, lineEnd(text, open))) || text.slice(closeLineStart, close).trim() !== '') return undefined;
  const continues: Node[] = [];
  let blocked = false;
  walkDescendants(
    body,
    (n) => {
      if (blocked) return false;
      switch (n.type) {
        case 'func_literal':
          return false;
        case 'return_statement':
        case 'goto_statement':
        case 'labeled_statement':
          blocked = true;
          return false;
        case 'raw_string_literal':
        case 'comment':
          if (n.text.includes('\n')) blocked = true;
          return false;
        case 'break_statement':
        case 'continue_statement': {
          if (n.namedChildren.some((c) => c?.type === 'label_name')) blocked = true;
          else if (ownerIsLoop(n, body)) {
            if (n.type === 'break_statement') blocked = true;
            else continues.push(n);
          }
          return false;
        }
      }
      return true;
    },
    WRAP_CHECKED,
  );
  if (blocked) return undefined;
  // The interior with the loop's continues made returns, then indented one more tab.
  let interior = '';
  let at = interiorStart;
  for (const c of continues) {
    interior += `${text.slice(at, c.startIndex)}return`;
    at = c.endIndex;
  }
  interior += text.slice(at, closeLineStart);
  const nl = text[interiorStart - 2] === '\r' ? '\r\n' : '\n';
  const indent = text.slice(closeLineStart, close);
  const lines = interior.split('\n').map((line) => (line.replace(/\r$/, '') === '' ? line : `\t${line}`));
  const inner = lines.join('\n');
  return {
    start: interiorStart,
    end: closeLineStart,
    newText: `${indent}\t${t}.Run(${name}, func(${t} ${testingType}) {${nl}${inner}${indent}\t})${nl}`,
  };
}

const WRAP_CHECKED = new Set(['func_literal', 'return_statement', 'goto_statement', 'labeled_statement', 'raw_string_literal', 'comment', 'break_statement', 'continue_statement']);

/** Whether a plain break or continue in `body` belongs to the loop whose body it is (no loop, switch or select between). */
function ownerIsLoop(statement: Node, body: Node): boolean {
  for (let n = statement.parent; n && n.id !== body.id; n = n.parent) {
    if (statement.type === 'continue_statement' ? n.type === 'for_statement' : BREAKABLE_TYPES.has(n.type)) return false;
  }
  return true;
}

export const tableWithoutSubtests: Rule = {
  meta: {
    code: 'GR302',
    name: 'table-without-subtests',
    phase: 'testing',
    severity: 'hint',
    summary: 'A loop over a table of test cases that reports failures without t.Run, so the cases have no names of their own.',
    proverb: proverbs.subtests,
    fixable: true,
    example: {
      bad: 'for _, tc := range tests {\n\tif got := Abs(tc.in); got != tc.want {\n\t\tt.Errorf("Abs(%d) = %d, want %d", tc.in, got, tc.want)\n\t}\n}',
      good: 'for _, tc := range tests {\n\tt.Run(tc.name, func(t *testing.T) {\n\t\tif got := Abs(tc.in); got != tc.want {\n\t\t\tt.Errorf("Abs(%d) = %d, want %d", tc.in, got, tc.want)\n\t\t}\n\t})\n}',
    },
    docs: `## What it flags
In a \`TestXxx(t *testing.T)\` function of a \`_test.go\` file, a \`for ... range\` loop over a table of cases whose body
calls \`t.Error\`, \`t.Errorf\`, \`t.Fatal\`, \`t.Fatalf\`, \`t.Fail\` or \`t.FailNow\` itself and never \`t.Run\`, when the cases
have names the subtests could take (see Fix), or when the body calls \`t.Fatal\`, \`t.Fatalf\` or \`t.FailNow\`, which
stops every later case. A table is a
slice, array or map literal of structs (at least two elements) declared in the function or ranged over directly, or
a table declared elsewhere whose name says it is one (\`tests\`, \`parseTests\`, \`testCases\`, \`cases\`, \`table\`,
\`vectors\`, \`tt\`). The finding is on the loop's first line.

## Why
With \`t.Run\` each case is a subtest with a name: the output says which case failed, \`go test -run 'TestAbs/negative'\`
re-runs just that case, \`t.Fatal\` stops only the failing case, and cases can run in parallel with \`t.Parallel\`.
Without it, one \`t.Fatal\` hides every later case, and each message has to carry enough of the input to say which
case it was.

## Bad
\`\`\`go
for _, tc := range tests {
	if got := Abs(tc.in); got != tc.want {
		t.Errorf("Abs(%d) = %d, want %d", tc.in, got, tc.want)
	}
}
\`\`\`

## Good
\`\`\`go
for _, tc := range tests {
	t.Run(tc.name, func(t *testing.T) {
		if got := Abs(tc.in); got != tc.want {
			t.Errorf("Abs(%d) = %d, want %d", tc.in, got, tc.want)
		}
	})
}
\`\`\`

## Fix
When the function shows the table and its cases have a name (a string field \`name\`, \`Name\`, \`desc\`, \`description\`,
\`title\`... in the struct type written in the literal, or set to a string in every element, or the string key of a
map), wraps the loop body in \`t.Run(<name>, func(t *testing.T) { ... })\`, re-indented, with the loop's own
\`continue\`s turned into \`return\`s. Not offered when the body returns, breaks out of the loop, uses labels or goto,
or holds a multi-line raw string or comment. The fix is not safe to apply in bulk: a \`t.Fatal\` in the body now ends
only its case, and later cases run.

## Left alone
- Loops that call \`t.Run\`, and loops that report failures only through helpers or closures.
- Loops over cases without names whose body only calls \`t.Error\`/\`t.Errorf\`: each case is checked and reported,
  and the messages usually carry the input; subtests would mostly add names the table does not have.
- Loops with a comment mentioning subtests in them or on the line above (\`// don't use subtests: the cases share
  state\`): the author chose.
- Loops over values that are not tables: a slice of strings or numbers, a call's result, a table of one element.
- Benchmarks, fuzz targets, helpers and function literals (a \`t.Run\` body is a test of its own).
- Files that are not \`_test.go\` files, and generated files.

## Approximations
A table declared outside the function is recognised by its name only. Failures are found by the call on the test's
\`t\` inside the loop body. A loop over a table inside another one that gets the fix is reported without a fix of
its own (the two rewrites would overlap).

## Links
- [Using subtests and sub-benchmarks](https://go.dev/blog/subtests)
- [Go wiki: TableDrivenTests](https://go.dev/wiki/TableDrivenTests)
- peer: none in go vet or staticcheck; golangci-lint's tparallel and paralleltest check t.Parallel in subtests`,
  },
  appliesTo: (file) => file.isTestFile && file.imports.localNamesOf('testing').length > 0,
  anchors: { text: () => ['func'], atStart: true, accept: (text) => /^func\s+Test/.test(text), nodeTypes: ['function_declaration'] },
  visit(fn: Node, ctx) {
    const t = testParameter(fn, ctx.file.imports);
    const body = fn.childForFieldName('body');
    if (!t || !body) return;
    const text = codeText(ctx.file.text, body);
    if (!/\brange\b/.test(text) || !methodCallPattern(t, FAILING_METHODS).test(text)) return;
    let fixedUntil = -1;
    const testingType = fn.childForFieldName('parameters')?.namedChildren[0]?.childForFieldName('type')?.text ?? '*testing.T';
    for (const loop of rangeLoops(body, ctx.file.text)) {
      const range = loop.namedChildren.find((c) => c?.type === 'range_clause');
      const loopBody = loop.childForFieldName('body');
      if (!range || !loopBody) continue;
      // `// Since we later assert on the state, don't use subtests.`: a choice the author made and said.
      const lineAbove = ctx.file.text.lastIndexOf('\n', ctx.file.text.lastIndexOf('\n', loop.startIndex - 1) - 1) + 1;
      if (/subtest/i.test(ctx.file.text.slice(lineAbove, loopBody.endIndex))) continue;
      const table = caseTable(range, fn, loop);
      if (!table || methodCallPattern(t, ['Run']).test(codeText(ctx.file.text, loopBody)) || !callsOn(loopBody, t)) continue;
      const name = table.literal && caseName(table.literal, range);
      // Cases without names, checked with t.Error only, each report their input: a style the rule leaves to the author.
      if (!name && !callsOn(loopBody, t, STOPPING)) continue;
      // A loop inside one already rewritten gets no edit of its own: the two would overlap.
      const inFixed = fixedUntil > loop.startIndex;
      const edit = name && !inFixed ? wrapEdit(ctx, loopBody, t, testingType, name) : undefined;
      if (edit) fixedUntil = loop.endIndex;
      ctx.report({
        start: loop.startIndex,
        end: range.endIndex,
        message: `this loop over test cases reports failures on ${t} without ${t}.Run: the cases have no names to re-run them by, and a ${t}.Fatal stops every later case; run each case as a subtest (${t}.Run(${name ?? 'tc.name'}, ...))`,
        ...(edit ? { fix: { title: `Run each case as a subtest (${t}.Run)`, edits: [edit], safe: false } } : {}),
      });
    }
  },
};

/**
 * The `for ... range` loops of a test's body, in order, not inside function literals: found from
 * the `range` keywords in the text (a test's table literal can be thousands of nodes, which a walk
 * of the body would visit on every check of the function).
 */
function rangeLoops(body: Node, text: string): Node[] {
  const loops: Node[] = [];
  const keyword = /\brange\b/g;
  keyword.lastIndex = body.startIndex;
  for (let m = keyword.exec(text); m && m.index < body.endIndex; m = keyword.exec(text)) {
    const clause = body.descendantForIndex(m.index, m.index + 5)?.parent;
    const loop = clause?.type === 'range_clause' ? clause.parent : undefined;
    if (loop?.type !== 'for_statement') continue;
    let inLiteral = false;
    for (let n = loop.parent; n && n.id !== body.id; n = n.parent) {
      if (n.type === 'func_literal') {
        inLiteral = true;
        break;
      }
    }
    if (!inLiteral) loops.push(loop);
  }
  return loops;
}
