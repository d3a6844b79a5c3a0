import type { ItemResult } from '../suites/results.js';
import { escapeHtml as h } from './escape.js';

/**
 * A relative path of plain segments to an image: no scheme, no leading slash, no `..`, so a
 * results file cannot point the page anywhere but beside itself.
 */
const SAFE_IMAGE_PATH = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*\.(?:jpe?g|png|webp)$/;

/** The item's key frame as a lazily loaded image linked relative to the report, or '' when it has none. */
export function keyFrameHtml(item: ItemResult, className: string): string {
  const path = item.keyFrame;
  if (path === undefined || !SAFE_IMAGE_PATH.test(path)) return '';
  return `<img class="${h(className)}" src="${h(path)}" alt="key frame of ${h(item.promptId)} by ${h(item.generator)}" loading="lazy">`;
}
