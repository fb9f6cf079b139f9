// Proverbs and guides the hovers quote, with their links. Shared so each rule names one.
import type { Proverb } from '../engine/types';

const GO_PROVERBS = 'https://go-proverbs.github.io';
const EFFECTIVE_GO = 'https://go.dev/doc/effective_go';
const REVIEW_COMMENTS = 'https://go.dev/wiki/CodeReviewComments';
const ERRORS_BLOG = 'https://go.dev/blog/go1.13-errors';

export const proverbs = {
  handleErrorsGracefully: {
    text: "Don't just check errors, handle them gracefully.",
    source: 'Go Proverbs',
    url: GO_PROVERBS,
  },
  errorsAreValues: { text: 'Errors are values.', source: 'Go Proverbs', url: GO_PROVERBS },
  wrapWithW: {
    text: 'Wrap an error with %w to add context while keeping the original inspectable with errors.Is and errors.As.',
    source: 'The Go Blog: Working with Errors in Go 1.13',
    url: ERRORS_BLOG,
  },
  deferUnlock: {
    text: 'Deferring the Unlock guarantees the mutex is released on every path out of the function, returns and panics included.',
    source: 'Effective Go: Defer',
    url: `${EFFECTIVE_GO}#defer`,
  },
  channelsOrchestrate: { text: 'Channels orchestrate; mutexes serialize.', source: 'Go Proverbs', url: GO_PROVERBS },
  clearIsBetter: { text: 'Clear is better than clever.', source: 'Go Proverbs', url: GO_PROVERBS },
  dontPanic: { text: "Don't panic.", source: 'Go Proverbs', url: GO_PROVERBS },
  biggerInterface: { text: 'The bigger the interface, the weaker the abstraction.', source: 'Go Proverbs', url: GO_PROVERBS },
  emptyInterface: { text: 'interface{} says nothing.', source: 'Go Proverbs', url: GO_PROVERBS },
  inspectWithIs: {
    text: 'Compare and inspect errors with errors.Is and errors.As: they look through every layer of wrapping, where == and type assertions see only the outermost error.',
    source: 'The Go Blog: Working with Errors in Go 1.13',
    url: ERRORS_BLOG,
  },
  errorStrings: {
    text: 'Error strings are usually printed after other context, so they start in lower case and end without punctuation.',
    source: 'Go Code Review Comments: Error Strings',
    url: `${REVIEW_COMMENTS}#error-strings`,
  },
  errorLast: {
    text: 'By convention an error is the last value a function returns, so every caller knows where to look for it.',
    source: 'Go Code Review Comments',
    url: REVIEW_COMMENTS,
  },
  interfacesBelongToConsumers: {
    text: 'Interfaces generally belong in the package that uses them; return concrete types and let callers define the interfaces they need.',
    source: 'Go Code Review Comments: Interfaces',
    url: `${REVIEW_COMMENTS}#interfaces`,
  },
  embeddingIsNotInheritance: {
    text: 'Embedding promotes methods, it does not build a class hierarchy: deep chains of embedded types hide where a method really comes from.',
    source: 'Effective Go: Embedding',
    url: `${EFFECTIVE_GO}#embedding`,
  },
  initIsForSetup: {
    text: 'init runs before main, in an order the reader cannot see and with no way to report an error: keep it to setting up state that cannot fail.',
    source: 'Effective Go: The init function',
    url: `${EFFECTIVE_GO}#init`,
  },
  errorNaming: {
    text: 'Errors are values: name them so readers recognise them, ErrXxx for sentinel values and XxxError for error types.',
    source: 'Go Proverbs: Errors are values',
    url: GO_PROVERBS,
  },
  callCancel: {
    text: 'A derived context holds resources until its cancel function is called: call it on every path, as soon as the work it bounds is done.',
    source: 'Package context',
    url: 'https://pkg.go.dev/context',
  },
  contextParameter: {
    text: 'A Context belongs to one call: pass it explicitly, as the first parameter, usually named ctx, rather than keeping it in a struct.',
    source: 'Package context',
    url: 'https://pkg.go.dev/context',
  },
  signalBuffer: {
    text: 'The signal package does not block to deliver a signal: the channel given to signal.Notify must have room for it, a buffer of one for one signal.',
    source: 'Package os/signal',
    url: 'https://pkg.go.dev/os/signal#Notify',
  },
  syncPrimitives: {
    text: 'A mutex guards the data of a critical section, and a WaitGroup counts goroutines: each works only when used exactly as its documentation says.',
    source: 'Package sync',
    url: 'https://pkg.go.dev/sync',
  },
  timersInLoops: {
    text: 'A timer made per iteration is garbage per iteration: make one timer, Reset it, and Stop it when done.',
    source: 'Package time',
    url: 'https://pkg.go.dev/time#After',
  },
  testHelper: {
    text: 'Call t.Helper in a test helper: a failure it reports then points at the test line that called it.',
    source: 'Package testing',
    url: 'https://pkg.go.dev/testing#T.Helper',
  },
  moduleIsTheUnit: {
    text: 'A module is a collection of packages that are released, versioned and distributed together; its go.mod names it and its requirements.',
    source: 'Go Modules Reference',
    url: 'https://go.dev/ref/mod#modules-overview',
  },
  goSumChecksums: {
    text: 'go.sum holds the expected checksums of every module version the build uses: commit it next to go.mod so that every build verifies the same code.',
    source: 'Go Modules Reference: go.sum files',
    url: 'https://go.dev/ref/mod#go-sum-files',
  },
  goDirective: {
    text: 'The go directive sets the language version the module is written for: it decides which language features and which standard-library behaviours apply.',
    source: 'Go Modules Reference: go directive',
    url: 'https://go.dev/ref/mod#go-mod-file-go',
  },
  localReplace: {
    text: 'A replace that points at a folder only works on a machine that has the folder: it is for development, not for a module others build.',
    source: 'Go Modules Reference: replace directive',
    url: 'https://go.dev/ref/mod#go-mod-file-replace',
  },
  moduleLayout: {
    text: 'A repository with several commands keeps each in its own folder under cmd/, so the module root stays the library others import.',
    source: 'Organizing a Go module',
    url: 'https://go.dev/doc/modules/layout',
  },
  gofmtEveryone: {
    text: "Gofmt's style is no one's favorite, yet gofmt is everyone's favorite.",
    source: 'Go Proverbs',
    url: GO_PROVERBS,
  },
  benchmarkLoop: {
    text: 'A benchmark runs its body b.N times: the framework grows b.N until the timing is stable, and reports the time per iteration.',
    source: 'Package testing: Benchmarks',
    url: 'https://pkg.go.dev/testing#hdr-Benchmarks',
  },
  tableDriven: {
    text: 'Write the check once and the cases as data: a table of cases and one loop, where a new case is one line.',
    source: 'Go wiki: TableDrivenTests',
    url: 'https://go.dev/wiki/TableDrivenTests',
  },
  subtests: {
    text: 'Run each case of a table as a subtest: it gets a name to be reported and re-run by, and a failure ends only that case.',
    source: 'The Go Blog: Using Subtests and Sub-benchmarks',
    url: 'https://go.dev/blog/subtests',
  },
  benchmarkAllocs: {
    text: 'Measure allocations with the time: in Go, allocations per operation are often what a benchmark is there to watch.',
    source: 'Package testing',
    url: 'https://pkg.go.dev/testing#B.ReportAllocs',
  },
  benchmarkTimer: {
    text: 'Time only the work: setup before the loop belongs outside the timer (b.ResetTimer), or inside b.Loop, which leaves it out by itself.',
    source: 'Package testing: Benchmarks',
    url: 'https://pkg.go.dev/testing#hdr-Benchmarks',
  },
  failNowGoroutine: {
    text: 'FailNow must be called from the goroutine running the test: from any other it stops only that goroutine, and the test goes on.',
    source: 'Package testing',
    url: 'https://pkg.go.dev/testing#T.FailNow',
  },
  goroutineLifetime: {
    text: 'Before you start a goroutine, know how it will stop: a goroutine that cannot end is a leak.',
    source: 'Go Concurrency Patterns: Pipelines and cancellation',
    url: 'https://go.dev/blog/pipelines',
  },
  closeBySender: {
    text: 'Closing a channel tells its receivers that no more values will come: only the sender knows that, so only the sender closes.',
    source: 'The Go Programming Language Specification: Close',
    url: 'https://go.dev/ref/spec#Close',
  },
  boundedConcurrency: {
    text: 'Concurrency is not parallelism: goroutines are cheap, not free; the work in flight should be bounded by design, not by the size of the input.',
    source: 'Go Proverbs: Concurrency is not parallelism',
    url: GO_PROVERBS,
  },
  loopVariables: {
    text: 'Before Go 1.22 a loop variable is one variable for the whole loop: a closure that outlives the iteration sees whatever value it holds when the closure runs.',
    source: 'Go Wiki: LoopvarExperiment',
    url: 'https://go.dev/wiki/LoopvarExperiment',
  },
  serverTimeouts: {
    text: 'A server exposed to the Internet must bound how long a client may take: without ReadHeaderTimeout a client that sends its request slowly holds a connection and a goroutine for as long as it likes.',
    source: 'Package net/http: Server',
    url: 'https://pkg.go.dev/net/http#Server',
  },
  pprofExposure: {
    text: 'Importing net/http/pprof registers its handlers on http.DefaultServeMux: whoever can reach the server that serves that mux can read the program\'s memory, goroutines and command line.',
    source: 'Package net/http/pprof',
    url: 'https://pkg.go.dev/net/http/pprof',
  },
  gracefulShutdown: {
    text: 'Server.Shutdown closes the listeners, then waits for the requests in flight to finish: a server stopped without it cuts them off mid-response.',
    source: 'Package net/http: Server.Shutdown',
    url: 'https://pkg.go.dev/net/http#Server.Shutdown',
  },
  sleepIsNotSync: {
    text: 'Do not communicate by sleeping: a time.Sleep does not wait for a goroutine, it only hopes the goroutine is done; wait on a channel or a sync.WaitGroup instead.',
    source: 'Go Proverbs: Don\'t communicate by sharing memory, share memory by communicating',
    url: GO_PROVERBS,
  },
  exitFromMain: {
    text: 'Only main decides when the program ends: os.Exit skips every deferred call, so helpers return errors and main exits.',
    source: 'Go documentation: os.Exit',
    url: 'https://pkg.go.dev/os#Exit',
  },
  buildStrings: {
    text: 'A Builder is used to efficiently build a string using Write methods. It minimizes memory copying.',
    source: 'Go documentation: strings.Builder',
    url: 'https://pkg.go.dev/strings#Builder',
  },
  preallocate: {
    text: 'If you know how many elements a slice will hold, allocate it once with that capacity: append then never has to grow it.',
    source: 'The Go Blog: Arrays, slices (and strings): The mechanics of append',
    url: 'https://go.dev/blog/slices',
  },
  poolReset: {
    text: 'Any item stored in the Pool may be removed automatically at any time without notification: a Pool holds interchangeable values, so each must be reset to a clean state before it is reused.',
    source: 'Go documentation: sync.Pool',
    url: 'https://pkg.go.dev/sync#Pool',
  },
  directiveSyntax: {
    text: 'A directive is a line comment with no space after the slashes (//rubric:ignore), so that tools, and gofmt, can tell it from prose.',
    source: 'Go Doc Comments: Syntax',
    url: 'https://go.dev/doc/comment#syntax',
  },
} satisfies Record<string, Proverb>;

export const links = {
  goProverbs: GO_PROVERBS,
  effectiveGo: EFFECTIVE_GO,
  reviewComments: REVIEW_COMMENTS,
  errorsBlog: ERRORS_BLOG,
};
