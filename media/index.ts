export type { AudioStreamInfo, AudioTrack, Frame, PixelFormat, VideoInfo } from './types.js';
export { MediaError, isMediaError, type MediaErrorCode } from './errors.js';
export { clearToolCache, findFfmpeg, findFfprobe, locateTool, type LocatedTool, type LocateOptions, type MediaTool } from './locate.js';
export { ENCODE_DEFAULTS, encodeVideo, type EncodeOptions } from './encode.js';
export { assertReadableFile, parseRate, probeVideo, rotationDegrees, startsLikeMp4, VFR_RATE_TOLERANCE } from './probe.js';
export { alignToVideo, readAudio, type ReadAudioOptions } from './audio.js';
export { analysisSize, firstFrameTimeS, readFrames, type ReadFramesOptions } from './frames.js';
