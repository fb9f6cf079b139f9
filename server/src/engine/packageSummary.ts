// What a Go file declares at top level, for the workspace package index: each function's and
// method's results (which are `error`), and each type's shape (an interface's methods and
// embedded interfaces, a struct's embedded fields). Read by a small lexical scanner, not by a
// parse: the CLI and the language server summarise every file of a package before checking its
// files, and a lexical pass skips function bodies at the cost of matching braces. The engine
// summarises each top-level declaration of the file it checks with the same scanner (on the
// declaration's text), so a file's summary is the same whether it comes from disk or from the
// editor's buffer.
//
// A summary is a list of entries, key and value, both strings (cheap to compare and to send to a
// worker thread):
//   `f:Name`        -> the function's result shape (as the standard-library table: ".e")
//   `m:Type.Name`   -> a method's result shape (receiver type without `*` and type arguments), or
//                      an interface's method's
//   `x:Name`,
//   `x:Type.Name`   -> for a function or method whose unnamed results include a type named by a plain
//                      identifier (`customError`, `*customError`, not a predeclared one): the results'
//                      types, comma-separated, '' where not such a type; knownCalls.ts counts a result
//                      whose type has an Error() method in the package as an error, GR215 follows
//                      what a call returns (receiver type without `*` and type arguments)
//   `e:Type`        -> when the type has the method `Error() string`: '' (value receiver: T and *T
//                      implement error) or '*' (pointer receiver: only *T does)
//   `n:Name`        -> '' when a method of that name is declared on any of the package's types or
//                      interfaces
//   `u:Name`        -> '' when a function or method of the package takes a parameter of the
//                      package's type Name (exported names only; `[]Name`, `...Name` included)
//   `r:Name`        -> what the exported functions returning the package's exported type Name build
//                      (`func NewStore() Store { return &diskStore{} }` gives `r:Store` -> `*diskStore`,
//                      as does `return new(diskStore)`; '?' for anything but one built type); functions building different
//                      types make the value ambiguous, in a file and across files
//   `k:Name`        -> for a struct (or a type defined as a lock, `type once sync.Once`: '!'): '!' when it holds, by value (a field or an embedded type, not a
//                      pointer), a standard type that must not be copied (sync.Mutex, RWMutex,
//                      WaitGroup, Once, Cond, Map, Pool, atomic.Int64, or one holding such a lock:
//                      zip.Reader, http.Server; see data/stdlibLocks.json), and the package's own types it holds by value
//                      (which may hold one), comma-separated and sorted (`k:Cache` -> "!,stats"); ''
//                      for a struct that holds neither
//   `l:Type.field`  -> a struct field's type when it is a named type or a pointer to one, not a
//                      predeclared type nor a standard type that holds no lock (`state`, `*Request`,
//                      `sync.Mutex`, `*archive/zip.Reader`, or `?q.T` when the qualifier is not an
//                      import): what `x.field` is (GR215); an embedded field is named by its type's
//                      name. Not for generic structs
//   `o:field`       -> the same type, for every field of that name held by value (not a pointer), by
//                      field name alone: fields of one name and different types make it ambiguous.
//                      GR215 asks it first, to pass over most `x.field` without finding x's type
//   `c:Name`        -> for a package variable made as a channel (`var sigs = make(chan os.Signal)`):
//                      '0' when it has no buffer (no capacity, or 0), 'b' when it has one
//   `p:Type.Lock`,
//   `p:Type.Unlock` -> '' when the method `Lock()` (or `Unlock()`) is declared on *Type: a type whose
//                      pointer is a sync.Locker is a lock itself (go vet's copylocks)
//   `g:locks`       -> '' when a type declared holds a lock by value: a struct holding a standard lock
//                      ('!' in its `k:` value), a type defined as one, a type whose pointer has Lock and
//                      Unlock, or a struct holding another package's type by value (which may hold
//                      one). Without it no field of the package's structs holds a lock of the
//                      package's making: GR215 reads no field of such a package
//   `g:shutdown`    -> '' when a function body calls `.Shutdown(` or `signal.Notify(`/`signal.NotifyContext(`:
//                      the package stops its servers or handles signals (GR402); read from the body's
//                      text, as is the next key
//   `g:defaultmux`  -> '' when a function body serves http.DefaultServeMux (a nil handler, or
//                      `http.DefaultServeMux`) on an address that is not a loopback literal:
//                      `x.ListenAndServe(addr, nil)`, `x.ListenAndServeTLS(addr, c, k, nil)`,
//                      `x.Serve(l, nil)`, `x.ServeTLS(l, nil, c, k)` (GR407)
//   `d:Name`        -> '' when the package declares Name at top level (a function, type, variable or
//                      constant) and Name is a standard-library package's name: an import a fix adds
//                      under that name would collide with it (`errors` for errors.Is, `fmt`); test
//                      files count for the package's other files too (see FolderIndex.externalFor)
//   `t:Name`        -> `i<methods>|<embedded>` for an interface, `s<embedded>` for a struct,
//                      `o` for any other type; lists are comma-separated, embedded types are the
//                      name (`Reader`), or the import path and name (`io.Reader`, `example.com/x/y.Z`),
//                      or `?q.Name` when the qualifier is not an import of the declaring file.
import type { ImportTable } from './imports';
import { defaultPackageName, isStandardImportPath } from './imports';
import { isStdlibPackageName, stdlibHoldsLock } from './stdlib';

