/*
 * File readiness: keeps the "File readiness" panel of a draft file up to date while the page is
 * open, by fetching the panel's HTML again every few seconds (progressive enhancement: without
 * JavaScript the panel is as fresh as the page). Loaded as an ES module by
 * templates/files/submission_detail.html; no inline script (CSP).
 *
 * The container carries data-readiness-url (the fragment) and data-poll-seconds. The panel is
 * replaced only when its data-signature changed (a new quality report, or a change in what may be
 * done), and the change is announced politely in one sentence through #readiness-status rather
 * than by re-reading the whole panel. Polling pauses while the tab is
 * hidden and stops for good if the fragment stops answering (e.g. the session ended).
 */
const container = document.querySelector('[data-readiness-url]')

if (container) {
  const url = container.getAttribute('data-readiness-url')
  const seconds = Math.max(2, parseInt(container.getAttribute('data-poll-seconds'), 10) || 5)
  const status = document.getElementById('readiness-status')
  const signatureOf = (root) => {
    const panel = root.querySelector('[data-signature]')
    return panel ? panel.getAttribute('data-signature') : ''
  }
  let timer = null
  let stopped = false

  const summary = () => {
    const panel = container.querySelector('[data-testid="readiness-panel"]')
    if (!panel) return ''
    const blocking = panel.getAttribute('data-blocking')
    const advisory = panel.getAttribute('data-advisory')
    return `File readiness updated: ${blocking} must be fixed, ${advisory} advisory.`
  }

  const poll = async () => {
    timer = null
    if (stopped || document.hidden) return
    try {
      const response = await fetch(url, {
        credentials: 'same-origin',
        headers: { 'X-Requested-With': 'fetch' },
        cache: 'no-store',
        redirect: 'error'
      })
      if (!response.ok) {
        stopped = true
        return
      }
      const fresh = document.createElement('template')
      fresh.innerHTML = await response.text()
      if (signatureOf(fresh.content) !== signatureOf(container)) {
        // Keep focus where it was if it was on the submit button that is being replaced.
        const hadFocus = container.contains(document.activeElement)
        container.replaceChildren(fresh.content)
        if (status) status.textContent = summary()
        if (hadFocus) {
          const heading = container.querySelector('#readiness-heading')
          if (heading) {
            heading.setAttribute('tabindex', '-1')
            heading.focus()
          }
        }
      }
    } catch (error) {
      stopped = true
      return
    }
    schedule()
  }

  const schedule = () => {
    if (!stopped && timer === null) timer = window.setTimeout(poll, seconds * 1000)
  }

  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) schedule()
  })

  schedule()
}
