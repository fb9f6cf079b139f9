// The rule engine: (text, tree, settings) -> findings. One walk per top-level declaration
// dispatches each node to the rules that asked for its type. Declarations are the unit of work
// so that, after an edit, only the declaration that changed needs to be checked again.
import { Query, type Language, type Node, type Tree } from 'web-tree-sitter';
import { LineIndex } from '../text/positions';
import { effectiveSeverity, type RuleConfig } from './config';
import { computeFileFacts, type FileFacts } from './fileFacts';
import { isSuppressed, readSuppressions } from './suppression';
import type { Finding, Report, Rule, RuleContext } from './types';

/**
 * Findings of unchanged declarations, kept between analyses of one document. A declaration's
 * findings depend only on its own text, the file facts (package, path, imports) and the rule
 * configuration, so they are stored relative to the declaration's start and keyed by its text;
 * an edit elsewhere in the file only shifts them.
 */
export class DeclarationCache {
  /** The file facts and configuration every entry was computed under. */
  contextKey = '';
  entries = new Map<string, Finding[]>();
  /** Declarations checked and reused by the last analysis (for tests and benchmarks). */
  lastStats = { checked: 0, reused: 0 };
}

export interface AnalysisInput {
  text: string;
  tree: Tree;
  /** File system path, when there is one (decides _test.go handling). */
  path?: string;
  /** Reuse the caller's line index when it has one. */
  lineIndex?: LineIndex;
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
}

/** The rules that will run on one file: by the node types they walk, or by query pattern. */
interface Dispatch {
  byType: Map<string, Rule[]>;
  /** The query rules that apply to the file; each declaration runs the ones its text allows. */
  queryRules: Rule[];
  language: Language;
  config: RuleConfig;
  failed: Set<string>;
  failures: RuleFailure[];
}

/** The capture name that marks the node a query rule visits. */
const MATCH_CAPTURE = 'match';

export class Engine {
  /** Combined queries, by the codes of the rules they hold (compiled once, kept for the process). */
  private readonly queries = new Map<string, { query: Query; ruleOfPattern: Rule[] }>();
  /** How many patterns each rule's query has. */
  private readonly patternCounts = new Map<string, number>();

