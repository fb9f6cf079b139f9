// Suppression directives as RULES.md and README's "Silencing a finding" specify them: rubric
// line and file directives, golangci-lint's nolint with its scope rules (the comment group's
// lines, widened to the node it stands above at its column), and the edits of the "Ignore"
// quick fixes, whose results must stay gofmt-clean.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeText } from '../server/src/analysis/analyzer';
import { readNolintComment, readRubricComment } from '../server/src/engine/suppression';
import { insideMultilineToken } from '../server/src/engine/syntax';
import { applyEdits } from '../server/src/fixes/applyFix';
import { ignoreInFileEdit, ignoreOnLineEdit } from '../server/src/fixes/ignoreDirective';
import { replacementEdit } from '../server/src/lsp/codeActions';
import { LineIndex } from '../server/src/text/positions';
import { config, engine, sharedParser } from './helpers/engine';

/** The 1-based lines of the findings of `code` in a source. */
async function linesOf(source: string, code = 'GR101'): Promise<number[]> {
  const result = analyzeText(await sharedParser(), engine, config, source, '/w/p/p.go');
  return result.findings.filter((f) => f.code === code).map((f) => result.lineIndex.positionAt(f.start).line + 1);
}

/** The 1-based line of a text's first occurrence of `needle`. */
function lineOf(source: string, needle: string): number {
  return source.slice(0, source.indexOf(needle)).split('\n').length;
}

/** Two GR101 findings (on the lines of "a: %v" and "b: %v") for the cases to silence. */
const TWO = (before: string, between = '', after = '') => `package p

import "fmt"

${before}func a(err error) error {
	return fmt.Errorf("a: %v", err)${between}
}
${after}func b(err error) error {
	return fmt.Errorf("b: %v", err)
}
`;

describe('reading directives', () => {
  it('splits a rubric directive into its word, its list and its reason, with a // before the reason allowed', () => {
    assert.deepEqual(readRubricComment('//rubric:ignore GR101,lock-without-defer the reason'), {
      kind: 'ignore',
      items: [
        { text: 'GR101', start: 16 },
        { text: 'lock-without-defer', start: 22 },
      ],
      reason: 'the reason',
    });
    assert.equal(readRubricComment('//rubric:ignore GR101 // the reason')?.reason, 'the reason');
    assert.deepEqual(readRubricComment('//rubric:ignore // why')?.items, []);
    assert.equal(readRubricComment('// rubric:ignore GR101 x'), undefined);
  });

  it('reads nolint as golangci-lint does: leading slashes and spaces trimmed, the list up to //, all', () => {
    assert.deepEqual(readNolintComment('//nolint'), { all: true, items: [] });
    assert.deepEqual(readNolintComment('// nolint:all'), { all: true, items: [] });
    assert.deepEqual(readNolintComment('//nolint:errcheck, GR101 // why')?.items, [
      { text: 'errcheck', start: 9 },
      { text: 'gr101', start: 19 },
    ]);
    assert.deepEqual(readNolintComment('//nolint:errcheck,all'), { all: true, items: [] });
    assert.equal(readNolintComment('//nolintlint'), undefined);
    assert.equal(readNolintComment('// no lint here'), undefined);
  });
});

