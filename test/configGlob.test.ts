import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compilePathGlob, isWithin, keyGlob, pathExcluder, type PathGlob } from '../server/src/config/glob';

function glob(pattern: string): PathGlob {
  const compiled = compilePathGlob(pattern);
  assert.ok(!('problem' in compiled), `${pattern}: ${'problem' in compiled ? compiled.problem : ''}`);
  return compiled;
}

/** Which of the paths the pattern matches. */
function matching(pattern: string, paths: readonly string[]): string[] {
  const g = glob(pattern);
  return paths.filter((p) => g.matches(p));
}

const PATHS = [
  'main.go',
  'x_mock.go',
  'store/store.go',
  'store/store_mock.go',
  'internal/gen/api.go',
  'internal/gen/v1/types.go',
  'internal/general.go',
  'pkg/internal/gen/deep.go',
  'gen/top.go',
  'docs/gen',
];

describe('exclude patterns', () => {
  it('a pattern without a slash matches at any depth', () => {
    assert.deepEqual(matching('*_mock.go', PATHS), ['x_mock.go', 'store/store_mock.go']);
    assert.deepEqual(matching('**/*_mock.go', PATHS), ['x_mock.go', 'store/store_mock.go']);
    assert.deepEqual(matching('main.go', PATHS), ['main.go']);
  });

  it('a pattern with a slash is anchored at the base folder', () => {
    assert.deepEqual(matching('internal/gen/**', PATHS), ['internal/gen/api.go', 'internal/gen/v1/types.go']);
    assert.deepEqual(matching('store/*.go', PATHS), ['store/store.go', 'store/store_mock.go']);
    assert.deepEqual(matching('./main.go', PATHS), ['main.go']);
    assert.deepEqual(matching('./*.go', PATHS), ['main.go', 'x_mock.go'], './ anchors a pattern without another slash');
  });

  it('a folder excludes what it holds; a trailing slash matches folders only', () => {
    assert.deepEqual(matching('internal/gen', PATHS), ['internal/gen/api.go', 'internal/gen/v1/types.go']);
    assert.deepEqual(matching('gen', PATHS), ['internal/gen/api.go', 'internal/gen/v1/types.go', 'pkg/internal/gen/deep.go', 'gen/top.go', 'docs/gen']);
    assert.deepEqual(matching('gen/', PATHS), ['internal/gen/api.go', 'internal/gen/v1/types.go', 'pkg/internal/gen/deep.go', 'gen/top.go']);
  });

  it('** spans any number of segments, none included; * and ? stay within one', () => {
    assert.deepEqual(matching('**/gen/**', PATHS), ['internal/gen/api.go', 'internal/gen/v1/types.go', 'pkg/internal/gen/deep.go', 'gen/top.go']);
    assert.deepEqual(matching('internal/**/types.go', PATHS), ['internal/gen/v1/types.go']);
    assert.deepEqual(matching('internal/**/api.go', PATHS), ['internal/gen/api.go']);
    assert.deepEqual(matching('internal/*.go', PATHS), ['internal/general.go']);
    assert.deepEqual(matching('internal/gen/?1/*', PATHS), ['internal/gen/v1/types.go']);
    assert.deepEqual(matching('ma?n.go', PATHS), ['main.go']);
    assert.deepEqual(matching('st*re/st**re.go', PATHS), ['store/store.go'], '** inside a segment is a plain *');
    assert.deepEqual(matching('**', PATHS), PATHS);
  });

  it('takes regular-expression characters literally', () => {
    assert.ok(glob('a.b(c)+.go').matches('a.b(c)+.go'));
    assert.ok(!glob('a.go').matches('abgo'));
    assert.ok(glob('*.go').matches('.hidden.go'), '* matches a leading dot, as in gitignore');
  });

  it('refuses absolute paths, escapes from the folder and syntax it does not have, saying why', () => {
    const problem = (pattern: string) => {
      const compiled = compilePathGlob(pattern);
      assert.ok('problem' in compiled, `${pattern} should be refused`);
      return compiled.problem;
    };
    assert.match(problem('/internal/gen/**'), /absolute.*write "internal\/gen\/\*\*"/);
    assert.match(problem('C:\\src\\x.go'), /absolute/);
    assert.match(problem('~/src'), /absolute/);
    assert.match(problem('../other/**'), /leaves the folder/);
    assert.match(problem('a/../../b'), /leaves the folder/);
    assert.match(problem('!keep.go'), /negation/);
    assert.match(problem('gen/[ab].go'), /"\[" is not supported/);
    assert.match(problem('*.{go,mod}'), /"\{" is not supported/);
    assert.match(problem('a\\*.go'), /"\\" is not supported/);
    assert.match(problem(''), /empty/);
    assert.match(problem('a//b'), /empty or "\." path segment/);
  });
});

describe('PathExcluder', () => {
  it('matches absolute paths relative to its base, and never a path outside it', () => {
    const base = join('/work', 'repo');
    const { excluder, problems } = pathExcluder(base, ['**/*_mock.go', 'internal/gen/**', '../escape.go']);
    assert.equal(problems.length, 1);
    assert.equal(excluder.globs.length, 2, 'the bad pattern is left out, the others kept');
    assert.ok(excluder.excludes(join(base, 'store', 'db_mock.go')));
    assert.ok(excluder.excludes(join(base, 'internal', 'gen', 'x.go')));
    assert.ok(!excluder.excludes(join(base, 'store', 'db.go')));
    assert.ok(!excluder.excludes(join('/work', 'other', 'db_mock.go')), 'outside the base folder');
    assert.ok(!excluder.excludes(base));
  });

  it('isWithin holds for the folder itself and what is inside it', () => {
    assert.ok(isWithin('/a/b', '/a/b'));
    assert.ok(isWithin('/a/b', '/a/b/c/d.go'));
    assert.ok(!isWithin('/a/b', '/a/bc'));
    assert.ok(!isWithin('/a/b', '/a'));
    assert.ok(isWithin('/a/b', '/a/b/..c'), 'a name starting with two dots is still inside');
  });
});

describe('rule key globs', () => {
  it('match whole codes or names, case-insensitively', () => {
    assert.ok(keyGlob('GR2*').test('GR201'));
    assert.ok(keyGlob('gr2*').test('GR201'));
    assert.ok(!keyGlob('GR2*').test('XGR201'));
    assert.ok(keyGlob('GR10?').test('GR101'));
    assert.ok(!keyGlob('GR10?').test('GR1011'));
    assert.ok(keyGlob('lock-*').test('lock-without-defer'));
    assert.ok(!keyGlob('GR1.1').test('GR101'), 'a dot is a dot');
  });
});
