// Buttons marked data-print open the browser's print dialog (the page's print styles choose what is on paper).
document.addEventListener('click', (event) => {
  if (event.target.closest('[data-print]')) window.print();
});
// Opened from the sale screen's "Print the receipt": the dialog opens at once.
window.addEventListener('load', () => {
  if (document.querySelector('[data-autoprint]')) window.print();
});
