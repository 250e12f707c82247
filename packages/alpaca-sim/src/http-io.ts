import type { IncomingMessage, ServerResponse } from 'node:http';
import { unprocessable } from './errors.js';

const MAX_BODY_BYTES = 1 << 20;

/** Reads and parses a JSON request body; an empty body is `{}`; garbage or oversize is a 422. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw unprocessable('request body too large');
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw unprocessable('request body format is invalid');
  }
}

export interface SendOptions {
  headers?: Record<string, string>;
  /** Cut the body short mid-document, for the malformed-JSON fault. */
  malformed?: boolean;
}

/** Writes a JSON answer unless the client is already gone. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  options: SendOptions = {},
): void {
  if (res.destroyed || res.writableEnded) return;
  let text = body === undefined ? '' : JSON.stringify(body);
  if (options.malformed) text = `${text.slice(0, Math.max(1, Math.floor(text.length / 2)))}\u0000<truncated`;
  res.writeHead(status, {
    ...options.headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}
