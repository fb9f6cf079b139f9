// The rule engine: (text, tree, settings) -> findings. One walk per top-level declaration
// dispatches each node to the rules that asked for its type. Declarations are the unit of work
// so that, after an edit, only the declaration that changed needs to be checked again.
import { Query, type Language, type Node, type Tree } from 'web-tree-sitter';
import { LineIndex } from '../text/positions';
import { isWordCharAt } from '../text/words';
import { effectiveSeverity, findRule, type RuleConfig } from './config';
import { detached, detachedFinding, detachedSummary } from './detach';
import { CarriedFileFacts, computeFileFacts, type FileFacts } from './fileFacts';
import { summarizeDeclaration, type FileSummary, type SummaryEntry } from './packageSummary';
import { ownSummary, PackageView, type Dependency, type PackageSource } from './packageView';
import { buildSuppressions, expandTopLevelNolint, readDirectives, shiftDirective, suppressorsOf, type Directive } from './suppression';
import { topLevelDeclaration } from './syntax';
import type { DirectiveRule, Finding, Report, Rule, RuleContext, RuleInfo, Severity } from './types';

/** What a top-level declaration yields, relative to its start: what the cache keeps and reuses. */
interface DeclarationResult {
  findings: Finding[];
  directives: Directive[];
  /** What the declaration declares for the package summary (read from its text alone). */
  summary: readonly SummaryEntry[];
  /** The package summary lookups its findings depend on (declarations elsewhere), with the answers seen. */
  deps: readonly Dependency[] | undefined;
  /**
   * The package view those answers were last confirmed in (PackageView.id). Both always present
   * (undefined without lookups), so that every result has one shape (see CarriedFileFacts).
   */
  viewId: number | undefined;
}

/** One top-level node of the last analysis, in file order. */
interface LayoutEntry {
  type: string;
  start: number;
  end: number;
  /** Parsed without syntax errors: a complete declaration that parses the same wherever it stands. */
  clean: boolean;
  result: DeclarationResult;
  /**
   * The entry's key in DeclarationCache.entries (type and text), when it has one. Always present,
   * undefined when there is none: entries of one shape keep the engine's loops over them monomorphic.
   */
  key: string | undefined;
}

/** The file facts a declaration's findings depend on, without tree nodes (they outlive the tree). */
type FactsSnapshot = Pick<FileFacts, 'path' | 'packageName' | 'imports' | 'isTestFile' | 'goVersion' | 'noGoMod' | 'buildConstrained'>;

/**
 * Findings of unchanged declarations, kept between analyses of one document. A declaration's
 * findings depend only on its own text, the file facts (package, path, imports) and the rule
 * configuration, so they are stored relative to the declaration's start and keyed by its text;
 * an edit elsewhere in the file only shifts them.
 */
/** The directive rules that are on for a file, and the rules a directive may expect to have run on it. */
interface DirectiveCheck {
  rules: { rule: DirectiveRule; severity: Severity }[];
  active: ReadonlySet<string>;
}

export class DeclarationCache {
  /** The file facts and configuration every entry was computed under. */
  contextKey = '';
  entries = new Map<string, DeclarationResult>();
  /**
   * While the file has syntax errors, the entries of the last analysis before it broke: error
   * recovery can swallow whole declarations (an unclosed `{`), and when the edit is taken back
   * they come back unchanged and need not be checked again. Cleared once the file parses cleanly.
   */
  retained: Map<string, DeclarationResult> | undefined;
  /** The top-level nodes of the last analysis (empty when it was incomplete), for analyzeProvisional. */
  layout: LayoutEntry[] = [];
  /**
   * Whether the layout's boundaries are places where the text can be cut and parsed in pieces:
   * not after a full analysis of a tree with syntax errors, whose top-level nodes can be
   * fragments of declarations (a body split from its signature), clean as they look.
   */
  layoutSplittable = false;
  facts: FactsSnapshot | undefined;
  /**
   * The package view of the last analysis: the layout's results all hold in it. A later analysis
   * that finds the file's own summary and the package's other files unchanged keeps it, so that
   * no result's lookups need checking again.
   */
  view: PackageView | undefined;
  /** What the last full analysis decided about directives that silence nothing (see Engine.directiveCheck). */
  directiveCheck: DirectiveCheck | undefined;
  /**
   * Declarations checked and reused by the last analysis, and whether it was provisional or a
   * contained analysis of a tree with errors (for tests and benchmarks).
   */
  lastStats = { checked: 0, reused: 0, provisional: false, contained: false };

  /** What the file declares for its package, as of the last analysis (undefined when that was incomplete). */
  fileSummary(): FileSummary | undefined {
    if (!this.facts || this.layout.length === 0) return undefined;
    return { packageName: this.facts.packageName, entries: this.layout.flatMap((e) => e.result.summary) };
  }
}

/**
 * A replacement of old text [start, oldEnd) by new text [start, newEnd), as offsets; or, marked
 * structural (with oldEnd === newEnd), a range of unchanged text whose syntax tree changed
 * (tree-sitter's changed ranges between the parses before and after the edits).
 */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
  structural?: true;
}

/**
 * The named nodes Go allows at top level. tree-sitter-go also accepts statements there (a `block`,
 * an expression) without a syntax error; those are not Go either, and treated like errors: a
 * newline typed before a function's `{` parses as a body-less function and a top-level block,
 * both without errors, and deleting it joins them again across what looked like a boundary.
 */
const TOP_LEVEL_DECLARATIONS = new Set([
  'package_clause', 'import_declaration', 'function_declaration', 'method_declaration', 'type_declaration',
  'var_declaration', 'const_declaration', 'comment',
]);

/** A complete top-level node that parses the same wherever it stands: no syntax error, and Go allows it there. */
export function isCleanTopLevel(node: Node): boolean {
  return !node.hasError && (!node.isNamed || TOP_LEVEL_DECLARATIONS.has(node.type));
}

/**
 * Whether a layout entry before the edited span (so its text is unchanged in `text`) is a function
 * or method declared without a body, which a `{` after it may complete. Read from the text: a
 * body ends the declaration with `}` (a body-less one whose result type ends in `}`,
 * `func f() struct{}`, is taken for one with a body).
 */
function isBodiless(entry: LayoutEntry, text: string): boolean {
  if (entry.type !== 'function_declaration' && entry.type !== 'method_declaration') return false;
  let end = entry.end;
  while (end > entry.start && /\s/.test(text[end - 1]!)) end--;
  return text[end - 1] !== '}';
}

/** The line break ("\n" or "\r\n") that starts at `offset` in `text`, or "" when none does. */
function lineBreakAt(text: string, offset: number): string {
  if (text.charCodeAt(offset) === 10) return '\n';
  return text.startsWith('\r\n', offset) ? '\r\n' : '';
}

/**
 * The cache key of a clean top-level node: equal keys, equal findings (detached: it is kept). In a
 * tree with syntax errors, pass the node: there a node without an error of its own can still have
 * another subtree for the same text, tree-sitter resolving the grammar's ambiguities differently
 * after an error elsewhere (`parseModel("f")` a call in one parse, a conversion in the next), so
 * the key holds the subtree's shape too. (An error-free tree that descends from one can keep such
 * subtrees: see AnalysisInput.unsettled.)
 */
function declarationKey(type: string, lead: string, text: string, inUnsettledTree?: Node): string {
  const key = `${type}\u0000${lead}\u0000${text}`;
  return detached(inUnsettledTree ? `${key}\u0000${inUnsettledTree.toString()}` : key);
}

/**
 * Rules read a declaration's leading comments (GR109: a doc comment that says the function
 * panics), which are top-level nodes of their own. A declaration's findings therefore depend on
 * its lead, the text from the first of the comments right before it (its previous siblings) to
 * its start: its cache key holds that text, and an edit in the lead, or between it and the node
 * before, is an edit of the declaration (widenedToLead).
 */
function leadOf(text: string, leadStart: number | undefined, start: number): string {
  return leadStart === undefined ? '' : text.slice(leadStart, start);
}

