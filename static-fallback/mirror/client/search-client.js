// Vitrine offline search (works from file://). The only tokenizer/matcher: search-index.ts runs this file in node:vm.

/** Lowercase words, diacritics stripped (NFKD), letters and digits only. */
function vitrineTokens(text) {
  return String(text)
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Items whose tokens prefix-match every query word; most exact-token matches first, then index (title) order. */
function vitrineSearch(index, query, limit) {
  const max = limit === undefined ? 50 : limit;
  const words = [...new Set(vitrineTokens(String(query).slice(0, 200)))].slice(0, 10);
  if (!words.length || !(max > 0)) return [];
  const w = index.tokens;
  const matched = new Array(index.items.length).fill(0);
  const exact = new Array(index.items.length).fill(0);
  words.forEach((word, k) => {
    let lo = 0;
    let hi = w.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (w[mid] < word) lo = mid + 1;
      else hi = mid;
    }
    for (let j = lo; j < w.length && w[j].startsWith(word); j++) {
      for (const i of index.postings[j]) {
        if (matched[i] === k) matched[i] = k + 1;
        if (w[j] === word) exact[i]++;
      }
    }
  });
  const hits = [];
  matched.forEach((m, i) => {
    if (m === words.length) hits.push(i);
  });
  hits.sort((a, b) => exact[b] - exact[a] || a - b);
  return hits.slice(0, max).map((i) => index.items[i]);
}

if (typeof document !== 'undefined') {
  const input = document.getElementById('search-q');
  const list = document.getElementById('search-results');
  const status = document.getElementById('search-status');
  const index = window.__VITRINE_SEARCH__;
  const el = (tag, text) => {
    const node = document.createElement(tag);
    if (text) node.textContent = text;
    return node;
  };
  const render = (query) => {
    list.textContent = '';
    if (!index) {
      status.textContent = 'The search index could not be loaded.';
      return;
    }
    const all = query.trim() ? vitrineSearch(index, query, Infinity) : [];
    status.textContent = !query.trim()
      ? ''
      : all.length === 0
        ? `No results for “${query.trim()}”.`
        : `${all.length} result${all.length === 1 ? '' : 's'}${all.length > 50 ? ', showing the first 50' : ''}.`;
    for (const item of all.slice(0, 50)) {
      const li = el('li');
      const a = el('a');
      a.href = item.h;
      if (item.i) a.appendChild(Object.assign(el('img'), { src: item.i, alt: '', width: 48, height: 48, loading: 'lazy' }));
      a.appendChild(el('strong', item.t));
      li.appendChild(a);
      li.appendChild(el('span', ` ${[item.b, item.c, item.p].filter(Boolean).join(' · ')}`));
      list.appendChild(li);
    }
  };
  if (input && list && status) {
    input.value = new URLSearchParams(location.search).get('q') || '';
    render(input.value);
    input.addEventListener('input', () => render(input.value));
  }
}
