// The worker thread of scripts/check-fixes.mjs: checks the fixes offered in one package folder at
// a time. Each fix is applied alone to its file, and the file is fixed as `check --fix` fixes it
// (fixAll, safe fixes only); each fixed text must parse with no more ERROR/MISSING nodes than the
// original and be gofmt-clean (when the original is). For a package go vet accepts as it is, vet
// must accept it with every fix of the package applied (fixAll with the unsafe fixes too), and
// with the --fix texts; when it does not, vet runs with each fix alone to name the ones at fault.
//
// Only the folder at hand is held in memory: fixed texts go to files under a temporary folder
// (gofmt and vet read them from there, vet through -overlay) and are deleted with it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { Parser } from 'web-tree-sitter';
import { textAnalyzer } from '../../server/src/analysis/analyzer';
import { GoModLocator } from '../../server/src/analysis/goModLocator';
import { DiskPackages } from '../../server/src/analysis/packageIndex';
import { readGoFile } from '../../server/src/cli/files';
import { defaultConfig } from '../../server/src/engine/config';
import { Engine } from '../../server/src/engine/engine';
import { applyEdits, fixEdits } from '../../server/src/fixes/applyFix';
import { appliedPerRule, fixAll, syntaxErrorCount } from '../../server/src/fixes/fixAll';
import { createGoParser } from '../../server/src/parsing/goParser';
import { allRules } from '../../server/src/rules';
import { LineIndex } from '../../server/src/text/positions';
import { shortDiff } from './diff';

export interface WorkerSetup {
  goBin: string;
  /** Where each folder's fixed texts are written (a folder per job, deleted after it). */
  tmp: string;
  /** Vet each fix alone in every package, not only in those that fail with all fixes at once. */
  vetEach: boolean;
}

/** How go sees a folder's package, when vet is to run on it. */
export interface VetTarget {
  importPath: string;
  /** The folder as the go tool names its files (GOROOT/src/..., GOPATH/src/...): the overlay's keys. */
  goDir: string;
  env: Record<string, string>;
}

export interface FolderJob {
  id: number;
  folder: string;
  /** The folder's .go files, sorted. */
  files: string[];
  vet?: VetTarget;
}

export type Verdict = 'ok' | 'failed' | 'n/a';
export type CheckName = 'parse' | 'gofmt' | 'vet';

export interface Checked {
  parse: Verdict;
  gofmt: Verdict;
  vet: Verdict;
  /** What the first failed check said, and the change, for failures only. */
  problem?: string;
  diff?: string;
}

/** One fix applied alone. */
export interface FixRecord extends Checked {
  file: string;
  line: number;
  code: string;
  title: string;
  safe: boolean;
}

/** A file fixed as `check --fix` fixes it. */
export interface FixAllRecord extends Checked {
  file: string;
  applied: Record<string, number>;
  rejected: { code: string; title: string; reason: string }[];
  stable: boolean;
}

export interface FolderResult {
  id: number;
  folder: string;
  /** go vet on the package as it is: 'passed', 'failed' (its fixes are then not vetted), or why it did not run. */
  vetBefore: string;
  fixes: FixRecord[];
  fixAll: FixAllRecord[];
  /** go vet failures with many fixed texts at once that no text causes alone. */
  vetTogether: string[];
  /** How long the folder took, in milliseconds. */
  ms: number;
}

/** A fixed text on disk, and the record its checks fill in. */
interface Variant {
  file: string;
  path: string;
  record: Checked;
  /** The fix, for a fix applied alone (vet then overlays only it). */
  alone?: FixRecord;
}

const setup = workerData as WorkerSetup;
const GOFMT_TIMEOUT_MS = 120_000;
const VET_TIMEOUT_MS = 600_000;

