// Runs in every document before the panel's own scripts (an init script, so the panel's CSP does not apply to it).
// Records performance.now() (ms since the navigation started) at the first animation frame after each milestone
// appears in the DOM, i.e. the frame that paints it.
(() => {
  const marks = window.__marks = {};
  const at = name => { if (!(name in marks)) { marks[name] = -1; requestAnimationFrame(() => { marks[name] = performance.now(); }); } };
  const check = () => {
    const user = document.querySelector('input[name=username]');
    if (user && !user.disabled) at('form');
    if ('click' in marks && document.querySelectorAll('tr[data-vm]').length >= (window.__rows || 1)) at('rows');
    if (!('click' in marks) && document.querySelectorAll('tr[data-vm]').length >= (window.__rows || 1)) at('rowsOnLoad');
  };
  document.addEventListener('click', e => {
    if (!('click' in marks) && e.target.closest('button[type=submit]')) marks.click = performance.now();
  }, true);
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
})();
