// Turns a rule's Fix into concrete text edits (adding the imports it needs) and applies edits.
import type { FileFacts } from '../engine/fileFacts';
import type { Fix, TextEdit } from '../engine/types';
import { addImportEdit } from './addImport';

/** The edits of a fix against the current file, including the imports it needs. */
export function fixEdits(fix: Fix, file: FileFacts): TextEdit[] {
  const edits = [...fix.edits];
  for (const path of fix.imports ?? []) {
    const edit = addImportEdit(file, path);
    if (edit) edits.push(edit);
  }
  return edits.sort((a, b) => a.start - b.start || a.end - b.end);
}

export class OverlappingEditsError extends Error {}

/** Applies non-overlapping edits to a text. Insertions at the same offset keep their given order. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
  let out = '';
  let cursor = 0;
  for (const { e } of sorted) {
    if (e.start < cursor) throw new OverlappingEditsError(`overlapping edits at offset ${e.start}`);
    out += text.slice(cursor, e.start) + e.newText;
    cursor = e.end;
  }
  return out + text.slice(cursor);
}
