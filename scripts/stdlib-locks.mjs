// Generates server/src/data/stdlibLocks.json from the standard library's source
// (/usr/share/go-1.19/src, Debian package golang-1.19-src): which standard types hold a lock by
// value, as go vet's copylocks sees them, and which exported functions and methods return one.
// GR215 (lock-copied) reads it to know, without a type checker, that `*zr` copies a lock when
// `zr, err := zip.NewReader(...)`: archive/zip's Reader holds a sync.Once.
//
//   node scripts/stdlib-locks.mjs [--src DIR] [--go GO] [--check]
//
// The files of each package are those `go list std` names for linux/amd64 (build constraints
// applied), parsed with the pinned tree-sitter-go grammar. --check exits 1 when the committed
// table differs from what the source gives (CI runs it when Go and its source are installed).
//
// A type holds a lock (go vet's copylocks, lockPath) when it is a struct whose pointer has the
// methods Lock() and Unlock() and whose value does not, or sync's noCopy, or a struct with a field
// (named or embedded, not through a pointer, a slice, a map, a channel, a function or an interface)
// of such a type, or an array of one; a type defined as another type (`type T U`) has U's fields
// and its own methods; an alias is its target.
//
// Format: { "go": "1.19", "locks": { "<import path>": ["<Type>", ...] },
//           "results": { "<import path>": { "<Func>" | "<Type>.<Method>": "<results>" } } }
// "locks" lists the exported types that hold a lock, and the unexported ones an exported function
// returns; "results" lists the exported functions and methods (of exported types, receiver without
// `*`) with a result that holds a lock or points to one: one entry per result, comma-separated,
// '' for the others, `*` for a pointer and the type's import path (`*archive/zip.Reader,` for
// zip.NewReader's `(*Reader, error)`).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser } from 'web-tree-sitter';
import { writeOrCheck } from './generated-table.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(repo, 'server', 'src', 'data', 'stdlibLocks.json');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const srcDir = option('--src', '/usr/share/go-1.19/src');
const goTool = option('--go', '/usr/lib/go-1.19/bin/go');
const check = args.includes('--check');

/** Each standard package's import path and files, as `go list` selects them for linux/amd64. */
function listPackages() {
  const env = { ...process.env, GOROOT: dirname(srcDir), GOOS: 'linux', GOARCH: 'amd64', CGO_ENABLED: '1', GOFLAGS: '', GO111MODULE: '' };
  const out = execFileSync(goTool, ['list', '-e', '-f', '{{.ImportPath}}|{{join .GoFiles ","}}|{{join .CgoFiles ","}}', 'std'], { env, maxBuffer: 1 << 26 }).toString();
  return out
    .trim()
    .split('\n')
    .map((line) => {
      const [path, goFiles, cgoFiles] = line.split('|');
      return { path, files: [...goFiles.split(','), ...cgoFiles.split(',')].filter(Boolean) };
    })
    // Vendored copies are not importable under these paths, and cmd is not the library.
    .filter((p) => !p.path.startsWith('vendor/') && !p.path.startsWith('cmd/'));
}

async function loadParser() {
  const require = createRequire(import.meta.url);
  await Parser.init();
  const go = await Language.load(readFileSync(join(dirname(require.resolve('tree-sitter-go/package.json')), 'tree-sitter-go.wasm')));
  const parser = new Parser();
  parser.setLanguage(go);
  return parser;
}

/**
 * What one package declares that matters here: its types (the type node, whether an alias, the
 * declaring file's imports), the methods Lock and Unlock by receiver kind, and its exported
 * functions and methods with their result types.
 */