/**
 * The edited span, widened to the first declaration after it when it reaches past the end of the
 * last top-level node before it that is not a comment: the edit touched that declaration's lead
 * (see leadOf), or the gap before it where a comment may have been typed or deleted.
 */
function widenedToLead<S extends { start: number; end: number; delta: number }>(span: S, layout: readonly LayoutEntry[]): S {
  const oldEnd = span.end - span.delta;
  let j = firstStartingAtOrAfter(layout, oldEnd);
  let p = j - 1;
  while (p >= 0 && layout[p]!.type === 'comment') p--;
  if (p >= 0 && oldEnd < layout[p]!.end) return span;
  while (j < layout.length && layout[j]!.type === 'comment') j++;
  if (j >= layout.length) return span;
  return { ...span, end: Math.max(span.end, layout[j]!.end + span.delta) };
}

/**
 * The nearest node of one of `types` from the one at `at` (relative to the declaration) up to the
 * innermost block around it or the declaration: the node an anchored rule visits. A node of those
 * types beyond the block encloses the occurrence in a nested function or statement, not as the
 * part the rule looks at (and climbing every occurrence to the top of a long function would cost a
 * wasm round trip per level). The nodes read on the way are kept in `climbs` for the next rule.
 */
function climbTo(decl: Node, at: number, types: ReadonlySet<string>, climbs: Map<number, Node[]>): Node | undefined {
  let path = climbs.get(at);
  if (!path) climbs.set(at, (path = [decl.descendantForIndex(decl.startIndex + at) ?? decl]));
  for (let i = 0; ; i++) {
    const node = path[i]!;
    if (types.has(node.type)) return node;
    if (node.id === decl.id || node.type === 'block') return undefined;
    if (i + 1 === path.length) {
      const parent = node.parent;
      if (!parent) return undefined;
      path.push(parent);
    }
  }
}

/** analyzeSparse's answer when a broken tree's error recovery reached past the edited declarations. */
const NOT_CONTAINED = Symbol('not contained');

/**
 * What a provisional analysis re-checks: the old layout entries a..b (inclusive), replaced by the
 * text [regionStart, regionEnd) of the current text; the entries after them move by delta.
 */
interface ProvisionalRegion {
  a: number;
  b: number;
  regionStart: number;
  regionEnd: number;
  delta: number;
}

/**
 * Whether entry k is a comment that trails entry k - 1 on its line (nothing but blanks between
 * them, before the edit at `editStart`): an edit in it can turn it into code that continues that
 * declaration (`x = f() // c` edited into `x = f() /c`), so the declaration is checked with it.
 */
function continuedByTrailingComment(old: readonly LayoutEntry[], k: number, editStart: number, text: string): boolean {
  const comment = old[k]!;
  if (comment.type !== 'comment' || comment.start > editStart) return false;
  return !text.slice(old[k - 1]!.end, comment.start).includes('\n');
}

/** The layout entry type of a region a provisional analysis parsed alone with syntax errors. */
const BROKEN_REGION = 'provisional region';

/** Top-level nodes the file facts come from: a provisional analysis never re-parses them alone. */
const FACT_NODES = new Set(['package_clause', 'import_declaration']);

export interface AnalysisInput {
  text: string;
  tree: Tree;
  /** File system path, when there is one (decides _test.go handling). */
  path?: string;
  /** The `go` directive of the file's go.mod, when known (see GoModLocator). */
  goVersion?: string;
  /** The file has a path and no go.mod in any folder above it (GR001). */
  noGoMod?: boolean;
  /** Reuse the caller's line index when it has one. */
  lineIndex?: LineIndex;
  /**
   * The edits from the text of the cache's last analysis to this one, when the caller knows
   * them: declarations outside the edited span are then matched to the last analysis by position,
   * without reading or hashing their text.
   */
  changes?: readonly TextChange[];
  /**
   * The tree is an incremental parse with syntax errors: analyze it only if the errors stay inside
   * the edited span, that is if every top-level node outside it is the clean node of the last
   * analysis, moved (else the result is undefined and the caller falls back to a provisional
   * analysis). The nodes in the span then become one broken region, as in analyzeProvisional.
   */
  requireContained?: boolean;
  /** The package's other files (the workspace index); without it rules know the file's own declarations only. */
  packages?: PackageSource;
  /**
   * The tree descends incrementally from a tree with syntax errors (GoDocument.unsettled): it may
   * hold subtrees that error recovery shaped, even where it has no error now. Declarations
   * checked on it are not cached under their keys (see declarationKey), so that the analysis
   * after settling does not reuse what they found.
   */
  unsettled?: boolean;
  /** Also tell which rules apply to the file (AnalysisResult.applicable): the CLI's rubric report. */
  applicable?: boolean;
}

export interface RuleFailure {
  code: string;
  error: unknown;
}

export interface AnalysisResult {
  findings: Finding[];
  /** Rules that threw; each was skipped for the rest of the file. */
  failures: RuleFailure[];
  /** Why the whole file got no findings (generated file), if it did not. */
  skipped?: string;
  /** With AnalysisInput.applicable, from a full analysis: the rules that apply to the file (applicableRules). */
  applicable?: string[];
}

/** The rules that will run on one file: by the node types they walk, or by query pattern. */
interface Dispatch {
  byType: Map<string, Rule[]>;
  /** The query rules that apply to the file; each declaration runs the ones its text allows. */
  queryRules: Rule[];
  /** The anchored rules that apply to the file, with their anchor strings for it. */
  anchorRules: AnchoredRule[];
  language: Language;
  config: RuleConfig;
  /** The package as rules see it (RuleContext.pkg). */
  view: PackageView;
  failed: Set<string>;
  failures: RuleFailure[];
}

/** An anchored rule as a file dispatches it: its anchors for the file, read once. */
interface AnchoredRule {
  rule: Rule;
  anchors: readonly Anchor[];
  nodeTypes: ReadonlySet<string>;
  accept: NonNullable<Rule['anchors']>['accept'];
  atStart: boolean;
}

/** An anchor string, and whether it is matched as a whole word at its start and at its end. */
interface Anchor {
  text: string;
  wordStart: boolean;
  wordEnd: boolean;
}

/** A layout entry's result until its declaration is checked. */
const NO_RESULT: DeclarationResult = { findings: [], directives: [], summary: [], deps: undefined, viewId: undefined };

/** The capture name that marks the node a query rule visits. */
const MATCH_CAPTURE = 'match';

export class Engine {
  /**
   * One query holding the patterns of every query rule, compiled once per language and kept for
   * the process: each declaration is searched once inside wasm whatever the number of rules, and
   * compiling a query (which analyses the whole grammar) happens once rather than per rule set.
   */
  private sharedQuery: { language: Language; query: Query | undefined; ruleOfPattern: Rule[]; errors: Map<string, unknown> } | undefined;

  constructor(
    readonly rules: readonly Rule[],
    /**
     * Where failures are logged. `once` names what the line is about (a rule on a file): a caller
     * that analyzes the same file on every keystroke logs each such failure once.
     */
    private readonly log: (message: string, once?: string) => void = () => undefined,
    /** Rules checked on the directives once they are applied (GR901): none unless given. */
    readonly directiveRules: readonly DirectiveRule[] = [],
  ) {
    this.named = [...rules, ...directiveRules];
  }

  /** Every rule a directive may name. */
  private readonly named: readonly RuleInfo[];

