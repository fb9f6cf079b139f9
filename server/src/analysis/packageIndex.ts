// The workspace package index: for each folder, the summary (engine/packageSummary.ts) of every
// .go file in it, so that a rule checking one file knows what the package's other files declare.
// A folder's files are grouped by their package clause: `package x_test` files, or a stray
// `package main` generator beside a library, form packages of their own. Build constraints are
// not read; when two files of a package declare the same name differently (foo_linux.go and
// foo_windows.go), the answer is "ambiguous", which rules treat as unknown.
//
// Two ways to fill it: DiskPackages (the CLI and its workers) reads a folder when a file of it is
// first checked; the language server fills a FolderIndex per folder in the background and keeps
// it current from file events and open buffers (lsp/packageIndexer.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { detached, detachedSummary } from '../engine/detach';
import { AMBIGUOUS, summarizeFile, type FileSummary } from '../engine/packageSummary';
import { splitImportedKey, splitLibraryKey, type ExternalPackage, type PackageSource } from '../engine/packageView';
import { isFile, isFolder } from './fsProbe';
import { GoModLocator } from './goModLocator';

interface Declared {
  path: string;
  packageName: string | undefined;
  value: string;
}

/** The summaries of one folder's files. */
export class FolderIndex {
  private readonly files = new Map<string, FileSummary>();
  /**
   * Changes so far, in all and per file, so that views built on the old contents are told apart.
   * A file's view of its package leaves the file out, so its own changes (an open buffer's, on
   * every keystroke that changes what it declares) do not change that view's key.
   */
  private changes = 0;
  private readonly changesOf = new Map<string, number>();
  /**
   * Who declares each key; kept up to date file by file once built (a package can have hundreds of
   * files). Most keys have one declaration, held without an array: the index lives as long as the
   * folder, and every object in it is copied by the young-generation collections that promote it.
   */
  private byKey: Map<string, Declared | Declared[]> | undefined;

  constructor(readonly dir: string) {}

  get size(): number {
    return this.files.size;
  }

  /** Records a file's summary; returns whether that changed anything. */
  set(path: string, summary: FileSummary): boolean {
    const old = this.files.get(path);
    if (old && sameSummary(old, summary)) return false;
    if (this.byKey) {
      if (old) unindex(this.byKey, path, old);
      index(this.byKey, path, summary);
    }
    this.files.set(path, summary);
    this.changed(path);
    return true;
  }

