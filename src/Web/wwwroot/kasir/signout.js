// Signing out of a shared phone. What the sale screen kept on this device (the products, the sales' receipts, the
// paper size, the pages kept for working offline) must not be there for the next person. Sales not yet recorded are
// money already in the drawer, so they are never simply thrown away: this clerk's waiting sales are sent first; those
// that cannot be sent (no signal) stay on the device tied to the clerk who made them, and the sale screen sends them
// only under her own sign-in (pos.js), never under the next person's (the server would record them as that person's).
// She is told how many are waiting and signs out only when she chooses to.
(function () {
  'use strict';
  const forms = document.querySelectorAll('form[data-pos-signout]');
  if (forms.length === 0) return;
  const read = (key) => { try { return JSON.parse(localStorage.getItem(key)) || []; } catch { return []; } };
  const queueKeys = () => Object.keys(localStorage).filter((k) => k.startsWith('pos.queue.'));
  const mine = (entry, clerk) => !entry.clerk || entry.clerk === clerk;

  async function sendWaiting(clerk) {
    let token = null;
    for (const key of queueKeys()) {
      const cooperative = key.slice('pos.queue.'.length);
      const queue = read(key);
      for (const entry of queue.filter((e) => e.state === 'waiting' && mine(e, clerk))) {
        try {
          if (!token) token = (await (await fetch('/api/account/antiforgery', { credentials: 'same-origin', cache: 'no-store' })).json()).token;
          const answer = await fetch(`/api/orders/kiosk/${cooperative}/sales`, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'Content-Type': 'application/json', 'X-XSRF-TOKEN': token },
            body: JSON.stringify(entry.sale),
          });
          if (answer.ok) {
            entry.state = 'sent';
            entry.receipt = await answer.json();
          }
        } catch {
          break; // No signal: the rest waits.
        }
      }
      localStorage.setItem(key, JSON.stringify(queue));
    }
  }

  const unsent = (clerk) => queueKeys().flatMap((k) => read(k)).filter((e) => e.state === 'waiting' && mine(e, clerk)).length;

  async function clear(clerk, clerkName) {
    for (const key of Object.keys(localStorage).filter((k) => k.startsWith('pos.'))) {
      if (!key.startsWith('pos.queue.')) {
        localStorage.removeItem(key);
        continue;
      }
      // Only what is not yet recorded stays, each sale with the clerk who made it.
      const kept = read(key).filter((e) => e.state !== 'sent').map((e) => ({ ...e, receipt: undefined, clerk: e.clerk || clerk, clerkName: e.clerkName || clerkName }));
      if (kept.length > 0) localStorage.setItem(key, JSON.stringify(kept));
      else localStorage.removeItem(key);
    }
    if (window.caches) {
      const names = await caches.keys();
      await Promise.all(names.filter((n) => n.startsWith('kasir-')).map((n) => caches.delete(n)));
    }
  }

  forms.forEach((form) => form.addEventListener('submit', async (event) => {
    if (form.dataset.cleared === 'true') return;
    event.preventDefault();
    const clerk = form.dataset.clerk || '';
    const anyway = event.submitter && event.submitter.hasAttribute('data-pos-anyway');
    if (!anyway) {
      await sendWaiting(clerk);
      const left = unsent(clerk);
      if (left > 0) {
        const warning = form.querySelector('[data-pos-unsent]');
        warning.textContent = form.dataset.unsentText.replace('{0}', String(left));
        warning.hidden = false;
        form.querySelector('[data-pos-anyway]').hidden = false;
        return;
      }
    }
    await clear(clerk, form.dataset.clerkName || '');
    form.dataset.cleared = 'true';
    form.submit();
  }));
})();
