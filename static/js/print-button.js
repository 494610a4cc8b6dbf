/*
 * "Print this page" buttons on the printable MG forms. The button is hidden until this script
 * runs (without JavaScript the browser's own print command does the same), and the page's inline
 * scripts are forbidden by the Content Security Policy, so the handler lives here.
 */
document.querySelectorAll('[data-cb-print]').forEach(function (button) {
  button.hidden = false
  button.addEventListener('click', function () { window.print() })
})
