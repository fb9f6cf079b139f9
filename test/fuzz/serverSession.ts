// One document edited the way the language server edits it, checked after every event against a
// from-scratch parse and analysis of the same text.
//
// The server's path (server/src/lsp/rubricServer.ts): didChange → DocumentStore.change →
// GoDocument.applyChanges (tree.edit per ranged change, one incremental parse, cut off after a
// time budget) → DocumentAnalysis.analyze (contained, provisional or full analysis through the
// document's DeclarationCache) → findings → toDiagnostic with the document's incrementally
// maintained LineIndex → publishDiagnostics. Once edits pause it settles the tree and publishes
// again; a code action or hover reads the tree, finishing a cut-off parse.
//
// What must hold after every event:
// - the document's text is the naive splice of the changes (test/helpers/naiveText.ts);
// - its tree equals a fresh parse node by node (type, field, range, missing, hasError), except an
//   unsettled one: an incremental tree of text with syntax errors, or of text repaired since
//   (tree-sitter's error recovery depends on the old tree, and can read the grammar's ambiguities,
//   `f(x)` a call or a conversion, otherwise than a fresh parse; its subtrees can outlive the
//   errors), which the server settles once edits pause and which must equal it after settling;
// - the published diagnostics, and the quick fixes behind them, equal those of a fresh analysis of
//   the text, except for an analysis of an unsettled tree, or of text with syntax errors whose
//   parse was cut off (analyzed in pieces by design), which must equal them after settling.
import { isDeepStrictEqual } from 'node:util';
import type { Diagnostic } from 'vscode-languageserver';
import type { Parser, Tree } from 'web-tree-sitter';
import { DocumentAnalysis, type DocumentPlace } from '../../server/src/documents/documentAnalysis';
import { DocumentStore } from '../../server/src/documents/documentStore';
import { GoDocument, skipReasonFor } from '../../server/src/documents/goDocument';
import { defaultConfig, type RuleConfig } from '../../server/src/engine/config';
import { Engine } from '../../server/src/engine/engine';
import type { ExternalPackage, PackageSource } from '../../server/src/engine/packageView';
import type { Finding, RuleInfo } from '../../server/src/engine/types';
import { toDiagnostic } from '../../server/src/lsp/convert';
import { createGoParser } from '../../server/src/parsing/goParser';
import { allRules, catalog, directiveRules } from '../../server/src/rules';
import { LineIndex } from '../../server/src/text/positions';
import { naiveApply } from '../helpers/naiveText';
import { describeChanges } from '../helpers/randomEdits';
import { diffTrees, firstDifference } from '../helpers/trees';
import { budgetMs, type Divergence, type DivergenceKind, type FuzzCase, type FuzzEvent, type Stage } from './fuzzCase';

export interface FuzzTools {
  /** The server's parser, shared by its documents. */
  parser: Parser;
  /** A parser of its own for the from-scratch side. */
  freshParser: Parser;
  engine: Engine;
  /** An engine of its own for the from-scratch side (no state shared with the server's). */
  freshEngine: Engine;
  config: RuleConfig;
  rules: ReadonlyMap<string, RuleInfo>;
  /** What the server's engine logged (a rule that threw), by first line: not a divergence, but reported. */
  logged: Map<string, string>;
}

/**
 * What the server would publish for the document, given the real computation: the injection point
 * for the shrinker's own test, which plants a bug here. The default publishes `real()`.
 */
export type Publisher = (doc: GoDocument, real: () => Diagnostic[]) => Diagnostic[];

/** Counts over a session, for the fuzzer's report. */
export class SessionStats {
  steps = 0;
  nodesCompared = 0;
  /** Diagnostics compared with a fresh analysis's. */
  analysesCompared = 0;
  /** Analyses of an unsettled tree or of broken text cut off, not compared (they are compared after settling). */
  analysesBroken = 0;
  provisional = 0;
  contained = 0;
  /** Unsettled trees that differed from a fresh parse (until settled). */
  recoveryDifferences = 0;
  settled = 0;
  cutOff = 0;
  findings = 0;

