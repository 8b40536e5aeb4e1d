const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const codes: number[] = new Array(22).fill(0);

/** A new client id: 16 random bytes, base64url without padding (22 characters). */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let j = 0;
  for (let i = 0; i < 15; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    codes[j++] = ALPHABET.charCodeAt(n >>> 18);
    codes[j++] = ALPHABET.charCodeAt((n >>> 12) & 63);
    codes[j++] = ALPHABET.charCodeAt((n >>> 6) & 63);
    codes[j++] = ALPHABET.charCodeAt(n & 63);
  }
  const last = bytes[15] as number;
  codes[20] = ALPHABET.charCodeAt(last >>> 2);
  codes[21] = ALPHABET.charCodeAt((last & 3) << 4);
  // one flat string from the char codes: `btoa(...).replace(/=+$/, "")` gave a sliced string that kept its
  // 24-character parent alive as long as the session (32 B more per idle connection)
  return String.fromCharCode.apply(null, codes);
}
