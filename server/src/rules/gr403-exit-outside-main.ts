// GR403 exit-outside-main: os.Exit and log.Fatal end the program on the spot, skipping every deferred
// call on the way out; only main (and init) own that decision. Anywhere else, return an error.
import type { Node } from 'web-tree-sitter';
import { calleeOf, callArguments, FUNCTION_TYPES, topLevelDeclaration, walkDescendants } from '../engine/syntax';
import { inCommandTree, type FileFacts } from '../engine/fileFacts';
import type { Rule } from '../engine/types';
import { bindsName, declaredFunctionName } from './declarations';
import { proverbs } from './proverbs';

/** The calls that end the program, by import path: they run no deferred call on the way out. */
const EXITS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['os', new Set(['Exit'])],
  ['syscall', new Set(['Exit'])],
  ['log', new Set(['Fatal', 'Fatalf', 'Fatalln'])],
  // In a library only: flag.Parse reads the program's command line (and exits on a bad flag), and a
  // flag set made with ExitOnError exits when its Parse fails.
  ['flag', new Set(['Parse', 'NewFlagSet'])],
]);

/** What may follow `name.` for the call to be one of EXITS: checked on the text before the tree. */
const EXIT_NAMES = /^(?:Exit|Fatal(?:f|ln)?|Parse|NewFlagSet)\s*\(/;

/** The names under which the file imports the packages of EXITS, with a dot after each. */
function exitAnchors(file: FileFacts): string[] {
  return [...EXITS.keys()].flatMap((path) => file.imports.localNamesOf(path).map((name) => `${name}.`));
}

/**
 * Go's testable examples (`func Example()`, `ExampleFoo`, `ExampleT_Method`, no parameters) in a
 * _test.go file: their output is compared, so they are programs of their own.
 */
function isTestableExample(decl: Node): boolean {
  const name = declaredFunctionName(decl);
  if (decl.type !== 'function_declaration' || name === undefined || !/^Example(?:$|[^a-z])/.test(name)) return false;
  const params = decl.childForFieldName('parameters');
  return params !== null && params.namedChildren.every((c) => c?.type === 'comment');
}

/** Why the declaration may end the program: it is main, init, a test file's TestMain or example. */
function ownsExit(decl: Node, file: FileFacts): boolean {
  const name = declaredFunctionName(decl);
  if (decl.type !== 'function_declaration') return false;
  if (name === 'main' || name === 'init') return true;
  return file.isTestFile && (name === 'TestMain' || isTestableExample(decl));
}

/** `flag.NewFlagSet(name, flag.ExitOnError)`: a flag set whose Parse exits the program on an error. */
function exitsOnError(call: Node, flagName: string): boolean {
  const mode = callArguments(call)[1];
  return mode?.type === 'selector_expression' && mode.childForFieldName('operand')?.text === flagName && mode.childForFieldName('field')?.text === 'ExitOnError';
}

/**
 * A function whose name says it ends the program (`fatalf`, `Exit`, `ErrorExit`, `usage`, `die`), handles
 * an interrupt or a signal (whose job is to end the program),
 * or says it is a program's main in library form (`singlechecker.Main`, `RunMain`):
 * a logging package's Fatal, a command's exit helper. Its callers asked for the exit.
 */
const EXIT_HELPER_NAME = /^(?:fatal|exit|die|usage|abort|bail|main$)|(?:^|[a-z0-9_])(?:Fatal|Exit|Die|Usage|Abort|Bail|Main$|Interrupt|Signal)/;

/** `os.Exit(0)`: a function that ends the program on success (a -version or -help flag) is an exit path by design. */
const EXITS_ON_SUCCESS = /\bExit\(0\)/;

/** Whether the file belongs to a program (package main, or a command's own packages) rather than a library. */
function isProgram(file: FileFacts): boolean {
  // The standard testing package is the main of every test binary (M.Run and its flags).
  return file.packageName === 'main' || file.packageName === 'testing' || inCommandTree(file);
}

/**
 * The first deferred call the exit skips: a defer statement before it in the function that makes
 * the call, or in a function around it (a nested literal's own defers count only when the call is
 * inside that literal).
 */
function skippedDefer(call: Node, decl: Node): Node | undefined {
  if (!decl.text.includes('defer')) return undefined;
  let found: Node | undefined;
  walkDescendants(
    decl,
    (n) => {
      if (found || n.startIndex >= call.startIndex) return false;
      if (n.type === 'func_literal') return n.endIndex >= call.endIndex;
      if (n.type === 'defer_statement') found = n;
      return !found;
    },
    DEFERS_SEEN,
  );
  return found;
}

const DEFERS_SEEN: ReadonlySet<string> = new Set(['defer_statement', 'func_literal']);

/**
 * Whether the exit is the branch of a configurable error mode (`case ExitOnError: os.Exit(2)` in a
 * flag package): the caller chose it.
 */
function inExitMode(call: Node): boolean {
  for (let n = call.parent; n && !FUNCTION_TYPES.has(n.type); n = n.parent) {
    const condition = n.type === 'expression_case' ? n.childForFieldName('value') : n.type === 'if_statement' ? n.childForFieldName('condition') : null;
    if (condition && EXIT_MODE.test(condition.text)) return true;
  }
  return false;
}

/** A condition naming an exit mode or a fatal severity (`case ExitOnError:`, `if s == fatalLog`). */
const EXIT_MODE = /exit|fatal/i;

/**
 * Whether `os.Exit(...)`'s status comes from the caller or from a run: `os.Exit(code)` with `code` a
 * parameter (an exit helper), `os.Exit(m.Run())`, `os.Exit(run(args))` (a main in library form).
 */
function exitStatusGiven(call: Node, decl: Node): boolean {
  const status = callArguments(call)[0];
  if (status?.type === 'call_expression') return true;
  if (status?.type !== 'identifier') return false;
  const params = decl.childForFieldName('parameters');
  return params !== null && params.descendantsOfType('identifier').some((id) => id?.text === status.text);
}

export const exitOutsideMain: Rule = {
  meta: {
    code: 'GR403',
    name: 'exit-outside-main',
    phase: 'production',
    severity: 'warning',
    summary: 'os.Exit or log.Fatal outside main and init: the program ends without running deferred calls, and the caller never gets to decide.',
    proverb: proverbs.exitFromMain,
    fixable: false,
    example: {
      bad: 'func loadConfig(path string) Config {\n\tdata, err := os.ReadFile(path)\n\tif err != nil {\n\t\tlog.Fatalf("read config: %v", err)\n\t}\n\treturn parse(data)\n}',
      good: 'func loadConfig(path string) (Config, error) {\n\tdata, err := os.ReadFile(path)\n\tif err != nil {\n\t\treturn Config{}, fmt.Errorf("read config: %w", err)\n\t}\n\treturn parse(data), nil\n}',
    },
    docs: `## What it flags
A call that ends the program from a function other than \`main\` or \`init\`:
- in a library (a package other than \`main\`, outside a command's own \`cmd/\` tree): \`os.Exit\`, \`syscall.Exit\`,
  \`log.Fatal\`, \`log.Fatalf\`, \`log.Fatalln\` (they print, then call \`os.Exit(1)\`), \`flag.Parse()\` and
  \`flag.NewFlagSet(name, flag.ExitOnError)\`, which read the program's command line and exit on a bad flag;
- in a program (package \`main\`, or a command's own packages under \`cmd/\`): an exit from a helper that skips a
  deferred call of its own, a \`defer\` earlier in the same function (the finding points at it);
- in a \`_test.go\` file: \`log.Fatal*\`, which ends the whole test binary where \`t.Fatal\` fails one test.

## Why
\`os.Exit\` ends the process at once: deferred calls do not run, so files are not flushed or closed, locks and
temporary files stay behind, buffered logs and traces are lost. Called from a helper, it also takes the decision
away from every caller: the helper cannot be reused by code that would rather retry, report or clean up, and it
cannot be tested (the test binary exits). Return an error and let \`main\` decide, in one place, how the program
ends.

## Bad
\`\`\`go
func loadConfig(path string) Config {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatalf("read config: %v", err)
	}
	return parse(data)
}
\`\`\`

## Good
\`\`\`go
func loadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	return parse(data), nil
}
\`\`\`

## Left alone
- \`main\` and \`init\` (in any package, as revive's deep-exit does), and function literals inside them.
- In \`_test.go\` files, \`TestMain\` (whose job is \`os.Exit(m.Run())\`), testable examples (\`func ExampleFoo()\`)
  and \`os.Exit\` (a test that re-executes its binary as a helper process ends it on purpose).
- Exit helpers, whose name or shape says that ending the program is their job: a function named for it (\`Fatalf\`,
  \`Exit\`, \`ErrorExit\`, \`usage\`, \`die\`, \`abort\`), a program's main in library form (\`Main\`, \`RunMain\`),
  an interrupt or signal handler (\`HandleInterrupts\`), a function that also exits with status 0 (a \`-version\`
  or \`-help\` flag), \`os.Exit(code)\` with the status passed in by the caller, and \`os.Exit(run())\` whose
  status is computed by a call.
- An exit in a branch that names an exit mode or a fatal severity (\`case ExitOnError:\`, \`if s == fatalLog\`):
  the caller chose it.
- In a program, a helper that exits without skipping a deferred call of its own (\`func check(err error)\` in a small
  command): the usual way small commands are written. The standard \`testing\` package counts as a program: it is
  the main of every test binary.
- \`log.Panic*\`: a panic runs the deferred calls and can be recovered by a caller.
- \`t.Fatal\` and methods called \`Fatal\` on loggers (\`logger.Fatal\`, logrus, zap): without types the receiver's
  type is unknown; only the standard \`log\` package is resolved, through the file's imports (aliases included).
- A declaration that gives the name \`log\` or \`os\` to something of its own (\`log := logger.With(...)\`).
- Generated files, as for every rule.

## Approximations
The rule does not follow calls: a helper that calls a function that exits is not flagged, only the function that
calls \`os.Exit\` itself. In a program, the deferred calls of \`main\` that a helper's exit skips are not seen (they
are in another declaration); only the helper's own. Exit helpers are recognised by their names and shapes, not by
what their callers expect.

## Links
- [os.Exit](https://pkg.go.dev/os#Exit)
- [log.Fatal](https://pkg.go.dev/log#Fatal)
- peer: revive deep-exit; go-critic exitAfterDefer (the deferred call an exit skips)`,
  },
  appliesTo: (file) => exitAnchors(file).length > 0,
  anchors: {
    text: exitAnchors,
    accept: (text, at, anchor) => EXIT_NAMES.test(text.slice(at + anchor.length, at + anchor.length + 12)),
    nodeTypes: ['call_expression'],
  },
  visit(call: Node, ctx) {
    const callee = calleeOf(call);
    if (callee?.operand?.type !== 'identifier') return;
    const qualifier = callee.operand.text;
    const path = ctx.file.imports.pathOf(qualifier);
    if (path === undefined || !EXITS.get(path)?.has(callee.name)) return;
    if (path === 'flag' && (isProgram(ctx.file) || (callee.name === 'NewFlagSet' && !exitsOnError(call, qualifier)))) return;
    // A test's helper processes (re-executed test binaries) end with os.Exit on purpose; log.Fatal
    // in a test kills the whole test binary where t.Fatal would fail one test.
    if (ctx.file.isTestFile && path !== 'log') return;
    const decl = topLevelDeclaration(call);
    if (path !== 'log' && path !== 'flag' && exitStatusGiven(call, decl)) return;
    if (ownsExit(decl, ctx.file) || EXIT_HELPER_NAME.test(declaredFunctionName(decl) ?? '') || EXITS_ON_SUCCESS.test(decl.text) || inExitMode(call) || bindsName(decl, qualifier)) return;
    const written = `${qualifier}.${callee.name}`;
    if (path === 'flag') {
      const what = callee.name === 'NewFlagSet' ? `${written} with ExitOnError` : written;
      ctx.report({ node: call, message: `${what} in a library exits the program on a bad flag: leave the command line to main, and return the parse error` });
      return;
    }
    // In a program, a helper that exits is how many small commands are written; the finding is
    // where the exit visibly skips a deferred call of its own.
    const skipped = isProgram(ctx.file) && !ctx.file.isTestFile ? skippedDefer(call, decl) : undefined;
    if (isProgram(ctx.file) && !ctx.file.isTestFile && !skipped) return;
    const message = skipped
      ? `${written} ends the program without running the deferred call at line {line}: return an error and let main exit`
      : ctx.file.isTestFile
        ? `${written} in a test ends the whole test binary, skipping deferred calls and cleanups: use t.Fatal, or return an error to the test`
        : `${written} in a library ends the program without running deferred calls, and the caller cannot decide otherwise: return an error and let main exit`;
    ctx.report({ node: call, message, ...(skipped ? { related: [{ start: skipped.startIndex, end: skipped.endIndex, message: 'skipped by the exit' }] } : {}) });
  },
};
