import type { AccountConfig, AlpacaCredentials, FrirenConfig } from '@friren/config';
import type { SnapshotSource } from '@friren/contracts';
import type { Logger } from '@friren/observability';

/** Where the poller sends broker calls, with which keys, and how snapshots are labelled. */
export interface BrokerTarget {
  readonly baseUrl: string;
  readonly source: SnapshotSource;
  credentials(account: AccountConfig): AlpacaCredentials;
  /** Stops the in-process simulator, if one was started. */
  close(): Promise<void>;
}

/** The simulator's built-in key pair (`@friren/alpaca-sim`'s default account). */
const SIM_CREDENTIALS: AlpacaCredentials = { keyId: 'sim-key', secretKey: 'sim-secret' };

/**
 * Real credentials → the configured broker, snapshots labelled `alpaca`. No credentials at all
 * (the zero-config default) → the simulator's default keys, snapshots labelled `simulator`:
 * against ALPACA_BASE_URL when set (a shared simulator), else against a simulator started in
 * this process on a free loopback port.
 */
export async function resolveBrokerTarget(config: FrirenConfig, logger: Logger): Promise<BrokerTarget> {
  if (!config.alpaca.useSimulator) {
    return {
      baseUrl: config.alpaca.baseUrl,
      source: 'alpaca',
      credentials: (account) => {
        // loadConfig guarantees every account has credentials when not in simulator mode.
        if (account.credentials === null) throw new Error(`account "${account.alias}" has no credentials`);
        return account.credentials;
      },
      close: async () => undefined,
    };
  }

  if (config.alpaca.baseUrlSet) {
    logger.warn(
      { baseUrl: config.alpaca.baseUrl },
      'NO BROKER CREDENTIALS: using the simulator key pair against ALPACA_BASE_URL; snapshots are labelled "simulator"',
    );
    return {
      baseUrl: config.alpaca.baseUrl,
      source: 'simulator',
      credentials: () => SIM_CREDENTIALS,
      close: async () => undefined,
    };
  }

  // Loaded only here, so a production poller never even imports the simulator.
  const { createAlpacaSim } = await import('@friren/alpaca-sim');
  const sim = createAlpacaSim({ rateLimitPerMin: config.alpaca.rateLimitPerMin });
  const { url } = await sim.listen(0, '127.0.0.1');
  logger.warn(
    { simulatorUrl: url },
    '!!! NO BROKER CREDENTIALS: polling an in-process Alpaca SIMULATOR with fake balances. ' +
      'Set ALPACA_KEY_ID and ALPACA_SECRET_KEY to poll Alpaca. !!!',
  );
  return {
    baseUrl: url,
    source: 'simulator',
    credentials: () => SIM_CREDENTIALS,
    close: () => sim.close(),
  };
}
