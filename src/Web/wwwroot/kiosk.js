// Scans a pickup code's QR with the kiosk's camera where the browser can (BarcodeDetector), then looks the order up.
// Typing the code always works too.
(function () {
  const button = document.getElementById('scan');
  const form = document.getElementById('find-order');
  if (!button || !form || !('BarcodeDetector' in window) || !navigator.mediaDevices) return;
  button.hidden = false;
  button.addEventListener('click', async () => {
    const video = document.getElementById('camera');
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const detector = new BarcodeDetector({ formats: ['qr_code'] });
    const look = async () => {
      const codes = await detector.detect(video);
      if (codes.length) {
        stream.getTracks().forEach((t) => t.stop());
        form.querySelector('input[name=kode]').value = codes[0].rawValue;
        form.submit();
      } else {
        requestAnimationFrame(look);
      }
    };
    look();
  });
})();
