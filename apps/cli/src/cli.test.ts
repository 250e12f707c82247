import { describe, expect, it } from 'vitest';
import { run } from './cli.js';
import { cliContext } from './test-support.js';

describe('friren command line', () => {
  it('lists the commands on --help (exit 0) and without a command (exit 2)', async () => {
    const help = cliContext();
    expect(await run(['--help'], help)).toBe(0);
    for (const c of ['up', 'migrate', 'submit', 'snapshot', 'report', 'health', 'replay-rejected']) {
      expect(help.out()).toContain(`  ${c}`);
    }
    const none = cliContext();
    expect(await run([], none)).toBe(2);
    expect(none.err()).toContain('usage: friren <command>');
  });

  it('answers usage errors with exit 2 and the command named', async () => {
    const unknown = cliContext();
    expect(await run(['frobnicate'], unknown)).toBe(2);
    expect(unknown.err()).toContain('unknown command "frobnicate"');

    const badFlag = cliContext();
    expect(await run(['up', '--demo-rate', 'fast', '--demo'], badFlag)).toBe(2);
    expect(badFlag.err()).toContain('--demo-rate: must be a number of fills per second');

    const rateWithoutDemo = cliContext();
    expect(await run(['up', '--demo-rate', '2'], rateWithoutDemo)).toBe(2);

    const replay = cliContext();
    expect(await run(['replay-rejected'], replay)).toBe(2);
    expect(replay.err()).toContain('give either --list or --id N');
  });

  it('refuses --demo against a real broker before starting anything', async () => {
    const ctx = cliContext({ ALPACA_KEY_ID: 'AKTEST', ALPACA_SECRET_KEY: 'secret-value-123' });
    expect(await run(['up', '--demo'], ctx)).toBe(2);
    expect(ctx.err()).toContain('runs only against the simulator');
  });

  it('reports bad configuration as a failure (exit 1) naming the variable, not its value', async () => {
    const ctx = cliContext({ FRIREN_ACCOUNTS: 'Not Valid!', MYSQL_URL: 'postgres://secret-pw@x/y' });
    expect(await run(['health'], ctx)).toBe(1);
    expect(ctx.err()).toContain('FRIREN_ACCOUNTS');
    expect(ctx.err()).toContain('MYSQL_URL');
    expect(ctx.err()).not.toContain('secret-pw');
  });

  it('prints each command’s own usage', async () => {
    const ctx = cliContext();
    expect(await run(['submit', '--help'], ctx)).toBe(0);
    expect(ctx.out()).toContain("friren submit --json '<trade or [trades]>'");
  });
});
