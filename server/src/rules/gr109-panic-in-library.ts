// GR109 panic-in-library: a library package that panics takes the decision to crash away from its
// caller; errors let the caller decide.
import type { Node } from 'web-tree-sitter';
import { FUNCTION_TYPES, callArguments, calleeOf, enclosingFunction, isStringLiteral, topLevelDeclaration, walkDescendants } from '../engine/syntax';
import { inCommandTree, isTestSupportPackage } from '../engine/fileFacts';
import type { Rule } from '../engine/types';
import { bindsName, declaredFunctionName } from './declarations';
import { links, proverbs } from './proverbs';

/** Must* helpers panic by convention (regexp.MustCompile, template.Must): their names say so. */
const MUST_HELPER = /^[Mm]ust([A-Z_]|$)/;

/** go-fuzz entry points (`func Fuzz(data []byte) int`): a panic is how they report a failure. */
const FUZZ_ENTRY = /^Fuzz([A-Z_]|$)/;

/** Names that hold errors by convention (err, e, perr, errWrite): without types, the name is the evidence. */
const ERROR_NAME = /^e$|err/i;

/** Whether a function literal is the one a `defer func() { ... }()` runs. */
function isDeferredLiteral(literal: Node): boolean {
  return literal.parent?.type === 'call_expression' && literal.parent.parent?.type === 'defer_statement';
}

/**
 * Whether a function (declaration or literal) calls recover(), in its own body or in a function
 * literal it defers: then a panic in it is a re-panic, or an unwind the function catches itself.
 */
function callsRecover(fn: Node): boolean {
  const body = fn.childForFieldName('body');
  if (!body || !body.text.includes('recover')) return false;
  let found = false;
  walkDescendants(body, (n) => {
    if (found || (n.type === 'func_literal' && !isDeferredLiteral(n))) return false;
    if (n.type === 'call_expression' && n.childForFieldName('function')?.text === 'recover') found = true;
    return !found;
  }, CALLS_SEEN);
  return found;
}

/** The nodes callsRecover looks at: calls, and function literals (it skips those not deferred). */
const CALLS_SEEN = new Set(['call_expression', 'func_literal']);

/**
 * Why a panic is left alone, or undefined when it is flagged. Walks from the call up to its
 * top-level declaration, looking at every function it is nested in.
 */
function exemption(call: Node): string | undefined {
  // One climb: the functions around the call, innermost first, up to its top-level declaration
  // (the node below the root, which is not always a source_file: see topLevelDeclaration).
  const functions: Node[] = [];
  let decl = call;
  for (let up = call.parent; up?.parent; up = up.parent) {
    decl = up;
    if (FUNCTION_TYPES.has(up.type)) functions.push(up);
  }
  const name = declaredFunctionName(decl);
  if (name === undefined) return 'outside a function';
  if (name === 'init' && decl.type === 'function_declaration') return 'init';
  if (MUST_HELPER.test(name)) return 'Must helper';
  if (FUZZ_ENTRY.test(name) && decl.type === 'function_declaration') return 'fuzz entry point';
  const facts = declarationFacts(decl);
  // A panic in a function that recovers is a re-panic (or a deliberate unwind it catches itself).
  if (facts.mentionsRecover && functions.some(callsRecover)) return 'recover handler';
  if (facts.shadowsPanic) return 'shadowed';
  return undefined;
}

/**
 * What exemption() asks of a top-level declaration as a whole, once per declaration and tree: a
 * long function with many panics would otherwise search its whole text for each of them. Trees
 * are not changed after they are checked (each parse makes a new one), so an entry never goes stale.
 */
const declarationFactsByTree = new WeakMap<object, Map<number, { mentionsRecover: boolean; shadowsPanic: boolean }>>();

function declarationFacts(decl: Node): { mentionsRecover: boolean; shadowsPanic: boolean } {
  let byStart = declarationFactsByTree.get(decl.tree);
  if (!byStart) declarationFactsByTree.set(decl.tree, (byStart = new Map()));
  let facts = byStart.get(decl.startIndex);
  if (!facts) byStart.set(decl.startIndex, (facts = { mentionsRecover: decl.text.includes('recover'), shadowsPanic: bindsName(decl, 'panic') }));
  return facts;
}

/** The error identifier a panic passes on: `err` in `panic(err)` and `panic(err.Error())`. */
function panickedIdentifier(call: Node): Node | undefined {
  let arg = callArguments(call)[0];
  if (arg?.type === 'call_expression' && callArguments(arg).length === 0) {
    const callee = calleeOf(arg);
    if (callee?.name === 'Error' && callee.operand) arg = callee.operand;
  }
  return arg?.type === 'identifier' && ERROR_NAME.test(arg.text) ? arg : undefined;
}

