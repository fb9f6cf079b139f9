// GR305 bench-setup-timed: a benchmark that does costly setup (a bulk loop, a call that builds or reads
// something) before its b.N loop without resetting the timer. The timer runs from the moment the
// benchmark function is called, so the setup is divided into the time per operation.
import type { Node } from 'web-tree-sitter';
import { blockStatements, callArguments, calleeOf, linePrefix, walkDescendants } from '../engine/syntax';
import type { ImportTable } from '../engine/imports';
import type { Rule, RuleContext } from '../engine/types';
import { insertLinesBefore, lineEnd } from '../fixes/statementEdits';
import { isTestingType, parametersOf } from './contextSyntax';
import { proverbs } from './proverbs';
import { benchmarkParameter, codeText, methodCallPattern, timedLoop } from './testingSyntax';

/**
 * Standard functions that read files, start servers or processes, or walk trees: work measured in
 * milliseconds. Keys are import paths.
 */
const COSTLY_PACKAGE_CALLS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries({
    os: ['ReadFile', 'Open', 'OpenFile', 'ReadDir', 'WriteFile', 'MkdirTemp', 'CreateTemp', 'Create', 'StartProcess'],
    'io/ioutil': ['ReadFile', 'ReadAll', 'ReadDir', 'WriteFile', 'TempDir', 'TempFile'],
    io: ['ReadAll', 'Copy', 'CopyN'],
    'path/filepath': ['Walk', 'WalkDir', 'Glob'],
    'io/fs': ['WalkDir', 'ReadFile', 'ReadDir', 'Glob'],
    net: ['Listen', 'Dial', 'ListenPacket', 'DialTimeout'],
    'net/http/httptest': ['NewServer', 'NewTLSServer', 'NewUnstartedServer'],
    'net/http': ['Get', 'Post', 'ListenAndServe'],
    'os/exec': ['Command', 'CommandContext'],
    'database/sql': ['Open'],
    runtime: ['GC'],
  }).map(([path, names]) => [path, new Set(names)]),
);

/** Functions of the package whose name says they load, generate or build something (`loadCorpus`, `generateKeys(n)`). */
const BUILDER_NAME = /^(?:load|read|generate|gen|build|create|setup|prepare|populate|fill|random|start|open|compile|fixture|make)(?=[A-Z_0-9])/;

/** Constructors of things that run: `newTestServer()`, `NewCluster(3)`, `newWorkerForTest(b)`. */
const STARTS_SOMETHING = /^[nN]ew\w*(?:Server|Cluster|Database|DB|Worker|Process|Listener)(?:ForTest|ForTesting)?$/;

