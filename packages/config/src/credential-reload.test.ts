import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CredentialReloader } from './credential-reload.js';
import { loadConfig } from './load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'friren-reload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const path = (name: string) => join(dir, name);
const write = (name: string, content: string) => writeFileSync(path(name), content);

/** A reloader over `env`, starting from what loadConfig made of it (as a process does at start). */
function reloaderFor(env: NodeJS.ProcessEnv): CredentialReloader {
  return new CredentialReloader(env, loadConfig(env).accounts);
}

describe('CredentialReloader', () => {
  it('adopts a rewritten credential file and reports only the accounts it changes', () => {
    write('a-key', 'PKOLD\n');
    write('a-secret', 'old-secret\n');
    const env = {
      FRIREN_ACCOUNTS: 'main,other',
      ALPACA_KEY_ID_FILE: path('a-key'),
      ALPACA_SECRET_KEY_FILE: path('a-secret'),
      ALPACA_OTHER_KEY_ID: 'PKOTHER',
      ALPACA_OTHER_SECRET_KEY: 'other-secret',
    };
    const reloader = reloaderFor(env);
    expect(reloader.fileBacked).toBe(true);

    write('a-key', 'PKNEW\n');
    write('a-secret', 'new-secret\n');
    expect(reloader.reload()).toEqual({
      changed: [{ alias: 'main', credentials: { keyId: 'PKNEW', secretKey: 'new-secret' } }],
      issues: [],
    });
    expect(reloader.current('main')).toEqual({ keyId: 'PKNEW', secretKey: 'new-secret' });
    expect(reloader.current('other')).toEqual({ keyId: 'PKOTHER', secretKey: 'other-secret' });
  });

  it('reports nothing when the files are unchanged (a trailing newline is not a change)', () => {
    write('b-key', 'PKSAME');
    write('b-secret', 'same-secret');
    const env = { ALPACA_KEY_ID_FILE: path('b-key'), ALPACA_SECRET_KEY_FILE: path('b-secret') };
    const reloader = reloaderFor(env);
    expect(reloader.reload()).toEqual({ changed: [], issues: [] });
    write('b-secret', 'same-secret\n');
    expect(reloader.reload()).toEqual({ changed: [], issues: [] });
  });

  it('keeps the credentials in use when a file cannot be read, and says which one', () => {
    write('c-key', 'PKKEEP');
    write('c-secret', 'keep-secret');
    const env = { ALPACA_KEY_ID_FILE: path('c-key'), ALPACA_SECRET_KEY_FILE: path('c-secret') };
    const reloader = reloaderFor(env);
    rmSync(path('c-secret'));
    const missing = reloader.reload();
    expect(missing.changed).toEqual([]);
    expect(missing.issues).toEqual([
      { variable: 'ALPACA_SECRET_KEY_FILE', message: 'cannot read the file it names (ENOENT)' },
    ]);
    write('c-secret', '\n');
    expect(reloader.reload().issues).toEqual([
      { variable: 'ALPACA_SECRET_KEY_FILE', message: 'the file it names is empty' },
    ]);
    expect(reloader.current('default')).toEqual({ keyId: 'PKKEEP', secretKey: 'keep-secret' });
    // The file is back with a new secret: adopted, nothing reported.
    write('c-secret', 'next-secret');
    expect(reloader.reload()).toEqual({
      changed: [{ alias: 'default', credentials: { keyId: 'PKKEEP', secretKey: 'next-secret' } }],
      issues: [],
    });
  });

  it('never puts a secret into an issue', () => {
    write('d-key', 'PKSHOWN');
    write('d-secret', 'fine-secret');
    const env = { ALPACA_KEY_ID_FILE: path('d-key'), ALPACA_SECRET_KEY_FILE: path('d-secret') };
    const reloader = reloaderFor(env);
    write('d-secret', 'two\nlines-secret');
    const result = reloader.reload();
    expect(result.changed).toEqual([]);
    expect(result.issues.map((i) => i.variable)).toEqual(['ALPACA_SECRET_KEY']);
    expect(JSON.stringify(result.issues)).not.toContain('lines-secret');
  });

  it('is not file-backed when every credential is a plain variable, or there are none', () => {
    expect(reloaderFor({ ALPACA_KEY_ID: 'PK', ALPACA_SECRET_KEY: 's' }).fileBacked).toBe(false);
    const none = reloaderFor({});
    expect(none.fileBacked).toBe(false);
    expect(none.reload()).toEqual({ changed: [], issues: [] });
  });

  it('uses an account file over the shared pair, as loadConfig does', () => {
    write('e-key', 'PKACCT');
    write('e-secret', 'acct-secret');
    const env = {
      FRIREN_ACCOUNTS: 'paper-2',
      ALPACA_KEY_ID: 'PKSHARED',
      ALPACA_SECRET_KEY: 'shared-secret',
      ALPACA_PAPER_2_KEY_ID_FILE: path('e-key'),
      ALPACA_PAPER_2_SECRET_KEY_FILE: path('e-secret'),
    };
    const reloader = reloaderFor(env);
    expect(reloader.current('paper-2')).toEqual({ keyId: 'PKACCT', secretKey: 'acct-secret' });
    write('e-key', 'PKACCT2');
    expect(reloader.reload().changed).toEqual([
      { alias: 'paper-2', credentials: { keyId: 'PKACCT2', secretKey: 'acct-secret' } },
    ]);
  });
});