export type SummaryEntry = readonly [key: string, value: string];

/** A value that two declarations of the same key disagree on: treated as unknown. */
export const AMBIGUOUS = '?';

export type TypeShape =
  | { kind: 'interface'; methods: readonly string[]; embeds: readonly string[] }
  | { kind: 'struct'; embeds: readonly string[] }
  | { kind: 'other' };

/** Reads a `t:` value back. */
export function parseTypeShape(value: string | undefined): TypeShape | undefined {
  if (value === undefined || value === AMBIGUOUS) return undefined;
  const list = (s: string) => (s === '' ? [] : s.split(','));
  if (value[0] === 'i') {
    const bar = value.indexOf('|');
    return { kind: 'interface', methods: list(value.slice(1, bar)), embeds: list(value.slice(bar + 1)) };
  }
  if (value[0] === 's') return { kind: 'struct', embeds: list(value.slice(1)) };
  return { kind: 'other' };
}

/** Splits a qualified embedded type (`io.Reader`, `?q.T`) into its import path and name. */
export function splitQualified(embed: string): { path: string | undefined; name: string } {
  const dot = embed.lastIndexOf('.');
  if (dot < 0) return { path: undefined, name: embed };
  return { path: embed.startsWith('?') ? undefined : embed.slice(0, dot), name: embed.slice(dot + 1) };
}

type Kind = 'ident' | 'op' | 'lit' | 'eof';

/** Tokens after which a newline ends a statement (Go's semicolon insertion). */
const ENDS_STATEMENT_KEYWORDS = new Set(['break', 'continue', 'fallthrough', 'return']);

const TYPE_STARTS = new Set(['*', '[', '(', '<-']);
const TYPE_KEYWORDS = new Set(['map', 'chan', 'func', 'struct', 'interface']);

/** How the scanner resolves a qualifier to an import path. */
type Resolve = (qualifier: string) => string | undefined;

class Lexer {
  pos = 0;
  kind: Kind = 'eof';
  value = '';
  /** Whether a newline now would end the statement. */
  private canEnd = false;

  constructor(readonly text: string) {
    this.next();
  }

  /** Moves to the next token; newlines that end a statement become `;` tokens. */
  next(): void {
    const text = this.text;
    const n = text.length;
    for (;;) {
      if (this.pos >= n) {
        if (this.canEnd) return this.set('op', ';', false);
        return this.set('eof', '', false);
      }
      const c = text.charCodeAt(this.pos);
      if (c === 10) {
        this.pos++;
        if (this.canEnd) return this.set('op', ';', false);
        continue;
      }
      if (c === 32 || c === 9 || c === 13) {
        this.pos++;
        continue;
      }
      if (c === 47 /* / */) {
        const d = text.charCodeAt(this.pos + 1);
        if (d === 47) {
          const end = text.indexOf('\n', this.pos);
          this.pos = end < 0 ? n : end;
          continue;
        }
        if (d === 42) {
          const end = text.indexOf('*/', this.pos + 2);
          const stop = end < 0 ? n : end + 2;
          const hadNewline = text.slice(this.pos, stop).includes('\n');
          this.pos = stop;
          if (hadNewline && this.canEnd) return this.set('op', ';', false);
          continue;
        }
      }
      if (isIdentStart(c)) {
        const start = this.pos;
        this.pos++;
        while (this.pos < n && isIdentPart(text.charCodeAt(this.pos))) this.pos++;
        const word = text.slice(start, this.pos);
        return this.set('ident', word, !KEYWORDS_NOT_ENDING.has(word) || ENDS_STATEMENT_KEYWORDS.has(word));
      }
      if (c >= 48 && c <= 57) {
        const start = this.pos;
        while (this.pos < n && (isIdentPart(text.charCodeAt(this.pos)) || text[this.pos] === '.')) this.pos++;
        return this.set('lit', text.slice(start, this.pos), true);
      }
      if (c === 34 /* " */ || c === 39 /* ' */) {
        const start = this.pos;
        this.pos++;
        while (this.pos < n && text.charCodeAt(this.pos) !== c && text.charCodeAt(this.pos) !== 10) this.pos += text.charCodeAt(this.pos) === 92 ? 2 : 1;
        this.pos++;
        return this.set('lit', text.slice(start, Math.min(this.pos, n)), true);
      }
      if (c === 96 /* ` */) {
        const end = text.indexOf('`', this.pos + 1);
        const start = this.pos;
        this.pos = end < 0 ? n : end + 1;
        return this.set('lit', text.slice(start, this.pos), true);
      }
      // Operators: the few two-character ones that matter here, else one character. Read by
      // character code: most tokens of a file are operators, and slicing each was most of the
      // scanner's garbage.
      const d = text.charCodeAt(this.pos + 1);
      if (c === 46 /* . */ && d === 46 && text.charCodeAt(this.pos + 2) === 46) {
        this.pos += 3;
        return this.set('op', '...', false);
      }
      const two = c === 60 /* < */ && d === 45 ? '<-' : c === 43 /* + */ && d === 43 ? '++' : c === 45 /* - */ && d === 45 ? '--' : c === 58 /* : */ && d === 61 ? ':=' : undefined;
      if (two !== undefined) {
        this.pos += 2;
        return this.set('op', two, c !== 60 && c !== 58);
      }
      this.pos++;
      return this.set('op', text[this.pos - 1]!, c === 41 || c === 93 || c === 125);
    }
  }

