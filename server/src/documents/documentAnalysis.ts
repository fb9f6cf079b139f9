// How an open document is analyzed after each change, always through its declaration cache:
// from its tree when that parsed cleanly, or with errors that stayed in the edited declarations
// (a contained analysis); provisionally, on the edited declarations parsed alone, while the parse
// is cut off or error recovery reached further (see Engine.analyzeProvisional).
import type { RuleConfig } from '../engine/config';
import type { PackageSource } from '../engine/packageView';
import type { Tree } from 'web-tree-sitter';
import { DeclarationCache, textEdits, type AnalysisInput, type AnalysisResult, type Engine, type TextChange } from '../engine/engine';
import type { GoDocument } from './goDocument';

/** Where a document is: its path on disk and its module's go version, when known. */
export interface DocumentPlace {
  path?: string;
  goVersion?: string;
  /** No go.mod in any folder above the file (GR001). */
  noGoMod?: boolean;
  /** The package's other files (the server's workspace index). */
  packages?: PackageSource;
}

export class DocumentAnalysis {
  readonly cache = new DeclarationCache();
  /** The document's change count when the cache was last filled (changes after it are pending). */
  private mark = -1;

  constructor(private readonly engine: Engine) {}

  /** Analyzes the document's current text. Undefined when it has no tree (skipped: too large, binary). */
  analyze(doc: GoDocument, config: RuleConfig, place: DocumentPlace = {}): AnalysisResult | undefined {
    const result = this.contained(doc, config, place) ?? this.provisional(doc, config, place) ?? this.full(doc, config, place);
    if (result) this.mark = doc.changeCount;
    return result;
  }

  /**
   * A complete incremental parse with syntax errors whose error recovery stayed inside the edited
   * declarations: the tree at hand is as good as the edited region parsed alone, and re-parsing
   * that region (a long function) would cost more than the keystroke's whole parse.
   */
  private contained(doc: GoDocument, config: RuleConfig, place: DocumentPlace): AnalysisResult | undefined {
    if (doc.parsePending || !doc.unsettled || this.mark < 0) return undefined;
    const tree = doc.tree;
    const changes = doc.changesSince(this.mark);
    // An error-free tree that descends from a broken one (the keystroke that repaired it, and
    // those after it until edits pause) is analyzed as any error-free tree is.
    if (!tree?.rootNode.hasError || !changes) return undefined;
    return this.engine.analyze(input(doc, tree, place, changes, true), config, this.cache);
  }

  private provisional(doc: GoDocument, config: RuleConfig, place: DocumentPlace): AnalysisResult | undefined {
    if (!doc.parsePending && !(doc.unsettled && doc.tree?.rootNode.hasError)) return undefined;
    const all = doc.changesSince(this.mark);
    const changes = all && textEdits(all);
    if (!changes) return undefined;
    // The tree, when the incremental parse finished: a region that cannot parse cleanly is checked on it.
    const tree = doc.parsePending ? undefined : doc.tree;
    return this.engine.analyzeProvisional(
      { text: doc.text, tree, path: place.path, goVersion: place.goVersion, noGoMod: place.noGoMod, lineIndex: doc.lineIndex, packages: place.packages },
      config,
      this.cache,
      changes,
      (text) => doc.parseAlone(text),
    );
  }

  private full(doc: GoDocument, config: RuleConfig, place: DocumentPlace): AnalysisResult | undefined {
    const tree = doc.tree;
    if (!tree) return undefined;
    const changes = this.mark >= 0 ? doc.changesSince(this.mark) : undefined;
    return this.engine.analyze(input(doc, tree, place, changes, false), config, this.cache);
  }
}

/**
 * The engine's input, every field present (undefined when unknown) and in one order: objects of
 * one shape keep the engine's optimized code from being thrown away when a document without a
 * path or go.mod comes along (V8 deoptimizes code that met one shape on meeting another).
 */
function input(doc: GoDocument, tree: Tree, place: DocumentPlace, changes: readonly TextChange[] | undefined, requireContained: boolean): AnalysisInput {
  return {
    text: doc.text,
    tree,
    path: place.path,
    goVersion: place.goVersion,
    noGoMod: place.noGoMod,
    lineIndex: doc.lineIndex,
    changes,
    requireContained,
    packages: place.packages,
    applicable: false,
    unsettled: doc.unsettled,
  };
}
