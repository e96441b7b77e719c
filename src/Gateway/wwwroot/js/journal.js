// The journal, a page of rows at a time: newest page first, older and newer by sequence.
import { el, cell } from './dom.js';
import { money } from './figures.js';

export const PAGE = 20;

export class Journal {
  constructor(table, range, api, ticks) {
    Object.assign(this, { table, range, api, ticks, from: 1 });
  }

  latest(sequence) { return this.load(Math.max(1, (sequence ?? 0) - PAGE + 1)); }

  older() { return this.load(Math.max(1, this.from - PAGE)); }

  newer() { return this.load(this.from + PAGE); }

  /** After a new row: the latest page again if it was shown, else the same page. */
  reload(sequence) { return this.showingLatest ? this.latest(sequence) : this.load(this.from); }

  async load(from) {
    const page = await this.api().get(`/v1/accounts/me/journal?from=${from}&limit=${PAGE}`);
    const rows = page.entries ?? [];
    if (rows.length === 0 && from > 1) return;
    this.from = from;
    this.showingLatest = !page.nextSequence || Number(page.nextSequence) === 0;
    const t = this.ticks();
    this.table.querySelector('tbody').replaceChildren(...rows.slice().reverse().map(r => el('tr', { 'data-sequence': r.sequence, 'data-kind': r.kind },
      cell('sequence', r.sequence), cell('time', (r.time ?? '').replace('T', ' ').slice(0, 19)), cell('kind', r.kind), cell('symbol', r.symbol ?? ''),
      cell('quantity', r.quantity ?? ''), cell('price', r.price ? t.price(r.symbol, r.price) : ''), cell('walletDelta', money(r.walletDelta)),
      cell('realizedPnl', money(r.realizedPnl)), cell('fee', money(r.fee)), cell('walletBalance', money(r.walletBalance)))));
    this.range.textContent = rows.length ? `#${rows[0].sequence} – #${rows.at(-1).sequence}` : 'no rows';
  }
}