void (async () => {
  const parser = await createGoParser();
  const rules = allRules;
  const engine = new Engine(rules, () => {});
  const config = defaultConfig(rules);
  const goMod = new GoModLocator();
  parentPort!.on('message', (job: FolderJob) => {
    // A fresh package index per folder: nothing else of the run is kept.
    const packages = new DiskPackages();
    const dir = join(setup.tmp, String(job.id));
    mkdirSync(dir, { recursive: true });
    const started = Date.now();
    try {
      const result = checkFolder(job, dir, parser, (path) => textAnalyzer(parser, engine, config, path, goMod.goVersionFor(path), packages, goMod.goModFor(path) === undefined));
      result.ms = Date.now() - started;
      parentPort!.postMessage(result);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  parentPort!.postMessage({ ready: true });
})();

function checkFolder(job: FolderJob, dir: string, parser: Parser, analyzerFor: (path: string) => ReturnType<typeof textAnalyzer>): FolderResult {
  const result: FolderResult = { id: job.id, folder: job.folder, vetBefore: 'no fixes', fixes: [], fixAll: [], vetTogether: [], ms: 0 };
  const originals = new Map<string, string>();
  const variants: Variant[] = [];
  /** Per file with fixes: its --fix text and its text with every fix, when they differ from the original. */
  const safeTexts = new Map<string, string>();
  const everyTexts = new Map<string, string>();
  const errorsOf = (text: string) => {
    const tree = parser.parse(text);
    if (!tree) return Number.POSITIVE_INFINITY;
    try {
      return syntaxErrorCount(tree.rootNode);
    } finally {
      tree.delete();
    }
  };
  const addVariant = (file: string, text: string, record: Checked, baseErrors: number, alone?: FixRecord) => {
    const path = join(dir, `v${variants.length}.go`);
    writeFileSync(path, text);
    record.parse = errorsOf(text) > baseErrors ? 'failed' : 'ok';
    if (record.parse === 'failed') fail(record, 'new syntax errors (tree-sitter)', originals.get(file)!, text);
    variants.push({ file, path, record, ...(alone ? { alone } : {}) });
  };

  for (const file of job.files) {
    const read = readGoFile(file);
    if (!read.ok) continue;
    const analyze = analyzerFor(file);
    const offered = analyze(read.text, ({ findings, file: facts }) => {
      if (!facts) return [];
      const lines = new LineIndex(read.text);
      // Edits rather than fixed texts: a file may offer dozens of fixes, each text is made when written.
      return findings.filter((f) => f.fix).map((f) => ({ code: f.code, title: f.fix!.title, safe: f.fix!.safe, line: lines.positionAt(f.start).line + 1, edits: fixEdits(f.fix!, facts) }));
    });
    if (offered.length === 0) continue;
    originals.set(file, read.text);
    const baseErrors = errorsOf(read.text);
    for (const fix of offered) {
      const record: FixRecord = { file, line: fix.line, code: fix.code, title: fix.title, safe: fix.safe, parse: 'n/a', gofmt: 'n/a', vet: 'n/a' };
      result.fixes.push(record);
      addVariant(file, applyEdits(read.text, fix.edits), record, baseErrors, record);
    }
    const safe = fixAll(analyze, read.text);
    const every = fixAll(analyze, read.text, { unsafe: true });
    if (every.text !== read.text) everyTexts.set(file, every.text);
    if (safe.text === read.text && safe.rejected.length === 0) continue;
    const record: FixAllRecord = { file, applied: Object.fromEntries(appliedPerRule(safe.applied)), rejected: safe.rejected, stable: safe.stable, parse: 'n/a', gofmt: 'n/a', vet: 'n/a' };
    result.fixAll.push(record);
    if (safe.text !== read.text) {
      safeTexts.set(file, safe.text);
      addVariant(file, safe.text, record, baseErrors);
    }
  }
  if (variants.length === 0) return result;

  checkGofmt(dir, variants, originals);
  if (job.vet) checkVet(job.vet, result, variants, safeTexts, everyTexts, originals, dir);
  else result.vetBefore = 'not a std or GOPATH package';
  return result;
}

function fail(record: Checked, problem: string, before: string, after: string): void {
  if (record.problem !== undefined) return;
  record.problem = problem;
  record.diff = shortDiff(before, after);
}

/** gofmt -l on every fixed text, once per folder; fixed texts of files gofmt would change already are not judged. */
function checkGofmt(dir: string, variants: Variant[], originals: ReadonlyMap<string, string>): void {
  const gofmt = join(setup.goBin, 'gofmt');
  const listed = (args: string[]) => {
    const r = spawnSync(gofmt, ['-l', ...args], { encoding: 'utf8', timeout: GOFMT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
    if (r.error) throw r.error;
    // A file gofmt cannot parse is reported on stderr as "path:line:col: message".
    const unparsable = r.stderr.split('\n').filter(Boolean).map((l) => ({ path: l.replace(/:\d+:\d+: .*$/, ''), message: l }));
    return { unformatted: new Set(r.stdout.split('\n').filter(Boolean)), unparsable };
  };
  const before = listed([...originals.keys()]);
  const notClean = new Set([...before.unformatted, ...before.unparsable.map((u) => u.path)]);
  const after = listed([dir]);
  for (const v of variants) {
    if (notClean.has(v.file)) continue;
    const error = after.unparsable.find((u) => u.path === v.path);
    const failed = error !== undefined || after.unformatted.has(v.path);
    v.record.gofmt = failed ? 'failed' : 'ok';
    if (failed) fail(v.record, error ? `gofmt: ${error.message.replace(v.path, basename(v.file))}` : 'gofmt -l lists the fixed file', originals.get(v.file)!, readFileSync(v.path, 'utf8'));
  }
}

/**
 * go vet on the package as it is, then with every fix applied (the fixes alone are vetted only
 * where that fails, or with --vet-each) and with the --fix texts.
 */
function checkVet(
  target: VetTarget,
  result: FolderResult,
  variants: Variant[],
  safeTexts: ReadonlyMap<string, string>,
  everyTexts: ReadonlyMap<string, string>,
  originals: ReadonlyMap<string, string>,
  dir: string,
): void {
  const inBuild = buildFiles(target);
  const before = vet(target, new Map(), dir);
  result.vetBefore = before.ok ? 'passed' : 'failed';
  if (!before.ok) return;
  const goPath = (file: string) => join(target.goDir, basename(file));
  /** The original file of each path vet may name: the file itself as go sees it, or a fixed text overlaid on it. */
  const originalOf = new Map<string, string>();
  for (const file of originals.keys()) originalOf.set(goPath(file), file);
  const judge = (v: Variant, outcome: { ok: boolean; output: string }) => {
    v.record.vet = outcome.ok ? 'ok' : 'failed';
    if (!outcome.ok) fail(v.record, `go vet: ${outcome.output.split(v.path).join(basename(v.file))}`, originals.get(v.file)!, readFileSync(v.path, 'utf8'));
  };
  const vetted = variants.filter((v) => inBuild.has(basename(v.file)));
  const alone = (v: Variant) => vet(target, new Map([[goPath(v.file), v.path]]), dir);
  /**
   * After a failure with many fixed texts at once, vets them one at a time to name those at
   * fault: first those of the files vet's messages name (a vet of a large package takes seconds),
   * then, if none of them fails alone, the others. The rest pass with the package.
   */
  const attribute = (candidates: Variant[], together: { ok: boolean; output: string }, each = false) => {
    if (together.ok && !each) {
      for (const v of candidates) judge(v, together);
      return;
    }
    const named = new Set<string>();
    for (const match of together.output.matchAll(/^(?:vet: )?(\S+\.go):\d+/gm)) {
      const file = originalOf.get(match[1]!);
      if (file) named.add(file);
    }
    const first = each ? candidates : candidates.filter((v) => named.has(v.file));
    let failing = 0;
    for (const v of first) {
      judge(v, alone(v));
      if (v.record.vet === 'failed') failing++;
    }
    for (const v of candidates.filter((c) => !first.includes(c))) judge(v, failing > 0 ? { ok: true, output: '' } : alone(v));
    if (!together.ok && candidates.every((v) => v.record.vet === 'ok')) {
      result.vetTogether.push(`go vet fails with ${candidates.some((v) => v.alone) ? 'every fix' : 'the --fix texts'} of the package together, with none alone: ${together.output}`);
    }
  };

  const overlayOf = (texts: ReadonlyMap<string, string>, name: string) => {
    const overlay = new Map<string, string>();
    for (const [file, text] of texts) {
      if (!inBuild.has(basename(file))) continue;
      const path = join(dir, `${name}-${basename(file)}`);
      writeFileSync(path, text);
      overlay.set(goPath(file), path);
      originalOf.set(path, file);
    }
    return overlay;
  };
  const passed = { ok: true, output: '' };
  const safeOverlay = overlayOf(safeTexts, 'safe');
  const safeVet = safeOverlay.size > 0 ? vet(target, safeOverlay, dir) : passed;
  attribute(vetted.filter((v) => !v.alone), safeVet);

  const sameAsSafe = everyTexts.size === safeTexts.size && [...everyTexts].every(([file, text]) => safeTexts.get(file) === text);
  const everyOverlay = sameAsSafe ? safeOverlay : overlayOf(everyTexts, 'every');
  const everyVet = sameAsSafe ? safeVet : everyOverlay.size > 0 ? vet(target, everyOverlay, dir) : passed;
  attribute(vetted.filter((v) => v.alone), everyVet, setup.vetEach);
}

/** The package's files in this platform's build, tests included (the files vet reads). */
function buildFiles(target: VetTarget): Set<string> {
  const format = '{{range .GoFiles}}{{.}} {{end}}{{range .CgoFiles}}{{.}} {{end}}{{range .TestGoFiles}}{{.}} {{end}}{{range .XTestGoFiles}}{{.}} {{end}}';
  const r = spawnSync(join(setup.goBin, 'go'), ['list', '-e', '-f', format, target.importPath], { encoding: 'utf8', env: target.env, cwd: setup.tmp, timeout: VET_TIMEOUT_MS });
  return new Set(r.status === 0 ? r.stdout.split(/\s+/).filter(Boolean) : []);
}

let overlays = 0;

function vet(target: VetTarget, overlay: ReadonlyMap<string, string>, dir: string): { ok: boolean; output: string } {
  const args = ['vet'];
  if (overlay.size > 0) {
    const path = join(dir, `overlay${overlays++}.json`);
    writeFileSync(path, JSON.stringify({ Replace: Object.fromEntries(overlay) }));
    args.push(`-overlay=${path}`);
  }
  const r = spawnSync(join(setup.goBin, 'go'), [...args, target.importPath], { encoding: 'utf8', env: target.env, cwd: setup.tmp, timeout: VET_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  const output = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l && !l.startsWith('#')).slice(0, 8).join('\n');
  return { ok: r.status === 0, output: r.error ? String(r.error) : output };
}
