// The panel's two views, chosen by the address's #trader / #operator.
import { TraderView } from './trader.js';
import { OperatorView } from './operator.js';

function show() {
  document.body.dataset.view = location.hash === '#operator' ? 'operator' : 'trader';
}

window.addEventListener('hashchange', show);
show();
new TraderView(document.getElementById('trader'));
new OperatorView(document.getElementById('operator'));