  constructor(
    readonly rules: readonly Rule[],
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /**
   * Checks a file. With a cache (one per open document), only the top-level declarations whose text
   * changed since the last call are checked again; the others' findings are reused, shifted.
   */
  analyze(input: AnalysisInput, config: RuleConfig, cache?: DeclarationCache): AnalysisResult {
    const file = computeFileFacts(input.text, input.tree, input.path);
    if (file.isGenerated) return { findings: [], failures: [], skipped: 'generated file' };
    const contextKey = `${factsKey(file)}#${configKey(config)}`;
    const previous = cache && cache.contextKey === contextKey ? cache.entries : undefined;
    const next = new Map<string, Finding[]>();
    let dispatch: Dispatch | undefined;
    const findings: Finding[] = [];
    let checked = 0;
    let reused = 0;
    for (const decl of file.root.children) {
      if (!decl) continue;
      const key = `${decl.type}\u0000${decl.text}`;
      let relative = next.get(key) ?? previous?.get(key);
      if (relative) {
        reused++;
      } else {
        checked++;
        dispatch ??= this.dispatchFor(file, config, input.tree.language);
        relative = this.analyzeDeclaration(decl, file, dispatch, key).map((f) => shiftFinding(f, -decl.startIndex));
      }
      // A rule that threw is skipped for the rest of the file: results from then on are incomplete
      // and must not be cached.
      if (!dispatch?.failed.size) next.set(key, relative);
      for (const f of relative) findings.push(shiftFinding(f, decl.startIndex));
    }
    if (cache) {
      cache.contextKey = contextKey;
      cache.entries = next;
      cache.lastStats = { checked, reused };
    }
    const index = input.lineIndex ?? new LineIndex(input.text);
    const suppressions = readSuppressions(file.root, input.text, index, this.rules);
    const visible = findings.filter((f) => !isSuppressed(f, suppressions, index)).map((f) => renderMessage(f, index));
    visible.sort((a, b) => a.start - b.start || a.end - b.end || a.code.localeCompare(b.code));
    return { findings: visible, failures: dispatch?.failures ?? [] };
  }

  /**
   * Checks one top-level declaration. Its findings depend only on the declaration's own subtree and
   * on the file facts (imports, package name), which is what makes them reusable across edits elsewhere.
   */
  analyzeDeclaration(decl: Node, file: FileFacts, dispatch: Dispatch, text: string = decl.text): Finding[] {
    const findings: Finding[] = [];
    const rules = dispatch.queryRules.filter((r) => !dispatch.failed.has(r.meta.code) && (!r.mustContain || r.mustContain.some((t) => text.includes(t))));
    const query = rules.length > 0 ? this.combinedQuery(rules, dispatch) : undefined;
    if (query) {
      for (const match of query.query.matches(decl)) {
        const rule = query.ruleOfPattern[match.patternIndex];
        const node = match.captures.find((c) => c.name === MATCH_CAPTURE)?.node;
        if (rule && node) this.runRule(rule, node, file, dispatch, findings);
      }
    }
    if (dispatch.byType.size > 0) this.walk(decl, file, dispatch, findings);
    return findings;
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

  private dispatchFor(file: FileFacts, config: RuleConfig, language: Language): Dispatch {
    const byType = new Map<string, Rule[]>();
    const queryRules: Rule[] = [];
    const failures: RuleFailure[] = [];
    const failed = new Set<string>();
    for (const rule of this.rules) {
      if (config.severities.get(rule.meta.code) === 'off') continue;
      try {
        if (rule.appliesTo && !rule.appliesTo(file)) continue;
      } catch (error) {
        this.recordFailure(rule, error, failed, failures);
        continue;
      }
      if (rule.query) queryRules.push(rule);
      for (const type of rule.nodeTypes ?? []) {
        const list = byType.get(type) ?? [];
        list.push(rule);
        byType.set(type, list);
      }
    }
    return { byType, queryRules, language, config, failed, failures };
  }

  /**
   * One query holding every pattern of the given rules, so each declaration is searched once inside
   * wasm whatever the number of rules. A rule whose query does not compile is reported and left out.
   */
  private combinedQuery(rules: Rule[], dispatch: Dispatch): { query: Query; ruleOfPattern: Rule[] } | undefined {
    const usable = rules.filter((rule) => {
      if (this.patternCounts.has(rule.meta.code)) return true;
      try {
        const alone = new Query(dispatch.language, rule.query!);
        this.patternCounts.set(rule.meta.code, alone.patternCount());
        alone.delete();
        return true;
      } catch (error) {
        this.recordFailure(rule, error, dispatch.failed, dispatch.failures);
        return false;
      }
    });
    if (usable.length === 0) return undefined;
    const key = usable.map((r) => r.meta.code).join(',');
    let combined = this.queries.get(key);
    if (!combined) {
      const query = new Query(dispatch.language, usable.map((r) => r.query!).join('\n'));
      const ruleOfPattern = usable.flatMap((r) => Array<Rule>(this.patternCounts.get(r.meta.code)!).fill(r));
      combined = { query, ruleOfPattern };
      this.queries.set(key, combined);
    }
    return combined;
  }

  private runRule(rule: Rule, node: Node, file: FileFacts, dispatch: Dispatch, sink: Finding[]): void {
    if (dispatch.failed.has(rule.meta.code)) return;
    const ctx: RuleContext = {
      file,
      report: (report: Report) => {
        const severity = effectiveSeverity(dispatch.config, rule, report.severity);
        if (severity === 'off') return;
        const start = report.start ?? report.node?.startIndex;
        const end = report.end ?? report.node?.endIndex;
        if (start === undefined || end === undefined) throw new Error(`${rule.meta.code} reported without a range`);
        const finding: Finding = { code: rule.meta.code, start, end, message: report.message, severity };
        if (report.fix) finding.fix = report.fix;
        if (report.related) finding.related = report.related;
        sink.push(finding);
      },
    };
    try {
      rule.visit(node, ctx);
    } catch (error) {
      this.recordFailure(rule, error, dispatch.failed, dispatch.failures);
    }
  }

  private recordFailure(rule: Rule, error: unknown, failed: Set<string>, failures: RuleFailure[]): void {
    failed.add(rule.meta.code);
    failures.push({ code: rule.meta.code, error });
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.log(`rule ${rule.meta.code} (${rule.meta.name}) failed and was skipped for this file: ${detail}`);
  }
}

/** What the cached findings of a file depend on besides each declaration's own text. */
function factsKey(file: FileFacts): string {
  return `${file.packageName ?? ''}|${file.path ?? ''}|${file.isTestFile}|${file.imports.key}`;
}

function configKey(config: RuleConfig): string {
  return [...config.severities].map(([code, severity]) => `${code}=${severity}`).join(',');
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
