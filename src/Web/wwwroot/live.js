// Keeps a page that is waiting for something (an order's payment, a photo being processed) up to date: every few
// seconds it fetches the page again and swaps in the new content, as long as the page marks itself as waiting
// (data-live-seconds). Without script, the page's <noscript> refresh does the same; the page works either way.
(function () {
  const main = document.querySelector('main');
  const marker = () => main.querySelector('[data-live-seconds]');
  const go = (element) => { if (element && element.dataset.redirect) { location.assign(element.dataset.redirect); return true; } return false; };
  if (!main || !marker() || go(marker())) return;
  const poll = async () => {
    const waiting = marker();
    if (!waiting) return;
    await new Promise((resolve) => setTimeout(resolve, Number(waiting.dataset.liveSeconds) * 1000));
    try {
      const answer = await fetch(location.href, { credentials: 'same-origin' });
      const fresh = new DOMParser().parseFromString(await answer.text(), 'text/html').querySelector('main');
      if (fresh) {
        const next = fresh.querySelector('[data-live-seconds]');
        if (go(next)) return;
        main.innerHTML = fresh.innerHTML;
      }
    } catch {
      // A dropped connection: the next round tries again.
    }
    poll();
  };
  poll();
})();
