// Small helpers to build the tables and figure lists without a framework.

export const $ = (selector, root = document) => root.querySelector(selector);

/** An element with attributes (data-* included) and children (text or elements). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children.flat().map(c => (c instanceof Node ? c : document.createTextNode(String(c ?? '')))));
  return node;
}

/** A table cell whose data-field names the figure and data-value keeps the API's exact text. */
export const cell = (field, shown, exact = undefined, className = undefined) =>
  el('td', { 'data-field': field, 'data-value': exact, class: className }, shown);

/** Label: value pairs, each marked with data-field. */
export function figures(root, pairs) {
  root.replaceChildren(...pairs.map(([field, label, value]) => el('span', { 'data-field': field }, el('b', {}, label + ' '), value)));
}

export function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

/** Fills each <select name="symbol"> of the root with the symbols, keeping a choice that is still there. */
export function symbolChoices(root, symbols) {
  for (const select of root.querySelectorAll('select[name="symbol"]')) {
    const chosen = select.value;
    select.replaceChildren(...symbols.map(s => el('option', { value: s }, s)));
    if (symbols.includes(chosen)) select.value = chosen;
  }
}

export const sideWord = side => (side === 'SIDE_LONG' ? 'Long' : side === 'SIDE_SHORT' ? 'Short' : '');
