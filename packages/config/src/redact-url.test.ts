import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it('masks the password and keeps the rest', () => {
    expect(redactUrl('redis://:s3cr3t@cache.example:6380/1')).toBe('redis://:***@cache.example:6380/1');
    expect(redactUrl('mysql://app:s3cr3t@db.example/friren')).toBe('mysql://app:***@db.example/friren');
  });

  it('masks credential-like query parameters', () => {
    const redacted = redactUrl('mysql://app@db.example/friren?password=s3cr3t&ssl=true');
    expect(redacted).not.toContain('s3cr3t');
    expect(redacted).toContain('ssl=true');
  });

  it('leaves a URL without credentials as it was', () => {
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('never echoes an unparseable URL', () => {
    expect(redactUrl('redis://:s3cr3t@[bad')).toBe('[unparseable URL]');
  });
});