  private set(kind: Kind, value: string, canEnd: boolean): void {
    this.kind = kind;
    this.value = value;
    this.canEnd = canEnd;
  }

  atEnd(): boolean {
    return this.kind === 'eof';
  }

  isIdent(): boolean {
    return this.kind === 'ident';
  }

  isLiteral(): boolean {
    return this.kind === 'lit';
  }

  is(value: string): boolean {
    return this.kind !== 'lit' && this.kind !== 'eof' && this.value === value;
  }

  /**
   * Skips a balanced group starting at the current opening token, the closing one included. Reads
   * characters rather than tokens (a function body is most of a file): brackets, and the strings,
   * runes and comments that may hold brackets.
   */
  skipGroup(): void {
    const text = this.text;
    const n = text.length;
    let depth = 1;
    let i = this.pos;
    while (i < n && depth > 0) {
      const c = text.charCodeAt(i);
      // Most characters of a body are none of those below: one table look-up passes them.
      if (c >= 128 || GROUP_CHARS[c] === 0) {
        i++;
        continue;
      }
      if (c === 123 || c === 40 || c === 91) {
        depth++;
        i++;
      } else if (c === 125 || c === 41 || c === 93) {
        depth--;
        i++;
      } else if (c === 34 || c === 39) {
        i++;
        while (i < n && text.charCodeAt(i) !== c && text.charCodeAt(i) !== 10) i += text.charCodeAt(i) === 92 ? 2 : 1;
        i++;
      } else if (c === 96) {
        const end = text.indexOf('`', i + 1);
        i = end < 0 ? n : end + 1;
      } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
        const end = text.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
        const end = text.indexOf('*/', i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        i++;
      }
    }
    this.pos = Math.min(i, n);
    // As after any closing bracket, a newline now ends the statement.
    this.canEnd = true;
    this.next();
  }

  /** Skips to the `;` that ends the current top-level declaration (or to the end). */
  skipDeclaration(): void {
    this.skipUntil(';', ';');
  }

  /** Skips to the next `,` or `)` of the list the scanner is in (recovery inside a list). */
  skipInList(): void {
    this.skipUntil(',', ')');
  }

  /** Skips the rest of an element of a `{...}` or `(...)` body: to the next `;` or to the closer. */
  skipElement(closer: '}' | ')'): void {
    this.skipUntil(';', closer);
  }

  /** Skips tokens, and bracketed groups whole, until one of two tokens at this level (or the end). */
  private skipUntil(a: string, b: string): void {
    while (this.kind !== 'eof' && !this.is(a) && !this.is(b)) {
      if (this.is('(') || this.is('[') || this.is('{')) this.skipGroup();
      else this.next();
    }
  }

  save(): { pos: number; kind: Kind; value: string; canEnd: boolean } {
    return { pos: this.pos, kind: this.kind, value: this.value, canEnd: this.canEnd };
  }

  restore(state: ReturnType<Lexer['save']>): void {
    this.pos = state.pos;
    this.kind = state.kind;
    this.value = state.value;
    this.canEnd = state.canEnd;
  }

  /** Peeks at the token after the current one without moving. */
  peek(): { kind: Kind; value: string } {
    const saved = this.save();
    this.next();
    const out = { kind: this.kind, value: this.value };
    this.restore(saved);
    return out;
  }
}

/** The characters skipGroup must look at (1): brackets, quotes, and `/` (which may open a comment). */
const GROUP_CHARS = new Uint8Array(128);
for (const c of '{}()[]"\'`/') GROUP_CHARS[c.charCodeAt(0)] = 1;

/** Keywords after which a newline does not end a statement (all but break/continue/fallthrough/return). */
const KEYWORDS_NOT_ENDING = new Set([
  'chan', 'const', 'default', 'defer', 'else', 'for', 'func', 'go', 'goto', 'if', 'import', 'interface',
  'map', 'package', 'range', 'select', 'struct', 'switch', 'type', 'var', 'case',
]);

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

/**
 * Reads a type and returns what the summary needs of it: the named type it is (`error`, `T`,
 * `pkg.T`, type arguments dropped, `*` kept as a prefix) or '' for a type literal.
 */
function readType(lx: Lexer): string {
  if (lx.is('*')) {
    lx.next();
    const inner = readType(lx);
    return inner === '' ? '' : `*${inner}`;
  }
  if (lx.is('(')) {
    lx.next();
    const inner = readType(lx);
    if (lx.is(')')) lx.next();
    return inner;
  }
  if (lx.is('[')) {
    lx.skipGroup();
    readType(lx);
    return '';
  }
  if (lx.is('<-')) {
    lx.next();
    if (lx.is('chan')) lx.next();
    readType(lx);
    return '';
  }
  if (!lx.isIdent()) return '';
  const word = lx.value;
  if (word === 'map' || word === 'chan') {
    // map[K]V, chan T, chan<- T: the key (or direction), then the element type.
    lx.next();
    if (lx.is('[')) lx.skipGroup();
    else if (lx.is('<-')) lx.next();
    readType(lx);
    return '';
  }
  if (word === 'struct' || word === 'interface') {
    lx.next();
    if (lx.is('{')) lx.skipGroup();
    return '';
  }
  if (word === 'func') {
    lx.next();
    if (lx.is('(')) lx.skipGroup();
    readResults(lx);
    return '';
  }
  lx.next();
  let name = word;
  if (lx.is('.')) {
    lx.next();
    if (lx.isIdent()) {
      name = `${word}.${lx.value}`;
      lx.next();
    }
  }
  if (lx.is('[')) lx.skipGroup();
  return name;
}

