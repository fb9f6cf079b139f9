import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { LineIndex, pointAfter, treeEditFor } from '../server/src/text/positions';

describe('LineIndex (LSP positions, UTF-16)', () => {
  it('maps ASCII offsets and positions both ways', () => {
    const index = new LineIndex('package a\n\nfunc f() {}\n');
    assert.deepEqual(index.positionAt(0), { line: 0, character: 0 });
    assert.deepEqual(index.positionAt(11), { line: 2, character: 0 });
    assert.equal(index.offsetAt({ line: 2, character: 5 }), 16);
    assert.equal(index.lineCount, 4);
  });

  it('counts non-ASCII identifiers and strings in UTF-16 code units', () => {
    const text = 'var café = "世界"\nx := 1\n';
    const index = new LineIndex(text);
    const x = text.indexOf('x');
    assert.deepEqual(index.positionAt(text.indexOf('=')), { line: 0, character: 9 });
    assert.deepEqual(index.positionAt(text.indexOf('"', 12) + 1), { line: 0, character: 15 });
    assert.deepEqual(index.positionAt(x), { line: 1, character: 0 });
    assert.equal(index.offsetAt({ line: 0, character: 9 }), text.indexOf('='));
  });

  it('counts an emoji outside the BMP as two code units', () => {
    const text = 's := "😀x"';
    const index = new LineIndex(text);
    const xAt = text.indexOf('x');
    assert.equal(xAt, 8);
    assert.deepEqual(index.positionAt(xAt), { line: 0, character: 8 });
    assert.equal(index.offsetAt({ line: 0, character: 8 }), xAt);
  });

  it('treats tabs as one code unit', () => {
    const index = new LineIndex('func f() {\n\t\treturn\n}');
    assert.deepEqual(index.positionAt(13), { line: 1, character: 2 });
  });

  it('handles CRLF: the \\r belongs to the line break, not the content', () => {
    const text = 'a := 1\r\nb := 2\r\n';
    const index = new LineIndex(text);
    assert.equal(index.lineCount, 3);
    assert.deepEqual(index.positionAt(text.indexOf('b')), { line: 1, character: 0 });
    assert.deepEqual(index.positionAt(6), { line: 0, character: 6 });
    // An offset between \r and \n maps to the end of the line's content.
    assert.deepEqual(index.positionAt(7), { line: 0, character: 6 });
    assert.equal(index.offsetAt({ line: 0, character: 99 }), 6);
    assert.equal(index.lineText(1), 'b := 2');
  });

  it('clamps positions past the end of a line or the document, as LSP asks', () => {
    const index = new LineIndex('ab\ncd');
    assert.equal(index.offsetAt({ line: 0, character: 10 }), 2);
    assert.equal(index.offsetAt({ line: 9, character: 0 }), 5);
    assert.deepEqual(index.positionAt(99), { line: 1, character: 2 });
  });

  it('keeps tree-sitter rows separate from LSP lines when a lone \\r appears', () => {
    const text = 'a\rb\nc';
    const index = new LineIndex(text);
    assert.deepEqual(index.positionAt(2), { line: 1, character: 0 });
    assert.deepEqual(index.pointAt(2), { row: 0, column: 2 });
    assert.deepEqual(index.pointAt(4), { row: 1, column: 0 });
    assert.equal(index.offsetOfPoint({ row: 1, column: 0 }), 4);
  });

  it('round-trips every offset of a mixed text', () => {
    const text = 'package é\r\n\n// 世界 😀\r\nfunc f() {\n\ts := "a😀b"\n}\r\n';
    const index = new LineIndex(text);
    for (let offset = 0; offset <= text.length; offset++) {
      if (text[offset - 1] === '\r' && text[offset] === '\n') continue; // inside a CRLF
      assert.equal(index.offsetAt(index.positionAt(offset)), offset, `offset ${offset}`);
      assert.equal(index.offsetOfPoint(index.pointAt(offset)), offset, `point for offset ${offset}`);
    }
  });
});

describe('tree-sitter edits', () => {
  it('computes the end point of inserted text', () => {
    assert.deepEqual(pointAfter({ row: 2, column: 4 }, 'ab'), { row: 2, column: 6 });
    assert.deepEqual(pointAfter({ row: 2, column: 4 }, 'ab\ncde'), { row: 3, column: 3 });
    assert.deepEqual(pointAfter({ row: 0, column: 0 }, '😀\r\n'), { row: 1, column: 0 });
  });

  it('describes a replacement with old and new end positions', () => {
    const index = new LineIndex('ab\ncdef\n');
    const edit = treeEditFor(index, 4, 6, 'X\nYZ');
    assert.deepEqual(edit, {
      startIndex: 4,
      oldEndIndex: 6,
      newEndIndex: 8,
      startPosition: { row: 1, column: 1 },
      oldEndPosition: { row: 1, column: 3 },
      newEndPosition: { row: 2, column: 2 },
    });
  });
});

describe('LineIndex.withEdit equals a rebuilt index', () => {
  const pieces = ['a', 'é', '😀', '\n', '\r\n', '\r', '\t', 'func f() {}', '\n\n', '\r\r\n'];
  const build = (rng: () => number, n: number) => Array.from({ length: n }, () => pieces[Math.floor(rng() * pieces.length)]).join('');
  it('on random edits, CRLF and lone CR included', () => {
    let state = 12345;
    const rng = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let round = 0; round < 3000; round++) {
      const text = build(rng, Math.floor(rng() * 30));
      const start = Math.floor(rng() * (text.length + 1));
      const end = start + Math.floor(rng() * (text.length - start + 1));
      const insert = build(rng, Math.floor(rng() * 4));
      const edited = new LineIndex(text).withEdit(start, end, insert);
      const rebuilt = new LineIndex(text.slice(0, start) + insert + text.slice(end));
      assert.equal(edited.text, rebuilt.text);
      assert.equal(edited.lineCount, rebuilt.lineCount, JSON.stringify({ text, start, end, insert }));
      for (let line = 0; line < rebuilt.lineCount; line++) {
        assert.equal(edited.lineStart(line), rebuilt.lineStart(line), JSON.stringify({ text, start, end, insert, line }));
      }
      for (let offset = 0; offset <= rebuilt.text.length; offset++) {
        assert.deepEqual(edited.pointAt(offset), rebuilt.pointAt(offset), JSON.stringify({ text, start, end, insert, offset }));
      }
    }
  });
});
