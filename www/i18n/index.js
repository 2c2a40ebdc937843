// Translations of the whole UI. `t(key, params)` looks the key up in the current language,
// then in English, then returns `fallback` (or the key); `{name}` placeholders are filled
// from params. Static markup is translated through data-i18n (text) and
// data-i18n-attr="attr:key;attr:key" attributes by applyStatic().
import en from './en.js';
import zhCN from './zh-CN.js';

const DICTS = { en, 'zh-CN': zhCN };
export const LANGS = [{ code: 'en', label: 'English' }, { code: 'zh-CN', label: '中文' }];
export const INSTRUCTIONS = ['FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL'];

let current = 'en';

export function setLang(lang) { current = DICTS[lang] ? lang : 'en'; }
export function getLang() { return current; }

/** The first supported language among the browser's preferences. */
export function detectLang(preferences) {
  for (const p of preferences ?? []) {
    const tag = String(p).toLowerCase();
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

export function t(key, params = {}, fallback) {
  const text = DICTS[current][key] ?? en[key] ?? fallback ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

export function applyStatic(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}