  delete(path: string): boolean {
    const old = this.files.get(path);
    if (!old) return false;
    if (this.byKey) unindex(this.byKey, path, old);
    this.files.delete(path);
    this.changed(path);
    return true;
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  /** The summary recorded for a file, if it has one. */
  summaryOf(path: string): FileSummary | undefined {
    return this.files.get(path);
  }

  /** The package an import of this folder names (see importedPackageName), its test files left out; undefined without Go files. */
  imported(): ExternalPackage | undefined {
    const name = this.importedPackageName();
    return name === undefined ? undefined : this.externalFor(undefined, name, false);
  }

  /**
   * The package an import of this folder names: the package clause most of its files that are not
   * tests declare (a stray `package main` generator beside a library is outvoted), first in file
   * order on a tie; undefined for a folder without Go files.
   */
  importedPackageName(): string | undefined {
    const counts = new Map<string, number>();
    for (const [path, summary] of this.files) {
      if (isTestFile(path) || summary.packageName === undefined) continue;
      counts.set(summary.packageName, (counts.get(summary.packageName) ?? 0) + 1);
    }
    let best: string | undefined;
    for (const [name, count] of counts) if (best === undefined || count > counts.get(best)!) best = name;
    return best;
  }

  /**
   * The package of `path` (named `packageName`) without `path` itself. A file that is not a test
   * does not see what _test.go files declare: it cannot use it, and a test double of the same
   * name would only make the answer ambiguous. But for the names a fix's import would collide
   * with (`d:` keys, see packageSummary.ts): those collide in the package's test build all the same.
   */
  externalFor(path: string | undefined, packageName: string | undefined, tests = path === undefined || isTestFile(path)): ExternalPackage {
    const version = this.changes - (path === undefined ? 0 : (this.changesOf.get(path) ?? 0));
    return {
      key: `${this.dir}\u0000${packageName ?? ''}\u0000${path ?? ''}\u0000${version}`,
      get: (asked) => {
        const library = splitLibraryKey(asked);
        const key = library ?? asked;
        const found = this.declarations().get(key);
        if (!found) return undefined;
        let value: string | undefined;
        for (const d of Array.isArray(found) ? found : [found]) {
          if (d.path === path || d.packageName !== packageName) continue;
          // A libraryKey leaves test files out; otherwise only a file that is not a test does, but for
          // the keys they answer for every file.
          if (isTestFile(d.path) && (library !== undefined || (!tests && !seenByAllFiles(key)))) continue;
          if (value === undefined) value = d.value;
          else if (value !== d.value) return AMBIGUOUS;
        }
        return value;
      },
    };
  }

  private changed(path: string): void {
    this.changes++;
    this.changesOf.set(path, (this.changesOf.get(path) ?? 0) + 1);
  }

  private declarations(): Map<string, Declared | Declared[]> {
    if (this.byKey) return this.byKey;
    const byKey = new Map<string, Declared | Declared[]>();
    for (const [path, summary] of this.files) index(byKey, path, summary);
    this.byKey = byKey;
    return byKey;
  }
}

function index(byKey: Map<string, Declared | Declared[]>, path: string, summary: FileSummary): void {
  for (const [key, value] of summary.entries) {
    const found = byKey.get(key);
    const declared = { path, packageName: summary.packageName, value };
    if (!found) byKey.set(key, declared);
    else if (Array.isArray(found)) found.push(declared);
    else byKey.set(key, [found, declared]);
  }
}

function unindex(byKey: Map<string, Declared | Declared[]>, path: string, summary: FileSummary): void {
  for (const [key] of summary.entries) {
    const found = byKey.get(key);
    if (!found) continue;
    const rest = (Array.isArray(found) ? found : [found]).filter((d) => d.path !== path);
    if (rest.length === 0) byKey.delete(key);
    else byKey.set(key, rest.length === 1 ? rest[0]! : rest);
  }
}

function sameSummary(a: FileSummary, b: FileSummary): boolean {
  if (a.packageName !== b.packageName || a.entries.length !== b.entries.length) return false;
  return a.entries.every(([k, v], i) => b.entries[i]![0] === k && b.entries[i]![1] === v);
}

/** The .go files directly in a folder, sorted. */
export function goFilesIn(dir: string): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.name.endsWith('.go')) continue;
    // A plain file needs no stat (a folder is read for every package asked about, imported ones
    // too); a link, or an entry whose type the file system does not report, is followed.
    if (entry.isFile() || (!entry.isDirectory() && isFile(join(dir, entry.name)))) names.push(entry.name);
  }
  return names.sort().map((name) => join(dir, name));
}

/** A file's summary from disk, or undefined when it cannot be read (it then adds nothing). */
export function summarizeFromDisk(path: string): FileSummary | undefined {
  return readAndSummarize(path)?.summary;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A file's summary and, when it is valid UTF-8, its text (as the CLI would read it to check it);
 * undefined when the file cannot be read or holds a NUL byte (binary: no Go the checker reads).
 */
function readAndSummarize(path: string): { summary: FileSummary; text: string | undefined } | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  if (bytes.includes(0)) return undefined;
  let text: string | undefined;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    // Summarised as the editor would show it (invalid sequences replaced); the checker reports it.
  }
  return { summary: keptSummary(text ?? bytes.toString('utf8')), text };
}

/** A file's summary to keep for as long as the folder is indexed: detached from the file's text (see detach.ts). */
function keptSummary(text: string): FileSummary {
  const summary = summarizeFile(text);
  return { packageName: summary.packageName && detached(summary.packageName), entries: [...detachedSummary(summary.entries)] };
}