/** Whether the current token can start a type. */
function startsType(lx: Lexer): boolean {
  if (lx.isIdent()) return true;
  return lx.kind === 'op' && TYPE_STARTS.has(lx.value);
}

/**
 * Reads a function's results after its parameters (none, one type, or a parenthesised list,
 * possibly named: `(n int, err error)`, `(a, b int)`) and returns their shape.
 */
function readResults(lx: Lexer, types?: string[]): string {
  if (lx.is('(')) return readResultList(lx, types);
  if (startsType(lx) && !lx.is('(')) {
    const type = readType(lx);
    types?.push(type);
    return type === 'error' ? 'e' : '.';
  }
  return '';
}

/** A parenthesised parameter or result list, as a shape ("e" per error, "." per other); the types written go to `types`. */
function readResultList(lx: Lexer, types?: string[]): string {
  lx.next(); // (
  // Each entry: a name alone, a type alone, or a name and its type.
  const entries: { name?: string; type?: string }[] = [];
  while (!lx.is(')') && !lx.atEnd()) {
    if (lx.isIdent() && !TYPE_KEYWORDS.has(lx.value)) {
      const word = lx.value;
      const after = lx.peek();
      if (after.value === ',' || after.value === ')') {
        lx.next();
        entries.push({ name: word });
      } else if (after.value === '.') {
        entries.push({ type: readType(lx) });
      } else if (after.value === '[') {
        // `T[K]` (a generic type) or `name []T` (a name and a slice or array type).
        lx.next();
        lx.skipGroup();
        if (lx.is(',') || lx.is(')')) entries.push({ type: word });
        else {
          readType(lx);
          entries.push({ name: word, type: '' });
        }
      } else {
        lx.next();
        if (lx.is('...')) lx.next();
        entries.push({ name: word, type: readType(lx) });
      }
    } else {
      if (lx.is('...')) lx.next();
      entries.push({ type: readType(lx) });
    }
    if (lx.is(',')) lx.next();
    else if (!lx.is(')')) lx.skipInList();
  }
  if (lx.is(')')) lx.next();
  const named = entries.some((e) => e.name !== undefined && e.type !== undefined);
  for (const e of entries) {
    // Unnamed, a lone word is a type (`(Store, error)`); named, it is a name (`(a, b int)`).
    const type = named ? e.type : (e.type ?? e.name);
    if (type) types?.push(type);
  }
  if (!named) return entries.map((e) => ((e.type ?? e.name) === 'error' ? 'e' : '.')).join('');
  // Named: a name alone takes the type of the next entry that has one (`a, b int`).
  let shape = '';
  let pending = 0;
  for (const e of entries) {
    if (e.type === undefined) {
      pending++;
      continue;
    }
    shape += (e.type === 'error' ? 'e' : '.').repeat(pending + 1);
    pending = 0;
  }
  return shape + '.'.repeat(pending);
}

/** Resolves a named type read by readType to a summary embed (`Name`, `path.Name`, `?q.Name`). */
function embedName(type: string, resolve: Resolve): string {
  const bare = type.replace(/^\*+/, '');
  const dot = bare.indexOf('.');
  if (dot < 0) return bare;
  const qualifier = bare.slice(0, dot);
  const path = resolve(qualifier);
  return path === undefined ? `?${bare}` : `${path}${bare.slice(dot)}`;
}

/**
 * Reads the elements of a body opened by the current token (`{` or `(`), separated by `;`: calls
 * `read` at the start of each, then skips what it left of the element, and the closing token.
 */
function readElements(lx: Lexer, closer: '}' | ')', read: () => void): void {
  lx.next();
  while (!lx.is(closer) && !lx.atEnd()) {
    if (lx.is(';')) {
      lx.next();
      continue;
    }
    read();
    lx.skipElement(closer);
  }
  if (lx.is(closer)) lx.next();
}

/**
 * An interface body, after `interface`: its summary value; its method names go to `methods`, and
 * their result shapes, in the same order, to `shapes`.
 */
function readInterface(lx: Lexer, resolve: Resolve, methods: string[], shapes: string[]): string {
  const embeds: string[] = [];
  if (!lx.is('{')) return 'i|';
  readInterfaceElements(lx, resolve, methods, embeds, shapes);
  return `i${methods.join(',')}|${embeds.join(',')}`;
}

/** The elements of an interface body, at its `{`; an embedded interface literal adds its own. */
function readInterfaceElements(lx: Lexer, resolve: Resolve, methods: string[], embeds: string[], shapes: string[]): void {
  readElements(lx, '}', () => {
    if (lx.is('interface') && lx.peek().value === '{') {
      lx.next();
      readInterfaceElements(lx, resolve, methods, embeds, shapes);
      return;
    }
    if (lx.isIdent() && lx.peek().value === '(') {
      methods.push(lx.value);
      lx.next();
      lx.skipGroup();
      shapes.push(readResults(lx));
      return;
    }
    // An embedded interface, or a type set (`~int | float64`): only a lone named type embeds.
    const tilde = lx.is('~');
    if (tilde) lx.next();
    const type = readType(lx);
    let union = false;
    while (lx.is('|')) {
      union = true;
      lx.next();
      if (lx.is('~')) lx.next();
      readType(lx);
    }
    if (!tilde && !union && type !== '' && !type.startsWith('*')) embeds.push(embedName(type, resolve));
  });
}