  add(other: SessionStats): void {
    for (const key of Object.keys(this) as (keyof SessionStats)[]) {
      if (typeof this[key] === 'number') (this[key] as number) += other[key] as number;
    }
  }
}

/** The package's other files, as the workspace index would give them: none known. */
const NO_OTHER_FILES: ExternalPackage = { key: 'fuzz', get: () => undefined };
const PACKAGES: PackageSource = { forFile: () => NO_OTHER_FILES };

const URI = 'file:///fuzz/document.go';

class DivergenceError extends Error {
  constructor(readonly divergence: Divergence) {
    super(divergence.message);
  }
}

export class ServerSession {
  readonly stats = new SessionStats();
  private readonly store: DocumentStore;
  private readonly doc: GoDocument;
  private readonly analysis: DocumentAnalysis;
  private readonly place: DocumentPlace;
  /** The text the changes so far give, spliced naively. */
  private expectedText: string;
  /** The version's published diagnostics (undefined: not checked yet, 'queued'). */
  private published:
    | {
        version: number;
        diagnostics: Diagnostic[];
        findings: Finding[];
        /** How the server analyzed: a full, provisional or contained analysis. */
        how: string;
        /** The document was unsettled (GoDocument.unsettled), or its parse cut off, when the server analyzed. */
        unsettled: boolean;
        cutOff: boolean;
      }
    | undefined;
  private version = 1;
  private step = -1;
  /** Whether the current text parses without errors (from the last fresh parse). */
  private freshClean = true;

  constructor(
    private readonly tools: FuzzTools,
    private readonly fuzzCase: Omit<FuzzCase, 'events'>,
    private readonly publisher: Publisher = (_doc, real) => real(),
  ) {
    this.store = new DocumentStore(tools.parser);
    this.expectedText = fuzzCase.text;
    const budget = budgetMs(fuzzCase.parseBudget);
    // The server's own store for its own budget; the fixed budgets need GoDocument's parameter.
    this.doc = budget === undefined ? this.store.open(URI, this.version, fuzzCase.text) : new GoDocument(URI, this.version, fuzzCase.text, tools.parser, budget);
    this.analysis = new DocumentAnalysis(tools.engine);
    this.place = { path: fuzzCase.path, goVersion: fuzzCase.goVersion, noGoMod: fuzzCase.noGoMod, packages: PACKAGES };
  }

  /** The text after the events so far. */
  get text(): string {
    return this.expectedText;
  }

  /** Whether the current text parses without syntax errors. */
  get clean(): boolean {
    return this.freshClean;
  }

  /** Checks the opened document. */
  open(): Divergence | undefined {
    return this.guard('open', () => this.check('open', 'publish'));
  }

  /** Applies one event as the server would, and checks what it then holds and publishes. */
  apply(event: FuzzEvent): Divergence | undefined {
    this.step++;
    this.stats.steps++;
    return this.guard('change', () => {
      this.version++;
      this.expectedText = event.changes.reduce(naiveApply, this.expectedText);
      if (budgetMs(this.fuzzCase.parseBudget) === undefined) {
        if (this.store.change(URI, this.version, event.changes) !== this.doc) this.fail('exception', 'change', 'the store ignored a change');
      } else {
        this.doc.applyChanges(event.changes, this.version);
      }
      if (this.doc.parsePending) this.stats.cutOff++;
      if (this.doc.text !== this.expectedText) this.fail('text', 'change', `document text differs from the naive splice: ${firstDifference(this.doc.text, this.expectedText)}`);
      if (event.then === 'queued') return this.check('change', 'tree');
      this.check('change', 'publish');
      if (event.then === 'read') {
        // A request reads the tree: a cut-off parse is finished; the version's analysis stays.
        void this.doc.tree;
        this.check('read', 'published');
      } else if (event.then === 'settle' && this.doc.settle()) {
        // The settle timer: a fresh parse, a new analysis, published again.
        this.stats.settled++;
        this.published = undefined;
        this.check('settle', 'publish');
      }
    });
  }

  dispose(): void {
    this.doc.dispose();
    this.store.dispose();
  }

  private guard(stage: Stage, body: () => void): Divergence | undefined {
    try {
      body();
      return undefined;
    } catch (error) {
      if (error instanceof DivergenceError) return error.divergence;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      return { kind: 'exception', step: this.step, stage, message };
    }
  }

