import type { TopLevelSpec } from 'vega-lite';

/** A view inside a concatenation, derived from the public top-level type (vega-lite exports no name for it). */
export type ViewSpec = Extract<TopLevelSpec, { hconcat: unknown }>['hconcat'][number];

/** A layer inside a layered view, derived the same way. */
export type LayerMemberSpec = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

/** Names the spec's format for tools; nothing is fetched from it. */
export const VEGA_LITE_SCHEMA_URL = 'https://vega.github.io/schema/vega-lite/v6.json';
