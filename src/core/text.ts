/**
 * Text from outside (config values, network answers, errors) as a message may show it: clipped,
 * and the message of whatever was thrown.
 */

/** At most `max` characters, an ellipsis marking the cut. */
export const clip = (s: string, max = 120): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** A value quoted for a message, clipped to 80 characters. */
export const quote = (s: string): string => JSON.stringify(clip(s, 80));

/** The first line of an error's message (or of whatever was thrown), without a final period. */
export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n', 1)[0]!.replace(/\.$/, '');

/** The `message` (or `error`) member of a JSON error body, if the body is one. */
export function jsonErrorMessage(
  body: string | undefined,
  keys: readonly string[] = ['message', 'Message', 'error_description', 'error'],
): string | undefined {
  if (!body) return undefined;
  try {
    const v: unknown = JSON.parse(body);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      for (const k of keys) {
        const m = (v as Record<string, unknown>)[k];
        if (typeof m === 'string') return m;
      }
    }
  } catch {
    // not JSON: no message to quote
  }
  return undefined;
}

/** A message that names where its value came from: `… (from --flag).`, inside the final period, never `.. ` or `. (from …)`. */
export function withSource(message: string, from: string): string {
  const m = /^([\s\S]*?)([.!?]?)$/.exec(message.trimEnd())!;
  return `${m[1]} (from ${from})${m[2] || '.'}`;
}

/** The first sentence that says what happened, without the advice after it (for a line shown right above a question). */
export const whatHappened = (message: string): string => message.replace(/\s+(?:Check|Fix|Set|Run|Add|Use)\b[\s\S]*$/, '');
