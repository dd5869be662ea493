import { timingSafeEqual } from 'node:crypto';

/**
 * Whether two secrets are equal, in time that does not depend on where they differ. Lengths may differ
 * (a wrong secret is often shorter): both sides are padded with zeros to
 * the longer length, and the length check is folded in at the end so it leaks nothing earlier.
 */
export function sameSecret(configured: string, actual: string): boolean {
  const a = Buffer.from(configured, 'utf8');
  const b = Buffer.from(actual, 'utf8');
  const size = Math.max(a.length, b.length, 1);
  const left = Buffer.alloc(size);
  const right = Buffer.alloc(size);
  a.copy(left);
  b.copy(right);
  return timingSafeEqual(left, right) && a.length === b.length;
}