/** A string literal naming a file (`"testdata/words.txt"`, `"examples/model.conf"`): the call reads it. */
const FILE_PATH = /^["`](?:\.{0,2}\/)?(?:[\w.-]+\/)+[\w-]+\.[A-Za-z0-9]{1,6}["`]$/;

/** Whether a function's name says it loads, generates or builds (`loadCorpus`, `GenerateKeys`, `makeInput`). */
function isBuilderName(name: string): boolean {
  return BUILDER_NAME.test(name.charAt(0).toLowerCase() + name.slice(1));
}

/**
 * A numeric literal from 10,000 to a billion (`10000`, `1<<20`, `1e6`, `1_000_000`): the size of
 * something built in bulk. Larger numbers are seeds, timestamps and bit patterns more often than sizes.
 */
function isLargeSize(node: Node): boolean {
  const text = node.text.replace(/_/g, '');
  const shift = /^(\d+)\s*<<\s*(\d+)$/.exec(text);
  // `1756047.3` is a value; a size is an integer (`1e6` included).
  const value = node.type === 'int_literal' || (node.type === 'float_literal' && !text.includes('.')) ? Number(text) : shift ? Number(shift[1]) * 2 ** Number(shift[2]) : NaN;
  return value >= 10_000 && value < 1e9;
}

/** Calls whose large arguments are not sizes of work (`time.Unix(sec, 0)`), or whose work is a cheap copy (`strings.Repeat`). */
const NOT_BULK = /^(?:Repeat|Unix|UnixMilli|UnixMicro|Date|Duration|Sleep|bool|byte|rune|string|u?int(?:8|16|32|64)?|uintptr|float(?:32|64)|complex(?:64|128))$/;

/** Builtins that make a value once: not what skews a benchmark, whatever the size. */
const BUILTINS = new Set(['len', 'cap', 'new', 'make', 'append', 'copy', 'delete', 'panic', 'print', 'println', 'complex', 'real', 'imag', 'min', 'max', 'clear', 'close']);

/**
 * Why a call is costly setup, if it plausibly is: a standard function that does I/O or starts
 * something, b.TempDir, a function of the package named for loading or building, or any function
 * (not a builtin) given a large size.
 */
function callCost(call: Node, b: string, imports: ImportTable): string | undefined {
  const callee = calleeOf(call);
  if (!callee) return undefined;
  const what = `the call to ${call.childForFieldName('function')?.text ?? callee.name}`;
  if (!callee.operand) {
    if (BUILTINS.has(callee.name)) return undefined;
    if (isBuilderName(callee.name)) return what;
  } else if (callee.operand.type === 'identifier') {
    if (callee.operand.text === b) return callee.name === 'TempDir' ? what : undefined;
    const path = imports.pathOf(callee.operand.text);
    if (path !== undefined && COSTLY_PACKAGE_CALLS.get(path)?.has(callee.name)) return what;
    if (path === undefined && isBuilderName(callee.name)) return what;
  }
  const local = !callee.operand || imports.pathOf(callee.operand.text) === undefined;
  if (local && STARTS_SOMETHING.test(callee.name)) return what;
  const args = callArguments(call);
  if (args.some((a) => a.type === 'interpreted_string_literal' || a.type === 'raw_string_literal' ? FILE_PATH.test(a.text) : false)) return `${what}, which reads a file`;
  return !NOT_BULK.test(callee.name) && args.some(isLargeSize) ? `${what} with a large size` : undefined;
}

/** A loop that fills something in bulk: its header names a large size (`for i := 0; i < 1<<20; i++`). */
function loopCost(loop: Node): string | undefined {
  const body = loop.childForFieldName('body');
  let large = false;
  walkDescendants(loop, (n) => {
    if (large || (body && n.startIndex >= body.startIndex)) return false;
    if (isLargeSize(n)) large = true;
    return !large;
  });
  return large ? 'a loop filling something in bulk' : undefined;
}

/** What makes a statement before the loop costly setup, if it is: a loop filling something in bulk, or a costly call. */
function costOf(statement: Node, b: string, imports: ImportTable): string | undefined {
  if (statement.type === 'defer_statement' || statement.type === 'go_statement') return undefined;
  let cost = statement.type === 'for_statement' ? loopCost(statement) : undefined;
  walkDescendants(
    statement,
    (n) => {
      if (cost) return false;
      if (n.type === 'func_literal') return false; // made, not run
      if (n.type === 'for_statement') cost = loopCost(n);
      else cost = callCost(n, b, imports);
      return cost === undefined;
    },
    COSTLY,
  );
  return cost;
}

const COSTLY = new Set(['call_expression', 'for_statement', 'func_literal']);

/** The benchmark bodies of a declaration: the Benchmark function's own, and those of its `func(b *testing.B)` literals. */
function benchmarkBodies(fn: Node, imports: ImportTable): { body: Node; b: string }[] {
  const out: { body: Node; b: string }[] = [];
  const b = benchmarkParameter(fn, imports);
  const body = fn.childForFieldName('body');
  if (!b || !body) return out;
  out.push({ body, b });
  walkDescendants(
    body,
    (n) => {
      const params = parametersOf(n);
      const param = params[0];
      const literalBody = n.childForFieldName('body');
      if (params.length === 1 && param?.name && param.type?.type === 'pointer_type' && /\bB$/.test(param.type.text) && isTestingType(param.type, imports) && literalBody) {
        out.push({ body: literalBody, b: param.name.text });
      }
    },
    LITERALS,
  );
  return out;
}

const LITERALS = new Set(['func_literal']);

/** The statement to insert `b.ResetTimer()` before: the loop, or the comment lines just above it. */
function insertionPoint(loop: Node, text: string): Node {
  let at = loop;
  for (let prev = loop.previousNamedSibling; prev?.type === 'comment' && prev.endPosition.row === at.startPosition.row - 1; prev = prev.previousNamedSibling) {
    // A comment ending the line of the statement before is that statement's.
    if (linePrefix(text, prev.startIndex).trim() !== '') break;
    at = prev;
  }
  return at;
}

function check(body: Node, b: string, ctx: RuleContext): void {
  const text = codeText(ctx.file.text, body);
  if (methodCallPattern(b, ['ResetTimer', 'StopTimer', 'StartTimer']).test(text)) return;
  const timed = timedLoop(body, b);
  // `for b.Loop()` leaves everything before the loop out of the timing by itself (Go 1.24).
  if (!timed || timed.usesLoop) return;
  const before = blockStatements(body).slice(0, timed.index);
  let setup: { statement: Node; cost: string } | undefined;
  for (const statement of before) {
    const cost = costOf(statement, b, ctx.file.imports);
    if (cost) {
      setup = { statement, cost };
      break;
    }
  }
  if (!setup) return;
  const at = insertionPoint(timed.loop, ctx.file.text);
  const insert = insertLinesBefore(ctx.file.text, at, [`${b}.ResetTimer()`]);
  // The loop's line is a related place, written {line}: a line number in the message would go
  // stale when lines are added above the benchmark and its cached finding is reused.
  const loopHead = { start: timed.loop.startIndex, end: Math.min(timed.loop.endIndex, lineEnd(ctx.file.text, timed.loop.startIndex)) };
  ctx.report({
    start: setup.statement.startIndex,
    end: Math.min(setup.statement.endIndex, lineEnd(ctx.file.text, setup.statement.startIndex)),
    message: `setup before the ${b}.N loop (${setup.cost}) runs while the benchmark is timed, and is divided into its ns/op; call ${b}.ResetTimer() just before the loop on line {line}`,
    related: [{ ...loopHead, message: `the ${b}.N loop` }],
    ...(insert ? { fix: { title: `Call ${b}.ResetTimer() before the loop`, edits: [insert], safe: true } } : {}),
  });
}

export const benchSetupTimed: Rule = {
  meta: {
    code: 'GR305',
    name: 'bench-setup-timed',
    phase: 'testing',
    severity: 'information',
    summary: 'Costly setup before a benchmark\'s b.N loop with no b.ResetTimer(), so the setup is timed with the work.',
    proverb: proverbs.benchmarkTimer,
    fixable: true,
    example: {
      bad: 'func BenchmarkLookup(b *testing.B) {\n\tm := buildIndex(loadWords(b))\n\tfor i := 0; i < b.N; i++ {\n\t\tm.Lookup("go")\n\t}\n}',
      good: 'func BenchmarkLookup(b *testing.B) {\n\tm := buildIndex(loadWords(b))\n\tb.ResetTimer()\n\tfor i := 0; i < b.N; i++ {\n\t\tm.Lookup("go")\n\t}\n}',
    },
    docs: `## What it flags
In a \`_test.go\` file, a benchmark body (a \`BenchmarkXxx(b *testing.B)\` function, or a \`func(b *testing.B)\` literal in
one, such as a \`b.Run\` body) whose \`for\` loop over \`b.N\` comes after costly setup, when the body never calls
\`b.ResetTimer()\`, \`b.StopTimer()\` or \`b.StartTimer()\`. Costly setup is a statement before the loop that
- calls a standard function that reads files, opens connections or starts servers or processes (\`os.ReadFile\`,
  \`io.ReadAll\`, \`net.Listen\`, \`httptest.NewServer\`, \`exec.Command\`, \`sql.Open\`, \`filepath.Walk\`,
  \`runtime.GC\`...) or \`b.TempDir()\`;
- calls a function whose name says it loads, generates or builds something (\`loadCorpus\`, \`generateKeys\`,
  \`makeInput\`, \`buildIndex\`, \`openTestDB\`, \`setupServer\`...);
- calls a function of the package that starts something by its name (\`newTestServer\`, \`NewCluster\`,
  \`newWorkerForTest\`: \`new\` and a Server, Cluster, Database, DB, Worker, Process or Listener);
- calls a function with a file path written in (\`parseModel("testdata/model.conf")\`);
- calls a function with a size of 10,000 or more (\`randomBytes(1 << 20)\`), or loops up to one.

The finding is on the first costly statement.

## Why
The benchmark's timer starts before the benchmark function is called. Whatever the function does before its loop is
timed too and divided by \`b.N\` into the reported ns/op: reading a file or building a large input makes the figure
depend on how many iterations the framework happened to choose. \`b.ResetTimer()\` just before the loop discards the
time (and allocations) counted so far.

## Bad
\`\`\`go
func BenchmarkLookup(b *testing.B) {
	m := buildIndex(loadWords(b))
	for i := 0; i < b.N; i++ {
		m.Lookup("go")
	}
}
\`\`\`

## Good
\`\`\`go
func BenchmarkLookup(b *testing.B) {
	m := buildIndex(loadWords(b))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Lookup("go")
	}
}
\`\`\`

## Fix
Inserts \`b.ResetTimer()\` on its own line just before the loop (above the comment lines that introduce it). Safe: it
changes only what is measured.

## Left alone
- \`for b.Loop()\` (Go 1.24): the loop leaves what comes before it out of the timing by itself.
- Bodies that call \`b.ResetTimer\`, \`b.StopTimer\` or \`b.StartTimer\` anywhere: they manage the timer.
- Setup that costs microseconds, whatever it calls: declarations, \`b.ReportAllocs()\`, \`b.SetBytes(n)\`, \`make\`
  of any size, \`strings.Repeat\`, constructors (\`New(...)\`, \`time.Now()\`), short loops, \`defer\` and \`go\`
  statements, function literals (made, not run). The timer runs for a second or so: such setup is lost in it.
- A loop over \`b.N\` that is not a statement of the body itself (inside an \`if\`, or in \`b.RunParallel\`).
- Files that are not \`_test.go\` files, and generated files.

## Approximations
Cost is judged from names, paths and sizes, not measured: a cheap function named \`buildX\` is reported, and a costly
one with a neutral name (\`newIndex()\`) is not. The loop is recognised by \`b.N\` in its header.

## Links
- [testing.B.ResetTimer](https://pkg.go.dev/testing#B.ResetTimer)
- [testing.B.Loop](https://pkg.go.dev/testing#B.Loop)
- peer: none in go vet, staticcheck or golangci-lint`,
  },
  appliesTo: (file) => file.isTestFile && file.imports.localNamesOf('testing').length > 0,
  anchors: { text: () => ['func'], atStart: true, accept: (text) => /^func\s+Benchmark/.test(text), nodeTypes: ['function_declaration'] },
  visit(fn: Node, ctx) {
    for (const { body, b } of benchmarkBodies(fn, ctx.file.imports)) check(body, b, ctx);
  },
};
