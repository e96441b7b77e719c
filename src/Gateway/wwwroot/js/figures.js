// The CLI's number formats (src/Cli/Figures.cs), so the panel and the terminal show the same figures:
// money 2 to 8 places (trailing zeros trimmed past 2), prices on the market's tick, a liquidation or
// bankruptcy price rounded to the tick toward the mark, ratios as a percentage with 2 places.
import { parse, round, text, divide, pow10, significantPlaces } from './decimal.js';

export function money(value) {
  const d = parse(value);
  if (!d) return value ?? '';
  const r = round(d, 8, 'halfEven');
  let out = text(r, Math.max(2, r.s));
  while (/\.\d{3,}$/.test(out) && out.endsWith('0')) out = out.slice(0, -1);
  return out;
}

/** MM ÷ what backs it, as "12.34%" (the ratio × 100, 2 places). */
export function ratio(value) {
  const d = parse(value);
  return d ? text({ n: divide(d.n * 10000n, pow10(d.s), 'halfAway'), s: 2 }) + '%' : '--';
}

/** A figure the API already sends in percent (ROE), with 2 places as every ratio. */
export function percent(value) {
  const d = parse(value);
  return d ? text(round(d, 2, 'halfAway'), 2) + '%' : '--';
}

export class Ticks {
  constructor(markets = []) { this.ticks = new Map(markets.map(m => [m.symbol, m.tickSize])); }

  /** A price on the symbol's tick (nearest, halves away from zero); empty: "--". */
  price(symbol, value) { return this.onTick(symbol, value, 'halfAway'); }

  /** A liquidation or bankruptcy price on the tick toward the mark: a long's up, a short's down. */
  trigger(symbol, side, value) { return this.onTick(symbol, value, side === 'SIDE_LONG' ? 'ceil' : 'floor'); }

  onTick(symbol, value, mode) {
    const d = parse(value);
    if (!d) return value ? value : '--';
    const tick = parse(this.ticks.get(symbol));
    if (!tick || tick.n <= 0n) return money(value);
    const s = Math.max(d.s, tick.s);
    const steps = divide(d.n * pow10(s - d.s), tick.n * pow10(s - tick.s), mode);
    return text({ n: steps * tick.n, s: tick.s }, significantPlaces(tick));
  }
}