/** Whether `list` (the left side of an assignment) names `name` among its targets. */
function assignsName(list: Node | null, name: string): boolean {
  return list !== null && list.namedChildren.some((c) => c?.type === 'identifier' && c.text === name);
}

/**
 * The call whose result `name` last received before `before`, in the given function's own body
 * (`v, err := f()`, `err = f()`, `if err := f(); ...`), as its callee text, or undefined.
 */
function assigningCall(fn: Node, name: string, before: number): string | undefined {
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  let source: string | undefined;
  walkDescendants(body, (n) => {
    if (n.startIndex >= before) return false;
    if (n.type === 'func_literal') return false;
    if ((n.type === 'short_var_declaration' || n.type === 'assignment_statement') && assignsName(n.childForFieldName('left'), name)) {
      const right = n.childForFieldName('right')?.namedChildren.filter((c) => c?.type !== 'comment') ?? [];
      const only = right.length === 1 ? right[0] : undefined;
      source = only?.type === 'call_expression' ? only.childForFieldName('function')?.text : undefined;
    }
    return true;
  }, ASSIGNMENTS_SEEN);
  return source;
}

/** The nodes assigningCall looks at: assignments, and function literals, whose bodies it skips. */
const ASSIGNMENTS_SEEN = new Set(['short_var_declaration', 'assignment_statement', 'func_literal']);

/** Words of a panic message that mark a broken invariant rather than a failure: "unreachable", "BUG: ...". */
const INVARIANT_MESSAGE = /unreachable|not reached|impossible|\bbug\b|internal error|(should|must|can)( ?not|'t|n't| never) (happen|occur)|invariant|assert|programming error/i;

/**
 * Whether the panic's message (a string literal, or the literal a fmt.Sprintf, errors.New or
 * fmt.Errorf argument starts with) says the state cannot happen.
 */
