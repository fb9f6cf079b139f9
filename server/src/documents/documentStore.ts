// The open Go documents, each with its incrementally maintained tree.
import { Parser } from 'web-tree-sitter';
import { GoDocument, rebuiltParsers, type ContentChange } from './goDocument';

export class DocumentStore {
  private readonly documents = new Map<string, GoDocument>();

  /** `log` hears of parser failures and rebuilds. */
  constructor(
    private parserValue: Parser,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /** The parser the documents share: a new one after a failure inside the old one (see recover). */
  get parser(): Parser {
    return this.parserValue;
  }

  open(uri: string, version: number, text: string): GoDocument {
    this.documents.get(uri)?.dispose();
    const doc = this.recover(new GoDocument(uri, version, text, this.parserValue));
    this.documents.set(uri, doc);
    return doc;
  }

  /**
   * A parser that threw (a trap inside wasm: "memory access out of bounds") may be left in a bad
   * state: it is replaced by a new parser for the same language, and the document parsed again
   * from scratch on it, once. If that fails too the document stays skipped with its reason (the
   * parser failed on this file) and the other documents are unaffected.
   */
  private recover(doc: GoDocument): GoDocument {
    if (doc.parserFailure === undefined) return doc;
    const failure = doc.parserFailure;
    const fresh = new Parser();
    fresh.setLanguage(this.parserValue.language);
    rebuiltParsers.add(fresh);
    this.parserValue = fresh;
    const retried = new GoDocument(doc.uri, doc.version, doc.text, fresh);
    doc.dispose();
    const outcome = retried.parserFailure === undefined ? 'parsed again on a new parser' : `failed again (${describe(retried.parserFailure)}): rubric checks skipped for it`;
    this.log(`the parser failed on ${doc.uri} (${describe(failure)}); it was rebuilt and the document ${outcome}`);
    return retried;
  }

  /**
   * Applies a change event. Returns undefined (and changes nothing) for a document that is not
   * open or a version older than the one held: LSP clients send versions in increasing order, so
   * an older one can only be a stale or duplicated message.
   */
  change(uri: string, version: number, changes: readonly ContentChange[]): GoDocument | undefined {
    const doc = this.documents.get(uri);
    if (!doc || version < doc.version) return undefined;
    doc.applyChanges(changes, version);
    const current = this.recover(doc);
    if (current !== doc) this.documents.set(uri, current);
    return current;
  }

  close(uri: string): void {
    this.documents.get(uri)?.dispose();
    this.documents.delete(uri);
  }

  get(uri: string): GoDocument | undefined {
    return this.documents.get(uri);
  }

  all(): GoDocument[] {
    return [...this.documents.values()];
  }

  dispose(): void {
    for (const doc of this.documents.values()) doc.dispose();
    this.documents.clear();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
