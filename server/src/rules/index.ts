// The rule registry: every rule Go Rubric runs, in catalog order. Adding a rule is adding its
// file and one line here; the README's rule table and the CLI's rule list are generated from it.
import type { Rule } from '../engine/types';
import { errorfWrapVerb } from './gr101-errorf-wrap-verb';
import { unwrappedReturn } from './gr102-unwrapped-return';
import { errorCompare } from './gr105-error-compare';
import { errorTypeAssert } from './gr106-error-type-assert';
import { emptyInterface } from './gr111-empty-interface';
import { lockWithoutDefer } from './gr201-lock-without-defer';

export const allRules: readonly Rule[] = [errorfWrapVerb, unwrappedReturn, errorCompare, errorTypeAssert, emptyInterface, lockWithoutDefer];
