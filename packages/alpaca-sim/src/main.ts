import { simEnv } from './env.js';
import { createAlpacaSim } from './sim.js';

// Standalone simulator: `node dist/main.js`. Logs its URL and the key pairs it accepts (these are
// fake credentials by design, so printing them is the point).
const env = simEnv(process.env);
const sim = createAlpacaSim({
  ...(env.accounts ? { accounts: env.accounts } : {}),
  ...(env.rateLimitPerMin ? { rateLimitPerMin: env.rateLimitPerMin } : {}),
});
const { url } = await sim.listen(env.port, env.host);
process.stdout.write(`alpaca-sim listening on ${url}\n`);
for (const c of sim.credentials()) {
  process.stdout.write(`  APCA-API-KEY-ID=${c.keyId} APCA-API-SECRET-KEY=${c.secretKey}\n`);
}

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
