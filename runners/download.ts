import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { probeVideo } from '../media/probe.js';
import { asHttpError, fetchInit, headerRecord, isRetryableStatus, retryDelayMs, sleep, type HttpClientOptions } from './http-client.js';
import type { HttpRequestSpec } from './provider-protocol.js';
import { redact } from './redact.js';

export type DownloadResult = { ok: true; sizeBytes: number } | { ok: false; message: string };

/** Content types a video download may carry; providers label MP4 bytes in several ways. */
const VIDEO_CONTENT_TYPE = /^(video\/|application\/(octet-stream|binary|mp4)\b|binary\/octet-stream)/i;

/**
 * Downloads a finished video to `outPath`: checks the status, the content type, that the body is
 * whole (Content-Length) and not empty, then that ffprobe finds frames in it, and only then moves it
 * into place. A dropped connection or a truncated file is retried; a 4xx answer (expired) is not.
 */
export async function downloadVideo(spec: HttpRequestSpec, outPath: string, options: HttpClientOptions): Promise<DownloadResult> {
  const { retry, secrets } = options;
  const partPath = `${outPath}.download`;
  await mkdir(dirname(outPath), { recursive: true });
  let lastProblem = 'no attempt made';
  for (let attempt = 0; attempt < retry.maxAttempts; attempt += 1) {
    if (attempt > 0) await sleep(retryDelayMs({}, attempt - 1, retry));
    await options.limiter?.take();
    try {
      const response = await fetch(spec.url, await fetchInit(spec, AbortSignal.timeout(retry.timeoutMs)));
      const where = `GET ${spec.url.split('?')[0] ?? spec.url}`;
      if (!response.ok) {
        const text = redact((await response.text()).slice(0, 500), secrets);
        lastProblem = `${where} answered ${response.status}: ${text}`;
        if (!isRetryableStatus(response.status)) return { ok: false, message: lastProblem };
        continue;
      }
      const contentType = response.headers.get('content-type') ?? '';
      if (contentType !== '' && !VIDEO_CONTENT_TYPE.test(contentType)) {
        await response.body?.cancel();
        return { ok: false, message: `${where} sent ${contentType}, not a video` };
      }
      if (response.body === null) {
        lastProblem = `${where} sent an empty body`;
        continue;
      }
      const expectedBytes = Number(headerRecord(response.headers)['content-length'] ?? NaN);
      let sizeBytes = 0;
      const counted = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>).on('data', (chunk: Buffer) => (sizeBytes += chunk.length));
      await pipeline(counted, createWriteStream(partPath));
      if (sizeBytes === 0) {
        lastProblem = `${where} sent an empty file`;
        continue;
      }
      if (Number.isFinite(expectedBytes) && sizeBytes !== expectedBytes) {
        lastProblem = `${where} sent ${sizeBytes} of ${expectedBytes} bytes`;
        continue;
      }
      const info = await probeVideo(partPath).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
      if (info instanceof Error || info.frameCount === 0) {
        lastProblem = `${where}: the file is not a whole video (${info instanceof Error ? info.message.replace(partPath, 'download') : 'no frames'})`;
        continue;
      }
      await rename(partPath, outPath);
      return { ok: true, sizeBytes };
    } catch (error) {
      lastProblem = asHttpError(error, spec, secrets).message;
    } finally {
      await rm(partPath, { force: true });
    }
  }
  return { ok: false, message: `download failed after ${retry.maxAttempts} attempts: ${lastProblem}` };
}