function readPackage(parser, pkg) {
  const types = new Map();
  const lockMethods = new Map();
  const functions = [];
  for (const file of pkg.files) {
    const tree = parser.parse(readFileSync(join(srcDir, pkg.path, file), 'utf8'));
    const imports = new Map();
    for (const decl of tree.rootNode.namedChildren) {
      if (decl.type === 'import_declaration') {
        for (const spec of decl.descendantsOfType('import_spec')) {
          const path = spec.childForFieldName('path').text.slice(1, -1);
          const name = spec.childForFieldName('name')?.text ?? path.slice(path.lastIndexOf('/') + 1);
          imports.set(name, path);
        }
      } else if (decl.type === 'type_declaration') {
        for (const spec of decl.namedChildren) {
          if (spec.type !== 'type_spec' && spec.type !== 'type_alias') continue;
          types.set(spec.childForFieldName('name').text, { type: spec.childForFieldName('type'), alias: spec.type === 'type_alias', imports });
        }
      } else if (decl.type === 'method_declaration' || decl.type === 'function_declaration') {
        const name = decl.childForFieldName('name').text;
        const receiver = decl.type === 'method_declaration' ? receiverOf(decl) : undefined;
        if (receiver && (name === 'Lock' || name === 'Unlock') && decl.childForFieldName('parameters').namedChildCount === 0 && !decl.childForFieldName('result')) {
          const kinds = lockMethods.get(receiver.name) ?? {};
          kinds[name] = receiver.pointer ? 'pointer' : 'value';
          lockMethods.set(receiver.name, kinds);
        }
        if (/^[A-Z]/.test(name) && (!receiver || /^[A-Z]/.test(receiver.name))) {
          const typeParameters = new Set((decl.childForFieldName('type_parameters')?.descendantsOfType('identifier') ?? []).map((n) => n.text));
          functions.push({ key: receiver ? `${receiver.name}.${name}` : name, results: resultTypes(decl.childForFieldName('result')), imports, typeParameters });
        }
      }
    }
  }
  return { path: pkg.path, types, lockMethods, functions };
}

/** A method's receiver type name, without `*` and type arguments, and whether it is a pointer. */
function receiverOf(decl) {
  let type = decl.childForFieldName('receiver').namedChildren.find((c) => c.type === 'parameter_declaration')?.childForFieldName('type');
  const pointer = type?.type === 'pointer_type';
  if (pointer) type = type.namedChild(0);
  if (type?.type === 'generic_type') type = type.childForFieldName('type');
  return type?.type === 'type_identifier' ? { name: type.text, pointer } : undefined;
}

/** The result types of a function, one node per result (a named list repeats its type per name). */
function resultTypes(result) {
  if (!result) return [];
  if (result.type !== 'parameter_list') return [result];
  const out = [];
  for (const param of result.namedChildren) {
    if (param.type !== 'parameter_declaration') continue;
    const names = param.childrenForFieldName('name').filter(Boolean).length;
    for (let i = 0; i < Math.max(1, names); i++) out.push(param.childForFieldName('type'));
  }
  return out;
}

/** A named type written in a package: its package path and name (type arguments dropped). */
function namedType(type, pkgPath, imports) {
  if (type?.type === 'generic_type') type = type.childForFieldName('type');
  if (type?.type === 'type_identifier') return { path: pkgPath, name: type.text };
  if (type?.type === 'qualified_type') {
    const path = imports.get(type.childForFieldName('package').text);
    return path ? { path, name: type.childForFieldName('name').text } : undefined;
  }
  return undefined;
}

