// How an open document is analyzed after each change: provisionally, on the edited declaration
// alone, while its parse is cut off or error-recovered (see Engine.analyzeProvisional), fully
// otherwise, always through the document's declaration cache.
import type { RuleConfig } from '../engine/config';
import { DeclarationCache, type AnalysisResult, type Engine } from '../engine/engine';
import type { GoDocument } from './goDocument';

/** Where a document is: its path on disk and its module's go version, when known. */
export interface DocumentPlace {
  path?: string;
  goVersion?: string;
}

export class DocumentAnalysis {
  readonly cache = new DeclarationCache();
  /** The document's change count when the cache was last filled (changes after it are pending). */
  private mark = -1;

  constructor(private readonly engine: Engine) {}

  /** Analyzes the document's current text. Undefined when it has no tree (skipped: too large, binary). */
  analyze(doc: GoDocument, config: RuleConfig, place: DocumentPlace = {}): AnalysisResult | undefined {
    const result = this.provisional(doc, config, place) ?? this.full(doc, config, place);
    if (result) this.mark = doc.changeCount;
    return result;
  }

  private provisional(doc: GoDocument, config: RuleConfig, place: DocumentPlace): AnalysisResult | undefined {
    if (!doc.parsePending && !doc.unsettled) return undefined;
    const changes = doc.changesSince(this.mark);
    if (!changes) return undefined;
    return this.engine.analyzeProvisional(
      { text: doc.text, lineIndex: doc.lineIndex, ...place },
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
    return this.engine.analyze(
      { text: doc.text, tree, lineIndex: doc.lineIndex, ...place, ...(changes ? { changes } : {}) },
      config,
      this.cache,
    );
  }
}
