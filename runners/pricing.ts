import type { GeneratorInfo } from './types.js';

/**
 * Sora's price per second of generated video, USD, from OpenAI's model page (2026): sora-2 $0.10/s,
 * sora-2-pro $0.30/s at 720p. Azure bills Sora 2 per second alike (reported by LiteLLM). The other
 * providers keep their prices beside their model tables (`runners/providers/*.ts`).
 */
export const SORA_PRICES_USD_PER_S = {
  'openai:sora-2': 0.1,
  'openai:sora-2-pro': 0.3,
  'azure:sora-2': 0.1,
} as const;

/**
 * The price a run uses: the config's entry for the generator id, else its family's (`runway:*`),
 * else the runner's own table. Overrides exist because list prices change faster than releases.
 */
export function resolvePriceUsdPerS(info: Pick<GeneratorInfo, 'id' | 'priceUsdPerS'>, overrides: Readonly<Record<string, number>> = {}): number {
  const family = `${info.id.split(':')[0] ?? info.id}:*`;
  return overrides[info.id] ?? overrides[family] ?? info.priceUsdPerS;
}

/** Cost of a clip: billed seconds × price per second, rounded to a tenth of a cent. */
export function clipCostUsd(billedSeconds: number, usdPerS: number): number {
  return Math.round(billedSeconds * usdPerS * 1000) / 1000;
}
