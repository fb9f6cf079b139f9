// The CLI's result cache: what a folder's Go files were found to have, kept on disk under a key
// made of everything the findings depend on, so that checking (or reporting on) a workspace
// again re-checks only the folders that changed. A file's findings depend on its own text, on
// what the other files of its folder declare (the package summary), on its module's go version
// and whether it has a go.mod at all, on the settings, and on the rules themselves: the key
// hashes the text of every .go file of the folder, which of them are excluded (an excluded file
// still counts for its package, but has no report), the go.mod facts, the rule severities and the
// worker bundle the rules are compiled into, so an edit, a new build or other settings miss.
//
// Entries are small JSON files (the findings as the CLI prints them, without the display path)
// under $GO_RUBRIC_CACHE_DIR, else $XDG_CACHE_HOME/go-rubric, else ~/.cache/go-rubric. Deleting the
// folder is always safe. `--no-cache` or GO_RUBRIC_CACHE=off turns it off.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { RuleConfig } from '../engine/config';
import type { GoModLocator } from '../analysis/goModLocator';
import type { FileReport } from './checkFile';
import type { PoolFile } from './pool';

/** Bumped when the entry format changes. */
const FORMAT = 2;

interface Entry {
  format: number;
  /** Reports by file name (within the folder). */
  files: Record<string, Omit<FileReport, 'recycle' | 'related'>>;
}

export function defaultCacheDir(): string {
  if (process.env.GO_RUBRIC_CACHE_DIR) return process.env.GO_RUBRIC_CACHE_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'go-rubric');
}

export class ResultCache {
  private readonly salt: string;
  private writable = true;

  private constructor(
    private readonly dir: string,
    buildId: string,
    config: RuleConfig,
  ) {
    const severities = [...config.severities].sort(([a], [b]) => a.localeCompare(b));
    this.salt = `${FORMAT}\0${buildId}\0${JSON.stringify(severities)}`;
  }

  /**
   * The cache for a run, or undefined when it is turned off or the rules' bundle cannot be read
   * (no build id: results could not be told apart from another build's).
   */
  static open(config: RuleConfig, workerScript: string, dir = defaultCacheDir()): ResultCache | undefined {
    if (process.env.GO_RUBRIC_CACHE === 'off') return undefined;
    let buildId: string;
    try {
      buildId = createHash('sha256').update(readFileSync(workerScript)).digest('hex');
    } catch {
      return undefined;
    }
    return new ResultCache(dir, buildId, config);
  }

  /**
   * The key of a folder's results: every .go file of the folder (name, text, and whether it is
   * excluded) and its module facts; `files` counts those not excluded. Undefined when a file
   * cannot be read (the check reports it; nothing is cached).
   */
  folderKey(folder: string, goVersion: string | undefined, noGoMod: boolean, excluded: (path: string) => boolean = () => false): { key: string; files: number } | undefined {
    const hash = createHash('sha256').update(this.salt).update(`\0${goVersion ?? ''}\0${noGoMod}`);
    let files = 0;
    try {
      for (const name of readdirSync(folder).filter((n) => n.endsWith('.go')).sort()) {
        const path = join(folder, name);
        hash.update(`\0${name}\0`).update(readFileSync(path));
        if (excluded(path)) hash.update('\0excluded');
        else files++;
      }
    } catch {
      return undefined;
    }
    return { key: hash.digest('hex'), files };
  }

