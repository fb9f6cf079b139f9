// GR107 error-string-style: the text given to errors.New or fmt.Errorf starts with a capital
// letter or ends with punctuation or a newline, so it reads badly once wrapped in other context.
import type { Node } from 'web-tree-sitter';
import { callArguments, enclosingFunction, isPackageCall } from '../engine/syntax';
import type { Rule, RuleContext, TextEdit } from '../engine/types';
import { stringUnits, unitsValue, type StringUnit } from './goStringUnits';
import { links, proverbs } from './proverbs';

/** Characters an error string should not end with (staticcheck's ST1005 set, plus '?'). */
const TRAILING = new Set(['.', ':', '!', '?', '\n']);

/** Names the declaration itself gives (function, method, receiver type): a first word may be one of them. */
function declaredNames(call: Node): Set<string> {
  const names = new Set<string>();
  for (let fn = enclosingFunction(call); fn; fn = enclosingFunction(fn)) {
    const name = fn.childForFieldName('name');
    if (name) names.add(name.text);
    const receiver = fn.childForFieldName('receiver');
    for (const id of receiver?.descendantsOfType('type_identifier') ?? []) if (id) names.add(id.text);
  }
  return names;
}

/**
 * Whether the message starts with a capitalised ordinary word, following ST1005: a message of one
 * word is skipped (often a test or debugging value), and a first word with another capital or a
 * digit (HTTP, EOF, ReadFile, P384), a parenthesis (a call) or that names the enclosing function,
 * method or receiver type is taken to be an initialism or an identifier.
 */
