// The trader's view: positions, the open / add-margin / TP-SL forms with a preview, the journal and
// the account's live events (server-sent events). The key lives in session storage only.
import { Api, requestId } from './api.js';
import { follow } from './events.js';
import { $, el, cell, figures, formValues, symbolChoices, sideWord } from './dom.js';
import { money, ratio, percent, Ticks } from './figures.js';
import { Journal } from './journal.js';

const KEY = 'margin.traderKey';

export class TraderView {
  constructor(root) {
    this.root = root;
    this.ticks = new Ticks();
    this.journal = new Journal($('#journal', root), $('#journal-range', root), () => this.api, () => this.ticks);
    $('#trader-login', root).addEventListener('submit', e => { e.preventDefault(); this.signIn($('#trader-key', root).value.trim()); });
    $('#trader-logout', root).addEventListener('click', () => this.signOut());
    $('#open-preview', root).addEventListener('click', () => this.act(() => this.preview()));
    $('#open-form', root).addEventListener('input', () => { $('#open-confirm', root).disabled = true; });
    $('#open-form', root).addEventListener('submit', e => { e.preventDefault(); this.act(() => this.open()); });
    $('#margin-form', root).addEventListener('submit', e => { e.preventDefault(); this.act(() => this.addMargin(e.target)); });
    $('#tpsl-form', root).addEventListener('submit', e => { e.preventDefault(); this.act(() => this.setTakeProfitStopLoss(e.target)); });
    $('#journal-older', root).addEventListener('click', () => this.act(() => this.journal.older()));
    $('#journal-newer', root).addEventListener('click', () => this.act(() => this.journal.newer()));
    $('#journal-latest', root).addEventListener('click', () => this.act(() => this.journal.latest(this.sequence)));
    const saved = sessionStorage.getItem(KEY);
    if (saved) this.signIn(saved);
  }

  async signIn(key) {
    this.stop?.abort();
    this.api = new Api(key);
    await this.act(async () => {
      const account = await this.api.get('/v1/accounts/me');
      sessionStorage.setItem(KEY, key);
      const markets = (await this.api.get('/v1/markets')).markets ?? [];
      this.ticks = new Ticks(markets);
      symbolChoices(this.root, markets.map(m => m.symbol));
      $('#trader-body', this.root).hidden = false;
      $('#trader-logout', this.root).hidden = false;
      this.show(account);
      await this.journal.latest(this.sequence);
      this.listen(account.journalSequence);
      this.root.dataset.ready = 'true';
    });
  }

  signOut() {
    this.stop?.abort();
    this.watchMarks([]);
    sessionStorage.removeItem(KEY);
    $('#trader-body', this.root).hidden = true;
    $('#trader-logout', this.root).hidden = true;
    delete this.root.dataset.ready;
  }

  /** Each journal row as it is written: listed, then the account and the journal read again. */
  listen(after) {
    this.stop = new AbortController();
    const list = $('#events', this.root);
    follow(`/v1/accounts/me/events:sse?from=${Number(after ?? 0) + 1}`, this.api.headers(), event => {
      const row = JSON.parse(event.data);
      const kind = event.event === 'marginCall' ? 'MarginCall' : row.kind;
      list.prepend(el('li', { 'data-kind': kind, 'data-sequence': event.id, 'data-symbol': row.symbol },
        event.event === 'marginCall' ? `margin call ${row.symbol || 'cross'} ratio ${ratio(row.ratio)}` :
          `#${event.id} ${row.kind} ${row.symbol ?? ''} ${row.quantity ?? ''} ${row.price ? '@ ' + this.ticks.price(row.symbol, row.price) : ''} wallet ${money(row.walletBalance)}`));
      if (event.id) this.sequence = Number(event.id);
      this.act(() => this.refresh());
    }, this.stop.signal, state => { list.dataset.state = state; });
  }

  async refresh() {
    this.show(await this.api.get('/v1/accounts/me'));
    await this.journal.reload(this.sequence);
  }

  /** The marks of the symbols held (anonymous, so a plain EventSource): each new mark reads the account again, one read at a time. */
  watchMarks(symbols) {
    this.marks ??= new Map();
    for (const [symbol, source] of this.marks) {
      if (!symbols.includes(symbol)) { source.close(); this.marks.delete(symbol); }
    }
    for (const symbol of symbols.filter(s => !this.marks.has(s))) {
      const source = new EventSource(`/v1/markets/${symbol}/marks:sse`);
      source.onmessage = () => {
        this.remark ??= this.act(async () => this.show(await this.api.get('/v1/accounts/me'))).finally(() => { this.remark = null; });
      };
      this.marks.set(symbol, source);
    }
  }

