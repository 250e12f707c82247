// The image's HEALTHCHECK: GET /healthz on the ops port of the app this container runs.
// The port is OPS_PORT when set, else the app's default, found from the container's command
// (`node apps/<app>/dist/main.js`, possibly behind an init). The standalone Alpaca simulator has
// no ops server: a TCP connect to ALPACA_SIM_PORT stands in. Exit 0 = healthy, 1 = not.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

const DEFAULT_OPS_PORTS = { poller: 9101, 'trade-recorder': 9102, analytics: 9103, orchestrator: 9104 };
const TIMEOUT_MS = 2500;

function command() {
  try {
    return readFileSync('/proc/1/cmdline', 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

function fail(message) {
  process.stderr.write(`healthcheck: ${message}\n`);
  process.exit(1);
}

async function httpCheck(port) {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!res.ok) fail(`/healthz on ${port} answered ${res.status}`);
}

function tcpCheck(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(TIMEOUT_MS, () => fail(`no TCP answer on ${port}`));
    socket.on('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.on('error', (err) => fail(`TCP ${port}: ${err.message}`));
  });
}

const env = process.env;
const cmd = command();
const app = /apps\/([a-z0-9-]+)\//.exec(cmd)?.[1];
try {
  if (env['OPS_PORT']) {
    await httpCheck(Number(env['OPS_PORT']));
  } else if (app !== undefined && app in DEFAULT_OPS_PORTS) {
    await httpCheck(DEFAULT_OPS_PORTS[app]);
  } else if (cmd.includes('packages/alpaca-sim/')) {
    await tcpCheck(Number(env['ALPACA_SIM_PORT'] || 8090));
  } else if (cmd.includes('packages/db/')) {
    // The one-shot migration has nothing to probe.
  } else {
    fail(`cannot tell which app runs here (${cmd || 'no /proc/1/cmdline'}); set OPS_PORT`);
  }
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
process.exit(0);
