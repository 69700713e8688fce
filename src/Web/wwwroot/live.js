// Keeps the part of a page that is waiting for something (an order's payment, a photo being processed) up to
// date: every few seconds it fetches the page again and swaps in that part ([data-live-region]) only, so a form
// elsewhere on the page keeps what is being typed. It stops once the part no longer says it is waiting
// ([data-live-seconds]). Without script, the page's <noscript> refresh does the same.
(function () {
  const region = document.querySelector('[data-live-region]');
  const marker = () => region && region.querySelector('[data-live-seconds]');
  const go = (element) => { if (element && element.dataset.redirect) { location.assign(element.dataset.redirect); return true; } return false; };
  if (!marker() || go(marker())) return;
  const poll = async () => {
    const waiting = marker();
    if (!waiting) return;
    await new Promise((resolve) => setTimeout(resolve, Number(waiting.dataset.liveSeconds) * 1000));
    try {
      const answer = await fetch(location.href, { credentials: 'same-origin' });
      const fresh = new DOMParser().parseFromString(await answer.text(), 'text/html').querySelector('[data-live-region]');
      if (fresh) {
        if (go(fresh.querySelector('[data-live-seconds]'))) return;
        region.innerHTML = fresh.innerHTML;
      }
    } catch {
      // A dropped connection: the next round tries again.
    }
    poll();
  };
  poll();
})();
