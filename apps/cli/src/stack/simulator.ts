import { type AlpacaSim, createAlpacaSim, DEFAULT_ACCOUNT_SEED } from '@friren/alpaca-sim';
import type { FrirenConfig } from '@friren/config';
import type { Logger } from '@friren/observability';
import type { DemoOptions } from '../demo/engine.js';

export interface BrokerSetup {
  /**
   * `simulator`: no broker keys, so a simulator started here; `external-simulator`: no keys and
   * ALPACA_BASE_URL names a simulator already running; `alpaca`: real keys, the real broker.
   */
  readonly mode: 'simulator' | 'external-simulator' | 'alpaca';
  readonly baseUrl: string;
  /** The config every app gets: ALPACA_BASE_URL pointing at the one broker they all share. */
  readonly config: FrirenConfig;
  /** The simulator's key pair (simulator modes), which the demo engine trades with. */
  readonly credentials: { readonly keyId: string; readonly secretKey: string };
  /** The in-process simulator (simulator mode), e.g. for tests to compare numbers with. */
  readonly sim: AlpacaSim | null;
  readonly close?: () => Promise<void>;
}

export const SIMULATOR_WARNING =
  '!!! NO BROKER KEYS: running against the built-in Alpaca SIMULATOR; every balance is fake. ' +
  'Set ALPACA_KEY_ID and ALPACA_SECRET_KEY to use Alpaca. !!!';

/**
 * One broker for the whole process. Without keys the poller would start a simulator of its own;
 * starting it here instead and handing every app its URL means the poller, the demo engine and the
 * printed URL all talk to the same simulated account.
 */
export async function setUpBroker(
  config: FrirenConfig,
  opts: { logger: Logger; simPort: number; demo: DemoOptions | null },
): Promise<BrokerSetup> {
  const simKeys = { keyId: DEFAULT_ACCOUNT_SEED.keyId, secretKey: DEFAULT_ACCOUNT_SEED.secretKey };
  if (!config.alpaca.useSimulator) {
    if (opts.demo)
      throw new Error('--demo places orders, so it runs only against the simulator (no broker keys)');
    return { mode: 'alpaca', baseUrl: config.alpaca.baseUrl, config, credentials: simKeys, sim: null };
  }
  opts.logger.warn(SIMULATOR_WARNING);
  if (config.alpaca.baseUrlSet) {
    return {
      mode: 'external-simulator',
      baseUrl: config.alpaca.baseUrl,
      config,
      credentials: simKeys,
      sim: null,
    };
  }
  // The simulator enforces one limit per key on every call. The poller keeps to
  // ALPACA_RATE_LIMIT_PER_MIN through its shared token bucket; the demo's orders get a budget of
  // their own on top, so they never crowd out the poller's snapshot calls.
  const demoBudget = opts.demo ? Math.ceil(opts.demo.ratePerSec * 60) : 0;
  const sim = createAlpacaSim({ rateLimitPerMin: config.alpaca.rateLimitPerMin + demoBudget });
  const { url } = await sim.listen(opts.simPort, '127.0.0.1');
  return {
    mode: 'simulator',
    baseUrl: url,
    config: { ...config, alpaca: { ...config.alpaca, baseUrl: url, baseUrlSet: true } },
    credentials: simKeys,
    sim,
    close: () => sim.close(),
  };
}