/** Keys whose test-file declarations count for every file of the package (see externalFor). */
export function seenByAllFiles(key: string): boolean {
  return key.startsWith('d:');
}

export function isTestFile(path: string): boolean {
  return path.endsWith('_test.go');
}

/**
 * Reads a folder's files into a FolderIndex (a new one, or `into`): the test files, the others or
 * both. An unreadable folder adds nothing. `onText` receives the text of each file read that is
 * valid UTF-8.
 */
export function indexFolder(
  dir: string,
  which: 'all' | 'tests' | 'non-tests' = 'all',
  into = new FolderIndex(dir),
  onText?: (path: string, text: string) => void,
): FolderIndex {
  let files: string[] = [];
  try {
    files = goFilesIn(dir);
  } catch {
    return into;
  }
  for (const path of files) {
    if (which !== 'all' && isTestFile(path) !== (which === 'tests')) continue;
    const read = readAndSummarize(path);
    if (!read) continue;
    into.set(path, read.summary);
    if (read.text !== undefined) onText?.(path, read.text);
  }
  return into;
}

/** Folders kept read at once: files come in path order, so a folder's files are checked together. */
const FOLDERS_KEPT = 4;

/**
 * Imported packages kept read at once (their summaries only; a folder's files import much the same).
 * With 16, 500 of the library corpus's 4,795 folder reads were of packages read before and let go
 * (grpc's 11 times); 64 cut the time spent reading imported packages by a quarter (631 -> 470 ms
 * of a --jobs 1 run), with no more memory measured. 256 gained nothing more.
 */
const IMPORTED_KEPT = 64;

/**
 * The folder an import path names, seen from a file: inside the file's module (the nearest go.mod's
 * `module` path, then the rest of the import path below the module's folder), or, for a corpus laid
 * out as a GOPATH, below the nearest enclosing folder named `src` (`<…>/src/<import path>`). Vendor
 * folders and other modules (the module cache) are not searched. Undefined when neither exists.
 */
export function importedFolder(fromFile: string, importPath: string, modules: GoModLocator): string | undefined {
  const module = modules.moduleFor(fromFile);
  if (module && (importPath === module.path || importPath.startsWith(`${module.path}/`))) {
    const dir = join(module.dir, importPath.slice(module.path.length));
    return isFolder(dir) ? dir : undefined;
  }
  for (let dir = dirname(fromFile); dirname(dir) !== dir; dir = dirname(dir)) {
    if (basename(dir) !== 'src') continue;
    const candidate = join(dir, importPath);
    return isFolder(candidate) ? candidate : undefined;
  }
  return undefined;
}

/** importedFolder with its answers kept, per asking folder and import path. */
export class ImportedFolders {
  private readonly modules = new GoModLocator();
  /** `<asking folder>\0<import path>` → the folder it names (null: none). */
  private readonly found = new Map<string, string | null>();

  folderOf(fromFile: string, importPath: string): string | undefined {
    const key = `${dirname(fromFile)}\u0000${importPath}`;
    let dir = this.found.get(key);
    if (dir === undefined) {
      dir = importedFolder(fromFile, importPath, this.modules) ?? null;
      this.found.set(key, dir);
    }
    return dir ?? undefined;
  }
}

/**
 * The CLI's index: a folder is read (every .go file summarised) the first time a rule asks about
 * a file's package, and kept while its files are being checked. Nothing else changes on disk during
 * a run (check --fix tells of the files it rewrites), so a folder is never read twice unless it
 * fell out of the few kept.
 *
 * The texts read for the index are kept with their folder until the checker takes them
 * (takeText): a worker checks a folder's files one after another, and reading each file a second
 * time cost about 5% of a run on the standard library.
 */
export class DiskPackages implements PackageSource {
  private readonly folders = new Map<string, { index: FolderIndex; tests: boolean; texts: Map<string, string> }>();

  /** Imported folders read (most recently used last): their package, null when it has no Go files. */
  private readonly imported = new Map<string, ExternalPackage | null>();
  private readonly importedFolders = new ImportedFolders();