/**
 * A struct body, after `struct`: its embedded fields' types. Each field is also passed to `field`
 * with its name (an embedded field's is its type's name) and its type as readType reads it ('' for
 * a type literal: `[3]int`, `map[K]V`, `struct{...}`).
 */
function readStruct(lx: Lexer, resolve: Resolve, field?: (name: string, type: string) => void): string {
  const embeds: string[] = [];
  if (!lx.is('{')) return 's';
  readElements(lx, '}', () => {
    let embedded: string | undefined;
    if (lx.is('*')) {
      embedded = readType(lx);
    } else if (lx.isIdent()) {
      const word = lx.value;
      const after = lx.peek();
      if (after.value === ';' || after.value === '}' || after.kind === 'lit') {
        lx.next();
        embedded = word;
      } else if (after.value === '.') {
        embedded = readType(lx);
      } else if (after.value === '[') {
        // `T[int]` embedded, or a field `a [3]int`.
        lx.next();
        lx.skipGroup();
        if (lx.is(';') || lx.is('}') || lx.isLiteral()) embedded = word;
      } else if (field) {
        // Named fields: `a, b T`.
        const names: string[] = [];
        while (lx.isIdent()) {
          names.push(lx.value);
          lx.next();
          if (!lx.is(',')) break;
          lx.next();
        }
        const type = readType(lx);
        for (const name of names) field(name, type);
      }
    }
    if (embedded) {
      embeds.push(embedName(embedded, resolve));
      field?.(embedded.slice(embedded.lastIndexOf('.') + 1).replace(/^\*+/, ''), embedded);
    }
  });
  return `s${embeds.join(',')}`;
}

/**
 * Whether a standard type, by import path and name (`sync.Mutex`, `archive/zip.Reader`), holds a
 * lock by value as go vet's copylocks sees it (data/stdlibLocks.json): a struct holding one by
 * value must not be copied.
 */
function isStdlibLock(qualified: string): boolean {
  const dot = qualified.lastIndexOf('.');
  return dot > 0 && stdlibHoldsLock(qualified.slice(0, dot), qualified.slice(dot + 1));
}

/** Records a field type held by value: '!' for a standard type holding a lock, the name for a type of the package. */
function noteLock(type: string, resolve: Resolve, locks: Set<string>): void {
  if (type === '' || type.startsWith('*')) return;
  if (!type.includes('.')) {
    if (!PREDECLARED_TYPES.has(type)) locks.add(type);
    return;
  }
  if (isStdlibLock(embedName(type, resolve))) locks.add('!');
}

/** `g:locks`: the package declares a type that holds a lock by value, or may (see the key list at the top). */
const LOCKS: SummaryEntry = ['g:locks', ''];

/** Whether `[` after a type's name opens type parameters (`[T any]`) rather than an array type (`[4]byte`). */
function opensTypeParameters(lx: Lexer): boolean {
  const saved = lx.save();
  lx.next(); // [
  let params = false;
  if (lx.isIdent()) {
    lx.next();
    // `[T any]`, `[K comparable, V any]`, `[T ~int]`, `[S []E]`; `[N]T` and `[N*2]T` are arrays.
    params = lx.isIdent() || lx.is(',') || lx.is('~') || lx.is('[');
  }
  lx.restore(saved);
  return params;
}

/** One type spec: `Name[params] Type` or `Name = Type`. */
function readTypeSpec(lx: Lexer, resolve: Resolve, out: SummaryEntry[]): void {
  if (!lx.isIdent()) return;
  const name = lx.value;
  noteTopLevelName(name, out);
  lx.next();
  const generic = lx.is('[') && opensTypeParameters(lx);
  if (generic) lx.skipGroup();
  let value = 'o';
  // `type guard sync.Mutex` or `= sync.Mutex`: a lock of its own (not a generic one: `type L[T any] sync.Mutex` is odd enough).
  const noteDefinedLock = (type: string) => {
    if (!generic && !type.startsWith('*') && type.includes('.') && isStdlibLock(embedName(type, resolve))) out.push([`k:${name}`, '!'], LOCKS);
  };
  if (lx.is('=')) {
    lx.next();
    noteDefinedLock(readType(lx));
  } else if (lx.is('interface')) {
    lx.next();
    const methods: string[] = [];
    const shapes: string[] = [];
    value = readInterface(lx, resolve, methods, shapes);
    // Its methods' results, as a concrete type's (`m:Store.Close` -> "e"): a call on a variable of
    // the interface type is known as well.
    methods.forEach((method, i) => {
      out.push([`m:${name}.${method}`, shapes[i]!]);
      out.push([`n:${method}`, '']);
    });
  } else if (lx.is('struct')) {
    lx.next();
    const locks = new Set<string>();
    let foreign = false;
    value = readStruct(lx, resolve, (field, type) => {
      noteLock(type, resolve, locks);
      // A generic struct's fields may name its type parameters, which are not the package's types.
      if (generic || field === '_' || !isFieldTypeName(type)) return;
      const qualified = embedName(type, resolve);
      const dot = qualified.lastIndexOf('.');
      const standard = dot > 0 && !qualified.startsWith('?') && isStandardImportPath(qualified.slice(0, dot));
      // A standard type that holds no lock leads nowhere: its fields are not known.
      if (standard && !isStdlibLock(qualified)) return;
      const resolved = `${type.startsWith('*') ? '*' : ''}${qualified}`;
      out.push([`l:${name}.${field}`, resolved]);
      if (type.startsWith('*')) return;
      out.push([`o:${field}`, resolved]);
      // Another package's type held by value, which may hold a lock (its summary says).
      foreign ||= dot > 0 && !standard && !qualified.startsWith('?');
    });
    // Recorded for every struct, '' when it holds nothing: a file's own declaration then answers for
    // it, and one built for other platforms (`_windows.go`, a build tag) makes the answer ambiguous.
    // A generic struct's fields may name its type parameters, which are not the package's types.
    const held = generic ? [...locks].filter((l) => l === '!') : [...locks];
    out.push([`k:${name}`, held.sort().join(',')]);
    if (foreign || locks.has('!')) out.push(LOCKS);
  } else if (startsType(lx)) {
    noteDefinedLock(readType(lx));
  }
  out.push([`t:${name}`, value]);
}