  /**
   * Checks a file. With a cache (one per open document), only the top-level declarations whose text
   * changed since the last call are checked again; the others' findings are reused, shifted.
   */
  analyze(input: AnalysisInput & { requireContained?: false }, config: RuleConfig, cache?: DeclarationCache): AnalysisResult;
  analyze(input: AnalysisInput, config: RuleConfig, cache?: DeclarationCache): AnalysisResult | undefined;
  analyze(input: AnalysisInput, config: RuleConfig, cache?: DeclarationCache): AnalysisResult | undefined {
    const sparse = cache ? this.analyzeSparse(input, config, cache) : undefined;
    if (sparse === NOT_CONTAINED) return undefined;
    if (sparse) return sparse;
    const file = computeFileFacts(input.text, input.tree, input.path, input.goVersion, input.noGoMod);
    if (file.isGenerated) {
      if (cache) cache.layout = [];
      return { findings: [], failures: [], skipped: 'generated file' };
    }
    const contextKey = `${factsKey(file)}#${configKey(config)}`;
    const sameContext = cache !== undefined && cache.contextKey === contextKey;
    const previous = sameContext ? cache.entries : undefined;
    const retained = sameContext ? cache.retained : undefined;
    const next = new Map<string, DeclarationResult>();
    const layout: LayoutEntry[] = [];
    let dispatch: Dispatch | undefined;
    let checked = 0;
    let reused = 0;
    const contained = input.requireContained === true;
    // In a tree with syntax errors declarations are keyed by shape as well as text (see
    // declarationKey). In an error-free tree that descends from one, a result cached from a settled
    // tree for the same text is what a fresh parse would give, and is reused; what is checked
    // there is not kept under a key (its shape is not read: a keystroke's declaration can be long).
    const shapes = file.root.hasError;
    const settledText = !shapes && input.unsettled === true;
    // A contained analysis reads every top-level node and compares it with the last analysis's:
    // the edits alone decide what may differ (the structural changes are what it verifies).
    const changes = contained && input.changes ? textEdits(input.changes) : input.changes;
    const edited = sameContext && changes && cache.layout.length > 0 ? editedSpan(changes) : undefined;
    const span = edited && widenedToLead(edited, cache!.layout);
    const old = span ? cache!.layout : [];
    if (contained && (!span || !cache!.layoutSplittable)) return undefined;
    /** With requireContained: where the nodes inside the edited span start in the layout, and how many outside it match old ones. */
    let regionAt = -1;
    let matchedOutside = 0;
    let oldAt = 0;
    // First the layout, reusing what can be reused; the checks come after, so that an analysis
    // found not to be contained has cost no check.
    const toCheck: { at: number; decl: Node; text: string; summary?: readonly SummaryEntry[] }[] = [];
    /** Where the comments right before the current node start (see leadOf). */
    let leadStart: number | undefined;
    for (const decl of file.topLevel) {
      const start = decl.startIndex;
      const end = decl.endIndex;
      const type = decl.type;
      const ledFrom = type === 'comment' ? undefined : leadStart;
      leadStart = type !== 'comment' ? undefined : (leadStart ?? start);
      // A declaration with syntax errors is neither reused nor kept: the same text can recover
      // into another subtree depending on what precedes it.
      const clean = isCleanTopLevel(decl);
      let result: DeclarationResult | undefined;
      let key: string | undefined;
      // Outside the edited span the text is the old text, moved: find the old entry there.
      const oldStart = !span ? -1 : end <= span.start ? start : start >= span.end ? start - span.delta : -1;
      if (oldStart >= 0 && clean) {
        while (oldAt < old.length && old[oldAt]!.start < oldStart) oldAt++;
        const entry = old[oldAt];
        if (entry && entry.start === oldStart && entry.end - entry.start === end - start && entry.type === type && entry.clean && entry.key !== undefined) {
          result = entry.result;
          key = entry.key;
        }
      }
      if (contained) {
        // Error recovery reached past the edit (or the node there is new): not contained.
        if (oldStart >= 0 && !result) return undefined;
        if (oldStart >= 0) matchedOutside++;
        else if (regionAt < 0) regionAt = layout.length;
      }
      if (!result) {
        const text = decl.text;
        // Keys serve the cache: without one (the CLI) the declaration's text is not copied for it.
        key = undefined;
        if (clean && cache) {
          key = declarationKey(type, leadOf(input.text, ledFrom, start), text, shapes ? decl : undefined);
          result = next.get(key) ?? previous?.get(key) ?? retained?.get(key);
          // Checked on a tree that may read it otherwise than a fresh parse: not kept.
          if (!result && settledText) key = undefined;
        }
        if (!result) toCheck.push({ at: layout.length, decl, text });
      }
      if (result) {
        reused++;
        if (key !== undefined) next.set(key, result);
      }
      layout.push({ type, start, end, clean, result: result ?? NO_RESULT, key });
    }
    // Every old node outside the span must be there still: error recovery can also swallow the
    // declarations after the edit into one node that overlaps it.
    if (contained && matchedOutside !== old.filter((e) => e.end <= span!.start || e.start >= span!.end - span!.delta).length) return undefined;
    // The package as this file sees it: its own declarations' summaries over the other files'.
    // Without a cache (the CLI) nothing is reused and no summary is kept: the file is summarised
    // only if a rule asks.
    const external = input.packages?.forFile(file.path, file.packageName);
    let view: PackageView;
    if (!cache) {
      // The CLI's index may have summarised this very text already, as the other files of the
      // folder see it: taken as it is, not summarised again declaration by declaration (about 2%
      // of a run). Both read with packageSummary.ts's scanner and agree on 15,315 of the 15,317
      // clean files of the two corpora; the two others import two packages under one name, which
      // the file's scanner and the tree's import table resolve differently (no finding changed).
      view = new PackageView(() => {
        const read = external?.fileSummary?.(file.text);
        return ownSummary(read ? [read] : toCheck.map((item) => summarizeDeclaration(item.decl.type, item.text, file.imports)));
      }, external);
    } else {
      for (const item of toCheck) item.summary = summarizeDeclaration(item.decl.type, item.text, file.imports);
      const pending = new Map(toCheck.map((item) => [item.at, item.summary!]));
      const own = ownSummary(layout.map((e, i) => pending.get(i) ?? e.result.summary));
      view = sameContext && cache.view?.sameAs(own, external) ? cache.view : new PackageView(own, external);
    }
    // A reused result that looked at other declarations is reused only while they answer the same.
    for (let i = 0; i < layout.length; i++) {
      const entry = layout[i]!;
      if (entry.result === NO_RESULT || stillHolds(entry.result, view)) continue;
      reused--;
      toCheck.push({ at: i, decl: file.topLevel[i]!, text: file.topLevel[i]!.text, summary: entry.result.summary });
      entry.result = NO_RESULT;
    }
    for (const { at, decl, text, summary } of toCheck) {
      checked++;
      // Without a cache (the CLI) every declaration is checked: an anchor that the file lacks is
      // dropped once rather than searched for in each declaration. (A keystroke checks one
      // declaration, where searching the whole file would cost more than it saves.)
      dispatch ??= this.dispatchFor(file, config, input.tree.language, view, cache === undefined);
      const entry = layout[at]!;
      entry.result = this.checkDeclaration(decl, file, dispatch, text, summary ?? NO_RESULT.summary, cache !== undefined);
      // A rule that threw is skipped for the rest of the file: results from then on are incomplete
      // and must not be cached.
      if (entry.key !== undefined && !dispatch.failed.size) next.set(entry.key, entry.result);
    }
    if (contained && file.root.hasError && regionAt >= 0) {
      // The nodes in the span are error recovery's cut of it: keep them as one region, which a
      // later provisional analysis re-parses whole (see analyzeProvisional).
      let regionEnd = regionAt;
      while (regionEnd < layout.length && layout[regionEnd]!.start < span!.end) regionEnd++;
      layout.splice(regionAt, regionEnd - regionAt, brokenRegion(layout.slice(regionAt, regionEnd), view));
    }
    if (cache) {
      const complete = !dispatch?.failed.size;
      cache.contextKey = contextKey;
      cache.entries = next;
      cache.retained = file.root.hasError && complete ? (retained ?? previous) : undefined;
      cache.layout = complete ? layout : [];
      // A contained analysis keeps the layout's boundaries those of clean code (see above).
      cache.layoutSplittable = !file.root.hasError || contained;
      cache.facts = {
        path: file.path,
        packageName: file.packageName,
        imports: file.imports,
        isTestFile: file.isTestFile,
        goVersion: file.goVersion,
        noGoMod: file.noGoMod,
        buildConstrained: file.buildConstrained,
      };
      cache.view = view;
      cache.lastStats = { checked, reused, provisional: false, contained: contained && file.root.hasError };
    }
    const directiveCheck = this.directiveCheck(file, config);
    if (cache) cache.directiveCheck = directiveCheck;
    const result = this.assemble(layout, input.lineIndex ?? new LineIndex(input.text), dispatch?.failures ?? [], directiveCheck);
    if (input.applicable) result.applicable = this.applicableRules(file, config);
    return result;
  }

