// Charts drawn as SVG by hand (no library, nothing fetched from elsewhere). Figures are drawn from
// Number for scale only: every number shown as text is the API's exact decimal.

const NS = 'http://www.w3.org/2000/svg';
const W = 600, H = 220, PAD = 28;

function svg(tag, attributes = {}, text = undefined) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The heatmap as bars: per bucket, the longs' notional (green) on the shorts' (red); a dashed line at the mark. */
export function heatmap(container, reply, money) {
  const buckets = reply.buckets ?? [];
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `liquidation heatmap of ${reply.symbol}`, 'data-buckets': buckets.length });
  const totals = buckets.map(b => Number(b.longNotional) + Number(b.shortNotional));
  const top = Math.max(1, ...totals);
  const width = (W - 2 * PAD) / Math.max(1, buckets.length);
  buckets.forEach((b, i) => {
    const x = PAD + i * width;
    let y = H - PAD;
    for (const [side, notional] of [['long', b.longNotional], ['short', b.shortNotional]]) {
      const height = (Number(notional) / top) * (H - 2 * PAD);
      if (height > 0) {
        y -= height;
        const bar = svg('rect', { x: x + 1, y, width: Math.max(1, width - 2), height, class: side, 'data-low': b.low, 'data-side': side, 'data-notional': notional });
        bar.append(svg('title', {}, `${b.low} – ${b.high}: ${side}s ${money(notional)}`));
        root.append(bar);
      }
    }
    if (i % Math.ceil(buckets.length / 6) === 0) root.append(svg('text', { x, y: H - 8 }, b.low));
  });
  const lowest = Number(buckets[0]?.low ?? 0), highest = Number(buckets.at(-1)?.high ?? 1);
  const markX = PAD + ((Number(reply.markPrice) - lowest) / (highest - lowest || 1)) * (W - 2 * PAD);
  root.append(svg('line', { x1: markX, x2: markX, y1: PAD / 2, y2: H - PAD, class: 'now' }), svg('text', { x: markX + 3, y: PAD }, `mark ${reply.markPrice}`));
  root.append(svg('text', { x: PAD, y: 12 }, `top bucket ${money(String(top))}`));
  container.replaceChildren(root);
}

/** The mark's history as a line, oldest at the left; the latest price written at its end. */
export function markLine(container, symbol, points) {
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `mark history of ${symbol}`, 'data-points': points.length });
  if (points.length > 0) {
    const prices = points.map(p => Number(p.price)), times = points.map(p => p.time);
    const [low, high] = [Math.min(...prices), Math.max(...prices)];
    const [first, last] = [times[0], times.at(-1)];
    const x = t => PAD + ((t - first) / (last - first || 1)) * (W - 2 * PAD);
    const y = p => H - PAD - ((p - low) / (high - low || 1)) * (H - 2 * PAD);
    root.append(svg('polyline', { class: 'mark', points: points.map(p => `${x(p.time)},${y(Number(p.price))}`).join(' ') }));
    root.append(svg('text', { x: PAD, y: 12 }, `high ${high}`), svg('text', { x: PAD, y: H - 8 }, `low ${low}`));
    root.append(svg('text', { x: W - PAD - 80, y: 12, 'data-field': 'lastMark' }, `${symbol} ${points.at(-1).price}`));
  }
  container.replaceChildren(root);
}
