/**
 * A small seeded generator for fixtures: the same seed always builds the same fake tokens, so the
 * corpora are deterministic and no real secret is ever pasted into the repository.
 */

export const ALPHABETS = {
  digits: '0123456789',
  hex: '0123456789abcdef',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  upperDigits: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  lowerDigits: 'abcdefghijklmnopqrstuvwxyz0123456789',
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  base64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  /** RFC 4648 base32, as in AWS access key ids. */
  base32: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
  /** Bech32, as in age secret keys (upper-cased). */
  bech32: 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L',
} as const;

export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** `length` characters drawn from `alphabet`. */
  chars(alphabet: string, length: number): string;
  pick<T>(items: readonly T[]): T;
  bytes(length: number): Buffer;
}

/** mulberry32: tiny, fast and good enough for test data (not for anything secret). */
export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chars(alphabet, length) {
      let text = '';
      for (let index = 0; index < length; index++) text += alphabet[Math.floor(next() * alphabet.length)];
      return text;
    },
    pick(items) {
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    bytes(length) {
      const buffer = Buffer.alloc(length);
      for (let index = 0; index < length; index++) buffer[index] = int(0, 255);
      return buffer;
    },
  };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, index) => {
  let value = index;
  for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  return value >>> 0;
});

/** CRC-32 (IEEE), as used for the checksum of GitHub and npm tokens. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let index = 0; index < text.length; index++) {
    crc = (CRC_TABLE[(crc ^ text.charCodeAt(index)) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `value` in base 62, left-padded with `0` to `width` characters. */
export function base62(value: number, width: number): string {
  let text = '';
  let rest = value;
  do {
    text = BASE62[rest % 62] + text;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return text.padStart(width, '0');
}

/** Base64url without padding, as in JWTs. */
export function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}
