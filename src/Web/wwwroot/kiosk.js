// Scans a pickup code's QR with the kiosk's camera where the browser can (BarcodeDetector), then looks the order up.
// Typing the code always works too. The Gateway allows the camera on this page only.
(function () {
  const button = document.getElementById('scan');
  const form = document.getElementById('find-order');
  if (!button || !form || !('BarcodeDetector' in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  button.hidden = false;
  button.addEventListener('click', async () => {
    const video = document.getElementById('camera');
    const input = form.querySelector('input[name=kode]');
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    } catch {
      // No camera, or it was refused: the button goes away and the code is typed instead.
      button.hidden = true;
      input.focus();
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const detector = new BarcodeDetector({ formats: ['qr_code'] });
    const look = async () => {
      const codes = await detector.detect(video);
      if (codes.length) {
        stream.getTracks().forEach((t) => t.stop());
        input.value = codes[0].rawValue;
        form.submit();
      } else {
        requestAnimationFrame(look);
      }
    };
    look();
  });
})();