function generate(packages) {
  const byPath = new Map(packages.map((p) => [p.path, p]));
  const memo = new Map();

  /** Whether the type `name` of package `path` holds a lock by value (see the header). */
  function holds(path, name, visiting = new Set()) {
    const key = `${path}.${name}`;
    if (memo.has(key)) return memo.get(key);
    if (visiting.has(key)) return false;
    visiting.add(key);
    const pkg = byPath.get(path);
    const declared = pkg?.types.get(name);
    let result = false;
    if (declared?.alias) {
      const target = namedType(declared.type, path, declared.imports);
      result = target ? holds(target.path, target.name, visiting) : typeHolds(declared.type, path, declared.imports, visiting);
    } else if (declared) {
      const methods = pkg.lockMethods.get(name);
      const pointerLocker = methods?.Lock !== undefined && methods?.Unlock !== undefined && (methods.Lock === 'pointer' || methods.Unlock === 'pointer');
      result = pointerLocker || (path === 'sync' && name === 'noCopy') || underlyingHolds(declared.type, path, declared.imports, visiting);
    }
    visiting.delete(key);
    memo.set(key, result);
    return result;
  }

  /** Whether a type defined as `type` (`type T U`, `type T struct{...}`) has fields that hold a lock: U's own fields, not its methods. */
  function underlyingHolds(type, path, imports, visiting) {
    const target = namedType(type, path, imports);
    if (!target) return typeHolds(type, path, imports, visiting);
    const declared = byPath.get(target.path)?.types.get(target.name);
    if (!declared) return false;
    return declared.alias ? holds(target.path, target.name, visiting) : underlyingHolds(declared.type, target.path, declared.imports, visiting);
  }

  /** Whether a value of a written type holds a lock. */
  function typeHolds(type, path, imports, visiting) {
    if (!type) return false;
    if (type.type === 'parenthesized_type') return typeHolds(type.namedChild(0), path, imports, visiting);
    if (type.type === 'array_type') return typeHolds(type.childForFieldName('element'), path, imports, visiting);
    if (type.type === 'struct_type') {
      const fields = type.namedChildren.find((c) => c.type === 'field_declaration_list')?.namedChildren ?? [];
      return fields.some((field) => field.type === 'field_declaration' && !field.children.some((c) => c.type === '*') && typeHolds(field.childForFieldName('type'), path, imports, visiting));
    }
    const named = namedType(type, path, imports);
    return named !== undefined && holds(named.path, named.name, visiting);
  }

  const locks = {};
  const results = {};
  const lockSet = (path) => (locks[path] ??= new Set());
  for (const pkg of packages) {
    for (const name of pkg.types.keys()) if (/^[A-Z]/.test(name) && holds(pkg.path, name)) lockSet(pkg.path).add(name);
    for (const fn of pkg.functions) {
      let any = false;
      const written = fn.results.map((type) => {
        const pointer = type?.type === 'pointer_type';
        const named = namedType(pointer ? type.namedChild(0) : type, pkg.path, fn.imports);
        if (!named || (named.path === pkg.path && fn.typeParameters.has(named.name)) || !holds(named.path, named.name)) return '';
        any = true;
        lockSet(named.path).add(named.name);
        return `${pointer ? '*' : ''}${named.path}.${named.name}`;
      });
      if (any) (results[pkg.path] ??= {})[fn.key] = written.join(',');
    }
  }
  const sortedObject = (o, map) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, map(o[k])]));
  const lockLines = Object.entries(sortedObject(locks, (s) => [...s].sort())).map(([p, l]) => `    ${JSON.stringify(p)}: ${JSON.stringify(l)}`);
  const resultLines = Object.entries(sortedObject(results, (r) => sortedObject(r, (v) => v))).map(([p, r]) => `    ${JSON.stringify(p)}: ${JSON.stringify(r)}`);
  // One package per line: readable diffs when the table is regenerated for another Go version.
  return `{\n  "go": "1.19",\n  "locks": {\n${lockLines.join(',\n')}\n  },\n  "results": {\n${resultLines.join(',\n')}\n  }\n}\n`;
}

if (!existsSync(srcDir) || !existsSync(goTool)) {
  console.error(`stdlib-locks: ${existsSync(srcDir) ? goTool : srcDir} not found (apt-get install golang-1.19-go golang-1.19-src)`);
  process.exit(check ? 0 : 1);
}
const parser = await loadParser();
const count = (o) => Object.values(o).reduce((n, p) => n + Object.keys(p).length, 0);
writeOrCheck({
  script: 'stdlib-locks',
  out: OUT,
  text: generate(listPackages().map((pkg) => readPackage(parser, pkg))),
  check,
  describe: (table) => `${count(table.locks)} types, ${count(table.results)} functions and methods`,
});