/** Skips to the end of the expression the scanner is in: the next `,`, `;` or `)` at this level. */
function skipExpression(lx: Lexer): void {
  while (!lx.is(',') && !lx.is(';') && !lx.is(')') && !lx.atEnd()) {
    if (lx.is('(') || lx.is('[') || lx.is('{')) lx.skipGroup();
    else lx.next();
  }
}

/** At an expression: for `make(chan T)` or `make(chan T, 0)` '0', for `make(chan T, n)` 'b', else nothing (the scanner stays). */
function readChannelMake(lx: Lexer): '0' | 'b' | undefined {
  if (!lx.is('make') || lx.peek().value !== '(') return undefined;
  const start = lx.save();
  lx.next();
  lx.next();
  if (!lx.is('chan')) {
    lx.restore(start);
    return undefined;
  }
  const capacity: string[] = [];
  let commas = 0;
  while (!lx.is(')') && !lx.atEnd()) {
    if (lx.is(',')) commas++;
    else if (commas > 0) capacity.push(lx.value);
    if (lx.is('(') || lx.is('[') || lx.is('{')) lx.skipGroup();
    else lx.next();
  }
  lx.next();
  return commas === 0 || (commas === 1 && capacity.join('') === '0') ? '0' : 'b';
}

/** The `d:` entry of a top-level name, when it is a standard package's (see the key list at the top). */
function noteTopLevelName(name: string, out: SummaryEntry[]): void {
  if (isStdlibPackageName(name)) out.push([`d:${name}`, '']);
}

/** The names a var or const spec declares, `a, b T = x, y`, each noted as a top-level name. */
function readSpecNames(lx: Lexer, out: SummaryEntry[]): string[] {
  const names: string[] = [];
  while (lx.isIdent()) {
    names.push(lx.value);
    noteTopLevelName(lx.value, out);
    lx.next();
    if (!lx.is(',')) break;
    lx.next();
  }
  return names;
}

/** One var spec, `a, b T = x, y`: a variable made as a channel gets its `c:` entry. */
function readVarSpec(lx: Lexer, out: SummaryEntry[]): void {
  const names = readSpecNames(lx, out);
  // The type, if written.
  while (!lx.is('=') && !lx.is(';') && !lx.is(')') && !lx.atEnd()) {
    if (lx.is('(') || lx.is('[') || lx.is('{')) lx.skipGroup();
    else lx.next();
  }
  if (!lx.is('=')) return;
  lx.next();
  for (const name of names) {
    const buffer = readChannelMake(lx);
    if (buffer !== undefined && name !== '_' && (lx.is(',') || lx.is(';') || lx.is(')') || lx.atEnd())) out.push([`c:${name}`, buffer]);
    skipExpression(lx);
    if (!lx.is(',')) return;
    lx.next();
  }
}

/** A type declaration after `type`: one spec or a parenthesised group. */
function readTypeDeclaration(lx: Lexer, resolve: Resolve, out: SummaryEntry[]): void {
  if (lx.is('(')) readElements(lx, ')', () => readTypeSpec(lx, resolve, out));
  else readTypeSpec(lx, resolve, out);
}

/** Go's predeclared types: never one of the package's own types (a package that redeclares one is not worth a lookup). */
export const PREDECLARED_TYPES: ReadonlySet<string> = new Set([
  'bool', 'byte', 'complex64', 'complex128', 'error', 'float32', 'float64', 'int', 'int8', 'int16', 'int32', 'int64',
  'rune', 'string', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'any', 'comparable',
]);

/** A field's type worth recording: a named type (`T`, `q.T`) or a pointer to one, not a predeclared type. */
function isFieldTypeName(type: string): boolean {
  const m = /^\*?([A-Za-z_]\w*)(\.[A-Za-z_]\w*)?$/.exec(type);
  return m !== null && (m[2] !== undefined || !PREDECLARED_TYPES.has(m[1]!));
}

/** A type written as a plain name or a pointer to one (`T`, `*T`), not a predeclared type. */
function isLocalTypeName(type: string): boolean {
  const m = /^\*?([A-Za-z_]\w*)$/.exec(type);
  return m !== null && !PREDECLARED_TYPES.has(m[1]!);
}

