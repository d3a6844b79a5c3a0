import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { HttpError, isRetryableStatus, RateLimiter, retryDelayMs, sendRequest } from '../../runners/http-client.js';
import { redact } from '../../runners/redact.js';

const POLICY = { baseDelayMs: 500, maxDelayMs: 60_000 };
const NOW_MS = Date.parse('2026-11-25T12:00:00Z');

describe('retryDelayMs', () => {
  it('takes retry-after-ms first, then retry-after in seconds or as an HTTP date', () => {
    expect(retryDelayMs({ 'retry-after-ms': '250', 'retry-after': '9' }, 0, POLICY, NOW_MS)).toBe(250);
    expect(retryDelayMs({ 'retry-after': '3' }, 0, POLICY, NOW_MS)).toBe(3000);
    expect(retryDelayMs({ 'retry-after': 'Wed, 25 Nov 2026 12:00:07 GMT' }, 0, POLICY, NOW_MS)).toBe(7000);
    expect(retryDelayMs({ 'retry-after': 'Wed, 25 Nov 2026 11:59:00 GMT' }, 0, POLICY, NOW_MS)).toBe(0);
  });

  it('caps a server hint at maxDelayMs', () => {
    expect(retryDelayMs({ 'retry-after': '3600' }, 0, POLICY, NOW_MS)).toBe(60_000);
  });

  it('backs off exponentially with full jitter when the server gives no hint', () => {
    expect(retryDelayMs({}, 0, POLICY, NOW_MS, () => 1)).toBe(500);
    expect(retryDelayMs({}, 3, POLICY, NOW_MS, () => 1)).toBe(4000);
    expect(retryDelayMs({}, 3, POLICY, NOW_MS, () => 0.25)).toBe(1000);
    expect(retryDelayMs({}, 20, POLICY, NOW_MS, () => 1)).toBe(60_000);
    expect(retryDelayMs({ 'retry-after': 'soon' }, 1, POLICY, NOW_MS, () => 0.5)).toBe(500);
  });
});

describe('isRetryableStatus', () => {
  it('retries 408, 429 and 5xx only', () => {
    expect([400, 401, 404, 408, 409, 429, 500, 503].map(isRetryableStatus)).toEqual([false, false, false, true, false, true, true, true]);
  });
});

describe('redact', () => {
  it('blanks every occurrence of a key and leaves short strings alone', () => {
    expect(redact('key sk-abcdef123 and again sk-abcdef123.', ['sk-abcdef123'])).toBe('key [redacted] and again [redacted].');
    expect(redact('a b c', ['b'])).toBe('a b c');
  });
});

describe('RateLimiter', () => {
  it('spaces request starts by 60 s / rpm', async () => {
    const limiter = new RateLimiter(1200); // one start every 50 ms
    const startMs = Date.now();
    for (let i = 0; i < 5; i += 1) await limiter.take();
    expect(Date.now() - startMs).toBeGreaterThanOrEqual(195);
  });
});

describe('sendRequest', () => {
  it('does not send a POST again after its connection broke (the job may exist), but retries a GET', async () => {
    let posts = 0;
    let gets = 0;
    const server = createServer((req, res) => {
      if (req.method === 'POST') posts += 1;
      else gets += 1;
      if (req.method === 'GET' && gets > 1) return void res.end('{"ok":true}');
      req.socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/videos?key=sk-secret-123456`;
    const options = { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2000 }, secrets: ['sk-secret-123456'] };
    try {
      const failure = await sendRequest({ method: 'POST', url, headers: {}, body: { kind: 'json', value: {} } }, options).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(HttpError);
      expect((failure as HttpError).code).toBe('network');
      expect((failure as HttpError).message).not.toContain('sk-secret');
      expect(posts).toBe(1);
      const response = await sendRequest({ method: 'GET', url, headers: {} }, options);
      expect([response.status, response.json]).toEqual([200, { ok: true }]);
      expect(gets).toBe(2);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
