// Computes the edit that adds an import to a Go file the way gofmt and goimports would leave it:
// into the standard-library group of an existing import block, in sorted position; a lone
// `import "x"` becomes a block; a file without imports gets one after its package clause.
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from '../engine/fileFacts';
import { stringLiteralValue } from '../engine/imports';
import { indentationAt, lineBreakOf } from '../engine/syntax';
import type { TextEdit } from '../engine/types';
import { lineEnd } from './statementEdits';

const isStdlib = (path: string): boolean => !path.split('/')[0]!.includes('.');


/** Offset of the start of the line containing `offset`. */
function startOfLine(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

export function addImportEdit(file: FileFacts, path: string): TextEdit | undefined {
  if (file.imports.specs.some((s) => s.path === path && s.localName !== '_')) return undefined;
  const { text, root } = file;
  const nl = lineBreakOf(text);
  const quoted = JSON.stringify(path);
  const decls = root.namedChildren.filter((c): c is Node => c?.type === 'import_declaration');

  const block = decls.find((d) => d.namedChildren.some((c) => c?.type === 'import_spec_list'));
  if (block) {
    const list = block.namedChildren.find((c) => c?.type === 'import_spec_list')!;
    const specs = list.namedChildren.filter((c): c is Node => c?.type === 'import_spec');
    if (specs.length === 0) {
      // `import ()`: replace the empty list.
      return { start: list.startIndex, end: list.endIndex, newText: `(${nl}\t${quoted}${nl})` };
    }
    // Specs on one line with `import (` cannot be edited cleanly line-wise; add a new declaration.
    if (specs.some((s) => startOfLine(text, s.startIndex) <= list.startIndex)) return separateDecl(file, decls, quoted, nl);
    const indent = indentationAt(text, specs[0]!.startIndex);
    // gofmt sorts each run of consecutive import lines; blank lines separate the runs (groups).
    const runs: Node[][] = [];
    for (const spec of specs) {
      const run = runs[runs.length - 1];
      const prev = run?.[run.length - 1];
      if (prev && !/\n[ \t]*\r?\n/.test(text.slice(prev.endIndex, spec.startIndex))) run!.push(spec);
      else runs.push([spec]);
    }
    const pathOf = (s: Node) => stringLiteralValue(s.childForFieldName('path')!) ?? '';
    const stdRun = runs.find((run) => run.every((s) => isStdlib(pathOf(s))));
    if (!stdRun) {
      // No standard-library group yet: start one at the top of the block.
      const at = startOfLine(text, specs[0]!.startIndex);
      return { start: at, end: at, newText: `${indent}${quoted}${nl}${nl}` };
    }
    const after = stdRun.find((s) => pathOf(s) > path);
    if (after) {
      const at = startOfLine(text, after.startIndex);
      return { start: at, end: at, newText: `${indent}${quoted}${nl}` };
    }
    const last = stdRun[stdRun.length - 1]!;
    const at = lineEnd(text, last.endIndex);
    return { start: at, end: at, newText: `${nl}${indent}${quoted}` };
  }

  const single = decls[0];
  if (single) {
    const spec = single.namedChildren.find((c) => c?.type === 'import_spec');
    // A comment inside or after the declaration would be moved; keep the edit simple instead.
    if (!spec || text.slice(single.endIndex, lineEnd(text, single.endIndex)).trim() !== '') {
      return separateDecl(file, decls, quoted, nl);
    }
    const existingPath = stringLiteralValue(spec.childForFieldName('path')!) ?? '';
    const existing = spec.text;
    let body: string;
    if (isStdlib(existingPath) === isStdlib(path)) {
      body = existingPath < path ? `\t${existing}${nl}\t${quoted}` : `\t${quoted}${nl}\t${existing}`;
    } else {
      body = isStdlib(path) ? `\t${quoted}${nl}${nl}\t${existing}` : `\t${existing}${nl}${nl}\t${quoted}`;
    }
    return { start: single.startIndex, end: single.endIndex, newText: `import (${nl}${body}${nl})` };
  }

  const pkg = root.namedChildren.find((c) => c?.type === 'package_clause');
  if (!pkg) return undefined;
  const at = lineEnd(text, pkg.endIndex);
  return { start: at, end: at, newText: `${nl}${nl}import ${quoted}` };
}

/** Adds `import "path"` as its own declaration after the last import declaration. */
function separateDecl(file: FileFacts, decls: Node[], quoted: string, nl: string): TextEdit {
  const last = decls[decls.length - 1]!;
  const at = lineEnd(file.text, last.endIndex);
  return { start: at, end: at, newText: `${nl}${nl}import ${quoted}` };
}