/** A function or method declaration after `func`; skips the body. */
function readFunction(lx: Lexer, out: SummaryEntry[], skipBody = true): void {
  let receiver: string | undefined;
  let pointerReceiver = false;
  let genericReceiver = false;
  if (lx.is('(')) {
    // The receiver's type name: the last identifier outside brackets (`(r *T[K])` -> T).
    let depth = 0;
    lx.next();
    while (!(depth === 0 && lx.is(')')) && !lx.atEnd()) {
      if (lx.is('[')) {
        depth++;
        genericReceiver = true;
      }
      else if (lx.is(']')) depth--;
      else if (depth === 0 && lx.is('*')) pointerReceiver = true;
      else if (depth === 0 && lx.isIdent()) receiver = lx.value;
      lx.next();
    }
    lx.next();
  }
  if (!lx.isIdent()) return;
  const name = lx.value;
  lx.next();
  if (lx.is('[')) lx.skipGroup();
  if (!lx.is('(')) return;
  if (receiver === undefined) noteTopLevelName(name, out);
  const noParameters = lx.peek().value === ')';
  const used = readParameterTypes(lx);
  const types: string[] = [];
  const shape = readResults(lx, types);
  out.push(receiver === undefined ? [`f:${name}`, shape] : [`m:${receiver}.${name}`, shape]);
  // `func (T) Error() string`: T is an error type.
  if (receiver !== undefined && name === 'Error' && noParameters && types.length === 1 && types[0] === 'string') out.push([`e:${receiver}`, pointerReceiver ? '*' : '']);
  // Results of the package's own types, which may be error types (`func parse() *SyntaxError`)
  // or hold a lock (`func (s *Server) request() *Request`).
  // (Not for a generic type's methods: their results may be its type parameters.)
  if (!genericReceiver && types.length === shape.length && types.some(isLocalTypeName)) {
    out.push([`x:${receiver === undefined ? name : `${receiver}.${name}`}`, types.map((t) => (isLocalTypeName(t) ? t : '')).join(',')]);
  }
  if (receiver !== undefined) out.push([`n:${name}`, '']);
  // `func (*T) Lock()` and `Unlock()`: *T is a sync.Locker and T a lock, which copylocks will not copy.
  if (receiver !== undefined && pointerReceiver && noParameters && types.length === 0 && (name === 'Lock' || name === 'Unlock')) out.push([`p:${receiver}.${name}`, ''], LOCKS);
  for (const type of used) out.push([`u:${type}`, '']);
  // What the exported functions returning one of the package's exported types by name build.
  const returned = receiver === undefined && /^[A-Z]/.test(name) ? [...new Set(types)].filter((t) => /^[A-Z]\w*$/.test(t)) : [];
  // Read even for a declaration alone: such constructors are few, and short.
  if (returned.length > 0 && lx.is('{')) {
    const start = lx.pos;
    const built = readBuiltType(lx);
    for (const type of returned) out.push([`r:${type}`, built]);
    if (skipBody) bodyEntries(lx.text.slice(start, lx.pos), out);
  } else if (skipBody && lx.is('{')) {
    const start = lx.pos;
    lx.skipGroup();
    bodyEntries(lx.text.slice(start, lx.pos), out);
  }
}

