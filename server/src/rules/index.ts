// The rule registry: every rule Go Rubric runs, in catalog order. Adding a rule is adding its
// file and one line here; the README's rule table and the CLI's rule list are generated from it.
import type { DirectiveRule, Rule, RuleInfo } from '../engine/types';
import type { ModuleRule, WorkspaceRule } from '../setup/setupRule';
import { noGoMod } from './gr001-no-go-mod';
import { noGoSum } from './gr002-no-go-sum';
import { oldGoVersion } from './gr003-old-go-version';
import { localReplace } from './gr004-local-replace';
import { mainOutsideCmd } from './gr005-main-outside-cmd';
import { noLintSetup } from './gr006-no-lint-setup';
import { errorfWrapVerb } from './gr101-errorf-wrap-verb';
import { unwrappedReturn } from './gr102-unwrapped-return';
import { discardedError } from './gr103-discarded-error';
import { uncheckedError } from './gr104-unchecked-error';
import { errorCompare } from './gr105-error-compare';
import { errorTypeAssert } from './gr106-error-type-assert';
import { errorStringStyle } from './gr107-error-string-style';
import { errorNotLast } from './gr108-error-not-last';
import { panicInLibrary } from './gr109-panic-in-library';
import { interfaceTooLarge } from './gr110-interface-too-large';
import { emptyInterface } from './gr111-empty-interface';
import { initFunction } from './gr112-init-function';
import { deepEmbedding } from './gr113-deep-embedding';
import { sentinelNaming } from './gr114-sentinel-naming';
import { errorTypeNaming } from './gr115-error-type-naming';
import { returnsInterface } from './gr116-returns-interface';
import { lockWithoutDefer } from './gr201-lock-without-defer';
import { lockNeverUnlocked } from './gr202-lock-never-unlocked';
import { emptyCriticalSection } from './gr203-empty-critical-section';
import { goroutineNoExit } from './gr204-goroutine-no-exit';
import { loopVarCapture } from './gr205-loop-var-capture';
import { wgAddInGoroutine } from './gr206-wg-add-in-goroutine';
import { wgDoneNotDeferred } from './gr207-wg-done-not-deferred';
import { closeByReceiver } from './gr208-close-by-receiver';
import { lostCancel } from './gr209-lost-cancel';
import { contextInStruct } from './gr210-context-in-struct';
import { contextNotFirst } from './gr211-context-not-first';
import { contextBackgroundInside } from './gr212-context-background-inside';
import { timeAfterInLoop } from './gr213-time-after-in-loop';
import { unboundedGoroutines } from './gr214-unbounded-goroutines';
import { lockCopied } from './gr215-lock-copied';
import { signalUnbuffered } from './gr216-signal-unbuffered';
import { fatalInGoroutine } from './gr303-fatal-in-goroutine';
import { notTableDriven } from './gr301-not-table-driven';
import { tableWithoutSubtests } from './gr302-table-without-subtests';
import { benchNoReportAllocs } from './gr304-bench-no-reportallocs';
import { benchSetupTimed } from './gr305-bench-setup-timed';
import { benchNoLoop } from './gr306-bench-no-loop';
import { helperWithoutTHelper } from './gr307-helper-without-t-helper';
import { sleepInTest } from './gr308-sleep-in-test';
import { serverNoTimeouts } from './gr401-server-no-timeouts';
import { noGracefulShutdown } from './gr402-no-graceful-shutdown';
import { exitOutsideMain } from './gr403-exit-outside-main';
import { stringConcatInLoop } from './gr404-string-concat-in-loop';
import { appendNoPrealloc } from './gr405-append-no-prealloc';
import { poolNoReset } from './gr406-pool-no-reset';
import { pprofOnDefaultMux } from './gr407-pprof-on-default-mux';
import { unusedDirective } from './gr901-unused-directive';
import { malformedDirectiveRule } from './gr902-malformed-directive';

export const allRules: readonly Rule[] = [
  noGoMod,
  errorfWrapVerb,
  unwrappedReturn,
  discardedError,
  uncheckedError,
  errorCompare,
  errorTypeAssert,
  errorStringStyle,
  errorNotLast,
  panicInLibrary,
  interfaceTooLarge,
  emptyInterface,
  initFunction,
  deepEmbedding,
  sentinelNaming,
  errorTypeNaming,
  returnsInterface,
  lockWithoutDefer,
  lockNeverUnlocked,
  emptyCriticalSection,
  goroutineNoExit,
  loopVarCapture,
  wgAddInGoroutine,
  wgDoneNotDeferred,
  closeByReceiver,
  lostCancel,
  contextInStruct,
  contextNotFirst,
  contextBackgroundInside,
  timeAfterInLoop,
  unboundedGoroutines,
  lockCopied,
  signalUnbuffered,
  notTableDriven,
  tableWithoutSubtests,
  fatalInGoroutine,
  benchNoReportAllocs,
  benchSetupTimed,
  benchNoLoop,
  helperWithoutTHelper,
  sleepInTest,
  serverNoTimeouts,
  noGracefulShutdown,
  exitOutsideMain,
  stringConcatInLoop,
  appendNoPrealloc,
  poolNoReset,
  pprofOnDefaultMux,
  malformedDirectiveRule(() => catalog),
];

/** The rules checked on a file's suppression directives once they are applied (Engine's directiveRules). */
export const directiveRules: readonly DirectiveRule[] = [unusedDirective];

/** The rules that read a go.mod file (squiggles on go.mod in the editor, findings in the CLI). */
export const moduleRules: readonly ModuleRule[] = [noGoSum, oldGoVersion, localReplace];

/** The rules about the workspace as a whole: items of the rubric report. */
export const workspaceRules: readonly WorkspaceRule[] = [mainOutsideCmd, noLintSetup];

/** Every rule of the catalog, whatever it reads, in code order: settings, docs, hovers and the report. */
export const catalog: readonly RuleInfo[] = [...allRules, ...moduleRules, ...workspaceRules, ...directiveRules].sort((a, b) => a.meta.code.localeCompare(b.meta.code));
