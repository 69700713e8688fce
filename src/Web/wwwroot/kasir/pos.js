// The kiosk's sale screen. It keeps selling when the beach's signal goes: the cooperative's products live on this
// device (localStorage), each sale gets its id here and waits in a queue on the device until the server has it; the
// server records a sale once however often it is sent. Every word shown comes from the page (#pos-texts), in the
// clerk's language. No timer runs while nothing waits to be sent.
(function () {
  'use strict';
  const root = document.getElementById('pos');
  if (!root) return;
  const texts = JSON.parse(document.getElementById('pos-texts').textContent);
  const say = (key, ...args) => (texts[key] || '').replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)]));
  const $ = (id) => document.getElementById(id);
  const cooperative = root.dataset.cooperative;
  const session = root.dataset.session || null;
  // Who is signed in: a sale waits on the device with the clerk who made it, and is sent only under her sign-in (a
  // shared phone: the next person's sign-in would record it as hers). See signout.js.
  const clerk = root.dataset.clerk || '';
  const mine = (entry) => !entry.clerk || entry.clerk === clerk;
  const english = root.dataset.lang === 'en';
  const key = (name) => `pos.${name}.${cooperative}`;
  const load = (name, fallback) => {
    try { return JSON.parse(localStorage.getItem(key(name))) ?? fallback; } catch { return fallback; }
  };
  const save = (name, value) => localStorage.setItem(key(name), JSON.stringify(value));

  const rupiah = (amount) => (amount < 0 ? '-' : '') + 'Rp ' + String(Math.abs(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const digits = (text) => { const d = String(text || '').replace(/[^0-9]/g, ''); return d ? Number(d) : null; };
  const when = (iso) => new Intl.DateTimeFormat(texts.locale, {
    timeZone: texts.timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
  }).format(new Date(iso));
  // crypto.randomUUID needs a secure context; getRandomValues does not, and a v4 UUID is all the id must be.
  const newId = () => (crypto.randomUUID ? crypto.randomUUID() : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g,
    (c) => (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));
  const element = (tag, props, ...children) => {
    const node = document.createElement(tag);
    Object.entries(props || {}).forEach(([name, value]) => {
      if (value === undefined || value === null || value === false) return;
      if (name === 'dataset') Object.assign(node.dataset, value);
      else if (name.startsWith('aria-') || !(name in node)) node.setAttribute(name, value === true ? '' : value);
      else node[name] = value;
    });
    children.flat().forEach((child) => { if (child !== null && child !== undefined) node.append(child); });
    return node;
  };

  // ---- The products, kept on the device --------------------------------------------------------------------------
  let catalogue = load('catalogue', null);
  const products = () => (catalogue ? catalogue.products : []);
  const nameOf = (product) => (english && product.nameEn ? product.nameEn : product.nameId);
  const variantOf = (variantId) => {
    for (const product of products()) {
      const variant = product.variants.find((v) => v.id === variantId);
      if (variant) return { product, variant };
    }
    return null;
  };

  async function refreshCatalogue() {
    try {
      const headers = catalogue && catalogue.etag ? { 'If-None-Match': catalogue.etag } : {};
      const answer = await fetch(root.dataset.catalogue, { credentials: 'same-origin', headers, cache: 'no-store' });
      if (answer.status === 304) {
        catalogue.fetchedAt = new Date().toISOString();
      } else if (answer.ok) {
        const body = await answer.json();
        catalogue = { products: body.products || [], etag: answer.headers.get('ETag'), fetchedAt: new Date().toISOString() };
      } else {
        return;
      }
      save('catalogue', catalogue);
      showCatalogueAge(true);
      renderGrid();
      renderLines();
    } catch {
      showCatalogueAge(false);
    }
  }

  function showCatalogueAge(fresh) {
    const empty = $('pos-empty');
    if (!catalogue) {
      empty.hidden = false;
      empty.textContent = say('noCatalogue');
    } else if (!fresh) {
      empty.hidden = false;
      empty.textContent = say('catalogueOld', when(catalogue.fetchedAt));
    } else {
      empty.hidden = true;
    }
  }

  // ---- Finding a product: grid, search, scan ---------------------------------------------------------------------
  const search = $('pos-search');
  function matches(product, words) {
    const haystack = [product.nameId, product.nameEn, product.makerName, ...product.variants.map((v) => v.sku || '')]
      .join(' ').toLowerCase();
    return words.every((w) => haystack.includes(w));
  }

  function renderGrid() {
    const grid = $('pos-grid');
    const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const shown = products().filter((p) => matches(p, words)).slice(0, 60);
    grid.replaceChildren(...shown.map((product) => {
      const onHand = product.variants.reduce((sum, v) => sum + Math.max(0, v.onHand || 0), 0);
      const from = Math.min(...product.variants.map((v) => v.priceRupiah));
      return element('li', null, element('button', { type: 'button', className: 'pos-product', dataset: { product: product.id } },
        product.photoUrl ? element('img', { src: product.photoUrl, alt: '', width: '64', height: '64', loading: 'lazy' }) : null,
        element('span', { className: 'pos-product-name' }, nameOf(product)),
        element('span', { className: 'muted' }, say('by', product.makerName)),
        element('span', { className: 'pos-product-price' }, rupiah(from)),
        element('span', { className: onHand > 0 ? 'muted' : 'pos-no-stock' }, onHand > 0 ? say('stock', onHand) : say('noStock'))));
    }));
    if (catalogue && shown.length === 0) {
      grid.append(element('li', { className: 'muted' }, say('noMatch')));
    }
  }

  search.addEventListener('input', renderGrid);
  $('pos-grid').addEventListener('click', (event) => {
    const button = event.target.closest('[data-product]');
    if (button) choose(button.dataset.product);
  });

  function choose(productId) {
    const product = products().find((p) => p.id === productId);
    if (!product) return false;
    const sizes = $('pos-sizes');
    if (product.variants.length === 1) {
      sizes.hidden = true;
      add(product.variants[0].id);
      return true;
    }
    $('pos-sizes-title').textContent = say('chooseSize', nameOf(product));
    sizes.querySelector('.pos-size-buttons').replaceChildren(...product.variants.map((v) =>
      element('button', { type: 'button', className: 'secondary', dataset: { variant: v.id } }, `${v.label} · ${rupiah(v.priceRupiah)}`)));
    sizes.hidden = false;
    sizes.querySelector('button').focus();
    return true;
  }

  $('pos-sizes').addEventListener('click', (event) => {
    const button = event.target.closest('[data-variant]');
    if (!button) return;
    $('pos-sizes').hidden = true;
    add(button.dataset.variant);
  });

  // Shelf labels carry the product's storefront address (/produk/{id}); the camera reads it.
  const scanButton = $('pos-scan');
  let scanning = null;
  scanButton.addEventListener('click', () => (scanning ? stopScan() : startScan()));

  async function startScan() {
    const status = $('pos-scan-status');
    const video = $('pos-camera');
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    } catch {
      status.textContent = say('scanNoCamera');
      search.focus();
      return;
    }
    scanning = { stream, timer: null };
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    status.textContent = say('scanStart');
    scanButton.textContent = say('scanStop');
    const read = await reader(video);
    const look = async () => {
      if (!scanning) return;
      const text = await read().catch(() => null);
      if (text) {
        const found = /\/produk\/([0-9a-f-]{36})/i.exec(text);
        if (found && products().some((p) => p.id === found[1].toLowerCase())) {
          stopScan();
          choose(found[1].toLowerCase());
          return;
        }
        status.textContent = say('scanUnknown');
      }
      // A few looks a second is enough for a hand-held label and spares the phone's battery.
      scanning.timer = setTimeout(look, 250);
    };
    look();
  }

  function stopScan() {
    if (!scanning) return;
    clearTimeout(scanning.timer);
    scanning.stream.getTracks().forEach((t) => t.stop());
    scanning = null;
    $('pos-camera').hidden = true;
    $('pos-scan-status').textContent = '';
    scanButton.textContent = say('scan');
  }

  // The browser's own detector where there is one; else jsQR, served by the marketplace itself, loaded on first use.
  async function reader(video) {
    if ('BarcodeDetector' in window) {
      const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
      return async () => { const codes = await detector.detect(video); return codes.length ? codes[0].rawValue : null; };
    }
    if (!window.jsQR) {
      await new Promise((resolve, reject) => {
        document.head.append(element('script', { src: '/lib/jsqr/jsQR.js', onload: resolve, onerror: reject }));
      });
    }
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });
    return async () => {
      if (!video.videoWidth) return null;
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
      return code ? code.data : null;
    };
  }

  // ---- This sale's lines ------------------------------------------------------------------------------------------
  let lines = load('basket', []);
  const saveLines = () => save('basket', lines);

  function add(variantId) {
    const line = lines.find((l) => l.variantId === variantId);
    if (line) line.quantity = Math.min(99, line.quantity + 1);
    else lines.push({ variantId, quantity: 1 });
    saveLines();
    renderLines();
    $('pos-lines-error').hidden = true;
  }

  function priced() {
    return lines.map((line) => {
      const found = variantOf(line.variantId);
      return found && {
        productId: found.product.id, variantId: line.variantId, quantity: line.quantity, unitPriceRupiah: found.variant.priceRupiah,
        name: nameOf(found.product), label: found.variant.label, maker: found.product.makerName,
      };
    }).filter(Boolean);
  }

  const total = () => priced().reduce((sum, l) => sum + l.quantity * l.unitPriceRupiah, 0);

  function renderLines() {
    const list = $('pos-lines');
    const shown = priced();
    if (shown.length === 0) {
      list.replaceChildren(element('li', { className: 'muted' }, say('empty')));
    } else {
      list.replaceChildren(...shown.map((l) => element('li', { dataset: { variant: l.variantId } },
        element('span', { className: 'pos-line-name' }, `${l.name} (${l.label})`, element('span', { className: 'muted' }, ' · ' + l.maker)),
        element('span', { className: 'pos-line-quantity' },
          element('button', { type: 'button', className: 'secondary', dataset: { step: '-1' }, 'aria-label': say('less', l.name) }, '−'),
          element('input', { type: 'number', min: '1', max: '99', inputMode: 'numeric', value: String(l.quantity), 'aria-label': say('quantityOf', l.name) }),
          element('button', { type: 'button', className: 'secondary', dataset: { step: '1' }, 'aria-label': say('more', l.name) }, '+'),
          element('button', { type: 'button', className: 'link', dataset: { remove: '1' }, 'aria-label': say('remove', l.name) }, '✕')),
        element('strong', { className: 'amount' }, rupiah(l.quantity * l.unitPriceRupiah)))));
    }
    $('pos-total').textContent = rupiah(total());
    showChange();
  }

  $('pos-lines').addEventListener('click', (event) => {
    const item = event.target.closest('[data-variant]');
    if (!item) return;
    const line = lines.find((l) => l.variantId === item.dataset.variant);
    if (event.target.closest('[data-remove]')) lines = lines.filter((l) => l !== line);
    else if (event.target.closest('[data-step]')) line.quantity = Math.max(1, Math.min(99, line.quantity + Number(event.target.closest('[data-step]').dataset.step)));
    else return;
    saveLines();
    renderLines();
  });
  $('pos-lines').addEventListener('change', (event) => {
    const item = event.target.closest('[data-variant]');
    if (!item || event.target.type !== 'number') return;
    const line = lines.find((l) => l.variantId === item.dataset.variant);
    line.quantity = Math.max(1, Math.min(99, digits(event.target.value) || 1));
    saveLines();
    renderLines();
  });

  // ---- Payment ----------------------------------------------------------------------------------------------------
  const form = $('pos-pay');
  const channel = () => form.querySelector('input[name=channel]:checked')?.value || 'qris';
  const tendered = $('pos-tendered');

  function showChannel() {
    const cash = channel() === 'cash';
    $('pos-cash').hidden = !cash;
    $('pos-qris').hidden = cash;
    const code = $('pos-qris-code');
    // No QRIS set: the page says so in words and QRIS cannot be chosen; there is no code to show.
    if (!cash && code && root.dataset.qris && !code.getAttribute('src')) code.src = root.dataset.qris;
  }

  function showChange() {
    const paid = digits(tendered.value);
    const change = $('pos-change');
    if (paid === null || lines.length === 0) { change.textContent = ''; return; }
    const difference = paid - total();
    change.textContent = difference >= 0 ? say('change', rupiah(difference)) : say('short', rupiah(-difference));
    change.classList.toggle('pos-short', difference < 0);
  }

  form.addEventListener('change', (event) => { if (event.target.name === 'channel') showChannel(); });
  tendered.addEventListener('input', () => { showChange(); $('pos-tendered-error').hidden = true; });
  form.querySelectorAll('[data-tender]').forEach((button) => button.addEventListener('click', () => {
    tendered.value = button.dataset.tender === 'exact' ? String(total()) : button.dataset.tender;
    showChange();
  }));

  function fieldError(id, message) {
    const error = $(id);
    error.textContent = message || '';
    error.hidden = !message;
    const input = $(id.replace(/-error$/, ''));
    if (input) {
      if (message) { input.setAttribute('aria-invalid', 'true'); input.setAttribute('aria-describedby', id); }
      else { input.removeAttribute('aria-invalid'); }
    }
    return !message;
  }

  // A number the buyer reads her receipt on: Indonesian (08..., 62..., +62...) or any country's in + form.
  const whatsApp = (text) => {
    const trimmed = text.trim();
    if (!trimmed) return { ok: true, value: null };
    const number = trimmed.replace(/[\s().-]/g, '');
    const ok = /^(\+[1-9][0-9]{7,14}|08[0-9]{7,12}|628[0-9]{7,12})$/.test(number);
    return { ok, value: number };
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const shown = priced();
    const sum = total();
    const cash = channel() === 'cash';
    const paid = digits(tendered.value);
    const buyer = whatsApp($('pos-buyer').value);
    const ok = [
      fieldError('pos-lines-error', shown.length === 0 ? say('needItems') : null),
      fieldError('pos-tendered-error', cash && (paid === null || paid < sum) ? say('tenderedMissing') : null),
      fieldError('pos-reference-error', !cash && !$('pos-reference').value.trim() ? say('referenceMissing') : null),
      fieldError('pos-buyer-error', buyer.ok ? null : say('buyerInvalid')),
    ].every(Boolean);
    if (!ok) {
      const first = form.querySelector('.field-error:not([hidden])');
      const input = first && $(first.id.replace(/-error$/, ''));
      (input || first)?.focus?.();
      return;
    }

    const sale = {
      saleId: newId(),
      tillSessionId: session,
      soldAt: new Date().toISOString(),
      lines: shown.map(({ productId, variantId, quantity, unitPriceRupiah }) => ({ productId, variantId, quantity, unitPriceRupiah })),
      payment: cash ? { channel: 'cash', tenderedRupiah: paid } : { channel: 'qris', reference: $('pos-reference').value.trim() },
      buyerWhatsApp: buyer.value,
      language: english ? 'en' : 'id',
    };
    queue.push({ sale, shown, total: sum, change: cash ? paid - sum : 0, state: 'waiting', clerk, clerkName: root.dataset.clerkName || '' });
    saveQueue();
    lines = [];
    saveLines();
    form.reset();
    form.querySelector(`input[name=channel][value=${cash ? 'cash' : 'qris'}]`).checked = true;
    renderLines();
    showReceipt(sale.saleId);
    renderQueue();
    send();
  });

  // ---- The receipt of the sale just made ---------------------------------------------------------------------------
  let receiptOf = null;
  const paper = $('pos-paper');
  paper.value = load('paper', '58');
  paper.addEventListener('change', () => { save('paper', paper.value); document.documentElement.dataset.paper = paper.value; });
  document.documentElement.dataset.paper = paper.value;

  function showReceipt(saleId) {
    const entry = queue.find((e) => e.sale.saleId === saleId);
    if (!entry) return;
    receiptOf = saleId;
    const { sale, shown } = entry;
    const sent = entry.state === 'sent' && entry.receipt;
    $('pos-receipt').replaceChildren(
      element('p', { className: 'receipt-head' }, element('strong', null, texts.cooperativeName || ''), element('br'), when(sale.soldAt)),
      element('p', { dataset: { testid: 'receipt-number' } }, sent ? say('receiptNumber', entry.receipt.receiptNumber) : say('receiptWaiting')),
      element('ul', { className: 'receipt-lines' }, shown.map((l) => element('li', null,
        element('span', null, `${l.quantity} × ${l.name} (${l.label})`, element('br'), element('small', null, say('by', l.maker))),
        element('span', { className: 'amount' }, rupiah(l.quantity * l.unitPriceRupiah))))),
      element('p', { className: 'receipt-total' }, element('span', null, say('total')), element('strong', null, rupiah(entry.total))),
      element('p', null, sale.payment.channel === 'cash'
        ? [say('paidCash', rupiah(sale.payment.tenderedRupiah)), element('br'), say('change', rupiah(entry.change))]
        : say('paidQris', sale.payment.reference)),
      element('p', { dataset: { testid: 'receipt-clerk' } }, say('clerk', (sent && entry.receipt.clerk) || entry.clerkName || root.dataset.clerkName || say('anotherClerk'))),
      // The QR code leads to the receipt's page, which exists once the server has the sale: until then the slip says so.
      sent ? null : element('p', { className: 'muted' }, say('qrLater')));
    const link = $('pos-receipt-link');
    link.hidden = !sent;
    if (sent) link.href = entry.receipt.receiptUrl;
    $('pos-done').hidden = false;
    $('pos-done').focus();
  }

  // A recorded sale prints from its receipt page, which carries the QR code to itself, on the paper chosen here; a sale
  // still waiting to be sent prints the slip on this screen.
  $('pos-print').addEventListener('click', () => {
    const entry = queue.find((e) => e.sale.saleId === receiptOf);
    if (!entry || entry.state !== 'sent' || !entry.receipt || !entry.receipt.receiptUrl) { window.print(); return; }
    const url = new URL(entry.receipt.receiptUrl, location.href);
    url.searchParams.set('kertas', paper.value);
    url.searchParams.set('cetak', '1');
    if (!window.open(url.pathname + url.search, '_blank')) location.assign(url.pathname + url.search);
  });
  $('pos-next').addEventListener('click', () => {
    $('pos-done').hidden = true;
    receiptOf = null;
    search.focus();
  });

  // ---- Sales waiting on the device, and sending them ---------------------------------------------------------------
  let queue = load('queue', []);
  // Sent sales are kept a day for their receipts; waiting and refused ones until they are sent.
  const saveQueue = () => {
    const dayAgo = Date.now() - 24 * 3600 * 1000;
    queue = queue.filter((e) => e.state !== 'sent' || Date.parse(e.sale.soldAt) > dayAgo).slice(-200);
    save('queue', queue);
  };

  function renderQueue() {
    const waiting = queue.filter((e) => e.state === 'waiting' && mine(e)).length;
    const status = $('pos-connection');
    status.textContent = [navigator.onLine ? say('online') : say('offline'),
      waiting ? say('waiting', waiting) : say('allSent'), signedOut ? say('signIn') : ''].filter(Boolean).join(' ');
    status.classList.toggle('pos-offline', !navigator.onLine || waiting > 0);
    $('pos-queue').replaceChildren(...queue.slice().reverse().slice(0, 30).map((entry) => element('li', { dataset: { state: entry.state, sale: entry.sale.saleId } },
      element('span', null, when(entry.sale.soldAt)),
      element('strong', { className: 'amount' }, rupiah(entry.total)),
      element('span', { className: 'pos-state' }, entry.state === 'sent'
        ? (entry.receipt ? say('receiptNumber', entry.receipt.receiptNumber) : say('stateSent'))
        : !mine(entry) ? say('otherClerk', entry.clerkName || say('anotherClerk'))
        : entry.state === 'refused' ? say('stateRefused', entry.reason || '') + ' ' + say('refusedHelp') : say('stateWaiting')),
      entry.receipt && entry.receipt.flags && entry.receipt.flags.includes('priceChanged') ? element('small', null, say('priceChanged')) : null,
      entry.state === 'refused' && mine(entry) ? element('button', { type: 'button', className: 'secondary', dataset: { retry: entry.sale.saleId } }, say('retry')) : null)));
  }

  $('pos-queue').addEventListener('click', (event) => {
    const button = event.target.closest('[data-retry]');
    if (!button) return;
    const entry = queue.find((e) => e.sale.saleId === button.dataset.retry);
    entry.state = 'waiting';
    saveQueue();
    renderQueue();
    send();
  });

  let token = null;
  let sending = false;
  let signedOut = false;
  let retryTimer = null;
  let retryDelay = 5000;

  async function antiforgery() {
    if (token) return token;
    const answer = await fetch('/api/account/antiforgery', { credentials: 'same-origin', cache: 'no-store' });
    if (answer.status === 401) throw Object.assign(new Error('signed out'), { status: 401 });
    token = (await answer.json()).token;
    return token;
  }

  async function post(sale) {
    return fetch(root.dataset.sales, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-XSRF-TOKEN': await antiforgery() },
      body: JSON.stringify(sale),
    });
  }

  // Sends every waiting sale, oldest first. The server answers the same for the same sale id, so sending one twice
  // (a reply lost on the way back) records it once.
  async function send() {
    if (sending) return;
    sending = true;
    clearTimeout(retryTimer);
    retryTimer = null;
    let again = false;
    try {
      for (const entry of queue.filter((e) => e.state === 'waiting' && mine(e))) {
        let answer = await post(entry.sale);
        if (answer.status === 400 || answer.status === 403) {
          // An antiforgery token from before a sign-in no longer fits: fetch a new one and try once more.
          token = null;
          answer = await post(entry.sale);
        }
        if (answer.status === 401) { signedOut = true; again = true; break; }
        signedOut = false;
        if (answer.ok) {
          entry.state = 'sent';
          entry.receipt = await answer.json();
        } else if (answer.status === 429 || answer.status >= 500) {
          again = true;
          break;
        } else {
          entry.state = 'refused';
          entry.reason = await refusal(answer);
        }
        saveQueue();
        renderQueue();
        if (receiptOf === entry.sale.saleId) showReceipt(entry.sale.saleId);
      }
    } catch (failure) {
      // No connection (or the sign-in is gone): everything stays on the device and is sent later.
      if (failure && failure.status === 401) signedOut = true;
      again = true;
    } finally {
      sending = false;
    }
    renderQueue();
    if (again) {
      retryTimer = setTimeout(send, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 60000);
    } else {
      retryDelay = 5000;
    }
  }

  // The server names the rule a sale broke; the clerk reads it in her language where the page knows it.
  async function refusal(answer) {
    try {
      const problem = await answer.json();
      const codes = Object.values(problem.fieldCodes || {}).flat().concat(problem.code ? [problem.code] : []);
      const known = codes.map((c) => texts['refusal_' + c]).find(Boolean);
      return known || '';
    } catch {
      return '';
    }
  }

  window.addEventListener('online', () => { retryDelay = 5000; renderQueue(); send(); refreshCatalogue(); });
  window.addEventListener('offline', renderQueue);

  // ---- Start --------------------------------------------------------------------------------------------------------
  showCatalogueAge(true);
  renderGrid();
  renderLines();
  showChannel();
  renderQueue();
  refreshCatalogue();
  if (queue.some((e) => e.state === 'waiting' && mine(e))) send();
  if ('serviceWorker' in navigator && window.caches) {
    navigator.serviceWorker.register('/kasir/sw.js', { scope: '/kasir/' })
      .then(() => navigator.serviceWorker.ready)
      .then(keepForOffline)
      .catch(() => { /* the page works without it, online */ });
  }

  // This very page, its styles and scripts and the products' photos were loaded before the service worker existed:
  // keep them now (the worker's caches, by the names it uses), so the page opens again without a signal.
  async function keepForOffline() {
    const pages = await caches.open('kasir-pages-v1');
    const page = await fetch(location.href, { credentials: 'same-origin', cache: 'no-store' });
    if (page.ok) await pages.put(location.pathname, page);
    const files = await caches.open('kasir-files-v1');
    const used = [...document.querySelectorAll('link[rel=stylesheet][href], link[rel=manifest][href], script[src]')]
      .map((e) => e.getAttribute('href') || e.getAttribute('src'))
      .concat(products().map((p) => p.photoUrl).filter(Boolean), [root.dataset.qris, '/lib/jsqr/jsQR.js'].filter(Boolean));
    await Promise.all([...new Set(used)].map((url) => files.add(url).catch(() => undefined)));
    root.dataset.offlineReady = 'true';
  }
})();