  private fail(kind: DivergenceKind, stage: Stage, message: string): never {
    const where = this.step < 0 ? 'on open' : `after event ${this.step}`;
    throw new DivergenceError({ kind, step: this.step, stage, message: `${kind} divergence ${where} (${stage}, parse budget ${this.fuzzCase.parseBudget}): ${message}` });
  }

  /**
   * Checks the tree, and the diagnostics: published now ('publish': the server checks the
   * document), those already published for this version ('published'), or none ('tree').
   */
  private check(stage: Stage, what: 'publish' | 'published' | 'tree'): void {
    if (what === 'publish') this.publish();
    const fresh = this.parseFresh();
    try {
      this.freshClean = !fresh.rootNode.hasError;
      this.checkTree(stage, fresh);
      const published = this.published;
      if (what === 'tree' || !published) return;
      // Analyzed before settling: an unsettled tree (with syntax errors, or repaired since) may
      // differ from a fresh parse, and results are reused by position where tree-sitter's changed
      // ranges miss subtrees that error recovery re-shaped; text with syntax errors is analyzed in
      // pieces while its parse is cut off. Compared once settled.
      if (published.unsettled || (published.cutOff && !this.freshClean)) {
        this.stats.analysesBroken++;
        return;
      }
      const expected = this.freshFindings(fresh);
      this.stats.analysesCompared++;
      this.stats.findings += expected.diagnostics.length;
      this.compareDiagnostics(stage, published.how, published.diagnostics, expected.diagnostics);
      this.compareFixes(stage, published.how, published.findings, expected.findings);
    } finally {
      fresh.delete();
    }
  }

  /** The server's diagnosticsFor: the version's analysis (computed once per version), converted. */
  private publish(): void {
    if (this.published?.version === this.doc.version) return;
    // Whether the server analyzes an unsettled tree or a cut-off parse: see check().
    const unsettled = this.doc.unsettled;
    const cutOff = this.doc.parsePending;
    let findings: Finding[] = [];
    let how = 'no analysis (skipped)';
    const real = (): Diagnostic[] => {
      if (this.doc.skipReason) return [];
      const result = this.analysis.analyze(this.doc, this.tools.config, this.place);
      findings = result?.findings ?? [];
      const { provisional, contained } = this.analysis.cache.lastStats;
      if (provisional) this.stats.provisional++;
      if (contained) this.stats.contained++;
      how = provisional ? 'a provisional analysis' : contained ? 'a contained analysis' : 'a full analysis';
      return findings.map((f) => toDiagnostic(f, this.tools.rules.get(f.code), this.doc.lineIndex, URI));
    };
    const diagnostics = this.publisher(this.doc, real);
    this.published = { version: this.doc.version, diagnostics, findings, how, unsettled, cutOff };
  }

  private parseFresh(): Tree {
    this.tools.freshParser.reset();
    const tree = this.tools.freshParser.parse(this.expectedText);
    if (!tree) this.fail('exception', 'change', 'the fresh parse failed');
    return tree;
  }

  /** Checks the document's tree against a fresh parse (an error-recovered incremental tree may differ until settled). */
  private checkTree(stage: Stage, fresh: Tree): void {
    const skip = skipReasonFor(this.expectedText);
    if (skip !== this.doc.skipReason) this.fail('tree', stage, `skip reason ${JSON.stringify(this.doc.skipReason)}, expected ${JSON.stringify(skip)}`);
    // The server does not finish a cut-off parse until a request or the settle timer needs the tree.
    if (this.doc.parsePending || skip) return;
    const tree = this.doc.tree;
    if (!tree) return this.fail('tree', stage, 'the document has no tree');
    const a = tree.rootNode.toString();
    const b = fresh.rootNode.toString();
    const { difference, nodes } = a === b ? diffTrees(tree, fresh, { hasError: true }) : { difference: `S-expressions differ, ${firstDifference(a, b)}`, nodes: 0 };
    this.stats.nodesCompared += nodes;
    if (!difference) return;
    if (this.doc.unsettled) {
      this.stats.recoveryDifferences++;
      return;
    }
    this.fail('tree', stage, `the document's tree differs from a fresh parse: ${difference}`);
  }

