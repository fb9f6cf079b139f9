// Runs the built command line (server/out/cli.js) as a user would, without the result cache
// unless the environment given turns it on.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './goFiles';

export const CLI = join(repoRoot(), 'server', 'out', 'cli.js');

export const NO_CACHE_ENV: NodeJS.ProcessEnv = { ...process.env, GO_RUBRIC_CACHE: 'off' };

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = NO_CACHE_ENV): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