describe('what directives silence', () => {
  it('a trailing nolint silences its line, when it names all linters, gorubric, or the rule by code or name', async () => {
    for (const directive of ['//nolint', '//nolint:all', '//nolint:gorubric', '//nolint:errcheck,GR101 // why', '// nolint:errorf-wrap-verb', '//nolint:Gr101']) {
      assert.deepEqual(await linesOf(TWO('', ` ${directive}`)), [9], directive);
    }
    assert.deepEqual(await linesOf(TWO('', ' //nolint:errcheck')), [6, 9], 'another linter only');
  });

  it('a nolint group above a declaration at its column silences the whole declaration, a doc comment included', async () => {
    for (const group of ['//nolint:GR101\n', '// a wraps err.\n//\n//nolint:GR101 // the cause stays private\n']) {
      const source = TWO(group);
      assert.deepEqual(await linesOf(source), [lineOf(source, '"b: %v"')], group);
    }
    // A blank line between: the group covers its own lines only.
    const apart = TWO('//nolint:GR101\n\n');
    assert.deepEqual(await linesOf(apart), [lineOf(apart, '"a: %v"'), lineOf(apart, '"b: %v"')]);
  });

  it('a nolint above the package clause silences the whole file', async () => {
    assert.deepEqual(await linesOf(`//nolint:gorubric\n${TWO('')}`), []);
    assert.deepEqual(await linesOf(`//nolint:gorubric\n\n${TWO('')}`), [8, 11]);
  });

  it('a nolint above a statement silences the statement; at another column, only its own line', async () => {
    const source = (comment: string) => `package p

import "fmt"

func a(err error) error {
${comment}
	if err != nil {
		return fmt.Errorf("a: %v", err)
	}
	return fmt.Errorf("b: %v", err)
}
`;
    assert.deepEqual(await linesOf(source('\t//nolint:GR101')), [10]);
    assert.deepEqual(await linesOf(source('\t\t//nolint:GR101')), [8, 10]);
  });

  it("a trailing comment ends its group: a nolint on the next line stands alone above the statement after it", async () => {
    const source = `package p

import "fmt"

func a(err error) error {
	x := 1 // one
	//nolint:GR101
	if x > 0 {
		return fmt.Errorf("a: %v", err)
	}
	return nil
}
`;
    assert.deepEqual(await linesOf(source), []);
  });

  it('rubric directives by code or name, with the reason after //, on the line, above it, and for the file', async () => {
    assert.deepEqual(await linesOf(TWO('', ' //rubric:ignore errorf-wrap-verb // the cause stays private')), [9]);
    assert.deepEqual(await linesOf(TWO('//rubric:file-ignore GR101 wrapping is decided by the caller\n\n')), []);
  });

  it('GR901 leaves nolint alone, and reports a rubric directive once its finding is gone', async () => {
    assert.deepEqual(await linesOf(TWO('', '', '//nolint:GR101\n\n'), 'GR901'), []);
    const stale = TWO('', ' //rubric:ignore GR101 private').replace('return fmt.Errorf("a: %v", err)', 'return fmt.Errorf("a: %w", err)');
    assert.deepEqual(await linesOf(stale, 'GR901'), [6]);
  });

  it('GR902 requires a reason', async () => {
    assert.deepEqual(await linesOf(TWO('', ' //rubric:ignore GR101'), 'GR902'), [6]);
    assert.deepEqual(await linesOf(TWO('', ' //rubric:ignore GR101 //'), 'GR902'), [6]);
    assert.deepEqual(await linesOf(TWO('', ' //rubric:ignore GR101'), 'GR101'), [9], 'it still silences');
  });
});

const GOFMT = '/usr/lib/go-1.19/bin/gofmt';