  /**
   * The common keystroke: a clean tree, edits (and structural changes, see TextChange) after the
   * imports. Only the top-level nodes in the edited span are read from the tree; the file facts
   * and every other declaration's entry come from the last analysis, moved. Reading every
   * top-level node would cost a wasm round trip and an object per node on every keystroke.
   * With requireContained, a tree with syntax errors too, when its changed ranges show that error
   * recovery stayed inside the declarations the edits touched; those become one broken region.
   * Undefined when that does not apply; analyze() then reads the whole tree.
   */
  private analyzeSparse(input: AnalysisInput, config: RuleConfig, cache: DeclarationCache): AnalysisResult | typeof NOT_CONTAINED | undefined {
    const facts = cache.facts;
    const old = cache.layout;
    if (!facts || old.length === 0 || !cache.layoutSplittable || !input.changes) return undefined;
    if (facts.path !== input.path || facts.goVersion !== input.goVersion || facts.noGoMod !== (input.noGoMod ?? false)) return undefined;
    if (cache.contextKey !== `${factsKey(facts)}#${configKey(config)}`) return undefined;
    const edited = editedSpan(input.changes);
    if (!edited) return undefined;
    const span = widenedToLead(edited, old);
    const root = input.tree.rootNode;
    const broken = root.hasError;
    const contained = input.requireContained === true;
    if (broken && !contained) return undefined;
    // Old entries [0, a) end before the span, [b, ...) start after it (in old offsets).
    const [a, b] = entriesTouched(old, span);
    if (broken) {
      // Error recovery must not have re-shaped declarations the edits did not touch.
      const textEdited = editedSpan(textEdits(input.changes));
      const textSpan = textEdited && widenedToLead(textEdited, old);
      const [textA, textB] = textSpan ? entriesTouched(old, textSpan) : [-1, -1];
      // Error recovery re-shaped declarations the edits did not touch: reading every top-level
      // node to confirm that would cost about what the provisional analysis that follows costs.
      if (textA !== a || textB !== b) return NOT_CONTAINED;
    }
    // The facts (package clause, imports, the header before them) must lie before the span, and
    // every reused entry must be a clean declaration.
    let packageClause = false;
    for (let j = 0; j < old.length; j++) {
      const entry = old[j]!;
      if (FACT_NODES.has(entry.type)) {
        if (j >= a) return undefined;
        if (entry.type === 'package_clause') packageClause = true;
      }
      if ((j < a || j >= b) && !entry.clean) return undefined;
    }
    if (!packageClause) return undefined;
    // The new top-level nodes that replace old[a, b) (or stand in the span), and the first after
    // them, which must be old[b], moved.
    const readStart = a < b ? Math.min(span.start, old[a]!.start) : span.start;
    const readEnd = a < b ? Math.max(span.end, old[b - 1]!.end + span.delta) : span.end;
    const inSpan: { node: Node; type: string; start: number; end: number }[] = [];
    // The entries before a are the root's first a children (the layout has one entry per child
    // wherever every entry is clean): start at child a, after checking that child a - 1 is old[a - 1].
    // (web-tree-sitter's firstChildForIndex takes a byte offset into its UTF-16 text, not an index.)
    if (a > 0) {
      const before = root.child(a - 1);
      const entry = old[a - 1]!;
      if (!before || before.startIndex !== entry.start || before.endIndex !== entry.end || before.type !== entry.type) return undefined;
    }
    let node = a < root.childCount ? root.child(a) : null;
    if (node && node.startIndex < readStart && node.endIndex <= readStart) return undefined;
    for (; node && node.startIndex < readEnd; node = node.nextSibling) {
      if (FACT_NODES.has(node.type)) return undefined;
      inSpan.push({ node, type: node.type, start: node.startIndex, end: node.endIndex });
    }
    const after = old[b];
    if (after ? !node || node.startIndex - span.delta !== after.start || node.endIndex - span.delta !== after.end || node.type !== after.type : node) {
      return undefined;
    }

    const file: FileFacts = new CarriedFileFacts(facts, input.text, root);
    const previous = cache.entries;
    // The comments right before the first node read, if any, are old entries before the span.
    let q = a;
    while (q > 0 && old[q - 1]!.type === 'comment') q--;
    let leadStart = q < a ? old[q]!.start : undefined;
    const read = inSpan.map(({ node, type, start }) => {
      const text = node.text;
      const lead = type === 'comment' ? '' : leadOf(input.text, leadStart, start);
      leadStart = type !== 'comment' ? undefined : (leadStart ?? start);
      // A declaration with syntax errors is neither reused nor kept (see analyze).
      const clean = isCleanTopLevel(node);
      // As in analyze: by shape too in a tree with syntax errors; not kept when checked in an
      // error-free tree that descends from one.
      let key = clean ? declarationKey(type, lead, text, broken ? node : undefined) : undefined;
      const found = key === undefined ? undefined : (previous.get(key) ?? cache.retained?.get(key));
      if (!found && !broken && input.unsettled === true) key = undefined;
      return { text, key, clean, found, summary: found?.summary ?? summarizeDeclaration(type, text, facts.imports) };
    });
    // The package view: the last one while the edited declarations declare what the old ones did
    // (a keystroke in a function body) and the package's other files are unchanged. Otherwise a
    // declaration outside the span whose findings read what changed needs its node again: the
    // full path reads them all.
    const external = input.packages?.forFile(facts.path, facts.packageName);
    let view = cache.view;
    if (!view) return undefined;
    const oldDeclared = old.slice(a, b).flatMap((e) => e.result.summary.map(([k, v]) => `${k}=${v}`));
    const newDeclared = read.flatMap((r) => r.summary.map(([k, v]) => `${k}=${v}`));
    if (view.external?.key !== external?.key || oldDeclared.join('\n') !== newDeclared.join('\n')) {
      const own = ownSummary([...old.slice(0, a).map((e) => e.result.summary), ...read.map((r) => r.summary), ...old.slice(b).map((e) => e.result.summary)]);
      if (!view.sameAs(own, external)) {
        view = new PackageView(own, external);
        for (let j = 0; j < old.length; j++) if ((j < a || j >= b) && !stillHolds(old[j]!.result, view)) return undefined;
      }
    }
    let dispatch: Dispatch | undefined;
    let checked = 0;
    let fresh: LayoutEntry[] = inSpan.map(({ node: decl, type, start, end }, i) => {
      const { text, key, clean, found, summary } = read[i]!;
      let result = found && stillHolds(found, view) ? found : undefined;
      if (!result) {
        checked++;
        dispatch ??= this.dispatchFor(file, config, input.tree.language, view);
        result = this.checkDeclaration(decl, file, dispatch, text, summary);
        if (key !== undefined && !dispatch.failed.size) previous.set(key, result);
      }
      return { type, start, end, clean, result, key };
    });
    if (broken) {
      // As in a contained analysis of the whole tree: the nodes in the span are one region.
      if (fresh.length === 0) return undefined;
      fresh = [brokenRegion(fresh, view)];
    }
    const moved = shiftEntries(old.slice(b), span.delta);
    const layout = [...old.slice(0, a), ...fresh, ...moved];
    const complete = !dispatch?.failed.size;
    cache.layout = complete ? layout : [];
    // While the file is broken, what was cached before it broke stays at hand for the undo.
    cache.retained = broken && complete ? (cache.retained ?? previous) : undefined;
    cache.view = view;
    // The entries keep the texts of replaced declarations too (an undo finds them); they are
    // trimmed back to the layout's once they outnumber it.
    if (previous.size > 2 * layout.length + 16) {
      cache.entries = new Map(layout.flatMap((e) => (e.key === undefined ? [] : [[e.key, e.result] as const])));
    }
    cache.lastStats = { checked, reused: layout.length - fresh.length + inSpan.length - checked, provisional: false, contained: broken };
    return this.assemble(layout, input.lineIndex ?? new LineIndex(input.text), dispatch?.failures ?? [], cache.directiveCheck);
  }