/** Shutdown or signal handling, in a body's text. */
const SHUTDOWN_TEXT = /\.Shutdown\s*\(|\bsignal\.Notify(?:Context)?\s*\(/;

/**
 * A package serving function called with a nil handler, in a body's text: group 1 is the address
 * (ListenAndServe, ListenAndServeTLS: the handler is their last argument), group 2 marks Serve and
 * ServeTLS (a listener, then the handler).
 */
const DEFAULT_MUX_TEXT = /\b\w+\s*\.\s*(?:ListenAndServe(?:TLS)?\s*\(\s*("[^"\n]*"|[^,()\n]+?)\s*,(?:[^,()\n]*,){0,2}\s*(?:nil|\w+\.DefaultServeMux)\s*\)|(Serve(?:TLS)?)\s*\(\s*[^,()\n]+,\s*(?:nil|\w+\.DefaultServeMux)\s*[,)])/g;

const LOOPBACK_LITERAL = /^"(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::|")/;

/** The `g:` entries a function body's text gives (see the key list at the top). */
function bodyEntries(body: string, out: SummaryEntry[]): void {
  if (SHUTDOWN_TEXT.test(body)) out.push(['g:shutdown', '']);
  // Most bodies serve nothing: a plain search first.
  if (!body.includes('Serve')) return;
  for (const m of body.matchAll(DEFAULT_MUX_TEXT)) {
    if (m[2] !== undefined || !LOOPBACK_LITERAL.test(m[1]!)) {
      out.push(['g:defaultmux', '']);
      return;
    }
  }
}

/**
 * Reads a function body (from its `{`) for the type its returns build first: `return &diskStore{...}`
 * gives `*diskStore`, `return sliceQueue[T]{}` gives `sliceQueue`; `nil` returns are ignored, and
 * returns that build several types or return anything else give '?'. Lexical, so a return inside
 * a function literal counts too: an approximation GR116 uses only to tell one implementation
 * from several.
 */
function readBuiltType(lx: Lexer): string {
  let depth = 0;
  let built: string | undefined;
  let other = false;
  do {
    if (lx.is('{') || lx.is('(') || lx.is('[')) depth++;
    else if (lx.is('}') || lx.is(')') || lx.is(']')) depth--;
    else if (lx.is('return')) {
      lx.next();
      const pointer = lx.is('&');
      if (pointer) lx.next();
      if (lx.is('nil')) continue;
      const next = lx.peek().value;
      if (!pointer && lx.isIdent() && lx.value === 'new' && next === '(') {
        // `return new(T)` builds a *T.
        lx.next();
        lx.next();
        if (lx.isIdent() && lx.peek().value === ')') {
          const type = `*${lx.value}`;
          if (built !== undefined && built !== type) other = true;
          built = type;
          lx.next();
          lx.next();
        } else {
          // Anything else inside new(...): the group just entered is read by the loop.
          depth++;
          other = true;
        }
        continue;
      }
      if (lx.isIdent() && (next === '{' || next === '[')) {
        const type = `${pointer ? '*' : ''}${lx.value}`;
        if (built !== undefined && built !== type) other = true;
        built = type;
      } else other = true;
      // The token after `return` (and `&`) is read by the loop: it may open a group.
      continue;
    }
    lx.next();
  } while (depth > 0 && !lx.atEnd());
  return other || built === undefined ? '?' : built;
}

/**
 * The exported names of the package's own types in a parameter list (`(h Handler, opts ...Option)`
 * gives Handler and Option): which of its interfaces the package accepts. Qualified names
 * (`io.Reader`) are another package's; lower-case names are taken for parameter names.
 */
function readParameterTypes(lx: Lexer): Set<string> {
  const used = new Set<string>();
  let depth = 0;
  let afterDot = false;
  do {
    if (lx.is('(') || lx.is('[') || lx.is('{')) depth++;
    else if (lx.is(')') || lx.is(']') || lx.is('}')) depth--;
    else if (lx.isIdent() && !afterDot && /^[A-Z]/.test(lx.value) && lx.peek().value !== '.') used.add(lx.value);
    afterDot = lx.is('.');
    lx.next();
  } while (depth > 0 && !lx.atEnd());
  return used;
}

/** Reads top-level declarations until the end, adding their entries; imports feed `imports`. */
function readTopLevel(lx: Lexer, resolve: Resolve, out: SummaryEntry[], onImport?: (name: string | undefined, path: string) => void, onPackage?: (name: string) => void): void {
  while (!lx.atEnd()) {
    if (lx.is(';')) {
      lx.next();
      continue;
    }
    if (lx.is('func')) {
      lx.next();
      readFunction(lx, out);
    } else if (lx.is('type')) {
      lx.next();
      readTypeDeclaration(lx, resolve, out);
    } else if (lx.is('var')) {
      lx.next();
      if (lx.is('(')) readElements(lx, ')', () => readVarSpec(lx, out));
      else readVarSpec(lx, out);
    } else if (lx.is('const')) {
      lx.next();
      if (lx.is('(')) readElements(lx, ')', () => readSpecNames(lx, out));
      else readSpecNames(lx, out);
    } else if (lx.is('package')) {
      lx.next();
      if (lx.isIdent()) onPackage?.(lx.value);
    } else if (lx.is('import') && onImport) {
      lx.next();
      const spec = () => {
        let name: string | undefined;
        if (lx.isIdent() || lx.is('.')) {
          name = lx.value;
          lx.next();
        }
        if (lx.isLiteral()) onImport(name, lx.value.slice(1, -1));
      };
      if (lx.is('(')) {
        lx.next();
        while (!lx.is(')') && !lx.atEnd()) {
          if (lx.is(';')) lx.next();
          else {
            spec();
            while (!lx.is(';') && !lx.is(')') && !lx.atEnd()) lx.next();
          }
        }
      } else spec();
    }
    lx.skipDeclaration();
  }
}

export interface FileSummary {
  packageName: string | undefined;
  entries: SummaryEntry[];
}

/** The summary of a whole file's text. */
export function summarizeFile(text: string): FileSummary {
  const imports = new Map<string, string>();
  let packageName: string | undefined;
  const entries: SummaryEntry[] = [];
  const lx = new Lexer(text);
  readTopLevel(
    lx,
    (q) => imports.get(q),
    entries,
    (name, path) => {
      if (name !== '_' && name !== '.') imports.set(name ?? defaultPackageName(path), path);
    },
    (name) => (packageName ??= name),
  );
  return { packageName, entries };
}

/** Top-level node types that can declare something the summary records. */
export const SUMMARIZED_NODE_TYPES: ReadonlySet<string> = new Set(['function_declaration', 'method_declaration', 'type_declaration', 'var_declaration', 'const_declaration']);

const NO_ENTRIES: readonly SummaryEntry[] = [];

/** The entries one top-level declaration contributes (its text), qualifiers resolved through the file's imports. */
export function summarizeDeclaration(type: string, text: string, imports: ImportTable): readonly SummaryEntry[] {
  if (!SUMMARIZED_NODE_TYPES.has(type)) return NO_ENTRIES;
  const entries: SummaryEntry[] = [];
  const lx = new Lexer(text);
  if (type !== 'type_declaration' && lx.is('func')) {
    // A function alone: its signature is all there is to read (a keystroke in a long body
    // should not scan the body for its closing brace).
    lx.next();
    readFunction(lx, entries, false);
    // Its body's text, once (a plain search, not a scan for the closing brace).
    bodyEntries(text, entries);
    return entries.length === 0 ? NO_ENTRIES : entries;
  }
  readTopLevel(lx, (q) => imports.pathOf(q), entries);
  return entries.length === 0 ? NO_ENTRIES : entries;
}