function marksInvariant(call: Node): boolean {
  let arg: Node | undefined = callArguments(call)[0];
  if (arg?.type === 'call_expression') arg = callArguments(arg)[0];
  // "impossible state " + s: the message's first literal.
  while (arg?.type === 'binary_expression') arg = arg.childForFieldName('left') ?? undefined;
  if (arg === undefined || !isStringLiteral(arg)) return false;
  // "reflect: call of MakeFunc with non-Func type", "cipher.newCFB: IV length ...": a message naming
  // the package or function is how Go reports a caller's misuse of an API, on purpose.
  return INVARIANT_MESSAGE.test(arg.text) || /^["`][\w./]+: /.test(arg.text);
}

/**
 * Whether the panic is a statement of the function's body itself, not inside an if, a switch case
 * or a loop: the function always panics when it gets there. A conditional panic guards a state (a
 * caller's misuse, a broken invariant), which is how Go reports programming errors on purpose.
 */
function unconditional(call: Node, fn: Node): boolean {
  const statement = call.parent;
  if (statement?.type !== 'expression_statement') return false;
  // block > statement_list > statement (tree-sitter-go 0.25 wraps a block's statements in a list).
  let block = statement.parent;
  if (block?.type === 'statement_list') block = block.parent;
  return block?.type === 'block' && block.parent?.id === fn.id;
}

/** Whether the panic is in a function literal handed to a `.Do(...)` call (sync.Once): lazy initialisation. */
function insideOnceDo(call: Node): boolean {
  for (let n = call.parent; n; n = n.parent) {
    if (n.type !== 'func_literal') continue;
    const outer = n.parent?.type === 'argument_list' ? n.parent.parent : undefined;
    if (outer?.type === 'call_expression' && calleeOf(outer)?.name === 'Do') return true;
  }
  return false;
}

/**
 * Whether the top-level function's doc comment mentions panicking ("It panics if n < 0."): a
 * documented precondition, the way Go reports a caller's programming error.
 */
function documentsPanic(fn: Node): boolean {
  for (let c = topLevelDeclaration(fn).previousSibling; c?.type === 'comment'; c = c.previousSibling) {
    // The verb, as Go's docs write it ("It panics if", "Panics when"), not the noun.
    if (/\bpanics\b/i.test(c.text)) return true;
  }
  return false;
}

/** Whether a function's results include an `error` (`error`, `(T, error)`, `(n int, err error)`). */
function returnsError(fn: Node): boolean {
  const result = fn.childForFieldName('result');
  if (!result) return false;
  if (result.type === 'type_identifier') return result.text === 'error';
  return result.namedChildren.some((p) => p?.type === 'parameter_declaration' && p.childForFieldName('type')?.text === 'error');
}

/**
 * Whether the panic is the PanicOnError branch of a configurable error mode (flag.PanicOnError,
 * pflag's, kingpin's): the caller asked for the panic.
 */
function inPanicMode(call: Node): boolean {
  for (let n = call.parent; n && !FUNCTION_TYPES.has(n.type); n = n.parent) {
    if (n.type === 'expression_case' && n.childForFieldName('value')?.text.includes('Panic')) return true;
  }
  return false;
}

/**
 * The call that produced the error a panic passes on, searching the functions the panic is
 * nested in from the innermost out; undefined when the panic's value is not such an error.
 */
function errorSource(call: Node): string | undefined {
  const id = panickedIdentifier(call);
  if (!id) return undefined;
  for (let n = call.parent; n; n = n.parent) {
    if (!FUNCTION_TYPES.has(n.type)) continue;
    const source = assigningCall(n, id.text, call.startIndex);
    if (source !== undefined) return source.replace(/\s+/g, '');
    // A parameter of that name comes from the caller, not from a call here.
    if (n.childForFieldName('parameters')?.text.match(new RegExp(`\\b${id.text}\\b`))) return undefined;
  }
  return undefined;
}

export const panicInLibrary: Rule = {
  meta: {
    code: 'GR109',
    name: 'panic-in-library',
    phase: 'idioms',
    // The catalog's level is warning; measured on real code half of the findings are deliberate
    // (docs/precision/GR109.md), so it ships as information until it can tell them apart.
    severity: 'information',
    summary: 'A library panics instead of returning an error, so every caller inherits a crash it cannot handle (information where the panicked error came from a call in a function that returns errors; a hint for other panics).',
    proverb: proverbs.dontPanic,
    fixable: false,
    example: {
      bad: 'func Parse(s string) Config {\n\tc, err := parse(s)\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\treturn c\n}',
      good: 'func Parse(s string) (Config, error) {\n\tc, err := parse(s)\n\tif err != nil {\n\t\treturn Config{}, fmt.Errorf("parse config: %w", err)\n\t}\n\treturn c, nil\n}',
    },
    docs: `## What it flags
A library (a package that is not \`main\`, in a file that is not a test) that turns an error into a panic:
\`panic(err)\` or \`panic(err.Error())\` where \`err\` holds the error a call in the same function returned
(\`v, err := f()\`, \`err = f()\`, \`if err := f(); err != nil\`), in a function that itself returns an
\`error\`, so that returning this one would have cost nothing. The message names the call. This is the
information-level finding.

Every other \`panic\` that is a statement of a library function's body itself, so that the function always panics
when it gets there (\`func Encode(v any) []byte { panic("not implemented") }\`), is a hint (faint dots in the editor,
not listed in the Problems panel), as the catalog asks about every panic. A panic inside an \`if\`, a \`switch\` case
or a loop guards a state (a caller's misuse, a broken invariant), which is how Go reports programming errors on
purpose, and is left alone; so are panics where the code says they are deliberate: a message that marks a broken
invariant (\`"unreachable"\`, \`"BUG: ..."\`, \`"impossible state " + s\`, \`"assertion failed"\`, "should not happen")
or names the API misused (\`"reflect: call of MakeFunc with non-Func type"\`, \`"cipher.NewCFB: IV length ..."\`), a
function whose doc comment says it panics (\`// It panics if n < 0.\`), and a function literal run by a \`.Do\`
call (\`sync.Once\`).

## Why
A library does not know what its caller can tolerate. A returned error lets the caller retry, report or give up;
a panic decides for every caller that the program stops, unless each one wraps the call in \`recover\`. Go keeps
panics for what really cannot go on: a broken invariant, a programming error that a test should have caught.

## Bad
\`\`\`go
func LoadConfig(path string) Config {
	data, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return parse(data)
}
\`\`\`

## Good
\`\`\`go
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("load config: %w", err)
	}
	return parse(data), nil
}
\`\`\`

## Fix
None: returning an error changes the function's signature and every caller. If the panic really marks a state
that cannot happen, silence the finding with a \`//rubric:ignore GR109\` directive saying so.

## Approximations
The catalog asks about every \`panic\` in a library. Measured on the standard library and widely used modules
(docs/precision/GR109.md), most panics there are deliberate: unreachable states (\`default: panic("unreachable")\`),
broken invariants, and programming errors such as a negative count or a call on a zero value, which Go reports
with a panic on purpose. Without types nothing tells them apart from a crash on bad input, so the rule keeps to
the one shape a reviewer nearly always asks to change: an error some call returned, handed to \`panic\` by a
function that could have returned it. Without types, an error is recognised by its name (\`err\`, \`e\`,
\`perr\`, \`errWrite\`) and by coming from a call.

\`panic\` is taken to be the builtin unless the declaration itself gives the name to something else (a parameter,
a local variable or function, a range variable). A package-level \`var panic\` or \`func panic\` in another
declaration is not seen. An error variable is traced only to assignments in the functions that enclose the
panic, before it; an error received as a parameter is the caller's and is left alone.

## Left alone
- At information: \`panic(err)\` in a function without an \`error\` result (in the sample read, mostly deliberate
  "cannot happen" cases, a cipher built with a fixed-size key, or unwinds the package recovers at its API boundary,
  yaml, msgpack), and panics with anything but an error from a call (strings, \`fmt.Sprintf\`, sentinel errors,
  custom panic types): those are hints, unless deliberate as described above.
- The \`PanicOnError\` branch of a configurable error mode (\`flag\`, \`pflag\`): the caller asked for it.
- Files under a \`cmd/\` folder (a command's own packages, such as \`cmd/compile/internal/ssa\`), package \`main\` and test files (\`_test.go\`): a program may decide to crash, and tests panic to fail.
- Packages that support tests (a name ending in \`test\`, \`testing\`, \`testutil\`, \`testhelper\`, such as
  \`httptest\`): their helpers run inside tests.
- \`init\` functions: there is no caller to return an error to.
- \`Must\`/\`must\` helpers (\`MustCompile\`, \`mustParse\`): the name promises the panic, and callers choose them
  for it. go-fuzz entry points (\`func Fuzz(data []byte) int\`), which report failures by panicking.
- Re-panics: a \`panic\` in a function that calls \`recover()\`, itself or in a deferred function literal (a
  handler that cleans up and panics again, or code that unwinds with a panic and catches it).
- Generated files.

## Severity
The rubric lists this rule as a warning. Read by hand, half of its findings on real code are panics that cannot fire
(calls that cannot fail in context, debug self-checks, a deferred recover helper), so it is information by default;
raise it with \`"goRubric.rules": { "GR109": "warning" }\` (which raises the hints too: every library panic is then a
warning, as the catalog lists it). The hints are the catalog's broad item: on the standard library most are
deliberate panics on a caller's programming error, whose messages the exemptions do not recognise
(docs/precision/GR109.md), which is why they are hints.

## Links
- [Go Proverbs: Don't panic](${links.goProverbs})
- [Effective Go: Panic](${links.effectiveGo}#panic)
- [Go Code Review Comments: Don't Panic](${links.reviewComments}#dont-panic)
- peer: revive's deep-exit covers os.Exit and log.Fatal, not panic`,
  },
  // The calls around each `panic(` in the text; visit() checks that the callee is the plain name.
  // Cheaper than a query whose name predicate would run in JavaScript for every call.
  anchors: { text: () => ['panic'], accept: (text, at) => /^\s*\(/.test(text.slice(at + 5, at + 12)), nodeTypes: ['call_expression'] },
  appliesTo: (file) =>
    file.packageName !== undefined && file.packageName !== 'main' && !file.isTestFile && !isTestSupportPackage(file.packageName) &&
    !inCommandTree(file),
  visit(call: Node, ctx) {
    const callee = call.childForFieldName('function');
    if (callee?.type !== 'identifier' || callee.text !== 'panic') return;
    if (exemption(call) !== undefined) return;
    // Measured on real code, a panic(err) in a function without an error result is mostly a
    // deliberate "cannot happen" (a cipher with a fixed key size) or an unwind its package recovers;
    // where the function already returns an error, handing this one to panic is the smell.
    const fn = enclosingFunction(call);
    if (!fn || inPanicMode(call)) return;
    const source = returnsError(fn) ? errorSource(call) : undefined;
    if (source !== undefined) {
      ctx.report({
        node: call,
        message: `the error from ${source} becomes a panic, though this function returns an error: return it and let the caller decide whether to stop`,
      });
      return;
    }
    // Any other panic, as the catalog asks, as a hint: most are deliberate on real code, and the
    // ones that say so (an invariant's message, a documented precondition, a sync.Once) are left alone.
    if (!unconditional(call, fn) || marksInvariant(call) || insideOnceDo(call) || documentsPanic(fn)) return;
    ctx.report({
      node: call.childForFieldName('function') ?? call,
      severity: 'hint',
      message: 'panic in library code: return an error and let the caller decide whether to stop (if this state cannot happen, say so in the message or the doc comment)',
    });
  },
};