  private freshFindings(fresh: Tree): { findings: Finding[]; diagnostics: Diagnostic[] } {
    if (skipReasonFor(this.expectedText)) return { findings: [], diagnostics: [] };
    const input = { text: this.expectedText, tree: fresh, ...this.place };
    const findings = this.tools.freshEngine.analyze(input, this.tools.config).findings;
    const index = new LineIndex(this.expectedText);
    return { findings, diagnostics: findings.map((f) => toDiagnostic(f, this.tools.rules.get(f.code), index, URI)) };
  }

  private compareDiagnostics(stage: Stage, how: string, actual: readonly Diagnostic[], expected: readonly Diagnostic[]): void {
    if (isDeepStrictEqual(actual, expected)) return;
    const show = (d: Diagnostic | undefined): string =>
      d ? `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${JSON.stringify(d.message)}` : '(none)';
    let i = 0;
    while (i < actual.length && i < expected.length && isDeepStrictEqual(actual[i], expected[i])) i++;
    this.fail(
      'diagnostics',
      stage,
      `${how} published ${actual.length} diagnostics, a fresh analysis gives ${expected.length}; first difference at #${i}:\n` +
        `  published: ${show(actual[i])}\n  fresh:     ${show(expected[i])}`,
    );
  }

  /** The quick fixes (code actions come from the version's findings) must match too. */
  private compareFixes(stage: Stage, how: string, actual: readonly Finding[], expected: readonly Finding[]): void {
    if (actual.length !== expected.length) return; // the diagnostics differ too, and said so
    for (let i = 0; i < actual.length; i++) {
      if (isDeepStrictEqual(actual[i]!.fix, expected[i]!.fix)) continue;
      this.fail('diagnostics', stage, `${how}: the fix of ${actual[i]!.code} at ${actual[i]!.start} differs from a fresh analysis's: ${JSON.stringify(actual[i]!.fix)} vs ${JSON.stringify(expected[i]!.fix)}`);
    }
  }
}

/** Replays a case; the first divergence, if any. */
export function runCase(
  tools: FuzzTools,
  fuzzCase: FuzzCase,
  publisher?: Publisher,
  stats?: SessionStats,
): Divergence | undefined {
  const session = new ServerSession(tools, fuzzCase, publisher);
  try {
    const opened = session.open();
    if (opened) return opened;
    for (const event of fuzzCase.events) {
      const divergence = session.apply(event);
      if (divergence) return divergence;
    }
    return undefined;
  } finally {
    stats?.add(session.stats);
    session.dispose();
  }
}

/** One line per event, for reports. */
export function describeEvents(events: readonly FuzzEvent[]): string {
  return events.map((e, i) => `  ${i}: ${describeChanges(e.changes)}${e.then ? ` (then ${e.then})` : ''}`).join('\n');
}

/** The server's parser and engine, and another pair for the from-scratch side. Dispose with disposeTools. */
export async function createTools(): Promise<FuzzTools> {
  const logged = new Map<string, string>();
  return {
    logged,
    parser: await createGoParser(),
    freshParser: await createGoParser(),
    engine: new Engine(allRules, (message) => logged.set(message.split('\n')[0]!, message), directiveRules),
    freshEngine: new Engine(allRules, undefined, directiveRules),
    config: defaultConfig(allRules),
    rules: new Map(catalog.map((r) => [r.meta.code, r])),
  };
}

export function disposeTools(tools: FuzzTools): void {
  tools.parser.delete();
  tools.freshParser.delete();
}

/** The top-level declarations of a text, each up to the next (for the shrinker). */
export function declarationSpans(parser: Parser, text: string): [number, number][] {
  parser.reset();
  const tree = parser.parse(text);
  if (!tree) return [];
  try {
    const starts = tree.rootNode.children.flatMap((c) => (c ? [c.startIndex] : []));
    return starts.map((start, i) => [i === 0 ? 0 : start, starts[i + 1] ?? text.length]);
  } finally {
    tree.delete();
  }
}
