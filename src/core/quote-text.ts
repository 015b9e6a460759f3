// Text from files and servers reaches error messages: a terminal must never receive its control bytes (an escape
// sequence can rewrite the screen), nor a whole 200 KB line.

// C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides that reorder what a terminal shows.
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function escapeUnprintable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A piece of input quoted for a message: control bytes escaped (`\x1b`), newlines and tabs shown as `\n` and `\t`,
 * and cut after `max` characters with the full length named.
 */
export function quoteText(text: string, max = 80): string {
  const shown = text.length > max ? text.slice(0, max) : text;
  const escaped = escapeUnprintable(shown).replaceAll('\n', '\\n').replaceAll('\t', '\\t');
  return text.length > max ? `'${escaped}…' (${text.length.toLocaleString('en-US')} characters)` : `'${escaped}'`;
}

/** A whole message made safe for a terminal: control bytes escaped, every line cut after `maxLine` characters. */
export function printableMessage(text: string, maxLine = 500): string {
  return text
    .split('\n')
    .map((line) => {
      const escaped = escapeUnprintable(line);
      return escaped.length > maxLine ? `${escaped.slice(0, maxLine)}… (line cut: ${escaped.length.toLocaleString('en-US')} characters)` : escaped;
    })
    .join('\n');
}

/** `text`, or its first `max` characters and what was cut (`where` says where the whole text is kept). */
export function cutText(text: string, max: number, where: string): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (cut at ${max.toLocaleString('en-US')} of ${text.length.toLocaleString('en-US')} characters; ${where})`;
}
