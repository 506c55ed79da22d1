// Vitrine quote form, a plain POST without JS: prefill ?sku=, post JSON, fall back to a filled-in mailto:
(() => {
  if (typeof document === 'undefined') return;
  const $ = (id) => document.getElementById(`quote-${id}`);
  const [form, status, mailto] = [$('form'), $('status'), $('mailto')];
  if (!form || !status || !mailto) return;
  const f = form.elements;
  const sku = new URLSearchParams(location.search).get('sku');
  if (sku && f.sku && !f.sku.value) f.sku.value = sku.slice(0, 64);
  if (typeof fetch !== 'function') return;
  const address = mailto.href.split('?')[0];
  const uuid = () => {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, (x) => (x + 256).toString(16).slice(1)).join('');
    return h.replace(/(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
  };
  let key = '';
  let sent = '';
  let busy = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    const v = {};
    for (const n of ['kind', 'sku', 'quantity', 'name', 'email', 'phone', 'message']) v[n] = f[n] ? String(f[n].value).trim() : '';
    const quantity = Number.parseInt(v.quantity, 10);
    const lead = {
      kind: v.kind,
      sku: v.sku || undefined,
      quantity: quantity > 0 ? quantity : undefined,
      contact: { name: v.name, email: v.email, phone: v.phone || undefined },
      message: v.message || undefined,
    };
    const body = JSON.stringify(lead);
    if (body !== sent) key = uuid(); // one key per form fill (a resend reuses it)
    sent = body;
    busy = true;
    status.textContent = 'Sending…';
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 10000);
    let error = '';
    try {
      const headers = { 'content-type': 'application/json', 'idempotency-key': key };
      const res = await fetch(form.action, { method: 'POST', headers, body, signal: abort.signal });
      if (res.ok) {
        const r = await res.json().catch(() => null);
        const id = r && (r.receipt || r.id || r.receiptId);
        status.textContent = `Thank you, your request was sent.${id ? ` Receipt: ${id}.` : ''}`;
        form.reset();
        sent = '';
      } else error = `Sending failed (HTTP ${res.status}).`;
    } catch {
      error = abort.signal.aborted ? 'Sending timed out.' : 'Network error.';
    }
    clearTimeout(timer);
    busy = false;
    if (!error) return;
    status.textContent = `${error} Please email it instead (the link below is filled in).`;
    const subject = f.kind.options[f.kind.selectedIndex].text + (v.sku ? ` for ${v.sku}` : '');
    const text = `SKU: ${v.sku}\r\nQuantity: ${v.quantity}\r\nName: ${v.name}\r\nPhone: ${v.phone}\r\n\r\n${v.message}`;
    mailto.href = `${address}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(text)}`;
    mailto.style.cssText = 'font-size:1.25rem;font-weight:700';
    mailto.focus();
  });
})();