/** Applies an ignore edit, checks the file is gofmt-clean and that the finding is silenced by it with no GR901/GR902 but the reason placeholder's. */
async function applyIgnore(source: string, edit: ReturnType<typeof ignoreOnLineEdit>): Promise<string> {
  assert.ok(edit, 'an edit');
  const fixed = applyEdits(source, [edit]);
  if (existsSync(GOFMT)) {
    const dir = mkdtempSync(join(tmpdir(), 'gorubric-ignore-'));
    try {
      writeFileSync(join(dir, 'p.go'), fixed);
      assert.equal(execFileSync(GOFMT, ['-l', dir], { encoding: 'utf8' }), '', `not gofmt-clean:\n${fixed}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return fixed;
}

describe('the Ignore quick fixes', () => {
  const SOURCE = TWO('// a wraps err.\n');
  const index = new LineIndex(SOURCE);
  const at = SOURCE.indexOf('%v');
  const never = () => false;

  it('puts a line directive with a reason placeholder above the finding, indented as its line', async () => {
    const fixed = await applyIgnore(SOURCE, ignoreOnLineEdit(index, at, 'GR101', never));
    assert.match(fixed, /\n\t\/\/rubric:ignore GR101 TODO reason\n\treturn fmt\.Errorf\("a: %v"/);
    assert.deepEqual(await linesOf(fixed), [lineOf(fixed, '"b: %v"')]);
    assert.deepEqual(await linesOf(fixed, 'GR901'), []);
  });

  it('adds the code to a directive that is already there, and offers nothing when it is named', async () => {
    const named = SOURCE.replace('\treturn fmt.Errorf("a', '\t//rubric:ignore GR102 why\n\treturn fmt.Errorf("a');
    const fixed = applyEdits(named, [ignoreOnLineEdit(new LineIndex(named), named.indexOf('%v'), 'GR101', never)!]);
    assert.match(fixed, /\/\/rubric:ignore GR102,GR101 why\n/);
    assert.equal(ignoreOnLineEdit(new LineIndex(fixed), fixed.indexOf('%v'), 'GR101', never), undefined);
    const trailing = SOURCE.replace('"a: %v", err)', '"a: %v", err) //rubric:ignore GR102 why');
    assert.match(applyEdits(trailing, [ignoreOnLineEdit(new LineIndex(trailing), trailing.indexOf('%v'), 'GR101', never)!]), /err\) \/\/rubric:ignore GR102,GR101 why/);
  });

  it('sets a directive above a documented top-level declaration off with //, where gofmt puts it', async () => {
    const fixed = await applyIgnore(SOURCE, ignoreOnLineEdit(index, SOURCE.indexOf('func a'), 'GR116', never));
    assert.match(fixed, /\/\/ a wraps err\.\n\/\/\n\/\/rubric:ignore GR116 TODO reason\nfunc a/);
  });

  it('keeps CRLF line breaks, and trails the line when its start is inside a raw string', async () => {
    const crlf = SOURCE.replace(/\n/g, '\r\n');
    const edit = ignoreOnLineEdit(new LineIndex(crlf), crlf.indexOf('%v'), 'GR101', never)!;
    assert.equal(edit.newText, '\t//rubric:ignore GR101 TODO reason\r\n');
    const raw = 'package p\n\nvar x = `a\nb` + y\n';
    const parser = await sharedParser();
    const tree = parser.parse(raw)!;
    try {
      const inside = (offset: number) => insideMultilineToken(tree.rootNode.descendantForIndex(offset), offset);
      const trailingEdit = ignoreOnLineEdit(new LineIndex(raw), raw.indexOf('y'), 'GR111', inside)!;
      assert.equal(applyEdits(raw, [trailingEdit]), 'package p\n\nvar x = `a\nb` + y //rubric:ignore GR111 TODO reason\n');
    } finally {
      tree.delete();
    }
  });

  it('puts a file directive after the package clause, apart from any doc comment, or extends the one there', async () => {
    const clauseEnd = SOURCE.indexOf('\n');
    const fixed = await applyIgnore(SOURCE, ignoreInFileEdit(index, clauseEnd, 'GR101'));
    assert.ok(fixed.startsWith('package p\n\n//rubric:file-ignore GR101 TODO reason\n\nimport "fmt"\n'), fixed);
    assert.deepEqual(await linesOf(fixed), []);
    const tight = 'package p\nimport "fmt"\n\nvar _ = fmt.Sprint()\n';
    assert.ok((await applyIgnore(tight, ignoreInFileEdit(new LineIndex(tight), 9, 'GR101'))).startsWith('package p\n\n//rubric:file-ignore GR101 TODO reason\n\nimport'));
    const again = applyEdits(fixed, [ignoreInFileEdit(new LineIndex(fixed), clauseEnd, 'GR102')!]);
    assert.match(again, /\/\/rubric:file-ignore GR101,GR102 TODO reason\n/);
    assert.equal(ignoreInFileEdit(new LineIndex(again), clauseEnd, 'GR102'), undefined);
  });
});

describe('one replacement edit for a whole-file fix', () => {
  it('covers the span between the common prefix and suffix, never splitting a CRLF or a surrogate pair', () => {
    assert.deepEqual(replacementEdit('abcdef', 'abXYef'), { start: 2, end: 4, newText: 'XY' });
    assert.equal(replacementEdit('same', 'same'), undefined);
    const crlf = replacementEdit('a\r\nb', 'a\r\r\nb')!;
    assert.equal(applyEdits('a\r\nb', [crlf]), 'a\r\r\nb');
    assert.notEqual('a\r\nb'.charCodeAt(crlf.start - 1), 13);
    const emoji = replacementEdit('x😀y', 'x😃y')!;
    assert.deepEqual(emoji, { start: 1, end: 3, newText: '😃' });
  });
});
