export type { AudioStreamInfo, AudioTrack, Frame, PixelFormat, VideoInfo } from './types.js';
export { MediaError, isMediaError, type MediaErrorCode } from './errors.js';
export { clearToolCache, findFfmpeg, findFfprobe, locateTool, type LocatedTool, type LocateOptions, type MediaTool } from './locate.js';
export { ENCODE_DEFAULTS, encodeVideo, type EncodeOptions } from './encode.js';
