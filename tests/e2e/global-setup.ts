import { errorMessage } from '../../src/model/format';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildApp, ROOT } from './browser';

/** Builds the app once per e2e run (when it has an index.html) and hands its dir to tests. */
export default async function setup(project: TestProject): Promise<() => void> {
  if (!existsSync(join(ROOT, 'index.html'))) {
    project.provide('e2eApp', { error: 'the app has no index.html yet' });
    return () => {};
  }
  let dir: string | undefined;
  try {
    dir = await buildApp();
    project.provide('e2eApp', { dir });
  } catch (e) {
    project.provide('e2eApp', { error: errorMessage(e) });
  }
  return () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