function startsWithCapitalWord(message: string, call: Node, pkg: RuleContext['pkg']): boolean {
  const space = message.indexOf(' ');
  if (space < 0) return false;
  const word = message.slice(0, space);
  const [first, ...rest] = Array.from(word);
  if (!first || first.toLowerCase() === first || first.toUpperCase() !== first) return false;
  if (rest.some((c) => /[\p{Lu}\p{Nd}]/u.test(c)) || word.includes('(')) return false;
  // "Seek: invalid whence": a word before a colon names an operation, usually a function.
  if (word.endsWith(':')) return false;
  const bare = word.replace(/\p{P}+$/u, '');
  // One letter (C, X) is a name, but for the article "A" ("A JSON value ...", flagged by ST1005 and
  // revive too); a word with symbols (C++, Go's) is not plain prose.
  if ((Array.from(bare).length < 2 && bare !== 'A') || !/^[\p{L}']+$/u.test(bare)) return false;
  if (declaredNames(call).has(bare)) return false;
  // As ST1005: a word that names one of the package's functions, methods or types ("Read failed").
  return !['f:', 'n:', 't:'].some((kind) => pkg.get(`${kind}${bare}`) !== undefined);
}

/** The trailing units to drop: every final '.', ':', '!', '?' and newline (and raw strings' CRs). */
function trailingUnits(units: readonly StringUnit[]): StringUnit[] {
  let i = units.length;
  while (i > 0 && (TRAILING.has(units[i - 1]!.value) || units[i - 1]!.value === '')) i--;
  return units.slice(i).some((u) => u.value !== '') ? units.slice(i) : [];
}

function describeTrailing(trailing: readonly StringUnit[]): string {
  const last = trailing.filter((u) => u.value !== '').pop()!;
  return last.value === '\n' ? 'a newline' : `'${last.value}'`;
}

function check(call: Node, literal: Node, ctx: RuleContext): void {
  const units = stringUnits(literal);
  if (!units || units.length === 0) return;
  const message = unitsValue(units);
  const capital = startsWithCapitalWord(message, call, ctx.pkg);
  const trailing = trailingUnits(units);
  if (!capital && trailing.length === 0) return;

  const problems: string[] = [];
  const edits: TextEdit[] = [];
  if (capital) {
    problems.push(`starts with the capital in "${message.split(' ')[0]}"`);
    const first = units[0]!;
    // An escaped first character (\u0041) is left for a person: rewriting escapes is not worth it.
    if (!first.escaped) edits.push({ start: first.start, end: first.end, newText: first.value.toLowerCase() });
  }
  if (trailing.length > 0) {
    problems.push(`ends with ${describeTrailing(trailing)}`);
    edits.push({ start: trailing[0]!.start, end: trailing[trailing.length - 1]!.end, newText: '' });
  }
  const kept = units.length - trailing.length;
  // No fix when it would leave nothing of the message, or when the capital is spelled as an escape.
  const fixable = kept > 0 && (!capital || !units[0]!.escaped);
  ctx.report({
    node: literal,
    message: `error string ${problems.join(' and ')}: error text is usually printed after other context, so it starts in lower case and ends without punctuation`,
    fix: fixable
      ? {
          title: capital && trailing.length > 0 ? 'Lower-case and trim the error string' : capital ? 'Lower-case the error string' : 'Trim the error string',
          edits,
          // The text changes, and code or tests may compare it: offered one at a time, not in bulk.
          safe: false,
        }
      : undefined,
  });
}

/** github.com/pkg/errors: its constructors and wrappers take messages in the same style. */
const PKG_ERRORS = 'github.com/pkg/errors';
/** pkg/errors' wrappers, with the index of their message argument (after the wrapped error). */
const WRAPPERS = new Map([
  ['Wrap', 1],
  ['Wrapf', 1],
  ['WithMessage', 1],
  ['WithMessagef', 1],
]);
/** The functions whose message argument is checked, by import path, with the argument's index. */
const CONSTRUCTORS: ReadonlyMap<string, ReadonlyMap<string, number>> = new Map([
  ['errors', new Map([['New', 0]])],
  ['fmt', new Map([['Errorf', 0]])],
  [PKG_ERRORS, new Map([['New', 0], ['Errorf', 0], ...WRAPPERS])],
  ['golang.org/x/xerrors', new Map([['New', 0], ['Errorf', 0]])],
]);

export const errorStringStyle: Rule = {
  meta: {
    code: 'GR107',
    name: 'error-string-style',
    phase: 'idioms',
    severity: 'information',
    summary: 'The text of errors.New or fmt.Errorf starts with a capital letter or ends with punctuation or a newline.',
    proverb: proverbs.errorStrings,
    fixable: true,
    example: {
      bad: 'return errors.New("Could not open the file.")',
      good: 'return errors.New("could not open the file")',
    },
    docs: `## What it flags
A string literal passed to \`errors.New\` or as the format of \`fmt.Errorf\` (also \`New\` and \`Errorf\` of
\`github.com/pkg/errors\` and \`golang.org/x/xerrors\`, and the message of pkg/errors' \`Wrap\`, \`Wrapf\`,
\`WithMessage\` and \`WithMessagef\`, as revive checks them) that
- starts with a capitalised ordinary word (\`"Invalid port"\`), or
- ends with \`.\`, \`:\`, \`!\`, \`?\` or a newline (\`"invalid port."\`, \`"bad header\\n"\`).

## Why
Errors are wrapped and printed after other context: \`open config: invalid port\`. A capital letter in the middle
of that line and a full stop before the next \`: \` read badly, and a newline breaks log lines apart.

## Bad
\`\`\`go
return errors.New("Invalid port.")
\`\`\`

## Good
\`\`\`go
return errors.New("invalid port")
\`\`\`

## Fix
Lower-cases the first letter and drops the trailing punctuation and newlines. The fix changes the error's text,
which a caller or a test may compare (\`err.Error() == "..."\`), so it is offered for each finding on its own and
is not applied in bulk. No fix when the message would be left empty or its first letter is written as an escape.

## Approximations
The capital check follows staticcheck's ST1005: only a first word that is capitalised and otherwise lower case
counts. A first word with another capital or a digit (\`HTTP\`, \`EOF\`, \`ReadFile\`, \`P384\`) is taken to be an
initialism or an identifier, as is a word with a parenthesis (\`Close()\`). So are, beyond ST1005, a word followed
by a colon (\`"Seek: invalid whence"\` names the operation), a single letter other than the article \`A\` and a word with symbols (\`C\`, \`C++\`). ST1005 also skips a word that names any
type or function of the package, and so does this rule, with the functions, methods and types the package index
knows (the file's own declarations, and in the editor and the CLI those of the package's other files), besides
the enclosing function, method and receiver type. Variables and constants named so are not looked up.
A proper noun (\`"Windows is not supported"\`) cannot be told from an ordinary word: silence the line with a reason.
Only literals are checked: a constant or a concatenation is not followed. \`errors\` and \`fmt\` are recognised
through the file's imports, aliases and dot imports included. Unlike ST1005, a final \`?\` is flagged too.

## Left alone
- Messages of one word (\`errors.New("Unreachable")\`): they are usually debugging or test values.
- \`_test.go\` files: test errors are read by the person running the tests, not wrapped by callers.
- Other functions that build errors: custom constructors.

## Links
- [Go Code Review Comments: Error Strings](${links.reviewComments}#error-strings)
- peer: staticcheck ST1005; revive's error-strings`,
  },
  // The calls around each constructor's name in the text; visit() checks which package they call.
  anchors: {
    text: (file) => (file.imports.has(PKG_ERRORS) ? ['New', 'Errorf', ...WRAPPERS.keys()] : ['New', 'Errorf']),
    nodeTypes: ['call_expression'],
  },
  // Test errors go to the person running the tests; nothing wraps them.
  appliesTo: (file) => [...CONSTRUCTORS.keys()].some((path) => file.imports.has(path)) && !file.isTestFile,
  visit(call: Node, ctx) {
    const { imports } = ctx.file;
    for (const [path, names] of CONSTRUCTORS) {
      for (const [name, index] of names) {
        if (!isPackageCall(call, imports, path, name)) continue;
        const literal = callArguments(call)[index];
        if (literal) check(call, literal, ctx);
        return;
      }
    }
  },
};