  /**
   * The file being checked and the text the index summarised it from: the last text handed out
   * by takeText, or the asking file's when its folder was read for it. One at a time, so that no
   * text outlives its check (see fileSummary).
   */
  private current: { path: string; text: string } | undefined;

  forFile(path: string | undefined, packageName: string | undefined): ExternalPackage | undefined {
    if (path === undefined) return undefined;
    const dir = dirname(path);
    let external: ExternalPackage | undefined;
    // The folder's test files are read for a test file, or once a key they answer for every file is asked.
    let withTests = isTestFile(path);
    let library: ExternalPackage | undefined;
    // Lazy: most declarations never ask, and a folder whose files never do is never read.
    return {
      key: `${dir}\u0000${packageName ?? ''}\u0000${path}`,
      get: (key) => {
        const imported = splitImportedKey(key);
        if (imported) return this.importedPackage(path, imported.importPath)?.get(imported.key);
        // A libraryKey does not need the folder's test files.
        if (splitLibraryKey(key) !== undefined) {
          library ??= this.folder(dir, false, path).externalFor(path, packageName);
          return library.get(key);
        }
        if (!external || (!withTests && seenByAllFiles(key))) {
          withTests ||= seenByAllFiles(key);
          external = this.folder(dir, withTests, path).externalFor(path, packageName);
        }
        return external.get(key);
      },
      fileSummary: (text) => {
        // The folder is read as the file's first lookup would read it, the file itself included.
        const index = this.folder(dir, withTests, path);
        const current = this.current;
        this.current = undefined;
        return current?.path === path && current.text === text ? index.summaryOf(path)?.entries : undefined;
      },
    };
  }

  /** The package an import path names, seen from a file, read on first use; undefined when not found. */
  private importedPackage(fromFile: string, importPath: string): ExternalPackage | undefined {
    const dir = this.importedFolders.folderOf(fromFile, importPath);
    if (dir === undefined) return undefined;
    let found = this.imported.get(dir);
    if (found === undefined) {
      found = indexFolder(dir, 'non-tests').imported() ?? null;
      if (this.imported.size >= IMPORTED_KEPT) this.imported.delete(this.imported.keys().next().value!);
    } else {
      this.imported.delete(dir);
    }
    this.imported.set(dir, found);
    return found ?? undefined;
  }

  /** The text of a file read for the index and not taken yet (each is handed out once), or undefined. */
  takeText(path: string): string | undefined {
    const texts = this.folders.get(dirname(path))?.texts;
    const text = texts?.get(path);
    if (text !== undefined) {
      texts!.delete(path);
      this.current = { path, text };
    }
    return text;
  }

  /**
   * A file was rewritten during the run (check --fix wrote its fixes): the files of its folder
   * checked after it see what its new text declares.
   */
  rewritten(path: string, text: string): void {
    const folder = this.folders.get(dirname(path));
    if (folder?.index.has(path)) folder.index.set(path, keptSummary(text));
    if (this.current?.path === path) this.current = undefined;
  }

  /** A folder's index, read now if need be; its test files only once a test file asks. `asking`'s own text is not kept for takeText. */
  private folder(dir: string, tests: boolean, asking: string): FolderIndex {
    let folder = this.folders.get(dir);
    const keep = (path: string, text: string) => {
      if (path !== asking) folder!.texts.set(path, text);
      else this.current = { path, text };
    };
    if (folder) {
      // Most recently used last.
      this.folders.delete(dir);
      this.folders.set(dir, folder);
    } else {
      folder = { index: new FolderIndex(dir), tests: false, texts: new Map() };
      indexFolder(dir, 'non-tests', folder.index, keep);
      this.folders.set(dir, folder);
      if (this.folders.size > FOLDERS_KEPT) this.folders.delete(this.folders.keys().next().value!);
    }
    if (tests && !folder.tests) {
      indexFolder(dir, 'tests', folder.index, keep);
      folder.tests = true;
    }
    return folder.index;
  }
}
