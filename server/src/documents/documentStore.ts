// The open Go documents, each with its incrementally maintained tree.
import type { Parser } from 'web-tree-sitter';
import { GoDocument, type ContentChange } from './goDocument';

export class DocumentStore {
  private readonly documents = new Map<string, GoDocument>();

  constructor(private readonly parser: Parser) {}

  open(uri: string, version: number, text: string): GoDocument {
    this.documents.get(uri)?.dispose();
    const doc = new GoDocument(uri, version, text, this.parser);
    this.documents.set(uri, doc);
    return doc;
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
    return doc;
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
