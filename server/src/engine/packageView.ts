// What a rule may know about the rest of its package: the summaries (packageSummary.ts) of the
// file's own top-level declarations, over those of the package's other files (the workspace
// index, when the caller has one). A rule's findings stay cacheable per declaration because every
// lookup is recorded: the declaration's cached result keeps the keys it read and the answers it
// got, and is reused under another view only while those answers hold.
import { AMBIGUOUS, type SummaryEntry } from './packageSummary';

/** The package's other files, as the index knows them (the checked file itself excluded). */
export interface ExternalPackage {
  /** Changes whenever an answer may change (another file of the package was edited or re-read). */
  readonly key: string;
  get(key: string): string | undefined;
  /**
   * The checked file's own summary as the index read it from disk, when `text` is exactly the
   * text it read (the CLI's index reads every file of a folder): the engine then need not
   * summarise the file's declarations a second time. Undefined otherwise, and once asked.
   */
  fileSummary?(text: string): readonly SummaryEntry[] | undefined;
}

/** Where the engine finds a file's package: by its path and package name. */
export interface PackageSource {
  forFile(path: string | undefined, packageName: string | undefined): ExternalPackage | undefined;
}

/**
 * The key that asks another package, by import path, what `key` asks the file's package
 * (`importedKey('example.com/m/internal/desc', 'k:Field')`). The package source answers it when it
 * can find that package's folder (the CLI's DiskPackages); otherwise the answer is undefined, as for
 * any key nobody declares. The file's own summary never holds such a key.
 */
export function importedKey(importPath: string, key: string): string {
  return `${IMPORTED}${importPath}\u0000${key}`;
}

const IMPORTED = '@';

/** The import path and the key of an importedKey, or undefined for a key about the file's own package. */
export function splitImportedKey(key: string): { importPath: string; key: string } | undefined {
  if (!key.startsWith(IMPORTED)) return undefined;
  const end = key.indexOf('\u0000');
  return end < 0 ? undefined : { importPath: key.slice(1, end), key: key.slice(end + 1) };
}

/**
 * The key that asks what `key` asks of the package's files that are not tests, and of the checked
 * file itself (`libraryKey('g:locks')`): from a test file, an answer that can do without the other
 * test files, which the CLI's index then need not read (it reads them when a test file first asks).
 */
export function libraryKey(key: string): string {
  return `${LIBRARY}${key}`;
}

const LIBRARY = '%';

/** The key a libraryKey asks about, or undefined for any other key. */
export function splitLibraryKey(key: string): string | undefined {
  return key.startsWith(LIBRARY) ? key.slice(1) : undefined;
}

/** What rules read (RuleContext.pkg): a summary value by key (see packageSummary.ts). */
export interface PackageLookup {
  get(key: string): string | undefined;
}

export type Dependency = readonly [key: string, seen: string | undefined];

let nextViewId = 1;

export class PackageView implements PackageLookup {
  readonly id = nextViewId++;
  /** Set by the engine while a declaration is checked: the lookups its findings depend on. */
  recording: Dependency[] | undefined;

  private ownMap: ReadonlyMap<string, string> | undefined;

  /** `own` may be a function, called on the first lookup: a file that no rule asks about is never summarised. */
  constructor(
    private readonly ownSource: ReadonlyMap<string, string> | (() => ReadonlyMap<string, string>),
    readonly external: ExternalPackage | undefined,
  ) {}

  /** The file's own declarations' summary. */
  get own(): ReadonlyMap<string, string> {
    this.ownMap ??= typeof this.ownSource === 'function' ? this.ownSource() : this.ownSource;
    return this.ownMap;
  }

  get(key: string): string | undefined {
    const value = this.peek(key);
    this.recording?.push([key, value]);
    return value;
  }

  /**
   * A lookup that is not recorded. The file's own declarations answer for their names; `r:` keys
   * (which functions return a type) count the package's other files too.
   */
  peek(key: string): string | undefined {
    // The file's own declarations answer a libraryKey too.
    const library = splitLibraryKey(key);
    if (library !== undefined && this.own.has(library)) return this.peek(library);
    if (!this.own.has(key)) return this.external?.get(key);
    const own = this.own.get(key);
    if (!key.startsWith('r:')) return own;
    const other = this.external?.get(key);
    return other === undefined || other === own ? own : AMBIGUOUS;
  }

  /** Whether every recorded answer is still the one this view gives. */
  holds(deps: readonly Dependency[]): boolean {
    return deps.every(([key, seen]) => this.peek(key) === seen);
  }

  /** Whether this view answers as one made of `own` and `external` would. */
  sameAs(own: ReadonlyMap<string, string>, external: ExternalPackage | undefined): boolean {
    if (this.external?.key !== external?.key || this.own.size !== own.size) return false;
    for (const [key, value] of own) if (this.own.get(key) !== value) return false;
    return true;
  }
}

/** The file's own summary from its declarations' entries, in file order; a key declared twice differently is ambiguous. */
export function ownSummary(lists: Iterable<readonly SummaryEntry[]>): Map<string, string> {
  const own = new Map<string, string>();
  for (const list of lists) {
    for (const [key, value] of list) {
      const seen = own.get(key);
      own.set(key, seen === undefined || seen === value ? value : AMBIGUOUS);
    }
  }
  return own;
}
