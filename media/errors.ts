/** Stable failure codes for everything media/ does; callers branch on `code`, never on the message. */
export type MediaErrorCode =
  | 'ffmpeg-not-found'
  | 'file-not-found'
  | 'empty-file'
  | 'not-media'
  | 'no-video-stream'
  | 'truncated'
  | 'decode-failed'
  | 'encode-failed'
  | 'invalid-argument'
  | 'aborted';

/**
 * A media operation that failed on one file. The message starts with the path and says what
 * went wrong, e.g. `clip.mp4: not a video file (ffprobe: Invalid data found when processing input)`.
 */
export class MediaError extends Error {
  override readonly name = 'MediaError';

  constructor(
    readonly code: MediaErrorCode,
    /** The file the operation was about (the tool's own path for `ffmpeg-not-found`). */
    readonly path: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${problem}`, options);
  }
}

export function isMediaError(value: unknown): value is MediaError {
  return value instanceof MediaError;
}

/**
 * Turns ffmpeg's last stderr lines into the most specific MediaError: a file that starts with MP4
 * boxes but has no index is truncated (a text file named .mp4 gets the same "moov atom not found"
 * from ffmpeg, hence `startsLikeMp4`), unreadable input is not media, a missing stream map means no video; anything else
 * keeps `fallback` (decode-failed for readers).
 */
export function ffmpegFailure(
  path: string,
  stderrLines: readonly string[],
  fallback: MediaErrorCode,
  what: string,
  context: { tool?: 'ffmpeg' | 'ffprobe'; startsLikeMp4: boolean },
): MediaError {
  const tool = context.tool ?? 'ffmpeg';
  const text = stderrLines.join('\n');
  const last = stderrLines[stderrLines.length - 1] ?? '(no stderr output)';
  const shown = last.startsWith(`${path}: `) ? last.slice(path.length + 2) : last;
  if (context.startsLikeMp4 && /moov atom not found/i.test(text)) {
    return new MediaError('truncated', path, `truncated or unfinished MP4: its index (moov atom) is missing (${tool}: ${shown})`);
  }
  if (/Invalid data found when processing input/i.test(text)) return new MediaError('not-media', path, `not a video file (${tool}: ${shown})`);
  if (/Stream map '0:v:0' matches no streams/i.test(text)) return new MediaError('no-video-stream', path, 'no video stream');
  return new MediaError(fallback, path, `${what} (${tool}: ${shown})`);
}
