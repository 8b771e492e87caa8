// Progressive enhancement: order forms post JSON to the API and report inline; without JS they post the form.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  for (const form of document.querySelectorAll('form.order-form')) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const notice = form.querySelector('.notice');
      const button = form.querySelector('button');
      const body = {
        product_id: Number(form.elements.product_id.value),
        quantity: Number(form.elements.quantity.value),
      };
      button.disabled = true;
      notice.className = 'notice';
      notice.textContent = 'Placing order…';
      try {
        const response = await fetch(form.dataset.api, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
          body: JSON.stringify(body),
          credentials: 'same-origin',
        });
        const json = await response.json().catch(() => ({}));
        if (response.status === 201) {
          window.location.assign('/orders?placed=' + encodeURIComponent(json.id));
          return;
        }
        notice.className = 'notice bad';
        notice.textContent = json.error || ('Failed: HTTP ' + response.status);
      } catch (e) {
        notice.className = 'notice bad';
        notice.textContent = 'Network error, try again.';
      } finally {
        button.disabled = false;
      }
    });
  }
});
