import { stableUuid } from './ids.js';

export type AssetClass = 'us_equity' | 'crypto';

export interface AssetInfo {
  assetId: string;
  assetClass: AssetClass;
  exchange: string;
}

/** Crypto pairs are written with a slash ("BTC/USD"); everything else is a US equity. */
export function assetFor(symbol: string): AssetInfo {
  const crypto = symbol.includes('/');
  return {
    assetId: stableUuid('asset', symbol),
    assetClass: crypto ? 'crypto' : 'us_equity',
    exchange: crypto ? 'CRYPTO' : 'NASDAQ',
  };
}
