// The operator's view: markets, the liquidation heatmap and the mark history as SVG, insurance
// funds, the stress test, the cluster's silos and the audit. Needs the operator's key.
import { Api } from './api.js';
import { $, el, cell, figures, formValues, sideWord } from './dom.js';
import { money, Ticks } from './figures.js';
import { heatmap, markLine } from './chart.js';

const KEY = 'margin.operatorKey';
const HISTORY = 300;

export class OperatorView {
  constructor(root) {
    this.root = root;
    this.ticks = new Ticks();
    this.history = [];
    $('#operator-login', root).addEventListener('submit', e => { e.preventDefault(); this.signIn($('#operator-key', root).value.trim()); });
    $('#operator-logout', root).addEventListener('click', () => this.signOut());
    $('#heatmap-form', root).addEventListener('submit', e => { e.preventDefault(); this.act(() => this.drawHeatmap()); });
    $('#heatmap-symbol', root).addEventListener('change', () => this.act(() => this.follow()));
    $('#stress-form', root).addEventListener('submit', e => { e.preventDefault(); this.act(() => this.stress(e.target)); });
    const saved = sessionStorage.getItem(KEY);
    if (saved) this.signIn(saved);
  }

  get symbol() { return $('#heatmap-symbol', this.root).value; }

  async signIn(key) {
    this.api = new Api(key);
    await this.act(async () => {
      await this.api.get('/v1/operator/audit');
      sessionStorage.setItem(KEY, key);
      $('#operator-body', this.root).hidden = false;
      $('#operator-logout', this.root).hidden = false;
      await this.refresh();
      await this.follow();
      this.root.dataset.ready = 'true';
    });
  }

  signOut() {
    this.marks?.close();
    sessionStorage.removeItem(KEY);
    $('#operator-body', this.root).hidden = true;
    $('#operator-logout', this.root).hidden = true;
    delete this.root.dataset.ready;
  }

  async refresh() {
    const markets = (await this.api.get('/v1/markets')).markets ?? [];
    this.ticks = new Ticks(markets);
    const select = $('#heatmap-symbol', this.root);
    const chosen = select.value;
    select.replaceChildren(...markets.map(m => el('option', { value: m.symbol }, m.symbol)));
    if (markets.some(m => m.symbol === chosen)) select.value = chosen;
    const t = this.ticks;
    $('#markets tbody', this.root).replaceChildren(...markets.map(m => el('tr', { 'data-symbol': m.symbol },
      cell('symbol', m.symbol), cell('markPrice', t.price(m.symbol, m.markPrice), m.markPrice), cell('indexPrice', t.price(m.symbol, m.indexPrice), m.indexPrice),
      cell('fundingRateEstimate', m.fundingRateEstimate ?? '', m.fundingRateEstimate), cell('nextFundingTime', (m.nextFundingTime ?? '').replace('T', ' ').slice(0, 19)),
      cell('breaker', m.heldMark ? `holding ${t.price(m.symbol, m.heldMark)}` : m.stale ? 'stale' : 'clear', m.heldMark ? 'held' : m.stale ? 'stale' : 'clear'),
      cell('openTriggers', m.openTriggers ?? 0), cell('liquidationBacklog', m.liquidationBacklog ?? 0))));
    await Promise.all([this.funds(markets), this.health(), this.drawHeatmap()]);
  }

  async funds(markets) {
    const keys = [...markets.map(m => m.symbol), 'USDT'];
    const funds = await Promise.all(keys.map(s => this.api.get(`/v1/operator/insuranceFunds/${s}`).catch(() => null)));
    const all = await this.api.get('/v1/operator/insuranceFunds');
    $('#funds tbody', this.root).replaceChildren(...[...funds.filter(Boolean), { ...all, symbol: 'all' }].map(f => el('tr', { 'data-symbol': f.symbol },
      cell('symbol', f.symbol), ...['balance', 'received', 'paid', 'toppedUp', 'owed', 'deleveraged'].map(name => cell(name, money(f[name]), f[name])))));
  }

  async health() {
    const [cluster, audit] = await Promise.all([this.api.get('/v1/operator/cluster'), this.api.get('/v1/operator/audit')]);
    figures($('#health', this.root), (cluster.silos ?? []).map(s => [`silo-${s.address}`, `${s.name || s.address}${s.gateway ? ' (gateway)' : ''}`, s.status]));
    figures($('#audit', this.root), [
      ['balanced', 'Balanced', audit.balanced ? 'yes' : 'NO'], ['discrepancy', 'Discrepancy', money(audit.discrepancy)],
      ['deposits', 'Deposits', money(audit.deposits)], ['wallets', 'Wallets', money(audit.wallets)], ['isolatedMargins', 'Isolated margins', money(audit.isolatedMargins)],
      ['insuranceFund', 'Funds', money(audit.insuranceFund)], ['fundsOwed', 'Funds owed', money(audit.fundsOwed)], ['accounts', 'Accounts', audit.accounts ?? 0],
    ]);
    $('#audit', this.root).dataset.balanced = String(Boolean(audit.balanced));
  }

