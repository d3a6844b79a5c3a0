/** Replaces every occurrence of a secret (an API key) in provider text before it is stored or shown. */
export function redact(text: string, secrets: readonly string[]): string {
  let clean = text;
  // Very short strings would blank out ordinary words; no real key is that short.
  for (const secret of secrets) if (secret.length >= 8) clean = clean.split(secret).join('[redacted]');
  return clean;
}