  /**
   * A provisional analysis: the region of the file the edits since the cache's last analysis
   * touched, widened to the top-level nodes it overlaps or touches, is parsed on its own (with
   * `parseAlone`) and checked; the other top-level nodes' findings are reused, shifted. This is
   * what keeps a keystroke that breaks the syntax cheap: tree-sitter's error recovery can re-parse
   * and re-shape the rest of the file (an unclosed `{` swallows every declaration after it), which
   * costs up to a full parse and a re-check of everything it touched. The region starts and ends
   * at top level (between top-level nodes), so when the whole file parses cleanly the region
   * parses alone exactly as it does in place. The caller replaces the result with a full analysis
   * of a fresh parse once edits pause.
   *
   * Returns undefined when it does not apply: no usable cache (first analysis, another
   * configuration, a rule failed), edits touching the package clause or the imports (or making
   * new ones: the file facts would change), or another top-level node with syntax errors (its
   * boundaries are error recovery's guess).
   */
  analyzeProvisional(
    input: {
      text: string;
      path?: string;
      goVersion?: string;
      noGoMod?: boolean;
      lineIndex: LineIndex;
      packages?: PackageSource;
      /**
       * The document's tree when its incremental parse finished (with syntax errors). A region
       * whose braces do not balance is checked on it rather than parsed again alone (see
       * checkRegionInPlace).
       */
      tree?: Tree;
    },
    config: RuleConfig,
    cache: DeclarationCache,
    changes: readonly TextChange[],
    parseAlone: (text: string) => Tree | null,
  ): AnalysisResult | undefined {
    const facts = cache.facts;
    const old = cache.layout;
    const edited = editedSpan(changes);
    if (!facts || !edited || old.length === 0 || !cache.layoutSplittable) return undefined;
    const span = widenedToLead(edited, old);
    if (cache.contextKey !== `${factsKey(facts)}#${configKey(config)}`) return undefined;
    // The file's place (path, go.mod) must be what the cached facts were computed for.
    if (facts.path !== input.path || facts.goVersion !== input.goVersion || facts.noGoMod !== (input.noGoMod ?? false)) return undefined;
    // The edited span in the old text, and the old top-level nodes it overlaps or touches: a..b.
    const oldStart = span.start;
    const oldEnd = span.end - span.delta;
    let a = firstEndingAtOrAfter(old, oldStart);
    let b = a - 1;
    while (b + 1 < old.length && old[b + 1]!.start <= oldEnd) b++;
    // An unclean node in the span (a top-level statement, say a function's body split from its
    // signature by a newline) may join its neighbours again once edited: they are re-parsed with it.
    // (A broken region's ends were between top-level nodes of a clean file: no need there.)
    // So may a body-less function just before the span, whatever the span holds: text typed
    // between a signature and its `{` (a comment, a whole function) leaves a body-less function,
    // that text and a top-level block, and deleting it joins the function and the block again.
    const joins = (entry: LayoutEntry) => !entry.clean && entry.type !== BROKEN_REGION;
    if (a <= b) {
      while (a > 0 && (joins(old[a]!) || isBodiless(old[a - 1]!, input.text) || continuedByTrailingComment(old, a, oldStart, input.text))) a--;
      while (b + 1 < old.length && joins(old[b]!)) b++;
      // The region parsed alone starts with the comments that lead its first declaration (see leadOf).
      while (a > 0 && old[a - 1]!.type === 'comment') a--;
    }
    for (let j = 0; j < old.length; j++) {
      const entry = old[j]!;
      if (j >= a && j <= b) {
        if (FACT_NODES.has(entry.type)) return undefined;
      } else if (!entry.clean && entry.type !== BROKEN_REGION) {
        // Reused as they are, which is exact only for complete nodes (or a region parsed alone).
        return undefined;
      }
    }
    const regionStart = a <= b ? Math.min(old[a]!.start, oldStart) : oldStart;
    const regionEnd = (a <= b ? Math.max(old[b]!.end, oldEnd) : oldEnd) + span.delta;
    const text = input.text.slice(regionStart, regionEnd);
    const region = { a, b, regionStart, regionEnd, delta: span.delta };
    // (A block comment or raw string left open is the full analysis's case: see below.)
    const scan = scanRegion(text);
    if (input.tree && scan.braceDepth !== 0 && !scan.endsInsideLongToken) {
      const inPlace = this.checkRegionInPlace(input, input.tree, config, cache, region);
      if (inPlace) return inPlace;
    }
    // The line break after the region is parsed with it: tree-sitter-go ends a top-level statement
    // (not Go, but typed on the way to Go) only at a terminator, and one cut off at the end of the
    // text is a syntax error that the file, where the line break follows, does not have.
    const alone = parseAlone(text + lineBreakAt(input.text, regionEnd));
    if (!alone) return undefined;
    try {
      const root = alone.rootNode;
      // A block comment or raw string opened (or closed) in the region may end (or start) far
      // outside it, where the file would still parse cleanly: only a full parse can tell.
      if (root.hasError && scan.endsInsideLongToken) return undefined;
      // The terminator on the borrowed line break belongs to the next entry's gap, not the region.
      const topLevel = root.children.filter((c): c is Node => c !== null && c.startIndex < text.length);
      if (topLevel.some((node) => FACT_NODES.has(node.type))) return undefined;
      const file: FileFacts = new CarriedFileFacts(facts, text, root, topLevel);
      const texts = topLevel.map((decl) => decl.text);
      // A region that does not parse cleanly stays one entry: error recovery's boundaries inside
      // it (a body split from its signature) are no places to cut the text at later.
      return this.checkRegion(input, config, cache, region, { file, texts, language: alone.language, offset: regionStart, broken: root.hasError, clipped: false });
    } finally {
      alone.delete();
    }
  }

  /**
   * The provisional analysis of a region whose braces do not balance (a `{` typed in a function,
   * a `}` deleted), on the document's own tree: the region cannot parse cleanly, alone or in the
   * file, so parsing it alone again (1-3 ms for a long function) would buy no exactness; error
   * recovery has already made a tree of it, whose top-level nodes from the region's start are
   * checked on the region's text only (the last one may run on over the declarations after it,
   * which keep their findings). Undefined when the tree has no top-level node at the region's start.
   */
  private checkRegionInPlace(
    input: { text: string; path?: string; lineIndex: LineIndex; packages?: PackageSource },
    tree: Tree,
    config: RuleConfig,
    cache: DeclarationCache,
    region: ProvisionalRegion,
  ): AnalysisResult | undefined {
    const { regionStart, regionEnd } = region;
    const root = tree.rootNode;
    const first = topLevelDeclaration(root.descendantForIndex(regionStart) ?? root);
    if (first.id === root.id || first.startIndex !== regionStart) return undefined;
    const topLevel: Node[] = [];
    for (let node: Node | null = first; node && node.startIndex < regionEnd; node = node.nextSibling) {
      if (FACT_NODES.has(node.type)) return undefined;
      topLevel.push(node);
    }
    const file: FileFacts = new CarriedFileFacts(cache.facts!, input.text, root, topLevel);
    const texts = topLevel.map((node) => input.text.slice(node.startIndex, Math.min(node.endIndex, regionEnd)));
    return this.checkRegion(input, config, cache, region, { file, texts, language: tree.language, offset: 0, broken: true, clipped: true });
  }

