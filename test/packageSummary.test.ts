// The lexical package summary: what a file declares at top level, as the package index records it.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ImportTable } from '../server/src/engine/imports';
import { AMBIGUOUS, parseTypeShape, summarizeDeclaration, summarizeFile } from '../server/src/engine/packageSummary';
import { ownSummary } from '../server/src/engine/packageView';

const FILE = [
  'package store // a comment',
  '',
  'import (',
  '\t"context"',
  '\tstdio "io"',
  '\t_ "embed"',
  ')',
  '',
  '/* func commented() error */',
  'func Open(path string) (*Store, error) { if x { return nil, nil }; s := "}"; _ = s; return nil, nil }',
  'func Close() error { return nil }',
  'func named(a, b int) (n, m int, err error) { return }',
  'func none(s *Store, r stdio.Reader, opts ...Option, list []Reader) {}',
  'func generic[T any, U comparable](x T) (Pair[T, U], error) { return Pair[T, U]{}, nil }',
  'func (s *Store) Get(ctx context.Context, key string) ([]byte, error) { return nil, nil }',
  'func (p Pair[K, V]) Key() K { return p.k }',
  'func (Store) unnamed() (x []int) { return }',
  'func fn() func() error { return nil }',
  'func lit() interface{ Close() error } { return nil }',
  'func asm(x int) int',
  '',
  'type (',
  '\tReader interface {',
  '\t\tRead(p []byte) (n int, err error)',
  '\t\tstdio.Closer',
  '\t\tLocal',
  '\t\tother.Thing',
  '\t}',
  '\tStore struct {',
  '\t\t*base',
  '\t\tstdio.Writer `json:"w"`',
  '\t\tmu, nu int',
  '\t\tarr [3]int',
  '\t\tGen[int]',
  '\t\tfn func() (int, error)',
  '\t}',
  ')',
  '',
  'type Number interface {',
  '\t~int | ~float64',
  '\tString() string',
  '}',
  '',
  'type Pair[K comparable, V any] struct{ k K; v V }',
  'type Bytes [4]byte',
  'type Alias = Store',
  'var v = func() error { type fake interface{}; return nil }',
  '',
].join('\n');