  /** The cached reports of a folder's files, by file name. */
  get(key: string): Entry['files'] | undefined {
    try {
      const entry = JSON.parse(readFileSync(this.entryPath(key), 'utf8')) as Entry;
      return entry.format === FORMAT ? entry.files : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a folder's reports (display paths left out). A cache that cannot be written is given up quietly. */
  put(key: string, reports: ReadonlyMap<string, FileReport>): void {
    if (!this.writable) return;
    const files: Entry['files'] = {};
    for (const [path, report] of reports) {
      // An internal error (the parser may have been in a bad state) is not a result worth keeping.
      if (report.recycle || report.problems.some((p) => p.startsWith('internal error'))) return;
      files[basename(path)] = { findings: report.findings.map((f) => ({ ...f, path: '' })), problems: report.problems, logs: report.logs, applicable: report.applicable ?? [] };
    }
    const path = this.entryPath(key);
    try {
      mkdirSync(join(this.dir, key.slice(0, 2)), { recursive: true });
      // Written aside, then renamed: a reader never sees half an entry, even with two runs at once.
      const temp = `${path}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify({ format: FORMAT, files } satisfies Entry));
      renameSync(temp, path);
    } catch {
      this.writable = false;
    }
  }

  private entryPath(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }
}

/** A cached report for one file, with the display path put back into its findings. */
export function restoredReport(cached: Entry['files'][string], display: string): FileReport {
  return { findings: cached.findings.map((f) => ({ ...f, path: display })), problems: [...cached.problems], logs: [...cached.logs], applicable: [...(cached.applicable ?? [])] };
}

/**
 * Checks `files` through the cache: each folder whose entry is there is answered from it (on the
 * spot, in file order), the rest go to `check`, and each folder checked in full (every file not
 * `excluded`) is stored. Without a cache everything goes to `check`. `onReport` gets indices into
 * `files`, whichever way.
 *
 * With `fixing` (check --fix), `check` fixes the files it is given. An entry then answers only a
 * folder where fixing has nothing to do, no finding of it offering a safe fix (the findings are
 * those the check would find, and fixAll applies only their safe fixes); and a folder is stored
 * only if nothing was fixed or left to fix in it: a fixed folder's key, taken before, names the
 * old texts, and its fix problems (a rejected fix) are no result of a plain check.
 */
export async function checkThroughCache(
  files: readonly PoolFile[],
  cache: ResultCache | undefined,
  goMod: GoModLocator,
  check: (subset: readonly PoolFile[], onReport: (index: number, report: FileReport) => void) => Promise<void>,
  onReport: (index: number, report: FileReport) => void,
  excluded?: (path: string) => boolean,
  fixing = false,
): Promise<void> {
  if (files.length === 0) return;
  if (!cache) return check(files, onReport);
  const offersSafeFix = (report: Pick<FileReport, 'findings'>) => report.findings.some((f) => f.fix?.safe === true);
  const folders = new Map<string, number[]>();
  for (const [i, file] of files.entries()) {
    const folder = dirname(file.path);
    const list = folders.get(folder);
    if (list) list.push(i);
    else folders.set(folder, [i]);
  }
  const misses: number[] = [];
  /** Folders being checked in full: their key, and the reports so far. */
  const pending = new Map<string, { key: string; expected: number; reports: Map<string, FileReport> }>();
  for (const [folder, indices] of folders) {
    const first = files[indices[0]!]!.path;
    const key = cache.folderKey(folder, goMod.goVersionFor(first), goMod.goModFor(first) === undefined, excluded);
    const cached = key && cache.get(key.key);
    if (cached && indices.every((i) => cached[basename(files[i]!.path)]) && !(fixing && Object.values(cached).some(offersSafeFix))) {
      for (const i of indices) onReport(i, restoredReport(cached[basename(files[i]!.path)]!, files[i]!.display));
      continue;
    }
    misses.push(...indices);
    if (key && key.files === indices.length) pending.set(folder, { key: key.key, expected: key.files, reports: new Map() });
  }
  if (misses.length === 0) return;
  await check(
    misses.map((i) => files[i]!),
    (j, report) => {
      const index = misses[j]!;
      const path = files[index]!.path;
      const folder = pending.get(dirname(path));
      if (folder) {
        folder.reports.set(path, report);
        if (folder.reports.size === folder.expected) {
          const fixable = fixing && [...folder.reports.values()].some((r) => r.fixed !== undefined || offersSafeFix(r));
          if (!fixable) cache.put(folder.key, folder.reports);
          pending.delete(dirname(path));
        }
      }
      onReport(index, report);
    },
  );
}
