// Shows the shipping cost and the total as soon as the shopper picks how she gets the parcel and where it goes,
// from the prices the page was drawn with (Orders' own table). Without script the page does the same when she
// presses the button, before anything is ordered.
(function () {
  const form = document.querySelector('form[data-checkout]');
  if (!form) return;
  const province = form.querySelector('#province');
  const shown = form.querySelector('input[name="Form.ShownTotal"]');
  const cost = document.getElementById('shipping-cost');
  const totals = document.querySelectorAll('[data-order-total]');
  const error = form.querySelector('[data-province-error]');
  const items = Number(form.dataset.items);
  const rupiah = (n) => 'Rp ' + String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const update = () => {
    const delivery = form.querySelector('input[name="Form.Fulfilment"]:checked');
    let shipping = 0;
    let text = form.dataset.textPickup;
    let problem = '';
    if (delivery && delivery.value === 'shipping') {
      const option = province && province.selectedOptions[0];
      if (!option || !option.value) {
        shipping = null;
        text = form.dataset.textChoose;
      } else if (option.dataset.price === undefined || option.dataset.price === '') {
        shipping = null;
        text = problem = form.dataset.textNone.replace('{province}', option.value);
      } else {
        shipping = Number(option.dataset.price);
        text = rupiah(shipping) + ' ' + form.dataset.textTo.replace('{province}', option.value).replace('{zone}', option.dataset.zone);
      }
    }

    cost.textContent = text;
    totals.forEach((total) => { total.textContent = shipping === null ? '–' : rupiah(items + shipping); });
    shown.value = shipping === null ? '' : String(items + shipping);
    if (error) {
      error.textContent = problem;
      if (problem) province.setAttribute('aria-invalid', 'true'); else province.removeAttribute('aria-invalid');
    }
  };
  form.addEventListener('change', (event) => {
    if (event.target === province || event.target.name === 'Form.Fulfilment') update();
  });
})();