  async drawHeatmap() {
    if (!this.symbol) return;
    const v = formValues($('#heatmap-form', this.root));
    const query = new URLSearchParams({ bucketsEachSide: v.bucketsEachSide || '10', ...(v.bucketSize ? { bucketSize: v.bucketSize.trim() } : {}) });
    const reply = await this.api.get(`/v1/operator/markets/${this.symbol}/liquidationHeatmap?${query}`);
    heatmap($('#heatmap-chart', this.root), reply, money);
    const table = $('#heatmap-table', this.root);
    table.querySelector('tbody').replaceChildren(...reply.buckets.filter(b => b.longCount || b.shortCount).map(b => el('tr', { 'data-low': b.low, 'data-high': b.high },
      cell('low', b.low), cell('high', b.high), cell('longNotional', money(b.longNotional), b.longNotional, 'long'), cell('longCount', b.longCount ?? 0),
      cell('shortNotional', money(b.shortNotional), b.shortNotional, 'short'), cell('shortCount', b.shortCount ?? 0))));
    table.dataset.symbol = reply.symbol;
    table.dataset.markPrice = reply.markPrice;
    table.dataset.drawn = String((Number(table.dataset.drawn) || 0) + 1);
  }

  /** The chosen market's marks as they come (anonymous, so a plain EventSource): the line, and the tables read again. */
  async follow() {
    this.marks?.close();
    this.history = [];
    const symbol = this.symbol;
    if (!symbol) return;
    this.marks = new EventSource(`/v1/markets/${symbol}/marks:sse`);
    this.marks.onmessage = event => {
      const mark = JSON.parse(event.data);
      this.history = [...this.history, { time: Date.parse(mark.markTime) || Date.now(), price: mark.markPrice }].slice(-HISTORY);
      markLine($('#mark-chart', this.root), symbol, this.history);
      if (!this.refreshing) {
        this.refreshing = this.act(() => this.refresh()).finally(() => { this.refreshing = null; });
      }
    };
    await this.drawHeatmap();
  }

  async stress(form) {
    const markPrice = formValues(form).markPrice.trim();
    const r = await this.api.get(`/v1/operator/markets/${this.symbol}/stressTest?markPrice=${encodeURIComponent(markPrice)}`);
    const t = this.ticks;
    figures($('#stress-summary', this.root), [
      ['positions', 'Liquidated', (r.positions ?? []).length], ['fundPays', 'Fund pays', money(r.fundPays)], ['fundReceives', 'Fund receives', money(r.fundReceives)],
      ['balance', 'Fund balance', money(r.insuranceFund?.balance)], ['wouldDeleverage', 'ADL', r.wouldDeleverage ? 'would start' : 'no'],
    ]);
    const table = $('#stress-result', this.root);
    table.querySelector('tbody').replaceChildren(...(r.positions ?? []).map(p => el('tr', { 'data-account': p.accountId, 'data-side': p.side },
      cell('accountId', p.accountId + (p.cross ? ' (cross)' : '')), cell('side', sideWord(p.side), p.side, p.side === 'SIDE_LONG' ? 'long' : 'short'),
      cell('quantity', p.quantity, p.quantity), cell('entryPrice', money(p.entryPrice), p.entryPrice),
      cell('liquidationPrice', t.trigger(r.symbol, p.side, p.liquidationPrice), p.liquidationPrice), cell('bankruptcyPrice', t.trigger(r.symbol, p.side, p.bankruptcyPrice), p.bankruptcyPrice),
      cell('notional', money(p.notional), p.notional), cell('toInsuranceFund', money(p.toInsuranceFund), p.toInsuranceFund))));
    table.dataset.markPrice = r.markPrice;
    table.dataset.wouldDeleverage = String(Boolean(r.wouldDeleverage));
    table.dataset.runs = String((Number(table.dataset.runs) || 0) + 1);
  }

  async act(step) {
    const error = $('#operator-error', this.root);
    try {
      await step();
      error.textContent = '';
    } catch (e) {
      error.textContent = e.message;
    }
  }
}
