// The rule engine's vocabulary. The engine is (text, tree, settings) -> findings: it imports
// nothing from LSP and speaks only in offsets (UTF-16 code units, as web-tree-sitter reports).
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from './fileFacts';
import type { PackageLookup } from './packageView';
import type { Directive } from './suppression';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

/** The rubric's five phases, in order. */
export const PHASES = ['setup', 'idioms', 'concurrency', 'testing', 'production'] as const;
/**
 * A rule's phase: one of the rubric's, or `directives` for the rules about suppression
 * directives themselves (GR9xx), which are no rubric item (the report leaves them out).
 */
export type Phase = (typeof PHASES)[number] | 'directives';

export interface Proverb {
  /** The proverb or guideline, quoted in hovers. */
  text: string;
  /** Where it comes from ("Go Proverbs", "Effective Go", ...). */
  source: string;
  url: string;
}

export interface RuleMeta {
  /** Stable code, GR<phase><nn>. */
  code: string;
  /** Kebab-case name; accepted wherever a code is. */
  name: string;
  phase: Phase;
  /** Default severity (settings may override it). */
  severity: Severity;
  /** One sentence: what the rule flags. */
  summary: string;
  proverb: Proverb;
  /** Markdown with sections: What it flags, Why, Bad, Good, Fix, Approximations, Links. */
  docs: string;
  /** Short before/after Go snippets shown in the hover. */
  example: { bad: string; good: string };
  /** Whether the rule can offer a fix. */
  fixable: boolean;
  /**
   * The go vet analyzer that gopls runs by default and that reports the same problem (lostcancel):
   * with goRubric.deferToGopls on, the editor leaves the rule to gopls so that one problem does not
   * get two squiggles. The CLI always runs it.
   */
  goplsAnalyzer?: string;
}

/** Replace text[start, end) with newText. Offsets refer to the text the finding was made on. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Import paths the fixed code uses; added to the file's imports when applied, if missing. */
  imports?: string[];
  /** Safe fixes keep behaviour and may be applied in bulk; unsafe ones only on request. */
  safe: boolean;
}

/** Another place that explains a finding (LSP relatedInformation), e.g. the return that leaks a lock. */
export interface RelatedPlace {
  start: number;
  end: number;
  message: string;
}

export interface Finding {
  code: string;
  start: number;
  end: number;
  /**
   * The message. `{line}` stands for the 1-based line of the first related place: rules write the
   * placeholder rather than a number so that findings stay valid when the declaration moves.
   */
  message: string;
  /** Effective severity, after settings. */
  severity: Severity;
  /** Present in every finding made by the engine, undefined when there is none (one object shape). */
  fix?: Fix | undefined;
  related?: RelatedPlace[] | undefined;
}

/** What a rule passes to ctx.report(). */
export interface Report {
  node?: Node;
  start?: number;
  end?: number;
  message: string;
  /** Overrides the rule's default severity for this finding (for example GR201's W/I split). */
  severity?: Severity;
  fix?: Fix;
  related?: RelatedPlace[];
}

export interface RuleContext {
  readonly file: FileFacts;
  /**
   * The file's package: its own top-level declarations and, with the workspace index, those of
   * the package's other files (see engine/packageSummary.ts for the keys). Every lookup is
   * recorded, so a declaration's findings are checked again when what it read changes.
   */
  readonly pkg: PackageLookup;
  report(report: Report): void;
}

/** What every rule has, whatever it checks: the catalog (settings, docs, hovers, the report) needs only this. */
export interface RuleInfo {
  meta: RuleMeta;
}

/** A rule checked on Go source, one top-level declaration at a time. */
export interface Rule extends RuleInfo {
  /**
   * What the rule inspects, as a tree-sitter query: every node captured as `@match` is passed to
   * visit(). Queries run inside wasm, but a query cursor visits every node of the declaration
   * whatever the pattern (about 1 ms for a 600-line function, on each keystroke in it): for a
   * shape with a telltale text (`!=`, `.(`, `interface`, a call's `(`) `anchors` are far cheaper,
   * and every rule of the catalog uses them. Other captures may be used by predicates
   * (`(#eq? @_name "Errorf")`) and should start with an underscore.
   */
  query?: string;
  /**
   * Alternatively, the syntax node types the rule inspects; the engine walks each declaration
   * once from JavaScript for all such rules and calls visit() for every node of these types.
   */
  nodeTypes?: readonly string[];
  /**
   * Alternatively, where the rule can apply, found by plain text search: every occurrence of one
   * of `text(file)` in a declaration (not inside a longer identifier) marks a
   * candidate, and the nearest enclosing node of one of `nodeTypes` around it, inside the innermost
   * block that holds it, is passed to visit() (once per node). For rules about calls of a few names (`Errorf`, `errors.New`, `os.`) this is far
   * cheaper than a query whose predicates run in JavaScript for every call in the file; visit()
   * must check the node itself, as it may be any enclosing node of that type.
   */
  anchors?: {
    text(file: FileFacts): readonly string[];
    nodeTypes: readonly string[];
    /**
     * An optional look at the text around an occurrence (at `at` in `text`) before the tree is
     * touched; `pkg` answers as RuleContext.pkg does (its lookups are recorded too).
     */
    accept?(text: string, at: number, anchor: string, file: FileFacts, pkg: PackageLookup): boolean;
    /**
     * Only an occurrence that starts the declaration counts (`func` of a function declaration,
     * `type`, `var`): the engine then reads the declaration's first word instead of searching its
     * whole text (a long function has dozens of `func`).
     */
    atStart?: boolean;
  };
  /**
   * Text a declaration must contain for the rule to apply to it (any one of them), such as
   * "Errorf" or "Lock(". Declarations without it skip the rule's query entirely: a plain string
   * search is far cheaper than matching patterns whose predicates run in JavaScript.
   */
  mustContain?: readonly string[];
  /**
   * Cheap precondition on the file (for example "imports fmt"); when it returns false the rule is
   * not dispatched for this file at all.
   */
  appliesTo?(file: FileFacts): boolean;
  visit(node: Node, ctx: RuleContext): void;
}

/** What a directive rule is shown of a directive that named rules and silenced none of their findings. */
export interface UnusedDirective {
  /** At offsets of the file. */
  directive: Directive;
  /** The codes it names that ran on the file and silenced nothing (in the order named). */
  unused: readonly string[];
  /** The text of the directive's line, without its line break, and where the line starts and the next begins. */
  line: string;
  lineStart: number;
  lineEnd: number;
  /** Whether the lines before and after it are blank (or absent), and where the line after it ends, its break included. */
  blankBefore: boolean;
  blankAfter: boolean;
  nextLineEnd: number;
  /** The code a rule code or name written in a directive stands for. */
  resolve(item: string): string | undefined;
}

/** A rule checked on a file's suppression directives once they are applied (GR901). */
export interface DirectiveRule extends RuleInfo {
  unusedDirective(use: UnusedDirective): (Report & { start: number; end: number }) | undefined;
}