  show(account) {
    this.sequence = Math.max(this.sequence ?? 0, Number(account.journalSequence ?? 0));
    figures($('#account', this.root), [
      ['accountId', 'Account', account.accountId], ['walletBalance', 'Wallet', money(account.walletBalance)],
      ['available', 'Available', money(account.available)], ['equity', 'Equity', money(account.equity)],
      ['marginRatio', 'Cross margin ratio', ratio(account.marginRatio)],
    ]);
    this.watchMarks([...new Set((account.positions ?? []).map(p => p.symbol))]);
    const t = this.ticks;
    $('#positions tbody', this.root).replaceChildren(...(account.positions ?? []).map(p => el('tr', { 'data-symbol': p.symbol, 'data-side': p.side, 'data-position-side': p.positionSide },
      cell('symbol', p.symbol), cell('side', sideWord(p.side), p.side, p.side === 'SIDE_LONG' ? 'long' : 'short'), cell('quantity', p.quantity, p.quantity),
      cell('entryPrice', money(p.entryPrice), p.entryPrice), cell('markPrice', t.price(p.symbol, p.markPrice), p.markPrice),
      cell('liquidationPrice', t.trigger(p.symbol, p.side, p.liquidationPrice), p.liquidationPrice),
      cell('margin', p.marginMode === 'MARGIN_MODE_CROSS' ? 'cross' : money(p.isolatedMargin), p.isolatedMargin),
      cell('marginRatio', ratio(p.marginRatio), p.marginRatio), cell('unrealizedPnl', money(p.unrealizedPnl), p.unrealizedPnl),
      cell('roePercent', percent(p.roePercent), p.roePercent),
      cell('takeProfitStopLoss', `${t.price(p.symbol, p.takeProfitPrice)} / ${t.price(p.symbol, p.stopLossPrice)}`, `${p.takeProfitPrice ?? ''}/${p.stopLossPrice ?? ''}`),
      el('td', {}, el('button', { type: 'button', 'data-action': 'close', onclick: () => this.act(() => this.close(p)) }, 'Close')))));
  }

  order() {
    const v = formValues($('#open-form', this.root));
    return { symbol: v.symbol, side: v.side, quantity: v.quantity.trim(), leverage: Number(v.leverage) };
  }

  /** The liquidation price before the trader confirms: the same rules the open will use. */
  async preview() {
    const order = this.order();
    const p = await this.api.post('/v1/positions:preview', order);
    const t = this.ticks;
    $('#preview', this.root).replaceChildren(...[
      ['fillPrice', 'Fill', t.price(order.symbol, p.fillPrice)], ['notional', 'Notional', money(p.notional)],
      ['initialMargin', 'Margin', money(p.initialMargin)], ['fee', 'Fee', money(p.fee)],
      ['liquidationPrice', 'Liq. price', t.trigger(order.symbol, order.side, p.liquidationPrice)],
      ['bankruptcyPrice', 'Bankruptcy', t.trigger(order.symbol, order.side, p.bankruptcyPrice)],
    ].map(([field, label, value]) => el('div', { 'data-field': field }, el('dt', {}, label), el('dd', {}, value))));
    $('#open-confirm', this.root).disabled = false;
  }

  async open() {
    const reply = await this.api.post('/v1/positions:open', { requestId: requestId(), ...this.order() });
    $('#open-confirm', this.root).disabled = true;
    this.notice(`Opened: fill ${this.ticks.price(this.order().symbol, reply.fillPrice)}, fee ${money(reply.fee)}${reply.note ? ' — ' + reply.note : ''}`);
    await this.refresh();
  }

  async close(position) {
    const reply = await this.api.post(`/v1/positions/${position.symbol}:close`, { requestId: requestId(), positionSide: position.positionSide });
    this.notice(`Closed ${position.symbol}: realized ${money(reply.realizedPnl)}, fee ${money(reply.fee)}`);
    await this.refresh();
  }

  async addMargin(form) {
    const v = formValues(form);
    await this.api.post(`/v1/positions/${v.symbol}:addMargin`, { requestId: requestId(), amount: v.amount.trim() });
    this.notice(`Added ${money(v.amount)} to ${v.symbol}`);
    await this.refresh();
  }

  async setTakeProfitStopLoss(form) {
    const v = formValues(form);
    const reply = await this.api.post(`/v1/positions/${v.symbol}:setTakeProfitStopLoss`,
      { requestId: requestId(), takeProfitPrice: v.takeProfitPrice.trim(), stopLossPrice: v.stopLossPrice.trim() });
    this.notice(`Take profit / stop loss set on ${v.symbol}${reply.note ? ' — ' + reply.note : ''}`);
    await this.refresh();
  }

  notice(text) { $('#trader-notice', this.root).textContent = text; }

  /** Runs a step; a refusal is shown with its reason, as the API sends it. */
  async act(step) {
    const error = $('#trader-error', this.root);
    try {
      await step();
      error.textContent = '';
    } catch (e) {
      error.textContent = e.message;
    }
  }
}
