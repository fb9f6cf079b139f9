// Go language versions as go.mod's `go` directive states them ("1.21", "1.21.3", "1.22rc1"), and
// the comparisons version gates need (`any` from 1.18, per-iteration loop variables from 1.22).

/** The `go` directive of a go.mod text, or undefined when it has none (or it is malformed). */
export function goDirective(goMod: string): string | undefined {
  for (const raw of goMod.split('\n')) {
    // Comments may follow the directive: `go 1.21 // minimum`.
    const line = raw.replace(/\/\/.*$/, '').trim();
    const match = /^go\s+(\d+\.\d+(?:\.\d+)?(?:(?:rc|beta)\d+)?)$/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

/** The module path a go.mod declares (`module example.com/m`, quoted or not), if any. */
export function moduleDirective(goMod: string): string | undefined {
  for (const raw of goMod.split('\n')) {
    const match = /^module\s+"?([^\s"]+)"?$/.exec(raw.replace(/\/\/.*/, '').trim());
    if (match) return match[1];
  }
  return undefined;
}

/** [major, minor, patch] of a version; a pre-release counts as before its release. */
function parts(version: string): [number, number, number] {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version);
  if (!match) return [0, 0, 0];
  return [Number(match[1]), Number(match[2]), match[3] === undefined ? 0 : Number(match[3])];
}

/** Whether `version` is `minimum` or later, comparing language versions (1.21.3 counts as 1.21). */
export function goAtLeast(version: string, minimum: string): boolean {
  const [a1, a2] = parts(version);
  const [b1, b2] = parts(minimum);
  return a1 !== b1 ? a1 > b1 : a2 >= b2;
}
