// Small, fast, deterministic hashing. Values must be pure functions of their inputs so any time
// window can be computed without storage; crypto hashes would be far too slow per minute.

// Module-level aliases: hot loops avoid global lookups (slow inside jest's vm sandbox).
const { imul, floor } = Math;

/** FNV-1a over the UTF-16 code units of a string, as an unsigned 32-bit integer. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3 finaliser: spreads the bits of a 32-bit integer. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hash of a 32-bit key combined with an integer (which may exceed 32 bits, e.g. a minute index). */
export function hashInt(key: number, value: number): number {
  const low = value >>> 0;
  const high = floor(value / 4294967296) >>> 0;
  return mix32(mix32(key ^ low) ^ imul(high + 0x9e3779b9, 0x27d4eb2f));
}

/** Uniform in [0, 1) from a 32-bit hash. */
export function unit(hash: number): number {
  return hash / 4294967296;
}

/** Deterministic uniform in [min, max) derived from a key and a label. */
export function uniformFor(key: number, label: string, min: number, max: number): number {
  return min + (max - min) * unit(mix32(key ^ hashString(label)));
}

/** A GUID-shaped identifier derived from a key (stable across runs). */
export function guidFor(key: number, label: string): string {
  const parts: string[] = [];
  let h = mix32(key ^ hashString(label));
  for (let i = 0; i < 4; i++) {
    h = mix32(h + 0x9e3779b9 + i);
    parts.push(h.toString(16).padStart(8, '0'));
  }
  const hex = parts.join('');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
