// Runs in the page (Playwright sends its source): tags interactive, visible elements with ids (`data-sw-id`,
// kept across steps) and reads what an agent sees. Plain JavaScript, since the page has no TypeScript.
function readPage(textLimit) {
  const w = window;
  const counter = w.__stepwiseNextId ?? 0;
  let next = counter;
  const interactive = 'a[href], button, input:not([type=hidden]), select, textarea, [role=button], [role=link], [role=checkbox], [onclick], [contenteditable=true]';
  const roleOf = (el) => {
    const explicit = el.getAttribute('role');
    if (explicit) return explicit;
    const tag = el.tagName.toLowerCase();
    if (tag === 'a') return 'link';
    if (tag === 'button') return 'button';
    if (tag === 'select') return 'combobox';
    if (tag === 'textarea') return 'textbox';
    if (tag === 'input') {
      const type = (el.type || 'text').toLowerCase();
      if (type === 'checkbox' || type === 'radio') return type;
      if (type === 'submit' || type === 'button' || type === 'reset') return 'button';
      return type === 'search' ? 'searchbox' : 'textbox';
    }
    return 'generic';
  };
  const nameOf = (el) => {
    const aria = el.getAttribute('aria-label');
    if (aria) return aria;
    const input = el;
    // A label's own text, not that of the control inside it (a select's options).
    const labels = input.labels ? Array.from(input.labels).map((l) => Array.from(l.childNodes).filter((n) => n.nodeType === 3).map((n) => n.textContent).join(' ').trim()) : [];
    if (labels.length > 0) return labels.join(' ').replace(/\s+/g, ' ').slice(0, 80);
    const placeholder = el.getAttribute('placeholder');
    if (placeholder) return placeholder;
    if (el.tagName === 'INPUT' && ['submit', 'button'].includes(input.type)) return input.value;
    return (el.innerText ?? el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 80);
  };
  const pathOf = (el) => {
    if (el.id) return `#${CSS.escape(el.id)}`;
    const parts = [];
    for (let at = el; at && at !== document.documentElement; at = at.parentElement) {
      if (at.id) {
        parts.unshift(`#${CSS.escape(at.id)}`);
        break;
      }
      const tag = at.tagName.toLowerCase();
      const same = at.parentElement ? Array.from(at.parentElement.children).filter((c) => c.tagName === at.tagName) : [];
      parts.unshift(same.length > 1 ? `${tag}:nth-of-type(${same.indexOf(at) + 1})` : tag);
    }
    return parts.join(' > ');
  };
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
  };
  const elements = [];
  for (const el of Array.from(document.querySelectorAll(interactive))) {
    if (!visible(el) || el.disabled) continue;
    let id = el.getAttribute('data-sw-id');
    if (!id) {
      id = `e${next++}`;
      el.setAttribute('data-sw-id', id);
    }
    const tag = el.tagName.toLowerCase();
    const entry = { id, tag, role: roleOf(el), name: nameOf(el), path: pathOf(el) };
    if (tag === 'input' || tag === 'textarea' || tag === 'select') {
      const field = el;
      if (field.type === 'checkbox' || field.type === 'radio') entry.checked = field.checked;
      else if (field.type !== 'password') entry.value = field.value;
      else entry.value = field.value === '' ? '' : '•'.repeat(field.value.length);
    }
    if (tag === 'select') entry.options = Array.from(el.options).filter((o) => o.value !== '').map((o) => o.text);
    elements.push(entry);
  }
  w.__stepwiseNextId = next;
  const focusedId = document.activeElement?.getAttribute('data-sw-id') ?? null;
  let storage = '';
  try {
    for (let i = 0; i < sessionStorage.length; i++) {
      const key = sessionStorage.key(i);
      storage += `${key}=${sessionStorage.getItem(key)};`;
    }
  } catch {
    storage = '';
  }
  const url = location.origin === 'null' ? location.href : location.href.slice(location.origin.length);
  return {
    url,
    title: document.title,
    focused: focusedId,
    elements,
    text: (document.body?.innerText ?? '').replace(/[ \t]+/g, ' ').replace(/\n{2,}/g, '\n').trim().slice(0, textLimit),
    reward: Number(w.WOB_REWARD_GLOBAL ?? 0),
    rawReward: Number(w.WOB_RAW_REWARD_GLOBAL ?? 0),
    done: w.WOB_DONE_GLOBAL === true,
    ready: w.WOB_TASK_READY === true,
    storage,
  };
}
