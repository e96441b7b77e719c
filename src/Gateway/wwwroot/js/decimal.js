// Exact decimal arithmetic on the API's decimal strings, with BigInt: a price is never a float here.

/** "-12.345" as { n: -12345n, s: 3 } (the digits and the places), or null when it is not a decimal. */
export function parse(text) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(text ?? '').trim());
  if (!m) return null;
  const places = m[3] ?? '';
  const n = BigInt(m[2] + places);
  return { n: m[1] ? -n : n, s: places.length };
}

export const pow10 = k => 10n ** BigInt(k);

/** a ÷ b to a whole number: 'ceil', 'floor', 'halfEven' (.NET's Math.Round) or 'halfAway' (.NET's "0.00" format). */
export function divide(a, b, mode) {
  if (b < 0n) { a = -a; b = -b; }
  const q = a / b, r = a % b;
  if (r === 0n) return q;
  const negative = a < 0n;
  if (mode === 'ceil') return negative ? q : q + 1n;
  if (mode === 'floor') return negative ? q - 1n : q;
  const twice = 2n * (r < 0n ? -r : r);
  const away = twice > b || (twice === b && (mode === 'halfAway' || q % 2n !== 0n));
  return away ? (negative ? q - 1n : q + 1n) : q;
}

/** The value rounded to <places> (never more places than it has). */
export function round(d, places, mode) {
  return d.s <= places ? d : { n: divide(d.n, pow10(d.s - places), mode), s: places };
}

/** Exactly <places> places, padding with zeros. */
export function text(d, places = d.s) {
  const n = places >= d.s ? d.n * pow10(places - d.s) : divide(d.n, pow10(d.s - places), 'halfAway');
  const digits = (n < 0n ? -n : n).toString().padStart(places + 1, '0');
  const body = places > 0 ? digits.slice(0, -places) + '.' + digits.slice(-places) : digits;
  return (n < 0n ? '-' : '') + body;
}

/** Places without the trailing zeros: "0.10" has 1. */
export function significantPlaces(d) {
  let { n, s } = d;
  while (s > 0 && n % 10n === 0n) { n /= 10n; s--; }
  return s;
}

export function compare(a, b) {
  const s = Math.max(a.s, b.s);
  const x = a.n * pow10(s - a.s), y = b.n * pow10(s - b.s);
  return x < y ? -1 : x > y ? 1 : 0;
}