  /**
   * The end of a provisional analysis: checks the region's top-level nodes (file.topLevel, with
   * their texts; their offsets plus `offset` are the file's) and puts them in the layout in place
   * of the old entries a..b, as one broken region when `broken`. `clipped`: the texts may stop
   * before their nodes' ends, and findings past them are dropped (they belong to the declarations
   * after the region, which keep their own). Undefined when the package view rules it out.
   */
  private checkRegion(
    input: { lineIndex: LineIndex; packages?: PackageSource },
    config: RuleConfig,
    cache: DeclarationCache,
    region: ProvisionalRegion,
    checked: { file: FileFacts; texts: readonly string[]; language: Language; offset: number; broken: boolean; clipped: boolean },
  ): AnalysisResult | undefined {
    const { a, b, regionStart, regionEnd, delta } = region;
    const { file, texts, offset } = checked;
    const old = cache.layout;
    const summaries = file.topLevel.map((node, i) => summarizeDeclaration(node.type, texts[i]!, file.imports));
    const view = regionView(input.packages, cache, a, b, summaries);
    if (!view) return undefined;
    const dispatch = this.dispatchFor(file, config, checked.language, view);
    const entries: LayoutEntry[] = file.topLevel.map((node, i) => {
      const result = this.checkDeclaration(node, file, dispatch, texts[i]!, summaries[i]!);
      const length = texts[i]!.length;
      if (checked.clipped) {
        result.findings = result.findings.filter((f) => f.end <= length);
        result.directives = result.directives.filter((d) => d.start < length);
      }
      const start = offset + node.startIndex;
      return { type: node.type, start, end: start + length, clean: !checked.clipped && isCleanTopLevel(node), result, key: undefined };
    });
    const replacing: LayoutEntry[] = checked.broken ? [{ type: BROKEN_REGION, start: regionStart, end: regionEnd, clean: false, result: mergeResults(entries, regionStart, view), key: undefined }] : entries;
    const layout = [...old.slice(0, a), ...replacing, ...shiftEntries(old.slice(b + 1), delta)];
    cache.layout = dispatch.failed.size ? [] : layout;
    cache.view = view;
    cache.lastStats = { checked: entries.length, reused: layout.length - replacing.length, provisional: true, contained: false };
    return this.assemble(layout, input.lineIndex, dispatch.failures, cache.directiveCheck);
  }

  /**
   * A top-level node's findings and directives, relative to its start: what the cache keeps.
   * `kept`: the result goes into a DeclarationCache (its strings are then detached from the text).
   */
  private checkDeclaration(decl: Node, file: FileFacts, dispatch: Dispatch, text: string, summary: readonly SummaryEntry[], kept = true): DeclarationResult {
    const start = decl.startIndex;
    const view = dispatch.view;
    const deps: Dependency[] = [];
    view.recording = deps;
    let findings: Finding[];
    try {
      // Cached for many keystrokes: detached, so as not to keep this version of the text alive.
      findings = this.analyzeDeclaration(decl, file, dispatch, text).map((f) => shiftFinding(f, -start));
      if (kept) findings = findings.map(detachedFinding);
    } finally {
      view.recording = undefined;
    }
    const looked = deps.length > 0;
    return {
      findings,
      directives: readDirectives(decl, text, this.named, start),
      summary: kept ? detachedSummary(summary) : summary,
      deps: looked ? deps : undefined,
      viewId: looked ? view.id : undefined,
    };
  }

  /**
   * Findings of a layout at their places in the file, minus the suppressed ones, plus the
   * directive rules' findings (directives that silenced nothing), in order.
   */
  private assemble(layout: readonly LayoutEntry[], index: LineIndex, failures: RuleFailure[], check: DirectiveCheck | undefined): AnalysisResult {
    const findings: Finding[] = [];
    const directives: Directive[] = [];
    /** The layout entry each directive comes from. */
    const entryOf: number[] = [];
    layout.forEach(({ start, result }, k) => {
      for (const f of result.findings) findings.push(shiftFinding(f, start));
      for (const d of result.directives) {
        directives.push(shiftDirective(d, start));
        entryOf.push(k);
      }
    });
    let visible = findings;
    if (directives.length > 0) {
      if (directives.some((d) => d.kind === 'nolint')) expandTopLevelNolint(directives, entryOf, layout, index, index.text.length);
      const suppressions = buildSuppressions(directives, index);
      /** The codes each directive silenced a finding of. */
      const used = directives.map(() => new Set<string>());
      visible = [];
      for (const finding of findings) {
        const by = suppressorsOf(finding, suppressions, index);
        if (by.length === 0) visible.push(finding);
        for (const i of by) used[i]!.add(finding.code);
      }
      if (check) {
        const failed = new Set(failures.map((f) => f.code));
        for (const finding of this.unusedDirectives(directives, used, entryOf, layout, index, check, failed)) {
          if (suppressorsOf(finding, suppressions, index).length === 0) visible.push(finding);
        }
      }
    }
    const rendered = visible.map((f) => renderMessage(f, index));
    rendered.sort((a, b) => a.start - b.start || a.end - b.end || a.code.localeCompare(b.code));
    return { findings: rendered, failures };
  }

