// The site's only script, a progressive enhancement: every page works without it.
// Adds a "Copy" button to each BibTeX block.
for (const block of document.querySelectorAll('.pub__bibtex pre, pre.pub__bibtex-code')) {
  if (!navigator.clipboard) break;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'copy-button';
  button.textContent = 'Copy BibTeX';
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(block.textContent ?? '');
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Copy failed: select the text';
    }
    setTimeout(() => (button.textContent = 'Copy BibTeX'), 2000);
  });
  block.after(button);
}
