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
