'use strict';
// Opens the event stream of /api/recommendations and draws a card per "recommendation" event as it arrives.
// Model output is inserted as text (textContent), never as HTML.

const form = document.getElementById('customer');
const button = document.getElementById('recommend');
const results = document.getElementById('results');
const cards = document.getElementById('cards');
const status = document.getElementById('status');
let source = null;

form.addEventListener('submit', event => {
  event.preventDefault();
  if (source) source.close();
  cards.replaceChildren();
  const started = performance.now();
  const elapsed = () => ((performance.now() - started) / 1000).toFixed(1) + ' s';
  setState('streaming', 'Waiting for the model\u2026');

  source = new EventSource('api/recommendations?' + new URLSearchParams(new FormData(form)));
  source.addEventListener('recommendation', e => {
    const c = JSON.parse(e.data);
    const li = element('li', 'card');
    li.dataset.rank = c.rank;
    li.append(
      element('span', 'rank', '#' + c.rank),
      element('h3', 'name', c.productName),
      element('p', 'meta', `${c.brand} \u00b7 ${c.category} \u00b7 $${c.priceUsd} \u00b7 ${c.productId}`),
      element('p', 'reason', c.reason),
      element('p', 'arrived', 'arrived after ' + elapsed()));
    cards.append(li);
    status.textContent = 'Receiving\u2026';
  });
  source.addEventListener('done', e => {
    const done = JSON.parse(e.data);
    finish('done', `${done.delivered} recommendations in ${elapsed()}, ${done.skipped} skipped as invalid.`);
  });
  source.addEventListener('failure', e => finish('failed', 'The model call failed: ' + JSON.parse(e.data).message));
  source.onerror = () => finish('failed', 'The connection to the server was lost.');
});

function finish(state, message) {
  source.close(); // an EventSource would reconnect, and ask again, when the server ends the stream
  setState(state, message);
}

function setState(state, message) {
  results.dataset.state = state;
  status.textContent = message;
  button.disabled = state === 'streaming';
}

function element(tag, className, text) {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}