  /**
   * The directive rules' findings: `//rubric:ignore` and `//rubric:file-ignore` directives that
   * name a rule which ran on the file and silenced none of its findings. Directives in
   * declarations with syntax errors are left alone (their findings may be missing while the code
   * is being typed), and file-wide ones while any declaration has errors.
   */
  private unusedDirectives(
    directives: readonly Directive[],
    used: readonly Set<string>[],
    entryOf: readonly number[],
    layout: readonly LayoutEntry[],
    index: LineIndex,
    check: DirectiveCheck,
    failed: ReadonlySet<string>,
  ): Finding[] {
    const out: Finding[] = [];
    const allClean = layout.every((e) => e.clean);
    directives.forEach((directive, i) => {
      if (directive.kind === 'nolint') return;
      if (directive.kind === 'file-ignore' ? !allClean : !layout[entryOf[i]!]!.clean) return;
      const unused = [...new Set(directive.codes)].filter((code) => !used[i]!.has(code) && check.active.has(code) && !failed.has(code));
      if (unused.length === 0) return;
      const { line } = index.positionAt(directive.start);
      for (const { rule, severity } of check.rules) {
        try {
          const report = rule.unusedDirective({
            directive,
            unused,
            line: index.lineText(line),
            lineStart: index.lineStart(line),
            lineEnd: index.lineStart(line + 1),
            blankBefore: line === 0 || index.lineText(line - 1).trim() === '',
            blankAfter: line + 1 >= index.lineCount || index.lineText(line + 1).trim() === '',
            nextLineEnd: index.lineStart(line + 2),
            resolve: (item) => findRule(this.named, item)?.meta.code,
          });
          if (report) out.push({ code: rule.meta.code, start: report.start, end: report.end, message: report.message, severity: report.severity ?? severity, fix: report.fix, related: undefined });
        } catch (error) {
          this.log(`rule ${rule.meta.code} (${rule.meta.name}) failed and was skipped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
      }
    });
    return out;
  }

  /** Which rules a directive may name and expect to silence something: those that run on the file (on, and their precondition holds). */
  private directiveCheck(file: FileFacts, config: RuleConfig): DirectiveCheck | undefined {
    const rules: DirectiveCheck['rules'] = [];
    for (const rule of this.directiveRules) {
      const severity = effectiveSeverity(config, rule, undefined);
      if (severity !== 'off') rules.push({ rule, severity });
    }
    return rules.length === 0 ? undefined : { rules, active: new Set(this.applicableRules(file, config)) };
  }

  /**
   * Checks one top-level declaration. Its findings depend only on the declaration's own subtree and
   * on the file facts (imports, package name), which is what makes them reusable across edits elsewhere.
   */
  analyzeDeclaration(decl: Node, file: FileFacts, dispatch: Dispatch, text: string = decl.text): Finding[] {
    const findings: Finding[] = [];
    const active = dispatch.queryRules.filter((r) => !dispatch.failed.has(r.meta.code) && (!r.mustContain || r.mustContain.some((t) => text.includes(t))));
    const shared = active.length > 0 ? this.queryFor(dispatch.language) : undefined;
    if (shared?.query) {
      for (const match of shared.query.matches(decl)) {
        const rule = shared.ruleOfPattern[match.patternIndex];
        if (!rule || !active.includes(rule)) continue;
        const node = match.captures.find((c) => c.name === MATCH_CAPTURE)?.node;
        if (node) this.runRule(rule, node, file, dispatch, findings);
      }
    }
    // Rules anchored on the same text (the standard library's calls, for GR103 and GR104) climb
    // from the same places: each climb is read from the tree once.
    const climbs = new Map<number, Node[]>();
    for (const anchored of dispatch.anchorRules) {
      if (!dispatch.failed.has(anchored.rule.meta.code)) this.runAnchored(anchored, decl, text, file, dispatch, findings, climbs);
    }
    if (dispatch.byType.size > 0) this.walk(decl, file, dispatch, findings);
    return findings;
  }

  /** Visits, once each, the nodes around the occurrences of an anchored rule's strings in a declaration. */
  private runAnchored(anchored: AnchoredRule, decl: Node, text: string, file: FileFacts, dispatch: Dispatch, findings: Finding[], climbs: Map<number, Node[]>): void {
    const { accept } = anchored;
    // Made at the first node visited: most declarations have no occurrence of most rules' anchors.
    let visited: Set<number> | undefined;
    for (const { text: anchor, wordStart, wordEnd } of anchored.anchors) {
      // A word is matched whole (`_` is not the start of `_x`, `Lock` not the end of `RLock`); a
      // qualifier such as `os.` only at the start of a word.
      for (let at = anchored.atStart ? (text.startsWith(anchor) ? 0 : -1) : text.indexOf(anchor); at >= 0; at = anchored.atStart ? -1 : text.indexOf(anchor, at + anchor.length)) {
        if (wordStart && isWordCharAt(text, at - 1)) continue;
        if (wordEnd && isWordCharAt(text, at + anchor.length)) continue;
        if (accept && !accept(text, at, anchor, file, dispatch.view)) continue;
        const node = climbTo(decl, at, anchored.nodeTypes, climbs);
        if (!node || visited?.has(node.id)) continue;
        (visited ??= new Set()).add(node.id);
        this.runRule(anchored.rule, node, file, dispatch, findings);
      }
    }
  }

  /** One JavaScript walk of a declaration for the rules that declared node types. */
  private walk(decl: Node, file: FileFacts, dispatch: Dispatch, findings: Finding[]): void {
    const cursor = decl.walk();
    try {
      for (;;) {
        const rules = dispatch.byType.get(cursor.nodeType);
        if (rules) {
          const node = cursor.currentNode;
          for (const rule of rules) this.runRule(rule, node, file, dispatch, findings);
        }
        if (cursor.gotoFirstChild()) continue;
        let climbed = true;
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent()) {
            climbed = false;
            break;
          }
        }
        if (!climbed) break;
      }
    } finally {
      cursor.delete();
    }
  }

  /**
   * The codes of the rules that are on and whose file precondition (appliesTo) holds for the file:
   * what the rubric report counts to tell an item that was met from one that does not apply.
   */
  applicableRules(file: FileFacts, config: RuleConfig): string[] {
    const codes: string[] = [];
    for (const rule of this.rules) {
      if (config.severities.get(rule.meta.code) === 'off') continue;
      try {
        if (!rule.appliesTo || rule.appliesTo(file)) codes.push(rule.meta.code);
      } catch {
        // A precondition that throws is the rule's failure, reported by the analysis itself.
      }
    }
    return codes;
  }

  /** `wholeFile`: every declaration of the file will be checked, so anchors absent from its text are dropped up front. */
  private dispatchFor(file: FileFacts, config: RuleConfig, language: Language, view: PackageView, wholeFile = false): Dispatch {
    const byType = new Map<string, Rule[]>();
    const queryRules: Rule[] = [];
    const anchorRules: Dispatch['anchorRules'] = [];
    const failures: RuleFailure[] = [];
    const failed = new Set<string>();
    for (const rule of this.rules) {
      if (config.severities.get(rule.meta.code) === 'off') continue;
      try {
        if (rule.appliesTo && !rule.appliesTo(file)) continue;
        if (rule.anchors) {
          let texts = rule.anchors.text(file);
          if (wholeFile) texts = texts.filter((text) => file.text.includes(text));
          if (texts.length > 0) {
            anchorRules.push({
              rule,
              anchors: texts.map((text) => ({ text, wordStart: isWordCharAt(text, 0), wordEnd: isWordCharAt(text, text.length - 1) })),
              nodeTypes: new Set(rule.anchors.nodeTypes),
              accept: rule.anchors.accept,
              atStart: rule.anchors.atStart === true,
            });
          }
        }
      } catch (error) {
        this.recordFailure(rule, file, error, failed, failures);
        continue;
      }
      if (rule.query) {
        const error = this.queryFor(language).errors.get(rule.meta.code);
        if (error !== undefined) {
          this.recordFailure(rule, file, error, failed, failures);
          continue;
        }
        queryRules.push(rule);
      }
      for (const type of rule.nodeTypes ?? []) {
        const list = byType.get(type) ?? [];
        list.push(rule);
        byType.set(type, list);
      }
    }
    return { byType, queryRules, anchorRules, language, config, view, failed, failures };
  }

  /**
   * The shared query of all query rules for a language, compiled on first use. A rule whose query
   * does not compile alone is left out of it; dispatchFor reports it for every file.
   */
  private queryFor(language: Language): NonNullable<Engine['sharedQuery']> {
    if (this.sharedQuery?.language === language) return this.sharedQuery;
    this.sharedQuery?.query?.delete();
    const errors = new Map<string, unknown>();
    let usable = this.rules.filter((rule) => rule.query !== undefined);
    let query: Query | undefined;
    try {
      query = usable.length > 0 ? new Query(language, usable.map((r) => r.query!).join('\n')) : undefined;
    } catch {
      // Find the rules at fault, then compile the others together.
      usable = usable.filter((rule) => {
        try {
          new Query(language, rule.query!).delete();
          return true;
        } catch (error) {
          errors.set(rule.meta.code, error);
          return false;
        }
      });
      query = usable.length > 0 ? new Query(language, usable.map((r) => r.query!).join('\n')) : undefined;
    }
    // Each pattern belongs to the rule whose query text it starts in (offsets in UTF-8 bytes).
    const ruleOfPattern: Rule[] = [];
    if (query) {
      const ends: number[] = [];
      let offset = 0;
      for (const rule of usable) ends.push((offset += Buffer.byteLength(rule.query!) + 1));
      for (let i = 0; i < query.patternCount(); i++) {
        const start = query.startIndexForPattern(i);
        ruleOfPattern.push(usable[ends.findIndex((end) => start < end)]!);
      }
    }
    this.sharedQuery = { language, query, ruleOfPattern, errors };
    return this.sharedQuery;
  }

  private runRule(rule: Rule, node: Node, file: FileFacts, dispatch: Dispatch, sink: Finding[]): void {
    if (dispatch.failed.has(rule.meta.code)) return;
    const ctx: RuleContext = {
      file,
      pkg: dispatch.view,
      report: (report: Report) => {
        const severity = effectiveSeverity(dispatch.config, rule, report.severity);
        if (severity === 'off') return;
        const start = report.start ?? report.node?.startIndex;
        const end = report.end ?? report.node?.endIndex;
        if (start === undefined || end === undefined) throw new Error(`${rule.meta.code} reported without a range`);
        // Every finding has every field, undefined when absent: the engine copies and shifts
        // findings on every keystroke, and findings of one shape keep that code optimized.
        sink.push({ code: rule.meta.code, start, end, message: report.message, severity, fix: report.fix, related: report.related });
      },
    };
    try {
      rule.visit(node, ctx);
    } catch (error) {
      this.recordFailure(rule, file, error, dispatch.failed, dispatch.failures);
    }
  }

  private recordFailure(rule: Rule, file: FileFacts, error: unknown, failed: Set<string>, failures: RuleFailure[]): void {
    failed.add(rule.meta.code);
    failures.push({ code: rule.meta.code, error });
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    const where = file.path ?? 'an unsaved file';
    this.log(`rule ${rule.meta.code} (${rule.meta.name}) failed on ${where} and was skipped for that file: ${detail}`, `${rule.meta.code}\u0000${where}`);
  }
}

/** What the cached findings of a file depend on besides each declaration's own text. */
function factsKey(file: FactsSnapshot): string {
  return `${file.packageName ?? ''}|${file.path ?? ''}|${file.isTestFile}|${file.goVersion ?? ''}|${file.noGoMod}|${file.buildConstrained}|${file.imports.key}`;
}

/** Configurations are immutable and the server keeps one per settings object: their keys are computed once. */
const configKeys = new WeakMap<RuleConfig, string>();

function configKey(config: RuleConfig): string {
  let key = configKeys.get(config);
  if (key === undefined) configKeys.set(config, (key = [...config.severities].map(([code, severity]) => `${code}=${severity}`).join(',')));
  return key;
}

/** A copy of a finding with every offset (range, fix edits, related places) moved by delta. */
function shiftFinding(finding: Finding, delta: number): Finding {
  if (delta === 0) return finding;
  const shifted: Finding = { ...finding, start: finding.start + delta, end: finding.end + delta };
  if (finding.fix) {
    shifted.fix = { ...finding.fix, edits: finding.fix.edits.map((e) => ({ ...e, start: e.start + delta, end: e.end + delta })) };
  }
  if (finding.related) shifted.related = finding.related.map((r) => ({ ...r, start: r.start + delta, end: r.end + delta }));
  return shifted;
}

/** Replaces `{line}` with the 1-based line of the first related place. */
function renderMessage(finding: Finding, index: LineIndex): Finding {
  const place = finding.related?.[0];
  if (!place || !finding.message.includes('{line}')) return finding;
  return { ...finding, message: finding.message.replace('{line}', String(index.positionAt(place.start).line + 1)) };
}

/**
 * The span of the current text that edits touched, and the shift of the text after it: outside
 * [start, end) the current text is the old text, at the same offsets before `start` and moved by
 * `delta` from `end` on. Each change is in the coordinates of the text after the ones before it.
 */
export function editedSpan(changes: readonly TextChange[]): { start: number; end: number; delta: number } | undefined {
  let span: { start: number; end: number; delta: number } | undefined;
  for (const c of changes) {
    const d = c.newEnd - c.oldEnd;
    if (!span) {
      span = { start: c.start, end: c.newEnd, delta: d };
      continue;
    }
    // Move the span into the coordinates after this change, then take in the change itself.
    const mapped = (x: number, inside: number) => (x < c.start ? x : x >= c.oldEnd ? x + d : inside);
    const start = mapped(span.start, c.start);
    const end = mapped(span.end, c.newEnd);
    span = { start: Math.min(start, c.start), end: Math.max(end, c.newEnd), delta: span.delta + d };
  }
  return span;
}

/**
 * Go text read from top level as tokens that can hide braces: comments, strings, runes. Whether
 * it ends inside a block comment or a raw string (the only tokens that can run on past the end of
 * a region into the text after it), and its `{` minus its `}` outside them (not 0: the text
 * cannot parse cleanly, alone or among complete declarations).
 */
export function scanRegion(text: string): { endsInsideLongToken: boolean; braceDepth: number } {
  let i = 0;
  let braceDepth = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (ch === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i + 2);
      if (end < 0) break;
      i = end + 1;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return { endsInsideLongToken: true, braceDepth };
      i = end + 2;
    } else if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) return { endsInsideLongToken: true, braceDepth };
      i = end + 1;
    } else if (ch === '"' || ch === "'") {
      // Interpreted strings and runes end at their quote or, unterminated, at the line's end.
      i++;
      while (i < n && text[i] !== ch && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else {
      if (ch === '{') braceDepth++;
      else if (ch === '}') braceDepth--;
      i++;
    }
  }
  return { endsInsideLongToken: false, braceDepth };
}

/** The results of consecutive entries as one, relative to `start`; all hold in `view`. */
function mergeResults(entries: readonly LayoutEntry[], start: number, view: PackageView): DeclarationResult {
  const deps = entries.flatMap((e) => e.result.deps ?? []);
  const looked = deps.length > 0;
  const merged: DeclarationResult = { findings: [], directives: [], summary: entries.flatMap((e) => e.result.summary), deps: looked ? deps : undefined, viewId: looked ? view.id : undefined };
  for (const e of entries) {
    for (const f of e.result.findings) merged.findings.push(shiftFinding(f, e.start - start));
    for (const d of e.result.directives) merged.directives.push(shiftDirective(d, e.start - start));
  }
  return merged;
}

/** Consecutive layout entries as one broken region spanning them (see BROKEN_REGION). */
function brokenRegion(entries: readonly LayoutEntry[], view: PackageView): LayoutEntry {
  const start = entries[0]!.start;
  return { type: BROKEN_REGION, start, end: entries[entries.length - 1]!.end, clean: false, result: mergeResults(entries, start, view), key: undefined };
}

/**
 * The package view for a provisional analysis that replaces the layout's entries a..b with
 * declarations summarised as `summaries`: the cache's view while the package reads the same.
 * Another view is fine only while the declarations outside the region that read the package
 * answer the same (they cannot be checked again without their nodes): undefined otherwise.
 */
function regionView(packages: PackageSource | undefined, cache: DeclarationCache, a: number, b: number, summaries: readonly (readonly SummaryEntry[])[]): PackageView | undefined {
  const facts = cache.facts!;
  const old = cache.layout;
  const external = packages?.forFile(facts.path, facts.packageName);
  const own = ownSummary([...old.slice(0, a).map((e) => e.result.summary), ...summaries, ...old.slice(b + 1).map((e) => e.result.summary)]);
  const view = cache.view?.sameAs(own, external) ? cache.view : new PackageView(own, external);
  for (let j = 0; j < old.length; j++) if ((j < a || j > b) && !stillHolds(old[j]!.result, view)) return undefined;
  return view;
}

/**
 * Layout entries moved by `delta`, in place: called only where a new layout replaces the one they
 * come from, which nothing reads again. (Copies of every entry after the edit, on every keystroke,
 * were 4% of the server's allocations and, as the current layout, survived young collections.)
 */
function shiftEntries(entries: LayoutEntry[], delta: number): LayoutEntry[] {
  if (delta !== 0) {
    for (const e of entries) {
      e.start += delta;
      e.end += delta;
    }
  }
  return entries;
}

/**
 * The edits of a change list, without the structural changes: a broken tree's changed ranges can
 * be error recovery re-shaping the rest of the file, which the contained and provisional
 * analyses must not take for edits.
 */
export function textEdits(changes: readonly TextChange[]): TextChange[] {
  return changes.filter((change) => !change.structural);
}

/**
 * The layout entries an edited span touches, as [a, b): the ones before a end before the span,
 * the ones from b on start after it (the span in new offsets, the layout in old ones).
 */
function entriesTouched(layout: readonly LayoutEntry[], span: { start: number; end: number; delta: number }): [number, number] {
  const a = firstEndingAfter(layout, span.start);
  let b = a;
  while (b < layout.length && layout[b]!.start < span.end - span.delta) b++;
  return [a, b];
}

/**
 * Whether a result's findings hold in a package view: it read nothing from other declarations, or
 * what it read answers the same there (then it is marked as confirmed in that view).
 */
function stillHolds(result: DeclarationResult, view: PackageView): boolean {
  if (!result.deps || result.viewId === view.id) return true;
  if (!view.holds(result.deps)) return false;
  result.viewId = view.id;
  return true;
}

/** The index of the first layout entry starting at or after `offset` (layout.length when none does). */
function firstStartingAtOrAfter(layout: readonly LayoutEntry[], offset: number): number {
  let lo = 0;
  let hi = layout.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (layout[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the first layout entry ending after `offset` (layout.length when none does). */
function firstEndingAfter(layout: readonly LayoutEntry[], offset: number): number {
  return firstEndingAtOrAfter(layout, offset + 1);
}

/** The index of the first layout entry ending at or after `offset` (layout.length when none does). */
function firstEndingAtOrAfter(layout: readonly LayoutEntry[], offset: number): number {
  let lo = 0;
  let hi = layout.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (layout[mid]!.end < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
