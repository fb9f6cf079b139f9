// Generates server/src/data/stdlibSignatures.json from Go's published API files
// (/usr/share/go-1.19/api/go1*.txt, Debian package golang-1.19-src): for every exported function
// and method of the standard library (interface methods included), which of its results are
// `error`. Rules use it to know, without a type checker, that `os.Remove(p)` drops an error or
// that `v, _ := strconv.Atoi(s)` discards one.
//
//   node scripts/stdlib-signatures.mjs [--api DIR] [--check]
//
// --check exits 1 when the committed table differs from what the API files give (CI runs it when
// they are installed). The table is committed, so building and running need no Go installation.
//
// Format (compact on purpose: it is bundled into the server and the CLI):
//   { "go": "1.19", "packages": { "<import path>": { "<Func>" | "<Type>.<Method>": "<results>" } } }
// where <results> has one character per result: "e" for `error`, "." for any other type; the empty
// string means no results. A method's key uses its receiver's type name without `*`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeOrCheck } from './generated-table.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(repo, 'server', 'src', 'data', 'stdlibSignatures.json');
const args = process.argv.slice(2);
const apiDir = args.includes('--api') ? args[args.indexOf('--api') + 1] : '/usr/share/go-1.19/api';
const check = args.includes('--check');

/** Splits a comma-separated list at depth 0 of (), [], {}. */
function splitTop(list) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const ch = list[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = list.slice(start).trim();
  if (last) parts.push(last);
  return parts;
}

/** The index just after the parenthesised group starting at `open`. */
function afterGroup(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i + 1;
  }
  throw new Error(`unbalanced parentheses: ${text}`);
}

/** "(int, error)" | "error" | "" -> "." / "e" string. */
function encodeResults(results) {
  const r = results.trim();
  if (!r) return '';
  const list = r.startsWith('(') && afterGroup(r, 0) === r.length ? splitTop(r.slice(1, -1)) : [r];
  // Named results ("n int") do not appear in API files; the type is the whole part.
  return list.map((t) => (t === 'error' ? 'e' : '.')).join('');
}

/** Parses "Name[type params](params) results" into [name, encoded results]. */
function signature(rest) {
  const m = /^([A-Z][A-Za-z0-9_]*)/.exec(rest);
  if (!m) return undefined;
  let i = m[1].length;
  if (rest[i] === '[') {
    let depth = 0;
    for (; i < rest.length; i++) {
      if (rest[i] === '[') depth++;
      else if (rest[i] === ']' && --depth === 0) {
        i++;
        break;
      }
    }
  }
  if (rest[i] !== '(') return undefined;
  const end = afterGroup(rest, i);
  return [m[1], encodeResults(rest.slice(end))];
}

const LINE = /^pkg ([^ ,]+)(?: \([^)]*\))?, (.*)$/;

function generate() {
  const files = readdirSync(apiDir).filter((f) => /^go1(\.\d+)?\.txt$/.test(f));
  if (files.length === 0) throw new Error(`no go1*.txt API files in ${apiDir}`);
  const packages = new Map();
  const set = (pkg, key, value) => {
    let entries = packages.get(pkg);
    if (!entries) packages.set(pkg, (entries = new Map()));
    // Platform variants of one function agree on whether results are errors; keep the first.
    if (!entries.has(key)) entries.set(key, value);
  };
  for (const file of files) {
    for (const line of readFileSync(join(apiDir, file), 'utf8').split('\n')) {
      const m = LINE.exec(line);
      if (!m) continue;
      const [, pkg, decl] = m;
      let s;
      if (decl.startsWith('func ')) {
        s = signature(decl.slice(5));
        if (s) set(pkg, s[0], s[1]);
      } else if (decl.startsWith('method (')) {
        const recvEnd = afterGroup(decl, 7);
        const recv = decl.slice(8, recvEnd - 1).replace(/^\*/, '').replace(/\[.*\]$/, '');
        s = signature(decl.slice(recvEnd + 1));
        if (s) set(pkg, `${recv}.${s[0]}`, s[1]);
      } else {
        const iface = /^type ([A-Z][A-Za-z0-9_]*) interface, (.*)$/.exec(decl);
        if (iface) {
          s = signature(iface[2]);
          if (s) set(pkg, `${iface[1]}.${s[0]}`, s[1]);
        }
      }
    }
  }
  const sorted = {};
  for (const pkg of [...packages.keys()].sort()) {
    const entries = packages.get(pkg);
    sorted[pkg] = Object.fromEntries([...entries.keys()].sort().map((k) => [k, entries.get(k)]));
  }
  // One package per line: readable diffs when the table is regenerated for another Go version.
  const body = Object.entries(sorted)
    .map(([pkg, entries]) => `    ${JSON.stringify(pkg)}: ${JSON.stringify(entries)}`)
    .join(',\n');
  return `{\n  "go": "1.19",\n  "packages": {\n${body}\n  }\n}\n`;
}

if (!existsSync(apiDir)) {
  console.error(`stdlib-signatures: ${apiDir} not found (apt-get install golang-1.19-src)`);
  process.exit(check ? 0 : 1);
}
writeOrCheck({
  script: 'stdlib-signatures',
  out: OUT,
  text: generate(),
  check,
  describe: (table) => `${Object.values(table.packages).reduce((n, p) => n + Object.keys(p).length, 0)} functions and methods`,
});