describe('package summary', () => {
  it('reads functions, methods and types from a file', () => {
    const summary = summarizeFile(FILE);
    assert.equal(summary.packageName, 'store');
    assert.deepEqual(Object.fromEntries(summary.entries), {
      'f:Open': '.e',
      // The results' types where some is a plain type name, for knownCalls' own error types.
      'x:Open': '*Store,',
      'f:Close': 'e',
      'f:named': '..e',
      'f:none': '',
      'f:generic': '.e',
      'x:generic': 'Pair,',
      'm:Store.Get': '.e',
      'n:Get': '',
      'm:Pair.Key': '.',
      'n:Key': '',
      'm:Store.unnamed': '.',
      'n:unnamed': '',
      'f:fn': '.',
      'f:lit': '.',
      'f:asm': '.',
      'u:Store': '',
      'u:Option': '',
      'u:Reader': '',
      'u:T': '',
      // An interface's methods' results too, for calls on variables of the interface type.
      'm:Reader.Read': '.e',
      'n:Read': '',
      't:Reader': 'iRead|io.Closer,Local,?other.Thing',
      't:Store': 'sbase,io.Writer,Gen',
      // The package's types a struct holds by value (not through a pointer), for copied locks.
      'k:Store': 'Gen',
      // Its fields' types, when named and not a standard type without a lock (GR215 follows
      // `x.field`); by field name too, held by value.
      'l:Store.base': '*base',
      'l:Store.Gen': 'Gen',
      'o:Gen': 'Gen',
      'k:Pair': '',
      'm:Number.String': '.',
      'n:String': '',
      't:Number': 'iString|',
      't:Pair': 's',
      't:Bytes': 'o',
      't:Alias': 'o',
    });
  });

  it('records the locks a struct holds by value, directly or through its own types', () => {
    const file = [
      'package locks',
      'import (\n\tstd "sync"\n\t"example.com/sync"\n)',
      'type C struct {\n\tmu std.Mutex\n\twg *std.WaitGroup\n\tstd.Once\n\ts, t other\n\tp *other\n\tx sync.Mutex\n}',
      'type D struct {\n\tc C\n\tn int\n}',
      'type E struct{ wg *std.WaitGroup }',
      'type other struct{ n int }',
    ].join('\n\n');
    const keys = Object.fromEntries(summarizeFile(file).entries.filter(([k]) => k.startsWith('k:')));
    // `sync` here is another package whose default name is sync: only the import of "sync" counts.
    assert.deepEqual(keys, { 'k:C': '!,other', 'k:D': 'C', 'k:E': '', 'k:other': '' });
  });

  it('records types defined as locks (k:) and Lock/Unlock methods on a pointer (p:)', () => {
    const file = [
      'package locks',
      'import std "sync"',
      'type once std.Once',
      'type mu = std.Mutex',
      'type ptr *std.Mutex',
      'type G[T any] std.Mutex',
      'type spin struct{ n int32 }',
      'func (s *spin) Lock() {}',
      'func (s *spin) Unlock() {}',
      'func (s spin) TryLock() bool { return false }',
      'type h struct{}',
      'func (x h) Lock() {}',
      'func (x *h) Unlock(n int) {}',
    ].join('\n\n');
    const entries = summarizeFile(file).entries.filter(([k]) => k.startsWith('k:') || k.startsWith('p:'));
    assert.deepEqual(Object.fromEntries(entries), { 'k:once': '!', 'k:mu': '!', 'k:spin': '', 'k:h': '', 'p:spin.Lock': '', 'p:spin.Unlock': '' });
  });

  it("records struct fields' types (l:, o:) and the locks standard types hold (k:)", () => {
    const file = [
      'package req',
      'import (\n\t"sync"\n\tz "archive/zip"\n\t"sync/atomic"\n\t"strings"\n)',
      'type state struct {\n\tmu sync.RWMutex\n\topen bool\n}',
      'type Request struct {\n\tMethod string\n\tstate\n\tparent, next *state\n\tr z.Reader\n\tn atomic.Int64\n\tb strings.Builder\n\tq *other.T\n\tarr [2]state\n\t_ state\n\tfn func()\n}',
      'type G[T any] struct {\n\tv T\n\ts state\n\tmu sync.Mutex\n}',
    ].join('\n\n');
    const keys = Object.fromEntries(summarizeFile(file).entries.filter(([k]) => /^[klo]:/.test(k)));
    assert.deepEqual(keys, {
      'k:state': '!',
      'l:state.mu': 'sync.RWMutex',
      'o:mu': 'sync.RWMutex',
      // zip.Reader (a sync.Once inside) and atomic.Int64 (a noCopy) hold locks; strings.Builder does
      // not, and its fields are not known: it leads nowhere.
      'k:Request': '!,state',
      'l:Request.state': 'state',
      'o:state': 'state',
      'l:Request.parent': '*state',
      'l:Request.next': '*state',
      'l:Request.r': 'archive/zip.Reader',
      'o:r': 'archive/zip.Reader',
      'l:Request.n': 'sync/atomic.Int64',
      'o:n': 'sync/atomic.Int64',
      'l:Request.q': '*?other.T',
      // A generic struct's fields may be of its type parameters: only its standard locks count.
      'k:G': '!',
    });
  });

  it("records methods' results of the package's types (x:), as for functions", () => {
    const file = 'package req\n\nfunc (s *Server) get(h string) (*Request, bool) { return nil, false }\n\nfunc (s Server) name() string { return "" }\n\nfunc (l List[T]) first() T { return l.items[0] }\n';
    const keys = Object.fromEntries(summarizeFile(file).entries.filter(([k]) => k.startsWith('x:')));
    assert.deepEqual(keys, { 'x:Server.get': '*Request,' });
  });

  it('records package variables made as channels, and whether they have a buffer (c:)', () => {
    const file = [
      'package sigs',
      'var sigs = make(chan os.Signal)',
      'var (\n\tzero = make(chan struct{}, 0)\n\tqueue, _, done = make(chan []int, n+1), 1, make(<-chan int)\n\tf = func() { x := make(chan int); _ = x }\n)',
      'var typed chan error = make(chan error, 1)',
      'var m = make(map[string]int)',
      'var later = make(chan int) // comment\nfunc after() {}',
    ].join('\n\n');
    const keys = Object.fromEntries(summarizeFile(file).entries.filter(([k]) => k.startsWith('c:')));
    assert.deepEqual(keys, { 'c:sigs': '0', 'c:zero': '0', 'c:queue': 'b', 'c:typed': 'b', 'c:later': '0' });
    const imports = new ImportTable([]);
    assert.deepEqual(summarizeDeclaration('var_declaration', 'var c = make(chan int)', imports), [['c:c', '0']]);
  });

  it('records top-level names that are standard package names, which an import would collide with (d:)', () => {
    const file = [
      'package scan',
      'var errors = []string{}',
      'var (\n\tfmt, count = 1, 2\n\tlog int\n)',
      'const (\n\tsort = iota\n\tother\n)',
      'const time = 1',
      'type strings struct{}',
      'func bytes() {}',
      'func (s *S) io() {}',
      'func f() { var os = 1; _ = os }',
    ].join('\n\n');
    const keys = summarizeFile(file).entries.filter(([k]) => k.startsWith('d:')).map(([k]) => k);
    assert.deepEqual(keys.sort(), ['d:bytes', 'd:errors', 'd:fmt', 'd:log', 'd:sort', 'd:strings', 'd:time']);
    assert.deepEqual(summarizeDeclaration('const_declaration', 'const errors = 2', new ImportTable([])), [['d:errors', '']]);
  });

  it('records bodies that stop servers or handle signals, and that serve http.DefaultServeMux publicly', () => {
    const g = (text: string) => summarizeFile(`package main\n\n${text}\n`).entries.filter(([k]) => k.startsWith('g:')).map(([k]) => k);
    assert.deepEqual(g('func stop(ctx context.Context) { _ = srv.Shutdown(ctx) }'), ['g:shutdown']);
    assert.deepEqual(g('func wait() { signal.Notify(c, os.Interrupt) }'), ['g:shutdown']);
    assert.deepEqual(g('func Run() Result { ctx, _ := signal.NotifyContext(ctx, os.Interrupt); return Result{} }'), ['g:shutdown']);
    assert.deepEqual(g('func main() { log.Fatal(http.ListenAndServe(":8080", nil)) }'), ['g:defaultmux']);
    assert.deepEqual(g('func main() { http.ListenAndServe(*addr, nil) }'), ['g:defaultmux']);
    assert.deepEqual(g('func main() { http.ListenAndServeTLS(addr, "c", "k", nil) }'), ['g:defaultmux']);
    assert.deepEqual(g('func main() { http.Serve(ln, nil) }'), ['g:defaultmux']);
    assert.deepEqual(g('func main() { http.ListenAndServe("localhost:6060", nil) }'), []);
    assert.deepEqual(g('func main() { http.ListenAndServe(":8080", mux) }'), []);
    assert.deepEqual(g('func main() { srv.Close() }'), []);
    const alone = summarizeDeclaration('function_declaration', 'func main() {\n\tgo http.ListenAndServe(":6060", nil)\n\t<-stop\n\tsrv.Shutdown(ctx)\n}', new ImportTable([]));
    assert.deepEqual(alone.filter(([k]) => k.startsWith('g:')).map(([k]) => k), ['g:shutdown', 'g:defaultmux']);
  });

  it('gives a declaration alone the entries it has in its file', () => {
    const imports = new ImportTable([{ path: 'io', localName: 'stdio', aliased: true }]);
    const decl = 'type Reader interface {\n\tRead(p []byte) (n int, err error)\n\tstdio.Closer\n}';
    assert.deepEqual(summarizeDeclaration('type_declaration', decl, imports), [
      ['m:Reader.Read', '.e'],
      ['n:Read', ''],
      ['t:Reader', 'iRead|io.Closer'],
    ]);
    assert.deepEqual(summarizeDeclaration('var_declaration', 'var x = 1', imports), []);
    assert.deepEqual(parseTypeShape('iRead|io.Closer'), { kind: 'interface', methods: ['Read'], embeds: ['io.Closer'] });
    assert.deepEqual(parseTypeShape('s'), { kind: 'struct', embeds: [] });
  });

  it("counts the elements of an embedded interface literal as the interface's own", () => {
    const text = 'package p\n\nimport "io"\n\ntype Literal interface {\n\tinterface {\n\t\tA()\n\t\tio.Closer\n\t}\n\tD()\n}\n\ntype After interface{ G() }\n';
    assert.deepEqual(summarizeFile(text).entries, [
      ['m:Literal.A', ''],
      ['n:A', ''],
      ['m:Literal.D', ''],
      ['n:D', ''],
      ['t:Literal', 'iA,D|io.Closer'],
      ['m:After.G', ''],
      ['n:G', ''],
      ['t:After', 'iG|'],
    ]);
  });

  it('records what the exported functions returning one of the package types build (GR116 families)', () => {
    const text = [
      'package p',
      'func NewStore(dir string) Store {\n\treturn &diskStore{dir: dir}\n}',
      'func Open(dir string) (Store, error) {\n\tif dir == "" {\n\t\treturn nil, errEmpty\n\t}\n\treturn &diskStore{dir: dir}, nil\n}',
      'func Choose(fast bool) Store {\n\tif fast {\n\t\treturn memStore{}\n\t}\n\treturn &diskStore{}\n}',
      'func Default() Store { return shared }',
      'func newStore() Store { return &diskStore{} }',
      'func New() Store { return new(diskStore) }',
      'func Odd() Store { return new(struct{ diskStore }) }',
      '',
    ].join('\n\n');
    const entries = summarizeFile(text).entries.filter(([key]) => key.startsWith('r:'));
    assert.deepEqual(entries, [['r:Store', '*diskStore'], ['r:Store', '*diskStore'], ['r:Store', '?'], ['r:Store', '?'], ['r:Store', '*diskStore'], ['r:Store', '?']]);
    // After new(...) of anything else the scan is still in step: the next declaration is read.
    assert.deepEqual(
      summarizeFile('package p\n\nfunc Odd() Store { return new(struct{ x int }) }\n\nfunc Next() error { return nil }\n').entries.filter(([key]) => key.startsWith('f:')),
      [['f:Odd', '.'], ['f:Next', 'e']],
    );
    // Constructors of the same type agree; a family (or one that chooses) makes the answer ambiguous.
    assert.equal(ownSummary([entries.slice(0, 2)]).get('r:Store'), '*diskStore');
    assert.equal(ownSummary([entries]).get('r:Store'), AMBIGUOUS);
    // The same entry for the declaration alone (the editor's path).
    const alone = summarizeDeclaration('function_declaration', 'func NewStore(dir string) Store {\n\treturn &diskStore{dir: dir}\n}', new ImportTable([]));
    assert.deepEqual(alone.filter(([key]) => key.startsWith('r:')), [['r:Store', '*diskStore']]);
  });

  it('records which types have Error() string, and whether on the pointer (e:)', () => {
    const text = [
      'package p',
      'func (e *PathError) Error() string { return e.Path }',
      'func (c code) Error() (s string) { return "code" }',
      'func (l *Logger) Error(msg string) string { return msg }',
      'func (r Result) Error() error { return nil }',
      'func (b *Box[T]) Error() string { return "box" }',
      '',
    ].join('\n\n');
    const entries = summarizeFile(text).entries.filter(([key]) => key.startsWith('e:'));
    assert.deepEqual(entries, [['e:PathError', '*'], ['e:code', ''], ['e:Box', '*']]);
  });

  it('handles CRLF line breaks and unterminated text without throwing', () => {
    const crlf = summarizeFile(FILE.replace(/\n/g, '\r\n'));
    assert.deepEqual(crlf, summarizeFile(FILE));
    for (let cut = 0; cut < FILE.length; cut += 37) summarizeFile(FILE.slice(0, cut));
  });
});
