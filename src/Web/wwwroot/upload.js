// Uploads a photo (a product's, or a member's own with data-method=PUT) straight to the catalog (through the Gateway) with a progress bar. The chosen file stays
// in the form until the upload has been accepted, so a dropped connection loses nothing: press the button again.
(function () {
  const form = document.getElementById('photo-upload');
  if (!form) return;
  const bar = form.querySelector('progress');
  const status = form.querySelector('[role=status]');
  const input = form.querySelector('input[type=file]');
  const say = (text) => { status.textContent = text; };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!input.files.length) { say(form.dataset.msgChoose); return; }
    let token;
    try {
      const answer = await fetch('/api/account/antiforgery', { credentials: 'same-origin' });
      token = (await answer.json()).token;
    } catch {
      say(form.dataset.msgOffline);
      return;
    }
    const data = new FormData();
    data.append('file', input.files[0]);
    const request = new XMLHttpRequest();
    request.open(form.dataset.method || 'POST', form.action);
    request.setRequestHeader('X-XSRF-TOKEN', token);
    bar.hidden = false;
    bar.value = 0;
    request.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100); };
    request.onerror = () => say(form.dataset.msgOffline);
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        say(form.dataset.msgDone);
        input.value = '';
        setTimeout(() => location.reload(), 1000);
      } else {
        // The refusal's code, said in the page's language (data-msg-codes); never the service's English sentence.
        const words = JSON.parse(form.dataset.msgCodes || '{}');
        let code = request.status === 413 ? 'image_too_big' : 'failed';
        try { code = JSON.parse(request.responseText).code || code; } catch { }
        say(form.dataset.msgRefused + ' ' + (words[code] || words.failed || ''));
      }
    };
    request.send(data);
  });
})();
