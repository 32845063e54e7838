/**
 * `npm run sweep` end to end (two short child processes): bad input is refused before any work
 * with the flag named and exit 2; a good sweep writes sweep.json and sweep.svg (renamed from
 * .partial) and a STATUS that says complete.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const sweep = (args: string[]) =>
  spawnSync(tsx, [join(root, 'src', 'cli', 'sweep.ts'), ...args], { cwd: root, encoding: 'utf8' });

describe('npm run sweep', () => {
  it('refuses bad input before any work, and writes its files when complete', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-'));
    const out = join(dir, 'out');
    const bad = sweep(['--preset', 's1-ou', '--heads', '1,300', '--out', out]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^--heads: preset s1-ou with H = 300/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
    const badOut = sweep([
      '--preset',
      's1-ou',
      '--heads',
      '1,2',
      '--T',
      '0.02',
      '--paths',
      '1',
      '--out',
      '/proc/self/x',
    ]);
    expect(badOut.status).toBe(2);
    expect(badOut.stderr).toMatch(/^--out: .*proc filesystem/);
    const good = sweep(['--preset', 's1-ou', '--heads', '1,2', '--T', '0.02', '--paths', '1', '--out', out]);
    expect(good.status, good.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['STATUS', 'sweep.json', 'sweep.svg']);
    expect(readFileSync(join(out, 'STATUS'), 'utf8')).toMatch(/^complete: H sweep of s1-ou/);
    expect(JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'))[0].points).toHaveLength(2);
  }, 60_000);
});
