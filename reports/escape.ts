const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

const SCRIPT_JSON_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * JSON that is safe inside a <script> element: `</script>` and `<!--` in a string cannot end or
 * bend the element, and U+2028/2029 cannot end a line in older JavaScript parsers. The escapes
 * are valid JSON, so `JSON.parse(script.textContent)` gives back the value unchanged.
 */
export function jsonForScript(value: object): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => SCRIPT_JSON_ESCAPES[char] ?? char);
}

/** Code points XML 1.0 forbids anywhere in a document (C0 controls but tab, LF, CR; U+FFFE/FFFF; lone surrogates). */
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * Escapes text for XML content and quoted attributes. Characters XML cannot carry at all are
 * replaced by U+FFFD, so a control byte in a provider's message cannot make the file unparsable;
 * `>` is escaped too, so `]]>` never appears, and tab and line breaks become character references,
 * which attribute values keep (a parser turns a literal line break in an attribute into a space).
 */
export function escapeXml(text: string): string {
  return text.replace(XML_FORBIDDEN, '\ufffd').replace(/[\t\n\r&<>"']/g, (char) => XML_ESCAPES[char] ?? char);
}

/**
 * Escapes text for one cell of a GitHub-flavoured Markdown table: `|` would end the cell, a
 * backtick or `*_[]~\` would start formatting, `<` and `&` raw HTML, and a line break the row;
 * line breaks become spaces and HTML characters entities.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?|\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]~|#!]/g, (char) => `\\${char}`);
}
