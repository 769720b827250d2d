// The site's only script, a progressive enhancement: every page works without it.

// The e-mail address is in the page only encoded (reversed, base64) and spelled out for
// people; here it becomes a real mailto: link.
const decode = (encoded) => [...new TextDecoder().decode(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)))].reverse().join('');
for (const element of document.querySelectorAll('[data-email]')) {
  const address = decode(element.dataset.email);
  if (element.tagName === 'A') {
    element.href = `mailto:${address}`;
  } else {
    const link = document.createElement('a');
    link.href = `mailto:${address}`;
    link.textContent = address;
    element.replaceChildren(link);
  }
}

// A "Copy BibTeX" button under each BibTeX block.
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
