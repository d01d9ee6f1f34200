'use strict';
// Opens the event stream of /api/recommendations and draws a card per "recommendation" event as it arrives.
// Model output is inserted as text (textContent), never as HTML.

const form = document.getElementById('profile');
const button = document.getElementById('recommend');
const results = document.getElementById('results');
const cards = document.getElementById('cards');
const first = document.getElementById('first');
const last = document.getElementById('last');
const status = document.getElementById('status');

let source = null;
let clock = null;

// Fill the form with the server's default customer.
fetch('api/profile')
  .then(response => response.json())
  .then(profile => {
    for (const [name, value] of Object.entries(profile)) {
      const field = form.elements[name];
      if (field) field.value = Array.isArray(value) ? value.join(', ') : value;
    }
  });

form.addEventListener('submit', event => {
  event.preventDefault();
  if (source) source.close();
  cards.replaceChildren();
  first.textContent = last.textContent = '\u2013';
  const started = performance.now();
  const elapsed = () => seconds(performance.now() - started);
  let firstAt = null;
  let lastAt = null;
  setState('streaming', 'Waiting for the model\u2026 0.0 s');
  clearInterval(clock);
  clock = setInterval(() => {
    status.textContent = (firstAt ? 'Receiving\u2026 ' : 'Waiting for the model\u2026 ') + elapsed();
  }, 100);

  source = new EventSource('api/recommendations?' + new URLSearchParams(new FormData(form)));
  source.addEventListener('recommendation', e => {
    lastAt = elapsed();
    if (firstAt === null) {
      firstAt = lastAt;
      first.textContent = firstAt;
    }
    cards.append(card(JSON.parse(e.data), lastAt));
  });
  source.addEventListener('done', e => {
    const done = JSON.parse(e.data);
    last.textContent = lastAt ?? '\u2013';
    finish('done', `${done.delivered} recommendations, ${done.skipped} skipped as invalid. ` +
      `A page that waits for the whole answer would have shown nothing for ${elapsed()}.`);
  });
  source.addEventListener('failure', e => finish('failed', 'The model call failed: ' + JSON.parse(e.data).message));
  source.onerror = () => finish('failed', 'The connection to the server was lost.');
});

function finish(state, message) {
  source.close(); // an EventSource would reconnect, and ask again, when the server ends the stream
  clearInterval(clock);
  setState(state, message);
}

function setState(state, message) {
  results.dataset.state = state;
  status.textContent = message;
  button.disabled = state === 'streaming';
}

function card(c, at) {
  const li = element('li', 'card');
  li.dataset.rank = c.rank;
  li.append(
    element('span', 'rank', '#' + c.rank),
    element('h3', 'name', c.productName),
    element('p', 'meta', `${c.brand} \u00b7 ${c.category} \u00b7 $${c.priceUsd} \u00b7 ${c.productId}`),
    element('p', 'reason', c.reason),
    element('p', 'arrived', 'arrived after ' + at));
  return li;
}

function element(tag, className, text) {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function seconds(ms) {
  return (ms / 1000).toFixed(1) + ' s';
}
